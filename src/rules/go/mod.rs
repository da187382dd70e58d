//! The Go rules (`GOnnn`): the Dockerfile checked against the Go project it builds.
//!
//! Each rule reports only what the evidence proves: without [`GoFacts`](crate::rules::GoFacts)
//! (no workspace), without a module, with a value only the build knows, or with the package index
//! not yet complete, it stays silent. One file per rule (`goNNN_<slug>.rs`); add it to `RULES`.

mod go101_go_version_newer_than_image;

use crate::rules::Rule;

pub(super) static RULES: &[&Rule] = &[&go101_go_version_newer_than_image::RULE];
