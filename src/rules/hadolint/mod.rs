//! hadolint's instruction-level rules, reimplemented under their `DL` codes so that existing
//! `# hadolint ignore=` comments keep working.
//!
//! One file per rule (`dlNNNN_<slug>.rs`); add a new one to `RULES` (any order: the registry sorts).

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[];
