//! `go` command lines inside RUN: `go build`, `go install`, `go run`, `go get`, `go mod …`, with their
//! environment prefix, flags, packages and a structured reading of `-ldflags`.
//!
//! Built on the shell model, so quoting, continuations and `&&` chains are already resolved; every
//! piece keeps its range in the Dockerfile. Nothing here fails: a flag gantry does not know is kept
//! as written, and a malformed `-ldflags` string is reported through [`LinkerFlags::errors`].

use super::{ShellWord, SimpleCommand, TextRange};

/// The `go` subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoSubcommand {
    Build,
    Install,
    Run,
    Get,
    Test,
    Vet,
    Generate,
    /// `go mod <verb>`: `download`, `tidy`, `vendor`, `verify`, …
    Mod(String),
    /// `go work <verb>`.
    Work(String),
    Env,
    Version,
    Other(String),
}

impl GoSubcommand {
    /// Whether this subcommand compiles packages and takes the build flags.
    pub fn builds(&self) -> bool {
        matches!(self, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test)
    }
}

/// A flag of a `go` command: `-o app`, `-trimpath`, `-ldflags=-s -w`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoFlag {
    /// Without dashes: `o`, `ldflags`, `trimpath`.
    pub name: String,
    /// The flag word(s), value included.
    pub range: TextRange,
    /// The value, whether written as `-flag=value` or `-flag value`. For `-flag=value` the word is
    /// the whole argument, with `value` cut to what follows `=`.
    pub value: Option<ShellWord>,
}

/// One `go` invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoCommand {
    /// The whole simple command.
    pub range: TextRange,
    pub subcommand: GoSubcommand,
    pub subcommand_range: TextRange,
    /// `NAME=value` prefixes, from the shell (`CGO_ENABLED=0 go build`) or `env NAME=value go …`.
    pub env: Vec<(String, Option<ShellWord>)>,
    pub flags: Vec<GoFlag>,
    /// Package patterns, files or (for `go get`/`go install`) `path@version` arguments.
    pub packages: Vec<ShellWord>,
    /// For `go run`: the arguments passed to the program.
    pub program_args: Vec<ShellWord>,
}

/// Build flags that take no value (`-flag` alone means true; `-flag=false` is allowed).
const BOOLEAN_FLAGS: &[&str] = &[
    "a",
    "n",
    "race",
    "msan",
    "asan",
    "cover",
    "v",
    "work",
    "trimpath",
    "linkshared",
    "modcacherw",
    "buildvcs",
    "json",
    "i",
    "u",
    "t",
    "d",
    "insecure",
    "x",
    "e",
    "m",
    "f",
    "fix",
    "compat",
    "benchmem",
    "short",
    "failfast",
];

impl GoCommand {
    /// Reads `command` as a `go` invocation (directly, or after `env NAME=value …`).
    pub fn from_shell(command: &SimpleCommand) -> Option<GoCommand> {
        let mut env: Vec<(String, Option<ShellWord>)> =
            command.assignments.iter().map(|a| (a.name.clone(), a.value.clone())).collect();
        let mut words: Vec<&ShellWord> = Vec::new();
        match command.program()? {
            "go" => words.extend(command.args.iter()),
            "env" => {
                let mut rest = command.args.iter().peekable();
                while let Some(word) = rest.next_if(|w| w.value.starts_with('-') || w.value.contains('=')) {
                    if let Some((name, value)) = word.value.split_once('=')
                        && !word.value.starts_with('-')
                    {
                        let mut value_word = word.clone();
                        value_word.value = value.to_string();
                        env.push((name.to_string(), Some(value_word)));
                    }
                }
                rest.next().filter(|w| !w.dynamic && (w.value == "go" || w.value.ends_with("/go")))?;
                words.extend(rest);
            }
            _ => return None,
        }
        let mut words = words.into_iter().peekable();
        // `go -C dir build …` is not valid Go (-C goes after the subcommand); take what is there.
        let first = words.next()?;
        let (subcommand, subcommand_range) = match first.value.as_str() {
            "build" => (GoSubcommand::Build, first.range),
            "install" => (GoSubcommand::Install, first.range),
            "run" => (GoSubcommand::Run, first.range),
            "get" => (GoSubcommand::Get, first.range),
            "test" => (GoSubcommand::Test, first.range),
            "vet" => (GoSubcommand::Vet, first.range),
            "generate" => (GoSubcommand::Generate, first.range),
            "env" => (GoSubcommand::Env, first.range),
            "version" => (GoSubcommand::Version, first.range),
            "mod" | "work" => {
                let verb = words.next_if(|w| !w.value.starts_with('-'));
                let range = verb.map_or(first.range, |v| first.range.cover(v.range));
                let verb = verb.map(|v| v.value.clone()).unwrap_or_default();
                if first.value == "mod" { (GoSubcommand::Mod(verb), range) } else { (GoSubcommand::Work(verb), range) }
            }
            other => (GoSubcommand::Other(other.to_string()), first.range),
        };
        let mut flags = Vec::new();
        let mut packages = Vec::new();
        let mut program_args = Vec::new();
        let mut flags_done = false;
        while let Some(word) = words.next() {
            if subcommand == GoSubcommand::Run && !packages.is_empty() {
                // `go run pkg args…`: everything after the package goes to the program, except
                // more .go files of the same package.
                if word.value.ends_with(".go") && program_args.is_empty() {
                    packages.push(word.clone());
                } else {
                    program_args.push(word.clone());
                }
                continue;
            }
            if flags_done || !word.value.starts_with('-') || word.value == "-" {
                flags_done = true;
                packages.push(word.clone());
                continue;
            }
            if word.value == "--" {
                flags_done = true;
                continue;
            }
            let body = word.value.trim_start_matches('-');
            let (name, inline) = match body.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (body.to_string(), None),
            };
            let value = match inline {
                Some(value) => {
                    let mut value_word = word.clone();
                    value_word.value = value;
                    Some(value_word)
                }
                None if BOOLEAN_FLAGS.contains(&name.as_str()) => None,
                None => words.next().cloned(),
            };
            let range = value.as_ref().map_or(word.range, |v| word.range.cover(v.range));
            flags.push(GoFlag { name, range, value });
        }
        Some(GoCommand { range: command.range, subcommand, subcommand_range, env, flags, packages, program_args })
    }

    /// The last occurrence of a flag (Go's flag package keeps the last value).
    pub fn flag(&self, name: &str) -> Option<&GoFlag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// A boolean flag's value: `-flag` or `-flag=true` is `Some(true)`.
    pub fn bool_flag(&self, name: &str) -> Option<bool> {
        let flag = self.flag(name)?;
        match flag.value.as_ref().map(|v| v.value.as_str()) {
            None | Some("true" | "1" | "t" | "T" | "TRUE" | "True") => Some(true),
            Some(_) => Some(false),
        }
    }

    /// The value given to an environment variable on this command line, if any.
    pub fn env_value(&self, name: &str) -> Option<&Option<ShellWord>> {
        self.env.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The `-ldflags` value read as linker flags.
    pub fn ldflags(&self) -> Option<LinkerFlags> {
        let flag = self.flag("ldflags")?;
        let word = flag.value.as_ref()?;
        Some(LinkerFlags::parse(word))
    }
}

/// One `-X importpath.name=value` definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XDefinition {
    /// `importpath.name` as written.
    pub target: String,
    /// Everything before the last `.` of the target (`main`, `github.com/x/y/version`).
    pub import_path: String,
    pub name: String,
    pub value: String,
    /// The `importpath.name` text in the Dockerfile, as near as the quoting allows.
    pub target_range: TextRange,
}

/// `-ldflags` read the way the go command and the linker read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkerFlags {
    /// The word that holds the flags.
    pub range: TextRange,
    /// `-s`: omit the symbol table.
    pub strip_symbols: bool,
    /// `-w`: omit DWARF.
    pub strip_dwarf: bool,
    pub definitions: Vec<XDefinition>,
    /// `-extldflags` value.
    pub extldflags: Option<String>,
    /// `-linkmode` value.
    pub linkmode: Option<String>,
    /// Every linker flag name seen, in order (for hover and unknown-flag checks).
    pub names: Vec<String>,
    /// Problems: unbalanced quotes, `-X` without `=`, a flag missing its value.
    pub errors: Vec<(String, TextRange)>,
    /// The value contains `$VAR` expansions: definitions may be incomplete.
    pub dynamic: bool,
}

/// Linker flags that take a value as the next argument.
const LINKER_VALUE_FLAGS: &[&str] = &[
    "X",
    "extldflags",
    "linkmode",
    "extld",
    "buildid",
    "buildmode",
    "r",
    "L",
    "I",
    "T",
    "R",
    "H",
    "E",
    "installsuffix",
    "tmpdir",
    "k",
    "memprofile",
    "cpuprofile",
    "o",
    "importcfg",
    "libgcc",
    "benchmark",
    "benchmarkprofile",
    "fipso",
    "pluginpath",
];

impl LinkerFlags {
    /// Splits `word`'s value with the go command's quoting rules (spaces separate; single or double
    /// quotes group) and reads the linker flags.
    pub fn parse(word: &ShellWord) -> LinkerFlags {
        let mut flags = LinkerFlags { range: word.range, dynamic: word.dynamic, ..LinkerFlags::default() };
        let (fields, unbalanced) = split_quoted(&word.value);
        if unbalanced {
            flags
                .errors
                .push(("unbalanced quote in -ldflags: the go command refuses the whole value".to_string(), word.range));
        }
        let locate = |needle: &str| -> TextRange {
            match word.text.find(needle) {
                // The word's text can differ from the source across continuations: stay inside it.
                Some(at) if !needle.is_empty() && word.range.start + at + needle.len() <= word.range.end => {
                    TextRange::new(word.range.start + at, word.range.start + at + needle.len())
                }
                _ => word.range,
            }
        };
        let mut fields = fields.into_iter().peekable();
        while let Some(field) = fields.next() {
            let Some(body) = field.strip_prefix('-') else {
                flags.errors.push((format!("`{field}` in -ldflags is not a linker flag"), locate(&field)));
                continue;
            };
            let body = body.strip_prefix('-').unwrap_or(body);
            let (name, inline) = match body.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (body.to_string(), None),
            };
            flags.names.push(name.clone());
            let value = if LINKER_VALUE_FLAGS.contains(&name.as_str()) {
                match inline {
                    Some(value) => Some(value),
                    None => match fields.next_if(|next| !next.starts_with('-') || name == "extldflags") {
                        Some(value) => Some(value),
                        None => {
                            flags.errors.push((format!("-{name} in -ldflags needs a value"), locate(&field)));
                            None
                        }
                    },
                }
            } else {
                inline
            };
            match (name.as_str(), value) {
                ("s", None) => flags.strip_symbols = true,
                ("w", None) => flags.strip_dwarf = true,
                ("s", Some(v)) => flags.strip_symbols = v != "false" && v != "0",
                ("w", Some(v)) => flags.strip_dwarf = v != "false" && v != "0",
                ("X", Some(definition)) => match definition.split_once('=') {
                    Some((target, value)) if target.contains('.') => {
                        let (import_path, name) = target.rsplit_once('.').unwrap_or(("", target));
                        flags.definitions.push(XDefinition {
                            target: target.to_string(),
                            import_path: import_path.to_string(),
                            name: name.to_string(),
                            value: value.to_string(),
                            target_range: locate(target),
                        });
                    }
                    _ => flags
                        .errors
                        .push((format!("-X takes `importpath.name=value`, not `{definition}`"), locate(&definition))),
                },
                ("extldflags", value) => flags.extldflags = value,
                ("linkmode", value) => flags.linkmode = value,
                _ => {}
            }
        }
        flags
    }
}

/// Go's `quoted.Split`: fields separated by spaces, single- or double-quoted fields kept whole.
/// Returns the fields and whether a quote was left open.
fn split_quoted(text: &str) -> (Vec<String>, bool) {
    let mut fields = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut field = String::new();
        if first == '\'' || first == '"' {
            chars.next();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == first {
                    closed = true;
                    break;
                }
                field.push(c);
            }
            if !closed {
                fields.push(field);
                return (fields, true);
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                field.push(c);
            }
        }
        fields.push(field);
    }
    (fields, false)
}

/// The `go` commands of a script, in order.
pub fn go_commands(commands: &[SimpleCommand]) -> impl Iterator<Item = GoCommand> + '_ {
    commands.iter().filter_map(GoCommand::from_shell)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_shell;

    fn go(text: &str) -> GoCommand {
        let script = parse_shell(text);
        go_commands(&script.commands).next().unwrap_or_else(|| panic!("no go command in {text}"))
    }

    #[test]
    fn build_with_env_flags_and_package() {
        let text = r#"CGO_ENABLED=0 GOOS=$TARGETOS go build -trimpath -o /out/app -ldflags="-s -w -X main.version=1.2" ./cmd/app"#;
        let command = go(text);
        assert_eq!(command.subcommand, GoSubcommand::Build);
        assert_eq!(command.env.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["CGO_ENABLED", "GOOS"]);
        assert_eq!(command.bool_flag("trimpath"), Some(true));
        assert_eq!(command.flag("o").and_then(|f| f.value.as_ref()).map(|v| v.value.as_str()), Some("/out/app"));
        assert_eq!(command.packages.iter().map(|p| p.value.as_str()).collect::<Vec<_>>(), ["./cmd/app"]);
        let ldflags = command.ldflags().unwrap();
        assert!(ldflags.strip_symbols && ldflags.strip_dwarf);
        assert_eq!(ldflags.definitions.len(), 1);
        let x = &ldflags.definitions[0];
        assert_eq!((x.import_path.as_str(), x.name.as_str(), x.value.as_str()), ("main", "version", "1.2"));
        assert_eq!(&text[x.target_range.as_range()], "main.version");
    }

    #[test]
    fn separated_flag_values_quoted_ldflags_and_extldflags() {
        let text = "go build -o app -ldflags '-X \"github.com/a/b/v.Commit=abc def\" -linkmode external -extldflags \"-static\"' .";
        let command = go(text);
        let ldflags = command.ldflags().unwrap();
        assert_eq!(ldflags.definitions[0].target, "github.com/a/b/v.Commit");
        assert_eq!(ldflags.definitions[0].import_path, "github.com/a/b/v");
        assert_eq!(ldflags.definitions[0].value, "abc def");
        assert_eq!(ldflags.linkmode.as_deref(), Some("external"));
        assert_eq!(ldflags.extldflags.as_deref(), Some("-static"));
        assert_eq!(ldflags.errors, []);
        assert_eq!(command.packages[0].value, ".");
    }

    #[test]
    fn malformed_ldflags_are_reported_not_dropped() {
        let ldflags = go("go build -ldflags '-X main.version -s' .").ldflags().unwrap();
        assert_eq!(ldflags.errors.len(), 1, "{:?}", ldflags.errors);
        let ldflags = go(r#"go build -ldflags "-X 'main.v=1" ."#).ldflags().unwrap();
        assert!(ldflags.errors.iter().any(|(m, _)| m.contains("unbalanced")), "{:?}", ldflags.errors);
    }

    #[test]
    fn run_install_get_mod_and_env_prefix() {
        let run = go("go run ./cmd/server --port 8080");
        assert_eq!(run.subcommand, GoSubcommand::Run);
        assert_eq!(run.packages[0].value, "./cmd/server");
        assert_eq!(run.program_args.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(), ["--port", "8080"]);
        let run = go("go run main.go helpers.go -v");
        assert_eq!(run.packages.len(), 2);
        assert_eq!(run.program_args[0].value, "-v");
        assert_eq!(go("go install golang.org/x/tools/cmd/goimports@v0.1.0").subcommand, GoSubcommand::Install);
        assert_eq!(go("go mod download -x").subcommand, GoSubcommand::Mod("download".to_string()));
        let via_env = go("env CGO_ENABLED=1 go build -race .");
        assert_eq!(via_env.env_value("CGO_ENABLED").cloned().flatten().map(|v| v.value), Some("1".to_string()));
        assert_eq!(via_env.bool_flag("race"), Some(true));
        assert!(parse_shell("echo go build").commands.iter().all(|c| GoCommand::from_shell(c).is_none()));
    }

    #[test]
    fn commands_in_chains_are_all_found() {
        let script = parse_shell("go mod download && go build -o /app . && go vet ./...");
        let subcommands: Vec<_> = go_commands(&script.commands).map(|c| c.subcommand).collect();
        assert_eq!(subcommands, [GoSubcommand::Mod("download".into()), GoSubcommand::Build, GoSubcommand::Vet]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in
            ["go", "go build -o", "go build -ldflags", "go build -ldflags=\"\"", "env go", "env -i", "go -- build"]
        {
            let script = parse_shell(text);
            for command in go_commands(&script.commands) {
                let _ = command.ldflags();
            }
        }
    }
}
