//! Diagnostics for a document: what the editor shows and `gantry check` prints.

use crate::rules::{self, Config, Diagnostic, GoFacts, Selection, Severity};
use crate::syntax::{Parse, TextRange};

/// The largest document the editor runs every rule on. Larger ones (generated files: real
/// Dockerfiles are a few kilobytes) get syntax errors only, so that each keystroke stays cheap;
/// `gantry check` has no such limit.
pub const EDITOR_RULES_LIMIT: usize = 4 * 1024 * 1024;

/// The code of the note saying that the rules were skipped on a large document.
pub const RULES_SKIPPED_CODE: &str = "gantry/rules-skipped";

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

/// What the editor shows: [`diagnostics_for`], or for a document over [`EDITOR_RULES_LIMIT`] its
/// syntax errors and one note at the start saying that the rules did not run.
pub fn editor_diagnostics(parse: &Parse, config: &Config, go: Option<&GoFacts>) -> Vec<Diagnostic> {
    let size = parse.text().len();
    if size <= EDITOR_RULES_LIMIT {
        return diagnostics_for(parse, config, go);
    }
    let syntax_only =
        Config { selection: Selection { only: Some(Vec::new()), ..config.selection.clone() }, ..config.clone() };
    let mut found = rules::check_with_facts(parse, &syntax_only, None);
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    found.insert(
        0,
        Diagnostic {
            code: RULES_SKIPPED_CODE.to_string(),
            severity: Severity::Info,
            range: TextRange::empty(0),
            message: format!(
                "this file is {:.1} MiB, over the editor's limit of {:.0} MiB: only syntax errors are shown; \
                 `gantry check` runs every rule",
                mib(size),
                mib(EDITOR_RULES_LIMIT)
            ),
            fixes: Vec::new(),
            related: Vec::new(),
        },
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_over_the_limit_gets_syntax_errors_and_a_note() {
        let mut text = String::from("FROM alpine\nRUN apt-get install curl\nEXPOSED 80\n");
        let filler = "# padding\n".repeat(EDITOR_RULES_LIMIT / 10 + 1);
        let small = crate::syntax::parse(&text);
        let codes = |found: &[Diagnostic]| found.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
        let all = editor_diagnostics(&small, &Config::default(), None);
        assert!(codes(&all).contains(&"DL3008".to_string()), "{all:?}");
        text.push_str(&filler);
        let large = crate::syntax::parse(&text);
        let limited = codes(&editor_diagnostics(&large, &Config::default(), None));
        assert_eq!(limited, [RULES_SKIPPED_CODE, "syntax/unknown-instruction"]);
    }
}
