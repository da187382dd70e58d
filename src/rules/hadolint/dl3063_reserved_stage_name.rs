//! DL3063: a stage named with a reserved word; BuildKit's ReservedStageName under hadolint's code.

use crate::rules::{Context, Rule, Severity, Sink, find};

pub(super) static RULE: Rule = Rule {
    code: "DL3063",
    name: "reserved-word-stage-name",
    default_severity: Severity::Warning,
    // BuildKit's ReservedStageName reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a stage named `scratch` or `context`, in any case. It is the same check as BuildKit's
ReservedStageName (gantry runs that check and reports its findings under this code), so the two
always agree.

This is hadolint's DL3063, **off by default** in gantry because ReservedStageName, on by default,
reports the same stages. A suppression naming either code silences both
(`# hadolint ignore=DL3063` keeps working). Enable DL3063 (and ignore ReservedStageName) only to
keep hadolint's code in your reports.

Compared with hadolint: hadolint compares the name with case, so it misses `AS Scratch`, which
BuildKit, and so gantry, reports.

## Why it matters
Both names already mean something to BuildKit: `scratch` is the empty base image and `context` is
the build context (`COPY --from=context`, named contexts). A stage with one of these names makes
`FROM scratch` or `--from=context` ambiguous for readers and tools.

## Example
```dockerfile
FROM golang:1.23 AS context
RUN go build -o /out/app ./cmd/app
```

## Fix
Rename the stage (`build`, `base`) and update `FROM` and `--from` references to it.

## References
- hadolint rule DL3063 (https://github.com/hadolint/hadolint/wiki/DL3063)
- BuildKit build checks: ReservedStageName (https://docs.docker.com/reference/build-checks/reserved-stage-name/)
";

/// The BuildKit check this rule reports under hadolint's code.
const SAME_CHECK: &str = "ReservedStageName";

fn check(context: &Context<'_>, sink: &mut Sink) {
    // Running BuildKit's own check keeps the two codes from drifting apart; the sink stamps DL3063.
    if let Some(rule) = find(SAME_CHECK) {
        (rule.check)(context, sink);
    }
}
