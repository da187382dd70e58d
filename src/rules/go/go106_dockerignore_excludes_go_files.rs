//! GO106: `.dockerignore` drops a file the Go build needs from what a COPY brings.

use super::go105_go_sum_not_copied_before_build::go_sum_may_be_written;
use super::go109_go_work_module_missing::workspace_of;
use super::go113_no_go_mod_in_workdir::{Inputs, Presence, compiles, needs_module, workdir_of};
use crate::build::{CopyStep, GoRun, resolve_path};
use crate::rules::{Context, GoFacts, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange};
use crate::workspace::{join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO106",
    name: "dockerignore-excludes-go-files",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a COPY (or bind mount) of a directory, typically `COPY . .`, that would bring a file a
`go` command needs, when `.dockerignore` leaves that file out of the build context: the module's
go.mod, its go.sum (when it has requirements), the go.mod of a module go.work uses, or every Go
file of a package `go build` names.

## Why it matters
The files exist on disk, so the mistake is hard to see: the build fails as if they did not exist.
Typical results are

```text
go: go.mod file not found in current directory or any parent directory; see 'go help modules'
missing go.sum entry for module providing package example.com/dep (imported by example.com/app)
go: cannot load module lib listed in go.work file: open lib/go.mod: no such file or directory
```

A common cause is an allow-list `.dockerignore` (`*` followed by `!` exceptions) that forgets a
sub-module's files, or a pattern such as `*.sum` or `**/*.mod`.

Not reported: a COPY that names the ignored file itself (`COPY go.sum ./` fails outright: GO104 and
CopyIgnoredFile report that), go.work and vendor/ (leaving them out is a valid way to build without
workspace mode or vendoring), a go.sum that `go mod tidy` or `-mod=mod` writes, and stages whose files
gantry cannot follow.

## Example
```text
# .dockerignore
*.sum
```
```dockerfile
COPY . .
RUN go build -o /out/app .
```

## Fix
Remove the pattern, or add exceptions for the Go module files: `!**/go.mod`, `!**/go.sum`.

## References
- `.dockerignore`: https://docs.docker.com/build/concepts/context/#dockerignore-files
- go.sum: https://go.dev/ref/mod#go-sum-files
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    if facts.context.ignore.is_none() {
        return;
    }
    let build = context.build();
    let mut reported: Vec<String> = Vec::new();
    for (stage, run) in build.go_runs() {
        if !needs_module(&run.command) || run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        let mut report = |path: &str, instruction: usize, what: String, failure: &str| {
            if reported.iter().any(|r| r == path) || facts.context.includes(path) != Some(false) {
                return;
            }
            let Some(inside) = facts.context.relative(path) else { return };
            let Some(step) = inputs.steps().iter().find(|s| s.instruction == instruction) else { return };
            // A COPY naming the file itself fails outright; GO104 and CopyIgnoredFile report it.
            let named =
                inputs.steps().iter().flat_map(|s| &s.sources).any(|(s, _)| s.as_deref() == Some(inside.as_str()));
            let Some(range) = covering_source(step, &inside).filter(|_| !named) else { return };
            reported.push(path.to_string());
            let diagnostic = sink.report(
                range,
                format!(
                    "`.dockerignore` leaves {what} out, so this does not bring it: `{}` fails with `{failure}`",
                    command(context.text, run)
                ),
            );
            if let (Some(ignore), Some(ignore_file)) = (&facts.context.ignore, &facts.context.ignore_file)
                && let Some(pattern) = ignore.deciding_pattern(&inside)
            {
                diagnostic.with_related(
                    Some(ignore_file.clone()),
                    pattern.range,
                    format!("`{}` excludes {inside}", pattern.pattern),
                );
            }
            diagnostic.with_related(
                None,
                TextRange::new(run.command.range.start, run.command.subcommand_range.end),
                "the go command",
            );
        };
        let (go_mod, dir) = inputs.find_upward(&workdir, "go.mod");
        let Presence::Context { path: go_mod_path, instruction } = go_mod else { continue };
        report(
            &go_mod_path,
            instruction,
            display(facts, &go_mod_path),
            "go: go.mod file not found in current directory or any parent directory",
        );
        let module_dir = parent(&go_mod_path).unwrap_or_else(|| ".".to_string());
        let requirements = facts.workspace.go_mod(&module_dir).loaded().is_some_and(|m| !m.requires.is_empty());
        if requirements
            && (compiles(&run.command) || matches!(&run.command.subcommand, GoSubcommand::Mod(v) if v == "download"))
            && !go_sum_may_be_written(build, stage, run)
            && let Presence::Context { path, instruction } = inputs.file(&resolve_path(&dir, "go.sum"))
        {
            report(&path, instruction, display(facts, &path), "missing go.sum entry for module providing package …");
        }
        // The modules go.work uses, when go.work itself is in the image.
        if let Some((work_path, image_work_dir, _, _)) = workspace_of(context, facts, stage, run) {
            let work_dir = parent(&work_path).unwrap_or_else(|| ".".to_string());
            if let Some(go_work) = facts.workspace.go_work(&work_dir).loaded() {
                for used in &go_work.uses {
                    let written = used.path.value.trim_matches('"');
                    let image_go_mod = resolve_path(&resolve_path(&image_work_dir, written), "go.mod");
                    if let Presence::Context { path, instruction } = inputs.file(&image_go_mod) {
                        let shown = written.trim_start_matches("./");
                        let failure = format!(
                            "go: cannot load module {shown} listed in go.work file: open {shown}/go.mod: no such file or directory"
                        );
                        report(&path, instruction, format!("{} (used by go.work)", display(facts, &path)), &failure);
                    }
                }
            }
        }
        // The packages a build names: all of a package's Go files left out means no package.
        if !compiles(&run.command) {
            continue;
        }
        for package in &run.command.packages {
            let value = &package.value;
            if package.dynamic
                || !(value == "." || value.starts_with("./") || value.starts_with("../"))
                || value.contains("...")
            {
                continue;
            }
            let image_dir = resolve_path(&workdir, value);
            let Presence::Context { path: package_dir, instruction } = inputs.dir(&image_dir) else { continue };
            let Some(files) = facts.workspace.package(&package_dir) else { continue };
            if files.files.is_empty() || !files.is_complete() {
                continue;
            }
            let paths: Vec<String> = files.files.iter().filter_map(|f| join(&package_dir, &f.name)).collect();
            if paths.iter().all(|p| facts.context.includes(p) == Some(false))
                && let Some(first) = paths.first()
            {
                let what = format!("every Go file of {value}");
                report_package(
                    context.text,
                    &mut reported,
                    sink,
                    facts,
                    &inputs,
                    run,
                    first,
                    instruction,
                    what,
                    &image_dir,
                );
            }
        }
    }
}

/// Reports a package whose Go files are all ignored (a separate path: the directory itself may be kept).
#[allow(clippy::too_many_arguments)]
fn report_package(
    text: &str,
    reported: &mut Vec<String>,
    sink: &mut Sink,
    facts: &GoFacts,
    inputs: &Inputs<'_>,
    run: &GoRun,
    first_file: &str,
    instruction: usize,
    what: String,
    image_dir: &str,
) {
    if reported.iter().any(|r| r == first_file) {
        return;
    }
    let Some(inside) = facts.context.relative(first_file) else { return };
    let Some(step) = inputs.steps().iter().find(|s| s.instruction == instruction) else { return };
    let Some(range) = covering_source(step, &inside) else { return };
    reported.push(first_file.to_string());
    let diagnostic = sink.report(
        range,
        format!(
            "`.dockerignore` leaves {what} out, so this does not bring them: `{}` finds no package in {image_dir}",
            command(text, run)
        ),
    );
    if let (Some(ignore), Some(ignore_file)) = (&facts.context.ignore, &facts.context.ignore_file)
        && let Some(pattern) = ignore.deciding_pattern(&inside)
    {
        diagnostic.with_related(
            Some(ignore_file.clone()),
            pattern.range,
            format!("`{}` excludes {inside}", pattern.pattern),
        );
    }
}

/// The source word of `step` whose directory (or whole-context) copy covers `inside` (relative to
/// the context); `None` when a source names the file itself.
fn covering_source(step: &CopyStep, inside: &str) -> Option<TextRange> {
    let mut covering = None;
    for (source, range) in &step.sources {
        let Some(source) = source else { continue };
        if source == inside {
            return None;
        }
        let below = source.is_empty() || inside.strip_prefix(source.as_str()).is_some_and(|rest| rest.starts_with('/'));
        if below && covering.is_none() {
            covering = Some(*range);
        }
    }
    covering
}

/// `go build`, `go mod download`: the command as written up to its subcommand.
fn command(text: &str, run: &GoRun) -> String {
    format!("go {}", text.get(run.command.subcommand_range.as_range()).unwrap_or(""))
}

/// A workspace path as the message shows it: relative to the build context.
fn display(facts: &GoFacts, path: &str) -> String {
    facts.context.relative(path).unwrap_or_else(|| path.to_string())
}
