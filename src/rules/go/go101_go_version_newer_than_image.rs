//! GO101: the `golang` image is older than the Go that go.mod's `go` line requires.

use crate::build::EnvValue;
use crate::images::{GoLineCheck, GoVersion, suggest_tag};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO101",
    name: "go-version-newer-than-image",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Compares the Go version in the `golang` builder image with the `go` line of the module's go.mod and
reports a builder that is too old to build the module.

## Why it matters
Since Go 1.21 the `go` line is a minimum: a go command older than it refuses the module. The
official images set `GOTOOLCHAIN=local`, so the go command does not fetch a newer toolchain and the
build stops at the first `go` command with

```text
go: go.mod requires go >= 1.23 (running go 1.21.13; GOTOOLCHAIN=local)
```

Before Go 1.21 a three-part `go` line (`go 1.22.1`) is not even understood
(`go.mod:3: invalid go version '1.22.1': must match format 1.23`). Both are certain failures, so this
is an error. An older Go with a two-part line only fails when the code uses newer features, so that
case is not reported. A Dockerfile that sets `GOTOOLCHAIN` to anything but `local` lets the go command
switch toolchains, which GO102 looks at instead.

## Example
```dockerfile
# go.mod says: go 1.23
FROM golang:1.21-alpine AS build
```

## Fix
Use a builder at least as new as the `go` line, keeping the variant:
`FROM golang:1.23-alpine AS build`. The quick fix rewrites the tag; it is not offered when the tag
comes from a build argument.

## References
- Go toolchains and the `go` line: https://go.dev/doc/toolchain
- The official golang image and `GOTOOLCHAIN=local`: https://hub.docker.com/_/golang
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    let Some(go_line) = &go_mod.go else { return };
    let Some(required) = GoVersion::parse(&go_line.value) else { return };
    let go_mod_path = format!("{}/go.mod", module.dir).trim_start_matches("./").to_string();
    let build = context.build();
    for stage in &build.stages {
        // Report on the FROM that names the image, when that stage or one built on it runs go.
        let StageBase::Image(_) = stage.base else { continue };
        let Some(image) = &stage.golang else { continue };
        let runs_go = build.stages.iter().any(|s| !s.go_runs.is_empty() && build.is_based_on(s.index, stage.index));
        if !runs_go {
            continue;
        }
        let toolchain_override =
            build.go_runs().filter(|(s, _)| build.is_based_on(s.index, stage.index)).any(|(_, run)| {
                *run.env("GOTOOLCHAIN") != EnvValue::Unset && run.env("GOTOOLCHAIN").known() != Some("local")
            });
        if toolchain_override {
            continue;
        }
        let Some(check) = image.check_go_line(required) else { continue };
        if !matches!(check, GoLineCheck::Refused | GoLineCheck::Unparsable) {
            continue;
        }
        let InstructionKind::From(from) = &context.dockerfile.instructions[stage.from].kind else { continue };
        let Some(reference) = &from.image else { continue };
        let Some(have) = image.go_version else { continue };
        // The tag range may start at its `:`; the fix replaces the tag itself.
        let range = match reference.tag_range {
            Some(tag) if context.text.get(tag.as_range()).is_some_and(|t| t.starts_with(':')) => {
                crate::syntax::TextRange::new(tag.start + 1, tag.end)
            }
            Some(tag) => tag,
            None => reference.range,
        };
        let message = match check {
            GoLineCheck::Refused => format!(
                "this image has Go {have}, but go.mod requires go >= {required}: the build fails with \
                 `go: go.mod requires go >= {required} (running go {have}; GOTOOLCHAIN=local)`"
            ),
            _ => format!(
                "Go {have} cannot read go.mod's `go {required}` line (three-part versions need Go 1.21): \
                 the build fails with `invalid go version '{required}'`"
            ),
        };
        let diagnostic = sink.report(range, message);
        diagnostic.with_related(Some(go_mod_path.clone()), go_line.range, format!("go.mod requires go {required}"));
        let tag_is_literal = reference.tag.as_deref().is_some_and(|tag| !tag.contains('$'));
        if tag_is_literal && let Some(tag) = suggest_tag(required, image.variant) {
            diagnostic.with_fix(format!("Use `golang:{tag}`"), range, tag, true);
        }
    }
}
