//! DL3008: `apt-get install` of packages without a version, in a stage that ships.

use super::apt::apt_commands;
use super::support::{command_span, is_opaque, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3008",
    name: "apt-get-install-unpinned",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `apt-get install` commands that name packages without a version (`curl` rather than
`curl=7.88.1-10+deb12u8`). Local `.deb` files, `package/release` selections and packages held in a
variable (`$PACKAGES`, whose content only the build knows) are not reported.

Only stages whose layers end up in a shipped image are checked: the last stage, stages nothing
else uses (possible `--target`s) and the stages they are built `FROM`. A builder stage that is only
used through `COPY --from` is skipped, since its packages never reach the image (hadolint reports
those too, which is its most common complaint).

## Why it matters
Without a version, the package you get is whatever the mirror has on the day of the build, so two
builds of the same commit can ship different software, and a rebuild months later can break or
change behaviour without any change to the Dockerfile.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl
```

## Fix
Pin each package: `apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u8`.
`apt-cache policy curl` in the base image shows the available versions. Pinning exact Debian
revisions means updating them when the mirror drops old ones; if that is not worth it for your
image, disable the rule rather than ignore it line by line.

## References
- hadolint rule DL3008 (https://github.com/hadolint/hadolint/wiki/DL3008)
- Docker build best practices: apt-get (https://docs.docker.com/build/building/best-practices/#apt-get)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        for apt in apt_commands(run.script, false).filter(|apt| apt.installs()) {
            let unpinned: Vec<&str> = apt
                .line
                .arguments()
                .iter()
                .filter(|word| !is_opaque(word))
                .map(|word| word.value.as_str())
                .filter(|package| !package.contains(['=', '/']) && !package.ends_with(".deb"))
                .collect();
            let Some(first) = unpinned.first() else { continue };
            let names = unpinned.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            sink.report(
                command_span(apt.command, apt.subcommand_word()),
                format!(
                    "apt-get installs {names} without a version: pin {}`{first}=<version>`",
                    pronoun(unpinned.len())
                ),
            );
        }
    }
}

fn pronoun(count: usize) -> &'static str {
    if count == 1 { "it as " } else { "each, such as " }
}
