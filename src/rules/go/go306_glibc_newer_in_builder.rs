//! GO306: a cgo program built on a Debian release with glibc 2.34 or newer runs on an older glibc.

use super::go3xx_support::{cgo_off_fix, dynamic_linking, shipped_path, shipped_programs};
use crate::images::{DebianRelease, Libc, RuntimeKind, Variant};
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO306",
    name: "glibc-newer-in-builder",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Follows each `COPY --from=<stage>` of the final stage back to the `go build` that wrote the
program and reports the copy when the program is linked against glibc (cgo on, see GO304), the
builder is a Debian `golang` image with glibc 2.34 or newer (bookworm, trixie; a floating tag such
as `golang:1.22` means bookworm), and the final image has a glibc older than 2.34: `debian:bullseye`
or older, `gcr.io/distroless/base-debian11` or `cc-debian11`.

## Why it matters
glibc 2.34 moved libpthread and libdl into libc and gave their symbols the version `GLIBC_2.34`; a
program linked on 2.34 or newer asks for that version, and an older glibc refuses to load it:

```text
/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app)
```

The image builds; the container never starts. It happens without any change to the Dockerfile
when a floating `golang` tag moves to a newer Debian release (the tags moved to bookworm in June
2023).

Not reported: pairs on the same side of glibc 2.34 (bookworm to trixie and back work for the
symbols a Go program uses in practice), runtime images whose release gantry does not know (Ubuntu,
variables), cgo-free programs (a `-buildmode=pie` program without cgo needs only the loader), and
builds whose cgo state or packages are not known.

## Example
```dockerfile
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM gcr.io/distroless/base-debian11
COPY --from=build /app /app
```

## Fix
Pin both stages to the same Debian release (`golang:1.22-bookworm` with
`gcr.io/distroless/base-debian12`, `golang:*-trixie` with `-debian13`), or build with
`CGO_ENABLED=0` (the quick fix, offered when cgo is on only by default and no built code imports
\"C\").

## References
- docker-library/golang#466: https://github.com/docker-library/golang/issues/466
- GoogleContainerTools/distroless#1342: https://github.com/GoogleContainerTools/distroless/issues/1342
- glibc 2.34 release notes: https://sourceware.org/glibc/wiki/Release/2.34
";

/// glibc of each Debian release, for messages (Forky's is not final).
fn glibc(release: DebianRelease) -> &'static str {
    match release {
        DebianRelease::Wheezy => "2.13",
        DebianRelease::Jessie => "2.19",
        DebianRelease::Stretch => "2.24",
        DebianRelease::Buster => "2.28",
        DebianRelease::Bullseye => "2.31",
        DebianRelease::Bookworm => "2.36",
        DebianRelease::Trixie => "2.41",
        DebianRelease::Forky => "2.41 or newer",
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    if last.runtime.libc != Libc::Glibc {
        return;
    }
    let runtime_release = match &last.runtime.kind {
        RuntimeKind::Debian { release: Some(release) } => *release,
        RuntimeKind::Distroless { debian, .. } => *debian,
        _ => return,
    };
    if runtime_release >= DebianRelease::Bookworm {
        return;
    }
    let image = last.image_text.as_ref().map_or("the final image", |(text, _)| text.as_str());
    for shipped in shipped_programs(context, facts) {
        let Some(golang) = &shipped.producer.golang else { continue };
        let Variant::Debian { release: Some(builder_release), .. } = golang.variant else { continue };
        if builder_release < DebianRelease::Bookworm {
            continue;
        }
        let Some(because) = dynamic_linking(context, facts, shipped.producer, shipped.run) else { continue };
        if !because.uses_libc() {
            continue;
        }
        let path = shipped_path(context, &shipped).unwrap_or_else(|| "/app".to_string());
        let message = format!(
            "this program is built with cgo on {} ({}), so it needs glibc 2.34 or newer, but `{image}` has glibc {} \
             ({}): it fails to start with `version 'GLIBC_2.34' not found (required by {path})`",
            builder_release.codename(),
            because.describe(),
            glibc(runtime_release),
            runtime_release.codename(),
        );
        let diagnostic = sink.report(shipped.source_range, message);
        if let Some((_, range)) = &shipped.producer.image_text {
            diagnostic.with_related(None, *range, format!("built on {builder_release}"));
        }
        diagnostic.with_related(None, shipped.run.command.range, "the program is built here");
        if let Some((range, text)) = cgo_off_fix(shipped.run, &because) {
            diagnostic.with_fix("Build with `CGO_ENABLED=0`", range, text, true);
        }
    }
}
