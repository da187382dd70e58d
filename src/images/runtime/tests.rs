//! Table-driven tests of runtime image facts.

use super::*;

/// One line per image: kind, libc, then each fact (`?` when unknown), user, nonroot user,
/// package manager.
fn summary(image: &RuntimeImage) -> String {
    let kind = match &image.kind {
        RuntimeKind::Distroless { flavor, debian, debian_pinned, tag } => {
            let pinned = if *debian_pinned { "" } else { " (alias)" };
            format!("distroless {flavor:?} debian{}{pinned} {tag:?}", debian.number())
        }
        RuntimeKind::Alpine { version } => format!("alpine {}", version.map_or("floating".into(), |v| v.to_string())),
        RuntimeKind::Debian { release } => format!("debian {}", release.map_or("?", DebianRelease::codename)),
        RuntimeKind::Chainguard { image, dev } => format!("chainguard {image:?}{}", if *dev { " dev" } else { "" }),
        RuntimeKind::Golang(image) => format!("golang {}", image.tag.as_deref().unwrap_or("latest")),
        other => format!("{other:?}"),
    };
    let fact = |name: &str, value: Option<bool>| match value {
        Some(true) => name.to_string(),
        Some(false) => format!("no {name}"),
        None => format!("{name}?"),
    };
    let user = |user: Option<ImageUser>| user.map_or("?".into(), |u| format!("{}({})", u.name, u.uid));
    format!(
        "{kind} | {:?} | {} | {} | {} | {} | user {} | nonroot {} | {:?}",
        image.libc,
        fact("shell", image.has_shell),
        fact("certs", image.has_ca_certificates),
        fact("tzdata", image.has_tzdata),
        fact("passwd", image.has_passwd),
        user(image.user),
        image.nonroot_user.map_or("-".into(), |u| u.uid.to_string()),
        image.package_manager,
    )
}

#[test]
fn classifies_runtime_images() {
    let cases = [
        ("scratch", "Scratch | None | no shell | no certs | no tzdata | no passwd | user root(0) | nonroot - | None"),
        // distroless: flavours, Debian releases, tags (with architectures and digests)
        (
            "gcr.io/distroless/static-debian12",
            "distroless Static debian12 Latest | None | no shell | certs | tzdata | passwd | user root(0) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian13:nonroot",
            "distroless Static debian13 Nonroot | None | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static:nonroot",
            "distroless Static debian13 (alias) Nonroot | None | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/base-debian12:debug",
            "distroless Base debian12 Debug | Glibc | shell | certs | tzdata | passwd | user root(0) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/base-nossl-debian13:debug-nonroot",
            "distroless BaseNossl debian13 DebugNonroot | Glibc | shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/cc-debian11:latest",
            "distroless Cc debian11 Latest | Glibc | no shell | certs | tzdata | passwd | user root(0) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/base:nonroot-arm64",
            "distroless Base debian13 (alias) Nonroot | Glibc | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian12:nonroot@sha256:0123",
            "distroless Static debian12 Nonroot | None | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian12@sha256:0123",
            "distroless Static debian12 Unknown | None | shell? | certs | tzdata | passwd | user ? | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/java17-debian12",
            "distroless Java debian12 Latest | Glibc | no shell | certs | tzdata | passwd | user root(0) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian13:nonroot-${DISTROLESS_ARCH}",
            "distroless Static debian13 Nonroot | None | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian12:${TAG}-amd64",
            "distroless Static debian12 Unknown | None | shell? | certs | tzdata | passwd | user ? | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian12:${TAG}",
            "distroless Static debian12 Unknown | None | shell? | certs | tzdata | passwd | user ? | nonroot 65532 | None",
        ),
        (
            "gcr.io/distroless/static-debian99",
            "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown",
        ),
        (
            "gcr.io/distroless/foo",
            "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown",
        ),
        // Alpine: musl, busybox shell, CA bundle in 3.13 and later, no tzdata
        ("alpine", "alpine floating | Musl | shell | certs | no tzdata | passwd | user root(0) | nonroot - | Apk"),
        ("alpine:3.24", "alpine 3.24 | Musl | shell | certs | no tzdata | passwd | user root(0) | nonroot - | Apk"),
        (
            "docker.io/library/alpine:3.19.1",
            "alpine 3.19 | Musl | shell | certs | no tzdata | passwd | user root(0) | nonroot - | Apk",
        ),
        ("alpine:3.8", "alpine 3.8 | Musl | shell | certs? | no tzdata | passwd | user root(0) | nonroot - | Apk"),
        ("alpine:edge", "alpine floating | Musl | shell | certs | no tzdata | passwd | user root(0) | nonroot - | Apk"),
        (
            "alpine:${ALPINE}",
            "alpine floating | Musl | shell | certs? | no tzdata | passwd | user root(0) | nonroot - | Apk",
        ),
        // busybox: glibc by default, static musl/uclibc builds have no shared libc
        ("busybox", "Busybox | Glibc | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None"),
        ("busybox:glibc", "Busybox | Glibc | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None"),
        (
            "busybox:1.37-musl",
            "Busybox | None | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None",
        ),
        ("busybox:uclibc", "Busybox | None | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None"),
        ("busybox:1.37.0", "Busybox | Glibc | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None"),
        ("busybox:1.31", "Busybox | Unknown | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None"),
        (
            "busybox:${TAG}",
            "Busybox | Unknown | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | None",
        ),
        // Debian and Ubuntu
        ("debian", "debian trixie | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt"),
        (
            "debian:bookworm-slim",
            "debian bookworm | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt",
        ),
        ("debian:11", "debian bullseye | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt"),
        (
            "debian:12.5-slim",
            "debian bookworm | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt",
        ),
        (
            "debian:trixie-20260801",
            "debian trixie | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt",
        ),
        (
            "debian:stable-slim",
            "debian trixie | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt",
        ),
        ("debian:${DEBIAN}", "debian ? | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt"),
        ("debian:sid", "debian ? | Glibc | shell | no certs | tzdata? | passwd | user root(0) | nonroot - | Apt"),
        ("ubuntu:24.04", "Ubuntu | Glibc | shell | no certs | no tzdata | passwd | user root(0) | nonroot - | Apt"),
        // Chainguard
        (
            "cgr.dev/chainguard/static:latest",
            "chainguard Static | None | no shell | certs | tzdata | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "cgr.dev/chainguard/glibc-dynamic",
            "chainguard GlibcDynamic | Glibc | no shell | certs | tzdata? | passwd | user nonroot(65532) | nonroot 65532 | None",
        ),
        (
            "cgr.dev/chainguard/glibc-dynamic:latest-dev",
            "chainguard GlibcDynamic dev | Glibc | shell | certs | tzdata? | passwd | user ? | nonroot 65532 | Apk",
        ),
        (
            "cgr.dev/chainguard/wolfi-base",
            "chainguard WolfiBase | Glibc | shell | certs | tzdata? | passwd | user ? | nonroot 65532 | Apk",
        ),
        (
            "cgr.dev/chainguard/go",
            "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown",
        ),
        // the golang image as a runtime (a single-stage build)
        (
            "golang:1.26-alpine",
            "golang 1.26-alpine | Musl | shell | certs | tzdata | passwd | user root(0) | nonroot - | Apk",
        ),
        ("golang", "golang latest | Glibc | shell | certs | tzdata | passwd | user root(0) | nonroot - | Apt"),
        (
            "golang:1.26-nanoserver",
            "golang 1.26-nanoserver | Windows | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown",
        ),
        // anything else: unknown, so rules stay silent
        ("someone/app:1.0", "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown"),
        ("${BASE_IMAGE}", "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown"),
        (
            "${REGISTRY}/library/alpine",
            "alpine floating | Musl | shell | certs | no tzdata | passwd | user root(0) | nonroot - | Apk",
        ),
        (
            "${REGISTRY}/${IMAGE}:3.20",
            "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown",
        ),
        ("scratch:latest", "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown"),
        ("", "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown"),
        ("Alpine", "Unknown | Unknown | shell? | certs? | tzdata? | passwd? | user ? | nonroot - | Unknown"),
    ];
    for (reference, expected) in cases {
        assert_eq!(summary(&RuntimeImage::from_reference(reference)), expected, "{reference}");
    }
}

#[test]
fn malformed_references_never_panic() {
    let inputs = [
        "gcr.io/distroless/",
        "gcr.io/distroless/-debian",
        "gcr.io/distroless/static-debian",
        "gcr.io/distroless/static-debianx",
        "gcr.io/distroless/static-debian99999999999",
        "gcr.io/distroless/static:-",
        "gcr.io/distroless/static:-amd64",
        "cgr.dev/chainguard/",
        "cgr.dev/chainguard/static:-dev",
        "alpine:.",
        "alpine:3.",
        "alpine:é.1",
        "busybox:-",
        "busybox:.",
        "busybox:1.",
        "busybox:99999999999.1",
        "debian:-",
        "debian:.",
        "debian:99999999999",
        "ubuntu:@",
        "golang:${",
        "a:b:c",
        "@",
        ":",
        "/",
        "é",
        "\u{0}",
    ];
    for input in inputs {
        let _ = summary(&RuntimeImage::from_reference(input));
    }
}

#[test]
fn every_prefix_of_real_references_is_handled() {
    let references = [
        "mirror.gcr.io/library/golang:1.26.7-alpine3.24@sha256:0123",
        "golang:${GO_VERSION:-1.22}-bookworm",
        "gcr.io/distroless/base-nossl-debian13:debug-nonroot-arm64",
        "cgr.dev/chainguard/glibc-dynamic:latest-dev",
        "golang:tip-20260815-windowsservercore-ltsc2025",
        "busybox:1.37.0-uclibc",
        "gol\u{e9}ng:1.2\u{e9}",
    ];
    for reference in references {
        for (end, _) in reference.char_indices().chain([(reference.len(), ' ')]) {
            let prefix = &reference[..end];
            let _ = summary(&RuntimeImage::from_reference(prefix));
            let _ = GolangImage::from_reference(prefix);
        }
    }
}
