//! Document links: base images to their registry page, and COPY/ADD sources to the files of the
//! build context. The core does not touch the file system: the caller says which paths exist.

use crate::syntax::{Dockerfile, InstructionKind, Parse, TextRange};

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A web page.
    Url(String),
    /// A path relative to the build context (the caller resolves it).
    File(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub range: TextRange,
    pub target: LinkTarget,
}

/// The links of the document. `context_has` answers whether a relative path names an existing
/// file or directory of the build context; pass `|_| false` when the Dockerfile's location is unknown.
pub fn document_links(parse: &Parse, context_has: &dyn Fn(&str) -> bool) -> Vec<Link> {
    let dockerfile = parse.dockerfile();
    let mut links = Vec::new();
    for instruction in &dockerfile.instructions {
        match &instruction.kind {
            InstructionKind::From(from) => {
                if let Some(image) = &from.image
                    && !is_stage(dockerfile, &image.name)
                    && let Some(url) = registry_page(&image.name)
                {
                    links.push(Link { range: image.name_range, target: LinkTarget::Url(url) });
                }
            }
            InstructionKind::Copy(copy) | InstructionKind::Add(copy) if instruction.flag("from").is_none() => {
                for source in &copy.sources {
                    let Some(path) = context_path(&source.value) else { continue };
                    if source.range.len() == source.text.len() && context_has(path) {
                        links.push(Link { range: source.range, target: LinkTarget::File(path.to_string()) });
                    }
                }
            }
            _ => {}
        }
    }
    links
}

/// A COPY/ADD source as a plain path inside the build context: sources are relative to the
/// context even when they start with `/`. Globs, variables, URLs, heredocs, the whole context
/// (`.`) and paths climbing out of it (`..`) are not linked.
fn context_path(source: &str) -> Option<&str> {
    if source.contains(['$', '*', '?', '[', '<', '\\']) || source.contains("://") {
        return None;
    }
    let path = source.trim_start_matches('/').trim_end_matches('/');
    let inside = path.split('/').all(|part| part != "..") && !path.is_empty() && path != ".";
    inside.then_some(path)
}

fn is_stage(dockerfile: &Dockerfile, name: &str) -> bool {
    dockerfile.stages.iter().any(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
}

/// The web page of an image name (without tag or digest), for the registries whose page address
/// follows from the name. Names with variables and unknown registries have none.
pub fn registry_page(name: &str) -> Option<String> {
    if name.is_empty() || name.contains(['$', ' ', '\\', '"', '\'']) || name.eq_ignore_ascii_case("scratch") {
        return None;
    }
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (first, rest),
        _ => ("docker.io", name),
    };
    if path.is_empty() || path.split('/').any(str::is_empty) {
        return None;
    }
    match registry {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => {
            let official = path.strip_prefix("library/").unwrap_or(path);
            if official.contains('/') {
                Some(format!("https://hub.docker.com/r/{path}"))
            } else {
                Some(format!("https://hub.docker.com/_/{official}"))
            }
        }
        // The package page needs the source repository, which the name does not give; ghcr.io
        // redirects its image addresses to the package page.
        "ghcr.io" => Some(format!("https://ghcr.io/{path}")),
        "gcr.io" if path.starts_with("distroless/") => {
            Some("https://github.com/GoogleContainerTools/distroless".to_string())
        }
        "mcr.microsoft.com" => Some(format!("https://mcr.microsoft.com/artifact/mar/{path}")),
        "quay.io" => Some(format!("https://quay.io/repository/{path}")),
        "cgr.dev" => {
            let image = path.strip_prefix("chainguard/")?;
            Some(format!("https://images.chainguard.dev/directory/image/{image}/overview"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_pages() {
        let names = [
            "golang",
            "library/alpine",
            "docker.io/library/golang",
            "bitnami/redis",
            "docker.io/bitnami/redis",
            "ghcr.io/owner/tool",
            "gcr.io/distroless/static-debian12",
            "gcr.io/other/image",
            "mcr.microsoft.com/dotnet/sdk",
            "quay.io/prometheus/busybox",
            "cgr.dev/chainguard/go",
            "cgr.dev/other/go",
            "registry.example.com:5000/team/app",
            "golang${SUFFIX}",
            "scratch",
            "a//b",
        ];
        insta::assert_snapshot!(
            names.iter().map(|n| format!("{n} -> {:?}", registry_page(n))).collect::<Vec<_>>().join("\n")
        );
    }

    #[test]
    fn links_in_a_dockerfile() {
        let text = "FROM golang:1.23 AS build\nCOPY go.mod go.sum ./\nCOPY missing *.go $X . ../up /go.sum cmd/ ./\n\
                    FROM build AS test\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nADD cmd /cmd\n";
        let parse = crate::syntax::parse(text);
        let exists = |path: &str| ["go.mod", "go.sum", "cmd", "/app"].contains(&path);
        let links = document_links(&parse, &exists);
        insta::assert_snapshot!(
            links
                .iter()
                .map(|l| format!("{:?} {:?}", &text[l.range.as_range()], l.target))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
