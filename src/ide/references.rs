//! The symbols a Dockerfile names twice or more: stages (`AS build`, `--from=build`, `FROM build`,
//! `from=build` in a mount) and variables (an ARG or ENV declaration and its `$NAME` uses), found by
//! offset, with all their occurrences. References, highlights, rename and definition build on this.

use crate::syntax::{Dockerfile, InstructionKind, Parse, Scope, TextRange, variable_references};

/// A stage or a variable of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The index of the stage.
    Stage(usize),
    /// The root declaration (index into [`Scope::definitions`]): a stage ARG without a default that
    /// redeclares a global ARG belongs to the global one, as renaming one must rename both.
    Variable(usize),
}

/// One place a target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The name only (without `$`, `${`, `--from=`).
    pub range: TextRange,
    /// A declaration (`AS name`, `ARG NAME`, `ENV NAME=…`) rather than a use.
    pub is_declaration: bool,
}

/// A highlighted occurrence: declarations are writes, uses are reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub write: bool,
}

/// The references to stages: (the name's range, the stage it names). Only stages defined before
/// the referencing instruction count, as in BuildKit.
pub(crate) fn stage_references(dockerfile: &Dockerfile) -> Vec<(TextRange, usize)> {
    let mut found = Vec::new();
    for (position, instruction) in dockerfile.instructions.iter().enumerate() {
        let mut names: Vec<(TextRange, &str)> = Vec::new();
        if let InstructionKind::From(from) = &instruction.kind
            && let Some(image) = &from.image
            && image.tag.is_none()
            && image.digest.is_none()
        {
            names.push((image.range, image.name.as_str()));
        }
        for flag in instruction.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("from")) {
            if let (Some(range), Some(value)) = (flag.value_range, flag.value.as_deref()) {
                names.push((range, value));
            }
        }
        if let InstructionKind::Run(run) = &instruction.kind {
            for option in run.mounts.iter().filter_map(|m| m.option("from")) {
                if let (Some(range), Some(value)) = (option.value_range, option.value.as_deref()) {
                    names.push((range, value));
                }
            }
        }
        for (range, name) in names {
            let stage = dockerfile
                .stages
                .iter()
                .filter(|stage| stage.from < position)
                .find(|stage| stage.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)));
            if let Some(stage) = stage {
                found.push((range, stage.index));
            }
        }
    }
    found
}

/// The `$NAME` uses in the document: (the name's range, the declaration it resolves to).
/// Unresolved names (undeclared, or proxy ARGs) are left out.
pub(crate) fn variable_uses(parse: &Parse, scope: &Scope) -> Vec<(TextRange, usize)> {
    let dockerfile = parse.dockerfile();
    let text = parse.text();
    let mut found = Vec::new();
    for instruction in &dockerfile.instructions {
        let start = instruction.keyword_range.end;
        let Some(source) = text.get(start..instruction.range.end) else { continue };
        if !source.contains('$') {
            continue;
        }
        for reference in variable_references(source, dockerfile.escape) {
            let at = reference.range.start + start;
            // A comment line inside a continued instruction is not part of it.
            if instruction.inner_comments.iter().any(|comment| comment.touches(at)) {
                continue;
            }
            if let Some(definition) = scope.lookup(at, &reference.name) {
                let index = definition_index(scope, definition);
                found.push((reference.name_range.shifted(start), index));
            }
        }
    }
    found
}

/// The index of a definition returned by the scope.
pub(crate) fn definition_index(scope: &Scope, definition: &crate::syntax::Definition) -> usize {
    scope.definitions().iter().position(|d| std::ptr::eq(d, definition)).unwrap_or_default()
}

/// Follows valueless redeclarations (`ARG VERSION` in a stage) to the global declaration.
pub(crate) fn root(scope: &Scope, mut index: usize) -> usize {
    let definitions = scope.definitions();
    // Redeclarations always point to earlier definitions; the bound is for safety only.
    for _ in 0..definitions.len() {
        match definitions.get(index).and_then(|d| d.redeclares) {
            Some(earlier) if earlier < index => index = earlier,
            _ => break,
        }
    }
    index
}

/// The stage or variable at `offset` and the range of its name there.
pub fn target_at(parse: &Parse, scope: &Scope, offset: usize) -> Option<(Target, TextRange)> {
    let dockerfile = parse.dockerfile();
    if let Some(stage) = dockerfile.stages.iter().find(|s| s.name_range.is_some_and(|r| r.touches(offset))) {
        return Some((Target::Stage(stage.index), stage.name_range?));
    }
    if let Some((range, stage)) = stage_references(dockerfile).into_iter().find(|(r, _)| r.touches(offset)) {
        return Some((Target::Stage(stage), range));
    }
    for (index, definition) in scope.definitions().iter().enumerate() {
        if let Some(range) = definition.name_range.filter(|r| r.touches(offset)) {
            return Some((Target::Variable(root(scope, index)), range));
        }
    }
    let (range, index) = variable_uses(parse, scope).into_iter().find(|(r, _)| r.touches(offset))?;
    Some((Target::Variable(root(scope, index)), range))
}

/// Every occurrence of `target`, in source order.
pub fn occurrences(parse: &Parse, scope: &Scope, target: Target) -> Vec<Occurrence> {
    let dockerfile = parse.dockerfile();
    let mut found = Vec::new();
    match target {
        Target::Stage(stage) => {
            if let Some(range) = dockerfile.stages.get(stage).and_then(|s| s.name_range) {
                found.push(Occurrence { range, is_declaration: true });
            }
            found.extend(
                stage_references(dockerfile)
                    .into_iter()
                    .filter(|(_, s)| *s == stage)
                    .map(|(range, _)| Occurrence { range, is_declaration: false }),
            );
        }
        Target::Variable(variable) => {
            for (index, definition) in scope.definitions().iter().enumerate() {
                if let Some(range) = definition.name_range.filter(|_| root(scope, index) == variable) {
                    found.push(Occurrence { range, is_declaration: true });
                }
            }
            found.extend(
                variable_uses(parse, scope)
                    .into_iter()
                    .filter(|(_, index)| root(scope, *index) == variable)
                    .map(|(range, _)| Occurrence { range, is_declaration: false }),
            );
        }
    }
    found.sort_by_key(|o| o.range.start);
    found.dedup();
    found
}

/// The occurrences of the symbol at `offset`, declarations included or not.
pub fn references(parse: &Parse, offset: usize, include_declaration: bool) -> Vec<TextRange> {
    let scope = Scope::new(parse.dockerfile(), parse.text());
    let Some((target, _)) = target_at(parse, &scope, offset) else { return Vec::new() };
    occurrences(parse, &scope, target)
        .into_iter()
        .filter(|o| include_declaration || !o.is_declaration)
        .map(|o| o.range)
        .collect()
}

/// The occurrences of the symbol at `offset` to highlight in the editor.
pub fn document_highlights(parse: &Parse, offset: usize) -> Vec<Highlight> {
    let scope = Scope::new(parse.dockerfile(), parse.text());
    let Some((target, _)) = target_at(parse, &scope, offset) else { return Vec::new() };
    occurrences(parse, &scope, target)
        .into_iter()
        .map(|o| Highlight { range: o.range, write: o.is_declaration })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;

    /// The document with every highlighted occurrence marked `[[w:name]]` or `[[r:name]]`.
    fn highlighted(fixture: &str) -> String {
        let (text, offset) = cursor(fixture);
        let parse = crate::syntax::parse(&text);
        let mut out = String::new();
        let mut last = 0;
        for highlight in document_highlights(&parse, offset) {
            out += &text[last..highlight.range.start];
            let kind = if highlight.write { "w" } else { "r" };
            out += &format!("[[{kind}:{}]]", &text[highlight.range.as_range()]);
            last = highlight.range.end;
        }
        out += &text[last..];
        out
    }

    #[test]
    fn stage_occurrences() {
        insta::assert_snapshot!(highlighted(
            "FROM golang AS bu$0ild\nRUN go build\nFROM BUILD AS test\nFROM scratch\n\
             COPY --from=build /a /a\nRUN --mount=type=bind,from=build,target=/s ls\nCOPY --from=other /b /b\n"
        ));
    }

    #[test]
    fn variable_occurrences_follow_scope() {
        insta::assert_snapshot!(highlighted(
            "ARG VERSION=1.23\nFROM golang:${VERSION} AS build\nARG VERSION\nRUN echo $VER$0SION\n\
             FROM alpine\nRUN echo $VERSION\nARG VERSION=2\nRUN echo ${VERSION:-x}\n\
             FROM build\nRUN echo \\\n# $VERSION in a comment\n  $VERSION '$VERSION' \\$VERSION\n"
        ));
    }

    #[test]
    fn env_shadows_and_stages_inherit() {
        insta::assert_snapshot!(highlighted(
            "FROM alpine AS base\nENV D$0IR=/src\nWORKDIR $DIR\nFROM base\nCOPY . ${DIR}\nENV DIR=/other\nRUN ls $DIR\n"
        ));
    }

    #[test]
    fn nothing_outside_symbols() {
        assert_eq!(highlighted("FROM alpine\nRU$0N ls\n"), "FROM alpine\nRUN ls\n");
    }

    #[test]
    fn references_can_leave_out_the_declaration() {
        let (text, offset) = cursor("ARG A=1\nFROM x\nARG A\nRUN echo $A$0\n");
        let parse = crate::syntax::parse(&text);
        assert_eq!(references(&parse, offset, true).len(), 3);
        assert_eq!(references(&parse, offset, false).len(), 1);
    }
}

#[cfg(test)]
mod robustness {
    /// Every navigation feature at every offset of awkward documents: no panic, ranges in bounds.
    #[test]
    fn no_panic_at_any_offset() {
        let documents = [
            "ARG é=1\nFROM ${é:-x} AS ünï\nCOPY --from=ünï ${A\nRUN --mount=from=,target=/x echo $\n",
            "FROM a AS b\nCOPY --from= \"$B\" '${C}' \\\n# $D\n  x\nENV A=$A B=${A:-${B}}\nONBUILD ARG Z\n",
            "# escape=`\nFROM x AS y\nRUN echo `$A $A\nHEALTHCHECK --interval=1s CMD $A\n",
        ];
        for text in documents {
            let parse = crate::syntax::parse(text);
            for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let in_bounds = |r: crate::syntax::TextRange| text.get(r.as_range()).is_some();
                assert!(super::references(&parse, offset, true).into_iter().all(in_bounds));
                assert!(super::document_highlights(&parse, offset).iter().all(|h| in_bounds(h.range)));
                assert!(crate::ide::goto_definition(&parse, offset).is_none_or(in_bounds));
                let _ = crate::ide::rename(&parse, offset, "renamed");
                assert!(crate::ide::selection_ranges(&parse, offset).into_iter().all(in_bounds));
                let _ = crate::ide::signature_help(&parse, offset);
            }
            let _ = crate::ide::document_links(&parse, &|_| true);
        }
    }
}
