//! Code actions: the rules' fixes as quick fixes, suppression comments, and "fix all safe problems".

use crate::rules::{Config, Diagnostic, GoFacts, SUPPRESSION_PROBLEM_CODE};
use crate::syntax::{self, Parse, TextEdit, TextRange};

/// What kind of action this is; the LSP layer maps it to `quickfix` or `source.fixAll.gantry`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
}

/// One action, as edits against the text the diagnostics were computed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<TextEdit>,
    /// The diagnostic this action resolves, if any (an index into the list passed in).
    pub diagnostic: Option<usize>,
    /// The one obvious fix for its diagnostic (editors apply it with a single keystroke).
    pub preferred: bool,
}

/// The quick fixes and suppressions for the diagnostics that touch `range`.
pub fn code_actions(parse: &Parse, diagnostics: &[Diagnostic], range: TextRange) -> Vec<Action> {
    let mut actions = Vec::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        if !overlaps(diagnostic.range, range) {
            continue;
        }
        let single_safe_fix = diagnostic.fixes.len() == 1 && diagnostic.fixes[0].safe;
        for fix in &diagnostic.fixes {
            actions.push(Action {
                title: if fix.safe {
                    fix.title.clone()
                } else {
                    format!("{} (review: may change behaviour)", fix.title)
                },
                kind: ActionKind::QuickFix,
                edits: fix.edits.clone(),
                diagnostic: Some(index),
                preferred: single_safe_fix,
            });
        }
        if diagnostic.code == SUPPRESSION_PROBLEM_CODE {
            continue;
        }
        if let Some(edit) = suppress_for_instruction(parse, &diagnostic.code, diagnostic.range) {
            actions.push(Action {
                title: format!("Suppress {} for this instruction", diagnostic.code),
                kind: ActionKind::QuickFix,
                edits: vec![edit],
                diagnostic: Some(index),
                preferred: false,
            });
        }
        actions.push(Action {
            title: format!("Suppress {} in this file", diagnostic.code),
            kind: ActionKind::QuickFix,
            edits: vec![suppress_for_file(parse, &diagnostic.code)],
            diagnostic: Some(index),
            preferred: false,
        });
    }
    actions
}

fn overlaps(a: TextRange, b: TextRange) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Adds `CODE` to a `# gantry: ignore=` comment right above the instruction, or inserts one with the
/// instruction's indentation.
fn suppress_for_instruction(parse: &Parse, code: &str, at: TextRange) -> Option<TextEdit> {
    let text = parse.text();
    let instruction = parse.dockerfile().instructions.iter().find(|i| i.range.touches(at.start))?;
    let line_start = text[..instruction.range.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..instruction.range.start];
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    if let Some(edit) = extend_comment_above(text, line_start, "# gantry: ignore=", code) {
        return Some(edit);
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(TextEdit {
        range: TextRange::empty(line_start),
        new_text: format!("{indent}# gantry: ignore={code}{newline}"),
    })
}

/// When the line above `line_start` is a `prefix` comment, appends `,CODE` to its list.
fn extend_comment_above(text: &str, line_start: usize, prefix: &str, code: &str) -> Option<TextEdit> {
    let above_end = line_start.checked_sub(1)?;
    let above_end = if text[..above_end].ends_with('\r') { above_end - 1 } else { above_end };
    let above_start = text[..above_end].rfind('\n').map_or(0, |i| i + 1);
    let above = &text[above_start..above_end];
    let list_at = above.trim_start().strip_prefix(prefix)?;
    let list_start = above_end - list_at.len();
    let list_len = list_at.find(char::is_whitespace).unwrap_or(list_at.len());
    let end = list_start + list_len;
    Some(TextEdit { range: TextRange::empty(end), new_text: format!(",{code}") })
}

/// Adds `CODE` to the file's `# gantry: ignore-file=` comment, or inserts one after the parser directives.
fn suppress_for_file(parse: &Parse, code: &str) -> TextEdit {
    let text = parse.text();
    let dockerfile = parse.dockerfile();
    for &comment in &dockerfile.comments {
        let line = &text[comment.as_range()];
        if let Some(list) = line.trim_start().strip_prefix("# gantry: ignore-file=") {
            let list_start = comment.end - list.len();
            let end = list_start + list.find(char::is_whitespace).unwrap_or(list.len());
            return TextEdit { range: TextRange::empty(end), new_text: format!(",{code}") };
        }
    }
    let after_directives = dockerfile.directives.iter().map(|d| d.range.end).max();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match after_directives {
        Some(end) => {
            let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
            let lead = if line_end == text.len() && !text.ends_with('\n') { newline } else { "" };
            TextEdit {
                range: TextRange::empty(line_end),
                new_text: format!("{lead}# gantry: ignore-file={code}{newline}"),
            }
        }
        None => TextEdit { range: TextRange::empty(0), new_text: format!("# gantry: ignore-file={code}{newline}") },
    }
}

/// The most rounds of fixing before giving up: a fix that keeps re-triggering must not loop forever.
const MAX_FIX_ROUNDS: usize = 10;

/// Applies every safe fix, repeatedly until nothing changes, and returns the text and the number of
/// fixes applied. Overlapping fixes wait for the next round, so each round stays well defined.
pub fn fix_all_text(parse: &Parse, config: &Config, go: Option<&GoFacts>, include_unsafe: bool) -> (String, usize) {
    let mut text = parse.text().to_string();
    let mut current = parse.clone();
    let mut applied = 0;
    for _ in 0..MAX_FIX_ROUNDS {
        let diagnostics = crate::rules::check_with_facts(&current, config, go);
        let mut edits: Vec<TextEdit> = Vec::new();
        for fix in diagnostics.iter().flat_map(|d| &d.fixes).filter(|f| f.safe || include_unsafe) {
            let clashes = fix.edits.iter().any(|e| edits.iter().any(|taken| overlaps(taken.range, e.range)));
            if !clashes {
                edits.extend(fix.edits.iter().cloned());
                applied += 1;
            }
        }
        if edits.is_empty() {
            break;
        }
        edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
        for edit in &edits {
            if text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end) {
                text.replace_range(edit.range.as_range(), &edit.new_text);
            }
        }
        current = syntax::parse(&text);
    }
    (text, applied)
}

/// "Fix all safe problems" as one action whose single edit covers only the changed span.
pub fn fix_all(parse: &Parse, config: &Config, go: Option<&GoFacts>) -> Option<Action> {
    let (fixed, applied) = fix_all_text(parse, config, go, false);
    let edit = minimal_edit(parse.text(), &fixed)?;
    let fixes = if applied == 1 { "fix" } else { "fixes" };
    Some(Action {
        title: format!("Fix all safe problems ({applied} {fixes})"),
        kind: ActionKind::FixAll,
        edits: vec![edit],
        diagnostic: None,
        preferred: false,
    })
}

/// One edit turning `old` into `new`: the span between their common prefix and common suffix.
pub fn minimal_edit(old: &str, new: &str) -> Option<TextEdit> {
    if old == new {
        return None;
    }
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(TextEdit {
        range: TextRange::new(prefix, old.len() - suffix),
        new_text: new[prefix..new.len() - suffix].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Selection, check_with_config};

    /// A fixed set of rules, so that new rules don't change these tests.
    fn config() -> Config {
        let only = ["FromAsCasing", "JSONArgsRecommended", "MaintainerDeprecated", "StageNameCasing"];
        let selection = Selection { only: Some(only.map(String::from).to_vec()), ..Selection::default() };
        Config { selection, ..Config::default() }
    }

    fn check(parse: &Parse) -> Vec<Diagnostic> {
        check_with_config(parse, &config())
    }

    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut out = text.to_string();
        for edit in edits {
            out.replace_range(edit.range.as_range(), &edit.new_text);
        }
        out
    }

    fn actions_at(text: &str, needle: &str) -> (Vec<Action>, Parse) {
        let parse = syntax::parse(text);
        let at = text.find(needle).unwrap();
        let diagnostics = check(&parse);
        (code_actions(&parse, &diagnostics, TextRange::empty(at)), parse)
    }

    #[test]
    fn fixes_and_suppressions_for_the_diagnostic_under_the_cursor() {
        let text = "FROM alpine:3.20 AS base\n    CMD echo hi\n";
        let (actions, _) = actions_at(text, "echo");
        let titles: Vec<_> = actions.iter().map(|a| a.title.as_str()).collect();
        insta::assert_debug_snapshot!(titles, @r#"
        [
            "Convert to the JSON (exec) form (review: may change behaviour)",
            "Suppress JSONArgsRecommended for this instruction",
            "Suppress JSONArgsRecommended in this file",
        ]
        "#);
        let suppressed = apply(text, &actions[1].edits);
        assert_eq!(suppressed, "FROM alpine:3.20 AS base\n    # gantry: ignore=JSONArgsRecommended\n    CMD echo hi\n");
        assert!(check(&syntax::parse(&suppressed)).is_empty());
        let file_wide = apply(text, &actions[2].edits);
        assert!(file_wide.starts_with("# gantry: ignore-file=JSONArgsRecommended\nFROM"), "{file_wide}");
        assert!(check(&syntax::parse(&file_wide)).is_empty());
    }

    #[test]
    fn suppressions_extend_existing_comments_and_respect_directives() {
        let text = "# syntax=docker/dockerfile:1\nFROM alpine:3.20 as Base\n";
        let (actions, _) = actions_at(text, "Base");
        let file_wide = actions.iter().find(|a| a.title == "Suppress StageNameCasing in this file").unwrap();
        let once = apply(text, &file_wide.edits);
        assert_eq!(
            once,
            "# syntax=docker/dockerfile:1\n# gantry: ignore-file=StageNameCasing\nFROM alpine:3.20 as Base\n"
        );
        let (actions, _) = actions_at(&once, "as Base");
        let again = actions.iter().find(|a| a.title == "Suppress FromAsCasing in this file").unwrap();
        let twice = apply(&once, &again.edits);
        assert!(twice.contains("# gantry: ignore-file=StageNameCasing,FromAsCasing\n"), "{twice}");
        assert!(check(&syntax::parse(&twice)).is_empty(), "{twice}");

        let (actions, _) = actions_at(&once, "as Base");
        let local = actions.iter().find(|a| a.title == "Suppress FromAsCasing for this instruction").unwrap();
        let with_local = apply(&once, &local.edits);
        assert!(with_local.contains("# gantry: ignore=FromAsCasing\nFROM alpine:3.20 as Base"), "{with_local}");
        assert!(check(&syntax::parse(&with_local)).is_empty(), "{with_local}");
    }

    #[test]
    fn fix_all_reaches_a_fixpoint_and_is_idempotent() {
        let text = "from alpine:3.20 AS Base\nMAINTAINER me\nFROM base as Final\n";
        let parse = syntax::parse(text);
        let action = fix_all(&parse, &config(), None).unwrap();
        let fixed = apply(text, &action.edits);
        assert!(check(&syntax::parse(&fixed)).iter().all(|d| d.fixes.iter().all(|f| !f.safe)), "{fixed}");
        assert!(fix_all(&syntax::parse(&fixed), &config(), None).is_none());
    }

    #[test]
    fn minimal_edit_respects_char_boundaries() {
        let edit = minimal_edit("a→b", "a←b").unwrap();
        assert_eq!(edit.new_text, "←");
        assert_eq!(apply("a→b", &[edit]), "a←b");
        assert!(minimal_edit("same", "same").is_none());
        let edit = minimal_edit("aaa", "aa").unwrap();
        assert_eq!(apply("aaa", &[edit]), "aa");
    }
}
