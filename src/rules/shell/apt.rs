//! Reading `apt-get` and `apt` command lines, shared by the apt rules (DL3008, DL3009, DL3014,
//! DL3015, DL3027).

use super::support::{CommandLine, Options};
use crate::syntax::{ShellScript, ShellWord, SimpleCommand};

/// apt-get's options that take a value (`-o Foo=bar`, `-t bookworm-backports`, …).
pub(super) const APT_OPTIONS: Options = Options {
    short_values: "octa",
    long_values: &["option", "config-file", "target-release", "default-release", "host-architecture"],
};

/// One `apt-get` (or `apt`) invocation.
pub(super) struct AptCommand<'s> {
    pub(super) command: &'s SimpleCommand,
    pub(super) line: CommandLine<'s>,
}

impl<'s> AptCommand<'s> {
    pub(super) fn subcommand(&self) -> Option<&'s str> {
        self.line.subcommand()
    }

    pub(super) fn subcommand_word(&self) -> Option<&'s ShellWord> {
        self.line.operands.first().copied()
    }

    pub(super) fn installs(&self) -> bool {
        self.subcommand() == Some("install")
    }

    /// An `-o Name=value` setting, compared without case as apt does.
    pub(super) fn setting(&self, name: &str) -> Option<&'s str> {
        self.line.options.iter().filter(|(option, _)| matches!(*option, "o" | "option")).find_map(|&(_, value)| {
            let (key, value) = value?.split_once('=')?;
            key.eq_ignore_ascii_case(name).then_some(value)
        })
    }
}

/// Whether an apt setting value means "yes".
pub(super) fn is_true(value: &str) -> bool {
    matches!(value.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

/// The script's `apt-get` commands (and `apt` ones when `with_apt`).
pub(super) fn apt_commands(script: &ShellScript, with_apt: bool) -> impl Iterator<Item = AptCommand<'_>> {
    script
        .commands
        .iter()
        .filter(move |c| c.is("apt-get") || (with_apt && c.is("apt")))
        .map(|command| AptCommand { command, line: CommandLine::read(&command.args, &APT_OPTIONS) })
}
