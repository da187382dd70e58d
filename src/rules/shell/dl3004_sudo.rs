//! DL3004: `sudo` in RUN.

use super::support::run_scripts;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3004",
    name: "sudo-in-run",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `sudo` in RUN scripts.

## Why it matters
RUN runs as root unless a USER instruction says otherwise, so `sudo` is either useless or a sign
that the build switched to an unprivileged user too early. Images rarely ship a working sudo
configuration, and sudo's TTY and signal handling make it a poor fit for containers: at run
time, a process started through sudo does not receive signals as PID 1 would.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```

## Fix
Run the privileged commands before `USER app`, or switch back with `USER root` around them. To
drop privileges in an entrypoint script, use `gosu` or `su-exec`, which exec the program instead
of staying around as its parent.

## References
- hadolint rule DL3004 (https://github.com/hadolint/hadolint/wiki/DL3004)
- Docker build best practices: USER (https://docs.docker.com/build/building/best-practices/#user)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for sudo in run.script.commands_running("sudo") {
            let range = sudo.name.as_ref().map_or(sudo.range, |n| n.range);
            sink.report(range, "`sudo` in a build: RUN already runs as root unless USER changed it; order the USER instructions instead");
        }
    }
}
