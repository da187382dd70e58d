//! The embedded tables (Go releases, golang image tags), decoded once from `generated.rs` on first use.

use std::sync::{LazyLock, OnceLock};

use super::day::Day;
use super::generated;
use super::go_version::GoVersion;

/// The month the knowledge tables describe, for messages such as "newest 1.26 release as of 2026-08".
pub const DATA_AS_OF: &str = generated::DATA_MONTH;

/// The newest date in the tables: floating tags that are still listed are resolved as of this day.
pub const fn data_date() -> Day {
    Day(generated::DATA_DAY)
}

/// A Go release from Go's release history (Go 1.13 and later).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    /// The released version; first releases before Go 1.21 (`go1.20`) are stored as `1.20.0`.
    pub version: GoVersion,
    pub date: Day,
    /// Whether the release fixed security issues.
    pub security: bool,
}

/// A tag the official `golang` image has had, with the days it was first and last listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRecord {
    pub tag: Box<str>,
    pub first_seen: Day,
    pub last_seen: Day,
    /// Listed on [`data_date`]: the tag is still rebuilt. A tag that is not current still pulls,
    /// but no longer receives Go or OS fixes.
    pub current: bool,
}

static RELEASES: LazyLock<Vec<Release>> = LazyLock::new(|| {
    let mut releases: Vec<Release> = generated::RELEASES
        .iter()
        .filter_map(|&(name, day, security)| {
            Some(Release { version: GoVersion::parse_release_name(name)?, date: Day(day), security })
        })
        .collect();
    releases.sort_by_key(|release| release.version);
    releases
});

/// The tags in the order of the generated table: decoding is cheap, sorting by name is not.
static TAGS_IN_TABLE_ORDER: LazyLock<Vec<TagRecord>> = LazyLock::new(|| {
    let mut tags = Vec::with_capacity(generated::TAG_COUNT);
    tags.extend(decode_tags(generated::TAGS, generated::TAG_SUFFIXES, generated::TAG_EPOCH));
    tags
});

static TAGS: LazyLock<Vec<TagRecord>> = LazyLock::new(|| {
    let mut tags = TAGS_IN_TABLE_ORDER.clone();
    // A stable sort: it finds the runs the table already has, and is faster here than an unstable one.
    tags.sort_by(|a, b| a.tag.cmp(&b.tag));
    tags
});

/// Every Go release in the table, oldest first.
pub fn releases() -> &'static [Release] {
    &RELEASES
}

/// The release of exactly this version, if the table has it.
pub fn release(version: GoVersion) -> Option<&'static Release> {
    let releases = releases();
    releases.binary_search_by_key(&version, |release| release.version).ok().and_then(|index| releases.get(index))
}

/// Every tag the golang image has ever had, sorted by name.
pub fn golang_tags() -> &'static [TagRecord] {
    &TAGS
}

/// Every tag the golang image has ever had, in no particular order: for callers that look at
/// them all, without paying for the sort.
pub fn golang_tags_unordered() -> &'static [TagRecord] {
    &TAGS_IN_TABLE_ORDER
}

/// The tags without a suffix (`1.21.3`, `1.21rc1`, `1`), in table order: the ones that can name a Go
/// version, decoded without the thousands of suffixed tags.
pub fn golang_bare_tags() -> &'static [TagRecord] {
    &BARE_TAGS
}

/// Suffix 0 is the empty one: entries with any other suffix are skipped (their days still carry on).
static BARE_TAGS: LazyLock<Vec<TagRecord>> = LazyLock::new(|| {
    decode_tags(generated::TAGS, generated::TAG_SUFFIXES.get(..1).unwrap_or_default(), generated::TAG_EPOCH)
});

/// The record of one golang image tag (`1.26-alpine`, `latest`).
///
/// Only the table lines whose head starts the tag are decoded (on first use, then kept): a
/// `gantry check` of one Dockerfile looks up a tag or two, and decoding and sorting the whole
/// table would cost it more than the rest of the check.
pub fn golang_tag(tag: &str) -> Option<&'static TagRecord> {
    TAG_LINES
        .iter()
        .filter(|line| line.head == "_" || tag.starts_with(line.head))
        .flat_map(|line| {
            line.records.get_or_init(|| decode_tags(line.text, generated::TAG_SUFFIXES, generated::TAG_EPOCH))
        })
        .find(|record| *record.tag == *tag)
}

/// One line of the compact tag table, decoded on first use.
struct TagLine {
    /// The tag head (`1.26`, or `_` for none).
    head: &'static str,
    text: &'static str,
    records: OnceLock<Vec<TagRecord>>,
}

static TAG_LINES: LazyLock<Vec<TagLine>> = LazyLock::new(|| {
    generated::TAGS
        .lines()
        .map(|text| TagLine { head: text.split(' ').next().unwrap_or_default(), text, records: OnceLock::new() })
        .collect()
});

/// The golang image tags that start with `prefix`, sorted by name.
pub fn golang_tags_starting_with(prefix: &str) -> &'static [TagRecord] {
    let tags = golang_tags();
    let start = tags.partition_point(|record| *record.tag < *prefix);
    let rest = tags.get(start..).unwrap_or_default();
    let len = rest.partition_point(|record| record.tag.starts_with(prefix));
    rest.get(..len).unwrap_or_default()
}

/// Decodes the compact tag table; see the documentation of `generated::TAGS` for the format.
/// Malformed entries are skipped (a unit test checks that none are).
fn decode_tags(text: &str, suffixes: &[&str], epoch: u32) -> Vec<TagRecord> {
    let mut records = Vec::new();
    for line in text.lines() {
        let mut fields = line.split(' ');
        let prefix = match fields.next() {
            Some("_") => "",
            Some(prefix) => prefix,
            None => continue,
        };
        let mut dates: Option<(Day, Day)> = None;
        for entry in fields {
            let (entry, current) = match entry.strip_suffix('*') {
                Some(entry) => (entry, true),
                None => (entry, false),
            };
            let (index, range) = match entry.split_once(':') {
                Some((index, range)) => (index, Some(range)),
                None => (entry, None),
            };
            if let Some(range) = range {
                dates = decode_range(range, epoch);
            }
            let (Some(suffix), Some((first_seen, last_seen))) =
                (index.parse::<usize>().ok().and_then(|i| suffixes.get(i)), dates)
            else {
                continue;
            };
            // Built by hand: `format!` would be most of the cost of decoding the table.
            let mut tag = String::with_capacity(prefix.len() + suffix.len());
            match prefix {
                "" => tag.push_str(suffix.strip_prefix('-').unwrap_or(suffix)),
                _ => {
                    tag.push_str(prefix);
                    tag.push_str(suffix);
                }
            }
            records.push(TagRecord { tag: tag.into(), first_seen, last_seen, current });
        }
    }
    records
}

/// `<first>+<days listed>`, the first day counted from `epoch`.
fn decode_range(range: &str, epoch: u32) -> Option<(Day, Day)> {
    let (first, length) = range.split_once('+')?;
    let first = epoch.checked_add(first.parse().ok()?)?;
    let last = first.checked_add(length.parse().ok()?)?;
    Some((Day(first), Day(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_entry_decodes() {
        assert_eq!(releases().len(), generated::RELEASES.len(), "a release name in generated.rs does not parse");
        assert_eq!(golang_tags().len(), generated::TAG_COUNT, "a tag entry in generated.rs is malformed");
        let mut names: Vec<&str> = golang_tags().iter().map(|record| &*record.tag).collect();
        names.dedup();
        assert_eq!(names.len(), generated::TAG_COUNT, "duplicate tags");
    }

    #[test]
    fn the_tables_are_consistent() {
        let date = data_date();
        assert_eq!(date.to_string().get(..7), Some(DATA_AS_OF));
        for record in golang_tags() {
            assert!(record.first_seen <= record.last_seen && record.last_seen <= date, "{record:?}");
            // Tags dropped by the newest commit also carry its date, so only one direction holds.
            assert!(!record.current || record.last_seen == date, "a current tag is listed on the last day: {record:?}");
        }
        assert!(releases().iter().all(|release| release.date <= date));
    }

    #[test]
    fn looks_up_known_entries() {
        let first = release(GoVersion::release(1, 13, 0)).expect("go1.13 is in the table");
        assert_eq!((first.date.to_string().as_str(), first.security), ("2019-09-03", false));
        assert!(release(GoVersion::release(1, 13, 1)).is_some_and(|r| r.security));
        assert_eq!(release(GoVersion::lang(1, 13)), None);
        let latest = golang_tag("latest").expect("latest is a tag");
        assert!(latest.current);
        assert_eq!(latest.first_seen.to_string(), "2014-08-04");
        let retired = golang_tag("1.13.0").expect("1.13.0 was a tag");
        assert_eq!(
            (retired.first_seen.to_string(), retired.last_seen.to_string()),
            ("2019-09-03".into(), "2019-09-07".into())
        );
        assert!(!retired.current);
        assert!(golang_tag("alpine").is_some_and(|record| record.current));
        assert_eq!(golang_tag("1.26-bullseye"), None);
        assert_eq!(golang_tag(""), None);
    }

    #[test]
    fn looking_up_one_tag_agrees_with_the_whole_table() {
        for record in golang_tags() {
            assert_eq!(golang_tag(&record.tag), Some(record));
        }
        assert_eq!(golang_tags_unordered().len(), golang_tags().len());
        assert!(golang_bare_tags().iter().all(|r| golang_tag(&r.tag) == Some(r)));
        // Every tag that names a Go version is a bare one.
        for record in golang_tags() {
            if GoVersion::parse(&record.tag).is_some() {
                assert!(golang_bare_tags().contains(record), "{record:?}");
            }
        }
        for missing in ["1.26-bullseye", "1.26.99", "-alpine", "alpine3", "latest-alpine", "_"] {
            assert_eq!(golang_tag(missing), None, "{missing}");
        }
    }

    #[test]
    fn finds_tags_by_prefix() {
        let names = |prefix| golang_tags_starting_with(prefix).iter().map(|r| &*r.tag).collect::<Vec<_>>();
        assert_eq!(names("1.26.7-alpine"), ["1.26.7-alpine", "1.26.7-alpine3.23", "1.26.7-alpine3.24"]);
        assert_eq!(names("latest"), ["latest"]);
        assert_eq!(names("zzz"), Vec::<&str>::new());
        assert_eq!(names("").len(), golang_tags().len());
    }

    #[test]
    fn decoding_tolerates_malformed_input() {
        let suffixes = ["", "-alpine"];
        let text = "1.2 0:0+5 1*\n_ 1:3+1\nbad\n1.3 9:0+1 x 1:a+b 1:4 0\n\n1.4 0:4294967295+9";
        let records = decode_tags(text, &suffixes, 10);
        let shown: Vec<String> = records
            .iter()
            .map(|r| format!("{} {}..{}{}", r.tag, r.first_seen.0, r.last_seen.0, if r.current { "*" } else { "" }))
            .collect();
        assert_eq!(shown, ["1.2 10..15", "1.2-alpine 10..15*", "alpine 13..14"]);
    }
}
