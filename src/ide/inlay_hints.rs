//! Inlay hints: what a FROM image reference means, shown after it. A reference with variables
//! gets its value at that line (`= golang:1.23-alpine`); a floating golang tag gets the Go
//! release it stands for today, from the offline tag table, next to go.mod's `go` line.

use crate::images::GolangImage;
use crate::rules::GoFacts;
use crate::syntax::{InstructionKind, Parse, Scope, TextRange};

/// A label to show at `offset` (after the text it describes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: usize,
    pub label: String,
    pub tooltip: Option<String>,
}

/// The hints for the FROM instructions whose image reference ends inside `range`.
pub fn inlay_hints(parse: &Parse, range: TextRange, go: Option<&GoFacts>) -> Vec<InlayHint> {
    let dockerfile = parse.dockerfile();
    let scope = Scope::new(dockerfile, parse.text());
    let go_line = go.and_then(go_line);
    let mut hints = Vec::new();
    for instruction in &dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let Some(image) = &from.image else { continue };
        let end = image.range.end;
        if end < range.start || end > range.end {
            continue;
        }
        // The reference BuildKit pulls: variables expanded where the FROM is written.
        let reference = if image.text.contains('$') {
            let expansion = scope.expand(&image.text, image.range.start);
            // A value only known at build time (a platform ARG, an ARG without a default) has no one
            // answer; an undeclared name is a mistake the rules report, not a value to show.
            if expansion.malformed
                || !expansion.unknown.is_empty()
                || !expansion.unmatched.is_empty()
                || expansion.value.is_empty()
            {
                continue;
            }
            hints.push(InlayHint {
                offset: end,
                label: format!("= {}", expansion.value),
                tooltip: Some("The image reference with its variables expanded at this line".to_string()),
            });
            expansion.value
        } else {
            image.text.clone()
        };
        if let Some(hint) = golang_hint(&reference, end, go_line.as_deref()) {
            hints.push(hint);
        }
    }
    hints
}

/// `Go 1.23.12` after a golang tag whose Go version moves with new releases.
fn golang_hint(reference: &str, offset: usize, go_line: Option<&str>) -> Option<InlayHint> {
    let image = GolangImage::from_reference(reference)?;
    // A digest pins the image whatever its tag says; the table cannot tell which release it holds.
    if !image.is_floating() || image.digest.is_some() {
        return None;
    }
    let version = image.go_version?;
    let mut label = format!("Go {version}");
    if let Some(go_line) = go_line {
        label.push_str(&format!(" (go.mod: {go_line})"));
    }
    let tag = image.tag.as_deref().unwrap_or("latest");
    let as_of = image.as_of.map_or(String::new(), |day| format!(" as of {day}"));
    let tooltip = format!(
        "`{tag}` is a floating tag: the offline tag table resolves it to Go {version}{as_of}; \
         a rebuild may pull a newer release"
    );
    Some(InlayHint { offset, label, tooltip: Some(tooltip) })
}

/// The version on go.mod's `go` line, as written.
fn go_line(go: &GoFacts) -> Option<String> {
    let module = go.context.module.as_ref()?;
    Some(module.go_mod.loaded()?.go.as_ref()?.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn hints(text: &str) -> Vec<InlayHint> {
        let parse = parse(text);
        inlay_hints(&parse, TextRange::new(0, text.len()), None)
    }

    fn labels(text: &str) -> Vec<String> {
        hints(text).into_iter().map(|hint| hint.label).collect()
    }

    #[test]
    fn variables_are_expanded_at_the_from() {
        let text = "ARG GO_VERSION=1.23\nFROM golang:${GO_VERSION}-alpine AS build\n";
        let found = hints(text);
        assert_eq!(found[0].label, "= golang:1.23-alpine");
        assert_eq!(found[0].offset, text.find(" AS").unwrap_or_default());
        assert!(found.iter().any(|hint| hint.label.starts_with("Go 1.23.")), "{found:?}");
    }

    #[test]
    fn build_time_values_get_no_hint() {
        assert!(labels("FROM --platform=$BUILDPLATFORM alpine:${TARGETARCH}\n").is_empty());
        assert!(labels("ARG BASE\nFROM ${BASE}\n").is_empty());
        assert!(labels("ARG GO\nFROM golang:${GO}\n").is_empty());
        assert!(labels("FROM golang:${UNDECLARED}\n").is_empty());
        assert!(labels("FROM golang:${GO\n").is_empty());
    }

    #[test]
    fn floating_golang_tags_name_their_go_release() {
        for text in ["FROM golang:1.23\n", "FROM golang:alpine\n", "FROM golang\n", "FROM docker.io/library/golang:1\n"]
        {
            let found = labels(text);
            assert!(found.len() == 1 && found[0].starts_with("Go 1."), "{text}: {found:?}");
        }
    }

    #[test]
    fn pinned_and_other_images_get_no_hint() {
        assert!(labels("FROM golang:1.23.4-alpine\nFROM alpine:3.20\nFROM scratch\nFROM build\n").is_empty());
        assert!(labels("FROM golang:1.23@sha256:0123456789abcdef\n").is_empty());
    }

    #[test]
    fn only_hints_inside_the_range() {
        let text = "FROM golang:1.22\nFROM golang:1.23\n";
        let parse = parse(text);
        let second = inlay_hints(&parse, TextRange::new(17, text.len()), None);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].offset, text.len() - 1);
    }

    #[test]
    fn never_panics_on_awkward_documents() {
        for text in ["FROM golang:${", "FROM é:${X:-ü}\n", "ARG A=$A\nFROM golang:$A\n", "FROM \\\n golang:1\n", ""] {
            let parse = parse(text);
            for start in 0..=text.len() + 1 {
                let _ = inlay_hints(&parse, TextRange::new(start, text.len() + 1), None);
                let _ = inlay_hints(&parse, TextRange::new(start, start), None);
            }
        }
    }

    #[test]
    fn snapshot() {
        let text = "ARG GO=1.22\nARG VARIANT=bookworm\nFROM golang:${GO}-${VARIANT} AS build\nFROM golang:1.23-alpine\n\
                    FROM golang:1.21.5\nFROM --platform=$BUILDPLATFORM golang:${GO}\nFROM gcr.io/distroless/static\n";
        insta::assert_debug_snapshot!(hints(text));
    }
}
