//! SecretsUsedInArgOrEnv: an ARG or ENV whose name says it holds a secret.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, KeyValue};

pub(super) static RULE: Rule = Rule {
    code: "SecretsUsedInArgOrEnv",
    name: "secret-in-arg-or-env",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports ARG and ENV names that say they hold a secret. The name is split at underscores, and it is
reported when one of its words is `apikey`, `auth`, `credential`, `credentials`, `key`,
`password`, `pword`, `passwd`, `secret` or `token` (any case), as BuildKit does: `GITHUB_TOKEN`,
`DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, but not `GOPRIVATE` or `KEYRING`.

Names that describe a secret rather than hold one are not reported:
- a word says where the secret is or what it is: `file` (BuildKit's exception, for `*_FILE`
  pointing at a mounted secret), `path`, `dir`, `url`, `uri`, `endpoint`, `host`, `sock`,
  `socket` (`SSH_AUTH_SOCK` is the path of the agent socket), `public` and `version` (BuildKit's
  exceptions), `name`, `type`, `mode`, `method`, `size`, `bits`, `length`, `enabled`, `disabled`;
- the secret word is `key` next to `gpg` or `pgp` (`GPG_KEY` holds the fingerprint of a public
  signing key, as in the official language images);
- an ENV whose value is empty, `true`/`false` (or `yes`, `no`, `on`, `off`, `0`, `1`), or a path
  under `/run/secrets/`: no secret is stored.

These exceptions go beyond BuildKit, which reports every one of these names except `*_FILE`,
`*PUBLIC*` and `*VERSION*`.

## Why it matters
Build arguments and ENV values are recorded in the image: ENV in its configuration for anyone who
pulls it, ARG values in the build history and provenance. A token passed this way leaks to
everyone with access to the image or its build cache. BuildKit reports the check as a warning
(hadolint's DL3064 is similar but noisier).

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
`docker build --secret id=github_token,env=GITHUB_TOKEN .`. There is no quick fix.

## References
- BuildKit build checks: SecretsUsedInArgOrEnv (https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
- Build secrets (https://docs.docker.com/build/building/secrets/)
";

const SECRET_WORDS: [&str; 10] =
    ["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];

/// Words that make a name describe a secret (where it is, what kind it is) rather than hold one.
const DESCRIBING_WORDS: [&str; 20] = [
    "file", "path", "dir", "url", "uri", "endpoint", "host", "sock", "socket", "public", "version", "name", "type",
    "mode", "method", "size", "bits", "length", "enabled", "disabled",
];

/// Values that cannot be a secret.
const HARMLESS_VALUES: [&str; 9] = ["", "true", "false", "yes", "no", "on", "off", "0", "1"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let (pairs, keyword) = match &instruction.kind {
            InstructionKind::Arg(pairs) => (pairs, "ARG"),
            InstructionKind::Env(pairs) => (pairs, "ENV"),
            _ => continue,
        };
        for pair in pairs.iter().filter(|pair| holds_secret(pair, keyword == "ENV")) {
            sink.report(
                pair.key_range,
                format!(
                    "{keyword} `{}` looks like a secret: {keyword} values are stored in the image; use a secret mount",
                    pair.key
                ),
            );
        }
    }
}

fn holds_secret(pair: &KeyValue, is_env: bool) -> bool {
    let words: Vec<String> = pair.key.split('_').map(str::to_ascii_lowercase).collect();
    let Some(secret) = words.iter().find(|w| SECRET_WORDS.contains(&w.as_str())) else { return false };
    if words.iter().any(|w| DESCRIBING_WORDS.contains(&w.as_str())) {
        return false;
    }
    if secret == "key" && words.iter().any(|w| w == "gpg" || w == "pgp") {
        return false;
    }
    if is_env
        && let Some(value) = &pair.value
        && (HARMLESS_VALUES.iter().any(|h| h.eq_ignore_ascii_case(value.trim())) || value.starts_with("/run/secrets/"))
    {
        return false;
    }
    true
}
