//! DL3042: `pip install` that keeps its download cache in the layer.

use super::pip::pip_installs;
use super::support::{command_span, insert_after, removes, run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, InstructionKind};

pub(super) static RULE: Rule = Rule {
    code: "DL3042",
    name: "pip-install-without-no-cache-dir",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `pip install` (and `python3 -m pip install`) without `--no-cache-dir` in stages that
ship. It stays quiet when the cache cannot reach the image: a cache or tmpfs mount over a
`.cache` directory (`--mount=type=cache,target=/root/.cache/pip`), `PIP_NO_CACHE_DIR` set by ENV
or ARG earlier in the stage or before the command, or the cache deleted in the same RUN; and in
builder stages used only through `COPY --from`.

## Why it matters
pip keeps every downloaded archive and built wheel under `~/.cache/pip`. In an image nobody will
install from that cache again, and it can be as large as the packages themselves.

## Example
```dockerfile
RUN pip install -r requirements.txt
```

## Fix
Add `--no-cache-dir`: `pip install --no-cache-dir -r requirements.txt`. The quick fix inserts it
after `install`; it is safe, the same packages are installed. With BuildKit, a cache mount
(`RUN --mount=type=cache,target=/root/.cache/pip pip install …`) keeps the cache between builds
and out of the image.

## References
- hadolint rule DL3042 (https://github.com/hadolint/hadolint/wiki/DL3042)
- pip documentation: caching (https://pip.pypa.io/en/stable/topics/caching/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    for run in run_scripts(context).filter(|run| ships(shipping, run)) {
        if cache_mounted(run.instruction) || removes(run.script, "/root/.cache/pip") {
            continue;
        }
        if no_cache_in_environment(context.dockerfile, run.index) {
            continue;
        }
        for pip in pip_installs(run.script).filter(|pip| !pip.pipx) {
            if pip.line.has(&["no-cache-dir"]) || pip.command.assignment("PIP_NO_CACHE_DIR").is_some() {
                continue;
            }
            let diagnostic = sink.report(
                command_span(pip.command, Some(pip.install)),
                "pip keeps its download cache in the layer: add `--no-cache-dir`",
            );
            insert_after(diagnostic, "Add `--no-cache-dir`", pip.install, " --no-cache-dir", true);
        }
    }
}

/// A cache or tmpfs mount over a `.cache` directory (root's or another user's).
fn cache_mounted(instruction: &crate::syntax::Instruction) -> bool {
    let InstructionKind::Run(run) = &instruction.kind else { return false };
    run.mounts.iter().any(|mount| {
        matches!(mount.mount_type().to_ascii_lowercase().as_str(), "cache" | "tmpfs")
            && mount
                .option("target")
                .or_else(|| mount.option("dst"))
                .or_else(|| mount.option("destination"))
                .and_then(|t| t.value.as_deref())
                .is_some_and(|target| target.contains("/.cache") || target.ends_with("/pip"))
    })
}

/// `ENV PIP_NO_CACHE_DIR=…` or `ARG PIP_NO_CACHE_DIR=…` earlier in the RUN's stage.
fn no_cache_in_environment(dockerfile: &Dockerfile, index: usize) -> bool {
    let Some(stage) = dockerfile.stages.iter().find(|s| s.instructions.contains(&index)) else { return false };
    dockerfile.instructions.get(stage.instructions.start..index).unwrap_or_default().iter().any(|i| match &i.kind {
        InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => {
            pairs.iter().any(|p| p.key == "PIP_NO_CACHE_DIR" && p.value.is_some())
        }
        _ => false,
    })
}
