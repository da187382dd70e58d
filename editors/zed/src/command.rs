//! How Zed starts gantry: the binary from the `lsp.gantry.binary` settings, else `gantry` on the
//! worktree's PATH, with `lsp` as its argument; and the settings it passes on. Plain Rust, so
//! that it is tested on the host.

use serde_json::{Value, json};

/// The `lsp.gantry.binary` settings, as Zed gives them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BinarySettings {
    pub path: Option<String>,
    pub arguments: Option<Vec<String>>,
    pub env: Vec<(String, String)>,
}

/// The command line Zed runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCommand {
    pub command: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

/// What the user reads when gantry cannot be found.
pub const NOT_FOUND: &str = "gantry was not found on PATH. Install it with `cargo install --locked --path .` \
     from a clone of the gantry repository (Rust 1.95 or newer), or set \
     `lsp.gantry.binary.path` in Zed's settings to the gantry executable.";

/// Chooses the command: a configured path wins, then `gantry` found on PATH (`which`).
pub fn server_command(binary: Option<BinarySettings>, which: Option<String>) -> Result<ServerCommand, String> {
    let binary = binary.unwrap_or_default();
    let configured = binary.path.filter(|path| !path.trim().is_empty());
    let Some(command) = configured.or(which) else {
        return Err(NOT_FOUND.to_string());
    };
    let args = binary.arguments.unwrap_or_else(|| vec!["lsp".to_string()]);
    Ok(ServerCommand { command, args, env: binary.env })
}

/// The answer to the server's `workspace/configuration` request for the `gantry` section: the
/// user's `lsp.gantry.settings`, which use gantry.toml's keys.
pub fn workspace_configuration(settings: Option<Value>) -> Option<Value> {
    let settings = settings?;
    // Users may write the keys directly or under a `gantry` key; the section is `gantry`.
    match settings.get("gantry") {
        Some(_) => Some(settings),
        None => Some(json!({ "gantry": settings })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gantry_on_path_runs_as_gantry_lsp() {
        let command = server_command(None, Some("/usr/local/bin/gantry".to_string()));
        assert_eq!(
            command,
            Ok(ServerCommand {
                command: "/usr/local/bin/gantry".to_string(),
                args: vec!["lsp".to_string()],
                env: vec![]
            })
        );
    }

    #[test]
    fn a_configured_path_wins_and_keeps_the_default_arguments() {
        let binary = BinarySettings { path: Some("/opt/gantry".to_string()), ..BinarySettings::default() };
        let command = server_command(Some(binary), Some("/usr/bin/gantry".to_string())).expect("a command");
        assert_eq!(command.command, "/opt/gantry");
        assert_eq!(command.args, ["lsp"]);
    }

    #[test]
    fn configured_arguments_and_environment_are_passed_on() {
        let binary = BinarySettings {
            path: None,
            arguments: Some(vec!["lsp".to_string(), "--stdio".to_string()]),
            env: vec![("GANTRY_LOG".to_string(), "debug".to_string())],
        };
        let command = server_command(Some(binary), Some("gantry".to_string())).expect("a command");
        assert_eq!(command.args, ["lsp", "--stdio"]);
        assert_eq!(command.env, [("GANTRY_LOG".to_string(), "debug".to_string())]);
    }

    #[test]
    fn a_blank_path_falls_back_to_path_and_nothing_found_explains_how_to_install() {
        let blank = BinarySettings { path: Some("  ".to_string()), ..BinarySettings::default() };
        assert_eq!(
            server_command(Some(blank.clone()), Some("/bin/gantry".to_string())).map(|c| c.command),
            Ok("/bin/gantry".to_string())
        );
        let error = server_command(Some(blank), None).expect_err("nothing to run");
        assert!(error.contains("cargo install --locked --path ."), "{error}");
        assert!(error.contains("lsp.gantry.binary.path"), "{error}");
    }

    #[test]
    fn settings_are_answered_under_the_gantry_section() {
        assert_eq!(workspace_configuration(None), None);
        let bare = json!({ "ignore": ["DL3008"] });
        assert_eq!(workspace_configuration(Some(bare)), Some(json!({ "gantry": { "ignore": ["DL3008"] } })));
        let wrapped = json!({ "gantry": { "ignore": ["DL3008"] } });
        assert_eq!(workspace_configuration(Some(wrapped.clone())), Some(wrapped));
    }
}
