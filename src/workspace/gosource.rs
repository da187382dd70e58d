//! Facts about one Go source file, read with tree-sitter-go (no Go toolchain involved).
//!
//! `parse_go_source(bytes)` never fails. It records what the Go-aware rules ask about: the package
//! clause, imports (and `import "C"`), the `//go:build` constraint, package-level `var` and
//! `const` names with the kind of initialiser (for `-ldflags -X`), and literal listen addresses
//! (`http.ListenAndServe(":8080", …)`, `net.Listen("tcp", "localhost:9000")`, `Addr: ":8080"`).

use std::cell::RefCell;

use tree_sitter::{Node, Parser};

use super::gomod::Spanned;
use crate::syntax::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The unquoted import path.
    pub path: Spanned,
    /// `_`, `.` or a name, when the import renames the package.
    pub alias: Option<String>,
}

/// How a package-level variable is initialised, as far as `-ldflags -X` cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Initializer {
    /// `var Version string`: `-X` sets it.
    None,
    /// A constant string expression (`"dev"`, `"a" + "b"`), with its value: `-X` overrides it.
    ConstantString(String),
    /// A lone identifier, e.g. a constant (`-X` works) or another variable (it does not).
    Identifier(String),
    /// A function call: `-X` has no effect.
    Call,
    /// Another literal (number, rune, bool).
    OtherLiteral,
    /// Anything else (composite literals, selectors, arithmetic…).
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDecl {
    pub name: Spanned,
    /// The declared type as written (`string`, `*Config`), if any.
    pub type_text: Option<String>,
    pub init: Initializer,
}

/// A `//go:build` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildConstraint {
    /// The expression after `//go:build`.
    pub expr: String,
    pub range: TextRange,
}

impl BuildConstraint {
    /// The build tags the expression mentions, in order, without repeats.
    pub fn tags(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for tag in self.expr.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
            if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
            }
        }
        tags
    }

    /// Evaluates the expression with `is_set` deciding each tag; `None` when it does not parse.
    pub fn eval(&self, is_set: &dyn Fn(&str) -> bool) -> Option<bool> {
        let tokens = constraint_tokens(&self.expr)?;
        let mut parser = ConstraintParser { tokens: &tokens, pos: 0, is_set };
        let value = parser.or()?;
        (parser.pos == tokens.len()).then_some(value)
    }
}

/// Whether a literal listen address comes from a call or from an `Addr:` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenAddress {
    /// The callee as written (`http.ListenAndServe`, `r.Run`), or `Addr` for a struct field.
    pub call: String,
    /// The unquoted address (`:8080`, `127.0.0.1:9000`).
    pub address: String,
    /// The string literal's range.
    pub range: TextRange,
}

impl ListenAddress {
    /// The host part (empty for `:8080`).
    pub fn host(&self) -> &str {
        self.address.rsplit_once(':').map_or("", |(host, _)| host.trim_start_matches('[').trim_end_matches(']'))
    }

    pub fn port(&self) -> Option<u16> {
        self.address.rsplit_once(':').and_then(|(_, port)| port.parse().ok())
    }

    /// Bound to loopback only, so unreachable from outside a container.
    pub fn is_loopback(&self) -> bool {
        let host = self.host();
        host == "localhost" || host == "::1" || host.starts_with("127.")
    }
}

/// The facts of one Go file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GoFile {
    pub package: Option<Spanned>,
    pub imports: Vec<Import>,
    pub build_constraint: Option<BuildConstraint>,
    /// `import "C"`: the file needs cgo.
    pub uses_cgo: bool,
    pub vars: Vec<VarDecl>,
    /// Names of package-level constants (an `Identifier` initialiser naming one is constant).
    pub consts: Vec<String>,
    pub listen_addresses: Vec<ListenAddress>,
    /// The name of a top-level `func main()` (without receiver): where go to definition of a main
    /// package lands. Read with the body facts.
    pub main_func: Option<TextRange>,
    /// String literals that name a relative file or directory (`configs/app.yaml`, `./static`), as
    /// written: what the program may read from its working directory at run time.
    pub relative_paths: Vec<String>,
    /// The file calls `time.LoadLocation`: it needs a time zone database at run time.
    pub loads_locations: bool,
    /// A string literal starts with `https://`: the program likely makes TLS connections.
    pub https_urls: bool,
    /// tree-sitter found syntax errors; the facts are best effort.
    pub has_syntax_errors: bool,
    /// `vars`, `consts`, `listen_addresses` and the run-time facts (`relative_paths`,
    /// `loads_locations`, `https_urls`) were read. `false` for [`parse_go_header`], which
    /// reads only the package clause, imports and build constraint.
    pub body_facts: bool,
}

impl GoFile {
    pub fn package_name(&self) -> Option<&str> {
        self.package.as_ref().map(|p| p.value.as_str())
    }

    pub fn imports_path(&self, path: &str) -> bool {
        self.imports.iter().any(|i| i.path.value == path)
    }

    pub fn var(&self, name: &str) -> Option<&VarDecl> {
        self.vars.iter().find(|v| v.name.value == name)
    }
}

/// Whether the file carries Go's generated-code marker (`// Code generated … DO NOT EDIT.`) in its
/// header, the comments before the first line of code.
pub fn is_generated(text: &str) -> bool {
    header_comment_lines(text)
        .any(|(_, line)| line.strip_prefix("// Code generated ").is_some_and(|rest| rest.ends_with(" DO NOT EDIT.")))
}

/// Parses a Go source file. Never fails.
pub fn parse_go_source(source: &[u8]) -> GoFile {
    parse(source, true)
}

/// Reads only the header of a Go file: build constraint, package clause and imports (`uses_cgo`
/// included), about as much as `go list` needs. Parsing whole files costs about 1 ms per 3 KB,
/// which is too slow for indexing ten thousand files; the header is a few hundred bytes.
pub fn parse_go_header(source: &[u8]) -> GoFile {
    parse(source.get(..header_end(source)).unwrap_or(source), false)
}

/// Where the first top-level `func`, `var`, `const` or `type` starts (the imports are before it).
/// gofmt puts top-level declarations at column 0, which makes a line scan enough.
fn header_end(source: &[u8]) -> usize {
    let mut offset = 0;
    let mut in_block_comment = false;
    for line in source.split_inclusive(|b| *b == b'\n') {
        let start = offset;
        offset += line.len();
        if in_block_comment {
            in_block_comment = !line.windows(2).any(|w| w == b"*/");
            continue;
        }
        if line.starts_with(b"/*") {
            in_block_comment = !line[2..].windows(2).any(|w| w == b"*/");
            continue;
        }
        let declaration = [&b"func"[..], b"var", b"const", b"type"].iter().any(|keyword| {
            line.strip_prefix(*keyword)
                .is_some_and(|rest| rest.first().is_some_and(|b| matches!(b, b' ' | b'(' | b'\t')))
        });
        if declaration {
            return start;
        }
    }
    source.len()
}

fn parse(source: &[u8], body_facts: bool) -> GoFile {
    let text = String::from_utf8_lossy(source);
    let mut file = GoFile { build_constraint: build_constraint(&text), body_facts, ..GoFile::default() };
    let Some(tree) = PARSER.with(|parser| parser.borrow_mut().as_mut().and_then(|p| p.parse(source, None))) else {
        return file;
    };
    let root = tree.root_node();
    file.has_syntax_errors = body_facts && root.has_error();
    let mut cursor = root.walk();
    for item in root.named_children(&mut cursor) {
        match item.kind() {
            "package_clause" => {
                if let Some(name) = first_named_of_kind(item, "package_identifier") {
                    file.package = Some(spanned(name, source));
                }
            }
            "import_declaration" => imports(item, source, &mut file),
            "var_declaration" if body_facts => vars(item, source, &mut file.vars),
            "const_declaration" if body_facts => consts(item, source, &mut file.consts),
            "function_declaration" if body_facts && file.main_func.is_none() => {
                file.main_func = item
                    .child_by_field_name("name")
                    .filter(|name| node_text(*name, source) == "main")
                    .map(|name| name.byte_range().into());
            }
            _ => {}
        }
    }
    file.uses_cgo = file.imports_path("C");
    if body_facts {
        listen_addresses(root, source, &mut file.listen_addresses);
        run_time_facts(root, source, &mut file);
    }
    file
}

/// What the code needs at run time, read from calls and string literals: `time.LoadLocation`,
/// `https://` URLs, and relative paths (`configs/app.yaml`, `./static`, `templates/*.html`).
fn run_time_facts(root: Node<'_>, source: &[u8], file: &mut GoFile) {
    let mut cursor = root.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        if descend {
            match node.kind() {
                "selector_expression" => {
                    let field = node.child_by_field_name("field").map(|f| node_text(f, source));
                    let operand = node.child_by_field_name("operand").map(|o| node_text(o, source));
                    if field.as_deref() == Some("LoadLocation") && operand.as_deref() == Some("time") {
                        file.loads_locations = true;
                    }
                }
                "interpreted_string_literal" | "raw_string_literal" => {
                    if let Some(value) = go_unquote(&node_text(node, source)) {
                        if value.starts_with("https://") {
                            file.https_urls = true;
                        } else if looks_like_relative_path(&value) && !file.relative_paths.contains(&value) {
                            file.relative_paths.push(value);
                        }
                    }
                }
                _ => {}
            }
            // Import paths are string literals too, but never file paths.
            if node.kind() != "import_declaration" && cursor.goto_first_child() {
                continue;
            }
        }
        if cursor.goto_next_sibling() {
            descend = true;
        } else if cursor.goto_parent() {
            descend = false;
        } else {
            break;
        }
    }
}

/// `configs/app.yaml`, `./static`, `templates/*.html`, `config.json`: a relative path, not a URL,
/// an address, a format string or prose.
fn looks_like_relative_path(value: &str) -> bool {
    let plain = !value.is_empty()
        && value.len() <= 200
        && !value.starts_with('/')
        && !value.contains("://")
        && !value.contains(['%', ':', ' ', '\t', '\n', '\\', '{', '$'])
        && value.chars().all(|c| c.is_ascii_graphic());
    if !plain {
        return false;
    }
    let dotted_file = value.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty() && (1..=5).contains(&extension.len()) && extension.bytes().all(|b| b.is_ascii_alphabetic())
    });
    value.starts_with("./") || value.contains('/') || dotted_file
}

thread_local! {
    static PARSER: RefCell<Option<Parser>> = RefCell::new({
        let mut parser = Parser::new();
        parser.set_language(&tree_sitter_go::LANGUAGE.into()).ok().map(|_| parser)
    });
}

fn node_text<'a>(node: Node<'_>, source: &'a [u8]) -> std::borrow::Cow<'a, str> {
    String::from_utf8_lossy(source.get(node.byte_range()).unwrap_or_default())
}

fn spanned(node: Node<'_>, source: &[u8]) -> Spanned {
    Spanned { value: node_text(node, source).into_owned(), range: node.byte_range().into() }
}

fn first_named_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).find(|c| c.kind() == kind)
}

/// Named descendants of `node` of `kind`, through list nodes (`import_spec_list`, `var_spec_list`).
fn specs<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.kind() == kind {
            out.push(child);
        } else if child.kind().ends_with("_list") {
            out.extend(specs(child, kind));
        }
    }
    out
}

fn imports(declaration: Node<'_>, source: &[u8], file: &mut GoFile) {
    for spec in specs(declaration, "import_spec") {
        let Some(path) = spec.child_by_field_name("path") else { continue };
        let Some(value) = go_unquote(&node_text(path, source)) else { continue };
        let alias = spec.child_by_field_name("name").map(|n| node_text(n, source).into_owned());
        file.imports.push(Import { path: Spanned { value, range: path.byte_range().into() }, alias });
    }
}

fn vars(declaration: Node<'_>, source: &[u8], out: &mut Vec<VarDecl>) {
    for spec in specs(declaration, "var_spec") {
        let mut cursor = spec.walk();
        let names: Vec<Node<'_>> = spec.children_by_field_name("name", &mut cursor).collect();
        let type_text = spec.child_by_field_name("type").map(|t| node_text(t, source).into_owned());
        let values: Vec<Node<'_>> = spec
            .child_by_field_name("value")
            .map(|list| {
                let mut cursor = list.walk();
                list.named_children(&mut cursor).filter(|n| n.kind() != "comment").collect()
            })
            .unwrap_or_default();
        for (i, name) in names.iter().enumerate() {
            let init = match values.as_slice() {
                [] => Initializer::None,
                // `var a, b = f()`: one call initialises every name.
                [single] if names.len() > 1 => classify(*single, source),
                _ => values.get(i).map_or(Initializer::Other, |v| classify(*v, source)),
            };
            out.push(VarDecl { name: spanned(*name, source), type_text: type_text.clone(), init });
        }
    }
}

fn consts(declaration: Node<'_>, source: &[u8], out: &mut Vec<String>) {
    for spec in specs(declaration, "const_spec") {
        let mut cursor = spec.walk();
        out.extend(spec.children_by_field_name("name", &mut cursor).map(|n| node_text(n, source).into_owned()));
    }
}

fn classify(expr: Node<'_>, source: &[u8]) -> Initializer {
    match expr.kind() {
        "interpreted_string_literal" | "raw_string_literal" => {
            go_unquote(&node_text(expr, source)).map_or(Initializer::Other, Initializer::ConstantString)
        }
        "parenthesized_expression" => expr.named_child(0).map_or(Initializer::Other, |e| classify(e, source)),
        "binary_expression" => {
            let operator = expr.child_by_field_name("operator").map(|o| node_text(o, source).into_owned());
            let left = expr.child_by_field_name("left").map(|e| classify(e, source));
            let right = expr.child_by_field_name("right").map(|e| classify(e, source));
            match (operator.as_deref(), left, right) {
                (Some("+"), Some(Initializer::ConstantString(a)), Some(Initializer::ConstantString(b))) => {
                    Initializer::ConstantString(a + &b)
                }
                _ => Initializer::Other,
            }
        }
        "identifier" => Initializer::Identifier(node_text(expr, source).into_owned()),
        "call_expression" => Initializer::Call,
        "int_literal" | "float_literal" | "imaginary_literal" | "rune_literal" | "true" | "false" | "nil" => {
            Initializer::OtherLiteral
        }
        _ => Initializer::Other,
    }
}

/// Callee names (the last selector element) whose string argument is a listen address.
const LISTEN_FUNCTIONS: &[&str] = &[
    "ListenAndServe",
    "ListenAndServeTLS",
    "Listen",
    "ListenPacket",
    "ListenTLS",
    "Run",
    "RunTLS",
    "Start",
    "StartTLS",
];

fn listen_addresses(root: Node<'_>, source: &[u8], out: &mut Vec<ListenAddress>) {
    let mut cursor = root.walk();
    let mut descend = true;
    loop {
        let node = cursor.node();
        if descend {
            match node.kind() {
                "call_expression" => listen_call(node, source, out),
                "keyed_element" => addr_field(node, source, out),
                _ => {}
            }
            if cursor.goto_first_child() {
                continue;
            }
        }
        if cursor.goto_next_sibling() {
            descend = true;
        } else if cursor.goto_parent() {
            descend = false;
        } else {
            break;
        }
    }
}

fn listen_call(call: Node<'_>, source: &[u8], out: &mut Vec<ListenAddress>) {
    let Some(function) = call.child_by_field_name("function") else { return };
    let name = match function.kind() {
        "selector_expression" => function.child_by_field_name("field"),
        "identifier" => Some(function),
        _ => None,
    };
    if !name.is_some_and(|n| LISTEN_FUNCTIONS.contains(&node_text(n, source).as_ref())) {
        return;
    }
    let Some(arguments) = call.child_by_field_name("arguments") else { return };
    let mut cursor = arguments.walk();
    let address = arguments
        .named_children(&mut cursor)
        .filter(|a| matches!(a.kind(), "interpreted_string_literal" | "raw_string_literal"))
        .find_map(|a| go_unquote(&node_text(a, source)).filter(|s| looks_like_address(s)).map(|s| (a, s)));
    if let Some((literal, address)) = address {
        out.push(ListenAddress {
            call: node_text(function, source).into_owned(),
            address,
            range: literal.byte_range().into(),
        });
    }
}

/// `Addr: ":8080"` in a composite literal such as `http.Server{…}`.
fn addr_field(element: Node<'_>, source: &[u8], out: &mut Vec<ListenAddress>) {
    let (Some(key), Some(value)) = (element.child_by_field_name("key"), element.child_by_field_name("value")) else {
        return;
    };
    if node_text(key, source).trim() != "Addr" {
        return;
    }
    let literal = value.named_child(0).filter(|v| v.kind() == "interpreted_string_literal").unwrap_or(value);
    if let Some(address) = go_unquote(node_text(literal, source).trim()).filter(|s| looks_like_address(s)) {
        out.push(ListenAddress { call: "Addr".to_string(), address, range: literal.byte_range().into() });
    }
}

/// `host:port` or `:port` with a numeric (or empty) port.
fn looks_like_address(s: &str) -> bool {
    s.rsplit_once(':').is_some_and(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        && !s.contains(char::is_whitespace)
        && !s.contains("//")
}

/// The value of a Go string literal (interpreted or raw); `None` if it is not one.
fn go_unquote(literal: &str) -> Option<String> {
    if let Some(raw) = literal.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Some(raw.replace('\r', ""));
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            // Octal, hex and unicode escapes do not occur in import paths or addresses; keep them verbatim.
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

/// Comment lines of the header (before the first line of code), with their byte offsets.
fn header_comment_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    let mut in_block = false;
    text.split_inclusive('\n')
        .map(move |raw| {
            let start = offset;
            offset += raw.len();
            (start, raw.trim_end_matches(['\n', '\r']))
        })
        .take_while(move |(_, line)| {
            let trimmed = line.trim();
            if in_block {
                in_block = !trimmed.contains("*/");
                return true;
            }
            if trimmed.starts_with("/*") {
                in_block = !trimmed.contains("*/");
                return true;
            }
            trimmed.is_empty() || trimmed.starts_with("//")
        })
        .filter(|(_, line)| line.starts_with("//"))
}

fn build_constraint(text: &str) -> Option<BuildConstraint> {
    header_comment_lines(text).find_map(|(start, line)| {
        let rest = line.strip_prefix("//go:build")?;
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return None;
        }
        Some(BuildConstraint { expr: rest.trim().to_string(), range: TextRange::new(start, start + line.len()) })
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ConstraintToken {
    Tag(String),
    Not,
    And,
    Or,
    Open,
    Close,
}

fn constraint_tokens(expr: &str) -> Option<Vec<ConstraintToken>> {
    let mut tokens = Vec::new();
    let mut chars = expr.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' => {}
            '!' => tokens.push(ConstraintToken::Not),
            '(' => tokens.push(ConstraintToken::Open),
            ')' => tokens.push(ConstraintToken::Close),
            '&' if chars.next_if(|(_, c)| *c == '&').is_some() => tokens.push(ConstraintToken::And),
            '|' if chars.next_if(|(_, c)| *c == '|').is_some() => tokens.push(ConstraintToken::Or),
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut end = i + c.len_utf8();
                while let Some((j, c)) = chars.next_if(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '.') {
                    end = j + c.len_utf8();
                }
                tokens.push(ConstraintToken::Tag(expr[i..end].to_string()));
            }
            _ => return None,
        }
    }
    Some(tokens)
}

struct ConstraintParser<'a> {
    tokens: &'a [ConstraintToken],
    pos: usize,
    is_set: &'a dyn Fn(&str) -> bool,
}

impl ConstraintParser<'_> {
    fn eat(&mut self, token: &ConstraintToken) -> bool {
        let found = self.tokens.get(self.pos) == Some(token);
        self.pos += usize::from(found);
        found
    }

    fn or(&mut self) -> Option<bool> {
        let mut value = self.and()?;
        while self.eat(&ConstraintToken::Or) {
            value |= self.and()?;
        }
        Some(value)
    }

    fn and(&mut self) -> Option<bool> {
        let mut value = self.unary()?;
        while self.eat(&ConstraintToken::And) {
            value &= self.unary()?;
        }
        Some(value)
    }

    fn unary(&mut self) -> Option<bool> {
        if self.eat(&ConstraintToken::Not) {
            return self.unary().map(|v| !v);
        }
        if self.eat(&ConstraintToken::Open) {
            let value = self.or()?;
            return self.eat(&ConstraintToken::Close).then_some(value);
        }
        match self.tokens.get(self.pos)? {
            ConstraintToken::Tag(tag) => {
                self.pos += 1;
                Some((self.is_set)(tag))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"// Copyright header.

//go:build linux && (amd64 || arm64) && !nocgo

// Package main is the API server.
package main

/*
#include <stdio.h>
*/
import "C"

import (
	"fmt"
	nethttp "net/http"
	_ "time/tzdata"
)

const defaultVersion = "dev"

var (
	Version   string
	Commit    = "none"
	Built     = defaultBuilt()
	Alias     = defaultVersion
	Joined    = "v" + "1"
	Count     = 3
	a, b      = pair()
	Flags     *string = nil
)

var Single string = `raw`

func main() {
	fmt.Println(Version)
	go nethttp.ListenAndServe(":8080", nil)
	srv := &nethttp.Server{Addr: "127.0.0.1:9090"}
	_ = srv
	ln, _ := net.Listen("tcp", "localhost:7000")
	_ = ln
	r.Run()
	fmt.Sprintf("%s:%d", "x", 1)
}
"#;

    #[test]
    fn facts_of_a_typical_file() {
        let file = parse_go_source(SAMPLE.as_bytes());
        assert!(!file.has_syntax_errors);
        assert_eq!(file.package_name(), Some("main"));
        let imports: Vec<_> = file.imports.iter().map(|i| (i.path.value.as_str(), i.alias.as_deref())).collect();
        assert_eq!(
            imports,
            vec![("C", None), ("fmt", None), ("net/http", Some("nethttp")), ("time/tzdata", Some("_"))]
        );
        assert!(file.uses_cgo);
        assert_eq!(&SAMPLE[file.imports[2].path.range.as_range()], "\"net/http\"");
        let constraint = file.build_constraint.as_ref().expect("constraint");
        assert_eq!(constraint.expr, "linux && (amd64 || arm64) && !nocgo");
        assert_eq!(constraint.tags(), vec!["linux", "amd64", "arm64", "nocgo"]);
        assert_eq!(constraint.eval(&|t| t == "linux" || t == "arm64"), Some(true));
        assert_eq!(constraint.eval(&|t| t == "linux" || t == "arm64" || t == "nocgo"), Some(false));
        let vars: Vec<_> = file.vars.iter().map(|v| (v.name.value.as_str(), v.type_text.as_deref(), &v.init)).collect();
        assert_eq!(
            vars,
            vec![
                ("Version", Some("string"), &Initializer::None),
                ("Commit", None, &Initializer::ConstantString("none".into())),
                ("Built", None, &Initializer::Call),
                ("Alias", None, &Initializer::Identifier("defaultVersion".into())),
                ("Joined", None, &Initializer::ConstantString("v1".into())),
                ("Count", None, &Initializer::OtherLiteral),
                ("a", None, &Initializer::Call),
                ("b", None, &Initializer::Call),
                ("Flags", Some("*string"), &Initializer::OtherLiteral),
                ("Single", Some("string"), &Initializer::ConstantString("raw".into())),
            ]
        );
        assert_eq!(file.consts, vec!["defaultVersion"]);
        assert_eq!(file.main_func.map(|r| &SAMPLE[r.as_range()]), Some("main"));
        let listens: Vec<_> =
            file.listen_addresses.iter().map(|l| (l.call.as_str(), l.address.as_str(), l.is_loopback())).collect();
        assert_eq!(
            listens,
            vec![
                ("nethttp.ListenAndServe", ":8080", false),
                ("Addr", "127.0.0.1:9090", true),
                ("net.Listen", "localhost:7000", true)
            ]
        );
        assert_eq!(file.listen_addresses[0].port(), Some(8080));
        assert_eq!(&SAMPLE[file.listen_addresses[1].range.as_range()], "\"127.0.0.1:9090\"");
    }

    #[test]
    fn the_header_alone_has_package_imports_and_constraint() {
        let header = parse_go_source(SAMPLE.as_bytes());
        let quick = parse_go_header(SAMPLE.as_bytes());
        assert!(header.body_facts && !quick.body_facts);
        assert_eq!(
            (quick.package.as_ref(), &quick.imports, quick.uses_cgo),
            (header.package.as_ref(), &header.imports, true)
        );
        assert_eq!(quick.build_constraint, header.build_constraint);
        assert!(quick.main_func.is_none());
        assert!(quick.vars.is_empty() && quick.listen_addresses.is_empty() && !quick.has_syntax_errors);
        assert_eq!(&SAMPLE[header_end(SAMPLE.as_bytes())..][..5], "const");
        assert_eq!(header_end(b"package p\n/*\nfunc x\n*/\nimport \"a\"\n"), 34);
    }

    #[test]
    fn generated_marker_only_in_the_header() {
        assert!(is_generated("// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage pb\n"));
        assert!(is_generated("//go:build x\n\n// Code generated by stringer; DO NOT EDIT.\npackage p\n"));
        assert!(!is_generated("package p\n// Code generated by x. DO NOT EDIT.\n"));
        assert!(!is_generated("// Code generated by x. Edit freely.\npackage p\n"));
    }

    #[test]
    fn constraints_that_are_not_go_build_lines() {
        assert_eq!(build_constraint("// +build linux\n\npackage p\n"), None);
        assert_eq!(build_constraint("//go:buildx\npackage p\n"), None);
        assert_eq!(build_constraint("package p\n//go:build linux\n"), None);
        let broken = BuildConstraint { expr: "linux &&".into(), range: TextRange::default() };
        assert_eq!(broken.eval(&|_| true), None);
        let ignore = build_constraint("//go:build ignore\n\npackage main\n").expect("constraint");
        assert_eq!(ignore.eval(&|_| false), Some(false));
    }

    #[test]
    fn broken_and_binary_input_never_panics() {
        let file = parse_go_source(b"package \nimport (\n\"fmt\"\nvar = \nfunc {");
        assert!(file.has_syntax_errors);
        for input in [&b""[..], b"\xff\xfe\x00package", b"package p; var x = \"\\", b"//go:build (((("] {
            let _ = parse_go_source(input);
        }
    }

    #[test]
    fn run_time_facts_from_calls_and_literals() {
        let source = br#"package main

import (
	"net/http"
	"os"
	"time"
)

func main() {
	_, _ = os.ReadFile("configs/app.yaml")
	http.Handle("/", http.FileServer(http.Dir("./static")))
	loc, _ := time.LoadLocation("Europe/Paris")
	_, _ = http.Get("https://example.com/api")
	_ = fmt.Sprintf("%s/%d", "a", 1)
	_ = loc
	_ = "hello world"
}
"#;
        let file = parse_go_source(source);
        assert!(file.loads_locations && file.https_urls);
        assert_eq!(file.relative_paths, ["configs/app.yaml", "./static", "Europe/Paris"]);
        let header = parse_go_header(source);
        assert!(!header.loads_locations && header.relative_paths.is_empty());
    }
}
