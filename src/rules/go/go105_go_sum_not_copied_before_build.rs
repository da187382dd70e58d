//! GO105: go.mod is in the image but go.sum is not when a `go` command needs it.

use super::go113_no_go_mod_in_workdir::{Inputs, Presence, compiles, needs_module, workdir_of};
use crate::build::{Build, CopySource, EnvValue, GoRun, Stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextRange};
use crate::workspace::{join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO105",
    name: "go-sum-not-copied-before-build",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go` command that runs where go.mod has been copied into the image but the module's
go.sum, which exists in the project, has not (yet): typically `COPY go.mod ./` followed by
`RUN go mod download` or `RUN go build`.

## Why it matters
go.sum holds the expected hashes of every dependency. A build without it stops at the first
import of a requirement:

```text
missing go.sum entry for module providing package gopkg.in/yaml.v3 (imported by example.com/app); to add:
	go get example.com/app
```

`go mod download` without go.sum does not fail, but it checks the downloads against the public
checksum database instead of the hashes the project committed (and cannot for private modules), and
it leaves a go.sum with only the `go.mod` hashes, so a `go build` before the real go.sum arrives
still fails as above. The layer cached by `go mod download` is also keyed on go.mod alone.

Not reported: modules without requirements or without a go.sum in the project (then there is nothing
to copy), a go.sum that a `go mod tidy` or `go get` writes first, and what GO106 covers (a go.sum
that `.dockerignore` hides).

## Example
```dockerfile
WORKDIR /src
COPY go.mod ./
RUN go mod download
```

## Fix
Copy go.sum together with go.mod: `COPY go.mod go.sum ./`. The quick fix adds it to the COPY that
brings go.mod.

## References
- go.sum and authentication: https://go.dev/ref/mod#authenticating
- `go mod download`: https://go.dev/ref/mod#go-mod-download
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<usize> = Vec::new();
    for (stage, run) in build.go_runs() {
        if !needs_module(&run.command) || run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
            continue;
        }
        let compiling = compiles(&run.command);
        let downloading = run.command.subcommand == GoSubcommand::Mod("download".to_string());
        if !compiling && !downloading {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        let (Presence::Context { path: go_mod_path, instruction: go_mod_copy }, dir) =
            inputs.find_upward(&workdir, "go.mod")
        else {
            continue;
        };
        if reported.contains(&go_mod_copy) {
            continue;
        }
        let module_dir = parent(&go_mod_path).unwrap_or_else(|| ".".to_string());
        let Some(module) = facts.workspace.module_at(&module_dir) else { continue };
        let Some(go_mod) = module.go_mod.loaded() else { continue };
        if !module.has_go_sum || go_mod.requires.is_empty() {
            continue;
        }
        if inputs.file(&format!("{}/go.sum", dir.trim_end_matches('/'))) != Presence::Absent {
            continue;
        }
        if go_sum_may_be_written(build, stage, run) {
            continue;
        }
        reported.push(go_mod_copy);
        let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
        let message = if compiling {
            format!(
                "go.sum is not copied next to go.mod ({dir}) before this build: it fails with `missing go.sum \
                 entry for module providing package …`"
            )
        } else {
            format!(
                "go.sum is not copied next to go.mod ({dir}) before `go mod download`: the downloads are not \
                 checked against the project's go.sum, and the cached layer ignores it"
            )
        };
        // Report on the go.mod source that brought the module, where go.sum belongs too.
        let go_mod_source = facts.context.relative(&go_mod_path);
        let steps =
            build.stages.iter().flat_map(|s| s.copies.iter().chain(s.go_runs.iter().flat_map(|r| &r.bind_mounts)));
        let source_word = steps
            .filter(|s| s.instruction == go_mod_copy && s.source == CopySource::Context)
            .flat_map(|s| &s.sources)
            .find(|(source, _)| source.is_some() && source.as_deref() == go_mod_source.as_deref());
        let range = source_word.map_or(command_range, |(_, range)| *range);
        let diagnostic = sink.report(range, message);
        if range != command_range {
            diagnostic.with_related(None, command_range, "the go command that needs go.sum");
        }
        let Some(go_sum_path) = join(&module_dir, "go.sum") else { continue };
        diagnostic.with_related(Some(go_sum_path), TextRange::new(0, 0), "the module's go.sum");
        // The fix: add go.sum after the go.mod word of a COPY into a directory.
        let (InstructionKind::Copy(copy) | InstructionKind::Add(copy)) =
            &context.dockerfile.instructions[go_mod_copy].kind
        else {
            continue;
        };
        let Some(word) = copy.sources.iter().find(|w| w.range == range) else { continue };
        let destination = copy.destination.as_ref().map_or("", |d| d.text.as_str());
        let into_directory = destination.ends_with('/') || destination == "." || copy.sources.len() > 1;
        let Some(stem) = word.text.strip_suffix("go.mod") else { continue };
        if into_directory && !word.text.contains(['"', '\'', '$']) {
            diagnostic.with_fix(
                format!("Copy `{stem}go.sum` with go.mod"),
                TextRange::new(word.range.end, word.range.end),
                format!(" {stem}go.sum"),
                true,
            );
        }
    }
}

/// Whether go.sum may be written before or by `run`: a `go mod tidy` or `go get` earlier in the
/// stage (or the stages it is built on), `-mod=mod`, or a `GOFLAGS` only the build knows.
pub(super) fn go_sum_may_be_written(build: &Build, stage: &Stage, run: &GoRun) -> bool {
    let tidied = build.go_runs().any(|(other_stage, other)| {
        other.command.range.start < run.command.range.start
            && build.is_based_on(stage.index, other_stage.index)
            && (other.command.subcommand == GoSubcommand::Get
                || matches!(&other.command.subcommand, GoSubcommand::Mod(verb) if verb == "tidy"))
    });
    let mod_mod = run.command.flag("mod").and_then(|f| f.value.as_ref()).is_some_and(|v| v.value == "mod");
    let goflags = match run.env("GOFLAGS") {
        EnvValue::Known(flags) => flags.contains("-mod=mod"),
        EnvValue::Unknown => true,
        EnvValue::Unset => false,
    };
    tidied || mod_mod || goflags
}
