//! GO504: the Go service's container runs as root, or as a user name Kubernetes cannot check.

use super::go4xx_support::{chain, chain_scripts, is_root, user_at, user_name};
use crate::build::Build;
use crate::images::{ImageUser, RuntimeKind};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, InstructionKind, StageBase, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO504",
    name: "runs-as-root",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Looks at the user the final stage of a Go project's image runs as (the stage must start something:
it has a CMD or ENTRYPOINT) and reports:

- no `USER` on a base image that runs as root (`scratch`, `alpine`, `debian`, distroless `latest`,
  …), or an explicit `USER root` / `USER 0`;
- `USER nonroot` on distroless or Chainguard images, a name whose uid (65532) Kubernetes cannot
  check.

## Why it matters
Nothing fails at build time. A process running as root inside the container turns any code
execution bug into root in the container, and clusters that enforce `runAsNonRoot` refuse to start
the pod:

```text
container has runAsNonRoot and image will run as root
container has runAsNonRoot and image has non-numeric user (nonroot), cannot verify user is non-root
```

A Go program rarely needs root: it binds ports above 1024 and reads its own files. The rule stays
silent when the base image's user is unknown, when the image already runs as a non-root user
(distroless `:nonroot` tags are uid 65532), and when the image installs or calls a tool that drops
privileges at start (`su-exec`, `gosu`, `setpriv`, `runuser`, s6), the usual reason to start as root.
A base image named by a build argument is judged by the argument's default, and gets no quick fix.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Run as an unprivileged numeric user: `USER 65532:65532` on distroless (its `nonroot` account) or
`scratch`, where Go programs need no passwd entry; on Alpine or Debian create one first
(`adduser -D -u 10001 app`) and `USER 10001`. The quick fix adds or rewrites the USER for distroless,
Chainguard and scratch images; it is safe there, since those images hold nothing a root user would
need.

## References
- Kubernetes, security context (`runAsNonRoot`): https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- Distroless images (the nonroot user): https://github.com/GoogleContainerTools/distroless
- hadolint DL3002 (last user should not be root)
";

/// Programs that start as root and switch to another user.
const PRIVILEGE_DROPPERS: [&str; 7] = ["su-exec", "gosu", "setpriv", "runuser", "s6", "s6-overlay", "chpst"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    if facts.context.module.is_none() {
        return;
    }
    let build = context.build();
    let Some(last) = build.final_stage() else { return };
    let Some(start) = start_instruction(context, build, last.index) else { return };
    if drops_privileges(context, build, last.index) {
        return;
    }
    let runtime = &last.runtime;
    let numeric_nonroot = matches!(runtime.kind, RuntimeKind::Distroless { .. } | RuntimeKind::Chainguard { .. })
        .then_some(runtime.nonroot_user)
        .flatten()
        .filter(|user| *user == ImageUser::NONROOT);
    let fixable = numeric_nonroot.is_some() || runtime.kind == RuntimeKind::Scratch;
    match user_at(context, build, last.index, usize::MAX) {
        Some((value, range)) if is_root(&value) => {
            let diagnostic = sink.report(
                range,
                format!("`USER {value}`: the Go service runs as root; use an unprivileged numeric user"),
            );
            if fixable {
                diagnostic.with_fix("Run as `65532:65532`", range, "65532:65532", true);
            }
        }
        Some((value, range)) => {
            if numeric_nonroot.is_some() && user_name(&value) == "nonroot" {
                let diagnostic = sink.report(
                    range,
                    format!(
                        "`USER {value}` is a name: Kubernetes cannot verify `runAsNonRoot` for it; the image's \
                         nonroot user is uid 65532"
                    ),
                );
                diagnostic.with_fix("Use the numeric `65532:65532`", range, "65532:65532", true);
            }
        }
        None => {
            if runtime.user.is_none_or(|user| user.uid != 0) {
                return;
            }
            let root = chain(build, last.index).into_iter().next().unwrap_or(last);
            let Some((image, image_range)) = &root.image_text else { return };
            // A base image from a build argument is judged by its default; say which one.
            let (shown, from_argument) = match &root.base {
                StageBase::Image(resolved) if image.contains('$') => (resolved.as_str(), true),
                _ => (image.as_str(), false),
            };
            let diagnostic = sink.report(
                *image_range,
                format!("the final stage sets no USER and `{shown}` runs as root, so the Go service does too"),
            );
            diagnostic.with_related(None, start, "what the container runs");
            let end = context
                .dockerfile
                .stages
                .get(last.index)
                .and_then(|s| s.instructions.clone().last())
                .and_then(|at| context.dockerfile.instructions.get(at))
                .map(|i| i.range.end);
            if fixable
                && !from_argument
                && let Some(end) = end
            {
                diagnostic.with_fix("Add `USER 65532:65532`", TextRange::empty(end), "\nUSER 65532:65532", true);
            }
        }
    }
}

/// The last CMD or ENTRYPOINT of the final stage's chain: the stage starts a program.
fn start_instruction(context: &Context<'_>, build: &Build, stage: usize) -> Option<TextRange> {
    let mut found = None;
    for member in chain(build, stage) {
        let syntax_stage = context.dockerfile.stages.get(member.index)?;
        for instruction in context.dockerfile.stage_instructions(syntax_stage) {
            if let InstructionKind::Cmd(command) | InstructionKind::Entrypoint(command) = &instruction.kind
                && *command != Command::Empty
            {
                found = Some(instruction.range);
            }
        }
    }
    found
}

/// The stage installs or calls a tool that switches users at start.
fn drops_privileges(context: &Context<'_>, build: &Build, stage: usize) -> bool {
    let named = |word: &str| PRIVILEGE_DROPPERS.iter().any(|tool| word.rsplit('/').next() == Some(*tool));
    let in_runs = chain_scripts(context, build, stage, usize::MAX)
        .iter()
        .any(|(_, script)| script.commands.iter().any(|c| c.program().is_some_and(named) || c.arg_values().any(named)));
    let in_start = chain(build, stage).iter().any(|member| {
        context.dockerfile.stages.get(member.index).is_some_and(|s| {
            context.dockerfile.stage_instructions(s).iter().any(|instruction| match &instruction.kind {
                InstructionKind::Cmd(Command::Exec { args, .. })
                | InstructionKind::Entrypoint(Command::Exec { args, .. }) => args.iter().any(|a| named(&a.value)),
                InstructionKind::Cmd(Command::Shell { text, .. })
                | InstructionKind::Entrypoint(Command::Shell { text, .. }) => text.split_whitespace().any(named),
                _ => false,
            })
        })
    });
    in_runs || in_start
}
