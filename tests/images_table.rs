//! Generator of `src/images/generated.rs` from the knowledge tables, and the check that it is up to date.
//!
//! `GANTRY_UPDATE_TABLES=1 cargo test --test images_table` rewrites the file; without the variable
//! the test fails when the file differs from what the tables produce. The tables are read from
//! `$GANTRY_KNOWLEDGE_DIR`, else from `../shared/knowledge` next to the repository; when neither
//! exists the test is skipped with a note (the embedded data is still checked by the unit tests).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use gantry_ls::images::{Day, GoVersion};

const UPDATE_VARIABLE: &str = "GANTRY_UPDATE_TABLES";
const UPDATE_COMMAND: &str = "GANTRY_UPDATE_TABLES=1 cargo test --test images_table";

fn knowledge_dir() -> PathBuf {
    match std::env::var_os("GANTRY_KNOWLEDGE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/knowledge"),
    }
}

fn generated_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/images/generated.rs")
}

#[test]
#[allow(clippy::print_stderr)]
fn generated_tables_match_the_knowledge_files() {
    let dir = knowledge_dir();
    if !dir.is_dir() {
        eprintln!("note: {} is absent; the generated image tables are not compared with it", dir.display());
        return;
    }
    let read = |name: &str| {
        let path = dir.join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let releases = parse_releases(&read("go-releases.tsv"));
    let tags = parse_tags(&read("golang-image-tags.tsv"));
    let expected = render(&releases, &tags);

    let path = generated_path();
    let actual = fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    if std::env::var_os(UPDATE_VARIABLE).is_some() {
        fs::write(&path, &expected).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("note: rewrote {} ({} bytes)", path.display(), expected.len());
    } else {
        panic!(
            "{} is stale (it differs from what the knowledge tables produce); run `{UPDATE_COMMAND}`",
            path.display()
        );
    }
}

struct ReleaseRow {
    name: String,
    day: Day,
    security: bool,
}

struct TagRow {
    tag: String,
    first_seen: Day,
    last_seen: Day,
    current: bool,
}

/// Data rows of a tsv: without `#` comments and without the header, which must be `header`.
fn data_rows<'a>(text: &'a str, header: &str) -> Vec<(usize, Vec<&'a str>)> {
    let mut lines = text.lines().enumerate().filter(|(_, line)| !line.starts_with('#'));
    let (_, first) = lines.next().expect("the table has a header");
    assert_eq!(first, header, "unexpected header");
    lines.map(|(index, line)| (index + 1, line.split('\t').collect())).collect()
}

fn day(text: &str, line: usize) -> Day {
    Day::parse(text).unwrap_or_else(|| panic!("line {line}: bad date {text:?}"))
}

fn parse_releases(text: &str) -> Vec<ReleaseRow> {
    let mut rows = Vec::new();
    for (line, fields) in data_rows(text, "version\tdate\tsecurity") {
        let [name, date, security] = fields[..] else { panic!("go-releases.tsv line {line}: expected 3 columns") };
        let name = name.strip_prefix("go").unwrap_or_else(|| panic!("line {line}: {name:?} lacks `go`"));
        assert!(GoVersion::parse_release_name(name).is_some(), "line {line}: bad version {name:?}");
        assert!(matches!(security, "" | "security"), "line {line}: bad security flag {security:?}");
        rows.push(ReleaseRow { name: name.to_string(), day: day(date, line), security: security == "security" });
    }
    assert!(!rows.is_empty(), "go-releases.tsv has no rows");
    rows.sort_by_key(|row| GoVersion::parse_release_name(&row.name));
    rows
}

fn parse_tags(text: &str) -> Vec<TagRow> {
    let mut rows = Vec::new();
    for (line, fields) in data_rows(text, "tag\tfirst_seen\tlast_seen\tcurrent") {
        let [tag, first, last, current] = fields[..] else { panic!("golang-image-tags.tsv line {line}: 4 columns") };
        let valid_tag = !tag.is_empty()
            && !tag.starts_with(['-', '.'])
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
        assert!(valid_tag, "line {line}: bad tag {tag:?}");
        assert!(matches!(current, "" | "CURRENT"), "line {line}: bad current flag {current:?}");
        let (first_seen, last_seen) = (day(first, line), day(last, line));
        assert!(first_seen <= last_seen, "line {line}: listed after it was dropped");
        rows.push(TagRow { tag: tag.to_string(), first_seen, last_seen, current: current == "CURRENT" });
    }
    assert!(!rows.is_empty(), "golang-image-tags.tsv has no rows");
    rows
}

/// Splits a tag for compression only: the version-like head (`1.21.3`, `tip`, `latest`) and the
/// rest, which repeats across versions (`-alpine3.19`). The library never needs this split.
fn split_for_compression(tag: &str) -> (&str, &str) {
    let mut parts = tag.split('-');
    let head = parts.next().unwrap_or(tag);
    // Weekly development builds are named by date (`tip-20260815-alpine`): keep the date in the head.
    let dated = head == "tip" && parts.next().is_some_and(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()));
    let head_len = if dated { "tip-".len() + 8 } else { head.len() };
    let versionish = head.starts_with(|c: char| c.is_ascii_digit()) || matches!(head, "tip" | "rc" | "latest");
    if versionish { tag.split_at(head_len) } else { ("", tag) }
}

fn render(releases: &[ReleaseRow], tags: &[TagRow]) -> String {
    let data_day = tags.iter().map(|t| t.last_seen).chain(releases.iter().map(|r| r.day)).max().expect("rows");
    let epoch = tags.iter().map(|t| t.first_seen).min().expect("rows");
    for tag in tags.iter().filter(|t| t.current) {
        assert_eq!(tag.last_seen, data_day, "current tag {} is not listed on the newest day", tag.tag);
    }

    // Suffixes numbered by frequency, so the common ones get one-digit numbers.
    let mut frequency: HashMap<String, usize> = HashMap::new();
    let mut lines: BTreeMap<&str, Vec<(&str, &TagRow)>> = BTreeMap::new();
    for tag in tags {
        let (prefix, rest) = split_for_compression(&tag.tag);
        let suffix = if prefix.is_empty() { format!("-{rest}") } else { rest.to_string() };
        *frequency.entry(suffix).or_default() += 1;
        lines.entry(prefix).or_default().push((rest, tag));
    }
    let mut suffixes: Vec<(String, usize)> = frequency.into_iter().collect();
    suffixes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let index: HashMap<&str, usize> = suffixes.iter().enumerate().map(|(i, (s, _))| (s.as_str(), i)).collect();

    let mut out = String::new();
    out.push_str("//! Generated by `");
    out.push_str(UPDATE_COMMAND);
    out.push_str("` from ../shared/knowledge; do not edit.\n\n");
    let (year, month, _) = data_day.ymd();
    let _ = writeln!(
        out,
        "/// The month the tables describe.\npub(super) const DATA_MONTH: &str = \"{year:04}-{month:02}\";"
    );
    let _ = writeln!(out, "/// The newest day in the tables ({data_day}), counted from 1970-01-01.");
    let _ = writeln!(out, "pub(super) const DATA_DAY: u32 = {};\n", data_day.0);

    out.push_str("/// Go releases: (name without `go`, release day counted from 1970-01-01, fixed security issues).\n");
    out.push_str("pub(super) const RELEASES: &[(&str, u32, bool)] = &[\n");
    for row in releases {
        let _ = writeln!(out, "    (\"{}\", {}, {}),", row.name, row.day.0, row.security);
    }
    out.push_str("];\n\n");

    let _ = writeln!(out, "/// How many tags `TAGS` holds.\npub(super) const TAG_COUNT: usize = {};", tags.len());
    let _ = writeln!(out, "/// The day `TAGS` counts from ({epoch}), counted from 1970-01-01.");
    let _ = writeln!(out, "pub(super) const TAG_EPOCH: u32 = {};\n", epoch.0);
    out.push_str("/// Tag endings, referred to by position in `TAGS`.\npub(super) const TAG_SUFFIXES: &[&str] = &[\n");
    let mut line = String::new();
    for (suffix, _) in &suffixes {
        if line.len() + suffix.len() > 110 {
            let _ = writeln!(out, "   {line}");
            line.clear();
        }
        let _ = write!(line, " \"{suffix}\",");
    }
    let _ = writeln!(out, "   {line}");
    out.push_str("];\n\n");

    out.push_str(concat!(
        "/// Every golang image tag, one line per tag head: `<head> <entry> <entry> …`, head `_` for none.\n",
        "/// An entry is `<TAG_SUFFIXES index>[:<first day>+<days until last listed>][*]`: the tag is the head\n",
        "/// followed by the suffix (without its `-` when the head is `_`), days count from `TAG_EPOCH`, an\n",
        "/// entry without days has the previous entry's, and `*` marks a tag listed on `DATA_DAY`.\n",
        "pub(super) const TAGS: &str = \"\\\n",
    ));
    for (prefix, mut entries) in lines {
        entries.sort_by_key(|(rest, tag)| (index[suffix_key(prefix, rest).as_str()], tag.tag.as_str()));
        out.push_str(if prefix.is_empty() { "_" } else { prefix });
        let mut previous = None;
        for (rest, tag) in entries {
            let _ = write!(out, " {}", index[suffix_key(prefix, rest).as_str()]);
            let first = tag.first_seen.0 - epoch.0;
            let length = tag.last_seen.0 - tag.first_seen.0;
            if previous != Some((first, length)) {
                let _ = write!(out, ":{first}+{length}");
                previous = Some((first, length));
            }
            if tag.current {
                out.push('*');
            }
        }
        out.push('\n');
    }
    out.push_str("\";\n");
    out
}

fn suffix_key(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() { format!("-{rest}") } else { rest.to_string() }
}
