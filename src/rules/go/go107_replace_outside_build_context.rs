//! GO107: go.mod replaces a requirement with a directory outside the build context.

use super::go113_no_go_mod_in_workdir::{ModuleInUse, Presence, compiles, is_within_image, modules_in_use};
use crate::build::{CopySource, resolve_path};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange};
use crate::workspace::{is_within, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO107",
    name: "replace-outside-build-context",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go` command that works on a module whose go.mod replaces a requirement with a local
directory outside the build context (`replace example.com/lib => ../lib`), when nothing in the
Dockerfile puts that directory where the replacement points.

## Why it matters
Docker sends only the build context to the builder; `COPY ../lib` is refused
(`forbidden path outside the build context`). In the image the replacement directory does not
exist, so the go command stops:

```text
go: example.com/lib@v0.0.0 (replaced by ../lib): reading ../lib/go.mod: open /lib/go.mod: no such file or directory
```

at `go mod download`, or at build time

```text
main.go:4:2: example.com/lib@v0.0.0: replacement directory ../lib does not exist
```

Not reported: replacements of modules the go.mod does not require (the go command ignores them), a
module with a vendor/ directory (the vendored copy is used), a directory another COPY supplies (for
example from a named build context, `COPY --from=lib . /lib`), and contexts gantry does not know.
With a guessed context (no Compose, Bake or configured one), the Dockerfile's own COPY sources must
agree with the guess.

## Example
```dockerfile
# go.mod: replace example.com/lib => ../lib
# built with: docker build services/api
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /out/api .
```

## Fix
Build from a context that holds both directories (`docker build -f services/api/Dockerfile .` and
COPY paths relative to the repository root), pass the directory as a named context
(`docker build --build-context lib=../lib …` with `COPY --from=lib . /lib`), or vendor the
dependency (`go mod vendor`).

## References
- `replace` directives: https://go.dev/ref/mod#go-mod-file-replace
- Named build contexts: https://docs.docker.com/build/concepts/context/#named-contexts
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    let mut reported: Vec<(String, TextRange)> = Vec::new();
    for found in modules_in_use(context, facts, build) {
        let ModuleInUse { run, inputs, go_mod_path, module_dir, module_image_dir, go_mod, root, .. } = found;
        for (replace, target) in go_mod.directory_replaces() {
            if go_mod.require(&replace.from.value).is_none() || reported.contains(&(go_mod_path.clone(), replace.range))
            {
                continue;
            }
            let inside = !target.value.starts_with('/')
                && join(&module_dir, &target.value).is_some_and(|path| is_within(&path, root));
            if inside {
                continue;
            }
            let image_target = resolve_path(&module_image_dir, &target.value);
            if inputs.file(&resolve_path(&image_target, "go.mod")) != Presence::Absent {
                continue;
            }
            // `COPY --from=<name>` may read a named build context (`--build-context lib=../lib`).
            let supplied = inputs.steps().iter().any(|step| {
                step.source != CopySource::Context
                    && (is_within_image(&image_target, &step.destination)
                        || is_within_image(&step.destination, &image_target))
            });
            if supplied {
                continue;
            }
            reported.push((go_mod_path.clone(), replace.range));
            let (from, to) = (&replace.from.value, &target.value);
            let required = go_mod.require(&replace.from.value).map(|r| r.version.value.as_str());
            let version = replace.from_version.as_ref().map(|v| v.value.as_str()).or(required).unwrap_or("v0.0.0");
            let failure = if compiles(&run.command) {
                format!("{from}@{version}: replacement directory {to} does not exist")
            } else {
                format!(
                    "go: {from}@{version} (replaced by {to}): reading {to}/go.mod: open {image_target}/go.mod: no such file or directory"
                )
            };
            let what = match &run.command.subcommand {
                GoSubcommand::Mod(verb) => format!("`go mod {verb}`"),
                _ => "this go command".to_string(),
            };
            let command_range = TextRange::new(run.command.range.start, run.command.subcommand_range.end);
            let context_name =
                if root == "." { "the build context".to_string() } else { format!("the build context `{root}/`") };
            sink.report(
                command_range,
                format!(
                    "go.mod replaces {from} with {to}, which is outside {context_name}: no COPY can \
                     bring it, and {what} fails with `{failure}`"
                ),
            )
            .with_related(Some(go_mod_path.clone()), replace.range, format!("{from} is replaced by {to}"));
        }
    }
}
