//! DL3049: the shipped image lacks a label the schema requires.

use super::label_values::shipped_labels;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3049",
    name: "missing-schema-label",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When a label schema is configured (`label-schema` in `gantry.toml` or `.hadolint.yaml`), reports
each schema label that the image a plain `docker build` produces does not set: the last stage
and the stages it builds on through `FROM <stage>`. The finding is on the last stage's FROM.
Does nothing without a schema.

## Why it matters
A schema lists the labels every published image must carry (source, revision, license…) so
that registries and scanners can trace it. A missing one is only noticed when someone needs it.

gantry differs from hadolint, which checks every stage and so asks builder stages, which never
ship, for the full set of labels. Labels set by the external base image cannot be seen by
either tool.

## Example
```dockerfile
# label-schema: org.opencontainers.image.source = \"url\"
FROM gcr.io/distroless/static-debian12
COPY app /app
```

## Fix
Add the label to the final stage:
`LABEL org.opencontainers.image.source=https://github.com/example/app`.

## References
- hadolint rule DL3049 (https://github.com/hadolint/hadolint/wiki/DL3049)
- OCI image annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let schema = &context.options.label_schema;
    if schema.is_empty() {
        return;
    }
    let Some((last, labels)) = shipped_labels(context) else { return };
    let Some(from) = context.dockerfile.instructions.get(last.from) else { return };
    for (label, _) in schema {
        if !labels.iter().any(|pair| pair.key == *label) {
            sink.report(
                from.keyword_range,
                format!("the image has no `{label}` label, which the label schema requires"),
            );
        }
    }
}
