//! GO207: `-ldflags` values the go command or the linker read differently from what was meant.

use super::go2xx_support::{milder, source_of};
use crate::rules::{Context, Diagnostic, Rule, Severity, Sink};
use crate::syntax::{GoFlag, LinkerFlags, ShellWord, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO207",
    name: "malformed-ldflags",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reads every `-ldflags` value of a `go` command the way the go command and the linker read it,
after the shell has removed its quotes, and reports the forms that break:

- a value that starts with a quote character (quoting doubled across shell layers,
  `-ldflags='\"-X main.version=1.0\"'`);
- a value that does not start with `-`, which the go command reads as `<pattern>=<flags>`;
- `-X` without `importpath.name=value`, a flag without its value, a word that is not a linker
  flag, an unbalanced quote;
- several `-X` assignments joined by commas (`-X a.b=1,c.d=2`);
- `$VAR` inside single quotes, which reaches the linker as the literal text `$VAR`;
- a repeated `-ldflags`, of which only the last counts.

## Why it matters
The first forms stop the build:

```text
invalid value \"\\\"-X main.version=1.0\\\"\" for flag -ldflags: parameter may not start with quote character \"
link: -X flag requires argument of the form importpath.name=value
```

The others build a binary with the wrong values and no message: the first variable of a
comma-joined list receives the whole rest (`1,c.d=2`), a single-quoted `$VERSION` stays `$VERSION`,
and an earlier `-ldflags` is dropped entirely. Those are reported one level below the rule's
severity (warnings by default).

Parts that the shell fills in (`$VAR`, `$(…)`, backquotes) are taken as plain words; when such a
part stands alone, and may expand to several flags, the flag-by-flag checks are skipped.

## Example
```dockerfile
RUN go build -ldflags \"-w -X main.version=${VERSION},main.commit=${COMMIT}\" -o /app .
```

## Fix
One `-X` per assignment (`-X main.version=${VERSION} -X main.commit=${COMMIT}`; the quick fix
splits comma-joined ones), one `-ldflags` with every flag, quotes only at the shell level
(`-ldflags=\"-X main.version=1.0\"`), and double quotes where the shell must expand a variable.

## References
- `go help build` (`-ldflags`, the last match wins): https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
- The linker's flags: https://pkg.go.dev/cmd/link
- golang/go#43177 (stray quotes), golang/go#25085 (`pattern=flags`): https://github.com/golang/go/issues/43177
";

/// Replaces what the shell fills in (`$VAR`, `${…}`, `$(…)`, backquotes) with a plain word, and
/// says whether one of them formed a whole word (it may expand to several flags).
fn neutralise(value: &str) -> (String, bool) {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::with_capacity(value.len());
    let mut standalone = false;
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let end = match chars[i] {
            '`' => chars[i + 1..].iter().position(|c| *c == '`').map(|p| i + 1 + p + 1),
            '$' => match chars.get(i + 1) {
                Some('(') | Some('{') => {
                    let (open, close) = if chars[i + 1] == '(' { ('(', ')') } else { ('{', '}') };
                    let mut depth = 0usize;
                    let mut found = None;
                    for (j, c) in chars.iter().enumerate().skip(i + 1) {
                        if *c == open {
                            depth += 1;
                        } else if *c == close {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                found = Some(j + 1);
                                break;
                            }
                        }
                    }
                    found
                }
                Some(c) if c.is_ascii_alphanumeric() || *c == '_' => {
                    let len = chars[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == '_').count();
                    Some(i + 1 + len)
                }
                _ => None,
            },
            _ => None,
        };
        match end {
            Some(end) => {
                let before = start == 0 || chars[start - 1].is_whitespace();
                let after = end >= chars.len() || chars[end].is_whitespace();
                standalone |= before && after;
                out.push('0');
                i = end;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    (out, standalone)
}

/// The position of `needle` in the Dockerfile source of `word`, if it occurs exactly once.
fn unique_in_source(text: &str, word: &ShellWord, needle: &str) -> Option<TextRange> {
    let source = text.get(word.range.as_range())?;
    let first = source.find(needle)?;
    if source[first + needle.len()..].contains(needle) {
        return None;
    }
    let start = word.range.start + first;
    Some(TextRange::new(start, start + needle.len()))
}

/// `,path.name=` inside an `-X` value: the start of a second assignment joined by a comma.
fn joined_assignment(value: &str) -> Option<&str> {
    for (at, _) in value.match_indices(',') {
        let rest = &value[at + 1..];
        let Some(eq) = rest.find('=') else { continue };
        let target = &rest[..eq];
        let Some((path, name)) = target.rsplit_once('.') else { continue };
        let path_ok = !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || "._-/~".contains(c));
        let name_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if path_ok && name_ok {
            return Some(&value[at..at + 1 + eq + 1]);
        }
    }
    None
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    let build = context.build();
    for (_, run) in build.go_runs() {
        let command = &run.command;
        if !command.subcommand.builds() {
            continue;
        }
        // `-ldflags=-s -w` without quotes: the shell makes `-w` a flag of the go command.
        for pair in command.flags.windows(2) {
            let [ldflags, next] = pair else { continue };
            let unquoted = ldflags.value.as_ref().is_some_and(|v| !v.quoted && !v.dynamic);
            if ldflags.name == "ldflags"
                && unquoted
                && matches!(next.name.as_str(), "s" | "w" | "X" | "extldflags" | "linkmode")
            {
                let message = format!(
                    "the shell ends the unquoted `-ldflags` value at the space, so `-{}` reaches the go command as a flag \
                     of its own and the build fails with `flag provided but not defined: -{}`",
                    next.name, next.name
                );
                // The flag word alone (the parser may have taken the next word as its value).
                let word = format!("-{}", next.name);
                let start = next.range.start;
                let range = if context.text.get(start..).is_some_and(|t| t.starts_with(&word)) {
                    TextRange::new(start, start + word.len())
                } else {
                    next.range
                };
                sink.report(range, message);
            }
        }
        let all: Vec<&GoFlag> = command.flags.iter().filter(|f| f.name == "ldflags").collect();
        for (index, flag) in all.iter().enumerate() {
            let Some(word) = &flag.value else { continue };
            let is_last = index + 1 == all.len();
            check_value(context, sink, word);
            // An earlier -ldflags without a pattern is replaced by a later one without a pattern.
            let unpatterned = |f: &&GoFlag| f.value.as_ref().is_some_and(|v| v.value.trim_start().starts_with('-'));
            if !is_last
                && unpatterned(flag)
                && let Some(later) = all[index + 1..].iter().find(|f| unpatterned(f))
            {
                let shown = word.value.trim();
                let diagnostic = sink.report(
                    flag.range,
                    format!(
                        "this `-ldflags` is replaced by a later one: the go command keeps only the last, so `{shown}` \
                         is lost"
                    ),
                );
                diagnostic.severity = milder(diagnostic.severity);
                diagnostic.with_related(None, later.range, "the `-ldflags` that counts");
            }
        }
    }
}

fn check_value(context: &Context<'_>, sink: &mut Sink, word: &ShellWord) {
    let value = word.value.trim();
    if value.is_empty() {
        return;
    }
    // A value that starts with a shell expansion may expand to anything.
    let starts_expanded = value.starts_with('$') || value.starts_with('`');
    if let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let message = format!(
            "the `-ldflags` value starts with a quote character after the shell's quoting, so the build fails with \
             `invalid value {value:?} for flag -ldflags: parameter may not start with quote character {quote}`"
        );
        let diagnostic = sink.report(word.range, message);
        unquote_fix(context, word, diagnostic);
        return;
    }
    let flags_text = if value.starts_with('-') || starts_expanded {
        value.to_string()
    } else {
        // `<pattern>=<flags>`: the flags apply to the packages matching the pattern.
        let Some((pattern, flags)) = value.split_once('=') else {
            let message = format!(
                "`{value}` does not start with `-`, so the go command reads it as `<pattern>=<flags>` and fails with \
                 `missing =<value> in <pattern>=<value>`"
            );
            sink.report(word.range, message);
            return;
        };
        if !flags.trim_start().starts_with('-') && !word.dynamic {
            let message = format!(
                "`{value}` does not start with `-`, so the go command reads it as linker flags `{}` for the packages \
                 matching `{}`; none does, and nothing is applied",
                flags.trim(),
                pattern.trim()
            );
            let diagnostic = sink.report(word.range, message);
            diagnostic.severity = milder(diagnostic.severity);
            return;
        }
        flags.to_string()
    };
    let (neutral, standalone) = neutralise(&flags_text);
    let mut probe = word.clone();
    probe.value = neutral;
    let parsed = LinkerFlags::parse(&probe);
    if !standalone {
        for (problem, _) in &parsed.errors {
            let consequence = if problem.starts_with("-X takes") {
                ": the link fails with `link: -X flag requires argument of the form importpath.name=value`"
            } else if problem.contains("needs a value") {
                ": the link fails"
            } else if problem.contains("is not a linker flag") {
                ": the linker stops with its usage message and the build fails"
            } else {
                ""
            };
            sink.report(word.range, format!("{problem}{consequence}"));
        }
    }
    // Comma-joined assignments and single-quoted variables, from the real value.
    let real = LinkerFlags::parse(word);
    for definition in &real.definitions {
        if let Some(joined) = joined_assignment(&definition.value) {
            let message = format!(
                "`-X {}` takes everything after `=` as the value, `{joined}…` included: a comma does not start \
                 another assignment, so only `{}` is set, to the wrong value",
                definition.target, definition.target
            );
            let range = unique_in_source(context.text, word, joined).unwrap_or(word.range);
            let diagnostic = sink.report(range, message);
            diagnostic.severity = milder(diagnostic.severity);
            let quoted = source_of(context.text, word).is_some_and(|s| {
                let inner = s.split_once('=').filter(|_| s.starts_with('-')).map_or(s, |(_, v)| v);
                inner.starts_with('"') || inner.starts_with('\'')
            });
            if quoted && range != word.range {
                let comma = TextRange::new(range.start, range.start + 1);
                diagnostic.with_fix("Split into separate `-X` assignments", comma, " -X ", true);
            }
        }
        if !word.dynamic
            && let Some(at) = definition.value.find('$')
            && definition.value[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '{')
        {
            let variable: String =
                definition.value[at..].chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
            let message = format!(
                "`{variable}` in `-X {}` is inside single quotes, so the shell does not expand it: the program gets the \
                 literal text `{variable}`",
                definition.target
            );
            let diagnostic = sink.report(word.range, message);
            diagnostic.severity = milder(diagnostic.severity);
        }
    }
}

/// `'"-X …"'` → `"-X …"`: drop the outer layer of quotes, when what is inside does not change
/// meaning for the shell.
fn unquote_fix(context: &Context<'_>, word: &ShellWord, diagnostic: &mut Diagnostic) {
    let Some(source) = source_of(context.text, word) else { return };
    let (prefix, value) = match source.split_once('=') {
        Some((flag, value)) if flag.starts_with('-') => (flag.len() + 1, value),
        _ => (0, source),
    };
    let bytes = value.as_bytes();
    let [outer, inner, .., inner_end, outer_end] = bytes else { return };
    let pairs = (*outer == b'\'' && *inner == b'"') || (*outer == b'"' && *inner == b'\'');
    if !pairs || outer != outer_end || inner != inner_end {
        return;
    }
    let kept = &value[1..value.len() - 1];
    if kept.contains(['$', '`', '\\']) || kept[1..kept.len() - 1].contains(*inner as char) {
        return;
    }
    let range = TextRange::new(word.range.start + prefix, word.range.end);
    diagnostic.with_fix("Remove the extra quotes", range, kept, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_become_words() {
        assert_eq!(neutralise("-X a.b=$(date -u '+%Y %Z') -s"), ("-X a.b=0 -s".to_string(), false));
        assert_eq!(neutralise("-X a.b=`date` -X c.d=${X}"), ("-X a.b=0 -X c.d=0".to_string(), false));
        assert_eq!(neutralise("$(cat /tmp/.ldflags) -w"), ("0 -w".to_string(), true));
        assert_eq!(neutralise("-X $X"), ("-X 0".to_string(), true));
        assert_eq!(neutralise("cost $ 5 $"), ("cost $ 5 $".to_string(), false));
        assert_eq!(neutralise("$(unclosed"), ("$(unclosed".to_string(), false));
    }

    #[test]
    fn joined_assignments() {
        assert_eq!(joined_assignment("1.0,server.gitCommit=abc"), Some(",server.gitCommit="));
        assert_eq!(joined_assignment("a,b,c"), None);
        assert_eq!(joined_assignment("x,y=1"), None);
        assert_eq!(joined_assignment("${V},github.com/a/b.C=1"), Some(",github.com/a/b.C="));
    }
}
