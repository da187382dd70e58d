//! InvalidDefaultArgInFrom: a FROM whose image is empty or invalid when the ARGs keep their defaults.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "InvalidDefaultArgInFrom",
    name: "invalid-image-with-default-args",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Expands the image of every FROM that uses variables, with each global ARG at its default (an ARG
without a default is empty; the automatic platform ARGs take a typical value such as `amd64`), and
reports the FROM when the result is empty or not a valid image reference (`busybox:`, `:1.23`, an
upper-case repository). FROM lines without variables are not checked here.

## Why it matters
A build should work without `--build-arg`. `ARG TAG` followed by `FROM busybox:${TAG}` fails with
`invalid reference format` unless every caller remembers to pass `TAG`, and so do CI jobs, IDE
integrations and `docker compose build` that do not. BuildKit reports the check as a warning.

## Example
```dockerfile
ARG TAG
FROM busybox:${TAG}
```

## Fix
Give the ARG a default (`ARG TAG=1.37`), or write the default into the reference
(`FROM busybox:${TAG:-1.37}`). An ARG may stay empty when the reference is valid without it, as in
`FROM busybox:stable${VARIANT}`. There is no quick fix: only you know the right default.

## References
- BuildKit build checks: InvalidDefaultArgInFrom (https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/)
- Image reference grammar (https://github.com/distribution/reference/blob/main/reference.go)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let scope = context.scope();
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let Some(image) = &from.image else { continue };
        if !image.text.contains('$') {
            continue;
        }
        let expansion = scope.expand(&image.text, image.range.start);
        if expansion.malformed || is_valid_reference(&expansion.value) {
            continue;
        }
        let message = if expansion.value.is_empty() {
            format!("with the ARGs at their defaults, `{}` expands to an empty image name", image.text)
        } else {
            format!(
                "with the ARGs at their defaults, `{}` expands to `{}`, which is not a valid image reference",
                image.text, expansion.value
            )
        };
        sink.report(image.range, message);
    }
}

/// Whether `reference` parses as a normalized image reference (`[domain/]path[:tag][@digest]`), by
/// the grammar of the distribution/reference package that BuildKit uses.
fn is_valid_reference(reference: &str) -> bool {
    if reference.is_empty() || (reference.len() == 64 && reference.bytes().all(|b| b.is_ascii_hexdigit())) {
        return false;
    }
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (reference, None),
    };
    if digest.is_some_and(|d| !is_digest(d)) {
        return false;
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(colon) => (&rest[..last_slash + colon], Some(&rest[last_slash + colon + 1..])),
        None => (rest, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) || name.is_empty() || name.len() > 255 {
        return false;
    }
    // Docker's rule for telling a registry from the first path component.
    let (domain, path) = match name.split_once('/') {
        Some((first, path)) if first.contains(['.', ':']) || first == "localhost" || first != first.to_lowercase() => {
            (Some(first), path)
        }
        _ => (None, name),
    };
    domain.is_none_or(is_domain) && path.split('/').all(is_path_component)
}

/// `[a-z0-9]+` separated by `.`, `_`, `__` or runs of `-`.
fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let mut i = 0;
    let mut expect_alnum = true;
    while i < bytes.len() {
        let start = i;
        if expect_alnum {
            while i < bytes.len() && (bytes[i].is_ascii_lowercase() || bytes[i].is_ascii_digit()) {
                i += 1;
            }
            if i == start {
                return false;
            }
        } else {
            let separator = &component[start..];
            let len = if separator.starts_with("__") {
                2
            } else if separator.starts_with(['.', '_']) {
                1
            } else {
                separator.bytes().take_while(|&b| b == b'-').count()
            };
            if len == 0 {
                return false;
            }
            i += len;
        }
        expect_alnum = !expect_alnum;
    }
    !expect_alnum
}

/// A host name, IPv4 address or bracketed IPv6 address, with an optional port.
fn is_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else { return false };
        if address.is_empty() || !address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
            return false;
        }
        match after {
            "" => return true,
            _ => ("ipv6", after.strip_prefix(':')),
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (domain, None),
        }
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    host.split('.').all(|label| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    })
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `algorithm:hex`, the hex part at least 32 digits.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else { return false };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        part.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_valid_reference;

    #[test]
    fn references_follow_the_distribution_grammar() {
        for valid in [
            "alpine",
            "busybox:stable",
            "golang:1.23-alpine3.20",
            "docker.io/library/alpine:3.20",
            "gcr.io/distroless/static-debian12:nonroot",
            "localhost:5000/team/app",
            "localhost:5000",
            "registry.example.com:443/a__b/c-d.e",
            "[::1]:5000/app",
            "build_amd64",
            "alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid_reference(valid), "{valid} should be valid");
        }
        for invalid in [
            "",
            "busybox:",
            ":1.23",
            "Alpine",
            "team/App",
            "alpine:-x",
            "alpine@sha256:12",
            "a//b",
            "-a",
            "a-",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert!(!is_valid_reference(invalid), "{invalid} should be invalid");
        }
    }
}
