//! DL3014: `apt-get install` that would stop at the confirmation prompt.

use super::apt::{apt_commands, is_true};
use super::support::{command_span, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Connector, ShellScript, SimpleCommand};

pub(super) static RULE: Rule = Rule {
    code: "DL3014",
    name: "apt-get-install-without-yes",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `apt-get install` (and the other subcommands that ask for confirmation: `upgrade`,
`dist-upgrade`, `remove`, `purge`, `autoremove`, `build-dep`) without `-y` (or `--yes`,
`--assume-yes`, `-qq`, `-q=2`, or `-o APT::Get::Assume-Yes=true`), unless its input comes from
`yes |`. hadolint checks `install` only.

## Why it matters
A build has no terminal to answer apt-get's \"Do you want to continue?\". When the install needs
more than the named packages, apt-get asks, reads end of input and aborts, and the build fails on
a package that pulled in a new dependency.

## Example
```dockerfile
RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8
```

## Fix
Add `-y`: `apt-get install -y …`. The quick fix inserts it after the subcommand; it is safe because
it only answers the prompt the build cannot answer.

## References
- hadolint rule DL3014 (https://github.com/hadolint/hadolint/wiki/DL3014)
- apt-get(8), options -y and -q (https://manpages.debian.org/bookworm/apt/apt-get.8.en.html)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for apt in apt_commands(run.script, false).filter(|apt| apt.subcommand().is_some_and(asks)) {
            let line = &apt.line;
            let quiet_twice = line.count(&["q", "quiet"]) >= 2 || line.value(&["q", "quiet"]) == Some("2");
            let assumes_yes = line.has(&["y", "yes", "assume-yes"])
                || quiet_twice
                || apt.setting("APT::Get::Assume-Yes").is_some_and(is_true);
            if assumes_yes || fed_by_yes(run.script, apt.command) {
                continue;
            }
            let Some(subcommand) = apt.subcommand_word() else { continue };
            let diagnostic = sink.report(
                command_span(apt.command, Some(subcommand)),
                format!("apt-get {} without `-y` aborts at the confirmation prompt: add `-y`", subcommand.value),
            );
            insert_after(diagnostic, "Add `-y`", subcommand, " -y", true);
        }
    }
}

/// The subcommands that ask before changing anything.
fn asks(subcommand: &str) -> bool {
    matches!(
        subcommand,
        "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "remove" | "purge" | "autoremove" | "build-dep"
    )
}

/// `yes | apt-get install …`
fn fed_by_yes(script: &ShellScript, command: &SimpleCommand) -> bool {
    let Some(at) = script.commands.iter().position(|c| std::ptr::eq(c, command)) else { return false };
    command.connector == Connector::Pipe
        && script.commands[..at].iter().rev().find(|c| c.enclosing == command.enclosing).is_some_and(|c| c.is("yes"))
}
