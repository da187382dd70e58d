//! DL3040: `dnf install` (or `microdnf install`) without `dnf clean all` in the same RUN.

use super::rpm::{Manager, cleans_up, rpm_commands};
use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3040",
    name: "dnf-cache-not-cleaned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that installs with `dnf` or `microdnf` without `clean all`, an `rm` of
`/var/cache/dnf` (or `/var/cache/yum`), or a cache mount over it in the same RUN. Only stages that ship are checked: builder stages used only through `COPY --from` are
skipped (see DL3008).

## Why it matters
dnf keeps repository metadata and downloaded packages under `/var/cache/dnf`, tens to hundreds
of megabytes. Cleaning in a later RUN does not shrink the layer that holds them.

## Example
```dockerfile
RUN dnf install -y httpd-2.4.62
```

## Fix
End the same RUN with `&& dnf clean all` (`microdnf clean all` with microdnf), or mount a cache:
`RUN --mount=type=cache,target=/var/cache/dnf dnf install -y …`.

## References
- hadolint rule DL3040 (https://github.com/hadolint/hadolint/wiki/DL3040)
";

const INSTALLING: &[&str] = &["install", "groupinstall", "update", "upgrade", "reinstall"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        if cleans_up(run.script, run.instruction, Manager::Dnf) {
            continue;
        }
        let Some(install) = rpm_commands(run.script, Manager::Dnf).find(|c| c.is(INSTALLING)) else { continue };
        let program = install.command.program().unwrap_or("dnf");
        sink.report(
            command_span(install.command, install.subcommand),
            format!("{program}'s package cache stays in the layer: end this RUN with `{program} clean all`"),
        );
    }
}
