//! InvalidDefinitionDescription: a comment right above FROM or ARG that does not describe it.

use super::support::line_start;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, Instruction, InstructionKind, TextRange};

pub(super) static RULE: Rule = Rule {
    code: "InvalidDefinitionDescription",
    name: "comment-not-a-description",
    default_severity: Severity::Warning,
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Off by default, as in BuildKit, where it is experimental. Reports the comment line directly above
a named stage's FROM or an ARG when its first word is not the stage's name or one of the ARG's
names. Only the last comment line of the block directly above counts; a blank line or an empty
`#` line ends the block. Suppression comments (`# check=…`, `# hadolint …`, `# gantry: …`,
`# dockerfile-utils: …`) are skipped, so they neither count as descriptions nor hide one.

## Why it matters
`docker buildx build --call=outline` and `--call=targets` present such comments as the
documentation of build arguments and targets, but only when they start with the name being
described. A comment that sits directly above for another reason is either lost from that
documentation or, once someone adds the name, shows a sentence that was never meant as one.

## Example
```dockerfile
# a non-descriptive comment
FROM scratch AS base

# another non-descriptive comment
ARG VERSION=1
```

## Fix
Start the comment with the name (`# base is the stage that …`, `# VERSION is the …`), or separate
it from the instruction with a blank line. The quick fix inserts the blank line; it is marked
unsafe because it changes what the outline shows.

## References
- BuildKit build checks: InvalidDefinitionDescription (https://docs.docker.com/reference/build-checks/invalid-definition-description/)
- Descriptions of build arguments and targets (https://docs.docker.com/reference/cli/docker/buildx/build/#descriptions)
";

/// Suppression comments (compared in lower case): not descriptions, and skipped over.
const PRAGMAS: [&str; 4] = ["check=", "hadolint ", "gantry:", "dockerfile-utils:"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for instruction in &dockerfile.instructions {
        let (what, names): (&str, Vec<String>) = match &instruction.kind {
            InstructionKind::From(from) => match &from.alias {
                // BuildKit stores stage names in lower case and compares with that.
                Some(alias) => ("stage", vec![alias.value.to_lowercase()]),
                None => continue,
            },
            InstructionKind::Arg(pairs) if !pairs.is_empty() => ("ARG", pairs.iter().map(|p| p.key.clone()).collect()),
            _ => continue,
        };
        let Some((range, first_word)) = description(dockerfile, instruction, context.text) else { continue };
        if names.contains(&first_word) {
            continue;
        }
        let example = if names.len() == 1 { names[0].as_str() } else { "<name>" };
        sink.report(
            range,
            format!(
                "a comment directly above this {} is read as its description and should start with its name: `# {example} <description>`",
                if what == "stage" { "stage" } else { "ARG" }
            ),
        )
        .with_fix(
            "Separate the comment with a blank line",
            TextRange::empty(line_start(context.text, instruction.range.start)),
            "\n",
            false,
        );
    }
}

/// The last comment line directly above `instruction` (pragmas skipped) and its first word.
fn description(dockerfile: &Dockerfile, instruction: &Instruction, text: &str) -> Option<(TextRange, String)> {
    let mut start = line_start(text, instruction.range.start);
    while start > 0 {
        let end = start - 1;
        let line_begin = line_start(text, end);
        let line = text.get(line_begin..end).unwrap_or("").trim_end_matches('\r');
        let body = line.trim().strip_prefix('#')?.trim();
        // A comment line has a `#`, so trimming leaves a non-empty, well-ordered range.
        let indent = line.len() - line.trim_start().len();
        let range = TextRange::new(line_begin + indent, line_begin + line.trim_end().len());
        let is_directive = dockerfile.directives.iter().any(|d| d.range.contains_range(range));
        if is_directive || body.is_empty() {
            return None;
        }
        if PRAGMAS.iter().any(|p| body.to_ascii_lowercase().starts_with(p)) {
            start = line_begin;
            continue;
        }
        let first_word = body.split(' ').next().unwrap_or_default().to_string();
        return Some((range, first_word));
    }
    None
}
