//! Go versions (`1.21`, `1.21.0`, `go1.21rc1`) with the go command's own ordering, and the `go` line check.
//!
//! Go does not use semver. Since Go 1.21, `1.N` names the *language* version and the first release
//! of the line is `1.N.0`; release candidates sit in between: `1.21 < 1.21rc1 < 1.21.0 < 1.21.1`.
//! The derived ordering of [`GoVersion`] (major, minor, patch, prerelease, with "absent" sorting
//! first) reproduces exactly that order, which is the one `go/version.Compare` documents.

use std::fmt;

/// A parsed Go version: `major.minor[.patch]` or `major.minor(alpha|beta|rc)N`.
///
/// Field order matters: the derived `Ord` is Go's version order (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GoVersion {
    pub major: u32,
    pub minor: u32,
    /// `None` for a language version (`1.21`) or a prerelease (`1.21rc1`).
    pub patch: Option<u32>,
    /// Only without a patch: Go never published `1.21.0rc1`.
    pub prerelease: Option<Prerelease>,
}

/// A development release before `1.N.0`; alpha < beta < rc, then by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prerelease {
    Alpha(u32),
    Beta(u32),
    Rc(u32),
}

impl GoVersion {
    /// A language version such as `1.21` (what a two-part `go` line says).
    pub const fn lang(major: u32, minor: u32) -> GoVersion {
        GoVersion { major, minor, patch: None, prerelease: None }
    }

    /// A released toolchain such as `1.21.3`.
    pub const fn release(major: u32, minor: u32, patch: u32) -> GoVersion {
        GoVersion { major, minor, patch: Some(patch), prerelease: None }
    }

    /// Parses `1.21`, `1.21.0`, `1.21rc1`, with or without a leading `go`.
    ///
    /// Returns `None` for anything else: a single number (`1`), leading zeros (`1.021`), a missing
    /// prerelease number (`1.21rc`), a patch with a prerelease (`1.21.0rc1`), surrounding spaces,
    /// vendor suffixes (`1.21.0-bigcorp`) or numbers that do not fit in a `u32`.
    pub fn parse(text: &str) -> Option<GoVersion> {
        let text = text.strip_prefix("go").unwrap_or(text);
        let (major, rest) = leading_number(text)?;
        let (minor, rest) = leading_number(rest.strip_prefix('.')?)?;
        if rest.is_empty() {
            return Some(GoVersion::lang(major, minor));
        }
        if let Some(patch) = rest.strip_prefix('.') {
            let (patch, rest) = leading_number(patch)?;
            return rest.is_empty().then_some(GoVersion::release(major, minor, patch));
        }
        let prerelease = Prerelease::parse(rest)?;
        Some(GoVersion { major, minor, patch: None, prerelease: Some(prerelease) })
    }

    /// Parses a release name from Go's release history, where releases before Go 1.21 were named
    /// `go1.N` for the first release of a line: `go1.20` becomes `1.20.0`, `go1.21.0` stays as is.
    pub fn parse_release_name(text: &str) -> Option<GoVersion> {
        let version = GoVersion::parse(text)?;
        let old_first_release = version.is_lang() && (version.major, version.minor) < (1, 21);
        Some(if old_first_release { GoVersion::release(version.major, version.minor, 0) } else { version })
    }

    /// The language version of this version: `1.21.3` and `1.21rc1` both give `1.21`.
    pub const fn language(self) -> GoVersion {
        GoVersion::lang(self.major, self.minor)
    }

    /// Whether this is a bare language version (`1.21`), neither a release nor a prerelease.
    pub const fn is_lang(self) -> bool {
        self.patch.is_none() && self.prerelease.is_none()
    }

    /// Whether `self` and `other` belong to the same `major.minor` line.
    pub const fn same_line(self, other: GoVersion) -> bool {
        self.major == other.major && self.minor == other.minor
    }

    /// Whether a toolchain of this version enforces the `go` line as a minimum (Go 1.21 and later).
    pub fn enforces_go_line(self) -> bool {
        self >= GoVersion::lang(1, 21)
    }

    /// Checks a toolchain (`self`, e.g. the Go in the builder image) against a module's `go` line.
    ///
    /// Decision, following the go command rather than a simpler "`1.21` means `1.21.0`" rule:
    /// - the comparison is Go's version order, so for released toolchains `go 1.21` and
    ///   `go 1.21.0` give the same answer, and a release candidate `1.21rc1` satisfies `go 1.21`
    ///   (as the go command accepts it) but not `go 1.21.0`;
    /// - a toolchain from Go 1.21 on refuses a newer `go` line: this assumes `GOTOOLCHAIN=local`, as
    ///   the golang images set it (see [`GolangImage::check_go_line`](super::GolangImage::check_go_line)
    ///   for images where the go command would download the toolchain instead);
    /// - older toolchains read the line as the language version only; they cannot parse a
    ///   three-part line or a prerelease at all ([`GoLineCheck::Unparsable`]) and otherwise only
    ///   fail when the code uses newer features ([`GoLineCheck::LanguageOnly`]).
    pub fn check_go_line(self, go_line: GoVersion) -> GoLineCheck {
        if self >= go_line {
            GoLineCheck::Satisfied
        } else if self.enforces_go_line() {
            GoLineCheck::Refused
        } else if !go_line.is_lang() {
            GoLineCheck::Unparsable
        } else {
            GoLineCheck::LanguageOnly
        }
    }
}

/// The outcome of [`GoVersion::check_go_line`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GoLineCheck {
    /// The toolchain is at least the `go` line.
    Satisfied,
    /// Go 1.21 or later, older than the `go` line, `GOTOOLCHAIN=local`:
    /// `go: go.mod requires go >= … (running go …; GOTOOLCHAIN=local)`.
    Refused,
    /// Go 1.21 or later, older than the `go` line, `GOTOOLCHAIN=auto`: the go command downloads
    /// the toolchain the line asks for during the build (network needed, less reproducible).
    SwitchesToolchain,
    /// Before Go 1.21, and the line has three parts or a prerelease: `invalid go version`.
    Unparsable,
    /// Before Go 1.21, two-part line: the build fails only if the code uses newer language
    /// features or packages (`note: module requires Go 1.N`).
    LanguageOnly,
}

impl Prerelease {
    fn parse(text: &str) -> Option<Prerelease> {
        let (make, number): (fn(u32) -> Prerelease, &str) = if let Some(n) = text.strip_prefix("rc") {
            (Prerelease::Rc, n)
        } else if let Some(n) = text.strip_prefix("beta") {
            (Prerelease::Beta, n)
        } else {
            (Prerelease::Alpha, text.strip_prefix("alpha")?)
        };
        let (number, rest) = leading_number(number)?;
        rest.is_empty().then_some(make(number))
    }
}

/// Splits a decimal number without leading zeros off the front of `text`.
fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = text.split_at(digits);
    if number.is_empty() || (number.len() > 1 && number.starts_with('0')) {
        return None;
    }
    Some((number.parse().ok()?, rest))
}

impl fmt::Display for GoVersion {
    /// Without the `go` prefix, as image tags and `go` lines spell it: `1.21`, `1.21.3`, `1.22rc1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if let Some(patch) = self.patch {
            write!(f, ".{patch}")?;
        }
        match self.prerelease {
            Some(Prerelease::Alpha(n)) => write!(f, "alpha{n}"),
            Some(Prerelease::Beta(n)) => write!(f, "beta{n}"),
            Some(Prerelease::Rc(n)) => write!(f, "rc{n}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> GoVersion {
        GoVersion::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn parses_and_prints_every_form() {
        let cases = [
            ("1.21", "1.21"),
            ("1.21.0", "1.21.0"),
            ("go1.21rc1", "1.21rc1"),
            ("1.22.3", "1.22.3"),
            ("go1.5beta2", "1.5beta2"),
            ("1.21alpha1", "1.21alpha1"),
            ("2.0", "2.0"),
            ("1.0.10", "1.0.10"),
        ];
        for (input, shown) in cases {
            assert_eq!(v(input).to_string(), shown, "{input}");
        }
    }

    #[test]
    fn rejects_malformed_versions_without_panicking() {
        let cases = [
            "",
            "go",
            "1",
            "go1",
            "1.",
            "1.21.",
            "1..2",
            ".1",
            "1.021",
            "01.2",
            "1.21.00",
            "1.21rc",
            "1.21rc01",
            "1.21.0rc1",
            "1.21-rc1",
            "1.21.0-bigcorp",
            " 1.21",
            "1.21 ",
            "v1.21",
            "1.21.x",
            "1.2.3.4",
            "1.99999999999",
            "latest",
            "${GO_VERSION}",
            "１.２",
            "1.2é",
            "go1.21gamma1",
            "1.21rc1.2",
        ];
        for input in cases {
            assert_eq!(GoVersion::parse(input), None, "{input:?}");
        }
    }

    #[test]
    fn orders_like_the_go_command() {
        let ascending = [
            "1.9",
            "1.9.7",
            "1.10",
            "1.20",
            "1.20rc1",
            "1.20.0",
            "1.20.14",
            "1.21",
            "1.21alpha1",
            "1.21beta2",
            "1.21rc1",
            "1.21rc2",
            "1.21.0",
            "1.21.1",
            "1.21.10",
            "1.22",
            "2.0",
        ];
        for pair in ascending.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("go1.21.0"), v("1.21.0"));
    }

    #[test]
    fn release_names_before_go_1_21_mean_the_first_release() {
        let cases = [("go1.13", "1.13.0"), ("go1.20", "1.20.0"), ("go1.21.0", "1.21.0"), ("go1.13.1", "1.13.1")];
        for (name, release) in cases {
            assert_eq!(GoVersion::parse_release_name(name), Some(v(release)), "{name}");
        }
        assert_eq!(GoVersion::parse_release_name("go1.21"), Some(v("1.21")), "1.21 is a language version");
    }

    #[test]
    fn go_line_checks() {
        use GoLineCheck::*;
        let cases = [
            // (toolchain, go line, expected)
            ("1.21.0", "1.21", Satisfied),
            ("1.21.0", "1.21.0", Satisfied),
            ("1.22.3", "1.21", Satisfied),
            ("1.21rc1", "1.21", Satisfied),
            ("1.21rc1", "1.21.0", Refused),
            ("1.23.8", "1.24.0", Refused),
            ("1.23.8", "1.24", Refused),
            ("1.24.0", "1.24.1", Refused),
            ("1.20.14", "1.21", LanguageOnly),
            ("1.19.8", "1.22.0", Unparsable),
            ("1.19.8", "1.21rc1", Unparsable),
            ("1.15.15", "1.16", LanguageOnly),
            ("1.16.0", "1.16", Satisfied),
        ];
        for (toolchain, line, expected) in cases {
            assert_eq!(v(toolchain).check_go_line(v(line)), expected, "{toolchain} against go {line}");
        }
    }
}
