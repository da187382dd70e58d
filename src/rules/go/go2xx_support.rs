//! Shared support for the build-target rules GO201–GO212 (not a rule itself): where a `go`
//! command runs, which build-context directory that is, which module it builds, what its
//! package arguments name, and whether earlier RUNs may have changed the source tree.
//!
//! Every answer is `None`/unknown unless the Dockerfile and the workspace prove it, so that the
//! rules built on it stay silent on anything a guess would decide.

use std::sync::Arc;

use crate::build::{Build, CopyStep, EnvValue, GoRun, Stage, command_dir, is_within_image, relative_to_image};
pub(super) use crate::images::{GOARCH, GOOS};
use crate::rules::{Context, GoFacts, Severity};
use crate::syntax::{
    GoSubcommand, InstructionKind, LinkerFlags, ShellWord, SimpleCommand, TextRange, XDefinition, go_commands,
};
use crate::workspace::{GoMod, Package, PackageFile, PackageIndex, VarDecl, is_within, join};

/// A severity one step milder: the rules that mix certain failures with silent misbehaviour
/// report the latter one level below the configured severity.
pub(super) fn milder(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        Severity::Warning => Severity::Info,
        Severity::Info | Severity::Hint => Severity::Hint,
    }
}

/// The Go project around a Dockerfile, when the rules may conclude from its absence of things:
/// Go facts, a known context root and a package index that is complete.
pub(super) struct Project<'a> {
    pub(super) facts: &'a GoFacts,
    pub(super) root: &'a str,
    pub(super) index: Arc<PackageIndex>,
    /// The index may be trusted for absence (see [`PackageIndex::is_authoritative`]).
    pub(super) authoritative: bool,
}

impl<'a> Project<'a> {
    /// The project, when its package index may be trusted for absence.
    pub(super) fn new(context: &'a Context<'_>) -> Option<Project<'a>> {
        Project::module_files_only(context).filter(|project| project.authoritative)
    }

    /// The project for conclusions that need only module files (go.mod, the directory tree):
    /// the index may be incomplete or empty, and whatever depends on it says "unknown".
    pub(super) fn module_files_only(context: &'a Context<'_>) -> Option<Project<'a>> {
        let facts = context.go?;
        let root = facts.context.root.as_deref()?;
        let index = facts.workspace.package_index();
        let authoritative = index.is_authoritative();
        Some(Project { facts, root, index, authoritative })
    }

    /// The workspace path of a context-relative path (`""` is the context root).
    pub(super) fn workspace_path(&self, context_path: &str) -> Option<String> {
        if context_path.is_empty() { Some(self.root.to_string()) } else { join(self.root, context_path) }
    }

    /// A workspace path as the user knows it in the Dockerfile: relative to the context.
    pub(super) fn context_path(&self, workspace_path: &str) -> String {
        self.facts.context.relative(workspace_path).unwrap_or_else(|| workspace_path.to_string())
    }

    /// Whether the module has Go sources here at all. The corpus and other checkouts without
    /// sources must not look like modules whose packages are all missing.
    pub(super) fn has_sources(&self, module_dir: &str) -> bool {
        self.authoritative && self.index.packages_under(module_dir).next().is_some()
    }

    /// The module directory a package directory belongs to: the nearest go.mod at or above it.
    pub(super) fn module_dir_of(&self, dir: &str) -> Option<&str> {
        self.index.module_dirs.iter().filter(|m| is_within(dir, m)).max_by_key(|m| m.len()).map(String::as_str)
    }

    /// The package in `dir` if it is part of the image: indexed and not ignored by .dockerignore.
    pub(super) fn package_in_image(&self, dir: &str) -> Option<&Arc<Package>> {
        let package = self.index.package(dir)?;
        let included = package
            .files
            .iter()
            .any(|f| join(dir, &f.name).and_then(|path| self.facts.context.includes(&path)).unwrap_or(false));
        included.then_some(package)
    }

    /// The main packages of the module in `module_dir` (nested modules excluded), by directory.
    pub(super) fn main_packages<'s>(&'s self, module_dir: &'s str) -> Vec<&'s Arc<Package>> {
        self.index
            .packages_under(module_dir)
            .filter(|p| p.is_main() && self.module_dir_of(&p.dir) == Some(module_dir))
            .collect()
    }
}

/// What the image holds at a path, traced back to the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Traced {
    /// No COPY, ADD or bind mount writes at, above or below the path.
    Nothing,
    /// The path shows the context path `path` (workspace-relative). `whole`: a directory copy
    /// brings everything below it (not only some files); `exclusive`: nothing else is laid over it.
    Context { path: String, whole: bool, exclusive: bool },
    /// Something only the build knows (a build argument, another stage, an inconsistent overlay).
    Unknown,
}

/// One contribution of a copy to the tree at the traced path.
enum Contribution {
    /// A directory (or the whole context) whose contents cover the path: the path is `String`.
    Whole(String),
    /// Files or directories placed below (or at) the path; consistent when the context path at
    /// `offset` below the traced path is the source `String`.
    Below { offset: String, source: String },
}

/// Traces `image_path` through `steps` (oldest first, bind mounts last).
pub(super) fn trace(project: &Project<'_>, steps: &[&CopyStep], image_path: &str) -> Traced {
    let workspace = &project.facts.workspace;
    let mut contributions: Vec<Contribution> = Vec::new();
    for step in steps.iter().filter(|s| s.writes_within(image_path)) {
        if !step.is_plain_context_copy() {
            // A toolchain laid over the root before any source arrives (`COPY --from=xx / /`) does
            // not put Go sources there; anything from elsewhere after them might.
            if contributions.is_empty()
                && step.destination != image_path
                && is_within_image(image_path, &step.destination)
            {
                continue;
            }
            return Traced::Unknown;
        }
        for (source, _) in &step.sources {
            let Some(source) = source.as_deref() else { return Traced::Unknown };
            let below_destination = relative_to_image(image_path, &step.destination);
            let above_destination = relative_to_image(&step.destination, image_path);
            if source.contains(['*', '?', '[']) {
                let (dir, name) = source.rsplit_once('/').unwrap_or(("", source));
                // `go.*`, `*.go`: patterns with an extension name files, not directories.
                let files_only = name.contains('.') && !name.ends_with('.');
                match (below_destination.as_deref(), above_destination) {
                    (Some(""), _) => {
                        contributions.push(Contribution::Below { offset: String::new(), source: dir.into() })
                    }
                    (Some(_), _) if files_only => {}
                    (Some(_), _) => return Traced::Unknown,
                    (None, Some(offset)) => contributions.push(Contribution::Below { offset, source: dir.into() }),
                    (None, None) => {}
                }
                continue;
            }
            let Some(path) = project.workspace_path(source) else { return Traced::Unknown };
            let is_dir = source.is_empty() || workspace.dir_exists(&path);
            if is_dir {
                match (below_destination, above_destination) {
                    (Some(rest), _) => contributions.push(Contribution::Whole(join_context(source, &rest))),
                    (None, Some(offset)) => contributions.push(Contribution::Below { offset, source: source.into() }),
                    (None, None) => {}
                }
                continue;
            }
            if !workspace.file_exists(&path) {
                // The COPY itself fails; other rules say so.
                return Traced::Unknown;
            }
            let landed = if step.destination_is_dir {
                crate::build::resolve_path(&step.destination, source.rsplit('/').next().unwrap_or(source))
            } else {
                step.destination.clone()
            };
            match relative_to_image(&landed, image_path) {
                Some(offset) => contributions.push(Contribution::Below { offset, source: source.into() }),
                // A file where the path expects a directory: not a source tree.
                None if is_within_image(image_path, &landed) => return Traced::Unknown,
                None => {}
            }
        }
    }
    if contributions.is_empty() {
        return Traced::Nothing;
    }
    let whole = contributions.iter().rev().find_map(|c| match c {
        Contribution::Whole(path) => Some(path.clone()),
        Contribution::Below { .. } => None,
    });
    let anchor = match &whole {
        Some(path) => Some(path.clone()),
        None => contributions.iter().find_map(|c| match c {
            Contribution::Below { offset, source } => strip_context_suffix(source, offset),
            Contribution::Whole(_) => None,
        }),
    };
    let Some(anchor) = anchor else { return Traced::Unknown };
    let exclusive = contributions.iter().all(|c| match c {
        Contribution::Whole(path) => *path == anchor,
        Contribution::Below { offset, source } => join_context(&anchor, offset) == *source,
    });
    match project.workspace_path(&anchor) {
        Some(path) => Traced::Context { path, whole: whole.is_some(), exclusive },
        None => Traced::Unknown,
    }
}

/// `base/rest` for context paths where `""` is the root.
fn join_context(base: &str, rest: &str) -> String {
    match (base.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}/{rest}"),
    }
}

/// `source` without its trailing `/offset`: the context directory that mirrors the traced path.
fn strip_context_suffix(source: &str, offset: &str) -> Option<String> {
    if offset.is_empty() {
        return Some(source.to_string());
    }
    if source == offset {
        return Some(String::new());
    }
    source.strip_suffix(offset)?.strip_suffix('/').map(str::to_string)
}

/// Where one `go` command runs and what it sees.
pub(super) struct GoSite<'b> {
    pub(super) stage: &'b Stage,
    pub(super) run: &'b GoRun,
    /// The absolute directory the command runs in (`cd` and `-C` applied).
    pub(super) dir: String,
    /// The copies that shaped its file tree, oldest first, then the RUN's bind mounts.
    pub(super) steps: Vec<&'b CopyStep>,
}

/// The site of `run`, when its directory is known.
pub(super) fn go_site<'b>(
    context: &Context<'_>,
    build: &'b Build,
    stage: &'b Stage,
    run: &'b GoRun,
) -> Option<GoSite<'b>> {
    // Linker flags split off an unquoted `-ldflags` (GO207): the go command stops on them before
    // anything else, and the words after them are not what they seem.
    let split_ldflags = ["s", "w", "X", "extldflags", "linkmode"];
    if run.command.flags.iter().any(|f| split_ldflags.contains(&f.name.as_str())) {
        return None;
    }
    let script = context.shell(run.instruction)?;
    let mut dir = command_dir(script, run.command.range, &run.workdir)?;
    if let Some(flag) = run.command.flag("C") {
        let value = flag.value.as_ref().filter(|v| !v.dynamic)?;
        dir = crate::build::resolve_path(&dir, &value.value);
    }
    if dir.contains('$') {
        return None;
    }
    let mut steps = build.copies_before(stage.index, run.instruction);
    steps.extend(run.bind_mounts.iter());
    // `--parents` keeps source directories and `--exclude` leaves files out: the simulation
    // reads neither, so what such a copy put where is unknown.
    let unread_flags = steps.iter().any(|step| {
        context
            .dockerfile
            .instructions
            .get(step.instruction)
            .is_some_and(|i| i.flag("parents").is_some() || i.flag("exclude").is_some())
    });
    if unread_flags {
        return None;
    }
    Some(GoSite { stage, run, dir, steps })
}

/// The module a `go` command builds, as it is in the workspace and in the image.
pub(super) struct BuiltModule {
    /// The module's directory in the workspace.
    pub(super) dir: String,
    pub(super) path: String,
    pub(super) go_mod: Arc<GoMod>,
    /// The module's directory in the image.
    pub(super) image_dir: String,
    /// The go command's directory in the workspace.
    pub(super) command_dir: String,
}

impl BuiltModule {
    /// The workspace directory and image directory of an import path inside the module.
    pub(super) fn dir_of_import_path(&self, import_path: &str) -> Option<(String, String)> {
        let rest =
            if import_path == self.path { "" } else { import_path.strip_prefix(&self.path)?.strip_prefix('/')? };
        let dir = if rest.is_empty() { self.dir.clone() } else { join(&self.dir, rest)? };
        let image = if rest.is_empty() { self.image_dir.clone() } else { format!("{}/{rest}", self.image_dir) };
        Some((dir, image))
    }

    /// The import path of a workspace directory inside the module.
    pub(super) fn import_path_of(&self, dir: &str) -> Option<String> {
        if dir == self.dir {
            return Some(self.path.clone());
        }
        let rest = if self.dir == "." { dir } else { dir.strip_prefix(&self.dir)?.strip_prefix('/')? };
        Some(format!("{}/{rest}", self.path))
    }
}

/// The module the command at `site` builds: the nearest go.mod above its directory in the
/// workspace, when that go.mod is the one the image has there.
pub(super) fn built_module(project: &Project<'_>, site: &GoSite<'_>) -> Option<BuiltModule> {
    let Traced::Context { path: command_dir, .. } = trace(project, &site.steps, &site.dir) else { return None };
    let module = project.facts.workspace.module_for(&command_dir)?;
    project.facts.context.relative(&module.dir)?;
    let go_mod = Arc::clone(module.go_mod.loaded()?);
    let path = go_mod.module_path()?.to_string();
    let offset = if command_dir == module.dir {
        String::new()
    } else if module.dir == "." {
        command_dir.clone()
    } else {
        command_dir.strip_prefix(&module.dir)?.strip_prefix('/')?.to_string()
    };
    let image_dir = if offset.is_empty() {
        site.dir.clone()
    } else {
        let trimmed = site.dir.strip_suffix(&offset)?.trim_end_matches('/');
        if trimmed.is_empty() { "/".to_string() } else { trimmed.to_string() }
    };
    // The image must hold this go.mod where the go command looks for it.
    let go_mod_image = if image_dir == "/" { "/go.mod".to_string() } else { format!("{image_dir}/go.mod") };
    let module_go_mod = join(&module.dir, "go.mod")?;
    match trace(project, &site.steps, &go_mod_image) {
        Traced::Context { path, exclusive: true, .. } if path == module_go_mod => {}
        _ => return None,
    }
    Some(BuiltModule { dir: module.dir, path, go_mod, image_dir, command_dir })
}

/// A package argument of a `go` command.
#[derive(Debug)]
pub(super) enum PackageArg<'w> {
    /// A directory (a relative or absolute path, or an import path inside the module), by its
    /// image path. `word` is `None` for the implicit `.` of a command without packages.
    Dir { word: Option<&'w ShellWord>, image: String },
    /// `dir/...`: the packages at or below a directory.
    Tree { word: &'w ShellWord, image: String },
    /// `.go` files, which form one package of their directory.
    Files { words: Vec<&'w ShellWord>, image_dir: String },
    /// Anything else: an import path outside the module, `all`, `pkg@version`, a variable.
    Other { word: &'w ShellWord },
}

impl PackageArg<'_> {
    /// The Dockerfile range that names the argument (the go subcommand for the implicit `.`).
    pub(super) fn range(&self, run: &GoRun) -> TextRange {
        match self {
            PackageArg::Dir { word: Some(word), .. } | PackageArg::Tree { word, .. } | PackageArg::Other { word } => {
                word.range
            }
            PackageArg::Dir { word: None, .. } => run.command.subcommand_range,
            PackageArg::Files { words, .. } => {
                words.iter().map(|w| w.range).reduce(|a, b| a.cover(b)).unwrap_or(run.command.subcommand_range)
            }
        }
    }
}

/// The package arguments of the command at `site`, resolved against its directory (import paths
/// against `module`, when known).
pub(super) fn package_args<'w>(site: &GoSite<'w>, module: Option<&BuiltModule>) -> Vec<PackageArg<'w>> {
    let command = &site.run.command;
    if command.packages.is_empty() {
        return vec![PackageArg::Dir { word: None, image: site.dir.clone() }];
    }
    let mut args = Vec::new();
    let mut files: Vec<&ShellWord> = Vec::new();
    for word in &command.packages {
        let value = word.value.as_str();
        if word.dynamic || value.contains('@') || value.is_empty() {
            args.push(PackageArg::Other { word });
            continue;
        }
        if value.ends_with(".go") {
            files.push(word);
            continue;
        }
        let is_path = value == "."
            || value == ".."
            || value.starts_with("./")
            || value.starts_with("../")
            || value.starts_with('/');
        let image = if is_path {
            Some(crate::build::resolve_path(&site.dir, value.trim_end_matches("/...")))
        } else {
            module.and_then(|m| m.dir_of_import_path(value.trim_end_matches("/..."))).map(|(_, image)| image)
        };
        match image {
            Some(image) if value.ends_with("/...") || value == "..." => args.push(PackageArg::Tree { word, image }),
            Some(_) if value.contains("...") => args.push(PackageArg::Other { word }),
            Some(image) => args.push(PackageArg::Dir { word: Some(word), image }),
            None => args.push(PackageArg::Other { word }),
        }
    }
    if !files.is_empty() {
        let dirs: Vec<String> = files
            .iter()
            .map(|w| {
                let path = crate::build::resolve_path(&site.dir, &w.value);
                path.rsplit_once('/')
                    .map(|(d, _)| if d.is_empty() { "/".to_string() } else { d.to_string() })
                    .unwrap_or_default()
            })
            .collect();
        match dirs.first() {
            Some(first) if dirs.iter().all(|d| d == first) => {
                args.push(PackageArg::Files { words: files, image_dir: first.clone() })
            }
            _ => args.extend(files.into_iter().map(|word| PackageArg::Other { word })),
        }
    }
    args
}

/// A file the build certainly compiles, whatever the target platform and tags: no `//go:build`
/// line, no `_GOOS`/`_GOARCH` name suffix, no `import "C"`, and a package clause.
pub(super) fn always_built(file: &PackageFile) -> bool {
    file.facts.build_constraint.is_none()
        && !file.facts.uses_cgo
        && file.facts.package.is_some()
        && !has_platform_suffix(&file.name)
}

/// `x_linux.go`, `x_arm64.go`, `x_linux_arm64.go`.
pub(super) fn has_platform_suffix(name: &str) -> bool {
    let stem = name.strip_suffix(".go").unwrap_or(name);
    let parts: Vec<&str> = stem.split('_').collect();
    let known = |part: &str| GOOS.contains(&part) || GOARCH.contains(&part);
    parts.len() >= 2 && parts.last().is_some_and(|last| known(last))
}

/// Programs that leave the Go source tree and the build outputs alone (package managers,
/// printing, users, permissions).
const HARMLESS_PROGRAMS: &[&str] = &[
    "apk",
    "apt-get",
    "apt",
    "yum",
    "dnf",
    "microdnf",
    "tdnf",
    "zypper",
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
    "mkdir",
    "touch",
    "xx-verify",
    "xx-info",
    "xx-apk",
    "xx-apt-get",
    "xx-apt",
    "uname",
    "env",
    "date",
    "grep",
    "cd",
];

/// Go subcommands that do not create or move source directories or programs.
fn harmless_go(command: &crate::syntax::GoCommand) -> bool {
    match &command.subcommand {
        GoSubcommand::Build
        | GoSubcommand::Install
        | GoSubcommand::Test
        | GoSubcommand::Vet
        | GoSubcommand::Version => true,
        GoSubcommand::Get => true,
        GoSubcommand::Mod(verb) => matches!(verb.as_str(), "download" | "verify" | "graph" | "why" | "tidy" | "edit"),
        GoSubcommand::Env => !command.flags.iter().any(|f| f.name == "w" || f.name == "u"),
        GoSubcommand::Other(name) => matches!(name.as_str(), "list" | "clean" | "doc"),
        _ => false,
    }
}

/// Whether a simple command leaves the source tree alone: a harmless program, or a harmless go
/// subcommand, without redirections into `.go` files.
fn harmless(command: &SimpleCommand) -> bool {
    if command.redirects.iter().any(|r| r.target.as_ref().is_some_and(|t| t.value.ends_with(".go") || t.dynamic)) {
        return false;
    }
    if command.name.is_none() {
        return true;
    }
    if command.is("git") {
        return command.args.first().is_some_and(|a| a.value == "config");
    }
    if let Some(go) = go_commands(std::slice::from_ref(command)).next() {
        return harmless_go(&go);
    }
    command.program().is_some_and(|p| HARMLESS_PROGRAMS.contains(&p))
}

/// Whether every RUN before the command at `site` (in its stage and the stages it is built on,
/// and earlier in its own RUN) leaves the source tree as the copies made it.
pub(super) fn tree_untouched_before(context: &Context<'_>, build: &Build, site: &GoSite<'_>) -> bool {
    let run_index = site.run.instruction;
    for stage in build.ancestry(site.stage.index) {
        let Some(syntax_stage) = context.dockerfile.stages.get(stage.index) else { return false };
        for index in syntax_stage.instructions.clone() {
            let Some(instruction) = context.dockerfile.instructions.get(index) else { return false };
            if !matches!(instruction.kind, InstructionKind::Run(_)) || index > run_index {
                continue;
            }
            let Some(script) = context.shell(index) else { return false };
            if script.has_errors {
                return false;
            }
            let before = |c: &&SimpleCommand| index < run_index || c.range.start < site.run.command.range.start;
            if !script.commands.iter().filter(before).all(harmless) {
                return false;
            }
        }
    }
    true
}

/// Directories every base image has, or that the golang images create; an `-o` naming one
/// writes into it.
const BASE_DIRECTORIES: &[&str] = &[
    "/",
    "/bin",
    "/sbin",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/local/go",
    "/usr/local/go/bin",
    "/usr/lib",
    "/usr/share",
    "/usr/include",
    "/lib",
    "/lib64",
    "/etc",
    "/var",
    "/tmp",
    "/root",
    "/home",
    "/opt",
    "/srv",
    "/mnt",
    "/media",
    "/run",
    "/dev",
    "/proc",
    "/sys",
    "/go",
    "/go/bin",
    "/go/src",
    "/go/pkg",
    "/var/tmp",
];

/// Trees whose content the base image decides.
pub(super) const BASE_TREES: &[&str] = &[
    "/usr/lib",
    "/usr/share",
    "/usr/include",
    "/usr/local/go",
    "/lib",
    "/etc",
    "/var",
    "/proc",
    "/sys",
    "/dev",
    "/go/pkg",
];

/// Whether the image path may be a directory in the base image.
pub(super) fn may_be_base_directory(path: &str) -> bool {
    BASE_DIRECTORIES.contains(&path) || BASE_TREES.iter().any(|tree| is_within_image(path, tree))
}

/// Whether `path` (absolute) is certainly not a directory when the command at `site` runs: it is
/// not a base-image directory, no WORKDIR, COPY destination or mount is at or below it, no RUN
/// makes it, and no program of an earlier RUN could have.
pub(super) fn certainly_not_a_directory(context: &Context<'_>, build: &Build, site: &GoSite<'_>, path: &str) -> bool {
    if path.ends_with('/') || may_be_base_directory(path) || site.stage.golang.is_none() {
        return false;
    }
    if !tree_untouched_before(context, build, site) {
        return false;
    }
    let chain = build.ancestry(site.stage.index);
    if chain.iter().flat_map(|s| s.workdirs.values()).any(|dir| is_within_image(dir, path)) {
        return false;
    }
    if site
        .steps
        .iter()
        .any(|step| is_within_image(&step.destination, path) && (step.destination != path || step.destination_is_dir))
    {
        return false;
    }
    if let Some(InstructionKind::Run(run)) = context.dockerfile.instructions.get(site.run.instruction).map(|i| &i.kind)
    {
        let mounted = run
            .mounts
            .iter()
            .filter_map(|m| ["target", "dst", "destination"].iter().find_map(|k| m.option(k)?.value.clone()));
        if mounted.map(|t| crate::build::resolve_path(&site.run.workdir, &t)).any(|t| is_within_image(&t, path)) {
            return false;
        }
    }
    // `mkdir` anywhere before the command in the stage chain.
    for stage in &chain {
        let Some(syntax_stage) = context.dockerfile.stages.get(stage.index) else { return false };
        for index in syntax_stage.instructions.clone().filter(|i| *i <= site.run.instruction) {
            let Some(script) = context.shell(index) else { continue };
            for command in script.commands.iter().filter(|c| c.is("mkdir")) {
                let dir = command_dir(script, command.range, stage.workdir_at(index));
                let made = command.args.iter().filter(|a| !a.value.starts_with('-')).any(|a| {
                    a.dynamic
                        || dir
                            .as_deref()
                            .is_none_or(|d| is_within_image(&crate::build::resolve_path(d, &a.value), path))
                });
                if made {
                    return false;
                }
            }
        }
    }
    true
}

/// The Dockerfile text of a word, when the word is the source text as written (no continuation
/// or JSON escapes inside), so an edit inside it lands where intended.
pub(super) fn source_of<'t>(text: &'t str, word: &ShellWord) -> Option<&'t str> {
    text.get(word.range.as_range()).filter(|source| *source == word.text)
}

/// Where the `-X` target of `definition` is in the Dockerfile: the shell model places it only
/// roughly when a continuation line falls inside the quoted `-ldflags` value, so it is looked up
/// in the source of that value (`occurrence`: how many earlier definitions had the same target).
pub(super) fn x_target_range(
    text: &str,
    flags: &LinkerFlags,
    definition: &XDefinition,
    occurrence: usize,
) -> TextRange {
    let exact = text.get(definition.target_range.as_range()) == Some(definition.target.as_str());
    let found = text.get(flags.range.as_range()).and_then(|source| {
        let mut at = 0;
        let mut hits = Vec::new();
        while let Some(offset) = source.get(at..).and_then(|rest| rest.find(&definition.target)) {
            hits.push(at + offset);
            at += offset + definition.target.len().max(1);
        }
        hits.get(occurrence).copied()
    });
    match found {
        Some(offset) => {
            let start = flags.range.start + offset;
            TextRange::new(start, start + definition.target.len())
        }
        None if exact => definition.target_range,
        None => flags.range,
    }
}

/// The range that removes a flag (or a word) from a command line cleanly: with the blanks after
/// it when another word follows on the line, else with the blanks before it; a flag alone on a
/// continued line takes the whole line.
pub(super) fn removal_range(text: &str, range: TextRange) -> TextRange {
    let bytes = text.as_bytes();
    let is_blank = |b: u8| b == b' ' || b == b'\t';
    let mut after = range.end;
    while after < bytes.len() && is_blank(bytes[after]) {
        after += 1;
    }
    let line_start = text.get(..range.start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let alone_on_line = text.get(line_start..range.start).is_some_and(|t| t.bytes().all(is_blank));
    let continued = text.get(after..).is_some_and(|t| t.starts_with("\\\n") || t.starts_with("\\\r\n"));
    if alone_on_line && continued {
        let newline = text.get(after..).and_then(|t| t.find('\n')).map_or(after, |i| after + i + 1);
        return TextRange::new(line_start, newline);
    }
    let next_is_word = after < bytes.len() && !matches!(bytes[after], b'\\' | b'\n' | b'\r');
    if next_is_word && after > range.end {
        return TextRange::new(range.start, after);
    }
    let mut before = range.start;
    while before > line_start && is_blank(bytes[before - 1]) {
        before -= 1;
    }
    TextRange::new(before, range.end)
}

/// The last element of an import path that is not a major-version suffix: the default name of
/// the program `go build` writes (`example.com/foo/v2` → `foo`).
pub(super) fn program_name(import_path: &str) -> Option<&str> {
    let mut parts = import_path.rsplit('/').filter(|p| !p.is_empty());
    let last = parts.next()?;
    let is_major = last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
    if is_major { parts.next() } else { Some(last) }
}

/// Top-level names of the standard library's import paths: `-X` on them is legitimate.
pub(super) const STD_ROOTS: &[&str] = &[
    "archive",
    "bufio",
    "builtin",
    "bytes",
    "cmp",
    "cmd",
    "compress",
    "container",
    "context",
    "crypto",
    "database",
    "debug",
    "embed",
    "encoding",
    "errors",
    "expvar",
    "flag",
    "fmt",
    "go",
    "hash",
    "html",
    "image",
    "index",
    "internal",
    "io",
    "iter",
    "log",
    "maps",
    "math",
    "mime",
    "net",
    "os",
    "path",
    "plugin",
    "reflect",
    "regexp",
    "runtime",
    "slices",
    "sort",
    "strconv",
    "strings",
    "structs",
    "sync",
    "syscall",
    "testing",
    "text",
    "time",
    "unicode",
    "unique",
    "unsafe",
    "vendor",
    "weak",
];

/// What a `-X importpath.name=value` definition refers to.
pub(super) enum XTarget {
    /// A package-level variable: the package's directory, the declaring file, the declaration.
    Var { package: Arc<Package>, file: String, decl: VarDecl },
    /// Nothing the linker could set: why, a place that explains it, and a better import path.
    Missing { reason: String, related: Option<(String, TextRange, String)>, import_path: Option<String> },
    /// Not decidable here (a dependency, the standard library, a variable, sources not read).
    Unknown,
}

/// A package read in full (vars and consts), when every file of it was read without errors.
fn full_package(project: &Project<'_>, dir: &str) -> Option<Arc<Package>> {
    let package = project.facts.workspace.package(dir)?;
    let clean = package.is_complete() && package.files.iter().all(|f| f.facts.body_facts && !f.facts.has_syntax_errors);
    clean.then_some(package)
}

/// The main packages the command at `site` links, read in full; `None` when not certain.
fn built_main_packages(project: &Project<'_>, site: &GoSite<'_>, module: &BuiltModule) -> Option<Vec<Arc<Package>>> {
    let mut packages: Vec<Arc<Package>> = Vec::new();
    for arg in package_args(site, Some(module)) {
        let dirs: Vec<String> = match &arg {
            PackageArg::Dir { image, .. } | PackageArg::Files { image_dir: image, .. } => {
                match trace(project, &site.steps, image) {
                    Traced::Context { path, exclusive: true, .. } => vec![path],
                    _ => return None,
                }
            }
            PackageArg::Tree { image, .. } => match trace(project, &site.steps, image) {
                Traced::Context { path, whole: true, exclusive: true } => project
                    .index
                    .packages_under(&path)
                    .filter(|p| p.is_main() && project.module_dir_of(&p.dir) == Some(module.dir.as_str()))
                    .map(|p| p.dir.clone())
                    .collect(),
                _ => return None,
            },
            PackageArg::Other { .. } => return None,
        };
        for dir in dirs {
            let package = full_package(project, &dir)?;
            if !package.is_main() {
                continue;
            }
            packages.push(package);
        }
    }
    (!packages.is_empty()).then_some(packages)
}

/// Packages of the module that declare a variable called `name`, looked for where a mistaken
/// import path usually points: directories named like the path's last element.
fn declarations_elsewhere(
    project: &Project<'_>,
    module: &BuiltModule,
    last_element: &str,
    name: &str,
) -> Option<(String, String, TextRange)> {
    if !project.authoritative {
        return None;
    }
    let candidates = project.index.packages_under(&module.dir).filter(|p| {
        project.module_dir_of(&p.dir) == Some(module.dir.as_str())
            && (p.dir.rsplit('/').next() == Some(last_element) || p.name() == Some(last_element))
    });
    for candidate in candidates.take(20) {
        let Some(package) = full_package(project, &candidate.dir) else { continue };
        if let Some((file, decl)) = package.var(name) {
            return Some((package.dir.clone(), join(&package.dir, &file.name)?, decl.name.range));
        }
    }
    None
}

/// Resolves a `-X` definition of the command at `site` against the module it builds.
pub(super) fn resolve_x(
    project: &Project<'_>,
    site: &GoSite<'_>,
    module: &BuiltModule,
    definition: &XDefinition,
) -> XTarget {
    let (import_path, name) = (definition.import_path.as_str(), definition.name.as_str());
    if import_path.is_empty() || definition.target.contains(['$', '`', '\\', '"', '\'']) {
        return XTarget::Unknown;
    }
    if !matches!(site.run.env("GO111MODULE"), EnvValue::Unset) && site.run.env("GO111MODULE").known() != Some("on") {
        return XTarget::Unknown;
    }
    let var_in = |package: &Arc<Package>| -> Option<XTarget> {
        let (file, decl) = package.var(name)?;
        Some(XTarget::Var { package: Arc::clone(package), file: join(&package.dir, &file.name)?, decl: decl.clone() })
    };
    // Another spelling of the name in the same package.
    let near_miss = |package: &Arc<Package>| -> Option<(String, TextRange, String)> {
        let (file, decl) = package
            .files
            .iter()
            .find_map(|f| f.facts.vars.iter().find(|v| v.name.value.eq_ignore_ascii_case(name)).map(|v| (f, v)))?;
        Some((join(&package.dir, &file.name)?, decl.name.range, format!("`{}` is declared here", decl.name.value)))
    };
    // Conclusions about the module's own packages need its sources.
    let sources = project.has_sources(&module.dir);
    if import_path == "main" {
        if !sources {
            return XTarget::Unknown;
        }
        let Some(mains) = built_main_packages(project, site, module) else { return XTarget::Unknown };
        if let Some(found) = mains.iter().find_map(var_in) {
            return found;
        }
        let dirs: Vec<String> = mains.iter().map(|p| format!("`{}`", project.context_path(&p.dir))).collect();
        let constant = mains.iter().any(|p| p.has_const(name));
        let reason = if constant {
            format!("`{name}` is a constant in the main package ({}), which -X cannot set", dirs.join(", "))
        } else {
            format!("the main package ({}) has no package-level variable `{name}`", dirs.join(", "))
        };
        let related = mains.iter().find_map(near_miss);
        return XTarget::Missing { reason, related, import_path: None };
    }
    if let Some((dir, _)) = module.dir_of_import_path(import_path) {
        if !sources {
            return XTarget::Unknown;
        }
        if dir
            .split('/')
            .any(|p| (p.starts_with('.') && p != ".") || p.starts_with('_') || p == "testdata" || p == "vendor")
        {
            return XTarget::Unknown;
        }
        // A nested module owns its own import paths.
        if project.module_dir_of(&dir).is_some_and(|m| m != module.dir) {
            return XTarget::Unknown;
        }
        match full_package(project, &dir) {
            Some(package) => {
                if let Some(found) = var_in(&package) {
                    return found;
                }
                let reason = if package.has_const(name) {
                    format!("`{name}` is a constant in `{import_path}`, which -X cannot set")
                } else {
                    format!("package `{import_path}` has no package-level variable `{name}`")
                };
                return XTarget::Missing { reason, related: near_miss(&package), import_path: None };
            }
            None if project.index.package(&dir).is_none() && !project.facts.workspace.dir_exists(&dir) => {
                let last = import_path.rsplit('/').next().unwrap_or(import_path);
                let elsewhere = declarations_elsewhere(project, module, last, name);
                let reason = format!("the module has no package `{import_path}`");
                return missing_with(project, module, reason, elsewhere);
            }
            None => return XTarget::Unknown,
        }
    }
    // Not the module: the standard library, a dependency, or nothing at all.
    let first = import_path.split('/').next().unwrap_or(import_path);
    let go_mod = &module.go_mod;
    let provided = |path: &str| is_within(import_path, path);
    let dependency = go_mod.requires.iter().any(|r| provided(&r.path.value))
        || go_mod.replaces.iter().any(|r| provided(&r.from.value));
    if dependency || project.facts.context.work.is_some() {
        return XTarget::Unknown;
    }
    let complete_requirements = go_mod
        .go
        .as_ref()
        .and_then(|g| crate::images::GoVersion::parse(&g.value))
        .is_some_and(|v| v >= crate::images::GoVersion::lang(1, 17));
    let reason = if !first.contains('.') {
        if STD_ROOTS.contains(&first) {
            return XTarget::Unknown;
        }
        format!(
            "`{import_path}` is neither in the standard library nor under the module path `{}`; import paths are \
             full paths",
            module.path
        )
    } else if complete_requirements {
        format!(
            "`{import_path}` is not under the module path `{}` and no requirement in go.mod provides it",
            module.path
        )
    } else {
        return XTarget::Unknown;
    };
    let last = import_path.rsplit('/').next().unwrap_or(import_path);
    let elsewhere = declarations_elsewhere(project, module, last, name);
    missing_with(project, module, reason, elsewhere)
}

fn missing_with(
    project: &Project<'_>,
    module: &BuiltModule,
    reason: String,
    elsewhere: Option<(String, String, TextRange)>,
) -> XTarget {
    match elsewhere {
        Some((dir, file, range)) => {
            let import_path = module.import_path_of(&dir);
            let message = format!("declared in `{}`", project.context_path(&dir));
            XTarget::Missing { reason, related: Some((file, range, message)), import_path }
        }
        None => XTarget::Missing { reason, related: None, import_path: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_suffixes() {
        assert!(has_platform_suffix("net_linux.go"));
        assert!(has_platform_suffix("asm_linux_arm64.go"));
        assert!(has_platform_suffix("x_windows.go"));
        assert!(!has_platform_suffix("main.go"));
        assert!(!has_platform_suffix("linux.go"));
        assert!(!has_platform_suffix("server_test_helper.go"));
    }

    #[test]
    fn program_names_skip_major_versions() {
        assert_eq!(program_name("example.com/foo/v2"), Some("foo"));
        assert_eq!(program_name("example.com/single"), Some("single"));
        assert_eq!(program_name("github.com/a/b/cmd/app"), Some("app"));
        assert_eq!(program_name("example.com/v"), Some("v"));
        assert_eq!(program_name(""), None);
    }

    #[test]
    fn context_suffixes() {
        assert_eq!(strip_context_suffix("cmd/app", "app").as_deref(), Some("cmd"));
        assert_eq!(strip_context_suffix("go.mod", "go.mod").as_deref(), Some(""));
        assert_eq!(strip_context_suffix("x/go.mod", "").as_deref(), Some("x/go.mod"));
        assert_eq!(strip_context_suffix("other/go.mod", "cmd/go.mod"), None);
        assert_eq!(join_context("", "a"), "a");
        assert_eq!(join_context("a", ""), "a");
        assert_eq!(join_context("a", "b"), "a/b");
    }

    #[test]
    fn removal_ranges_keep_the_line_tidy() {
        let remove = |text: &str, word: &str| {
            let start = text.find(word).expect(word);
            let range = removal_range(text, TextRange::new(start, start + word.len()));
            format!("{}{}", &text[..range.start], &text[range.end..])
        };
        assert_eq!(remove("go build -a -o app .", "-a"), "go build -o app .");
        assert_eq!(remove("go build -o app -a\n", "-a"), "go build -o app\n");
        assert_eq!(remove("go build \\\n    -a \\\n    -o app .", "-a"), "go build \\\n    -o app .");
        assert_eq!(remove("go build -a \\\n  -o app .", "-a"), "go build \\\n  -o app .");
    }

    #[test]
    fn severities_step_down() {
        assert_eq!(milder(Severity::Error), Severity::Warning);
        assert_eq!(milder(Severity::Hint), Severity::Hint);
    }

    #[test]
    fn base_directories() {
        assert!(may_be_base_directory("/usr/local/bin"));
        assert!(may_be_base_directory("/etc/ssl"));
        assert!(!may_be_base_directory("/out/app"));
        assert!(!may_be_base_directory("/usr/local/bin/app"));
    }
}
