//! Integration tests of the syntax layer: one snapshot per kind of syntax error, valid inputs
//! that must stay error-free (with tree-sitter's view of them pinned), the generated benchmark
//! input, the shared corpus of real Dockerfiles, and the typed model of a realistic file.

#[path = "../benches/common/generate.rs"]
mod generate;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use gantry_ls::syntax::{
    self, Command, Instruction, InstructionKind, Keyword, LineIndex, Parse, SyntaxError, SyntaxErrorKind, TextEdit,
    TextRange, tree_fingerprint,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Renders syntax errors the way a terminal report would: code and message, the 1-based
/// `line:col-line:col` range (end exclusive), and each covered source line with carets under
/// the range.
fn render_errors(text: &str, errors: &[SyntaxError]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for error in errors {
        let start = index.line_col(text, error.range.start);
        let mut end = index.line_col(text, error.range.end);
        writeln!(out, "{}: {}", error.kind.code(), error.message).unwrap();
        writeln!(out, "  --> {}:{}-{}:{}", start.line + 1, start.col + 1, end.line + 1, end.col + 1).unwrap();
        // A range that stops right after a line break shows nothing on the next line.
        if end.line > start.line && end.col == 0 {
            end.line -= 1;
            end.col = index.line_text(text, end.line).chars().count();
        }
        for line in start.line..=end.line {
            let source = index.line_text(text, line);
            let from = if line == start.line { start.col } else { 0 };
            let to = if line == end.line { end.col } else { source.chars().count() };
            writeln!(out, "{:>4} | {source}", line + 1).unwrap();
            writeln!(out, "     | {}{}", " ".repeat(from), "^".repeat(to.saturating_sub(from).max(1))).unwrap();
        }
    }
    out
}

/// Whether tree-sitter's tree has ERROR or MISSING nodes, and where (1-based line:col).
fn tree_status(parse: &Parse) -> String {
    fn collect(node: tree_sitter::Node<'_>, found: &mut Vec<String>) {
        if node.is_error() || node.is_missing() {
            let start = node.start_position();
            let end = node.end_position();
            let what = if node.is_missing() { format!("MISSING {}", node.kind()) } else { "ERROR".to_string() };
            found.push(format!("{what} at {}:{}-{}:{}", start.row + 1, start.column + 1, end.row + 1, end.column + 1));
            return;
        }
        if node.has_error() {
            let before = found.len();
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                collect(child, found);
            }
            // A MISSING token of a hidden rule is skipped by cursors; only the S-expression shows it.
            if found.len() == before {
                let start = node.start_position();
                let end = node.end_position();
                found.push(format!(
                    "hidden error in {} at {}:{}-{}:{}: {}",
                    node.kind(),
                    start.row + 1,
                    start.column + 1,
                    end.row + 1,
                    end.column + 1,
                    node.to_sexp()
                ));
            }
        }
    }
    let root = parse.tree().root_node();
    if !root.has_error() {
        return "tree ok".to_string();
    }
    let mut found = Vec::new();
    collect(root, &mut found);
    format!("tree has errors: {}", found.join(", "))
}

fn assert_no_errors(name: &str, text: &str, parse: &Parse) {
    assert!(
        parse.errors().is_empty(),
        "{name}: expected no syntax errors, got:\n{}",
        render_errors(text, parse.errors())
    );
}

fn instruction(parse: &Parse, keyword: Keyword, nth: usize) -> &Instruction {
    parse
        .dockerfile()
        .instructions
        .iter()
        .filter(|i| i.is(keyword))
        .nth(nth)
        .unwrap_or_else(|| panic!("no {keyword:?} number {nth}"))
}

fn source(text: &str, range: TextRange) -> &str {
    &text[range.as_range()]
}

// ---------------------------------------------------------------------------------------------
// Fixtures with exactly one syntax error each
// ---------------------------------------------------------------------------------------------

const ALL_KINDS: [SyntaxErrorKind; 25] = [
    SyntaxErrorKind::UnknownInstruction,
    SyntaxErrorKind::MissingArgument,
    SyntaxErrorKind::ExtraArgument,
    SyntaxErrorKind::MissingValue,
    SyntaxErrorKind::BlankName,
    SyntaxErrorKind::UnterminatedQuote,
    SyntaxErrorKind::UnterminatedHeredoc,
    SyntaxErrorKind::InvalidEscape,
    SyntaxErrorKind::DuplicateDirective,
    SyntaxErrorKind::InstructionBeforeFrom,
    SyntaxErrorKind::JsonFormRequired,
    SyntaxErrorKind::UnknownFlag,
    SyntaxErrorKind::DuplicateFlag,
    SyntaxErrorKind::FlagMissingValue,
    SyntaxErrorKind::InvalidFlagValue,
    SyntaxErrorKind::UnknownMountOption,
    SyntaxErrorKind::InvalidMountOption,
    SyntaxErrorKind::InvalidStageName,
    SyntaxErrorKind::InvalidImageReference,
    SyntaxErrorKind::InvalidPort,
    SyntaxErrorKind::InvalidSignal,
    SyntaxErrorKind::InvalidOnbuildTrigger,
    SyntaxErrorKind::JsonSingleQuotes,
    SyntaxErrorKind::MalformedJson,
    SyntaxErrorKind::BadSubstitution,
];

/// Stops compiling when a kind is added, as a reminder to list it above and give it a fixture.
fn _every_kind_is_listed(kind: SyntaxErrorKind) {
    match kind {
        SyntaxErrorKind::UnknownInstruction
        | SyntaxErrorKind::MissingArgument
        | SyntaxErrorKind::ExtraArgument
        | SyntaxErrorKind::MissingValue
        | SyntaxErrorKind::BlankName
        | SyntaxErrorKind::UnterminatedQuote
        | SyntaxErrorKind::UnterminatedHeredoc
        | SyntaxErrorKind::InvalidEscape
        | SyntaxErrorKind::DuplicateDirective
        | SyntaxErrorKind::InstructionBeforeFrom
        | SyntaxErrorKind::JsonFormRequired
        | SyntaxErrorKind::UnknownFlag
        | SyntaxErrorKind::DuplicateFlag
        | SyntaxErrorKind::FlagMissingValue
        | SyntaxErrorKind::InvalidFlagValue
        | SyntaxErrorKind::UnknownMountOption
        | SyntaxErrorKind::InvalidMountOption
        | SyntaxErrorKind::InvalidStageName
        | SyntaxErrorKind::InvalidImageReference
        | SyntaxErrorKind::InvalidPort
        | SyntaxErrorKind::InvalidSignal
        | SyntaxErrorKind::InvalidOnbuildTrigger
        | SyntaxErrorKind::JsonSingleQuotes
        | SyntaxErrorKind::MalformedJson
        | SyntaxErrorKind::BadSubstitution => {}
    }
}

#[test]
fn each_error_fixture_has_exactly_one_syntax_error() {
    let mut kinds = BTreeSet::new();
    insta::glob!("fixtures/syntax/*.Dockerfile", |path| {
        let text = read(path);
        let parse = syntax::parse(&text);
        assert_eq!(
            parse.errors().len(),
            1,
            "{}: expected exactly one syntax error, got:\n{}",
            path.display(),
            render_errors(&text, parse.errors())
        );
        kinds.insert(parse.errors()[0].kind);
        insta::assert_snapshot!(render_errors(&text, parse.errors()));
    });
    let missing: Vec<_> = ALL_KINDS.iter().filter(|k| !kinds.contains(k)).collect();
    assert!(missing.is_empty(), "no fixture covers {missing:?}");
}

/// Fixtures of instruction-validity checks, one per kind (`checks/<code>.Dockerfile`): each holds
/// commented passing and triggering cases, and every error it produces must be of its kind.
#[test]
fn each_check_fixture_reports_only_its_kind() {
    insta::glob!("fixtures/syntax/checks/*.Dockerfile", |path| {
        let text = read(path);
        let parse = syntax::parse(&text);
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let code = format!("syntax/{stem}");
        assert!(!parse.errors().is_empty(), "{}: expected some {code} errors", path.display());
        let others: Vec<_> = parse.errors().iter().filter(|e| e.kind.code() != code).cloned().collect();
        assert!(others.is_empty(), "{}: errors of other kinds:\n{}", path.display(), render_errors(&text, &others));
        insta::assert_snapshot!(render_errors(&text, parse.errors()));
    });
}

// ---------------------------------------------------------------------------------------------
// Valid inputs
// ---------------------------------------------------------------------------------------------

/// A Dockerfile with CRLF line endings everywhere, built here so that no git setting can
/// normalise its line breaks.
const CRLF_DOCKERFILE: &str = "# syntax=docker/dockerfile:1\r\n\
    FROM golang:1.23-alpine AS build\r\n\
    RUN apk add --no-cache \\\r\n\
    \x20   git \\\r\n\
    \x20   make\r\n\
    RUN <<EOF\r\n\
    go build -o /out/hello ./cmd/hello\r\n\
    EOF\r\n\
    FROM alpine:3.20\r\n\
    COPY --from=build /out/hello /usr/local/bin/hello\r\n\
    ENTRYPOINT [\"/usr/local/bin/hello\"]\r\n";

/// Every valid fixture, by file name, plus the CRLF input.
fn valid_inputs() -> Vec<(String, String)> {
    let dir = fixtures_dir().join("valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    let mut inputs: Vec<(String, String)> =
        paths.iter().map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), read(path))).collect();
    inputs.push(("(in test) crlf_line_endings".to_string(), CRLF_DOCKERFILE.to_string()));
    inputs
}

#[test]
fn crlf_input_really_has_crlf_line_endings() {
    assert_eq!(CRLF_DOCKERFILE.matches("\r\n").count(), CRLF_DOCKERFILE.matches('\n').count());
    assert!(CRLF_DOCKERFILE.contains("    git \\\r\n"));
}

/// The typed model must accept every valid input; tree-sitter's view of the same inputs is
/// recorded so that any change in the grammar's quirks shows up in review.
#[test]
fn valid_fixtures_have_no_syntax_errors() {
    let mut report = String::new();
    for (name, text) in valid_inputs() {
        let parse = syntax::parse(&text);
        assert_no_errors(&name, &text, &parse);
        writeln!(report, "{name}: {}", tree_status(&parse)).unwrap();
    }
    insta::assert_snapshot!("valid_fixture_trees", report);
}

/// The same inputs with every LF turned into CRLF must stay valid too (tree-sitter's view is
/// pinned separately).
#[test]
fn valid_fixtures_stay_valid_with_crlf_line_endings() {
    let mut report = String::new();
    for (name, text) in valid_inputs() {
        if text.contains('\r') {
            continue;
        }
        let crlf = text.replace('\n', "\r\n");
        let parse = syntax::parse(&crlf);
        assert_no_errors(&format!("{name} (CRLF)"), &crlf, &parse);
        assert_eq!(
            parse.dockerfile().instructions.len(),
            syntax::parse(&text).dockerfile().instructions.len(),
            "{name}: CRLF line endings changed the instruction count"
        );
        writeln!(report, "{name}: {}", tree_status(&parse)).unwrap();
    }
    insta::assert_snapshot!("valid_fixture_trees_crlf", report);
}

#[test]
fn backtick_escape_keeps_windows_paths_literal() {
    let text = read(&fixtures_dir().join("valid/escape_backtick.Dockerfile"));
    let parse = syntax::parse(&text);
    assert_eq!(parse.dockerfile().escape, '`');
    let workdir = instruction(&parse, Keyword::Workdir, 0);
    assert!(matches!(&workdir.kind, InstructionKind::Workdir(Some(w)) if w.value == r"C:\src\hello"));
    let copy = instruction(&parse, Keyword::Copy, 0);
    let InstructionKind::Copy(copy) = &copy.kind else { panic!("not a COPY") };
    assert_eq!(copy.destination.as_ref().unwrap().value, r"C:\app\");
    // The backtick joins the RUN's two lines.
    let run = instruction(&parse, Keyword::Run, 0);
    let InstructionKind::Run(run) = &run.kind else { panic!("not a RUN") };
    let Command::Shell { text: command, .. } = &run.command else { panic!("not the shell form") };
    assert!(command.contains("go version"), "{command}");
}

#[test]
fn mount_only_first_line_then_comment_then_command() {
    let text = read(&fixtures_dir().join("valid/run_mounts_then_comment.Dockerfile"));
    let parse = syntax::parse(&text);
    let run = instruction(&parse, Keyword::Run, 0);
    assert_eq!(run.inner_comments.len(), 1);
    assert_eq!(source(&text, run.inner_comments[0]), "# build with the caches above");
    let InstructionKind::Run(data) = &run.kind else { panic!("not a RUN") };
    assert_eq!(data.mounts.len(), 2);
    let Command::Shell { range, .. } = &data.command else { panic!("not the shell form") };
    assert_eq!(source(&text, *range), "go build -o /out/hello ./cmd/hello");
}

#[test]
fn empty_continuation_lines_are_recorded() {
    let text = read(&fixtures_dir().join("valid/empty_continuation.Dockerfile"));
    let parse = syntax::parse(&text);
    assert_eq!(instruction(&parse, Keyword::Run, 0).empty_continuation_lines.len(), 2);
}

#[test]
fn byte_order_mark_is_not_part_of_the_first_line() {
    let text = read(&fixtures_dir().join("valid/bom.Dockerfile"));
    assert!(text.starts_with('\u{feff}'));
    let parse = syntax::parse(&text);
    let comment = parse.dockerfile().comments[0];
    assert_eq!(comment.start, 3);
    assert!(source(&text, comment).starts_with("# This file"));
}

#[test]
fn several_heredocs_on_one_copy() {
    let text = read(&fixtures_dir().join("valid/heredoc_copy_several.Dockerfile"));
    let parse = syntax::parse(&text);
    let copy = instruction(&parse, Keyword::Copy, 0);
    let names: Vec<_> = copy.heredocs.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["app.env", "log.env"]);
    assert_eq!(source(&text, copy.heredocs[0].body), "PORT=8080");
    assert_eq!(source(&text, copy.heredocs[1].body), "LOG_LEVEL=debug");
    let InstructionKind::Copy(data) = &copy.kind else { panic!("not a COPY") };
    assert_eq!(data.destination.as_ref().unwrap().value, "/etc/hello/");
}

#[test]
fn heredoc_variants() {
    let text = read(&fixtures_dir().join("valid/heredoc_strip_tabs.Dockerfile"));
    let parse = syntax::parse(&text);
    let heredoc = &instruction(&parse, Keyword::Run, 0).heredocs[0];
    assert!(heredoc.strip_tabs && !heredoc.quoted);
    assert_eq!(source(&text, heredoc.terminator.unwrap()), "\tEOF");

    let text = read(&fixtures_dir().join("valid/heredoc_quoted.Dockerfile"));
    let parse = syntax::parse(&text);
    for nth in 0..2 {
        assert!(instruction(&parse, Keyword::Run, nth).heredocs[0].quoted);
    }
    assert_eq!(instruction(&parse, Keyword::Run, 1).heredocs[0].name, "SCRIPT");

    let text = read(&fixtures_dir().join("valid/heredoc_redirect.Dockerfile"));
    let parse = syntax::parse(&text);
    let run = instruction(&parse, Keyword::Run, 0);
    assert_eq!(source(&text, run.heredocs[0].body), "listen = \":8080\"");
    assert_eq!(parse.dockerfile().instructions.len(), 2);
}

#[test]
fn small_valid_forms_mean_what_buildkit_says() {
    let parse =
        syntax::parse("FROM alpine\nENV PRICE=$5\nCOPY -- a b\nUSER _apt\nEXPOSE 80/sctp\nLABEL k=pre\"mid\"post\n");
    assert!(parse.errors().is_empty());
    let InstructionKind::Env(env) = &instruction(&parse, Keyword::Env, 0).kind else { panic!() };
    assert_eq!(env[0].value.as_deref(), Some("$5"));
    let copy = instruction(&parse, Keyword::Copy, 0);
    assert!(copy.flags.is_empty());
    let InstructionKind::Copy(data) = &copy.kind else { panic!() };
    assert_eq!(data.sources.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["a"]);
    assert_eq!(data.destination.as_ref().unwrap().value, "b");
    assert!(matches!(&instruction(&parse, Keyword::User, 0).kind, InstructionKind::User(Some(u)) if u.value == "_apt"));
    assert!(
        matches!(&instruction(&parse, Keyword::Expose, 0).kind, InstructionKind::Expose(p) if p[0].value == "80/sctp")
    );
    let InstructionKind::Label(label) = &instruction(&parse, Keyword::Label, 0).kind else { panic!() };
    assert_eq!(label[0].value.as_deref(), Some("premidpost"));
}

// ---------------------------------------------------------------------------------------------
// Cases where the typed model once differed from BuildKit (fixed; kept as regressions)
// ---------------------------------------------------------------------------------------------

#[test]
fn copy_whose_only_argument_is_a_heredoc() {
    // BuildKit rejects both: a heredoc is a source, never the destination.
    for text in ["FROM alpine\nCOPY <<EOF\nhello\nEOF\n", "FROM alpine\nCOPY a.txt <<EOF\nhello\nEOF\n"] {
        let parse = syntax::parse(text);
        assert_eq!(parse.errors().len(), 1, "{text:?}: {:?}", parse.errors());
        assert_eq!(parse.errors()[0].kind, SyntaxErrorKind::MissingArgument);
        assert_eq!(source(text, parse.errors()[0].range), "<<EOF");
    }
    let fine = syntax::parse("FROM alpine\nCOPY <<EOF /etc/motd\nhello\nEOF\n");
    assert!(fine.errors().is_empty(), "{:?}", fine.errors());
}

#[test]
fn onbuild_trigger_with_a_heredoc() {
    // BuildKit unwraps ONBUILD before deciding whether an instruction can open a heredoc, so the
    // body below belongs to the trigger.
    let text = "FROM alpine\nONBUILD RUN <<EOF\nFROM golang\nEOF\n";
    let parse = syntax::parse(text);
    assert!(parse.errors().is_empty(), "{:?}", parse.errors());
    assert_eq!(parse.dockerfile().stages.len(), 1);
    let onbuild = &parse.dockerfile().instructions[1];
    assert_eq!(onbuild.heredocs.len(), 1);
    assert_eq!(source(text, onbuild.heredocs[0].body), "FROM golang");
}

#[test]
fn indented_parser_directive() {
    // BuildKit trims leading whitespace before looking for a directive, so this is the escape
    // directive and the backtick continues the RUN line.
    let text = "  # escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  C:\\\n";
    let parse = syntax::parse(text);
    assert_eq!(parse.dockerfile().escape, '`');
    assert_eq!(parse.dockerfile().directives.len(), 1);
    assert!(parse.errors().is_empty(), "{:?}", parse.errors());
}

#[test]
fn heredoc_marker_inside_the_json_form_is_not_a_heredoc() {
    // BuildKit never opens a heredoc from the exec form, so `EOF` is an instruction of its own.
    let parse = syntax::parse("FROM alpine\nRUN [\"cat\", \"<<EOF\"]\nEOF\n");
    assert_eq!(parse.errors().len(), 1);
    assert_eq!(parse.errors()[0].kind, SyntaxErrorKind::UnknownInstruction);
}

// ---------------------------------------------------------------------------------------------
// The generated benchmark input
// ---------------------------------------------------------------------------------------------

#[test]
fn generated_dockerfile_is_valid_and_deterministic() {
    let text = generate::generate_dockerfile(5_000);
    assert_eq!(text, generate::generate_dockerfile(5_000), "the generator must be deterministic");
    let parse = syntax::parse(&text);
    assert_no_errors("generated 5000 lines", &text, &parse);
    assert!(!parse.tree().root_node().has_error(), "tree-sitter: {}", tree_status(&parse));

    let model = parse.dockerfile();
    assert_eq!(model.directive("syntax").map(|d| d.value.as_str()), Some("docker/dockerfile:1"));
    assert!(model.global_instructions().len() >= 10 && model.global_instructions().iter().all(|i| i.is(Keyword::Arg)));
    assert!(model.stages.len() > 100, "{} stages", model.stages.len());
    let instructions = &model.instructions;
    assert!(instructions.iter().any(|i| !i.heredocs.is_empty()));
    assert!(instructions.iter().any(|i| matches!(&i.kind, InstructionKind::Run(r) if r.mounts.len() >= 2)));
    assert!(instructions.iter().any(|i| i.flag("from").is_some()));
    assert!(instructions.iter().any(|i| i.is(Keyword::Healthcheck)));
    assert!(instructions.iter().any(|i| matches!(&i.kind, InstructionKind::Entrypoint(Command::Exec { .. }))));
    assert!(model.comments.len() > 100);
}

#[test]
fn generated_dockerfile_has_the_requested_size() {
    for lines in [500, 1_000, 2_500, 5_000, 20_000] {
        let text = generate::generate_dockerfile(lines);
        let actual = text.lines().count();
        assert!(actual.abs_diff(lines) * 50 <= lines, "asked for {lines} lines, got {actual}");
        assert!(syntax::parse(&text).errors().is_empty(), "{lines} lines");
    }
}

/// The benchmarked path: an edit in the middle of the file, then an incremental reparse, must
/// give the same tree and model as parsing the edited text from scratch.
#[test]
fn incremental_reparse_of_the_generated_file_matches_a_full_parse() {
    let text = generate::generate_dockerfile(5_000);
    let parse = syntax::parse(&text);
    let middle = text.len() / 2;
    let at = middle + text[middle..].find('\n').unwrap();
    let edits = [
        TextEdit { range: TextRange::empty(at), new_text: "x".to_string() },
        TextEdit { range: TextRange::new(at, at + 1), new_text: String::new() },
        TextEdit { range: TextRange::empty(at), new_text: "\nRUN go env".to_string() },
    ];
    let reparsed = parse.reparse(&edits);
    let mut edited = text.clone();
    edited.insert_str(at, "\nRUN go env");
    assert_eq!(reparsed.text(), edited);
    let full = syntax::parse(&edited);
    assert_eq!(tree_fingerprint(reparsed.tree()), tree_fingerprint(full.tree()));
    assert_eq!(reparsed.dockerfile(), full.dockerfile());
    assert_eq!(reparsed.errors(), full.errors());
}

// ---------------------------------------------------------------------------------------------
// The shared corpus of real Dockerfiles
// ---------------------------------------------------------------------------------------------

fn dockerfiles_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            dockerfiles_under(&path, found);
        } else if path.file_name().is_some_and(|n| n.to_string_lossy().contains("Dockerfile")) {
            found.push(path);
        }
    }
}

#[test]
#[allow(clippy::print_stderr)]
fn corpus_dockerfiles_have_no_syntax_errors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("note: {} is absent; the corpus test is skipped", corpus.display());
        return;
    }
    let mut files = Vec::new();
    dockerfiles_under(&corpus, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no Dockerfile under {}", corpus.display());
    let mut failures = String::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        let parse = syntax::parse(&text);
        if !parse.errors().is_empty() {
            writeln!(failures, "{}:\n{}", path.display(), render_errors(&text, parse.errors())).unwrap();
        }
    }
    assert!(failures.is_empty(), "syntax errors in the corpus ({} files read):\n{failures}", files.len());
}

// ---------------------------------------------------------------------------------------------
// The typed model of a realistic Dockerfile
// ---------------------------------------------------------------------------------------------

const REALISTIC: &str = r#"# syntax=docker/dockerfile:1.7
ARG GO_VERSION=1.23
ARG TARGETOS TARGETARCH

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine@sha256:0f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9 AS build
WORKDIR /src
ENV GOPATH /go
ENV CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly"
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    go mod download
COPY --chown=1000:1000 --chmod=0644 cmd/ internal/ ./
RUN --mount=target=/src/vendor \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/server ./cmd/server
ONBUILD COPY . /src

FROM localhost:5000/base/distroless:nonroot AS runtime
LABEL org.opencontainers.image.source="https://example.com/server" version=1
COPY --from=build /out/server /etc/ssl/certs/ca-certificates.crt /app/
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/server", "healthcheck"]
USER 65532:65532
ENTRYPOINT ["/app/server"]

FROM runtime
HEALTHCHECK NONE
"#;

fn realistic() -> Parse {
    let parse = syntax::parse(REALISTIC);
    assert_no_errors("realistic", REALISTIC, &parse);
    parse
}

#[test]
fn model_from_image_tag_digest_and_alias() {
    let parse = realistic();
    let froms: Vec<_> = parse
        .dockerfile()
        .instructions
        .iter()
        .filter_map(|i| match &i.kind {
            InstructionKind::From(from) => Some((i, from)),
            _ => None,
        })
        .collect();
    assert_eq!(froms.len(), 3);

    let (first, from) = froms[0];
    let image = from.image.as_ref().unwrap();
    assert_eq!(image.name, "golang");
    assert_eq!(image.tag.as_deref(), Some("${GO_VERSION}-alpine"));
    assert!(image.digest.as_deref().unwrap().starts_with("sha256:0f1b2c3d"));
    assert_eq!(source(REALISTIC, image.name_range), "golang");
    assert_eq!(source(REALISTIC, image.tag_range.unwrap()), ":${GO_VERSION}-alpine");
    assert_eq!(from.alias.as_ref().unwrap().value, "build");
    assert_eq!(from.as_keyword.as_ref().unwrap().text, "AS");
    let platform = first.flag("platform").unwrap();
    assert_eq!(platform.value.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(source(REALISTIC, platform.value_range.unwrap()), "$BUILDPLATFORM");

    // A `:` before the last `/` is a registry port, not a tag.
    let image = froms[1].1.image.as_ref().unwrap();
    assert_eq!(image.name, "localhost:5000/base/distroless");
    assert_eq!(image.tag.as_deref(), Some("nonroot"));
    assert_eq!(image.digest, None);

    let image = froms[2].1.image.as_ref().unwrap();
    assert_eq!((image.name.as_str(), image.tag.as_deref(), froms[2].1.alias.as_ref()), ("runtime", None, None));
}

#[test]
fn model_run_mounts_and_options() {
    let parse = realistic();
    let InstructionKind::Run(run) = &instruction(&parse, Keyword::Run, 0).kind else { panic!() };
    assert_eq!(run.mounts.len(), 2);
    let cache = &run.mounts[0];
    assert_eq!(cache.mount_type(), "cache");
    assert_eq!(cache.option("target").unwrap().value.as_deref(), Some("/go/pkg/mod"));
    assert_eq!(cache.option("SHARING").unwrap().value.as_deref(), Some("locked"));
    let keys: Vec<_> = cache.options.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["type", "target", "sharing"]);
    let target = cache.option("target").unwrap();
    assert_eq!(source(REALISTIC, target.key_range), "target");
    assert_eq!(source(REALISTIC, target.value_range.unwrap()), "/go/pkg/mod");
    let secret = &run.mounts[1];
    assert_eq!(secret.mount_type(), "secret");
    assert_eq!(secret.option("id").unwrap().value.as_deref(), Some("netrc"));
    let Command::Shell { text, range } = &run.command else { panic!("not the shell form") };
    assert_eq!(text.trim(), "go mod download");
    assert_eq!(source(REALISTIC, *range), "go mod download");

    // Without `type=`, BuildKit mounts a bind.
    let InstructionKind::Run(run) = &instruction(&parse, Keyword::Run, 1).kind else { panic!() };
    assert_eq!(run.mounts[0].mount_type(), "bind");
    assert_eq!(run.mounts[0].options.len(), 1);
}

#[test]
fn model_copy_flags_sources_and_destination() {
    let parse = realistic();
    let copy = instruction(&parse, Keyword::Copy, 1);
    let flags: Vec<_> = copy.flags.iter().map(|f| (f.name.as_str(), f.value.as_deref())).collect();
    assert_eq!(flags, [("chown", Some("1000:1000")), ("chmod", Some("0644"))]);
    let InstructionKind::Copy(data) = &copy.kind else { panic!() };
    assert_eq!(data.sources.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["cmd/", "internal/"]);
    assert_eq!(data.destination.as_ref().unwrap().value, "./");

    let copy = instruction(&parse, Keyword::Copy, 2);
    assert_eq!(copy.flag("FROM").unwrap().value.as_deref(), Some("build"));
    let InstructionKind::Copy(data) = &copy.kind else { panic!() };
    assert_eq!(data.sources.len(), 2);
    let destination = data.destination.as_ref().unwrap();
    assert_eq!(destination.value, "/app/");
    assert_eq!(source(REALISTIC, destination.range), "/app/");
}

#[test]
fn model_arg_pairs() {
    let parse = realistic();
    let globals = parse.dockerfile().global_instructions();
    assert_eq!(globals.len(), 2);
    let InstructionKind::Arg(pairs) = &globals[0].kind else { panic!() };
    assert_eq!((pairs[0].key.as_str(), pairs[0].value.as_deref()), ("GO_VERSION", Some("1.23")));
    assert_eq!(source(REALISTIC, pairs[0].key_range), "GO_VERSION");
    assert_eq!(source(REALISTIC, pairs[0].value_range.unwrap()), "1.23");
    let InstructionKind::Arg(pairs) = &globals[1].kind else { panic!() };
    let names: Vec<_> = pairs.iter().map(|p| (p.key.as_str(), p.value.as_deref())).collect();
    assert_eq!(names, [("TARGETOS", None), ("TARGETARCH", None)]);
}

#[test]
fn model_env_legacy_and_key_value() {
    let parse = realistic();
    let InstructionKind::Env(legacy) = &instruction(&parse, Keyword::Env, 0).kind else { panic!() };
    assert_eq!(legacy.len(), 1);
    assert!(legacy[0].legacy);
    assert_eq!((legacy[0].key.as_str(), legacy[0].value.as_deref()), ("GOPATH", Some("/go")));

    let InstructionKind::Env(pairs) = &instruction(&parse, Keyword::Env, 1).kind else { panic!() };
    assert!(pairs.iter().all(|p| !p.legacy));
    let values: Vec<_> = pairs.iter().map(|p| (p.key.as_str(), p.value.as_deref())).collect();
    assert_eq!(values, [("CGO_ENABLED", Some("0")), ("GOFLAGS", Some("-trimpath -mod=readonly"))]);
    assert_eq!(source(REALISTIC, pairs[1].value_range.unwrap()), "\"-trimpath -mod=readonly\"");

    let InstructionKind::Label(labels) = &instruction(&parse, Keyword::Label, 0).kind else { panic!() };
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[0].value.as_deref(), Some("https://example.com/server"));
}

#[test]
fn model_healthcheck() {
    let parse = realistic();
    let check = instruction(&parse, Keyword::Healthcheck, 0);
    assert_eq!(check.flag("interval").unwrap().value.as_deref(), Some("30s"));
    let InstructionKind::Healthcheck(data) = &check.kind else { panic!() };
    assert!(data.none.is_none());
    let (cmd, command) = data.cmd.as_ref().unwrap();
    assert_eq!(cmd.text, "CMD");
    let Command::Exec { args, range } = command else { panic!("not the exec form") };
    assert_eq!(args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), ["/app/server", "healthcheck"]);
    assert_eq!(source(REALISTIC, *range), "[\"/app/server\", \"healthcheck\"]");

    let InstructionKind::Healthcheck(data) = &instruction(&parse, Keyword::Healthcheck, 1).kind else { panic!() };
    assert_eq!(data.none.as_ref().unwrap().text, "NONE");
    assert!(data.cmd.is_none());
}

#[test]
fn model_onbuild_trigger() {
    let parse = realistic();
    let onbuild = instruction(&parse, Keyword::Onbuild, 0);
    let InstructionKind::Onbuild(Some(trigger)) = &onbuild.kind else { panic!("no trigger") };
    assert!(trigger.is(Keyword::Copy));
    assert_eq!(source(REALISTIC, trigger.keyword_range), "COPY");
    let InstructionKind::Copy(data) = &trigger.kind else { panic!() };
    assert_eq!(data.sources[0].value, ".");
    assert_eq!(data.destination.as_ref().unwrap().value, "/src");
}

#[test]
fn model_stages() {
    let parse = realistic();
    let model = parse.dockerfile();
    let stages: Vec<_> = model.stages.iter().map(|s| (s.index, s.name.as_deref())).collect();
    assert_eq!(stages, [(0, Some("build")), (1, Some("runtime")), (2, None)]);
    for stage in &model.stages {
        assert!(model.instructions[stage.from].is(Keyword::From));
        assert_eq!(stage.instructions.start, stage.from);
        assert!(source(REALISTIC, stage.range).starts_with("FROM "));
    }
    // The stages share out every instruction after the global ARGs, in order.
    assert_eq!(model.stages[0].instructions.start, 2);
    assert_eq!(model.stages[0].instructions.end, model.stages[1].instructions.start);
    assert_eq!(model.stages[1].instructions.end, model.stages[2].instructions.start);
    assert_eq!(model.stages[2].instructions.end, model.instructions.len());
    let build = model.stage_instructions(&model.stages[0]);
    assert_eq!(build.last().unwrap().keyword, Some(Keyword::Onbuild));
    assert_eq!(source(REALISTIC, model.stages[0].name_range.unwrap()), "build");
    assert!(source(REALISTIC, model.stages[0].range).ends_with("ONBUILD COPY . /src"));
    assert_eq!(
        model.stages[2].range,
        model.instructions[model.stages[2].from].range.cover(model.instructions.last().unwrap().range)
    );

    assert_eq!(model.stage_by_reference("BUILD").map(|s| s.index), Some(0));
    assert_eq!(model.stage_by_reference("2").map(|s| s.index), Some(2));
    assert!(model.stage_by_reference("missing").is_none());
    assert_eq!(model.directive("syntax").unwrap().value, "docker/dockerfile:1.7");
    assert_eq!(model.escape, '\\');
}

#[test]
fn model_word_ranges_point_at_their_text() {
    let parse = realistic();
    for instruction in &parse.dockerfile().instructions {
        assert_eq!(source(REALISTIC, instruction.keyword_range), instruction.keyword_text);
        for word in &instruction.args {
            // Words on one line map exactly; none of this file's words span a continuation.
            assert_eq!(source(REALISTIC, word.range), word.text, "in {}", instruction.keyword_text);
        }
    }
}
