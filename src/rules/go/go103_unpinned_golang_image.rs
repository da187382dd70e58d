//! GO103: the `golang` builder image is not pinned to a Go version (no tag, `latest`, `alpine`, `1`).

use crate::images::{VersionPin, suggest_tag};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO103",
    name: "unpinned-golang-image",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `FROM golang` whose tag names no Go version (`golang`, `golang:latest`, `golang:alpine`,
`golang:bookworm`) or only the major version (`golang:1`, `golang:1-alpine`), also when the tag comes
from an `ARG` default such as `ARG GOVERSION=latest`.

## Why it matters
Such a tag moves to every new Go release, so the same Dockerfile builds with a different compiler,
standard library and often a different Debian or Alpine underneath from one day to the next. A new
minor release can refuse code (a changed `go vet` check run by `go test`, a removed `GODEBUG`
setting), and a base OS switch changes the glibc the binary links against: when the `golang:1.20`
tags moved from bullseye to bookworm, binaries copied into older runtime images started failing with

```text
/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app)
```

A go.mod bump can also outrun a pinned-looking but stale mirror of such a tag (see GO101).

Not reported: minor-version tags such as `golang:1.23` or `golang:1.23-alpine` (they receive only
patch releases and security fixes, the reproducibility most projects want; GO101 checks them
against go.mod), exact tags, any tag with a `@sha256:` digest (fully pinned), `tip` and `rc` tags
(chosen on purpose to follow development), and tags only the build knows (`golang:${GO_VERSION}`
without a default). hadolint's DL3006/DL3007 report missing and `latest` tags for every image;
this rule adds the Go-specific cases and the fix.

## Example
```dockerfile
FROM golang:alpine AS build
```

## Fix
Pin the Go version, keeping the variant. The quick fix pins the exact version the tag resolves to
today (`golang:1.26.4-alpine`), which changes nothing in what is built until the next release; it
is marked unsafe because it stops the image from following new releases. A minor-version tag
(`golang:1.26-alpine`) is the usual compromise; a digest pins completely.

## References
- The official golang image and its tags: https://hub.docker.com/_/golang
- Image tags move (docker-library/official-images#14857): https://github.com/docker-library/official-images/pull/14857
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let build = context.build();
    for stage in &build.stages {
        let StageBase::Image(_) = stage.base else { continue };
        let Some(image) = &stage.golang else { continue };
        if image.digest.is_some() || !matches!(image.pin, VersionPin::Latest | VersionPin::Major) {
            continue;
        }
        let InstructionKind::From(from) = &context.dockerfile.instructions[stage.from].kind else { continue };
        let Some(reference) = &from.image else { continue };
        if reference.digest.is_some() {
            continue;
        }
        let written = reference.text.as_str();
        let today = image.go_version.map(|v| format!(" (today Go {v})")).unwrap_or_default();
        let tag = image.tag.as_deref().unwrap_or("latest");
        // A tag from a build argument is shown as written, with the default it expands to.
        let shown = match written.split_once(':') {
            Some((_, written_tag)) if written.contains('$') => format!("`{written_tag}` (by default `{tag}`)"),
            _ => format!("`{tag}`"),
        };
        let moves = match image.pin {
            VersionPin::Major => format!("{shown} follows every new Go minor release{today}"),
            _ if image.tag.is_none() => {
                format!("without a tag, `golang` means `golang:latest`, the newest Go release{today}")
            }
            _ => format!("{shown} names no Go version: it follows every new Go release{today}"),
        };
        let diagnostic = sink.report(
            reference.range,
            format!("{moves}: the builder changes without any edit to this file; pin a Go version"),
        );
        // The fix pins what the tag means today, keeping the variant; only for a literal reference.
        if written.contains('$') {
            continue;
        }
        let Some(pinned) = image.go_version.and_then(|version| suggest_tag(version, image.variant)) else { continue };
        let (range, text) = match reference.tag_range {
            Some(tag) => {
                // The tag range may include its `:`.
                let starts_with_colon = context.text.get(tag.as_range()).is_some_and(|t| t.starts_with(':'));
                let range = if starts_with_colon { TextRange::new(tag.start + 1, tag.end) } else { tag };
                (range, pinned.clone())
            }
            None => (TextRange::new(reference.name_range.end, reference.name_range.end), format!(":{pinned}")),
        };
        diagnostic.with_fix(format!("Pin `golang:{pinned}`"), range, text, false);
    }
}
