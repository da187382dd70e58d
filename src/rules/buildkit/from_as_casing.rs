//! FromAsCasing: the `AS` keyword cased differently from its `FROM`.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "FromAsCasing",
    name: "from-as-casing-mismatch",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `FROM … as name` when `FROM` is upper case, and `from … AS name` when `from` is lower case.

## Why it matters
Keywords are case-insensitive, so the build works either way, but a file that mixes the two
spellings inside one instruction reads as a mistake. BuildKit reports the same check as a warning.
A `FROM` keyword in mixed case (`From`) is left to ConsistentInstructionCasing.

## Example
```dockerfile
FROM golang:1.23 as build
```

## Fix
Match the case of `FROM`: `FROM golang:1.23 AS build`. The quick fix rewrites the `AS` keyword.

## References
- BuildKit build checks: FromAsCasing (https://docs.docker.com/reference/build-checks/from-as-casing/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let Some(as_keyword) = &from.as_keyword else { continue };
        if !as_keyword.text.eq_ignore_ascii_case("as") {
            continue;
        }
        let keyword = &instruction.keyword_text;
        let wanted = if *keyword == keyword.to_uppercase() {
            "AS"
        } else if *keyword == keyword.to_lowercase() {
            "as"
        } else {
            continue;
        };
        if as_keyword.text != wanted {
            sink.report(as_keyword.range, format!("`{}` and `{keyword}` are cased differently", as_keyword.text))
                .with_fix(format!("Write `{wanted}`"), as_keyword.range, wanted, true);
        }
    }
}
