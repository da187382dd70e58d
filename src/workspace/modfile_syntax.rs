//! The line syntax shared by go.mod and go.work: tokens, `//` comments and `verb ( … )` blocks.
//!
//! This mirrors the reader of Go's `golang.org/x/mod/modfile`: a file is a list of lines, a line is
//! a list of tokens (identifiers, quoted strings, punctuation), a line ending in `(` opens a block
//! whose lines all take that first token as their verb, and a `)` alone on a line closes it. The
//! reader never fails: problems become [`ModError`]s with byte ranges and reading goes on.

use crate::syntax::TextRange;

/// A problem in a go.mod or go.work file, with the range of the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModError {
    pub range: TextRange,
    pub message: String,
}

/// A `//` comment: `text` is what follows the slashes, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Ident,
    /// A quoted string (interpreted or raw); `text` holds the unquoted value.
    String,
    /// One of `(`, `)`, `[`, `]`, `{`, `}`, `,`.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) text: String,
    pub(crate) range: TextRange,
}

impl Token {
    pub(crate) fn is(&self, punct: &str) -> bool {
        self.kind != TokenKind::String && self.text == punct
    }
}

/// One statement: a plain line, or one line inside a `verb ( … )` block (then `verb` is the block's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) verb: Token,
    pub(crate) args: Vec<Token>,
    /// From the verb (or the first argument inside a block) to the last token.
    pub(crate) range: TextRange,
    /// The enclosing block, from the verb to the closing `)`.
    pub(crate) block: Option<TextRange>,
    /// Comment lines directly above this line (or above its block, for a block's first line).
    pub(crate) before: Vec<Comment>,
    /// A comment after the tokens on the same line.
    pub(crate) suffix: Option<Comment>,
}

/// A `verb ( … )` block as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub verb: String,
    pub range: TextRange,
}

#[derive(Debug, Default)]
pub(crate) struct ModSyntax {
    pub(crate) lines: Vec<Line>,
    pub(crate) blocks: Vec<Block>,
    pub(crate) comments: Vec<Comment>,
    pub(crate) errors: Vec<ModError>,
}

/// Splits `text` into statements. Never fails.
pub(crate) fn read(text: &str) -> ModSyntax {
    let mut out = ModSyntax::default();
    let physical = lex_lines(text, &mut out);
    let mut pending: Vec<Comment> = Vec::new();
    let mut index = 0;
    while let Some(line) = physical.get(index) {
        index += 1;
        let Some(first) = line.tokens.first() else {
            match &line.comment {
                Some(comment) => pending.push(comment.clone()),
                None => pending.clear(),
            }
            continue;
        };
        if first.is(")") {
            out.errors.push(ModError { range: first.range, message: "unexpected `)` outside a block".to_string() });
            pending.clear();
            continue;
        }
        let opens_block = line.tokens.len() == 2 && line.tokens[1].is("(");
        if !opens_block {
            out.lines.push(statement(first.clone(), &line.tokens[1..], None, std::mem::take(&mut pending), line));
            continue;
        }
        let verb = first.clone();
        let mut block_lines = Vec::new();
        let mut before = std::mem::take(&mut pending);
        if let Some(comment) = &line.comment {
            before.push(comment.clone());
        }
        let mut end = line.tokens[1].range.end;
        let mut closed = false;
        while let Some(inner) = physical.get(index) {
            index += 1;
            let Some(head) = inner.tokens.first() else {
                match &inner.comment {
                    Some(comment) => before.push(comment.clone()),
                    None => before.clear(),
                }
                continue;
            };
            if head.is(")") {
                end = head.range.end;
                closed = true;
                if inner.tokens.len() > 1 {
                    out.errors.push(ModError {
                        range: TextRange::new(inner.tokens[1].range.start, inner.range_end()),
                        message: "unexpected text after `)`".to_string(),
                    });
                }
                break;
            }
            if head.is("(") {
                out.errors.push(ModError { range: head.range, message: "unexpected `(` inside a block".to_string() });
                before.clear();
                continue;
            }
            end = inner.range_end();
            block_lines.push((inner, std::mem::take(&mut before)));
        }
        if !closed {
            out.errors.push(ModError {
                range: TextRange::new(verb.range.start, line.tokens[1].range.end),
                message: format!("`{} (` block is not closed by `)`", verb.text),
            });
        }
        let block_range = TextRange::new(verb.range.start, end);
        out.blocks.push(Block { verb: verb.text.clone(), range: block_range });
        for (inner, before) in block_lines {
            let mut stmt = statement(verb.clone(), &inner.tokens, Some(block_range), before, inner);
            stmt.range = TextRange::new(inner.tokens[0].range.start, inner.range_end());
            out.lines.push(stmt);
        }
    }
    // Lexing errors were found in a first pass; report everything in file order.
    out.errors.sort_by_key(|e| e.range.start);
    out
}

fn statement(verb: Token, args: &[Token], block: Option<TextRange>, before: Vec<Comment>, line: &Physical) -> Line {
    Line {
        range: TextRange::new(verb.range.start, line.range_end()),
        verb,
        args: args.to_vec(),
        block,
        before,
        suffix: line.comment.clone(),
    }
}

/// The tokens of one physical line and its trailing comment.
struct Physical {
    tokens: Vec<Token>,
    comment: Option<Comment>,
}

impl Physical {
    fn range_end(&self) -> usize {
        self.tokens.last().map_or(0, |t| t.range.end)
    }
}

fn lex_lines(text: &str, out: &mut ModSyntax) -> Vec<Physical> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut current = Physical { tokens: Vec::new(), comment: None };
    let mut pos = 0;
    while pos < bytes.len() {
        let c = bytes[pos];
        match c {
            b'\n' => {
                lines.push(std::mem::replace(&mut current, Physical { tokens: Vec::new(), comment: None }));
                pos += 1;
            }
            b' ' | b'\t' | b'\r' => pos += 1,
            b'/' if bytes.get(pos + 1) == Some(&b'/') => {
                let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
                let comment = Comment { text: text[pos + 2..end].trim().to_string(), range: TextRange::new(pos, end) };
                out.comments.push(comment.clone());
                current.comment = Some(comment);
                pos = end;
            }
            b'/' if bytes.get(pos + 1) == Some(&b'*') => {
                let end = text[pos..].find("*/").map_or(text.len(), |i| pos + i + 2);
                out.errors.push(ModError {
                    range: TextRange::new(pos, end),
                    message: "mod files must use // comments, not /* */ comments".to_string(),
                });
                pos = end;
            }
            b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' => {
                current.tokens.push(Token {
                    kind: TokenKind::Punct,
                    text: (c as char).to_string(),
                    range: TextRange::new(pos, pos + 1),
                });
                pos += 1;
            }
            b'"' | b'`' => {
                let (token, end) = lex_string(text, pos, out);
                current.tokens.push(token);
                pos = end;
            }
            _ => {
                let end = ident_end(text, pos);
                if end == pos {
                    // A control character or another byte that cannot start a token: skip it.
                    let width = text[pos..].chars().next().map_or(1, char::len_utf8);
                    out.errors.push(ModError {
                        range: TextRange::new(pos, pos + width),
                        message: "unexpected input character".to_string(),
                    });
                    pos += width;
                } else {
                    current.tokens.push(Token {
                        kind: TokenKind::Ident,
                        text: text[pos..end].to_string(),
                        range: TextRange::new(pos, end),
                    });
                    pos = end;
                }
            }
        }
    }
    lines.push(current);
    lines
}

/// Identifiers run over printable, non-space characters other than punctuation, and stop at `//`.
fn ident_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (offset, ch) in text[start..].char_indices() {
        let at = start + offset;
        let stop = ch.is_whitespace()
            || ch.is_control()
            || matches!(ch, '(' | ')' | '[' | ']' | '{' | '}' | ',' | '"' | '`')
            || text[at..].starts_with("//")
            || text[at..].starts_with("/*");
        if stop {
            break;
        }
        end = at + ch.len_utf8();
    }
    end
}

/// Lexes a quoted string starting at `start`; returns the token and the offset after it.
fn lex_string(text: &str, start: usize, out: &mut ModSyntax) -> (Token, usize) {
    let quote = text.as_bytes()[start];
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, ch)) = chars.next() {
        let at = start + 1 + offset;
        if ch == '\n' {
            out.errors.push(ModError { range: TextRange::new(start, at), message: "unterminated string".to_string() });
            return (Token { kind: TokenKind::String, text: value, range: TextRange::new(start, at) }, at);
        }
        if ch as u32 == quote as u32 {
            let end = at + 1;
            return (Token { kind: TokenKind::String, text: value, range: TextRange::new(start, end) }, end);
        }
        if ch == '\\' && quote == b'"' {
            // A line break ends the string even after a backslash: Go's strings never span lines.
            if text[at + 1..].starts_with('\n') {
                let end = at + 1;
                out.errors
                    .push(ModError { range: TextRange::new(start, end), message: "unterminated string".to_string() });
                return (Token { kind: TokenKind::String, text: value, range: TextRange::new(start, end) }, end);
            }
            match chars.next() {
                Some((_, escaped)) => match unescape(escaped) {
                    Some(c) => value.push(c),
                    None => {
                        let end = at + 1 + escaped.len_utf8();
                        out.errors.push(ModError {
                            range: TextRange::new(at, end),
                            message: format!("unsupported escape `\\{escaped}` in string"),
                        });
                    }
                },
                None => break,
            }
            continue;
        }
        value.push(ch);
    }
    out.errors.push(ModError { range: TextRange::new(start, text.len()), message: "unterminated string".to_string() });
    (Token { kind: TokenKind::String, text: value, range: TextRange::new(start, text.len()) }, text.len())
}

fn unescape(c: char) -> Option<char> {
    Some(match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '\\' => '\\',
        '"' => '"',
        '\'' => '\'',
        'a' => '\u{7}',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        _ => return None,
    })
}

/// Go's rule for the version in a `go` line: `1.N`, `1.N.P`, or a prerelease such as `1.21rc1`.
pub(crate) fn is_valid_go_version(version: &str) -> bool {
    let (numbers, pre) = match version.find(|c: char| c.is_ascii_lowercase()) {
        Some(i) => version.split_at(i),
        None => (version, ""),
    };
    let parts: Vec<&str> = numbers.split('.').collect();
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    let numbers_ok = (parts.len() == 2 || parts.len() == 3)
        && parts.iter().all(|p| number(p))
        && parts.first().is_some_and(|major| *major != "0");
    let pre_ok = pre.is_empty() || {
        let digits = pre.trim_start_matches(|c: char| c.is_ascii_lowercase());
        digits.len() < pre.len() && number(digits)
    };
    numbers_ok && pre_ok
}

/// Go's rule for a `toolchain` line: `default`, or a name starting with `go1` (`go1.22.3`, `go1.23rc1-custom`).
pub(crate) fn is_valid_toolchain(name: &str) -> bool {
    name == "default" || name.strip_prefix("go").is_some_and(|v| v == "1" || v.starts_with("1."))
}

/// A loose module version check: semantic versions start with `v` and a digit.
pub(crate) fn looks_like_module_version(version: &str) -> bool {
    version.strip_prefix('v').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// A replacement or `use` target that is a directory: rooted, or starting with `./` or `../`.
pub(crate) fn is_directory_path(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path == "."
        || path == ".."
        || path.starts_with(".\\")
        || path.starts_with("..\\")
        || path.as_bytes().get(1) == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbs(text: &str) -> Vec<(String, Vec<String>, bool)> {
        read(text)
            .lines
            .into_iter()
            .map(|l| (l.verb.text, l.args.into_iter().map(|a| a.text).collect(), l.block.is_some()))
            .collect()
    }

    #[test]
    fn lines_blocks_and_strings() {
        let lines = verbs("module \"ex.com/a\"\nrequire (\n  a v1 // indirect\n\n  b v2\n)\n");
        assert_eq!(
            lines,
            vec![
                ("module".into(), vec!["ex.com/a".into()], false),
                ("require".into(), vec!["a".into(), "v1".into()], true),
                ("require".into(), vec!["b".into(), "v2".into()], true),
            ]
        );
    }

    #[test]
    fn comments_attach_before_and_after() {
        let syntax = read("// Deprecated: use b\nmodule a // trailing\n");
        let line = &syntax.lines[0];
        assert_eq!(line.before[0].text, "Deprecated: use b");
        assert_eq!(line.suffix.as_ref().map(|c| c.text.as_str()), Some("trailing"));
        assert_eq!(syntax.comments.len(), 2);
    }

    #[test]
    fn errors_have_ranges_and_reading_goes_on() {
        let text = "module \"a\nrequire (\n b v1\n";
        let syntax = read(text);
        let messages: Vec<_> = syntax.errors.iter().map(|e| (e.message.as_str(), &text[e.range.as_range()])).collect();
        assert_eq!(
            messages,
            vec![("unterminated string", "\"a"), ("`require (` block is not closed by `)`", "require (")]
        );
        assert_eq!(syntax.lines.len(), 2);
    }

    #[test]
    fn a_backslash_does_not_carry_a_string_onto_the_next_line() {
        let text = "module \"ex.com/a\\\ngo 1.23\n";
        let syntax = read(text);
        assert_eq!(
            verbs(text),
            vec![("module".into(), vec!["ex.com/a".into()], false), ("go".into(), vec!["1.23".into()], false)]
        );
        assert_eq!(syntax.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["unterminated string"]);
    }

    #[test]
    fn stray_parens_and_block_comments() {
        let syntax = read(")\n/* x */\nrequire (\n(\n)\n");
        let messages: Vec<_> = syntax.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "unexpected `)` outside a block",
                "mod files must use // comments, not /* */ comments",
                "unexpected `(` inside a block"
            ]
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        for text in ["\"\\", "`", "a\u{0}b", "é\"\\é", "require (\n)\n)", "(\n", "//", "\"\\x\""] {
            let _ = read(text);
        }
    }

    #[test]
    fn version_rules() {
        for good in ["1.21", "1.21.0", "1.22rc1", "1.0"] {
            assert!(is_valid_go_version(good), "{good}");
        }
        for bad in ["1", "1.21.x", "v1.21", "01.2", "1.02", "1.21.0.1", "1.21rc", ""] {
            assert!(!is_valid_go_version(bad), "{bad}");
        }
        assert!(is_valid_toolchain("go1.22.3") && is_valid_toolchain("default") && !is_valid_toolchain("1.22"));
    }
}
