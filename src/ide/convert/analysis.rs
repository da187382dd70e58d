//! Reading the single stage: what each instruction is for (building, running, or both), the
//! comments that describe it, the program the container starts and how the old file built it.

use std::collections::BTreeMap;

use super::ConvertError;
use super::render::{Line, pair, simple_words};
use crate::build::{Build, CopySource, CopyStep, GO_ENV, Stage};
use crate::images::GolangImage;
use crate::syntax::{
    Command, GoCommand, GoSubcommand, Instruction, InstructionKind, KeyValue, Parse, TextRange, parse_shell,
};

/// A `go build`, `go install` or `go run` as the old file wrote it: what the new build keeps.
#[derive(Debug, Clone, Default)]
pub(super) struct GoInvocation {
    /// Package patterns or files, as written (empty: `.`).
    pub packages: Vec<String>,
    /// `-o`, when given.
    pub output: Option<String>,
    /// The value of `-ldflags`, when given.
    pub ldflags: Option<String>,
    /// The value of `-tags`, when given.
    pub tags: Option<String>,
    /// Other flags, rendered (`-mod=vendor`, `-buildvcs=false`).
    pub other_flags: Vec<String>,
    /// For `go run`: the program's arguments.
    pub program_args: Vec<String>,
    /// The `CGO_ENABLED` the command sets or finds (`None`: not set).
    pub cgo: Option<bool>,
    /// The working directory the command ran in.
    pub workdir: String,
}

/// What the container starts.
#[derive(Debug, Clone)]
pub(super) enum Start {
    /// `go run <package> args…` in CMD or ENTRYPOINT.
    GoRun(GoInvocation),
    /// A program started by path, with the arguments that follow it; `default_args` are the CMD
    /// words that followed an ENTRYPOINT (overridable at `docker run`).
    Program { path: String, args: Vec<String>, default_args: Vec<String> },
    /// No CMD or ENTRYPOINT, or one gantry cannot read.
    Unknown,
}

/// The single stage read instruction by instruction.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// The parser directive lines, verbatim.
    pub directives: Vec<String>,
    pub has_syntax_directive: bool,
    pub escape: char,
    /// Instructions before the FROM (global ARGs), verbatim with their comments.
    pub global: Vec<Line>,
    pub golang: GolangImage,
    pub from_comments: Vec<String>,
    /// Builder instructions before the module files: in-stage ARGs, build-only ENV, installs.
    pub builder_early: Vec<Line>,
    /// Builder RUNs that need the sources (`go generate`, `make` …).
    pub builder_late: Vec<Line>,
    /// Comments of the instructions the generated builder lines replace.
    pub module_comments: Vec<String>,
    pub download_comments: Vec<String>,
    pub sources_comments: Vec<String>,
    pub build_comments: Vec<String>,
    pub start_comments: Vec<String>,
    /// Runtime instructions carried over in order (LABEL, ENV, EXPOSE, VOLUME, STOPSIGNAL, WORKDIR,
    /// and COPYs of files that are not Go code).
    pub runtime: Vec<Line>,
    /// The HEALTHCHECK: comments, flags as written, and its command.
    pub healthcheck: Option<(Vec<String>, String, Command)>,
    /// `HEALTHCHECK NONE`, verbatim.
    pub healthcheck_none: Option<Line>,
    /// The last USER, with its comments.
    pub user: Option<(Vec<String>, String)>,
    /// The working directory at the end of the stage, when a WORKDIR set it.
    pub workdir: Option<String>,
    /// The names of ARGs declared in the stage (redeclared in the runtime stage when it uses them).
    pub stage_args: Vec<(String, Line)>,
    pub start: Start,
    /// The old `go build`/`go install` (the last one), if any.
    pub old_build: Option<GoInvocation>,
    /// The Go environment the stage sets (GOFLAGS, GOCACHE, …), by name.
    pub go_env: BTreeMap<String, String>,
    /// The old stage's copies from the build context.
    pub context_copies: Vec<CopyStep>,
    /// Packages the old stage installed (for notes about the runtime image).
    pub installed: Vec<String>,
    pub notes: Vec<String>,
    pub trailing_comments: Vec<String>,
}

/// Environment variables that only matter while building Go code.
fn is_build_only(name: &str) -> bool {
    GO_ENV.contains(&name) || matches!(name, "GONOPROXY" | "GOSUMDB")
}

/// Reads a parsed single-stage Go Dockerfile; refuses anything else with the reason.
pub(super) fn read(parse: &Parse) -> Result<Plan, ConvertError> {
    let dockerfile = parse.dockerfile();
    let text = parse.text();
    if !parse.errors().is_empty() {
        return Err(ConvertError::SyntaxErrors { count: parse.errors().len() });
    }
    let build = Build::simulate(parse);
    let stage = match build.stages.as_slice() {
        [] => return Err(ConvertError::NotConvertible("the Dockerfile has no FROM instruction".into())),
        [stage] => stage,
        _ => {
            return Err(ConvertError::NotConvertible(format!(
                "the Dockerfile already has {} stages; only a single-stage build is converted",
                build.stages.len()
            )));
        }
    };
    let Some(golang) = stage.golang.clone() else {
        return Err(ConvertError::NotConvertible(
            "the stage is not based on the golang image, so there is no Go build to split".into(),
        ));
    };
    if !matches!(golang.variant, crate::images::Variant::Debian { .. } | crate::images::Variant::Alpine { .. }) {
        return Err(ConvertError::NotConvertible(
            "only the Linux (Debian or Alpine) variants of the golang image are converted".into(),
        ));
    }
    let syntax_stage = &dockerfile.stages[0];
    let comments = attach_comments(parse);
    let comments_of = |index: usize| comments.get(&index).cloned().unwrap_or_default();
    let inner = |instruction: &Instruction| -> Vec<String> {
        instruction.inner_comments.iter().filter_map(|r| text.get(r.as_range())).map(|c| c.trim().to_string()).collect()
    };
    let verbatim = |index: usize| -> Line {
        let instruction = &dockerfile.instructions[index];
        Line::new(text.get(instruction.range.as_range()).unwrap_or_default().trim_end())
            .with_comments(comments_of(index))
    };
    let mut plan = Plan {
        directives: dockerfile
            .directives
            .iter()
            .filter_map(|d| text.get(d.range.as_range()).map(|line| line.trim_end().to_string()))
            .collect(),
        has_syntax_directive: dockerfile.directive("syntax").is_some(),
        escape: dockerfile.escape,
        global: (0..syntax_stage.from).map(verbatim).collect(),
        golang,
        from_comments: comments_of(syntax_stage.from),
        builder_early: Vec::new(),
        builder_late: Vec::new(),
        module_comments: Vec::new(),
        download_comments: Vec::new(),
        sources_comments: Vec::new(),
        build_comments: Vec::new(),
        start_comments: Vec::new(),
        runtime: Vec::new(),
        healthcheck: None,
        healthcheck_none: None,
        user: None,
        workdir: None,
        stage_args: Vec::new(),
        start: Start::Unknown,
        old_build: None,
        go_env: BTreeMap::new(),
        context_copies: stage.copies.iter().filter(|c| c.source == CopySource::Context).cloned().collect(),
        installed: Vec::new(),
        notes: Vec::new(),
        trailing_comments: comments.get(&usize::MAX).cloned().unwrap_or_default(),
    };
    for (name, value) in &stage.final_env {
        if let Some(value) = value.known() {
            plan.go_env.insert(name.to_string(), value.to_string());
        }
    }
    let mut sources_seen = false;
    let mut entrypoint: Option<(usize, Vec<String>, bool)> = None;
    let mut cmd: Option<(usize, Vec<String>, bool)> = None;
    for index in syntax_stage.instructions.clone().skip(1) {
        let instruction = &dockerfile.instructions[index];
        let mut own_comments = comments_of(index);
        match &instruction.kind {
            InstructionKind::Arg(pairs) => {
                let line = verbatim(index);
                for pair in pairs {
                    plan.stage_args.push((pair.key.clone(), Line::new(format!("ARG {}", arg_text(pair)))));
                }
                plan.builder_early.push(line);
            }
            InstructionKind::Env(pairs) => env(&mut plan, instruction, pairs, own_comments, text),
            InstructionKind::Label(_)
            | InstructionKind::Expose(_)
            | InstructionKind::Volume(_)
            | InstructionKind::Stopsignal(_) => plan.runtime.push(verbatim(index)),
            InstructionKind::Workdir(_) => {
                plan.workdir = Some(stage.workdir_at(index + 1).to_string());
                plan.runtime.push(Line::default().with_comments(own_comments));
            }
            InstructionKind::User(Some(word)) => {
                let mut all = plan.user.take().map(|(c, _)| c).unwrap_or_default();
                all.append(&mut own_comments);
                plan.user = Some((all, word.value.clone()));
            }
            InstructionKind::Healthcheck(check) => match &check.cmd {
                Some((_, command)) => {
                    let flags = instruction
                        .flags
                        .iter()
                        .filter_map(|f| text.get(f.range.as_range()))
                        .collect::<Vec<_>>()
                        .join(" ");
                    plan.healthcheck = Some((own_comments, flags, command.clone()));
                }
                None => plan.healthcheck_none = Some(verbatim(index)),
            },
            InstructionKind::Copy(_) | InstructionKind::Add(_) => {
                copy(&mut plan, stage, index, instruction, own_comments, text, &mut sources_seen);
            }
            InstructionKind::Run(_) => {
                let inner = inner(instruction);
                run(&mut plan, dockerfile, stage, index, instruction, own_comments, inner, text, sources_seen);
            }
            InstructionKind::Cmd(command) | InstructionKind::Entrypoint(command) => {
                let is_entrypoint = matches!(instruction.kind, InstructionKind::Entrypoint(_));
                plan.start_comments.append(&mut own_comments);
                plan.start_comments.extend(inner(instruction));
                let (words, shell) = match command {
                    Command::Exec { args, .. } => (Some(args.iter().map(|w| w.value.clone()).collect()), false),
                    Command::Shell { text, .. } => (simple_words(text), true),
                    Command::Empty => (Some(Vec::new()), false),
                };
                let Some(words) = words else {
                    plan.notes.push(format!(
                        "The old {} used shell syntax (`{}`), which a runtime image without a shell cannot run: \
                         check the new ENTRYPOINT's arguments.",
                        instruction.keyword_text,
                        text.get(instruction.range.as_range()).unwrap_or_default().trim()
                    ));
                    continue;
                };
                if is_entrypoint {
                    entrypoint = Some((index, words, shell));
                    // An ENTRYPOINT resets the CMD inherited so far, as BuildKit does.
                    cmd = None;
                } else {
                    cmd = Some((index, words, shell));
                }
            }
            InstructionKind::Maintainer(Some(word)) => plan.runtime.push(
                Line::new(format!("LABEL {}", pair("org.opencontainers.image.authors", Some(&word.value))))
                    .with_comments(own_comments),
            ),
            _ => {
                // SHELL, ONBUILD and the like have no meaning in an image without a shell; their
                // comments stay, next to the start command.
                plan.start_comments.append(&mut own_comments);
                if let Some(line) = text.get(instruction.range.as_range()) {
                    plan.notes.push(format!("`{}` was dropped: the runtime image has no shell.", line.trim()));
                }
            }
        }
    }
    plan.start = start(entrypoint, cmd);
    Ok(plan)
}

fn arg_text(declared: &KeyValue) -> String {
    pair(&declared.key, declared.value.as_deref())
}

/// ENV: Go build settings go to the builder, the rest to the runtime image.
fn env(plan: &mut Plan, instruction: &Instruction, pairs: &[KeyValue], comments: Vec<String>, text: &str) {
    let (build, run): (Vec<&KeyValue>, Vec<&KeyValue>) = pairs.iter().partition(|p| is_build_only(&p.key));
    let render = |pairs: &[&KeyValue]| -> String {
        let rendered: Vec<String> =
            pairs.iter().map(|p| pair(&p.key, Some(p.value.as_deref().unwrap_or("")))).collect();
        format!("ENV {}", rendered.join(" "))
    };
    let legacy = pairs.iter().any(|p| p.legacy);
    let verbatim = text.get(instruction.range.as_range()).unwrap_or_default().trim_end().to_string();
    // CGO_ENABLED, GOOS and GOARCH are set on the new build command itself.
    let build: Vec<&KeyValue> =
        build.into_iter().filter(|p| !matches!(p.key.as_str(), "CGO_ENABLED" | "GOOS" | "GOARCH")).collect();
    match (build.is_empty(), run.is_empty()) {
        (true, false) if !legacy && pairs.len() == run.len() => {
            plan.runtime.push(Line::new(verbatim).with_comments(comments));
        }
        (true, false) => plan.runtime.push(Line::new(render(&run)).with_comments(comments)),
        (false, true) => plan.builder_early.push(Line::new(render(&build)).with_comments(comments)),
        (false, false) => {
            plan.builder_early.push(Line::new(render(&build)));
            plan.runtime.push(Line::new(render(&run)).with_comments(comments));
        }
        (true, true) => plan.build_comments.extend(comments),
    }
}

/// A path in the context that holds Go code or module files, so belongs to the builder.
fn is_go_source(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.is_empty()
        || path == "."
        || name.ends_with(".go")
        || matches!(name, "go.mod" | "go.sum" | "go.work" | "go.work.sum" | "vendor")
        || name.contains('*')
}

fn copy(
    plan: &mut Plan,
    stage: &Stage,
    index: usize,
    instruction: &Instruction,
    mut comments: Vec<String>,
    text: &str,
    sources_seen: &mut bool,
) {
    if !instruction.heredocs.is_empty() {
        // A file written inline (a script, a config): kept as written, in the builder, where the
        // RUNs that may use it are.
        let line =
            Line::new(text.get(instruction.range.as_range()).unwrap_or_default().trim_end()).with_comments(comments);
        if *sources_seen {
            plan.builder_late.push(line)
        } else {
            plan.builder_early.push(line)
        }
        return;
    }
    let Some(step) = stage.copies.iter().find(|c| c.instruction == index) else {
        plan.sources_comments.append(&mut comments);
        return;
    };
    let paths: Vec<&str> = step.sources.iter().filter_map(|(s, _)| s.as_deref()).collect();
    let module_files = !paths.is_empty()
        && paths.iter().all(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            matches!(name, "go.mod" | "go.sum" | "go.work" | "go.work.sum") || name.starts_with("go.")
        });
    if step.source != CopySource::Context {
        // From an image: a tool the program may need at run time as well as at build time.
        let line = text.get(instruction.range.as_range()).unwrap_or_default().trim_end().to_string();
        plan.runtime.push(Line::new(line).with_comments(comments));
        return;
    }
    if module_files && !*sources_seen {
        plan.module_comments.append(&mut comments);
        return;
    }
    if paths.len() == step.sources.len() && !paths.iter().any(|p| is_go_source(p)) {
        // Files that are not Go code (configs, templates, assets): the program reads them at run time.
        let flags: Vec<&str> = instruction.flags.iter().filter_map(|f| text.get(f.range.as_range())).collect();
        let flags = if flags.is_empty() { String::new() } else { format!("{} ", flags.join(" ")) };
        let keyword = if step.is_add { "ADD" } else { "COPY" };
        plan.runtime.push(
            Line::new(format!("{keyword} {flags}{} {}", paths.join(" "), destination(step))).with_comments(comments),
        );
        return;
    }
    *sources_seen = true;
    plan.sources_comments.append(&mut comments);
}

/// A copy's destination as an absolute path (a directory ends in `/`).
fn destination(step: &CopyStep) -> String {
    if step.destination_is_dir && !step.destination.ends_with('/') {
        format!("{}/", step.destination)
    } else {
        step.destination.clone()
    }
}

#[allow(clippy::too_many_arguments)]
fn run(
    plan: &mut Plan,
    dockerfile: &crate::syntax::Dockerfile,
    stage: &Stage,
    index: usize,
    instruction: &Instruction,
    mut comments: Vec<String>,
    inner: Vec<String>,
    text: &str,
    sources_seen: bool,
) {
    let runs: Vec<_> = stage.go_runs.iter().filter(|r| r.instruction == index).collect();
    let Some(script) = crate::syntax::run_script(text, dockerfile, index) else {
        plan.builder_late.push(Line::new(text.get(instruction.range.as_range()).unwrap_or_default().trim_end()));
        return;
    };
    for command in &script.commands {
        if let Some(program) = command.program()
            && matches!(program, "apk" | "apt-get" | "apt")
        {
            plan.installed.extend(crate::build::installed_packages(&script).packages.into_iter().map(|p| p.name));
            break;
        }
    }
    let builds = runs.iter().any(|r| {
        matches!(r.command.subcommand, GoSubcommand::Build | GoSubcommand::Install)
            || matches!(r.command.subcommand, GoSubcommand::Get)
            || matches!(&r.command.subcommand, GoSubcommand::Mod(verb) if verb == "download" || verb == "tidy" || verb == "verify")
    });
    if builds {
        for go_run in &runs {
            match &go_run.command.subcommand {
                GoSubcommand::Build | GoSubcommand::Install => {
                    let mut old = invocation(&go_run.command);
                    old.workdir = go_run.workdir.clone();
                    if old.cgo.is_none() {
                        old.cgo = go_run.env("CGO_ENABLED").known().map(|v| v.trim() == "1");
                    }
                    plan.old_build = Some(old);
                    plan.build_comments.append(&mut comments);
                    plan.build_comments.extend(inner.iter().cloned());
                }
                GoSubcommand::Mod(_) | GoSubcommand::Get => {
                    plan.download_comments.append(&mut comments);
                    plan.download_comments.extend(inner.iter().cloned());
                }
                _ => {}
            }
        }
        // A RUN that builds may do other things too (`chmod`, `mv`): they concerned the old layout.
        plan.build_comments.append(&mut comments);
        return;
    }
    let line = Line::new(text.get(instruction.range.as_range()).unwrap_or_default().trim_end()).with_comments(comments);
    if sources_seen { plan.builder_late.push(line) } else { plan.builder_early.push(line) }
}

/// The parts of a `go` command the new build keeps.
pub(super) fn invocation(command: &GoCommand) -> GoInvocation {
    let mut found = GoInvocation {
        packages: command.packages.iter().map(|w| w.value.clone()).collect(),
        program_args: command.program_args.iter().map(|w| w.value.clone()).collect(),
        ..GoInvocation::default()
    };
    for (name, value) in &command.env {
        if name == "CGO_ENABLED" {
            found.cgo = value.as_ref().map(|v| v.value.trim() == "1");
        }
    }
    for flag in &command.flags {
        let value = flag.value.as_ref().map(|v| v.value.clone());
        match flag.name.as_str() {
            "o" => found.output = value,
            "ldflags" => found.ldflags = value,
            "tags" => found.tags = value,
            "trimpath" => {}
            name => found.other_flags.push(match value {
                Some(value) => format!("-{name}={}", super::render::shell_word(&value)),
                None => format!("-{name}"),
            }),
        }
    }
    found
}

/// A command line in exec form read as a `go` command, through the shell model.
fn go_command_of(words: &[String]) -> Option<GoCommand> {
    let line: Vec<String> = words.iter().map(|w| super::render::shell_word(w)).collect();
    let script = parse_shell(&line.join(" "));
    let first = script.commands.first()?;
    GoCommand::from_shell(first)
}

fn start(entrypoint: Option<(usize, Vec<String>, bool)>, cmd: Option<(usize, Vec<String>, bool)>) -> Start {
    let (words, default_args) = match (entrypoint, cmd) {
        (Some((_, entry, _)), Some((_, cmd, _))) if !entry.is_empty() => (entry, cmd),
        (Some((_, entry, _)), _) if !entry.is_empty() => (entry, Vec::new()),
        (_, Some((_, cmd, _))) => (cmd, Vec::new()),
        _ => return Start::Unknown,
    };
    let Some(words) = unwrap_shell(words) else { return Start::Unknown };
    let Some(first) = words.first() else { return Start::Unknown };
    let program = first.rsplit('/').next().unwrap_or(first);
    if program == "go" {
        let mut all = words.clone();
        all.extend(default_args);
        return match go_command_of(&all) {
            Some(command) if command.subcommand == GoSubcommand::Run => Start::GoRun(invocation(&command)),
            _ => Start::Unknown,
        };
    }
    Start::Program { path: first.clone(), args: words.get(1..).unwrap_or_default().to_vec(), default_args }
}

/// The command a start command really runs: through `sh -c '…'` and `exec`; `None` when the
/// shell text is more than a plain command.
fn unwrap_shell(mut words: Vec<String>) -> Option<Vec<String>> {
    let is_shell = |word: &str| matches!(word.rsplit('/').next().unwrap_or(word), "sh" | "bash" | "ash" | "dash");
    if words.len() >= 3 && is_shell(&words[0]) && words[1] == "-c" {
        let mut inner = simple_words(&words[2])?;
        inner.extend(words.drain(3..));
        words = inner;
    }
    if words.first().is_some_and(|w| w == "exec") {
        words.remove(0);
    }
    Some(words)
}

/// Comment lines by the instruction they describe (the next one); `usize::MAX` for comments after
/// the last instruction. Parser directives are not comments.
fn attach_comments(parse: &Parse) -> BTreeMap<usize, Vec<String>> {
    let dockerfile = parse.dockerfile();
    let text = parse.text();
    let mut attached: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let directive = |range: TextRange| dockerfile.directives.iter().any(|d| d.range.start == range.start);
    for &comment in dockerfile.comments.iter().filter(|c| !directive(**c)) {
        let Some(line) = text.get(comment.as_range()) else { continue };
        let owner = dockerfile.instructions.iter().position(|i| i.range.start >= comment.end).unwrap_or(usize::MAX);
        attached.entry(owner).or_default().push(line.trim().to_string());
    }
    attached
}
