//! Signature help for `go build`, `go install` and `go run` inside RUN: the command's synopsis,
//! the flag (or package, or program argument) under the cursor, and a one-line description of it.

use super::Signature;
use crate::syntax::{GoCommand, GoSubcommand, Parse, SimpleCommand, TextRange, run_script};

/// A build flag: its name, the parameter it takes (empty for a boolean), what it does, and
/// whether `go install` and `go run` take it too (`-o` is for `go build` only).
struct BuildFlag {
    name: &'static str,
    parameter: &'static str,
    doc: &'static str,
    build_only: bool,
}

const fn flag(name: &'static str, parameter: &'static str, doc: &'static str) -> BuildFlag {
    BuildFlag { name, parameter, doc, build_only: false }
}

/// The build flags shown in the synopsis, the common ones first.
const FLAGS: &[BuildFlag] = &[
    BuildFlag {
        name: "o",
        parameter: "<file|dir/>",
        doc: "Where the program is written: a file, or a directory (ending in `/`) for several.",
        build_only: true,
    },
    flag(
        "ldflags",
        "'<linker flags>'",
        "Flags for the linker: `-s -w` drop debug data, `-X path.name=value` sets a string variable.",
    ),
    flag("tags", "<tag,...>", "Extra build tags, comma-separated, that `//go:build` lines may ask for."),
    flag("trimpath", "", "Records module paths instead of this machine's paths: reproducible binaries."),
    flag("mod", "<readonly|vendor|mod>", "Module mode: go.mod as it is, build from vendor/, or update go.mod."),
    flag("buildvcs", "<auto|true|false>", "Whether to stamp version control data; `false` when .git is not copied."),
    flag("race", "", "Adds the race detector (needs cgo)."),
    flag("gcflags", "'<compiler flags>'", "Flags for the compiler, e.g. `all=-N -l` for a debugger."),
    flag("buildmode", "<mode>", "What to produce: `exe` (default), `pie`, `c-shared`, `plugin`, …"),
    flag(
        "pgo",
        "<file|auto|off>",
        "The profile for profile-guided optimisation (`auto`: default.pgo of the main package).",
    ),
    flag("p", "<n>", "How many packages are built at the same time."),
    flag("a", "", "Rebuilds every package, even those that are up to date."),
    flag("v", "", "Prints each package as it is compiled."),
    flag("x", "", "Prints every command the build runs."),
    flag("C", "<dir>", "Changes to this directory before anything else (must be the first flag)."),
];

/// Flags not in the synopsis that still get a description when the cursor is on them.
const OTHER_FLAGS: &[(&str, &str)] = &[
    ("n", "Prints the commands without running them."),
    ("work", "Keeps the temporary work directory and prints where it is."),
    ("modcacherw", "Leaves the module cache writable."),
    ("modfile", "Uses this file instead of go.mod."),
    ("installsuffix", "A suffix for the package install directory (a leftover since Go 1.20)."),
    ("asmflags", "Flags for the assembler."),
    ("overlay", "A JSON file that replaces source files for this build."),
    ("cover", "Builds with coverage instrumentation."),
    ("msan", "Builds with the memory sanitizer (needs cgo)."),
    ("asan", "Builds with the address sanitizer (needs cgo)."),
    ("linkshared", "Links against shared libraries built with `-buildmode=shared`."),
    ("json", "Prints the build output as JSON."),
];

/// The signature of the `go` command under `offset` in the RUN at `index`, if there is one.
pub(super) fn go_signature(parse: &Parse, index: usize, offset: usize) -> Option<Signature> {
    let script = run_script(parse.text(), parse.dockerfile(), index)?;
    let command = command_at(parse.text(), &script.commands, offset)?;
    let go = GoCommand::from_shell(command)?;
    // The positional parameters with what they are.
    let (name, positional): (&str, &[(&str, &str)]) = match go.subcommand {
        GoSubcommand::Build => ("build", &[("[<packages>]", "The packages to build: `./cmd/app`, `.`, `./...`.")]),
        GoSubcommand::Install => (
            "install",
            &[(
                "<packages|pkg@version>",
                "The programs to install into GOBIN; `pkg@version` installs a tool without touching go.mod.",
            )],
        ),
        GoSubcommand::Run => (
            "run",
            &[
                ("<package|files.go>", "The main package to compile and run: a directory or its .go files."),
                ("[<arguments>...]", "What the program gets as its arguments; flags after the package are its own."),
            ],
        ),
        _ => return None,
    };
    if offset <= go.subcommand_range.start {
        return None;
    }
    let build = go.subcommand == GoSubcommand::Build;
    let shown: Vec<&BuildFlag> = FLAGS.iter().filter(|f| build || !f.build_only).collect();
    let mut label = format!("go {name}");
    let mut parameters = Vec::with_capacity(shown.len() + 1);
    for flag in &shown {
        label.push(' ');
        let start = label.len();
        if flag.parameter.is_empty() {
            label += &format!("[-{}]", flag.name);
        } else {
            label += &format!("[-{} {}]", flag.name, flag.parameter);
        }
        parameters.push((start, label.len()));
    }
    for (parameter, _) in positional {
        label.push(' ');
        let start = label.len();
        label += parameter;
        parameters.push((start, label.len()));
    }
    let (active_parameter, documentation) = match active_flag(parse.text(), &go, offset) {
        Some(flag_name) => match shown.iter().position(|f| f.name == flag_name) {
            Some(i) => (Some(i), Some(shown[i].doc.to_string())),
            None => (None, other_flag_doc(flag_name)),
        },
        None if offset > go.subcommand_range.end => {
            // `go run pkg args…`: past the package, the program's arguments.
            let past_package = go.packages.iter().any(|w| w.range.end < offset)
                || go.program_args.iter().any(|w| w.range.start < offset);
            let slot = if past_package { positional.len() - 1 } else { 0 };
            (Some(shown.len() + slot), positional.get(slot).map(|(_, doc)| doc.to_string()))
        }
        None => (None, None),
    };
    Some(Signature { label, parameters, active_parameter, documentation })
}

/// The command the cursor is in, or right after on the same line.
fn command_at<'s>(text: &str, commands: &'s [SimpleCommand], offset: usize) -> Option<&'s SimpleCommand> {
    commands.iter().filter(|c| c.range.start <= offset).rev().find(|c| {
        c.range.touches(offset)
            || text.get(c.range.end..offset).is_some_and(|gap| gap.chars().all(|ch| ch == ' ' || ch == '\t'))
    })
}

/// The flag the cursor is on: inside its name or value, or just after a flag still waiting for
/// its value (`-o |`).
fn active_flag<'g>(text: &str, go: &'g GoCommand, offset: usize) -> Option<&'g str> {
    if go.packages.iter().chain(&go.program_args).any(|w| w.range.touches(offset) && w.range.start < offset) {
        return None;
    }
    if let Some(flag) = go.flags.iter().find(|f| f.range.touches(offset)) {
        return Some(flag.name.as_str());
    }
    let waiting = go.flags.iter().rev().find(|f| f.range.end <= offset)?;
    let gap = text.get(TextRange::new(waiting.range.end, offset).as_range())?;
    let takes_value = FLAGS.iter().any(|f| f.name == waiting.name && !f.parameter.is_empty());
    (waiting.value.is_none() && takes_value && gap.chars().all(|c| c == ' ' || c == '\t'))
        .then_some(waiting.name.as_str())
}

fn other_flag_doc(name: &str) -> Option<String> {
    OTHER_FLAGS.iter().find(|(n, _)| *n == name).map(|(_, doc)| doc.to_string())
}
