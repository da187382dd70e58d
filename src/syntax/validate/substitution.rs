//! `${...}` forms BuildKit's word expansion refuses: an empty name, an unsupported modifier, a
//! missing `}`. Only where BuildKit expands variables: RUN's command, CMD, ENTRYPOINT, SHELL,
//! HEALTHCHECK and MAINTAINER are passed on unexpanded, so the shell (or nobody) reads them.

use crate::syntax::{Instruction, InstructionKind, Keyword, SyntaxError, SyntaxErrorKind, TextRange};

pub(super) fn check(instruction: &Instruction, escape: char, errors: &mut Vec<SyntaxError>) {
    let Some(keyword) = instruction.keyword else { return };
    let words = match keyword {
        Keyword::From => &instruction.args[..instruction.args.len().min(1)],
        Keyword::Arg
        | Keyword::Env
        | Keyword::Label
        | Keyword::Workdir
        | Keyword::User
        | Keyword::Stopsignal
        | Keyword::Volume
        | Keyword::Expose
        | Keyword::Copy
        | Keyword::Add => &instruction.args[..],
        _ => &[],
    };
    for word in words {
        let exact = word.range.len() == word.text.len();
        scan(&word.text, escape, word.range, exact, errors);
    }
    let expanded_flags: &[&str] = match &instruction.kind {
        InstructionKind::From(_) => &["platform"],
        InstructionKind::Copy(_) | InstructionKind::Add(_) => &["chown", "chmod", "checksum"],
        InstructionKind::Run(_) => &["mount"],
        _ => &[],
    };
    for flag in instruction.flags.iter().filter(|f| expanded_flags.contains(&f.name.as_str())) {
        if let (Some(value), Some(range)) = (&flag.value, flag.value_range) {
            scan(value, escape, range, range.len() == value.len(), errors);
        }
    }
}

/// Scans `text` (quotes and escapes as written) for bad `${...}` forms. `range` is where `text`
/// is in the source; when `exact`, offsets in `text` are source offsets and the error points at
/// the substitution itself.
fn scan(text: &str, escape: char, range: TextRange, exact: bool, errors: &mut Vec<SyntaxError>) {
    // Most words hold no substitution: skip them before collecting characters.
    if !text.contains("${") {
        return;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut in_single = false;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if in_single {
            in_single = c != '\'';
        } else if c == '\'' {
            in_single = true;
        } else if c == escape {
            i += 1;
        } else if c == '$' && chars.get(i + 1).is_some_and(|&(_, n)| n == '{') {
            let (end, problem) = substitution(text, &chars, i);
            if let Some(message) = problem {
                let start = chars[i].0;
                let end_byte = chars.get(end).map_or(text.len(), |&(b, _)| b);
                let at = if exact { TextRange::new(range.start + start, range.start + end_byte) } else { range };
                errors.push(SyntaxError::new(SyntaxErrorKind::BadSubstitution, at, message));
            }
            i = end;
            continue;
        }
        i += 1;
    }
}

/// Reads the `${...}` starting at char index `dollar`; returns the char index after it and what is
/// wrong with it, if anything.
fn substitution(text: &str, chars: &[(usize, char)], dollar: usize) -> (usize, Option<String>) {
    let mut i = dollar + 2;
    let name_start = i;
    match chars.get(i).map(|&(_, c)| c) {
        Some(c) if c.is_ascii_digit() => {
            while chars.get(i).is_some_and(|&(_, c)| c.is_ascii_digit()) {
                i += 1;
            }
        }
        Some('@' | '*' | '#' | '?' | '-' | '$' | '!') => i += 1,
        _ => {
            while chars.get(i).is_some_and(|&(_, c)| c.is_alphanumeric() || c == '_') {
                i += 1;
            }
        }
    }
    let byte = |index: usize| chars.get(index).map_or(text.len(), |&(b, _)| b);
    let name = &text[byte(name_start)..byte(i)];
    let close = closing_brace(chars, i);
    let shown = |end: usize| text[byte(dollar)..byte(end)].to_string();
    let Some(close) = close else {
        return (chars.len(), Some(format!("`{}` is never closed: add `}}`", shown(chars.len()))));
    };
    if name.is_empty() {
        return (close + 1, Some(format!("`{}` names no variable: write `${{NAME}}`", shown(close + 1))));
    }
    let modifier_ok = match chars.get(i).map(|&(_, c)| c) {
        Some('}') => true,
        Some(':') => matches!(chars.get(i + 1).map(|&(_, c)| c), Some('-' | '+' | '?')),
        Some('-' | '+' | '?' | '#' | '%' | '/') => true,
        _ => false,
    };
    if modifier_ok {
        return (close + 1, None);
    }
    let modifier_end = if chars.get(i).is_some_and(|&(_, c)| c == ':') { i + 2 } else { i + 1 };
    let modifier = &text[byte(i)..byte(modifier_end.min(close))];
    let message = format!(
        "unsupported modifier `{modifier}` in `{}`: use `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`, `/` or `//`",
        shown(close + 1)
    );
    (close + 1, Some(message))
}

/// The char index of the `}` that closes a substitution whose body starts at `from` (nested
/// `${...}` and escaped braces skipped).
fn closing_brace(chars: &[(usize, char)], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while let Some(&(_, c)) = chars.get(i) {
        match c {
            '\\' => i += 1,
            '$' if chars.get(i + 1).is_some_and(|&(_, n)| n == '{') => {
                depth += 1;
                i += 1;
            }
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let mut errors = Vec::new();
        scan(text, '\\', TextRange::new(0, text.len()), true, &mut errors);
        errors.into_iter().map(|e| text[e.range.as_range()].to_string()).collect()
    }

    #[test]
    fn supported_forms_pass() {
        assert!(problems("${A} ${A:-x} ${A-x} ${A:+x} ${A?e} ${A#p} ${A%%s} ${A/a/b} ${1} $A ${A:-${B}}").is_empty());
        assert!(problems("'${A:x}' \\${A:x}").is_empty());
    }

    #[test]
    fn bad_forms_are_pointed_at() {
        assert_eq!(problems("a${A:x}b"), ["${A:x}"]);
        assert_eq!(problems("${A^^}"), ["${A^^}"]);
        assert_eq!(problems("x${}y"), ["${}"]);
        assert_eq!(problems("x${A"), ["${A"]);
    }
}
