//! DL3034: zypper without its non-interactive switch.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3034",
    name: "zypper-without-non-interactive",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports zypper commands that change packages (`install`, `remove`, `update`, `patch`,
`dist-upgrade`, `source-install` and their short forms) without `--non-interactive` (`-n`) before
the subcommand or `--no-confirm` (`-y`) after it.

## Why it matters
A build has no terminal to answer zypper's questions. zypper reads end of input, takes it as
\"no\" and the build fails.

## Example
```dockerfile
RUN zypper install httpd=2.4.58 && zypper clean --all
```

## Fix
`zypper --non-interactive install …` (or `zypper -n install …`). The quick fix inserts `-n` after
`zypper`; it is safe, it only answers the prompts the build cannot answer.

## References
- hadolint rule DL3034 (https://github.com/hadolint/hadolint/wiki/DL3034)
- zypper(8), global option --non-interactive (https://en.opensuse.org/SDB:Zypper_manual)
";

const CHANGING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "update",
    "up",
    "patch",
    "dist-upgrade",
    "dup",
    "source-install",
    "si",
    "install-new-recommends",
    "inr",
];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for zypper in rpm_commands(run.script, Manager::Zypper).filter(|c| c.is(CHANGING)) {
            if zypper.line.has(&["n", "non-interactive", "y", "no-confirm"]) {
                continue;
            }
            let Some(name) = &zypper.command.name else { continue };
            let diagnostic = sink.report(
                command_span(zypper.command, zypper.subcommand),
                "zypper stops at its confirmation prompt in a build: add `--non-interactive` (`-n`)",
            );
            insert_after(diagnostic, "Add `-n` (`--non-interactive`)", name, " -n", true);
        }
    }
}
