//! Rule configuration: which rules run, at what severity, with which options.
//!
//! Three sources share one shape: `gantry.toml` (found by walking up from the Dockerfile), an existing
//! `.hadolint.yaml` (its `ignored`, `override`, `trustedRegistries`, `label-schema`, `strict-labels`
//! and `disable-ignore-pragma` keys), and the editor's settings (`initializationOptions` and
//! `workspace/configuration`, as JSON). Parsing is pure: callers read the files and pass the text, so
//! the core never touches the file system. Every problem (bad syntax, an unknown key, an unknown rule
//! code) is returned with the byte range that shows it; nothing is silently dropped.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{LabelType, RuleOptions, Selection, Severity, find, suggest_code};
use crate::syntax::TextRange;

/// The settings the rule engine runs with; [`Config::default`] runs every default rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub selection: Selection,
    /// Severity per code (case-insensitive); later entries win.
    pub severities: Vec<(String, Severity)>,
    pub options: RuleOptions,
    /// Whether suppression comments (`# hadolint ignore=`, `# gantry: ignore=` …) are honoured.
    pub honour_suppressions: bool,
    /// The least severe finding that fails `gantry check` (its `--fail-level` wins).
    pub fail_level: Option<Severity>,
    /// Build contexts set by hand: (Dockerfile, context directory), both absolute once a file's
    /// location resolved them (relative paths are relative to the file that sets them).
    pub contexts: Vec<(PathBuf, PathBuf)>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            selection: Selection::default(),
            severities: Vec::new(),
            options: RuleOptions::default(),
            honour_suppressions: true,
            fail_level: None,
            contexts: Vec::new(),
        }
    }
}

impl Config {
    /// The configured severity for a code, if any.
    pub fn severity_for(&self, code: &str) -> Option<Severity> {
        self.severities.iter().rev().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|&(_, s)| s)
    }

    /// Applies `layer` on top of `self`: its lists extend ours, its scalars replace ours when set.
    pub fn merge(&mut self, layer: ConfigLayer) {
        if let Some(only) = layer.select {
            self.selection.only = Some(only);
        }
        self.selection.ignore.extend(layer.ignore);
        self.selection.enable.extend(layer.enable);
        self.severities.extend(layer.severities);
        if let Some(registries) = layer.trusted_registries {
            self.options.trusted_registries = registries;
        }
        if let Some(schema) = layer.label_schema {
            self.options.label_schema = schema;
        }
        if let Some(strict) = layer.strict_labels {
            self.options.strict_labels = strict;
        }
        if let Some(disable) = layer.disable_suppressions {
            self.honour_suppressions = !disable;
        }
        if let Some(level) = layer.fail_level {
            self.fail_level = Some(level);
        }
        let base = layer.base_dir.unwrap_or_default();
        self.contexts.extend(
            layer.contexts.into_iter().map(|(dockerfile, context)| (base.join(dockerfile), base.join(context))),
        );
    }

    /// The build context set for `dockerfile` (an absolute path), if any.
    pub fn context_for(&self, dockerfile: &Path) -> Option<&Path> {
        self.contexts.iter().rev().find(|(file, _)| file == dockerfile).map(|(_, context)| context.as_path())
    }
}

/// What one configuration source says; `None` means "not set here".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigLayer {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub enable: Vec<String>,
    pub severities: Vec<(String, Severity)>,
    pub trusted_registries: Option<Vec<String>>,
    pub label_schema: Option<Vec<(String, LabelType)>>,
    pub strict_labels: Option<bool>,
    pub disable_suppressions: Option<bool>,
    /// The `fail-level` of `gantry check` (CLI only).
    pub fail_level: Option<Severity>,
    /// `[context]`: Dockerfile path → build context directory, as written.
    pub contexts: Vec<(String, String)>,
    /// The directory relative paths in this layer are relative to (the configuration file's).
    pub base_dir: Option<PathBuf>,
}

/// A problem in a configuration source, with the byte range in that source's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub range: TextRange,
    pub message: String,
}

/// The `gantry.toml` file, in the shape users write it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GantryToml {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    enable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: toml::Table,
    trusted_registries: Option<Vec<String>>,
    label_schema: Option<toml::Table>,
    strict_labels: Option<bool>,
    disable_ignore_comments: Option<bool>,
    fail_level: Option<Spanned<String>>,
    /// Dockerfile path → build context directory, both relative to gantry.toml.
    #[serde(default)]
    context: std::collections::BTreeMap<String, String>,
}

/// Parses `gantry.toml`. Problems are reported; whatever is valid is still used.
pub fn parse_gantry_toml(text: &str) -> (ConfigLayer, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    let raw: GantryToml = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let range = error.span().map_or(TextRange::empty(0), |span| TextRange::new(span.start, span.end));
            problems.push(ConfigProblem { range, message: format!("gantry.toml: {}", error.message().trim()) });
            return (ConfigLayer::default(), problems);
        }
    };
    let mut codes = |list: Vec<Spanned<String>>| -> Vec<String> {
        list.into_iter()
            .filter_map(|code| {
                let range = TextRange::new(code.span().start, code.span().end);
                let code = code.into_inner();
                check_code(&code, range, &mut problems).then_some(code)
            })
            .collect()
    };
    let mut layer = ConfigLayer {
        select: raw.select.map(&mut codes),
        ignore: codes(raw.ignore),
        enable: codes(raw.enable),
        trusted_registries: raw.trusted_registries,
        strict_labels: raw.strict_labels,
        disable_suppressions: raw.disable_ignore_comments,
        ..ConfigLayer::default()
    };
    for (code, value) in raw.severity {
        let range = locate(text, &code);
        if !check_code(&code, range, &mut problems) {
            continue;
        }
        match value.as_str().map(parse_severity_setting) {
            Some(Some(SeveritySetting::Level(severity))) => layer.severities.push((code, severity)),
            Some(Some(SeveritySetting::Off)) => layer.ignore.push(code),
            _ => problems.push(ConfigProblem {
                range,
                message: format!(
                    "severity of `{code}` must be one of \"error\", \"warning\", \"info\", \"hint\" or \"off\""
                ),
            }),
        }
    }
    if let Some(schema) = raw.label_schema {
        let mut labels = Vec::new();
        for (label, kind) in schema {
            match kind.as_str().and_then(parse_label_type) {
                Some(kind) => labels.push((label, kind)),
                None => problems.push(ConfigProblem {
                    range: locate(text, &label),
                    message: format!("label-schema: `{label}` must be one of {LABEL_TYPES}"),
                }),
            }
        }
        layer.label_schema = Some(labels);
    }
    layer.contexts = raw.context.into_iter().collect();
    if let Some(level) = raw.fail_level {
        let range = TextRange::new(level.span().start, level.span().end);
        match Severity::parse(level.get_ref()) {
            Some(severity) => layer.fail_level = Some(severity),
            None => problems.push(ConfigProblem {
                range,
                message: "fail-level must be one of \"error\", \"warning\", \"info\" or \"hint\"".to_string(),
            }),
        }
    }
    (layer, problems)
}

/// The keys of `.hadolint.yaml` that gantry understands; others are ignored (they concern hadolint's own output).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct HadolintYaml {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, rename = "override")]
    overrides: HadolintOverride,
    #[serde(default, rename = "trustedRegistries")]
    trusted_registries: Option<OneOrMany>,
    label_schema: Option<std::collections::BTreeMap<String, String>>,
    strict_labels: Option<bool>,
    disable_ignore_pragma: Option<bool>,
    failure_threshold: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct HadolintOverride {
    #[serde(default)]
    error: Vec<String>,
    #[serde(default)]
    warning: Vec<String>,
    #[serde(default)]
    info: Vec<String>,
    #[serde(default)]
    style: Vec<String>,
}

/// hadolint accepts a single registry as a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Parses `.hadolint.yaml`. hadolint's `style` level maps to gantry's `hint`.
pub fn parse_hadolint_yaml(text: &str) -> (ConfigLayer, Vec<ConfigProblem>) {
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        return (ConfigLayer::default(), problems);
    }
    let raw: HadolintYaml = match serde_saphyr::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let message = error.to_string();
            let first_line = message.lines().next().unwrap_or("invalid YAML").to_string();
            problems
                .push(ConfigProblem { range: TextRange::empty(0), message: format!(".hadolint.yaml: {first_line}") });
            return (ConfigLayer::default(), problems);
        }
    };
    let mut codes = |list: Vec<String>| -> Vec<String> {
        list.into_iter().filter(|code| check_code(code, locate(text, code), &mut problems)).collect()
    };
    let mut layer = ConfigLayer {
        ignore: codes(raw.ignored),
        strict_labels: raw.strict_labels,
        disable_suppressions: raw.disable_ignore_pragma,
        ..ConfigLayer::default()
    };
    for (list, severity) in [
        (raw.overrides.error, Severity::Error),
        (raw.overrides.warning, Severity::Warning),
        (raw.overrides.info, Severity::Info),
        (raw.overrides.style, Severity::Hint),
    ] {
        layer.severities.extend(codes(list).into_iter().map(|code| (code, severity)));
    }
    layer.trusted_registries = raw.trusted_registries.map(|registries| match registries {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    });
    if let Some(schema) = raw.label_schema {
        let mut labels = Vec::new();
        for (label, kind) in schema {
            match parse_label_type(&kind) {
                Some(kind) => labels.push((label, kind)),
                None => problems.push(ConfigProblem {
                    range: locate(text, &kind),
                    message: format!("label-schema: `{label}` must be one of {LABEL_TYPES}"),
                }),
            }
        }
        layer.label_schema = Some(labels);
    }
    layer.fail_level = raw.failure_threshold.as_deref().and_then(|level| match level {
        "style" => Some(Severity::Hint),
        other => Severity::parse(other),
    });
    (layer, problems)
}

/// Reads editor settings (the `gantry` section, as JSON) in the same shape as `gantry.toml`.
pub fn parse_settings_json(value: &serde_json::Value) -> (ConfigLayer, Vec<ConfigProblem>) {
    // An empty Lua table reaches us as `[]` from Neovim: it means "no settings" too.
    if value.is_null()
        || value.as_object().is_some_and(|o| o.is_empty())
        || value.as_array().is_some_and(|a| a.is_empty())
    {
        return (ConfigLayer::default(), Vec::new());
    }
    // The same schema as gantry.toml: go through TOML so that one code path validates both.
    match toml::to_string(value) {
        Ok(text) => {
            let (layer, problems) = parse_gantry_toml(&text);
            let problems = problems
                .into_iter()
                .map(|p| ConfigProblem {
                    range: TextRange::empty(0),
                    message: p.message.replacen("gantry.toml", "settings", 1),
                })
                .collect();
            (layer, problems)
        }
        Err(error) => (
            ConfigLayer::default(),
            vec![ConfigProblem { range: TextRange::empty(0), message: format!("settings: {error}") }],
        ),
    }
}

/// The configuration file names gantry reads, in the order they are layered (later wins).
pub const CONFIG_FILE_NAMES: &[&str] = &[".hadolint.yaml", ".hadolint.yml", "gantry.toml"];

/// A configuration file that was read, with the problems found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSource {
    pub path: PathBuf,
    pub text: String,
    pub problems: Vec<ConfigProblem>,
}

/// The configuration for Dockerfiles in `dir`: the nearest `.hadolint.yaml` (or `.yml`) and the nearest
/// `gantry.toml` at or above `dir`, not above `root` when one is given, layered in that order on the
/// defaults. `read` returns a file's text, or `None` when it does not exist or cannot be read: the
/// caller owns the file system.
pub fn discover(
    dir: &Path,
    root: Option<&Path>,
    read: &dyn Fn(&Path) -> Option<String>,
) -> (Config, Vec<ConfigSource>) {
    let mut config = Config::default();
    let mut sources = Vec::new();
    let mut found_hadolint = false;
    let mut found_gantry = false;
    let mut found = Vec::new();
    for ancestor in dir.ancestors() {
        for name in CONFIG_FILE_NAMES {
            let is_gantry = *name == "gantry.toml";
            if (is_gantry && found_gantry) || (!is_gantry && found_hadolint) {
                continue;
            }
            let path = ancestor.join(name);
            if let Some(text) = read(&path) {
                if is_gantry {
                    found_gantry = true;
                } else {
                    found_hadolint = true;
                }
                found.push((path, text, is_gantry));
            }
        }
        if (found_gantry && found_hadolint) || root.is_some_and(|root| ancestor == root) {
            break;
        }
    }
    // hadolint's settings first, so that gantry.toml wins where both speak.
    found.sort_by_key(|(_, _, is_gantry)| *is_gantry);
    for (path, text, is_gantry) in found {
        let (mut layer, problems) = if is_gantry { parse_gantry_toml(&text) } else { parse_hadolint_yaml(&text) };
        layer.base_dir = path.parent().map(Path::to_path_buf);
        config.merge(layer);
        sources.push(ConfigSource { path, text, problems });
    }
    (config, sources)
}

enum SeveritySetting {
    Level(Severity),
    Off,
}

fn parse_severity_setting(text: &str) -> Option<SeveritySetting> {
    if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("ignore") {
        return Some(SeveritySetting::Off);
    }
    Severity::parse(text).map(SeveritySetting::Level)
}

const LABEL_TYPES: &str = "text, url, email, semver, hash, rfc3339, spdx";

fn parse_label_type(text: &str) -> Option<LabelType> {
    Some(match text.to_ascii_lowercase().as_str() {
        "text" => LabelType::Text,
        "url" => LabelType::Url,
        "email" => LabelType::Email,
        "semver" => LabelType::Semver,
        "hash" => LabelType::Hash,
        "rfc3339" => LabelType::Rfc3339,
        "spdx" => LabelType::Spdx,
        _ => return None,
    })
}

/// Whether `code` names a rule (or a ShellCheck code, which hadolint users list and gantry accepts
/// without running ShellCheck); otherwise records a problem with a suggestion.
pub(super) fn check_code(code: &str, range: TextRange, problems: &mut Vec<ConfigProblem>) -> bool {
    if is_known_code(code) {
        return true;
    }
    let hint = suggest_code(code).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
    problems.push(ConfigProblem { range, message: format!("unknown rule `{code}`{hint}") });
    false
}

/// Rule codes, syntax-error codes, gantry's own codes and ShellCheck's `SCnnnn` codes.
pub(super) fn is_known_code(code: &str) -> bool {
    find(code).is_some()
        || is_shellcheck_code(code)
        || crate::syntax::is_syntax_error_code(code)
        || code.eq_ignore_ascii_case(super::SUPPRESSION_PROBLEM_CODE)
}

fn is_shellcheck_code(code: &str) -> bool {
    code.len() == 6 && code[..2].eq_ignore_ascii_case("SC") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The first occurrence of `needle` in `text`, for sources whose parser gives no spans.
fn locate(text: &str, needle: &str) -> TextRange {
    text.find(needle).map_or(TextRange::empty(0), |at| TextRange::new(at, at + needle.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gantry_toml_with_every_key() {
        let text = r#"
select = ["StageNameCasing", "FromAsCasing"]
ignore = ["MaintainerDeprecated"]
enable = ["JSONArgsRecommended"]
trusted-registries = ["docker.io", "ghcr.io"]
strict-labels = true
disable-ignore-comments = false
fail-level = "warning"

[severity]
StageNameCasing = "error"
FromAsCasing = "off"

[label-schema]
maintainer = "email"

[context]
"deploy/Dockerfile" = "."
"#;
        let (layer, problems) = parse_gantry_toml(text);
        assert_eq!(problems, []);
        assert_eq!(layer.select.as_deref(), Some(&["StageNameCasing".to_string(), "FromAsCasing".to_string()][..]));
        assert_eq!(layer.ignore, ["MaintainerDeprecated", "FromAsCasing"]);
        assert_eq!(layer.enable, ["JSONArgsRecommended"]);
        assert_eq!(layer.severities, [("StageNameCasing".to_string(), Severity::Error)]);
        assert_eq!(layer.trusted_registries.as_deref(), Some(&["docker.io".to_string(), "ghcr.io".to_string()][..]));
        assert_eq!(layer.label_schema, Some(vec![("maintainer".to_string(), LabelType::Email)]));
        assert_eq!(layer.strict_labels, Some(true));
        assert_eq!(layer.fail_level, Some(Severity::Warning));
        assert_eq!(layer.contexts, [("deploy/Dockerfile".to_string(), ".".to_string())]);
    }

    #[test]
    fn unknown_codes_point_at_the_code_and_suggest() {
        let text = "ignore = [\"StageNameCasin\", \"SC2086\"]\n";
        let (layer, problems) = parse_gantry_toml(text);
        assert_eq!(layer.ignore, ["SC2086"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(&text[problems[0].range.as_range()], "\"StageNameCasin\"");
        assert_eq!(problems[0].message, "unknown rule `StageNameCasin` (did you mean `StageNameCasing`?)");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_reported_with_ranges() {
        let (_, problems) = parse_gantry_toml("selct = []\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("unknown field `selct`"), "{}", problems[0].message);
        assert_eq!(problems[0].range, TextRange::new(0, 5));

        let text = "[severity]\nStageNameCasing = \"loud\"\n";
        let (layer, problems) = parse_gantry_toml(text);
        assert_eq!(layer.severities, []);
        assert_eq!(&text[problems[0].range.as_range()], "StageNameCasing");

        let (_, problems) = parse_gantry_toml("ignore = [\n");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn hadolint_yaml_maps_its_keys() {
        let text = "
ignored:
  - FromAsCasing
  - SC2086
override:
  error: [StageNameCasing]
  style: [MaintainerDeprecated]
trustedRegistries: docker.io
label-schema:
  author: text
strict-labels: false
failure-threshold: style
format: tty
";
        let (layer, problems) = parse_hadolint_yaml(text);
        assert_eq!(problems, []);
        assert_eq!(layer.ignore, ["FromAsCasing", "SC2086"]);
        assert_eq!(
            layer.severities,
            [("StageNameCasing".to_string(), Severity::Error), ("MaintainerDeprecated".to_string(), Severity::Hint)]
        );
        assert_eq!(layer.trusted_registries, Some(vec!["docker.io".to_string()]));
        assert_eq!(layer.label_schema, Some(vec![("author".to_string(), LabelType::Text)]));
        assert_eq!(layer.fail_level, Some(Severity::Hint));
    }

    #[test]
    fn broken_hadolint_yaml_is_one_problem_not_a_panic() {
        for text in ["ignored: [", "ignored: 5", ": : :", "\u{0}", "override:\n  error: {a: b}"] {
            let (_, problems) = parse_hadolint_yaml(text);
            assert_eq!(problems.len(), 1, "{text:?}: {problems:?}");
        }
        assert_eq!(parse_hadolint_yaml("").1, []);
    }

    #[test]
    fn editor_settings_use_the_gantry_toml_shape() {
        let value = serde_json::json!({"ignore": ["FromAsCasing"], "severity": {"StageNameCasing": "hint"}});
        let (layer, problems) = parse_settings_json(&value);
        assert_eq!(problems, []);
        assert_eq!(layer.ignore, ["FromAsCasing"]);
        assert_eq!(layer.severities, [("StageNameCasing".to_string(), Severity::Hint)]);
        assert_eq!(parse_settings_json(&serde_json::json!([])).1, []);
        let (_, problems) = parse_settings_json(&serde_json::json!({"ignroe": []}));
        assert!(problems[0].message.starts_with("settings: "), "{problems:?}");
    }

    #[test]
    fn discovery_takes_the_nearest_file_of_each_kind_and_stops_at_the_root() {
        let files = [
            ("/ws/gantry.toml", "ignore = [\"FromAsCasing\"]"),
            ("/ws/app/.hadolint.yaml", "ignored: [StageNameCasing]"),
            ("/ws/app/deploy/gantry.toml", "ignore = [\"MaintainerDeprecated\"]"),
            ("/.hadolint.yaml", "ignored: [JSONArgsRecommended]"),
        ];
        let read = |path: &Path| files.iter().find(|(p, _)| Path::new(p) == path).map(|(_, t)| t.to_string());
        let (config, sources) = discover(Path::new("/ws/app/deploy"), Some(Path::new("/ws")), &read);
        assert_eq!(config.selection.ignore, ["StageNameCasing", "MaintainerDeprecated"]);
        let with_context =
            |text: &'static str| move |path: &Path| (path == Path::new("/ws/gantry.toml")).then(|| text.to_string());
        let (config, _) =
            discover(Path::new("/ws/deploy"), None, &with_context("[context]\n\"deploy/Dockerfile\" = \".\"\n"));
        assert_eq!(config.context_for(Path::new("/ws/deploy/Dockerfile")), Some(Path::new("/ws/.")));
        let paths: Vec<_> = sources.iter().map(|s| s.path.to_string_lossy().into_owned()).collect();
        assert_eq!(paths, ["/ws/app/.hadolint.yaml", "/ws/app/deploy/gantry.toml"]);
        let (config, _) = discover(Path::new("/ws/other"), Some(Path::new("/ws")), &read);
        assert_eq!(config.selection.ignore, ["FromAsCasing"]);
        let (config, _) = discover(Path::new("/ws/other"), None, &read);
        assert_eq!(config.selection.ignore, ["JSONArgsRecommended", "FromAsCasing"]);
    }

    #[test]
    fn layers_merge_in_order() {
        let mut config = Config::default();
        config.merge(parse_hadolint_yaml("ignored: [FromAsCasing]\noverride:\n  error: [StageNameCasing]\n").0);
        config.merge(parse_gantry_toml("[severity]\nStageNameCasing = \"info\"\n").0);
        assert_eq!(config.severity_for("stagenamecasing"), Some(Severity::Info));
        assert_eq!(config.selection.ignore, ["FromAsCasing"]);
    }
}
