//! Build definitions that name a Dockerfile and its context: Compose files and Bake files.
//!
//! `parse_compose` reads `services.<name>.build` (the short string form is the context; the long
//! form has `context`, `dockerfile`, `dockerfile_inline`). `parse_bake` reads `target` blocks of a
//! docker-bake.hcl (`context`, `dockerfile`, `dockerfile-inline`, following `inherits`). Values
//! with variables (`${TAG}`) are `Setting::Unknown`: rules must not guess them. Paths are as
//! written: the context is relative to the file's directory, the dockerfile to the context.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A value that may be absent (the tool's default applies), literal, or not known statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    Default,
    Literal(String),
    Unknown,
}

impl Setting {
    fn from_text(text: Option<&str>) -> Setting {
        match text {
            None => Setting::Default,
            Some(t) if t.contains('$') => Setting::Unknown,
            Some(t) => Setting::Literal(t.to_string()),
        }
    }

    pub fn literal(&self) -> Option<&str> {
        match self {
            Setting::Literal(text) => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildFileKind {
    Compose,
    Bake,
}

/// One service (Compose) or target (Bake) that builds an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildTarget {
    pub name: String,
    /// Default: the directory of the build file.
    pub context: Setting,
    /// Default: `Dockerfile` in the context.
    pub dockerfile: Setting,
    /// The Dockerfile is inline text, not a file.
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildFile {
    pub targets: Vec<BuildTarget>,
    /// Problems reading the file (one line each); the file is then treated as having no targets.
    pub errors: Vec<String>,
}

#[derive(Deserialize)]
struct ComposeFile {
    #[serde(default)]
    services: Option<BTreeMap<String, Option<ComposeService>>>,
}

#[derive(Deserialize)]
struct ComposeService {
    #[serde(default)]
    build: Option<ComposeBuild>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ComposeBuild {
    Context(String),
    Full {
        #[serde(default)]
        context: Option<String>,
        #[serde(default)]
        dockerfile: Option<String>,
        #[serde(default)]
        dockerfile_inline: Option<String>,
    },
}

/// Reads the services that build an image from a Compose file. Never fails.
pub fn parse_compose(text: &str) -> BuildFile {
    if text.trim().is_empty() {
        return BuildFile::default();
    }
    let file: ComposeFile = match serde_saphyr::from_str(text) {
        Ok(file) => file,
        Err(error) => return BuildFile { targets: Vec::new(), errors: vec![first_line(&error.to_string())] },
    };
    let targets = file
        .services
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, service)| {
            let target = match service?.build? {
                ComposeBuild::Context(context) => BuildTarget {
                    name,
                    context: Setting::from_text(Some(&context)),
                    dockerfile: Setting::Default,
                    inline: false,
                },
                ComposeBuild::Full { context, dockerfile, dockerfile_inline } => BuildTarget {
                    name,
                    context: Setting::from_text(context.as_deref()),
                    dockerfile: Setting::from_text(dockerfile.as_deref()),
                    inline: dockerfile_inline.is_some(),
                },
            };
            Some(target)
        })
        .collect();
    BuildFile { targets, errors: Vec::new() }
}

/// Reads the `target` blocks of a docker-bake.hcl file. Never fails.
pub fn parse_bake(text: &str) -> BuildFile {
    let body = match hcl::parse(text) {
        Ok(body) => body,
        Err(error) => return BuildFile { targets: Vec::new(), errors: vec![first_line(&error.to_string())] },
    };
    struct Raw {
        context: Option<Setting>,
        dockerfile: Option<Setting>,
        inline: bool,
        inherits: Vec<String>,
    }
    let mut raw: Vec<(String, Raw)> = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "target") {
        let Some(name) = block.labels().first().map(|l| l.as_str().to_string()) else { continue };
        let mut target = Raw { context: None, dockerfile: None, inline: false, inherits: Vec::new() };
        for attribute in block.body().attributes() {
            match attribute.key() {
                "context" => target.context = Some(hcl_setting(attribute.expr())),
                "dockerfile" => target.dockerfile = Some(hcl_setting(attribute.expr())),
                "dockerfile-inline" => target.inline = true,
                "inherits" => {
                    if let hcl::Expression::Array(items) = attribute.expr() {
                        target.inherits = items
                            .iter()
                            .filter_map(|i| match i {
                                hcl::Expression::String(s) => Some(s.clone()),
                                _ => None,
                            })
                            .collect();
                    }
                }
                _ => {}
            }
        }
        raw.push((name, target));
    }
    // A setting a target leaves out comes from the targets it inherits, depth first, without cycles.
    fn inherited<'a>(
        raw: &'a [(String, Raw)],
        name: &str,
        pick: &dyn Fn(&'a Raw) -> Option<&'a Setting>,
        seen: &mut Vec<String>,
    ) -> Option<&'a Setting> {
        if seen.iter().any(|s| s == name) {
            return None;
        }
        seen.push(name.to_string());
        let (_, target) = raw.iter().rev().find(|(n, _)| n == name)?;
        pick(target).or_else(|| target.inherits.iter().find_map(|parent| inherited(raw, parent, pick, seen)))
    }
    let targets = raw
        .iter()
        .map(|(name, target)| BuildTarget {
            name: name.clone(),
            context: inherited(&raw, name, &|t| t.context.as_ref(), &mut Vec::new())
                .cloned()
                .unwrap_or(Setting::Default),
            dockerfile: inherited(&raw, name, &|t| t.dockerfile.as_ref(), &mut Vec::new())
                .cloned()
                .unwrap_or(Setting::Default),
            inline: target.inline,
        })
        .collect();
    BuildFile { targets, errors: Vec::new() }
}

fn hcl_setting(expr: &hcl::Expression) -> Setting {
    match expr {
        hcl::Expression::String(text) => Setting::from_text(Some(text)),
        _ => Setting::Unknown,
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("invalid file").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(file: &BuildFile) -> Vec<(String, Setting, Setting, bool)> {
        file.targets.iter().map(|t| (t.name.clone(), t.context.clone(), t.dockerfile.clone(), t.inline)).collect()
    }

    fn lit(s: &str) -> Setting {
        Setting::Literal(s.to_string())
    }

    #[test]
    fn compose_services() {
        let text = "services:\n  api:\n    build: ./api\n  worker:\n    build:\n      context: .\n      dockerfile: build/worker.Dockerfile\n  inline:\n    build:\n      dockerfile_inline: |\n        FROM scratch\n  tagged:\n    build:\n      context: ${CTX}\n  db:\n    image: postgres\n  empty:\n";
        assert_eq!(
            summary(&parse_compose(text)),
            vec![
                ("api".into(), lit("./api"), Setting::Default, false),
                ("inline".into(), Setting::Default, Setting::Default, true),
                ("tagged".into(), Setting::Unknown, Setting::Default, false),
                ("worker".into(), lit("."), lit("build/worker.Dockerfile"), false),
            ]
        );
    }

    #[test]
    fn bake_targets_with_inheritance() {
        let text = r#"
variable "TAG" { default = "dev" }
group "default" { targets = ["api", "worker"] }
target "base" {
  context = "."
}
target "api" {
  inherits = ["base"]
  dockerfile = "cmd/api/Dockerfile"
}
target "worker" {
  context = "${TAG}"
}
target "loop" {
  inherits = ["loop"]
}
"#;
        assert_eq!(
            summary(&parse_bake(text)),
            vec![
                ("base".into(), lit("."), Setting::Default, false),
                ("api".into(), lit("."), lit("cmd/api/Dockerfile"), false),
                ("worker".into(), Setting::Unknown, Setting::Default, false),
                ("loop".into(), Setting::Default, Setting::Default, false),
            ]
        );
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        let compose = parse_compose("services: [\n");
        assert!(compose.targets.is_empty() && compose.errors.len() == 1);
        let bake = parse_bake("target \"x\" {\n");
        assert!(bake.targets.is_empty() && bake.errors.len() == 1);
        // A build of the wrong type makes the whole file unreadable: rules then stay silent.
        assert_eq!(parse_compose("services:\n  a:\n    build: [3]\n").errors.len(), 1);
        for text in ["", "---\n", "services: 3", "a: &x [*x]", "services:\n  a:\n    build: {context: [1]}\n"] {
            let _ = parse_compose(text);
        }
    }
}
