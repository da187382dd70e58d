//! CopyIgnoredFile: a COPY/ADD source from the build context that `.dockerignore` excludes.

use crate::build::CopySource;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;
use crate::workspace::join;

pub(super) static RULE: Rule = Rule {
    code: "CopyIgnoredFile",
    name: "copy-ignored-file",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a COPY or ADD source, taken from the build context, that the `.dockerignore` in effect
(`<Dockerfile>.dockerignore` next to the Dockerfile, else `.dockerignore` at the context root)
leaves out of the context. BuildKit runs the same check during the build.

## Why it matters
An excluded file is never sent to the builder, so the COPY cannot find it and the build stops
(`failed to compute cache key: \"/config.yaml\" not found`), or, for a directory, silently copies less
than it seems to. BuildKit words the warning as

```text
Attempting to Copy file \"config.yaml\" that is excluded by .dockerignore
```

Not reported: the whole context (`COPY . .`), globs, sources with build-time variables, sources
that do not exist in the workspace, and a directory when `.dockerignore` has `!` exceptions (they may
bring back part of it; a plain file is still checked exactly). The check needs the workspace around
the Dockerfile: without it (a lone file in the editor, stdin) it stays silent.

## Example
```text
# .dockerignore
*.yaml
```
```dockerfile
COPY config.yaml /etc/app/
```

## Fix
Remove or narrow the pattern in `.dockerignore`, add an exception (`!config.yaml`), or stop copying
the file.

## References
- BuildKit build checks: CopyIgnoredFile (https://docs.docker.com/reference/build-checks/copy-ignored-file/)
- `.dockerignore` files: https://docs.docker.com/build/concepts/context/#dockerignore-files
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let (Some(root), Some(ignore)) = (facts.context.root.as_deref(), facts.context.ignore.as_ref()) else { return };
    let build = context.build();
    for step in build.stages.iter().flat_map(|s| &s.copies).filter(|s| s.source == CopySource::Context) {
        let instruction = &context.dockerfile.instructions[step.instruction];
        let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) = &instruction.kind else { continue };
        let verb = if step.is_add { "Add" } else { "Copy" };
        for (index, (source, range)) in step.sources.iter().enumerate() {
            let Some(source) = source else { continue };
            let written = copy.sources.get(index).map_or(source.as_str(), |w| w.text.as_str());
            if source.is_empty() || source.contains(['*', '?', '[']) || written.starts_with("<<") {
                continue;
            }
            let Some(path) = join(root, source) else { continue };
            let is_file = facts.workspace.file_exists(&path);
            // A directory may be partly brought back by an exception: only a plain file is exact then.
            let is_dir = !is_file && facts.workspace.dir_exists(&path);
            let exact = is_file || (is_dir && !ignore.has_exceptions());
            if !exact {
                continue;
            }
            let Some(pattern) = ignore.deciding_pattern(source).filter(|p| !p.exception) else { continue };
            let diagnostic = sink
                .report(*range, format!("Attempting to {verb} file \"{written}\" that is excluded by .dockerignore"));
            if let Some(ignore_file) = &facts.context.ignore_file {
                diagnostic.with_related(
                    Some(ignore_file.clone()),
                    pattern.range,
                    format!("`{}` excludes {source}", pattern.pattern),
                );
            }
        }
    }
}
