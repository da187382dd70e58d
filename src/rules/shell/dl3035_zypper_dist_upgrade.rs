//! DL3035: `zypper dist-upgrade` in a build.

use super::rpm::{Manager, rpm_commands};
use super::support::{command_span, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3035",
    name: "zypper-dist-upgrade",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `zypper dist-upgrade` (`dup`) in RUN instructions.

## Why it matters
A distribution upgrade inside a build replaces the base image's packages with whatever the
repositories hold that day, possibly across a release boundary: the image stops being the base
image you chose, and two builds of the same commit differ widely.

## Example
```dockerfile
RUN zypper --non-interactive dist-upgrade
```

## Fix
Use a newer base image instead, or apply updates only: `zypper --non-interactive patch`
(security and bug fixes within the release).

## References
- hadolint rule DL3035 (https://github.com/hadolint/hadolint/wiki/DL3035)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for zypper in rpm_commands(run.script, Manager::Zypper).filter(|c| c.is(&["dist-upgrade", "dup"])) {
            sink.report(
                command_span(zypper.command, zypper.subcommand),
                "a distribution upgrade replaces the base image's packages: use a newer base image or `zypper patch`",
            );
        }
    }
}
