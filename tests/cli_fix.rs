//! End-to-end tests of `gantry fix` through the real binary, on copies of the rule fixtures in
//! temporary directories: fixing reaches a fixpoint that `gantry check` agrees with, a second run
//! changes nothing, `--unsafe` does more, `--diff` shows the change, line endings survive, and
//! refused files stay byte for byte as they were.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .current_dir(dir)
        .env_remove("GANTRY_LOG")
        .output()
        .expect("run gantry");
    Run {
        code: output.status.code().expect("gantry exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn rule_fixture(code: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/rules/{code}.Dockerfile"));
    fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str, files: &[(&str, &[u8])]) -> TempTree {
        let root = std::env::temp_dir().join(format!("gantry-fix-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        let tree = TempTree(root);
        for (path, contents) in files {
            tree.write(path, contents);
        }
        tree
    }

    fn write(&self, path: &str, contents: &[u8]) {
        let path = self.0.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn read(&self, path: &str) -> Vec<u8> {
        fs::read(self.0.join(path)).unwrap()
    }

    /// Every file below the root with its bytes, sorted by path.
    fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut dirs = vec![self.0.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let name = path.strip_prefix(&self.0).unwrap().display().to_string();
                    files.push((name, fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Every rule fixture, named `<CODE>.Dockerfile`.
fn all_rule_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut fixtures: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap()))
        .collect();
    fixtures.sort();
    fixtures
}

/// `(rule, file, line)` of each finding `gantry check --format sarif` reports with a fix of the given safety.
fn findings_with_fixes(dir: &Path, args: &[&str], safe: bool) -> Vec<(String, String, u64)> {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    assert_ne!(run.code, 2, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut found = Vec::new();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let fixes = result["fixes"].as_array().map(Vec::as_slice).unwrap_or_default();
        if fixes.iter().any(|fix| fix["properties"]["safe"].as_bool() == Some(safe)) {
            let location = &result["locations"][0]["physicalLocation"];
            found.push((
                result["ruleId"].as_str().unwrap().to_string(),
                location["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                location["region"]["startLine"].as_u64().unwrap(),
            ));
        }
    }
    found
}

/// The number of fixes each summary line reports as applied, by file.
fn applied_counts(summary: &str) -> Vec<(String, usize)> {
    summary
        .lines()
        .map(|line| {
            let (file, rest) = line.split_once(": ").unwrap_or_else(|| panic!("not a summary line: {line}"));
            let count = rest.split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("no count: {line}"));
            (file.to_string(), count)
        })
        .collect()
}

#[test]
fn fixing_every_rule_fixture_leaves_no_safe_fix_and_a_second_run_changes_nothing() {
    let fixtures = all_rule_fixtures();
    assert!(fixtures.len() > 50, "found only {} fixtures", fixtures.len());
    let files: Vec<(&str, &[u8])> = fixtures.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
    let tree = TempTree::new("fixpoint", &files);
    assert!(!findings_with_fixes(&tree.0, &["."], true).is_empty(), "the fixtures offer safe fixes");

    let first = run_in(&tree.0, &["fix", "."]);
    assert_ne!(first.code, 2, "{}", first.stderr);
    assert_eq!(first.stderr, "");
    let counts = applied_counts(&first.stdout);
    assert_eq!(counts.len(), fixtures.len(), "one summary line per file:\n{}", first.stdout);
    assert!(counts.iter().filter(|(_, n)| *n > 0).count() >= 10, "{}", first.stdout);
    // Exactly the files whose summary reports fixes changed.
    let fixed = tree.snapshot();
    for ((name, before), (_, after)) in fixtures.iter().zip(&fixed) {
        let reported = counts.iter().find(|(file, _)| file == name).unwrap().1;
        assert_eq!(before != after, reported > 0, "{name}: {reported} fixes reported");
    }
    assert_eq!(findings_with_fixes(&tree.0, &["."], true), [], "safe fixes left after gantry fix");

    let second = run_in(&tree.0, &["fix", "."]);
    assert_eq!(second.code, first.code);
    assert!(applied_counts(&second.stdout).iter().all(|(_, n)| *n == 0), "{}", second.stdout);
    assert!(tree.snapshot() == fixed, "the second run changed files");
}

#[test]
fn fixing_every_rule_fixture_with_unsafe_leaves_no_fix_at_all() {
    let fixtures = all_rule_fixtures();
    let files: Vec<(&str, &[u8])> = fixtures.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
    let tree = TempTree::new("fixpoint-unsafe", &files);
    let first = run_in(&tree.0, &["fix", "--unsafe", "."]);
    assert_ne!(first.code, 2, "{}", first.stderr);
    assert!(!first.stdout.contains("left over"), "{}", first.stdout);
    let fixed = tree.snapshot();
    for safe in [true, false] {
        assert_eq!(findings_with_fixes(&tree.0, &["."], safe), [], "fixes left after gantry fix --unsafe");
    }
    let second = run_in(&tree.0, &["fix", "--unsafe", "."]);
    assert!(applied_counts(&second.stdout).iter().all(|(_, n)| *n == 0), "{}", second.stdout);
    assert!(tree.snapshot() == fixed, "the second run changed files");
}

#[test]
fn unsafe_applies_the_reviewed_fixes_too() {
    let codes = ["JSONArgsRecommended", "DL3020", "DL3027"];
    let fixtures: Vec<(String, Vec<u8>)> = codes.iter().map(|c| (format!("{c}.Dockerfile"), rule_fixture(c))).collect();
    let files: Vec<(&str, &[u8])> = fixtures.iter().map(|(name, bytes)| (name.as_str(), bytes.as_slice())).collect();
    let select = ["--select", "JSONArgsRecommended,DL3020,DL3027"];

    let safe_tree = TempTree::new("safe-only", &files);
    let safe = run_in(&safe_tree.0, &["fix", select[0], select[1], "."]);
    assert_eq!(safe.stderr, "");
    assert!(safe.stdout.contains("not applied (use --unsafe)"), "{}", safe.stdout);
    assert!(!findings_with_fixes(&safe_tree.0, &[select[0], select[1], "."], false).is_empty());

    let unsafe_tree = TempTree::new("unsafe", &files);
    let with_unsafe = run_in(&unsafe_tree.0, &["fix", "--unsafe", select[0], select[1], "."]);
    assert_eq!(with_unsafe.stderr, "");
    assert!(!with_unsafe.stdout.contains("--unsafe"), "{}", with_unsafe.stdout);
    let total = |summary: &str| applied_counts(summary).iter().map(|(_, n)| n).sum::<usize>();
    assert!(total(&with_unsafe.stdout) > total(&safe.stdout), "{}\n{}", safe.stdout, with_unsafe.stdout);
    for safe_flag in [true, false] {
        assert_eq!(findings_with_fixes(&unsafe_tree.0, &[select[0], select[1], "."], safe_flag), []);
    }
    let json_args = String::from_utf8(unsafe_tree.read("JSONArgsRecommended.Dockerfile")).unwrap();
    let before = String::from_utf8(rule_fixture("JSONArgsRecommended")).unwrap();
    assert_ne!(json_args, before);
}

#[test]
fn diff_shows_the_change_and_the_summary_goes_to_stderr() {
    let parts = ["FromAsCasing", "StageNameCasing", "DL3021", "JSONArgsRecommended"];
    let fixture = parts.map(rule_fixture).join(&b'\n');
    let tree = TempTree::new("diff", &[("build/Dockerfile", &fixture)]);
    let select = "FromAsCasing,StageNameCasing,DL3021,JSONArgsRecommended";
    let run = run_in(&tree.0, &["fix", "--diff", "--select", select, "build"]);
    assert_eq!(run.code, 1, "unfixed JSONArgsRecommended warnings remain: {}", run.stderr);
    assert_eq!(run.stderr, "build/Dockerfile: 6 fixes applied, 1 unsafe fix not applied (use --unsafe)\n");
    insta::assert_snapshot!("diff", run.stdout);
    assert_ne!(tree.read("build/Dockerfile"), fixture);

    let again = run_in(&tree.0, &["fix", "--diff", "--select", select, "build"]);
    assert_eq!(again.stdout, "", "nothing left to change");
    assert_eq!(again.stderr, "build/Dockerfile: 0 fixes applied, 1 unsafe fix not applied (use --unsafe)\n");
}

#[test]
fn dry_run_writes_nothing() {
    let fixture = rule_fixture("FromAsCasing");
    let tree = TempTree::new("dry-run", &[("Dockerfile", &fixture)]);
    let run = run_in(&tree.0, &["fix", "--dry-run", "--diff", "--select", "FromAsCasing", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("+FROM golang:1.23 AS build\n"), "{}", run.stdout);
    assert_eq!(run.stderr, "Dockerfile: 2 fixes to apply\n");
    assert_eq!(tree.snapshot(), [("Dockerfile".to_string(), fixture)]);
}

#[test]
fn crlf_line_endings_and_a_missing_final_newline_are_kept() {
    // GO401 inserts an `ARG TARGETOS` line; the casing rules rewrite the FROM line.
    let before = b"from golang:1.23 as build\r\nRUN GOOS=$TARGETOS go build -o /app .\r\nCMD [\"/app\"]";
    let tree = TempTree::new("crlf", &[("Dockerfile", before)]);
    let run = run_in(&tree.0, &["fix", "--select", "GO401,FromAsCasing,ConsistentInstructionCasing", "Dockerfile"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "Dockerfile: 3 fixes applied\n");
    let after = String::from_utf8(tree.read("Dockerfile")).unwrap();
    assert_eq!(
        after,
        "FROM golang:1.23 AS build\r\nARG TARGETOS\r\nRUN GOOS=$TARGETOS go build -o /app .\r\nCMD [\"/app\"]"
    );

    let lf = b"from alpine:3.20 as base\nCMD [\"/app\"]";
    tree.write("Dockerfile", lf);
    let run = run_in(&tree.0, &["fix", "--select", "FromAsCasing,ConsistentInstructionCasing", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(tree.read("Dockerfile"), b"FROM alpine:3.20 AS base\nCMD [\"/app\"]");
}

#[test]
fn files_with_syntax_errors_are_refused_and_left_untouched() {
    let broken = b"from alpine:3.20 as base\nCOPPY a b\nRUN apt update\n".as_slice();
    let fixable = rule_fixture("FromAsCasing");
    let tree = TempTree::new("refused", &[("bad/Dockerfile", broken), ("good/Dockerfile", &fixable)]);
    let run = run_in(&tree.0, &["fix", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "gantry: bad/Dockerfile: 1 syntax error; fix them first (gantry check bad/Dockerfile shows them)\n"
    );
    assert!(run.stdout.starts_with("good/Dockerfile: "), "{}", run.stdout);
    assert_eq!(tree.read("bad/Dockerfile"), broken);
    assert_ne!(tree.read("good/Dockerfile"), fixable, "the other file is still fixed");

    let run = run_in(&tree.0, &["fix", "--diff", "bad/Dockerfile"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(tree.read("bad/Dockerfile"), broken);
}

#[test]
fn a_configuration_mistake_refuses_every_file() {
    let fixable = rule_fixture("FromAsCasing");
    let tree = TempTree::new("config", &[("Dockerfile", &fixable), ("gantry.toml", b"ignroe = [\"DL3008\"]\n")]);
    let before = tree.snapshot();
    let run = run_in(&tree.0, &["fix", "."]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("gantry.toml:1:1: "), "{}", run.stderr);
    assert!(run.stderr.ends_with("gantry: nothing fixed: correct the configuration first\n"), "{}", run.stderr);
    assert!(tree.snapshot() == before);
}

#[test]
fn usage_and_read_errors() {
    let tree =
        TempTree::new("usage", &[("Dockerfile", b"FROM alpine:3.20\n"), ("latin1/Dockerfile", b"FROM a\n# \xff\n")]);
    assert_eq!(run_in(&tree.0, &["fix"]).code, 2, "a PATH is required");
    assert_eq!(run_in(&tree.0, &["fix", "--select", "DL9999", "."]).code, 2);
    let run = run_in(&tree.0, &["fix", "missing", "latin1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read missing: "), "{}", run.stderr);
    assert!(run.stderr.contains("cannot read latin1/Dockerfile: not valid UTF-8"), "{}", run.stderr);

    let help = run_in(&tree.0, &["fix", "--help"]);
    for needle in ["--unsafe", "--diff", "--dry-run", "--config", "Exit status", "syntax errors"] {
        assert!(help.stdout.contains(needle), "{needle} missing from:\n{}", help.stdout);
    }
}
