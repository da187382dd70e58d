//! GO405: `GOAMD64` set above `v1`, so the program needs a newer x86-64 CPU than Go's default.

use std::collections::BTreeSet;

use super::go4xx_support::{chain, unquoted, var_source};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO405",
    name: "goamd64-above-v1",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `GOAMD64=v2`, `v3` or `v4` (in ENV, ARG or on the command line) for `go build` and
`go install`, unless the target is known not to be amd64 (a literal `GOARCH=arm64`) or the stage is
explicitly built for such a CPU level (`FROM --platform=linux/amd64/v3`).

## Why it matters
`GOAMD64` sets the oldest x86-64 micro-architecture level the program runs on; Go's default is `v1`,
which every x86-64 CPU supports. A `v3` program uses AVX2 and friends, and on older or low-power
CPUs (Atom/Celeron/Pentium Silver such as the N5105, many virtual machines with a reduced CPU
model) it stops at start with

```text
This program can only be run on AMD64 processors with v3 microarchitecture support.
```

An image is usually pulled by hosts nobody checked, so the speed-up (a few percent for most
programs) rarely pays for the hosts it excludes. The rule is informational: the setting is right
for images that only ever run on known, recent hardware.

## Example
```dockerfile
FROM golang:1.23 AS build
ENV GOAMD64=v3
WORKDIR /src
COPY . .
RUN go build -o /out/app .
```

## Fix
Remove the setting for general-purpose images, or publish it as a separate platform variant
(`linux/amd64/v3`) next to a `v1` image. There is no quick fix: whether the hosts qualify is a
decision only the project can make.

## References
- Go 1.18 release notes (`GOAMD64`): https://go.dev/doc/go1.18#amd64
- Go wiki, minimum requirements: https://go.dev/wiki/MinimumRequirements#amd64
- Dreamacro/clash#2039; siderolabs/talos#8505
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let dockerfile = context.dockerfile;
    let build = context.build();
    let scope = context.scope();
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install) {
            continue;
        }
        let Some(level) = run.env("GOAMD64").known().map(|v| v.trim().to_ascii_lowercase()) else { continue };
        if !matches!(level.as_str(), "v2" | "v3" | "v4") {
            continue;
        }
        if run.env("GOARCH").known().is_some_and(|arch| !arch.trim().is_empty() && arch.trim() != "amd64") {
            continue;
        }
        let pinned_level = chain(build, stage.index).iter().any(|member| {
            dockerfile.instructions.get(member.from).and_then(|from| from.flag("platform")).is_some_and(|flag| {
                flag.value.as_deref().is_some_and(|platform| platform.to_ascii_lowercase().contains("amd64/v"))
            })
        });
        if pinned_level {
            continue;
        }
        let Some(source) = var_source(context, scope, run, "GOAMD64") else { continue };
        if !reported.insert((source.range.start, source.range.end)) {
            continue;
        }
        let shown = unquoted(&source.text);
        let shown = if shown.is_empty() { level.as_str() } else { shown };
        sink.report(
            source.range,
            format!(
                "`GOAMD64={shown}` makes the program require an x86-64-{level} CPU; on older hosts it stops with \
                 `This program can only be run on AMD64 processors with {level} microarchitecture support.`"
            ),
        );
    }
}
