//! Position conversion between LSP (line, character in the negotiated encoding) and byte offsets.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (ropey's `cr_lines`), as the LSP specification says.
//! Out-of-range positions are clamped: a character past the end of a line means the line's end,
//! a line past the end of the document means the document's end, and a character inside a
//! UTF-16 surrogate pair or a multi-byte UTF-8 sequence is rounded down to the character start.

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind};

/// The unit in which the client counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// Picks UTF-8 when the client offers it, then UTF-32, and otherwise the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    pub(super) fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// The line's text without its line break.
fn line_content(line: RopeSlice<'_>) -> RopeSlice<'_> {
    let mut len = line.len_chars();
    if len > 0 && line.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && line.char(len - 1) == '\r' {
        len -= 1;
    }
    line.slice(..len)
}

/// The byte offset of `position`, clamped to the document.
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start = rope.line_to_byte(line);
    let content = line_content(rope.line(line));
    let wanted = position.character as usize;
    let mut units = 0;
    let mut bytes = 0;
    for c in content.chars() {
        let next = units + encoding.units(c);
        if next > wanted {
            break;
        }
        units = next;
        bytes += c.len_utf8();
    }
    line_start + bytes
}

/// The position of byte `offset` (clamped to the document, rounded down to a character boundary).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_start = rope.line_to_char(line);
    let character: usize = rope.slice(line_start..char_index).chars().map(|c| encoding.units(c)).sum();
    Position::new(line as u32, character as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_clamps_inside_them() {
        let rope = Rope::from_str("a😀b\r\nc");
        assert_eq!(offset(&rope, Position::new(0, 3), Encoding::Utf16), 5);
        // Character 2 is inside the surrogate pair: round down to the emoji's start.
        assert_eq!(offset(&rope, Position::new(0, 2), Encoding::Utf16), 1);
        assert_eq!(offset(&rope, Position::new(0, 99), Encoding::Utf16), 6);
        assert_eq!(offset(&rope, Position::new(1, 0), Encoding::Utf16), 8);
        assert_eq!(offset(&rope, Position::new(7, 0), Encoding::Utf16), 9);
        assert_eq!(position(&rope, 5, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(position(&rope, 5, Encoding::Utf8), Position::new(0, 5));
        assert_eq!(position(&rope, 5, Encoding::Utf32), Position::new(0, 2));
    }

    #[test]
    fn lone_carriage_return_breaks_lines() {
        let rope = Rope::from_str("a\rb");
        assert_eq!(offset(&rope, Position::new(1, 1), Encoding::Utf8), 3);
        assert_eq!(position(&rope, 2, Encoding::Utf8), Position::new(1, 0));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
