//! Table-driven tests of golang image references, and properties over every tag in the table.

use super::*;

/// One line per image: Go version (with the day a floating tag was resolved at), pin, variant,
/// libc, C compiler, cgo default, and whether the tag exists and is still listed.
fn summary(image: &GolangImage) -> String {
    let go = match (image.go_version, image.as_of) {
        (Some(version), Some(day)) => format!("go {version} as of {day}"),
        (Some(version), None) => format!("go {version}"),
        (None, _) => "go ?".into(),
    };
    let variant = match image.variant {
        Variant::Debian { release, pinned } => {
            format!("debian {}{}", release.map_or("?", DebianRelease::codename), if pinned { " pinned" } else { "" })
        }
        Variant::Alpine { version, pinned } => {
            let version = version.map_or("?".into(), |v| v.to_string());
            format!("alpine {version}{}", if pinned { " pinned" } else { "" })
        }
        Variant::WindowsServerCore { release } => {
            format!("servercore {}", release.map_or("*", WindowsRelease::tag_name))
        }
        Variant::NanoServer { release } => format!("nanoserver {}", release.map_or("*", WindowsRelease::tag_name)),
        Variant::Unknown => "variant ?".into(),
    };
    let flag = |value: Option<bool>, yes: &str, no: &str| match value {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => format!("{yes}?"),
    };
    let status = match (image.tag_known, image.current) {
        (true, true) => "current",
        (true, false) => "retired",
        _ => "no such tag",
    };
    format!(
        "{go} | {:?} | {variant} | {:?} | {} | {} | {status}",
        image.pin,
        image.libc,
        flag(image.has_c_compiler, "gcc", "no gcc"),
        flag(image.cgo_default, "cgo on", "cgo off"),
    )
}

#[test]
fn classifies_golang_references() {
    let cases = [
        // floating tags still listed resolve as of the tables' date
        ("golang", "go 1.27.0 as of 2026-08-19 | Latest | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:latest", "go 1.27.0 as of 2026-08-19 | Latest | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:1", "go 1.27.0 as of 2026-08-19 | Major | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:1.26", "go 1.26.7 as of 2026-08-19 | Minor | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:1.26-alpine", "go 1.26.7 as of 2026-08-19 | Minor | alpine 3.24 | Musl | no gcc | cgo off | current"),
        (
            "golang:1.26-alpine3.23",
            "go 1.26.7 as of 2026-08-19 | Minor | alpine 3.23 pinned | Musl | no gcc | cgo off | current",
        ),
        ("golang:alpine", "go 1.27.0 as of 2026-08-19 | Latest | alpine 3.24 | Musl | no gcc | cgo off | current"),
        (
            "golang:bookworm",
            "go 1.27.0 as of 2026-08-19 | Latest | debian bookworm pinned | Glibc | gcc | cgo on | current",
        ),
        (
            "golang:1-trixie",
            "go 1.27.0 as of 2026-08-19 | Major | debian trixie pinned | Glibc | gcc | cgo on | current",
        ),
        // every spelling of the image, tags with digests, mirrors
        (
            "docker.io/library/golang:1.26",
            "go 1.26.7 as of 2026-08-19 | Minor | debian trixie | Glibc | gcc | cgo on | current",
        ),
        ("library/golang:1.26.7", "go 1.26.7 | Exact | debian trixie | Glibc | gcc | cgo on | current"),
        ("index.docker.io/golang:1.27.0", "go 1.27.0 | Exact | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:1.26.7@sha256:0123abcd", "go 1.26.7 | Exact | debian trixie | Glibc | gcc | cgo on | current"),
        (
            "golang@sha256:0123abcd",
            "go 1.27.0 as of 2026-08-19 | Latest | debian trixie | Glibc | gcc | cgo on | current",
        ),
        (
            "mirror.gcr.io/library/golang:1.26-alpine3.24",
            "go 1.26.7 as of 2026-08-19 | Minor | alpine 3.24 pinned | Musl | no gcc | cgo off | current",
        ),
        (
            "public.ecr.aws/docker/library/golang:1.27-bookworm",
            "go 1.27.0 as of 2026-08-19 | Minor | debian bookworm pinned | Glibc | gcc | cgo on | current",
        ),
        // retired tags resolve as of their last day listed
        (
            "golang:1.21-bullseye",
            "go 1.21.13 as of 2024-08-06 | Minor | debian bullseye pinned | Glibc | gcc | cgo on | retired",
        ),
        ("golang:1.20", "go 1.20.14 as of 2024-02-06 | Minor | debian bookworm | Glibc | gcc | cgo on | retired"),
        ("golang:1.25", "go 1.25.14 as of 2026-08-19 | Minor | debian trixie | Glibc | gcc | cgo on | retired"),
        ("golang:1.13.0", "go 1.13.0 | Exact | debian buster | Glibc | gcc | cgo on | retired"),
        // the unsuffixed tags moved from bullseye to bookworm on 2023-06-14
        ("golang:1.20.4", "go 1.20.4 | Exact | debian bullseye | Glibc | gcc | cgo on | retired"),
        ("golang:1.20.5", "go 1.20.5 | Exact | debian bookworm | Glibc | gcc | cgo on | retired"),
        // Go 1.7 never had a stretch build, so it stayed on jessie; 1.8.0 predates stretch as the default
        ("golang:1.7", "go 1.7.6 as of 2017-08-08 | Minor | debian jessie | Glibc | gcc | cgo on | retired"),
        ("golang:1.8.0", "go 1.8.0 | Exact | debian jessie | Glibc | gcc | cgo on | retired"),
        ("golang:1.8-onbuild", "go 1.8.7 as of 2018-02-07 | Minor | debian stretch | Glibc | gcc | cgo on | retired"),
        // before October 2014 the tables do not say which Debian release it was
        ("golang:1.3.1", "go 1.3.1 | Exact | debian ? | Glibc | gcc | cgo on | retired"),
        // without gcc, cgo is off by default only from Go 1.20 on
        ("golang:1.19-alpine", "go 1.19.13 as of 2023-09-08 | Minor | alpine 3.18 | Musl | no gcc | cgo on | retired"),
        ("golang:1.20-alpine", "go 1.20.14 as of 2024-02-06 | Minor | alpine 3.19 | Musl | no gcc | cgo off | retired"),
        // Windows
        (
            "golang:1.27.0-windowsservercore-ltsc2025",
            "go 1.27.0 | Exact | servercore ltsc2025 | Windows | no gcc | cgo off | current",
        ),
        (
            "golang:1.26-nanoserver",
            "go 1.26.7 as of 2026-08-19 | Minor | nanoserver * | Windows | no gcc | cgo off | current",
        ),
        (
            "golang:nanoserver-1809",
            "go 1.24.3 as of 2025-05-25 | Latest | nanoserver 1809 | Windows | no gcc | cgo off | retired",
        ),
        // prereleases and development builds
        ("golang:1.27rc1", "go 1.27rc1 | Exact | debian trixie | Glibc | gcc | cgo on | retired"),
        (
            "golang:1.27-rc-alpine",
            "go 1.27rc3 as of 2026-08-19 | Prerelease | alpine 3.24 | Musl | no gcc | cgo off | retired",
        ),
        ("golang:1.26-rc", "go 1.26rc3 as of 2026-02-09 | Prerelease | debian trixie | Glibc | gcc | cgo on | retired"),
        (
            "golang:1.8-wheezy",
            "go 1.8rc3 as of 2017-01-27 | Minor | debian wheezy pinned | Glibc | gcc | cgo on | retired",
        ),
        ("golang:rc", "go 1.18rc1 as of 2022-03-03 | Prerelease | debian bullseye | Glibc | gcc | cgo on | retired"),
        ("golang:tip", "go ? | Tip | debian trixie | Glibc | gcc | cgo on | current"),
        ("golang:tip-20260815-alpine", "go ? | TipBuild | alpine 3.24 | Musl | no gcc | cgo off | current"),
        // variables: the version is unknown, a literal suite still names the variant
        ("golang:${GO_VERSION}", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:${GO_VERSION}-alpine", "go ? | Unknown | alpine ? | Musl | no gcc | cgo on? | no such tag"),
        (
            "golang:$GO_VERSION-alpine3.20",
            "go ? | Unknown | alpine 3.20 pinned | Musl | no gcc | cgo on? | no such tag",
        ),
        (
            "golang:${GO_VERSION:-1.22}-bookworm",
            "go ? | Unknown | debian bookworm pinned | Glibc | gcc | cgo on | no such tag",
        ),
        (
            "golang:${GO_VERSION}-alpine${ALPINE}",
            "go ? | Unknown | alpine ? pinned | Musl | no gcc | cgo on? | no such tag",
        ),
        ("golang:1.26-alpine$ALPINE", "go ? | Unknown | alpine ? pinned | Musl | no gcc | cgo on? | no such tag"),
        ("golang:1.26-alpine${A}${B}", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        (
            "golang:1.${MINOR}.${PATCH}-trixie",
            "go ? | Unknown | debian trixie pinned | Glibc | gcc | cgo on | no such tag",
        ),
        ("golang:${GO}-${DISTRO}", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:1.${MINOR}", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        (
            "${REGISTRY}/library/golang:1.26",
            "go 1.26.7 as of 2026-08-19 | Minor | debian trixie | Glibc | gcc | cgo on | current",
        ),
        // tags that never existed keep what their words say and are marked as such
        (
            "golang:1.26-bullseye",
            "go 1.26.7 as of 2026-08-19 | Minor | debian bullseye pinned | Glibc | gcc | cgo on | no such tag",
        ),
        ("golang:1.99", "go ? | Minor | debian trixie | Glibc | gcc | cgo on | no such tag"),
        ("golang:1.99.0-alpine", "go 1.99.0 | Exact | alpine ? | Musl | no gcc | cgo off | no such tag"),
        ("golang:1.26-foo", "go 1.26.7 as of 2026-08-19 | Minor | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:foo", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:latest-alpine", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:1.2x", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        ("golang:01", "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag"),
        (
            "golang:1.26-Alpine",
            "go 1.26.7 as of 2026-08-19 | Minor | variant ? | Unknown | gcc? | cgo on? | no such tag",
        ),
    ];
    for (reference, expected) in cases {
        let image = GolangImage::from_reference(reference).unwrap_or_else(|| panic!("{reference} is golang"));
        assert_eq!(summary(&image), expected, "{reference}");
    }
}

#[test]
fn keeps_tag_and_digest() {
    let image = GolangImage::from_reference("golang:1.26@sha256:0123").expect("golang");
    assert_eq!((image.tag.as_deref(), image.digest.as_deref()), (Some("1.26"), Some("sha256:0123")));
    assert!(image.is_floating());
    let image = GolangImage::from_reference("golang").expect("golang");
    assert_eq!((image.tag, image.digest, image.pin.is_floating()), (None, None, true));
    assert!(!GolangImage::from_tag(Some("1.26.7"), None).is_floating());
    assert!(!GolangImage::from_tag(Some("tip-20260815"), None).is_floating());
}

#[test]
fn other_images_are_not_golang() {
    let cases = [
        "alpine",
        "someone/golang:1.26",
        "ghcr.io/someone/golang:1.26",
        "mirror.gcr.io/golang",
        "golang-builder:1",
        "${BASE_IMAGE}",
        "",
        "golang:",
        "golang@",
        "Golang:1.26",
        "golang 1.26",
        "scratch",
    ];
    for reference in cases {
        assert_eq!(GolangImage::from_reference(reference), None, "{reference:?}");
    }
}

#[test]
fn malformed_tags_never_panic() {
    let tags = [
        "-",
        "1-",
        "1.",
        ".1",
        "1.26--alpine",
        "1.26-alpine3",
        "1.26-alpine3.",
        "1.26-alpine3.x",
        "99999999999",
        "1.99999999999",
        "1.26.99999999999",
        "${",
        "$",
        "}",
        "${A}-${B}",
        "${A}}-alpine",
        "$-alpine",
        "tip-",
        "tip-2026081",
        "tip-202608150",
        "tip-20260815-",
        "rc-",
        "1.26.1-rc",
        "1.26rc-alpine",
        "1.2é",
        "é",
        "1.26-é",
        "1.26-windowsservercore-",
        "1.26-windowsservercore-ltsc2030",
        "nanoserver-",
        "0",
        "0.0",
        "1.0.0",
        "2",
        "\u{0}",
    ];
    for tag in tags {
        let image = GolangImage::from_tag(Some(tag), None);
        assert!(!image.tag_known, "{tag:?}");
        let _ = summary(&image);
        let _ = GolangImage::from_reference(&format!("golang:{tag}"));
    }
}

#[test]
fn variable_references_have_their_length() {
    let cases = [
        ("$A", Some(2)),
        ("$A_1-x", Some(4)),
        ("${A}", Some(4)),
        ("${A:-${B}}x", Some(10)),
        ("${A", None),
        ("$", None),
        ("$-", None),
        ("A", None),
        ("${é}", Some(5)),
    ];
    for (text, expected) in cases {
        assert_eq!(variable_len(text), expected, "{text}");
    }
}

#[test]
fn an_empty_tag_means_nothing() {
    let image = GolangImage::from_tag(Some(""), None);
    assert_eq!(summary(&image), "go ? | Unknown | variant ? | Unknown | gcc? | cgo on? | no such tag");
}

#[test]
fn every_current_tag_resolves_to_a_go_version_and_variant() {
    let current: Vec<_> = table::golang_tags().iter().filter(|record| record.current).collect();
    assert!(current.len() >= 40, "only {} current tags", current.len());
    for record in current {
        let image = GolangImage::from_tag(Some(&record.tag), None);
        assert!(image.tag_known && image.current, "{}", record.tag);
        assert_ne!(image.variant, Variant::Unknown, "{}", record.tag);
        assert_ne!(image.libc, Libc::Unknown, "{}", record.tag);
        assert!(image.has_c_compiler.is_some() && image.cgo_default.is_some(), "{}", record.tag);
        // Development builds have no release number; every other tag names or resolves to one.
        let development = matches!(image.pin, VersionPin::Tip | VersionPin::TipBuild);
        assert_eq!(image.go_version.is_some(), !development, "{}: {}", record.tag, summary(&image));
        match image.variant {
            Variant::Debian { release, .. } => assert!(release.is_some(), "{}", record.tag),
            Variant::Alpine { version, .. } => assert!(version.is_some(), "{}", record.tag),
            _ => {}
        }
    }
}

#[test]
fn every_tag_ever_listed_is_understood() {
    for record in table::golang_tags() {
        let image = GolangImage::from_tag(Some(&record.tag), None);
        let shown = summary(&image);
        assert!(image.tag_known, "{}", record.tag);
        assert_ne!(image.pin, VersionPin::Unknown, "{}: {shown}", record.tag);
        assert_ne!(image.variant, Variant::Unknown, "{}: {shown}", record.tag);
        let development = matches!(image.pin, VersionPin::Tip | VersionPin::TipBuild);
        assert_eq!(image.go_version.is_some(), !development, "{}: {shown}", record.tag);
        if let (Some(version), Some(line)) =
            (image.go_version, GoVersion::parse(record.tag.split('-').next().unwrap_or("")))
        {
            assert!(version.same_line(line), "{}: {shown}", record.tag);
        }
        if let Variant::Debian { release, pinned: false } = image.variant {
            assert_eq!(release.is_none(), record.last_seen < JESSIE_DEFAULT_FROM, "{}: {shown}", record.tag);
        }
    }
}

#[test]
fn default_debian_release_has_an_alias_tag_since_2017() {
    // From 2017-07-11 every unsuffixed Debian tag has a twin naming its release: check that the
    // release gantry derives is that twin, listed on the tag's last day.
    let mut checked = 0;
    for record in table::golang_tags().iter().filter(|record| record.last_seen >= DEBIAN_DEFAULTS[0].1) {
        let (head, version, suffix) = split_tag(&record.tag);
        if suffix.is_empty() && !matches!(version, VersionPart::Unknown) {
            let Some(release) = default_debian(head, record.last_seen) else { panic!("{}", record.tag) };
            assert!(listed_on(&sibling(head, release.codename()), record.last_seen), "{} on {release}", record.tag);
            checked += 1;
        }
    }
    assert!(checked > 400, "only {checked} tags checked");
}

#[test]
fn gotoolchain_defaults_and_go_line_checks() {
    use GoLineCheck::*;
    let cases = [
        // (image, go line, toolchain switching, check)
        ("golang:1.26", "1.26.0", Some(ToolchainSwitching::Local), Some(Satisfied)),
        ("golang:1.26-alpine", "1.27.0", Some(ToolchainSwitching::Local), Some(Refused)),
        ("golang:1.21.0", "1.22", Some(ToolchainSwitching::Auto), Some(SwitchesToolchain)),
        ("golang:1.21rc4", "1.21.0", Some(ToolchainSwitching::Auto), Some(SwitchesToolchain)),
        ("golang:1.21.1", "1.22", Some(ToolchainSwitching::Local), Some(Refused)),
        ("golang:1.19", "1.22.0", Some(ToolchainSwitching::Unsupported), Some(Unparsable)),
        ("golang:1.20-alpine", "1.21", Some(ToolchainSwitching::Unsupported), Some(LanguageOnly)),
        ("golang:tip", "1.27", Some(ToolchainSwitching::Local), None),
        ("golang:${GO_VERSION}", "1.26", None, None),
        ("golang:1.26-windowsservercore", "1.27", None, Some(Refused)),
    ];
    for (reference, line, toolchain, check) in cases {
        let image = GolangImage::from_reference(reference).expect(reference);
        let line = GoVersion::parse(line).expect(line);
        assert_eq!((image.toolchain, image.check_go_line(line)), (toolchain, check), "{reference} with go {line}");
    }
}

#[test]
fn timeline_constants_match_their_dates() {
    let dates = ["2017-07-11", "2019-07-19", "2021-08-16", "2023-06-14", "2025-08-12"];
    for ((_, day), date) in DEBIAN_DEFAULTS.iter().zip(dates) {
        assert_eq!(day.to_string(), date);
    }
    assert_eq!(JESSIE_DEFAULT_FROM.to_string(), "2014-10-09");
    assert_eq!(GOTOOLCHAIN_LOCAL_FROM.to_string(), "2023-09-15");
}
