//! DL3032: `yum install` without `yum clean all` in the same RUN.

use super::rpm::{Manager, cleans_up, rpm_commands};
use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3032",
    name: "yum-cache-not-cleaned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that installs with `yum` without `yum clean all`, an `rm` of `/var/cache/yum`, or a
cache mount over it in the same RUN. Only stages that ship are checked: builder stages used only through `COPY --from` are
skipped (see DL3008).

## Why it matters
yum keeps downloaded packages and repository metadata under `/var/cache/yum`, often a hundred
megabytes or more. Cleaning in a later RUN does not shrink the layer that holds them.

## Example
```dockerfile
RUN yum install -y httpd-2.4.6
```

## Fix
End the same RUN with `&& yum clean all` (add `&& rm -rf /var/cache/yum` to drop the rest), or
mount a cache: `RUN --mount=type=cache,target=/var/cache/yum yum install -y …`.

## References
- hadolint rule DL3032 (https://github.com/hadolint/hadolint/wiki/DL3032)
";

const INSTALLING: &[&str] = &["install", "groupinstall", "localinstall", "update", "upgrade"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        if cleans_up(run.script, run.instruction, Manager::Yum) {
            continue;
        }
        let Some(install) = rpm_commands(run.script, Manager::Yum).find(|c| c.is(INSTALLING)) else { continue };
        let program = install.command.program().unwrap_or("yum");
        sink.report(
            command_span(install.command, install.subcommand),
            format!("{program}'s package cache stays in the layer: end this RUN with `{program} clean all`"),
        );
    }
}
