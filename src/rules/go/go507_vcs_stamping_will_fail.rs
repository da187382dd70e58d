//! GO507: `go build` stamps version control information from a `.git` that git cannot read in the
//! image, so the build fails.

use std::collections::BTreeMap;

use super::go4xx_support::{chain, chain_scripts, command_range, is_root, user_at, user_name};
use crate::build::{Build, CopySource, CopyStep, GoRun, Stage, resolve_path};
use crate::images::GoVersion;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, ShellScript, TextRange};
use crate::workspace::join;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO507",
    name: "vcs-stamping-will-fail",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows the `.git` directory into the image (copied from the build context, kept by
`ADD --keep-git-dir=true`, or made by `RUN git clone`) and reports a `go build` or `go install`
(Go 1.18 or later) in that repository when git is installed and cannot read it:

- the repository belongs to another user than the one running the build (a `COPY` without
  `--chown` followed by `USER app`, a clone made as root and built as another user): git's
  `safe.directory` check refuses it;
- the .dockerignore file drops part of `.git` (`.git/objects`, `.git/refs` or `.git/HEAD`) but not `.git`;
- `.git` is a file (a worktree or submodule) pointing at a git directory outside the context;
- `-buildvcs=true` is given and the image has no git.

## Why it matters
Since Go 1.18 the go command stamps the binary with the repository's revision. It runs git to do
so, and when git fails the build stops:

```text
error obtaining VCS status: exit status 128
	Use -buildvcs=false to disable VCS stamping.
```

With the default `-buildvcs=auto`, a missing git only drops the stamp (Go 1.18.0 itself still
failed with `error obtaining VCS status: exec: \"git\": executable file not found in $PATH`), and an
excluded `.git` only means the binary carries no `vcs.revision`: neither is reported. Nothing is
reported either when a RUN configures `safe.directory`, when `-buildvcs=false` is given (on the
command line or in `GOFLAGS`), or when the users cannot be compared (a name against a number).

## Example
```dockerfile
FROM golang:1.23
RUN useradd -m builder
WORKDIR /src
COPY . .
USER builder
RUN go build -o /tmp/app .
```

## Fix
Copy the repository for the user that builds (`COPY --chown=builder . .`), mark it safe
(`git config --global --add safe.directory /src`), keep `.git` out of the context
(`.git` in .dockerignore) and pass the revision with `-ldflags -X`, or build with `-buildvcs=false`.
The quick fix adds `-buildvcs=false`; it is unsafe because the binary then has no VCS stamp.

## References
- `go help build` (`-buildvcs`); golang/go#51748 (`-buildvcs=auto`)
- git's safe.directory (CVE-2022-24765): https://git-scm.com/docs/git-config#Documentation/git-config.txt-safedirectory
- osbuild/image-builder#2100; librespeed/speedtest-go#52; ipfs-cluster/ipfs-cluster#1824
";

/// What makes a directory a repository for git: without one of them git does not recognise it.
const GIT_ESSENTIALS: [&str; 3] = [".git/HEAD", ".git/objects", ".git/refs"];

/// A `.git` in the image.
struct Repository {
    /// The directory holding `.git` (the repository's root), absolute.
    root: String,
    /// The instruction that put it there.
    instruction: usize,
    /// Its owner as written (`--chown` user, the USER of a clone); `None` when only the build knows.
    owner: Option<String>,
    /// What is wrong with it whoever reads it, if anything.
    broken: Option<&'static str>,
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let build = context.build();
    // The repositories of each stage's chain, computed once per stage.
    let mut known: BTreeMap<usize, Vec<Repository>> = BTreeMap::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install)
            || buildvcs(run) == Some(false)
            || run.command.packages.iter().any(|p| p.value.contains('@'))
        {
            continue;
        }
        let Some(version) = stage.golang.as_ref().and_then(|image| image.go_version) else { continue };
        if version < GoVersion::lang(1, 18) {
            continue;
        }
        let cwd = effective_dir(context, run);
        let repositories = known.entry(stage.index).or_insert_with(|| repositories(context, build, stage));
        let Some(repository) =
            repositories.iter().rev().find(|r| r.instruction < run.instruction && is_within(&cwd, &r.root))
        else {
            continue;
        };
        let git = git_installed(context, build, stage, run.instruction);
        let (problem, error) = if !git {
            if buildvcs(run) != Some(true) {
                continue;
            }
            (
                "`-buildvcs=true` asks for the stamp and the image has no git".to_string(),
                "error obtaining VCS status: exec: \"git\": executable file not found in $PATH",
            )
        } else if let Some(broken) = repository.broken {
            (broken.to_string(), "error obtaining VCS status: exit status 128")
        } else {
            let user = user_at(context, build, stage.index, run.instruction).map(|(u, _)| u);
            let owner = repository.owner.as_deref();
            match (owner, differs(owner, user.as_deref())) {
                (Some(owner), true) if !safe_directory_set(context, build, stage, run.instruction) => (
                    format!(
                        "the repository belongs to `{}` but the build runs as `{}`, so git refuses it (dubious \
                         ownership)",
                        user_name(owner),
                        user.as_deref().map_or("root", user_name)
                    ),
                    "error obtaining VCS status: exit status 128",
                ),
                _ => continue,
            }
        };
        let diagnostic = sink.report(
            command_range(context, run),
            format!("{problem}: stamping the binary with VCS information fails with `{error}`"),
        );
        if let Some(instruction) = context.dockerfile.instructions.get(repository.instruction) {
            diagnostic.with_related(None, instruction.range, "the repository's .git comes from here");
        }
        // An explicit `-buildvcs` is rewritten (the last one wins); otherwise the flag is added.
        let (range, text) = match run.command.flag("buildvcs") {
            Some(flag) => (flag.range, "-buildvcs=false"),
            None => (TextRange::empty(run.command.subcommand_range.end), " -buildvcs=false"),
        };
        diagnostic.with_fix("Build with `-buildvcs=false`", range, text, false);
    }
}

/// `-buildvcs` as given on the command line or in GOFLAGS: `Some(false)`, `Some(true)`, or `None`
/// for the default (`auto`).
fn buildvcs(run: &GoRun) -> Option<bool> {
    if let Some(flag) = run.command.flag("buildvcs") {
        return match flag.value.as_ref().map(|v| v.value.as_str()) {
            None | Some("true" | "1") => Some(true),
            Some("false" | "0") => Some(false),
            Some(_) => None,
        };
    }
    let flags = run.env("GOFLAGS").known()?;
    if flags.contains("-buildvcs=false") {
        Some(false)
    } else if flags.contains("-buildvcs=true") || flags.split_whitespace().any(|f| f == "-buildvcs") {
        Some(true)
    } else {
        None
    }
}

/// The owners differ for certain: both known, both names or both ids (root and 0 are the same).
fn differs(owner: Option<&str>, user: Option<&str>) -> bool {
    let Some(owner) = owner else { return false };
    let owner = user_name(owner);
    let user = user.map_or("root", user_name);
    if owner.contains('$') || user.contains('$') {
        return false;
    }
    if is_root(owner) || is_root(user) {
        return is_root(owner) != is_root(user);
    }
    let numeric = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    numeric(owner) == numeric(user) && owner != user
}

/// The directory the go command runs in: the WORKDIR, moved by `cd` commands earlier in the RUN.
fn effective_dir(context: &Context<'_>, run: &GoRun) -> String {
    let mut dir = run.workdir.clone();
    let Some(script) = context.shell(run.instruction) else { return dir };
    for command in script.commands.iter().filter(|c| c.range.end <= run.command.range.start && c.enclosing.is_empty()) {
        if command.is("cd")
            && let Some(target) = command.args.first()
        {
            if target.dynamic {
                return format!("{dir}/${{unknown}}");
            }
            dir = resolve_path(&dir, &target.value);
        }
    }
    dir
}

fn is_within(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The repositories the stage's chain puts into the image, oldest first.
fn repositories(context: &Context<'_>, build: &Build, stage: &Stage) -> Vec<Repository> {
    let mut found = Vec::new();
    for copy in build.copies_before(stage.index, usize::MAX) {
        found.extend(copied_repository(context, copy));
    }
    for member in chain(build, stage.index) {
        let Some(syntax_stage) = context.dockerfile.stages.get(member.index) else { continue };
        for at in syntax_stage.instructions.clone() {
            if !matches!(context.dockerfile.instructions[at].kind, InstructionKind::Run(_)) {
                continue;
            }
            let Some(script) = context.shell(at) else { continue };
            let roots = clones(script, member.workdir_at(at));
            if roots.is_empty() {
                continue;
            }
            let owner = user_at(context, build, member.index, at).map_or("root".to_string(), |(u, _)| u);
            found.extend(roots.into_iter().map(|root| Repository {
                root,
                instruction: at,
                owner: Some(owner.clone()),
                broken: None,
            }));
        }
    }
    found.sort_by_key(|r| r.instruction);
    found
}

/// The `.git` a COPY or ADD brings: from the context (when it has one and .dockerignore lets it
/// through), or kept by `ADD --keep-git-dir=true <repository>`.
fn copied_repository(context: &Context<'_>, copy: &CopyStep) -> Option<Repository> {
    let facts = context.go?;
    let instruction = context.dockerfile.instructions.get(copy.instruction)?;
    let owner = match instruction.flag("chown").and_then(|f| f.value.clone()) {
        Some(chown) => Some(chown),
        None => Some("root".to_string()),
    };
    match &copy.source {
        CopySource::Context => {
            let root = facts.context.root.as_deref()?;
            let git = join(root, ".git")?;
            let is_dir = facts.workspace.dir_exists(&git);
            if !(is_dir || facts.workspace.file_exists(&git)) || facts.context.includes(&git) != Some(true) {
                return None;
            }
            let destination = copy.destination_of(".git")?;
            let broken = if !is_dir {
                Some("`.git` is a file (a worktree or submodule) that points at a git directory outside the image")
            } else if GIT_ESSENTIALS
                .iter()
                .any(|part| join(root, part).is_some_and(|path| facts.context.includes(&path) == Some(false)))
            {
                Some("the .dockerignore file drops part of `.git`, which leaves git a broken repository")
            } else {
                None
            };
            let root_dir = destination.strip_suffix("/.git").map_or("/".to_string(), str::to_string);
            Some(Repository { root: root_dir, instruction: copy.instruction, owner, broken })
        }
        CopySource::Other(_) if copy.is_add => {
            let keep = instruction.flag("keep-git-dir")?;
            if !matches!(keep.value.as_deref(), None | Some("true")) {
                return None;
            }
            Some(Repository { root: copy.destination.clone(), instruction: copy.instruction, owner, broken: None })
        }
        _ => None,
    }
}

/// The directories `git clone` creates in the script (run in `workdir`).
fn clones(script: &ShellScript, workdir: &str) -> Vec<String> {
    const VALUE_OPTIONS: [&str; 14] = [
        "-b",
        "--branch",
        "--depth",
        "-o",
        "--origin",
        "-c",
        "--config",
        "--reference",
        "-j",
        "--jobs",
        "--filter",
        "--template",
        "-u",
        "--upload-pack",
    ];
    let mut dirs = Vec::new();
    let mut cwd = workdir.to_string();
    for command in script.commands.iter().filter(|c| c.enclosing.is_empty()) {
        if command.is("cd") {
            match command.args.first() {
                Some(target) if !target.dynamic => cwd = resolve_path(&cwd, &target.value),
                _ => return dirs,
            }
            continue;
        }
        if !command.is("git") {
            continue;
        }
        let mut args = command.args.iter();
        if args.next().map(|a| a.value.as_str()) != Some("clone") {
            continue;
        }
        let mut positional = Vec::new();
        while let Some(arg) = args.next() {
            if arg.value.starts_with('-') {
                if arg.value == "--separate-git-dir" || arg.value.starts_with("--separate-git-dir=") {
                    positional.clear();
                    break;
                }
                if !arg.value.contains('=') && VALUE_OPTIONS.contains(&arg.value.as_str()) {
                    args.next();
                }
                continue;
            }
            positional.push(arg);
        }
        let target = match positional.as_slice() {
            [url] if !url.dynamic => {
                let name = url.value.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or_default();
                name.strip_suffix(".git").unwrap_or(name).to_string()
            }
            [_, dir] if !dir.dynamic => dir.value.clone(),
            _ => continue,
        };
        if !target.is_empty() {
            dirs.push(resolve_path(&cwd, &target));
        }
    }
    dirs
}

/// git is on PATH when the go command runs: a Debian golang image, or installed by a RUN.
fn git_installed(context: &Context<'_>, build: &Build, stage: &Stage, index: usize) -> bool {
    if stage.golang.as_ref().and_then(|image| image.has_c_compiler) == Some(true) {
        // The Debian variants are built on buildpack-deps:*-scm, which has git.
        return true;
    }
    chain_scripts(context, build, stage.index, index).iter().any(|(_, script)| {
        script.commands.iter().any(|c| {
            (matches!(c.program(), Some("apk" | "apt-get" | "apt" | "yum" | "dnf"))
                && c.arg_values().any(|a| matches!(a, "git" | "alpine-sdk" | "git-core")))
                || (c.is("git") && c.arg_values().next() == Some("clone"))
        })
    })
}

/// A RUN of the chain before `index` configures git's `safe.directory`.
fn safe_directory_set(context: &Context<'_>, build: &Build, stage: &Stage, index: usize) -> bool {
    chain_scripts(context, build, stage.index, index)
        .iter()
        .filter(|(at, _)| *at < index)
        .any(|(_, script)| script.commands.iter().any(|c| c.arg_values().any(|a| a.contains("safe.directory"))))
        || chain(build, stage.index).iter().any(|member| {
            context.dockerfile.stages.get(member.index).is_some_and(|s| {
                context.dockerfile.stage_instructions(s).iter().any(|i| match &i.kind {
                    InstructionKind::Env(pairs) => pairs.iter().any(|p| p.key.starts_with("GIT_CONFIG")),
                    _ => false,
                })
            })
        })
}
