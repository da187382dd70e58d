//! DL3029: FROM with a `--platform` other than the build platform.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL3029",
    name: "from-platform-flag",
    default_severity: Severity::Warning,
    // BuildKit's FromPlatformFlagConstDisallowed covers the harmful case; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `FROM --platform=…` unless the value is `$BUILDPLATFORM` (the usual cross-compilation
builder) or `$TARGETPLATFORM` (redundant, which is hadolint's DL3065, not this rule).

## Why it matters
A fixed platform (`--platform=linux/amd64`) makes a multi-platform build produce an amd64 image
under an arm64 tag, or run an emulated builder. For Go, the right pattern is a builder on
`$BUILDPLATFORM` that cross-compiles with `GOOS`/`GOARCH` from `TARGETOS`/`TARGETARCH`.

This is hadolint's DL3029, **off by default** in gantry: BuildKit's
FromPlatformFlagConstDisallowed reports the harmful case (a constant platform) and skips stages
whose name says they are platform-specific. DL3029 is stricter: it also reports
`--platform=$SOME_ARG`. Enable it to keep hadolint's behaviour.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.23 AS build
```

## Fix
Build on `$BUILDPLATFORM` and cross-compile:
`FROM --platform=$BUILDPLATFORM golang:1.23 AS build` with
`RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build …` (declare `ARG TARGETOS TARGETARCH`).

## References
- hadolint rule DL3029 (https://github.com/hadolint/hadolint/wiki/DL3029)
- BuildKit build checks: FromPlatformFlagConstDisallowed (https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/)
";

/// Values that name the platform BuildKit would use anyway, or the build machine's.
const EXEMPT: &[&str] = &["$BUILDPLATFORM", "${BUILDPLATFORM}", "$TARGETPLATFORM", "${TARGETPLATFORM}"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        if !matches!(instruction.kind, InstructionKind::From(_)) {
            continue;
        }
        let Some(platform) = instruction.flag("platform") else { continue };
        let value = platform.value.as_deref().unwrap_or_default();
        if !EXEMPT.contains(&value.trim()) {
            sink.report(
                platform.range,
                format!("`--platform={value}` fixes the platform of this stage: build on `$BUILDPLATFORM` instead"),
            );
        }
    }
}
