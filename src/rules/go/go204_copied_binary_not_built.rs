//! GO204: `COPY --from=<stage>` takes a program path that the stage's `go build`/`go install`
//! never writes.

use std::collections::BTreeMap;

use super::go2xx_support::{
    BASE_TREES, Project, Traced, built_module, go_site, may_be_base_directory, program_name, trace,
};
use crate::build::{Build, CopySource, EnvValue, GoRun, command_dir, is_within_image, resolve_path};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, SimpleCommand, TextRange, go_commands};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO204",
    name: "copied-binary-not-built",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Works out where each `go build` and `go install` of a stage writes its program (`-o <file>`,
`-o <dir>/`, the default name in the working directory, `$GOBIN` or `$GOPATH/bin` for installs)
and reports a `COPY --from=<stage>` of a path next to those outputs that nothing in the stage
creates.

## Why it matters
A renamed `-o`, a `go build` without `-o` (which names the program after the package), or a
`go install` (which writes to `/go/bin`) leaves the later COPY pointing at nothing, and the build
stops at that COPY:

```text
failed to compute cache key: failed to calculate checksum of ref …: \"/out/server\" not found: not found
```

Default names follow the go command: the last element of the import path that is not a major
version (`example.com/foo/v2` → `foo`, the module path's last element for `.`), the first file's
name for `.go` files, and `.exe` when `GOOS=windows`. A program written inside a `--mount` target
of its RUN is not kept in the image either.

The rule stays silent unless the stage starts from a golang image and the path sits in a
directory the Go build writes to; it also stays silent when anything else in the stage might have
made the path: a `cp`/`mv`/`ln`/`install` to it, a redirection, `mkdir`, a COPY that brings a file
of that name, a build argument in an output path, a cross-compiling `go install` (which writes to
`/go/bin/<os>_<arch>/`), `go run`/`go generate`, or any program gantry cannot follow (`make`,
scripts, `xx-go`).

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/server

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/server /server
```

## Fix
Copy the path the build writes (`/out/app` above), or change `-o` to the name the COPY expects.
When one program is written in that directory, the quick fix rewrites the COPY source to it.

## References
- `go help build` (`-o`, default names) and `go help install` (`GOBIN`, `GOPATH/bin`): https://pkg.go.dev/cmd/go
- Multi-stage builds: https://docs.docker.com/build/building/multi-stage/
";

/// A program a stage certainly writes.
struct Written {
    path: String,
    /// The go command that writes it.
    range: TextRange,
}

/// Where a stage's go builds write and what else may have written files.
#[derive(Default)]
struct Outputs {
    files: Vec<Written>,
    /// Output directories with the program names written there; `None` when the names are unknown.
    dirs: Vec<(String, Option<Vec<String>>, TextRange)>,
    /// Paths at or below which something unknown may have been written (`/` for anything).
    maybe: Vec<String>,
    /// Directories that exist because WORKDIR or `mkdir` made them.
    made: Vec<String>,
    /// Programs written inside a `--mount` target: gone after the RUN.
    not_kept: Vec<Written>,
    /// The stage builds Go at all.
    builds: bool,
}

impl Outputs {
    fn unknown_below(&mut self, path: &str) {
        self.maybe.push(path.to_string());
    }

    /// The literal directory part of a path with a variable (`/out/$GOOS/app` → `/out`).
    fn unknown_from(&mut self, dir: &str, text: &str) {
        let resolved = resolve_path(dir, text.split('$').next().unwrap_or(""));
        let prefix = if text.starts_with('$') && !text.starts_with('/') {
            dir.to_string()
        } else if text.split('$').next().is_some_and(|p| p.ends_with('/')) {
            resolved
        } else {
            resolved.rsplit_once('/').map_or("/".to_string(), |(d, _)| if d.is_empty() { "/".into() } else { d.into() })
        };
        self.maybe.push(prefix);
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    let project = Project::new(context);
    let mut cache: BTreeMap<usize, Outputs> = BTreeMap::new();
    for stage in &build.stages {
        for copy in &stage.copies {
            let CopySource::Stage(from) = copy.source else { continue };
            let Some(source_stage) = build.stages.get(from) else { continue };
            if source_stage.golang.is_none() {
                continue;
            }
            let outputs = cache.entry(from).or_insert_with(|| outputs_of(context, build, from, project.as_ref()));
            if !outputs.builds {
                continue;
            }
            for (source, range) in &copy.sources {
                let Some(source) = source else { continue };
                if source.is_empty() || source.contains(['*', '?', '[']) {
                    continue;
                }
                let path = format!("/{source}");
                let Some(message_and_fix) = missing(build, from, outputs, &path, project.as_ref()) else {
                    continue;
                };
                let (message, related, replacement) = message_and_fix;
                let stage_name = source_stage.name.clone().map_or(format!("stage {from}"), |n| format!("stage `{n}`"));
                let diagnostic = sink.report(*range, format!("{stage_name} {message}"));
                diagnostic.with_related(None, related.0, related.1);
                if let Some(replacement) = replacement
                    && context.text.get(range.as_range()) == Some(path.as_str())
                {
                    diagnostic.with_fix(format!("Copy `{replacement}`"), *range, replacement, false);
                }
            }
        }
    }
}

type Finding = (String, (TextRange, String), Option<String>);

/// Why `path` is missing from stage `from`, if it certainly is.
fn missing(
    build: &Build,
    from: usize,
    outputs: &Outputs,
    path: &str,
    project: Option<&Project<'_>>,
) -> Option<Finding> {
    if may_be_base_directory(path) || BASE_TREES.iter().any(|tree| is_within_image(path, tree)) {
        return None;
    }
    let parent = parent_dir(path);
    if may_be_base_directory(&parent) && !matches!(parent.as_str(), "/" | "/usr/local/bin" | "/go/bin" | "/go" | "/tmp")
    {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    // Made by the build, or possibly by something else.
    if outputs.files.iter().any(|w| is_within_image(&w.path, path)) {
        return None;
    }
    for (dir, names, _) in &outputs.dirs {
        let inside = is_within_image(path, dir) && path != dir;
        let named = names.as_ref().is_none_or(|names| names.iter().any(|n| n == name) || parent != *dir);
        if is_within_image(dir, path) || (inside && named) {
            return None;
        }
    }
    if outputs.maybe.iter().any(|m| is_within_image(path, m) || is_within_image(m, path))
        || outputs.made.iter().any(|m| is_within_image(m, path))
    {
        return None;
    }
    if copied_into_stage(build, from, path, project) {
        return None;
    }
    // Only paths next to what the build writes: a program the COPY expected from the build.
    let siblings: Vec<&Written> = outputs.files.iter().filter(|w| parent_dir(&w.path) == parent).collect();
    let gone = outputs.not_kept.iter().find(|w| w.path == path);
    if let Some(gone) = gone {
        let message = format!(
            "does not keep `{path}`: the build writes it inside a `--mount` target of its RUN, which is gone after the \
             RUN, so this COPY fails with `\"{path}\" not found: not found`"
        );
        return Some((message, (gone.range, format!("`{path}` is written into a mount here")), None));
    }
    // Every name written into the directory (several installs may share /go/bin).
    let dir_entries: Vec<_> = outputs.dirs.iter().filter(|(dir, _, _)| *dir == parent).collect();
    let (written, range): (Vec<String>, TextRange) = if let Some(first) = siblings.first() {
        (siblings.iter().map(|w| w.path.clone()).collect(), first.range)
    } else if let Some((_, _, range)) = dir_entries.first()
        && dir_entries.iter().all(|(_, names, _)| names.is_some())
    {
        let names =
            dir_entries.iter().flat_map(|(dir, names, _)| names.iter().flatten().map(move |n| resolve_path(dir, n)));
        let mut written: Vec<String> = Vec::new();
        for name in names {
            if !written.contains(&name) {
                written.push(name);
            }
        }
        (written, *range)
    } else {
        return None;
    };
    if written.is_empty() {
        return None;
    }
    let listed: Vec<String> = written.iter().map(|w| format!("`{w}`")).collect();
    let message = format!(
        "has no `{path}`: its Go build writes {} there, so this COPY fails with `\"{path}\" not found: not found`",
        listed.join(", ")
    );
    let replacement = (written.len() == 1).then(|| written[0].clone());
    Some((message, (range, format!("the build writes {}", listed.join(", "))), replacement))
}

fn parent_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((dir, _)) => dir.to_string(),
    }
}

/// Whether a COPY/ADD of the stage chain may have put something at `path`.
fn copied_into_stage(build: &Build, from: usize, path: &str, project: Option<&Project<'_>>) -> bool {
    let steps = build.copies_before(from, usize::MAX);
    for step in steps.into_iter().filter(|s| s.writes_within(path)) {
        if step.destination != path && crate::build::is_within_image(&step.destination, path) {
            return true;
        }
        let Some(project) = project.filter(|_| step.is_plain_context_copy()) else { return true };
        let Some(candidates) = step.sources_for(path) else { return true };
        let workspace = &project.facts.workspace;
        let exists = candidates
            .iter()
            .any(|c| project.workspace_path(c).is_none_or(|p| workspace.file_exists(&p) || workspace.dir_exists(&p)));
        if exists {
            return true;
        }
    }
    false
}

/// Programs that write nothing the rule cares about.
const QUIET_PROGRAMS: &[&str] = &[
    "apk",
    "apt-get",
    "apt",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "echo",
    "printf",
    "true",
    "false",
    "test",
    "[",
    "[[",
    "set",
    "export",
    "unset",
    "ls",
    "cat",
    "pwd",
    "id",
    "whoami",
    "chmod",
    "chown",
    "chgrp",
    "adduser",
    "addgroup",
    "useradd",
    "groupadd",
    "usermod",
    "update-ca-certificates",
    "ldd",
    "file",
    "which",
    "command",
    "sleep",
    "rm",
    "xx-verify",
    "xx-info",
    "uname",
    "date",
    "grep",
    "cd",
    "strip",
    "upx",
    "sha256sum",
    "go",
];

/// What the stages `from` is built on, and `from` itself, write.
fn outputs_of(context: &Context<'_>, build: &Build, from: usize, project: Option<&Project<'_>>) -> Outputs {
    let mut outputs = Outputs::default();
    for stage in build.ancestry(from) {
        outputs.made.extend(stage.workdirs.values().cloned());
        let Some(syntax_stage) = context.dockerfile.stages.get(stage.index) else {
            outputs.unknown_below("/");
            continue;
        };
        for index in syntax_stage.instructions.clone() {
            let Some(InstructionKind::Run(run)) = context.dockerfile.instructions.get(index).map(|i| &i.kind) else {
                continue;
            };
            let workdir = stage.workdir_at(index).to_string();
            let Some(script) = context.shell(index).filter(|s| !s.has_errors) else {
                outputs.unknown_below("/");
                continue;
            };
            let mounts: Vec<String> = run
                .mounts
                .iter()
                .filter_map(|m| ["target", "dst", "destination"].iter().find_map(|k| m.option(k)?.value.clone()))
                .map(|t| resolve_path(&workdir, &t))
                .collect();
            for command in &script.commands {
                let dir = command_dir(script, command.range, &workdir);
                for redirect in command.redirects.iter().filter(|r| r.operator.contains('>')) {
                    match (&redirect.target, &dir) {
                        (Some(t), Some(d)) if !t.dynamic && !t.value.starts_with('&') && t.value != "/dev/null" => {
                            outputs.unknown_below(&resolve_path(d, &t.value))
                        }
                        (Some(t), _) if t.value.starts_with('&') || t.value == "/dev/null" => {}
                        _ => outputs.unknown_below("/"),
                    }
                }
                let go = stage.go_runs.iter().find(|r| r.instruction == index && r.command.range == command.range);
                if let Some(run) = go {
                    go_outputs(context, build, stage, run, &mounts, project, &mut outputs);
                    continue;
                }
                if go_commands(std::slice::from_ref(command)).next().is_some() {
                    // `env … go …` forms the simulation kept elsewhere: unknown.
                    outputs.unknown_below("/");
                    continue;
                }
                other_command(command, dir.as_deref(), &mut outputs);
            }
        }
    }
    outputs
}

/// A command that is not `go`: quiet, a copy or move, `mkdir`, or unknown.
fn other_command(command: &SimpleCommand, dir: Option<&str>, outputs: &mut Outputs) {
    let Some(program) = command.program() else {
        if command.name.is_some() {
            outputs.unknown_below("/");
        }
        return;
    };
    let operands: Vec<_> = command.args.iter().filter(|a| !a.value.starts_with('-')).collect();
    match program {
        "mkdir" | "touch" => {
            for operand in operands {
                match dir {
                    Some(d) if !operand.dynamic => {
                        let made = resolve_path(d, &operand.value);
                        if program == "mkdir" { outputs.made.push(made) } else { outputs.unknown_below(&made) }
                    }
                    Some(d) => outputs.unknown_from(d, &operand.value),
                    None => outputs.unknown_below("/"),
                }
            }
        }
        "cp" | "mv" | "ln" | "install" | "rsync" => {
            // `-t dir` names the destination; otherwise it is the last operand.
            let target_flag = command.args.iter().position(|a| a.value == "-t" || a.value == "--target-directory");
            let destination = match target_flag {
                Some(at) => command.args.get(at + 1),
                None => operands.last().copied(),
            };
            match (destination, dir) {
                (Some(d), Some(dir)) if !d.dynamic => outputs.unknown_below(&resolve_path(dir, &d.value)),
                (Some(d), Some(dir)) => outputs.unknown_from(dir, &d.value),
                _ => outputs.unknown_below("/"),
            }
        }
        _ if QUIET_PROGRAMS.contains(&program) => {}
        _ => outputs.unknown_below("/"),
    }
}

/// Where a `go` command writes.
fn go_outputs(
    context: &Context<'_>,
    build: &Build,
    stage: &crate::build::Stage,
    run: &GoRun,
    mounts: &[String],
    project: Option<&Project<'_>>,
    outputs: &mut Outputs,
) {
    let command = &run.command;
    let range = command.range;
    let Some(script) = context.shell(run.instruction) else { return outputs.unknown_below("/") };
    let Some(mut dir) = command_dir(script, command.range, &run.workdir) else { return outputs.unknown_below("/") };
    if let Some(flag) = command.flag("C") {
        match flag.value.as_ref().filter(|v| !v.dynamic) {
            Some(value) => dir = resolve_path(&dir, &value.value),
            None => return outputs.unknown_below("/"),
        }
    }
    let suffixes: &[&str] = match run.env("GOOS") {
        EnvValue::Known(goos) if goos == "windows" => &[".exe"],
        EnvValue::Known(_) | EnvValue::Unset => &[""],
        EnvValue::Unknown => &["", ".exe"],
    };
    match &command.subcommand {
        GoSubcommand::Build => {
            outputs.builds = true;
            if let Some(flag) = command.flag("o") {
                let Some(value) = flag.value.as_ref() else { return };
                if value.dynamic {
                    return outputs.unknown_from(&dir, &value.value);
                }
                let path = resolve_path(&dir, &value.value);
                if value.value.ends_with('/') || outputs.made.contains(&path) || may_be_base_directory(&path) {
                    let names = default_names(context, build, stage, run, project, suffixes, true);
                    outputs.dirs.push((path, names, range));
                } else if mounts.iter().any(|m| is_within_image(&path, m)) {
                    outputs.not_kept.push(Written { path, range });
                } else {
                    outputs.files.push(Written { path, range });
                }
                return;
            }
            match default_names(context, build, stage, run, project, suffixes, false) {
                Some(names) => {
                    for name in names {
                        let path = resolve_path(&dir, &name);
                        if mounts.iter().any(|m| is_within_image(&path, m)) {
                            outputs.not_kept.push(Written { path, range });
                        } else {
                            outputs.files.push(Written { path, range });
                        }
                    }
                }
                None => outputs.dirs.push((dir, None, range)),
            }
        }
        GoSubcommand::Install => {
            outputs.builds = true;
            let bin = match (run.env("GOBIN"), run.env("GOPATH")) {
                (EnvValue::Known(gobin), _) if gobin.starts_with('/') => gobin.clone(),
                (EnvValue::Unset, EnvValue::Known(gopath)) if gopath.starts_with('/') && !gopath.contains(':') => {
                    format!("{}/bin", gopath.trim_end_matches('/'))
                }
                _ => return outputs.unknown_below("/"),
            };
            let bin = resolve_path("/", &bin);
            // A cross-compiling install writes to bin/<goos>_<goarch>/: names below are unknown.
            let cross = run.env("GOOS") != &EnvValue::Unset || run.env("GOARCH") != &EnvValue::Unset;
            let names = if cross { None } else { install_names(command, suffixes) };
            outputs.dirs.push((bin, names, range));
        }
        GoSubcommand::Run | GoSubcommand::Generate | GoSubcommand::Work(_) => outputs.unknown_below("/"),
        GoSubcommand::Test if command.flag("c").is_some() || command.flag("o").is_some() => outputs.unknown_below("/"),
        GoSubcommand::Get => {
            // Outside module mode, `go get` installs programs.
            if let EnvValue::Known(gopath) = run.env("GOPATH") {
                outputs.unknown_below(&format!("{}/bin", gopath.trim_end_matches('/')));
            } else {
                outputs.unknown_below("/");
            }
        }
        GoSubcommand::Mod(verb) if verb != "download" && verb != "verify" && verb != "graph" && verb != "why" => {
            outputs.unknown_below(&dir)
        }
        GoSubcommand::Other(name) if !matches!(name.as_str(), "list" | "clean" | "doc") => outputs.unknown_below("/"),
        _ => {}
    }
}

/// The program names `go build` without `-o` (or with `-o dir/`) writes; `None` when unknown.
fn default_names(
    context: &Context<'_>,
    build: &Build,
    stage: &crate::build::Stage,
    run: &GoRun,
    project: Option<&Project<'_>>,
    suffixes: &[&str],
    into_directory: bool,
) -> Option<Vec<String>> {
    let command = &run.command;
    let mut files = command.packages.iter().filter(|p| p.value.ends_with(".go"));
    if let Some(first) = files.next() {
        if first.dynamic {
            return None;
        }
        let stem = first.value.rsplit('/').next()?.strip_suffix(".go")?;
        return Some(suffixes.iter().map(|s| format!("{stem}{s}")).collect());
    }
    let packages: Vec<_> = command.packages.iter().collect();
    let base = match packages.as_slice() {
        [] => ".",
        [only] if !only.dynamic && !only.value.contains("...") && !only.value.contains('@') => only.value.as_str(),
        // Several packages: without -o nothing is written; into a directory, unknown names.
        [_, _, ..] if !into_directory && packages.iter().all(|p| !p.dynamic && !p.value.contains("...")) => {
            return Some(Vec::new());
        }
        _ => return None,
    };
    let name = if base.starts_with('.') || base.starts_with('/') {
        let trimmed = base.trim_end_matches('/');
        let last = program_name(trimmed).filter(|n| *n != "." && *n != "..");
        match last {
            Some(name) if trimmed.contains('/') && !trimmed.ends_with("/.") => name.to_string(),
            _ => {
                // `.` or `..`: the import path of the directory decides.
                let project = project?;
                let site = go_site(context, build, stage, run)?;
                let module = built_module(project, &site)?;
                let image = resolve_path(&site.dir, base);
                let Traced::Context { path, .. } = trace(project, &site.steps, &image) else { return None };
                program_name(&module.import_path_of(&path)?)?.to_string()
            }
        }
    } else {
        program_name(base)?.to_string()
    };
    Some(suffixes.iter().map(|s| format!("{name}{s}")).collect())
}

/// The names `go install` writes to the bin directory; `None` when unknown.
fn install_names(command: &crate::syntax::GoCommand, suffixes: &[&str]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for package in &command.packages {
        if package.dynamic || package.value.contains("...") {
            return None;
        }
        let path = package.value.split('@').next().unwrap_or("").trim_end_matches('/');
        let name = program_name(path).filter(|n| *n != "." && *n != "..")?;
        if path.starts_with('.') && !path.contains('/') {
            return None;
        }
        names.extend(suffixes.iter().map(|s| format!("{name}{s}")));
    }
    if names.is_empty() { None } else { Some(names) }
}
