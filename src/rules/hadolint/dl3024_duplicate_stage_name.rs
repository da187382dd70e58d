//! DL3024: two stages with the same name.

use super::support::line_number;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3024",
    name: "duplicate-stage-name",
    default_severity: Severity::Error,
    // BuildKit's DuplicateStageName reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a stage whose `AS` name was already given to an earlier stage. Names are compared
without case, as BuildKit does (hadolint compares them with case, so it misses `AS build` after
`AS Build`).

## Why it matters
`COPY --from=name` and `FROM name` can refer to only one of the two stages, so one of them is
either unused or not the stage the author thinks it is.

This is hadolint's DL3024, **off by default** in gantry because BuildKit's DuplicateStageName
reports the same problem.

## Example
```dockerfile
FROM golang:1.23 AS build
FROM node:22 AS build
```

## Fix
Give each stage its own name.

## References
- hadolint rule DL3024 (https://github.com/hadolint/hadolint/wiki/DL3024)
- BuildKit build checks: DuplicateStageName (https://docs.docker.com/reference/build-checks/duplicate-stage-name/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let stages = &context.dockerfile.stages;
    for (index, stage) in stages.iter().enumerate() {
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else { continue };
        let first = stages[..index].iter().find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)));
        if let Some(first) = first {
            let line = line_number(context.text, first.range.start);
            sink.report(range, format!("stage name `{name}` is already used by the stage on line {line}"));
        }
    }
}
