//! BuildKit's build checks, under BuildKit's own names as codes (https://docs.docker.com/reference/build-checks/).
//!
//! One file per check; add a new one to `RULES` (any order: the registry sorts).

mod from_as_casing;
mod json_args_recommended;
mod maintainer_deprecated;
mod stage_name_casing;

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] =
    &[&from_as_casing::RULE, &json_args_recommended::RULE, &maintainer_deprecated::RULE, &stage_name_casing::RULE];
