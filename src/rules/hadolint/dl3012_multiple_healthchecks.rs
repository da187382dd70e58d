//! DL3012: more than one HEALTHCHECK in a stage.

use super::support::{line_number, repeated_in_stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::Keyword;

pub(super) static RULE: Rule = Rule {
    code: "DL3012",
    name: "repeated-healthcheck",
    default_severity: Severity::Warning,
    // BuildKit's MultipleInstructionsDisallowed reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a HEALTHCHECK (including `HEALTHCHECK NONE`) that follows another one in the same stage.
The finding is on the later instruction, where hadolint puts it, so existing
`# hadolint ignore=DL3012` comments keep working.

## Why it matters
An image has one health check: each HEALTHCHECK replaces the previous one, so all but the last
are dead text that misleads the reader about how the container is probed.

This is hadolint's DL3012, **off by default** in gantry because BuildKit's
MultipleInstructionsDisallowed reports the same problem. gantry rates it a warning, not
hadolint's error: the build succeeds and the last HEALTHCHECK applies.

## Example
```dockerfile
FROM alpine:3.20
HEALTHCHECK CMD wget -qO- http://localhost:8080/healthz || exit 1
HEALTHCHECK CMD wget -qO- http://localhost:8080/ready || exit 1
```

## Fix
Keep the one health check you mean and delete the others.

## References
- hadolint rule DL3012 (https://github.com/hadolint/hadolint/wiki/DL3012)
- BuildKit build checks: MultipleInstructionsDisallowed (https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let text = context.text;
    for (earlier, later) in repeated_in_stage(context.dockerfile, Keyword::Healthcheck) {
        let line = line_number(text, earlier.range.start);
        sink.report(
            later.keyword_range,
            format!("this HEALTHCHECK replaces the one on line {line}: a stage has only one health check"),
        );
    }
}
