//! Variable references in instruction arguments: `$X`, `${X}` and the `${X<op>word}` forms.

use super::TextRange;

/// A reference to a build variable, with ranges relative to the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRef {
    /// The whole reference, `$X` or `${X:-default}`.
    pub range: TextRange,
    pub name: String,
    pub name_range: TextRange,
    /// The operator of a `${X<op>word}` form: `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/`, `//`.
    pub operator: Option<String>,
    /// The word after the operator, unexpanded.
    pub word: Option<String>,
}

const OPERATORS: [&str; 12] = [":-", ":+", ":?", "##", "%%", "//", "-", "+", "?", "#", "%", "/"];

/// Finds variable references in `text`, skipping single-quoted parts and escaped dollars.
pub fn variable_references(text: &str, escape: char) -> Vec<VariableRef> {
    let mut refs = Vec::new();
    let bytes = text.as_bytes();
    let mut in_single = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_single {
            in_single = c != b'\'';
            i += 1;
            continue;
        }
        if c == b'\'' {
            in_single = true;
        } else if c as char == escape {
            i += 2;
            continue;
        } else if c == b'$'
            && let Some(found) = reference_at(text, i)
        {
            i = found.range.end;
            refs.push(found);
            continue;
        }
        i += 1;
    }
    refs
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn reference_at(text: &str, dollar: usize) -> Option<VariableRef> {
    let bytes = text.as_bytes();
    let start = dollar + 1;
    if bytes.get(start) == Some(&b'{') {
        let name_start = start + 1;
        let name_end = name_start + bytes[name_start..].iter().take_while(|&&b| is_name_char(b)).count();
        if name_end == name_start {
            return None;
        }
        let mut depth = 1;
        let mut end = name_end;
        while end < bytes.len() {
            match bytes[end] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        if end >= bytes.len() {
            return None;
        }
        let inner = &text[name_end..end];
        let operator = OPERATORS.iter().find(|op| inner.starts_with(**op));
        return Some(VariableRef {
            range: TextRange::new(dollar, end + 1),
            name: text[name_start..name_end].to_string(),
            name_range: TextRange::new(name_start, name_end),
            operator: operator.map(|op| op.to_string()),
            word: operator.map(|op| inner[op.len()..].to_string()),
        });
    }
    let name_end = start + bytes[start..].iter().take_while(|&&b| is_name_char(b)).count();
    if name_end == start || bytes[start].is_ascii_digit() {
        return None;
    }
    Some(VariableRef {
        range: TextRange::new(dollar, name_end),
        name: text[start..name_end].to_string(),
        name_range: TextRange::new(start, name_end),
        operator: None,
        word: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Option<String>)> {
        variable_references(text, '\\').into_iter().map(|r| (r.name, r.operator)).collect()
    }

    #[test]
    fn all_forms() {
        let found = names("$A ${B} ${C:-x} ${D:+y} ${E?err} ${F#p} ${G%%s} ${H/a/b} '$I' \\$J $1");
        let expected = [
            ("A", None),
            ("B", None),
            ("C", Some(":-")),
            ("D", Some(":+")),
            ("E", Some("?")),
            ("F", Some("#")),
            ("G", Some("%%")),
            ("H", Some("/")),
        ];
        let expected: Vec<_> = expected.iter().map(|(n, o)| (n.to_string(), o.map(str::to_string))).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn ranges() {
        let refs = variable_references("x${NAME:-1}y", '\\');
        assert_eq!(refs[0].range, TextRange::new(1, 11));
        assert_eq!(refs[0].name_range, TextRange::new(3, 7));
        assert_eq!(refs[0].word.as_deref(), Some("1"));
    }
}
