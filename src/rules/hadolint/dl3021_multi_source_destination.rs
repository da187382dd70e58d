//! DL3021: COPY or ADD with several sources to a destination that does not end in `/`.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, TextRange};

pub(super) static RULE: Rule = Rule {
    code: "DL3021",
    name: "multi-source-destination-without-slash",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports COPY and ADD with more than one source (heredocs count) whose destination does not end
in `/`. A destination written with a build variable is left alone, since its value may end in `/`.

## Why it matters
With several sources the destination must be a directory, and BuildKit insists that it is
written as one: the build fails with \"When using COPY with more than one source file, the
destination must be a directory and end with a /\". A single wildcard source that matches
several files fails the same way, but which files match is only known at build time.

gantry checks ADD as well as COPY (hadolint checks only COPY): BuildKit applies the same rule to both.
Unlike hadolint, gantry accepts `.` and `..` (and paths ending in `/.`) as the destination: they
always name a directory, BuildKit builds `COPY go.mod go.sum .` without complaint, and real projects
rely on it.

## Example
```dockerfile
COPY go.mod go.sum /src
```

## Fix
End the destination with `/`: `COPY go.mod go.sum /src/`. The quick fix does this and is safe:
it turns a failing build into the one intended.

## References
- hadolint rule DL3021 (https://github.com/hadolint/hadolint/wiki/DL3021)
- Dockerfile reference: COPY (https://docs.docker.com/reference/dockerfile/#copy)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let copy = match &instruction.kind {
            InstructionKind::Copy(copy) | InstructionKind::Add(copy) => copy,
            _ => continue,
        };
        let Some(destination) = &copy.destination else { continue };
        let source_count = copy.sources.len().max(instruction.heredocs.len());
        let value = &destination.value;
        if source_count < 2
            || value.ends_with('/')
            || names_a_directory(value)
            || value.contains('$')
            || value.starts_with("<<")
        {
            continue;
        }
        let keyword = instruction.keyword_text.to_uppercase();
        let diagnostic = sink.report(
            destination.range,
            format!("{keyword} with {source_count} sources needs a directory destination ending in `/`"),
        );
        // Insert the slash inside the closing quote of a quoted or JSON-form destination.
        let closing_quote = destination.text.ends_with(['"', '\'']) && destination.text.len() > 1;
        let at = destination.range.end - usize::from(closing_quote);
        let single_line = destination.range.len() == destination.text.len();
        if single_line {
            diagnostic.with_fix(format!("Write `{value}/`"), TextRange::empty(at), "/", true);
        }
    }
}

/// `.`, `..`, `dir/.` and `dir/..` always name a directory, with or without a trailing `/`.
fn names_a_directory(path: &str) -> bool {
    path == "." || path == ".." || path.ends_with("/.") || path.ends_with("/..")
}
