//! The one list of rules. Adding a rule: one file, one line here, one fixture and its snapshot.

use super::Rule;
use super::{from_as_casing, json_args_recommended, maintainer_deprecated, stage_name_casing};

/// Every rule, sorted by code (checked by a test).
pub static ALL: &[&Rule] =
    &[&from_as_casing::RULE, &json_args_recommended::RULE, &maintainer_deprecated::RULE, &stage_name_casing::RULE];

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_and_unique() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn every_rule_is_documented_in_the_fixed_shape() {
        for rule in ALL {
            let mut rest = rule.docs;
            for heading in ["## What it does", "## Why it matters", "## Example", "## Fix", "## References"] {
                let at =
                    rest.find(heading).unwrap_or_else(|| panic!("{}: missing or misplaced `{heading}`", rule.code));
                rest = &rest[at + heading.len()..];
            }
            assert!(
                rule.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}: name must be kebab-case",
                rule.code
            );
        }
    }
}
