//! DL3067: `COPY --from=<stage> / …` copies another stage's whole file system.

use crate::build::{Build, CopySource};
use crate::images::ImageReference;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::StageBase;

pub(super) static RULE: Rule = Rule {
    code: "DL3067",
    name: "copy-whole-filesystem",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `COPY --from=<stage or image>` whose source is the root of that file system: `/`, and
also `.`, `/.` or `//`, which BuildKit reads the same way (a `--from` source is relative to the
root of the stage). The destination does not matter: `COPY --from=build / /rootfs` copies just as
much.

Not reported, because copying everything is their purpose:
- a stage built on `scratch` (directly or through `FROM <stage>`): its file system holds exactly
  what its own COPY instructions put there, as in an export or squash stage
  (`FROM scratch AS export` … `COPY --from=export / /`);
- images made to be copied whole: the `tonistiigi/xx` cross-compilation helpers (installed with
  `COPY --from=xx / /`), `tonistiigi/binfmt`, and Docker Hub images whose name ends in `-bin`,
  Docker's convention for binary-only images (`moby/moby-bin`, `docker/buildx-bin`);
- a stage or image named by a build variable (`FROM binaries-$TARGETOS AS binaries`,
  `--from=$IMAGE`): only the build knows what it holds.

## Why it matters
The other stage's file system is a whole operating system: for a Go builder that means the Go
toolchain, the module and build caches, the source tree, package manager state and any secret a
step left behind. Copied into the image, it makes the image as large as the builder and ships
everything the multi-stage build was meant to leave out.

gantry differs from hadolint, which reports exactly `/` copied to exactly `/`, whatever the
source: in a corpus of 35 Go projects, all 16 whole-file-system copies (in 5 projects) are of the
deliberate kinds above, and hadolint reports those it can parse (`COPY --from=xx / /`). It misses
`COPY --from=build . /` and `COPY --from=build / /rootfs`, which gantry reports.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build / /
ENTRYPOINT [\"/out/app\"]
```

## Fix
Copy only what the image needs: `COPY --from=build /out/app /app`. To hand several files over,
collect them in one directory of the builder (or a `FROM scratch` export stage) and copy that.

## References
- hadolint rule DL3067 (https://github.com/hadolint/hadolint/wiki/DL3067)
- Multi-stage builds (https://docs.docker.com/build/building/multi-stage/)
- tonistiigi/xx (https://github.com/tonistiigi/xx)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let build = context.build();
    for step in build.stages.iter().flat_map(|stage| &stage.copies) {
        // ADD has no --from.
        if step.is_add {
            continue;
        }
        let Some(from) = context.dockerfile.instructions.get(step.instruction).and_then(|i| i.flag("from")) else {
            continue;
        };
        let from = from.value.as_deref().unwrap_or_default();
        if whole_copy_is_intended(build, &step.source, from) {
            continue;
        }
        for (_, range) in step.sources.iter().filter(|(path, _)| path.as_deref() == Some("")) {
            sink.report(
                *range,
                format!("this copies the whole file system of `{from}`: copy only the files the image needs"),
            );
        }
    }
}

/// Whether a source is meant to be copied whole (a stage on `scratch`, the images in
/// [`is_copied_whole`]), or is something only the build knows, where gantry stays silent.
fn whole_copy_is_intended(build: &Build, source: &CopySource, from: &str) -> bool {
    match source {
        CopySource::Context => true,
        CopySource::Other(image) => from.contains('$') || is_copied_whole(image),
        // No root image: `scratch`, or a base named by a build variable (`FROM binaries-$TARGETOS`).
        CopySource::Stage(index) => root_image(build, *index).is_none_or(is_copied_whole),
    }
}

/// The image a stage is built on, following `FROM <stage>` chains; `None` for `scratch` and for
/// a base only the build knows.
fn root_image(build: &Build, mut index: usize) -> Option<&str> {
    // Bounded: a stage can only be built on earlier stages.
    for _ in 0..=build.stages.len() {
        match &build.stages.get(index)?.base {
            StageBase::Stage(parent) if *parent < index => index = *parent,
            StageBase::Image(reference) if !reference.eq_ignore_ascii_case("scratch") => return Some(reference),
            _ => return None,
        }
    }
    None
}

/// Images whose documented use is copying their whole file system into a stage: the xx and
/// binfmt helpers, and Docker's binary-only `-bin` images (`moby/moby-bin`, `docker/buildx-bin`).
fn is_copied_whole(image: &str) -> bool {
    // The tag may hold a build variable (`tonistiigi/xx:${XX_VERSION}`); only the name matters.
    let name = image.split('@').next().unwrap_or_default();
    let name = match name.rsplit_once(':') {
        Some((before, tag)) if !tag.contains('/') => before,
        _ => name,
    };
    let Some(reference) = ImageReference::parse(name) else { return false };
    reference.registry.is_none()
        && (["tonistiigi/xx", "tonistiigi/binfmt"].contains(&reference.path) || reference.path.ends_with("-bin"))
}
