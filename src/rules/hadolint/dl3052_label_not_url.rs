//! DL3052: a label of the schema's `url` kind whose value is not a URL.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3052",
    name: "label-value-not-url",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `url` whose value is not a URL. Does nothing without a schema.
Empty values are DL3051's; values written with a build variable (`LABEL source=$VALUE`) are
known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry accepts any absolute URI with a scheme (`https://…`, `git+ssh://…`, `mailto:…`), as
hadolint does, and rejects an empty authority such as `https://`.

## Example
```dockerfile
# label-schema: source = \"url\"
LABEL source=github.com/example/app
```

## Fix
Write the full URL, scheme included: `LABEL source=https://github.com/example/app`.

## References
- hadolint rule DL3052 (https://github.com/hadolint/hadolint/wiki/DL3052)
- RFC 3986, URI syntax (https://www.rfc-editor.org/rfc/rfc3986)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Url, "a URL");
}
