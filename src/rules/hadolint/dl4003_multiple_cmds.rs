//! DL4003: more than one CMD in a stage.

use super::support::{line_number, repeated_in_stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::Keyword;

pub(super) static RULE: Rule = Rule {
    code: "DL4003",
    name: "repeated-cmd",
    default_severity: Severity::Warning,
    // BuildKit's MultipleInstructionsDisallowed reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a CMD that follows another CMD in the same stage. The finding is on the later
instruction, where hadolint puts it, so existing `# hadolint ignore=DL4003` comments keep working.

## Why it matters
Only the last CMD of a stage takes effect; the earlier ones are dead text that suggests the
container starts a different way than it does.

This is hadolint's DL4003, **off by default** in gantry because BuildKit's
MultipleInstructionsDisallowed reports the same problem.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
CMD [\"/app\", \"serve\"]
CMD [\"/app\", \"migrate\"]
```

## Fix
Keep one CMD. To run several programs, start them from one entry point or use separate images.

## References
- hadolint rule DL4003 (https://github.com/hadolint/hadolint/wiki/DL4003)
- BuildKit build checks: MultipleInstructionsDisallowed (https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for (earlier, later) in repeated_in_stage(context.dockerfile, Keyword::Cmd) {
        let line = line_number(context.text, earlier.range.start);
        sink.report(
            later.keyword_range,
            format!("this CMD replaces the one on line {line}: only the last CMD applies"),
        );
    }
}
