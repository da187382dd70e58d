//! GO111: vendor/modules.txt disagrees with go.mod, and the build uses vendor/.

use super::go109_go_work_module_missing::workspace_of;
use super::go112_mod_vendor_without_vendor::mod_setting;
use super::go113_no_go_mod_in_workdir::{Inputs, Presence, compiles, workdir_of};
use crate::images::GoVersion;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::TextRange;
use crate::workspace::{FileState, GoMod, ModulesTxt, ReplaceTarget, join, parent};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO111",
    name: "vendor-inconsistent",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Compares vendor/modules.txt with go.mod the way the go command does, for a module whose build in
the image uses vendor/ (`-mod=vendor`, or the default when vendor/ exists and the `go` line is 1.14
or later): every requirement must be marked `## explicit` at the same version, every module marked
explicit must be required, and replacements must agree. A vendor/ without modules.txt is reported too.

## Why it matters
The go command refuses an inconsistent vendor directory before compiling anything:

```text
go: inconsistent vendoring in /src:
	example.com/x@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt

	To ignore the vendor directory, use -mod=readonly or -mod=mod.
	To sync the vendor directory, run:
		go mod vendor
```

Other forms: `is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod`,
`is replaced in go.mod, but not marked as replaced in vendor/modules.txt`, `is marked as replaced in
vendor/modules.txt, but not replaced in go.mod`. It happens when a requirement is added or bumped
without running `go mod vendor` again.

Not reported: builds that do not use vendor/ (`-mod=mod`, `-mod=readonly`, a `go` line before 1.14,
vendor/ not copied or left out by `.dockerignore`), workspace mode (it vendors differently), and a
modules.txt that gantry could not read completely.

## Example
```dockerfile
# go.mod requires example.com/x v1.1.0; vendor/modules.txt still has v1.0.0
COPY . .
RUN go build -o /out/app .
```

## Fix
Run `go mod vendor` and commit the result, or build with `-mod=mod` (which needs the network).

## References
- Vendoring: https://go.dev/ref/mod#vendoring
- `go mod vendor`: https://go.dev/ref/mod#go-mod-vendor
";

/// One disagreement: Go's text for it and where it is (a go.mod or modules.txt line).
struct Problem {
    text: String,
    in_modules_txt: bool,
    range: TextRange,
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<String> = Vec::new();
    for (stage, run) in build.go_runs() {
        if !compiles(&run.command) || run.env("GO111MODULE").known().is_some_and(|v| v.trim() == "off") {
            continue;
        }
        let Ok((explicit_mod, _)) = mod_setting(run) else { continue };
        if explicit_mod.as_deref().is_some_and(|m| m != "vendor") || workspace_of(context, facts, stage, run).is_some()
        {
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
        if !module.has_vendor_dir || reported.contains(&go_mod_path) {
            continue;
        }
        // vendor/ must be in the image (and not ignored) for the build to read it.
        let image_vendor = format!("{}/vendor", dir.trim_end_matches('/'));
        let Presence::Context { path: vendor_path, .. } = inputs.dir(&image_vendor) else { continue };
        let modules_txt_path = join(&vendor_path, "modules.txt").unwrap_or_default();
        let included =
            [vendor_path.as_str(), modules_txt_path.as_str()].iter().all(|p| facts.context.includes(p) == Some(true));
        if !included {
            continue;
        }
        // Without -mod=vendor, vendor/ is used by default from `go 1.14` on.
        let go_line = go_mod.go.as_ref().and_then(|g| GoVersion::parse(&g.value));
        let uses_vendor = explicit_mod.is_some() || go_line.is_some_and(|v| v >= GoVersion::lang(1, 14));
        if !uses_vendor {
            continue;
        }
        let problems = match &module.modules_txt {
            FileState::Loaded(modules_txt) if modules_txt.errors.is_empty() => disagreements(go_mod, modules_txt),
            FileState::Missing => go_mod
                .requires
                .iter()
                .map(|r| Problem {
                    text: format!(
                        "{}@{}: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt",
                        r.path.value, r.version.value
                    ),
                    in_modules_txt: false,
                    range: r.range,
                })
                .collect(),
            _ => continue,
        };
        let Some(first) = problems.first() else { continue };
        reported.push(go_mod_path.clone());
        let missing = if module.modules_txt.exists() { "" } else { " (vendor/modules.txt is missing)" };
        let more = match problems.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
        let diagnostic = sink.report(
            command_range,
            format!(
                "vendor/ does not match go.mod{missing}: the build fails with `go: inconsistent vendoring in {dir}: {}`{more}",
                first.text
            ),
        );
        for problem in problems.iter().take(5) {
            let file = if problem.in_modules_txt { modules_txt_path.clone() } else { go_mod_path.clone() };
            diagnostic.with_related(Some(file), problem.range, problem.text.clone());
        }
    }
}

/// The go command's consistency check (Go 1.14 and later) between go.mod and vendor/modules.txt.
fn disagreements(go_mod: &GoMod, modules_txt: &ModulesTxt) -> Vec<Problem> {
    let mut problems = Vec::new();
    let vendored = |path: &str, version: Option<&str>| {
        modules_txt.modules.iter().find(|m| m.path == path && m.version.as_deref().filter(|v| !v.is_empty()) == version)
    };
    let identity = |path: &str, version: Option<&str>| match version {
        Some(version) => format!("{path}@{version}"),
        None => path.to_string(),
    };
    for require in &go_mod.requires {
        let (path, version) = (require.path.value.as_str(), require.version.value.as_str());
        if !vendored(path, Some(version)).is_some_and(|m| m.explicit) {
            problems.push(Problem {
                text: format!(
                    "{}: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt",
                    identity(path, Some(version))
                ),
                in_modules_txt: false,
                range: require.range,
            });
        }
    }
    let target = |to: &ReplaceTarget| match to {
        ReplaceTarget::Directory(dir) => (dir.value.clone(), None),
        ReplaceTarget::Module { path, version } => (path.value.clone(), Some(version.value.clone())),
    };
    let describe = |(path, version): &(String, Option<String>)| identity(path, version.as_deref());
    for replace in &go_mod.replaces {
        let old_version = replace.from_version.as_ref().map(|v| v.value.as_str());
        let old = identity(&replace.from.value, old_version);
        let new = target(&replace.to);
        match vendored(&replace.from.value, old_version).and_then(|m| m.replacement.clone()) {
            None => problems.push(Problem {
                text: format!("{old}: is replaced in go.mod, but not marked as replaced in vendor/modules.txt"),
                in_modules_txt: false,
                range: replace.range,
            }),
            Some(recorded) if recorded != new => problems.push(Problem {
                text: format!(
                    "{old}: is replaced by {} in go.mod, but marked as replaced by {} in vendor/modules.txt",
                    describe(&new),
                    describe(&recorded)
                ),
                in_modules_txt: false,
                range: replace.range,
            }),
            Some(_) => {}
        }
    }
    for module in &modules_txt.modules {
        let version = module.version.as_deref().filter(|v| !v.is_empty());
        if module.explicit
            && !go_mod.requires.iter().any(|r| r.path.value == module.path && Some(r.version.value.as_str()) == version)
        {
            problems.push(Problem {
                text: format!(
                    "{}: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod",
                    identity(&module.path, version)
                ),
                in_modules_txt: true,
                range: module.range,
            });
        }
        let Some(recorded) = &module.replacement else { continue };
        // The go.mod replacement that applies: for this version, else for every version.
        let applies = |r: &&crate::workspace::Replace| r.from.value == module.path;
        let in_go_mod = go_mod
            .replaces
            .iter()
            .filter(applies)
            .find(|r| r.from_version.as_ref().map(|v| v.value.as_str()) == version && version.is_some())
            .or_else(|| go_mod.replaces.iter().filter(applies).find(|r| r.from_version.is_none()));
        match in_go_mod.map(|r| target(&r.to)) {
            None => problems.push(Problem {
                text: format!(
                    "{}: is marked as replaced in vendor/modules.txt, but not replaced in go.mod",
                    identity(&module.path, version)
                ),
                in_modules_txt: true,
                range: module.range,
            }),
            Some(new) if new != *recorded => problems.push(Problem {
                text: format!(
                    "{}: is marked as replaced by {} in vendor/modules.txt, but replaced by {} in go.mod",
                    identity(&module.path, version),
                    describe(recorded),
                    describe(&new)
                ),
                in_modules_txt: true,
                range: module.range,
            }),
            Some(_) => {}
        }
    }
    problems
}
