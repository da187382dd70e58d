//! Fixture tests of the editor features in `gantry_ls::ide`:
//! - completion at a `$0` cursor in each `tests/fixtures/completion/<context>.Dockerfile` (a
//!   `workspace-` fixture gets the Go facts of `tests/fixtures/workspaces/service`; a `-plain` one a
//!   client without snippets), with one snapshot per context;
//! - formatting of each `tests/fixtures/formatting/<name>.Dockerfile` (`-indent2`: width 2;
//!   `-keep-aligned`: continuation lines kept), snapshotted, and idempotent there, on the shared
//!   corpus and on generated files, where it must also keep every argument, shell word and heredoc
//!   body as it was.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::ide::{self, CompletionOptions, Completions, FormatOptions};
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax::{self, Command, Instruction, InstructionKind, Parse};
use gantry_ls::workspace::Workspace;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_string()
}

/// Removes the one `$0` marker; returns the text and the marker's byte offset.
fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find("$0").expect("a $0 marker");
    assert!(!marked[at + 2..].contains("$0"), "more than one $0 marker");
    (format!("{}{}", &marked[..at], &marked[at + 2..]), at)
}

fn service_facts() -> GoFacts {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspaces/service");
    let workspace = Arc::new(Workspace::open(&root).expect("open the service workspace"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

/// How many items a snapshot shows; long lists (rule codes, tags) are cut with a count.
const SHOWN: usize = 40;

/// One line per item: kind, label, what is inserted (when it differs) and over which text.
fn render(text: &str, completions: &Completions) -> String {
    let mut out = String::new();
    if completions.incomplete {
        out += "(incomplete: more items as more is typed)\n";
    }
    for item in completions.items.iter().take(SHOWN) {
        let replaced = &text[item.range.as_range()];
        write!(out, "{:?} {}", item.kind, item.label).unwrap();
        if item.insert_text != item.label {
            write!(out, " => {:?}", item.insert_text).unwrap();
        }
        if item.snippet {
            out += " (snippet)";
        }
        if !replaced.is_empty() {
            write!(out, " replacing {replaced:?}").unwrap();
        }
        if let Some(detail) = &item.detail {
            write!(out, " · {detail}").unwrap();
        }
        if item.preselect {
            out += " · preselected";
        }
        if item.deprecated {
            out += " · deprecated";
        }
        out += "\n";
    }
    if completions.items.len() > SHOWN {
        writeln!(out, "… and {} more", completions.items.len() - SHOWN).unwrap();
    }
    if completions.items.is_empty() {
        out += "(nothing)\n";
    }
    out
}

#[test]
fn completion_contexts() {
    let facts = service_facts();
    let files = fixtures("completion");
    assert!(files.len() >= 40, "completion fixtures: {}", files.len());
    for path in files {
        let name = stem(&path);
        let (text, offset) = cursor(&read(&path));
        let parse = syntax::parse(&text);
        let go = name.starts_with("workspace-").then_some(&facts);
        let options = CompletionOptions { snippets: !name.ends_with("-plain") };
        let completions = ide::completions(&parse, offset, go, options);
        for item in &completions.items {
            let whole_keyword = item.kind == ide::CompletionKind::Keyword && item.range.end > offset;
            assert!(item.range.end == offset || whole_keyword, "{name}: {item:?} does not end at the cursor");
            assert!(item.range.start <= offset, "{name}: {item:?} starts after the cursor");
        }
        insta::assert_snapshot!(format!("completion-{name}"), render(&text, &completions), &text);
    }
}

// Formatting

fn format_text(text: &str, options: FormatOptions) -> String {
    let parse = syntax::parse(text);
    ide::apply_edits(text, &ide::format(&parse, options))
}

/// The shell text of a RUN (looking through ONBUILD), if it has the shell form.
fn shell_text(instruction: &Instruction) -> Option<&str> {
    let kind = match &instruction.kind {
        InstructionKind::Onbuild(Some(trigger)) => &trigger.kind,
        kind => kind,
    };
    match kind {
        InstructionKind::Run(run) => match &run.command {
            Command::Shell { text, .. } => Some(text),
            _ => None,
        },
        _ => None,
    }
}

fn non_blank(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The arguments as BuildKit reads them: the strings of a JSON array, otherwise the words as
/// written (FROM's `AS` in any case).
fn arguments(parse: &Parse, instruction: &Instruction) -> Vec<String> {
    match &instruction.kind {
        // The trigger is compared on its own.
        InstructionKind::Onbuild(_) => return Vec::new(),
        InstructionKind::Healthcheck(check) => {
            if let Some((_, Command::Exec { args, .. })) = &check.cmd {
                return std::iter::once("CMD".to_string()).chain(args.iter().map(|a| a.value.clone())).collect();
            }
        }
        _ => {}
    }
    let source = instruction.args_range.and_then(|r| parse.text().get(r.as_range())).unwrap_or("");
    if let Some((_, items)) = syntax::parse_json_array(source) {
        return items.into_iter().map(|item| item.value).collect();
    }
    let from = matches!(instruction.kind, InstructionKind::From(_));
    let word = |(index, text): (usize, &String)| {
        if from && index == 1 && text.eq_ignore_ascii_case("as") { "AS".to_string() } else { text.clone() }
    };
    instruction.args.iter().map(|w| &w.text).enumerate().map(word).collect()
}

/// What formatting must keep: the instructions, every argument as BuildKit reads it, the
/// non-whitespace characters and the words of RUN's shell text, heredoc bodies and comments.
fn assert_meaning_kept(name: &str, before: &Parse, after: &Parse) {
    let (old, new) = (before.dockerfile(), after.dockerfile());
    assert_eq!(old.instructions.len(), new.instructions.len(), "{name}: instruction count");
    let comments = |p: &Parse| -> Vec<String> {
        p.dockerfile().comments.iter().map(|c| p.text()[c.as_range()].to_string()).collect()
    };
    assert_eq!(comments(before), comments(after), "{name}: comments");
    for (a, b) in old.instructions.iter().zip(&new.instructions) {
        let at = &before.text()[a.range.as_range()];
        assert_eq!(a.keyword, b.keyword, "{name}: keyword of {at:?}");
        assert_eq!(arguments(before, a), arguments(after, b), "{name}: arguments of {at:?}");
        if let (InstructionKind::Onbuild(Some(x)), InstructionKind::Onbuild(Some(y))) = (&a.kind, &b.kind) {
            assert_eq!(arguments(before, x), arguments(after, y), "{name}: trigger arguments of {at:?}");
        }
        let flags = |i: &Instruction| i.flags.iter().map(|f| (f.name.clone(), f.value.clone())).collect::<Vec<_>>();
        assert_eq!(flags(a), flags(b), "{name}: flags of {at:?}");
        if let (Some(x), Some(y)) = (shell_text(a), shell_text(b)) {
            assert_eq!(non_blank(x), non_blank(y), "{name}: shell text of {at:?}");
            let split = |t: &str| {
                let (ranges, _) = syntax::split_words(t, old.escape);
                ranges.iter().map(|r| t[r.as_range()].to_string()).collect::<Vec<_>>()
            };
            assert_eq!(split(x), split(y), "{name}: shell words of {at:?}");
        }
        let bodies = |p: &Parse, i: &Instruction| {
            i.heredocs.iter().map(|h| p.text()[h.body.as_range()].to_string()).collect::<Vec<_>>()
        };
        assert_eq!(bodies(before, a), bodies(after, b), "{name}: heredoc bodies of {at:?}");
    }
}

/// Formats `text`, checks that nothing it means changed and that formatting again changes nothing.
fn check_formatting(name: &str, text: &str, options: FormatOptions) -> String {
    let once = format_text(text, options);
    assert_meaning_kept(name, &syntax::parse(text), &syntax::parse(&once));
    let twice = format_text(&once, options);
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    once
}

fn options_for(name: &str) -> FormatOptions {
    FormatOptions {
        indent: if name.ends_with("-indent2") { 2 } else { 4 },
        keep_aligned: name.ends_with("-keep-aligned"),
    }
}

#[test]
fn formatting_fixtures() {
    let files = fixtures("formatting");
    assert!(files.len() >= 8, "formatting fixtures: {}", files.len());
    for path in files {
        let name = stem(&path);
        let text = read(&path);
        let formatted = check_formatting(&name, &text, options_for(&name));
        insta::assert_snapshot!(format!("formatting-{name}"), formatted, &text);
    }
}

#[test]
fn range_formatting_touches_only_the_lines_in_range() {
    let text = "from a AS b\nrun   x \\\n\ty\ncmd [\"a\",\"b\"]\n";
    let parse = syntax::parse(text);
    let second = text.find("run").expect("a run line");
    let range = gantry_ls::syntax::TextRange::new(second + 1, second + 5);
    let edits = ide::format_range(&parse, range, FormatOptions::default());
    assert_eq!(ide::apply_edits(text, &edits), "from a AS b\nRUN x \\\n\ty\ncmd [\"a\",\"b\"]\n");
    let whole = gantry_ls::syntax::TextRange::new(0, text.len());
    let all = ide::format_range(&parse, whole, FormatOptions::default());
    assert_eq!(all, ide::format(&parse, FormatOptions::default()));
}

fn dockerfiles_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            dockerfiles_under(&path, found);
        } else if path.file_name().is_some_and(|n| n.to_string_lossy().contains("Dockerfile")) {
            found.push(path);
        }
    }
}

#[test]
#[allow(clippy::print_stderr)]
fn formatting_the_corpus_is_idempotent_and_keeps_its_meaning() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("note: {} is absent; the corpus test is skipped", corpus.display());
        return;
    }
    let mut files = Vec::new();
    dockerfiles_under(&corpus, &mut files);
    assert!(files.len() >= 45, "corpus Dockerfiles: {}", files.len());
    let mut changed = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let name = path.display().to_string();
        for options in [FormatOptions::default(), FormatOptions { indent: 2, keep_aligned: true }] {
            let formatted = check_formatting(&name, &text, options);
            changed += usize::from(formatted != text);
        }
    }
    // Real files are not all formatted this way already: the test must have exercised edits.
    assert!(changed > 0, "formatting changed none of the {} corpus files", files.len());
}

/// Pieces of instruction lines that stress formatting: casing, spacing, continuations with and
/// without whitespace at the join, quotes across lines, comments and blank lines inside
/// continuations, heredocs, JSON forms, tabs.
const PIECES: &[&str] = &[
    "run",
    "RUN",
    "Run",
    "  run",
    "\trun",
    " echo",
    "   printf",
    " \"a  b",
    " 'c  d",
    "\"",
    "'",
    " x\\\n",
    " y \\\n",
    "\\\n  z",
    " \\\n\t\tw",
    " \\\n    # note \\\n",
    " \\\n\n   v",
    " && go build -o /app .",
    " <<EOF\n  body  text\n\tmore\nEOF",
    " [\"sh\",\"-c\", \"echo  hi\"]",
    " --mount=type=cache,target=/go/pkg/mod",
    " $HOME",
    "\t",
    "   ",
];

#[test]
fn generated_files_keep_their_shell_text_and_heredocs() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_f0a7);
    for case in 0..400 {
        let mut text = String::from("FROM golang:1.26\n");
        for _ in 0..rng.usize(1..6) {
            let first = ["run", "RUN", "  run", "\tRun", "cmd", "copy", "env A=1"][rng.usize(0..7)];
            text += first;
            for _ in 0..rng.usize(1..8) {
                text += PIECES[rng.usize(0..PIECES.len())];
            }
            text += "\n";
        }
        for options in [FormatOptions::default(), FormatOptions { indent: 0, keep_aligned: false }] {
            check_formatting(&format!("case {case}:\n{text:?}"), &text, options);
        }
    }
}
