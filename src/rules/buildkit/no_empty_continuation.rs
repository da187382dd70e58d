//! NoEmptyContinuation: a blank line inside an instruction continued with the escape character.

use super::support::whole_lines;
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::TextEdit;

pub(super) static RULE: Rule = Rule {
    code: "NoEmptyContinuation",
    name: "blank-line-in-continuation",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an instruction continued over several lines (each ending with `\\`) that has blank lines
among its continuation lines. The finding is placed on the first blank line; one finding per
instruction, as BuildKit reports it.

## Why it matters
BuildKit skips the blank line and keeps joining lines, so the instruction goes on past what looks
like its end. A line after the blank, which reads like a new instruction, is silently glued onto
the previous one: `RUN make \\` followed by a blank line and `RUN make install` runs
`make RUN make install`. BuildKit warns today and has announced that these lines will become an
error. Comment lines inside a continuation are allowed and not reported.

## Example
```dockerfile
RUN apk add --no-cache \\

    git
```

## Fix
Delete the blank lines (the quick fix does, and it is safe: the instruction BuildKit sees stays
the same), or end the instruction where it was meant to end by removing the trailing `\\`.

## References
- BuildKit build checks: NoEmptyContinuation (https://docs.docker.com/reference/build-checks/no-empty-continuation/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let Some(&first) = instruction.empty_continuation_lines.first() else { continue };
        let count = instruction.empty_continuation_lines.len();
        let keyword = instruction.keyword_text.to_uppercase();
        let message = if count == 1 {
            format!("blank line inside a continued {keyword}: BuildKit skips it and keeps joining lines")
        } else {
            format!("{count} blank lines inside a continued {keyword}: BuildKit skips them and keeps joining lines")
        };
        let edits = instruction
            .empty_continuation_lines
            .iter()
            .map(|&line| TextEdit { range: whole_lines(context.text, line), new_text: String::new() })
            .collect();
        let diagnostic = sink.report(whole_lines(context.text, first), message);
        diagnostic.fixes.push(Fix { title: "Remove the blank continuation lines".to_string(), edits, safe: true });
    }
}
