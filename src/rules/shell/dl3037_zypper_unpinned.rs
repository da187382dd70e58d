//! DL3037: `zypper install` of packages without a version, in a stage that ships.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3037",
    name: "zypper-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `zypper install` (`in`) naming packages without a version: `httpd` rather than
`httpd=2.4.58` or `'httpd>=2.4'`. An unquoted `httpd>=2.4` is a shell redirection to a file named
`=2.4`, so `httpd` is reported then too. Local `.rpm` files and packages held in a variable are
not reported. Only stages that ship are checked: builder stages used only through `COPY --from` are
skipped (see DL3008).

## Why it matters
Without a version, the package is whatever the repository has on the day of the build, so a
rebuild of the same commit can ship different software.

## Example
```dockerfile
RUN zypper --non-interactive install httpd && zypper clean --all
```

## Fix
Pin each package: `zypper --non-interactive install httpd=2.4.58` (quote range constraints:
`'httpd>=2.4'`).

## References
- hadolint rule DL3037 (https://github.com/hadolint/hadolint/wiki/DL3037)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for rpm in rpm_commands(run.script, Manager::Zypper).filter(|c| c.is(&["install", "in"])) {
            let unpinned = rpm.unpinned(Manager::Zypper);
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            let program = rpm.command.program().unwrap_or("zypper");
            sink.report(
                command_span(rpm.command, rpm.subcommand),
                format!("{program} installs {names} without a version: pin such as `{first}=<version>`"),
            );
        }
    }
}
