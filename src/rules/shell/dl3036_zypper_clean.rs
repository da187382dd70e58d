//! DL3036: `zypper install` without `zypper clean` in the same RUN.

use super::rpm::{Manager, cleans_up, rpm_commands};
use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3036",
    name: "zypper-cache-not-cleaned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that installs with `zypper` without `zypper clean` (`cc`), an `rm` of
`/var/cache/zypp`, or a cache mount over it in the same RUN. Only stages that ship are checked: builder stages used only through `COPY --from` are
skipped (see DL3008).

## Why it matters
zypper keeps repository metadata and downloaded packages under `/var/cache/zypp`; a later RUN
cannot remove them from the layer that holds them.

## Example
```dockerfile
RUN zypper --non-interactive install httpd=2.4.58
```

## Fix
End the same RUN with `&& zypper clean --all`, or mount a cache over `/var/cache/zypp`.

## References
- hadolint rule DL3036 (https://github.com/hadolint/hadolint/wiki/DL3036)
";

const INSTALLING: &[&str] = &["install", "in", "update", "up", "patch", "dist-upgrade", "dup"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        if cleans_up(run.script, run.instruction, Manager::Zypper) {
            continue;
        }
        let Some(install) = rpm_commands(run.script, Manager::Zypper).find(|c| c.is(INSTALLING)) else { continue };
        let program = install.command.program().unwrap_or("zypper");
        sink.report(
            command_span(install.command, install.subcommand),
            format!("{program}'s package cache stays in the layer: end this RUN with `{program} clean --all`"),
        );
    }
}
