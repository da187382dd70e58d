//! DL3060: `yarn install` that leaves yarn's cache in the layer.

use super::support::{command_span, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, SimpleCommand};

pub(super) static RULE: Rule = Rule {
    code: "DL3060",
    name: "yarn-cache-not-cleaned",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `yarn install` (or a bare `yarn`, `yarn add`, `yarn global add`) in a RUN that does not
also run `yarn cache clean`. It stays quiet when the RUN mounts a cache over yarn's cache
directory (a cache mount whose target mentions `yarn`), and in builder stages used only through
`COPY --from`, where the cache never reaches the image (hadolint reports those, the usual case
for a front-end build).

## Why it matters
Yarn (version 1) keeps a copy of every package it downloads in its global cache, which can be
hundreds of megabytes, on top of `node_modules`.

## Example
```dockerfile
RUN yarn install --frozen-lockfile --production
```

## Fix
End the same RUN with `&& yarn cache clean`, or mount the cache:
`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`.

## References
- hadolint rule DL3060 (https://github.com/hadolint/hadolint/wiki/DL3060)
- Yarn documentation: yarn cache (https://classic.yarnpkg.com/en/docs/cli/cache)
";

/// `yarn`, `yarn install`, `yarn add …`, `yarn global add …`: the commands that fill the cache.
fn installs(yarn: &SimpleCommand) -> bool {
    let operands: Vec<&str> = yarn.arg_values().filter(|a| !a.starts_with('-')).collect();
    matches!(operands.as_slice(), [] | ["install", ..] | ["add", ..] | ["global", "add", ..])
}

fn cleans(yarn: &SimpleCommand) -> bool {
    let operands: Vec<&str> = yarn.arg_values().filter(|a| !a.starts_with('-')).collect();
    matches!(operands.as_slice(), ["cache", "clean", ..])
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        let yarns: Vec<&SimpleCommand> = run.script.commands_running("yarn").collect();
        if yarns.iter().any(|y| cleans(y)) || cache_mounted(run.instruction) {
            continue;
        }
        if let Some(install) = yarns.into_iter().find(|y| installs(y)) {
            let subcommand = install.args.iter().find(|a| !a.value.starts_with('-'));
            sink.report(
                command_span(install, subcommand),
                "yarn's package cache stays in the layer: end this RUN with `yarn cache clean`",
            );
        }
    }
}

fn cache_mounted(instruction: &crate::syntax::Instruction) -> bool {
    let InstructionKind::Run(run) = &instruction.kind else { return false };
    run.mounts.iter().any(|m| {
        m.mount_type().eq_ignore_ascii_case("cache")
            && m.option("target").and_then(|t| t.value.as_deref()).is_some_and(|t| t.contains("yarn"))
    })
}
