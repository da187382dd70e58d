//! Rename of a stage or a variable: every occurrence at once, refusing names BuildKit would reject
//! or that would merge the symbol with another one.

use super::references::{Target, occurrences, root, target_at};
use crate::syntax::{Parse, Scope, TextEdit, TextRange};

/// Why a rename cannot be done, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

/// The name under the cursor, if it can be renamed: its range and current text.
pub fn prepare_rename(parse: &Parse, offset: usize) -> Result<(TextRange, String), RenameError> {
    let scope = Scope::new(parse.dockerfile(), parse.text());
    let (target, range) = target_at(parse, &scope, offset)
        .ok_or_else(|| RenameError("only stage names and ARG/ENV variables can be renamed".to_string()))?;
    if let Target::Variable(index) = target
        && scope.definitions().get(index).is_none_or(|d| d.name_range.is_none())
    {
        return Err(RenameError("a platform ARG defined by BuildKit cannot be renamed".to_string()));
    }
    let name = parse.text().get(range.as_range()).unwrap_or_default().to_string();
    Ok((range, name))
}

/// The edits renaming the symbol at `offset` to `new_name`.
pub fn rename(parse: &Parse, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    prepare_rename(parse, offset)?;
    let scope = Scope::new(parse.dockerfile(), parse.text());
    let Some((target, _)) = target_at(parse, &scope, offset) else {
        return Err(RenameError("nothing to rename here".to_string()));
    };
    match target {
        Target::Stage(stage) => check_stage_name(parse, stage, new_name)?,
        Target::Variable(variable) => check_variable_name(parse, &scope, variable, new_name)?,
    }
    Ok(occurrences(parse, &scope, target)
        .into_iter()
        .map(|o| TextEdit { range: o.range, new_text: new_name.to_string() })
        .collect())
}

/// BuildKit accepts stage names matching `^[a-z][a-z0-9-_.]*$`, case-insensitively, and names
/// are compared case-insensitively, so two stages cannot differ in case only.
fn check_stage_name(parse: &Parse, stage: usize, new_name: &str) -> Result<(), RenameError> {
    let mut chars = new_name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(RenameError(format!(
            "`{new_name}` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`"
        )));
    }
    let clash = parse
        .dockerfile()
        .stages
        .iter()
        .any(|s| s.index != stage && s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(new_name)));
    if clash {
        return Err(RenameError(format!("a stage named `{new_name}` already exists")));
    }
    Ok(())
}

/// Variable names are `[A-Za-z_][A-Za-z0-9_]*`; the new name must not already be declared where
/// the variable is declared or used, or the rename would change what `$NAME` means.
fn check_variable_name(parse: &Parse, scope: &Scope, variable: usize, new_name: &str) -> Result<(), RenameError> {
    let mut chars = new_name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(RenameError(format!(
            "`{new_name}` is not a valid variable name: it must start with a letter or `_` and contain only letters, digits and `_`"
        )));
    }
    let definitions = scope.definitions();
    let stages: Vec<Option<usize>> = definitions
        .iter()
        .enumerate()
        .filter(|(index, _)| root(scope, *index) == variable)
        .map(|(_, d)| d.stage)
        .collect();
    let same_scope = definitions.iter().any(|d| d.name == new_name && stages.contains(&d.stage));
    let visible = occurrences(parse, scope, Target::Variable(variable))
        .iter()
        .any(|o| scope.lookup(o.range.start, new_name).is_some());
    if same_scope || visible {
        return Err(RenameError(format!("a variable named `{new_name}` is already declared in this scope")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::apply_edits;
    use crate::ide::testing::cursor;

    fn renamed(fixture: &str, new_name: &str) -> Result<String, String> {
        let (text, offset) = cursor(fixture);
        let parse = crate::syntax::parse(&text);
        rename(&parse, offset, new_name).map(|edits| apply_edits(&text, &edits)).map_err(|e| e.0)
    }

    #[test]
    fn renames_stages_everywhere() {
        insta::assert_snapshot!(
            renamed(
                "FROM golang AS build\nFROM scratch\nCOPY --from=bu$0ild /a /a\nRUN --mount=from=build,target=/x ls\n",
                "compile"
            )
            .unwrap_or_else(|e| e)
        );
    }

    #[test]
    fn renames_variables_with_their_redeclarations() {
        insta::assert_snapshot!(
            renamed(
                "ARG GO=1.23\nFROM golang:${GO} AS b\nARG GO\nRUN echo $G$0O\nFROM alpine\nARG GO=2\n",
                "GO_VERSION"
            )
            .unwrap_or_else(|e| e)
        );
    }

    #[test]
    fn refuses_invalid_and_clashing_names() {
        insta::assert_snapshot!(
            [
                renamed("FROM a AS b$0\n", "1st"),
                renamed("FROM a AS b$0\nFROM c AS d\n", "D"),
                renamed("FROM a\nARG X$0=1\n", "a-b"),
                renamed("FROM a\nARG X$0=1\nARG Y=2\n", "Y"),
                renamed("FROM a\nARG TARGET$0OS\n", "OS"),
                renamed("FROM a\nRU$0N ls\n", "x"),
                renamed("FROM a AS b$0\n", "ok.name_2"),
            ]
            .iter()
            .map(|r| format!("{r:?}"))
            .collect::<Vec<_>>()
            .join("\n")
        );
    }

    #[test]
    fn prepare_gives_the_name_under_the_cursor() {
        let (text, offset) = cursor("ARG V=1\nFROM a:${V$0}\n");
        let parse = crate::syntax::parse(&text);
        let (range, name) = prepare_rename(&parse, offset).map_err(|e| e.0).unwrap_or_default();
        assert_eq!((name.as_str(), &text[range.as_range()]), ("V", "V"));
    }
}
