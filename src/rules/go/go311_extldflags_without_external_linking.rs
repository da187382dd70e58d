//! GO311: `-extldflags` on a build that never runs an external linker.

use super::go3xx_support::cgo_state;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{ShellWord, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO311",
    name: "extldflags-without-external-linking",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `-extldflags` inside `-ldflags` when the Go linker links internally and never runs the
external (C) linker the flags are for: cgo is off for the build (`CGO_ENABLED=0`, a cross-compile to
another OS, or an Alpine `golang` image without a C compiler) and `-linkmode` is not `external`, or
`-linkmode internal` is given.

## Why it matters
Nothing fails: the flags are accepted and ignored. With cgo off the program is static anyway, so
the common `-extldflags \"-static\"` only suggests that it is doing something. When a static cgo
build is really wanted, the flags need `-linkmode external` and cgo on, and glibc then warns at
link time:

```text
Using 'getaddrinfo' in statically linked applications requires at runtime the shared libraries from the glibc version used for linking
```

(`-tags netgo,osusergo` avoids that).

Not reported: builds whose cgo state is unknown (a build argument, a `GOARCH` from `TARGETARCH`),
`-linkmode external` or `auto`, and `-ldflags` values where a variable or command substitution could
add linker flags (variables inside `-X` values are fine).

## Example
```dockerfile
RUN CGO_ENABLED=0 go build -ldflags \"-s -w -extldflags '-static'\" -o /app .
```

## Fix
Remove `-extldflags …` (the quick fix). For a static cgo program, build with cgo on and
`-ldflags '-linkmode external -extldflags \"-static\"' -tags netgo,osusergo`.

## References
- The linker's flags (`-extldflags`, `-linkmode`): https://pkg.go.dev/cmd/link
- Internal and external linking: https://pkg.go.dev/cmd/cgo#hdr-Implementation_details
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if !run.command.subcommand.builds() {
            continue;
        }
        let Some(word) = run.command.flag("ldflags").and_then(|f| f.value.as_ref()) else { continue };
        let Some(ldflags) = run.command.ldflags() else { continue };
        let Some(extldflags) = &ldflags.extldflags else { continue };
        if word.dynamic && !substitutions_only_in_x_values(&word.value) {
            continue;
        }
        let why = match ldflags.linkmode.as_deref() {
            Some("internal") => "`-linkmode internal` never runs the external linker",
            Some(_) => continue,
            None if cgo_state(context, stage, run) == Some(false) => {
                "with cgo off the Go linker links internally and never runs the external linker (the program is \
                 static anyway)"
            }
            None => continue,
        };
        let message = format!("`-extldflags {extldflags}` has no effect: {why}");
        let located = locate(context.text, word, extldflags);
        let range = located.map_or(word.range, |(flag, _)| flag);
        let diagnostic = sink.report(range, message);
        if let Some((_, removal)) = located {
            diagnostic.with_fix("Remove `-extldflags`", removal, "", true);
        }
    }
}

/// Whether every `$…` expansion of the `-ldflags` value sits inside a `-X name=value` value, where it
/// cannot add linker flags.
fn substitutions_only_in_x_values(value: &str) -> bool {
    // Replace each expansion with a marker, then look at the fields around the markers.
    let mut marked = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            marked.push(c);
            continue;
        }
        match chars.peek() {
            Some('(') | Some('{') => {
                let (open, close) = if chars.peek() == Some(&'(') { ('(', ')') } else { ('{', '}') };
                let mut depth = 0usize;
                for inner in chars.by_ref() {
                    if inner == open {
                        depth += 1;
                    } else if inner == close {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                }
            }
            _ => while chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_').is_some() {},
        }
        marked.push('\u{1}');
    }
    let fields: Vec<&str> = marked.split_whitespace().collect();
    fields.iter().enumerate().all(|(i, field)| {
        let Some(at) = field.find('\u{1}') else { return true };
        let is_x_value = (i > 0 && fields[i - 1] == "-X") || field.starts_with("-X");
        is_x_value && field.get(..at).is_some_and(|before| before.contains('='))
    })
}

/// The `-extldflags <value>` text inside the word, and the range to delete with its blanks, when
/// the word is written as the shell reads it and the value found there is the one the linker gets.
fn locate(text: &str, word: &ShellWord, expected: &str) -> Option<(TextRange, TextRange)> {
    if text.get(word.range.as_range()) != Some(word.text.as_str()) {
        return None;
    }
    let source = word.text.as_str();
    let start = source.find("-extldflags")?;
    let outer_quote = source.chars().last().filter(|c| matches!(c, '\'' | '"') && source.len() > 1);
    let mut at = start + "-extldflags".len();
    let rest = source.get(at..)?;
    if let Some(after) = rest.strip_prefix('=') {
        at = source.len() - after.len();
    } else {
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.len() == rest.len() {
            return None;
        }
        at = source.len() - trimmed.len();
    }
    let value_text = source.get(at..)?;
    let (value_len, value) = if let Some(inner) = value_text.strip_prefix("\\\"") {
        let close = inner.find("\\\"")?;
        (close + 4, inner.get(..close)?.to_string())
    } else if let Some(quote) = value_text.chars().next().filter(|c| matches!(c, '\'' | '"')) {
        if Some(quote) == outer_quote {
            return None;
        }
        let inner = value_text.get(1..)?;
        let close = inner.find(quote)?;
        (close + 2, inner.get(..close)?.to_string())
    } else {
        let end = value_text
            .char_indices()
            .find(|(i, c)| c.is_whitespace() || (Some(*c) == outer_quote && at + i + 1 == source.len()))
            .map_or(value_text.len(), |(i, _)| i);
        (end, value_text.get(..end)?.to_string())
    };
    if value != expected {
        return None;
    }
    let end = at + value_len;
    let flag = TextRange::new(word.range.start + start, word.range.start + end);
    // Delete the blanks before the flag, or after it when it opens the value.
    let before = source.get(..start)?;
    let blanks_before = before.len() - before.trim_end_matches(' ').len();
    let after = source.get(end..)?;
    let blanks_after = after.len() - after.trim_start_matches(' ').len();
    let removal = if blanks_before > 0 {
        TextRange::new(flag.start - blanks_before, flag.end)
    } else {
        TextRange::new(flag.start, flag.end + blanks_after)
    };
    Some((flag, removal))
}

#[cfg(test)]
mod tests {
    use super::substitutions_only_in_x_values;

    #[test]
    fn expansions_inside_x_values_are_harmless() {
        assert!(substitutions_only_in_x_values("-s -X main.version=${VERSION} -extldflags '-static'"));
        assert!(substitutions_only_in_x_values("-extldflags '-static' -X a/b.V=$(git describe --tags)"));
        assert!(!substitutions_only_in_x_values("$(cat /tmp/.ldflags) -extldflags '-static'"));
        assert!(!substitutions_only_in_x_values("-s $EXTRA -extldflags -static"));
    }
}
