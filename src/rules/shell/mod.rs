//! Rules that read the shell commands of RUN instructions (hadolint's shell-aware `DL` rules).
//!
//! One file per rule (`dlNNNN_<slug>.rs`); add a new one to `RULES` (any order: the registry sorts).
//! They read the shell model (`Context::shell`), so quoting, continuations, `&&` chains, heredocs
//! and `sh -c` strings are resolved once for all of them.

mod apk;
mod apt;
mod pip;
mod rpm;
mod support;

mod dl3001_pointless_command;
mod dl3003_cd_instead_of_workdir;
mod dl3004_sudo;
mod dl3008_apt_get_unpinned;
mod dl3009_apt_lists_kept;
mod dl3013_pip_unpinned;
mod dl3014_apt_get_without_yes;
mod dl3015_apt_get_recommends;
mod dl3016_npm_unpinned;
mod dl3018_apk_add_unpinned;
mod dl3019_apk_add_cache;
mod dl3027_apt_instead_of_apt_get;
mod dl3028_gem_unpinned;
mod dl3030_yum_without_yes;
mod dl3032_yum_clean;
mod dl3033_yum_unpinned;
mod dl3034_zypper_non_interactive;
mod dl3035_zypper_dist_upgrade;
mod dl3036_zypper_clean;
mod dl3037_zypper_unpinned;
mod dl3038_dnf_without_yes;
mod dl3040_dnf_clean;
mod dl3041_dnf_unpinned;
mod dl3042_pip_cache;
mod dl3046_useradd_high_uid;
mod dl3047_wget_progress;
mod dl3059_consecutive_runs;
mod dl3060_yarn_cache;
mod dl3062_go_unpinned;
mod dl4001_wget_and_curl;
mod dl4006_pipe_without_pipefail;

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[
    &dl3001_pointless_command::RULE,
    &dl3003_cd_instead_of_workdir::RULE,
    &dl3004_sudo::RULE,
    &dl3008_apt_get_unpinned::RULE,
    &dl3009_apt_lists_kept::RULE,
    &dl3013_pip_unpinned::RULE,
    &dl3014_apt_get_without_yes::RULE,
    &dl3015_apt_get_recommends::RULE,
    &dl3016_npm_unpinned::RULE,
    &dl3018_apk_add_unpinned::RULE,
    &dl3019_apk_add_cache::RULE,
    &dl3027_apt_instead_of_apt_get::RULE,
    &dl3028_gem_unpinned::RULE,
    &dl3030_yum_without_yes::RULE,
    &dl3032_yum_clean::RULE,
    &dl3033_yum_unpinned::RULE,
    &dl3034_zypper_non_interactive::RULE,
    &dl3035_zypper_dist_upgrade::RULE,
    &dl3036_zypper_clean::RULE,
    &dl3037_zypper_unpinned::RULE,
    &dl3038_dnf_without_yes::RULE,
    &dl3040_dnf_clean::RULE,
    &dl3041_dnf_unpinned::RULE,
    &dl3042_pip_cache::RULE,
    &dl3046_useradd_high_uid::RULE,
    &dl3047_wget_progress::RULE,
    &dl3059_consecutive_runs::RULE,
    &dl3060_yarn_cache::RULE,
    &dl3062_go_unpinned::RULE,
    &dl4001_wget_and_curl::RULE,
    &dl4006_pipe_without_pipefail::RULE,
];
