//! DL4004: more than one ENTRYPOINT in a stage.

use super::support::{line_number, repeated_in_stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::Keyword;

pub(super) static RULE: Rule = Rule {
    code: "DL4004",
    name: "repeated-entrypoint",
    default_severity: Severity::Warning,
    // BuildKit's MultipleInstructionsDisallowed reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an ENTRYPOINT that follows another ENTRYPOINT in the same stage. The finding is on the
later instruction, where hadolint puts it, so existing `# hadolint ignore=DL4004` comments keep
working.

## Why it matters
Only the last ENTRYPOINT of a stage takes effect (and it also resets any CMD inherited from the
base image). The earlier ones are dead text that misleads the reader.

This is hadolint's DL4004, **off by default** in gantry because BuildKit's
MultipleInstructionsDisallowed reports the same problem. gantry rates it a warning, not
hadolint's error: the build succeeds and the last ENTRYPOINT applies.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
ENTRYPOINT [\"/app\"]
ENTRYPOINT [\"/app\", \"serve\"]
```

## Fix
Keep one ENTRYPOINT.

## References
- hadolint rule DL4004 (https://github.com/hadolint/hadolint/wiki/DL4004)
- BuildKit build checks: MultipleInstructionsDisallowed (https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for (earlier, later) in repeated_in_stage(context.dockerfile, Keyword::Entrypoint) {
        let line = line_number(context.text, earlier.range.start);
        sink.report(
            later.keyword_range,
            format!("this ENTRYPOINT replaces the one on line {line}: only the last ENTRYPOINT applies"),
        );
    }
}
