//! Rules that read the shell commands of RUN instructions (hadolint's shell-aware `DL` rules).
//!
//! One file per rule (`dlNNNN_<slug>.rs`); add a new one to `RULES` (any order: the registry sorts).
//! They read the shell model (`Context::shell`), so quoting, continuations, `&&` chains, heredocs
//! and `sh -c` strings are resolved once for all of them.

mod apt;
mod support;

mod dl3008_apt_get_unpinned;
mod dl3009_apt_lists_kept;
mod dl3014_apt_get_without_yes;
mod dl3015_apt_get_recommends;
mod dl3027_apt_instead_of_apt_get;
mod dl4006_pipe_without_pipefail;

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[
    &dl3008_apt_get_unpinned::RULE,
    &dl3009_apt_lists_kept::RULE,
    &dl3014_apt_get_without_yes::RULE,
    &dl3015_apt_get_recommends::RULE,
    &dl3027_apt_instead_of_apt_get::RULE,
    &dl4006_pipe_without_pipefail::RULE,
];
