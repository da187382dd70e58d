//! Line starts of a text, for turning byte offsets into line/column pairs in the CLI and in tests.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as in the LSP specification. The language server does
//! its own conversion on a rope; this index serves the CLI renderer and the JSON output.

/// Byte offsets at which each line of a text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

/// A zero-based line and a zero-based column counted in Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { line_starts, len: text.len() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The zero-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Line and character column of `offset`; `text` must be the indexed text.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let col = text[self.line_start(line)..offset].chars().count();
        LineCol { line, col }
    }

    /// The text of `line` without its line terminator.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1).min(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_lf_crlf_and_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_col(text, 7), LineCol { line: 3, col: 0 });
        assert_eq!(index.line_text(text, 1), "b");
        assert_eq!(index.line_of(4), 1);
    }

    #[test]
    fn columns_count_characters() {
        let text = "é😀x";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, text.len() - 1).col, 2);
        // An offset inside a character is rounded down to its start.
        assert_eq!(index.line_col(text, 1).col, 0);
    }
}
