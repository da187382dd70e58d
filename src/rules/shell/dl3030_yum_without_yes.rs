//! DL3030: `yum install` that would stop at the confirmation prompt.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3030",
    name: "yum-install-without-yes",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `yum install` (and `groupinstall`, `localinstall`, `update`, `upgrade`, `remove`,
`erase`) without `-y` (`--assumeyes`).

## Why it matters
A build has no terminal to answer yum's \"Is this ok [y/N]\". yum reads end of input, answers
no, and the build fails.

## Example
```dockerfile
RUN yum install httpd-2.4.6 && yum clean all
```

## Fix
Add `-y`: `yum install -y httpd-2.4.6`. The quick fix inserts it after the subcommand; it is safe,
it only answers the prompt the build cannot answer.

## References
- hadolint rule DL3030 (https://github.com/hadolint/hadolint/wiki/DL3030)
";

const ASKING: &[&str] = &["install", "groupinstall", "localinstall", "update", "upgrade", "remove", "erase"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for rpm in rpm_commands(run.script, Manager::Yum).filter(|c| c.is(ASKING)) {
            if rpm.line.has(&["y", "assumeyes"]) {
                continue;
            }
            let Some(subcommand) = rpm.subcommand else { continue };
            let program = rpm.command.program().unwrap_or("yum");
            let diagnostic = sink.report(
                command_span(rpm.command, Some(subcommand)),
                format!("{program} {} without `-y` aborts at the confirmation prompt: add `-y`", subcommand.value),
            );
            insert_after(diagnostic, "Add `-y`", subcommand, " -y", true);
        }
    }
}
