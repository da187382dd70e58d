//! Image references (`[registry/]path[:tag][@digest]`) split into parts, with Docker Hub names normalised.

/// Registry host names that all mean Docker Hub.
const DOCKER_HUB_HOSTS: [&str; 4] = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

/// A reference as written in `FROM`, split into its parts (borrowed from the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageReference<'a> {
    /// The registry host, `None` for Docker Hub (also when spelled `docker.io`). A leading
    /// variable (`${REGISTRY}/library/golang`) counts as a registry.
    pub registry: Option<&'a str>,
    /// The repository path without the registry: `golang`, `library/golang`, `distroless/static-debian12`.
    pub path: &'a str,
    pub tag: Option<&'a str>,
    /// The digest after `@` (`sha256:…`), unchecked.
    pub digest: Option<&'a str>,
}

impl<'a> ImageReference<'a> {
    /// Splits a reference; `None` when it is empty, contains white space, or has an empty part
    /// (`golang:`, `golang@`, `/golang`).
    pub fn parse(text: &'a str) -> Option<ImageReference<'a>> {
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return None;
        }
        let (name_and_tag, digest) = match outside_variables(text).find(|&(_, c)| c == '@') {
            Some((at, _)) if at + 1 == text.len() => return None,
            Some((at, _)) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        };
        // A colon after the last slash starts the tag; one before it belongs to a registry port.
        let last_slash = outside_variables(name_and_tag).filter(|&(_, c)| c == '/').last().map_or(0, |(i, _)| i + 1);
        let colon = outside_variables(name_and_tag).find(|&(i, c)| c == ':' && i >= last_slash);
        let (name, tag) = match colon {
            Some((colon, _)) => (&name_and_tag[..colon], Some(&name_and_tag[colon + 1..])),
            None => (name_and_tag, None),
        };
        if name.is_empty() || tag == Some("") || name.split('/').any(str::is_empty) {
            return None;
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest)) if is_registry(first) => (Some(first), rest),
            _ => (None, name),
        };
        let registry = registry.filter(|host| !DOCKER_HUB_HOSTS.contains(host));
        Some(ImageReference { registry, path, tag, digest })
    }

    /// The name of a Docker official image ("library" image) such as `golang` or `alpine`:
    /// `golang`, `library/golang` and `docker.io/library/golang` on Docker Hub, and
    /// `<mirror>/…/library/golang` on pull-through mirrors (`mirror.gcr.io/library/golang`,
    /// `public.ecr.aws/docker/library/golang`). `None` for other images and for names with variables.
    pub fn official_name(&self) -> Option<&'a str> {
        let name = match self.registry {
            None if !self.path.contains('/') => self.path,
            _ => {
                let (namespace, name) = self.path.rsplit_once('/')?;
                let library = namespace == "library" || namespace.ends_with("/library");
                if !library || (self.registry.is_none() && namespace != "library") {
                    return None;
                }
                name
            }
        };
        let valid =
            name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'));
        valid.then_some(name)
    }
}

/// The characters of `text` with their byte offsets, skipping those inside `${…}`, whose
/// modifiers may contain `:`, `/` or `@` (`${GO_VERSION:-1.22}`).
fn outside_variables(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut depth = 0usize;
    let mut previous = '\0';
    text.char_indices().filter(move |&(_, c)| {
        let opens = c == '{' && previous == '$';
        previous = c;
        if opens {
            depth += 1;
        } else if c == '}' && depth > 0 {
            depth -= 1;
            return false;
        }
        depth == 0
    })
}

/// Whether the first path component names a registry: a host with a dot or a port, `localhost`,
/// or a variable standing for one.
fn is_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost" || component.starts_with('$')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_references() {
        type Parts<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);
        let cases: &[(&str, Option<Parts>)] = &[
            ("golang", Some((None, "golang", None, None))),
            ("golang:1.26-alpine", Some((None, "golang", Some("1.26-alpine"), None))),
            ("golang@sha256:abc", Some((None, "golang", None, Some("sha256:abc")))),
            ("golang:1.26@sha256:abc", Some((None, "golang", Some("1.26"), Some("sha256:abc")))),
            ("docker.io/library/golang:1", Some((None, "library/golang", Some("1"), None))),
            ("index.docker.io/golang", Some((None, "golang", None, None))),
            ("localhost:5000/golang:1.2", Some((Some("localhost:5000"), "golang", Some("1.2"), None))),
            ("localhost/golang", Some((Some("localhost"), "golang", None, None))),
            ("mirror.gcr.io/library/golang", Some((Some("mirror.gcr.io"), "library/golang", None, None))),
            ("gcr.io/distroless/static:nonroot", Some((Some("gcr.io"), "distroless/static", Some("nonroot"), None))),
            ("${REGISTRY}/library/golang:${GO}", Some((Some("${REGISTRY}"), "library/golang", Some("${GO}"), None))),
            ("golang:${GO:-1.22}-alpine", Some((None, "golang", Some("${GO:-1.22}-alpine"), None))),
            (
                "${R:-a.io}/x:${T:-a:b@c}@sha256:1",
                Some((Some("${R:-a.io}"), "x", Some("${T:-a:b@c}"), Some("sha256:1"))),
            ),
            ("img:${T", Some((None, "img", Some("${T"), None))),
            ("", None),
            ("golang:", None),
            ("golang@", None),
            (":1.2", None),
            ("/golang", None),
            ("library//golang", None),
            ("golang 1.2", None),
            ("gol\u{e9}ng:1", Some((None, "gol\u{e9}ng", Some("1"), None))),
        ];
        for (input, expected) in cases {
            let actual = ImageReference::parse(input).map(|r| (r.registry, r.path, r.tag, r.digest));
            assert_eq!(actual, *expected, "{input:?}");
        }
    }

    #[test]
    fn recognises_official_images_and_their_mirrors() {
        let cases = [
            ("golang", Some("golang")),
            ("library/golang:1", Some("golang")),
            ("docker.io/golang", Some("golang")),
            ("docker.io/library/golang", Some("golang")),
            ("registry-1.docker.io/library/golang", Some("golang")),
            ("mirror.gcr.io/library/golang", Some("golang")),
            ("public.ecr.aws/docker/library/golang:1.26", Some("golang")),
            ("harbor.example.com:8443/dockerhub/library/alpine", Some("alpine")),
            ("${REGISTRY}/library/golang", Some("golang")),
            ("mirror.gcr.io/golang", None),
            ("someone/golang", None),
            ("someone/library/golang", None),
            ("ghcr.io/someone/golang", None),
            ("Golang", None),
            ("${IMAGE}", None),
            ("gol\u{e9}ng", None),
        ];
        for (input, expected) in cases {
            let reference = ImageReference::parse(input).expect(input);
            assert_eq!(reference.official_name(), expected, "{input:?}");
        }
    }
}
