//! A deterministic generator of large, realistic multi-stage Go Dockerfiles, shared by the
//! benchmarks and the integration tests.
//!
//! Include it with `#[path = "common/generate.rs"] mod generate;` from a bench, or with
//! `#[path = "../benches/common/generate.rs"] mod generate;` from a test. The output depends only
//! on the requested size: no clock, no randomness from the environment.

/// Service names cycled through by the generated stages (a block number keeps them unique).
const SERVICES: &[&str] =
    &["api", "worker", "gateway", "scheduler", "indexer", "notifier", "billing", "auth", "search", "ingest"];

/// Base ports of the services; each block adds its number so that no two stages share one.
const PORTS: &[u32] = &[8080, 9090, 8443, 7000, 6060, 5050, 3000, 4000, 8000, 9000];

/// Builds a Dockerfile of `lines` lines (the line count is exact once `lines` is at least the size
/// of the header, one service block and the final stage, about 90 lines; below that the output
/// is that minimum).
///
/// The text has a `# syntax` directive, global ARGs, then repeated blocks of a builder stage
/// (`FROM --platform=$BUILDPLATFORM golang:... AS build-N`, cache mounts, continued RUNs, a
/// heredoc) and a runtime stage (ENV, LABEL, EXPOSE, HEALTHCHECK, USER, JSON ENTRYPOINT), and a
/// final stage that gathers every binary. Every line is valid Dockerfile syntax.
pub(crate) fn generate_dockerfile(lines: usize) -> String {
    let mut out = Lines::default();
    header(&mut out);
    let mut blocks = 0;
    loop {
        let mut block = Lines::default();
        service_block(&mut block, blocks);
        let needed = out.len() + block.len() + footer_len(blocks + 1);
        if blocks > 0 && needed > lines {
            break;
        }
        out.append(block);
        blocks += 1;
    }
    let mut footer = Lines::default();
    final_stage(&mut footer, blocks);
    let padding = lines.saturating_sub(out.len() + footer.len());
    pad(&mut out, padding);
    out.append(footer);
    out.finish()
}

/// The lines of a Dockerfile under construction, without line breaks.
#[derive(Default)]
struct Lines(Vec<String>);

impl Lines {
    fn push(&mut self, line: impl Into<String>) {
        self.0.push(line.into());
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn append(&mut self, other: Lines) {
        self.0.extend(other.0);
    }

    fn finish(self) -> String {
        let mut text = self.0.join("\n");
        text.push('\n');
        text
    }
}

/// A small deterministic hash of a block number, used to vary the blocks.
fn mix(n: usize) -> u64 {
    let mut x = (n as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn header(out: &mut Lines) {
    out.push("# syntax=docker/dockerfile:1");
    out.push("");
    out.push("# Generated fixture: many Go services built for the target platform, then");
    out.push("# copied into small Alpine images and one image that bundles them all.");
    out.push("");
    for (name, value) in [
        ("GO_VERSION", "1.23.4"),
        ("ALPINE_VERSION", "3.20"),
        ("GOLANGCI_LINT_VERSION", "v1.62.2"),
        ("VERSION", "0.0.0-dev"),
        ("COMMIT", "unknown"),
        ("BUILD_DATE", "1970-01-01T00:00:00Z"),
        ("GOPROXY", "https://proxy.golang.org,direct"),
        ("GOFLAGS", "-mod=readonly"),
        ("CGO_ENABLED", "0"),
        ("REGISTRY", "registry.example.com/platform"),
    ] {
        out.push(format!("ARG {name}={value}"));
    }
    out.push("ARG TARGETPLATFORM");
    out.push("ARG BUILDPLATFORM");
    out.push("");
}

fn service_block(out: &mut Lines, n: usize) {
    let hash = mix(n);
    let name = format!("{}-{n}", SERVICES[n % SERVICES.len()]);
    let port = PORTS[n % PORTS.len()] + (n as u32 % 50);
    let build = format!("build-{n}");

    out.push("# ---------------------------------------------------------------------------");
    out.push(format!("# {name}: compiled on the build platform, cross-compiled for the target"));
    out.push("# ---------------------------------------------------------------------------");
    out.push(format!("FROM --platform=$BUILDPLATFORM golang:${{GO_VERSION}}-alpine AS {build}"));
    out.push("ARG TARGETOS TARGETARCH");
    out.push("ARG VERSION");
    out.push("ARG COMMIT");
    out.push(format!("WORKDIR /src/{name}"));
    out.push("RUN apk add --no-cache \\");
    out.push("        ca-certificates \\");
    out.push("        git \\");
    out.push("        make \\");
    out.push("        tzdata \\");
    out.push("    && update-ca-certificates");
    out.push("ENV GOPATH=/go GOCACHE=/root/.cache/go-build GOFLAGS=${GOFLAGS}");
    out.push("COPY go.mod go.sum ./");
    out.push("RUN --mount=type=cache,target=/go/pkg/mod go mod download");
    out.push("COPY . .");
    if hash.is_multiple_of(3) {
        out.push("# Vet and test before building; the caches survive between builds.");
        out.push("RUN --mount=type=cache,target=/go/pkg/mod \\");
        out.push("    --mount=type=cache,target=/root/.cache/go-build \\");
        out.push("    go vet ./... \\");
        out.push(format!("    && go test -count=1 -short ./cmd/{name}/... ./internal/..."));
    } else {
        out.push("# Generate code and check that the tree is tidy.");
        out.push("RUN go generate ./... \\");
        out.push("    && go mod tidy \\");
        out.push("    && git diff --exit-code -- go.mod go.sum \\");
        out.push("    || (echo 'go.mod is not tidy' >&2 && exit 1)");
    }
    out.push("# Build a static binary for the target platform.");
    out.push("RUN --mount=type=cache,target=/go/pkg/mod \\");
    out.push("    --mount=type=cache,target=/root/.cache/go-build \\");
    out.push("    --mount=type=bind,source=.,target=/src/ro,readonly \\");
    out.push("    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \\");
    out.push("    go build -trimpath \\");
    out.push("        -ldflags=\"-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}\" \\");
    out.push(format!("        -o /out/{name} ./cmd/{name} \\"));
    out.push(format!("    && test -x /out/{name}"));
    if hash.is_multiple_of(2) {
        out.push("RUN <<EOF");
        out.push("set -eu");
        out.push(format!("mkdir -p /out/etc/{name}"));
        out.push(format!("printf 'listen: :%s\\n' \"{port}\" > /out/etc/{name}/config.yaml"));
        out.push(format!("echo \"built {name} for $TARGETOS/$TARGETARCH\""));
        out.push("EOF");
    } else {
        out.push("RUN <<-EOT bash");
        out.push("\tset -euo pipefail");
        out.push(format!("\tmkdir -p /out/etc/{name}"));
        out.push(format!("\tgo version -m /out/{name} > /out/etc/{name}/buildinfo.txt"));
        out.push(format!("\techo \"built {name}\""));
        out.push("\tEOT");
    }
    out.push("");
    out.push(format!("FROM alpine:${{ALPINE_VERSION}} AS {name}"));
    out.push("ARG VERSION");
    out.push("ENV APP_ENV=production \\");
    out.push(format!("    APP_PORT={port} \\"));
    out.push(format!("    APP_NAME=\"{name}\" \\"));
    out.push("    TZ=UTC");
    out.push(format!("LABEL org.opencontainers.image.title=\"{name}\" \\"));
    out.push(format!("      org.opencontainers.image.source=\"https://git.example.com/platform/{name}\" \\"));
    out.push("      org.opencontainers.image.version=\"${VERSION}\"");
    out.push("LABEL maintainer=\"platform@example.com\"");
    out.push("RUN apk add --no-cache ca-certificates tzdata \\");
    out.push("    && addgroup -S app \\");
    out.push("    && adduser -S -D -H -G app app");
    out.push(format!("COPY --from={build} /out/{name} /usr/local/bin/{name}"));
    out.push(format!("COPY --from={build} --chown=app:app /out/etc/{name}/ /etc/{name}/"));
    if hash % 5 == 1 {
        out.push(format!("COPY <<EOF /etc/{name}/extra.env"));
        out.push(format!("SERVICE={name}"));
        out.push("LOG_LEVEL=info");
        out.push("EOF");
    }
    out.push(format!("WORKDIR /var/lib/{name}"));
    out.push(format!("VOLUME [\"/var/lib/{name}\"]"));
    out.push(format!("EXPOSE {port}/tcp"));
    out.push("HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \\");
    out.push(format!("    CMD wget -q -O /dev/null http://127.0.0.1:{port}/healthz || exit 1"));
    out.push("USER app:app");
    out.push(format!("ENTRYPOINT [\"/usr/local/bin/{name}\"]"));
    out.push(format!("CMD [\"serve\", \"--listen=:{port}\", \"--config=/etc/{name}/config.yaml\"]"));
    out.push("");
}

fn footer_len(blocks: usize) -> usize {
    let mut footer = Lines::default();
    final_stage(&mut footer, blocks);
    footer.len()
}

/// The last stage: one image with every service's binary.
fn final_stage(out: &mut Lines, blocks: usize) {
    out.push("# ---------------------------------------------------------------------------");
    out.push("# all-in-one: every service in one image, for local development");
    out.push("# ---------------------------------------------------------------------------");
    out.push("FROM alpine:${ALPINE_VERSION} AS all-in-one");
    out.push("RUN apk add --no-cache ca-certificates tzdata");
    for n in 0..blocks {
        let name = format!("{}-{n}", SERVICES[n % SERVICES.len()]);
        out.push(format!("COPY --from=build-{n} /out/{name} /usr/local/bin/{name}"));
    }
    out.push("USER 65532:65532");
    out.push("ENTRYPOINT [\"/bin/sh\", \"-c\"]");
    out.push("CMD [\"ls /usr/local/bin\"]");
}

/// Fills `count` lines with comment paragraphs separated by blank lines (the last line is blank).
fn pad(out: &mut Lines, count: usize) {
    const NOTES: &[&str] = &[
        "# Each service above has a builder stage and a runtime stage; the builder",
        "# runs on the build platform and cross-compiles with GOOS and GOARCH, so",
        "# no emulation is needed. Cache mounts keep modules and build outputs",
        "# between builds without adding layers to the final images.",
    ];
    for i in 0..count {
        if i % 5 == 4 || i + 1 == count {
            out.push("");
        } else {
            out.push(NOTES[i % 5]);
        }
    }
}
