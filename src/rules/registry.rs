//! The one list of rules, assembled from the rule families' lists and sorted by code.
//!
//! Adding a rule: one file, one line in its family's `RULES`, one fixture and its snapshot.

use std::sync::LazyLock;

use super::{Rule, buildkit, go, hadolint, shell};
use crate::syntax::edit_distance;

/// Every rule, sorted by code; codes are unique (checked by a test).
pub static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static Rule> =
        [buildkit::RULES, go::RULES, hadolint::RULES, shell::RULES].into_iter().flatten().copied().collect();
    all.sort_by_key(|rule| rule.code);
    all
});

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// How an editor may render a finding besides its severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// The finding is about something deprecated (shown struck through).
    Deprecated,
    /// The finding is about something that can be removed (shown faded).
    Unnecessary,
}

/// The tags that suit findings of `code`.
pub fn tags(code: &str) -> &'static [Tag] {
    match code {
        "MaintainerDeprecated" | "DL4000" => &[Tag::Deprecated],
        "RedundantTargetPlatform" => &[Tag::Unnecessary],
        _ => &[],
    }
}

/// hadolint rules and the BuildKit checks that report the same problem. gantry runs the BuildKit
/// check by default; a suppression naming either code silences both, so that existing
/// `# hadolint ignore=DL3025` comments keep working.
const SAME_PROBLEM: &[(&str, &str)] = &[
    ("DL3000", "WorkdirRelativePath"),
    ("DL3012", "MultipleInstructionsDisallowed"),
    ("DL3024", "DuplicateStageName"),
    ("DL3025", "JSONArgsRecommended"),
    ("DL3029", "FromPlatformFlagConstDisallowed"),
    ("DL3063", "ReservedStageName"),
    ("DL3064", "SecretsUsedInArgOrEnv"),
    ("DL3065", "RedundantTargetPlatform"),
    ("DL4000", "MaintainerDeprecated"),
    ("DL4003", "MultipleInstructionsDisallowed"),
    ("DL4004", "MultipleInstructionsDisallowed"),
];

/// Whether a suppression of `named` silences findings of `code`: the same code, or the hadolint and
/// BuildKit names of one problem.
pub(super) fn silences(named: &str, code: &str) -> bool {
    named.eq_ignore_ascii_case(code)
        || SAME_PROBLEM.iter().any(|(dl, buildkit)| {
            (named.eq_ignore_ascii_case(dl) && code.eq_ignore_ascii_case(buildkit))
                || (named.eq_ignore_ascii_case(buildkit) && code.eq_ignore_ascii_case(dl))
        })
}

/// Whether `code` is one of BuildKit's build checks (they obey `# check=` directives).
pub(super) fn is_buildkit_check(code: &str) -> bool {
    buildkit::RULES.iter().any(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// Whether `code` is a rule that reads RUN's shell text (off under `# hadolint shell=powershell`).
pub(super) fn is_shell_rule(code: &str) -> bool {
    shell::RULES.iter().any(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// The rule code closest to a mistyped one, for "did you mean" messages.
pub fn suggest_code(code: &str) -> Option<&'static str> {
    let wanted = code.to_ascii_lowercase();
    ALL.iter()
        .map(|rule| (edit_distance(&wanted, &rule.code.to_ascii_lowercase()), rule.code))
        .filter(|&(distance, candidate)| distance <= 2.max(candidate.len() / 4))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_even_ignoring_case() {
        let mut codes: Vec<String> = ALL.iter().map(|r| r.code.to_ascii_lowercase()).collect();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count, "two rules share a code");
    }

    #[test]
    fn mistyped_codes_get_a_suggestion() {
        assert_eq!(suggest_code("stagenamecasin"), Some("StageNameCasing"));
        assert_eq!(suggest_code("FromAsCase"), Some("FromAsCasing"));
        assert_eq!(suggest_code("completely-unrelated"), None);
    }

    #[test]
    fn every_rule_is_documented_in_the_fixed_shape() {
        for rule in ALL.iter() {
            let mut rest = rule.docs;
            for heading in ["## What it does", "## Why it matters", "## Example", "## Fix", "## References"] {
                let at =
                    rest.find(heading).unwrap_or_else(|| panic!("{}: missing or misplaced `{heading}`", rule.code));
                rest = &rest[at + heading.len()..];
            }
            assert!(
                rule.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && rule.name.starts_with(|c: char| c.is_ascii_lowercase()),
                "{}: name must be kebab-case",
                rule.code
            );
        }
    }
}
