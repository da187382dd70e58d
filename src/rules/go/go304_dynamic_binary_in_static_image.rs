//! GO304: a dynamically linked Go program is copied into an image without a C library.

use super::go3xx_support::{cgo_off_fix, dynamic_linking, final_image_runs, shipped_path, shipped_programs};
use crate::images::Libc;
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO304",
    name: "dynamic-binary-in-static-image",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows each `COPY --from=<stage>` of the final stage back to the `go build` (or `go install`) that
wrote the program, and reports the copy when that program is linked dynamically and the final image
has no C library and no dynamic loader: `scratch`, `gcr.io/distroless/static*`,
`cgr.dev/chainguard/static`, busybox's `-musl`/`-uclibc` variants.

A Go program is linked dynamically when cgo is on (set to 1, or left to the default of the Debian
`golang` images for a native build) and the built code imports \"C\", or imports `net` or
`os/user` (directly or through `net/http`, `crypto/tls`, …) without the `netgo`/`osusergo` tags;
when it is built with `-race`; and with `-buildmode=pie`.

## Why it matters
The kernel cannot start a program whose dynamic loader (`/lib64/ld-linux-x86-64.so.2`,
`/lib/ld-musl-x86_64.so.1`) is missing, and reports the program itself as missing:

```text
exec /app: no such file or directory
```

(older runtimes: `standard_init_linux.go:211: exec user process caused \"no such file or directory\"`).
The image builds; the container never starts.

Not reported: a `scratch` final stage without ENTRYPOINT or CMD (an export stage for `docker build --output`), builds whose cgo state only the build knows (`CGO_ENABLED` or `GOARCH` from a
build argument, a custom `CC`), linker flags with variables or `-extldflags` containing `-static`,
programs moved after the build (`RUN mv`), code gantry cannot trace to the workspace, and a
workspace whose package index is not complete yet.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
# main.go imports net/http; cgo is on by default here
RUN go build -o /app .

FROM scratch
COPY --from=build /app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Build with `CGO_ENABLED=0` (the quick fix, offered when cgo is on only by default and the code
does not import \"C\"), or add `-tags netgo,osusergo`; or run the program on an image with the C
library it was built against (`gcr.io/distroless/base-debian12` for a Debian builder).

## References
- cgo and static linking: https://pkg.go.dev/cmd/cgo
- The `net` package's resolvers and the `netgo` tag: https://pkg.go.dev/net#hdr-Name_Resolution
- Distroless images: https://github.com/GoogleContainerTools/distroless
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() || !final_image_runs(context) {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    if last.runtime.libc != Libc::None {
        return;
    }
    let image = last.image_text.as_ref().map_or("scratch", |(text, _)| text.as_str());
    for shipped in shipped_programs(context, facts) {
        let Some(because) = dynamic_linking(context, facts, shipped.producer, shipped.run) else { continue };
        let path = shipped_path(context, &shipped).unwrap_or_else(|| "/app".to_string());
        let message = format!(
            "this program is linked dynamically ({}), but `{image}` has no C library or dynamic loader: the \
             container fails to start with `exec {path}: no such file or directory`",
            because.describe()
        );
        let diagnostic = sink.report(shipped.source_range, message);
        diagnostic.with_related(None, shipped.run.command.range, "the program is built here");
        if let Some(site) = because.site() {
            let why = if site.path == "C" { "uses cgo" } else { "links libc when cgo is on" };
            diagnostic.with_related(Some(site.file.clone()), site.range, why);
        }
        if let Some((range, text)) = cgo_off_fix(shipped.run, &because) {
            diagnostic.with_fix("Build with `CGO_ENABLED=0`", range, text, true);
        }
    }
}
