//! DL3046: `useradd` with a high UID that fills the image with a sparse lastlog file.

use super::support::{CommandLine, Options, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3046",
    name: "useradd-high-uid-without-l",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `useradd` with a user ID above 99999 (`-u`, `--uid`, `-u123456`, `--uid=123456`) and
without `-l` (`--no-log-init`). A UID held in a variable is not reported, since its value is only
known at build time (hadolint reports it).

## Why it matters
useradd reserves an entry for the new user in `/var/log/lastlog` and `/var/log/faillog`, at an
offset proportional to the UID. The file is sparse on disk, but image layers store it in full:
a UID of 1,000,000 adds around 300 MB of zeros to the image.

## Example
```dockerfile
RUN useradd -u 1000001 app
```

## Fix
Add `-l` (`--no-log-init`): `useradd -l -u 1000001 app`. The quick fix inserts it; it is safe, the
account is the same, only the log entry is not written.

## References
- hadolint rule DL3046 (https://github.com/hadolint/hadolint/wiki/DL3046)
- Docker build best practices: USER (https://docs.docker.com/build/building/best-practices/#user)
";

const USERADD_OPTIONS: Options = Options {
    short_values: "bcdefgGkKpPRsuZ",
    long_values: &[
        "base-dir",
        "comment",
        "home-dir",
        "expiredate",
        "inactive",
        "gid",
        "groups",
        "skel",
        "key",
        "password",
        "prefix",
        "root",
        "shell",
        "uid",
        "selinux-user",
    ],
};

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for useradd in run.script.commands_running("useradd") {
            let line = CommandLine::read(&useradd.args, &USERADD_OPTIONS);
            if line.has(&["l", "no-log-init"]) {
                continue;
            }
            let Some(uid) = line.value(&["u", "uid"]).and_then(|v| v.parse::<u64>().ok()) else { continue };
            if uid <= 99_999 {
                continue;
            }
            let Some(name) = &useradd.name else { continue };
            let diagnostic = sink.report(
                useradd.range,
                format!("useradd writes a lastlog entry sized by the UID ({uid}), adding a huge file: add `-l`"),
            );
            insert_after(diagnostic, "Add `-l` (`--no-log-init`)", name, " -l", true);
        }
    }
}
