//! The tree-sitter concrete syntax tree: full parses, byte edits and incremental reparses.
//!
//! The tree is the structural index of a document (highlighting, folding, semantic tokens,
//! structural queries). The typed model in `lexer`/`instructions` is built from the text with
//! BuildKit's own line rules, so a grammar quirk never turns valid input into an error.

use std::cell::RefCell;

use tree_sitter::{InputEdit, Language, Node, Parser, Point, Tree};

use super::TextRange;

/// The Dockerfile grammar.
pub fn language() -> Language {
    tree_sitter_containerfile::LANGUAGE.into()
}

thread_local! {
    // A parser is cheap to keep and costly to set up; one per thread avoids a lock.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses `text`, reusing `old` (already edited to match `text`) when given.
///
/// Never fails: tree-sitter only returns `None` on cancellation or a missing language, neither
/// of which can happen here; should it ever, the parse is retried from scratch on a new parser.
pub(crate) fn parse_tree(text: &str, old: Option<&Tree>) -> Tree {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parser = slot.get_or_insert_with(new_parser);
        if let Some(tree) = parser.parse(text, old) {
            return tree;
        }
        *parser = new_parser();
        match parser.parse(text, None) {
            Some(tree) => tree,
            None => unreachable_parse_failure(),
        }
    })
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    // The grammar is compiled into the binary with an ABI this core supports (checked by tests).
    if let Err(error) = parser.set_language(&language()) {
        tracing::error!("the Dockerfile grammar cannot be loaded: {error}");
    }
    parser
}

#[cold]
fn unreachable_parse_failure() -> ! {
    panic!("tree-sitter returned no tree without cancellation or timeout")
}

/// Describes replacing `range` of `before` with `new_text`, in tree-sitter's byte-based terms.
pub(crate) fn input_edit(before: &str, range: TextRange, new_text: &str) -> InputEdit {
    let start_position = point_at(before, range.start);
    let old_end_position = point_at(before, range.end);
    let new_end_position = advance(start_position, new_text);
    InputEdit {
        start_byte: range.start,
        old_end_byte: range.end,
        new_end_byte: range.start + new_text.len(),
        start_position,
        old_end_position,
        new_end_position,
    }
}

/// tree-sitter rows count `\n` only, and its columns are bytes.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    Point::new(row, offset - line_start)
}

fn advance(start: Point, inserted: &str) -> Point {
    match inserted.rfind('\n') {
        Some(last) => {
            Point::new(start.row + inserted.bytes().filter(|&b| b == b'\n').count(), inserted.len() - last - 1)
        }
        None => Point::new(start.row, start.column + inserted.len()),
    }
}

/// The S-expression of a tree including ranges: equal strings mean equal trees.
/// The S-expression is appended because cursors skip `MISSING` nodes of hidden rules.
pub fn tree_fingerprint(tree: &Tree) -> String {
    let mut out = String::new();
    write_node(tree.root_node(), &mut out);
    out.push('\n');
    out.push_str(&tree.root_node().to_sexp());
    out
}

fn write_node(node: Node<'_>, out: &mut String) {
    use std::fmt::Write;
    let _ = write!(out, "({} {}..{}", node.kind(), node.start_byte(), node.end_byte());
    if node.is_missing() {
        out.push_str(" MISSING");
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        out.push(' ');
        write_node(child, out);
    }
    out.push(')');
}
