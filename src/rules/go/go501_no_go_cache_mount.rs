//! GO501: a RUN that compiles Go or downloads modules without a BuildKit cache mount for them.

use std::collections::BTreeSet;

use super::go4xx_support::{chain, command_range, go_env_writes, is_root, user_at};
use crate::build::{Build, EnvValue, GoRun, Stage, resolve_path};
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextEdit, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO501",
    name: "no-go-cache-mount",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN whose `go` command would benefit from a BuildKit cache mount it does not have:

- a command that compiles (`go build`, `go install`, `go run`, `go test`, `go vet`) without a
  cache mount at the Go build cache (`/root/.cache/go-build`, or `$GOCACHE`);
- a command that downloads modules (`go mod download`, `go mod tidy`, `go get`,
  `go install pkg@version`) without a cache mount at the module cache (`/go/pkg/mod` in the golang
  images, or `$GOMODCACHE`, `$GOPATH/pkg/mod`);
- a compiling command without the module cache mount when an earlier RUN downloaded the modules
  into one: the modules are in the cache, not in the image, so this RUN fetches them again.

A mount at a parent directory (`/root/.cache`, `/go/pkg`) counts. Where the cache's path is not
known (a `USER` other than root without `GOCACHE`, a path from a build argument), the rule says
nothing about that cache; a module with a vendor/ directory needs no module cache for its builds.

## Why it matters
Without the mounts every build starts cold: any change to the sources (or to go.mod) invalidates
the layer, and the RUN recompiles every package and downloads every module again. The cache
mounts keep both across builds without putting them into the image.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/app .
```

## Fix
Add `--mount=type=cache,target=/go/pkg/mod` to the RUNs that download or use modules and
`--mount=type=cache,target=/root/.cache/go-build` to the RUNs that compile. The quick fix adds the
missing mounts (for a module cache, also to the later RUNs that use the modules, so that none of
them downloads again); it is safe, since a cache mount only keeps files between builds.

## References
- Docker documentation, optimizing builds with cache mounts (Go example): https://docs.docker.com/build/cache/optimize/
- `go help cache`, `go help environment` (`GOCACHE`, `GOMODCACHE`)
";

/// Where a RUN's go commands keep their caches, when known.
struct CachePaths {
    build: Option<String>,
    modules: Option<String>,
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    let vendored = facts.context.module.as_ref().is_some_and(|m| m.has_vendor_dir);
    for stage in &build.stages {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        for run in &stage.go_runs {
            if !seen.insert(run.instruction) {
                continue;
            }
            let runs: Vec<&GoRun> = stage.go_runs.iter().filter(|r| r.instruction == run.instruction).collect();
            let paths = cache_paths(context, build, stage, run);
            let mounted = cache_mounts(context, run);
            let compiling = runs.iter().find(|r| compiles(&r.command.subcommand));
            let fetching = runs.iter().find(|r| fetches(r));
            let mut missing: Vec<(&str, String)> = Vec::new();
            if compiling.is_some()
                && let Some(path) = &paths.build
                && !covered(&mounted, path)
            {
                missing.push(("build cache", path.clone()));
            }
            let needs_modules = fetching.is_some()
                || (compiling.is_some()
                    && !vendored
                    && !uses_vendor(run)
                    && earlier_module_mount(context, build, stage, run.instruction));
            if needs_modules
                && let Some(path) = &paths.modules
                && !covered(&mounted, path)
            {
                missing.push(("module cache", path.clone()));
            }
            if missing.is_empty() {
                continue;
            }
            let Some(first) = fetching.or(compiling) else { continue };
            let what: Vec<String> = missing.iter().map(|(name, path)| format!("the {name} ({path})")).collect();
            let installs_tool = fetching.is_some_and(|r| !matches!(r.command.subcommand, GoSubcommand::Mod(_)));
            let why = if installs_tool {
                "every rebuild of this layer downloads and compiles it again"
            } else if fetching.is_some() {
                "every change to go.mod downloads all modules again"
            } else if missing.iter().any(|(name, _)| *name == "module cache") {
                "the modules were downloaded into a cache mount this RUN does not have, so it fetches them again"
            } else {
                "every change recompiles all packages"
            };
            let diagnostic = sink.report(
                command_range(context, first),
                format!("no BuildKit cache mount for {}: {why}", what.join(" or ")),
            );
            let mut edits = Vec::new();
            for (name, path) in &missing {
                let mut targets = vec![run.instruction];
                if *name == "module cache" && fetching.is_some() {
                    // The modules will live in the cache, not in the layer: later RUNs that use them
                    // need the same mount.
                    targets.extend(later_module_users(context, build, stage, run.instruction, path));
                }
                for target in targets {
                    let Some(instruction) = context.dockerfile.instructions.get(target) else { continue };
                    edits.push(TextEdit {
                        range: TextRange::empty(instruction.keyword_range.end),
                        new_text: format!(" --mount=type=cache,target={path}"),
                    });
                }
            }
            // Two mounts added after the same keyword: one edit with both.
            edits.sort_by_key(|e| e.range.start);
            let mut merged: Vec<TextEdit> = Vec::new();
            for edit in edits {
                match merged.last_mut() {
                    Some(last) if last.range == edit.range => last.new_text.push_str(&edit.new_text),
                    _ => merged.push(edit),
                }
            }
            let names: Vec<&str> = missing.iter().map(|(name, _)| *name).collect();
            diagnostic.fixes.push(Fix {
                title: format!("Add a cache mount for the {}", names.join(" and ")),
                edits: merged,
                safe: true,
            });
        }
    }
}

fn compiles(subcommand: &GoSubcommand) -> bool {
    matches!(
        subcommand,
        GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test | GoSubcommand::Vet
    )
}

/// The command downloads modules on purpose.
fn fetches(run: &GoRun) -> bool {
    match &run.command.subcommand {
        GoSubcommand::Mod(verb) => matches!(verb.as_str(), "download" | "tidy" | "vendor"),
        GoSubcommand::Get => true,
        GoSubcommand::Install => run.command.packages.iter().any(|p| p.value.contains('@')),
        _ => false,
    }
}

/// The build reads modules from vendor/ (`-mod=vendor`, on the command line or in GOFLAGS).
fn uses_vendor(run: &GoRun) -> bool {
    let flag = run.command.flag("mod").and_then(|f| f.value.as_ref()).is_some_and(|v| v.value == "vendor");
    flag || run.env("GOFLAGS").known().is_some_and(|flags| flags.contains("-mod=vendor"))
}

/// The caches' paths for this RUN: `$GOCACHE`/`$GOMODCACHE` when set, a `go env -w` of an earlier
/// RUN, else the defaults for root (`/root/.cache/go-build`, `$GOPATH/pkg/mod`).
fn cache_paths(context: &Context<'_>, build: &Build, stage: &Stage, run: &GoRun) -> CachePaths {
    let written = go_env_writes(build, stage, run.instruction);
    let value = |name: &str| -> Result<Option<String>, ()> {
        if let Some(value) = written.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone()) {
            return Ok(Some(value));
        }
        match run.env(name) {
            EnvValue::Known(value) if value.starts_with('/') => Ok(Some(value.clone())),
            EnvValue::Known(_) | EnvValue::Unknown => Err(()),
            EnvValue::Unset => Ok(None),
        }
    };
    let root = user_at(context, build, stage.index, run.instruction).is_none_or(|(user, _)| is_root(&user));
    let build_cache = match value("GOCACHE") {
        Ok(Some(path)) => Some(path),
        Ok(None) if root => Some("/root/.cache/go-build".to_string()),
        _ => None,
    };
    let modules = match (value("GOMODCACHE"), value("GOPATH")) {
        (Ok(Some(path)), _) => Some(path),
        (Ok(None), Ok(Some(gopath))) => Some(format!("{}/pkg/mod", gopath.trim_end_matches('/'))),
        (Ok(None), Ok(None)) if root => Some("/root/go/pkg/mod".to_string()),
        _ => None,
    };
    CachePaths { build: build_cache, modules }
}

/// The cache mount targets of the RUN, absolute.
fn cache_mounts(context: &Context<'_>, run: &GoRun) -> Vec<String> {
    let Some(InstructionKind::Run(syntax)) = context.dockerfile.instructions.get(run.instruction).map(|i| &i.kind)
    else {
        return Vec::new();
    };
    syntax
        .mounts
        .iter()
        .filter(|m| m.mount_type().eq_ignore_ascii_case("cache"))
        .filter_map(|m| ["target", "dst", "destination"].iter().find_map(|key| m.option(key)?.value.clone()))
        .map(|target| resolve_path(&run.workdir, &target))
        .collect()
}

/// A mount at `path` or at a parent directory of it.
fn covered(mounts: &[String], path: &str) -> bool {
    let path = resolve_path("/", path);
    mounts.iter().any(|m| m == &path || m == "/" || path.strip_prefix(m.as_str()).is_some_and(|r| r.starts_with('/')))
}

/// An earlier RUN of the chain mounted a cache over the module cache while fetching modules.
fn earlier_module_mount(context: &Context<'_>, build: &Build, stage: &Stage, index: usize) -> bool {
    chain(build, stage.index).iter().any(|member| {
        member.go_runs.iter().filter(|r| (r.instruction < index || member.index != stage.index) && fetches(r)).any(
            |r| {
                let paths = cache_paths(context, build, member, r);
                paths.modules.is_some_and(|path| covered(&cache_mounts(context, r), &path))
            },
        )
    })
}

/// Later RUNs (this stage and the stages built on it) that compile or fetch without a mount at
/// the module cache `path`.
fn later_module_users(context: &Context<'_>, build: &Build, stage: &Stage, index: usize, path: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for member in build.stages.iter().filter(|s| build.is_based_on(s.index, stage.index)) {
        for run in member.go_runs.iter().filter(|r| member.index != stage.index || r.instruction > index) {
            if (compiles(&run.command.subcommand) || fetches(run))
                && !uses_vendor(run)
                && !covered(&cache_mounts(context, run), path)
                && !found.contains(&run.instruction)
            {
                found.push(run.instruction);
            }
        }
    }
    found
}
