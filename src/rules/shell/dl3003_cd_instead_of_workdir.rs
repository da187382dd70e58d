//! DL3003: `cd` in RUN to set the directory for the commands after it.

use super::support::run_scripts;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::Nesting;

pub(super) static RULE: Rule = Rule {
    code: "DL3003",
    name: "cd-instead-of-workdir",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `cd <dir>` in a RUN script. A `cd` inside a subshell (`(cd web && npm ci)`), a loop, a
function or a command substitution is not reported, since it is deliberately local, and neither is
one into a directory computed at build time (`cd \"$(mktemp -d)\"`), which WORKDIR cannot name
(hadolint reports all of these).

## Why it matters
A `cd` lasts until the end of its RUN, so the next RUN, COPY or CMD starts again from the WORKDIR.
Scripts that rely on `cd` are harder to follow and break when someone moves a command to its own
RUN. WORKDIR states the directory once for every instruction after it, and creates it if needed.

## Example
```dockerfile
RUN cd /src/cmd/server && go build -o /out/server .
```

## Fix
```dockerfile
WORKDIR /src/cmd/server
RUN go build -o /out/server .
```
For a Go build, `go build -C /src/cmd/server …` or `go build ./cmd/server` from the module root
also avoids the `cd`.

## References
- hadolint rule DL3003 (https://github.com/hadolint/hadolint/wiki/DL3003)
- Dockerfile reference: WORKDIR (https://docs.docker.com/reference/dockerfile/#workdir)
";

const LOCAL: &[Nesting] =
    &[Nesting::Subshell, Nesting::Loop, Nesting::Function, Nesting::CommandSubstitution, Nesting::ProcessSubstitution];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for cd in run.script.commands_running("cd") {
            if LOCAL.iter().any(|nesting| cd.within(*nesting)) {
                continue;
            }
            let Some(target) = cd.args.iter().find(|a| !a.value.starts_with('-') || a.value == "-") else { continue };
            if target.value.contains("$(") || target.value.contains('`') || target.value == "-" {
                continue;
            }
            sink.report(
                cd.range,
                format!("`cd` only lasts until the end of this RUN: use `WORKDIR {}` instead", target.value),
            );
        }
    }
}
