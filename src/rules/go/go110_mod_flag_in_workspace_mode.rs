//! GO110: `-mod=mod` (or `-mod=vendor` before Go 1.22) on a go command in workspace mode.

use super::go109_go_work_module_missing::workspace_of;
use super::go113_no_go_mod_in_workdir::compiles;
use crate::build::EnvValue;
use crate::images::GoVersion;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO110",
    name: "mod-flag-in-workspace-mode",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `-mod=mod` (and `-mod=vendor` with Go before 1.22), given on the command line or through
`GOFLAGS`, on a `go` command that runs in workspace mode: a go.work from the build context is in its
directory or a parent and `GOWORK` is not `off`.

## Why it matters
In workspace mode the go command accepts only `-mod=readonly` (and, from Go 1.22, `-mod=vendor`
for `go work vendor`), and stops before doing anything:

```text
go: -mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\"
	Remove the -mod flag to use the default readonly value,
	or set GOWORK=off to disable workspace mode.
```

(Go before 1.22: `-mod may only be set to readonly when in workspace mode`.) A go.work copied by
`COPY . .` turns workspace mode on for builds that were written without it.

Not reported: `-mod=readonly`; commands that take no build flags (`GOFLAGS` does not apply to
them); go.work kept out by `.dockerignore`, `GOWORK=off`; `-mod=vendor` when the Go version is not
known; `GOFLAGS` only the build knows.

## Example
```dockerfile
COPY . .
RUN go build -mod=mod -o /out/app ./cmd/app
```

## Fix
Remove the `-mod` flag, or run the command with `GOWORK=off`. The quick fix removes a `-mod`
flag written on the command line; it is marked unsafe because the build then uses workspace mode.

## References
- `-mod` and workspace mode: https://go.dev/ref/mod#build-commands
- Go 1.22 release notes (`go work vendor`): https://go.dev/doc/go1.22#go-command
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        let takes_build_flags = compiles(&run.command) || run.command.subcommand == GoSubcommand::Other("list".into());
        if !takes_build_flags {
            continue;
        }
        // The command line overrides GOFLAGS.
        let (value, flag) = match run.command.flag("mod") {
            Some(flag) => match flag.value.as_ref().filter(|v| !v.dynamic) {
                Some(value) => (value.value.clone(), Some(flag)),
                None => continue,
            },
            None => match run.env("GOFLAGS") {
                EnvValue::Known(flags) => match flags.split_whitespace().rev().find_map(mod_value) {
                    Some(value) => (value.to_string(), None),
                    None => continue,
                },
                _ => continue,
            },
        };
        let go = stage.golang.as_ref().and_then(|image| image.go_version);
        let refused = match value.as_str() {
            "mod" => true,
            "vendor" => go.is_some_and(|version| version < GoVersion::lang(1, 22)),
            _ => false,
        };
        if !refused {
            continue;
        }
        let Some((work_path, image_dir, _, _)) = workspace_of(context, facts, stage, run) else {
            continue;
        };
        let allowed =
            if go.is_some_and(|version| version < GoVersion::lang(1, 22)) { "readonly" } else { "readonly or vendor" };
        let range = flag.map_or(TextRange::new(run.command.range.start, run.command.subcommand_range.end), |f| f.range);
        let origin = if flag.is_some() { "" } else { " (from GOFLAGS)" };
        let diagnostic = sink.report(
            range,
            format!(
                "`-mod={value}`{origin} in workspace mode (go.work in {image_dir}): the go command stops with \
                 `go: -mod may only be set to {allowed} when in workspace mode, but it is set to \"{value}\"`"
            ),
        );
        diagnostic.with_related(Some(work_path), TextRange::new(0, 0), "the go.work that turns workspace mode on");
        if let Some(flag) = flag {
            let after = context.text.get(flag.range.end..).unwrap_or("");
            let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
            diagnostic.with_fix(
                format!("Remove `-mod={value}`"),
                TextRange::new(flag.range.start, flag.range.end + spaces),
                "",
                false,
            );
        }
    }
}

/// The value of a `-mod=…` entry of GOFLAGS.
fn mod_value(entry: &str) -> Option<&str> {
    entry.strip_prefix("--mod=").or_else(|| entry.strip_prefix("-mod="))
}
