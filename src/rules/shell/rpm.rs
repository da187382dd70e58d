//! Reading `yum`, `dnf`, `microdnf` and `zypper` command lines, shared by their rules (DL3030 to
//! DL3041).

use super::support::{CommandLine, Options, is_opaque, mount_covers, removes};
use crate::syntax::{Instruction, ShellScript, ShellWord, SimpleCommand};

/// The RPM package managers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Manager {
    Yum,
    /// dnf and microdnf.
    Dnf,
    Zypper,
}

impl Manager {
    fn runs(self, command: &SimpleCommand) -> bool {
        match self {
            Manager::Yum => command.is("yum"),
            Manager::Dnf => command.is("dnf") || command.is("microdnf") || command.is("dnf5"),
            Manager::Zypper => command.is("zypper"),
        }
    }

    fn options(self) -> &'static Options {
        match self {
            Manager::Yum | Manager::Dnf => &YUM_OPTIONS,
            Manager::Zypper => &ZYPPER_OPTIONS,
        }
    }

    /// Where the manager keeps downloaded packages and metadata.
    fn cache_dir(self) -> &'static str {
        match self {
            Manager::Yum => "/var/cache/yum",
            Manager::Dnf => "/var/cache/dnf",
            Manager::Zypper => "/var/cache/zypp",
        }
    }
}

const YUM_OPTIONS: Options = Options {
    short_values: "cdeRx",
    long_values: &[
        "config",
        "setopt",
        "enablerepo",
        "disablerepo",
        "exclude",
        "installroot",
        "releasever",
        "repo",
        "repoid",
        "repofrompath",
        "downloaddir",
        "destdir",
        "forcearch",
        "color",
    ],
};

const ZYPPER_OPTIONS: Options = Options {
    short_values: "RpDCtr",
    long_values: &["root", "plus-repo", "reposd-dir", "cache-dir", "type", "repo", "from", "config"],
};

/// One invocation of an RPM package manager.
pub(super) struct RpmCommand<'s> {
    pub(super) command: &'s SimpleCommand,
    pub(super) line: CommandLine<'s>,
    pub(super) subcommand: Option<&'s ShellWord>,
}

impl<'s> RpmCommand<'s> {
    pub(super) fn is(&self, subcommands: &[&str]) -> bool {
        self.subcommand.is_some_and(|s| subcommands.contains(&s.value.as_str()))
    }

    /// The package operands that name no version.
    pub(super) fn unpinned(&self, manager: Manager) -> Vec<&'s str> {
        self.line
            .arguments()
            .iter()
            .filter(|word| !is_opaque(word))
            .map(|word| word.value.as_str())
            .filter(|package| !pinned(manager, package))
            .collect()
    }
}

pub(super) fn rpm_commands(script: &ShellScript, manager: Manager) -> impl Iterator<Item = RpmCommand<'_>> {
    script.commands.iter().filter(move |c| manager.runs(c)).map(move |command| {
        let line = CommandLine::read(&command.args, manager.options());
        let subcommand = line.operands.first().copied();
        RpmCommand { command, line, subcommand }
    })
}

/// `httpd-2.4.6`, `httpd-0:2.4.6-97.el7`, `nodejs:18` (module stream), `./x.rpm`; zypper writes
/// `httpd=2.4` or `httpd>=2.4` (quoted).
fn pinned(manager: Manager, package: &str) -> bool {
    if package.ends_with(".rpm") || package.starts_with(['.', '/']) || package.contains(['=', '<', '>']) {
        return true;
    }
    match manager {
        Manager::Zypper => false,
        Manager::Yum | Manager::Dnf => {
            package.contains(':')
                || package.match_indices('-').any(|(at, _)| package[at + 1..].starts_with(|c: char| c.is_ascii_digit()))
        }
    }
}

/// Whether the RUN leaves the manager's cache out of the layer: its clean command, an `rm` of the
/// cache directory, or a cache mount over it.
pub(super) fn cleans_up(script: &ShellScript, instruction: &Instruction, manager: Manager) -> bool {
    let cleaned = rpm_commands(script, manager).any(|c| match manager {
        Manager::Zypper => c.is(&["clean", "cc"]),
        // `clean all`; `clean packages`/`metadata` alone leave part of the cache.
        Manager::Yum | Manager::Dnf => c.is(&["clean"]) && c.line.operands.get(1).is_some_and(|w| w.value == "all"),
    });
    let dirs: &[&str] = match manager {
        // dnf on older releases still writes under /var/cache/yum.
        Manager::Dnf => &["/var/cache/dnf", "/var/cache/yum"],
        _ => &[manager.cache_dir()],
    };
    cleaned || dirs.iter().any(|dir| removes(script, dir) || mount_covers(instruction, dir))
}
