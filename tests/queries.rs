//! The tree-sitter queries in `queries/dockerfile` and their Helix and Zed versions: every file compiles
//! against the grammar gantry parses with, uses only capture names its editor knows, and captures what
//! it should on fixtures that contain every construct.
//!
//! The Helix and Zed files that are translations of the canonical (nvim-treesitter) files are generated:
//! `GANTRY_UPDATE_QUERIES=1 cargo test --test queries` rewrites them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tree_sitter::{Language, Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

fn language() -> Language {
    tree_sitter_containerfile::LANGUAGE.into()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn parse(text: &str) -> Tree {
    let mut parser = Parser::new();
    parser.set_language(&language()).expect("the grammar loads");
    parser.parse(text, None).expect("tree-sitter returns a tree without a timeout")
}

fn compile(relative: &str, text: &str) -> Query {
    Query::new(&language(), text).unwrap_or_else(|error| panic!("{relative} does not compile: {error}"))
}

const CANONICAL_DIR: &str = "queries/dockerfile";
const CANONICAL_FILES: &[&str] =
    &["highlights.scm", "injections.scm", "folds.scm", "indents.scm", "textobjects.scm", "locals.scm"];

const FIXTURE: &str = "tests/fixtures/queries/all.Dockerfile";
const DIRECTIVES_FIXTURE: &str = "tests/fixtures/queries/directives.Dockerfile";

// ----------------------------------------------------------------------------------------------
// Editors: where their queries live, which files are translations, and the capture names they know.

struct Editor {
    name: &'static str,
    dir: &'static str,
    /// Files generated from the canonical file of the same name.
    generated: &'static [&'static str],
    /// Files written for this editor by hand (its own query conventions differ too much).
    hand_written: &'static [&'static str],
    /// Canonical capture name -> this editor's name; `None` drops the capture.
    rename: &'static [(&'static str, Option<&'static str>)],
    /// Every capture name this editor gives a meaning to (private `_` captures are always allowed).
    known: &'static [&'static str],
}

/// nvim-treesitter's capture names (the subset these queries may use), for the canonical files.
const NEOVIM_KNOWN: &[&str] = &[
    "keyword",
    "keyword.directive",
    "constant.builtin",
    "comment",
    "spell",
    "attribute",
    "variable",
    "variable.parameter",
    "punctuation.special",
    "punctuation.delimiter",
    "punctuation.bracket",
    "operator",
    "property",
    "string",
    "string.escape",
    "string.special",
    "string.special.path",
    "label",
    "number",
    "injection.content",
    "fold",
    "indent.begin",
    "indent.branch",
    "indent.auto",
    "function.outer",
    "function.inner",
    "parameter.outer",
    "parameter.inner",
    "comment.outer",
    "comment.inner",
    "local.scope",
    "local.definition.var",
    "local.definition.type",
    "local.reference",
];

const EDITORS: &[Editor] = &[
    Editor {
        name: "helix",
        dir: "editors/helix/runtime/queries/dockerfile",
        generated: &["highlights.scm", "injections.scm", "textobjects.scm", "locals.scm"],
        hand_written: &["indents.scm"],
        rename: &[
            ("spell", None),
            ("property", Some("variable.other.member")),
            ("string.escape", Some("constant.character.escape")),
            ("number", Some("constant.numeric.integer")),
            ("function.outer", Some("function.around")),
            ("function.inner", Some("function.inside")),
            ("parameter.outer", Some("parameter.around")),
            ("parameter.inner", Some("parameter.inside")),
            ("comment.outer", Some("comment.around")),
            ("comment.inner", Some("comment.inside")),
            ("local.definition.var", Some("local.definition.variable")),
            ("local.definition.type", Some("local.definition.label")),
        ],
        known: &[
            "keyword",
            "keyword.directive",
            "constant.builtin",
            "comment",
            "attribute",
            "variable",
            "variable.parameter",
            "variable.other.member",
            "punctuation.special",
            "punctuation.delimiter",
            "punctuation.bracket",
            "operator",
            "string",
            "string.special",
            "string.special.path",
            "constant.character.escape",
            "constant.numeric.integer",
            "label",
            "injection.content",
            "indent",
            "outdent",
            "function.around",
            "function.inside",
            "parameter.around",
            "parameter.inside",
            "comment.around",
            "comment.inside",
            "local.scope",
            "local.definition.variable",
            "local.definition.label",
            "local.reference",
        ],
    },
    Editor {
        name: "zed",
        dir: "editors/zed/languages/dockerfile",
        generated: &["highlights.scm", "injections.scm", "textobjects.scm"],
        hand_written: &["indents.scm", "brackets.scm", "outline.scm"],
        rename: &[
            ("spell", None),
            ("keyword.directive", Some("preproc")),
            ("constant.builtin", Some("constant")),
            ("variable.parameter", Some("variable.special")),
            ("string.special.path", Some("string.special")),
            ("function.outer", Some("function.around")),
            ("function.inner", Some("function.inside")),
            ("parameter.outer", None),
            ("parameter.inner", None),
            ("comment.outer", Some("comment.around")),
            ("comment.inner", Some("comment.inside")),
        ],
        known: &[
            "keyword",
            "preproc",
            "constant",
            "comment",
            "attribute",
            "variable",
            "variable.special",
            "punctuation.special",
            "punctuation.delimiter",
            "punctuation.bracket",
            "operator",
            "property",
            "string",
            "string.escape",
            "string.special",
            "label",
            "number",
            "injection.content",
            "indent",
            "end",
            "open",
            "close",
            "item",
            "name",
            "context",
            "function.around",
            "function.inside",
            "comment.around",
            "comment.inside",
        ],
    },
];

/// Rewrites every `@capture` of a query with the editor's names, and the leading comment line
/// with a note that the file is generated. Captures are `@` followed by name characters; `@`
/// inside a string (a node such as `"@"`) is left alone.
fn translate(editor: &Editor, file: &str, canonical: &str) -> String {
    let mut out = format!(
        "; Generated from queries/dockerfile/{file} for {} by tests/queries.rs; do not edit.\n\
         ; Regenerate with `GANTRY_UPDATE_QUERIES=1 cargo test --test queries`.\n",
        editor.name
    );
    for line in canonical.lines() {
        out.push_str(&translate_line(editor, line));
        out.push('\n');
    }
    out
}

fn translate_line(editor: &Editor, line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = line.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            ';' => {
                out.push_str(&line[index..]);
                break;
            }
            '"' => {
                in_string = true;
                out.push(c);
            }
            '@' => {
                let start = index + 1;
                let mut end = start;
                while let Some(&(i, next)) = chars.peek() {
                    if next.is_ascii_alphanumeric() || matches!(next, '.' | '_' | '-') {
                        end = i + next.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let name = &line[start..end];
                match editor.rename.iter().find(|(from, _)| *from == name) {
                    Some((_, Some(to))) => {
                        out.push('@');
                        out.push_str(to);
                    }
                    Some((_, None)) => {
                        // Drop the capture and the space before it.
                        while out.ends_with(' ') {
                            out.pop();
                        }
                    }
                    None => {
                        out.push('@');
                        out.push_str(name);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

// ----------------------------------------------------------------------------------------------
// Running queries.

/// One capture: the node and the capture name (with `@`), in document order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Captured {
    start: usize,
    end: usize,
    /// `line:column-line:column`, 1-based lines, 0-based byte columns.
    position: String,
    capture: String,
    kind: String,
    text: String,
}

fn captures(query: &Query, tree: &Tree, text: &str) -> Vec<Captured> {
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
    let mut found = BTreeSet::new();
    while let Some(m) = matches.next() {
        for capture in m.captures {
            let name = query.capture_names()[capture.index as usize];
            if name.starts_with('_') {
                continue;
            }
            found.insert(captured(capture.node, name, text));
        }
    }
    found.into_iter().collect()
}

fn captured(node: Node, name: &str, text: &str) -> Captured {
    let (start, end) = (node.start_position(), node.end_position());
    Captured {
        start: node.start_byte(),
        end: node.end_byte(),
        position: format!("{}:{}-{}:{}", start.row + 1, start.column, end.row + 1, end.column),
        capture: format!("@{name}"),
        kind: if node.is_named() { node.kind().to_string() } else { format!("\"{}\"", node.kind()) },
        text: text.get(node.byte_range()).unwrap_or_default().to_string(),
    }
}

/// A readable listing for snapshots: one capture per line.
fn listing(captures: &[Captured]) -> String {
    captures
        .iter()
        .map(|c| {
            let mut shown: String = c.text.chars().take(48).collect();
            if shown.len() < c.text.len() {
                shown.push('…');
            }
            format!("{:<14} {:<26} {:<24} {:?}\n", c.position, c.capture, c.kind, shown)
        })
        .collect()
}

fn all_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut nodes = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        nodes.push(node);
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    nodes.sort_by_key(|n| (n.start_byte(), std::cmp::Reverse(n.end_byte())));
    nodes
}

/// Capture names per node (by byte range and kind), from a list of captures.
fn by_node(captures: &[Captured]) -> BTreeMap<(usize, usize, String), BTreeSet<String>> {
    let mut map: BTreeMap<(usize, usize, String), BTreeSet<String>> = BTreeMap::new();
    for c in captures {
        map.entry((c.start, c.end, c.kind.clone())).or_default().insert(c.capture.clone());
    }
    map
}

fn node_key(node: Node) -> (usize, usize, String) {
    let kind = if node.is_named() { node.kind().to_string() } else { format!("\"{}\"", node.kind()) };
    (node.start_byte(), node.end_byte(), kind)
}

fn fixture() -> (String, Tree) {
    let text = read(FIXTURE);
    let tree = parse(&text);
    assert!(!tree.root_node().has_error(), "{FIXTURE} must parse without errors: {}", tree.root_node().to_sexp());
    (text, tree)
}

// ----------------------------------------------------------------------------------------------
// Tests.

#[test]
fn every_query_file_compiles_and_uses_only_capture_names_its_editor_knows() {
    let mut checked = 0;
    for file in CANONICAL_FILES {
        let relative = format!("{CANONICAL_DIR}/{file}");
        let query = compile(&relative, &read(&relative));
        assert_known_captures(&relative, &query, NEOVIM_KNOWN);
        checked += 1;
    }
    for editor in EDITORS {
        for file in editor.generated.iter().chain(editor.hand_written) {
            let relative = format!("{}/{file}", editor.dir);
            let query = compile(&relative, &read(&relative));
            assert_known_captures(&relative, &query, editor.known);
            checked += 1;
        }
    }
    // Every file in the query folders is one of the files listed above.
    let mut on_disk = 0;
    for dir in std::iter::once(CANONICAL_DIR).chain(EDITORS.iter().map(|e| e.dir)) {
        on_disk += std::fs::read_dir(root().join(dir))
            .unwrap_or_else(|error| panic!("cannot list {dir}: {error}"))
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|e| e == "scm"))
            .count();
    }
    assert_eq!(on_disk, checked, "a .scm file in a query folder is not compiled by this test");
}

fn assert_known_captures(relative: &str, query: &Query, known: &[&str]) {
    for name in query.capture_names() {
        assert!(
            name.starts_with('_') || known.contains(name),
            "{relative}: the capture @{name} means nothing to its editor"
        );
    }
}

/// The regexes of `#match?` and `#not-match?` predicates, as written in a query file.
fn match_regexes(text: &str) -> Vec<String> {
    let mut regexes = Vec::new();
    for line in text.lines() {
        let Some(at) = line.find("match? @") else { continue };
        let rest = &line[at..];
        let (Some(open), Some(close)) = (rest.find('"'), rest.rfind('"')) else { continue };
        if close > open {
            regexes.push(rest[open + 1..close].replace("\\\\", "\\").replace("\\\"", "\""));
        }
    }
    regexes
}

/// Characters that Neovim's very-magic regexes (`\v`, which Neovim puts before every `#match?`) treat as
/// operators but Rust's regex crate treats as literals; in brackets they are literal to both.
const VERY_MAGIC_ONLY: &[char] = &['=', '<', '>', '@', '%', '{', '}', '~'];

#[test]
fn match_regexes_mean_the_same_in_rust_and_in_neovim() {
    let mut checked = 0;
    for file in CANONICAL_FILES {
        for regex in match_regexes(&read(&format!("{CANONICAL_DIR}/{file}"))) {
            let mut in_brackets = false;
            for c in regex.chars() {
                match c {
                    '[' => in_brackets = true,
                    ']' => in_brackets = false,
                    c if !in_brackets && VERY_MAGIC_ONLY.contains(&c) => {
                        panic!("{file}: `{c}` in the regex {regex:?} is an operator in Neovim; write `[{c}]`")
                    }
                    _ => {}
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} regexes found: the scan is broken");
}

#[test]
fn editor_translations_are_up_to_date() {
    let update = std::env::var_os("GANTRY_UPDATE_QUERIES").is_some();
    for editor in EDITORS {
        for file in editor.generated {
            let canonical = read(&format!("{CANONICAL_DIR}/{file}"));
            let expected = translate(editor, file, &canonical);
            let path = root().join(editor.dir).join(file);
            if update {
                std::fs::create_dir_all(root().join(editor.dir)).expect("create the query folder");
                std::fs::write(&path, &expected).expect("write the translated query");
                continue;
            }
            let actual = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                actual == expected,
                "{} is out of date: run `GANTRY_UPDATE_QUERIES=1 cargo test --test queries`",
                path.display()
            );
        }
    }
}

#[test]
fn translation_renames_captures_but_not_strings_or_comments() {
    let helix = &EDITORS[0];
    assert_eq!(
        translate_line(helix, r#"((comment) @comment @spell (#not-match? @comment "@spell")) ; @number"#),
        r#"((comment) @comment (#not-match? @comment "@spell")) ; @number"#
    );
    assert_eq!(translate_line(helix, "(expose_port) @number"), "(expose_port) @constant.numeric.integer");
    assert_eq!(
        translate_line(helix, r#"(image_digest "@" @punctuation.delimiter)"#),
        r#"(image_digest "@" @punctuation.delimiter)"#
    );
}

#[test]
fn highlights_cover_every_construct_of_the_fixture() {
    let (text, tree) = fixture();
    let query = compile("highlights.scm", &read(&format!("{CANONICAL_DIR}/highlights.scm")));
    let found = captures(&query, &tree, &text);
    let per_node = by_node(&found);

    // No node gets two different captures (`@spell` rides along with `@comment`), so editors that
    // resolve overlapping patterns differently still agree.
    for ((start, end, kind), names) in &per_node {
        let names: Vec<&String> = names.iter().filter(|n| *n != "@spell").collect();
        assert!(names.len() == 1, "{kind} at {start}..{end} has captures {names:?}");
    }
    let capture_of = |node: Node| -> Option<String> {
        per_node.get(&node_key(node)).and_then(|names| names.iter().find(|n| *n != "@spell").cloned())
    };
    let expect = |node: Node, expected: &str| {
        assert_eq!(
            capture_of(node).as_deref(),
            Some(expected),
            "{} {:?} at {}",
            node.kind(),
            &text[node.byte_range()],
            node.start_position()
        );
    };

    let mut seen = BTreeSet::new();
    let keywords = [
        "FROM",
        "AS",
        "RUN",
        "CMD",
        "LABEL",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
        "MAINTAINER",
    ];
    for node in all_nodes(&tree) {
        let kind = node.kind();
        if !node.is_named() && keywords.contains(&kind) {
            expect(node, "@keyword");
            seen.insert(format!("keyword {kind}"));
            continue;
        }
        match kind {
            "param" => expect(node, "@attribute"),
            "mount_param" => {
                let dashes = node.child(0).expect("a mount flag starts with --");
                expect(dashes, "@attribute");
            }
            "variable" => expect(node, "@variable"),
            "double_quoted_string" | "single_quoted_string" | "json_string" => expect(node, "@string"),
            "comment" => {
                let expected = if node.start_position().row < 2 { "@keyword.directive" } else { "@comment" };
                expect(node, expected);
            }
            "heredoc_marker" | "heredoc_end" => expect(node, "@label"),
            "heredoc_content" => expect(node, "@string"),
            "escape_sequence" => expect(node, "@string.escape"),
            "expose_port" => expect(node, "@number"),
            // A heredoc marker in place of a source path is highlighted as the marker it is.
            "path" if text[node.byte_range()].starts_with("<<") => assert_eq!(capture_of(node), None),
            "path" => expect(node, "@string.special.path"),
            "image_name" | "image_tag" | "image_digest" => expect(node, "@string.special"),
            "image_alias" => expect(node, "@label"),
            "line_continuation" => expect(node, "@punctuation.special"),
            _ => continue,
        }
        seen.insert(kind.to_string());
    }
    // The fixture really contains every construct (else the loop above proves nothing).
    for keyword in keywords {
        assert!(seen.contains(&format!("keyword {keyword}")), "the fixture has no {keyword}");
    }
    for kind in [
        "param",
        "mount_param",
        "variable",
        "double_quoted_string",
        "single_quoted_string",
        "json_string",
        "comment",
        "heredoc_marker",
        "heredoc_end",
        "heredoc_content",
        "escape_sequence",
        "expose_port",
        "path",
        "image_name",
        "image_tag",
        "image_digest",
        "image_alias",
        "line_continuation",
    ] {
        assert!(seen.contains(kind), "the fixture has no {kind}");
    }
    insta::assert_snapshot!("highlights", listing(&found));
}

#[test]
fn only_the_leading_comment_block_holds_parser_directives() {
    let text = read(DIRECTIVES_FIXTURE);
    let tree = parse(&text);
    let query = compile("highlights.scm", &read(&format!("{CANONICAL_DIR}/highlights.scm")));
    let comments: Vec<String> = captures(&query, &tree, &text)
        .into_iter()
        .filter(|c| c.kind == "comment" && c.capture != "@spell")
        .map(|c| format!("{} {}", c.capture, c.text.trim_end()))
        .collect();
    insta::assert_snapshot!("directives", comments.join("\n"));
}

#[test]
fn injections_give_shell_json_and_file_languages() {
    let (text, tree) = fixture();
    let query = compile("injections.scm", &read(&format!("{CANONICAL_DIR}/injections.scm")));
    let content = query.capture_index_for_name("injection.content").expect("injections capture content");
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&query, tree.root_node(), text.as_bytes());
    let mut injected = Vec::new();
    while let Some(m) = matches.next() {
        let language = query
            .property_settings(m.pattern_index)
            .iter()
            .find(|p| &*p.key == "injection.language")
            .and_then(|p| p.value.as_deref())
            .unwrap_or("<none>")
            .to_string();
        for capture in m.captures.iter().filter(|c| c.index == content) {
            let node = capture.node;
            let line = node.start_position().row + 1;
            injected.push((node.start_byte(), format!("{line:>3} {language:<8} {:?}", &text[node.byte_range()])));
        }
    }
    injected.sort();
    let injected: Vec<String> = injected.into_iter().map(|(_, line)| line).collect();
    let has = |language: &str, fragment: &str| {
        injected.iter().any(|line| line.contains(&format!(" {language} ")) && line.contains(fragment))
    };
    assert!(has("bash", "go mod download"), "RUN shell form is bash: {injected:#?}");
    assert!(has("bash", "set -eu"), "RUN heredoc body is bash: {injected:#?}");
    assert!(has("json", "listen"), "a COPY heredoc to a .json file is JSON: {injected:#?}");
    assert!(has("json", "wget"), "exec form is JSON: {injected:#?}");
    insta::assert_snapshot!("injections", injected.join("\n"));
}

#[test]
fn folds_indents_textobjects_and_locals_capture_the_fixture() {
    let (text, tree) = fixture();
    for file in ["folds.scm", "indents.scm", "textobjects.scm", "locals.scm"] {
        let query = compile(file, &read(&format!("{CANONICAL_DIR}/{file}")));
        let found = captures(&query, &tree, &text);
        assert!(!found.is_empty(), "{file} captures nothing on the fixture");
        insta::assert_snapshot!(file.trim_end_matches(".scm"), listing(&found));
    }
}

#[test]
fn editor_queries_capture_the_same_nodes_as_the_canonical_ones() {
    let (text, tree) = fixture();
    for file in ["highlights.scm", "injections.scm", "textobjects.scm"] {
        let canonical = compile(file, &read(&format!("{CANONICAL_DIR}/{file}")));
        let canonical_captures = captures(&canonical, &tree, &text);
        for editor in EDITORS.iter().filter(|e| e.generated.contains(&file)) {
            let kept: BTreeSet<(usize, usize)> = canonical_captures
                .iter()
                .filter(|c| !editor.rename.contains(&(&c.capture[1..], None)))
                .map(|c| (c.start, c.end))
                .collect();
            let relative = format!("{}/{file}", editor.dir);
            let query = compile(&relative, &read(&relative));
            let nodes: BTreeSet<(usize, usize)> =
                captures(&query, &tree, &text).into_iter().map(|c| (c.start, c.end)).collect();
            assert_eq!(nodes, kept, "{relative} captures other nodes than {CANONICAL_DIR}/{file}");
        }
    }
}

#[test]
fn the_fixture_is_a_dockerfile_gantry_parses_cleanly() {
    let text = read(FIXTURE);
    let parse = gantry_ls::syntax::parse(&text);
    assert!(parse.errors().is_empty(), "{FIXTURE}: {:?}", parse.errors());
    assert!(Path::new(&root().join(DIRECTIVES_FIXTURE)).exists());
}
