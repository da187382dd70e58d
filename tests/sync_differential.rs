//! Differential test of incremental sync: thousands of random LSP edits applied incrementally
//! must leave the same text, tree and model as a fresh full parse of the expected text.
//!
//! The expected text is kept by an independent model (a `String` and a hand-written position
//! conversion), so a bug in the server's rope conversion cannot hide in both.

use gantry_ls::lsp::document::Document;
use gantry_ls::lsp::position::Encoding;
use gantry_ls::syntax::{self, tree_fingerprint};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const EDITS_PER_ENCODING: usize = 10_000;

const START: &str = "# syntax=docker/dockerfile:1\n\
ARG GO_VERSION=1.23\n\
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build\n\
WORKDIR /src\n\
COPY go.mod go.sum ./\n\
RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\n\
COPY . .\n\
RUN <<EOF\nset -e\ngo build -o /out/app ./cmd/app\nEOF\n\
# 中文 comment with emoji 😀\n\
FROM gcr.io/distroless/static-debian12:nonroot\r\n\
COPY --from=build /out/app /app\r\n\
ENV A=1 B=\"two words\"\n\
EXPOSE 8080/tcp\n\
ENTRYPOINT [\"/app\"]\n";

/// Fragments that exercise every interesting path: multi-byte and non-BMP characters, CRLF,
/// continuations, heredocs, quotes, comments and instruction keywords.
const FRAGMENTS: &[&str] = &[
    "a",
    "RUN ",
    "FROM x AS y\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\\\n",
    "\\\r\n",
    "é",
    "中文",
    "😀",
    "🦀x",
    "$",
    "${A:-b}",
    "\"",
    "'",
    "#",
    "# c\n",
    "<<EOF\n",
    "EOF\n",
    "--mount=type=cache,target=/x ",
    "[\"a\", \"b\"]",
    "COPY ",
    "=",
    "\t",
    "`",
    "ENV K=v\n",
    "",
];

/// Line breaks as LSP counts them: `\n`, `\r\n` and a lone `\r`.
fn position_of(text: &str, offset: usize, encoding: Encoding) -> Position {
    let mut line = 0;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let character: usize = text[line_start..offset]
        .chars()
        .map(|c| match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        })
        .sum();
    Position::new(line as u32, character as u32)
}

/// A random character boundary that does not split a `\r\n` pair (LSP cannot address it).
fn random_offset(rng: &mut fastrand::Rng, text: &str) -> usize {
    adjust(text, rng.usize(..=text.len()))
}

/// Moves `offset` back to a character boundary outside any `\r\n` pair.
fn adjust(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    while !text.is_char_boundary(offset)
        || (offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n'))
    {
        offset -= 1;
    }
    offset
}

fn random_change(rng: &mut fastrand::Rng, text: &str, encoding: Encoding) -> (TextDocumentContentChangeEvent, String) {
    let start = random_offset(rng, text);
    // Keep documents small: delete more when the text has grown.
    let max_delete = if text.len() > 3_000 { 400 } else { 12 };
    let end = adjust(text, (start + rng.usize(..=max_delete)).min(text.len())).max(start);
    let inserted: String = (0..rng.usize(..3)).map(|_| FRAGMENTS[rng.usize(..FRAGMENTS.len())]).collect();
    let change = TextDocumentContentChangeEvent {
        range: Some(Range::new(position_of(text, start, encoding), position_of(text, end, encoding))),
        range_length: None,
        text: inserted.clone(),
    };
    let mut expected = text.to_string();
    expected.replace_range(start..end, &inserted);
    (change, expected)
}

fn run(encoding: Encoding, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut document = Document::new(1, START);
    let mut expected = START.to_string();
    let mut applied = 0;
    let mut version = 1;
    while applied < EDITS_PER_ENCODING {
        // Mostly single changes; sometimes a batch of several in one notification, sometimes a
        // whole-document replacement followed by incremental changes.
        let mut changes = Vec::new();
        if rng.usize(..200) == 0 {
            expected = format!("{expected}\nFROM scratch\n");
            changes.push(TextDocumentContentChangeEvent { range: None, range_length: None, text: expected.clone() });
        }
        for _ in 0..if rng.usize(..10) == 0 { rng.usize(2..5) } else { 1 } {
            let (change, next) = random_change(&mut rng, &expected, encoding);
            changes.push(change);
            expected = next;
            applied += 1;
        }
        version += 1;
        document.apply_changes(version, &changes, encoding);

        let fresh = syntax::parse(&expected);
        assert_eq!(document.rope.to_string(), expected, "rope diverged (seed {seed}, edit {applied})");
        assert_eq!(document.parse.text(), expected, "parse text diverged (seed {seed}, edit {applied})");
        assert_eq!(
            tree_fingerprint(document.parse.tree()),
            tree_fingerprint(fresh.tree()),
            "incremental tree differs from a full parse (seed {seed}, edit {applied}) for text {expected:?}"
        );
        assert_eq!(document.parse.errors(), fresh.errors(), "syntax errors differ (seed {seed}, edit {applied})");
        assert_eq!(document.parse.dockerfile(), fresh.dockerfile(), "model differs (seed {seed}, edit {applied})");
    }
    assert!(applied >= EDITS_PER_ENCODING);
}

#[test]
fn incremental_sync_matches_full_parse_utf16() {
    run(Encoding::Utf16, 0x6a6e_7472);
}

#[test]
fn incremental_sync_matches_full_parse_utf8() {
    run(Encoding::Utf8, 0x5eed_0008);
}

#[test]
fn incremental_sync_matches_full_parse_utf32() {
    run(Encoding::Utf32, 0x5eed_0032);
}
