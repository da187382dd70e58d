//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and the crash regressions
//! (`tests/fixtures/fuzz/regressions/<target>/`) through the fuzz targets of `gantry_ls::fuzzing`,
//! so that every input the fuzzer kept, and every crash it found, stays fixed under `cargo test`.
//! The regressions include the inputs that crashed or hung other Dockerfile tools
//! (`regressions/positions/peer-*`, listed with their sources in `regressions/README.md`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::fuzzing::Target;
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax::LineIndex;
use gantry_ls::workspace::Workspace;
use gantry_ls::{ide, syntax};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The same Go project the fuzzer's Dockerfile targets read (`fuzz/src/main.rs`).
fn go_facts() -> GoFacts {
    let workspace = Arc::new(Workspace::open(&root().join("tests/fixtures/workspaces/service")).expect("fixture"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn regressions(target: Target) -> Vec<PathBuf> {
    files_in(&root().join("tests/fixtures/fuzz/regressions").join(target.name()))
}

/// Runs `target` on every file and returns the failures as "file: panic message".
fn replay(target: Target, files: &[PathBuf], go: Option<&GoFacts>) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let data = std::fs::read(file).expect("readable corpus file");
        if let Err(panic) = std::panic::catch_unwind(|| target.run(&data, go)) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {message}", file.display()));
        }
    }
    failures
}

#[test]
fn every_target_has_a_corpus() {
    for target in Target::ALL {
        let corpus = files_in(&root().join("fuzz/corpus").join(target.name()));
        assert!(!corpus.is_empty(), "fuzz/corpus/{} is empty", target.name());
        assert_eq!(Target::from_name(target.name()), Some(*target));
    }
}

#[test]
fn fuzz_corpus_and_crash_regressions_replay_clean() {
    let go = go_facts();
    let mut failures = Vec::new();
    for &target in Target::ALL {
        let corpus = files_in(&root().join("fuzz/corpus").join(target.name()));
        // Every offset of every corpus file would take minutes in a debug build: the position
        // target's corpus goes through the sampled Dockerfile target, its regressions through itself.
        let corpus_target = if target == Target::Positions { Target::Dockerfile } else { target };
        failures.extend(replay(corpus_target, &corpus, Some(&go)));
        failures.extend(replay(target, &regressions(target), Some(&go)));
    }
    assert!(failures.is_empty(), "{} failing input(s):\n{}", failures.len(), failures.join("\n"));
}

/// The inputs that crashed or hung other Dockerfile tools go through every feature at every
/// position (above), and gantry still reports on them: their findings are pinned here.
#[test]
fn crash_inputs_of_other_tools_get_findings() {
    let peers: Vec<PathBuf> = regressions(Target::Positions)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("peer-")))
        .collect();
    assert!(peers.len() >= 15, "the peer crash inputs are missing");
    let mut report = String::new();
    for path in &peers {
        let text = std::fs::read_to_string(path).expect("peer input");
        let parse = syntax::parse(&text);
        let lines = LineIndex::new(&text);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        report.push_str(&format!("{name}\n"));
        let diagnostics = ide::diagnostics(&parse);
        for diagnostic in &diagnostics {
            let at = lines.line_col(&text, diagnostic.range.start);
            report.push_str(&format!("  {}:{} {} {}\n", at.line + 1, at.col + 1, diagnostic.code, diagnostic.message));
        }
        if diagnostics.is_empty() {
            report.push_str("  (no findings)\n");
        }
        // The features that crashed the other tools give answers here.
        assert!(!ide::semantic_tokens(&parse, None).is_empty(), "{name}: no semantic tokens");
        assert!(!ide::document_symbols(&parse).is_empty(), "{name}: no outline");
    }
    insta::assert_snapshot!(report);
}
