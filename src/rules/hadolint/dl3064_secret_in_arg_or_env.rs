//! DL3064: an ARG or ENV name that says it holds a secret; BuildKit's SecretsUsedInArgOrEnv under hadolint's code.

use crate::rules::{Context, Rule, Severity, Sink, find};

pub(super) static RULE: Rule = Rule {
    code: "DL3064",
    name: "sensitive-arg-or-env-name",
    default_severity: Severity::Warning,
    // BuildKit's SecretsUsedInArgOrEnv reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports ARG and ENV names that say they hold a secret (`GITHUB_TOKEN`, `DB_PASSWORD`,
`AWS_SECRET_ACCESS_KEY`). It is the same check as BuildKit's SecretsUsedInArgOrEnv (gantry runs
that check and reports its findings under this code), so the two always agree: the name is split
at underscores and one of its words must be a secret word (`token`, `password`, `secret`, `key`,
`auth`, `credentials`, …), and names that only describe a secret (`*_FILE`, `*_PATH`, `*_URL`,
`SSH_AUTH_SOCK`, `GPG_KEY`) or ENV values that cannot be one (empty, `true`, a path under
`/run/secrets/`) are left alone. See SecretsUsedInArgOrEnv for the full lists.

This is hadolint's DL3064, **off by default** in gantry because SecretsUsedInArgOrEnv, on by
default, reports the same names. A suppression naming either code silences both
(`# hadolint ignore=DL3064` keeps working). Enable DL3064 (and ignore SecretsUsedInArgOrEnv) only
to keep hadolint's code in your reports.

Compared with hadolint, which looks for `token`, `password`, `secret` and `private` anywhere in the
name: hadolint also reports `GOPRIVATE` (the Go setting that lists private module paths, not a
secret), `TOKEN_URL`, `API_KEY_FILE`, `PASSWORD_VERSION`, `mytoken` and `ENV SECRET=` (empty);
gantry does not. gantry reports names hadolint misses: `ENCRYPTION_KEY`, `SIGNING_KEY`, `APIKEY`,
`REGISTRY_AUTH`, `CREDENTIALS`, `PASSWD`.

## Why it matters
ARG and ENV values are recorded in the image: ENV in its configuration for anyone who pulls it,
ARG values in the build history and provenance. A token passed this way leaks to everyone with
access to the image or its build cache.

## Example
```dockerfile
FROM golang:1.23
ARG GITHUB_TOKEN
RUN git config --global url.\"https://${GITHUB_TOKEN}@github.com/\".insteadOf \"https://github.com/\" \\
 && go mod download
```

## Fix
Pass the secret as a build secret and read it only in the RUN that needs it:
`RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN go mod download`, built with
`docker build --secret id=github_token,env=GITHUB_TOKEN .`.

## References
- hadolint rule DL3064 (https://github.com/hadolint/hadolint/wiki/DL3064)
- BuildKit build checks: SecretsUsedInArgOrEnv (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
";

/// The BuildKit check this rule reports under hadolint's code.
const SAME_CHECK: &str = "SecretsUsedInArgOrEnv";

fn check(context: &Context<'_>, sink: &mut Sink) {
    // Running BuildKit's own check keeps the two codes from drifting apart; the sink stamps DL3064.
    if let Some(rule) = find(SAME_CHECK) {
        (rule.check)(context, sink);
    }
}
