//! UndefinedArgInFrom: a FROM line that uses a variable no global ARG declares.

use super::support::{closest, line_start, references_in};
use crate::rules::{Context, Diagnostic, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, InstructionKind, TextRange, VariableKind, VariableRef, variable_references};

pub(super) static RULE: Rule = Rule {
    code: "UndefinedArgInFrom",
    name: "undeclared-arg-in-from",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a variable in a FROM line (the image or `--platform`) that is neither an ARG declared
before the first FROM nor one of BuildKit's automatic platform ARGs (`BUILDPLATFORM`,
`TARGETARCH`, …). When the name is within two edits of a declared one, the finding suggests it,
which catches misspellings such as `$BUILDPLATFROM`. ARGs declared inside a stage do not count:
FROM lines see only the global scope.

## Why it matters
An undeclared name expands to nothing, even when it is passed with `--build-arg` (BuildKit ignores
build arguments that no ARG declares), so `FROM node:22${VARIANT}` silently builds on `node:22`,
and a misspelt platform ARG silently builds for the default platform. A `${NAME:-default}` form
does not help: the default is always used. BuildKit reports the check as a warning.

## Example
```dockerfile
FROM node:22${VARIANT} AS jsbuilder
```

## Fix
Declare the ARG before the first FROM, with a default: `ARG VARIANT=\"-alpine3.20\"`. The quick fix
either corrects a misspelt name or inserts `ARG NAME` in the global scope; both are marked unsafe
because they change what the line can expand to.

## References
- BuildKit build checks: UndefinedArgInFrom (https://docs.docker.com/reference/build-checks/undefined-arg-in-from/)
- Dockerfile reference, how ARG and FROM interact (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let scope = context.scope();
    let global: Vec<&str> = scope
        .definitions()
        .iter()
        .filter(|d| d.stage.is_none() && matches!(d.kind, VariableKind::Arg | VariableKind::Automatic))
        .map(|d| d.name.as_str())
        .collect();
    for instruction in &dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let mut references = Vec::new();
        if let Some(platform) = instruction.flag("platform")
            && let Some(range) = platform.value_range
        {
            references.extend(references_in(context.text, range, dockerfile.escape, &[]));
        }
        if let Some(image) = &from.image {
            references.extend(image_references(&image.text, image.range, dockerfile.escape));
        }
        for reference in references {
            if global.contains(&reference.name.as_str()) {
                continue;
            }
            let suggestion = closest(&reference.name, global.iter().copied());
            let mut message = format!("FROM uses `${}`, which no global ARG declares", reference.name);
            if let Some(suggestion) = suggestion {
                message += &format!(" (did you mean `{suggestion}`?)");
            }
            let diagnostic = sink.report(reference.range, message);
            // A reference in a word spanning lines has no precise range: no edit then.
            let precise = reference.name_range != reference.range;
            match suggestion {
                Some(suggestion) if precise => diagnostic.with_fix(
                    format!("Use `{suggestion}`"),
                    reference.name_range,
                    suggestion.to_string(),
                    false,
                ),
                Some(_) => {}
                None => declare_globally(diagnostic, dockerfile, context.text, &reference.name),
            }
        }
    }
}

/// References in an image word; precise when the word is on one line, else the whole word.
fn image_references(text: &str, range: TextRange, escape: char) -> Vec<VariableRef> {
    let single_line = range.len() == text.len();
    variable_references(text, escape)
        .into_iter()
        .map(|reference| {
            if single_line {
                VariableRef {
                    range: reference.range.shifted(range.start),
                    name_range: reference.name_range.shifted(range.start),
                    ..reference
                }
            } else {
                VariableRef { range, name_range: range, ..reference }
            }
        })
        .collect()
}

/// Offers to insert `ARG name` after the last global ARG, or before the first instruction.
fn declare_globally(diagnostic: &mut Diagnostic, dockerfile: &Dockerfile, text: &str, name: &str) {
    let title = format!("Declare `ARG {name}` before the first FROM");
    match dockerfile.global_instructions().last() {
        Some(last) => {
            diagnostic.with_fix(title, TextRange::empty(last.range.end), format!("\nARG {name}"), false);
        }
        None => {
            if let Some(first) = dockerfile.instructions.first() {
                let at = line_start(text, first.range.start);
                diagnostic.with_fix(title, TextRange::empty(at), format!("ARG {name}\n"), false);
            }
        }
    }
}
