//! No lost text: formatting and the fixes never drop or duplicate user content they are not
//! meant to change. Property tests over every Dockerfile fixture of the repository and a few
//! hundred generated documents (seeded, so a failure replays), built to put comments inside
//! continuations, heredoc bodies and shell words next to what the rules fix.
//!
//! Formatting may only change whitespace inside a line and the case of instruction keywords and
//! `AS`: each line keeps its non-blank characters (after those case changes), comment lines and
//! heredoc bodies stay byte for byte, the line count is kept, and formatting twice changes nothing.
//!
//! Fixes (`fix_all_text`, safe and unsafe) are replayed round by round as it applies them; for
//! every edit of every fix, the comment lines, heredoc body lines and RUN shell words it replaces
//! must reappear in its new text unless they lie in the finding's own range (what the fix is
//! meant to change). The replay must end with exactly the text `fix_all_text` returns.

#![allow(clippy::print_stderr, reason = "the tests report the times, memory and counts they measure")]

use std::path::{Path, PathBuf};

use gantry_ls::ide::{self, FormatOptions};
use gantry_ls::rules::{self, Config, Diagnostic};
use gantry_ls::syntax::{self, Parse, TextEdit, TextRange};

fn dockerfile_fixtures() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains("Dockerfile")) {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("tests/fixtures"), &mut paths);
    walk(&root.join("examples"), &mut paths);
    paths.sort();
    let fixtures: Vec<(String, String)> = paths
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path.strip_prefix(root).unwrap_or(&path).display().to_string(), text))
        })
        .collect();
    assert!(fixtures.len() > 100, "the fixtures were found: {}", fixtures.len());
    fixtures
}

/// Lines that trigger fixes, with comments, continuations and heredocs around them.
const LINES: &[&str] = &[
    "from alpine:3.20 as Build\n",
    "FROM golang:1.22 AS builder\n",
    "FROM builder AS Final\n",
    "MAINTAINER someone@example.com\n",
    "ENV A b\n",
    "ENV PATH /go/bin:$PATH\n",
    "EXPOSE 80/TCP\n",
    "WORKDIR app\n",
    "CMD /app --flag value\n",
    "ENTRYPOINT /app serve\n",
    "CMD run \\\n  # keep this comment\n  --port 80\n",
    "ENTRYPOINT [\"/app\",\"serve\"]\n",
    "RUN cd /src && make build\n",
    "RUN sudo make install\n",
    "RUN apt-get update && apt-get install curl \\\n    # pinned below\n    git\n",
    "RUN apt-get install -y --no-install-recommends ca-certificates\n",
    "RUN apk add curl\n",
    "RUN apk add --no-cache tzdata\n",
    "RUN pip install requests\n",
    "RUN wget https://example.com/x.tar.gz\n",
    "RUN curl -L https://example.com/x | sh\n",
    "RUN yum install httpd\n",
    "RUN <<EOF\napt-get install vim\n# heredoc comment\ncd /tmp\necho 'keep  spacing'\nEOF\n",
    "RUN <<-EOT bash\n\tsudo echo hi\n\t  indented body\nEOT\n",
    "COPY --from=Build /out /out\n",
    "COPY --chown=app:app . /src\n",
    "ADD app.tar.gz /opt/\n",
    "ADD https://example.com/file /file\n",
    "ARG VERSION\n",
    "ARG version=1\n",
    "LABEL maintainer=\"x\" version=1\n",
    "USER root\n",
    "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
    "SHELL [\"/bin/bash\", \"-c\"]\n",
    "ONBUILD run echo hi\n",
    "# a comment line\n",
    "    # an indented comment\n",
    "#no space comment\n",
    "\n",
    "RUN echo one \\\n    two \\\n    # between\n    three\n",
    "run echo lower case keyword\n",
    "  RUN echo indented instruction\n",
    "RUN [\"sh\",\"-c\",\"echo x\"]\n",
    "RUN --mount=type=cache,target=/root/.cache go build ./...\n",
    "RUN go get example.com/tool@latest\n",
    "STOPSIGNAL sigterm\n",
    "VOLUME /data\n",
];

fn generated(seed: u64, count: usize) -> Vec<(String, String)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..count)
        .map(|i| {
            let mut text = String::from(if rng.bool() { "FROM debian:12 AS base\n" } else { "from ubuntu as one\n" });
            for _ in 0..rng.usize(2..14) {
                text.push_str(LINES[rng.usize(..LINES.len())]);
            }
            if rng.usize(..4) == 0 {
                text = text.replace('\n', "\r\n");
            }
            (format!("generated #{i} (seed {seed:#x})"), text)
        })
        .collect()
}

/// Every document to test: the fixtures and the generated ones.
fn documents() -> Vec<(String, String)> {
    let mut all = dockerfile_fixtures();
    all.extend(generated(0x10_57_7e_47, 300));
    all
}

fn lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The line numbers (0-based) that lie in heredoc bodies.
fn heredoc_body_lines(parse: &Parse) -> Vec<usize> {
    let text = parse.text();
    let line_of = |offset: usize| text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::new();
    for instruction in &parse.dockerfile().instructions {
        for heredoc in &instruction.heredocs {
            if heredoc.body.is_empty() {
                continue;
            }
            out.extend(line_of(heredoc.body.start)..=line_of(heredoc.body.end.saturating_sub(1)));
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "from",
    "run",
    "cmd",
    "label",
    "maintainer",
    "expose",
    "env",
    "add",
    "copy",
    "entrypoint",
    "volume",
    "user",
    "workdir",
    "arg",
    "onbuild",
    "stopsignal",
    "healthcheck",
    "shell",
];

/// A line with the changes formatting may make undone: blanks removed, the instruction keyword
/// (and ONBUILD's trigger, FROM's `AS`) in upper case.
fn normalised(line: &str) -> String {
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    for i in 0..words.len().min(2) {
        if KEYWORDS.contains(&words[i].to_ascii_lowercase().as_str()) && (i == 0 || words[0] == "ONBUILD") {
            words[i] = words[i].to_ascii_uppercase();
        }
    }
    if words.first().is_some_and(|w| w == "FROM") {
        for word in words.iter_mut().skip(2) {
            if word.eq_ignore_ascii_case("as") {
                *word = "AS".to_string();
            }
        }
    }
    words.concat()
}

#[test]
fn formatting_changes_only_blanks_and_keyword_case() {
    let mut checked = 0;
    for (name, text) in documents() {
        let parse = syntax::parse(&text);
        for options in [FormatOptions::default(), FormatOptions { indent: 2, keep_aligned: true }] {
            let formatted = ide::apply_edits(&text, &ide::format(&parse, options));
            let (before, after) = (lines(&text), lines(&formatted));
            assert_eq!(before.len(), after.len(), "{name}: formatting changed the line count:\n{formatted}");
            let heredoc = heredoc_body_lines(&parse);
            for (number, (old, new)) in before.iter().zip(&after).enumerate() {
                if heredoc.contains(&number) || is_comment(old) {
                    assert_eq!(old, new, "{name}: line {} (comment or heredoc body) changed", number + 1);
                } else {
                    assert_eq!(normalised(old), normalised(new), "{name}: line {} lost or gained text", number + 1);
                }
            }
            let again = syntax::parse(&formatted);
            assert_eq!(ide::format(&again, options), [], "{name}: formatting is not idempotent");
            checked += 1;
        }
    }
    eprintln!("formatting: {checked} documents × options checked");
}

/// User content inside `range` of `parse`: comment lines, heredoc body lines, RUN shell words,
/// each with its range.
fn content_in(parse: &Parse, range: TextRange) -> Vec<(TextRange, String)> {
    let text = parse.text();
    let mut found = Vec::new();
    let mut offset = 0;
    let heredoc_lines = heredoc_body_lines(parse);
    for (number, line) in text.split('\n').enumerate() {
        let line_range = TextRange::new(offset, offset + line.len());
        offset += line.len() + 1;
        let content = line.trim_end_matches('\r');
        if content.trim().is_empty() || !range.contains_range(line_range) {
            continue;
        }
        if is_comment(content) || heredoc_lines.contains(&number) {
            found.push((line_range, content.trim().to_string()));
        }
    }
    let scripts = parse.shell_scripts();
    for index in 0..parse.dockerfile().instructions.len() {
        let Some(script) = scripts.get(index) else { continue };
        for command in &script.commands {
            for word in command.name.iter().chain(&command.args) {
                if range.contains_range(word.range) && !word.text.contains(['\n', '\\']) {
                    found.push((word.range, word.text.clone()));
                }
            }
        }
    }
    found
}

/// Whether `piece` survives in `new_text` (a word may be re-quoted, a line re-indented).
fn survives(piece: &str, new_text: &str) -> bool {
    let unquoted = piece.trim_matches(['"', '\'']);
    new_text.contains(piece) || (!unquoted.is_empty() && new_text.contains(unquoted))
}

/// Checks the edits of one fix against the content they replace: nothing dropped, and no comment
/// or heredoc line written more often than it was there.
fn check_fix(name: &str, parse: &Parse, diagnostic: &Diagnostic, edits: &[TextEdit]) -> Vec<String> {
    let mut lost = Vec::new();
    for edit in edits {
        let old_text = &parse.text()[edit.range.as_range()];
        for line in edit.new_text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let is_user_line = content_in(parse, edit.range).iter().any(|(_, piece)| piece == line);
            if is_user_line && edit.new_text.matches(line).count() > old_text.matches(line).count() {
                lost.push(format!("{name}: the fix of {} duplicates {line:?}", diagnostic.code));
            }
        }
        for (range, piece) in content_in(parse, edit.range) {
            let meant = diagnostic.range.contains_range(range) || range.contains_range(diagnostic.range);
            if !meant && !survives(&piece, &edit.new_text) {
                lost.push(format!(
                    "{name}: the fix of {} ({:?}) drops {piece:?} (replacing {:?} with {:?})",
                    diagnostic.code,
                    diagnostic.message,
                    &parse.text()[edit.range.as_range()],
                    edit.new_text
                ));
            }
        }
    }
    lost
}

/// Replays `fix_all_text` round by round, checking every applied fix; returns the final text.
fn replay_fixes(name: &str, text: &str, config: &Config, include_unsafe: bool, lost: &mut Vec<String>) -> String {
    let mut text = text.to_string();
    for _ in 0..10 {
        let parse = syntax::parse(&text);
        let diagnostics = rules::check_with_facts(&parse, config, None);
        let mut edits: Vec<TextEdit> = Vec::new();
        for diagnostic in &diagnostics {
            for fix in diagnostic.fixes.iter().filter(|f| f.safe || include_unsafe) {
                // As `fix_all_text` decides: touching edits wait for the next round.
                let overlaps = |a: TextRange, b: TextRange| a.start <= b.end && b.start <= a.end;
                if fix.edits.iter().any(|e| edits.iter().any(|taken| overlaps(taken.range, e.range))) {
                    continue;
                }
                lost.extend(check_fix(name, &parse, diagnostic, &fix.edits));
                edits.extend(fix.edits.iter().cloned());
            }
        }
        if edits.is_empty() {
            break;
        }
        edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
        for edit in &edits {
            if text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end) {
                text.replace_range(edit.range.as_range(), &edit.new_text);
            }
        }
    }
    text
}

#[test]
fn fixes_keep_the_content_they_are_not_meant_to_change() {
    let config = Config::default();
    let mut lost = Vec::new();
    let mut fixed_documents = 0;
    for (name, text) in documents() {
        let parse = syntax::parse(&text);
        for include_unsafe in [false, true] {
            let replayed = replay_fixes(&name, &text, &config, include_unsafe, &mut lost);
            let (fixed, applied) = ide::fix_all_text(&parse, &config, None, include_unsafe);
            assert_eq!(replayed, fixed, "{name}: the replay differs from fix_all_text");
            fixed_documents += usize::from(applied > 0);
        }
    }
    eprintln!("fixes: {fixed_documents} document runs changed by fixes");
    assert!(fixed_documents > 100, "the documents exercise the fixes");
    assert!(lost.is_empty(), "{} losses:\n{}", lost.len(), lost.join("\n"));
}
