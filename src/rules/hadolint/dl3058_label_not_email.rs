//! DL3058: a label of the schema's `email` kind whose value is not an email address.

use super::label_values::report_invalid;
use crate::rules::{Context, LabelType, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3058",
    name: "label-value-not-email",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each label the schema types as `email` whose value is not an email address. Does nothing without
a schema. Empty values are DL3051's; values written with a build variable (`LABEL
maintainer=$VALUE`) are known only at build time and are not judged.

## Why it matters
Labels are read by machines: registries, scanners and deployment tooling parse them, and a
malformed value is dropped or misread without any error at build time.

gantry accepts RFC 5322 mailboxes in both forms, `jane@example.com` and `Jane Doe
<jane@example.com>`, and comma-separated lists of them; hadolint reports the second form, which
the OCI `authors` annotation commonly uses.

## Example
```dockerfile
# label-schema: maintainer = \"email\"
LABEL maintainer=jane
```

## Fix
Write an address: `LABEL maintainer=\"Jane Doe <jane@example.com>\"`.

## References
- hadolint rule DL3058 (https://github.com/hadolint/hadolint/wiki/DL3058)
- RFC 5322, address specification (https://www.rfc-editor.org/rfc/rfc5322#section-3.4)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    report_invalid(context, sink, LabelType::Email, "an email address");
}
