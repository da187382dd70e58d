//! GO305: a dynamically linked Go program built against one C library runs on an image with another.

use super::go3xx_support::{cgo_off_fix, dynamic_linking, final_stage_installs, shipped_path, shipped_programs};
use crate::images::Libc;
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO305",
    name: "libc-mismatch-between-stages",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows each `COPY --from=<stage>` of the final stage back to the `go build` that wrote the
program and reports the copy when the program is linked dynamically against one C library and the
final image has the other: built on a Debian `golang` image (glibc) and run on Alpine (musl), or
built on `golang:*-alpine` (musl) and run on Debian, Ubuntu, distroless `base`/`cc` or another glibc
image. See GO304 for when a Go program is linked dynamically.

## Why it matters
A glibc program asks for `/lib64/ld-linux-x86-64.so.2`, a musl one for `/lib/ld-musl-x86_64.so.1`;
an image of the other family has neither, and the kernel reports the program as missing:

```text
exec /usr/local/bin/app: no such file or directory
```

or, from a shell, `/usr/local/bin/app: not found`. The image builds; the container never starts.

Not reported: final stages that install a compatibility layer (`apk add gcompat` or
`libc6-compat` for glibc programs on Alpine, `apt-get install musl` for musl programs), builds
whose cgo state or packages are not known (see GO304's list), images gantry has no facts about, and
images without any C library (GO304).

## Example
```dockerfile
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
# main.go imports net/http; cgo is on by default on Debian
RUN go build -o /app .

FROM alpine:3.20
COPY --from=build /app /usr/local/bin/app
```

## Fix
Build with `CGO_ENABLED=0` (the quick fix, offered when cgo is on only by default and no built
code imports \"C\"), or use the same C library in both stages: `golang:*-alpine` with `alpine`,
`golang:*-bookworm` with `debian:bookworm-slim` or `gcr.io/distroless/base-debian12`.

## References
- cgo and dynamic linking: https://pkg.go.dev/cmd/cgo
- The golang image variants: https://hub.docker.com/_/golang
- grafana/metrictank#1150: https://github.com/grafana/metrictank/issues/1150
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    let runtime_libc = last.runtime.libc;
    if !matches!(runtime_libc, Libc::Glibc | Libc::Musl) {
        return;
    }
    let image = last.image_text.as_ref().map_or("the final image", |(text, _)| text.as_str());
    for shipped in shipped_programs(context, facts) {
        let Some(golang) = &shipped.producer.golang else { continue };
        let built_with = golang.libc;
        if !matches!(built_with, Libc::Glibc | Libc::Musl) || built_with == runtime_libc {
            continue;
        }
        // A compatibility layer in the final image lets the other family's programs run.
        let compat: &[&str] = if built_with == Libc::Glibc { &["gcompat", "libc6-compat"] } else { &["musl"] };
        if final_stage_installs(context, compat) != Some(false) {
            continue;
        }
        let Some(because) = dynamic_linking(context, facts, shipped.producer, shipped.run) else { continue };
        let path = shipped_path(context, &shipped).unwrap_or_else(|| "/app".to_string());
        let message = format!(
            "this program is linked dynamically against {} ({}), but `{image}` has {}: the container fails to \
             start with `exec {path}: no such file or directory`",
            libc_name(built_with),
            because.describe(),
            libc_name(runtime_libc),
        );
        let diagnostic = sink.report(shipped.source_range, message);
        if let Some((_, range)) = &shipped.producer.image_text {
            diagnostic.with_related(None, *range, format!("built on {}", libc_name(built_with)));
        }
        diagnostic.with_related(None, shipped.run.command.range, "the program is built here");
        if let Some((range, text)) = cgo_off_fix(shipped.run, &because) {
            diagnostic.with_fix("Build with `CGO_ENABLED=0`", range, text, true);
        }
    }
}

fn libc_name(libc: Libc) -> &'static str {
    match libc {
        Libc::Glibc => "glibc",
        Libc::Musl => "musl",
        _ => "another C library",
    }
}
