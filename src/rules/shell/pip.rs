//! Reading `pip install` command lines (`pip`, `pip3`, `python3 -m pip`, `pipx`), shared by DL3013
//! and DL3042.

use super::support::{CommandLine, Options};
use crate::syntax::{ShellScript, ShellWord, SimpleCommand};

/// pip install's options that take a value.
const PIP_OPTIONS: Options = Options {
    short_values: "rceitfbC",
    long_values: &[
        "requirement",
        "constraint",
        "editable",
        "index-url",
        "extra-index-url",
        "target",
        "find-links",
        "prefix",
        "root",
        "src",
        "upgrade-strategy",
        "platform",
        "python-version",
        "implementation",
        "abi",
        "no-binary",
        "only-binary",
        "progress-bar",
        "cache-dir",
        "log",
        "proxy",
        "retries",
        "timeout",
        "exists-action",
        "trusted-host",
        "cert",
        "client-cert",
        "global-option",
        "config-settings",
        "report",
        "python",
        "pip-args",
    ],
};

/// One `pip install`.
pub(super) struct PipInstall<'s> {
    pub(super) command: &'s SimpleCommand,
    pub(super) line: CommandLine<'s>,
    pub(super) install: &'s ShellWord,
    /// `pipx install`, which has no `--no-cache-dir`.
    pub(super) pipx: bool,
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(program: &str) -> bool {
    program.strip_prefix("python").is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The script's `pip install` commands.
pub(super) fn pip_installs(script: &ShellScript) -> impl Iterator<Item = PipInstall<'_>> {
    script.commands.iter().filter_map(|command| {
        let program = command.program()?;
        let (args, pipx) = if is_pip(program) {
            (command.args.as_slice(), false)
        } else if program == "pipx" {
            (command.args.as_slice(), true)
        } else if is_python(program) {
            // `python -m pip install …`
            let at = command.args.iter().position(|a| a.value == "-m")?;
            if command.args.get(at + 1)?.value != "pip" {
                return None;
            }
            (command.args.get(at + 2..)?, false)
        } else {
            return None;
        };
        let line = CommandLine::read(args, &PIP_OPTIONS);
        let install = *line.operands.first().filter(|w| w.value == "install")?;
        Some(PipInstall { command, line, install, pipx })
    })
}
