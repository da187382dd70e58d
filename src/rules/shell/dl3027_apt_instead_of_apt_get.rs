//! DL3027: `apt` (the interactive front end) in a RUN.

use super::apt::apt_commands;
use super::support::run_scripts;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3027",
    name: "apt-instead-of-apt-get",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the `apt` command in RUN instructions.

## Why it matters
`apt` is made for people at a terminal: its output and behaviour may change between releases
(it warns \"apt does not have a stable CLI interface\" when its output is not a terminal). Scripts
should use `apt-get` and `apt-cache`, whose interface is stable.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Fix
Use `apt-get` for `install`, `update`, `upgrade`, `remove`, `purge`, `autoremove`, `clean` and the
like, and `apt-cache` for `search`, `show` and `policy`. The quick fix replaces the command name
for these subcommands (safe: the same operation through the stable interface); `apt list` and
`apt full-upgrade` have no one-word equivalent and get no fix.

## References
- hadolint rule DL3027 (https://github.com/hadolint/hadolint/wiki/DL3027)
- apt(8), script usage (https://manpages.debian.org/bookworm/apt/apt.8.en.html)
";

/// The stable command for each `apt` subcommand that has one.
fn replacement(subcommand: &str) -> Option<&'static str> {
    match subcommand {
        "install" | "update" | "upgrade" | "remove" | "purge" | "autoremove" | "autoclean" | "clean"
        | "dist-upgrade" | "source" | "build-dep" | "download" | "satisfy" | "check" | "changelog" => Some("apt-get"),
        "search" | "show" | "showsrc" | "policy" | "depends" | "rdepends" | "madison" | "pkgnames" => Some("apt-cache"),
        _ => None,
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for apt in apt_commands(run.script, true).filter(|apt| apt.command.is("apt")) {
            let Some(name) = &apt.command.name else { continue };
            let target = apt.subcommand().and_then(replacement);
            let advice = target.map_or_else(|| "use `apt-get` or `apt-cache`".to_string(), |t| format!("use `{t}`"));
            let diagnostic = sink
                .report(name.range, format!("`apt` is for interactive use and its interface is not stable: {advice}"));
            // Replace the whole name only when it is the plain word `apt` (not `/usr/bin/apt`).
            if let Some(target) = target.filter(|_| name.text == "apt") {
                diagnostic.with_fix(format!("Replace `apt` with `{target}`"), name.range, target, true);
            }
        }
    }
}
