//! DL3045: COPY or ADD to a relative destination in a stage that never set WORKDIR.

use super::support::{from_image, instructions_of, stage_chain};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, InstructionKind, Keyword, Stage};

pub(super) static RULE: Rule = Rule {
    code: "DL3045",
    name: "relative-copy-without-workdir",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports COPY and ADD whose destination is a relative path (`COPY go.mod ./`) when no WORKDIR
was set before it: not earlier in the stage, nor in the stages it builds on through
`FROM <stage>`. Destinations starting with a variable or a Windows drive are left alone.

## Why it matters
A relative destination is resolved against the working directory the base image happens to
set, often `/`. The files land somewhere nobody chose, and move when the base image changes.

gantry differs from hadolint for the official `golang` image, which sets `WORKDIR /go`: a
relative COPY there goes to a documented place, so it is not reported (hadolint reports it,
which makes this rule fire on most Go builders). It also checks ADD, not only COPY.

## Example
```dockerfile
FROM alpine:3.20
COPY config.yaml ./
```

## Fix
Set the directory first: `WORKDIR /app`, then `COPY config.yaml ./`; or write an absolute
destination, `COPY config.yaml /app/`.

## References
- hadolint rule DL3045 (https://github.com/hadolint/hadolint/wiki/DL3045)
- Dockerfile reference: WORKDIR (https://docs.docker.com/reference/dockerfile/#workdir)
";

/// Official images documented to set a WORKDIR.
const IMAGES_WITH_WORKDIR: &[&str] = &["golang", "library/golang", "docker.io/library/golang"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for stage in &dockerfile.stages {
        if inherits_workdir(dockerfile, stage) {
            continue;
        }
        for instruction in instructions_of(dockerfile, stage) {
            if instruction.is(Keyword::Workdir) {
                break;
            }
            let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) = &instruction.kind else { continue };
            let Some(destination) = &copy.destination else { continue };
            if is_relative(&destination.value) {
                sink.report(
                    destination.range,
                    format!(
                        "`{}` is relative and no WORKDIR is set: set WORKDIR first or use an absolute path",
                        destination.value
                    ),
                );
            }
        }
    }
}

/// Whether a stage starts with a known working directory: from an ancestor stage's WORKDIR or
/// from a base image documented to set one.
fn inherits_workdir(dockerfile: &Dockerfile, stage: &Stage) -> bool {
    let chain = stage_chain(dockerfile, stage);
    let ancestors = chain.get(1..).unwrap_or_default();
    if ancestors.iter().any(|s| instructions_of(dockerfile, s).iter().any(|i| i.is(Keyword::Workdir))) {
        return true;
    }
    let root = chain.last().copied().unwrap_or(stage);
    from_image(dockerfile, root).is_some_and(|image| IMAGES_WITH_WORKDIR.iter().any(|name| image.name == *name))
}

fn is_relative(path: &str) -> bool {
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    !path.is_empty() && !path.starts_with(['/', '\\', '$']) && !path.starts_with("<<") && !windows_drive
}
