//! go.work as typed data: `parse_go_work(text)` never fails and reports problems with byte ranges.

use super::gomod::{self, GoDebug, Replace, Spanned};
use super::modfile_syntax::{self, Block, Comment, Line, ModError};
use crate::syntax::TextRange;

/// A `use` line: a module directory relative to the go.work file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub path: Spanned,
    pub range: TextRange,
}

/// The typed content of a go.work file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoWork {
    pub go: Option<Spanned>,
    pub toolchain: Option<Spanned>,
    pub uses: Vec<Use>,
    pub replaces: Vec<Replace>,
    pub godebugs: Vec<GoDebug>,
    pub blocks: Vec<Block>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ModError>,
}

/// Parses go.work text. Never fails: problems go to `GoWork::errors`.
pub fn parse_go_work(text: &str) -> GoWork {
    let syntax = modfile_syntax::read(text);
    let mut model =
        GoWork { blocks: syntax.blocks, comments: syntax.comments, errors: syntax.errors, ..GoWork::default() };
    for line in &syntax.lines {
        directive(&mut model, line);
    }
    model.errors.sort_by_key(|e| e.range.start);
    model
}

fn directive(model: &mut GoWork, line: &Line) {
    let errors = &mut model.errors;
    match line.verb.text.as_str() {
        "go" | "toolchain" => {
            let is_go = line.verb.text == "go";
            let usage = if is_go { "go 1.23" } else { "toolchain go1.23.1" };
            let Some(args) = gomod::exact_args(errors, line, 1, usage) else { return };
            let value = &args[0];
            let valid = if is_go {
                modfile_syntax::is_valid_go_version(&value.text)
            } else {
                modfile_syntax::is_valid_toolchain(&value.text)
            };
            let slot = if is_go { &mut model.go } else { &mut model.toolchain };
            if !valid {
                let message = if is_go {
                    format!("invalid go version '{}': must match format 1.23", value.text)
                } else {
                    format!("invalid toolchain version '{}'", value.text)
                };
                gomod::error(errors, value.range, &message);
            } else if slot.is_some() {
                gomod::error(errors, line.range, &format!("repeated {} statement", line.verb.text));
            } else {
                *slot = Some(Spanned { value: value.text.clone(), range: value.range });
            }
        }
        "use" => {
            // `use -r dir` is a go-command flag, not file syntax: the file only holds directories.
            if let Some(args) = gomod::exact_args(errors, line, 1, "use ./module/dir") {
                let path = Spanned { value: args[0].text.clone(), range: args[0].range };
                model.uses.push(Use { path, range: line.range });
            }
        }
        "replace" => {
            if let Some(replace) = gomod::parse_replace(errors, line) {
                model.replaces.push(replace);
            }
        }
        "godebug" => {
            if let Some(godebug) = gomod::parse_godebug(errors, line) {
                model.godebugs.push(godebug);
            }
        }
        other => gomod::error(errors, line.verb.range, &format!("unknown directive: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_file() {
        let text = "go 1.23.0\ntoolchain go1.23.2\n\nuse (\n\t.\n\t./api // the API module\n\t\"./tools dir\"\n)\nuse ../shared\n\nreplace example.com/x => ./x\ngodebug default=go1.22\n";
        let work = parse_go_work(text);
        assert!(work.errors.is_empty(), "{:?}", work.errors);
        assert_eq!(work.go.map(|g| g.value).as_deref(), Some("1.23.0"));
        assert_eq!(work.toolchain.map(|g| g.value).as_deref(), Some("go1.23.2"));
        let uses: Vec<_> = work.uses.iter().map(|u| u.path.value.as_str()).collect();
        assert_eq!(uses, vec![".", "./api", "./tools dir", "../shared"]);
        assert_eq!(&text[work.uses[2].path.range.as_range()], "\"./tools dir\"");
        assert_eq!(work.replaces.len(), 1);
        assert_eq!(work.godebugs[0].key.value, "default");
        assert_eq!(work.comments[0].text, "the API module");
    }

    #[test]
    fn malformed_lines_become_ranged_errors() {
        let text = "go one\nuse\nuse a b\nmodule x\nuse (\n./a\n";
        let work = parse_go_work(text);
        let found: Vec<_> = work.errors.iter().map(|e| (e.message.as_str(), &text[e.range.as_range()])).collect();
        assert_eq!(
            found,
            vec![
                ("invalid go version 'one': must match format 1.23", "one"),
                ("usage: use ./module/dir", "use"),
                ("usage: use ./module/dir", "use a b"),
                ("unknown directive: module", "module"),
                ("`use (` block is not closed by `)`", "use ("),
            ]
        );
        assert_eq!(work.uses.len(), 1, "the line inside the unclosed block is still read");
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", "use (", ")", "\"", "use \"\\q\"", "go\u{0}"] {
            let _ = parse_go_work(text);
        }
    }
}
