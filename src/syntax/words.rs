//! Word splitting, unquoting and the JSON (exec) form, as BuildKit reads instruction arguments.

use super::TextRange;

/// Splits `text` at unquoted whitespace. Returns the word ranges (relative to `text`) and, when a
/// quote is left open, the offset of the opening quote.
pub fn split_words(text: &str, escape: char) -> (Vec<TextRange>, Option<usize>) {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote: Option<(char, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some((q, _)) = quote {
            if c == q {
                quote = None;
            } else if c == escape && q == '"' {
                chars.next();
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(TextRange::new(s, i));
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        if c == escape {
            chars.next();
        } else if c == '"' || c == '\'' {
            quote = Some((c, i));
        }
    }
    if let Some(s) = start {
        words.push(TextRange::new(s, text.len()));
    }
    (words, quote.map(|(_, at)| at))
}

/// Removes quotes and escapes from a word the way BuildKit's shell lexer does (without expanding
/// variables): single quotes are literal, double quotes honour the escape character.
pub fn unquote(word: &str, escape: char) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => out.push(c),
            Some(_) if c == '"' => quote = None,
            Some(_) if c == escape => match chars.next() {
                Some(next @ ('"' | '$' | '`' | '\\')) => out.push(next),
                Some(next) if next == escape => out.push(next),
                Some(next) => {
                    out.push(c);
                    out.push(next);
                }
                None => out.push(c),
            },
            Some(_) => out.push(c),
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == escape => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            None => out.push(c),
        }
    }
    out
}

/// One string of a JSON array, with the range of its literal (quotes included) relative to the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonString {
    pub range: TextRange,
    pub value: String,
}

/// Parses `text` as a JSON array of strings (the exec form). `None` when it is not one, in which
/// case BuildKit treats the text as the shell form.
pub fn parse_json_array(text: &str) -> Option<(TextRange, Vec<JsonString>)> {
    let trimmed = text.trim();
    if !trimmed.starts_with('[') || !trimmed.ends_with(']') {
        return None;
    }
    let base = text.len() - text.trim_start().len();
    let bytes = trimmed.as_bytes();
    let mut items = Vec::new();
    let mut i = 1;
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i] as char).is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if bytes.get(i) == Some(&b']') {
        return (i + 1 == bytes.len()).then(|| (TextRange::new(base, base + trimmed.len()), items));
    }
    loop {
        skip_ws(&mut i);
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            if bytes[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        i += 1;
        let literal = &trimmed[start..i];
        let value: String = serde_json::from_str(literal).ok()?;
        items.push(JsonString { range: TextRange::new(base + start, base + i), value });
        skip_ws(&mut i);
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b']') if i + 1 == bytes.len() => {
                return Some((TextRange::new(base, base + trimmed.len()), items));
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        split_words(text, '\\').0.iter().map(|r| &text[r.as_range()]).collect()
    }

    #[test]
    fn quotes_group_words() {
        assert_eq!(words(r#" a "b c" d='e f'g h\ i"#), ["a", "\"b c\"", "d='e f'g", "h\\ i"]);
        assert_eq!(split_words("a \"b", '\\').1, Some(2));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a b"'c d'e\ f"#, '\\'), "a bc de f");
        assert_eq!(unquote(r#""x\"y""#, '\\'), "x\"y");
        assert_eq!(unquote("C:\\dir", '`'), "C:\\dir");
    }

    #[test]
    fn json_arrays() {
        let (_, items) = parse_json_array(r#" ["a", "b\"c" ] "#).unwrap();
        assert_eq!(items.iter().map(|s| s.value.as_str()).collect::<Vec<_>>(), ["a", "b\"c"]);
        assert_eq!(items[0].range, TextRange::new(2, 5));
        assert!(parse_json_array("['a']").is_none());
        assert!(parse_json_array("[\"a\",]").is_none());
        assert!(parse_json_array("[]").unwrap().1.is_empty());
    }
}
