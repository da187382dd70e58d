//! GO301: `CGO_ENABLED=0`, yet a package the `go` command builds has files that `import "C"`.

use super::go3xx_support::{
    BuiltPackage, Compiler, TargetTags, built_code, cgo_explicitly_off, command_head, compiler_before, env_pair_before,
    excluded_cgo_files,
};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::workspace::PackageFile;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO301",
    name: "cgo-disabled-but-imports-c",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go build`, `go install` or `go run` that runs with `CGO_ENABLED=0` (set by ENV, ARG or a
prefix of the command) when a package it builds, or a package of the same module it imports, has a
file with `import \"C\"` that is meant for the target (its file name and `//go:build` line select it).

## Why it matters
A file that imports \"C\" carries an implicit `cgo` build constraint, so with cgo off the go command
leaves it out. When that was every file of the package, the build stops with

```text
package example.com/app/sensor: build constraints exclude all Go files in /src/sensor
```

and when other files remain, they lose what the cgo file declared and the compiler reports
`undefined:` names. Either way the image is not built.

Not reported: packages that mention the `cgo` tag in a `//go:build` line (they provide a cgo-free
variant on purpose), files whose constraints depend on values only the build knows (a `GOARCH`
from `TARGETARCH`, tags from a build argument), builds whose packages cannot be traced to the
workspace, and workspaces whose package index is not complete yet. cgo turned off by default
(an Alpine image without a C compiler) is GO303's business.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
# sensor/read.go has `import \"C\"`
RUN CGO_ENABLED=0 go build -o /app ./cmd/app
```

## Fix
Build with `CGO_ENABLED=1` on an image with a C compiler (the Debian `golang` images have gcc; on
Alpine add `gcc musl-dev`, see GO303), and ship the result on an image with the same C library
(GO304, GO305). Or give the package a cgo-free variant behind `//go:build !cgo`. When the builder has
a compiler and `CGO_ENABLED=0` is written on the command line or in an ENV/ARG of the stage, the
quick fix (unsafe: the program becomes dynamically linked) sets it to 1.

## References
- cgo and the implicit `cgo` constraint: https://pkg.go.dev/cmd/cgo
- Build constraints: https://pkg.go.dev/cmd/go#hdr-Build_constraints
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    for (stage, run) in build.go_runs() {
        if !cgo_explicitly_off(run) {
            continue;
        }
        let tags = TargetTags::new(stage, run, Some(false));
        let Some(code) = built_code(context, facts, stage, run, &tags) else { continue };
        let failing: Vec<(&BuiltPackage, Vec<&PackageFile>)> = code
            .packages
            .iter()
            .filter_map(|package| excluded_cgo_files(package, &tags).map(|f| (package, f)))
            .collect();
        let Some((package, files)) = failing.first() else { continue };
        let Some(first) = files.first() else { continue };
        let dir = &package.package.dir;
        let every_file = package.files.is_empty() && package.present.iter().all(|f| tags.file_applies(f).is_some());
        let others = match failing.len() {
            1 => String::new(),
            n => format!(" (and {} other package{})", n - 1, if n == 2 { "" } else { "s" }),
        };
        let message = if every_file {
            format!(
                "CGO_ENABLED=0 leaves out every file of package `{dir}`{others} ({} imports \"C\"): the build fails \
                 with `build constraints exclude all Go files`",
                first.name
            )
        } else {
            format!(
                "CGO_ENABLED=0 leaves out {} of package `{dir}`{others}: it imports \"C\", and nothing in the package \
                 replaces it for cgo-free builds, so the build fails with `undefined:` names",
                first.name
            )
        };
        let diagnostic = sink.report(command_head(run), message);
        if let Some(import) = first.facts.imports.iter().find(|i| i.path.value == "C") {
            diagnostic.with_related(Some(package.file_path(first)), import.path.range, "`import \"C\"` needs cgo");
        }
        let prefix = run.command.env_value("CGO_ENABLED").and_then(|v| v.as_ref()).map(|word| word.range);
        let pair = env_pair_before(context, stage.index, run.instruction, "CGO_ENABLED");
        let setting = prefix.or_else(|| pair.and_then(|p| p.value_range));
        if prefix.is_none()
            && let Some(pair) = pair
        {
            diagnostic.with_related(None, pair.range, "cgo is turned off here");
        }
        let has_compiler = matches!(
            compiler_before(context, stage, run.instruction),
            Compiler::InImage | Compiler::Installed { without_headers: None }
        );
        if has_compiler
            && let Some(range) = setting
            && context.text.get(range.as_range()) == Some("0")
        {
            diagnostic.with_fix("Build with `CGO_ENABLED=1`", range, "1", false);
        }
    }
}
