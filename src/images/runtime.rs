//! Facts about the images Go programs run in: libc, shell, CA bundle, time zones, users, package manager.
//!
//! Each fact is `None` (or `Unknown`) when gantry does not know it, so that rules stay silent
//! rather than guess; an image gantry has no facts about gets [`RuntimeImage::unknown`].

use super::distro::{AlpineVersion, DebianRelease, Libc};
use super::golang::{GolangImage, Variant};
use super::reference::ImageReference;

/// What a runtime stage's base image provides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeImage {
    pub kind: RuntimeKind,
    /// The C library a dynamically linked program finds (`None`: only static programs run).
    pub libc: Libc,
    /// A `/bin/sh` for shell-form `RUN`, `CMD` and `ENTRYPOINT`.
    pub has_shell: Option<bool>,
    /// A CA bundle at `/etc/ssl/certs/ca-certificates.crt`, for TLS clients.
    pub has_ca_certificates: Option<bool>,
    /// A time zone database under `/usr/share/zoneinfo` (or one Go finds on its own).
    pub has_tzdata: Option<bool>,
    /// An `/etc/passwd`, which the pure-Go `os/user` reads.
    pub has_passwd: Option<bool>,
    /// The user the image runs as unless `USER` says otherwise.
    pub user: Option<ImageUser>,
    /// The dedicated unprivileged user the image defines for services (`nonroot`, uid 65532),
    /// if it defines one; generic accounts such as `nobody` are not counted.
    pub nonroot_user: Option<ImageUser>,
    pub package_manager: PackageManager,
}

/// A user account of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ImageUser {
    pub name: &'static str,
    pub uid: u32,
}

impl ImageUser {
    pub const ROOT: ImageUser = ImageUser { name: "root", uid: 0 };
    /// The unprivileged user of distroless and Chainguard images.
    pub const NONROOT: ImageUser = ImageUser { name: "nonroot", uid: 65_532 };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageManager {
    /// No package manager: `RUN` cannot install anything.
    None,
    Apt,
    Apk,
    Unknown,
}

/// Which image family a reference belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeKind {
    /// The empty image.
    Scratch,
    /// `gcr.io/distroless/<flavor>[-debianN]:<tag>`.
    Distroless {
        flavor: DistrolessFlavor,
        /// The Debian release of the build; for a name without `-debianN`, the release that name
        /// pointed at on the tables' date (Debian 13).
        debian: DebianRelease,
        /// Whether the name carries the `-debianN` suffix.
        debian_pinned: bool,
        tag: DistrolessTag,
    },
    /// `alpine[:3.N…]`; `version` `None` for floating tags (`latest`, `3`, `edge`).
    Alpine {
        version: Option<AlpineVersion>,
    },
    /// `busybox[:…-glibc|-musl|-uclibc]`.
    Busybox,
    /// `debian[:…]`; `release` `None` when the tag does not say.
    Debian {
        release: Option<DebianRelease>,
    },
    /// `ubuntu[:…]`.
    Ubuntu,
    /// `cgr.dev/chainguard/<image>`; `dev` for the `-dev` tags, which add a shell and apk.
    Chainguard {
        image: ChainguardImage,
        dev: bool,
    },
    /// The `golang` image itself used to run the program.
    Golang(Box<GolangImage>),
    Unknown,
}

/// The distroless images, each adding to the one before (static, base-nossl, base, cc), plus the
/// language runtimes built on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistrolessFlavor {
    /// CA certificates, passwd, tzdata; no libc.
    Static,
    /// Adds glibc.
    BaseNossl,
    /// Adds libssl.
    Base,
    /// Adds libgcc.
    Cc,
    Java,
    Nodejs,
    Python,
}

/// The tag of a distroless image (an architecture suffix such as `-amd64` is ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistrolessTag {
    /// Root, no shell (also when no tag is given).
    Latest,
    /// uid 65532, no shell.
    Nonroot,
    /// Root, busybox shell.
    Debug,
    /// uid 65532, busybox shell.
    DebugNonroot,
    /// Another tag, a variable, or only a digest.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChainguardImage {
    /// Like distroless static: CA bundle, tzdata, passwd; no libc.
    Static,
    /// glibc for dynamically linked programs.
    GlibcDynamic,
    /// A minimal Wolfi with busybox and apk.
    WolfiBase,
}

impl RuntimeImage {
    /// An image gantry knows nothing about: every fact unknown.
    pub fn unknown() -> RuntimeImage {
        RuntimeImage {
            kind: RuntimeKind::Unknown,
            libc: Libc::Unknown,
            has_shell: None,
            has_ca_certificates: None,
            has_tzdata: None,
            has_passwd: None,
            user: None,
            nonroot_user: None,
            package_manager: PackageManager::Unknown,
        }
    }

    /// Facts about the image a `FROM` reference names; unknown facts for images outside the list
    /// (and for names with variables).
    pub fn from_reference(reference: &str) -> RuntimeImage {
        if reference == "scratch" {
            return scratch();
        }
        let Some(parsed) = ImageReference::parse(reference) else { return RuntimeImage::unknown() };
        // A variable registry (`${REGISTRY}/library/alpine`) still names a known image; a variable path does not.
        if parsed.path.contains('$') {
            return RuntimeImage::unknown();
        }
        let tag = parsed.tag.filter(|tag| !tag.contains('$'));
        let tag_is_variable = parsed.tag.is_some() && tag.is_none();
        match (parsed.registry, parsed.path) {
            (Some("gcr.io"), path) if path.starts_with("distroless/") => {
                distroless(&path["distroless/".len()..], parsed.tag, parsed.digest.is_some())
            }
            (Some("cgr.dev"), path) if path.starts_with("chainguard/") => {
                chainguard(&path["chainguard/".len()..], tag, tag_is_variable)
            }
            _ => match parsed.official_name() {
                Some("alpine") => alpine(tag, tag_is_variable),
                Some("busybox") => busybox(tag, tag_is_variable),
                Some("debian") => debian(parsed.tag),
                Some("ubuntu") => ubuntu(),
                Some("golang") => golang(GolangImage::from_tag(parsed.tag, parsed.digest)),
                _ => RuntimeImage::unknown(),
            },
        }
    }
}

fn scratch() -> RuntimeImage {
    RuntimeImage {
        kind: RuntimeKind::Scratch,
        libc: Libc::None,
        has_shell: Some(false),
        has_ca_certificates: Some(false),
        has_tzdata: Some(false),
        has_passwd: Some(false),
        user: Some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: PackageManager::None,
    }
}

/// `static-debian12`, `base`, `cc-debian13`, `java17-debian12` with a tag such as `nonroot`.
fn distroless(name: &str, tag: Option<&str>, has_digest: bool) -> RuntimeImage {
    let (flavor_name, debian) = match name.rsplit_once("-debian") {
        Some((flavor, number)) => match number.parse().ok().and_then(DebianRelease::from_number) {
            Some(release) => (flavor, Some(release)),
            None => return RuntimeImage::unknown(),
        },
        None => (name, None),
    };
    let flavor = match flavor_name {
        "static" => DistrolessFlavor::Static,
        "base-nossl" => DistrolessFlavor::BaseNossl,
        "base" => DistrolessFlavor::Base,
        "cc" => DistrolessFlavor::Cc,
        _ if flavor_name.starts_with("java") => DistrolessFlavor::Java,
        _ if flavor_name.starts_with("nodejs") => DistrolessFlavor::Nodejs,
        _ if flavor_name.starts_with("python") => DistrolessFlavor::Python,
        _ => return RuntimeImage::unknown(),
    };
    let tag = match tag {
        // With only a digest, the digest may be any of the four tags' images.
        None if has_digest => DistrolessTag::Unknown,
        None => DistrolessTag::Latest,
        Some(tag) => distroless_tag(tag),
    };
    let debug = matches!(tag, DistrolessTag::Debug | DistrolessTag::DebugNonroot);
    let user = match tag {
        DistrolessTag::Latest | DistrolessTag::Debug => Some(ImageUser::ROOT),
        DistrolessTag::Nonroot | DistrolessTag::DebugNonroot => Some(ImageUser::NONROOT),
        DistrolessTag::Unknown => None,
    };
    RuntimeImage {
        kind: RuntimeKind::Distroless {
            flavor,
            // Names without a suffix point at the newest Debian build (Debian 13 as of 2026-08).
            debian: debian.unwrap_or(DebianRelease::Trixie),
            debian_pinned: debian.is_some(),
            tag,
        },
        libc: if flavor == DistrolessFlavor::Static { Libc::None } else { Libc::Glibc },
        // The debug images add a statically linked busybox.
        has_shell: (tag != DistrolessTag::Unknown).then_some(debug),
        has_ca_certificates: Some(true),
        has_tzdata: Some(true),
        has_passwd: Some(true),
        user,
        nonroot_user: Some(ImageUser::NONROOT),
        package_manager: PackageManager::None,
    }
}

fn distroless_tag(tag: &str) -> DistrolessTag {
    const ARCHITECTURES: [&str; 6] = ["amd64", "arm64", "arm", "s390x", "ppc64le", "riscv64"];
    let base = match tag.rsplit_once('-') {
        Some((base, arch)) if ARCHITECTURES.contains(&arch) => base,
        // `nonroot-${ARCH}`: a variable can only stand for the architecture there.
        Some((base, arch)) if arch.starts_with('$') && !base.contains('$') => base,
        _ => tag,
    };
    match base {
        "latest" => DistrolessTag::Latest,
        "nonroot" => DistrolessTag::Nonroot,
        "debug" => DistrolessTag::Debug,
        "debug-nonroot" => DistrolessTag::DebugNonroot,
        _ => DistrolessTag::Unknown,
    }
}

fn chainguard(name: &str, tag: Option<&str>, tag_is_variable: bool) -> RuntimeImage {
    let image = match name {
        "static" => ChainguardImage::Static,
        "glibc-dynamic" => ChainguardImage::GlibcDynamic,
        "wolfi-base" => ChainguardImage::WolfiBase,
        _ => return RuntimeImage::unknown(),
    };
    let dev = tag.is_some_and(|tag| tag == "latest-dev" || tag.ends_with("-dev"));
    let tooling_known = !tag_is_variable;
    let (libc, user, tzdata) = match image {
        ChainguardImage::Static => (Libc::None, Some(ImageUser::NONROOT), Some(true)),
        ChainguardImage::GlibcDynamic => (Libc::Glibc, Some(ImageUser::NONROOT), None),
        ChainguardImage::WolfiBase => (Libc::Glibc, None, None),
    };
    let shell = image == ChainguardImage::WolfiBase || dev;
    RuntimeImage {
        kind: RuntimeKind::Chainguard { image, dev },
        libc,
        has_shell: tooling_known.then_some(shell),
        has_ca_certificates: Some(true),
        has_tzdata: tzdata,
        has_passwd: Some(true),
        // Whether a -dev tag keeps the nonroot user varies between images: not known.
        user: if dev { None } else { user },
        nonroot_user: Some(ImageUser::NONROOT),
        package_manager: match (tooling_known, shell) {
            (false, _) => PackageManager::Unknown,
            (true, true) => PackageManager::Apk,
            (true, false) => PackageManager::None,
        },
    }
}

/// `alpine`, `alpine:3.24`, `alpine:3.24.1`, `alpine:edge`.
fn alpine(tag: Option<&str>, tag_is_variable: bool) -> RuntimeImage {
    let version = tag.and_then(|tag| {
        let mut parts = tag.splitn(3, '.');
        AlpineVersion::parse(&format!("{}.{}", parts.next()?, parts.next()?))
    });
    // The CA bundle is part of the base image in the releases gantry knows (3.13 and later, and
    // the floating tags); for older pinned releases it is not known.
    let ca_bundle = match version {
        Some(version) => (version >= AlpineVersion { major: 3, minor: 13 }).then_some(true),
        None => (!tag_is_variable).then_some(true),
    };
    RuntimeImage {
        kind: RuntimeKind::Alpine { version },
        libc: Libc::Musl,
        has_shell: Some(true),
        has_ca_certificates: ca_bundle,
        has_tzdata: Some(false),
        has_passwd: Some(true),
        user: Some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: PackageManager::Apk,
    }
}

/// `busybox` and its libc variants. The glibc variant carries glibc's shared libraries; the musl
/// and uclibc variants are a static busybox with no shared libc at all.
fn busybox(tag: Option<&str>, tag_is_variable: bool) -> RuntimeImage {
    let tag = tag.unwrap_or("latest");
    let variant = tag.rsplit('-').next().unwrap_or(tag);
    let libc = match variant {
        _ if tag_is_variable => Libc::Unknown,
        "glibc" => Libc::Glibc,
        "musl" | "uclibc" => Libc::None,
        // The unsuffixed tags mean the glibc build since busybox 1.36 (before, uclibc), so a
        // version below 1.36 depends on when the image was last built.
        _ => match busybox_version(variant) {
            Some(version) if version < (1, 36) => Libc::Unknown,
            _ => Libc::Glibc,
        },
    };
    RuntimeImage {
        kind: RuntimeKind::Busybox,
        libc,
        has_shell: Some(true),
        has_ca_certificates: Some(false),
        has_tzdata: Some(false),
        has_passwd: Some(true),
        user: Some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: PackageManager::None,
    }
}

fn busybox_version(tag: &str) -> Option<(u32, u32)> {
    let mut parts = tag.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(u32::MAX), |minor| minor.parse().ok())?;
    Some((major, minor))
}

/// `debian:bookworm`, `debian:12-slim`, `debian:trixie-20260801`, `debian:stable`.
fn debian(tag: Option<&str>) -> RuntimeImage {
    let release = tag.filter(|tag| !tag.contains('$')).and_then(|tag| {
        let first = tag.split(['-', '.']).next().unwrap_or(tag);
        match first {
            // The moving names, as of the tables' date (Debian 13 was released in August 2025).
            "stable" | "latest" => Some(DebianRelease::Trixie),
            "oldstable" => Some(DebianRelease::Bookworm),
            _ => DebianRelease::from_codename(first).or_else(|| DebianRelease::from_number(first.parse().ok()?)),
        }
    });
    let release = if tag.is_none() { Some(DebianRelease::Trixie) } else { release };
    RuntimeImage {
        kind: RuntimeKind::Debian { release },
        libc: Libc::Glibc,
        has_shell: Some(true),
        // The Debian images install neither ca-certificates nor (reliably) tzdata.
        has_ca_certificates: Some(false),
        has_tzdata: None,
        has_passwd: Some(true),
        user: Some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: PackageManager::Apt,
    }
}

fn ubuntu() -> RuntimeImage {
    RuntimeImage {
        kind: RuntimeKind::Ubuntu,
        libc: Libc::Glibc,
        has_shell: Some(true),
        // The Ubuntu images are minimised: neither a CA bundle nor tzdata.
        has_ca_certificates: Some(false),
        has_tzdata: Some(false),
        has_passwd: Some(true),
        user: Some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: PackageManager::Apt,
    }
}

fn golang(image: GolangImage) -> RuntimeImage {
    let linux = matches!(image.variant, Variant::Debian { .. } | Variant::Alpine { .. });
    let known = |fact: bool| linux.then_some(fact);
    RuntimeImage {
        libc: image.libc,
        has_shell: known(true),
        // Debian variants inherit the bundle from buildpack-deps; Alpine ones add ca-certificates.
        has_ca_certificates: known(true),
        // Go falls back to the zoneinfo.zip of its own installation, which is in the image.
        has_tzdata: known(true),
        has_passwd: known(true),
        user: linux.then_some(ImageUser::ROOT),
        nonroot_user: None,
        package_manager: match image.variant {
            Variant::Debian { .. } => PackageManager::Apt,
            Variant::Alpine { .. } => PackageManager::Apk,
            _ => PackageManager::Unknown,
        },
        kind: RuntimeKind::Golang(Box::new(image)),
    }
}

#[cfg(test)]
mod tests;
