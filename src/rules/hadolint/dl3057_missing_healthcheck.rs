//! DL3057: the shipped image has no HEALTHCHECK.

use super::support::{shipping_chain, stage_has};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::Keyword;

pub(super) static RULE: Rule = Rule {
    code: "DL3057",
    name: "missing-healthcheck",
    default_severity: Severity::Info,
    // Off in hadolint too: many images are health-checked by their orchestrator instead.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports, on the last stage's FROM, an image without a HEALTHCHECK: neither the last stage nor
the stages it builds on through `FROM <stage>` has one. **Off by default**, as in hadolint.

## Why it matters
Docker (and Swarm) use the health check to tell a running container from a working one.
Kubernetes ignores HEALTHCHECK and uses its own probes, which is why the rule is off by default:
enable it for images run by plain Docker or Compose.

gantry differs from hadolint, which reports every stage without a health check, builders
included (hadolint issue #843); gantry reports once, for the image that ships. A HEALTHCHECK
in the external base image cannot be seen.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Add a health check. Images without a shell (scratch, distroless) must run the program itself,
in exec form: `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]`. Write `HEALTHCHECK NONE` to state
that the image deliberately has none.

## References
- hadolint rule DL3057 (https://github.com/hadolint/hadolint/wiki/DL3057)
- Dockerfile reference: HEALTHCHECK (https://docs.docker.com/reference/dockerfile/#healthcheck)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let chain = shipping_chain(dockerfile);
    let Some(last) = chain.first() else { return };
    if chain.iter().any(|stage| stage_has(dockerfile, stage, Keyword::Healthcheck)) {
        return;
    }
    if let Some(from) = dockerfile.instructions.get(last.from) {
        sink.report(from.keyword_range, "the image has no HEALTHCHECK");
    }
}
