//! DuplicateStageName: two stages with the same name.

use std::collections::HashMap;

use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DuplicateStageName",
    name: "duplicate-stage-name",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a stage whose `AS` name was already given to an earlier stage. Names are compared
without regard to case, as BuildKit resolves them.

## Why it matters
`COPY --from=name`, `RUN --mount=from=name`, `FROM name` and `--target name` can only mean one
stage. When two stages share a name, which one a reference reaches depends on where the reference
is and on the frontend version, and the other stage is silently unreachable. BuildKit reports the
check as a warning (hadolint's DL3024).

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/api ./cmd/api

FROM golang:1.23 AS build
RUN go build -o /out/worker ./cmd/worker
```

## Fix
Give each stage its own name (`build-api`, `build-worker`) and update the references. There is no
quick fix: only you know which references mean which stage.

## References
- BuildKit build checks: DuplicateStageName (https://docs.docker.com/reference/build-checks/duplicate-stage-name/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    // The first stage of each name (lower case), as BuildKit compares them.
    let mut first: HashMap<String, usize> = HashMap::new();
    for stage in &context.dockerfile.stages {
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else { continue };
        match first.get(&name.to_lowercase()) {
            Some(earlier) => {
                sink.report(
                    range,
                    format!("stage name `{name}` is already used by stage {earlier}: stage names must be unique"),
                );
            }
            None => {
                first.insert(name.to_lowercase(), stage.index);
            }
        }
    }
}
