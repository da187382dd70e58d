//! Diagnostics for a document: what the editor shows and `gantry check` prints.

use crate::rules::{self, Diagnostic};
use crate::syntax::Parse;

/// All diagnostics for a parsed document, sorted by position.
pub fn diagnostics(parse: &Parse) -> Vec<Diagnostic> {
    rules::check(parse)
}
