//! DL3050: with strict labels, a label the schema does not list.

use super::label_values::shipped_labels;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3050",
    name: "label-outside-schema",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured and strict labels are on (`strict-labels = true` in
`gantry.toml`, `strict-labels: true` in `.hadolint.yaml`), reports each label of the shipped
image (the last stage and the stages it builds on) that the schema does not list, one finding
per label key. Does nothing otherwise.

## Why it matters
A strict schema keeps the set of labels small and agreed: an unlisted key is usually a typo of
a listed one (`org.opencontainers.image.sources`) or a label nobody will read.

gantry differs from hadolint: it reports each key at its position rather than one finding per
LABEL instruction, and ignores labels in builder stages, which never reach the image.

## Example
```dockerfile
# label-schema: org.opencontainers.image.source = \"url\"; strict labels
LABEL org.opencontainers.image.sources=https://github.com/example/app
```

## Fix
Correct the key, add it to the schema, or remove the label.

## References
- hadolint rule DL3050 (https://github.com/hadolint/hadolint/wiki/DL3050)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let schema = &context.options.label_schema;
    if schema.is_empty() || !context.options.strict_labels {
        return;
    }
    let Some((_, labels)) = shipped_labels(context) else { return };
    for pair in labels {
        if !schema.iter().any(|(label, _)| *label == pair.key) {
            sink.report(pair.key_range, format!("label `{}` is not in the label schema", pair.key));
        }
    }
}
