//! DL3019: `apk add` that leaves the package index in the layer.

use super::apk::apk_adds;
use super::support::{command_span, insert_after, mount_covers, removes, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3019",
    name: "apk-add-without-no-cache",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `apk add` without `--no-cache` in stages that ship. It is not reported when the RUN
mounts a cache or tmpfs over `/var/cache/apk` or `/etc/apk/cache`, or deletes `/var/cache/apk` in
the same RUN (hadolint reports that case), nor in builder stages used only through `COPY --from`.

## Why it matters
`apk add --update` and `apk update` download the package index into `/var/cache/apk`, a few
megabytes that serve no purpose in the image. `--no-cache` fetches the index, uses it and keeps
nothing.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add --update ca-certificates=20240705-r0
```

## Fix
Write `apk add --no-cache …` (no separate `apk update` or `--update` is needed then). The quick
fix inserts `--no-cache` after `add`; it is safe: the same packages are installed. With BuildKit,
`RUN --mount=type=cache,target=/var/cache/apk apk add …` keeps the index between builds instead.

## References
- hadolint rule DL3019 (https://github.com/hadolint/hadolint/wiki/DL3019)
- Alpine wiki, apk: local cache (https://wiki.alpinelinux.org/wiki/Local_APK_cache)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        let cache_kept_out = ["/var/cache/apk", "/etc/apk/cache"].iter().any(|p| mount_covers(run.instruction, p))
            || removes(run.script, "/var/cache/apk");
        if cache_kept_out {
            continue;
        }
        for apk in apk_adds(run.script).filter(|apk| !apk.line.has(&["no-cache"])) {
            let diagnostic = sink.report(
                command_span(apk.command, Some(apk.add)),
                "apk add keeps the package index in the layer: add `--no-cache`",
            );
            insert_after(diagnostic, "Add `--no-cache`", apk.add, " --no-cache", true);
        }
    }
}
