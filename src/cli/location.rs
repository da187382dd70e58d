//! 1-based line/column regions of findings, with columns in the unit each output format expects.
//!
//! The core works in byte offsets; every machine-readable format wants lines and columns, and they
//! disagree on what a column counts: SARIF (by default) and GitHub count UTF-16 code units, the JSON
//! and checkstyle outputs count Unicode characters. All conversions clamp and round to character
//! boundaries, so no range can panic.

use crate::syntax::{LineIndex, TextRange};

/// What a column number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ColumnUnit {
    /// Unicode scalar values (characters).
    Chars,
    /// UTF-16 code units: characters outside the Basic Multilingual Plane (such as emoji) count two.
    Utf16,
}

/// A 1-based position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    pub(super) line: usize,
    pub(super) column: usize,
}

/// A 1-based region; `end` is the position just after the last character (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Region {
    pub(super) start: Position,
    pub(super) end: Position,
}

/// The 1-based position of byte `offset` in `text` (clamped and rounded down to a character boundary).
pub(super) fn position(text: &str, index: &LineIndex, offset: usize, unit: ColumnUnit) -> Position {
    let offset = floor_char_boundary(text, offset);
    let line = index.line_of(offset);
    let line_start = index.line_start(line).min(offset);
    let before = text.get(line_start..offset).unwrap_or_default();
    let column = match unit {
        ColumnUnit::Chars => before.chars().count(),
        ColumnUnit::Utf16 => before.encode_utf16().count(),
    };
    Position { line: line + 1, column: column + 1 }
}

/// The exact region of `range`, for edits: a range that ends after a line break ends at column 1 of
/// the next line.
pub(super) fn exact_region(text: &str, index: &LineIndex, range: TextRange, unit: ColumnUnit) -> Region {
    let start = position(text, index, range.start, unit);
    let end = position(text, index, range.end.max(range.start), unit);
    Region { start, end }
}

/// The region of `range` as a reader sees it: a non-empty range that ends right after a line break
/// stops at the end of the previous line rather than at column 1 of the next one (the same choice
/// as the human output's underline).
pub(super) fn display_region(text: &str, index: &LineIndex, range: TextRange, unit: ColumnUnit) -> Region {
    let start_offset = floor_char_boundary(text, range.start);
    let mut end_offset = floor_char_boundary(text, range.end.max(start_offset));
    if end_offset > start_offset {
        let end_line = index.line_of(end_offset);
        if end_offset == index.line_start(end_line) && end_line > index.line_of(start_offset) {
            let previous = end_line - 1;
            end_offset = index.line_start(previous) + index.line_text(text, previous).len();
        }
    }
    Region { start: position(text, index, start_offset, unit), end: position(text, index, end_offset, unit) }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(text: &str, range: TextRange, unit: ColumnUnit) -> (usize, usize, usize, usize) {
        let r = display_region(text, &LineIndex::new(text), range, unit);
        (r.start.line, r.start.column, r.end.line, r.end.column)
    }

    #[test]
    fn columns_count_the_requested_unit() {
        // `é` is 2 bytes, 1 char, 1 UTF-16 unit; `😀` is 4 bytes, 1 char, 2 UTF-16 units.
        let text = "é😀x\n";
        let x = TextRange::new(6, 7);
        assert_eq!(region(text, x, ColumnUnit::Chars), (1, 3, 1, 4));
        assert_eq!(region(text, x, ColumnUnit::Utf16), (1, 4, 1, 5));
    }

    #[test]
    fn a_range_ending_after_a_line_break_stays_on_its_line() {
        let text = "FROM a\r\nRUN b\n";
        assert_eq!(region(text, TextRange::new(0, 8), ColumnUnit::Chars), (1, 1, 1, 7));
        let exact = exact_region(text, &LineIndex::new(text), TextRange::new(0, 8), ColumnUnit::Chars);
        assert_eq!((exact.end.line, exact.end.column), (2, 1));
        // An empty range at a line start is left alone.
        assert_eq!(region(text, TextRange::empty(8), ColumnUnit::Chars), (2, 1, 2, 1));
    }

    #[test]
    fn odd_offsets_are_clamped_and_rounded() {
        let text = "a😀";
        // Offset 2 is inside the emoji: rounded down to its start.
        assert_eq!(region(text, TextRange::new(2, 99), ColumnUnit::Utf16), (1, 2, 1, 4));
        assert_eq!(region(text, TextRange { start: 99, end: 3 }, ColumnUnit::Chars), (1, 3, 1, 3));
    }
}
