//! DL3066: the image's USER is a name rather than a numeric id.

use super::support::{instructions_of, stage_chain};
use crate::images::ImageUser;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, Word};

pub(super) static RULE: Rule = Rule {
    code: "DL3066",
    name: "non-numeric-user",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the USER that an image runs as when its user part is a name (`USER app`,
`USER nonroot:nonroot`) rather than a numeric id (`USER 10001`, `USER 65532:65532`). Only stages
that can become an image are checked: those that no later stage builds on or copies from (the
last stage, and other targets such as a `debug` stage). For each, the USER in effect at its end
counts: its own last USER, or the one it inherits through `FROM <stage>`. A group given by name is
fine (`USER 10001:app`): only the user part matters for the checks below.

When the base image is known to define the user (the `nonroot` user of distroless and Chainguard
images, uid 65532), the message gives its id and a safe quick fix writes it (`USER 65532:65532`),
which runs the same account.

## Why it matters
The name is resolved inside the container, from the image's `/etc/passwd`, when it starts. Tools
that read the image configuration cannot tell who that is: Kubernetes refuses to start a pod with
`runAsNonRoot: true` whose image user is a name (`image has non-numeric user (nonroot), cannot
verify user is non-root`), and admission policies that require a non-root uid reject it too. A
numeric id can be checked without opening the image, and works even if `/etc/passwd` is missing.

gantry differs from hadolint, which reports every non-numeric USER in every stage:
- a USER in a builder stage (one that later stages copy from or build on), or one overridden
  later in its stage, never reaches an image configuration and is not reported;
- `USER root` is left to DL3002 (the image runs as root), which a numeric `0` would not fix;
- a USER whose value is a build variable is reported only when its value is known and is a name.
The well-known `nonroot` of distroless is still reported, because Kubernetes refuses it just the
same; gantry adds the uid and the fix. The rule is informational: ignore it if nothing checks the
image's user.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
USER nonroot:nonroot
ENTRYPOINT [\"/app\"]
```

## Fix
Write the numeric id: `USER 65532:65532` for distroless and Chainguard's `nonroot`; for a user
created in the image, create it with a fixed id (`adduser -D -u 10001 app`) and write
`USER 10001`.

## References
- hadolint rule DL3066 (https://github.com/hadolint/hadolint/wiki/DL3066)
- Kubernetes: security context, runAsNonRoot (https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
- Dockerfile reference: USER (https://docs.docker.com/reference/dockerfile/#user)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let build = context.build();
    let mut reported = Vec::new();
    for stage in &dockerfile.stages {
        let Some(built) = build.stages.get(stage.index).filter(|s| !s.used_by_later_stages) else { continue };
        // The nearest stage of the chain that sets USER decides; within it, the last USER.
        let last_user = stage_chain(dockerfile, stage).into_iter().find_map(|stage| {
            instructions_of(dockerfile, stage).iter().rev().find_map(|instruction| match &instruction.kind {
                InstructionKind::User(Some(user)) => Some(user),
                _ => None,
            })
        });
        // Images built on one stage share its USER: one finding for it.
        let Some(user) = last_user.filter(|user| !reported.contains(&user.range)) else { continue };
        reported.push(user.range);
        report(context, sink, user, built.runtime.nonroot_user);
    }
}

fn report(context: &Context<'_>, sink: &mut Sink, user: &Word, nonroot: Option<ImageUser>) {
    let Some(value) = user_value(context, user) else { return };
    let (name, group) = match value.split_once(':') {
        Some((name, group)) => (name, Some(group)),
        None => (value.as_str(), None),
    };
    if name.is_empty() || name.bytes().all(|b| b.is_ascii_digit()) || name == "root" {
        return;
    }
    let Some(known) = nonroot.filter(|u| u.name == name) else {
        sink.report(
            user.range,
            format!(
                "the image runs as the user name `{name}`: tools such as Kubernetes' runAsNonRoot can only \
                 check a numeric id; write the user's uid (`USER <uid>`)"
            ),
        );
        return;
    };
    let numeric = numeric_form(known, group);
    let diagnostic = sink.report(
        user.range,
        format!(
            "`{name}` is uid {} in this base image: write `USER {numeric}` so that tools such as \
             Kubernetes' runAsNonRoot can check it",
            known.uid
        ),
    );
    // A literal value only: rewriting a variable would change what a build argument controls.
    if !user.text.contains('$') {
        diagnostic.with_fix(format!("Write `USER {numeric}`"), user.range, numeric, true);
    }
}

/// The USER value as the build sees it; `None` when it depends on a value only the build knows.
fn user_value(context: &Context<'_>, user: &Word) -> Option<String> {
    if !user.text.contains('$') {
        return Some(user.value.clone());
    }
    let expansion = context.scope().expand(&user.text, user.range.start);
    let known = expansion.unknown.is_empty() && expansion.unmatched.is_empty() && !expansion.malformed;
    known.then_some(expansion.value)
}

/// `uid`, or `uid:gid` when the group is the user's own group (same name, or already its id), which
/// in these images has the user's id as its gid.
fn numeric_form(user: ImageUser, group: Option<&str>) -> String {
    match group {
        None => user.uid.to_string(),
        Some(group) if group == user.name || group == user.uid.to_string() => format!("{0}:{0}", user.uid),
        Some(group) => format!("{}:{group}", user.uid),
    }
}
