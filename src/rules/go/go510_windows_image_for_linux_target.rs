//! GO510: a Windows golang image (`windowsservercore`, `nanoserver`) in a build for Linux.

use super::go4xx_support::chain;
use crate::build::{Build, CopySource, Stage};
use crate::images::{RuntimeKind, Variant};
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO510",
    name: "windows-image-for-linux-target",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `FROM golang:*-windowsservercore*` or `golang:*-nanoserver*` stage in a Dockerfile that
builds for Linux: the stage says `--platform=linux/…`, or a stage on a Linux image (`alpine`,
`debian`, `ubuntu`, `busybox`, distroless, Chainguard, a Linux `golang` variant) copies files from it.

## Why it matters
The Windows variants exist only for `windows/amd64`. A Linux builder cannot pull them:

```text
failed to resolve source metadata for docker.io/library/golang:1.23-windowsservercore: no match for platform in manifest: not found
```

(`docker pull` says `no matching manifest for linux/amd64 in the manifest list entries`), and a
Windows builder cannot run the Linux stages. Either way the build cannot succeed. A Dockerfile
made of Windows stages only is fine and is not reported; neither is a `scratch` stage, which some
Windows builds use to export files.

## Example
```dockerfile
FROM golang:1.23-windowsservercore-ltsc2022 AS build
WORKDIR /src
COPY . .
RUN go build -o app.exe .

FROM alpine:3.20
COPY --from=build /src/app.exe /app
```

## Fix
Use the Linux variant of the same Go version (`golang:1.23`, `golang:1.23-alpine`) and, for a
Windows program, cross-compile on it with `GOOS=windows`. There is no quick fix: the variant to pick
depends on the build.

## References
- The golang image's documentation (image variants): https://hub.docker.com/_/golang
- docker-library/official-images, `library/golang` (`Architectures: windows-amd64` for these tags)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let build = context.build();
    for stage in &build.stages {
        let Some(image) = &stage.golang else { continue };
        if !matches!(image.variant, Variant::WindowsServerCore { .. } | Variant::NanoServer { .. }) {
            continue;
        }
        // Report on the FROM that names the image, not on stages built on it.
        if !matches!(stage.base, crate::syntax::StageBase::Image(_)) {
            continue;
        }
        let Some((text, range)) = &stage.image_text else { continue };
        let message = if let Some(platform) = linux_platform(context, stage) {
            format!(
                "`{text}` exists only for windows/amd64, but the stage asks for `{platform}`: the build fails with \
                 `no match for platform in manifest`; use a Linux variant"
            )
        } else if let Some(user) = linux_user(build, stage) {
            let name = user.name.as_deref().map_or(format!("stage {}", user.index), |n| format!("stage `{n}`"));
            format!(
                "`{text}` exists only for windows/amd64, but {name}, a Linux stage, copies from it: a Linux builder \
                 cannot pull it (`no match for platform in manifest`) and a Windows one cannot run the Linux stage; \
                 use a Linux variant"
            )
        } else {
            continue;
        };
        sink.report(*range, message);
    }
}

/// The stage's `--platform`, when it names Linux.
fn linux_platform(context: &Context<'_>, stage: &Stage) -> Option<String> {
    let from = context.dockerfile.instructions.get(stage.from)?;
    let platform = from.flag("platform")?.value.clone()?;
    platform.to_ascii_lowercase().starts_with("linux").then_some(platform)
}

/// A stage on a Linux image that copies from the Windows stage or is built on it.
fn linux_user<'b>(build: &'b Build, windows: &Stage) -> Option<&'b Stage> {
    build.stages.iter().find(|other| {
        if other.index == windows.index || !is_linux(build, other) {
            return false;
        }
        other
            .copies
            .iter()
            .any(|c| matches!(c.source, CopySource::Stage(from) if build.is_based_on(from, windows.index)))
    })
}

/// The stage's root image is a known Linux image.
fn is_linux(build: &Build, stage: &Stage) -> bool {
    let root = chain(build, stage.index).into_iter().next().unwrap_or(stage);
    if let Some(image) = &root.golang {
        return matches!(image.variant, Variant::Debian { .. } | Variant::Alpine { .. });
    }
    matches!(
        root.runtime.kind,
        RuntimeKind::Distroless { .. }
            | RuntimeKind::Alpine { .. }
            | RuntimeKind::Busybox
            | RuntimeKind::Debian { .. }
            | RuntimeKind::Ubuntu
            | RuntimeKind::Chainguard { .. }
    )
}
