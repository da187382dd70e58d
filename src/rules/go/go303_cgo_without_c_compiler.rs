//! GO303: a build needs cgo on an Alpine `golang` image that has no C compiler (or no C headers).

use super::go3xx_support::{
    Compiler, ImportSite, TargetTags, built_code, cgo_state, command_head, compiler_before, excluded_cgo_files,
    links_libc_with_cgo,
};
use crate::build::{EnvValue, GoRun, InstalledPackage, Stage};
use crate::images::{GolangImage, Libc};
use crate::rules::{Context, GoFacts, Rule, Severity, Sink};
use crate::syntax::TextRange;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO303",
    name: "cgo-without-c-compiler",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go` command on an Alpine `golang` image that needs cgo while the stage has no C compiler:
the Alpine images add only ca-certificates to Alpine, and no RUN of the stage (or of the stages it
is built on) installs `gcc`, `clang`, `build-base` or `alpine-sdk` with apk (or tonistiigi/xx's
`xx-apk`). cgo is needed for `-race`, for a package that imports \"C\", and with `CGO_ENABLED=1` for
a program that imports `net` or `os/user` (unless `-tags netgo,osusergo`). It also reports `gcc`
installed without the C library headers (`musl-dev`).

## Why it matters
The build fails. With `CGO_ENABLED=1`:

```text
cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH
```

With `-race` and cgo left to its default (off from Go 1.20 when no compiler is found):

```text
go: -race requires cgo; enable cgo by setting CGO_ENABLED=1
```

A package that imports \"C\" has its cgo files left out (`build constraints exclude all Go files`,
or `undefined:` names). And `apk add gcc` without `musl-dev` fails on the first header:

```text
errno.h: No such file or directory
```

Not reported: Debian-based images (they ship gcc), images that are not `golang` (gantry does not
know what they contain), stages whose installs use variables (`apk add $DEPS`), a custom `CC`,
cross-compiles (GO-rules for cross toolchains look at those), and `CGO_ENABLED=0` with `-race`
(GO310).

## Example
```dockerfile
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
RUN go build -race -o /app .
```

## Fix
Install a C toolchain in the stage before the build: `RUN apk add --no-cache gcc musl-dev` (or
`build-base`). The quick fix inserts that line after the stage's FROM, or adds `musl-dev` next to
a lone `gcc`. Alternatively drop `-race` from image builds, or turn cgo off when the code allows it.

## References
- The golang image variants (the Alpine ones have no gcc): https://hub.docker.com/_/golang
- cgo defaults without a C compiler (Go 1.20): https://go.dev/doc/go1.20#cgo
- docker-library/golang#86: https://github.com/docker-library/golang/issues/86
";

const GCC_NOT_FOUND: &str = "cgo: C compiler \"gcc\" not found: exec: \"gcc\": executable file not found in $PATH";
const RACE_NEEDS_CGO: &str = "go: -race requires cgo; enable cgo by setting CGO_ENABLED=1";
const NO_HEADERS: &str = "errno.h: No such file or directory";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    for (stage, run) in build.go_runs() {
        if !run.command.subcommand.builds() {
            continue;
        }
        let Some(golang) = &stage.golang else { continue };
        if golang.libc != Libc::Musl {
            continue;
        }
        match compiler_before(context, stage, run.instruction) {
            Compiler::Absent => no_compiler(context, facts, sink, stage, run, golang),
            Compiler::Installed { without_headers: Some((_, gcc)) } => {
                no_headers(context, facts, sink, stage, run, &gcc)
            }
            _ => {}
        }
    }
}

/// The build needs cgo and nothing provides a compiler.
fn no_compiler(
    context: &Context<'_>,
    facts: &GoFacts,
    sink: &mut Sink,
    stage: &Stage,
    run: &GoRun,
    golang: &GolangImage,
) {
    let explicit_on = match run.env("CGO_ENABLED") {
        EnvValue::Known(value) if value.trim() == "1" => true,
        EnvValue::Unset => false,
        _ => return,
    };
    let cross = ["GOOS", "GOARCH", "CC"].iter().any(|name| *run.env(name) != EnvValue::Unset);
    if cross {
        return;
    }
    // Go 1.20 and later turn cgo off when no compiler is found; older ones keep it on and fail.
    let Some(default_on) = golang.cgo_default else { return };
    let race = run.command.bool_flag("race") == Some(true);
    let (message, evidence) = if race {
        let error = if explicit_on || default_on { GCC_NOT_FOUND } else { RACE_NEEDS_CGO };
        (
            format!(
                "`-race` needs cgo and a C compiler, and this Alpine image has none: the build fails with `{error}`"
            ),
            None,
        )
    } else if explicit_on || default_on {
        let tags = TargetTags::new(stage, run, Some(true));
        let Some(code) = built_code(context, facts, stage, run, &tags) else { return };
        let wanted = |path: &str| path == "C" || (explicit_on && links_libc_with_cgo(path, &tags));
        let Some(site) = code.find_import(wanted) else { return };
        let what = if site.path == "C" { "uses cgo".to_string() } else { format!("imports `{}`", site.path) };
        let setting = if explicit_on { "CGO_ENABLED=1" } else { "cgo is on by default for this Go" };
        (
            format!(
                "{setting}, {} {what}, and this Alpine image has no C compiler: the build fails with `{GCC_NOT_FOUND}`",
                site.file
            ),
            Some(site),
        )
    } else {
        let tags = TargetTags::new(stage, run, Some(false));
        let Some(code) = built_code(context, facts, stage, run, &tags) else { return };
        let found = code.packages.iter().find_map(|package| {
            let file = *excluded_cgo_files(package, &tags)?.first()?;
            let import = file.facts.imports.iter().find(|i| i.path.value == "C")?;
            Some(ImportSite { file: package.file_path(file), range: import.path.range, path: "C".to_string() })
        });
        let Some(site) = found else { return };
        (
            format!(
                "{} imports \"C\", but this Alpine image has no C compiler, so Go turns cgo off and leaves the file \
                 out: the build fails with `build constraints exclude all Go files` or `undefined:` names",
                site.file
            ),
            Some(site),
        )
    };
    let diagnostic = sink.report(command_head(run), message);
    if let Some(site) = evidence {
        diagnostic.with_related(Some(site.file.clone()), site.range, "needs cgo");
    }
    if let Some(from) = context.dockerfile.instructions.get(stage.from) {
        let at = TextRange::new(from.range.end, from.range.end);
        diagnostic.with_fix(
            "Install gcc and musl-dev in this stage",
            at,
            "\nRUN apk add --no-cache gcc musl-dev",
            true,
        );
    }
}

/// `gcc` is installed without `musl-dev`, and the build runs cgo.
fn no_headers(
    context: &Context<'_>,
    facts: &GoFacts,
    sink: &mut Sink,
    stage: &Stage,
    run: &GoRun,
    gcc: &InstalledPackage,
) {
    if cgo_state(context, stage, run) != Some(true) {
        return;
    }
    let race = run.command.bool_flag("race") == Some(true);
    let evidence = if race {
        None
    } else {
        let tags = TargetTags::new(stage, run, Some(true));
        let Some(code) = built_code(context, facts, stage, run, &tags) else { return };
        let Some(site) = code.find_import(|path| path == "C" || links_libc_with_cgo(path, &tags)) else { return };
        Some(site)
    };
    let why = match &evidence {
        None => "`-race` runs cgo".to_string(),
        Some(site) if site.path == "C" => format!("{} uses cgo", site.file),
        Some(site) => format!("{} imports `{}`, which cgo compiles", site.file, site.path),
    };
    let message = format!(
        "gcc is installed without musl-dev and {why}: cgo finds no C headers and the build fails with `{NO_HEADERS}`"
    );
    let diagnostic = sink.report(command_head(run), message);
    diagnostic.with_related(None, gcc.range, "gcc without the C library headers");
    if let Some(site) = evidence {
        diagnostic.with_related(Some(site.file.clone()), site.range, "needs cgo");
    }
    let at = TextRange::new(gcc.range.end, gcc.range.end);
    diagnostic.with_fix("Install musl-dev next to gcc", at, " musl-dev", true);
}
