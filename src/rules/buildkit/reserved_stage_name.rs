//! ReservedStageName: a stage named `scratch` or `context`.

use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "ReservedStageName",
    name: "reserved-stage-name",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a stage named `scratch` or `context`, in any case.

## Why it matters
Both names already mean something to BuildKit: `scratch` is the empty base image and `context`
is the build context of `COPY --from=context` and named contexts. A stage with one of these names
makes `FROM scratch` or `--from=context` ambiguous, and readers cannot tell which is meant.
BuildKit reports the check as a warning.

## Example
```dockerfile
FROM alpine:3.20 AS scratch
RUN mkdir /out
```

## Fix
Rename the stage (`workspace`, `base`) and update its references. There is no quick fix, because
references to the name cannot be told apart from the reserved meaning.

## References
- BuildKit build checks: ReservedStageName (https://docs.docker.com/reference/build-checks/reserved-stage-name/)
";

const RESERVED: [&str; 2] = ["scratch", "context"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for stage in &context.dockerfile.stages {
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else { continue };
        if let Some(reserved) = RESERVED.iter().find(|r| r.eq_ignore_ascii_case(name)) {
            sink.report(range, format!("`{reserved}` is reserved by BuildKit and should not name a stage"));
        }
    }
}
