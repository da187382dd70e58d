//! Incremental analysis gives the same answers as analysis from scratch: after seeded random edits
//! to generated Dockerfiles, the diagnostics and shell models of the reparsed document (which
//! reuses the models of the RUNs the edit did not touch) equal those of a fresh parse of the text.

#[path = "../benches/common/generate.rs"]
mod generate;

use gantry_ls::rules::{self, Config};
use gantry_ls::syntax::{self, Parse, TextEdit, TextRange};

/// Text inserted by the random edits: shell syntax, continuations, heredocs, instructions that
/// change how later RUNs are read (`SHELL`, the escape directive), quotes and multi-byte text.
const SNIPPETS: &[&str] = &[
    "x",
    " ",
    "\n",
    " \\\n    ",
    " && echo done",
    " | tee /tmp/log",
    "$(uname -m)",
    "'",
    "\"",
    "\nRUN apt-get update && apt-get install -y curl\n",
    "\nRUN <<EOF\nset -eu\necho hi\nEOF\n",
    "\nSHELL [\"pwsh\", \"-Command\"]\n",
    "\nSHELL [\"/bin/bash\", \"-c\"]\n",
    "# escape=`\n",
    "\nFROM alpine AS extra\n",
    "\nONBUILD RUN make\n",
    "RUN [\"sh\", \"-c\", \"go build ./...\"]\n",
    "é",
    "CGO_ENABLED=1 ",
    "<<EOF",
];

/// A random edit: an insertion of a snippet, a deletion, or a replacement, at character boundaries.
fn random_edit(rng: &mut fastrand::Rng, text: &str) -> TextEdit {
    let boundary = |rng: &mut fastrand::Rng| {
        let mut at = rng.usize(0..=text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = boundary(rng);
    let end = match rng.u8(0..3) {
        0 => start,
        _ => {
            let mut end = (start + rng.usize(0..40)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            end
        }
    };
    let new_text = if rng.bool() { SNIPPETS[rng.usize(0..SNIPPETS.len())].to_string() } else { String::new() };
    TextEdit { range: TextRange::new(start, end), new_text }
}

fn assert_same_as_scratch(edited: &Parse, config: &Config, what: &str) {
    let fresh = syntax::parse(edited.text());
    let incremental_scripts = edited.shell_scripts();
    let fresh_scripts = fresh.shell_scripts();
    for index in 0..fresh.dockerfile().instructions.len() {
        assert_eq!(
            incremental_scripts.get(index),
            fresh_scripts.get(index),
            "{what}: shell model of instruction {index}"
        );
    }
    assert_eq!(
        rules::check_with_facts(edited, config, None),
        rules::check_with_facts(&fresh, config, None),
        "{what}: diagnostics differ from a fresh check of:\n{}",
        edited.text()
    );
}

#[test]
fn incremental_diagnostics_equal_a_fresh_check_after_random_edits() {
    let config = Config::default();
    for seed in 0..12u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let lines = 90 + rng.usize(0..200);
        let mut parse = syntax::parse(&generate::generate_dockerfile(lines));
        // Build every model once, as the server's first publication does, so edits reuse them.
        rules::check_with_facts(&parse, &config, None);
        for step in 0..25 {
            let count = 1 + rng.usize(0..3);
            let mut edits = Vec::with_capacity(count);
            let mut text = parse.text().to_string();
            for _ in 0..count {
                let edit = random_edit(&mut rng, &text);
                text.replace_range(edit.range.as_range(), &edit.new_text);
                edits.push(edit);
            }
            parse = parse.reparse(&edits);
            assert_eq!(parse.text(), text, "seed {seed}, step {step}: the reparsed text");
            assert_same_as_scratch(&parse, &config, &format!("seed {seed}, step {step}"));
        }
    }
}

#[test]
fn an_edit_inside_one_run_reuses_every_other_model() {
    let text = generate::generate_dockerfile(400);
    let parse = syntax::parse(&text);
    let scripts = parse.shell_scripts();
    let runs: Vec<usize> = (0..parse.dockerfile().instructions.len()).filter(|&i| scripts.get(i).is_some()).collect();
    let at = text.find("go build -trimpath").expect("a go build") + "go build".len();
    let edited = parse.reparse(&[TextEdit { range: TextRange::empty(at), new_text: " -v".to_string() }]);
    let edited_index = edited.dockerfile().instructions.iter().position(|i| i.range.touches(at)).expect("the RUN");
    let before = edited.shell_scripts();
    for &index in &runs {
        let script = before.get(index).expect("still a RUN");
        let word = script.commands.iter().flat_map(|c| c.args.iter()).any(|a| a.value == "-v");
        assert_eq!(word, index == edited_index, "instruction {index}: only the edited RUN changes");
    }
    assert_same_as_scratch(&edited, &Config::default(), "one keystroke");
}
