//! Which program the new build compiles: the package of `go run` in CMD/ENTRYPOINT, the old
//! `go build`'s target, or the workspace's main packages (the single `cmd/<name>`, each of several,
//! or `.`), with the binary name and arguments.

use super::analysis::{GoInvocation, Plan, Start};
use crate::build::resolve_path;
use crate::rules::GoFacts;
use crate::workspace::join;

/// One program the conversion can build.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The build target as shown to the user and passed to `go build` (`./cmd/api`, `.`, `main.go`).
    pub packages: Vec<String>,
    /// The binary's file name.
    pub name: String,
    /// Flags kept from the old `go run`/`go build`.
    pub invocation: GoInvocation,
    /// Arguments the program starts with (ENTRYPOINT), and overridable defaults (CMD).
    pub args: Vec<String>,
    pub default_args: Vec<String>,
}

impl Target {
    pub(super) fn package(&self) -> String {
        self.packages.join(" ")
    }
}

/// Where the build runs, relative to the build context root: the go.work directory when one is in
/// effect, else the module's directory (`""` for the context root itself).
pub(super) fn base_dir(go: Option<&GoFacts>) -> (String, String) {
    let Some(go) = go else { return (String::new(), ".".into()) };
    let root = go.context.root.clone().unwrap_or_else(|| ".".into());
    let base = go
        .context
        .work
        .as_ref()
        .map(|w| w.dir.clone())
        .or_else(|| go.context.module.as_ref().map(|m| m.dir.clone()))
        .unwrap_or_else(|| root.clone());
    (relative(&base, &root).unwrap_or_default(), base)
}

/// `path` relative to `dir` (workspace paths, `.` for the folder); `None` when outside.
pub(super) fn relative(path: &str, dir: &str) -> Option<String> {
    if path == dir {
        return Some(String::new());
    }
    if dir == "." {
        return Some(path.to_string());
    }
    path.strip_prefix(dir).and_then(|rest| rest.strip_prefix('/')).map(str::to_string)
}

pub(super) fn targets(plan: &Plan, go: Option<&GoFacts>) -> Vec<Target> {
    let (args, default_args) = match &plan.start {
        Start::Program { args, default_args, .. } => (args.clone(), default_args.clone()),
        _ => (Vec::new(), Vec::new()),
    };
    if let Start::GoRun(run) = &plan.start {
        let mut invocation = run.clone();
        if let Some(old) = &plan.old_build {
            // Flags of an old `go build` still matter when `go run` repeats none of them.
            invocation.ldflags = invocation.ldflags.or(old.ldflags.clone());
            invocation.tags = invocation.tags.or(old.tags.clone());
        }
        let packages = relocate(plan, go, &packages_or_dot(&run.packages), plan.workdir.as_deref().unwrap_or("/go"));
        let name = program_name(go, &packages);
        return vec![Target { packages, name, args: run.program_args.clone(), default_args: Vec::new(), invocation }];
    }
    if let Some(old) = plan.old_build.as_ref().filter(|old| !old.packages.iter().any(|p| p.contains("..."))) {
        let packages = relocate(plan, go, &packages_or_dot(&old.packages), &old.workdir);
        let name = old
            .output
            .as_deref()
            .filter(|o| !o.ends_with('/'))
            .and_then(|o| o.rsplit('/').next())
            .map(sanitise)
            .unwrap_or_else(|| program_name(go, &packages));
        // Arguments belong to the program only when the old start command ran it.
        let runs_it = match &plan.start {
            Start::Program { path, .. } => path.rsplit('/').next() == Some(name.as_str()),
            _ => true,
        };
        // `go build -o FILE` takes one package: several package directories (`go install ./cmd/a
        // ./cmd/b`) become one candidate each, and the start command picks among them below.
        let several_packages = packages.len() > 1 && !packages.iter().all(|p| p.ends_with(".go"));
        if !several_packages {
            let (args, default_args) = if runs_it { (args, default_args) } else { (Vec::new(), Vec::new()) };
            return vec![Target { packages, name, invocation: old.clone(), args, default_args }];
        }
        let mut invocation = old.clone();
        invocation.output = None;
        return pick_started(plan, candidates(go, packages, &invocation, &args, &default_args));
    }
    pick_started(plan, candidates(go, main_packages(go), &GoInvocation::default(), &args, &default_args))
}

/// One target per package, each starting with the old start command's arguments.
fn candidates(
    go: Option<&GoFacts>,
    packages: Vec<String>,
    invocation: &GoInvocation,
    args: &[String],
    default_args: &[String],
) -> Vec<Target> {
    packages
        .into_iter()
        .map(|package| {
            let packages = vec![package];
            let name = program_name(go, &packages);
            Target {
                packages,
                name,
                invocation: invocation.clone(),
                args: args.to_vec(),
                default_args: default_args.to_vec(),
            }
        })
        .collect()
}

/// A start command that names one of the candidates picks it; otherwise every candidate is offered
/// without the start command's arguments (they belonged to some other program).
fn pick_started(plan: &Plan, mut found: Vec<Target>) -> Vec<Target> {
    // A CMD that names one of the programs picks it.
    if let Start::Program { path, .. } = &plan.start {
        let started = path.rsplit('/').next().unwrap_or(path);
        match found.iter().position(|t| t.name == started) {
            Some(chosen) => found = vec![found.swap_remove(chosen)],
            None => {
                for target in &mut found {
                    target.args.clear();
                    target.default_args.clear();
                }
            }
        }
    }
    found
}

fn packages_or_dot(packages: &[String]) -> Vec<String> {
    if packages.is_empty() { vec![".".into()] } else { packages.to_vec() }
}

/// The old command's packages, written relative to the new build directory: resolved against the
/// old working directory, traced back to the context through the old copy of the sources.
fn relocate(plan: &Plan, go: Option<&GoFacts>, packages: &[String], workdir: &str) -> Vec<String> {
    let (rel, _) = base_dir(go);
    let whole = plan.context_copies.iter().rev().find(|c| c.sources.iter().any(|(s, _)| s.as_deref() == Some("")));
    packages
        .iter()
        .map(|package| {
            if !(package.starts_with('.') || package.ends_with(".go")) {
                return package.clone();
            }
            let Some(copy) = whole else { return package.clone() };
            let image_path = resolve_path(workdir, package);
            let Some(in_context) =
                relative(image_path.trim_start_matches('/'), copy.destination.trim_start_matches('/'))
            else {
                return package.clone();
            };
            let Some(below_base) = relative(
                if in_context.is_empty() { "." } else { &in_context },
                if rel.is_empty() { "." } else { &rel },
            ) else {
                return package.clone();
            };
            match below_base.as_str() {
                "" | "." => ".".into(),
                file if file.ends_with(".go") && !file.contains('/') => file.to_string(),
                dir => format!("./{dir}"),
            }
        })
        .collect()
}

/// The main packages of the module: each `cmd/<name>` with package main, else `.`.
fn main_packages(go: Option<&GoFacts>) -> Vec<String> {
    let Some(go) = go else { return vec![".".into()] };
    let (_, base) = base_dir(go.into());
    let index = go.workspace.package_index();
    let cmd = join(&base, "cmd").unwrap_or_else(|| "cmd".into());
    let mut found: Vec<String> = index
        .packages_under(&cmd)
        .filter(|p| p.is_main())
        .filter_map(|p| relative(&p.dir, &base))
        .filter(|dir| !dir.is_empty())
        .map(|dir| format!("./{dir}"))
        .collect();
    found.sort();
    if found.is_empty() {
        found.push(".".into());
    }
    found
}

/// The binary name: the last element of the package's directory, or of the module path for the
/// module's root (without a `/vN` suffix).
fn program_name(go: Option<&GoFacts>, packages: &[String]) -> String {
    let first = packages.first().map(String::as_str).unwrap_or(".");
    let dir = if first.ends_with(".go") { first.rsplit_once('/').map_or(".", |(d, _)| d) } else { first };
    let dir = dir.trim_end_matches("/...").trim_start_matches("./").trim_end_matches('/');
    let from_dir = dir.rsplit('/').find(|part| !part.is_empty() && *part != "." && !is_major(part));
    if let Some(name) = from_dir {
        return sanitise(name);
    }
    let module_path = go.and_then(|g| g.context.module.as_ref()).and_then(|m| m.path().map(str::to_string));
    module_path
        .as_deref()
        .and_then(|path| path.rsplit('/').find(|part| !is_major(part)))
        .map(sanitise)
        .unwrap_or_else(|| "app".into())
}

fn is_major(part: &str) -> bool {
    part.len() > 1 && part.starts_with('v') && part[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A file name safe in a path and a JSON string: letters, digits, `.`, `_`, `-`.
fn sanitise(name: &str) -> String {
    let clean: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')).collect();
    if clean.is_empty() || clean.starts_with('.') || clean.starts_with('-') { "app".into() } else { clean }
}
