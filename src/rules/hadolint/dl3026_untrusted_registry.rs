//! DL3026: an image pulled from a registry outside the configured trusted list.

use super::support::{from_image, parent_stage, registry_of};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, InstructionKind, TextRange, parse_image};

pub(super) static RULE: Rule = Rule {
    code: "DL3026",
    name: "untrusted-registry",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
When trusted registries are configured (`trusted-registries` in `gantry.toml`, or
`trustedRegistries` in `.hadolint.yaml`), reports every image pulled from another registry. Does
nothing when the list is empty.

An image without a registry host (`golang:1.23`, `library/golang`) comes from `docker.io`; the
Docker Hub aliases `index.docker.io` and `registry-1.docker.io` count as `docker.io`. An entry
`*.example.com` trusts every subdomain of `example.com` (but not `example.com` itself).
`scratch`, stage references and images whose registry is a build variable (`${REGISTRY}/app`,
`${IMAGE}`) are not checked; a variable later in the name or tag does not hide the registry
(`nvcr.io/nvidia/l4t-jetpack:${VERSION}` is checked).

## Why it matters
Organisations that mirror or vet base images want every build to pull from those registries
only; an image from elsewhere bypasses scanning and may disappear or change.

gantry checks more places than hadolint, which looks only at FROM: image references in
`COPY --from=` and `RUN --mount=from=` pull images too. It also treats `localhost/…` as the
`localhost` registry (hadolint lets it through).

## Example
```dockerfile
# trusted registries: registry.example.com
FROM golang:1.23
```

## Fix
Pull the image through a trusted registry (`FROM registry.example.com/library/golang:1.23`), or
add the registry to the trusted list.

## References
- hadolint rule DL3026 (https://github.com/hadolint/hadolint/wiki/DL3026)
- Docker image reference format (https://docs.docker.com/reference/cli/docker/image/tag/#description)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let trusted: Vec<String> = context.options.trusted_registries.iter().map(|r| normalize(r)).collect();
    if trusted.is_empty() {
        return;
    }
    for (range, name) in pulled_images(context.dockerfile) {
        let registry = registry_of(&name);
        if !trusted.iter().any(|entry| matches(entry, &registry)) {
            sink.report(range, format!("`{name}` comes from `{registry}`, which is not a trusted registry"));
        }
    }
}

/// Every image reference the build pulls, with the range to report and the image name.
fn pulled_images(dockerfile: &Dockerfile) -> Vec<(TextRange, String)> {
    let mut images = Vec::new();
    for stage in &dockerfile.stages {
        if let Some(image) = from_image(dockerfile, stage)
            && !image.text.eq_ignore_ascii_case("scratch")
            && parent_stage(dockerfile, stage).is_none()
            && registry_is_literal(&image.name)
        {
            images.push((image.name_range, image.name.clone()));
        }
        for instruction in dockerfile.stage_instructions(stage) {
            let mut values = Vec::new();
            if let Some(from) = instruction.flag("from")
                && matches!(instruction.kind, InstructionKind::Copy(_))
            {
                values.push((from.value_range, from.value.clone()));
            }
            if let InstructionKind::Run(run) = &instruction.kind {
                for mount in &run.mounts {
                    if let Some(option) = mount.option("from") {
                        values.push((option.value_range, option.value.clone()));
                    }
                }
            }
            for (range, value) in values {
                let (Some(range), Some(value)) = (range, value) else { continue };
                let is_stage = dockerfile.stage_by_reference(&value).is_some();
                if is_stage || !registry_is_literal(&value) || !value.contains([':', '/', '@']) {
                    continue;
                }
                let word = crate::syntax::Word { range, text: value.clone(), value };
                images.push((range, parse_image(&word).name));
            }
        }
    }
    images
}

/// Whether the registry part of an image name is written out: `quay.io/x/y-${ARCH}` names
/// `quay.io` whatever ARCH is, but `${REGISTRY}/x` or a bare `${IMAGE}` could be anything.
fn registry_is_literal(name: &str) -> bool {
    match name.split_once('/') {
        Some((first, _)) => !first.contains('$'),
        None => !name.contains('$'),
    }
}

/// A trusted-list entry in the form `registry_of` produces: lower case, Docker Hub aliases merged.
fn normalize(entry: &str) -> String {
    let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
    match entry.as_str() {
        "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io".to_string(),
        _ => entry,
    }
}

/// Whether a trusted-list entry admits `registry`: equal, or a `*.domain` pattern and a subdomain.
fn matches(entry: &str, registry: &str) -> bool {
    match entry.strip_prefix("*.") {
        Some(domain) => registry.strip_suffix(domain).is_some_and(|prefix| prefix.ends_with('.') && prefix.len() > 1),
        None => entry == registry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_patterns() {
        assert_eq!(normalize("Docker.io"), "docker.io");
        assert_eq!(normalize("index.docker.io"), "docker.io");
        assert_eq!(normalize("my.registry:5000"), "my.registry:5000");
        assert_eq!(normalize("mirror"), "mirror");
        assert!(matches("*.gcr.io", "eu.gcr.io"));
        assert!(!matches("*.gcr.io", "gcr.io"));
        assert!(!matches("*.gcr.io", "evilgcr.io"));
        assert!(matches("docker.io", "docker.io"));
        assert!(registry_is_literal("quay.io/prometheus/busybox-${OS}"));
        assert!(registry_is_literal("golang"));
        assert!(!registry_is_literal("${REGISTRY}/app"));
        assert!(!registry_is_literal("base-${ARCH}"));
    }
}
