//! DL1001: a comment that silences findings for one instruction or stage.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::TextRange;

pub(super) static RULE: Rule = Rule {
    code: "DL1001",
    name: "inline-ignore-comment",
    default_severity: Severity::Info,
    // Off in hadolint too: a policy some teams want, not a problem in the Dockerfile.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every comment that silences findings for the next instruction or stage:
`# hadolint ignore=…`, `# hadolint stage ignore=…`, `# gantry: ignore…`,
`# dockerfile-utils: ignore` and BuildKit's per-instruction `# check=skip=…`. File-wide forms
(`# hadolint global ignore=…`, `# gantry: ignore-file=…`, the `# check=` parser directive) are
configuration and are not reported. **Off by default**, as in hadolint.

## Why it matters
Some teams want every exception to a rule recorded in one reviewed place (the configuration
file) rather than scattered through Dockerfiles. Enable this rule to enforce that.

gantry reports the comment forms of every tool it understands, where hadolint knows only its own.

## Example
```dockerfile
# hadolint ignore=DL3007
FROM alpine:latest
```

## Fix
Fix the finding, or move the exception to `gantry.toml` (`ignore = [\"DL3007\"]`).

## References
- hadolint rule DL1001 (https://github.com/hadolint/hadolint/wiki/DL1001)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let comments = dockerfile
        .comments
        .iter()
        .chain(dockerfile.instructions.iter().flat_map(|instruction| &instruction.inner_comments));
    for &range in comments {
        let is_directive = dockerfile.directives.iter().any(|d| d.range.contains_range(range));
        let Some(text) = context.text.get(range.as_range()) else { continue };
        if !is_directive && is_inline_suppression(text) {
            let trimmed = TextRange::new(range.start, range.start + text.trim_end().len());
            sink.report(trimmed, "a comment silences findings here: record exceptions in the configuration instead");
        }
    }
}

/// Whether a comment line is a suppression scoped to the next instruction or stage.
fn is_inline_suppression(comment: &str) -> bool {
    let Some(body) = comment.trim_start().strip_prefix('#') else { return false };
    let words: Vec<String> = body.split_whitespace().take(2).map(str::to_ascii_lowercase).collect();
    let first = words.first().map(String::as_str).unwrap_or_default();
    let second = words.get(1).map(String::as_str).unwrap_or_default();
    match first {
        "hadolint" => second.starts_with("ignore") || (second == "stage" && body.contains("ignore")),
        "gantry:" => second == "ignore" || second.starts_with("ignore="),
        "dockerfile-utils:" => second == "ignore",
        _ => first.starts_with("check=") && first.contains("skip="),
    }
}

#[cfg(test)]
mod tests {
    use super::is_inline_suppression;

    #[test]
    fn forms() {
        for inline in [
            "# hadolint ignore=DL3006",
            "#hadolint ignore=DL3006,DL3007 # reason",
            "# hadolint stage ignore=DL3003",
            "# gantry: ignore=DL3020",
            "# gantry: ignore",
            "# dockerfile-utils: ignore",
            "# check=skip=JSONArgsRecommended",
        ] {
            assert!(is_inline_suppression(inline), "{inline}");
        }
        for other in [
            "# hadolint global ignore=DL3006",
            "# gantry: ignore-file=DL3006",
            "# hadolint shell=powershell",
            "# just a comment about hadolint",
            "# check=error=true",
        ] {
            assert!(!is_inline_suppression(other), "{other}");
        }
    }
}
