//! go.mod as typed data: `parse_go_mod(text)` never fails and reports problems with byte ranges.

use super::modfile_syntax::{self, Block, Comment, Line, ModError, Token, TokenKind};
use crate::syntax::TextRange;

/// A string from the file with its range (the token's, quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub value: String,
    pub range: TextRange,
}

impl Spanned {
    fn of(token: &Token) -> Spanned {
        Spanned { value: token.text.clone(), range: token.range }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDirective {
    pub path: Spanned,
    /// The text after `Deprecated:` in the module's comments.
    pub deprecated: Option<String>,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Require {
    pub path: Spanned,
    pub version: Spanned,
    /// Marked `// indirect`.
    pub indirect: bool,
    pub range: TextRange,
}

/// `path version` in an `exclude` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleVersion {
    pub path: Spanned,
    pub version: Spanned,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplaceTarget {
    /// `=> ../lib` (or `./x`, `/abs`): a directory relative to the file's directory.
    Directory(Spanned),
    /// `=> example.com/fork v1.2.3`.
    Module { path: Spanned, version: Spanned },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    pub from: Spanned,
    pub from_version: Option<Spanned>,
    pub to: ReplaceTarget,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retract {
    /// A single version has `low == high`.
    pub low: Spanned,
    pub high: Spanned,
    /// The comments above or after the line.
    pub rationale: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoDebug {
    pub key: Spanned,
    pub value: Spanned,
    pub range: TextRange,
}

/// The typed content of a go.mod file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoMod {
    pub module: Option<ModuleDirective>,
    /// The `go` line's version (`1.22`, `1.22.3`).
    pub go: Option<Spanned>,
    /// The `toolchain` line's name (`go1.23.1`).
    pub toolchain: Option<Spanned>,
    pub requires: Vec<Require>,
    pub excludes: Vec<ModuleVersion>,
    pub replaces: Vec<Replace>,
    pub retracts: Vec<Retract>,
    pub godebugs: Vec<GoDebug>,
    /// `tool` lines (Go 1.24).
    pub tools: Vec<Spanned>,
    /// `ignore` lines (Go 1.25).
    pub ignores: Vec<Spanned>,
    /// Every `verb ( … )` block.
    pub blocks: Vec<Block>,
    pub comments: Vec<Comment>,
    pub errors: Vec<ModError>,
}

impl GoMod {
    pub fn module_path(&self) -> Option<&str> {
        self.module.as_ref().map(|m| m.path.value.as_str())
    }

    pub fn require(&self, path: &str) -> Option<&Require> {
        self.requires.iter().find(|r| r.path.value == path)
    }

    /// Replacements whose target is a local directory (`=> ../lib`).
    pub fn directory_replaces(&self) -> impl Iterator<Item = (&Replace, &Spanned)> {
        self.replaces.iter().filter_map(|r| match &r.to {
            ReplaceTarget::Directory(dir) => Some((r, dir)),
            ReplaceTarget::Module { .. } => None,
        })
    }
}

/// Parses go.mod text. Never fails: problems go to `GoMod::errors`.
pub fn parse_go_mod(text: &str) -> GoMod {
    let syntax = modfile_syntax::read(text);
    let mut model =
        GoMod { blocks: syntax.blocks, comments: syntax.comments, errors: syntax.errors, ..GoMod::default() };
    for line in &syntax.lines {
        directive(&mut model, line);
    }
    model.errors.sort_by_key(|e| e.range.start);
    model
}

fn directive(model: &mut GoMod, line: &Line) {
    let errors = &mut model.errors;
    match line.verb.text.as_str() {
        "module" => {
            if let Some(path) = exact_args(errors, line, 1, "module module/path") {
                if model.module.is_some() {
                    error(errors, line.range, "repeated module statement");
                    return;
                }
                model.module = Some(ModuleDirective {
                    path: Spanned::of(&path[0]),
                    deprecated: deprecation(line),
                    range: line.range,
                });
            }
        }
        "go" => {
            if let Some(args) = exact_args(errors, line, 1, "go 1.23") {
                if !modfile_syntax::is_valid_go_version(&args[0].text) {
                    let message = format!("invalid go version '{}': must match format 1.23", args[0].text);
                    error(errors, args[0].range, &message);
                } else if model.go.is_some() {
                    error(errors, line.range, "repeated go statement");
                } else {
                    model.go = Some(Spanned::of(&args[0]));
                }
            }
        }
        "toolchain" => {
            if let Some(args) = exact_args(errors, line, 1, "toolchain go1.23.1") {
                if !modfile_syntax::is_valid_toolchain(&args[0].text) {
                    error(errors, args[0].range, &format!("invalid toolchain version '{}'", args[0].text));
                } else if model.toolchain.is_some() {
                    error(errors, line.range, "repeated toolchain statement");
                } else {
                    model.toolchain = Some(Spanned::of(&args[0]));
                }
            }
        }
        "require" => {
            if let Some(args) = exact_args(errors, line, 2, "require module/path v1.2.3") {
                check_version(errors, &args[1]);
                let indirect = line.suffix.as_ref().is_some_and(|c| is_indirect(&c.text));
                model.requires.push(Require {
                    path: Spanned::of(&args[0]),
                    version: Spanned::of(&args[1]),
                    indirect,
                    range: line.range,
                });
            }
        }
        "exclude" => {
            if let Some(args) = exact_args(errors, line, 2, "exclude module/path v1.2.3") {
                check_version(errors, &args[1]);
                model.excludes.push(ModuleVersion {
                    path: Spanned::of(&args[0]),
                    version: Spanned::of(&args[1]),
                    range: line.range,
                });
            }
        }
        "replace" => {
            if let Some(replace) = parse_replace(errors, line) {
                model.replaces.push(replace);
            }
        }
        "retract" => {
            if let Some(retract) = parse_retract(errors, line) {
                model.retracts.push(retract);
            }
        }
        "godebug" => {
            if let Some(godebug) = parse_godebug(errors, line) {
                model.godebugs.push(godebug);
            }
        }
        "tool" => {
            if let Some(args) = exact_args(errors, line, 1, "tool module/path/cmd") {
                model.tools.push(Spanned::of(&args[0]));
            }
        }
        "ignore" => {
            if let Some(args) = exact_args(errors, line, 1, "ignore ./dir") {
                model.ignores.push(Spanned::of(&args[0]));
            }
        }
        other => error(errors, line.verb.range, &format!("unknown directive: {other}")),
    }
}

pub(crate) fn error(errors: &mut Vec<ModError>, range: TextRange, message: &str) {
    errors.push(ModError { range, message: message.to_string() });
}

/// The arguments when there are exactly `count` of them and none is punctuation; else an error.
pub(crate) fn exact_args<'a>(
    errors: &mut Vec<ModError>,
    line: &'a Line,
    count: usize,
    usage: &str,
) -> Option<&'a [Token]> {
    let punct = line.args.iter().find(|t| t.kind == TokenKind::Punct);
    if line.args.len() != count || punct.is_some() {
        let range = if line.args.is_empty() { line.verb.range } else { line.range };
        error(errors, range, &format!("usage: {usage}"));
        return None;
    }
    Some(&line.args)
}

fn check_version(errors: &mut Vec<ModError>, version: &Token) {
    if !modfile_syntax::looks_like_module_version(&version.text) {
        error(errors, version.range, &format!("invalid module version '{}': must start with v", version.text));
    }
}

/// Parses `from [version] => to [version]`, shared with go.work.
pub(crate) fn parse_replace(errors: &mut Vec<ModError>, line: &Line) -> Option<Replace> {
    const USAGE: &str = "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory";
    let args = &line.args;
    let Some(arrow) = args.iter().position(|t| t.is("=>")) else {
        error(errors, line.range, USAGE);
        return None;
    };
    let (left, right) = (&args[..arrow], &args[arrow + 1..]);
    if !(1..=2).contains(&left.len()) || !(1..=2).contains(&right.len()) {
        error(errors, line.range, USAGE);
        return None;
    }
    let from_version = left.get(1).map(|v| {
        check_version(errors, v);
        Spanned::of(v)
    });
    let to = match right {
        [dir] if modfile_syntax::is_directory_path(&dir.text) => ReplaceTarget::Directory(Spanned::of(dir)),
        [module] => {
            let message =
                "replacement module without version must be directory path (rooted or starting with ./ or ../)";
            error(errors, module.range, message);
            return None;
        }
        [path, version, ..] => {
            if modfile_syntax::is_directory_path(&path.text) {
                error(errors, version.range, "replacement directory must not have a version");
                return None;
            }
            check_version(errors, version);
            ReplaceTarget::Module { path: Spanned::of(path), version: Spanned::of(version) }
        }
        [] => return None,
    };
    Some(Replace { from: Spanned::of(&left[0]), from_version, to, range: line.range })
}

fn parse_retract(errors: &mut Vec<ModError>, line: &Line) -> Option<Retract> {
    let rationale =
        line.before.iter().chain(line.suffix.iter()).map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n");
    let (low, high) = match line.args.as_slice() {
        [version] if version.kind != TokenKind::Punct => (version, version),
        [open, low, comma, high, close] if open.is("[") && comma.is(",") && close.is("]") => (low, high),
        _ => {
            error(errors, line.range, "usage: retract v1.2.3 or retract [v1.0.0, v1.2.0]");
            return None;
        }
    };
    check_version(errors, low);
    if high.range != low.range {
        check_version(errors, high);
    }
    Some(Retract { low: Spanned::of(low), high: Spanned::of(high), rationale, range: line.range })
}

/// Parses `key=value`, shared with go.work.
pub(crate) fn parse_godebug(errors: &mut Vec<ModError>, line: &Line) -> Option<GoDebug> {
    let args = exact_args(errors, line, 1, "godebug key=value")?;
    let token = &args[0];
    let Some((key, value)) = token.text.split_once('=').filter(|(k, v)| !k.is_empty() && !v.is_empty()) else {
        error(errors, token.range, "usage: godebug key=value");
        return None;
    };
    // Offsets inside the token are exact only for unquoted text; a quoted one keeps the whole range.
    let (key_range, value_range) = if token.kind == TokenKind::Ident {
        let split = token.range.start + key.len();
        (TextRange::new(token.range.start, split), TextRange::new(split + 1, token.range.end))
    } else {
        (token.range, token.range)
    };
    Some(GoDebug {
        key: Spanned { value: key.to_string(), range: key_range },
        value: Spanned { value: value.to_string(), range: value_range },
        range: line.range,
    })
}

fn is_indirect(comment: &str) -> bool {
    comment == "indirect" || comment.starts_with("indirect;")
}

/// Go's convention: a paragraph of the module's comments that starts with `Deprecated:`.
fn deprecation(line: &Line) -> Option<String> {
    let comments: Vec<&str> = line.before.iter().chain(line.suffix.iter()).map(|c| c.text.as_str()).collect();
    let start = comments.iter().position(|c| c.starts_with("Deprecated:"))?;
    let mut message = comments[start].trim_start_matches("Deprecated:").trim().to_string();
    for more in comments[start + 1..].iter().take_while(|c| !c.is_empty()) {
        message.push(' ');
        message.push_str(more);
    }
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, String)> {
        parse_go_mod(text).errors.into_iter().map(|e| (e.message, text[e.range.as_range()].to_string())).collect()
    }

    #[test]
    fn a_complete_file() {
        let text = r#"// Deprecated: use example.com/b
module example.com/a

go 1.22.1

toolchain go1.23.4

godebug (
	default=go1.21
	panicnil=1
)

require example.com/one v1.0.0
require (
	example.com/two v0.2.0 // indirect
	"example.com/three" v3.0.0+incompatible
)

exclude example.com/one v0.9.0

replace (
	example.com/two => ../two
	example.com/three v3.0.0+incompatible => example.com/fork v3.1.0
)

// Published by mistake.
retract [v1.0.0, v1.0.5]
retract v0.1.0 // broken

tool example.com/tools/cmd/gen
ignore ./node_modules
"#;
        let m = parse_go_mod(text);
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        assert_eq!(m.module_path(), Some("example.com/a"));
        assert_eq!(m.module.as_ref().and_then(|m| m.deprecated.as_deref()), Some("use example.com/b"));
        assert_eq!(m.go.as_ref().map(|g| &text[g.range.as_range()]), Some("1.22.1"));
        assert_eq!(m.toolchain.as_ref().map(|t| t.value.as_str()), Some("go1.23.4"));
        let debugs: Vec<_> = m.godebugs.iter().map(|g| (&*g.key.value, &text[g.value.range.as_range()])).collect();
        assert_eq!(debugs, vec![("default", "go1.21"), ("panicnil", "1")]);
        let requires: Vec<_> = m.requires.iter().map(|r| (&*r.path.value, &*r.version.value, r.indirect)).collect();
        assert_eq!(
            requires,
            vec![
                ("example.com/one", "v1.0.0", false),
                ("example.com/two", "v0.2.0", true),
                ("example.com/three", "v3.0.0+incompatible", false)
            ]
        );
        assert_eq!(m.excludes.len(), 1);
        assert_eq!(m.directory_replaces().map(|(_, d)| d.value.as_str()).collect::<Vec<_>>(), vec!["../two"]);
        assert!(matches!(&m.replaces[1].to, ReplaceTarget::Module { path, .. } if path.value == "example.com/fork"));
        assert_eq!(m.replaces[1].from_version.as_ref().map(|v| v.value.as_str()), Some("v3.0.0+incompatible"));
        let retracts: Vec<_> = m.retracts.iter().map(|r| (&*r.low.value, &*r.high.value, &*r.rationale)).collect();
        assert_eq!(retracts, vec![("v1.0.0", "v1.0.5", "Published by mistake."), ("v0.1.0", "v0.1.0", "broken")]);
        assert_eq!(m.tools[0].value, "example.com/tools/cmd/gen");
        assert_eq!(m.ignores[0].value, "./node_modules");
        assert_eq!(m.blocks.iter().map(|b| b.verb.as_str()).collect::<Vec<_>>(), vec!["godebug", "require", "replace"]);
        assert_eq!(m.comments.len(), 4);
    }

    #[test]
    fn no_trailing_newline_and_one_letter_paths() {
        let m = parse_go_mod("module x\nrequire a v1.0.0\ngo 1.21");
        assert!(m.errors.is_empty(), "{:?}", m.errors);
        assert_eq!((m.module_path(), m.go.as_ref().map(|g| g.value.as_str())), (Some("x"), Some("1.21")));
    }

    #[test]
    fn malformed_lines_become_ranged_errors() {
        let text = "module\ngo 1.22.x\ngo 1.21\ngo 1.20\ntoolchain 1.22\nrequire a\nrequire b 1.0\nreplace c => d\nreplace e => ./f v1.0.0\nretract [v1, v2\ngodebug x\nfrobnicate y\n";
        assert_eq!(
            errors(text),
            vec![
                ("usage: module module/path".into(), "module".into()),
                ("invalid go version '1.22.x': must match format 1.23".into(), "1.22.x".into()),
                ("repeated go statement".into(), "go 1.20".into()),
                ("invalid toolchain version '1.22'".into(), "1.22".into()),
                ("usage: require module/path v1.2.3".into(), "require a".into()),
                ("invalid module version '1.0': must start with v".into(), "1.0".into()),
                (
                    "replacement module without version must be directory path (rooted or starting with ./ or ../)"
                        .into(),
                    "d".into()
                ),
                ("replacement directory must not have a version".into(), "v1.0.0".into()),
                ("usage: retract v1.2.3 or retract [v1.0.0, v1.2.0]".into(), "retract [v1, v2".into()),
                ("usage: godebug key=value".into(), "x".into()),
                ("unknown directive: frobnicate".into(), "frobnicate".into()),
            ]
        );
        // The valid lines around the broken ones are still read.
        assert_eq!(parse_go_mod(text).go.map(|g| g.value).as_deref(), Some("1.21"));
    }

    #[test]
    fn empty_and_garbage_input() {
        assert_eq!(parse_go_mod(""), GoMod::default());
        for text in ["(((", ")))", "module (\n", "replace =>", "retract [,]", "\u{feff}module a", "require (\n\"", "\0"]
        {
            let _ = parse_go_mod(text);
        }
    }
}
