//! GO203: `go build -o <file>` of a package that is not `package main`.

use super::go2xx_support::{
    PackageArg, Project, Traced, built_module, certainly_not_a_directory, go_site, package_args, source_of, trace,
};
use crate::build::resolve_path;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;
use crate::workspace::{is_within, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO203",
    name: "build-target-not-main",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `go build -o <file>` of a single package whose files all say `package <name>` with a name
other than `main`, read from the Go sources of the directory the argument resolves to.

## Why it matters
With `-o`, `go build` writes whatever it built, and for a library that is an `ar` archive, not a
program. The build succeeds; the container does not start:

```text
exec /app: exec format error
```

The rule stays silent without the Go sources, while the package index is incomplete, when the
package is not certain (a variable, a pattern, several packages, files gantry could not read),
for `-buildmode` values other than `exe`/`pie`, for outputs that are archives on purpose (`.a`) or
`/dev/null`, and when the `-o` path might be a directory.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
# internal/server is `package server`; the program is cmd/server
RUN go build -o /out/server ./internal/server
```

## Fix
Build the main package (the one whose files say `package main`). When the module has exactly one,
the quick fix rewrites the argument to it.

## References
- `go help build` (`-o` and non-main packages): https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::new(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        let command = &run.command;
        if command.subcommand != GoSubcommand::Build {
            continue;
        }
        let buildmode = command.flag("buildmode").and_then(|f| f.value.as_ref()).map(|v| v.value.as_str());
        if !matches!(buildmode, None | Some("exe" | "pie" | "default")) {
            continue;
        }
        let Some(output) = command.flag("o").and_then(|f| f.value.as_ref()).filter(|v| !v.dynamic) else { continue };
        if output.value == "/dev/null" || output.value.ends_with(".a") || output.value.ends_with('/') {
            continue;
        }
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        if !project.has_sources(&module.dir) {
            continue;
        }
        let output_path = resolve_path(&site.dir, &output.value);
        if !certainly_not_a_directory(context, build, &site, &output_path) {
            continue;
        }
        let args = package_args(&site, Some(&module));
        let [arg @ PackageArg::Dir { word, image }] = args.as_slice() else { continue };
        let Traced::Context { path, exclusive: true, .. } = trace(&project, &site.steps, image) else { continue };
        let Some(package) = project.package_in_image(&path) else { continue };
        if !package.is_complete() {
            continue;
        }
        // Every file that counts names the same package, and it is not main.
        let ignored = |f: &&crate::workspace::PackageFile| {
            f.facts.build_constraint.as_ref().is_some_and(|c| c.tags() == ["ignore"])
        };
        let files: Vec<_> = package.files.iter().filter(|f| !ignored(f)).collect();
        let Some(first) = files.first() else { continue };
        let Some(name) = first.facts.package_name() else { continue };
        if name == "main" || !files.iter().all(|f| f.facts.package_name() == Some(name)) {
            continue;
        }
        let shown = word.map_or(".".to_string(), |w| w.value.clone());
        let message = format!(
            "`{shown}` is `package {name}`, not a main package: `-o {}` gets an `ar` archive instead of a program, \
             and running it fails with `exec format error`",
            output.value
        );
        let diagnostic = sink.report(arg.range(run), message);
        if let (Some(clause), Some(file_path)) = (&first.facts.package, join(&path, &first.name)) {
            diagnostic.with_related(Some(file_path), clause.range, format!("`package {name}`"));
        }
        let mains = project.main_packages(&module.dir);
        if let ([main], Some(word)) = (mains.as_slice(), word)
            && source_of(context.text, word).is_some()
            && is_within(&main.dir, &module.command_dir)
        {
            let rest = if module.command_dir == "." {
                main.dir.as_str()
            } else {
                main.dir.get(module.command_dir.len()..).unwrap_or("").trim_start_matches('/')
            };
            let replacement = if rest.is_empty() || rest == "." { ".".to_string() } else { format!("./{rest}") };
            diagnostic.with_fix(format!("Build the main package `{replacement}`"), word.range, replacement, false);
        }
    }
}
