//! "Convert to multi-stage build" on whole workspaces: `tests/fixtures/convert/<case>/` holds a
//! single-stage Dockerfile and the Go module around it. Each conversion is snapshotted (notes and
//! the new Dockerfile) and checked: it parses, draws no warning or error from gantry's rules with
//! the same workspace facts, keeps every runtime instruction and every comment of the input. A
//! seeded generator then checks the same properties on a few hundred random single-stage files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::ide::{Conversion, ConvertError, ConvertOptions, RuntimeFlavor, conversions};
use gantry_ls::rules::{self, Config, GoFacts, Severity};
use gantry_ls::syntax::{self, Command, InstructionKind, Parse};
use gantry_ls::workspace::Workspace;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/fixtures/convert")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("Dockerfile").is_file())
        .collect();
    cases.sort();
    cases
}

fn facts_for(case: &Path) -> GoFacts {
    let workspace = Arc::new(Workspace::open(case).expect("open the fixture workspace"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

/// Every property a conversion must have; returns the problems found.
fn problems(input: &Parse, conversion: &Conversion, go: Option<&GoFacts>) -> Vec<String> {
    let mut found = Vec::new();
    let output = syntax::parse(&conversion.text);
    for error in output.errors() {
        found.push(format!("syntax error: {} at {:?}", error.message, error.range));
    }
    for diagnostic in rules::check_with_facts(&output, &Config::default(), go) {
        if diagnostic.severity <= Severity::Warning {
            let at = conversion.text.get(diagnostic.range.as_range()).unwrap_or("?");
            found.push(format!("{} {}: {} (at `{at}`)", diagnostic.severity, diagnostic.code, diagnostic.message));
        }
    }
    let text = input.text();
    let out = &conversion.text;
    let dockerfile = input.dockerfile();
    for instruction in &dockerfile.instructions {
        let source = text.get(instruction.range.as_range()).unwrap_or_default().trim_end();
        match &instruction.kind {
            InstructionKind::Expose(_)
            | InstructionKind::Label(_)
            | InstructionKind::Volume(_)
            | InstructionKind::Stopsignal(_) => {
                if !out.contains(source) {
                    found.push(format!("lost `{source}`"));
                }
            }
            InstructionKind::Env(pairs) => {
                for pair in pairs {
                    let value = pair.value.as_deref().unwrap_or_default();
                    let kept = out.lines().any(|line| {
                        line.starts_with("ENV") && line.contains(&format!("{}=", pair.key)) && line.contains(value)
                    });
                    let set_on_build = matches!(pair.key.as_str(), "CGO_ENABLED" | "GOOS" | "GOARCH");
                    if !kept && !set_on_build {
                        found.push(format!("lost ENV {}={value}", pair.key));
                    }
                }
            }
            InstructionKind::User(Some(word)) => {
                if !out.contains(&format!("USER {}", word.value)) && !out.contains("USER 65532:65532") {
                    found.push(format!("lost `{source}`"));
                }
            }
            InstructionKind::Healthcheck(check) => {
                let words: Vec<String> = match &check.cmd {
                    Some((_, Command::Exec { args, .. })) => args.iter().skip(1).map(|w| w.value.clone()).collect(),
                    Some((_, Command::Shell { text, .. })) => {
                        text.split_whitespace().skip(1).take_while(|w| *w != "||").map(str::to_string).collect()
                    }
                    _ => Vec::new(),
                };
                let line = out.lines().find(|l| l.starts_with("HEALTHCHECK"));
                match line {
                    Some(line) if words.iter().all(|w| line.contains(w.trim_matches(['"', '\'']))) => {}
                    _ => found.push(format!("lost `{source}`")),
                }
                for flag in &instruction.flags {
                    let flag_text = text.get(flag.range.as_range()).unwrap_or_default();
                    if !line.is_some_and(|l| l.contains(flag_text)) {
                        found.push(format!("lost HEALTHCHECK flag `{flag_text}`"));
                    }
                }
            }
            InstructionKind::Workdir(_) => {}
            _ => {}
        }
    }
    // The last WORKDIR's directory is the runtime stage's.
    let build = gantry_ls::build::Build::simulate(input);
    if let Some(stage) = build.stages.first()
        && dockerfile.instructions.iter().any(|i| matches!(i.kind, InstructionKind::Workdir(_)))
    {
        let workdir = stage.workdir_at(usize::MAX);
        if !out.lines().any(|l| l == format!("WORKDIR {workdir}")) {
            found.push(format!("lost WORKDIR {workdir}"));
        }
    }
    let directive = |range: syntax::TextRange| dockerfile.directives.iter().any(|d| d.range.start == range.start);
    let output_lines: Vec<&str> = out.lines().map(str::trim).collect();
    for comment in dockerfile.comments.iter().filter(|c| !directive(**c)) {
        let line = text.get(comment.as_range()).unwrap_or_default().trim();
        if !output_lines.contains(&line) {
            found.push(format!("lost comment `{line}`"));
        }
    }
    found
}

fn render(conversions: &[Conversion]) -> String {
    let mut out = String::new();
    for conversion in conversions {
        out += &format!("=== {} [{} on {:?}]\n", conversion.title, conversion.package, conversion.runtime);
        for note in &conversion.notes {
            out += &format!("note: {note}\n");
        }
        out += "---\n";
        out += &conversion.text;
        out += "\n";
    }
    out
}

#[test]
fn fixtures() {
    let cases = cases();
    let count = cases.len();
    let mut failures = Vec::new();
    let mut inputs_with_warnings = 0;
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let text = fs::read_to_string(case.join("Dockerfile")).expect("the case's Dockerfile");
        let parse = syntax::parse(&text);
        assert!(parse.errors().is_empty(), "{name}: the input has syntax errors {:?}", parse.errors());
        let go = facts_for(&case);
        // The checks can fail: the single-stage input itself draws warnings (the toolchain shipped
        // at run time, root user, …).
        let as_is = Conversion {
            title: String::new(),
            package: String::new(),
            runtime: RuntimeFlavor::Distroless,
            text: text.clone(),
            notes: Vec::new(),
        };
        if !problems(&parse, &as_is, Some(&go)).is_empty() {
            inputs_with_warnings += 1;
        }
        let found = match conversions(&parse, Some(&go), &ConvertOptions::default()) {
            Ok(found) => found,
            Err(error) => panic!("{name}: {error}"),
        };
        let mut all = found.clone();
        // The Alpine flavour is only offered on request (or for an Alpine cgo build): check it too.
        if let Ok(alpine) =
            conversions(&parse, Some(&go), &ConvertOptions { runtime: Some(RuntimeFlavor::Alpine), package: None })
            && !found.iter().any(|c| c.runtime == RuntimeFlavor::Alpine)
        {
            all.extend(alpine);
        }
        for conversion in &all {
            for problem in problems(&parse, conversion, Some(&go)) {
                failures.push(format!("{name} / {}: {problem}", conversion.title));
            }
        }
        insta::assert_snapshot!(name.clone(), render(&all));
    }
    assert!(failures.is_empty(), "conversion problems:\n{}", failures.join("\n"));
    assert!(count >= 10, "expected at least ten conversion fixtures, found {count}");
    assert!(inputs_with_warnings * 2 > count, "only {inputs_with_warnings} of {count} inputs draw a warning");
}

#[test]
fn refusals_say_what_to_do() {
    let multi =
        syntax::parse("FROM golang:1.25 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n");
    let error = conversions(&multi, None, &ConvertOptions::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot convert to a multi-stage build: the Dockerfile already has 2 stages; only a single-stage build is converted"
    );
    let broken = syntax::parse("FROM golang:1.25\nEXPOSED 8080\n");
    assert_eq!(conversions(&broken, None, &ConvertOptions::default()), Err(ConvertError::SyntaxErrors { count: 1 }));
    assert_eq!(
        ConvertError::SyntaxErrors { count: 1 }.to_string(),
        "the Dockerfile has 1 syntax error: fix it first, then convert"
    );
    let not_go = syntax::parse("FROM alpine:3.22\nCMD [\"sh\"]\n");
    assert!(matches!(conversions(&not_go, None, &ConvertOptions::default()), Err(ConvertError::NotConvertible(_))));
}
