//! GO210: `go get` used to install a tool outside a module, which Go 1.18 and later refuse.

use super::go2xx_support::{GoSite, Project, go_site, removal_range, tree_untouched_before};
use crate::build::{EnvValue, is_within_image};
use crate::images::GoVersion;
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextEdit, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO210",
    name: "go-get-for-tools",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `RUN go get <tool>` in a `golang` stage of Go 1.18 or later where the command runs outside
any module: no go.mod at or above its directory in the image (the golang images start in `/go`,
which has none), in module mode (`GO111MODULE` unset or `on`).

## Why it matters
Since Go 1.18 `go get` only manages the requirements in go.mod; it no longer builds or installs
programs, and outside a module it stops:

```text
go: go.mod file not found in current directory or any parent directory.
	'go get' is no longer supported outside a module.
	To build and install a command, use 'go install' with a version,
	like 'go install example.com/cmd@latest'
```

Not reported: `go get -d` (only downloads), images older than Go 1.18 or of unknown version,
GOPATH mode (`GO111MODULE=off` or `auto`), stages where a COPY may bring a go.mod above the
directory or an earlier RUN may have made one (`go mod init`, a clone, a script), and `go get`
inside a module (which adds a requirement rather than a tool).

## Example
```dockerfile
FROM golang:1.22
RUN go get github.com/go-delve/delve/cmd/dlv
```

## Fix
`go install <package>@<version>` (`@latest` when no version is pinned); pin a version for
reproducible images. The quick fix rewrites the command with `@latest` and drops the flags that
only `go get` knows (`-u`, `-t`, `-insecure`).

## References
- Deprecation of 'go get' for installing executables: https://go.dev/doc/go-get-install-deprecation
- `go help install`: https://pkg.go.dev/cmd/go#hdr-Compile_and_install_packages_and_dependencies
";

/// Flags that only `go get` takes.
const GET_ONLY_FLAGS: &[&str] = &["u", "t", "d", "insecure", "f", "fix", "m"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::module_files_only(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        let command = &run.command;
        if command.subcommand != GoSubcommand::Get
            || command.packages.is_empty()
            || command.bool_flag("d") == Some(true)
        {
            continue;
        }
        let Some(golang) = &stage.golang else { continue };
        let Some(version) = golang.go_version else { continue };
        if version.language() < GoVersion::lang(1, 18) {
            continue;
        }
        match run.env("GO111MODULE") {
            EnvValue::Unset => {}
            EnvValue::Known(mode) if mode == "on" => {}
            _ => continue,
        }
        let Some(site) = go_site(context, build, stage, run) else { continue };
        if !tree_untouched_before(context, build, &site) || may_have_go_mod(&project, &site) {
            continue;
        }
        let message = format!(
            "`go get` outside a module: with Go {version} it no longer installs programs and fails with `go: go.mod \
             file not found in current directory or any parent directory. 'go get' is no longer supported outside a \
             module`; use `go install <package>@<version>`"
        );
        let range = command.subcommand_range.cover(command.packages.last().map_or(command.range, |p| p.range));
        let diagnostic = sink.report(range, message);
        if let Some(fix) = install_fix(context, command) {
            diagnostic.fixes.push(fix);
        }
    }
}

/// Whether a go.mod may be at or above the command's directory in the image.
fn may_have_go_mod(project: &Project<'_>, site: &GoSite<'_>) -> bool {
    let mut dir = site.dir.clone();
    loop {
        let go_mod = if dir == "/" { "/go.mod".to_string() } else { format!("{dir}/go.mod") };
        for step in site.steps.iter().filter(|s| s.writes_within(&go_mod)) {
            if step.destination != go_mod && is_within_image(&step.destination, &go_mod) {
                return true;
            }
            if !step.is_plain_context_copy() {
                return true;
            }
            let Some(candidates) = step.sources_for(&go_mod) else { return true };
            let workspace = &project.facts.workspace;
            let exists = candidates.iter().any(|c| {
                project.workspace_path(c).is_none_or(|p| workspace.file_exists(&p) || workspace.dir_exists(&p))
            });
            if exists {
                return true;
            }
        }
        if dir == "/" {
            return false;
        }
        dir = dir
            .rsplit_once('/')
            .map_or("/".to_string(), |(parent, _)| if parent.is_empty() { "/".into() } else { parent.into() });
    }
}

/// `go get -u x/y` → `go install x/y@latest`.
fn install_fix(context: &Context<'_>, command: &crate::syntax::GoCommand) -> Option<Fix> {
    let mut edits = vec![TextEdit { range: command.subcommand_range, new_text: "install".to_string() }];
    for flag in command.flags.iter().filter(|f| GET_ONLY_FLAGS.contains(&f.name.as_str())) {
        if context.text.get(flag.range.as_range()).is_none_or(|t| t.contains('\n')) {
            return None;
        }
        edits.push(TextEdit { range: removal_range(context.text, flag.range), new_text: String::new() });
    }
    for package in &command.packages {
        if package.dynamic || context.text.get(package.range.as_range()) != Some(package.text.as_str()) {
            return None;
        }
        if !package.value.contains('@') {
            let end = package.range.end;
            edits.push(TextEdit { range: TextRange::new(end, end), new_text: "@latest".to_string() });
        }
    }
    // Edits must not overlap.
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    if edits.windows(2).any(|pair| pair[0].range.end > pair[1].range.start) {
        return None;
    }
    Some(Fix { title: "Use `go install <package>@latest`".to_string(), edits, safe: false })
}
