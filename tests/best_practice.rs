//! Dockerfiles that follow the documented best practice draw no warning or error from any rule:
//! each directory under `tests/fixtures/best-practice/` is a whole workspace, checked with every
//! rule that is on by default and the Go project loaded as the editor and the CLI load it.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use gantry_ls::rules::{self, Config, GoFacts, Severity};
use gantry_ls::syntax;
use gantry_ls::workspace::Workspace;

#[test]
fn best_practice_workspaces_draw_no_warning_or_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/best-practice");
    let mut checked = 0;
    for case in fs::read_dir(&root).expect("tests/fixtures/best-practice").flatten().map(|e| e.path()) {
        let workspace = Arc::new(Workspace::open(&case).expect("open the workspace"));
        workspace.index_now();
        let facts = GoFacts::for_dockerfile(workspace, "Dockerfile");
        let text = fs::read_to_string(case.join("Dockerfile")).expect("a Dockerfile");
        let findings: Vec<String> = rules::check_with_facts(&syntax::parse(&text), &Config::default(), Some(&facts))
            .into_iter()
            .filter(|d| d.severity <= Severity::Warning)
            .map(|d| format!("{} {} at {:?}: {}", d.severity, d.code, &text[d.range.as_range()], d.message))
            .collect();
        assert!(findings.is_empty(), "{}:\n{}", case.display(), findings.join("\n"));
        checked += 1;
    }
    assert!(checked > 0);
}
