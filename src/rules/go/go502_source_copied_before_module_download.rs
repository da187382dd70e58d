//! GO502: the whole source tree is copied before the modules are downloaded, so any source change
//! downloads every module again.

use super::go4xx_support::{chain, is_go_stage};
use crate::build::{Build, CopySource, CopyStep, Stage, resolve_path};
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextEdit, TextRange};
use crate::workspace::{ReplaceTarget, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO502",
    name: "source-copied-before-module-download",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the COPY that brings the module's go.mod into a Go builder when it copies a whole directory
(`COPY . .`) rather than go.mod (and go.sum) on their own, and no `go mod download` ran before it.

## Why it matters
Docker reuses a layer only while everything it depends on is unchanged. When go.mod arrives with
the rest of the sources, any edit to any file invalidates the COPY and every later layer, so the
next build downloads all modules again. Copying go.mod and go.sum first and running
`go mod download` in a layer of its own keeps the modules cached until the dependencies change.

Nothing is reported for a module without requirements or with a vendor/ directory (there is
nothing to download), when the RUN that uses the modules mounts a cache over the module cache (the
modules survive source changes there), for sources that do not come from the build context, or for
builds that bind-mount the sources instead of copying them. A build hidden behind `make` is still reported: the layer order
is visible without seeing the `go` command.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .
```

## Fix
```dockerfile
COPY go.mod go.sum ./
RUN go mod download
COPY . .
```
Include the go.mod and go.sum of in-context `replace` targets and go.work modules in the first
COPY. The quick fix inserts the two lines before `COPY . <dir>` when the module is at the root of
the context and has no local `replace`; it is unsafe because the Dockerfile's layers change.

## References
- Docker documentation, optimizing builds (\"Order your layers\"): https://docs.docker.com/build/cache/optimize/
- kubernetes-sigs/aws-load-balancer-controller#2626; indexdata/crosslink#372
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    if module.has_vendor_dir || facts.context.root.is_none() {
        return;
    }
    let local_replace = |path: &str| {
        go_mod.replaces.iter().any(|r| r.from.value == path && matches!(r.to, ReplaceTarget::Directory(_)))
    };
    if go_mod.requires.iter().all(|r| local_replace(&r.path.value)) {
        return;
    }
    let Some(go_mod_path) = join(&module.dir, "go.mod") else { return };
    let Some(in_context) = facts.context.relative(&go_mod_path) else { return };
    let build = context.build();
    for stage in build.stages.iter().filter(|s| is_go_stage(s)) {
        let Some(copy) = first_copy_of(build, stage, &in_context) else { continue };
        if copy.has_unknown_sources() || !is_directory_copy(copy, &in_context) {
            continue;
        }
        if downloaded_before(build, stage, copy.instruction) {
            continue;
        }
        let Some(user) = first_run_after(context, build, stage, copy.instruction) else { continue };
        if mounts_module_cache(context, build, user) {
            continue;
        }
        let Some((_, source_range)) = copy.sources.first() else { continue };
        let diagnostic = sink.report(
            *source_range,
            "go.mod arrives with the whole source tree and no `go mod download` ran before: any change to a source \
             file invalidates this layer and the next build downloads every module again",
        );
        let module_line = go_mod.module.as_ref().map_or(TextRange::empty(0), |m| m.range);
        diagnostic.with_related(
            Some(go_mod_path.trim_start_matches("./").to_string()),
            module_line,
            "the module whose requirements are downloaded",
        );
        if let Some(edit) = split_copy(context, stage, copy, &in_context, module.has_go_sum, &local_replace) {
            diagnostic.fixes.push(Fix {
                title: "Copy go.mod and go.sum and download the modules first".to_string(),
                edits: vec![edit],
                safe: false,
            });
        }
    }
}

/// The stage's own first context COPY that brings go.mod, unless a copy of an earlier stage of its
/// chain already brought it (that stage is checked on its own).
fn first_copy_of<'b>(build: &'b Build, stage: &'b Stage, go_mod: &str) -> Option<&'b CopyStep> {
    let brings = |c: &&CopyStep| c.source == CopySource::Context && c.destination_of(go_mod).is_some();
    let earlier = chain(build, stage.index)
        .iter()
        .filter(|m| m.index != stage.index)
        .any(|m| m.copies.iter().any(|c| brings(&c)));
    if earlier {
        return None;
    }
    stage.copies.iter().find(brings)
}

/// The copy brings go.mod as part of a directory (the whole context or a parent of go.mod), not as
/// a file of its own or through a glob such as `go.*`.
fn is_directory_copy(copy: &CopyStep, go_mod: &str) -> bool {
    copy.sources
        .iter()
        .filter_map(|(source, _)| source.as_deref())
        .any(|source| source.is_empty() || go_mod.strip_prefix(source).is_some_and(|rest| rest.starts_with('/')))
}

/// A command that downloads modules ran before `index` in the chain.
fn downloaded_before(build: &Build, stage: &Stage, index: usize) -> bool {
    chain(build, stage.index).iter().any(|member| {
        member.go_runs.iter().any(|run| {
            (member.index != stage.index || run.instruction < index)
                && matches!(&run.command.subcommand, GoSubcommand::Mod(verb) if verb == "download")
        })
    })
}

/// The RUN that uses the copied module: the first later RUN (of this stage or a stage built on it)
/// that runs a `go` command, else the first later RUN at all (a build behind `make`).
fn first_run_after(context: &Context<'_>, build: &Build, stage: &Stage, index: usize) -> Option<usize> {
    let later: Vec<usize> = build
        .stages
        .iter()
        .filter(|s| build.is_based_on(s.index, stage.index))
        .filter_map(|member| context.dockerfile.stages.get(member.index).map(|s| (member, s)))
        .flat_map(|(member, syntax_stage)| {
            syntax_stage.instructions.clone().filter(move |&at| member.index != stage.index || at > index)
        })
        .filter(|&at| matches!(context.dockerfile.instructions[at].kind, InstructionKind::Run(_)))
        .collect();
    let runs_go = |at: &usize| build.go_runs().any(|(_, run)| run.instruction == *at);
    later.iter().copied().find(runs_go).or_else(|| later.first().copied())
}

/// The RUN mounts a cache over the module cache (or a parent of it): the modules survive source
/// changes there, whatever the layer order.
fn mounts_module_cache(context: &Context<'_>, build: &Build, at: usize) -> bool {
    let Some(InstructionKind::Run(run)) = context.dockerfile.instructions.get(at).map(|i| &i.kind) else {
        return false;
    };
    let stage = build
        .stages
        .iter()
        .find(|s| context.dockerfile.stages.get(s.index).is_some_and(|syntax| syntax.instructions.contains(&at)));
    let Some(stage) = stage else { return false };
    let workdir = stage.workdir_at(at);
    let go_run = stage.go_runs.iter().find(|r| r.instruction == at);
    let known = |name: &str| go_run.and_then(|r| r.env(name).known().map(str::to_string));
    let module_cache = known("GOMODCACHE")
        .or_else(|| known("GOPATH").map(|gopath| format!("{}/pkg/mod", gopath.trim_end_matches('/'))))
        .unwrap_or_else(|| if stage.golang.is_some() { "/go/pkg/mod" } else { "/root/go/pkg/mod" }.to_string());
    run.mounts.iter().filter(|m| m.mount_type().eq_ignore_ascii_case("cache")).any(|mount| {
        let target = ["target", "dst", "destination"].iter().find_map(|key| mount.option(key)?.value.clone());
        target.is_some_and(|target| {
            let target = resolve_path(workdir, &target);
            target.ends_with("/pkg/mod")
                || target == "/"
                || module_cache == target
                || module_cache.strip_prefix(target.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    })
}

/// `COPY go.mod go.sum <dir>/` and `RUN go mod download` inserted before a `COPY . <workdir>` of a
/// module at the context root; `None` when the split is not that simple.
fn split_copy(
    context: &Context<'_>,
    stage: &Stage,
    copy: &CopyStep,
    go_mod: &str,
    has_go_sum: bool,
    local_replace: &dyn Fn(&str) -> bool,
) -> Option<TextEdit> {
    let facts = context.go?;
    let work_in_context = facts.context.work.as_ref().is_some_and(|w| facts.context.relative(&w.dir).is_some());
    let go_mod_file = facts.context.module.as_ref().and_then(|m| m.go_mod.loaded())?;
    let has_local_replace = go_mod_file.replaces.iter().any(|r| local_replace(&r.from.value));
    if go_mod != "go.mod" || copy.sources.len() != 1 || copy.is_add || work_in_context || has_local_replace {
        return None;
    }
    let instruction = context.dockerfile.instructions.get(copy.instruction)?;
    if instruction.flags.iter().any(|f| !matches!(f.name.to_ascii_lowercase().as_str(), "chown" | "chmod" | "link")) {
        return None;
    }
    if copy.destination != stage.workdir_at(copy.instruction) {
        return None;
    }
    let InstructionKind::Copy(syntax) = &instruction.kind else { return None };
    let destination = syntax.destination.as_ref()?.text.clone();
    let destination = if destination.ends_with('/') { destination } else { format!("{destination}/") };
    let flags: String = instruction
        .flags
        .iter()
        .map(|f| format!(" {}", context.text.get(f.range.as_range()).unwrap_or_default()))
        .collect();
    let files = if has_go_sum { "go.mod go.sum" } else { "go.mod" };
    let keyword = &instruction.keyword_text;
    let run = if keyword.chars().all(|c| c.is_ascii_lowercase()) { "run" } else { "RUN" };
    Some(TextEdit {
        range: TextRange::empty(instruction.range.start),
        new_text: format!("{keyword}{flags} {files} {destination}\n{run} go mod download\n"),
    })
}
