//! GO211: build flags left over from old static-build recipes: `-a` and `-installsuffix`.

use super::go2xx_support::removal_range;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::GoSubcommand;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO211",
    name: "obsolete-build-flags",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `-a` and `-installsuffix <suffix>` on `go build`, `go install`, `go run` and `go test`:
the two halves of the `go build -a -installsuffix cgo` recipe that static Docker builds copied from
each other before Go 1.10.

## Why it matters
Nothing fails, and nothing improves either:

```text
(no error: the flags are accepted)
```

- `-a` rebuilds every package, the standard library included, instead of using the build cache.
  Since Go 1.10 the cache is keyed by the build settings (`CGO_ENABLED`, tags, flags), so a stale
  cgo object can no longer slip into a static build; `-a` only makes each build slow and defeats
  a `--mount=type=cache` for the build cache.
- `-installsuffix` only names the directory compiled packages are installed in. Since Go 1.20 the
  standard library is not shipped precompiled, and the program itself is the same with or without it.

`-extldflags \"-static\"` with cgo off belongs to the same recipe; GO311 reports it.

## Example
```dockerfile
RUN CGO_ENABLED=0 go build -a -installsuffix cgo -o /app .
```

## Fix
Remove the flags: `RUN CGO_ENABLED=0 go build -o /app .`. The quick fix does, and is safe: the
program does not change.

## References
- Go 1.10 release notes (build cache): https://go.dev/doc/go1.10#build
- Go 1.20 release notes (no precompiled standard library): https://go.dev/doc/go1.20#go-command
- `go help build`: https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    let build = context.build();
    for (_, run) in build.go_runs() {
        let command = &run.command;
        if !matches!(
            command.subcommand,
            GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test
        ) {
            continue;
        }
        for flag in &command.flags {
            let message = match flag.name.as_str() {
                "a" if flag.value.as_ref().is_none_or(|v| v.value == "true") => {
                    "`-a` rebuilds every package and bypasses the build cache; the cache keys builds by their \
                     settings (Go 1.10), so static builds do not need it"
                        .to_string()
                }
                "installsuffix" => {
                    let suffix = flag.value.as_ref().map_or("", |v| v.value.as_str());
                    format!(
                        "`-installsuffix {suffix}` only renames the package install directory; it does not change the \
                         program, and Go 1.20 no longer ships a precompiled standard library"
                    )
                }
                _ => continue,
            };
            let diagnostic = sink.report(flag.range, message);
            // Only when the flag is written as it reads (no continuation inside it).
            if context.text.get(flag.range.as_range()).is_some_and(|t| !t.contains('\n')) {
                let title = format!("Remove `-{}`", flag.name);
                diagnostic.with_fix(title, removal_range(context.text, flag.range), "", true);
            }
        }
    }
}
