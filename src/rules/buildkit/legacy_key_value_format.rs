//! LegacyKeyValueFormat: `ENV key value` or `LABEL key value` without an `=`.

use super::support::source;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, TextRange, split_words};

pub(super) static RULE: Rule = Rule {
    code: "LegacyKeyValueFormat",
    name: "legacy-env-label-format",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports ENV and LABEL instructions written in the old whitespace form, `ENV key value`, instead of
`ENV key=value`. (`ARG a b` is not this form: it declares two ARGs, so it is not reported.)

## Why it matters
In the old form everything after the key is one value, spaces included, so `ENV PATH /go/bin $PATH`
and `ENV A=1 B=2` look alike but mean very different things, and one instruction can set only one
variable. The form is deprecated; BuildKit reports it as a warning.

## Example
```dockerfile
FROM alpine
ENV GOFLAGS -mod=vendor
LABEL maintainer Jane Doe
```

## Fix
Write `ENV GOFLAGS=-mod=vendor` and `LABEL maintainer=\"Jane Doe\"`. The quick fix does this, and
it is safe, when the value is one word, or several words without quotes or escapes (it then
wraps them in double quotes, which keeps the spaces and still expands variables). Values with
quotes or escape characters are left to you.

## References
- BuildKit build checks: LegacyKeyValueFormat (https://docs.docker.com/reference/build-checks/legacy-key-value-format/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let escape = context.dockerfile.escape;
    for instruction in &context.dockerfile.instructions {
        let pairs = match &instruction.kind {
            InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => pairs,
            _ => continue,
        };
        let keyword = instruction.keyword_text.to_uppercase();
        for pair in pairs.iter().filter(|p| p.legacy) {
            let Some(value_range) = pair.value_range else { continue };
            let diagnostic = sink.report(
                pair.range,
                format!("`{keyword} key value` is the legacy form: write `{keyword} {}=…`", pair.key),
            );
            let value = source(context.text, value_range);
            let separator = TextRange::new(pair.key_range.end, value_range.start);
            let (words, open_quote) = split_words(value, escape);
            if words.len() == 1 && open_quote.is_none() {
                diagnostic.with_fix("Write `key=value`", separator, "=", true);
            } else if !value.contains(['"', '\'', '\n', escape]) {
                diagnostic.with_fix(
                    "Write `key=\"value\"`",
                    TextRange::new(separator.start, value_range.end),
                    format!("=\"{value}\""),
                    true,
                );
            }
        }
    }
}
