//! Operating-system releases and C libraries that image variants are built on.

use std::fmt;

/// The C library a program finds at run time in an image (and links against at build time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Libc {
    /// GNU libc (Debian, Ubuntu, distroless `base`/`cc`, Wolfi, busybox's glibc variant).
    Glibc,
    /// musl (Alpine).
    Musl,
    /// Windows images: no Unix C library at all.
    Windows,
    /// No shared C library and no dynamic loader: only statically linked programs run
    /// (`scratch`, distroless `static`, busybox's musl and uclibc variants).
    None,
    /// Not known (an image gantry has no facts about): rules must stay silent.
    Unknown,
}

/// A Debian release, as named by its code name in image tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DebianRelease {
    Wheezy,
    Jessie,
    Stretch,
    Buster,
    Bullseye,
    Bookworm,
    Trixie,
    Forky,
}

impl DebianRelease {
    /// Every release, oldest first.
    pub const ALL: [DebianRelease; 8] = [
        DebianRelease::Wheezy,
        DebianRelease::Jessie,
        DebianRelease::Stretch,
        DebianRelease::Buster,
        DebianRelease::Bullseye,
        DebianRelease::Bookworm,
        DebianRelease::Trixie,
        DebianRelease::Forky,
    ];

    pub fn codename(self) -> &'static str {
        match self {
            DebianRelease::Wheezy => "wheezy",
            DebianRelease::Jessie => "jessie",
            DebianRelease::Stretch => "stretch",
            DebianRelease::Buster => "buster",
            DebianRelease::Bullseye => "bullseye",
            DebianRelease::Bookworm => "bookworm",
            DebianRelease::Trixie => "trixie",
            DebianRelease::Forky => "forky",
        }
    }

    /// The release number (`bookworm` is Debian 12).
    pub fn number(self) -> u32 {
        match self {
            DebianRelease::Wheezy => 7,
            DebianRelease::Jessie => 8,
            DebianRelease::Stretch => 9,
            DebianRelease::Buster => 10,
            DebianRelease::Bullseye => 11,
            DebianRelease::Bookworm => 12,
            DebianRelease::Trixie => 13,
            DebianRelease::Forky => 14,
        }
    }

    pub fn from_codename(name: &str) -> Option<DebianRelease> {
        DebianRelease::ALL.into_iter().find(|release| release.codename() == name)
    }

    pub fn from_number(number: u32) -> Option<DebianRelease> {
        DebianRelease::ALL.into_iter().find(|release| release.number() == number)
    }
}

impl fmt::Display for DebianRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Debian {} ({})", self.number(), self.codename())
    }
}

/// An Alpine Linux release line such as 3.24.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlpineVersion {
    pub major: u32,
    pub minor: u32,
}

impl AlpineVersion {
    /// Parses `3.24` (no patch level: image tags name release lines).
    pub fn parse(text: &str) -> Option<AlpineVersion> {
        let (major, minor) = text.split_once('.')?;
        let number = |s: &str| (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?;
        Some(AlpineVersion { major: number(major)?, minor: number(minor)? })
    }
}

impl fmt::Display for AlpineVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The Windows Server release of a `windowsservercore-…` or `nanoserver-…` tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WindowsRelease {
    Ltsc2016,
    Sac2016,
    V1709,
    V1803,
    V1809,
    Ltsc2022,
    Ltsc2025,
}

impl WindowsRelease {
    pub const ALL: [WindowsRelease; 7] = [
        WindowsRelease::Ltsc2016,
        WindowsRelease::Sac2016,
        WindowsRelease::V1709,
        WindowsRelease::V1803,
        WindowsRelease::V1809,
        WindowsRelease::Ltsc2022,
        WindowsRelease::Ltsc2025,
    ];

    /// The spelling in tags (`ltsc2022`, `1809`).
    pub fn tag_name(self) -> &'static str {
        match self {
            WindowsRelease::Ltsc2016 => "ltsc2016",
            WindowsRelease::Sac2016 => "sac2016",
            WindowsRelease::V1709 => "1709",
            WindowsRelease::V1803 => "1803",
            WindowsRelease::V1809 => "1809",
            WindowsRelease::Ltsc2022 => "ltsc2022",
            WindowsRelease::Ltsc2025 => "ltsc2025",
        }
    }

    pub fn from_tag_name(name: &str) -> Option<WindowsRelease> {
        WindowsRelease::ALL.into_iter().find(|release| release.tag_name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_names_and_numbers_round_trip() {
        for release in DebianRelease::ALL {
            assert_eq!(DebianRelease::from_codename(release.codename()), Some(release));
            assert_eq!(DebianRelease::from_number(release.number()), Some(release));
        }
        assert_eq!(DebianRelease::from_codename("Bookworm"), None);
        assert_eq!(DebianRelease::from_number(6), None);
        assert!(DebianRelease::Bookworm < DebianRelease::Trixie);
    }

    #[test]
    fn alpine_versions() {
        assert_eq!(AlpineVersion::parse("3.24"), Some(AlpineVersion { major: 3, minor: 24 }));
        for bad in ["", "3", "3.", ".4", "3.24.1", "3.x", "+3.2", "3.99999999999", "é.1"] {
            assert_eq!(AlpineVersion::parse(bad), None, "{bad:?}");
        }
        assert!(AlpineVersion::parse("3.9") < AlpineVersion::parse("3.10"));
    }

    #[test]
    fn windows_release_names_round_trip() {
        for release in WindowsRelease::ALL {
            assert_eq!(WindowsRelease::from_tag_name(release.tag_name()), Some(release));
        }
        assert_eq!(WindowsRelease::from_tag_name("ltsc2030"), None);
    }
}
