//! MultipleInstructionsDisallowed: more than one CMD, ENTRYPOINT or HEALTHCHECK in a stage.

use super::support::whole_lines;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Keyword, LineIndex};

pub(super) static RULE: Rule = Rule {
    code: "MultipleInstructionsDisallowed",
    name: "overridden-cmd-entrypoint-healthcheck",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every CMD, ENTRYPOINT or HEALTHCHECK that a later instruction of the same kind in the same
stage replaces. The finding is on the earlier, ineffective instruction, as in BuildKit. The `CMD`
inside `HEALTHCHECK CMD …` is part of the health check and does not count as a CMD.

## Why it matters
An image has one command, one entrypoint and one health check: only the last of each in a stage
takes effect, so the earlier ones are dead code that readers may believe in. BuildKit reports the
check as a warning (hadolint's DL4003, DL4004 and DL3012).

## Example
```dockerfile
FROM alpine
CMD [\"echo\", \"Hello, Norway!\"]
CMD [\"echo\", \"Hello, Sweden!\"]
```

## Fix
Keep one instruction of each kind per stage. The quick fix deletes the ineffective instruction; it
is marked unsafe because it may be the one you meant to keep.

## References
- BuildKit build checks: MultipleInstructionsDisallowed (https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let lines = LineIndex::new(context.text);
    let line = |offset| lines.line_col(context.text, offset).line + 1;
    for stage in &dockerfile.stages {
        let instructions = dockerfile.stage_instructions(stage);
        for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            let found: Vec<_> = instructions.iter().filter(|i| i.is(keyword)).collect();
            let Some((last, earlier)) = found.split_last() else { continue };
            for instruction in earlier {
                let name = keyword.as_str();
                let removed = whole_lines(context.text, instruction.range);
                // Comment lines between its continuation lines are the user's notes, not the
                // instruction: they stay.
                let kept: String = context
                    .text
                    .get(removed.as_range())
                    .unwrap_or("")
                    .split_inclusive('\n')
                    .filter(|line| line.trim_start().starts_with('#'))
                    .collect();
                sink.report(
                    instruction.keyword_range,
                    format!("this {name} has no effect: the {name} on line {} replaces it", line(last.range.start)),
                )
                .with_fix(format!("Remove the ineffective {name}"), removed, kept, false);
            }
        }
    }
}
