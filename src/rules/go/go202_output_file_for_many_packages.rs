//! GO202: `go build -o <file>` with a package list that matches several packages.

use super::go2xx_support::{
    PackageArg, Project, Traced, always_built, built_module, certainly_not_a_directory, go_site, package_args,
    source_of, trace,
};
use crate::build::resolve_path;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;
use crate::workspace::is_within;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO202",
    name: "output-file-for-many-packages",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `go build -o <file>` when the package arguments match more than one package, counted in
the workspace the way the go command counts them in the image: `./...` and `dir/...` expand to
every package below the directory (nested modules, `testdata`, `_` and `.` directories left out),
and several arguments name several packages.

## Why it matters
`-o` with a file name takes exactly one package. With more, the go command refuses before
compiling anything, even when only one of them is a main package:

```text
go: cannot write multiple packages to non-directory /usr/local/bin/app
```

This is the shape of the golang image's own documentation example
(`RUN go build -v -o /usr/local/bin/app ./...`), which works only for a module with a single
package. With a directory (`-o /out/`, trailing slash, or an existing directory) every main package
is written into it and the others are skipped.

Only packages that are certainly built count: a directory counts when one of its files has no
`//go:build` line, no `_GOOS`/`_GOARCH` suffix and no `import \"C\"`. The rule stays silent
without the Go sources, while the package index is incomplete, when the `-o` path might be a
directory (a base-image directory, a WORKDIR, a COPY destination, made by `mkdir`, or after a RUN
that gantry cannot follow), and when an argument is a variable or an import path outside the module.

## Example
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . .
# cmd/app is the main package; internal/store is a library
RUN go build -o /usr/local/bin/app ./...
```

## Fix
Name the main package (`go build -o /usr/local/bin/app ./cmd/app`), or write into a directory with
a trailing slash (`-o /usr/local/bin/`). When the pattern holds exactly one main package, the first
quick fix names it; the second adds the slash, which changes where the program is written (review
the COPY that picks it up).

## References
- `go help build` (`-o`): https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
- The golang image documentation: https://hub.docker.com/_/golang
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::new(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if run.command.subcommand != GoSubcommand::Build {
            continue;
        }
        let Some(flag) = run.command.flag("o") else { continue };
        let Some(output) = flag.value.as_ref().filter(|v| !v.dynamic && !v.value.is_empty()) else { continue };
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        if !project.has_sources(&module.dir) {
            continue;
        }
        let output_path = resolve_path(&site.dir, &output.value);
        if output.value.ends_with('/') || !certainly_not_a_directory(context, build, &site, &output_path) {
            continue;
        }
        // The packages each argument certainly contributes, by workspace directory.
        let mut packages: Vec<String> = Vec::new();
        let mut known = true;
        let mut tree_words = Vec::new();
        for arg in package_args(&site, Some(&module)) {
            match &arg {
                PackageArg::Dir { image, .. } | PackageArg::Files { image_dir: image, .. } => {
                    match trace(&project, &site.steps, image) {
                        Traced::Context { path, exclusive: true, .. }
                            if project.package_in_image(&path).is_some_and(|p| p.files.iter().any(always_built)) =>
                        {
                            if !packages.contains(&path) {
                                packages.push(path);
                            }
                        }
                        _ => known = false,
                    }
                }
                PackageArg::Tree { word, image } => {
                    let Traced::Context { path, whole: true, .. } = trace(&project, &site.steps, image) else {
                        known = false;
                        continue;
                    };
                    if project.module_dir_of(&path) != Some(module.dir.as_str()) {
                        known = false;
                        continue;
                    }
                    tree_words.push((*word, path.clone()));
                    for package in project.index.packages_under(&path) {
                        let counted = project.module_dir_of(&package.dir) == Some(module.dir.as_str())
                            && project.package_in_image(&package.dir).is_some()
                            && package.files.iter().any(always_built);
                        if counted && !packages.contains(&package.dir) {
                            packages.push(package.dir.clone());
                        }
                    }
                }
                PackageArg::Other { .. } => known = false,
            }
        }
        if !known || packages.len() < 2 {
            continue;
        }
        let shown: Vec<String> = packages.iter().take(3).map(|p| format!("`{}`", project.context_path(p))).collect();
        let more = if packages.len() > 3 { ", …" } else { "" };
        let message = format!(
            "`-o {}` names a file, but the build matches {} packages ({}{more}): it fails with `go: cannot write \
             multiple packages to non-directory {output_path}`",
            output.value,
            packages.len(),
            shown.join(", "),
        );
        let diagnostic = sink.report(flag.range, message);
        // One main package under a single pattern: build just that one.
        if let [(word, tree)] = tree_words.as_slice()
            && source_of(context.text, word).is_some()
        {
            let mains: Vec<&String> = packages
                .iter()
                .filter(|dir| is_within(dir, tree) && project.index.package(dir).is_some_and(|p| p.is_main()))
                .collect();
            if let [main] = mains.as_slice()
                && let Some(relative) = relative_to(main, &module.command_dir)
            {
                diagnostic.with_fix(format!("Build only `{relative}`"), word.range, relative.clone(), false);
            }
        }
        if let Some(source) = source_of(context.text, output) {
            let at = match source.chars().last() {
                Some(quote @ ('"' | '\'')) if source.len() > 1 => output.range.end - quote.len_utf8(),
                _ => output.range.end,
            };
            diagnostic.with_fix(
                format!("Write every main package into `{}/`", output.value),
                crate::syntax::TextRange::new(at, at),
                "/",
                false,
            );
        }
    }
}

/// `./rest` for a workspace directory at or below the command's directory.
fn relative_to(dir: &str, command_dir: &str) -> Option<String> {
    if !is_within(dir, command_dir) {
        return None;
    }
    let rest = if command_dir == "." { dir } else { dir.get(command_dir.len()..)?.trim_start_matches('/') };
    Some(if rest.is_empty() || rest == "." { ".".to_string() } else { format!("./{rest}") })
}
