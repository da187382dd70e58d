//! GO104: a COPY names go.sum (or go.work.sum), and the build context has none (or hides it).

use super::go113_no_go_mod_in_workdir::known_root;
use crate::build::CopySource;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, TextRange};
use crate::workspace::{join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO104",
    name: "go-sum-copied-but-missing",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a COPY or ADD that names `go.sum` (or `go.work.sum`) literally when the build context has
no such file next to the go.mod it belongs with, or when `.dockerignore` leaves it out.

## Why it matters
A literal COPY source that does not exist stops the build:

```text
failed to compute cache key: \"/go.sum\" not found: not found
```

(Buildah and Podman: `copier: stat: \"/go.sum\": no such file or directory`). A module without
requirements legitimately has no go.sum, and templates that always write `COPY go.mod go.sum ./`
(the one `docker init` generates, for instance) fail on it. go.work.sum is often not committed at all.

Not reported: globs (`go.sum*`, `go.*`), sources with build-time variables, and a missing go.sum
where the context has no go.mod next to it either (then the build context is probably not the one
gantry assumes). The generic check for any ignored source is CopyIgnoredFile.

## Example
```dockerfile
# the module has no requirements, so no go.sum
COPY go.mod go.sum ./
```

## Fix
Write `go.sum*`: the glob matches go.sum when it exists and nothing otherwise, so the COPY works
either way (`COPY go.mod go.sum* ./`). The quick fix does that when the COPY has another source, so
it never becomes empty. Or run `go mod tidy` and commit the go.sum it writes. When `.dockerignore`
excludes the file, remove that pattern or add `!go.sum`.

## References
- BuildKit's COPY and missing sources: https://docs.docker.com/reference/dockerfile/#copy
- go.sum: https://go.dev/ref/mod#go-sum-files
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(root) = known_root(facts) else { return };
    let build = context.build();
    for step in build.stages.iter().flat_map(|s| &s.copies).filter(|s| s.source == CopySource::Context) {
        let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) =
            &context.dockerfile.instructions[step.instruction].kind
        else {
            continue;
        };
        for (index, (source, range)) in step.sources.iter().enumerate() {
            let Some(source) = source else { continue };
            let name = source.rsplit('/').next().unwrap_or(source);
            if !matches!(name, "go.sum" | "go.work.sum") || source.contains(['*', '?', '[']) {
                continue;
            }
            let Some(path) = join(root, source) else { continue };
            let error = format!("failed to compute cache key: \"/{source}\" not found: not found");
            if facts.workspace.file_exists(&path) {
                let Some(ignore) = &facts.context.ignore else { continue };
                let Some(inside) = facts.context.relative(&path) else { continue };
                let Some(pattern) = ignore.deciding_pattern(&inside).filter(|p| !p.exception) else { continue };
                let diagnostic = sink.report(
                    *range,
                    format!(
                        "`.dockerignore` leaves {source} out of the build context, so this COPY fails with `{error}`"
                    ),
                );
                if let Some(ignore_file) = &facts.context.ignore_file {
                    diagnostic.with_related(
                        Some(ignore_file.clone()),
                        pattern.range,
                        format!("`{}` excludes {source}", pattern.pattern),
                    );
                }
                continue;
            }
            // A go.sum belongs next to a go.mod (a go.work.sum next to a go.work): without that
            // one either, the context is probably not what gantry assumes.
            let companion = if name == "go.sum" { "go.mod" } else { "go.work" };
            let directory = parent(&path).unwrap_or_else(|| ".".to_string());
            let Some(companion_path) = join(&directory, companion) else { continue };
            if !facts.workspace.file_exists(&companion_path) {
                continue;
            }
            let why = if name == "go.sum" {
                let no_requirements =
                    facts.workspace.go_mod(&directory).loaded().is_some_and(|m| m.requires.is_empty());
                if no_requirements {
                    "the module has no requirements, so it has no go.sum"
                } else {
                    "there is no go.sum next to go.mod"
                }
            } else {
                "there is no go.work.sum next to go.work"
            };
            let diagnostic = sink.report(
                *range,
                format!("{source} is not in the build context ({why}): this COPY fails with `{error}`"),
            );
            // `go.sum*` is safe when another source keeps the COPY from being empty.
            let word = copy.sources.get(index).map(|w| w.text.as_str()).unwrap_or("");
            let other_source = step.sources.iter().enumerate().any(|(i, (s, _))| {
                i != index && s.as_deref().and_then(|s| join(root, s)).is_some_and(|p| facts.workspace.file_exists(&p))
            });
            if word.ends_with(name) && other_source {
                diagnostic.with_fix(
                    format!("Copy `{word}*` (matches nothing when the file is absent)"),
                    TextRange::new(range.end, range.end),
                    "*",
                    true,
                );
            }
        }
    }
}
