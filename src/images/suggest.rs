//! Tag suggestions for fixes ("pin to the go.mod version, keeping the variant") and tag completion.

use std::cmp::Reverse;

use super::distro::{AlpineVersion, DebianRelease};
use super::go_version::GoVersion;
use super::golang::Variant;
use super::table::{self, TagRecord};

/// The golang tag for `go_version` in `variant`, or `None` when no such tag ever existed.
///
/// The version part is the version as given (`1.22.3`, `1.27rc1`), then its line (`1.22`); pass
/// [`GoVersion::language`] to get the floating line tag directly. The suffix is the variant's own
/// (`-alpine3.19`), then the nearest newer release of the same family that was published for that
/// version (`-alpine3.20`, or `-bookworm` for a `-bullseye` that never existed), then the family's
/// plain suffix (`-alpine`, or none for Debian). Among these, in that order, the first tag still
/// listed wins; when none is, the first that ever existed.
pub fn suggest_tag(go_version: GoVersion, variant: Variant) -> Option<String> {
    let mut heads = vec![go_version.to_string()];
    if !go_version.is_lang() {
        heads.push(go_version.language().to_string());
    }
    let mut first_existing = None;
    for head in &heads {
        for suffix in suffix_candidates(head, variant)? {
            let tag = format!("{head}{suffix}");
            match table::golang_tag(&tag) {
                Some(record) if record.current => return Some(tag),
                Some(_) => {
                    first_existing.get_or_insert(tag);
                }
                None => {}
            }
        }
    }
    first_existing
}

/// Tag suffixes that keep `variant`, most specific first; `None` for an unknown variant.
fn suffix_candidates(head: &str, variant: Variant) -> Option<Vec<String>> {
    let mut suffixes = vec![variant.tag_suffix()?];
    match variant {
        Variant::Debian { release: Some(pinned), pinned: true } => {
            let newer = DebianRelease::ALL.into_iter().filter(|release| *release > pinned);
            suffixes.extend(newer.map(|release| format!("-{}", release.codename())));
            suffixes.push(String::new());
        }
        Variant::Alpine { version: Some(pinned), pinned: true } => {
            let prefix = format!("{head}-alpine");
            let mut newer: Vec<AlpineVersion> = table::golang_tags_starting_with(&prefix)
                .iter()
                .filter_map(|record| AlpineVersion::parse(record.tag.get(prefix.len()..)?))
                .filter(|version| *version > pinned)
                .collect();
            newer.sort();
            suffixes.extend(newer.into_iter().map(|version| format!("-alpine{version}")));
            suffixes.push("-alpine".into());
        }
        Variant::WindowsServerCore { release: Some(_) } => suffixes.push("-windowsservercore".into()),
        Variant::NanoServer { release: Some(_) } => suffixes.push("-nanoserver".into()),
        _ => {}
    }
    Some(suffixes)
}

/// Every golang tag starting with `prefix`, for completion: tags still listed first, then
/// retired ones by how recently they were listed; newer Go lines first, then by name (so `1.27`
/// and its variants come before `1.27.0`).
pub fn tags_for_completion(prefix: &str) -> Vec<&'static TagRecord> {
    let mut tags: Vec<&TagRecord> = table::golang_tags_starting_with(prefix).iter().collect();
    let line = |tag: &str| GoVersion::parse(tag.split('-').next().unwrap_or(tag)).map(GoVersion::language);
    tags.sort_by_cached_key(|record| {
        (!record.current, Reverse(record.last_seen), Reverse(line(&record.tag)), &record.tag)
    });
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::GolangImage;

    fn variant_of(tag: &str) -> Variant {
        GolangImage::from_tag(Some(tag), None).variant
    }

    #[test]
    fn suggests_tags_that_keep_the_variant() {
        let cases = [
            // (go version, the tag whose variant to keep, expected suggestion)
            ("1.26", "1.22-alpine", Some("1.26-alpine")),
            ("1.26", "1.22-alpine3.19", Some("1.26-alpine3.23")),
            ("1.26", "1.26-alpine3.24", Some("1.26-alpine3.24")),
            ("1.26", "1.22", Some("1.26")),
            ("1.26", "1.20-bullseye", Some("1.26-bookworm")),
            ("1.26", "1.22-bookworm", Some("1.26-bookworm")),
            ("1.26", "1.25-trixie", Some("1.26-trixie")),
            ("1.26", "1.22-windowsservercore-1809", Some("1.26-windowsservercore")),
            ("1.26", "1.26-nanoserver-ltsc2022", Some("1.26-nanoserver-ltsc2022")),
            // a patch version: the exact tag when it is still listed, else the line when that is
            ("1.26.7", "1.26-alpine", Some("1.26.7-alpine")),
            ("1.26.2", "1.26-alpine", Some("1.26-alpine")),
            // nothing is listed any more: the most specific tag that existed
            ("1.21", "1.20-bullseye", Some("1.21-bullseye")),
            ("1.22.3", "1.20-alpine", Some("1.22.3-alpine")),
            // a prerelease: the line's tag when it is listed (1.27 is 1.27.0, newer than rc1)
            ("1.27rc1", "1.26", Some("1.27")),
            ("1.26rc2", "1.20", Some("1.26")),
            ("1.25rc2", "1.25-alpine3.22", Some("1.25rc2-alpine3.22")),
            // no tag for that Go at all, or an unknown variant
            ("1.99", "1.26", None),
            ("1.26", "1.26-foo", None),
        ];
        for (version, tag, expected) in cases {
            let version = GoVersion::parse(version).expect(version);
            assert_eq!(suggest_tag(version, variant_of(tag)).as_deref(), expected, "go {version} keeping {tag}");
        }
    }

    #[test]
    fn completion_lists_current_tags_first() {
        let names = |prefix| tags_for_completion(prefix).iter().take(6).map(|r| &*r.tag).collect::<Vec<_>>();
        assert_eq!(
            names("1.2"),
            ["1.27", "1.27-alpine", "1.27-alpine3.23", "1.27-alpine3.24", "1.27-bookworm", "1.27-nanoserver"]
        );
        let alpine = tags_for_completion("alpine");
        assert!(alpine.iter().take(3).all(|record| record.current), "{alpine:?}");
        let position = |tag: &str| alpine.iter().position(|record| &*record.tag == tag).expect(tag);
        assert!(position("alpine3.24") < position("alpine3.22") && position("alpine3.22") < position("alpine3.5"));
        assert!(tags_for_completion("no-such-tag").is_empty());
        assert_eq!(tags_for_completion("").len(), table::golang_tags().len());
    }
}
