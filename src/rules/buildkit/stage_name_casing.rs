//! StageNameCasing: a stage name with upper-case letters.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "StageNameCasing",
    name: "stage-name-not-lowercase",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a build stage whose `AS` name contains upper-case letters.

## Why it matters
BuildKit compares stage names without regard to case, so `AS Builder` and `--from=builder` refer
to the same stage. A name written in mixed case suggests a distinction that does not exist and
invites two spellings of one name across a file. BuildKit reports the same check as a warning.

## Example
```dockerfile
FROM golang:1.23 AS Builder
```

## Fix
Write the name in lower case: `FROM golang:1.23 AS builder`. The quick fix does this; references
keep working because BuildKit ignores case when resolving them.

## References
- BuildKit build checks: StageNameCasing (https://docs.docker.com/reference/build-checks/stage-name-casing/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let Some(alias) = &from.alias else { continue };
        let lower = alias.text.to_lowercase();
        if alias.text != lower {
            sink.report(alias.range, format!("stage name `{}` should be lowercase", alias.text)).with_fix(
                format!("Rename the stage to `{lower}`"),
                alias.range,
                lower,
                true,
            );
        }
    }
}
