//! Helpers shared by the BuildKit checks: whole-line ranges, variable references in source text,
//! name suggestions.

use crate::syntax::{Scope, StageBase, TextRange, VariableRef, edit_distance, variable_references};

/// The start of the line containing `offset`.
pub(super) fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
}

/// `range` widened to whole lines, including the line break after the last one: what to delete to
/// remove those lines.
pub(super) fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let start = line_start(text, range.start);
    let end = range.end.min(text.len());
    let end = text.as_bytes()[end..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| end + i + 1);
    TextRange::new(start, end.max(start))
}

/// The source text of `range`, or nothing when the range does not fit the text.
pub(super) fn source(text: &str, range: TextRange) -> &str {
    text.get(range.as_range()).unwrap_or("")
}

/// The variable references written in `range` of the source, with absolute ranges. References on
/// comment lines inside a continued instruction (`skip`) are left out.
pub(super) fn references_in(text: &str, range: TextRange, escape: char, skip: &[TextRange]) -> Vec<VariableRef> {
    variable_references(source(text, range), escape)
        .into_iter()
        .map(|reference| VariableRef {
            range: reference.range.shifted(range.start),
            name_range: reference.name_range.shifted(range.start),
            ..reference
        })
        .filter(|reference| !skip.iter().any(|s| s.contains_range(reference.range)))
        .collect()
}

/// The candidate closest to `name` within two edits, as BuildKit suggests corrections.
pub(super) fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// What the chain of `FROM <stage>` bases of `stage` finally rests on: scratch, an image, or
/// unknown; `None` for a stage index out of range.
pub(super) fn base_chain_root(scope: &Scope, stage: usize) -> Option<&StageBase> {
    let mut base = scope.stage_base(stage)?;
    // Each base is an earlier stage, so the walk ends; the bound is a guard against surprises.
    for _ in 0..4096 {
        match base {
            StageBase::Stage(earlier) => base = scope.stage_base(*earlier)?,
            other => return Some(other),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lines_include_the_line_break() {
        let text = "a\n  \nb";
        assert_eq!(whole_lines(text, TextRange::new(2, 4)), TextRange::new(2, 5));
        assert_eq!(whole_lines(text, TextRange::new(5, 6)), TextRange::new(5, 6));
        assert_eq!(line_start(text, 99), 5);
    }

    #[test]
    fn closest_suggests_within_two_edits() {
        assert_eq!(closest("PAHT", ["PATH", "HOME"]), Some("PATH"));
        assert_eq!(closest("FOO", ["PATH"]), None);
        assert_eq!(closest("PATH", ["PATH"]), None);
    }
}
