//! GO108: a `replace … => ./dir` target inside the context is not in the image yet when a `go`
//! command needs it.

use super::go113_no_go_mod_in_workdir::{ModuleInUse, Presence, compiles, modules_in_use};
use crate::build::{CopySource, GoRun, resolve_path};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::TextRange;
use crate::workspace::{is_within, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO108",
    name: "replace-target-copied-too-late",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go` command (typically the early `go mod download`) that runs before the directory of a
local `replace` inside the build context (`replace example.com/errors => ./errors`) has been
copied to where the replacement points: go.mod is there, the replacement's go.mod is not.

## Why it matters
The layer-caching pattern copies only go.mod and go.sum before `go mod download`. The go command
then reads the module graph, which includes the replacement directory, and stops:

```text
go: example.com/errors@v1.19.3 (replaced by ./errors/): reading errors/go.mod: open /src/errors/go.mod: no such file or directory
```

(at build time: `replacement directory ./errors does not exist`).

Not reported: replacements of modules the go.mod does not require, directories outside the context
(GO107), a module with a vendor/ directory, a replacement directory without a go.mod in the project,
and stages whose files gantry cannot follow.

## Example
```dockerfile
# go.mod: replace example.com/errors => ./errors
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
```

## Fix
Copy the replacement's go.mod (and go.sum) before the download, to the same relative place:
`COPY errors/go.mod errors/go.sum ./errors/`. The quick fix inserts that COPY before the RUN; it is
marked unsafe because it adds a layer.

## References
- `replace` directives: https://go.dev/ref/mod#go-mod-file-replace
- `go mod download`: https://go.dev/ref/mod#go-mod-download
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<(String, TextRange)> = Vec::new();
    for found in modules_in_use(context, facts, build) {
        let ModuleInUse { stage, run, workdir, inputs, go_mod_path, module_dir, module_image_dir, go_mod, root } =
            found;
        for (replace, target) in go_mod.directory_replaces() {
            let key = (go_mod_path.clone(), replace.range);
            if go_mod.require(&replace.from.value).is_none() || reported.contains(&key) || target.value.starts_with('/')
            {
                continue;
            }
            let Some(target_dir) = join(&module_dir, &target.value) else { continue };
            if !is_within(&target_dir, root) {
                continue;
            }
            let Some(target_go_mod) = join(&target_dir, "go.mod") else { continue };
            if !facts.workspace.file_exists(&target_go_mod) {
                continue;
            }
            let image_target = resolve_path(&module_image_dir, &target.value);
            let image_go_mod = resolve_path(&image_target, "go.mod");
            if inputs.file(&image_go_mod) != Presence::Absent {
                continue;
            }
            reported.push(key);
            let (from, to) = (&replace.from.value, &target.value);
            let required = go_mod.require(&replace.from.value).map(|r| r.version.value.as_str());
            let version = replace.from_version.as_ref().map(|v| v.value.as_str()).or(required).unwrap_or("v0.0.0");
            let failure = if compiles(&run.command) {
                format!("{from}@{version}: replacement directory {to} does not exist")
            } else {
                format!(
                    "go: {from}@{version} (replaced by {to}): reading {to}/go.mod: open {image_go_mod}: no such file or directory"
                )
            };
            let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
            let diagnostic = sink.report(
                command_range,
                format!("{image_go_mod} is not in the image yet (go.mod replaces {from} with {to}): this fails with `{failure}`"),
            );
            diagnostic.with_related(Some(go_mod_path.clone()), replace.range, format!("{from} is replaced by {to}"));
            // A later COPY that brings it shows the order is the problem.
            let Some(context_go_mod) = facts.context.relative(&target_go_mod) else { continue };
            for step in inputs.steps().iter().filter(|s| s.source == CopySource::Context) {
                if let Some(elsewhere) = step.destination_of(&context_go_mod).filter(|d| *d != image_go_mod) {
                    let range = context.dockerfile.instructions[step.instruction].range;
                    diagnostic.with_related(None, range, format!("{context_go_mod} is copied to {elsewhere} instead"));
                }
            }
            let later = build
                .copies_before(stage.index, usize::MAX)
                .into_iter()
                .filter(|s| s.instruction > run.instruction && s.source == CopySource::Context);
            for step in later {
                if step.destination_of(&context_go_mod).as_deref() == Some(image_go_mod.as_str()) {
                    let range = context.dockerfile.instructions[step.instruction].range;
                    diagnostic.with_related(None, range, format!("{context_go_mod} is copied only here"));
                    break;
                }
            }
            // The fix: copy the replacement's module files before the RUN.
            let Some(context_dir) = context_go_mod.strip_suffix("/go.mod") else { continue };
            let has_go_sum = join(&target_dir, "go.sum").is_some_and(|p| facts.workspace.file_exists(&p));
            if let Some((title, at, text)) =
                copy_before_run(context, run, &workdir, context_dir, &image_target, has_go_sum)
            {
                diagnostic.with_fix(title, at, text, false);
            }
        }
    }
}

/// A fix that inserts, before the RUN of `run`, a COPY of the module in `context_dir` (relative to
/// the context) to `image_dir`: its go.mod (and go.sum) for a download, the whole directory for a
/// build. `None` when the directory's name would need quoting.
pub(super) fn copy_before_run(
    context: &Context<'_>,
    run: &GoRun,
    workdir: &str,
    context_dir: &str,
    image_dir: &str,
    has_go_sum: bool,
) -> Option<(String, TextRange, String)> {
    if context_dir.is_empty() || context_dir == "." || context_dir.contains(char::is_whitespace) {
        return None;
    }
    let destination = match image_dir.strip_prefix(&format!("{}/", workdir.trim_end_matches('/'))) {
        Some(rest) if !rest.is_empty() => format!("./{rest}/"),
        _ => format!("{}/", image_dir.trim_end_matches('/')),
    };
    // A build needs the package files too; a download only the module files.
    let sources = if compiles(&run.command) {
        context_dir.to_string()
    } else if has_go_sum {
        format!("{context_dir}/go.mod {context_dir}/go.sum")
    } else {
        format!("{context_dir}/go.mod")
    };
    let at = line_start(context.text, context.dockerfile.instructions[run.instruction].range.start);
    Some((format!("Copy {sources} before this RUN"), TextRange::new(at, at), format!("COPY {sources} {destination}\n")))
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1)
}
