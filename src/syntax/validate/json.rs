//! JSON-form mistakes: an argument list that is meant as a JSON array but is not valid JSON, which
//! BuildKit silently runs (or copies) as the shell form, and arrays of non-strings, which it refuses.

use crate::syntax::{Command, Instruction, Keyword, SyntaxError, SyntaxErrorKind, parse_json_array};

/// RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD in the shell form that look like a failed JSON form.
pub(super) fn check_command(command: &Command, keyword: Keyword, errors: &mut Vec<SyntaxError>) {
    if let Command::Shell { range, text } = command
        && let Some((kind, message)) = problem(text, keyword)
    {
        errors.push(SyntaxError::new(kind, *range, message));
    }
}

/// COPY, ADD and VOLUME, whose JSON form is recognised the same way.
pub(super) fn check_words(instruction: &Instruction, errors: &mut Vec<SyntaxError>) {
    let (Some(keyword), Some(range)) = (instruction.keyword, instruction.args_range) else { return };
    if !instruction.args.first().is_some_and(|w| w.text.starts_with('[')) {
        return;
    }
    let text: Vec<&str> = instruction.args.iter().map(|w| w.text.as_str()).collect();
    if let Some((kind, message)) = problem(&text.join(" "), keyword) {
        errors.push(SyntaxError::new(kind, range, message));
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Comma,
    Double,
    Single,
    Bare,
}

/// Splits the inside of `[...]` into commas, quoted strings and bare words.
fn tokens(inner: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            ',' => tokens.push(Token::Comma),
            '"' | '\'' => {
                let mut closed = false;
                while let Some(next) = chars.next() {
                    if next == '\\' && c == '"' {
                        chars.next();
                    } else if next == c {
                        closed = true;
                        break;
                    }
                }
                tokens.push(match (closed, c) {
                    (false, _) => Token::Bare,
                    (true, '"') => Token::Double,
                    (true, _) => Token::Single,
                });
            }
            _ => {
                while chars.peek().is_some_and(|n| !n.is_whitespace() && *n != ',') {
                    chars.next();
                }
                tokens.push(Token::Bare);
            }
        }
    }
    tokens
}

fn problem(text: &str, keyword: Keyword) -> Option<(SyntaxErrorKind, String)> {
    let trimmed = text.trim();
    if !trimmed.starts_with('[') || !trimmed.ends_with(']') || trimmed.len() < 2 || parse_json_array(trimmed).is_some()
    {
        return None;
    }
    let keyword = keyword.as_str();
    if let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(trimmed)
        && items.iter().any(|item| !item.is_string())
    {
        return Some((
            SyntaxErrorKind::MalformedJson,
            format!("in the JSON form of {keyword} every element must be a string in double quotes"),
        ));
    }
    let tokens = tokens(&trimmed[1..trimmed.len() - 1]);
    let values: Vec<&Token> = tokens.iter().filter(|t| **t != Token::Comma).collect();
    if values.is_empty() {
        return None;
    }
    let fallback = format!("so BuildKit treats it as the shell form of {keyword}");
    let all_quoted = values.iter().all(|t| matches!(t, Token::Double | Token::Single));
    if all_quoted && values.contains(&&Token::Single) {
        return Some((
            SyntaxErrorKind::JsonSingleQuotes,
            format!(
                "this JSON array uses single quotes, {fallback}: JSON strings need double quotes, as in `[\"a\", \"b\"]`"
            ),
        ));
    }
    if all_quoted {
        return Some((
            SyntaxErrorKind::MalformedJson,
            format!(
                "this JSON array has misplaced commas, {fallback}: separate the strings with one comma each, none after the last"
            ),
        ));
    }
    // `[a, b]` or `["a", b]`: one word per comma-separated item, some of them unquoted.
    let groups: Vec<usize> = tokens.split(|t| *t == Token::Comma).map(|group| group.len()).collect();
    let has_comma = groups.len() > 1;
    if has_comma && groups.iter().all(|&n| n <= 1) {
        return Some((
            SyntaxErrorKind::MalformedJson,
            format!("this JSON array has unquoted elements, {fallback}: put every element in double quotes"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<SyntaxErrorKind> {
        problem(text, Keyword::Cmd).map(|(kind, _)| kind)
    }

    #[test]
    fn shell_commands_that_start_with_a_bracket_are_left_alone() {
        assert_eq!(kind("[ -f /etc/passwd ]"), None);
        assert_eq!(kind("[ \"$A\" = \"b\" ]"), None);
        assert_eq!(kind("[ $A = a,b ]"), None);
        assert_eq!(kind("[\"ok\", \"fine\"]"), None);
    }

    #[test]
    fn broken_json_forms() {
        assert_eq!(kind("['a', 'b']"), Some(SyntaxErrorKind::JsonSingleQuotes));
        assert_eq!(kind("[\"a\", 'b']"), Some(SyntaxErrorKind::JsonSingleQuotes));
        assert_eq!(kind("[\"a\",]"), Some(SyntaxErrorKind::MalformedJson));
        assert_eq!(kind("[\"a\" \"b\"]"), Some(SyntaxErrorKind::MalformedJson));
        assert_eq!(kind("[a, b]"), Some(SyntaxErrorKind::MalformedJson));
        assert_eq!(kind("[\"a\", 1]"), Some(SyntaxErrorKind::MalformedJson));
    }
}
