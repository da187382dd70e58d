//! GO402: a literal `GOARCH` on a builder that cross-compiles, or a default on a platform ARG.

use std::collections::BTreeSet;

use super::go4xx_support::{Origin, declared_in_stage, insert_args, is_go_stage, runs_on_build_platform, var_source};
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextEdit, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO402",
    name: "hard-coded-target-platform",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports two ways a Go build ignores the platform it is built for:

- a literal `GOARCH=amd64` (or any other architecture) for `go build`/`go install` in a builder that
  runs on the build machine (`FROM --platform=$BUILDPLATFORM`, directly or through the stage it is
  built on), which is how a Dockerfile says it cross-compiles for the target platform;
- `ARG TARGETARCH=amd64` (or `TARGETOS`, `TARGETPLATFORM`, `TARGETVARIANT` with a default) in a Go
  stage: a default given in the stage replaces the value BuildKit passes for the target.

## Why it matters
`docker buildx build --platform linux/arm64` then produces an image whose program is built for
another architecture. The build succeeds; the container fails at start with

```text
exec /app: exec format error
```

With cgo on an arm64 build machine, a hard-coded `GOARCH=amd64` fails earlier with
`gcc: error: unrecognized command-line option '-m64'`.

A literal `GOARCH` in a stage that does not run on `$BUILDPLATFORM` is not reported: it may be
meant for a single-platform image. Neither is a builder that sets several different literal
architectures (a release matrix that builds every platform on purpose), nor a build with a literal
`GOOS` for another system (`GOOS=darwin`, an artifact exported rather than run), nor `GOOS=linux`,
which is what every Linux image needs anyway.

## Example
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
ARG TARGETARCH=amd64
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .
```

## Fix
Take the architecture from the platform ARG: `ARG TARGETOS TARGETARCH` in the stage and
`GOOS=$TARGETOS GOARCH=$TARGETARCH go build …`; declare platform ARGs without a default. The quick
fixes replace the literal with `$TARGETARCH` (declaring the ARG when needed) and remove the default;
both are unsafe because the program then changes for every platform but the build machine's.

## References
- Docker documentation, multi-platform builds (cross-compiling a Go program): https://docs.docker.com/build/building/multi-platform/
- Docker documentation, build variables (platform ARGs): https://docs.docker.com/build/building/variables/
- Turbootzz/Vaultwarden-API#47 (a default on `TARGETARCH`); hadolint/hadolint#1071
";

/// The platform ARGs whose stage default overrides the target platform.
const TARGET_ARGS: [&str; 4] = ["TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let dockerfile = context.dockerfile;
    let build = context.build();
    let scope = context.scope();
    for stage in build.stages.iter().filter(|s| is_go_stage(s)) {
        let Some(syntax_stage) = dockerfile.stages.get(stage.index) else { continue };
        for index in syntax_stage.instructions.clone().skip(1) {
            let InstructionKind::Arg(pairs) = &dockerfile.instructions[index].kind else { continue };
            for pair in pairs.iter().filter(|p| TARGET_ARGS.contains(&p.key.as_str())) {
                let Some(value) = pair.value.as_deref().filter(|v| !v.is_empty()) else { continue };
                let name = &pair.key;
                let diagnostic = sink.report(
                    pair.range,
                    format!(
                        "a default on `ARG {name}` replaces the value BuildKit passes for the target platform: \
                         this stage always sees `{value}`"
                    ),
                );
                diagnostic.with_fix(
                    format!("Remove the default of `{name}`"),
                    TextRange::new(pair.key_range.end, pair.range.end),
                    "",
                    false,
                );
            }
        }
    }
    // Literal architectures of the builds on builders that run on the build machine.
    let cross_builds: Vec<_> = build
        .go_runs()
        .filter(|(_, run)| matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install))
        .filter(|(stage, _)| runs_on_build_platform(dockerfile, build, stage.index))
        // A literal GOOS other than Linux builds for another system on purpose (a macOS or Windows
        // download, exported rather than run in the image).
        .filter(|(_, run)| run.env("GOOS").known().is_none_or(|os| os.trim().is_empty() || os.trim() == "linux"))
        .filter_map(|(_, run)| {
            let value = run.env("GOARCH").known()?.trim().to_string();
            let source = var_source(context, scope, run, "GOARCH")?;
            (!value.is_empty()).then_some((value, source))
        })
        .collect();
    let architectures: BTreeSet<&str> = cross_builds.iter().map(|(value, _)| value.as_str()).collect();
    if architectures.len() != 1 {
        return;
    }
    let mut reported: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (value, source) in &cross_builds {
        if !reported.insert((source.range.start, source.range.end)) {
            continue;
        }
        let diagnostic = sink.report(
            source.range,
            format!(
                "`GOARCH={value}` in a builder that runs on the build platform (`--platform=$BUILDPLATFORM`): \
                 images for every other platform get a program built for {value} and fail with `exec format error`"
            ),
        );
        if !source.exact {
            continue;
        }
        let mut edits = vec![TextEdit { range: source.range, new_text: "$TARGETARCH".to_string() }];
        if !declared_in_stage(scope, source.range.start, "TARGETARCH") {
            let declaring_stage = scope.stage_at(source.range.start);
            match declaring_stage.and_then(|stage| insert_args(dockerfile, stage, &["TARGETARCH"])) {
                Some(edit) => edits.push(edit),
                None => continue,
            }
        }
        // The ARG must come before an ENV that uses it; after the FROM it always does.
        let title = match source.origin {
            Origin::Declaration => "Set GOARCH from `$TARGETARCH` in the ENV",
            _ => "Use `GOARCH=$TARGETARCH`",
        };
        diagnostic.fixes.push(Fix { title: title.to_string(), edits, safe: false });
    }
}
