//! JSON output of `gantry check`: one compact array of findings, 1-based lines and character columns.

use std::io::{self, Write};

use serde::Serialize;

use super::check::CheckedFile;

/// One finding as printed by `--format json`. Field order is the key order of the output.
#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    file: String,
    /// 1-based line of the start.
    line: usize,
    /// 1-based column of the start, counted in Unicode characters.
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
}

/// Writes all findings of `files` as a JSON array followed by a newline.
pub(super) fn write_json(out: &mut impl Write, files: &[CheckedFile]) -> io::Result<()> {
    let mut findings = Vec::new();
    for file in files {
        let path = file.path.display().to_string();
        for diagnostic in &file.diagnostics {
            let start = file.line_index.line_col(&file.text, diagnostic.range.start);
            let end = file.line_index.line_col(&file.text, diagnostic.range.end);
            findings.push(JsonFinding {
                file: path.clone(),
                line: start.line + 1,
                column: start.col + 1,
                end_line: end.line + 1,
                end_column: end.col + 1,
                code: &diagnostic.code,
                severity: diagnostic.severity.as_str(),
                message: &diagnostic.message,
            });
        }
    }
    serde_json::to_writer(&mut *out, &findings)?;
    writeln!(out)
}
