//! Go to definition: from a stage reference (`COPY --from=build`, `FROM build`) to the stage's FROM,
//! and from a `$NAME` to the ARG or ENV declaration in effect there (by BuildKit's scoping). With
//! the Go project known, also out of the Dockerfile (see `go`): a package of `go build` to its
//! `func main`, a `-X` target to the variable's declaration, a COPY/ADD source to the file.

mod go;

use std::path::PathBuf;

use super::references::{definition_index, variable_uses};
use crate::rules::GoFacts;
use crate::syntax::{InstructionKind, Keyword, Parse, Scope, TextRange};

/// Where a definition is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionTarget {
    /// In the Dockerfile itself.
    InDocument(TextRange),
    /// In another file (absolute path): at `range` (byte offsets in that file), or the file itself.
    InFile { path: PathBuf, range: Option<TextRange> },
}

/// Where the symbol at `offset` is defined, if it is a reference gantry understands.
pub fn goto_definition(parse: &Parse, offset: usize) -> Option<TextRange> {
    stage_definition(parse, offset).or_else(|| variable_definition(parse, offset))
}

/// Like [`goto_definition`], and with the Go facts also into the project's files.
pub fn definition(parse: &Parse, offset: usize, go: Option<&GoFacts>) -> Option<DefinitionTarget> {
    if let Some(range) = goto_definition(parse, offset) {
        return Some(DefinitionTarget::InDocument(range));
    }
    go::definition(parse, offset, go?)
}

/// A `$NAME` goes to its declaration; a stage `ARG NAME` without a default goes to the global ARG it
/// redeclares.
fn variable_definition(parse: &Parse, offset: usize) -> Option<TextRange> {
    let scope = Scope::new(parse.dockerfile(), parse.text());
    let definitions = scope.definitions();
    if let Some(definition) = definitions.iter().find(|d| d.name_range.is_some_and(|r| r.touches(offset))) {
        return definitions.get(definition.redeclares?)?.name_range;
    }
    let (_, index) = variable_uses(parse, &scope).into_iter().find(|(range, _)| range.touches(offset))?;
    let definition = definitions.get(index)?;
    debug_assert_eq!(definition_index(&scope, definition), index);
    definition.name_range
}

fn stage_definition(parse: &Parse, offset: usize) -> Option<TextRange> {
    let dockerfile = parse.dockerfile();
    let (position, instruction) = dockerfile.instructions.iter().enumerate().find(|(_, i)| i.range.touches(offset))?;
    let reference = match &instruction.kind {
        InstructionKind::From(from) => from
            .image
            .as_ref()
            .filter(|image| image.range.touches(offset) && image.tag.is_none() && image.digest.is_none())
            .map(|image| image.name.clone()),
        InstructionKind::Copy(_) | InstructionKind::Add(_) | InstructionKind::Run(_) => instruction
            .flag("from")
            .filter(|flag| flag.value_range.is_some_and(|r| r.touches(offset)))
            .and_then(|flag| flag.value.clone()),
        _ => None,
    };
    let reference = reference.or_else(|| mount_from(instruction, offset))?;
    // Only stages defined before the referencing instruction count, as in BuildKit.
    dockerfile
        .stages
        .iter()
        .filter(|stage| stage.from < position)
        .find(|stage| stage.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&reference)))
        .and_then(|stage| stage.name_range)
}

/// `RUN --mount=from=build,...` also names a stage.
fn mount_from(instruction: &crate::syntax::Instruction, offset: usize) -> Option<String> {
    let InstructionKind::Run(run) = &instruction.kind else { return None };
    debug_assert!(instruction.is(Keyword::Run));
    run.mounts
        .iter()
        .filter_map(|mount| mount.option("from"))
        .find(|option| option.value_range.is_some_and(|r| r.touches(offset)))
        .and_then(|option| option.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;

    fn check(fixture: &str, expected: Option<&str>) {
        let (text, offset) = cursor(fixture);
        let parse = crate::syntax::parse(&text);
        let target = goto_definition(&parse, offset).map(|r| &text[r.as_range()]);
        assert_eq!(target, expected, "fixture:\n{fixture}");
    }

    #[test]
    fn copy_from_goes_to_the_stage() {
        check("FROM golang AS build\nFROM scratch\nCOPY --from=bu$0ild /a /a\n", Some("build"));
    }

    #[test]
    fn from_stage_goes_to_the_stage() {
        check("FROM golang AS base\nFROM ba$0se AS test\n", Some("base"));
    }

    #[test]
    fn mount_from_goes_to_the_stage() {
        check("FROM a AS deps\nFROM b\nRUN --mount=type=bind,from=de$0ps,target=/d ls\n", Some("deps"));
    }

    #[test]
    fn later_stages_and_images_are_not_definitions() {
        check("FROM a$0lpine\nFROM x AS alpine\n", None);
        check("FROM golang:1.23 AS build\nRUN ec$0ho\n", None);
    }

    #[test]
    fn variables_go_to_the_declaration_in_scope() {
        check("ARG V=1\nFROM a:$V$0\n", Some("V"));
        check("FROM a\nENV DIR=/x\nWORKDIR ${D$0IR}\n", Some("DIR"));
        // The stage's own redeclaration, and from it the global ARG.
        let (text, offset) = cursor("ARG V=1\nFROM a\nARG V\nRUN echo $V$0\n");
        let parse = crate::syntax::parse(&text);
        assert_eq!(goto_definition(&parse, offset).map(|r| r.start), text.find("ARG V\n").map(|i| i + 4));
        let (text, offset) = cursor("ARG V=1\nFROM a\nARG V$0\n");
        let parse = crate::syntax::parse(&text);
        assert_eq!(goto_definition(&parse, offset).map(|r| r.start), Some(4));
        // Declared only in another stage, or automatic: nowhere to go.
        check("FROM a\nARG X=1\nFROM b\nRUN echo $X$0\n", None);
        check("FROM a\nARG TARGETOS\nRUN echo $TARGET$0OS\n", Some("TARGETOS"));
    }
}
