//! DL3033: `yum install` of packages without a version, in a stage that ships.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3033",
    name: "yum-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `yum install` naming packages without a version (`httpd` rather than `httpd-2.4.6`).
Local `.rpm` files and packages held in a variable are not reported (hadolint reports `.rpm`
files). Only stages that ship are checked: builder stages used only through `COPY --from` are
skipped (see DL3008).

## Why it matters
Without a version, the package is whatever the repository has on the day of the build, so a
rebuild of the same commit can ship different software.

## Example
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Fix
Pin each package: `yum install -y httpd-2.4.6-99.el7`; `yum --showduplicates list httpd` shows the
available versions.

## References
- hadolint rule DL3033 (https://github.com/hadolint/hadolint/wiki/DL3033)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for rpm in rpm_commands(run.script, Manager::Yum).filter(|c| c.is(&["install", "localinstall"])) {
            let unpinned = rpm.unpinned(Manager::Yum);
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            let program = rpm.command.program().unwrap_or("yum");
            sink.report(
                command_span(rpm.command, rpm.subcommand),
                format!("{program} installs {names} without a version: pin such as `{first}-<version>`"),
            );
        }
    }
}
