//! DL3015: `apt-get install` that also installs recommended packages.

use super::apt::{apt_commands, is_true};
use super::support::{command_span, insert_after, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3015",
    name: "apt-get-install-recommends",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `apt-get install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`)
in stages that ship. It stays quiet when the Dockerfile configures apt not to install recommended
packages (an `APT::Install-Recommends` line written by an earlier RUN), and in builder stages that
are only used through `COPY --from` (see DL3008).

## Why it matters
Debian and Ubuntu install a package's \"recommended\" packages by default. They are not needed to
run it, and often add tens of megabytes (documentation tools, X11 libraries, compilers) and more
software to patch.

## Example
```dockerfile
RUN apt-get update && apt-get install -y ca-certificates=20230311 \\
 && rm -rf /var/lib/apt/lists/*
```

## Fix
Add `--no-install-recommends` after `install`. The quick fix does this; it is marked unsafe
because a program may need one of the packages that stop being installed: build and test the
image afterwards, and name such a package explicitly.

## References
- hadolint rule DL3015 (https://github.com/hadolint/hadolint/wiki/DL3015)
- Docker build best practices: apt-get (https://docs.docker.com/build/building/best-practices/#apt-get)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    let mut configured = false;
    for run in run_scripts(context) {
        // A RUN that writes `APT::Install-Recommends "false";` under /etc/apt has made the choice
        // for the RUNs after it.
        let text = context.text.get(run.instruction.range.as_range()).unwrap_or("");
        if text.contains("Install-Recommends") && text.contains("/etc/apt/") {
            configured = true;
        }
        if configured || !ships(shipping, &run) {
            continue;
        }
        for apt in apt_commands(run.script, false).filter(|apt| apt.installs()) {
            let no_recommends = apt.line.has(&["no-install-recommends"])
                || apt.setting("APT::Install-Recommends").is_some_and(|v| !is_true(v));
            let Some(install) = apt.subcommand_word().filter(|_| !no_recommends) else { continue };
            let diagnostic = sink.report(
                command_span(apt.command, Some(install)),
                "apt-get install also installs recommended packages: add `--no-install-recommends`",
            );
            insert_after(diagnostic, "Add `--no-install-recommends`", install, " --no-install-recommends", false);
        }
    }
}
