//! Reading `apk` command lines, shared by DL3018 and DL3019.

use super::support::{CommandLine, Options};
use crate::syntax::{ShellScript, ShellWord, SimpleCommand};

/// apk's options that take a value.
const APK_OPTIONS: Options = Options {
    short_values: "Xtp",
    long_values: &[
        "repository",
        "virtual",
        "root",
        "arch",
        "cache-dir",
        "keys-dir",
        "repositories-file",
        "wait",
        "progress-fd",
        "cache-max-age",
    ],
};

/// One `apk add`.
pub(super) struct ApkAdd<'s> {
    pub(super) command: &'s SimpleCommand,
    pub(super) line: CommandLine<'s>,
    pub(super) add: &'s ShellWord,
}

/// The script's `apk add` commands.
pub(super) fn apk_adds(script: &ShellScript) -> impl Iterator<Item = ApkAdd<'_>> {
    script.commands_running("apk").filter_map(|command| {
        let line = CommandLine::read(&command.args, &APK_OPTIONS);
        let add = *line.operands.first().filter(|w| w.value == "add")?;
        Some(ApkAdd { command, line, add })
    })
}
