//! GO205: `-ldflags -X importpath.name=value` names no package-level variable of the build.

use super::go2xx_support::{Project, XTarget, built_module, go_site, resolve_x, x_target_range};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO205",
    name: "ldflags-x-target-missing",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Resolves each `-X importpath.name=value` of `-ldflags` in `go build`, `go install` and `go run`
against the module being built: `main` is the main package the command builds, other import
paths are the module path plus a directory. It reports a definition whose package does not exist
in the module, whose package has no package-level variable of that name (a constant does not
count), and an import path that is neither in the module, in the standard library, nor provided
by a requirement in go.mod.

## Why it matters
The linker ignores a `-X` it cannot apply, without a message, so the version string stays empty
or at its default and nobody notices until the binary reports `dev`:

```text
(no error: the build succeeds and the variable keeps its value)
```

The classic case is a short import path: `-X server.serverVersion=…` where the module is
`github.com/nats-io/nats-server/v2` and the variable lives in `server/`; the linker needs the full
path `github.com/nats-io/nats-server/v2/server.serverVersion`. When the variable exists elsewhere in
the module (or with another capitalisation), the finding points at its declaration.

The rule stays silent when the import path or the name comes from a variable, for packages of
dependencies and of the standard library, in GOPATH mode, with a go.work in effect, without the
Go sources (except for the import-path check, which needs only go.mod), and while the package
index is incomplete. It does not check whether the package is actually linked into the program.

## Example
```dockerfile
# go.mod: module github.com/acme/shop ; the variable is internal/version.Version
RUN go build -ldflags \"-X version.Version=1.2.3\" -o /app ./cmd/shop
```

## Fix
Use the full import path of the package that declares the variable
(`-X github.com/acme/shop/internal/version.Version=1.2.3`), or declare the variable. When gantry
finds the declaration, the quick fix rewrites the import path.

## References
- The linker's `-X` flag: https://pkg.go.dev/cmd/link
- golang/go#30782 (no error for unknown `-X` targets): https://github.com/golang/go/issues/30782
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    // Import paths outside the module are judged from go.mod alone; the rest needs the index.
    let Some(project) = Project::module_files_only(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run) {
            continue;
        }
        let Some(ldflags) = run.command.ldflags() else { continue };
        if ldflags.definitions.is_empty() {
            continue;
        }
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        for (index, definition) in ldflags.definitions.iter().enumerate() {
            let occurrence = ldflags.definitions[..index].iter().filter(|d| d.target == definition.target).count();
            let target_range = x_target_range(context.text, &ldflags, definition, occurrence);
            let XTarget::Missing { reason, related, import_path } = resolve_x(&project, &site, &module, definition)
            else {
                continue;
            };
            let message = format!(
                "`-X {}` sets nothing: {reason}; the linker ignores it without a message, so the variable keeps its \
                 default",
                definition.target
            );
            let diagnostic = sink.report(target_range, message);
            if let Some((file, range, note)) = related {
                diagnostic.with_related(Some(file), range, note);
            }
            let written = context.text.get(target_range.as_range()) == Some(definition.target.as_str());
            if let Some(import_path) = import_path.filter(|_| written) {
                let start = target_range.start;
                let range = TextRange::new(start, start + definition.import_path.len());
                diagnostic.with_fix(format!("Use the import path `{import_path}`"), range, import_path, false);
            }
        }
    }
}
