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
/// them, clamped to the excerpt and to character boundaries (a range ending in a line break
/// underlines up to the line's end).
fn excerpt(file: &CheckedFile, range: TextRange) -> (&str, usize, std::ops::Range<usize>) {
    let text = file.text.as_str();
    let index = &file.line_index;
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let first = index.line_of(start);
    let mut end = range.end.clamp(start, text.len());
    // A range that ends right after a line break does not reach into the next line.
    let last = if end > start { index.line_of(end - 1) } else { first };
    let excerpt_start = index.line_start(first);
    let excerpt_end = index.line_start(last) + index.line_text(text, last).len();
    end = end.min(excerpt_end).max(start);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (&text[excerpt_start..excerpt_end], first, start - excerpt_start..end - excerpt_start)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::LineIndex;

    fn file(text: &str) -> CheckedFile {
        CheckedFile {
            path: "Dockerfile".into(),
            text: text.to_string(),
            line_index: LineIndex::new(text),
            diagnostics: Vec::new(),
            fail_level: crate::rules::Severity::Warning,
        }
    }

    #[test]
    fn excerpts_cover_whole_lines() {
        let f = file("FROM a\nRUN b \\\n  c\nLABEL x\n");
        // Within one line.
        assert_eq!(excerpt(&f, TextRange::new(7, 10)), ("RUN b \\", 1, 0..3));
        // Across a continuation.
        assert_eq!(excerpt(&f, TextRange::new(7, 18)), ("RUN b \\\n  c", 1, 0..11));
        // Ending after the line break: stays on its line.
        assert_eq!(excerpt(&f, TextRange::new(0, 7)), ("FROM a", 0, 0..6));
        // Empty, at the very end.
        assert_eq!(excerpt(&f, TextRange::empty(27)), ("", 4, 0..0));
        // Out of bounds is clamped rather than panicking.
        assert_eq!(excerpt(&f, TextRange::new(26, 99)), ("LABEL x", 3, 7..7));
    }

    #[test]
    fn excerpts_respect_character_boundaries() {
        let f = file("LABEL a=\u{1F600}\n");
        assert_eq!(excerpt(&f, TextRange::new(9, 10)), ("LABEL a=\u{1F600}", 0, 8..12));
    }

    #[test]
    fn summaries_count_by_severity() {
        let diagnostic = |severity| Diagnostic {
            code: "x".into(),
            severity,
            range: TextRange::empty(0),
            message: String::new(),
            fixes: Vec::new(),
            related: Vec::new(),
        };
        let mut f = file("");
        assert_eq!(summary(&[]), "no Dockerfiles checked");
        assert_eq!(summary(std::slice::from_ref(&f)), "no problems in 1 file");
        f.diagnostics = vec![diagnostic(Severity::Error), diagnostic(Severity::Error), diagnostic(Severity::Warning)];
        f.diagnostics.extend([diagnostic(Severity::Info), diagnostic(Severity::Hint), diagnostic(Severity::Hint)]);
        let summary = summary(&[f, file("")]);
        assert_eq!(summary, "2 errors, 1 warning, 1 info, 2 hints in 2 files");
    }

    #[test]
    fn odd_ranges_render() {
        let f = file("FROM a\nRUN b \\\n  c\n");
        let renderer = Renderer::plain();
        let render = |range| {
            let diagnostic = Diagnostic {
                code: "x/y".into(),
                severity: Severity::Hint,
                range,
                message: "m".into(),
                fixes: Vec::new(),
                related: Vec::new(),
            };
            render_one(&renderer, &f, &diagnostic)
        };
        assert!(render(TextRange::empty(f.text.len())).contains("Dockerfile:4:1"));
        assert!(render(TextRange::empty(6)).contains("Dockerfile:1:7"));
        let multi_line = render(TextRange::new(7, 18));
        assert!(multi_line.starts_with("hint[x/y]: m"), "{multi_line}");
        assert!(multi_line.contains("  c"), "{multi_line}");
    }
}
