//! GO509: on a `golang:*-alpine` builder without git, modules that must come straight from version
//! control (`GOPROXY=direct`, GOPRIVATE) cannot be downloaded.

use std::collections::BTreeSet;

use super::go4xx_support::{chain, chain_scripts, command_range};
use super::go508_private_modules_without_auth::{FetchEnv, downloads, gonoproxy_set, matches_patterns, required};
use crate::build::{Build, GoRun, Stage};
use crate::images::Variant;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO509",
    name: "alpine-without-git-for-direct-fetch",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the first `go` command of a stage on a `golang:*-alpine` image that downloads modules from
version control while no RUN before it installed git (`apk add git`, or `alpine-sdk`): all of them
with `GOPROXY=direct`, or those matched by the `GOPRIVATE` patterns the Dockerfile sets, including
a `go install tool@version` of such a path.

## Why it matters
The Alpine variants of the golang image add nothing but CA certificates to Alpine: no git. Modules
that skip the proxy are cloned with git, so the download fails with

```text
go: missing Git command. See https://golang.org/s/gogetcmd
exec: \"git\": executable file not found in $PATH
```

The Debian variants include git and are not reported. Neither are builds that read vendor/,
`GOPROXY=off`, settings that come from build arguments, or a `GONOPROXY` the rule cannot weigh.

## Example
```dockerfile
FROM golang:1.23-alpine AS build
ENV GOPROXY=direct
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
```

## Fix
Install git before the download: `RUN apk add --no-cache git`. The quick fix inserts that line
before the RUN; it is safe, since the builder only gains the tool the go command needs.

## References
- golangci/golangci-lint#897
- docker-library/golang#415 (git is left out of the Alpine images on purpose)
- `go help module-get`, `go help goproxy`
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    if gonoproxy_set(context) {
        return;
    }
    let build = context.build();
    let mut done: BTreeSet<usize> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        let installs_remote = run.command.subcommand == GoSubcommand::Install
            && run.command.packages.iter().any(|p| p.value.contains('@'));
        if !(installs_remote || downloads(run, module.has_vendor_dir))
            || done.iter().any(|&earlier| build.is_based_on(stage.index, earlier))
        {
            continue;
        }
        if !matches!(stage.golang.as_ref().map(|image| image.variant), Some(Variant::Alpine { .. })) {
            continue;
        }
        let Some(env) = FetchEnv::read(build, stage, run) else { continue };
        if env.off() {
            continue;
        }
        let direct = |path: &str| {
            env.all_direct() || env.private.as_ref().is_some_and(|patterns| matches_patterns(patterns, path))
        };
        let mut fetched: Vec<String> = Vec::new();
        if installs_remote {
            fetched.extend(
                run.command
                    .packages
                    .iter()
                    .filter(|p| !p.dynamic)
                    .filter_map(|p| p.value.split_once('@').map(|(path, _)| path.to_string()))
                    .filter(|path| direct(path)),
            );
        } else {
            done.insert(stage.index);
            fetched.extend(required(go_mod).map(|(_, path)| path).filter(|path| direct(path)));
        }
        let Some(first) = fetched.first() else { continue };
        if git_installed(context, build, stage, run) {
            continue;
        }
        let image = chain(build, stage.index)
            .first()
            .and_then(|root| root.image_text.as_ref())
            .map_or("golang:*-alpine".to_string(), |(text, _)| text.clone());
        let why = if env.all_direct() { "GOPROXY=direct" } else { "GOPRIVATE" };
        let more = if fetched.len() > 1 { format!(" and {} more", fetched.len() - 1) } else { String::new() };
        let diagnostic = sink.report(
            command_range(context, run),
            format!(
                "`{image}` has no git, and {why} makes the go command clone `{first}`{more} with it: the download \
                 fails with `go: missing Git command`"
            ),
        );
        if let Some(instruction) = context.dockerfile.instructions.get(run.instruction) {
            let keyword = if instruction.keyword_text.chars().all(|c| c.is_ascii_lowercase()) { "run" } else { "RUN" };
            diagnostic.with_fix(
                "Install git first (`RUN apk add --no-cache git`)",
                TextRange::empty(instruction.range.start),
                format!("{keyword} apk add --no-cache git\n"),
                true,
            );
        }
    }
}

/// A RUN of the chain before the command installs git.
fn git_installed(context: &Context<'_>, build: &Build, stage: &Stage, run: &GoRun) -> bool {
    chain_scripts(context, build, stage.index, run.instruction).iter().any(|(at, script)| {
        script.commands.iter().any(|c| {
            let before = *at < run.instruction || c.range.end <= run.command.range.start;
            before
                && matches!(c.program(), Some("apk"))
                && c.arg_values().any(|a| matches!(a.split(['=', '~', '<', '>']).next(), Some("git" | "alpine-sdk")))
        })
    })
}
