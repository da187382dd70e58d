//! hadolint's instruction-level rules, reimplemented under their `DL` codes so that existing
//! `# hadolint ignore=` comments keep working.
//!
//! One file per rule (`dlNNNN_<slug>.rs`); add a new one to `RULES` (any order: the registry sorts).
//! Where a BuildKit check reports the same problem, the BuildKit check is gantry's default and
//! the DL rule is off by default (one finding per problem): DL3000 ↔ WorkdirRelativePath,
//! DL3012/DL4003/DL4004 ↔ MultipleInstructionsDisallowed, DL3024 ↔ DuplicateStageName,
//! DL3025 ↔ JSONArgsRecommended, DL3029 ↔ FromPlatformFlagConstDisallowed, DL4000 ↔
//! MaintainerDeprecated. DL3063 ↔ ReservedStageName, DL3064 ↔ SecretsUsedInArgOrEnv and DL3065 ↔
//! RedundantTargetPlatform run the BuildKit check itself under the DL code.
//!
//! Three hadolint rules are not rules here because the parser already reports the same input as
//! a syntax error (BuildKit refuses it too): DL3011 (port outside 0–65535) is
//! `syntax/invalid-port`, DL3043 (ONBUILD FROM/MAINTAINER/ONBUILD) is
//! `syntax/invalid-onbuild-trigger`, and DL3061 (an instruction before FROM) is
//! `syntax/instruction-before-from`.

mod label_values;
mod support;

mod dl1001_inline_ignore_pragma;
mod dl3000_relative_workdir;
mod dl3002_last_user_root;
mod dl3006_untagged_image;
mod dl3007_latest_tag;
mod dl3012_multiple_healthchecks;
mod dl3020_add_local_files;
mod dl3021_multi_source_destination;
mod dl3022_copy_from_unknown_stage;
mod dl3023_copy_from_own_stage;
mod dl3024_duplicate_stage_name;
mod dl3025_shell_form_command;
mod dl3026_untrusted_registry;
mod dl3029_from_platform_flag;
mod dl3044_env_self_reference;
mod dl3045_relative_copy_without_workdir;
mod dl3048_invalid_label_key;
mod dl3049_missing_schema_label;
mod dl3050_label_outside_schema;
mod dl3051_empty_schema_label;
mod dl3052_label_not_url;
mod dl3053_label_not_rfc3339;
mod dl3054_label_not_spdx;
mod dl3055_label_not_git_hash;
mod dl3056_label_not_semver;
mod dl3057_missing_healthcheck;
mod dl3058_label_not_email;
mod dl3063_reserved_stage_name;
mod dl3064_secret_in_arg_or_env;
mod dl3065_redundant_target_platform;
mod dl3066_non_numeric_user;
mod dl3067_copy_whole_filesystem;
mod dl4000_maintainer;
mod dl4003_multiple_cmds;
mod dl4004_multiple_entrypoints;
mod dl4005_shell_changed_by_link;

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[
    &dl1001_inline_ignore_pragma::RULE,
    &dl3000_relative_workdir::RULE,
    &dl3002_last_user_root::RULE,
    &dl3006_untagged_image::RULE,
    &dl3007_latest_tag::RULE,
    &dl3012_multiple_healthchecks::RULE,
    &dl3020_add_local_files::RULE,
    &dl3021_multi_source_destination::RULE,
    &dl3022_copy_from_unknown_stage::RULE,
    &dl3023_copy_from_own_stage::RULE,
    &dl3024_duplicate_stage_name::RULE,
    &dl3025_shell_form_command::RULE,
    &dl3026_untrusted_registry::RULE,
    &dl3029_from_platform_flag::RULE,
    &dl3044_env_self_reference::RULE,
    &dl3045_relative_copy_without_workdir::RULE,
    &dl3048_invalid_label_key::RULE,
    &dl3049_missing_schema_label::RULE,
    &dl3050_label_outside_schema::RULE,
    &dl3051_empty_schema_label::RULE,
    &dl3052_label_not_url::RULE,
    &dl3053_label_not_rfc3339::RULE,
    &dl3054_label_not_spdx::RULE,
    &dl3055_label_not_git_hash::RULE,
    &dl3056_label_not_semver::RULE,
    &dl3057_missing_healthcheck::RULE,
    &dl3058_label_not_email::RULE,
    &dl3063_reserved_stage_name::RULE,
    &dl3064_secret_in_arg_or_env::RULE,
    &dl3065_redundant_target_platform::RULE,
    &dl3066_non_numeric_user::RULE,
    &dl3067_copy_whole_filesystem::RULE,
    &dl4000_maintainer::RULE,
    &dl4003_multiple_cmds::RULE,
    &dl4004_multiple_entrypoints::RULE,
    &dl4005_shell_changed_by_link::RULE,
];
