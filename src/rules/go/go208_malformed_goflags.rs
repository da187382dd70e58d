//! GO208: `GOFLAGS` values the go command refuses or splits differently from what was meant.

use super::go2xx_support::milder;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, TextRange, edit_distance, go_commands, unquote};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO208",
    name: "malformed-goflags",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reads every `GOFLAGS` value the Dockerfile sets (`ENV`, `ARG` defaults, `GOFLAGS=… go …` and
`export GOFLAGS=…` in RUN, `go env -w GOFLAGS=…`) the way the go command does, entry by entry,
and reports entries that are not flags, flags no go command knows, and linker or compiler
flags cut off from their `-ldflags=`/`-gcflags=` by a space.

## Why it matters
`GOFLAGS` is a space-separated list of standalone `-flag=value` entries. A bad entry stops every
go command of the stage, `go mod download` included:

```text
go: parsing $GOFLAGS: unknown flag -nosuchflag
go: parsing $GOFLAGS: non-flag \"b\"
```

A value with a space is cut at the space: `GOFLAGS='-ldflags=-s -w'` passes only `-ldflags=-s`,
and `-w` becomes a go command flag of its own (`go env -w`), so the binary keeps its DWARF data
without any message; that form is reported one level below the rule's severity.

Entries that start with a quote are left alone: recent Go versions accept a whole quoted entry
(`'-ldflags=-s -w'`), older ones do not. Values with variables are not checked.

## Example
```dockerfile
ENV GOFLAGS=\"-mod=readonly -ldflags=-s -w\"
```

## Fix
Put flags whose values contain spaces on the command line (`go build -ldflags=\"-s -w\"`), or
quote the whole entry for Go 1.21 and later (`GOFLAGS=\"'-ldflags=-s -w'\"`), and spell flag names
as `go help build` does.

## References
- `go help environment` (`GOFLAGS`): https://pkg.go.dev/cmd/go#hdr-Environment_variables
- golang/go#26849 (quoting in GOFLAGS): https://github.com/golang/go/issues/26849
";

/// Every flag some go subcommand defines: the go command accepts these in `GOFLAGS` (and
/// applies each to the commands that know it).
const GO_FLAGS: &[&str] = &[
    // build flags
    "C",
    "a",
    "n",
    "p",
    "v",
    "x",
    "work",
    "race",
    "msan",
    "asan",
    "cover",
    "covermode",
    "coverpkg",
    "asmflags",
    "buildmode",
    "buildvcs",
    "compiler",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "linkshared",
    "mod",
    "modcacherw",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
    "trimpath",
    "o",
    "i",
    "json",
    "debug-actiongraph",
    "debug-deprecated-importcfg",
    "debug-runtime-trace",
    "debug-trace",
    "fuzz",
    // test flags
    "args",
    "bench",
    "benchmem",
    "benchtime",
    "blockprofile",
    "blockprofilerate",
    "c",
    "count",
    "coverprofile",
    "cpu",
    "cpuprofile",
    "exec",
    "failfast",
    "fullpath",
    "fuzzcachedir",
    "fuzzminimizetime",
    "fuzztime",
    "fuzzworker",
    "list",
    "memprofile",
    "memprofilerate",
    "mutexprofile",
    "mutexprofilefraction",
    "outputdir",
    "parallel",
    "run",
    "short",
    "shuffle",
    "skip",
    "timeout",
    "trace",
    "vet",
    "artifacts",
    "testwork",
    "paniconexit0",
    "testlogfile",
    "gocoverdir",
    // list, get, mod, work, env, clean, doc, generate, version, tool, vet
    "compiled",
    "deps",
    "e",
    "export",
    "f",
    "find",
    "m",
    "retracted",
    "reuse",
    "test",
    "u",
    "d",
    "t",
    "fix",
    "insecure",
    "tool",
    "fmt",
    "module",
    "go",
    "toolchain",
    "require",
    "droprequire",
    "exclude",
    "dropexclude",
    "replace",
    "dropreplace",
    "retract",
    "dropretract",
    "godebug",
    "dropgodebug",
    "droptool",
    "ignore",
    "dropignore",
    "print",
    "compat",
    "diff",
    "use",
    "dropuse",
    "r",
    "w",
    "changed",
    "cache",
    "modcache",
    "testcache",
    "fuzzcache",
    "all",
    "cmd",
    "src",
    "http",
    "vettool",
    "h",
    "help",
    "sync",
];

/// Linker and compiler flags that belong inside `-ldflags=`/`-gcflags=`, not in the list.
const TOOL_FLAGS: &[&str] =
    &["s", "w", "X", "extldflags", "linkmode", "buildid", "B", "N", "l", "m", "race", "trimpath"];

/// Go's `quoted.Split` on a GOFLAGS value: entries separated by spaces; an entry that starts with
/// a quote runs to the matching quote. Each entry comes with its byte offset and whether it was
/// quoted.
fn entries(value: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if bytes[i] == b'\'' || bytes[i] == b'"' {
            let quote = bytes[i];
            let end = value[i + 1..].find(quote as char).map_or(bytes.len(), |p| i + 1 + p + 1);
            out.push((start, value[start..end].to_string(), true));
            i = end;
        } else {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push((start, value[start..i].to_string(), false));
        }
    }
    out
}

/// One GOFLAGS value the Dockerfile sets, with where its text starts.
struct Setting {
    value: String,
    /// The value's range; `exact` when the value's text appears there as written.
    range: TextRange,
    exact: bool,
}

fn settings(context: &Context<'_>) -> Vec<Setting> {
    let mut found = Vec::new();
    for (index, instruction) in context.dockerfile.instructions.iter().enumerate() {
        match &instruction.kind {
            InstructionKind::Env(pairs) | InstructionKind::Arg(pairs) => {
                for pair in pairs.iter().filter(|p| p.key == "GOFLAGS") {
                    let (Some(value), Some(range)) = (&pair.value, pair.value_range) else { continue };
                    if value.contains('$') {
                        continue;
                    }
                    // The value as written, possibly inside one pair of quotes.
                    let written = context.text.get(range.as_range()).unwrap_or("");
                    let quoted = written.len() == value.len() + 2
                        && (written.starts_with('"') || written.starts_with('\''))
                        && written.get(1..written.len() - 1) == Some(value.as_str());
                    let (range, exact) = if quoted {
                        (TextRange::new(range.start + 1, range.end - 1), true)
                    } else {
                        (range, written == value)
                    };
                    found.push(Setting { value: value.clone(), range, exact });
                }
            }
            InstructionKind::Run(_) => {
                let Some(script) = context.shell(index) else { continue };
                for command in &script.commands {
                    let assigned =
                        command.assignments.iter().filter(|a| a.name == "GOFLAGS").filter_map(|a| a.value.as_ref());
                    let exported = (command.is("export") || go_env_w(command))
                        .then(|| command.args.iter().filter(|a| a.value.starts_with("GOFLAGS=")))
                        .into_iter()
                        .flatten();
                    for word in assigned.chain(exported) {
                        if word.dynamic {
                            continue;
                        }
                        // `export NAME="…"` keeps the quotes in the word: remove them as the shell does.
                        let value = match word.value.strip_prefix("GOFLAGS=") {
                            Some(rest) if rest.contains(['$', '`']) => continue,
                            Some(rest) => unquote(rest, '\\'),
                            None => word.value.clone(),
                        };
                        found.push(Setting { exact: false, range: word.range, value });
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `go env -w GOFLAGS=…`.
fn go_env_w(command: &crate::syntax::SimpleCommand) -> bool {
    go_commands(std::slice::from_ref(command))
        .next()
        .is_some_and(|go| go.subcommand == crate::syntax::GoSubcommand::Env && go.flags.iter().any(|f| f.name == "w"))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    for setting in settings(context) {
        let list = entries(&setting.value);
        let mut previous: Option<&str> = None;
        for (offset, entry, quoted) in &list {
            let range = if setting.exact {
                TextRange::new(setting.range.start + offset, setting.range.start + offset + entry.len())
            } else {
                setting.range
            };
            if *quoted {
                previous = None;
                continue;
            }
            let cut_from = previous.filter(|p| {
                let name = p.trim_start_matches('-').split('=').next().unwrap_or("");
                p.contains('=') && matches!(name, "ldflags" | "gcflags" | "asmflags" | "tags" | "gccgoflags")
            });
            let malformed = !entry.starts_with('-')
                || entry == "-"
                || entry == "--"
                || entry.starts_with("---")
                || entry.starts_with("-=")
                || entry.starts_with("--=");
            let name = entry.trim_start_matches('-').split('=').next().unwrap_or("");
            let cut_note = |prev: &str| {
                format!(
                    "; GOFLAGS entries are separated by spaces, so `{prev}` ends at the space and a value cannot hold one"
                )
            };
            if malformed {
                let mut message = format!(
                    "`{entry}` is not a flag: every go command fails with `go: parsing $GOFLAGS: non-flag {entry:?}`"
                );
                if let Some(prev) = cut_from {
                    message += &cut_note(prev);
                }
                sink.report(range, message);
            } else if !GO_FLAGS.contains(&name) {
                let mut message = format!(
                    "`-{name}` is not a go command flag: every go command fails with `go: parsing $GOFLAGS: unknown flag -{name}`"
                );
                if let Some(prev) = cut_from {
                    message += &cut_note(prev);
                } else if let Some(near) = GO_FLAGS.iter().filter(|f| f.len() > 2).find(|f| edit_distance(f, name) <= 2)
                {
                    message += &format!(" (did you mean `-{near}`?)");
                }
                sink.report(range, message);
            } else if let Some(prev) = cut_from.filter(|_| TOOL_FLAGS.contains(&name)) {
                let message = format!(
                    "`{entry}` was meant for `{prev}`, but GOFLAGS entries are separated by spaces: `{prev}` ends at the \
                     space and `{entry}` is taken as a go command flag of its own"
                );
                let diagnostic = sink.report(range, message);
                diagnostic.severity = milder(diagnostic.severity);
            }
            previous = Some(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_follow_quoted_split() {
        let shown =
            |value: &str| entries(value).into_iter().map(|(o, e, q)| format!("{o}:{e}:{q}")).collect::<Vec<_>>();
        assert_eq!(shown("-mod=mod  -trimpath"), ["0:-mod=mod:false", "10:-trimpath:false"]);
        assert_eq!(shown("'-ldflags=-s -w' -v"), ["0:'-ldflags=-s -w':true", "17:-v:false"]);
        assert_eq!(shown("-ldflags='-s -w'"), ["0:-ldflags='-s:false", "13:-w':false"]);
        assert_eq!(shown("\"unclosed"), ["0:\"unclosed:true"]);
        assert!(shown("   ").is_empty());
    }
}
