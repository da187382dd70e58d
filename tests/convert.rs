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
            | InstructionKind::Stopsignal(_)
                if !out.contains(source) =>
            {
                found.push(format!("lost `{source}`"));
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
            InstructionKind::User(Some(word))
                if !out.contains(&format!("USER {}", word.value)) && !out.contains("USER 65532:65532") =>
            {
                found.push(format!("lost `{source}`"));
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

/// A random single-stage Go Dockerfile for the `runtime-config` workspace, built from pieces that
/// are each valid: comments anywhere, a chosen golang tag, module files or not, runtime
/// instructions in any order, and one of the ways the program is started.
fn generated_dockerfile(rng: &mut fastrand::Rng) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut comment_count = 0;
    let mut comment = |rng: &mut fastrand::Rng, lines: &mut Vec<String>| {
        if rng.u8(0..3) == 0 {
            comment_count += 1;
            lines
                .push(format!("# note {comment_count}: {}", ["why", "what", "keep this", "see docs"][rng.usize(0..4)]));
        }
    };
    let escape = if rng.u8(0..4) == 0 { '`' } else { '\\' };
    match rng.u8(0..3) {
        0 => lines.push("# syntax=docker/dockerfile:1".into()),
        1 if escape == '`' => lines.push("# escape=`".into()),
        _ => {}
    }
    if escape == '`' && !lines.iter().any(|l| l.starts_with("# escape")) {
        lines.push("# escape=`".into());
    }
    lines.push(String::new());
    comment(rng, &mut lines);
    if rng.bool() {
        lines.push("ARG APP_VERSION=1.0.0".into());
    }
    comment(rng, &mut lines);
    let tag = ["1.25", "1.25-alpine", "1.25-bookworm", "1.24", "1.24-alpine", "1.23"][rng.usize(0..6)];
    lines.push(format!("FROM golang:{tag}"));
    let workdir = ["/app", "/src", "/srv/shop", "/go/src/shop"][rng.usize(0..4)];
    comment(rng, &mut lines);
    lines.push(format!("WORKDIR {workdir}"));
    if rng.bool() {
        lines.push("ARG BUILD_DATE=unknown".into());
    }
    let mut runtime: Vec<String> = vec![
        "ENV PORT=8080".into(),
        "ENV APP_ENV=production LOG_LEVEL=info".into(),
        "LABEL org.opencontainers.image.title=\"shop\"".into(),
        "EXPOSE 8080".into(),
        "EXPOSE 9090/udp".into(),
        format!("VOLUME {workdir}/data"),
        "STOPSIGNAL SIGINT".into(),
        "ENV GOFLAGS=-mod=readonly".into(),
        "ENV GOPROXY=https://proxy.golang.org,direct GREETING=hello".into(),
        format!(
            "LABEL org.opencontainers.image.description=\"a shop\" {escape}\n      org.opencontainers.image.licenses=MIT"
        ),
    ];
    if lines.iter().any(|l| l.starts_with("ARG BUILD_DATE")) {
        runtime.push("LABEL org.opencontainers.image.created=$BUILD_DATE".into());
    }
    rng.shuffle(&mut runtime);
    runtime.truncate(rng.usize(0..=runtime.len()));
    let module_first = rng.bool();
    if module_first {
        comment(rng, &mut lines);
        lines.push("COPY go.mod go.sum ./".into());
        comment(rng, &mut lines);
        lines.push("RUN go mod download".into());
    }
    for instruction in runtime.drain(..runtime.len() / 2) {
        comment(rng, &mut lines);
        lines.push(instruction);
    }
    comment(rng, &mut lines);
    lines.push("COPY . .".into());
    let built = rng.bool();
    if built {
        let output = ["shop", "/usr/local/bin/shop", "bin/shop"][rng.usize(0..3)];
        let flags = ["", "-v ", "-ldflags \"-X main.version=1.2.3\" ", "-tags netgo ", "-trimpath "][rng.usize(0..5)];
        comment(rng, &mut lines);
        lines.push(format!("RUN go build {flags}-o {output} ."));
    }
    for instruction in runtime {
        comment(rng, &mut lines);
        lines.push(instruction);
    }
    match rng.u8(0..4) {
        0 => {}
        1 => lines.push("HEALTHCHECK --interval=10s CMD wget -q -O- http://localhost:8080/healthz || exit 1".into()),
        2 => lines.push("HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost:8080/healthz\"]".into()),
        _ => lines.push("HEALTHCHECK NONE".into()),
    }
    match rng.u8(0..4) {
        0 => {}
        1 => lines.push("USER 10001:10001".into()),
        2 => lines.push("USER nobody".into()),
        _ => lines.push("USER 1000".into()),
    }
    comment(rng, &mut lines);
    let start = match (built, rng.u8(0..4)) {
        (false, 0) => "CMD [\"go\", \"run\", \".\"]".to_string(),
        (false, 1) => "CMD go run . --port 8080".to_string(),
        (false, 2) => "ENTRYPOINT [\"go\", \"run\", \"main.go\"]".to_string(),
        (false, _) => "CMD [\"sh\", \"-c\", \"go run . --port 8080\"]".to_string(),
        (true, 0) => "CMD [\"./shop\"]".to_string(),
        (true, 1) => "ENTRYPOINT [\"shop\"]\nCMD [\"--port\", \"8080\"]".to_string(),
        (true, 2) => "CMD [\"shop\", \"--verbose\"]".to_string(),
        (true, _) => "ENTRYPOINT exec shop --verbose".to_string(),
    };
    lines.push(start);
    comment(rng, &mut lines);
    lines.join("\n") + "\n"
}

#[test]
fn generated_single_stage_files_convert_cleanly() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert/runtime-config");
    let go = facts_for(&case);
    let seed = 0x6761_6e74;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut failures = Vec::new();
    let mut converted = 0;
    for round in 0..300 {
        let text = generated_dockerfile(&mut rng);
        let parse = syntax::parse(&text);
        assert!(parse.errors().is_empty(), "round {round}: the generator wrote a syntax error:\n{text}");
        let found = conversions(&parse, Some(&go), &ConvertOptions::default())
            .unwrap_or_else(|error| panic!("round {round}: {error}\n{text}"));
        for conversion in &found {
            converted += 1;
            for problem in problems(&parse, conversion, Some(&go)) {
                failures.push(format!(
                    "round {round} ({}): {problem}\n--- input\n{text}--- output\n{}",
                    conversion.title, conversion.text
                ));
            }
        }
        if failures.len() > 5 {
            break;
        }
    }
    assert!(failures.is_empty(), "seed {seed:#x}:\n{}", failures.join("\n"));
    assert!(converted >= 300, "only {converted} conversions were checked");
}

#[test]
fn options_pick_one_program_and_runtime() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert");
    let case = fixtures.join("several-cmds");
    let go = facts_for(&case);
    let parse = syntax::parse(&fs::read_to_string(case.join("Dockerfile")).unwrap());
    let options = ConvertOptions { runtime: Some(RuntimeFlavor::Scratch), package: Some("cmd/worker".into()) };
    let found = conversions(&parse, Some(&go), &options).unwrap();
    let summary: Vec<(&str, RuntimeFlavor)> = found.iter().map(|c| (c.package.as_str(), c.runtime)).collect();
    assert_eq!(summary, [("./cmd/worker", RuntimeFlavor::Scratch)]);
    assert!(found[0].text.contains("-o /out/worker ./cmd/worker") && found[0].text.contains("FROM scratch"));
    let unknown = ConvertOptions { runtime: None, package: Some("./cmd/missing".into()) };
    let error = conversions(&parse, Some(&go), &unknown).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot convert to a multi-stage build: `./cmd/missing` is not one of the programs this Dockerfile can build"
    );

    let case = fixtures.join("cgo-sqlite");
    let go = facts_for(&case);
    let parse = syntax::parse(&fs::read_to_string(case.join("Dockerfile")).unwrap());
    let scratch = ConvertOptions { runtime: Some(RuntimeFlavor::Scratch), package: None };
    let error = conversions(&parse, Some(&go), &scratch).unwrap_err();
    assert!(error.to_string().contains("needs the C library"), "{error}");
}

/// Every Dockerfile of the other fixture suites (valid or not, single-stage or not): the conversion
/// never panics, and what it writes parses.
#[test]
fn any_fixture_converts_or_is_refused() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pending = vec![fixtures];
    let mut files = Vec::new();
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains("Dockerfile")) {
                files.push(path);
            }
        }
    }
    let mut converted = 0;
    for file in &files {
        let Ok(text) = fs::read_to_string(file) else { continue };
        let parse = syntax::parse(&text);
        let Ok(found) = conversions(&parse, None, &ConvertOptions::default()) else { continue };
        for conversion in found {
            converted += 1;
            let output = syntax::parse(&conversion.text);
            assert!(output.errors().is_empty(), "{}: {:?}\n{}", file.display(), output.errors(), conversion.text);
        }
    }
    assert!(files.len() > 100 && converted > 10, "{} files, {converted} conversions", files.len());
}
