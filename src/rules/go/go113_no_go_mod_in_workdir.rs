//! GO113: a `go` command runs where no go.mod can be found (WORKDIR and COPY destinations disagree).
//!
//! This file also holds what the module-file rules (GO105, GO107–GO114) share: [`Inputs`], which
//! answers "is this file of the context in the image when this `go` command runs?", and the
//! readings of a `go` command they agree on ([`needs_module`], [`workdir_of`]).

use crate::build::{Build, CopySource, CopyStep, EnvValue, GoRun, Stage, resolve_path};
use crate::rules::{Context, GoFacts, Rule, Severity, Sink};
use crate::syntax::{Command, GoCommand, GoSubcommand, InstructionKind, StageBase, TextRange};
use crate::workspace::join;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO113",
    name: "no-go-mod-in-workdir",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows WORKDIR and the COPY/ADD destinations (and `RUN --mount=type=bind`) through each stage and
reports a `go` command that needs a module but runs in a directory where neither it nor any parent
holds a go.mod. It also reports a go.mod copied straight into `$GOPATH` (`/go`, the golang image's
default WORKDIR), which the go command refuses.

## Why it matters
The go command looks for go.mod in its working directory and upwards. When the project was copied
somewhere else, or WORKDIR was changed after the copy, the build stops with

```text
go: go.mod file not found in current directory or any parent directory; see 'go help modules'
```

(`go: no modules specified (see 'go help mod download')` for `go mod download`). Copying the project
into the golang image's default working directory `/go` fails too:

```text
$GOPATH/go.mod exists but should not
```

Not reported: commands that need no module (`go install pkg@version`, `go run file.go`, `go env`,
`go version`), commands after a `cd` or with `-C`, `-modfile`, a go.work in effect,
`GO111MODULE=off` or `auto` (GO114 looks at those), `GOFLAGS` or `GOWORK` only the build knows, and
stages whose files may come from somewhere gantry cannot see (`COPY --from` a stage, `ADD` of a git
repository or an archive, `git clone`, `curl`, `cp` and other commands that write files). A go.mod
that `.dockerignore` keeps out of the context is GO106's finding.

## Example
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . /app/
RUN go build -o /out/app .
```

## Fix
Copy the module where the go command runs (`COPY . .` after `WORKDIR /src`), or run it where the
module is (`WORKDIR /app`). Do not use `/go` itself as the project directory.

## References
- Modules and the main module: https://go.dev/ref/mod#modules-overview
- `$GOPATH/go.mod exists but should not`: https://github.com/docker-library/golang/issues/458
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    // No go.mod at or above the Dockerfile: the project (and so the real build context) is not
    // here, so whether one reaches the image is unknown.
    if facts.context.module.is_none() && facts.context.work.is_none() {
        return;
    }
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    // One finding per stage: later go commands of the stage fail for the same reason.
    let mut reported = Vec::new();
    for (stage, run) in build.go_runs() {
        if reported.contains(&stage.index) || !needs_module(&run.command) || !module_mode(run) {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        if !inputs.uses_context() {
            continue;
        }
        let range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
        let (go_mod, dir) = inputs.find_upward(&workdir, "go.mod");
        match go_mod {
            Presence::Context { instruction, .. } => {
                let gopath = run.env("GOPATH").known().map(|p| resolve_path("/", p));
                if gopath.as_deref() == Some(dir.as_str()) {
                    reported.push(stage.index);
                    let copy_range = context.dockerfile.instructions[instruction].range;
                    sink.report(
                        range,
                        format!(
                            "go.mod is in {dir}, which is $GOPATH: the go command refuses it with \
                             `$GOPATH/go.mod exists but should not`; use another WORKDIR for the project"
                        ),
                    )
                    .with_related(
                        None,
                        copy_range,
                        format!("go.mod is copied to {dir}/go.mod here"),
                    );
                }
            }
            Presence::Unknown => {}
            Presence::Absent => {
                if inputs.find_upward(&workdir, "go.work").0 != Presence::Absent {
                    continue;
                }
                reported.push(stage.index);
                let error = match &run.command.subcommand {
                    GoSubcommand::Mod(verb) if verb == "download" => {
                        "go: no modules specified (see 'go help mod download')"
                    }
                    _ => "go: go.mod file not found in current directory or any parent directory",
                };
                let diagnostic = sink.report(
                    range,
                    format!(
                        "no go.mod in {workdir} or any parent directory when this runs: the build fails with `{error}`"
                    ),
                );
                // Point at where the module's go.mod does land, if the Dockerfile copies it.
                let module_go_mod = facts
                    .context
                    .module
                    .as_ref()
                    .and_then(|m| join(&m.dir, "go.mod"))
                    .and_then(|path| facts.context.relative(&path));
                let Some(module_go_mod) = module_go_mod else { continue };
                let stage_copies = build.copies_before(stage.index, usize::MAX);
                for step in stage_copies.iter().filter(|s| s.source == CopySource::Context) {
                    let Some(landed) = step.destination_of(&module_go_mod) else { continue };
                    let when = if step.instruction < run.instruction { "" } else { " (only after this command)" };
                    let copy_range = context.dockerfile.instructions[step.instruction].range;
                    diagnostic.with_related(None, copy_range, format!("go.mod is copied to {landed}{when}"));
                }
            }
        }
    }
}

/// Whether the go command runs in module mode as far as the Dockerfile tells: `GO111MODULE` unset
/// or `on`, no `-modfile`, no `GOFLAGS` or `GOWORK` whose value only the build knows.
fn module_mode(run: &GoRun) -> bool {
    let module_env = matches!(run.env("GO111MODULE"), EnvValue::Unset)
        || run.env("GO111MODULE").known().is_some_and(|v| v.trim().is_empty() || v.trim() == "on");
    let goflags = match run.env("GOFLAGS") {
        EnvValue::Unset => true,
        EnvValue::Known(flags) => !flags.contains("-modfile"),
        EnvValue::Unknown => false,
    };
    let gowork = match run.env("GOWORK") {
        EnvValue::Unset => true,
        EnvValue::Known(value) => value.trim().is_empty() || value.trim() == "off",
        EnvValue::Unknown => false,
    };
    module_env && goflags && gowork && run.command.flag("modfile").is_none()
}

/// What is at a path of the image when a `go` command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Presence {
    /// Brought from the context: the file `path` (relative to the workspace folder), by the
    /// COPY/ADD (or the RUN, for a bind mount) at `instruction`.
    Context { path: String, instruction: usize },
    /// Nothing the Dockerfile does puts it there.
    Absent,
    /// Something might: a copy from a stage, a source only the build knows, a command that writes files.
    Unknown,
}

/// The files a `go` command can see: the copies of its stage (and the stages it is built on) made
/// before it, and the bind mounts of its RUN, read against the workspace.
///
/// Conventions the rules share: a file counts as brought when a step copies it and it exists in
/// the workspace, whether or not `.dockerignore` keeps it out (GO106 reports that); files of other
/// images (`COPY --from=alpine`, or a stage that is only a `FROM`) are assumed not to be project files.
pub(super) struct Inputs<'a> {
    facts: &'a GoFacts,
    root: &'a str,
    build: &'a Build,
    dockerfile: &'a crate::syntax::Dockerfile,
    steps: Vec<&'a CopyStep>,
    /// A command before this point may have written files that no COPY shows.
    writers: bool,
    stage_uses_context: bool,
}

impl<'a> Inputs<'a> {
    /// What the go command `run` of `stage` sees; `None` when the context is not known well enough
    /// (no root, an unreadable ignore file, or a guessed context the Dockerfile's sources contradict).
    pub(super) fn of_run(
        context: &'a Context<'_>,
        facts: &'a GoFacts,
        stage: &'a Stage,
        run: &'a GoRun,
    ) -> Option<Inputs<'a>> {
        let root = known_root(facts)?;
        let build = context.build();
        let mut steps = build.copies_before(stage.index, run.instruction);
        steps.extend(run.bind_mounts.iter());
        if !context_is_plausible(facts, root, &steps, |_| false) {
            return None;
        }
        let writers = writes_files_before(context, build, stage, run.instruction, run.command.range.start);
        let stage_uses_context = steps.iter().any(|s| s.source == CopySource::Context)
            || build.copies_before(stage.index, usize::MAX).iter().any(|s| s.source == CopySource::Context);
        Some(Inputs { facts, root, build, dockerfile: context.dockerfile, steps, writers, stage_uses_context })
    }

    /// Whether the stage takes files from the build context at some point, before the command or
    /// after it: it works on the project.
    pub(super) fn uses_context(&self) -> bool {
        self.stage_uses_context
    }

    /// The steps, oldest first.
    pub(super) fn steps(&self) -> &[&'a CopyStep] {
        &self.steps
    }

    /// What is at `image_path` (absolute), read as a file.
    pub(super) fn file(&self, image_path: &str) -> Presence {
        self.lookup(image_path, |path| self.facts.workspace.file_exists(path))
    }

    /// What is at `image_path` (absolute), read as a directory.
    pub(super) fn dir(&self, image_path: &str) -> Presence {
        self.lookup(image_path, |path| self.facts.workspace.dir_exists(path))
    }

    fn lookup(&self, image_path: &str, exists: impl Fn(&str) -> bool) -> Presence {
        let mut unknown = self.writers;
        for step in self.steps.iter().rev() {
            match &step.source {
                CopySource::Context => {
                    let archive = step.is_add && step.sources.iter().any(|(s, _)| s.as_deref().is_some_and(is_archive));
                    match step.sources_for(image_path) {
                        None => unknown = true,
                        Some(_) if archive && is_within_image(image_path, &step.destination) => unknown = true,
                        Some(candidates) => {
                            let found = candidates
                                .iter()
                                .filter_map(|c| join(self.root, if c.is_empty() { "." } else { c }))
                                .find(|path| exists(path));
                            if let Some(path) = found {
                                return Presence::Context { path, instruction: step.instruction };
                            }
                        }
                    }
                }
                CopySource::Stage(from) if !self.is_bare_image(*from) => {
                    if step.sources_for(image_path).is_none_or(|c| !c.is_empty()) {
                        unknown = true;
                    }
                }
                // `ADD` of a URL or a git repository: its content is not known.
                CopySource::Other(_) if step.is_add => {
                    if step.sources_for(image_path).is_none_or(|c| !c.is_empty())
                        || is_within_image(image_path, &step.destination)
                    {
                        unknown = true;
                    }
                }
                CopySource::Stage(_) | CopySource::Other(_) => {}
            }
        }
        if unknown { Presence::Unknown } else { Presence::Absent }
    }

    /// The nearest `name` at or above `dir`, and the directory where it was looked for last (where
    /// it was found, when it was).
    pub(super) fn find_upward(&self, dir: &str, name: &str) -> (Presence, String) {
        let mut current = resolve_path("/", dir);
        loop {
            let presence = self.file(&resolve_path(&current, name));
            if presence != Presence::Absent || current == "/" {
                return (presence, current);
            }
            current = match current.rfind('/') {
                Some(0) | None => "/".to_string(),
                Some(i) => current[..i].to_string(),
            };
        }
    }

    /// A stage that is only `FROM <image>`: copying from it copies that image's files.
    fn is_bare_image(&self, stage: usize) -> bool {
        let Some(found) = self.build.stages.get(stage) else { return false };
        let instructions = self.dockerfile.stages.get(stage).map_or(0, |s| s.instructions.len());
        matches!(found.base, StageBase::Image(_) | StageBase::Scratch) && instructions <= 1
    }
}

/// The context root when the rules may reason about the context: known, its ignore file read, and
/// a Go project around the Dockerfile (a folder without go.mod or go.work tells nothing).
/// A module that a `go` command uses, as the image has it when the command runs: the go.mod at or
/// above its working directory, brought from the build context, with no vendor/ directory.
pub(super) struct ModuleInUse<'a> {
    pub(super) stage: &'a Stage,
    pub(super) run: &'a GoRun,
    pub(super) workdir: String,
    pub(super) inputs: Inputs<'a>,
    /// go.mod's path in the workspace, and its directory.
    pub(super) go_mod_path: String,
    pub(super) module_dir: String,
    /// The directory of go.mod in the image.
    pub(super) module_image_dir: String,
    pub(super) go_mod: std::sync::Arc<crate::workspace::GoMod>,
    /// The build context's root in the workspace.
    pub(super) root: &'a str,
}

/// Every module-mode `go` command that needs a module, with the module it finds (GO107, GO108).
pub(super) fn modules_in_use<'a>(
    context: &'a Context<'_>,
    facts: &'a GoFacts,
    build: &'a Build,
) -> Vec<ModuleInUse<'a>> {
    let mut found = Vec::new();
    let Some(root) = facts.context.root.as_deref() else { return found };
    for (stage, run) in build.go_runs() {
        if !needs_module(&run.command) || run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        let (Presence::Context { path: go_mod_path, .. }, module_image_dir) = inputs.find_upward(&workdir, "go.mod")
        else {
            continue;
        };
        let module_dir = crate::workspace::parent(&go_mod_path).unwrap_or_else(|| ".".to_string());
        let Some(module) = facts.workspace.module_at(&module_dir) else { continue };
        let Some(go_mod) = module.go_mod.loaded().cloned() else { continue };
        if module.has_vendor_dir {
            continue;
        }
        found.push(ModuleInUse {
            stage,
            run,
            workdir,
            inputs,
            go_mod_path,
            module_dir,
            module_image_dir,
            go_mod,
            root,
        });
    }
    found
}

pub(super) fn known_root(facts: &GoFacts) -> Option<&str> {
    if facts.context.module.is_none() && facts.context.work.is_none() {
        return None;
    }
    let root = facts.context.root.as_deref()?;
    if facts.context.ignore_file.is_some() && facts.context.ignore.is_none() {
        return None;
    }
    Some(root)
}

/// Whether a guessed context agrees with the Dockerfile: every literal source it copies from the
/// context (except those `skip` names) exists there. A declared context is taken as it is.
pub(super) fn context_is_plausible(
    facts: &GoFacts,
    root: &str,
    steps: &[&CopyStep],
    skip: impl Fn(&str) -> bool,
) -> bool {
    if facts.context.source.is_declared() {
        return true;
    }
    steps.iter().filter(|s| s.source == CopySource::Context).all(|step| {
        step.sources.iter().all(|(source, _)| {
            let Some(source) = source else { return true };
            if source.is_empty() || source.contains(['*', '?', '[']) || source.starts_with("<<") || skip(source) {
                return true;
            }
            join(root, source)
                .is_some_and(|path| facts.workspace.file_exists(&path) || facts.workspace.dir_exists(&path))
        })
    })
}

/// The directory the go command runs in: WORKDIR, or `-C dir` resolved against it; `None` when it
/// is not known (a `cd` earlier in the RUN, a WORKDIR or `-C` with a build-time value).
pub(super) fn workdir_of(context: &Context<'_>, run: &GoRun) -> Option<String> {
    if run.workdir.contains("${") {
        return None;
    }
    let moved = context.shell(run.instruction).is_none_or(|script| {
        script
            .commands
            .iter()
            .any(|c| c.range.start < run.command.range.start && matches!(c.program(), Some("cd" | "pushd" | "popd")))
    });
    if moved {
        return None;
    }
    match run.command.flag("C") {
        None => Some(run.workdir.clone()),
        Some(flag) => {
            let value = flag.value.as_ref().filter(|v| !v.dynamic)?;
            Some(resolve_path(&run.workdir, &value.value))
        }
    }
}

/// Whether the command needs a main module: it builds, tests or lists the module's packages, or
/// works on its requirements. `go install`/`go run` of `pkg@version`, `.go` files, `std`, and
/// `go env`/`go version`/`go mod init`/`go work …` do not.
pub(super) fn needs_module(command: &GoCommand) -> bool {
    let packages = &command.packages;
    let versioned = packages.iter().any(|p| p.value.contains('@'));
    let files_only = !packages.is_empty() && packages.iter().all(|p| p.value.ends_with(".go"));
    let standard = packages.iter().any(|p| p.value == "std" || p.value == "cmd");
    if versioned || files_only || standard {
        return false;
    }
    match &command.subcommand {
        GoSubcommand::Build
        | GoSubcommand::Test
        | GoSubcommand::Vet
        | GoSubcommand::Generate
        | GoSubcommand::Get
        | GoSubcommand::Install
        | GoSubcommand::Run => true,
        GoSubcommand::Mod(verb) => matches!(verb.as_str(), "download" | "tidy" | "vendor" | "verify" | "graph" | "why"),
        _ => false,
    }
}

/// Whether the command compiles the module's packages (what reads vendor/ and go.sum for every import).
pub(super) fn compiles(command: &GoCommand) -> bool {
    command.subcommand.builds() || command.subcommand == GoSubcommand::Vet
}

/// Programs that put files in place without a COPY: gantry cannot tell which.
const FILE_WRITERS: &[&str] =
    &["cp", "mv", "ln", "rsync", "tar", "unzip", "bsdtar", "curl", "wget", "touch", "install", "tee", "dd", "patch"];

/// `git` subcommands that create or change a working tree.
const GIT_WRITERS: &[&str] = &[
    "clone",
    "checkout",
    "pull",
    "worktree",
    "submodule",
    "restore",
    "switch",
    "reset",
    "apply",
    "init",
    "merge",
    "am",
];

/// Whether a RUN of `stage` (or of a stage it is built on) before `index`, or a command before
/// `command_start` in the RUN at `index`, may have written files that no COPY shows.
fn writes_files_before(
    context: &Context<'_>,
    build: &Build,
    stage: &Stage,
    index: usize,
    command_start: usize,
) -> bool {
    let mut current = Some(stage.index);
    let mut hops = 0;
    while let Some(at) = current.filter(|_| hops <= build.stages.len()) {
        hops += 1;
        let Some(syntax_stage) = context.dockerfile.stages.get(at) else { break };
        for i in syntax_stage.instructions.clone().filter(|i| *i <= index) {
            let InstructionKind::Run(run) = &context.dockerfile.instructions[i].kind else { continue };
            if matches!(run.command, Command::Empty) {
                continue;
            }
            let Some(script) = context.shell(i) else { return true };
            if script.has_errors {
                return true;
            }
            let writes = script.commands.iter().filter(|c| i < index || c.range.start < command_start).any(|c| {
                let args: Vec<&str> = c.arg_values().collect();
                let program = c.program();
                let redirects_to_file = c.redirects.iter().any(|r| {
                    matches!(r.operator.as_str(), ">" | ">>" | "&>" | ">|" | "&>>")
                        && r.target.as_ref().is_some_and(|t| !t.value.starts_with("/dev/") && !t.value.starts_with('&'))
                });
                let go_creates = program == Some("go")
                    && matches!(args.as_slice(), ["mod", "init", ..] | ["work", "init" | "use", ..]);
                redirects_to_file
                    || go_creates
                    || program.is_some_and(|p| FILE_WRITERS.contains(&p))
                    || (program == Some("git") && args.iter().any(|a| GIT_WRITERS.contains(a)))
            });
            if writes {
                return true;
            }
        }
        current = match build.stages.get(at).map(|s| &s.base) {
            Some(StageBase::Stage(parent)) if *parent < at => Some(*parent),
            _ => None,
        };
    }
    false
}

/// Whether the absolute image path `path` is `dir` or below it.
pub(super) fn is_within_image(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// `ADD` unpacks local archives: what they hold is not known.
fn is_archive(path: &str) -> bool {
    [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"]
        .iter()
        .any(|ext| path.ends_with(ext))
}
