//! Formatting: instruction keywords in upper case at the start of their line with one space
//! after them, continuation lines indented by a fixed width, and `["a", "b"]` spacing in JSON
//! forms, as small edits.
//!
//! What formatting never touches: comments, parser directives, heredoc bodies and terminators,
//! and the text of arguments (a shell command keeps every character; only the indentation of its
//! continuation lines may change). A continuation line is re-indented only where that cannot change
//! what BuildKit reads: outside quotes, and where the join already has whitespace on one side
//! (BuildKit joins `a\` + `b` into `ab`, so indenting `b` would split a word). Formatting the
//! result again changes nothing.

use crate::syntax::{Command, Instruction, InstructionKind, Parse, TextEdit, TextRange, parse_json_array};

/// How to format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    /// Spaces before each continuation line.
    pub indent: usize,
    /// Leave the continuation lines of multi-line instructions as they are (hand-aligned flags,
    /// tables of packages).
    pub keep_aligned: bool,
}

impl Default for FormatOptions {
    fn default() -> FormatOptions {
        FormatOptions { indent: 4, keep_aligned: false }
    }
}

/// The edits that format the whole document: sorted, non-overlapping, each within one line.
pub fn format(parse: &Parse, options: FormatOptions) -> Vec<TextEdit> {
    let text = parse.text();
    let escape = parse.dockerfile().escape;
    let mut edits = Vec::new();
    for instruction in &parse.dockerfile().instructions {
        Formatter { text, escape, options, edits: &mut edits }.instruction(instruction);
    }
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    edits
}

/// The edits of [`format`] on the lines that `range` touches.
pub fn format_range(parse: &Parse, range: TextRange, options: FormatOptions) -> Vec<TextEdit> {
    let text = parse.text();
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let first_line = text.get(..start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let last_line_end = text.get(end..).and_then(|t| t.find('\n')).map_or(text.len(), |i| end + i);
    format(parse, options)
        .into_iter()
        .filter(|edit| edit.range.start >= first_line && edit.range.end <= last_line_end)
        .collect()
}

/// The formatted text: `edits` (sorted and non-overlapping, as [`format`] returns them) applied.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        let (start, end) = (edit.range.start.max(at), edit.range.end.max(at));
        let (Some(kept), true) = (text.get(at..start), text.is_char_boundary(end)) else { continue };
        out.push_str(kept);
        out.push_str(&edit.new_text);
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

struct Formatter<'a> {
    text: &'a str,
    escape: char,
    options: FormatOptions,
    edits: &'a mut Vec<TextEdit>,
}

impl Formatter<'_> {
    fn edit(&mut self, range: TextRange, new_text: impl Into<String>) {
        let new_text = new_text.into();
        if self.text.get(range.as_range()) != Some(new_text.as_str()) {
            self.edits.push(TextEdit { range, new_text });
        }
    }

    fn line_start(&self, offset: usize) -> usize {
        self.text[..offset].rfind('\n').map_or(0, |i| i + 1)
    }

    fn instruction(&mut self, instruction: &Instruction) {
        let start = instruction.range.start;
        let line_start = self.line_start(start);
        if line_start < start && self.text[line_start..start].chars().all(|c| c == ' ' || c == '\t') {
            self.edit(TextRange::new(line_start, start), "");
        }
        self.keyword(instruction);
        if let InstructionKind::Onbuild(Some(trigger)) = &instruction.kind {
            self.keyword(trigger);
            self.json_forms(trigger);
        }
        self.json_forms(instruction);
        self.continuation_lines(instruction);
    }

    /// The keyword in upper case (and FROM's `AS`), followed by exactly one space.
    fn keyword(&mut self, instruction: &Instruction) {
        let range = instruction.keyword_range;
        let Some(written) = self.text.get(range.as_range()) else { return };
        if written.contains(['\n', '\r']) {
            return;
        }
        if let Some(keyword) = instruction.keyword {
            self.edit(range, keyword.as_str());
        }
        let rest = &self.text[range.end..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let next = rest[blanks..].chars().next();
        if blanks > 0 && next.is_some_and(|c| c != '\n' && c != '\r') {
            self.edit(TextRange::new(range.end, range.end + blanks), " ");
        }
        if let InstructionKind::From(from) = &instruction.kind
            && let Some(as_keyword) = &from.as_keyword
            && as_keyword.text.eq_ignore_ascii_case("as")
            && as_keyword.range.len() == 2
        {
            self.edit(as_keyword.range, "AS");
        }
    }

    /// `["a","b"]` → `["a", "b"]`, for arrays written on one line.
    fn json_forms(&mut self, instruction: &Instruction) {
        let command_array = |command: &Command| match command {
            Command::Exec { range, .. } => Some(*range),
            _ => None,
        };
        let array = match &instruction.kind {
            InstructionKind::Run(run) => command_array(&run.command),
            InstructionKind::Cmd(command) | InstructionKind::Entrypoint(command) => command_array(command),
            InstructionKind::Healthcheck(check) => check.cmd.as_ref().and_then(|(_, command)| command_array(command)),
            InstructionKind::Shell(_)
            | InstructionKind::Volume(_)
            | InstructionKind::Copy(_)
            | InstructionKind::Add(_) => instruction.args_range,
            _ => None,
        };
        let Some(range) = array else { return };
        let Some(source) = self.text.get(range.as_range()) else { return };
        if source.contains(['\n', '\r']) {
            return;
        }
        let Some((array_range, items)) = parse_json_array(source) else { return };
        let literals: Vec<&str> = items.iter().filter_map(|item| source.get(item.range.as_range())).collect();
        if literals.len() != items.len() {
            return;
        }
        let formatted = format!("[{}]", literals.join(", "));
        self.edit(array_range.shifted(range.start), formatted);
    }

    /// Re-indents the continuation lines of the instruction's own lines (not its heredocs).
    fn continuation_lines(&mut self, instruction: &Instruction) {
        if self.options.keep_aligned {
            return;
        }
        let header_end = instruction.heredocs.first().map_or(instruction.range.end, |h| h.body.start);
        let target = " ".repeat(self.options.indent);
        let mut quote = Quote::default();
        let mut previous_ends_blank = false;
        let mut line_start = self.line_start(instruction.range.start);
        let mut first = true;
        while first || line_start < header_end {
            let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
            let line = self.text[line_start..line_end].trim_end_matches('\r');
            let trimmed = line.trim_start();
            let skipped = !first && (trimmed.is_empty() || trimmed.starts_with('#'));
            if !skipped {
                let indent_len = line.len() - trimmed.len();
                // The text BuildKit joins: up to the escape character, blanks before it included.
                let cut = continuation_cut(line, self.escape).unwrap_or(line.len());
                // The join must keep (or keep lacking) whitespace, so that the words stay the same.
                let joined_by_blank = previous_ends_blank || (indent_len > 0 && !target.is_empty());
                let reindent = !first && !quote.open() && joined_by_blank && indent_len <= cut;
                let piece = if first {
                    line.get(instruction.range.start - line_start..cut).unwrap_or("").to_string()
                } else if reindent {
                    self.edit(TextRange::new(line_start, line_start + indent_len), target.clone());
                    format!("{target}{}", &line[indent_len..cut])
                } else {
                    line[..cut].to_string()
                };
                previous_ends_blank = piece.ends_with([' ', '\t']);
                // BuildKit splits words after the keyword: a quote inside an unknown keyword opens nothing.
                let scan_from = if first { instruction.keyword_range.end.saturating_sub(line_start) } else { 0 };
                quote.scan(line.get(scan_from..cut).unwrap_or(""), self.escape);
            }
            first = false;
            if line_end >= self.text.len() {
                break;
            }
            line_start = line_end + 1;
        }
    }
}

/// Where a line that ends with the escape character (trailing blanks allowed) is cut, as the lexer
/// does; `None` when the line does not continue.
fn continuation_cut(line: &str, escape: char) -> Option<usize> {
    line.trim_end_matches([' ', '\t']).strip_suffix(escape).map(str::len)
}

/// Which quote is open at the end of the text scanned so far.
#[derive(Debug, Default, Clone, Copy)]
struct Quote(Option<char>);

impl Quote {
    fn open(self) -> bool {
        self.0.is_some()
    }

    fn scan(&mut self, text: &str, escape: char) {
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match self.0 {
                Some('\'') if c == '\'' => self.0 = None,
                Some('\'') => {}
                Some(q) if c == q => self.0 = None,
                Some(_) if c == escape => {
                    chars.next();
                }
                Some(_) => {}
                None if c == escape => {
                    chars.next();
                }
                None if c == '"' || c == '\'' => self.0 = Some(c),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn formatted(text: &str, options: FormatOptions) -> String {
        apply_edits(text, &format(&syntax::parse(text), options))
    }

    #[test]
    fn keywords_spacing_and_json() {
        let text = "  from golang:1.26 as build\nrun   go build .\ncmd [\"a\",\"b\" ,  \"c\"]\n";
        assert_eq!(
            formatted(text, FormatOptions::default()),
            "FROM golang:1.26 AS build\nRUN go build .\nCMD [\"a\", \"b\", \"c\"]\n"
        );
    }

    #[test]
    fn continuation_lines_are_reindented_only_where_safe() {
        let options = FormatOptions::default();
        assert_eq!(formatted("RUN a \\\n\tb \\\n        c\n", options), "RUN a \\\n    b \\\n    c\n");
        // Joining `a\` and `b` gives `ab`: indenting `b` would split the word.
        assert_eq!(formatted("RUN a\\\nb\n", options), "RUN a\\\nb\n");
        // Inside quotes the indentation is part of the string.
        assert_eq!(formatted("RUN echo \"a \\\n  b\"\n", options), "RUN echo \"a \\\n  b\"\n");
        assert_eq!(formatted("RUN a \\\n  b\n", FormatOptions { indent: 2, keep_aligned: false }), "RUN a \\\n  b\n");
        // Width 0 must not glue `a\` and `  b` into one word.
        assert_eq!(formatted("RUN a\\\n  b\n", FormatOptions { indent: 0, keep_aligned: false }), "RUN a\\\n  b\n");
        let aligned = "RUN apt-get install \\\n      curl \\\n      git\n";
        assert_eq!(formatted(aligned, FormatOptions { indent: 4, keep_aligned: true }), aligned);
    }

    #[test]
    fn comments_heredocs_and_ranges() {
        let text = "# a  comment\nrun <<EOF\n  echo   hi\nEOF\n  copy a b\n";
        let parse = syntax::parse(text);
        assert_eq!(formatted(text, FormatOptions::default()), "# a  comment\nRUN <<EOF\n  echo   hi\nEOF\nCOPY a b\n");
        let last_line = text.find("  copy").unwrap();
        let edits = format_range(&parse, TextRange::empty(last_line + 3), FormatOptions::default());
        assert_eq!(apply_edits(text, &edits), "# a  comment\nrun <<EOF\n  echo   hi\nEOF\nCOPY a b\n");
    }
}
