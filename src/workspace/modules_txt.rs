//! vendor/modules.txt as typed data: the modules `go mod vendor` copied and how go.mod required them.
//!
//! The format (written by cmd/go): `# path version [=> replacement [version]]` starts a module,
//! `## explicit; go 1.21` annotates it, and the plain lines after it are its vendored packages.
//! A `# path => replacement` line without packages records a replacement of every version.

use super::modfile_syntax::ModError;
use crate::syntax::TextRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendoredModule {
    pub path: String,
    /// Empty for a `# path => replacement` line.
    pub version: Option<String>,
    /// `(path, version)` after `=>`; a directory replacement has no version.
    pub replacement: Option<(String, Option<String>)>,
    /// `## explicit`: go.mod requires this module directly.
    pub explicit: bool,
    /// `## go 1.N`: the module's go version.
    pub go_version: Option<String>,
    /// The vendored packages (import paths).
    pub packages: Vec<String>,
    /// The `#` line.
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModulesTxt {
    pub modules: Vec<VendoredModule>,
    pub errors: Vec<ModError>,
}

impl ModulesTxt {
    pub fn module(&self, path: &str) -> Option<&VendoredModule> {
        self.modules.iter().find(|m| m.path == path)
    }
}

/// Parses vendor/modules.txt. Never fails.
pub fn parse_modules_txt(text: &str) -> ModulesTxt {
    let mut out = ModulesTxt::default();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = TextRange::new(start, start + line.len());
        if line.trim().is_empty() {
            continue;
        }
        if let Some(annotations) = line.strip_prefix("## ") {
            match out.modules.last_mut() {
                Some(module) => annotate(module, annotations),
                None => out.errors.push(error(range, "`##` annotation before any `#` module line")),
            }
        } else if let Some(module) = line.strip_prefix("# ") {
            match module_line(module, range) {
                Some(module) => out.modules.push(module),
                None => {
                    out.errors.push(error(range, "malformed module line: want `# path version [=> path [version]]`"))
                }
            }
        } else if line.starts_with('#') {
            out.errors.push(error(range, "unknown comment line"));
        } else {
            match out.modules.last_mut() {
                Some(module) => module.packages.push(line.trim().to_string()),
                None => out.errors.push(error(range, "package line before any `#` module line")),
            }
        }
    }
    out
}

fn error(range: TextRange, message: &str) -> ModError {
    ModError { range, message: message.to_string() }
}

fn module_line(text: &str, range: TextRange) -> Option<VendoredModule> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let arrow = fields.iter().position(|f| *f == "=>");
    let (left, right) = match arrow {
        Some(i) => (&fields[..i], Some(&fields[i + 1..])),
        None => (&fields[..], None),
    };
    let (path, version) = match left {
        [path] if right.is_some() => (path, None),
        [path, version] => (path, Some(version.to_string())),
        _ => return None,
    };
    let replacement = match right {
        None => None,
        Some([to]) => Some((to.to_string(), None)),
        Some([to, version]) => Some((to.to_string(), Some(version.to_string()))),
        Some(_) => return None,
    };
    Some(VendoredModule {
        path: path.to_string(),
        version,
        replacement,
        explicit: false,
        go_version: None,
        packages: Vec::new(),
        range,
    })
}

fn annotate(module: &mut VendoredModule, annotations: &str) {
    for annotation in annotations.split(';').map(str::trim) {
        if annotation == "explicit" {
            module.explicit = true;
        } else if let Some(version) = annotation.strip_prefix("go ") {
            module.go_version = Some(version.trim().to_string());
        }
        // Other annotations (`workspace`, future ones) carry nothing the rules use yet.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_annotations_packages_and_replacements() {
        let text = "# example.com/a v1.0.0\n## explicit; go 1.21\nexample.com/a\nexample.com/a/sub\n# example.com/b v0.3.0 => example.com/fork v0.3.1\n## explicit\nexample.com/b\n# example.com/c v0.0.0-20240101000000-abcdef123456\nexample.com/c/x\n# example.com/d => ../d\n";
        let txt = parse_modules_txt(text);
        assert!(txt.errors.is_empty(), "{:?}", txt.errors);
        let summary: Vec<_> = txt
            .modules
            .iter()
            .map(|m| (m.path.as_str(), m.version.as_deref(), m.explicit, m.go_version.as_deref(), m.packages.len()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("example.com/a", Some("v1.0.0"), true, Some("1.21"), 2),
                ("example.com/b", Some("v0.3.0"), true, None, 1),
                ("example.com/c", Some("v0.0.0-20240101000000-abcdef123456"), false, None, 1),
                ("example.com/d", None, false, None, 0),
            ]
        );
        assert_eq!(
            txt.module("example.com/b").and_then(|m| m.replacement.clone()),
            Some(("example.com/fork".into(), Some("v0.3.1".into())))
        );
        assert_eq!(txt.module("example.com/d").and_then(|m| m.replacement.clone()), Some(("../d".into(), None)));
        assert_eq!(&text[txt.modules[1].range.as_range()], "# example.com/b v0.3.0 => example.com/fork v0.3.1");
    }

    #[test]
    fn malformed_lines_are_ranged_errors() {
        let text = "stray/pkg\n## explicit\n# a\n#oops\n# b v1 => \n# c v1\r\nc\r\n";
        let txt = parse_modules_txt(text);
        let found: Vec<_> = txt.errors.iter().map(|e| &text[e.range.as_range()]).collect();
        assert_eq!(found, vec!["stray/pkg", "## explicit", "# a", "#oops", "# b v1 => "]);
        assert_eq!(txt.modules.len(), 1);
        assert_eq!(txt.modules[0].packages, vec!["c"]);
    }
}
