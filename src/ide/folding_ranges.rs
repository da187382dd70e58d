//! Folding: instructions spanning several lines, and runs of two or more comment lines.

use crate::syntax::{Parse, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// Folds for multi-line instructions and comment blocks, in document order.
pub fn folding_ranges(parse: &Parse) -> Vec<Fold> {
    let text = parse.text();
    let spans_lines = |range: TextRange| text[range.as_range()].contains('\n');
    let dockerfile = parse.dockerfile();
    let mut folds: Vec<Fold> = dockerfile
        .instructions
        .iter()
        .filter(|i| spans_lines(i.range))
        .map(|i| Fold { range: i.range, kind: FoldKind::Region })
        .collect();
    let mut run: Option<TextRange> = None;
    let mut count = 0;
    for &comment in &dockerfile.comments {
        let adjacent = run.is_some_and(|r| {
            let between = &text[r.end..comment.start];
            between.trim().is_empty() && between.matches('\n').count() == 1
        });
        if adjacent {
            run = run.map(|r| r.cover(comment));
            count += 1;
        } else {
            if let (Some(r), true) = (run, count >= 2) {
                folds.push(Fold { range: r, kind: FoldKind::Comment });
            }
            run = Some(comment);
            count = 1;
        }
    }
    if let (Some(r), true) = (run, count >= 2) {
        folds.push(Fold { range: r, kind: FoldKind::Comment });
    }
    folds.sort_by_key(|f| f.range.start);
    folds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_instructions_and_comment_blocks_fold() {
        let text = "# a\n# b\nFROM x\nRUN a \\\n  b\n# lone\nCMD c\n";
        let parse = crate::syntax::parse(text);
        let folds: Vec<(&str, FoldKind)> =
            folding_ranges(&parse).iter().map(|f| (&text[f.range.as_range()], f.kind)).collect();
        assert_eq!(folds, [("# a\n# b", FoldKind::Comment), ("RUN a \\\n  b", FoldKind::Region)]);
    }
}
