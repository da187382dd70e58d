//! DL3048: a LABEL key that breaks Docker's naming guidelines.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL3048",
    name: "invalid-label-key",
    default_severity: Severity::Hint,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports LABEL keys that do not follow Docker's guidelines for label keys: a key must start with
a lower-case letter, end with a lower-case letter or digit, and use only lower-case letters,
digits, `.`, `-` and `_`, without two `.` or two `-` in a row. Keys in the namespaces Docker
reserves for itself (`com.docker.*`, `io.docker.*`, `org.dockerproject.*`) are reported too.
Keys written with a build variable are left alone.

## Why it matters
Tools that query labels (`docker image ls --filter label=…`, registries, scanners) expect the
reverse-DNS convention; `Maintainer` and `maintainer` are different labels, and keys with
spaces or upper case end up duplicated or unqueryable. This is a style finding (a hint), as in
hadolint.

gantry differs from hadolint on `/`, which Docker's guidelines do not allow in a key and gantry
reports, and on keys written with variables, which it does not judge.

## Example
```dockerfile
LABEL Maintainer=\"Jane Doe\" com.docker.version=1
```

## Fix
Use lower-case, reverse-DNS keys, ideally the OCI ones:
`LABEL org.opencontainers.image.authors=\"Jane Doe\" org.opencontainers.image.version=1`.

## References
- hadolint rule DL3048 (https://github.com/hadolint/hadolint/wiki/DL3048)
- Docker object labels, key format recommendations (https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations)
- OCI image annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md)
";

const RESERVED: &[&str] = &["com.docker.", "io.docker.", "org.dockerproject."];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Label(pairs) = &instruction.kind else { continue };
        for pair in pairs {
            if let Some(problem) = key_problem(&pair.key) {
                sink.report(pair.key_range, format!("label key `{}` {problem}", pair.key));
            }
        }
    }
}

/// Why `key` is not a well-formed label key, if it is not.
fn key_problem(key: &str) -> Option<&'static str> {
    // An empty key is a syntax error already.
    if key.is_empty() || key.contains('$') {
        return None;
    }
    let lower = key.to_lowercase();
    if RESERVED.iter().any(|prefix| lower.starts_with(prefix)) {
        return Some("is in a namespace reserved for Docker");
    }
    if key.chars().any(|c| c.is_uppercase()) {
        return Some("has upper-case letters: label keys are lower case");
    }
    if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)) {
        return Some("has characters other than lower-case letters, digits, `.`, `-` and `_`");
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    if key.contains("..") || key.contains("--") {
        return Some("has two `.` or two `-` in a row");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::key_problem;

    #[test]
    fn keys() {
        for good in
            ["maintainer", "org.opencontainers.image.source", "a_b", "a1", "a.-b", "$KEY", "io.k8s.display-name"]
        {
            assert_eq!(key_problem(good), None, "{good}");
        }
        for bad in ["Maintainer", "a..b", "-a", "a-", "1abc", "a--b", "a:b", "z.", "a b", "a/b", "com.docker.x"] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }
}
