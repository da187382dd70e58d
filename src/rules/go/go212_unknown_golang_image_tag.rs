//! GO212: `FROM golang:<tag>` with a tag the official image never had.

use crate::images::{AlpineVersion, GoVersion, GolangImage, ImageReference, Variant, VersionPin, suggest_tag, table};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase, TextRange, edit_distance};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO212",
    name: "unknown-golang-image-tag",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Looks up the tag of every `FROM golang:<tag>` on Docker Hub in gantry's offline table of every
tag the official `golang` image has ever had, and reports a tag that was never published, with
the nearest tag that exists.

## Why it matters
A tag that never existed cannot be pulled, and the build stops at the FROM:

```text
manifest for golang:1.23-alpine3.10 not found: manifest unknown
failed to resolve source metadata for docker.io/library/golang:1.23-alpine3.10: not found
```

Typical causes are an Alpine or Debian suffix that was retired before that Go release came out
(`1.23-alpine3.10`), a patch release that does not exist (`1.22.99`), and typos (`1.22-alpin`).

The table is a snapshot, so the rule stays silent for anything that may have appeared since:
Go versions newer than the newest release it knows, Alpine versions newer than any it lists,
development builds after its date, and suffixes it does not recognise unless they are a near miss
of a known one. Tags with variables, references pinned by digest (the digest decides what is
pulled), and other registries (mirrors may carry their own tags) are not checked. Tags that
existed but are no longer rebuilt are another rule's concern.

## Example
```dockerfile
FROM golang:1.23-alpine3.10 AS build
```

## Fix
Use a published tag: the quick fix offers the nearest one, keeping the Go version and the image
variant when such a tag exists (`golang:1.23-alpine3.20`); review it, since it changes the image.

## References
- The golang image tags: https://hub.docker.com/_/golang/tags
- docker-library/official-images `library/golang`: https://github.com/docker-library/official-images/blob/master/library/golang
";

/// Suffix families a tag may end with, to recognise near misses.
const SUFFIX_WORDS: &[&str] = &[
    "alpine",
    "bookworm",
    "trixie",
    "bullseye",
    "buster",
    "stretch",
    "jessie",
    "wheezy",
    "windowsservercore",
    "nanoserver",
    "onbuild",
    "cross",
];

fn newest_release() -> Option<GoVersion> {
    table::releases().iter().map(|r| r.version).max()
}

fn newest_alpine() -> Option<AlpineVersion> {
    table::golang_tags()
        .iter()
        .filter_map(|r| r.tag.rsplit_once("alpine").and_then(|(_, v)| AlpineVersion::parse(v)))
        .max()
}

/// Whether the tag might have been published after the table's date.
fn may_be_newer(tag: &str, image: &GolangImage) -> bool {
    // The version as written (a floating `1.99` resolves to nothing, so read the tag itself).
    let head = tag.split('-').next().unwrap_or(tag);
    let written = GoVersion::parse(head).or(image.go_version);
    if let (Some(version), Some(newest)) = (written, newest_release())
        && (version > newest || version.language() > newest.language())
    {
        return true;
    }
    if head.bytes().all(|b| b.is_ascii_digit()) && head.parse::<u32>().is_ok_and(|major| major > 1) {
        return true;
    }
    if let Variant::Alpine { version: Some(alpine), .. } = image.variant
        && newest_alpine().is_none_or(|newest| alpine > newest)
    {
        return true;
    }
    // A suffix the table never saw with any version: a distribution release or Windows build
    // published since, unless it is a near miss of a known word (checked below).
    let suffix = tag.split_once('-').map_or("", |(_, s)| s);
    let suffix_seen = suffix.is_empty()
        || table::golang_tags().iter().any(|r| r.tag.ends_with(&format!("-{suffix}")) || *r.tag == *suffix);
    if !suffix_seen && image.variant != Variant::Unknown {
        return true;
    }
    if image.pin == VersionPin::TipBuild {
        let date = tag.get(4..12).unwrap_or("");
        let known = table::data_date().to_string().replace('-', "");
        return date > known.as_str();
    }
    if image.pin == VersionPin::Unknown && image.variant == Variant::Unknown {
        // A version the grammar knows but the table does not resolve (`1.40`): may be new.
        return tag.split('-').next().and_then(GoVersion::parse).is_some();
    }
    if image.variant == Variant::Unknown {
        // An unrecognised suffix: a typo of a known one, or a distribution released since.
        let suffix = tag.split_once('-').map_or("", |(_, s)| s);
        let word: String = suffix.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let near = SUFFIX_WORDS.iter().any(|known| (1..=2).contains(&edit_distance(known, &word)));
        return !near;
    }
    false
}

/// The nearest published tag: the same Go version and variant when possible, else the closest
/// spelling.
fn nearest_tag(tag: &str, image: &GolangImage) -> Option<String> {
    // Keep the precision of the tag: `1.23-…` suggests a `1.23` tag, not the newest patch.
    let version = match image.pin {
        VersionPin::Exact => image.go_version,
        VersionPin::Minor => image.go_version.map(GoVersion::language),
        _ => None,
    };
    if let Some(version) = version
        && let Some(suggested) = suggest_tag(version, image.variant)
    {
        return Some(suggested);
    }
    // The closest spelling; among equally close tags, one still listed, then the shortest.
    table::golang_tags()
        .iter()
        .map(|r| (edit_distance(&r.tag, tag), !r.current, r.tag.len(), &r.tag))
        .filter(|(distance, ..)| *distance <= 3)
        .min()
        .map(|(.., name)| name.to_string())
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    let build = context.build();
    for stage in &build.stages {
        let StageBase::Image(_) = stage.base else { continue };
        let InstructionKind::From(from) = &context.dockerfile.instructions[stage.from].kind else { continue };
        let Some(reference) = &from.image else { continue };
        let (Some(tag), None) = (reference.tag.as_deref(), reference.digest.as_deref()) else { continue };
        if tag.contains('$') || reference.text.contains('$') {
            continue;
        }
        let Some(parsed) = ImageReference::parse(&reference.text) else { continue };
        let docker_hub =
            parsed.registry.is_none_or(|r| matches!(r, "docker.io" | "index.docker.io" | "registry-1.docker.io"));
        if !docker_hub || parsed.official_name() != Some("golang") {
            continue;
        }
        let image = GolangImage::from_tag(Some(tag), None);
        if image.tag_known || may_be_newer(tag, &image) {
            continue;
        }
        // The tag itself, without a leading `:`.
        let range = match reference.tag_range {
            Some(r) if context.text.get(r.as_range()).is_some_and(|t| t.starts_with(':')) => {
                TextRange::new(r.start + 1, r.end)
            }
            Some(r) => r,
            None => reference.range,
        };
        let suggestion = nearest_tag(tag, &image);
        let mut message = format!(
            "`golang:{tag}` was never published, so the pull fails with `manifest for golang:{tag} not found: \
             manifest unknown`"
        );
        if let Some(suggestion) = &suggestion {
            message += &format!("; the nearest tag is `{suggestion}`");
        }
        let diagnostic = sink.report(range, message);
        if let Some(suggestion) = suggestion
            && context.text.get(range.as_range()) == Some(tag)
        {
            diagnostic.with_fix(format!("Use `golang:{suggestion}`"), range, suggestion, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(tag: &str) -> bool {
        let image = GolangImage::from_tag(Some(tag), None);
        !image.tag_known && !may_be_newer(tag, &image)
    }

    #[test]
    fn never_published_tags() {
        assert!(unknown("1.23-alpine3.10"));
        assert!(unknown("1.22.99"));
        assert!(unknown("1.22-alpin"));
        assert!(unknown("latset"));
        assert!(!unknown("1.23-alpine3.20"));
        assert!(!unknown("1.22"));
    }

    #[test]
    fn tags_that_may_be_newer_than_the_table() {
        assert!(!unknown("1.99"));
        assert!(!unknown("1.99.1-alpine"));
        assert!(!unknown("1.27-alpine3.99"));
        assert!(!unknown("tip-20990101"));
        assert!(!unknown("1.27-forky"));
    }

    #[test]
    fn suggestions_keep_version_and_variant() {
        let suggest = |tag: &str| nearest_tag(tag, &GolangImage::from_tag(Some(tag), None));
        assert!(
            suggest("1.23-alpine3.10").is_some_and(|s| s.starts_with("1.23-alpine3.")),
            "{:?}",
            suggest("1.23-alpine3.10")
        );
        assert_eq!(suggest("1.22-alpin").as_deref(), Some("1.22-alpine"));
    }
}
