//! The build simulated statically: what each stage starts from, where it works, which files
//! COPY/ADD bring in, and which `go` commands RUN executes with which environment.
//!
//! Pure: syntax in (plus the offline image knowledge), facts out; the Go workspace is consulted by
//! the rules, not here. BuildKit's rules are followed where they matter for Go builds: variables are
//! expanded with [`Scope`] (global ARGs, redeclaration, platform ARGs), WORKDIR resolves against the
//! previous one, a stage built `FROM <stage>` inherits its parent's state, and values that only the
//! build knows (`--build-arg` without default, `$TARGETARCH`) stay [`EnvValue::Unknown`] so that
//! rules can stay silent about them.

mod copy;
mod origin;
mod packages;
mod paths;

use std::collections::BTreeMap;

pub use copy::{CopySource, CopyStep};
pub use packages::{InstalledPackage, Installs, installed_packages, is_c_compiler, provides_libc_headers};
pub use paths::{command_dir, is_within_image, relative_to_image};

use crate::images::{GolangImage, RuntimeImage};
use crate::syntax::{Command, GoCommand, InstructionKind, Parse, Scope, StageBase, TextRange, go_commands};

/// The Go environment variables the simulation tracks.
pub const GO_ENV: &[&str] = &[
    "CGO_ENABLED",
    "GOOS",
    "GOARCH",
    "GOARM",
    "GOAMD64",
    "GOFLAGS",
    "GOTOOLCHAIN",
    "GOPATH",
    "GOBIN",
    "GOCACHE",
    "GOMODCACHE",
    "GO111MODULE",
    "GOPRIVATE",
    "GOPROXY",
    "GONOSUMDB",
    "GONOSUMCHECK",
    "GOINSECURE",
    "GOWORK",
    "GOEXPERIMENT",
    "CC",
];

/// A variable's value at some point of the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// Not set by the Dockerfile (the base image may still set it: see [`Stage::golang`]).
    Unset,
    /// Set to this text.
    Known(String),
    /// Set, to a value only the build knows (a `--build-arg`, a platform ARG).
    Unknown,
}

impl EnvValue {
    pub fn known(&self) -> Option<&str> {
        match self {
            EnvValue::Known(value) => Some(value),
            _ => None,
        }
    }
}

/// One `go` command of a RUN, with where and how it runs.
#[derive(Debug, Clone)]
pub struct GoRun {
    /// Index of the RUN in `Dockerfile::instructions`.
    pub instruction: usize,
    pub command: GoCommand,
    /// The absolute working directory.
    pub workdir: String,
    /// The tracked Go variables, as the command sees them (command-line prefixes applied).
    pub env: BTreeMap<&'static str, EnvValue>,
    /// The RUN mounts a cache at the Go build cache (`/root/.cache/go-build` or `$GOCACHE`).
    pub build_cache_mount: bool,
    /// The RUN mounts a cache at the module cache (`/go/pkg/mod` or `$GOMODCACHE`).
    pub module_cache_mount: bool,
    /// The RUN's bind mounts (`--mount=type=bind`, BuildKit's default type), read as copies that
    /// last only for this RUN: the source is the context unless `from=` names a stage or an image,
    /// and a source or target with a build-time value is unknown (`None` source).
    pub bind_mounts: Vec<CopyStep>,
}

impl GoRun {
    pub fn env(&self, name: &str) -> &EnvValue {
        self.env.get(name).unwrap_or(&EnvValue::Unset)
    }

    /// Whether cgo is on for this command: set explicitly, or the image's default for a native build.
    /// `None` when the build decides (a build arg, or a cross-compile whose target is not known).
    pub fn cgo_enabled(&self, golang: Option<&GolangImage>) -> Option<bool> {
        match self.env("CGO_ENABLED") {
            EnvValue::Known(value) => return Some(value.trim() == "1"),
            EnvValue::Unknown => return None,
            EnvValue::Unset => {}
        }
        // Setting GOOS/GOARCH to something other than the build machine turns cgo off by default;
        // when the value is a platform ARG, it depends on the build.
        let cross = ["GOOS", "GOARCH"].iter().any(|name| *self.env(name) != EnvValue::Unset);
        if cross {
            return None;
        }
        golang.and_then(|image| image.cgo_default)
    }
}

/// One stage.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM in `Dockerfile::instructions`.
    pub from: usize,
    pub name: Option<String>,
    pub base: StageBase,
    /// The image reference as written, and where.
    pub image_text: Option<(String, TextRange)>,
    /// What the golang base means (through `FROM <stage>` chains), when the root image is golang.
    pub golang: Option<GolangImage>,
    /// Facts about the root image (through `FROM <stage>` chains).
    pub runtime: RuntimeImage,
    /// WORKDIR after each instruction of the stage, by instruction index.
    pub workdirs: BTreeMap<usize, String>,
    pub copies: Vec<CopyStep>,
    pub go_runs: Vec<GoRun>,
    /// Later stages copy files out of this one (`COPY --from`), or build on it.
    pub used_by_later_stages: bool,
    /// The last USER of the stage (inherited along `FROM <stage>`), as written.
    pub user: Option<(String, TextRange)>,
    /// The tracked Go variables after the stage's last instruction (inherited by `FROM <stage>`).
    pub final_env: BTreeMap<&'static str, EnvValue>,
}

impl Stage {
    /// The working directory in effect when the instruction at `index` runs.
    pub fn workdir_at(&self, index: usize) -> &str {
        self.workdirs.range(..index).next_back().map_or("/", |(_, dir)| dir.as_str())
    }

    /// Copies from the build context that happen before the instruction at `index`.
    pub fn context_copies_before(&self, index: usize) -> impl Iterator<Item = &CopyStep> {
        self.copies.iter().filter(move |c| c.instruction < index && c.source == CopySource::Context)
    }
}

/// The simulated build of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Build {
    pub stages: Vec<Stage>,
}

impl Build {
    /// The stage the image is made of: the last one (`--target` may pick another; gantry can't know).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Every `go` command, in order.
    pub fn go_runs(&self) -> impl Iterator<Item = (&Stage, &GoRun)> {
        self.stages.iter().flat_map(|stage| stage.go_runs.iter().map(move |run| (stage, run)))
    }

    /// Whether stage `child` is stage `ancestor` or is built on it through `FROM <stage>` chains.
    pub fn is_based_on(&self, child: usize, ancestor: usize) -> bool {
        let mut current = child;
        // Bounded: a stage can only be built on earlier stages, so a chain is at most this long.
        for _ in 0..=self.stages.len() {
            if current == ancestor {
                return true;
            }
            match self.stages.get(current).map(|s| &s.base) {
                Some(StageBase::Stage(parent)) if *parent < current => current = *parent,
                _ => return false,
            }
        }
        false
    }

    /// The COPY/ADD steps whose files a stage holds when the instruction at `index` runs: those of
    /// the stages it is built on (`FROM <stage>`), oldest first, then its own before `index`.
    pub fn copies_before(&self, stage: usize, index: usize) -> Vec<&CopyStep> {
        let mut chain = Vec::new();
        let mut current = Some(stage);
        // Bounded: a stage can only be built on earlier stages.
        while let Some(at) = current.filter(|_| chain.len() <= self.stages.len()) {
            let Some(found) = self.stages.get(at) else { break };
            chain.push(found);
            current = match found.base {
                StageBase::Stage(parent) if parent < at => Some(parent),
                _ => None,
            };
        }
        chain
            .iter()
            .rev()
            .flat_map(|s| s.copies.iter().filter(move |c| s.index != stage || c.instruction < index))
            .collect()
    }

    /// Whether the Dockerfile builds Go at all: a golang base or a `go` command somewhere. A file
    /// that only packages a prebuilt binary gets no Go-build findings.
    pub fn builds_go(&self) -> bool {
        self.stages.iter().any(|stage| stage.golang.is_some() || !stage.go_runs.is_empty())
    }

    pub fn simulate(parse: &Parse) -> Build {
        Build::simulate_with_scope(parse, &Scope::new(parse.dockerfile(), parse.text()))
    }

    /// [`Build::simulate`] with the scope of `parse` already built (the rule context shares one).
    pub fn simulate_with_scope(parse: &Parse, scope: &Scope) -> Build {
        let dockerfile = parse.dockerfile();
        let shells = parse.shell_scripts();
        let mut stages: Vec<Stage> = Vec::new();
        for syntax_stage in &dockerfile.stages {
            let base = scope.stage_base(syntax_stage.index).cloned().unwrap_or(StageBase::Unknown);
            let image_text = match &dockerfile.instructions[syntax_stage.from].kind {
                InstructionKind::From(from) => from.image.as_ref().map(|image| (image.text.clone(), image.range)),
                _ => None,
            };
            let parent = match base {
                StageBase::Stage(parent) => stages.get(parent),
                _ => None,
            };
            let (golang, runtime) = match (&base, parent) {
                (_, Some(parent)) => (parent.golang.clone(), parent.runtime.clone()),
                (StageBase::Image(reference), None) => {
                    (GolangImage::from_reference(reference), RuntimeImage::from_reference(reference))
                }
                (StageBase::Scratch, None) => (None, RuntimeImage::from_reference("scratch")),
                _ => (None, RuntimeImage::unknown()),
            };
            let mut stage = Stage {
                index: syntax_stage.index,
                from: syntax_stage.from,
                name: syntax_stage.name.clone(),
                base: base.clone(),
                image_text,
                golang,
                runtime,
                workdirs: BTreeMap::new(),
                copies: Vec::new(),
                go_runs: Vec::new(),
                used_by_later_stages: false,
                user: parent.and_then(|p| p.user.clone()),
                final_env: BTreeMap::new(),
            };
            // The working directory and Go variables a stage starts with.
            let mut workdir =
                parent.map(|p| p.workdir_at(usize::MAX).to_string()).unwrap_or_else(|| match stage.golang {
                    Some(_) => "/go".to_string(),
                    None => "/".to_string(),
                });
            stage.workdirs.insert(syntax_stage.from, workdir.clone());
            let mut env: BTreeMap<&'static str, EnvValue> = parent.map(|p| p.final_env.clone()).unwrap_or_default();
            if stage.golang.is_some() && parent.is_none() {
                env.insert("GOPATH", EnvValue::Known("/go".to_string()));
            }
            for index in syntax_stage.instructions.clone().skip(1) {
                let instruction = &dockerfile.instructions[index];
                match &instruction.kind {
                    InstructionKind::Workdir(Some(word)) => {
                        let expanded = scope.expand(&word.text, word.range.start);
                        workdir = if expanded.unknown.is_empty() {
                            resolve_path(&workdir, &expanded.value)
                        } else {
                            format!("{workdir}/${{unknown}}")
                        };
                        stage.workdirs.insert(index, workdir.clone());
                    }
                    InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => {
                        for pair in pairs {
                            let Some(&name) = GO_ENV.iter().find(|n| **n == pair.key) else { continue };
                            let value = match scope.lookup(instruction.range.end, name) {
                                Some(definition) => match scope.expanded_value(definition) {
                                    Some(expansion) if expansion.unknown.is_empty() && !expansion.malformed => {
                                        EnvValue::Known(expansion.value)
                                    }
                                    _ => EnvValue::Unknown,
                                },
                                None => EnvValue::Unset,
                            };
                            env.insert(name, value);
                        }
                    }
                    InstructionKind::User(Some(word)) => stage.user = Some((word.value.clone(), word.range)),
                    InstructionKind::Copy(_) | InstructionKind::Add(_) => {
                        if let Some(step) = CopyStep::read(dockerfile, scope, index, &workdir) {
                            stage.copies.push(step);
                        }
                    }
                    InstructionKind::Run(run) if !matches!(run.command, Command::Empty) => {
                        let Some(script) = shells.get(index) else { continue };
                        let (build_cache_mount, module_cache_mount) = cache_mounts(instruction, &env);
                        let bind_mounts = copy::bind_mounts(dockerfile, scope, index, &workdir);
                        for command in go_commands(&script.commands) {
                            let mut command_env = env.clone();
                            for (name, value) in &command.env {
                                if let Some(&name) = GO_ENV.iter().find(|n| **n == name) {
                                    let value = match value {
                                        None => EnvValue::Known(String::new()),
                                        Some(word) if word.dynamic => EnvValue::Unknown,
                                        Some(word) => EnvValue::Known(word.value.clone()),
                                    };
                                    command_env.insert(name, value);
                                }
                            }
                            stage.go_runs.push(GoRun {
                                instruction: index,
                                command,
                                workdir: workdir.clone(),
                                env: command_env,
                                build_cache_mount,
                                module_cache_mount,
                                bind_mounts: bind_mounts.clone(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            stage.final_env = env;
            stages.push(stage);
        }
        mark_used_stages(&mut stages);
        Build { stages }
    }
}

fn mark_used_stages(stages: &mut [Stage]) {
    for index in 0..stages.len() {
        if let StageBase::Stage(parent) = stages[index].base
            && let Some(parent) = stages.get_mut(parent)
        {
            parent.used_by_later_stages = true;
        }
        let sources: Vec<usize> = stages[index]
            .copies
            .iter()
            .filter_map(|c| match c.source {
                CopySource::Stage(from) => Some(from),
                _ => None,
            })
            .collect();
        for from in sources {
            if let Some(source) = stages.get_mut(from) {
                source.used_by_later_stages = true;
            }
        }
    }
}

/// Whether the RUN mounts caches at the Go build cache and the module cache.
fn cache_mounts(instruction: &crate::syntax::Instruction, env: &BTreeMap<&'static str, EnvValue>) -> (bool, bool) {
    let InstructionKind::Run(run) = &instruction.kind else { return (false, false) };
    let gopath = env.get("GOPATH").and_then(EnvValue::known).unwrap_or("/go").to_string();
    let build_cache =
        env.get("GOCACHE").and_then(EnvValue::known).map_or("/root/.cache/go-build".to_string(), str::to_string);
    let module_cache =
        env.get("GOMODCACHE").and_then(EnvValue::known).map_or(format!("{gopath}/pkg/mod"), str::to_string);
    let mut found = (false, false);
    for mount in &run.mounts {
        if mount.mount_type() != "cache" {
            continue;
        }
        let target = ["target", "dst", "destination"].iter().find_map(|key| mount.option(key)?.value.as_deref());
        let Some(target) = target.map(|t| t.trim_end_matches('/')) else { continue };
        found.0 |= target == build_cache.trim_end_matches('/') || target.ends_with("/.cache/go-build");
        found.1 |= target == module_cache.trim_end_matches('/') || target.ends_with("/pkg/mod");
    }
    found
}

/// Resolves `path` against the directory `base` the way WORKDIR and COPY destinations are resolved.
pub fn resolve_path(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{base}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests;
