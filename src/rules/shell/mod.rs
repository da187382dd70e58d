//! Rules that read the shell commands of RUN instructions (hadolint's shell-aware `DL` rules).
//!
//! One file per rule (`dlNNNN_<slug>.rs`); add a new one to `RULES` (any order: the registry sorts).

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[];
