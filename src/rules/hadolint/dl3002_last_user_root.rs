//! DL3002: the image that ships runs as root because its last USER is root.

use super::support::{instructions_of, shipping_chain};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL3002",
    name: "final-user-is-root",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the USER instruction that leaves the final image running as root: `USER root`, `USER 0`,
`USER root:group` or `USER 0:0`, when no later USER changes it. Only the image a plain
`docker build` produces is checked: the last stage, and the stages it builds on through
`FROM <stage>` (a USER set there carries over).

## Why it matters
A process running as root inside the container is root on the host's kernel: a container escape
or a writable host mount gives the attacker full control. Switching to root for a step is fine;
shipping an image whose default user is root is not.

gantry differs from hadolint here: hadolint checks the last USER of **every** stage, so a builder
stage that installs packages as root is reported although it never ships (hadolint issues #405
and #1068). gantry checks only what ships. A USER whose value is a variable is left alone.

## Example
```dockerfile
FROM golang:1.23 AS build
USER root
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
USER root
ENTRYPOINT [\"/app\"]
```

## Fix
End the final stage with an unprivileged user, for example `USER 65532:65532` (distroless'
`nonroot`) or a user created in the image.

## References
- hadolint rule DL3002 (https://github.com/hadolint/hadolint/wiki/DL3002)
- Dockerfile reference: USER (https://docs.docker.com/reference/dockerfile/#user)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    // The nearest stage of the chain that sets USER decides; within it, the last USER.
    let last_user = shipping_chain(dockerfile).into_iter().find_map(|stage| {
        instructions_of(dockerfile, stage).iter().rev().find_map(|instruction| match &instruction.kind {
            InstructionKind::User(Some(user)) => Some(user),
            _ => None,
        })
    });
    let Some(user) = last_user else { return };
    let name = user.value.split(':').next().unwrap_or_default();
    if name == "root" || name == "0" {
        sink.report(
            user.range,
            format!("the image runs as `{}`: end the final stage with an unprivileged USER", user.value),
        );
    }
}
