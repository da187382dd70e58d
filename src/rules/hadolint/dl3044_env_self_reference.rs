//! DL3044: an ENV value that uses a variable set earlier in the same ENV instruction.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, TextRange, variable_references};

pub(super) static RULE: Rule = Rule {
    code: "DL3044",
    name: "env-uses-same-instruction-variable",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a variable reference in an ENV value when an earlier pair of the same ENV instruction
sets that variable: `ENV GOPATH=/go PATH=$GOPATH/bin:$PATH`. A pair that extends its own
variable (`ENV PATH=/x:$PATH`) is fine.

## Why it matters
BuildKit expands every value of an ENV instruction before it sets any of them, so `$GOPATH`
above is the value from *before* the instruction (often empty), not `/go`. The image gets a
wrong PATH and nothing fails until a command is not found.

gantry differs from hadolint in two ways. References inside single quotes or after an escape
(`'$A'`, `\\$A`) are literal text and are not reported, and the `${A:-default}` forms are.
A variable set before the instruction is reported too (hadolint skips it): the reference still
sees the old value, not the one written next to it.

## Example
```dockerfile
ENV GOPATH=/go PATH=$GOPATH/bin:$PATH
```

## Fix
Split the instruction so that the variable is set first: `ENV GOPATH=/go` then
`ENV PATH=$GOPATH/bin:$PATH`. The quick fix splits the instruction before the pair; it is
unsafe because the value changes (to what was meant).

## References
- hadolint rule DL3044 (https://github.com/hadolint/hadolint/wiki/DL3044)
- Dockerfile reference: ENV (https://docs.docker.com/reference/dockerfile/#env)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let escape = context.dockerfile.escape;
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Env(pairs) = &instruction.kind else { continue };
        for (index, pair) in pairs.iter().enumerate() {
            let Some(value_range) = pair.value_range else { continue };
            let Some(raw) = context.text.get(value_range.as_range()) else { continue };
            for reference in variable_references(raw, escape) {
                let Some(setter) = pairs[..index].iter().find(|earlier| earlier.key == reference.name) else {
                    continue;
                };
                let Some(value) = &setter.value else { continue };
                let diagnostic = sink.report(
                    reference.range.shifted(value_range.start),
                    format!(
                        "`${}` is expanded before this ENV sets it, so it is not `{value}`: set it in an earlier ENV",
                        reference.name
                    ),
                );
                let previous = &pairs[index - 1];
                let gap = TextRange::new(previous.range.end, pair.range.start.max(previous.range.end));
                if context.text.get(gap.as_range()).is_some_and(|text| !text.contains('#')) {
                    diagnostic.with_fix(
                        format!("Split the ENV before `{}`", pair.key),
                        gap,
                        format!("\n{} ", instruction.keyword_text),
                        false,
                    );
                }
            }
        }
    }
}
