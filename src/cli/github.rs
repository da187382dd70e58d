//! GitHub Actions output of `gantry check`: one workflow command per finding, which GitHub turns
//! into an annotation on the file and line.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`, with `warning` and
//! `notice` for lower severities. Values are escaped as the Actions toolkit does: `%`, CR and LF in
//! the message; additionally `:` and `,` in property values. Columns count UTF-16 code units (GitHub
//! positions are JavaScript string offsets) and are omitted for findings that span lines, which
//! annotations do not support.

use std::io::{self, Write};

use super::check::CheckedFile;
use super::location::{ColumnUnit, display_region};
use crate::rules::Severity;

/// Writes one workflow command per finding of `files`.
pub(super) fn write_github(out: &mut impl Write, files: &[CheckedFile]) -> io::Result<()> {
    for file in files {
        let path = file_property(&file.path);
        for diagnostic in &file.diagnostics {
            let region = display_region(&file.text, &file.line_index, diagnostic.range, ColumnUnit::Utf16);
            let mut properties = format!("file={},line={}", escape_property(&path), region.start.line);
            if region.start.line == region.end.line {
                properties += &format!(",col={}", region.start.column);
            }
            properties += &format!(",endLine={}", region.end.line);
            if region.start.line == region.end.line {
                properties += &format!(",endColumn={}", region.end.column);
            }
            properties += &format!(",title={}", escape_property(&diagnostic.code));
            let command = command(diagnostic.severity);
            writeln!(out, "::{command} {properties}::{}", escape_data(&diagnostic.message))?;
        }
    }
    Ok(())
}

/// GitHub has three annotation levels; info and hint are notices.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

/// The path with `/` separators, as GitHub expects relative to the repository root.
fn file_property(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if std::path::MAIN_SEPARATOR == '\\' { text.replace('\\', "/") } else { text }
}

/// Escapes a command's message: `%` first, so that the escapes themselves survive.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value, which also ends at `,` and `:`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("100% a:b,c\r\nd"), "100%25 a%3Ab%2Cc%0D%0Ad");
        // An input that already looks escaped is escaped again, not decoded.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
