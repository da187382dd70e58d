//! Splits a Dockerfile into parser directives, comments and logical instructions, by BuildKit's rules.
//!
//! A logical instruction is its first line plus every line joined to it by the escape character,
//! minus the comment and blank lines BuildKit skips inside it, plus the bodies of its heredocs.
//! Offsets inside the joined text are mapped back to the source through `LogicalLine`.

use super::TextRange;
use super::errors::{SyntaxError, SyntaxErrorKind};
use super::words::split_words;

/// A parser directive (`# escape=\``) at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub name_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
    /// The whole comment line, without its line break.
    pub range: TextRange,
}

/// The directives BuildKit recognises; any other `# key=value` line is a comment and ends the header.
pub const KNOWN_DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

/// One instruction with its continuation lines joined.
#[derive(Debug, Clone)]
pub(crate) struct LogicalLine {
    /// The joined text, starting at the keyword.
    pub(crate) text: String,
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    logical_start: usize,
    source: TextRange,
}

impl LogicalLine {
    fn push(&mut self, source_text: &str, source: TextRange) {
        self.pieces.push(Piece { logical_start: self.text.len(), source });
        self.text.push_str(&source_text[source.as_range()]);
    }

    /// Maps a logical offset to the source; an offset at a piece boundary maps to the end of the
    /// earlier piece when `prefer_end` is set, so a range never reaches into the next line.
    fn source_offset(&self, logical: usize, prefer_end: bool) -> usize {
        let index = self.pieces.partition_point(|p| p.logical_start <= logical).max(1) - 1;
        let piece = self.pieces[index];
        if prefer_end && index > 0 && logical == piece.logical_start {
            return self.pieces[index - 1].source.end;
        }
        (piece.source.start + (logical - piece.logical_start)).min(piece.source.end)
    }

    /// The source range of a logical range.
    pub(crate) fn source_range(&self, logical: TextRange) -> TextRange {
        let start = self.source_offset(logical.start, false);
        let end = self.source_offset(logical.end, !logical.is_empty());
        TextRange::new(start, end.max(start))
    }
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminator word, unquoted.
    pub name: String,
    /// The `<<EOF` marker in the instruction line.
    pub marker: TextRange,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// `<<"EOF"` or `<<'EOF'`: no variable expansion in the body.
    pub quoted: bool,
    /// The body lines, from the line after the instruction up to (not including) the terminator.
    pub body: TextRange,
    /// The terminator line, or `None` when the file ends first.
    pub terminator: Option<TextRange>,
}

/// An instruction as found in the text, before it is interpreted.
#[derive(Debug, Clone)]
pub(crate) struct RawInstruction {
    /// From the keyword to the end of the last line (including heredoc bodies), without the line break.
    pub range: TextRange,
    pub line: LogicalLine,
    /// Blank lines inside the continuation (BuildKit's NoEmptyContinuation).
    pub empty_continuation_lines: Vec<TextRange>,
    /// Comment lines inside the continuation.
    pub inner_comments: Vec<TextRange>,
    pub heredocs: Vec<Heredoc>,
}

/// The result of lexing a whole file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexed {
    pub directives: Vec<Directive>,
    pub escape: char,
    pub comments: Vec<TextRange>,
    pub instructions: Vec<RawInstruction>,
    pub errors: Vec<SyntaxError>,
}

/// Physical lines: `(content, next)`, where `content` excludes the line break and `next` is the
/// start of the following line.
fn physical_lines(text: &str) -> Vec<(TextRange, usize)> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    // A byte-order mark is not part of the first line.
    if text.starts_with('\u{feff}') {
        start = 3;
    }
    while start < bytes.len() {
        let newline = bytes[start..].iter().position(|&b| b == b'\n').map(|i| start + i);
        let (mut end, next) = match newline {
            Some(i) => (i, i + 1),
            None => (bytes.len(), bytes.len()),
        };
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        lines.push((TextRange::new(start, end), next));
        start = next;
    }
    lines
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Whether a line ends with the escape character (trailing blanks allowed), and where it sits.
fn continuation_at(line: &str, escape: char) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    trimmed.strip_suffix(escape).map(|rest| rest.len())
}

/// `# name=value` on one line, with ranges relative to the line.
fn directive_parts(line: &str) -> Option<((usize, usize), (usize, usize))> {
    let rest = line.strip_prefix('#')?;
    let name_start = 1 + (rest.len() - rest.trim_start().len());
    let after = &line[name_start..];
    let name_len = after
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphanumeric() || (c == '_' && i > 0)))
        .map_or(after.len(), |(i, _)| i);
    if name_len == 0 || !after.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name_end = name_start + name_len;
    let after_name = line[name_end..].trim_start();
    let value_part = after_name.strip_prefix('=')?;
    let value_start = line.len() - value_part.len() + (value_part.len() - value_part.trim_start().len());
    let value_end = line.trim_end().len().max(value_start);
    if value_end == value_start {
        return None;
    }
    Some(((name_start, name_end), (value_start, value_end)))
}

/// Lexes `text` into directives, comments and raw instructions. Never fails.
pub(crate) fn lex(text: &str) -> Lexed {
    let lines = physical_lines(text);
    let mut lexed = Lexed { escape: '\\', ..Lexed::default() };
    let mut index = 0;

    // Parser directives: only at the very top, before any other line.
    while let Some(&(line_range, _)) = lines.get(index) {
        // BuildKit ignores leading whitespace before a directive.
        let full = &text[line_range.as_range()];
        let indent = full.len() - full.trim_start().len();
        let range = TextRange::new(line_range.start + indent, line_range.end);
        let line = &text[range.as_range()];
        let Some(((ns, ne), (vs, ve))) = directive_parts(line) else { break };
        let name = line[ns..ne].to_ascii_lowercase();
        if !KNOWN_DIRECTIVES.contains(&name.as_str()) {
            break;
        }
        let directive = Directive {
            name,
            name_range: TextRange::new(range.start + ns, range.start + ne),
            value: line[vs..ve].to_string(),
            value_range: TextRange::new(range.start + vs, range.start + ve),
            range,
        };
        index += 1;
        if lexed.directives.iter().any(|d| d.name == directive.name) {
            lexed.errors.push(SyntaxError::new(
                SyntaxErrorKind::DuplicateDirective,
                directive.range,
                format!("the `{}` directive is given twice; only the first one counts", directive.name),
            ));
            continue;
        }
        if directive.name == "escape" {
            match directive.value.as_str() {
                "\\" => lexed.escape = '\\',
                "`" => lexed.escape = '`',
                other => lexed.errors.push(SyntaxError::new(
                    SyntaxErrorKind::InvalidEscape,
                    directive.value_range,
                    format!("the escape character must be `\\` or a backtick, not `{other}`"),
                )),
            }
        }
        lexed.directives.push(directive);
    }

    while index < lines.len() {
        let (range, _) = lines[index];
        let line = &text[range.as_range()];
        if is_blank(line) {
            index += 1;
            continue;
        }
        if is_comment(line) {
            let start = range.start + (line.len() - line.trim_start().len());
            lexed.comments.push(TextRange::new(start, range.end));
            index += 1;
            continue;
        }
        index = lex_instruction(text, &lines, index, &mut lexed);
    }
    lexed
}

/// Lexes the instruction starting at physical line `first`; returns the index of the next line.
fn lex_instruction(text: &str, lines: &[(TextRange, usize)], first: usize, lexed: &mut Lexed) -> usize {
    let escape = lexed.escape;
    let mut logical = LogicalLine { text: String::new(), pieces: Vec::new() };
    let mut empty_continuation_lines = Vec::new();
    let mut inner_comments = Vec::new();
    let mut index = first;
    let mut end;
    let (first_range, _) = lines[first];
    let first_line = &text[first_range.as_range()];
    let start = first_range.start + (first_line.len() - first_line.trim_start().len());
    let mut piece_start = start;
    loop {
        let (range, _) = lines[index];
        end = range.end;
        index += 1;
        match continuation_at(&text[piece_start..range.end], escape) {
            Some(cut) => {
                logical.push(text, TextRange::new(piece_start, piece_start + cut));
                // Skip the blank and comment lines BuildKit ignores inside a continuation.
                let mut pending_blank = Vec::new();
                while let Some(&(next, _)) = lines.get(index) {
                    let next_line = &text[next.as_range()];
                    if is_blank(next_line) {
                        pending_blank.push(next);
                    } else if is_comment(next_line) {
                        inner_comments.push(next);
                    } else {
                        break;
                    }
                    index += 1;
                }
                if index >= lines.len() {
                    // The file ends inside the continuation: the instruction ends here.
                    break;
                }
                empty_continuation_lines.extend(pending_blank);
                piece_start = lines[index].0.start;
            }
            None => {
                logical.push(text, TextRange::new(piece_start, range.end));
                break;
            }
        }
    }

    let mut instruction = RawInstruction {
        range: TextRange::new(start, end),
        line: logical,
        empty_continuation_lines,
        inner_comments,
        heredocs: Vec::new(),
    };
    index = read_heredocs(text, lines, index, &mut instruction, lexed);
    lexed.instructions.push(instruction);
    index
}

/// Instructions whose arguments may introduce heredocs.
fn takes_heredocs(keyword: &str) -> bool {
    ["RUN", "COPY", "ADD"].iter().any(|k| k.eq_ignore_ascii_case(keyword))
}

/// Reads the bodies of the heredocs that `instruction` opens; returns the next line index.
fn read_heredocs(
    text: &str,
    lines: &[(TextRange, usize)],
    mut index: usize,
    instruction: &mut RawInstruction,
    lexed: &mut Lexed,
) -> usize {
    let logical = &instruction.line.text;
    let (words, _) = split_words(logical, lexed.escape);
    // BuildKit unwraps ONBUILD before deciding whether the instruction can open a heredoc.
    let keyword_at = match words.first() {
        Some(first) if logical[first.as_range()].eq_ignore_ascii_case("ONBUILD") => 1,
        _ => 0,
    };
    if !words.get(keyword_at).is_some_and(|k| takes_heredocs(&logical[k.as_range()])) {
        return index;
    }
    for &word in &words[keyword_at + 1..] {
        let raw = &logical[word.as_range()];
        let Some((strip_tabs, name, quoted)) = heredoc_marker(raw) else { continue };
        let marker = instruction.line.source_range(word);
        let body_start = lines.get(index).map_or(text.len(), |(r, _)| r.start);
        let mut terminator = None;
        let mut body_end = body_start;
        while let Some(&(range, _)) = lines.get(index) {
            index += 1;
            let line = &text[range.as_range()];
            let candidate = if strip_tabs { line.trim_start_matches('\t') } else { line };
            if candidate == name {
                terminator = Some(range);
                break;
            }
            body_end = range.end;
        }
        let body_end = if body_end == body_start { body_start } else { body_end };
        instruction.range.end = terminator.map_or(body_end.max(instruction.range.end), |t| t.end);
        if terminator.is_none() {
            lexed.errors.push(SyntaxError::new(
                SyntaxErrorKind::UnterminatedHeredoc,
                marker,
                format!("heredoc `{name}` is never closed: end it with a line containing only `{name}`"),
            ));
        }
        instruction.heredocs.push(Heredoc {
            name,
            marker,
            strip_tabs,
            quoted,
            body: TextRange::new(body_start, body_end),
            terminator,
        });
    }
    index
}

/// Recognises `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` and `2<<EOF` (BuildKit's heredoc words).
fn heredoc_marker(word: &str) -> Option<(bool, String, bool)> {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest.strip_prefix("<<")?;
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let quoted = rest.starts_with(['"', '\'']);
    let name: String = rest.chars().filter(|c| *c != '"' && *c != '\'').collect();
    if name.is_empty() {
        return None;
    }
    Some((strip_tabs, name, quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical_texts(text: &str) -> Vec<String> {
        lex(text).instructions.iter().map(|i| i.line.text.clone()).collect()
    }

    #[test]
    fn continuations_join_lines_and_skip_comments_and_blanks() {
        let text = "RUN a \\\n  # note\n\n  b\nCMD c\n";
        assert_eq!(logical_texts(text), ["RUN a   b", "CMD c"]);
        let lexed = lex(text);
        assert_eq!(lexed.instructions[0].empty_continuation_lines.len(), 1);
        assert_eq!(lexed.instructions[0].inner_comments.len(), 1);
    }

    #[test]
    fn backtick_escape_directive() {
        let text = "# escape=`\nRUN dir `\n  C:\\x\\\n";
        let lexed = lex(text);
        assert_eq!(lexed.escape, '`');
        assert_eq!(logical_texts(text), ["RUN dir   C:\\x\\"]);
    }

    #[test]
    fn heredoc_bodies_belong_to_their_instruction() {
        let text = "RUN <<EOF\necho $X\nEOF\nCOPY <<-A <<'B' /d/\n\ta\n\tA\nb\nB\nCMD x\n";
        let lexed = lex(text);
        assert_eq!(lexed.instructions.len(), 3);
        let run = &lexed.instructions[0];
        assert_eq!(&text[run.heredocs[0].body.as_range()], "echo $X");
        let copy = &lexed.instructions[1];
        assert_eq!(copy.heredocs.len(), 2);
        assert!(copy.heredocs[0].strip_tabs);
        assert!(copy.heredocs[1].quoted);
        assert_eq!(&text[copy.range.as_range()], "COPY <<-A <<'B' /d/\n\ta\n\tA\nb\nB");
        assert!(lexed.errors.is_empty());
    }

    #[test]
    fn source_ranges_skip_joined_line_breaks() {
        let text = "RUN aa \\\n  bb\n";
        let lexed = lex(text);
        let line = &lexed.instructions[0].line;
        let bb = line.text.find("bb").unwrap();
        assert_eq!(&text[line.source_range(TextRange::new(bb, bb + 2)).as_range()], "bb");
        // A range ending at a join ends on the earlier line.
        let aa = line.text.find("aa").unwrap();
        let whole = line.source_range(TextRange::new(aa, line.text.len()));
        assert_eq!(&text[whole.as_range()], "aa \\\n  bb");
    }

    #[test]
    fn unknown_directive_ends_the_header() {
        let lexed = lex("# foo=bar\n# escape=`\nFROM a\n");
        assert!(lexed.directives.is_empty());
        assert_eq!(lexed.escape, '\\');
    }
}
