//! GO112: `-mod=vendor` while the image has no vendor/ directory for the module.

use super::go109_go_work_module_missing::workspace_of;
use super::go113_no_go_mod_in_workdir::{Inputs, Presence, compiles, workdir_of};
use crate::build::{EnvValue, GoRun};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoFlag, TextRange};
use crate::workspace::{join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO112",
    name: "mod-vendor-without-vendor",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a build (`go build`, `go install`, `go test`, …) that asks for `-mod=vendor`, on the command
line or through `GOFLAGS`, when the module it builds has no vendor/ directory in the image: the
project has none, `.dockerignore` leaves it out, or it is not copied before the command.

## Why it matters
With `-mod=vendor` the go command reads dependencies only from vendor/ and checks vendor/modules.txt
against go.mod. Without vendor/ every requirement is missing from it and the build stops:

```text
go: inconsistent vendoring in /src:
	example.com/dep@v1.2.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt

	To ignore the vendor directory, use -mod=readonly or -mod=mod.
	To sync the vendor directory, run:
		go mod vendor
```

Not reported: the default (`-mod` unset uses vendor/ only when it exists, since Go 1.14), a module
without requirements, workspace mode (GO110), a `-mod` value only the build knows, and stages whose
files gantry cannot follow. A vendor/ that exists but disagrees with go.mod is GO111's finding; one
that is present but unused (`-mod=mod`, or a `go` line before 1.14) is not reported.

## Example
```dockerfile
# the project has no vendor/ directory
ENV GOFLAGS=-mod=vendor
COPY . .
RUN go build -o /out/app .
```

## Fix
Run `go mod vendor` and commit vendor/ (and make sure `.dockerignore` keeps it), or drop
`-mod=vendor` so that the build downloads modules. The quick fix removes a `-mod=vendor` written
on the command line; it is marked unsafe because the build then needs the network.

## References
- Vendoring: https://go.dev/ref/mod#vendoring
- `-mod`: https://go.dev/ref/mod#build-commands
";

/// The `-mod` value of a command as the Dockerfile writes it: the command line wins over `GOFLAGS`.
/// `Ok(None)` when neither sets it; `Err(())` when only the build knows.
pub(super) fn mod_setting(run: &GoRun) -> Result<(Option<String>, Option<&GoFlag>), ()> {
    if let Some(flag) = run.command.flag("mod") {
        return match flag.value.as_ref() {
            Some(value) if !value.dynamic => Ok((Some(value.value.clone()), Some(flag))),
            _ => Err(()),
        };
    }
    match run.env("GOFLAGS") {
        EnvValue::Unset => Ok((None, None)),
        EnvValue::Known(flags) => {
            let value = flags
                .split_whitespace()
                .rev()
                .find_map(|entry| entry.strip_prefix("--mod=").or_else(|| entry.strip_prefix("-mod=")));
            Ok((value.map(str::to_string), None))
        }
        EnvValue::Unknown => Err(()),
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<String> = Vec::new();
    for (stage, run) in build.go_runs() {
        if !compiles(&run.command) || run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
            continue;
        }
        let Ok((Some(value), flag)) = mod_setting(run) else { continue };
        if value != "vendor" || workspace_of(context, facts, stage, run).is_some() {
            continue;
        }
        let Some(workdir) = workdir_of(context, run) else { continue };
        let Some(inputs) = Inputs::of_run(context, facts, stage, run) else { continue };
        let (Presence::Context { path: go_mod_path, .. }, dir) = inputs.find_upward(&workdir, "go.mod") else {
            continue;
        };
        let module_dir = parent(&go_mod_path).unwrap_or_else(|| ".".to_string());
        let Some(module) = facts.workspace.module_at(&module_dir) else { continue };
        let Some(go_mod) = module.go_mod.loaded() else { continue };
        if go_mod.requires.is_empty() || reported.contains(&go_mod_path) {
            continue;
        }
        let image_vendor = format!("{}/vendor", dir.trim_end_matches('/'));
        let why = match inputs.dir(&image_vendor) {
            Presence::Unknown => continue,
            Presence::Context { path, .. } => {
                let modules_txt = join(&path, "modules.txt").unwrap_or_default();
                let excluded =
                    [path.as_str(), modules_txt.as_str()].iter().any(|p| facts.context.includes(p) == Some(false));
                if !excluded {
                    continue;
                }
                "`.dockerignore` leaves vendor/ out of the build context"
            }
            Presence::Absent if !module.has_vendor_dir => "the project has no vendor/ directory",
            Presence::Absent => "vendor/ is not copied before this command",
        };
        reported.push(go_mod_path.clone());
        let first = &go_mod.requires[0];
        let range = flag.map_or(TextRange::new(run.command.range.start, run.command.subcommand_range.end), |f| f.range);
        let origin = if flag.is_some() { "" } else { " (from GOFLAGS)" };
        let diagnostic = sink.report(
            range,
            format!(
                "`-mod=vendor`{origin}, but {why}: the build fails with `go: inconsistent vendoring in {dir}: {}@{}: \
                 is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt`",
                first.path.value, first.version.value
            ),
        );
        diagnostic.with_related(Some(go_mod_path.clone()), first.range, "required, so it must be vendored");
        if let Some(flag) = flag {
            let after = context.text.get(flag.range.end..).unwrap_or("");
            let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
            diagnostic.with_fix(
                "Remove `-mod=vendor`",
                TextRange::new(flag.range.start, flag.range.end + spaces),
                "",
                false,
            );
        }
    }
}
