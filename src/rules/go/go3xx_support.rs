//! What the cgo and runtime-image rules (GO301–GO311) share: whether cgo is on for a `go`
//! command, which C compiler a stage has, which build tags a command builds with, which packages of
//! the workspace it builds (with the imports of theirs that apply), and which binary of the final
//! image each `go build` produced.
//!
//! Every answer keeps "not known" apart from "no": an `Option` or an explicit unknown state, so that
//! the rules stay silent rather than guess.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::build::{
    Build, CopySource, EnvValue, GoRun, InstalledPackage, Stage, installed_packages, is_c_compiler,
    provides_libc_headers, resolve_path,
};
use crate::images::RuntimeKind;
use crate::images::{GOARCH, GOOS};
use crate::rules::{Context, GoFacts};
use crate::syntax::{GoSubcommand, InstructionKind, KeyValue, TextRange};
use crate::workspace::{BuildConstraint, Package, PackageFile, is_within, join};

// ---------------------------------------------------------------------------------------------
// Stages, installs and the C compiler.

/// The stage and the stages it is built on through `FROM <stage>`, nearest first.
pub(super) fn stage_chain(build: &Build, stage: usize) -> Vec<&Stage> {
    let mut chain: Vec<&Stage> = Vec::new();
    let mut current = build.stages.get(stage);
    while let Some(found) = current.filter(|_| chain.len() <= build.stages.len()) {
        chain.push(found);
        current = match found.base {
            crate::syntax::StageBase::Stage(parent) if parent < found.index => build.stages.get(parent),
            _ => None,
        };
    }
    chain
}

/// The instruction indices of `stage` and the stages it is built on that come before `before`,
/// nearest stage first.
fn instructions_before(context: &Context<'_>, stage: usize, before: usize) -> Vec<usize> {
    let build = context.build();
    let mut indices = Vec::new();
    for (position, link) in stage_chain(build, stage).into_iter().enumerate() {
        let Some(syntax_stage) = context.dockerfile.stages.get(link.index) else { continue };
        let until = if position == 0 { before } else { usize::MAX };
        indices.extend(syntax_stage.instructions.clone().filter(|i| *i < until));
    }
    indices
}

/// The packages the RUNs of `stage` (and the stages it is built on) install before the instruction
/// at `before`, each with its RUN; `None` when some install is not fully known.
pub(super) fn installs_before(
    context: &Context<'_>,
    stage: usize,
    before: usize,
) -> Option<Vec<(usize, InstalledPackage)>> {
    let mut found = Vec::new();
    for index in instructions_before(context, stage, before) {
        let Some(InstructionKind::Run(_)) = context.dockerfile.instructions.get(index).map(|i| &i.kind) else {
            continue;
        };
        let Some(script) = context.shell(index) else { continue };
        let installs = installed_packages(script);
        if installs.incomplete {
            return None;
        }
        found.extend(installs.packages.into_iter().map(|package| (index, package)));
    }
    Some(found)
}

/// Whether a stage has a C compiler when an instruction runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Compiler {
    /// The image ships one (the Debian `golang` images).
    InImage,
    /// A RUN installs one; `without_headers` is an Alpine `gcc` installed without `musl-dev`.
    Installed {
        without_headers: Option<(usize, InstalledPackage)>,
    },
    /// None in the image and none installed.
    Absent,
    Unknown,
}

pub(super) fn compiler_before(context: &Context<'_>, stage: &Stage, before: usize) -> Compiler {
    let Some(golang) = &stage.golang else { return Compiler::Unknown };
    match golang.has_c_compiler {
        Some(true) => return Compiler::InImage,
        None => return Compiler::Unknown,
        Some(false) => {}
    }
    let Some(installs) = installs_before(context, stage.index, before) else { return Compiler::Unknown };
    if !installs.iter().any(|(_, p)| is_c_compiler(&p.name)) {
        return Compiler::Absent;
    }
    let headers = installs.iter().any(|(_, p)| provides_libc_headers(&p.name));
    let bare_gcc = installs.iter().find(|(_, p)| p.name == "gcc" && p.tool.ends_with("apk")).cloned();
    let other_compiler = installs.iter().any(|(_, p)| is_c_compiler(&p.name) && p.name != "gcc");
    Compiler::Installed { without_headers: bare_gcc.filter(|_| !headers && !other_compiler) }
}

/// Whether cgo is on for `run`: set explicitly; off when cross-compiling to another OS; otherwise the
/// image's default, which on images without a compiler turns on when the stage installs one (Go 1.20
/// and later look for `gcc` on `PATH`). `None` when only the build knows (a build argument, a
/// `GOARCH` that may or may not be the builder's, a custom `CC`).
pub(super) fn cgo_state(context: &Context<'_>, stage: &Stage, run: &GoRun) -> Option<bool> {
    match run.env("CGO_ENABLED") {
        EnvValue::Known(value) => return Some(value.trim() == "1"),
        EnvValue::Unknown => return None,
        EnvValue::Unset => {}
    }
    match run.env("GOOS") {
        EnvValue::Unset => {}
        EnvValue::Known(os) if os == "linux" => {}
        EnvValue::Known(_) => return Some(false),
        EnvValue::Unknown => return None,
    }
    if *run.env("GOARCH") != EnvValue::Unset || *run.env("CC") != EnvValue::Unset {
        return None;
    }
    let golang = stage.golang.as_ref()?;
    match compiler_before(context, stage, run.instruction) {
        Compiler::InImage | Compiler::Absent => golang.cgo_default,
        Compiler::Installed { .. } => Some(true),
        Compiler::Unknown => None,
    }
}

/// The ENV or ARG pair of the stage chain that last sets `name` before the instruction at `before`.
pub(super) fn env_pair_before<'c>(
    context: &'c Context<'_>,
    stage: usize,
    before: usize,
    name: &str,
) -> Option<&'c KeyValue> {
    let mut indices = instructions_before(context, stage, before);
    indices.sort_unstable();
    indices.iter().rev().find_map(|&index| match &context.dockerfile.instructions.get(index)?.kind {
        InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => pairs.iter().rev().find(|p| p.key == name),
        _ => None,
    })
}

/// Whether `CGO_ENABLED` is set to `0` for `run` in so many words (an ENV, ARG default or prefix).
pub(super) fn cgo_explicitly_off(run: &GoRun) -> bool {
    run.env("CGO_ENABLED").known().is_some_and(|v| v.trim() == "0")
}

// ---------------------------------------------------------------------------------------------
// Build tags.

const UNIX: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// The build tags a `go` command builds with, each known to be set, known to be unset, or unknown.
#[derive(Debug, Clone)]
pub(super) struct TargetTags {
    goos: Option<String>,
    goarch: Option<String>,
    cgo: Option<bool>,
    /// The minor version of the builder's Go (for `go1.N` tags).
    go_minor: Option<u32>,
    /// `-tags` (or GOFLAGS' `-tags`); `None` when a build-time value decides them.
    custom: Option<BTreeSet<String>>,
    race: bool,
}

impl TargetTags {
    pub(super) fn new(stage: &Stage, run: &GoRun, cgo: Option<bool>) -> TargetTags {
        let known = |name: &str| match run.env(name) {
            EnvValue::Known(value) => Some(value.trim().to_string()),
            _ => None,
        };
        let goos = match run.env("GOOS") {
            EnvValue::Unset => Some("linux".to_string()),
            _ => known("GOOS"),
        };
        let go_minor = stage.golang.as_ref().and_then(|g| g.go_version).filter(|v| v.major == 1).map(|v| v.minor);
        TargetTags {
            goos,
            goarch: known("GOARCH"),
            cgo,
            go_minor,
            custom: custom_tags(run),
            race: run.command.bool_flag("race") == Some(true),
        }
    }

    /// Whether `tag` is set; `None` when the build decides.
    pub(super) fn tag(&self, tag: &str) -> Option<bool> {
        if GOOS.contains(&tag) {
            let goos = self.goos.as_deref()?;
            return Some(
                goos == tag
                    || (tag == "linux" && goos == "android")
                    || (tag == "solaris" && goos == "illumos")
                    || (tag == "darwin" && goos == "ios"),
            );
        }
        if GOARCH.contains(&tag) {
            return Some(self.goarch.as_deref()? == tag);
        }
        match tag {
            "unix" => return Some(UNIX.contains(&self.goos.as_deref()?)),
            "cgo" => return self.cgo,
            "gc" => return Some(true),
            "gccgo" | "ignore" => return Some(false),
            "race" => return Some(self.race),
            _ => {}
        }
        if let Some(minor) = tag.strip_prefix("go1.") {
            let minor: u32 = minor.parse().ok()?;
            return Some(minor <= self.go_minor?);
        }
        if tag.starts_with("goexperiment.") || tag.contains('.') {
            // Experiments and architecture levels (amd64.v3) depend on the toolchain and target.
            return None;
        }
        Some(self.custom.as_ref()?.contains(tag))
    }

    /// Evaluates a `//go:build` expression; `None` when the answer depends on unknown tags.
    pub(super) fn eval(&self, constraint: &BuildConstraint) -> Option<bool> {
        let tags = constraint.tags();
        let unknown: Vec<&String> = tags.iter().filter(|t| self.tag(t).is_none()).collect();
        if unknown.len() > 6 {
            return None;
        }
        let mut outcome = None;
        for assignment in 0u32..(1 << unknown.len()) {
            let value = constraint.eval(&|tag: &str| match unknown.iter().position(|u| *u == tag) {
                Some(bit) => assignment & (1 << bit) != 0,
                None => self.tag(tag).unwrap_or(false),
            })?;
            match outcome {
                None => outcome = Some(value),
                Some(previous) if previous != value => return None,
                Some(_) => {}
            }
        }
        outcome
    }

    /// Whether the file is part of the build: its name's `_GOOS`/`_GOARCH` suffix, its
    /// `//go:build` line, and the implicit `cgo` constraint of `import "C"`.
    pub(super) fn file_applies(&self, file: &PackageFile) -> Option<bool> {
        let mut parts = vec![self.name_applies(&file.name)];
        if let Some(constraint) = &file.facts.build_constraint {
            parts.push(self.eval(constraint));
        }
        if file.facts.uses_cgo {
            parts.push(self.cgo);
        }
        all(parts)
    }

    /// Like [`TargetTags::file_applies`], leaving out the implicit `cgo` constraint: whether the
    /// author meant the file for this target.
    pub(super) fn file_meant_for_target(&self, file: &PackageFile) -> Option<bool> {
        let mut parts = vec![self.name_applies(&file.name)];
        if let Some(constraint) = &file.facts.build_constraint {
            parts.push(self.eval(constraint));
        }
        all(parts)
    }

    fn name_applies(&self, name: &str) -> Option<bool> {
        let stem = name.strip_suffix(".go").unwrap_or(name);
        // The part before the first `_` never constrains (`linux.go` builds everywhere).
        let Some((_, rest)) = stem.split_once('_') else { return Some(true) };
        let parts: Vec<&str> = rest.split('_').collect();
        let last = parts.last().copied().unwrap_or_default();
        let before_last = parts.len().checked_sub(2).and_then(|i| parts.get(i)).copied();
        if GOARCH.contains(&last) {
            let arch = self.tag(last);
            return match before_last.filter(|os| GOOS.contains(os)) {
                Some(os) => all(vec![self.tag(os), arch]),
                None => arch,
            };
        }
        if GOOS.contains(&last) {
            return self.tag(last);
        }
        Some(true)
    }

    /// Whether the custom tag (`netgo`, `osusergo`, `timetzdata`) is set; `None` when unknown.
    pub(super) fn custom(&self, tag: &str) -> Option<bool> {
        Some(self.custom.as_ref()?.contains(tag))
    }
}

/// `Some(false)` if any part is false, `Some(true)` if all are true, else `None`.
fn all(parts: Vec<Option<bool>>) -> Option<bool> {
    if parts.contains(&Some(false)) {
        return Some(false);
    }
    parts.into_iter().try_fold(true, |acc, part| part.map(|p| acc && p))
}

/// The command's `-tags`, or GOFLAGS' when the command has none.
fn custom_tags(run: &GoRun) -> Option<BTreeSet<String>> {
    let split = |value: &str| -> BTreeSet<String> {
        value.split([',', ' ']).filter(|t| !t.is_empty()).map(str::to_string).collect()
    };
    if let Some(flag) = run.command.flag("tags") {
        let word = flag.value.as_ref()?;
        return (!word.dynamic).then(|| split(&word.value));
    }
    match run.env("GOFLAGS") {
        EnvValue::Unset => Some(BTreeSet::new()),
        EnvValue::Unknown => None,
        EnvValue::Known(flags) => {
            let tags =
                flags.split_whitespace().filter_map(|f| f.trim_start_matches('-').strip_prefix("tags=")).next_back();
            Some(tags.map(split).unwrap_or_default())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The packages a `go` command builds.

/// One package of the workspace that a `go` command compiles, with the files that certainly
/// take part.
#[derive(Debug, Clone)]
pub(super) struct BuiltPackage {
    pub package: Arc<Package>,
    /// Named on the command line (rather than imported).
    pub target: bool,
    /// The package's files present in the image, whatever their constraints.
    pub present: Vec<PackageFile>,
    /// Those of `present` that certainly take part in this build.
    pub files: Vec<PackageFile>,
}

impl BuiltPackage {
    /// The workspace path of one of its files.
    pub(super) fn file_path(&self, file: &PackageFile) -> String {
        join(&self.package.dir, &file.name).unwrap_or_else(|| file.name.clone())
    }
}

/// The workspace packages a `go build`, `go install` or `go run` compiles: its targets and what
/// they import within their module, transitively.
#[derive(Debug, Clone, Default)]
pub(super) struct BuiltCode {
    pub packages: Vec<BuiltPackage>,
    /// Every target was found, every import within the module was found and every file's build
    /// constraint was decided: absence of an import in the module's code is certain.
    pub complete: bool,
}

/// The package's cgo files meant for this target that cgo being off leaves out, unless the package
/// handles cgo-free builds itself (a `//go:build` line naming `cgo`).
pub(super) fn excluded_cgo_files<'p>(package: &'p BuiltPackage, tags: &TargetTags) -> Option<Vec<&'p PackageFile>> {
    let handles_cgo = package
        .present
        .iter()
        .any(|file| file.facts.build_constraint.as_ref().is_some_and(|c| c.tags().iter().any(|tag| tag == "cgo")));
    if handles_cgo {
        return None;
    }
    let files: Vec<&PackageFile> = package
        .present
        .iter()
        .filter(|file| file.facts.uses_cgo && tags.file_meant_for_target(file) == Some(true))
        .collect();
    (!files.is_empty()).then_some(files)
}

/// An import that proves something, for messages and related information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ImportSite {
    /// The importing file, relative to the workspace folder.
    pub file: String,
    /// The import path's string literal in that file.
    pub range: TextRange,
    pub path: String,
}

impl BuiltCode {
    /// The first import (in package order) of a path that `wanted` accepts.
    pub(super) fn find_import(&self, wanted: impl Fn(&str) -> bool) -> Option<ImportSite> {
        self.packages.iter().find_map(|package| {
            package.files.iter().find_map(|file| {
                let import = file.facts.imports.iter().find(|i| wanted(&i.path.value))?;
                Some(ImportSite {
                    file: package.file_path(file),
                    range: import.path.range,
                    path: import.path.value.clone(),
                })
            })
        })
    }

    pub(super) fn targets(&self) -> impl Iterator<Item = &BuiltPackage> {
        self.packages.iter().filter(|p| p.target)
    }
}

/// The workspace packages `run` compiles, or `None` when that cannot be known: not a compiling
/// command, no build context, the package index incomplete, or no target found.
pub(super) fn built_code(
    context: &Context<'_>,
    facts: &GoFacts,
    stage: &Stage,
    run: &GoRun,
    tags: &TargetTags,
) -> Option<BuiltCode> {
    if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run) {
        return None;
    }
    let index = facts.workspace.package_index();
    if !index.is_authoritative() {
        return None;
    }
    let root = facts.context.root.as_deref()?;
    let build = context.build();
    let mut code = BuiltCode { packages: Vec::new(), complete: true };
    let mut queue: Vec<(Arc<Package>, Vec<PackageFile>)> = Vec::new();
    let arguments: Vec<(String, bool)> = if run.command.packages.is_empty() {
        vec![(".".to_string(), false)]
    } else {
        run.command.packages.iter().map(|word| (word.value.clone(), word.dynamic)).collect()
    };
    for (argument, dynamic) in arguments {
        if dynamic || argument.contains('@') {
            code.complete = false;
            continue;
        }
        let (pattern, only_file) = match argument.strip_suffix(".go") {
            Some(_) => {
                let path = resolve_path(&run.workdir, &argument);
                let (dir, file) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
                (if dir.is_empty() { "/".to_string() } else { dir.to_string() }, Some(file.to_string()))
            }
            None => (argument.clone(), None),
        };
        let local = pattern.starts_with('.') || pattern.starts_with('/');
        let (base, recursive) = match pattern.strip_suffix("/...") {
            Some(base) => (base.to_string(), true),
            None if pattern == "..." => (".".to_string(), true),
            None => (pattern.clone(), false),
        };
        if base.contains("...") {
            code.complete = false;
            continue;
        }
        if !local {
            // An import path: only the module's own packages are looked at.
            match import_path_dir(facts, &base) {
                Some(dir) => {
                    let found: Vec<Arc<Package>> = if recursive {
                        index.packages_under(&dir).cloned().collect()
                    } else {
                        index.package(&dir).cloned().into_iter().collect()
                    };
                    if found.is_empty() {
                        code.complete = false;
                    }
                    for package in found {
                        let files = included_files(facts, &package);
                        queue.push((package, files));
                    }
                }
                None => code.complete = false,
            }
            continue;
        }
        let image_dir = resolve_path(&run.workdir, &base);
        let Some(sources) = build.context_sources_of(stage.index, run, &image_dir) else {
            code.complete = false;
            continue;
        };
        let mut found_any = false;
        for source in sources {
            let Some(workspace_dir) = join(root, if source.is_empty() { "." } else { &source }) else { continue };
            let packages: Vec<Arc<Package>> = if recursive {
                index.packages_under(&workspace_dir).cloned().collect()
            } else {
                index.package(&workspace_dir).cloned().into_iter().collect()
            };
            for package in packages {
                let package_image_dir = resolve_path(&image_dir, &relative_dir(&package.dir, &workspace_dir));
                let files: Vec<PackageFile> = package
                    .files
                    .iter()
                    .filter(|file| only_file.as_deref().is_none_or(|only| only == file.name))
                    .filter(|file| {
                        let path = join(&package.dir, &file.name).unwrap_or_default();
                        let in_context = facts.context.relative(&path);
                        facts.context.includes(&path) == Some(true)
                            && in_context.and_then(|p| build.context_destination_of(stage.index, run, &p))
                                == Some(resolve_path(&package_image_dir, &file.name))
                    })
                    .cloned()
                    .collect();
                if !files.is_empty() {
                    found_any = true;
                    queue.push((package, files));
                }
            }
        }
        if !found_any {
            code.complete = false;
        }
    }
    if queue.is_empty() {
        return None;
    }
    let targets = queue.len();
    let mut position = 0;
    while let Some((package, present)) = queue.get(position).cloned() {
        position += 1;
        if code.packages.iter().any(|p| p.package.dir == package.dir) {
            continue;
        }
        let mut files = Vec::new();
        for file in &present {
            match tags.file_applies(file) {
                Some(true) => files.push(file.clone()),
                Some(false) => {}
                None => code.complete = false,
            }
        }
        for file in &files {
            for import in &file.facts.imports {
                let path = &import.path.value;
                let Some(dir) = import_path_dir(facts, path) else { continue };
                match index.package(&dir) {
                    Some(imported) => {
                        if !code.packages.iter().any(|p| p.package.dir == imported.dir)
                            && !queue.iter().any(|(q, _)| q.dir == imported.dir)
                        {
                            let included = included_files(facts, imported);
                            queue.push((Arc::clone(imported), included));
                        }
                    }
                    None => code.complete = false,
                }
            }
        }
        code.packages.push(BuiltPackage { package, target: position <= targets, present, files });
    }
    Some(code)
}

/// `dir` relative to `base` (both workspace paths, `dir` at or below `base`); `""` when equal.
fn relative_dir(dir: &str, base: &str) -> String {
    if dir == base {
        return String::new();
    }
    if base == "." {
        return dir.to_string();
    }
    dir.strip_prefix(base).map(|rest| rest.trim_start_matches('/')).unwrap_or_default().to_string()
}

/// The files of a package that the build context includes.
fn included_files(facts: &GoFacts, package: &Package) -> Vec<PackageFile> {
    package
        .files
        .iter()
        .filter(|file| facts.context.includes(&join(&package.dir, &file.name).unwrap_or_default()) == Some(true))
        .cloned()
        .collect()
}

/// The workspace directory of an import path of the build context's module, if it is one.
fn import_path_dir(facts: &GoFacts, import_path: &str) -> Option<String> {
    let module = facts.context.module.as_ref()?;
    let module_path = module.path()?;
    let rest = match import_path.strip_prefix(module_path) {
        Some("") => ".",
        Some(rest) => rest.strip_prefix('/')?,
        None => return None,
    };
    join(&module.dir, rest)
}

/// The name `go build` gives a package's program: the last element of its import path, without a
/// major-version suffix (`example.com/app/v2` → `app`).
pub(super) fn program_name(facts: &GoFacts, dir: &str) -> Option<String> {
    let module = facts.context.module.as_ref()?;
    let module_path = module.path()?;
    let import_path = if dir == module.dir {
        module_path.to_string()
    } else {
        let relative = dir.strip_prefix(module.dir.as_str()).map(|r| r.trim_start_matches('/'));
        let relative = if module.dir == "." { Some(dir) } else { relative };
        format!("{module_path}/{}", relative.filter(|_| is_within(dir, &module.dir))?)
    };
    let mut elements = import_path.rsplit('/');
    let last = elements.next()?;
    let is_major = last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
    Some(if is_major { elements.next().unwrap_or(last) } else { last }.to_string())
}

/// Standard packages whose use links the cgo resolver or user lookup when cgo is on, making the
/// program dynamically linked on Linux: `net` and what imports it, `os/user`, `plugin`.
pub(super) fn links_libc_with_cgo(import_path: &str, tags: &TargetTags) -> bool {
    let net = import_path == "net"
        || ["net/http", "net/rpc", "net/smtp", "net/textproto"]
            .iter()
            .any(|p| import_path == *p || import_path.starts_with(&format!("{p}/")))
        || matches!(import_path, "crypto/tls" | "crypto/x509" | "log/syslog" | "expvar");
    let user = import_path == "os/user";
    (net && tags.custom("netgo") != Some(true))
        || (user && tags.custom("osusergo") != Some(true))
        || import_path == "plugin"
}

// ---------------------------------------------------------------------------------------------
// Binaries of the final image.

/// Where a `go build` or `go install` writes its program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Output {
    pub path: String,
    /// `path` is a directory the program is written into.
    pub is_dir: bool,
}

/// The program `run` writes, when that is known.
pub(super) fn output_of(facts: &GoFacts, code: Option<&BuiltCode>, run: &GoRun) -> Option<Output> {
    match run.command.subcommand {
        GoSubcommand::Build => {
            if let Some(flag) = run.command.flag("o") {
                let word = flag.value.as_ref().filter(|w| !w.dynamic)?;
                let is_dir = word.value.ends_with('/');
                return Some(Output { path: resolve_path(&run.workdir, &word.value), is_dir });
            }
            // Without -o, one main package is written to the working directory under its name.
            let code = code?;
            let mut targets = code.targets();
            let target = targets.next()?;
            if targets.next().is_some() || !code.complete {
                return None;
            }
            let name = program_name(facts, &target.package.dir)?;
            Some(Output { path: resolve_path(&run.workdir, &name), is_dir: false })
        }
        GoSubcommand::Install => {
            let directory = match run.env("GOBIN") {
                EnvValue::Known(dir) => dir.clone(),
                EnvValue::Unknown => return None,
                EnvValue::Unset => format!("{}/bin", run.env("GOPATH").known().unwrap_or("/go")),
            };
            Some(Output { path: resolve_path("/", &directory), is_dir: true })
        }
        _ => None,
    }
}

/// A program in the final image traced back to the `go` command that wrote it.
#[derive(Debug, Clone)]
pub(super) struct Shipped<'b> {
    /// The source word of the final stage's `COPY --from=…`.
    pub source_range: TextRange,
    /// The stage whose `go` command wrote it.
    pub producer: &'b Stage,
    pub run: &'b GoRun,
    pub output: Output,
}

/// The programs the final stage copies out of build stages, each traced to its `go` command.
/// A final stage that is itself a build stage (or built on one) ships nothing by this definition.
pub(super) fn shipped_programs<'b>(context: &'b Context<'_>, facts: &GoFacts) -> Vec<Shipped<'b>> {
    let build = context.build();
    let Some(last) = build.final_stage() else { return Vec::new() };
    if last.golang.is_some() {
        return Vec::new();
    }
    let mut shipped = Vec::new();
    for step in build.copies_before(last.index, usize::MAX) {
        let CopySource::Stage(from) = step.source else { continue };
        for (source, range) in &step.sources {
            let Some(source) = source else { continue };
            let path = resolve_path("/", source);
            let mut found: Option<(&Stage, &GoRun, Output)> = None;
            for producer in build.stages.iter().filter(|s| build.is_based_on(from, s.index)) {
                for run in &producer.go_runs {
                    // The built packages are only needed to name a program built without -o.
                    let code = (run.command.subcommand == GoSubcommand::Build && run.command.flag("o").is_none())
                        .then(|| {
                            let tags = TargetTags::new(producer, run, cgo_state(context, producer, run));
                            built_code(context, facts, producer, run, &tags)
                        })
                        .flatten();
                    let Some(output) = output_of(facts, code.as_ref(), run) else { continue };
                    let matches = path == output.path
                        || is_within(output.path.trim_start_matches('/'), path.trim_start_matches('/'))
                        || (output.is_dir
                            && is_within(path.trim_start_matches('/'), output.path.trim_start_matches('/')));
                    if matches {
                        found = Some((producer, run, output));
                    }
                }
            }
            if let Some((producer, run, output)) = found {
                shipped.push(Shipped { source_range: *range, producer, run, output });
            }
        }
    }
    shipped
}

/// Why a program is linked dynamically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DynamicBecause {
    /// A built file imports "C".
    CgoCode(ImportSite),
    /// A built file imports a standard package that links libc when cgo is on (`net`, `os/user`);
    /// `cgo_optional` when cgo is on only by the image's default and no built code needs it, so
    /// `CGO_ENABLED=0` makes the program static without breaking the build.
    Libc { site: ImportSite, cgo_optional: bool },
    /// `-race` (the race runtime is cgo code).
    Race,
    /// `-buildmode=pie` (the program needs the dynamic loader).
    Pie,
}

impl DynamicBecause {
    pub(super) fn describe(&self) -> String {
        match self {
            DynamicBecause::CgoCode(site) => format!("{} uses cgo", site.file),
            DynamicBecause::Libc { site, .. } => {
                format!("{} imports `{}`, which links libc when cgo is on", site.file, site.path)
            }
            DynamicBecause::Race => "`-race` links the race runtime through cgo".to_string(),
            DynamicBecause::Pie => "`-buildmode=pie` needs the dynamic loader".to_string(),
        }
    }

    /// The import that shows it, if any.
    pub(super) fn site(&self) -> Option<&ImportSite> {
        match self {
            DynamicBecause::CgoCode(site) | DynamicBecause::Libc { site, .. } => Some(site),
            _ => None,
        }
    }

    /// Whether the program needs glibc's symbols (not only its loader, as a cgo-free PIE does).
    pub(super) fn uses_libc(&self) -> bool {
        !matches!(self, DynamicBecause::Pie)
    }
}

/// Whether the program `run` writes is certainly linked dynamically, and why; `None` when it is
/// static or not known (cgo state unknown, linker flags only the build knows, `-extldflags -static`).
pub(super) fn dynamic_linking(
    context: &Context<'_>,
    facts: &GoFacts,
    stage: &Stage,
    run: &GoRun,
) -> Option<DynamicBecause> {
    match run.env("GOFLAGS") {
        EnvValue::Unknown => return None,
        EnvValue::Known(flags) if flags.contains("ldflags") => return None,
        EnvValue::Known(flags) if flags.contains("buildmode=pie") => return Some(DynamicBecause::Pie),
        _ => {}
    }
    if let Some(flag) = run.command.flag("ldflags") {
        let word = flag.value.as_ref()?;
        if word.dynamic {
            return None;
        }
        let ldflags = run.command.ldflags()?;
        if ldflags.extldflags.as_deref().is_some_and(|e| e.contains("-static")) {
            return None;
        }
    }
    if let Some(flag) = run.command.flag("buildmode") {
        return match flag.value.as_ref().map(|v| v.value.as_str()) {
            Some("pie") => Some(DynamicBecause::Pie),
            Some("exe" | "default") => dynamic_by_cgo(context, facts, stage, run),
            _ => None,
        };
    }
    dynamic_by_cgo(context, facts, stage, run)
}

fn dynamic_by_cgo(context: &Context<'_>, facts: &GoFacts, stage: &Stage, run: &GoRun) -> Option<DynamicBecause> {
    if cgo_state(context, stage, run)? {
        if run.command.bool_flag("race") == Some(true) {
            return Some(DynamicBecause::Race);
        }
        let tags = TargetTags::new(stage, run, Some(true));
        let code = built_code(context, facts, stage, run, &tags)?;
        if let Some(site) = code.find_import(|path| path == "C") {
            return Some(DynamicBecause::CgoCode(site));
        }
        let site = code.find_import(|path| links_libc_with_cgo(path, &tags))?;
        let cgo_optional = code.complete && *run.env("CGO_ENABLED") == EnvValue::Unset;
        return Some(DynamicBecause::Libc { site, cgo_optional });
    }
    None
}

/// The safe fix for a program that is dynamic only because cgo is on by default: `CGO_ENABLED=0`
/// in front of the `go` command.
pub(super) fn cgo_off_fix(run: &GoRun, because: &DynamicBecause) -> Option<(TextRange, &'static str)> {
    matches!(because, DynamicBecause::Libc { cgo_optional: true, .. })
        .then(|| (TextRange::new(run.command.range.start, run.command.range.start), "CGO_ENABLED=0 "))
}

/// Where the final stage puts a shipped program (its path in the image, for `exec …` messages).
pub(super) fn shipped_path(context: &Context<'_>, shipped: &Shipped<'_>) -> Option<String> {
    let build = context.build();
    let last = build.final_stage()?;
    let step = build
        .copies_before(last.index, usize::MAX)
        .into_iter()
        .find(|s| s.sources.iter().any(|(_, r)| *r == shipped.source_range))?;
    let source = step.sources.iter().find(|(_, r)| *r == shipped.source_range)?.0.clone()?;
    if shipped.output.is_dir {
        return step.destination_of(&source);
    }
    let program = shipped.output.path.trim_start_matches('/');
    step.destination_of(program).or_else(|| step.destination_of(&source))
}

// ---------------------------------------------------------------------------------------------
// The final image.

/// Whether the final image is meant to run as a container: anything but a `scratch` stage without
/// ENTRYPOINT or CMD, which is how Dockerfiles export build results (`docker build --output`).
pub(super) fn final_image_runs(context: &Context<'_>) -> bool {
    let build = context.build();
    let Some(last) = build.final_stage() else { return false };
    if last.runtime.kind != RuntimeKind::Scratch {
        return true;
    }
    instructions_before(context, last.index, usize::MAX).iter().any(|&index| {
        matches!(
            context.dockerfile.instructions.get(index).map(|i| &i.kind),
            Some(InstructionKind::Entrypoint(_) | InstructionKind::Cmd(_))
        )
    })
}

/// The value an ENV of `stage` (or a stage it is built on) gives `name` last, as written; `Some(None)`
/// when it involves a variable.
pub(super) fn env_in_stage(context: &Context<'_>, stage: usize, name: &str) -> Option<Option<String>> {
    let mut indices = instructions_before(context, stage, usize::MAX);
    // `instructions_before` lists the nearest stage first; the last ENV wins in build order.
    indices.sort_unstable();
    indices.iter().rev().find_map(|&index| match &context.dockerfile.instructions.get(index)?.kind {
        InstructionKind::Env(pairs) => pairs.iter().rev().find(|p| p.key == name).map(|pair| {
            let value = pair.value.clone().unwrap_or_default();
            (!value.contains('$')).then_some(value)
        }),
        _ => None,
    })
}

/// Whether something copied into the final stage could provide `path` (absolute): a copy whose
/// destination is `path` or a directory above it, or one that adds files to the directory `dir`
/// (when given). Copies of a program traced to a `go` command do not count.
pub(super) fn final_stage_may_provide(
    context: &Context<'_>,
    facts: &GoFacts,
    shipped: &[Shipped<'_>],
    path: &str,
    dir: Option<&str>,
) -> bool {
    let build = context.build();
    let Some(last) = build.final_stage() else { return true };
    for step in build.copies_before(last.index, usize::MAX) {
        let programs_only = step.sources.iter().all(|(_, range)| shipped.iter().any(|s| s.source_range == *range));
        if programs_only && !step.sources.is_empty() {
            continue;
        }
        let destination = step.destination.trim_start_matches('/');
        let target = path.trim_start_matches('/');
        let into_dir = dir.is_some_and(|d| is_within(destination, d.trim_start_matches('/')));
        let at_or_above = destination.is_empty() || is_within(target, destination);
        if !(into_dir || at_or_above) {
            continue;
        }
        match step.source {
            CopySource::Context => {
                // The workspace tells whether the context holds something that lands there.
                let Some(root) = facts.context.root.as_deref() else { return true };
                let Some(candidates) = step.sources_for(path) else { return true };
                if into_dir && !at_or_above {
                    return true;
                }
                let exists = candidates.iter().any(|c| {
                    join(root, if c.is_empty() { "." } else { c })
                        .is_some_and(|p| facts.workspace.file_exists(&p) || facts.workspace.dir_exists(&p))
                });
                if exists {
                    return true;
                }
            }
            _ => return true,
        }
    }
    false
}

/// Whether a RUN of the final stage (or a stage it is built on) installs one of `packages`;
/// `None` when what the RUNs install is not fully known.
pub(super) fn final_stage_installs(context: &Context<'_>, packages: &[&str]) -> Option<bool> {
    let build = context.build();
    let last = build.final_stage()?;
    let installs = installs_before(context, last.index, usize::MAX)?;
    Some(installs.iter().any(|(_, p)| packages.contains(&p.name.as_str())))
}

/// The start of the `go` command up to its subcommand (`CGO_ENABLED=0 go build`): where the cgo
/// rules report.
pub(super) fn command_head(run: &GoRun) -> TextRange {
    TextRange::new(run.command.range.start, run.command.subcommand_range.end.max(run.command.range.start))
}

/// The instruction to insert new lines after in the final stage: its FROM.
pub(super) fn final_from_end(context: &Context<'_>) -> Option<usize> {
    let last = context.build().final_stage()?;
    Some(context.dockerfile.instructions.get(last.from)?.range.end)
}

/// How a later stage names `stage` in `--from=`: its name, or its index.
pub(super) fn stage_reference(stage: &Stage) -> String {
    stage.name.clone().unwrap_or_else(|| stage.index.to_string())
}

#[cfg(test)]
mod tests {
    use std::cell::OnceCell;

    use super::*;
    use crate::rules::RuleOptions;
    use crate::syntax::ShellScripts;
    use crate::workspace::parse_go_header;

    /// Runs `f` with a rule context for `text` (no workspace).
    fn with_context<R>(text: &str, f: impl FnOnce(&Context<'_>) -> R) -> R {
        let parse = crate::syntax::parse(text);
        let options = RuleOptions::default();
        let context = Context {
            parse: &parse,
            dockerfile: parse.dockerfile(),
            text: parse.text(),
            options: &options,
            shells: ShellScripts::new(parse.text(), parse.dockerfile()),
            go: None,
            build: OnceCell::new(),
            scope: OnceCell::new(),
            shipping_stages: OnceCell::new(),
        };
        f(&context)
    }

    fn tags_for(text: &str, cgo: Option<bool>) -> TargetTags {
        let build = Build::simulate(&crate::syntax::parse(text));
        let (stage, run) = build.go_runs().next().expect("a go command");
        TargetTags::new(stage, run, cgo)
    }

    fn file(name: &str, source: &str) -> PackageFile {
        PackageFile { name: name.to_string(), facts: Arc::new(parse_go_header(source.as_bytes())) }
    }

    #[test]
    fn tags_of_a_native_linux_build() {
        let tags = tags_for("FROM golang:1.23\nRUN go build -tags netgo,osusergo .\n", Some(false));
        assert_eq!(tags.tag("linux"), Some(true));
        assert_eq!(tags.tag("unix"), Some(true));
        assert_eq!(tags.tag("windows"), Some(false));
        assert_eq!(tags.tag("amd64"), None);
        assert_eq!(tags.tag("cgo"), Some(false));
        assert_eq!(tags.tag("go1.21"), Some(true));
        assert_eq!(tags.tag("go1.24"), Some(false));
        assert_eq!(tags.custom("netgo"), Some(true));
        assert_eq!(tags.tag("integration"), Some(false));
        let unknown = tags_for("FROM golang:1.23\nARG GOFLAGS\nRUN go build .\n", None);
        assert_eq!(unknown.tag("integration"), None);
        let goflags =
            tags_for("FROM golang:1.23\nENV GOFLAGS=\"-mod=vendor -tags=timetzdata\"\nRUN go build .\n", None);
        assert_eq!(goflags.custom("timetzdata"), Some(true));
    }

    #[test]
    fn files_apply_by_name_constraint_and_cgo() {
        let tags = tags_for("FROM golang:1.23\nRUN GOARCH=arm64 go build .\n", Some(false));
        assert_eq!(tags.file_applies(&file("a_linux.go", "package a\n")), Some(true));
        assert_eq!(tags.file_applies(&file("a_windows.go", "package a\n")), Some(false));
        assert_eq!(tags.file_applies(&file("a_linux_amd64.go", "package a\n")), Some(false));
        assert_eq!(tags.file_applies(&file("linux.go", "package a\n")), Some(true));
        let cgo = file("c.go", "package a\n\n// #include <stdio.h>\nimport \"C\"\n");
        assert_eq!(tags.file_applies(&cgo), Some(false));
        assert_eq!(tags.file_meant_for_target(&cgo), Some(true));
        let tagged = file("t.go", "//go:build linux && !integration\n\npackage a\n");
        assert_eq!(tags.file_applies(&tagged), Some(true));
        let by_arch = file("x.go", "//go:build amd64 || arm64\n\npackage a\n");
        assert_eq!(tags.file_applies(&by_arch), Some(true));
        let unknown_arch = tags_for("FROM golang:1.23\nRUN go build .\n", None);
        assert_eq!(unknown_arch.file_applies(&file("y.go", "//go:build amd64\n\npackage a\n")), None);
        assert_eq!(unknown_arch.file_applies(&file("z.go", "//go:build ignore\n\npackage main\n")), Some(false));
    }

    #[test]
    fn cgo_follows_explicit_values_cross_builds_and_installed_compilers() {
        let cases = [
            ("FROM golang:1.23\nRUN go build .\n", Some(true)),
            ("FROM golang:1.23\nRUN CGO_ENABLED=0 go build .\n", Some(false)),
            ("FROM golang:1.23\nRUN GOOS=linux go build .\n", Some(true)),
            ("FROM golang:1.23\nRUN GOOS=darwin go build .\n", Some(false)),
            ("FROM golang:1.23\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build .\n", None),
            ("FROM golang:1.23-alpine\nRUN go build .\n", Some(false)),
            ("FROM golang:1.23-alpine\nRUN apk add --no-cache gcc musl-dev\nRUN go build .\n", Some(true)),
            ("FROM golang:1.23-alpine\nRUN apk add $PKGS\nRUN go build .\n", None),
            ("FROM golang:1.19-alpine\nRUN go build .\n", Some(true)),
            ("FROM golang:1.23-alpine\nENV CC=clang\nRUN go build .\n", None),
        ];
        for (text, expected) in cases {
            let seen = with_context(text, |context| {
                let build = context.build();
                let (stage, run) = build.go_runs().next().expect("a go command");
                cgo_state(context, stage, run)
            });
            assert_eq!(seen, expected, "{text}");
        }
    }

    #[test]
    fn alpine_gcc_without_headers() {
        let compiler = |text: &str| {
            with_context(text, |context| {
                let build = context.build();
                let (stage, run) = build.go_runs().next().expect("a go command");
                compiler_before(context, stage, run.instruction)
            })
        };
        let bare = compiler("FROM golang:1.23-alpine\nRUN apk add gcc\nRUN go build .\n");
        assert!(matches!(bare, Compiler::Installed { without_headers: Some(_) }), "{bare:?}");
        let full = compiler("FROM golang:1.23-alpine\nRUN apk add gcc musl-dev\nRUN go build .\n");
        assert_eq!(full, Compiler::Installed { without_headers: None });
        assert_eq!(compiler("FROM golang:1.23-alpine\nRUN apk add git\nRUN go build .\n"), Compiler::Absent);
        assert_eq!(compiler("FROM golang:1.23\nRUN go build .\n"), Compiler::InImage);
        // Installed in a parent stage, used in a child.
        let inherited =
            compiler("FROM golang:1.23-alpine AS base\nRUN apk add build-base\nFROM base\nRUN go build .\n");
        assert_eq!(inherited, Compiler::Installed { without_headers: None });
    }

    #[test]
    fn directories_relative_to_a_base() {
        assert_eq!(relative_dir("cmd/app", "."), "cmd/app");
        assert_eq!(relative_dir("svc/cmd/app", "svc"), "cmd/app");
        assert_eq!(relative_dir("svc", "svc"), "");
        assert_eq!(relative_dir(".", "."), "");
    }

    #[test]
    fn net_and_user_packages_link_libc() {
        let link = links_libc_with_cgo("net/http/pprof", &tags_for("FROM golang:1.23\nRUN go build .\n", Some(true)));
        assert!(link);
        let netgo = tags_for("FROM golang:1.23\nRUN go build -tags netgo .\n", Some(true));
        assert!(!links_libc_with_cgo("net/http", &netgo));
        assert!(links_libc_with_cgo("os/user", &netgo));
        assert!(!links_libc_with_cgo("net/url", &netgo));
    }
}
