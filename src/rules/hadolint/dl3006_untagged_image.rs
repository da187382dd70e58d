//! DL3006: a base image without a tag or digest.

use super::support::{from_image, is_registry_image};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3006",
    name: "untagged-base-image",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a FROM whose image has neither a tag nor a digest (`FROM golang`). `scratch`, references
to earlier stages (`FROM build`, compared without case as BuildKit does) and images written with
a build variable (`FROM ${BASE}`) are not reported.

## Why it matters
Without a tag Docker pulls `latest`, which moves: the same Dockerfile builds with a different
toolchain or base system next month. For a Go builder this silently changes the Go version that
compiles the binary, so builder stages are checked too, not only the stage that ships.

gantry differs from hadolint in two places: a registry with a port (`registry:5000/app`) is not
mistaken for a tag, and a stage name written in another case (`FROM Build` after `AS build`) is a
stage reference, not an image.

## Example
```dockerfile
FROM golang AS build
```

## Fix
Name a tag, `FROM golang:1.23-bookworm`, or pin a digest, `FROM golang:1.23@sha256:…`.

## References
- hadolint rule DL3006 (https://github.com/hadolint/hadolint/wiki/DL3006)
- Docker build best practices: pin base image versions (https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for stage in &dockerfile.stages {
        let Some(image) = from_image(dockerfile, stage) else { continue };
        if image.tag.is_none() && image.digest.is_none() && is_registry_image(dockerfile, stage, image) {
            sink.report(
                image.range,
                format!("`{}` has no tag, so the build takes whatever `latest` is today: name a version", image.text),
            );
        }
    }
}
