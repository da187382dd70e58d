//! Tidy checks: the architecture invariants of the README, enforced as ordinary tests.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources_under(relative: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join(relative), &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
            (name, text)
        })
        .collect()
}

/// Lines of code, without comment lines (so docs may name what the code must not use).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")).map(|(i, l)| (i + 1, l))
}

fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, text) in sources_under(layer) {
        for (line, code) in code_lines(&text) {
            for needle in forbidden {
                if code.contains(needle) {
                    found.push(format!("{name}:{line}: `{needle}` is not allowed in {layer}: {}", code.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let mut missing = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for (name, text) in sources_under(dir) {
            if !text.trim_start().starts_with("//!") {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "files without a leading `//!` doc comment:\n{}", missing.join("\n"));
}

#[test]
fn only_the_lsp_layer_knows_lsp_types() {
    let lsp_names = ["tower_lsp", "ls_types", "lsp_types"];
    let mut found = Vec::new();
    for layer in ["src/syntax", "src/workspace", "src/build", "src/rules", "src/ide", "src/cli"] {
        found.extend(violations(layer, &lsp_names));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_core_does_no_file_system_io() {
    let io = ["std::fs", "fs::read", "File::open", "File::create", "std::env::current_dir", "std::process"];
    let mut found = Vec::new();
    for layer in ["src/syntax", "src/build", "src/rules", "src/ide", "src/images"] {
        found.extend(violations(layer, &io));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_workspace_reads_the_disk_only_in_its_loader() {
    let io = ["std::fs", "fs::read", "File::open", "File::create", "std::env::current_dir", "std::process"];
    let found: Vec<String> =
        violations("src/workspace", &io).into_iter().filter(|v| !v.starts_with("src/workspace/load/")).collect();
    assert!(
        found.is_empty(),
        "the workspace's parsers and model are pure; only src/workspace/load reads:\n{}",
        found.join("\n")
    );
}

#[test]
fn layers_only_depend_downwards() {
    let rules: &[(&str, &[&str])] = &[
        ("src/syntax", &["crate::workspace", "crate::build", "crate::rules", "crate::ide", "crate::lsp", "crate::cli"]),
        // The build simulation is pure: it reads the Dockerfile and image knowledge, never the workspace.
        ("src/build", &["crate::workspace", "crate::rules", "crate::ide", "crate::lsp", "crate::cli"]),
        ("src/workspace", &["crate::build", "crate::rules", "crate::ide", "crate::lsp", "crate::cli"]),
        ("src/rules", &["crate::ide", "crate::lsp", "crate::cli"]),
        ("src/ide", &["crate::lsp", "crate::cli"]),
        ("src/lsp", &["crate::cli"]),
        // A leaf every layer may use: pure data about Go releases and images.
        (
            "src/images",
            &["crate::syntax", "crate::workspace", "crate::rules", "crate::ide", "crate::lsp", "crate::cli"],
        ),
    ];
    let mut found = Vec::new();
    for (layer, forbidden) in rules {
        found.extend(violations(layer, forbidden));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn no_ignored_or_should_panic_tests() {
    let mut found = Vec::new();
    for dir in ["src", "tests", "benches"] {
        found.extend(
            violations(dir, &["#[ignore", "#[should_panic"]).into_iter().filter(|v| !v.contains("tests/tidy.rs")),
        );
    }
    assert!(
        found.is_empty(),
        "never ignore a failing test; assert the current behaviour with a FIXME:\n{}",
        found.join("\n")
    );
}

#[test]
fn readme_documents_every_layer() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let architecture = readme.split("## Architecture").nth(1).expect("README has an Architecture section");
    for layer in ["syntax", "workspace", "build", "rules", "ide", "lsp", "cli"] {
        assert!(
            architecture.contains(&format!("src/{layer}")),
            "the Architecture section does not describe src/{layer}"
        );
        assert!(root().join("src").join(layer).is_dir(), "src/{layer} is missing");
    }
}

#[test]
fn every_dependency_is_justified() {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let mut previous = "";
    let mut section = "";
    let mut unjustified = Vec::new();
    for line in manifest.lines() {
        if line.starts_with('[') {
            section = line;
        } else if (section == "[dependencies]" || section == "[dev-dependencies]")
            && !line.trim().is_empty()
            && !line.starts_with('#')
            && !previous.starts_with('#')
        {
            unjustified.push(line.to_string());
        }
        previous = line;
    }
    assert!(
        unjustified.is_empty(),
        "dependencies need a one-line `#` justification above them:\n{}",
        unjustified.join("\n")
    );
}
