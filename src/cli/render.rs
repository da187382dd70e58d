//! Human output of `gantry check`: one annotate-snippets report per finding, then a summary line.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::check::CheckedFile;
use crate::rules::{Diagnostic, Severity};
use crate::syntax::TextRange;

/// Writes every finding of `files` with a source excerpt, then a summary line.
pub(super) fn write_human(out: &mut impl Write, files: &[CheckedFile], color: bool) -> io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    for file in files {
        for diagnostic in &file.diagnostics {
            writeln!(out, "{}\n", render_one(&renderer, file, diagnostic))?;
        }
    }
    writeln!(out, "{}", summary(files))
}

fn render_one(renderer: &Renderer, file: &CheckedFile, diagnostic: &Diagnostic) -> String {
    let (excerpt, first_line, span) = excerpt(file, diagnostic.range);
    let path = file.path.display().to_string();
    let report =
        [level(diagnostic.severity).primary_title(diagnostic.message.as_str()).id(diagnostic.code.as_str()).element(
            Snippet::source(excerpt)
                .line_start(first_line + 1)
                .path(path)
                .annotation(AnnotationKind::Primary.span(span)),
        )];
    renderer.render(&report)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// The whole lines that `range` touches, their zero-based first line, and `range` relative to
/// them (clamped, so that a range ending in a line break underlines up to the line's end).
fn excerpt(file: &CheckedFile, range: TextRange) -> (&str, usize, std::ops::Range<usize>) {
    let text = file.text.as_str();
    let index = &file.line_index;
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let first = index.line_of(start);
    // A range that ends right after a line break does not reach into the next line.
    let last = if end > start { index.line_of(end - 1) } else { first };
    let excerpt_start = index.line_start(first);
    let excerpt_end =
        excerpt_start + index.line_start(last).saturating_sub(excerpt_start) + index.line_text(text, last).len();
    let excerpt = &text[excerpt_start..excerpt_end];
    let span_start = start - excerpt_start;
    let span_end = end.min(excerpt_end) - excerpt_start;
    (excerpt, first, span_start.min(span_end)..span_end)
}

/// `2 errors, 1 warning in 3 files`, or `no problems in 3 files`.
fn summary(files: &[CheckedFile]) -> String {
    if files.is_empty() {
        return "no Dockerfiles checked".to_string();
    }
    let mut counts = [0usize; 4];
    for diagnostic in files.iter().flat_map(|file| &file.diagnostics) {
        let slot = match diagnostic.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
            Severity::Hint => 3,
        };
        counts[slot] += 1;
    }
    let names = [("error", "errors"), ("warning", "warnings"), ("info", "info"), ("hint", "hints")];
    let parts: Vec<String> = counts
        .iter()
        .zip(names)
        .filter(|(count, _)| **count > 0)
        .map(|(&count, (one, many))| format!("{count} {}", if count == 1 { one } else { many }))
        .collect();
    let problems = if parts.is_empty() { "no problems".to_string() } else { parts.join(", ") };
    let noun = if files.len() == 1 { "file" } else { "files" };
    format!("{problems} in {} {noun}", files.len())
}
