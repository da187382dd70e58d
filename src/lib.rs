//! gantry: a language server and linter for Dockerfiles that understands the Go project next to them.
//!
//! Layers, in dependency order (see the README's Architecture section):
//! `syntax` → `workspace` → `rules` → `ide` → `lsp` / `cli`.

pub mod build;
pub mod cli;
#[doc(hidden)]
pub mod fuzzing;
pub mod ide;
pub mod images;
pub mod lsp;
pub mod rules;
pub mod syntax;
pub mod workspace;
