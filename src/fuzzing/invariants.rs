//! The checks every fuzz target makes on what it gets back: ranges inside the text, on character
//! boundaries, edits that apply. A failed check panics, which is how a fuzzer sees a defect.

use crate::syntax::{TextEdit, TextRange};

/// `range` lies inside `text` and does not split a character.
pub(super) fn assert_range(text: &str, range: TextRange, what: &str) {
    assert!(range.start <= range.end, "{what}: inverted range {range:?}");
    assert!(range.end <= text.len(), "{what}: range {range:?} past the end ({} bytes)", text.len());
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: range {range:?} splits a character"
    );
}

/// Edits that apply to `text`: each in range, none overlapping another.
pub(super) fn assert_edits(text: &str, edits: &[TextEdit], what: &str) {
    let mut ranges: Vec<TextRange> = edits.iter().map(|e| e.range).collect();
    for range in &ranges {
        assert_range(text, *range, what);
    }
    ranges.sort();
    for pair in ranges.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{what}: overlapping edits {:?} and {:?}", pair[0], pair[1]);
    }
}

/// Every byte range written in `debug` (the `{:?}` of a model, where a `TextRange` prints as
/// `start..end`) lies inside `text` on character boundaries. Quoted strings are skipped, so text
/// from the file that happens to look like `1..2` is not mistaken for a range; so are the fields
/// named in `not_ranges` (index ranges such as a stage's instructions).
pub(super) fn assert_debug_ranges(text: &str, debug: &str, not_ranges: &[&str], what: &str) {
    let bytes = debug.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'\'' => i = skip_char(debug, i),
            b'0'..=b'9' if i == 0 || !is_word_byte(bytes[i - 1]) => {
                let (start, after_start) = number(bytes, i);
                let Some(rest) = debug.get(after_start..) else { break };
                if let Some(stripped) = rest.strip_prefix("..")
                    && stripped.starts_with(|c: char| c.is_ascii_digit())
                {
                    let (end, after_end) = number(bytes, after_start + 2);
                    let field = debug.get(..i).unwrap_or_default();
                    if !not_ranges.iter().any(|name| field.ends_with(&format!("{name}: "))) {
                        assert_range(text, TextRange { start, end }, &format!("{what} (range {start}..{end})"));
                    }
                    i = after_end;
                } else {
                    i = after_start;
                }
            }
            _ => i += 1,
        }
    }
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.'
}

/// The index just past the Debug-quoted string starting at `start`.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index just past the Debug-quoted character (`'x'`, `'\''`, `'\u{301}'`) starting at `start`.
fn skip_char(debug: &str, start: usize) -> usize {
    let rest = debug.get(start + 1..).unwrap_or_default();
    let body = if rest.starts_with("\\u{") {
        rest.find('}').map(|i| i + 1)
    } else if rest.starts_with('\\') {
        Some(2)
    } else {
        rest.chars().next().map(char::len_utf8)
    };
    start + 1 + body.unwrap_or(rest.len()) + 1
}

fn number(bytes: &[u8], start: usize) -> (usize, usize) {
    let mut value: usize = 0;
    let mut i = start;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        value = value.saturating_mul(10).saturating_add(usize::from(bytes[i] - b'0'));
        i += 1;
    }
    (value, i)
}

/// The offsets at which the position-based features are asked: every character boundary of a
/// small document, an even sample of a large one (always with both ends).
pub fn positions(text: &str, limit: usize) -> Vec<usize> {
    let boundaries = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
    if text.len() <= limit {
        return boundaries.collect();
    }
    let step = text.len().div_ceil(limit).max(1);
    let mut sampled: Vec<usize> = (0..text.len())
        .step_by(step)
        .map(|mut offset| {
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        })
        .collect();
    sampled.push(text.len());
    sampled.dedup();
    sampled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_debug_output_are_found_outside_strings() {
        let text = "FROM é";
        assert_debug_ranges(text, r#"Word { range: 0..4, text: "99..100" }"#, &[], "ok");
        assert_debug_ranges(text, "Stage { instructions: 0..99 }", &["instructions"], "skipped");
        assert_debug_ranges(text, r#"D { escape: '\'', quote: '"', e: '\u{301}', r: 1..4 }"#, &[], "chars");
        let bad = std::panic::catch_unwind(|| assert_debug_ranges(text, "Word { range: 5..6 }", &[], "split"));
        assert!(bad.is_err(), "a range splitting `é` must be reported");
        let past = std::panic::catch_unwind(|| assert_debug_ranges(text, "[0..70]", &[], "past"));
        assert!(past.is_err(), "a range past the end must be reported");
    }

    #[test]
    fn positions_cover_small_texts_and_sample_large_ones() {
        assert_eq!(positions("aé", 10), vec![0, 1, 3]);
        let large = "x".repeat(1000);
        let sampled = positions(&large, 10);
        assert!(sampled.len() <= 12 && sampled.first() == Some(&0) && sampled.last() == Some(&1000));
    }
}
