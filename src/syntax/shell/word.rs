//! The value of a shell word as the shell would see it before expansion: quotes and escapes
//! removed, parameter expansions and command substitutions kept as written.

use tree_sitter::Node;

/// Node kinds whose value depends on the environment at run time.
const EXPANSIONS: &[&str] =
    &["simple_expansion", "expansion", "command_substitution", "arithmetic_expansion", "process_substitution"];

pub(super) fn is_expansion(kind: &str) -> bool {
    EXPANSIONS.contains(&kind)
}

/// Whether the word contains an expansion, a substitution or a brace expansion.
pub(super) fn is_dynamic(node: Node<'_>) -> bool {
    if is_expansion(node.kind()) || node.kind() == "brace_expression" {
        return true;
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor).any(is_dynamic)
}

/// Whether the word has quotes or escapes in it.
pub(super) fn is_quoted(node: Node<'_>, text: &str) -> bool {
    matches!(node.kind(), "string" | "raw_string" | "ansi_c_string" | "translated_string")
        || (node.kind() == "word" && slice(text, node.start_byte(), node.end_byte()).contains('\\'))
        || {
            let mut cursor = node.walk();
            node.kind() == "concatenation" && node.named_children(&mut cursor).any(|c| is_quoted(c, text))
        }
}

fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

/// The unquoted value of a word node of the shell text `text`.
pub(super) fn value(node: Node<'_>, text: &str) -> String {
    let raw = slice(text, node.start_byte(), node.end_byte());
    match node.kind() {
        "raw_string" => strip_quotes(raw, '\'').to_string(),
        "string" => {
            let inner_start = node.start_byte() + 1;
            let inner_end = if raw.len() >= 2 && raw.ends_with('"') { node.end_byte() - 1 } else { node.end_byte() };
            with_holes(node, text, inner_start, inner_end.max(inner_start), unescape_double_quoted, |child| {
                is_expansion(child.kind())
            })
        }
        "translated_string" => {
            let mut cursor = node.walk();
            let inner = node.named_children(&mut cursor).find(|c| c.kind() == "string");
            inner.map_or_else(|| raw.to_string(), |s| value(s, text))
        }
        "ansi_c_string" => ansi_c(strip_quotes(raw.strip_prefix('$').unwrap_or(raw), '\'')),
        "concatenation" => {
            with_holes(node, text, node.start_byte(), node.end_byte(), unescape_unquoted, |child| child.is_named())
        }
        kind if is_expansion(kind) => raw.to_string(),
        "word" | "number" | "command_name" => {
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            match children.as_slice() {
                // `command_name` wraps the real word; a number may hold an expansion.
                [only] if only.byte_range() == node.byte_range() => value(*only, text),
                [] => unescape_unquoted(raw),
                _ => with_holes(node, text, node.start_byte(), node.end_byte(), unescape_unquoted, |c| c.is_named()),
            }
        }
        _ => raw.to_string(),
    }
}

fn strip_quotes(raw: &str, quote: char) -> &str {
    let inner = raw.strip_prefix(quote).unwrap_or(raw);
    inner.strip_suffix(quote).unwrap_or(inner)
}

/// Concatenates the values of the children selected by `is_hole` with the text between them,
/// which is unescaped by `unescape`.
fn with_holes(
    node: Node<'_>,
    text: &str,
    start: usize,
    end: usize,
    unescape: fn(&str) -> String,
    is_hole: impl Fn(Node<'_>) -> bool,
) -> String {
    let mut out = String::new();
    let mut at = start;
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if !is_hole(child) || child.start_byte() < at || child.end_byte() > end {
            continue;
        }
        out.push_str(&unescape(slice(text, at, child.start_byte())));
        out.push_str(&value(child, text));
        at = child.end_byte();
    }
    if at < end {
        out.push_str(&unescape(slice(text, at, end)));
    }
    out
}

/// Outside quotes a backslash quotes the next character, and a backslash-newline disappears.
fn unescape_unquoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(next) => out.push(next),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Inside double quotes a backslash only quotes `$`, `` ` ``, `"`, `\` and a newline.
fn unescape_double_quoted(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\n') => {
                    chars.next();
                }
                Some(&next @ ('$' | '`' | '"' | '\\')) => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `$'…'`: the common C escapes; anything else is kept as written.
fn ansi_c(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(next @ ('\\' | '\'' | '"' | '?')) => out.push(next),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping() {
        assert_eq!(unescape_unquoted("a\\ b\\\nc"), "a bc");
        assert_eq!(unescape_double_quoted(r#"a\"b\n\$"#), "a\"b\\n$");
        assert_eq!(ansi_c(r"x\ny\q"), "x\ny\\q");
    }
}
