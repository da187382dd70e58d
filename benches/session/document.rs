//! The inputs of the session benchmark and the places in them where the scripted session acts:
//! generated Dockerfiles of a given size, and for any text the line where typing happens and the
//! variable reference that completion and hover ask about. Positions are LSP positions (UTF-16).

use crate::generate;

/// A Dockerfile for `lines` lines: the shared generator's output, or below its minimum size (one
/// service block, about 90 lines) a small complete multi-stage Go build padded with comments.
pub(crate) fn generated(lines: usize) -> String {
    let text = generate::generate_dockerfile(lines);
    if text.lines().count() <= lines {
        return text;
    }
    let mut small = SMALL.to_string();
    let padding = lines.saturating_sub(SMALL.lines().count());
    for i in 0..padding {
        small.push_str(if i % 4 == 3 { "\n" } else { "# Built for the target platform with cache mounts.\n" });
    }
    small
}

/// A complete 20-line multi-stage Go build: global ARGs, cache mounts, a long RUN, a heredoc.
const SMALL: &str = r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.23.4
ARG ALPINE_VERSION=3.20
ARG VERSION=0.0.0-dev
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
ARG TARGETOS TARGETARCH VERSION
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/app ./cmd/app
FROM alpine:${ALPINE_VERSION}
ENV TZ=UTC APP_PORT=8080
RUN <<EOF
apk add --no-cache ca-certificates tzdata
EOF
COPY --from=build /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
"#;

/// An LSP position: zero-based line and UTF-16 column.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Position {
    pub(crate) line: usize,
    pub(crate) character: usize,
}

/// Where the session types, completes and hovers in one document.
pub(crate) struct Targets {
    /// The first instruction line at or after the middle of the file: typing opens a new line
    /// above it, so that every keystroke lands outside continuations and heredoc bodies.
    pub(crate) typing_line: usize,
    /// Just after the `$` (or `${`) of the variable reference nearest after the middle, or inside
    /// the keyword of the typing line when the file has no reference.
    pub(crate) completion: Position,
    /// On the name of the first `ENV NAME=value` after the typing line, else on the name of that
    /// variable reference, else on that keyword.
    pub(crate) hover: Position,
}

impl Targets {
    /// Finds the places for `text`; `None` when the file has no instruction at all.
    pub(crate) fn find(text: &str) -> Option<Targets> {
        let lines: Vec<&str> = text.split('\n').collect();
        let starts = instruction_starts(&lines);
        let middle = lines.len() / 2;
        let typing_line = starts.iter().copied().find(|&l| l >= middle).or_else(|| starts.last().copied())?;
        // A reference to a variable declared with a value, so that both servers have something to
        // show on hover (the node server shows only values).
        let reference = (typing_line..lines.len()).chain(0..typing_line).find_map(|line| {
            let is_comment = lines[line].trim_start().starts_with('#');
            let (dollar, name) = variable_reference(lines[line]).filter(|_| !is_comment)?;
            let word: String =
                lines[line][name..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            text.contains(&format!("{word}=")).then_some((line, dollar, name))
        });
        let (completion, mut hover) = match reference {
            Some((line, dollar, name)) => {
                let text = lines[line];
                (
                    Position { line, character: utf16_len(&text[..dollar]) },
                    Position { line, character: utf16_len(&text[..name]) },
                )
            }
            None => {
                let indent = lines[typing_line].len() - lines[typing_line].trim_start().len();
                (
                    Position { line: typing_line, character: indent + 2 },
                    Position { line: typing_line, character: indent + 1 },
                )
            }
        };
        // Hover prefers the name in an `ENV NAME=value` at or after the typing line: both servers
        // describe a declaration with a value (the node server shows nothing for a reference whose
        // ARG has no value in its stage).
        if let Some((line, name)) = (typing_line..lines.len()).find_map(|line| {
            let rest = lines[line].strip_prefix("ENV ")?;
            let name = lines[line].len() - rest.trim_start().len();
            rest.contains('=').then_some((line, name))
        }) {
            hover = Position { line, character: utf16_len(&lines[line][..name]) };
        }
        Some(Targets { typing_line, completion, hover })
    }
}

/// In one line, the byte offset just after the first `$`/`${` of a variable reference, and the
/// byte offset of its name's first character.
fn variable_reference(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    (0..bytes.len()).find_map(|i| {
        if bytes[i] != b'$' {
            return None;
        }
        let name = if bytes.get(i + 1) == Some(&b'{') { i + 2 } else { i + 1 };
        let first = *bytes.get(name)?;
        (first.is_ascii_alphabetic() || first == b'_').then_some((i + 1, name))
    })
}

/// The lines that start an instruction: not a comment, not a continuation of the line above, not
/// inside a heredoc body (a rough scan, enough to keep the typing out of multi-line constructs).
fn instruction_starts(lines: &[&str]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut continued = false;
    let mut terminators: Vec<String> = Vec::new();
    for (number, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if let Some(terminator) = terminators.first() {
            if trimmed == terminator {
                terminators.remove(0);
            }
            continue;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        let starts_word = trimmed.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if !continued && starts_word {
            starts.push(number);
        }
        continued = trimmed.ends_with('\\') || (continued && trimmed.is_empty());
        if !continued {
            terminators = heredoc_terminators(line);
        }
    }
    starts
}

/// The terminators of the heredocs that a line opens (`<<EOF`, `<<-EOT`, `<<"END"`).
fn heredoc_terminators(line: &str) -> Vec<String> {
    line.match_indices("<<")
        .filter_map(|(at, _)| {
            let rest = line[at + 2..].trim_start_matches('-').trim_start_matches(['"', '\'']);
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
        })
        .collect()
}

/// The length of `text` in UTF-16 code units, the unit of LSP columns by default.
pub(crate) fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}
