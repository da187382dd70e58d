//! GO508: go.mod requires private modules and the download step has no credentials.

use std::collections::BTreeSet;

use super::go4xx_support::{chain, chain_scripts, command_range, go_env_writes};
use crate::build::{Build, CopySource, EnvValue, GoRun, Stage};
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextEdit, TextRange};
use crate::workspace::{GoMod, ReplaceTarget, Require};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO508",
    name: "private-modules-without-auth",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the first `go` command of a stage that downloads modules (`go mod download`, or a build
without vendor/) when go.mod requires private modules and the build has no way to authenticate:

- private means matched by the `GOPRIVATE` (or `GONOPROXY`) patterns the Dockerfile sets, or hosted
  under a name that is never public (`*.internal`, `*.corp`, `*.lan`, `*.local`, `*.intranet`,
  `*.private`, `*.home.arpa`);
- credentials mean a `--mount=type=secret` or `--mount=type=ssh` on the RUN, a `.netrc`,
  `.gitconfig`, `.git-credentials` or `.ssh` copied in, a RUN that writes a `.netrc` or sets a
  git `insteadOf`/credential helper, or `GOAUTH`.

## Why it matters
Private modules bypass the module proxy and are fetched with git, which inside a build has neither
your credentials nor a terminal to ask for them. The download stops with

```text
fatal: could not read Username for 'https://github.com': terminal prompts disabled
```

and without `GOPRIVATE` (or `GONOSUMDB`) the public checksum database answers `410 Gone` for paths
it cannot see. Passing a token through ARG or ENV works but leaves it in the image's history.

The rule is conservative: it says nothing when `GONOPROXY` or a private `GOPROXY` might serve the
modules, when `GOPRIVATE` comes from a build argument, or when a module path only looks like a
company's (only the Dockerfile's own patterns and never-public names count).

## Example
```dockerfile
FROM golang:1.23 AS build
ENV GOPRIVATE=github.com/acme/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
```

## Fix
Give the download step credentials that do not end up in the image:
`RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download`, built with
`docker build --secret id=netrc,src=$HOME/.netrc .`, or an ssh mount (`--mount=type=ssh`) with
`git config --global url.\"git@github.com:\".insteadOf \"https://github.com/\"`. The quick fix adds the
secret mount; it is unsafe because the build command must pass the secret.

## References
- Go modules reference, private modules: https://go.dev/ref/mod#private-modules
- Docker documentation, build secrets: https://docs.docker.com/build/building/secrets/
- XinFinOrg/XDPoSChain#319; golang/go#35164; connectrpc/connect-go#555
";

/// Top-level names that never resolve on the public internet.
const PRIVATE_SUFFIXES: [&str; 8] =
    [".internal", ".corp", ".lan", ".local", ".intranet", ".private", ".home.arpa", ".localhost"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    let go_mod_path = format!("{}/go.mod", module.dir).trim_start_matches("./").to_string();
    let build = context.build();
    if gonoproxy_set(context) {
        return;
    }
    let mut done: BTreeSet<usize> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        if done.iter().any(|&earlier| build.is_based_on(stage.index, earlier)) {
            continue;
        }
        if !downloads(run, module.has_vendor_dir) {
            continue;
        }
        done.insert(stage.index);
        let Some(env) = FetchEnv::read(build, stage, run) else { continue };
        if env.off() || env.proxy_is_private() {
            continue;
        }
        let private: Vec<&Require> = required(go_mod)
            .filter(|(_, path)| {
                env.private.as_ref().is_some_and(|patterns| matches_patterns(patterns, path)) || private_host(path)
            })
            .map(|(require, _)| require)
            .collect();
        let Some(first) = private.first() else { continue };
        if has_credentials(context, build, stage, run) {
            continue;
        }
        let names: Vec<&str> = private.iter().map(|r| r.path.value.as_str()).collect();
        let shown = if names.len() > 3 {
            format!("{} and {} more", names[..3].join(", "), names.len() - 3)
        } else {
            names.join(", ")
        };
        let diagnostic = sink.report(
            command_range(context, run),
            format!(
                "go.mod requires private modules ({shown}), which git fetches without the proxy, and this step has \
                 no credentials (no secret or ssh mount, no .netrc): the download fails with `fatal: could not read \
                 Username for 'https://…': terminal prompts disabled`"
            ),
        );
        diagnostic.with_related(Some(go_mod_path.clone()), first.range, "a private requirement");
        if let Some(instruction) = context.dockerfile.instructions.get(run.instruction) {
            diagnostic.fixes.push(Fix {
                title: "Mount a .netrc secret for the download".to_string(),
                edits: vec![TextEdit {
                    range: TextRange::empty(instruction.keyword_range.end),
                    new_text: " --mount=type=secret,id=netrc,target=/root/.netrc".to_string(),
                }],
                safe: false,
            });
        }
    }
}

/// The requirements that are downloaded (not replaced by a directory), each with the module path
/// actually fetched (a `replace` by another module fetches that one).
pub(super) fn required(go_mod: &GoMod) -> impl Iterator<Item = (&Require, String)> {
    go_mod.requires.iter().filter_map(|require| {
        let replace = go_mod.replaces.iter().rev().find(|r| {
            r.from.value == require.path.value
                && r.from_version.as_ref().is_none_or(|v| v.value == require.version.value)
        });
        match replace.map(|r| &r.to) {
            Some(ReplaceTarget::Directory(_)) => None,
            Some(ReplaceTarget::Module { path, .. }) => Some((require, path.value.clone())),
            None => Some((require, require.path.value.clone())),
        }
    })
}

/// The command downloads modules: `go mod download`/`tidy`/`vendor`, `go get`, or a build that
/// does not read vendor/.
pub(super) fn downloads(run: &GoRun, vendored: bool) -> bool {
    let uses_vendor = vendored
        || run.command.flag("mod").and_then(|f| f.value.as_ref()).is_some_and(|v| v.value == "vendor")
        || run.env("GOFLAGS").known().is_some_and(|flags| flags.contains("-mod=vendor"));
    match &run.command.subcommand {
        GoSubcommand::Mod(verb) => matches!(verb.as_str(), "download" | "tidy" | "vendor"),
        GoSubcommand::Get => true,
        GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test | GoSubcommand::Vet => {
            !uses_vendor
        }
        _ => false,
    }
}

/// The module-fetching settings a go command sees.
pub(super) struct FetchEnv {
    /// GOPROXY's entries (the default when unset).
    pub(super) proxy: Vec<String>,
    /// GOPRIVATE's patterns, when set.
    pub(super) private: Option<Vec<String>>,
}

impl FetchEnv {
    /// `None` when a setting is only known at build time.
    pub(super) fn read(build: &Build, stage: &Stage, run: &GoRun) -> Option<FetchEnv> {
        let written = go_env_writes(build, stage, run.instruction);
        let value = |name: &str| -> Option<Option<String>> {
            match run.env(name) {
                EnvValue::Known(value) => Some(Some(value.clone())),
                EnvValue::Unknown => None,
                EnvValue::Unset => Some(written.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())),
            }
        };
        let proxy = value("GOPROXY")?.unwrap_or_else(|| "https://proxy.golang.org,direct".to_string());
        let proxy = proxy.split([',', '|']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        let private = value("GOPRIVATE")?
            .map(|p| p.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect::<Vec<_>>())
            .filter(|p| !p.is_empty());
        Some(FetchEnv { proxy, private })
    }

    /// Every module is fetched from version control (`GOPROXY=direct`).
    pub(super) fn all_direct(&self) -> bool {
        self.proxy.first().is_some_and(|p| p == "direct")
    }

    /// Downloads are off (`GOPROXY=off`).
    pub(super) fn off(&self) -> bool {
        self.proxy.first().is_some_and(|p| p == "off")
    }

    /// The first proxy is neither the public one nor `direct`/`off`: it may well serve private
    /// modules.
    pub(super) fn proxy_is_private(&self) -> bool {
        self.proxy.first().is_some_and(|p| {
            !matches!(p.as_str(), "direct" | "off")
                && !p.trim_end_matches('/').ends_with("proxy.golang.org")
                && !p.contains("goproxy.io")
                && !p.contains("goproxy.cn")
        })
    }
}

/// `GONOPROXY` is set somewhere (ENV, ARG or a RUN): which modules skip the proxy is then not
/// the GOPRIVATE list.
pub(super) fn gonoproxy_set(context: &Context<'_>) -> bool {
    context.dockerfile.instructions.iter().enumerate().any(|(at, instruction)| match &instruction.kind {
        InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => pairs.iter().any(|p| p.key == "GONOPROXY"),
        InstructionKind::Run(_) => context.shell(at).is_some_and(|script| {
            script
                .commands
                .iter()
                .any(|c| c.assignment("GONOPROXY").is_some() || c.arg_values().any(|a| a.starts_with("GONOPROXY=")))
        }),
        _ => false,
    })
}

/// Go's `module.MatchPrefixPatterns`: a comma-separated list of globs, each matched against as
/// many leading path elements of the module path as the glob has.
pub(super) fn matches_patterns(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|pattern| {
        let pattern = pattern.trim_end_matches('/');
        let count = pattern.split('/').count();
        let prefix: Vec<&str> = path.split('/').take(count).collect();
        prefix.len() == count && glob(pattern.as_bytes(), prefix.join("/").as_bytes())
    })
}

/// `path.Match` for the patterns GOPRIVATE uses (`*` and `?` within one element, `[…]` classes).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            (0..=text.len()).take_while(|&i| i == 0 || text[i - 1] != b'/').any(|i| glob(rest, &text[i..]))
        }
        Some((b'?', rest)) => text.first().is_some_and(|&c| c != b'/') && glob(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().position(|&b| b == b']') else { return false };
            let (class, after) = (&rest[..close], &rest[close + 1..]);
            let Some((&first, _)) = text.split_first() else { return false };
            let (negated, class) = match class.split_first() {
                Some((b'^', class)) => (true, class),
                _ => (false, class),
            };
            let mut matched = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    matched |= class[i] <= first && first <= class[i + 2];
                    i += 3;
                } else {
                    matched |= class[i] == first;
                    i += 1;
                }
            }
            matched != negated && glob(after, &text[1..])
        }
        Some((&literal, rest)) => text.first() == Some(&literal) && glob(rest, &text[1..]),
    }
}

/// The module's host is a name that never resolves publicly.
pub(super) fn private_host(path: &str) -> bool {
    let host = path.split('/').next().unwrap_or_default().to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or_default();
    PRIVATE_SUFFIXES.iter().any(|suffix| host.ends_with(suffix))
}

/// Something lets git authenticate: a secret or ssh mount on the RUN, credential files copied in,
/// a RUN that writes a .netrc or configures git, or GOAUTH.
fn has_credentials(context: &Context<'_>, build: &Build, stage: &Stage, run: &GoRun) -> bool {
    let mounts = match context.dockerfile.instructions.get(run.instruction).map(|i| &i.kind) {
        Some(InstructionKind::Run(syntax)) => {
            syntax.mounts.iter().any(|m| matches!(m.mount_type().to_ascii_lowercase().as_str(), "secret" | "ssh"))
        }
        _ => false,
    };
    let scripts = chain_scripts(context, build, stage.index, run.instruction).iter().any(|(_, script)| {
        script.commands.iter().any(|c| {
            c.program().is_some_and(|p| p == "ssh-keyscan" || p == "ssh-agent")
                || c.arg_values()
                    .chain(c.redirects.iter().filter_map(|r| r.target.as_ref().map(|t| t.value.as_str())))
                    .any(|a| {
                        let a = a.to_ascii_lowercase();
                        a.contains("netrc")
                            || a.contains("insteadof")
                            || a.contains("credential")
                            || a.contains("askpass")
                    })
        })
    });
    let copied = build.copies_before(stage.index, run.instruction).iter().any(|copy| {
        copy.source == CopySource::Context
            && copy.sources.iter().any(|(source, _)| {
                source.as_deref().is_some_and(|s| {
                    let name = s.rsplit('/').next().unwrap_or(s);
                    matches!(name, ".netrc" | ".gitconfig" | ".git-credentials" | ".ssh" | "known_hosts")
                        || name.starts_with("id_")
                })
            })
    });
    let goauth = chain(build, stage.index).iter().any(|member| {
        context.dockerfile.stages.get(member.index).is_some_and(|s| {
            context.dockerfile.stage_instructions(s).iter().any(|i| match &i.kind {
                InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => pairs.iter().any(|p| p.key == "GOAUTH"),
                _ => false,
            })
        })
    }) || run.command.env_value("GOAUTH").is_some();
    mounts || scripts || copied || goauth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goprivate_patterns_match_path_prefixes() {
        let patterns = vec!["github.com/acme".to_string(), "*.corp.example.com".to_string()];
        assert!(matches_patterns(&patterns, "github.com/acme/lib"));
        assert!(matches_patterns(&patterns, "git.corp.example.com/team/x"));
        assert!(!matches_patterns(&patterns, "github.com/acmeco/lib"));
        assert!(!matches_patterns(&patterns, "github.com"));
        let star = vec!["github.com/acme/*".to_string()];
        assert!(matches_patterns(&star, "github.com/acme/lib/v2"));
        assert!(!matches_patterns(&star, "github.com/other/lib"));
    }

    #[test]
    fn never_public_hosts() {
        assert!(private_host("git.acme.internal/lib"));
        assert!(private_host("gitlab.corp/x"));
        assert!(!private_host("github.com/acme/lib"));
    }
}
