//! DL3007: a base image tagged `latest`.

use super::support::{from_image, parent_stage};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3007",
    name: "latest-base-image-tag",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a FROM whose image is tagged `latest` without a digest (`FROM alpine:latest`).
`alpine:latest@sha256:…` is pinned by its digest and is not reported. An image name written with
build variables is still reported when its tag is literally `latest`
(`FROM quay.io/prometheus/busybox-${OS}-${ARCH}:latest`).

## Why it matters
`latest` is whatever the publisher pushed last, so two builds of the same Dockerfile can get
different base systems or, for a Go builder, a different Go version. Builder stages are checked
as well as the stage that ships, because the builder decides what the binary is compiled with.

## Example
```dockerfile
FROM alpine:latest
```

## Fix
Name a version, `FROM alpine:3.20`, or pin the digest you tested with.

## References
- hadolint rule DL3007 (https://github.com/hadolint/hadolint/wiki/DL3007)
- Docker build best practices: pin base image versions (https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for stage in &dockerfile.stages {
        let Some(image) = from_image(dockerfile, stage) else { continue };
        // The tag is what matters: `busybox-${ARCH}:latest` follows `latest` whatever ARCH is.
        if image.tag.as_deref() == Some("latest") && image.digest.is_none() && parent_stage(dockerfile, stage).is_none()
        {
            let range = image.tag_range.unwrap_or(image.range);
            sink.report(range, format!("`{}` changes whenever a new image is pushed: name a version", image.text));
        }
    }
}
