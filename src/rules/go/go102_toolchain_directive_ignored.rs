//! GO102: go.mod's `toolchain` line asks for a newer Go than the image, which does not switch
//! (`GOTOOLCHAIN=local`), or an image too old to read the line at all.

use crate::build::EnvValue;
use crate::images::{GoLineCheck, GoVersion, ToolchainSwitching, VersionPin, suggest_tag};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase, TextRange};
use crate::workspace::join;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO102",
    name: "toolchain-directive-ignored",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Compares go.mod's `toolchain` line (`toolchain go1.26.0`) with the Go in the `golang` builder image.
It reports an image whose go command will not honour the line: a newer toolchain is asked for, but
the image runs its own Go because the official images set `GOTOOLCHAIN=local`; or the image
predates Go 1.21 and does not know the directive.

## Why it matters
The `toolchain` line records the Go the developers build with (`go get` and `go mod tidy` write it).
Locally, with Go's default `GOTOOLCHAIN=auto`, the go command switches to that toolchain; in the
image it silently builds with the older bundled Go, so the container gets a different compiler
and standard library (and its security fixes) than the one tested. No error is printed, which is
why this is information rather than a warning.

Images before Go 1.21 cannot read the line and stop:

```text
go: errors parsing go.mod:
/src/go.mod:5: unknown directive: toolchain
```

Not reported: images whose go line check GO101 already fails, a Dockerfile that sets `GOTOOLCHAIN`
itself (`auto`, `go1.26.0`, `…+auto`: the go command then downloads the toolchain), Go 1.21 images
built before the official images pinned `GOTOOLCHAIN=local`, a floating tag of the same Go line
whose newest release gantry's tables may not know yet, a workspace (go.work's `toolchain` line
applies there), and stages that run no `go` command.

## Example
```dockerfile
# go.mod: go 1.25.0 / toolchain go1.26.0
FROM golang:1.25 AS build
```

## Fix
Build with the toolchain go.mod names: `FROM golang:1.26`. The quick fix rewrites the tag, keeping
the variant, to the exact release for an exact tag when that tag is still maintained and to the
release line otherwise; it is marked unsafe because it changes the compiler.
Alternatively drop the `toolchain` line, or set `ENV GOTOOLCHAIN=auto` (the build then downloads
the toolchain).

## References
- Go toolchains, `toolchain` and `GOTOOLCHAIN`: https://go.dev/doc/toolchain
- The official golang image sets `GOTOOLCHAIN=local`: https://github.com/docker-library/golang/pull/472
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    if facts.context.work.is_some() {
        return;
    }
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    let Some(toolchain_line) = &go_mod.toolchain else { return };
    let go_line = go_mod.go.as_ref().and_then(|g| GoVersion::parse(&g.value));
    let go_mod_path = join(&module.dir, "go.mod").unwrap_or_else(|| "go.mod".to_string());
    // `toolchain default` and custom names (`go1.26.0-corp`) name no release to compare with.
    let wanted = GoVersion::parse(&toolchain_line.value);
    let build = context.build();
    for stage in &build.stages {
        let StageBase::Image(_) = stage.base else { continue };
        let Some(image) = &stage.golang else { continue };
        let runs_go = build.stages.iter().any(|s| !s.go_runs.is_empty() && build.is_based_on(s.index, stage.index));
        let switches = build.go_runs().filter(|(s, _)| build.is_based_on(s.index, stage.index)).any(|(_, run)| {
            *run.env("GOTOOLCHAIN") != EnvValue::Unset && run.env("GOTOOLCHAIN").known() != Some("local")
        });
        if !runs_go || switches {
            continue;
        }
        let Some(have) = image.go_version else { continue };
        // GO101 reports an image that fails on the go line already.
        let go_line_fails = go_line
            .and_then(|line| image.check_go_line(line))
            .is_some_and(|check| matches!(check, GoLineCheck::Refused | GoLineCheck::Unparsable));
        if go_line_fails {
            continue;
        }
        let InstructionKind::From(from) = &context.dockerfile.instructions[stage.from].kind else { continue };
        let Some(reference) = &from.image else { continue };
        let range = match reference.tag_range {
            Some(tag) if context.text.get(tag.as_range()).is_some_and(|t| t.starts_with(':')) => {
                TextRange::new(tag.start + 1, tag.end)
            }
            Some(tag) => tag,
            None => reference.range,
        };
        let toolchain = &toolchain_line.value;
        match image.toolchain {
            Some(ToolchainSwitching::Unsupported) => {
                sink.report(
                    range,
                    format!(
                        "Go {have} does not know go.mod's `toolchain` directive (Go 1.21 added it): the build fails \
                         with `go: errors parsing go.mod: … unknown directive: toolchain`"
                    ),
                )
                .with_related(
                    Some(go_mod_path.clone()),
                    toolchain_line.range,
                    format!("toolchain {toolchain}"),
                );
            }
            Some(ToolchainSwitching::Local) => {
                let Some(wanted) = wanted else { continue };
                if wanted <= have {
                    continue;
                }
                // A floating tag of the same line may already carry a release newer than the tables.
                if image.is_floating() && image.current && wanted.same_line(have) {
                    continue;
                }
                let diagnostic = sink.report(
                    range,
                    format!(
                        "go.mod asks for toolchain {toolchain}, but this image has Go {have} and `GOTOOLCHAIN=local`: \
                         the build ignores the toolchain line and uses Go {have}"
                    ),
                );
                diagnostic.with_related(
                    Some(go_mod_path.clone()),
                    toolchain_line.range,
                    format!("toolchain {toolchain}"),
                );
                let tag_is_literal = reference.tag.as_deref().is_some_and(|tag| !tag.contains('$'));
                let version = if image.pin == VersionPin::Exact { wanted } else { wanted.language() };
                if tag_is_literal && let Some(tag) = suggest_tag(version, image.variant) {
                    diagnostic.with_fix(format!("Use `golang:{tag}`"), range, tag, false);
                }
            }
            Some(ToolchainSwitching::Auto) | None => {}
        }
    }
}
