//! Diagnostics for a document: what the editor shows and `gantry check` prints.

use crate::rules::{self, Config, Diagnostic, GoFacts};
use crate::syntax::Parse;

/// All diagnostics for a parsed document under the default configuration, sorted by position.
pub fn diagnostics(parse: &Parse) -> Vec<Diagnostic> {
    rules::check(parse)
}

/// All diagnostics for a parsed document under `config`, sorted by position.
pub fn diagnostics_with(parse: &Parse, config: &Config) -> Vec<Diagnostic> {
    rules::check_with_config(parse, config)
}

/// All diagnostics under `config`, the Go rules included when the Go project is known.
pub fn diagnostics_for(parse: &Parse, config: &Config, go: Option<&GoFacts>) -> Vec<Diagnostic> {
    rules::check_with_facts(parse, config, go)
}
