//! DL3009: `apt-get update` leaves the package lists in the layer.

use super::apt::apt_commands;
use super::support::{command_span, mount_covers, removes, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Connector, ScriptOrigin};

pub(super) static RULE: Rule = Rule {
    code: "DL3009",
    name: "apt-lists-not-deleted",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that runs `apt-get update` (or `apt update`) without deleting `/var/lib/apt/lists`
in the same RUN. It is not reported when the RUN mounts a cache or tmpfs over the lists
(`--mount=type=cache,target=/var/lib/apt`), because nothing written there reaches the image, nor
in builder stages whose layers are not shipped (see DL3008 for which stages ship).

## Why it matters
The package lists take tens of megabytes. Deleting them in a later RUN does not help: they stay
in the layer of the RUN that downloaded them.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311
```

## Fix
End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or keep the lists out of the image with
a cache mount: `RUN --mount=type=cache,target=/var/lib/apt,sharing=locked …`. The quick fix
appends the `rm`; it is marked unsafe because a later RUN that installs without updating first
would then find no lists.

## References
- hadolint rule DL3009 (https://github.com/hadolint/hadolint/wiki/DL3009)
- Docker build best practices: apt-get (https://docs.docker.com/build/building/best-practices/#apt-get)
";

const LISTS: &str = "/var/lib/apt/lists";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        if removes(run.script, LISTS) || mount_covers(run.instruction, LISTS) {
            continue;
        }
        let Some(update) = apt_commands(run.script, true).find(|apt| apt.subcommand() == Some("update")) else {
            continue;
        };
        let diagnostic = sink.report(
            command_span(update.command, update.subcommand_word()),
            "the apt lists downloaded here stay in the layer: end this RUN with `rm -rf /var/lib/apt/lists/*`",
        );
        // Appending is only sound when the script is one top-level `&&` chain.
        let chained = run
            .script
            .commands
            .iter()
            .filter(|c| c.enclosing.is_empty())
            .skip(1)
            .all(|c| c.connector == Connector::And);
        if run.script.origin == ScriptOrigin::ShellForm
            && chained
            && !run.script.has_errors
            && run.instruction.heredocs.is_empty()
        {
            let multiline = context.text.get(run.script.range.as_range()).is_some_and(|t| t.contains('\n'));
            let text = if multiline {
                format!(" {}\n    && rm -rf /var/lib/apt/lists/*", context.dockerfile.escape)
            } else {
                " && rm -rf /var/lib/apt/lists/*".to_string()
            };
            diagnostic.with_fix(
                "Delete the apt lists at the end of this RUN",
                crate::syntax::TextRange::empty(run.script.range.end),
                text,
                false,
            );
        }
    }
}
