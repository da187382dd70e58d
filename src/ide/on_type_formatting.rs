//! On-type formatting: after a newline typed at the end of a line that ends with the escape
//! character, the new continuation line gets the formatter's continuation indentation.
//!
//! Like [`super::format`], it leaves heredoc bodies, comments and quoted text alone: inside a
//! quote the indentation would become part of the string.

use super::FormatOptions;
use crate::syntax::{Instruction, Parse, TextEdit, TextRange};

/// The edit that indents the line at `offset` (just after a typed newline) as a continuation line;
/// empty when that line does not continue an instruction or is already indented so.
pub fn on_type_formatting(parse: &Parse, offset: usize, typed: char, options: FormatOptions) -> Vec<TextEdit> {
    let text = parse.text();
    if typed != '\n' || offset == 0 || offset > text.len() || !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let line_start = text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1);
    if line_start == 0 {
        return Vec::new();
    }
    let previous_start = text.get(..line_start - 1).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1);
    let previous = text.get(previous_start..line_start - 1).unwrap_or_default().trim_end_matches('\r');
    let escape = parse.dockerfile().escape;
    let Some(joined) = previous.trim_end().strip_suffix(escape) else { return Vec::new() };
    if previous.trim_start().starts_with('#') {
        return Vec::new();
    }
    let Some(instruction) = parse.dockerfile().instructions.iter().find(|i| contains(i.range, previous_start)) else {
        return Vec::new();
    };
    if in_heredoc(instruction, previous_start) {
        return Vec::new();
    }
    let escape_offset = previous_start + joined.len();
    if inside_quotes(&instruction_text(text, instruction, escape_offset), escape) {
        return Vec::new();
    }
    let wanted = if options.keep_aligned && previous_start != line_start_of(text, instruction.range.start) {
        // Hand-aligned continuations: follow the line above, tabs included.
        previous.get(..leading_whitespace(previous)).unwrap_or_default().to_string()
    } else {
        " ".repeat(options.indent)
    };
    let current = text.get(line_start..).unwrap_or_default();
    let whitespace = leading_whitespace(current);
    if current.get(..whitespace) == Some(wanted.as_str()) {
        return Vec::new();
    }
    vec![TextEdit { range: TextRange::new(line_start, line_start + whitespace), new_text: wanted }]
}

/// The instruction's text up to `end`, without its comment lines (an apostrophe in a comment
/// opens no quote).
fn instruction_text(text: &str, instruction: &Instruction, end: usize) -> String {
    let mut out = String::new();
    let mut at = instruction.range.start;
    for comment in &instruction.inner_comments {
        if comment.start >= end {
            break;
        }
        out.push_str(text.get(at..comment.start).unwrap_or_default());
        at = comment.end.max(at);
    }
    out.push_str(text.get(at..end).unwrap_or_default());
    out
}

fn leading_whitespace(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn contains(range: TextRange, offset: usize) -> bool {
    range.start <= offset && offset < range.end
}

fn line_start_of(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1)
}

fn in_heredoc(instruction: &Instruction, offset: usize) -> bool {
    instruction
        .heredocs
        .iter()
        .any(|heredoc| contains(heredoc.body, offset) || heredoc.terminator.is_some_and(|t| contains(t, offset)))
}

/// Whether the end of `text` is inside a single- or double-quoted string.
fn inside_quotes(text: &str, escape: char) -> bool {
    let mut quote = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            _ if c == escape && quote != Some('\'') => {
                chars.next();
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            Some(open) if c == open => quote = None,
            _ => {}
        }
    }
    quote.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::apply_edits;
    use crate::syntax::parse;

    /// The text after typing a newline at the `|` in `before`, then formatting on type.
    fn type_newline(before: &str, options: FormatOptions) -> String {
        let at = before.find('|').unwrap_or_default();
        let text = format!("{}\n{}", &before[..at], &before[at + 1..]);
        let parse = parse(&text);
        apply_edits(&text, &on_type_formatting(&parse, at + 1, '\n', options))
    }

    fn typed(before: &str) -> String {
        type_newline(before, FormatOptions::default())
    }

    #[test]
    fn continuation_lines_get_the_indent() {
        assert_eq!(typed("RUN apt-get update && \\|\n"), "RUN apt-get update && \\\n    \n");
        assert_eq!(typed("RUN a \\\n  b \\|\n"), "RUN a \\\n  b \\\n    \n");
        assert_eq!(typed("RUN a \\\n# don't \n  b \\|\n"), "RUN a \\\n# don't \n  b \\\n    \n");
        assert_eq!(typed("RUN a \\  \r|\n"), "RUN a \\  \r\n    \n");
        let two = FormatOptions { indent: 2, keep_aligned: false };
        assert_eq!(type_newline("COPY a \\|\n", two), "COPY a \\\n  \n");
    }

    #[test]
    fn the_escape_directive_is_honoured() {
        assert_eq!(typed("# escape=`\nRUN dir `|\n"), "# escape=`\nRUN dir `\n    \n");
        assert_eq!(typed("# escape=`\nRUN dir \\|\n"), "# escape=`\nRUN dir \\\n\n");
    }

    #[test]
    fn keep_aligned_follows_the_line_above() {
        let aligned = FormatOptions { indent: 4, keep_aligned: true };
        assert_eq!(type_newline("RUN a \\\n      b \\|\n", aligned), "RUN a \\\n      b \\\n      \n");
        assert_eq!(type_newline("RUN a \\|\n", aligned), "RUN a \\\n    \n");
    }

    #[test]
    fn leaves_other_lines_alone() {
        for before in [
            "RUN a|\n",
            "# comment \\|\nRUN a\n",
            "RUN <<EOF\necho a \\|\nEOF\n",
            "RUN echo \"a \\|\"\n",
            "RUN echo 'a \\\n    # it's \\|b'\n",
            "RUN a \\\n    |\n",
            "|RUN a\n",
        ] {
            let text = before.replacen('|', "\n", 1);
            assert_eq!(typed(before), text, "{before:?}");
        }
    }

    #[test]
    fn never_panics_at_any_offset() {
        let text = "# escape=`\nFROM é `\n\nRUN <<EOF \\\nx \\\nEOF\nRUN \"a \\\nb\" \\\n";
        let parse = parse(text);
        for offset in 0..=text.len() + 2 {
            let _ = on_type_formatting(&parse, offset, '\n', FormatOptions::default());
        }
    }
}
