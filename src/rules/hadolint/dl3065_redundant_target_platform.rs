//! DL3065: `FROM --platform=$TARGETPLATFORM`; BuildKit's RedundantTargetPlatform under hadolint's code.

use crate::rules::{Context, Rule, Severity, Sink, find};

pub(super) static RULE: Rule = Rule {
    code: "DL3065",
    name: "redundant-target-platform-flag",
    default_severity: Severity::Warning,
    // BuildKit's RedundantTargetPlatform reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `FROM --platform=$TARGETPLATFORM`: a `--platform` value that uses only `TARGETPLATFORM`
and expands to exactly its value (`$TARGETPLATFORM`, `${TARGETPLATFORM}`, quoted, or with a
default). It is the same check as BuildKit's RedundantTargetPlatform (gantry runs that check and
reports its findings under this code, with its quick fix), so the two always agree.

This is hadolint's DL3065, **off by default** in gantry because RedundantTargetPlatform, on by
default, reports the same flags. A suppression naming either code silences both
(`# hadolint ignore=DL3065` keeps working). Enable DL3065 (and ignore RedundantTargetPlatform)
only to keep hadolint's code in your reports.

Compared with hadolint: hadolint recognises only the plain spellings `$TARGETPLATFORM` and
`${TARGETPLATFORM}`; gantry also reports `\"$TARGETPLATFORM\"` and
`${TARGETPLATFORM:-linux/amd64}`, which expand to the same value because BuildKit always sets
`TARGETPLATFORM`.

## Why it matters
A stage is built for the target platform unless told otherwise, so the flag changes nothing. It is
often a copy of the cross-compilation pattern where `$BUILDPLATFORM` was meant: a Go builder that
cross-compiles with `GOOS`/`GOARCH` should run natively on the build machine.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20 AS runtime
```

## Fix
Remove the flag: `FROM alpine:3.20 AS runtime` (the quick fix, safe). If the stage was meant to
run on the build machine, write `--platform=$BUILDPLATFORM` instead.

## References
- hadolint rule DL3065 (https://github.com/hadolint/hadolint/wiki/DL3065)
- BuildKit build checks: RedundantTargetPlatform (https://docs.docker.com/reference/build-checks/redundant-target-platform/)
";

/// The BuildKit check this rule reports under hadolint's code.
const SAME_CHECK: &str = "RedundantTargetPlatform";

fn check(context: &Context<'_>, sink: &mut Sink) {
    // Running BuildKit's own check keeps the two codes from drifting apart; the sink stamps DL3065.
    if let Some(rule) = find(SAME_CHECK) {
        (rule.check)(context, sink);
    }
}
