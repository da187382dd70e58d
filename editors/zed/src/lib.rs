//! The gantry extension for Zed: starts `gantry lsp` for Dockerfiles (see `command` for how the
//! binary is found) and passes the user's `lsp.gantry` settings on.

pub mod command;

#[cfg(target_family = "wasm")]
mod extension {
    use zed_extension_api::{self as zed, LanguageServerId, Result, settings::LspSettings};

    use crate::command::{BinarySettings, server_command, workspace_configuration};

    const SERVER: &str = "gantry";

    struct Gantry;

    impl zed::Extension for Gantry {
        fn new() -> Self {
            Gantry
        }

        fn language_server_command(&mut self, _: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
            let binary =
                LspSettings::for_worktree(SERVER, worktree).ok().and_then(|s| s.binary).map(|b| BinarySettings {
                    path: b.path,
                    arguments: b.arguments,
                    env: b.env.map(|env| env.into_iter().collect()).unwrap_or_default(),
                });
            let command = server_command(binary, worktree.which("gantry"))?;
            let mut env = worktree.shell_env();
            env.extend(command.env);
            Ok(zed::Command { command: command.command, args: command.args, env })
        }

        fn language_server_initialization_options(
            &mut self,
            _: &LanguageServerId,
            worktree: &zed::Worktree,
        ) -> Result<Option<zed::serde_json::Value>> {
            let settings = LspSettings::for_worktree(SERVER, worktree).ok();
            Ok(settings.and_then(|s| s.initialization_options.or(s.settings)))
        }

        fn language_server_workspace_configuration(
            &mut self,
            _: &LanguageServerId,
            worktree: &zed::Worktree,
        ) -> Result<Option<zed::serde_json::Value>> {
            Ok(workspace_configuration(LspSettings::for_worktree(SERVER, worktree).ok().and_then(|s| s.settings)))
        }
    }

    zed::register_extension!(Gantry);
}
