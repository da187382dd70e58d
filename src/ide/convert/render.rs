//! Text helpers for the generated Dockerfile: JSON (exec form) arrays, shell words, ENV pairs,
//! and the lines of one stage with the comments that belong to each instruction.

/// One instruction of the output with the user comments that describe it (written above it).
#[derive(Debug, Clone, Default)]
pub(super) struct Line {
    pub comments: Vec<String>,
    pub text: String,
}

impl Line {
    pub(super) fn new(text: impl Into<String>) -> Line {
        Line { comments: Vec::new(), text: text.into() }
    }

    pub(super) fn with_comments(mut self, comments: Vec<String>) -> Line {
        self.comments = comments;
        self
    }
}

/// Writes the lines of one stage, each preceded by its comments.
pub(super) fn write_lines(out: &mut String, lines: &[Line]) {
    for line in lines {
        for comment in &line.comments {
            out.push_str(comment);
            out.push('\n');
        }
        out.push_str(&line.text);
        out.push('\n');
    }
}

/// `["a", "b"]`: a JSON array of strings, as exec-form instructions take it.
pub(super) fn json_array(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|word| json_string(word)).collect();
    format!("[{}]", quoted.join(", "))
}

fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A word for a shell command line: as is when it is plain, otherwise in double quotes (so that
/// `$VARIABLE` references still expand, as they did where the word came from).
pub(super) fn shell_word(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%$}{".contains(c))
        && value.contains("${") == value.contains('}');
    if plain {
        return value.to_string();
    }
    double_quoted(value)
}

/// `"value"` with `"`, `\` and backquotes escaped.
pub(super) fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A `KEY=value` pair of ENV, LABEL or ARG, the value quoted when it needs to be.
pub(super) fn pair(key: &str, value: Option<&str>) -> String {
    match value {
        None => key.to_string(),
        Some(value) => format!("{key}={}", shell_word(value)),
    }
}

/// Reads a shell-form command line into words the way a simple command splits them (quotes
/// removed); `None` when it uses shell syntax beyond plain words (operators, substitutions).
pub(super) fn simple_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => current.push(other),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => current.push(chars.next()?),
                        '`' => return None,
                        '$' if current.ends_with('$') => return None,
                        other => current.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.push(chars.next()?);
            }
            '|' | '&' | ';' | '<' | '>' | '(' | ')' | '`' | '*' | '?' | '#' if !in_word || c != '#' => return None,
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_words_and_pairs() {
        assert_eq!(json_array(&["/app".into(), "say \"hi\"".into()]), r#"["/app", "say \"hi\""]"#);
        assert_eq!(shell_word("-s -w"), "\"-s -w\"");
        assert_eq!(shell_word("./cmd/api"), "./cmd/api");
        assert_eq!(shell_word("${VERSION}"), "${VERSION}");
        assert_eq!(pair("GIN_MODE", Some("release")), "GIN_MODE=release");
        assert_eq!(pair("GREETING", Some("hello world")), "GREETING=\"hello world\"");
        assert_eq!(pair("EMPTY", Some("")), "EMPTY=\"\"");
    }

    #[test]
    fn simple_words_refuse_shell_syntax() {
        assert_eq!(
            simple_words("go run ./cmd/api --port 8080"),
            Some(vec!["go".into(), "run".into(), "./cmd/api".into(), "--port".into(), "8080".into()])
        );
        assert_eq!(simple_words("./app 'a b' \"c d\""), Some(vec!["./app".into(), "a b".into(), "c d".into()]));
        assert_eq!(simple_words("./app && echo done"), None);
        assert_eq!(simple_words("./app | tee log"), None);
        assert_eq!(simple_words("echo 'unterminated"), None);
    }
}
