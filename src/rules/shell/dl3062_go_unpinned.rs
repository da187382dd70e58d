//! DL3062: `go install`, `go get` or `go run` of a remote package without a fixed version.

use super::support::run_scripts;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoCommand, GoSubcommand, ShellWord, SimpleCommand};

pub(super) static RULE: Rule = Rule {
    code: "DL3062",
    name: "go-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports packages given to `go install`, `go get` and `go run` with a moving version (`@latest`,
`@upgrade`, `@patch`, `@master`, `@main`, `@HEAD`), and `go get` of a package without a version
(which means `@upgrade`). `go install pkg` and `go run pkg` without `@version` are not reported:
in module mode they build the version the main module's `go.mod` requires, and outside a module
they fail (hadolint reports them). Local packages (`.`, `./cmd/x`, `/src/x`, `*.go` files),
packages whose path has no domain (the main module or the standard library), `@none` (which
removes a requirement) and packages held in a variable are not reported either. `xx-go` (the cross-compilation wrapper of tonistiigi/xx) is
read like `go`. Every `go` command of the RUN is checked (hadolint looks only at the
`go run` when there is one). Builder stages are checked too: a tool installed there is often the
binary that gets copied into the image.

## Why it matters
With `@latest` or a branch, `go install` builds whatever was tagged or pushed last. A rebuild
of the same Dockerfile can then produce a different tool, or fail when a new release needs a newer
Go than the image has.

## Example
```dockerfile
FROM golang:1.23 AS tools
RUN go install github.com/go-delve/delve/cmd/dlv@latest
```

## Fix
Name the version: `go install github.com/go-delve/delve/cmd/dlv@v1.23.1`, or a build argument
(`@${DLV_VERSION}`) set in one place. Tools the module depends on can be pinned in `go.mod`
(`go get -tool`, Go 1.24) and run with `go tool`.

## References
- hadolint rule DL3062 (https://github.com/hadolint/hadolint/wiki/DL3062)
- Go command documentation: go install (https://pkg.go.dev/cmd/go#hdr-Compile_and_install_packages_and_dependencies)
";

/// Versions that move.
const MOVING: &[&str] = &["latest", "upgrade", "patch", "master", "main", "HEAD"];

/// Why a package word is unpinned, if it is.
fn unpinned(word: &ShellWord, subcommand: &GoSubcommand) -> Option<&'static str> {
    let value = word.value.as_str();
    if value.starts_with(['.', '/', '$', '-']) || value.ends_with(".go") || (word.dynamic && !value.contains('@')) {
        return None;
    }
    let (path, version) = match value.split_once('@') {
        Some((path, version)) => (path, Some(version)),
        None => (value, None),
    };
    // A path without a domain is in the main module or the standard library.
    if !path.split('/').next().is_some_and(|first| first.contains('.')) {
        return None;
    }
    match version {
        // Without a version, `go install` and `go run` take the version the main module's go.mod
        // requires (and fail outside a module); `go get` upgrades to the latest release.
        None if *subcommand == GoSubcommand::Get => Some("has no version"),
        None => None,
        Some("none") if *subcommand == GoSubcommand::Get => None,
        Some(version) if MOVING.contains(&version) || version.is_empty() => Some("names a moving version"),
        Some(_) => None,
    }
}

/// A `go` command, also through tonistiigi/xx's `xx-go` wrapper (same arguments).
fn go_command(command: &SimpleCommand) -> Option<GoCommand> {
    if command.is("xx-go") {
        let mut as_go = command.clone();
        if let Some(name) = &mut as_go.name {
            name.value = "go".to_string();
        }
        return GoCommand::from_shell(&as_go);
    }
    GoCommand::from_shell(command)
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for go in run.script.commands.iter().filter_map(go_command) {
            let packages: &[ShellWord] = match go.subcommand {
                GoSubcommand::Install | GoSubcommand::Get => &go.packages,
                // `go run pkg@version args…`: only the package is a package.
                GoSubcommand::Run => go.packages.get(..1).unwrap_or_default(),
                _ => continue,
            };
            let verb = match go.subcommand {
                GoSubcommand::Install => "install",
                GoSubcommand::Get => "get",
                _ => "run",
            };
            for package in packages {
                let Some(why) = unpinned(package, &go.subcommand) else { continue };
                let path = package.value.split('@').next().unwrap_or_default();
                sink.report(
                    package.range,
                    format!(
                        "`go {verb} {}` {why}, so each build may get another release: use `{path}@vX.Y.Z`",
                        package.value
                    ),
                );
            }
        }
    }
}
