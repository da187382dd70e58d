//! DL3051: a schema label with an empty value.

use super::label_values::{all_labels, schema_type};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3051",
    name: "empty-schema-label",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured, reports each label of the schema set to an empty or blank
value (`LABEL org.opencontainers.image.revision=\"\"`). Does nothing without a schema. A value
written with a build variable is not judged: the variable may be set at build time.

## Why it matters
An empty required label satisfies the letter of the schema and none of its purpose; it is
typically a build argument that CI forgot to pass, hard-coded as empty.

## Example
```dockerfile
# label-schema: org.opencontainers.image.revision = \"hash\"
LABEL org.opencontainers.image.revision=\"\"
```

## Fix
Set a real value, usually from a build argument:
`ARG REVISION` then `LABEL org.opencontainers.image.revision=$REVISION`.

## References
- hadolint rule DL3051 (https://github.com/hadolint/hadolint/wiki/DL3051)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for pair in all_labels(context) {
        if schema_type(context, &pair.key).is_none() {
            continue;
        }
        let value = pair.value.as_deref().unwrap_or_default();
        if value.trim().is_empty() {
            sink.report(pair.value_range.unwrap_or(pair.range), format!("label `{}` is empty", pair.key));
        }
    }
}
