//! Packages a RUN installs with a distribution's package manager (`apk add`, `apt-get install`,
//! `apt install`, `dnf`/`yum`/`microdnf install`, and tonistiigi/xx's `xx-apk`/`xx-apt-get`
//! wrappers), read from the shell model. The cgo rules ask whether a stage gets a C compiler, libc
//! headers, a CA bundle, tzdata or a libc compatibility layer this way.

use crate::syntax::{ShellScript, SimpleCommand, TextRange};

/// One package named on an install command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledPackage {
    /// The package name without a version, release or architecture (`gcc=12.2-r0` → `gcc`).
    pub name: String,
    /// The word in the Dockerfile.
    pub range: TextRange,
    /// The program that installs it: `apk`, `apt-get`, `apt`, `dnf`, `yum`, `microdnf`, `xx-apk`, …
    pub tool: String,
}

/// What the install commands of one script add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Installs {
    pub packages: Vec<InstalledPackage>,
    /// Some install command names packages through a variable or substitution, or the script could
    /// not be read completely: what it installs is not fully known.
    pub incomplete: bool,
}

/// The packages the script's install commands add.
pub fn installed_packages(script: &ShellScript) -> Installs {
    let mut installs = Installs { incomplete: script.has_errors, ..Installs::default() };
    for command in &script.commands {
        let Some(tool) = command.program() else { continue };
        let (verbs, value_options): (&[&str], &[&str]) = match tool {
            "apk" | "xx-apk" => (&["add"], APK_VALUE_OPTIONS),
            "apt-get" | "apt" | "xx-apt-get" | "xx-apt" => (&["install"], APT_VALUE_OPTIONS),
            "dnf" | "yum" | "microdnf" | "tdnf" => (&["install"], DNF_VALUE_OPTIONS),
            _ => continue,
        };
        read_install(command, tool, verbs, value_options, &mut installs);
    }
    installs
}

/// apk options that take the next word as their value.
const APK_VALUE_OPTIONS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "--repositories-file",
    "-p",
    "--root",
    "--keys-dir",
    "--arch",
    "--cache-dir",
];
/// apt-get/apt options that take the next word as their value.
const APT_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
    "-a",
    "--host-architecture",
];
/// dnf/yum options that take the next word as their value.
const DNF_VALUE_OPTIONS: &[&str] = &["-c", "--config", "-x", "--exclude", "--releasever", "--installroot", "-d", "-e"];

fn read_install(command: &SimpleCommand, tool: &str, verbs: &[&str], value_options: &[&str], installs: &mut Installs) {
    let mut words = command.args.iter();
    let mut verb_seen = false;
    while let Some(word) = words.next() {
        let value = word.value.as_str();
        if value.starts_with('-') {
            if !value.contains('=') && value_options.contains(&value) {
                words.next();
            }
            continue;
        }
        if !verb_seen {
            if word.dynamic {
                // `apk $CMD …`: which subcommand runs is not known.
                installs.incomplete = true;
                return;
            }
            if !verbs.contains(&value) {
                return;
            }
            verb_seen = true;
            continue;
        }
        if word.dynamic {
            installs.incomplete = true;
            continue;
        }
        installs.packages.push(InstalledPackage { name: bare_name(value), range: word.range, tool: tool.to_string() });
    }
}

/// `gcc=12.2.0-r0`, `gcc>12`, `gcc~12`, `gcc/bookworm-backports`, `gcc:arm64` → `gcc`.
fn bare_name(package: &str) -> String {
    let end = package.find(['=', '<', '>', '~', '/', ':']).unwrap_or(package.len());
    package[..end].to_string()
}

/// Whether installing the package gives the stage a C compiler cgo can use (`gcc`, `clang`,
/// `build-base`, `build-essential`, `alpine-sdk`, versioned or cross variants such as `gcc-12`,
/// `gcc-aarch64-linux-gnu`, `crossbuild-essential-arm64`).
pub fn is_c_compiler(name: &str) -> bool {
    matches!(name, "gcc" | "clang" | "g++" | "build-base" | "build-essential" | "alpine-sdk")
        || ["gcc-", "clang-", "g++-", "crossbuild-essential"].iter().any(|prefix| name.starts_with(prefix))
}

/// Whether installing the package brings the C library headers cgo needs next to the compiler
/// (on Alpine, `gcc` alone does not: `musl-dev` or `build-base` does).
pub fn provides_libc_headers(name: &str) -> bool {
    matches!(name, "musl-dev" | "libc-dev" | "libc6-dev" | "build-base" | "alpine-sdk" | "build-essential" | "g++")
        || name.starts_with("crossbuild-essential")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_shell;

    fn names(text: &str) -> (Vec<String>, bool) {
        let installs = installed_packages(&parse_shell(text));
        (installs.packages.into_iter().map(|p| format!("{}:{}", p.tool, p.name)).collect(), installs.incomplete)
    }

    #[test]
    fn apk_and_apt_installs_with_options_and_versions() {
        let (found, incomplete) =
            names("apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev && apk del .build-deps");
        assert_eq!(found, ["apk:gcc", "apk:musl-dev"]);
        assert!(!incomplete);
        let (found, _) = names(
            "apt-get update && apt-get -y -o Dpkg::Use-Pty=0 install --no-install-recommends gcc-12:arm64 tzdata",
        );
        assert_eq!(found, ["apt-get:gcc-12", "apt-get:tzdata"]);
        let (found, _) = names("xx-apk --update add musl-dev gcc; dnf install -y ca-certificates");
        assert_eq!(found, ["xx-apk:musl-dev", "xx-apk:gcc", "dnf:ca-certificates"]);
    }

    #[test]
    fn other_subcommands_and_programs_install_nothing() {
        assert_eq!(names("apk del gcc && apt-get remove gcc && echo apk add gcc"), (vec![], false));
        assert_eq!(names("apk update"), (vec![], false));
    }

    #[test]
    fn variables_make_the_list_incomplete() {
        let (found, incomplete) = names("apk add --no-cache git $BUILD_DEPS");
        assert_eq!(found, ["apk:git"]);
        assert!(incomplete);
        assert!(names("apk $VERB gcc").1);
    }

    #[test]
    fn compilers_and_headers() {
        for compiler in ["gcc", "clang", "build-base", "build-essential", "gcc-aarch64-linux-gnu", "clang-16"] {
            assert!(is_c_compiler(compiler), "{compiler}");
        }
        for other in ["musl-dev", "git", "gcompat", "libgcc"] {
            assert!(!is_c_compiler(other), "{other}");
        }
        assert!(provides_libc_headers("musl-dev") && provides_libc_headers("build-base"));
        assert!(!provides_libc_headers("gcc"));
    }
}
