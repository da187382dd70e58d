//! GO404: `GOARM` taken from `TARGETVARIANT` without dropping the `v`, or left out of a cross build
//! that targets 32-bit ARM.

use std::collections::BTreeSet;

use super::go4xx_support::{
    Origin, VarSource, declared_in_stage, insert_args, is_plain_reference, mentions, milder, runs_on_build_platform,
    uses_xx, var_source,
};
use crate::build::EnvValue;
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, Scope, TextEdit, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO404",
    name: "goarm-from-targetvariant",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Checks how `GOARM`, the ARM version a 32-bit ARM build targets, follows the target platform:

- `GOARM=${TARGETVARIANT}` (in ENV, ARG, or on the command line) passes BuildKit's `v7`, which the go
  command rejects. A RUN that repairs the value before its `go` command (velero does
  `export GOARM=$(echo \"$GOARM\" | cut -c2-)`) is recognised and not reported.
- `GOARCH=$TARGETARCH` without any `GOARM`, on a builder that runs on the build machine
  (`--platform=$BUILDPLATFORM`), in a Dockerfile that says it targets ARMv6 or ARMv5 (`linux/arm/v6`
  appears in it). This is reported one level below the rule's severity, since it only matters for
  those platforms.

## Why it matters
For `linux/arm/v7` BuildKit sets `TARGETVARIANT=v7`, and every `go` command then stops with

```text
go: invalid GOARM: must be 5, 6, 7
```

(Go 1.22 and later word it `invalid GOARM: must start with 5, 6, or 7`). Without `GOARM`, a Go
toolchain that was not built on ARM, such as the golang image running on an amd64 build machine,
compiles for ARMv7. The `linux/arm/v6` image then holds a program that dies on ARMv6 boards
(Raspberry Pi Zero and 1) with `Illegal instruction`. A builder that runs on the target platform
(no `--platform=$BUILDPLATFORM`) uses the image's own default and is not reported; neither are
builds through tonistiigi/xx, which set `GOARM` themselves.

## Example
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETOS TARGETARCH TARGETVARIANT
ENV GOARM=${TARGETVARIANT}
WORKDIR /src
COPY . .
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```

## Fix
Drop the `v`: `GOARM=${TARGETVARIANT#v}` (empty for platforms without a variant, which keeps Go's
default). The quick fix rewrites the reference; it is safe in a RUN and unsafe in ENV or ARG, whose
`${VAR#prefix}` expansion needs a recent Dockerfile frontend. For a cross build without `GOARM`, the
(unsafe) fix adds `GOARM=${TARGETVARIANT#v}` next to `GOARCH` and declares `ARG TARGETVARIANT`.

## References
- `go help environment` (`GOARM`)
- docker-library/golang#494 (the armv7 images write `GOARM=7` into go.env)
- Docker documentation, build variables (`TARGETVARIANT`): https://docs.docker.com/build/building/variables/
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let dockerfile = context.dockerfile;
    let build = context.build();
    let scope = context.scope();
    let targets_old_arm = targets_armv6_or_older(context.text);
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install) {
            continue;
        }
        match var_source(context, scope, run, "GOARM") {
            Some(source) if is_plain_reference(&source.text, "TARGETVARIANT") => {
                // An undeclared TARGETVARIANT is empty, which GO401 reports.
                if !declared_in_stage(scope, source.range.start, "TARGETVARIANT")
                    || !reported.insert((source.range.start, source.range.end))
                {
                    continue;
                }
                let diagnostic = sink.report(
                    source.range,
                    "`GOARM` gets `TARGETVARIANT` as is (`v7`), which the go command rejects for ARM builds: \
                     `go: invalid GOARM: must be 5, 6, 7`; use `${TARGETVARIANT#v}`",
                );
                if source.exact {
                    let replacement = source.text.replacen("${TARGETVARIANT}", "$TARGETVARIANT", 1).replacen(
                        "$TARGETVARIANT",
                        "${TARGETVARIANT#v}",
                        1,
                    );
                    let safe = source.origin != Origin::Declaration;
                    diagnostic.with_fix("Drop the `v`: `${TARGETVARIANT#v}`", source.range, replacement, safe);
                }
            }
            Some(_) => {}
            None => {
                if !targets_old_arm
                    || *run.env("GOARM") != EnvValue::Unset
                    || !runs_on_build_platform(dockerfile, build, stage.index)
                    || uses_xx(context, build, stage.index, run.instruction)
                {
                    continue;
                }
                let Some(arch) = var_source(context, scope, run, "GOARCH") else { continue };
                if !["TARGETARCH", "TARGETPLATFORM"].iter().any(|name| mentions(&arch.text, name))
                    || !reported.insert((arch.range.start, arch.range.end))
                {
                    continue;
                }
                let diagnostic = sink.report(
                    arch.range,
                    "GOARCH follows the target platform but GOARM does not: cross-compiled for `linux/arm/v6` (or \
                     v5) the program is built for ARMv7 and dies with `Illegal instruction`; set \
                     `GOARM=${TARGETVARIANT#v}`",
                );
                diagnostic.severity = milder(diagnostic.severity);
                if let Some(edits) = add_goarm(context, scope, &arch) {
                    diagnostic.fixes.push(Fix {
                        title: "Set `GOARM=${TARGETVARIANT#v}` next to GOARCH".to_string(),
                        edits,
                        safe: false,
                    });
                }
            }
        }
    }
}

/// The edits that add `GOARM=${TARGETVARIANT#v}` after the GOARCH assignment, declaring
/// `TARGETVARIANT` when the stage does not; `None` where no such edit is simple (a legacy
/// `ENV GOARCH $TARGETARCH`, a value whose exact place is not known).
fn add_goarm(context: &Context<'_>, scope: &Scope, arch: &VarSource) -> Option<Vec<TextEdit>> {
    if !arch.exact || arch.range.is_empty() {
        return None;
    }
    if arch.origin == Origin::Declaration {
        let legacy = context.dockerfile.instructions.iter().any(|instruction| match &instruction.kind {
            InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => {
                pairs.iter().any(|p| p.value_range == Some(arch.range) && p.legacy)
            }
            _ => false,
        });
        if legacy {
            return None;
        }
    }
    let mut edits =
        vec![TextEdit { range: TextRange::empty(arch.range.end), new_text: " GOARM=${TARGETVARIANT#v}".to_string() }];
    if !declared_in_stage(scope, arch.range.start, "TARGETVARIANT") {
        let stage = scope.stage_at(arch.range.start)?;
        edits.push(insert_args(context.dockerfile, stage, &["TARGETVARIANT"])?);
    }
    Some(edits)
}

/// The Dockerfile names a 32-bit ARM platform older than ARMv7 (in a comment, a `--platform`, a
/// stage name …), the only targets for which Go's cross-compiling default of ARMv7 is wrong.
fn targets_armv6_or_older(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["arm/v6", "arm/v5", "arm32v6", "arm32v5", "armel"].iter().any(|needle| lower.contains(needle))
}
