//! Parsing never fails and never panics: random documents built from Dockerfile fragments and
//! arbitrary characters, and byte edits with out-of-range or mid-character ranges.

use gantry_ls::ide;
use gantry_ls::syntax::{self, TextEdit, TextRange};

const PIECES: &[&str] = &[
    "FROM",
    "RUN",
    "COPY",
    "ADD",
    "ARG",
    "ENV",
    "LABEL",
    "ONBUILD",
    "HEALTHCHECK",
    "SHELL",
    "CMD",
    "EXPOSE",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\\",
    "`",
    "\\\n",
    "--",
    "--mount=",
    "type=cache,",
    "=",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "<<",
    "<<-",
    "EOF",
    "$",
    "${",
    "}",
    ":-",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "# syntax=x\n",
    "AS",
    "@sha256:",
    ":",
    "/",
    "é",
    "😀",
    "\u{feff}",
    "\u{2028}",
    "\0",
    "NONE",
    "x",
    "1",
];

fn random_document(rng: &mut fastrand::Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.usize(0..80) {
        if rng.usize(..10) == 0 {
            text.push(rng.char(..));
        } else {
            text.push_str(PIECES[rng.usize(..PIECES.len())]);
        }
    }
    text
}

#[test]
fn random_documents_parse_with_ranges_inside_the_text() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..5_000 {
        let text = random_document(&mut rng);
        let parse = syntax::parse(&text);
        for diagnostic in ide::diagnostics(&parse) {
            let range = diagnostic.range;
            assert!(range.start <= range.end && range.end <= text.len(), "range {range:?} outside {text:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{range:?} in {text:?}");
        }
        for instruction in &parse.dockerfile().instructions {
            assert!(instruction.range.end <= text.len(), "instruction outside {text:?}");
        }
        let _ = ide::document_symbols(&parse);
        let _ = ide::folding_ranges(&parse);
        for offset in [0, text.len() / 2, text.len()] {
            let _ = ide::goto_definition(&parse, offset);
        }
    }
}

#[test]
fn edits_with_wild_ranges_are_clamped_not_fatal() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut parse = syntax::parse("FROM a😀b\nRUN x\n");
    for _ in 0..2_000 {
        let len = parse.text().len();
        let start = rng.usize(..len + 10);
        let end = start.saturating_sub(3) + rng.usize(..8);
        let edit =
            TextEdit { range: TextRange { start, end }, new_text: PIECES[rng.usize(..PIECES.len())].to_string() };
        parse = parse.reparse(&[edit]);
        if parse.text().len() > 2_000 {
            parse = syntax::parse("FROM a😀b\n");
        }
        assert_eq!(
            syntax::tree_fingerprint(parse.tree()),
            syntax::tree_fingerprint(syntax::parse(parse.text()).tree())
        );
    }
}
