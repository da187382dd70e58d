//! DL3000: a WORKDIR that is not an absolute path.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL3000",
    name: "relative-workdir",
    default_severity: Severity::Warning,
    // BuildKit's WorkdirRelativePath reports the same mistake; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every WORKDIR whose path is relative (`WORKDIR src`). Paths that start with a variable
(`WORKDIR $HOME/app`) or a Windows drive (`WORKDIR C:\\app`) are left alone, since they are
usually absolute once expanded.

## Why it matters
A relative WORKDIR is resolved against the previous working directory, which may come from the
base image and change when the base image does. An absolute path says where files go.

This is hadolint's DL3000, kept for teams that suppress or enable hadolint codes. It is **off by
default** in gantry because BuildKit's WorkdirRelativePath reports the same problem (and only
when no earlier WORKDIR in the stage made the path well defined), so enabling both would give
two findings for one line. gantry reports it as a warning rather than hadolint's error: the
build succeeds and does what the path says.

## Example
```dockerfile
FROM golang:1.23
WORKDIR src/app
```

## Fix
Write the full path: `WORKDIR /src/app`.

## References
- hadolint rule DL3000 (https://github.com/hadolint/hadolint/wiki/DL3000)
- BuildKit build checks: WorkdirRelativePath (https://docs.docker.com/reference/build-checks/workdir-relative-path/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Workdir(Some(path)) = &instruction.kind else { continue };
        if !is_absolute_or_unknown(&path.value) {
            sink.report(path.range, format!("WORKDIR `{}` is relative: use an absolute path", path.value));
        }
    }
}

/// Absolute on Linux or Windows, or starting with a variable whose value only the build knows.
fn is_absolute_or_unknown(path: &str) -> bool {
    let bytes = path.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    path.starts_with(['/', '\\', '$']) || windows_drive
}
