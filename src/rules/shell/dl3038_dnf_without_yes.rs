//! DL3038: `dnf install` (or `microdnf install`) that would stop at the confirmation prompt.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3038",
    name: "dnf-install-without-yes",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `dnf` and `microdnf` `install` (and `groupinstall`, `update`, `upgrade`, `remove`, `erase`,
`reinstall`, `downgrade`) without `-y` (`--assumeyes`).

## Why it matters
A build has no terminal to answer dnf's confirmation prompt. dnf reads end of input, answers no,
and the build fails.

## Example
```dockerfile
RUN dnf install httpd-2.4.62 && dnf clean all
```

## Fix
Add `-y`: `dnf install -y httpd-2.4.62`. The quick fix inserts it after the subcommand; it is safe,
it only answers the prompt the build cannot answer.

## References
- hadolint rule DL3038 (https://github.com/hadolint/hadolint/wiki/DL3038)
";

const ASKING: &[&str] = &["install", "groupinstall", "update", "upgrade", "remove", "erase", "reinstall", "downgrade"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for rpm in rpm_commands(run.script, Manager::Dnf).filter(|c| c.is(ASKING)) {
            if rpm.line.has(&["y", "assumeyes"]) {
                continue;
            }
            let Some(subcommand) = rpm.subcommand else { continue };
            let program = rpm.command.program().unwrap_or("dnf");
            let diagnostic = sink.report(
                command_span(rpm.command, Some(subcommand)),
                format!("{program} {} without `-y` aborts at the confirmation prompt: add `-y`", subcommand.value),
            );
            insert_after(diagnostic, "Add `-y`", subcommand, " -y", true);
        }
    }
}
