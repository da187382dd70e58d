//! MaintainerDeprecated: the MAINTAINER instruction.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "MaintainerDeprecated",
    name: "maintainer-instruction",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every MAINTAINER instruction.

## Why it matters
MAINTAINER has been deprecated for years. It sets a field of the image configuration that tools
no longer read; the author of an image is recorded with a label, which every registry and
scanner understands. BuildKit reports the same check as a warning (hadolint's DL4000).

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Fix
Use the OCI label instead: `LABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"`.
The quick fix makes this replacement; it is marked unsafe because the image's `Author` field is
no longer set.

## References
- BuildKit build checks: MaintainerDeprecated (https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
- OCI image annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Maintainer(name) = &instruction.kind else { continue };
        let diagnostic =
            sink.report(instruction.keyword_range, "MAINTAINER is deprecated: record the author with a label");
        if let Some(name) = name
            && !instruction.range.is_empty()
        {
            let value = name.text.replace('\\', "\\\\").replace('"', "\\\"");
            diagnostic.with_fix(
                "Replace with LABEL org.opencontainers.image.authors",
                instruction.keyword_range.cover(name.range),
                format!("LABEL org.opencontainers.image.authors=\"{value}\""),
                false,
            );
        }
    }
}
