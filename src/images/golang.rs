//! The official `golang` image: what a reference such as `golang:1.26-alpine3.23` gives a build.
//!
//! Tag grammar (docker-library's): `<version>[-<suite>]`, where the version is `1`, `1.N`,
//! `1.N.P`, `1.NrcK`, `1.N-rc`, `rc`, `tip[-YYYYMMDD]`, `latest` or nothing, and the suite is a
//! Debian code name, `alpine[3.N]`, `windowsservercore[-<release>]`, `nanoserver[-<release>]`, or
//! the retired `onbuild`/`cross` (both Debian-based). Floating tags are resolved with the tag
//! table: to the newest version the tag could have carried on the last day it was listed, which
//! for tags still listed is the tables' date ([`DATA_AS_OF`](super::DATA_AS_OF)).

use std::sync::LazyLock;

use super::day::Day;
use super::distro::{AlpineVersion, DebianRelease, Libc, WindowsRelease};
use super::go_version::{GoLineCheck, GoVersion};
use super::reference::ImageReference;
use super::table;

/// What a `golang` image reference means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GolangImage {
    /// The tag as written; `None` when the reference has none (which means `latest`).
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// How precisely the tag names a Go version.
    pub pin: VersionPin,
    /// The Go version in the image: the tag's own for exact tags, the newest release of the
    /// tag's line as of [`GolangImage::as_of`] for floating ones; `None` when the tag uses a
    /// variable, is not understood, names a development build, or its line has no release.
    pub go_version: Option<GoVersion>,
    /// The day a floating tag was resolved at: its last day in the tag table (the tables' date
    /// for tags still listed).
    pub as_of: Option<Day>,
    pub variant: Variant,
    pub libc: Libc,
    /// Whether gcc is installed (Debian variants: gcc, libc6-dev, make, pkg-config). `None` when
    /// the variant is unknown.
    pub has_c_compiler: Option<bool>,
    /// The `CGO_ENABLED` a native build gets without setting it. Go 1.20 and later turn cgo off
    /// when no C compiler is found, so it is off on Alpine and Windows; before 1.20 it was on
    /// (and failed when cgo was needed). Cross-compiling turns it off everywhere.
    pub cgo_default: Option<bool>,
    /// What the go command does when go.mod asks for a newer Go (Linux variants; `None` when
    /// the Go version is unknown or for Windows, whose environment the tables do not cover).
    pub toolchain: Option<ToolchainSwitching>,
    /// The tag appears in the tag table (it exists or existed). `false` for tags with variables.
    pub tag_known: bool,
    /// The tag is still listed, so still rebuilt with Go and OS fixes.
    pub current: bool,
}

/// How precisely a tag names a Go version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VersionPin {
    /// `1.26.7`, `1.27rc1`: one version.
    Exact,
    /// `1.26`, `1.26-alpine`: the newest patch release of a line.
    Minor,
    /// `1`: the newest release of Go 1.
    Major,
    /// No version: no tag, `latest`, `alpine`, `bookworm`.
    Latest,
    /// `1.27-rc`, `rc`: the newest prerelease.
    Prerelease,
    /// `tip`: the weekly development build.
    Tip,
    /// `tip-20260815`: one development build.
    TipBuild,
    /// A tag with a variable (`${GO_VERSION}`) or one that does not follow the grammar.
    Unknown,
}

impl VersionPin {
    /// Whether the Go version behind the tag changes over time.
    pub fn is_floating(self) -> bool {
        matches!(
            self,
            VersionPin::Minor | VersionPin::Major | VersionPin::Latest | VersionPin::Prerelease | VersionPin::Tip
        )
    }
}

/// Whether the image's go command switches to the toolchain a module asks for (`GOTOOLCHAIN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ToolchainSwitching {
    /// Go before 1.21: no switching, and the `go` line is only the language version.
    Unsupported,
    /// `GOTOOLCHAIN=local`, set by the images since 2023-09-15: a newer `go` line stops the build.
    Local,
    /// Go 1.21 images last built before 2023-09-15 kept Go's default `auto`: the go command
    /// downloads the newer toolchain.
    Auto,
}

/// The first day the golang images set `GOTOOLCHAIN=local` (docker-library/golang#472).
const GOTOOLCHAIN_LOCAL_FROM: Day = Day(19_615); // 2023-09-15

/// The operating system under the Go toolchain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Debian; `pinned` when the tag names the release, otherwise `release` is the default one
    /// on the tag's last day listed (`None` before October 2014, which the tables do not cover).
    Debian { release: Option<DebianRelease>, pinned: bool },
    /// Alpine (musl); `pinned` when the tag names the version, otherwise `version` is the newest
    /// Alpine tag listed next to it (`None` when there was none).
    Alpine { version: Option<AlpineVersion>, pinned: bool },
    /// Windows Server Core; `release` `None` when the tag covers several releases.
    WindowsServerCore { release: Option<WindowsRelease> },
    /// Nano Server; `release` `None` when the tag covers several releases.
    NanoServer { release: Option<WindowsRelease> },
    /// Not known: a variable or an unrecognised suffix.
    Unknown,
}

impl Variant {
    /// The tag suffix that selects this variant, as written after the version: `""` (Debian,
    /// default release), `"-bookworm"`, `"-alpine"`, `"-alpine3.23"`, `"-nanoserver-ltsc2022"`.
    pub fn tag_suffix(self) -> Option<String> {
        Some(match self {
            Variant::Debian { release: Some(release), pinned: true } => format!("-{}", release.codename()),
            Variant::Debian { .. } => String::new(),
            Variant::Alpine { version: Some(version), pinned: true } => format!("-alpine{version}"),
            Variant::Alpine { .. } => "-alpine".into(),
            Variant::WindowsServerCore { release } => windows_suffix("windowsservercore", release),
            Variant::NanoServer { release } => windows_suffix("nanoserver", release),
            Variant::Unknown => return None,
        })
    }

    pub fn libc(self) -> Libc {
        match self {
            Variant::Debian { .. } => Libc::Glibc,
            Variant::Alpine { .. } => Libc::Musl,
            Variant::WindowsServerCore { .. } | Variant::NanoServer { .. } => Libc::Windows,
            Variant::Unknown => Libc::Unknown,
        }
    }

    /// Only the Debian variants ship gcc; Alpine adds only ca-certificates to its base, and the
    /// Windows images only Git and Go.
    pub fn has_c_compiler(self) -> Option<bool> {
        match self {
            Variant::Debian { .. } => Some(true),
            Variant::Alpine { .. } | Variant::WindowsServerCore { .. } | Variant::NanoServer { .. } => Some(false),
            Variant::Unknown => None,
        }
    }
}

fn windows_suffix(family: &str, release: Option<WindowsRelease>) -> String {
    match release {
        Some(release) => format!("-{family}-{}", release.tag_name()),
        None => format!("-{family}"),
    }
}

impl GolangImage {
    /// Reads a `FROM` image reference; `None` unless it names the official golang image (on
    /// Docker Hub under any of its spellings, or through a mirror of `library/golang`).
    pub fn from_reference(reference: &str) -> Option<GolangImage> {
        let reference = ImageReference::parse(reference)?;
        (reference.official_name()? == "golang").then(|| GolangImage::from_tag(reference.tag, reference.digest))
    }

    /// What `golang:<tag>` means (`None`: no tag, which is `latest`).
    pub fn from_tag(tag: Option<&str>, digest: Option<&str>) -> GolangImage {
        let name = tag.unwrap_or("latest");
        let record = table::golang_tag(name);
        let mut image = GolangImage {
            tag: tag.map(str::to_string),
            digest: digest.map(str::to_string),
            pin: VersionPin::Unknown,
            go_version: None,
            as_of: None,
            variant: Variant::Unknown,
            libc: Libc::Unknown,
            has_c_compiler: None,
            cgo_default: None,
            toolchain: None,
            tag_known: record.is_some() && !name.contains('$'),
            current: record.is_some_and(|record| record.current),
        };
        // The day the tag's content was last rebuilt, for resolving floating parts.
        let day = record.map_or(table::data_date(), |record| record.last_seen);
        if name.is_empty() || name.contains('$') {
            image.variant = variant_after_variable(name);
        } else {
            let (head, version, suffix) = split_tag(name);
            if version != VersionPart::Unknown {
                image.variant = resolve_variant(parse_suffix(suffix), head, day);
            }
            image.pin = match version {
                VersionPart::Exact(_) => VersionPin::Exact,
                VersionPart::Minor(_) => VersionPin::Minor,
                VersionPart::Major(_) => VersionPin::Major,
                VersionPart::Prerelease(_) => VersionPin::Prerelease,
                VersionPart::Tip => VersionPin::Tip,
                VersionPart::TipBuild => VersionPin::TipBuild,
                VersionPart::None if image.variant != Variant::Unknown => VersionPin::Latest,
                VersionPart::None | VersionPart::Unknown => VersionPin::Unknown,
            };
            if image.pin != VersionPin::Unknown {
                (image.go_version, image.as_of) = resolve_version(version, day);
            }
        }
        image.libc = image.variant.libc();
        image.has_c_compiler = image.variant.has_c_compiler();
        image.cgo_default = match image.variant {
            Variant::Debian { .. } => Some(true),
            Variant::Unknown => None,
            // Without a compiler, cgo is off from Go 1.20 on; development builds are newer still.
            _ => match image.go_version {
                Some(version) => Some(version < GoVersion::lang(1, 20)),
                None if matches!(image.pin, VersionPin::Tip | VersionPin::TipBuild) => Some(false),
                None => None,
            },
        };
        let linux = matches!(image.variant, Variant::Debian { .. } | Variant::Alpine { .. });
        let development = matches!(image.pin, VersionPin::Tip | VersionPin::TipBuild);
        image.toolchain = match image.go_version {
            _ if !linux => None,
            Some(version) if !version.enforces_go_line() => Some(ToolchainSwitching::Unsupported),
            Some(_) => {
                Some(if day >= GOTOOLCHAIN_LOCAL_FROM { ToolchainSwitching::Local } else { ToolchainSwitching::Auto })
            }
            None if development => Some(ToolchainSwitching::Local),
            None => None,
        };
        image
    }

    /// Checks the image's Go against a module's `go` line (see [`GoVersion::check_go_line`]),
    /// taking the image's `GOTOOLCHAIN` default into account; `None` when the Go version is unknown.
    /// A Dockerfile that sets `GOTOOLCHAIN` itself overrides what this assumes.
    pub fn check_go_line(&self, go_line: GoVersion) -> Option<GoLineCheck> {
        let check = self.go_version?.check_go_line(go_line);
        Some(match (check, self.toolchain) {
            (GoLineCheck::Refused, Some(ToolchainSwitching::Auto)) => GoLineCheck::SwitchesToolchain,
            _ => check,
        })
    }

    /// Whether the Go version behind the tag changes over time.
    pub fn is_floating(&self) -> bool {
        self.pin.is_floating()
    }
}

/// The version part of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VersionPart {
    /// No version: `latest`, `alpine`, `bookworm`.
    None,
    Major(u32),
    /// `1.26`: the language version of the line.
    Minor(GoVersion),
    Exact(GoVersion),
    /// `1.27-rc` (the line) or `rc` (any line).
    Prerelease(Option<GoVersion>),
    Tip,
    TipBuild,
    Unknown,
}

/// Splits a tag into the version text (the "head", `""` when there is none), what it means, and
/// the suite after it (without the `-`).
fn split_tag(tag: &str) -> (&str, VersionPart, &str) {
    if tag == "latest" {
        return ("", VersionPart::None, "");
    }
    let (first, rest) = tag.split_once('-').unwrap_or((tag, ""));
    let after = |head_len: usize| tag.get(head_len..).map_or("", |rest| rest.strip_prefix('-').unwrap_or(rest));
    match first {
        "tip" => {
            let date = rest.split('-').next().unwrap_or("");
            if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) {
                let head_len = "tip-".len() + date.len();
                (&tag[..head_len], VersionPart::TipBuild, after(head_len))
            } else {
                (first, VersionPart::Tip, rest)
            }
        }
        "rc" => (first, VersionPart::Prerelease(None), rest),
        _ if first.starts_with(|c: char| c.is_ascii_digit()) => {
            if first.bytes().all(|b| b.is_ascii_digit()) {
                let leading_zero = first.len() > 1 && first.starts_with('0');
                let major = first.parse().ok().filter(|_| !leading_zero);
                let version = major.map_or(VersionPart::Unknown, VersionPart::Major);
                return (first, version, rest);
            }
            match GoVersion::parse(first) {
                Some(line) if line.is_lang() && (rest == "rc" || rest.starts_with("rc-")) => {
                    let head_len = first.len() + "-rc".len();
                    (&tag[..head_len], VersionPart::Prerelease(Some(line)), after(head_len))
                }
                Some(line) if line.is_lang() => (first, VersionPart::Minor(line), rest),
                Some(version) => (first, VersionPart::Exact(version), rest),
                None => (first, VersionPart::Unknown, rest),
            }
        }
        _ => ("", VersionPart::None, tag),
    }
}

/// The suite part of a tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Suite {
    DebianDefault,
    Debian(DebianRelease),
    AlpineDefault,
    Alpine(AlpineVersion),
    ServerCore(Option<WindowsRelease>),
    NanoServer(Option<WindowsRelease>),
    Unknown,
}

fn parse_suffix(suffix: &str) -> Suite {
    if let Some(release) = DebianRelease::from_codename(suffix) {
        return Suite::Debian(release);
    }
    let windows = |family: &str| -> Option<Option<WindowsRelease>> {
        let rest = suffix.strip_prefix(family)?;
        match rest.strip_prefix('-') {
            None if rest.is_empty() => Some(None),
            Some(release) => WindowsRelease::from_tag_name(release).map(Some),
            None => None,
        }
    };
    match suffix {
        // The retired `onbuild` (ONBUILD triggers) and `cross` (cross compilers) images were
        // built on the default Debian image of their time.
        "" | "onbuild" | "cross" => Suite::DebianDefault,
        "alpine" => Suite::AlpineDefault,
        _ => {
            if let Some(version) = suffix.strip_prefix("alpine").and_then(AlpineVersion::parse) {
                Suite::Alpine(version)
            } else if let Some(release) = windows("windowsservercore") {
                Suite::ServerCore(release)
            } else if let Some(release) = windows("nanoserver") {
                Suite::NanoServer(release)
            } else {
                Suite::Unknown
            }
        }
    }
}

fn resolve_variant(suite: Suite, head: &str, day: Day) -> Variant {
    match suite {
        Suite::DebianDefault => Variant::Debian { release: default_debian(head, day), pinned: false },
        Suite::Debian(release) => Variant::Debian { release: Some(release), pinned: true },
        Suite::AlpineDefault => Variant::Alpine { version: newest_alpine(head, day), pinned: false },
        Suite::Alpine(version) => Variant::Alpine { version: Some(version), pinned: true },
        Suite::ServerCore(release) => Variant::WindowsServerCore { release },
        Suite::NanoServer(release) => Variant::NanoServer { release },
        Suite::Unknown => Variant::Unknown,
    }
}

/// `${GO_VERSION}-alpine`: the version is unknown, but a literal suite after the last variable
/// still says which variant it is, as does `-alpine${ALPINE_VERSION}` at the end. Anything else
/// with a variable is unknown.
fn variant_after_variable(tag: &str) -> Variant {
    if let Some((_, alpine_version)) = tag.split_once("-alpine$") {
        let alpine_version = &tag[tag.len() - alpine_version.len() - 1..];
        if variable_len(alpine_version) == Some(alpine_version.len()) {
            return Variant::Alpine { version: None, pinned: true };
        }
    }
    let Some((_, after_dollar)) = tag.rsplit_once('$') else { return Variant::Unknown };
    let rest = if after_dollar.starts_with('{') {
        tag.rsplit_once('}').map_or("", |(_, rest)| rest)
    } else {
        after_dollar.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
    };
    match rest.strip_prefix('-') {
        Some(suffix) if !suffix.contains(['$', '{', '}']) => match parse_suffix(suffix) {
            // Which Debian release or Alpine version the default means depends on the version.
            Suite::DebianDefault if suffix.is_empty() => Variant::Unknown,
            Suite::DebianDefault => Variant::Debian { release: None, pinned: false },
            Suite::AlpineDefault => Variant::Alpine { version: None, pinned: false },
            suite => resolve_variant(suite, "", table::data_date()),
        },
        _ => Variant::Unknown,
    }
}

/// The length of the variable reference (`$NAME` or `${…}`, nested braces included) that
/// `text` starts with.
fn variable_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix('$')?;
    if rest.starts_with('{') {
        let mut depth = 0usize;
        for (index, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => return Some(1 + index + 1),
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    } else {
        let name = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        (name > 0).then_some(1 + name)
    }
}

/// When each Debian release became the default of the unsuffixed golang tags. From 2017-07-11 on
/// every Debian tag also has an alias naming its release (`1.9-stretch`); jessie, the default
/// before, had none. Dates from the tag table (first day of the release's tags; bookworm from
/// 2023-06-14, docker-library/official-images#14857).
const DEBIAN_DEFAULTS: [(DebianRelease, Day); 5] = [
    (DebianRelease::Stretch, Day(17_358)),  // 2017-07-11
    (DebianRelease::Buster, Day(18_096)),   // 2019-07-19
    (DebianRelease::Bullseye, Day(18_855)), // 2021-08-16
    (DebianRelease::Bookworm, Day(19_522)), // 2023-06-14
    (DebianRelease::Trixie, Day(20_312)),   // 2025-08-12
];
/// The first day the tables show a Debian release alias (`-wheezy`, next to the jessie default).
const JESSIE_DEFAULT_FROM: Day = Day(16_352); // 2014-10-09

/// The Debian release of an unsuffixed tag with this head, on `day`: the newest default release
/// that the same head was also published with under its code name on that day (Go 1.7 never got
/// a stretch build, so `1.7` stayed on jessie), else the default of the day.
fn default_debian(head: &str, day: Day) -> Option<DebianRelease> {
    if day < JESSIE_DEFAULT_FROM {
        return None;
    }
    let defaults = DEBIAN_DEFAULTS.iter().rev().filter(|(_, from)| *from <= day).map(|(release, _)| *release);
    let mut candidates = defaults.chain([DebianRelease::Jessie]).peekable();
    let default_of_the_day = candidates.peek().copied();
    if day < DEBIAN_DEFAULTS[0].1 {
        return default_of_the_day;
    }
    candidates.find(|release| listed_on(&sibling(head, release.codename()), day)).or(default_of_the_day)
}

/// The newest `alpine3.N` tag listed with this head on `day`: what its plain `alpine` tag meant.
fn newest_alpine(head: &str, day: Day) -> Option<AlpineVersion> {
    let prefix = sibling(head, "alpine");
    table::golang_tags_starting_with(&prefix)
        .iter()
        .filter(|record| record.first_seen <= day && day <= record.last_seen)
        .filter_map(|record| AlpineVersion::parse(record.tag.get(prefix.len()..)?))
        .max()
}

fn sibling(head: &str, suite: &str) -> String {
    if head.is_empty() { suite.to_string() } else { format!("{head}-{suite}") }
}

fn listed_on(tag: &str, day: Day) -> bool {
    table::golang_tag(tag).is_some_and(|record| record.first_seen <= day && day <= record.last_seen)
}

/// Every Go version the image was published with (tags such as `1.21.3` or `1.21rc1`) and the
/// first day its tag was listed.
static VERSION_TAGS: LazyLock<Vec<(GoVersion, Day)>> = LazyLock::new(|| {
    table::golang_bare_tags()
        .iter()
        .filter_map(|record| Some((GoVersion::parse(&record.tag).filter(|v| !v.is_lang())?, record.first_seen)))
        .collect()
});

fn resolve_version(version: VersionPart, day: Day) -> (Option<GoVersion>, Option<Day>) {
    let newest = |wanted: &dyn Fn(GoVersion) -> bool| {
        let version = VERSION_TAGS.iter().filter(|(v, first)| *first <= day && wanted(*v)).map(|(v, _)| *v).max();
        (version, version.map(|_| day))
    };
    let released = |v: GoVersion| v.prerelease.is_none();
    match version {
        VersionPart::Exact(version) => (Some(version), None),
        // Before a line's first release, docker-library published its betas under `1.N` (2016-2017).
        VersionPart::Minor(line) => match newest(&|v| released(v) && v.same_line(line)) {
            (None, _) => newest(&|v| v.same_line(line)),
            found => found,
        },
        VersionPart::Major(major) => newest(&|v| released(v) && v.major == major),
        VersionPart::None => newest(&released),
        VersionPart::Prerelease(Some(line)) => newest(&|v| !released(v) && v.same_line(line)),
        VersionPart::Prerelease(None) => newest(&|v| !released(v)),
        VersionPart::Tip | VersionPart::TipBuild | VersionPart::Unknown => (None, None),
    }
}

#[cfg(test)]
mod tests;
