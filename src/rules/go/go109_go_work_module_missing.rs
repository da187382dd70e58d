//! GO109: go.work is in the image and in effect, but a module it `use`s is not (yet).

use super::go108_replace_target_copied_too_late::copy_before_run;
use super::go113_no_go_mod_in_workdir::{Inputs, Presence, needs_module, workdir_of};
use crate::build::{EnvValue, GoRun, Stage, resolve_path};
use crate::images::GoVersion;
use crate::rules::{Context, GoFacts, Rule, Severity, Sink};
use crate::syntax::TextRange;
use crate::workspace::{join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO109",
    name: "go-work-module-missing",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go` command that runs in workspace mode (a go.work from the build context is in its
directory or a parent, and `GOWORK` is not `off`) while one of the modules go.work `use`s has not
been copied to where go.work points.

## Why it matters
In workspace mode the go command loads every module go.work lists. A multi-module repository
whose Dockerfile copies go.work and the main module's go.mod before `go mod download`, but not the
others, fails with

```text
go: cannot load module pkg/apimachinery listed in go.work file: open pkg/apimachinery/go.mod: no such file or directory
```

Not reported: go.work kept out of the context by `.dockerignore` (a common and valid choice: the
module is then built on its own), `GOWORK=off` or a `GOWORK` only the build knows, golang images
older than Go 1.18 (no workspaces), `use` directories without a go.mod in the project, modules
that `.dockerignore` hides (GO106 reports those), and stages whose files gantry cannot follow. The
opposite mistake (go.work left out while the module needs a workspace module) needs the imports of
the sources and is not checked.

## Example
```dockerfile
# go.work: use ( . ./lib )
WORKDIR /src
COPY go.mod go.sum go.work ./
RUN go mod download
```

## Fix
Copy every `use` directory's go.mod and go.sum before the first go command
(`COPY lib/go.mod lib/go.sum ./lib/`), or set `GOWORK=off` (or leave go.work out of the context)
to build the module alone. The quick fix inserts the COPY; it is marked unsafe because it adds a layer.

## References
- Workspaces: https://go.dev/ref/mod#workspaces
- `GOWORK`: https://go.dev/ref/mod#environment-variables
";

/// The go.work a `go` command runs under: its workspace path, where it is in the image, and the
/// inputs the command sees. `None` when it runs outside workspace mode or that is not known.
pub(super) fn workspace_of<'a>(
    context: &'a Context<'_>,
    facts: &'a GoFacts,
    stage: &'a Stage,
    run: &'a GoRun,
) -> Option<(String, String, Inputs<'a>, String)> {
    match run.env("GOWORK") {
        EnvValue::Unset => {}
        EnvValue::Known(value) if value.trim().is_empty() || value.trim() == "auto" => {}
        _ => return None,
    }
    if run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
        return None;
    }
    let go = stage.golang.as_ref().and_then(|image| image.go_version);
    if go.is_some_and(|version| version < GoVersion::lang(1, 18)) {
        return None;
    }
    let workdir = workdir_of(context, run)?;
    let inputs = Inputs::of_run(context, facts, stage, run)?;
    let (Presence::Context { path, .. }, image_dir) = inputs.find_upward(&workdir, "go.work") else { return None };
    // go.work that .dockerignore keeps out is not in the image: workspace mode is off.
    facts.context.includes(&path).filter(|included| *included)?;
    Some((path, image_dir, inputs, workdir))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<(String, TextRange)> = Vec::new();
    for (stage, run) in build.go_runs() {
        if !needs_module(&run.command) {
            continue;
        }
        let Some((work_path, image_dir, inputs, workdir)) = workspace_of(context, facts, stage, run) else { continue };
        let work_dir = parent(&work_path).unwrap_or_else(|| ".".to_string());
        let Some(go_work) = facts.workspace.go_work(&work_dir).loaded().cloned() else { continue };
        for used in &go_work.uses {
            let key = (work_path.clone(), used.range);
            let written = used.path.value.trim_matches('"');
            if reported.contains(&key) || written.starts_with('/') {
                continue;
            }
            let Some(module_dir) = join(&work_dir, written) else { continue };
            let Some(module_go_mod) = join(&module_dir, "go.mod") else { continue };
            if !facts.workspace.file_exists(&module_go_mod) {
                continue;
            }
            let image_module = resolve_path(&image_dir, written);
            let image_go_mod = resolve_path(&image_module, "go.mod");
            if inputs.file(&image_go_mod) != Presence::Absent {
                continue;
            }
            reported.push(key);
            let shown = written.trim_start_matches("./");
            let shown = if shown.is_empty() { "." } else { shown };
            let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
            let diagnostic = sink.report(
                command_range,
                format!(
                    "go.work in {image_dir} uses {shown}, but {image_go_mod} is not in the image yet: this fails with \
                     `go: cannot load module {shown} listed in go.work file: open {shown}/go.mod: no such file or directory`"
                ),
            );
            diagnostic.with_related(Some(work_path.clone()), used.range, format!("go.work uses {shown}"));
            let Some(context_dir) = facts.context.relative(&module_dir) else { continue };
            let has_go_sum = join(&module_dir, "go.sum").is_some_and(|p| facts.workspace.file_exists(&p));
            if let Some((title, at, text)) =
                copy_before_run(context, run, &workdir, &context_dir, &image_module, has_go_sum)
            {
                diagnostic.with_fix(title, at, text, false);
            }
        }
    }
}
