//! DL3001: commands that make no sense while building an image (ssh, vim, service, ps, …).

use super::support::run_scripts;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3001",
    name: "interactive-or-system-command",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports commands that are meant for an interactive session or a booted machine when they run
in a RUN script: `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`,
`ifconfig`. `kill` of a job started by the same script (`kill $!`, `kill %1`) is not reported.

## Why it matters
A build step has no terminal, no init system and no running services: an editor waits for input
that never comes, `service x start` starts a process that is gone at the end of the RUN, and
`ps`, `top` or `free` describe the build container, not the one that will run. Their presence
usually means a step copied from a setup guide for a virtual machine.

## Example
```dockerfile
RUN service postgresql start && createdb app
```

## Fix
Install and configure packages with non-interactive commands, start services from the
container's entrypoint (or a separate container), and inspect running containers with
`docker exec` rather than at build time.

## References
- hadolint rule DL3001 (https://github.com/hadolint/hadolint/wiki/DL3001)
";

const POINTLESS: &[&str] = &["ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for command in &run.script.commands {
            let Some(program) = command.program().filter(|p| POINTLESS.contains(p)) else { continue };
            if program == "kill" && command.args.iter().any(|a| a.value.starts_with("$!") || a.value.starts_with('%')) {
                continue;
            }
            let range = command.name.as_ref().map_or(command.range, |n| n.range);
            sink.report(
                range,
                format!("`{program}` has nothing to act on during a build: it needs a running system or a terminal"),
            );
        }
    }
}
