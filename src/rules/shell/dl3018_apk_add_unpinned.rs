//! DL3018: `apk add` of packages without a version, in a stage that ships.

use super::apk::apk_adds;
use super::support::{command_span, is_opaque, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3018",
    name: "apk-add-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `apk add` commands that name packages without a version constraint. `curl=8.9.1-r0`,
`curl~8.9`, `\"curl>8\"` and local `.apk` files count as pinned; the name given to `--virtual`
(`-t`) is not a package, and packages held in a variable (`$PACKAGES`) are not reported because
only the build knows them. `curl@edge` selects a repository, not a version, and is reported.

Like DL3008, only stages that ship are checked: a builder stage used only through `COPY --from`
is skipped.

## Why it matters
Unpinned packages make the image depend on the day it is built: a rebuild of the same commit can
ship a different version of every package, including one that breaks the program.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata
```

## Fix
Pin each package, for example `ca-certificates=20240705-r0`, or with `~` to accept patch
releases: `tzdata~2024`. `apk policy <package>` shows what the base image's repositories offer.
Alpine removes superseded package versions from its mirrors, so exact pins need updating when
the base image moves; pin the base image too.

## References
- hadolint rule DL3018 (https://github.com/hadolint/hadolint/wiki/DL3018)
- Alpine wiki, apk: holding a specific package version (https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for apk in apk_adds(run.script) {
            let unpinned: Vec<&str> = apk
                .line
                .arguments()
                .iter()
                .filter(|word| !is_opaque(word))
                .map(|word| word.value.as_str())
                .filter(|package| !package.contains(['=', '~', '<', '>', '/']) && !package.ends_with(".apk"))
                .collect();
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            let base = first.split('@').next().unwrap_or(first);
            sink.report(
                command_span(apk.command, Some(apk.add)),
                format!("apk adds {names} without a version: pin such as `{base}=<version>`"),
            );
        }
    }
}
