//! GO403: cgo on, GOARCH from the target platform, on a builder that runs on the build machine,
//! without a cross C compiler.

use std::collections::BTreeSet;

use super::go4xx_support::{
    VarSource, chain, chain_scripts, command_range, mentions, runs_on_build_platform, script_sets, unquoted, uses_xx,
    var_source,
};
use crate::build::{Build, EnvValue, GoRun};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO403",
    name: "cgo-cross-compile-without-cc",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go build` or `go install` with `CGO_ENABLED=1` and `GOARCH` taken from the target
platform (`GOARCH=$TARGETARCH`) in a builder that runs on the build machine
(`FROM --platform=$BUILDPLATFORM`), when nothing sets up a C compiler for the target: no `CC`
(nor `CC_FOR_…`), no tonistiigi/xx (`xx-go --wrap`, `xx-clang`) and no zig.

## Why it matters
With cgo, the go command compiles C code with `gcc`, the compiler for the build machine. Building
for another architecture hands it flags it does not know, and the build fails, for example

```text
gcc: error: unrecognized command-line option '-m64'
gcc: error: unrecognized command line option '-marm'
```

Cgo is off by default when cross-compiling, so the explicit `CGO_ENABLED=1` is what turns this on.
Builds for the build machine's own platform still work, which is why the failure often shows only
in CI's multi-platform job.

The rule stays silent when the builder has no C compiler at all (GO303's finding), when `CC` or
`CGO_ENABLED` come from a build argument, and when the architecture is not taken from the target
platform.

## Example
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY . .
RUN CGO_ENABLED=1 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```

## Fix
Install a cross toolchain and point cgo at it, most simply with tonistiigi/xx:
`COPY --from=tonistiigi/xx / /`, `RUN xx-apt-get install -y gcc libc6-dev` (or `xx-apk add gcc
musl-dev`), then build with `xx-go build` (or `xx-go --wrap` first) and check the result with
`xx-verify`. Or set `CC` to a cross compiler (`CC=aarch64-linux-gnu-gcc`, `CC=\"zig cc -target …\"`).
If the program does not need cgo, `CGO_ENABLED=0` avoids the problem; the quick fix does that and is
unsafe, since packages that need cgo then lose it.

## References
- golang/go#16801 (cross-compiling with cgo needs `CC` for the target)
- opencost/opencost#1075
- tonistiigi/xx: https://github.com/tonistiigi/xx
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let dockerfile = context.dockerfile;
    let build = context.build();
    let scope = context.scope();
    let mut reported: BTreeSet<usize> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install)
            || !runs_on_build_platform(dockerfile, build, stage.index)
        {
            continue;
        }
        let Some(cgo) = var_source(context, scope, run, "CGO_ENABLED") else { continue };
        if unquoted(&cgo.text) != "1" {
            continue;
        }
        let Some(arch) = var_source(context, scope, run, "GOARCH") else { continue };
        if !["TARGETARCH", "TARGETPLATFORM"].iter().any(|name| mentions(&arch.text, name)) {
            continue;
        }
        if has_cross_compiler(context, build, stage.index, run)
            || !has_c_compiler(context, build, stage.index, run)
            || !reported.insert(run.instruction)
        {
            continue;
        }
        let diagnostic = sink.report(
            command_range(context, run),
            "cgo is on and GOARCH comes from the target platform, but this builder runs on the build platform \
             with its own gcc: building for another architecture fails (`gcc: error: unrecognized command-line \
             option '-m64'`); set up a cross C compiler (tonistiigi/xx, `CC=`) or turn cgo off",
        );
        diagnostic.with_related(None, cgo.range, "cgo is turned on here");
        diagnostic.with_related(None, arch.range, "the architecture of the target platform");
        if cgo.exact && !cgo.range.is_empty() {
            let VarSource { range, text, .. } = &cgo;
            let replacement = text.replacen('1', "0", 1);
            diagnostic.with_fix("Turn cgo off (`CGO_ENABLED=0`)", *range, replacement, false);
        }
    }
}

/// Something provides a C compiler for the target: `CC`/`CC_FOR_…` set in the environment or the
/// script, tonistiigi/xx, or zig.
fn has_cross_compiler(context: &Context<'_>, build: &Build, stage: usize, run: &GoRun) -> bool {
    if *run.env("CC") != EnvValue::Unset || uses_xx(context, build, stage, run.instruction) {
        return true;
    }
    let declared = chain(build, stage).iter().any(|member| {
        context.dockerfile.stages.get(member.index).is_some_and(|s| {
            context.dockerfile.stage_instructions(s).iter().any(|instruction| match &instruction.kind {
                crate::syntax::InstructionKind::Env(pairs) | crate::syntax::InstructionKind::Arg(pairs) => {
                    pairs.iter().any(|p| p.key.starts_with("CC_FOR") || p.key == "CC")
                }
                _ => false,
            })
        })
    });
    declared
        || chain_scripts(context, build, stage, run.instruction).iter().any(|(_, script)| {
            script_sets(script, "CC")
                || script.commands.iter().any(|c| {
                    c.assignments.iter().any(|a| a.name.starts_with("CC_FOR"))
                        || c.program() == Some("zig")
                        || c.args.iter().any(|a| a.value.contains("CC=") || a.value.contains("zig"))
                })
        })
}

/// The builder can compile C for the build machine: a Debian golang image, or a compiler installed
/// by a RUN of the chain. Without one, GO303 reports the missing compiler instead.
fn has_c_compiler(context: &Context<'_>, build: &Build, stage: usize, run: &GoRun) -> bool {
    let image = build.stages.get(stage).and_then(|s| s.golang.as_ref());
    if image.and_then(|i| i.has_c_compiler) == Some(true) {
        return true;
    }
    chain_scripts(context, build, stage, run.instruction).iter().any(|(_, script)| {
        script.commands.iter().filter(|c| matches!(c.program(), Some("apk" | "apt-get" | "apt"))).any(|c| {
            c.arg_values().any(|a| {
                matches!(a, "gcc" | "clang" | "build-base" | "build-essential" | "alpine-sdk")
                    || a.starts_with("gcc-")
                    || a.starts_with("clang-")
            })
        })
    })
}
