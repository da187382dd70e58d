//! GO114: `GO111MODULE=off` while the go command works on a module (GOPATH mode with a go.mod).

use super::go113_no_go_mod_in_workdir::{Inputs, Presence, needs_module, workdir_of};
use crate::build::{Build, EnvValue, GoRun, Stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase, TextRange};
use crate::workspace::parent;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO114",
    name: "gopath-mode-with-modules",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `GO111MODULE=off` (from `ENV`, `ARG` or the command line) when a `go` command it applies
to works on a module: a go.mod from the build context is in its working directory or a parent.

## Why it matters
`GO111MODULE=off` puts the go command in the old GOPATH mode: go.mod and go.sum are ignored, and
every import must be found under `$GOROOT/src` or `$GOPATH/src`. A module's requirements are not
there, so the build stops with

```text
cannot find package \"example.com/dep\" in any of:
	/usr/local/go/src/example.com/dep (from $GOROOT)
	/go/src/example.com/dep (from $GOPATH)
```

or, where it happens to work, builds something other than what go.mod describes.

Not reported: `GO111MODULE=on` (redundant since Go 1.16, but harmless) and `auto`; a stage that
builds sources without a go.mod (GOPATH-era code fetched with `git clone` or `ADD`, as some
projects do on purpose); modules without requirements or with a vendor/ directory (GOPATH mode
can still build those); values only the build knows.

## Example
```dockerfile
FROM golang:1.23
ENV GO111MODULE=off
WORKDIR /src
COPY . .
RUN go build -o /out/app .
```

## Fix
Remove the setting. The quick fix deletes an `ENV`/`ARG` line that sets only `GO111MODULE`, or the
`GO111MODULE=off` prefix of the command; it is marked unsafe because the build then resolves
modules (and may download them).

## References
- `GO111MODULE` and module-aware mode: https://go.dev/ref/mod#mod-commands
- `go help gopath`, `go help environment`
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<TextRange> = Vec::new();
    for (stage, run) in build.go_runs() {
        if run.env("GO111MODULE").known().map(str::trim) != Some("off") || !needs_module(&run.command) {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        let (Presence::Context { path, .. }, dir) = inputs.find_upward(&workdir, "go.mod") else { continue };
        let module_dir = parent(&path).unwrap_or_else(|| ".".to_string());
        let Some(module) = facts.workspace.module_at(&module_dir) else { continue };
        let Some(go_mod) = module.go_mod.loaded() else { continue };
        if module.has_vendor_dir || go_mod.requires.is_empty() {
            continue;
        }
        let setting = setting_of(context, build, stage, run);
        let range = setting.as_ref().map_or(run.command.range, |s| s.range);
        if reported.contains(&range) {
            continue;
        }
        reported.push(range);
        let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
        let diagnostic = sink.report(
            range,
            format!(
                "GO111MODULE=off turns modules off, but this go command builds the module in {dir}: go.mod \
                 is ignored and imports of its requirements fail with `cannot find package`"
            ),
        );
        if setting.as_ref().is_some_and(|s| s.range != run.command.range) {
            diagnostic.with_related(None, command_range, "this go command runs in GOPATH mode");
        }
        let module_range = go_mod.module.as_ref().map_or(TextRange::new(0, 0), |m| m.range);
        diagnostic.with_related(Some(path), module_range, "the module it builds");
        if let Some(Setting { removal: Some(removal), .. }) = setting {
            diagnostic.with_fix("Remove `GO111MODULE=off`", removal, "", false);
        }
    }
}

/// Where `GO111MODULE` gets its value for `run`, and what to delete to remove it.
struct Setting {
    range: TextRange,
    removal: Option<TextRange>,
}

fn setting_of(context: &Context<'_>, build: &Build, stage: &Stage, run: &GoRun) -> Option<Setting> {
    // On the command line: `GO111MODULE=off go build`.
    if run.command.env_value("GO111MODULE").is_some() {
        let script = context.shell(run.instruction)?;
        let command = script.commands.iter().find(|c| c.range == run.command.range)?;
        let Some(assignment) = command.assignment("GO111MODULE") else {
            // `env GO111MODULE=off go build`: point at the command.
            return Some(Setting { range: run.command.range, removal: None });
        };
        let after = context.text.get(assignment.range.end..).unwrap_or("");
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        let removal = TextRange::new(assignment.range.start, assignment.range.end + spaces);
        return Some(Setting { range: assignment.range, removal: Some(removal) });
    }
    // The last ENV or ARG before the RUN, in the stage or the stages it is built on.
    let mut current = Some(stage.index);
    let mut hops = 0;
    while let Some(at) = current.filter(|_| hops <= build.stages.len()) {
        hops += 1;
        let syntax_stage = context.dockerfile.stages.get(at)?;
        for index in syntax_stage.instructions.clone().rev().filter(|i| *i < run.instruction) {
            let instruction = &context.dockerfile.instructions[index];
            let (InstructionKind::Env(pairs) | InstructionKind::Arg(pairs)) = &instruction.kind else { continue };
            let Some(pair) = pairs.iter().rev().find(|p| p.key == "GO111MODULE") else { continue };
            let removal = (pairs.len() == 1).then(|| whole_lines(context.text, instruction.range));
            return Some(Setting { range: pair.range, removal });
        }
        current = match build.stages.get(at).map(|s| &s.base) {
            Some(StageBase::Stage(parent)) if *parent < at => Some(*parent),
            _ => None,
        };
    }
    // Set before the first stage (a global ARG is not inherited unless redeclared): say nothing precise.
    (*run.env("GO111MODULE") != EnvValue::Unset).then_some(Setting { range: run.command.range, removal: None })
}

/// `range` widened to whole lines, with the line break after the last one.
fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let start = text.get(..range.start).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1);
    let end = text.get(range.end..).and_then(|after| after.find('\n')).map_or(text.len(), |i| range.end + i + 1);
    TextRange::new(start, end.max(start))
}
