//! DL4000: the deprecated MAINTAINER instruction, under hadolint's code.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL4000",
    name: "maintainer-instruction-hadolint",
    default_severity: Severity::Warning,
    // BuildKit's MaintainerDeprecated reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every MAINTAINER instruction.

## Why it matters
MAINTAINER is deprecated: it fills an image field that tools no longer read. The author belongs
in a label.

This is hadolint's DL4000, **off by default** in gantry because BuildKit's MaintainerDeprecated
reports the same instruction; enable DL4000 (and ignore MaintainerDeprecated) to keep hadolint's
code. gantry rates it a warning, not hadolint's error: the build is unaffected.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Fix
Write a label instead. The quick fix replaces the instruction with
`LABEL maintainer=\"Jane Doe <jane@example.com>\"`, the key Docker's documentation suggests. It
is marked safe: the information is kept where tools look for it, and only the deprecated
`Author` field, which nothing reads, is no longer set. `org.opencontainers.image.authors` is the
OCI key for the same information, if your tooling prefers it.

## References
- hadolint rule DL4000 (https://github.com/hadolint/hadolint/wiki/DL4000)
- BuildKit build checks: MaintainerDeprecated (https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Maintainer(name) = &instruction.kind else { continue };
        let diagnostic = sink.report(instruction.keyword_range, "MAINTAINER is deprecated: use a `maintainer` label");
        let Some(name) = name else { continue };
        let value = name.value.replace('\\', "\\\\").replace('"', "\\\"").replace('$', "\\$");
        let label = if instruction.keyword_text == instruction.keyword_text.to_lowercase() { "label" } else { "LABEL" };
        diagnostic.with_fix(
            "Replace with LABEL maintainer",
            instruction.keyword_range.cover(name.range),
            format!("{label} maintainer=\"{value}\""),
            true,
        );
    }
}
