//! GO201: a `go build` package path names a directory the image does not have.

use super::go2xx_support::{
    PackageArg, Project, Traced, built_module, go_site, package_args, trace, tree_untouched_before,
};
use crate::build::relative_to_image;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, edit_distance};
use crate::workspace::{is_within, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO201",
    name: "build-target-missing",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows each package path of `go build`, `go install`, `go run`, `go test` and `go vet` (`./cmd/app`,
`.`, an import path inside the module, `.go` files) from the command's directory back through the
COPY steps to the build context, and reports a path that does not exist there, one that no COPY
brings into the image, and (for `go build`, `go install` and `go run`) a directory without Go files.

## Why it matters
The go command resolves package paths in the image, relative to WORKDIR (and any `cd`). A renamed
`cmd/` directory, a typo, or a COPY that leaves the directory out stops the build:

```text
stat /src/cmd/missing: directory not found
```

A directory that exists but holds no non-test Go files fails with `no Go files in /src/cmd/app`.

The rule stays silent when it cannot be sure: without the Go sources next to the Dockerfile, while
the package index is incomplete, when a path comes from a build argument, when a `cd` or `-C`
leaves the directory unknown, when files from another stage or an image are laid over the
sources, when an earlier RUN may have created or moved sources (`git clone`, `make`, scripts), and
for patterns (`./...`). A directory left out by `.dockerignore` is another rule's concern.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
# the main package lives in cmd/server
RUN go build -o /out/app ./cmd/api
```

## Fix
Point the build at a directory that exists and holds the main package (the message lists the
main packages of the module). When one main package is an obvious match, the quick fix rewrites
the path; review it, since it changes what is built.

## References
- `go help packages` (package paths and patterns): https://pkg.go.dev/cmd/go#hdr-Package_lists_and_patterns
- `go help build`: https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
";

/// Directories the package index never walks; absence there proves nothing.
fn unindexed(dir: &str) -> bool {
    dir.split('/').any(|part| {
        (part.starts_with('.') && part != ".")
            || part.starts_with('_')
            || matches!(part, "testdata" | "vendor" | "node_modules")
    })
}

/// How the go command fails for a missing package path.
fn failure(shown: &str, image: &str, is_file: bool, module_path: &str) -> String {
    if is_file {
        format!("the go command stops because the file `{image}` does not exist")
    } else if shown.starts_with('.') || shown.starts_with('/') {
        format!("the build fails with `stat {image}: directory not found`")
    } else {
        format!("the build fails with `main module ({module_path}) does not contain package {shown}`")
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::new(context) else { return };
    let build = context.build();
    let workspace = &project.facts.workspace;
    for (stage, run) in build.go_runs() {
        let subcommand = &run.command.subcommand;
        if !matches!(
            subcommand,
            GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test | GoSubcommand::Vet
        ) {
            continue;
        }
        let needs_go_files = matches!(subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run);
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        if !project.has_sources(&module.dir) || !tree_untouched_before(context, build, &site) {
            continue;
        }
        for arg in package_args(&site, Some(&module)) {
            let targets: Vec<(String, bool, crate::syntax::TextRange, Option<&crate::syntax::ShellWord>)> = match &arg {
                PackageArg::Dir { word, image } => vec![(image.clone(), false, arg.range(run), *word)],
                PackageArg::Files { words, image_dir } => words
                    .iter()
                    .map(|w| {
                        (
                            crate::build::resolve_path(image_dir, w.value.rsplit('/').next().unwrap_or("")),
                            true,
                            w.range,
                            Some(*w),
                        )
                    })
                    .collect(),
                PackageArg::Tree { .. } | PackageArg::Other { .. } => continue,
            };
            for (image, is_file, range, word) in targets {
                // Outside the module's directory the go command fails differently.
                let Some(in_module) = relative_to_image(&image, &module.image_dir) else { continue };
                let Some(expected) =
                    (if in_module.is_empty() { Some(module.dir.clone()) } else { join(&module.dir, &in_module) })
                else {
                    continue;
                };
                if unindexed(&expected) {
                    continue;
                }
                let shown = word.map_or(".".to_string(), |w| w.value.clone());
                let exists =
                    |path: &str| if is_file { workspace.file_exists(path) } else { workspace.dir_exists(path) };
                let mut not_copied = false;
                let message = match trace(&project, &site.steps, &image) {
                    Traced::Context { path, exclusive: true, .. } => {
                        if !exists(&path) {
                            format!(
                                "`{shown}` does not exist: the build context has no {} `{}`, so {}",
                                if is_file { "file" } else { "directory" },
                                project.context_path(&path),
                                failure(&shown, &image, is_file, &module.path),
                            )
                        } else if needs_go_files && !is_file && project.index.package(&path).is_none() {
                            format!(
                                "`{shown}` has no non-test Go files (`{}` in the build context), so the build fails \
                                 with `no Go files in {image}`",
                                project.context_path(&path)
                            )
                        } else {
                            continue;
                        }
                    }
                    Traced::Nothing if stage.golang.is_some() => {
                        if exists(&expected) && project.facts.context.includes(&expected) == Some(true) {
                            not_copied = true;
                            format!(
                                "`{shown}` is not in the image: no COPY brings `{}` to `{image}`, so {}",
                                project.context_path(&expected),
                                failure(&shown, &image, is_file, &module.path),
                            )
                        } else if !exists(&expected) {
                            format!(
                                "`{shown}` does not exist: neither the image nor the build context has it, so {}",
                                failure(&shown, &image, is_file, &module.path),
                            )
                        } else {
                            continue;
                        }
                    }
                    _ => continue,
                };
                let mains = project.main_packages(&module.dir);
                let relative = |dir: &str| -> Option<String> {
                    if !is_within(dir, &module.command_dir) {
                        return None;
                    }
                    let rest = if module.command_dir == "." {
                        dir
                    } else {
                        dir.get(module.command_dir.len()..)?.trim_start_matches('/')
                    };
                    Some(if rest.is_empty() || rest == "." { ".".to_string() } else { format!("./{rest}") })
                };
                let listed: Vec<String> = mains.iter().filter_map(|p| relative(&p.dir)).take(5).collect();
                // Suggestions of main packages only make sense for programs, and only when the
                // path itself is wrong.
                let suggest = needs_go_files && !is_file && !not_copied;
                let message = if listed.is_empty() || !suggest {
                    message
                } else {
                    format!("{message}; main packages here: {}", listed.join(", "))
                };
                let diagnostic = sink.report(range, message);
                // One main package close to what was written: offer it.
                let Some(word) = word.filter(|_| suggest) else { continue };
                let close: Vec<&String> = listed
                    .iter()
                    .filter(|candidate| {
                        let distance =
                            edit_distance(candidate.trim_start_matches("./"), word.value.trim_start_matches("./"));
                        let same_name =
                            candidate.rsplit('/').next() == word.value.trim_end_matches('/').rsplit('/').next();
                        distance <= 3 || same_name || listed.len() == 1
                    })
                    .collect();
                if let [only] = close.as_slice()
                    && super::go2xx_support::source_of(context.text, word).is_some()
                {
                    // Keep the form the user wrote: a relative path or an import path.
                    let replacement = if word.value.starts_with('.') || word.value.starts_with('/') {
                        (*only).clone()
                    } else {
                        match only.trim_start_matches('.').trim_start_matches('/') {
                            "" => module.path.clone(),
                            rest => format!("{}/{rest}", module.path),
                        }
                    };
                    if replacement != word.value {
                        diagnostic.with_fix(format!("Build `{replacement}`"), word.range, replacement, false);
                    }
                }
            }
        }
    }
}
