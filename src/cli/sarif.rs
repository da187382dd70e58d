//! SARIF 2.1.0 output of `gantry check`, for GitHub code scanning and other SARIF consumers.
//!
//! One run; `tool.driver.rules` describes every code that has a result (sorted by code, so that
//! `ruleIndex` is stable), with the rule's documentation as help and its reference page as
//! `helpUri`. Paths are relative URIs against `%SRCROOT%`, the working directory, which
//! `originalUriBaseIds` gives as an absolute `file:` URI. Columns are UTF-16 code units, SARIF's
//! default, stated explicitly in `columnKind`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Component, Path};

use serde_json::json;
use serde_sarif::sarif;

use super::check::CheckedFile;
use super::docs::{first_sentence, summary, syntax_anchor, syntax_description};
use super::location::{ColumnUnit, Region, display_region, exact_region};
use crate::rules::{self, Diagnostic, Fix, Severity};

/// The canonical location of the SARIF 2.1.0 schema (with the OASIS errata).
const SCHEMA_URI: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The base that relative artifact URIs are resolved against.
const SRCROOT: &str = "%SRCROOT%";
const INFORMATION_URI: &str = "https://github.com/gantry-ls/gantry";

/// Writes all findings of `files` as one pretty-printed SARIF log followed by a newline.
/// `working_dir` (absolute) resolves relative paths; without it, `%SRCROOT%` is left undefined.
pub(super) fn write_sarif(out: &mut impl Write, files: &[CheckedFile], working_dir: Option<&Path>) -> io::Result<()> {
    let log = sarif_log(files, working_dir);
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn sarif_log(files: &[CheckedFile], working_dir: Option<&Path>) -> sarif::Sarif {
    let codes: BTreeSet<&str> = files.iter().flat_map(|f| &f.diagnostics).map(|d| d.code.as_str()).collect();
    let rule_index: BTreeMap<&str, usize> = codes.iter().enumerate().map(|(i, &code)| (code, i)).collect();
    let descriptors: Vec<sarif::ReportingDescriptor> = codes.iter().map(|code| descriptor(code)).collect();

    let mut results = Vec::new();
    for file in files {
        let location = artifact_location(&file.path, working_dir);
        for diagnostic in &file.diagnostics {
            let index = rule_index.get(diagnostic.code.as_str()).copied().unwrap_or_default();
            results.push(result(file, diagnostic, index, &location));
        }
    }

    let driver = sarif::ToolComponent::builder()
        .name("gantry")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(descriptors)
        .build();
    let tool = sarif::Tool::builder().driver(driver).build();
    let run = match working_dir.and_then(directory_uri) {
        Some(root) => {
            let base = sarif::ArtifactLocation::builder().uri(root).build();
            sarif::Run::builder()
                .tool(tool)
                .results(results)
                .column_kind(json!("utf16CodeUnits"))
                .original_uri_base_ids(BTreeMap::from([(SRCROOT.to_string(), base)]))
                .build()
        }
        None => sarif::Run::builder().tool(tool).results(results).column_kind(json!("utf16CodeUnits")).build(),
    };
    sarif::Sarif::builder().schema(SCHEMA_URI).version(json!("2.1.0")).runs(vec![run]).build()
}

/// The description of a code: a rule, a kind of syntax error, or (for codes from elsewhere, such
/// as configuration problems) just its id.
fn descriptor(code: &str) -> sarif::ReportingDescriptor {
    let help_uri = rules::help_uri(code);
    if let Some(rule) = rules::find(code) {
        let summary = summary(rule.docs);
        let configuration = sarif::ReportingConfiguration::builder()
            .level(json!(level(rule.default_severity)))
            .enabled(rule.default_enabled)
            .build();
        let descriptor = sarif::ReportingDescriptor::builder()
            .id(rule.code)
            .name(rule.name)
            .short_description(text(first_sentence(&summary)))
            .full_description(text(&summary))
            .help(sarif::MultiformatMessageString::builder().text(rule.docs).markdown(rule.docs).build())
            .default_configuration(configuration);
        return match help_uri {
            Some(uri) => descriptor.help_uri(uri).build(),
            None => descriptor.build(),
        };
    }
    if let Some(description) = syntax_description(code) {
        let configuration = sarif::ReportingConfiguration::builder().level(json!("error")).build();
        let descriptor = sarif::ReportingDescriptor::builder()
            .id(code)
            .name(syntax_anchor(code))
            .short_description(text(first_sentence(description)))
            .full_description(text(description))
            .help(sarif::MultiformatMessageString::builder().text(description).markdown(description).build())
            .default_configuration(configuration);
        return match help_uri {
            Some(uri) => descriptor.help_uri(uri).build(),
            None => descriptor.build(),
        };
    }
    sarif::ReportingDescriptor::builder().id(code).build()
}

fn text(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(text).build()
}

fn result(
    file: &CheckedFile,
    diagnostic: &Diagnostic,
    rule_index: usize,
    artifact: &sarif::ArtifactLocation,
) -> sarif::Result {
    let region = display_region(&file.text, &file.line_index, diagnostic.range, ColumnUnit::Utf16);
    let physical =
        sarif::PhysicalLocation::builder().artifact_location(artifact.clone()).region(region_of(region)).build();
    let location = sarif::Location::builder().physical_location(physical).build();
    let result = sarif::Result::builder()
        .rule_id(diagnostic.code.as_str())
        .rule_index(i64::try_from(rule_index).unwrap_or(i64::MAX))
        .level(result_level(diagnostic.severity))
        .message(sarif::Message::builder().text(diagnostic.message.as_str()).build())
        .locations(vec![location]);
    if diagnostic.fixes.is_empty() {
        return result.build();
    }
    let fixes: Vec<sarif::Fix> = diagnostic.fixes.iter().map(|fix| sarif_fix(file, fix, artifact)).collect();
    result.fixes(fixes).build()
}

/// A fix as SARIF replacements; deleted regions are exact (an edit must not lose a line break).
fn sarif_fix(file: &CheckedFile, fix: &Fix, artifact: &sarif::ArtifactLocation) -> sarif::Fix {
    let replacements: Vec<sarif::Replacement> = fix
        .edits
        .iter()
        .map(|edit| {
            let region = exact_region(&file.text, &file.line_index, edit.range, ColumnUnit::Utf16);
            let inserted = sarif::ArtifactContent::builder().text(edit.new_text.as_str()).build();
            sarif::Replacement::builder().deleted_region(region_of(region)).inserted_content(inserted).build()
        })
        .collect();
    let change =
        sarif::ArtifactChange::builder().artifact_location(artifact.clone()).replacements(replacements).build();
    let properties = sarif::PropertyBag::builder()
        .additional_properties(BTreeMap::from([("safe".to_string(), json!(fix.safe))]))
        .build();
    sarif::Fix::builder()
        .description(sarif::Message::builder().text(fix.title.as_str()).build())
        .artifact_changes(vec![change])
        .properties(properties)
        .build()
}

fn region_of(region: Region) -> sarif::Region {
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    sarif::Region::builder()
        .start_line(number(region.start.line))
        .start_column(number(region.start.column))
        .end_line(number(region.end.line))
        .end_column(number(region.end.column))
        .build()
}

/// SARIF has no level below `note`; info and hint both map to it.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info | Severity::Hint => sarif::ResultLevel::Note,
    }
}

/// Where a checked file is: a relative URI against `%SRCROOT%` when the path is relative or inside
/// the working directory, an absolute `file:` URI otherwise.
fn artifact_location(path: &Path, working_dir: Option<&Path>) -> sarif::ArtifactLocation {
    let relative =
        if path.is_absolute() { working_dir.and_then(|dir| path.strip_prefix(dir).ok()) } else { Some(path) };
    match relative {
        Some(relative) => sarif::ArtifactLocation::builder().uri(relative_uri(relative)).uri_base_id(SRCROOT).build(),
        None => sarif::ArtifactLocation::builder().uri(file_uri(path)).build(),
    }
}

/// `a/b c/Dockerfile` → `a/b%20c/Dockerfile`; `.` components are dropped, `..` kept.
fn relative_uri(path: &Path) -> String {
    let segments: Vec<String> = path
        .components()
        .filter_map(|component| match component {
            Component::Normal(name) => Some(percent_encode(&name.to_string_lossy())),
            Component::ParentDir => Some("..".to_string()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect();
    segments.join("/")
}

/// An absolute path as a `file:` URI (`file:///work/x`, or `file:///C:/work/x` on Windows).
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => {
                uri.push('/');
                uri.push_str(&prefix.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir => {}
            Component::CurDir => continue,
            Component::ParentDir => uri.push_str("/.."),
            Component::Normal(name) => {
                uri.push('/');
                uri.push_str(&percent_encode(&name.to_string_lossy()));
            }
        }
    }
    if uri == "file://" {
        uri.push('/');
    }
    uri
}

/// A directory as a `file:` URI ending in `/`, as `originalUriBaseIds` requires; `None` if relative.
fn directory_uri(dir: &Path) -> Option<String> {
    if !dir.is_absolute() {
        return None;
    }
    let mut uri = file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

/// Percent-encodes every byte except RFC 3986's unreserved characters, so that no segment can be
/// mistaken for a scheme, query or fragment.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        assert_eq!(relative_uri(Path::new("./a b/ü/Dockerfile")), "a%20b/%C3%BC/Dockerfile");
        assert_eq!(relative_uri(Path::new("../x:y/Dockerfile#1")), "../x%3Ay/Dockerfile%231");
        assert_eq!(percent_encode("100%"), "100%25");
        if cfg!(unix) {
            assert_eq!(file_uri(Path::new("/work/my dir")), "file:///work/my%20dir");
            assert_eq!(directory_uri(Path::new("/")).as_deref(), Some("file:///"));
            assert_eq!(directory_uri(Path::new("/w")).as_deref(), Some("file:///w/"));
            let inside = artifact_location(Path::new("/w/a/Dockerfile"), Some(Path::new("/w")));
            assert_eq!((inside.uri.as_deref(), inside.uri_base_id.as_deref()), (Some("a/Dockerfile"), Some(SRCROOT)));
            let outside = artifact_location(Path::new("/elsewhere/Dockerfile"), Some(Path::new("/w")));
            assert_eq!((outside.uri.as_deref(), outside.uri_base_id), (Some("file:///elsewhere/Dockerfile"), None));
        }
    }
}
