//! Checkstyle XML output of `gantry check`, for Jenkins, reviewdog, GitLab plugins and other tools
//! that read it.
//!
//! Every checked file gets a `<file>` element, findings or not, so that consumers can tell a clean
//! file from an unchecked one. Lines are 1-based; columns are 1-based Unicode characters, as in the
//! JSON output. The XML is written by hand: the format is a handful of elements, and the one subtle
//! part, escaping attribute values, is done below (markup characters, line breaks and tabs as
//! character references, and characters XML 1.0 forbids replaced).

use std::io::{self, Write};

use super::check::CheckedFile;
use super::location::{ColumnUnit, display_region};
use crate::rules::Severity;

/// Writes `files` and their findings as one checkstyle document.
pub(super) fn write_checkstyle(out: &mut impl Write, files: &[CheckedFile]) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<checkstyle version=\"4.3\">")?;
    for file in files {
        let name = escape_attribute(&file.path.display().to_string());
        if file.diagnostics.is_empty() {
            writeln!(out, "  <file name=\"{name}\"/>")?;
            continue;
        }
        writeln!(out, "  <file name=\"{name}\">")?;
        for diagnostic in &file.diagnostics {
            let region = display_region(&file.text, &file.line_index, diagnostic.range, ColumnUnit::Chars);
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                region.start.line,
                region.start.column,
                severity(diagnostic.severity),
                escape_attribute(&diagnostic.message),
                escape_attribute(&diagnostic.code),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

/// Checkstyle's severities are error, warning, info and ignore; a hint is reported as info.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "info",
    }
}

/// Escapes text for a double-quoted attribute value. Line breaks and tabs become character
/// references (a parser would otherwise turn them into spaces); other control characters, which
/// XML 1.0 does not allow even as references, become U+FFFD.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_escaped() {
        assert_eq!(escape_attribute(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape_attribute("a\nb\r\tc"), "a&#10;b&#13;&#9;c");
        assert_eq!(escape_attribute("bell\u{7}\u{FFFF}日本"), "bell\u{FFFD}\u{FFFD}日本");
    }
}
