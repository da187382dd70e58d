//! The targets for the other files gantry reads: `.dockerignore`, Compose and Bake files, and the
//! configuration (`gantry.toml`, `.hadolint.yaml`, editor settings as JSON).

use super::invariants::{assert_debug_ranges, assert_range};
use crate::rules::config::{parse_gantry_toml, parse_hadolint_yaml, parse_settings_json};
use crate::rules::{Config, ConfigProblem, check_with_config};
use crate::syntax;
use crate::workspace::{parse_bake, parse_compose, parse_dockerignore};

/// Paths every ignore file is asked about, besides the lines of the file itself.
const PATHS: &[&str] =
    &["go.mod", "go.sum", "cmd/app/main.go", "vendor/modules.txt", ".git/HEAD", "Dockerfile", "a/b/c", ".", ""];

pub(super) fn dockerignore(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let ignore = parse_dockerignore(&text);
    assert_debug_ranges(&text, &format!("{ignore:?}"), &[], ".dockerignore");
    let _ = ignore.has_exceptions();
    for path in PATHS.iter().copied().chain(text.lines().take(32)) {
        let excluded = ignore.is_excluded(path);
        let decided = ignore.deciding_pattern(path);
        assert_eq!(
            excluded,
            decided.is_some_and(|p| !p.exception),
            "is_excluded and deciding_pattern disagree on {path:?}"
        );
    }
}

pub(super) fn build_files(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for file in [parse_compose(&text), parse_bake(&text)] {
        for target in &file.targets {
            let _ = (target.context.literal(), target.dockerfile.literal());
        }
    }
}

/// A small Dockerfile that wakes severity overrides, selections and suppressions.
const PROBE: &str = "# hadolint ignore=DL3008\nFROM debian\nRUN apt-get install curl\nCMD ls\n";

pub(super) fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let probe = syntax::parse(PROBE);
    let check_problems = |problems: &[ConfigProblem]| {
        for problem in problems {
            assert_range(&text, problem.range, &problem.message);
        }
    };
    let (toml_layer, problems) = parse_gantry_toml(&text);
    check_problems(&problems);
    let (yaml_layer, problems) = parse_hadolint_yaml(&text);
    check_problems(&problems);
    let mut config = Config::default();
    config.merge(yaml_layer);
    config.merge(toml_layer);
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        let (layer, _) = parse_settings_json(&value);
        config.merge(layer);
    }
    for diagnostic in check_with_config(&probe, &config) {
        assert_range(PROBE, diagnostic.range, &diagnostic.code);
    }
}
