//! End-to-end tests of the `gantry` binary: output formats, rule selection, rule documentation,
//! exit statuses and file discovery; and the staleness check of the generated rule reference pages.
//!
//! Runs the real binary from `tests/fixtures/cli`, so that paths in the output are short and
//! stable. Discovery tests build their trees in a temporary directory outside any git repository,
//! which also proves that `.gitignore` is honoured without one. Snapshots of findings run with
//! `--select STABLE_RULES`, so that the rules other work adds do not change them (syntax errors
//! are always reported).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gantry"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("GANTRY_LOG");
    command
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = command(dir, args).output().expect("run gantry");
    Run {
        code: output.status.code().expect("gantry exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&fixtures(), args)
}

/// The rules the finding snapshots run: the first BuildKit checks, each with a quick fix.
const STABLE_RULES: &str = "FromAsCasing,JSONArgsRecommended,MaintainerDeprecated,StageNameCasing";

/// `gantry check --select STABLE_RULES` followed by `args`.
fn run_stable(args: &[&str]) -> Run {
    let mut all = vec!["check", "--select", STABLE_RULES];
    all.extend_from_slice(args);
    run(&all)
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str, files: &[(&str, &[u8])]) -> TempTree {
        let root = std::env::temp_dir().join(format!("gantry-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (path, contents) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        TempTree(root)
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The `file` fields of a JSON report, in output order.
fn reported_files(json: &str) -> Vec<String> {
    let findings: Vec<serde_json::Value> = serde_json::from_str(json).expect("valid JSON");
    let mut files: Vec<String> = findings.iter().map(|f| f["file"].as_str().unwrap().to_string()).collect();
    files.dedup();
    files
}

#[test]
fn human_output_shows_excerpts_and_a_summary() {
    let run = run_stable(&["--color", "never", "errors", "unicode"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("human_errors", run.stdout);
}

#[test]
fn json_output_lists_every_finding() {
    let run = run_stable(&["--format", "json", "errors", "clean"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout.lines().count(), 1, "compact JSON on one line");
    assert!(run.stdout.ends_with("]\n"));
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    insta::assert_json_snapshot!("json_errors", value);
}

#[test]
fn json_keys_are_ordered_and_columns_count_characters() {
    let run = run_stable(&["--format", "json", "unicode/Dockerfile"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Line 3 is `LABEL description="日本語 😀" COPPY`: `COPPY` is at character 27, byte 36.
    let first = r#"{"file":"unicode/Dockerfile","line":3,"column":27,"end_line":3,"end_column":32,"code":"syntax/missing-value","severity":"error","#;
    assert!(run.stdout.starts_with(&format!("[{first}")), "{}", run.stdout);
}

#[test]
fn a_clean_file_passes() {
    let run = run(&["check", "clean"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "no problems in 1 file\n", ""));
    let run = run_in(&fixtures(), &["check", "--format", "json", "clean"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

#[test]
fn fail_level_sets_the_threshold() {
    // Every syntax problem is an error, so every level fails on the `errors` fixture.
    for level in ["error", "warning", "info", "hint"] {
        assert_eq!(run(&["check", "--fail-level", level, "errors"]).code, 1, "{level}");
        assert_eq!(run(&["check", "--fail-level", level, "clean"]).code, 0, "{level}");
    }
    assert_eq!(run(&["check", "--fail-level", "fatal", "clean"]).code, 2);
}

#[test]
fn a_missing_path_is_an_error_after_the_other_findings() {
    let run = run(&["check", "--format", "json", "does-not-exist", "errors"]);
    assert_eq!(run.code, 2);
    assert_eq!(reported_files(&run.stdout), ["errors/Dockerfile"]);
    assert!(run.stderr.starts_with("gantry: cannot read does-not-exist: "), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_directory_without_dockerfiles_is_noted_but_passes() {
    let run = run(&["check", "empty"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "no Dockerfiles checked\n");
    assert_eq!(run.stderr, "gantry: no Dockerfiles found under empty\n");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&[][..], &["check", "--format", "xml"], &["check", "--bogus"], &["frobnicate"], &["rule"]] {
        let run = run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn version_and_help() {
    let run = run(&["--version"]);
    assert_eq!((run.code, run.stdout), (0, format!("gantry {}\n", env!("CARGO_PKG_VERSION"))));
    let help = run_in(&fixtures(), &["check", "--help"]);
    assert_eq!(help.code, 0);
    for needle in [
        "--fail-level",
        "--format",
        "sarif",
        "checkstyle",
        "--select",
        "--ignore",
        "Containerfile",
        ".gitignore",
        "Exit status",
    ] {
        assert!(help.stdout.contains(needle), "{needle} missing from:\n{}", help.stdout);
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let escape = "\x1b[";
    assert!(run(&["check", "--color", "always", "errors"]).stdout.contains(escape));
    assert!(!run(&["check", "--color", "never", "errors"]).stdout.contains(escape));
    // Under test stdout is a pipe, so `auto` does not colour.
    assert!(!run(&["check", "errors"]).stdout.contains(escape));
}

#[test]
fn logs_go_to_stderr_only() {
    let output = command(&fixtures(), &["check", "clean"]).env("GANTRY_LOG", "debug").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no problems in 1 file\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("DEBUG"));
}

const BAD: &[u8] = b"FROM alpine:3.20\nCOPPY a b\n";

#[test]
fn directories_are_walked_for_dockerfile_names() {
    let tree = TempTree::new(
        "discovery",
        &[
            ("Dockerfile.prod", BAD),
            ("api.Dockerfile", BAD),
            ("Containerfile", BAD),
            ("sub/web.dockerfile", BAD),
            ("sub/dockerfile", BAD),
            ("deploy/worker.containerfile", BAD),
            (".docker/Dockerfile", BAD),
            ("ignored/Dockerfile", BAD),
            (".gitignore", b"ignored/\n"),
            (".git/Dockerfile", BAD),
            ("Dockerfile.dockerignore", BAD),
            ("notes.md", BAD),
            ("Dockerfile.md.txt/README", BAD),
        ],
    );
    let run = run_in(&tree.0, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = [
        ".docker/Dockerfile",
        "Containerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "deploy/worker.containerfile",
        "sub/dockerfile",
        "sub/web.dockerfile",
    ];
    assert_eq!(reported_files(&run.stdout), expected);

    // Files named on the command line are checked whatever their name, ignored or not.
    let run = run_in(&tree.0, &["check", "--format", "json", "notes.md", "ignored/Dockerfile", "notes.md"]);
    assert_eq!(reported_files(&run.stdout), ["ignored/Dockerfile", "notes.md"]);
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let tree = TempTree::new("utf8", &[("bad/Dockerfile", b"FROM alpine\n# \xff\n"), ("good/Dockerfile", BAD)]);
    let run = run_in(&tree.0, &["check", "--color", "never", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "gantry: cannot read bad/Dockerfile: not valid UTF-8\n");
    assert!(run.stdout.ends_with("1 error in 1 file\n"), "{}", run.stdout);
}

#[test]
fn lsp_accepts_stdio_and_stops_at_end_of_input() {
    let mut child = command(&fixtures(), &["lsp", "--stdio"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`gantry lsp --stdio` did not exit when stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Machine-readable formats: SARIF, GitHub workflow commands, checkstyle.

/// Parses SARIF output and blanks what depends on the machine or on other rules' documentation:
/// the absolute `%SRCROOT%`, and the descriptions and help of rules (checked against the registry
/// here instead, so that editing a rule's docs does not touch this snapshot).
fn stable_sarif(stdout: &str) -> serde_json::Value {
    let mut sarif: serde_json::Value = serde_json::from_str(stdout).expect("SARIF is JSON");
    let run = &mut sarif["runs"][0];
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("%SRCROOT% is defined").to_string();
    assert!(root.starts_with("file:///") && root.ends_with("/tests/fixtures/cli/"), "{root}");
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///…/tests/fixtures/cli/".into();
    for rule in run["tool"]["driver"]["rules"].as_array_mut().expect("rules") {
        let id = rule["id"].as_str().unwrap().to_string();
        let Some(registered) = gantry_ls::rules::find(&id) else { continue };
        assert_eq!(rule["help"]["markdown"], registered.docs, "{id}");
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        let short = rule["shortDescription"]["text"].as_str().unwrap();
        assert!(!short.is_empty() && full.starts_with(short), "{id}: {short:?} / {full:?}");
        assert!(
            registered
                .docs
                .split_whitespace()
                .collect::<String>()
                .contains(&full.split_whitespace().collect::<String>())
        );
        for key in ["help", "fullDescription", "shortDescription"] {
            rule[key] = format!("<from the docs of {id}>").into();
        }
    }
    sarif
}

#[test]
fn sarif_output() {
    let run = run_stable(&["--format", "sarif", "findings", "clean"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_json_snapshot!("sarif_findings", stable_sarif(&run.stdout));
}

#[test]
fn sarif_columns_count_utf16_code_units() {
    // Line 5 is `LABEL description="日本語 😀" COPPY`: `COPPY` starts at character 27 (1-based),
    // but the emoji is two UTF-16 code units, so SARIF's column is 28.
    let run = run_stable(&["--format", "sarif", "findings"]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["columnKind"], "utf16CodeUnits");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let label = results.iter().find(|r| r["ruleId"] == "syntax/missing-value").expect("the LABEL finding");
    let region = &label["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(5), Some(28)));
    assert_eq!(region["endColumn"].as_u64(), Some(33));
    // The JSON output counts characters for the same finding.
    let json = run_stable(&["--format", "json", "findings"]);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    let label = findings.iter().find(|f| f["code"] == "syntax/missing-value").unwrap();
    assert_eq!((label["column"].as_u64(), label["end_column"].as_u64()), (Some(27), Some(32)));
}

/// The vendored SARIF 2.1.0 schema, with the one pattern that strict regex engines reject replaced
/// by what it means (see tests/fixtures/cli/sarif-schema/README.md).
fn sarif_schema() -> serde_json::Value {
    const BROKEN_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    const MEANT: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";
    let path = fixtures().join("sarif-schema/sarif-schema-2.1.0.json");
    let text = fs::read_to_string(path).expect("vendored schema");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    fn patch(value: &mut serde_json::Value, count: &mut usize) {
        match value {
            serde_json::Value::Object(map) => {
                if map.get("pattern").and_then(|p| p.as_str()) == Some(BROKEN_PATTERN) {
                    map.insert("pattern".into(), MEANT.into());
                    *count += 1;
                }
                map.values_mut().for_each(|v| patch(v, count));
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| patch(v, count)),
            _ => {}
        }
    }
    let mut patched = 0;
    patch(&mut schema, &mut patched);
    assert!(patched > 0, "the schema no longer has the broken pattern: drop this patch");
    schema
}

/// The structural checks that matter to consumers, stated explicitly (the schema leaves many of
/// them optional or cannot express them, such as `ruleIndex` pointing at the right rule).
fn assert_sarif_basics(sarif: &serde_json::Value) {
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| s.ends_with("sarif-schema-2.1.0.json")));
    for run in sarif["runs"].as_array().expect("runs") {
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "gantry");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().expect("rules");
        for rule in rules {
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap_or("warning");
            assert!(["error", "warning", "note", "none"].contains(&level), "{rule}");
            if let Some(uri) = rule["helpUri"].as_str() {
                assert!(uri.starts_with("https://github.com/gantry-ls/gantry/blob/main/docs/rules/"), "{uri}");
            }
        }
        for result in run["results"].as_array().expect("results") {
            assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{result}");
            let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
            assert!(["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()));
            for location in result["locations"].as_array().expect("locations") {
                let physical = &location["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
                assert!(!uri.is_empty() && !uri.starts_with('/') && !uri.contains('\\'), "{uri}");
                assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
                let region = &physical["region"];
                for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                    assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key} in {region}");
                }
                let start = (region["startLine"].as_u64(), region["startColumn"].as_u64());
                let end = (region["endLine"].as_u64(), region["endColumn"].as_u64());
                assert!(start <= end, "{region}");
            }
        }
    }
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let validator = jsonschema::draft7::new(&sarif_schema()).expect("the schema compiles");
    // All rules (not only the stable ones), clean and broken files, and a finding-free run.
    for args in [&["check", "--format", "sarif", "."][..], &["check", "--format", "sarif", "clean"]] {
        let run = run(args);
        let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
        let errors: Vec<String> =
            validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{args:?}: invalid SARIF:\n{}", errors.join("\n"));
        assert_sarif_basics(&sarif);
    }
    // The validator does reject what it should: a zero line and an unknown level.
    let mut broken: serde_json::Value =
        serde_json::from_str(&run(&["check", "--format", "sarif", "findings"]).stdout).unwrap();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    assert!(!validator.is_valid(&broken));
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 1.into();
    assert!(validator.is_valid(&broken));
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_carries_fixes_as_replacements() {
    let run = run_stable(&["--format", "sarif", "findings"]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let maintainer = results.iter().find(|r| r["ruleId"] == "MaintainerDeprecated").expect("MAINTAINER finding");
    let fix = &maintainer["fixes"][0];
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "findings/Dockerfile");
    let replacement = &change["replacements"][0];
    // `MAINTAINER José 😀 <jose@example.com>` is 36 characters and 37 UTF-16 code units.
    let deleted = &replacement["deletedRegion"];
    assert_eq!((deleted["startColumn"].as_u64(), deleted["endColumn"].as_u64()), (Some(1), Some(38)));
    assert!(replacement["insertedContent"]["text"].as_str().unwrap().starts_with("LABEL "));
    assert!(fix["description"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(
        results
            .iter()
            .filter(|r| r["ruleId"].as_str().unwrap().starts_with("syntax/"))
            .all(|r| r.get("fixes").is_none())
    );
}

#[test]
fn github_output() {
    let run = run_stable(&["--format", "github", "findings", "errors", "clean"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("github_findings", run.stdout);
}

#[test]
fn checkstyle_output() {
    let run = run_stable(&["--format", "checkstyle", "findings", "errors", "clean"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("checkstyle_findings", run.stdout);
}

#[test]
fn clean_runs_in_every_format() {
    for (format, expected) in [
        ("json", "[]\n"),
        ("github", ""),
        (
            "checkstyle",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n  <file name=\"clean/Dockerfile\"/>\n</checkstyle>\n",
        ),
    ] {
        let run = run(&["check", "--format", format, "clean"]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, expected, ""), "{format}");
    }
    let sarif: serde_json::Value = serde_json::from_str(&run(&["check", "--format", "sarif", "clean"]).stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"], serde_json::json!([]));
}

/// Paths and messages with the characters each format must escape.
#[test]
fn awkward_characters_are_escaped() {
    let text = b"FROM alpine:3.20\n<FOO>&\"x' a\nR%UN:a,b echo\nBELL\x07 x\n";
    let tree = TempTree::new("escaping", &[("a,b:c%d/Dockerfile", text)]);
    let github = run_in(&tree.0, &["check", "--format", "github", "--select", STABLE_RULES]);
    let expected = "\
::error file=a%2Cb%3Ac%25d/Dockerfile,line=2,col=1,endLine=2,endColumn=10,title=syntax/unknown-instruction::unknown instruction `<FOO>&\"x'`
::error file=a%2Cb%3Ac%25d/Dockerfile,line=3,col=1,endLine=3,endColumn=9,title=syntax/unknown-instruction::unknown instruction `R%25UN:a,b`
::error file=a%2Cb%3Ac%25d/Dockerfile,line=4,col=1,endLine=4,endColumn=6,title=syntax/unknown-instruction::unknown instruction `BELL\x07`
";
    assert_eq!(github.stdout, expected);

    let checkstyle = run_in(&tree.0, &["check", "--format", "checkstyle", "--select", STABLE_RULES]);
    assert!(checkstyle.stdout.contains("<file name=\"a,b:c%d/Dockerfile\">"), "{}", checkstyle.stdout);
    assert!(checkstyle.stdout.contains("message=\"unknown instruction `&lt;FOO&gt;&amp;&quot;x&apos;`\""));
    // XML 1.0 cannot carry U+0007 at all, not even as a reference.
    assert!(checkstyle.stdout.contains("message=\"unknown instruction `BELL\u{FFFD}`\""), "{}", checkstyle.stdout);

    let sarif = run_in(&tree.0, &["check", "--format", "sarif", "--select", STABLE_RULES]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "a%2Cb%3Ac%25d/Dockerfile");
}

#[test]
fn github_omits_columns_for_findings_across_lines() {
    // The shell-form command runs over a line continuation.
    let tree = TempTree::new("github-lines", &[("Dockerfile", b"FROM alpine:3.20\nCMD /app \\\n  serve\n")]);
    let run = run_in(&tree.0, &["check", "--format", "github", "--select", STABLE_RULES]);
    let expected = "::warning file=Dockerfile,line=2,endLine=3,title=JSONArgsRecommended::CMD in shell form";
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Rule selection.

fn codes(json: &str) -> Vec<String> {
    let findings: Vec<serde_json::Value> = serde_json::from_str(json).expect("valid JSON");
    findings.iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let only = run(&["check", "--format", "json", "--select", "stagenamecasing", "findings"]);
    assert_eq!(codes(&only.stdout), ["StageNameCasing", "syntax/missing-value"]);
    // Comma-separated and repeated flags add up.
    let ignored = run(&[
        "check",
        "--format",
        "json",
        "--select",
        STABLE_RULES,
        "--ignore",
        "StageNameCasing,FromAsCasing",
        "--ignore",
        "syntax/missing-value",
        "findings",
    ]);
    assert_eq!(codes(&ignored.stdout), ["MaintainerDeprecated", "JSONArgsRecommended"]);
    let repeated =
        run(&["check", "--format", "json", "--select", "FromAsCasing", "--select", "StageNameCasing,", "findings"]);
    assert_eq!(codes(&repeated.stdout), ["FromAsCasing", "StageNameCasing", "syntax/missing-value"]);
}

#[test]
fn an_unknown_rule_code_is_a_usage_error_with_a_suggestion() {
    let run = run(&["check", "--select", "StageNameCasin", "clean"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "gantry: unknown rule `StageNameCasin` (did you mean `StageNameCasing`?)\n");
    let ignored = run_in(&fixtures(), &["check", "--ignore", "FromAsCasing,nothing-like-this", "clean"]);
    assert_eq!(ignored.code, 2);
    assert_eq!(ignored.stderr, "gantry: unknown rule `nothing-like-this` (`gantry rules` lists them all)\n");
    if gantry_ls::rules::find("DL3008").is_some() {
        let typo = run_in(&fixtures(), &["check", "--select", "DL3008x", "clean"]);
        assert_eq!((typo.code, typo.stderr.as_str()), (2, "gantry: unknown rule `DL3008x` (did you mean `DL3008`?)\n"));
    }
}

// ---------------------------------------------------------------------------------------------
// `gantry rule` and `gantry rules`.

#[test]
fn rule_prints_the_documentation_whatever_the_case() {
    let rule = gantry_ls::rules::find("StageNameCasing").expect("registered");
    let expected = format!(
        "StageNameCasing ({})\nDefault severity: {}, on by default\n\
         Reference: https://github.com/gantry-ls/gantry/blob/main/docs/rules/StageNameCasing.md\n\n{}\n",
        rule.name,
        rule.default_severity,
        rule.docs.trim_end()
    );
    for spelling in ["StageNameCasing", "stagenamecasing", "STAGENAMECASING"] {
        let run = run(&["rule", spelling]);
        assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, expected.as_str(), ""), "{spelling}");
    }
}

#[test]
fn rule_explains_syntax_errors_and_rejects_unknown_codes() {
    let run = run(&["rule", "SYNTAX/Unknown-Instruction"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("rule_syntax_unknown_instruction", run.stdout);

    let unknown = run_in(&fixtures(), &["rule", "FromAsCasin"]);
    assert_eq!((unknown.code, unknown.stdout.as_str()), (2, ""));
    assert_eq!(unknown.stderr, "gantry: unknown rule `FromAsCasin` (did you mean `FromAsCasing`?)\n");
}

#[test]
fn rules_lists_every_registered_rule() {
    let all = gantry_ls::rules::ALL.iter();
    let table = run(&["rules"]);
    assert_eq!((table.code, table.stderr.as_str()), (0, ""));
    let mut lines = table.stdout.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("CODE") && header.contains("NAME") && header.contains("SEVERITY"), "{header}");
    for (line, rule) in lines.by_ref().zip(all.clone()) {
        let columns: Vec<&str> = line.split_whitespace().collect();
        let default = if rule.default_enabled { "on" } else { "off" };
        assert_eq!(columns, [rule.code, rule.name, rule.default_severity.as_str(), default]);
    }
    assert!(
        table.stdout.ends_with(&format!("\n{} rules. `gantry rule CODE` shows one rule's documentation.\n", all.len()))
    );

    let json = run(&["rules", "--format", "json"]);
    assert_eq!(json.code, 0);
    let listed: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(listed.len(), all.len());
    for (entry, rule) in listed.iter().zip(all) {
        assert_eq!(entry["code"], rule.code);
        assert_eq!(entry["name"], rule.name);
        assert_eq!(entry["default_severity"], rule.default_severity.as_str());
        assert_eq!(entry["default_enabled"], rule.default_enabled);
        assert_eq!(entry["help_uri"].as_str(), gantry_ls::rules::help_uri(rule.code).as_deref());
    }
}

// ---------------------------------------------------------------------------------------------
// Generated rule reference pages.

/// `docs/rules` must hold exactly the generated pages. With `GANTRY_UPDATE_DOCS=1` (or
/// `INSTA_UPDATE=always`, as when updating snapshots) the pages are rewritten instead.
#[test]
fn reference_pages_are_up_to_date() {
    use gantry_ls::cli::docs::{UPDATE_COMMAND, reference_pages};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var("GANTRY_UPDATE_DOCS").is_ok_and(|v| v == "1")
        || std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always");
    let pages = reference_pages();
    let existing: Vec<String> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    let extra: Vec<&String> = existing.iter().filter(|name| !pages.iter().any(|(page, _)| page == *name)).collect();
    if update {
        fs::create_dir_all(&dir).unwrap();
        for (name, text) in &pages {
            if fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
                fs::write(dir.join(name), text).unwrap();
            }
        }
        for name in extra {
            fs::remove_file(dir.join(name)).unwrap();
        }
        return;
    }
    let mut stale: Vec<String> = pages
        .iter()
        .filter(|(name, text)| fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()))
        .map(|(name, _)| format!("docs/rules/{name} (missing or out of date)"))
        .collect();
    stale.extend(extra.iter().map(|name| format!("docs/rules/{name} (no such rule)")));
    assert!(
        stale.is_empty(),
        "the rule reference pages are stale; regenerate them with `{UPDATE_COMMAND}` and commit docs/rules:\n{}",
        stale.join("\n")
    );
}

#[test]
fn configuration_files_are_found_above_each_dockerfile_and_flags_win() {
    let tree = TempTree::new(
        "config",
        &[
            ("gantry.toml", b"ignore = [\"StageNameCasing\"]\n[severity]\nFromAsCasing = \"error\"\n"),
            ("app/Dockerfile", b"FROM alpine:3.20 as Builder\n"),
            ("other/.hadolint.yaml", b"ignored: [FromAsCasing]\n"),
            ("other/Dockerfile", b"FROM alpine:3.20 as Builder\n"),
        ],
    );
    let json = run_in(&tree.0, &["check", "--format", "json", "--select", STABLE_RULES, "app", "other"]);
    let found: Vec<(String, String, String)> = serde_json::from_str::<serde_json::Value>(&json.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["code"].as_str().unwrap().into(),
                f["severity"].as_str().unwrap().into(),
            )
        })
        .collect();
    // app: gantry.toml drops StageNameCasing and raises FromAsCasing. other: .hadolint.yaml drops
    // FromAsCasing and gantry.toml (above it) drops StageNameCasing.
    assert_eq!(found, [("app/Dockerfile".into(), "FromAsCasing".into(), "error".into())], "{}", json.stderr);

    // The flags are the last layer: --ignore wins over the file's severity.
    let flagged = run_in(&tree.0, &["check", "--format", "json", "--ignore", "FromAsCasing", "app"]);
    assert!(!flagged.stdout.contains("FromAsCasing"), "{}", flagged.stdout);

    // --config replaces discovery.
    fs::write(tree.0.join("strict.toml"), "select = [\"StageNameCasing\"]\nfail-level = \"error\"\n").unwrap();
    let explicit = run_in(&tree.0, &["check", "--format", "json", "--config", "strict.toml", "app"]);
    assert!(
        explicit.stdout.contains("StageNameCasing") && !explicit.stdout.contains("FromAsCasing"),
        "{}",
        explicit.stdout
    );
    // StageNameCasing is a warning and the file's fail-level is error: the run passes.
    assert_eq!(explicit.code, 0, "{}", explicit.stderr);
}

#[test]
fn a_mistake_in_a_configuration_file_is_an_error_with_its_place() {
    let tree = TempTree::new(
        "bad-config",
        &[("gantry.toml", b"ignore = [\"StageNameCasin\"]\n"), ("Dockerfile", b"FROM alpine:3.20\n")],
    );
    let run = run_in(&tree.0, &["check", "Dockerfile"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("gantry.toml:1:11: unknown rule `StageNameCasin` (did you mean `StageNameCasing`?)"),
        "{}",
        run.stderr
    );
    let missing = run_in(&tree.0, &["check", "--config", "nope.toml", "Dockerfile"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read the configuration file nope.toml"), "{}", missing.stderr);
}

#[test]
fn go_rules_see_the_module_next_to_the_dockerfile() {
    let tree = TempTree::new(
        "go",
        &[
            ("go.mod", b"module example.com/app\n\ngo 1.23\n"),
            ("main.go", b"package main\n\nfunc main() {}\n"),
            ("Dockerfile", b"FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"),
        ],
    );
    let run = run_in(&tree.0, &["check", "--format", "json", "--select", "GO101", "Dockerfile"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("\"code\":\"GO101\"") && run.stdout.contains("go >= 1.23"), "{}", run.stdout);
}

#[test]
fn a_build_context_set_in_gantry_toml_is_used_by_the_go_rules() {
    // Guessed, the context of deploy/Dockerfile is the module root, which has no go.sum: copying it
    // fails. gantry.toml says the context is deploy/ (`docker build deploy`), which has one.
    let tree = TempTree::new(
        "context",
        &[
            ("go.mod", b"module example.com/app\n\ngo 1.23\n"),
            ("main.go", b"package main\n\nfunc main() {}\n"),
            ("deploy/go.sum", b""),
            ("deploy/Dockerfile", b"FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n"),
        ],
    );
    let guessed = run_in(&tree.0, &["check", "--format", "json", "--select", "GO104", "deploy/Dockerfile"]);
    assert!(guessed.stdout.contains("\"code\":\"GO104\""), "{}", guessed.stdout);
    fs::write(tree.0.join("gantry.toml"), "[context]\n\"deploy/Dockerfile\" = \"deploy\"\n").unwrap();
    let configured = run_in(&tree.0, &["check", "--format", "json", "--select", "GO104", "deploy/Dockerfile"]);
    assert_eq!(configured.stdout.trim(), "[]", "{}", configured.stderr);
}
