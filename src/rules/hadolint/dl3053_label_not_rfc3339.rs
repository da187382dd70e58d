//! DL3053: a label of the schema's `rfc3339` kind whose value is not an RFC 3339 date-time.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3053",
    name: "label-value-not-rfc3339",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `rfc3339` whose value is not an RFC 3339 date-time. Does nothing
without a schema. Empty values are DL3051's; values written with a build variable (`LABEL
created=$VALUE`) are known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry checks the calendar (no 30 February) and the offset, and accepts the forms RFC 3339
allows: `T`, `t` or a space between date and time, an optional fraction, `Z` or `±hh:mm`.

## Example
```dockerfile
# label-schema: created = \"rfc3339\"
LABEL created=2024-05-01
```

## Fix
Write a full timestamp with an offset: `LABEL created=2024-05-01T12:00:00Z`, for example from
`date -u +%Y-%m-%dT%H:%M:%SZ` passed in as a build argument.

## References
- hadolint rule DL3053 (https://github.com/hadolint/hadolint/wiki/DL3053)
- RFC 3339, date and time on the Internet (https://www.rfc-editor.org/rfc/rfc3339)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Rfc3339, "an RFC 3339 date-time");
}
