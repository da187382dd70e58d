//! Selection ranges: from the word under the cursor out to its instruction's arguments, the
//! instruction, its stage and the whole file.

use crate::syntax::{Parse, TextRange};

/// The nested ranges around `offset`, innermost first, each strictly containing the previous one.
pub fn selection_ranges(parse: &Parse, offset: usize) -> Vec<TextRange> {
    let dockerfile = parse.dockerfile();
    let mut candidates = Vec::new();
    if let Some(instruction) = dockerfile.instructions.iter().find(|i| i.range.touches(offset)) {
        let words = instruction.flags.iter().map(|f| f.range).chain(instruction.args.iter().map(|w| w.range));
        if let Some(word) = words.filter(|r| r.touches(offset)).min_by_key(|r| r.len()) {
            candidates.push(word);
        }
        if let Some(args) = instruction.args_range.filter(|r| r.touches(offset)) {
            candidates.push(args);
        }
        candidates.push(instruction.range);
    }
    if let Some(stage) = dockerfile.stages.iter().find(|s| s.range.touches(offset)) {
        candidates.push(stage.range);
    }
    candidates.push(TextRange::new(0, parse.text().len()));
    let mut ranges: Vec<TextRange> = Vec::new();
    for range in candidates {
        match ranges.last() {
            Some(last) if !range.contains_range(*last) || range == *last => {}
            _ => ranges.push(range),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;

    #[test]
    fn word_to_file() {
        let (text, offset) = cursor("FROM golang AS build\nCOPY --from=x go.$0mod ./\nRUN ls\n\nFROM alpine\n");
        let parse = crate::syntax::parse(&text);
        let ranges = selection_ranges(&parse, offset);
        insta::assert_snapshot!(
            ranges.iter().map(|r| format!("{:?}", &text[r.as_range()])).collect::<Vec<_>>().join("\n")
        );
    }

    #[test]
    fn outside_instructions_is_the_file() {
        let (text, offset) = cursor("# comment$0\nFROM a\n");
        let parse = crate::syntax::parse(&text);
        assert_eq!(selection_ranges(&parse, offset), vec![TextRange::new(0, text.len())]);
    }
}
