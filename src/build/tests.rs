//! Tests of the build simulation on small Dockerfiles.

use super::*;
use crate::syntax::{GoSubcommand, parse};

fn simulate(text: &str) -> Build {
    Build::simulate(&parse(text))
}

const MULTI_STAGE: &str = r#"ARG GO_VERSION=1.23
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ENV CGO_ENABLED=0
RUN --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
USER nonroot:nonroot
ENTRYPOINT ["/app"]
"#;

#[test]
fn stages_images_and_workdirs() {
    let build = simulate(MULTI_STAGE);
    assert_eq!(build.stages.len(), 2);
    let builder = &build.stages[0];
    let golang = builder.golang.as_ref().expect("a golang base");
    assert_eq!(golang.go_version.map(|v| (v.major, v.minor)), Some((1, 23)));
    assert_eq!(golang.has_c_compiler, Some(false));
    assert!(builder.used_by_later_stages);
    assert_eq!(builder.workdir_at(builder.from + 1), "/go");
    assert_eq!(builder.workdir_at(builder.from + 3), "/src");
    let runtime = &build.stages[1];
    assert!(runtime.golang.is_none());
    assert_eq!(runtime.runtime.has_shell, Some(false));
    assert_eq!(runtime.user.as_ref().map(|(u, _)| u.as_str()), Some("nonroot:nonroot"));
    assert!(build.builds_go());
}

#[test]
fn go_commands_with_their_environment_and_caches() {
    let build = simulate(MULTI_STAGE);
    let runs: Vec<_> = build.go_runs().map(|(_, run)| run).collect();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].command.subcommand, GoSubcommand::Mod("download".into()));
    assert!(runs[0].module_cache_mount && !runs[0].build_cache_mount);
    assert_eq!(runs[0].env("CGO_ENABLED"), &EnvValue::Unset);
    let go_build = runs[1];
    assert_eq!(go_build.command.subcommand, GoSubcommand::Build);
    assert_eq!(go_build.workdir, "/src");
    assert!(go_build.build_cache_mount);
    assert_eq!(go_build.env("CGO_ENABLED"), &EnvValue::Known("0".into()));
    assert_eq!(go_build.env("GOOS"), &EnvValue::Unknown);
    assert_eq!(go_build.cgo_enabled(build.stages[0].golang.as_ref()), Some(false));
}

#[test]
fn copies_map_context_files_into_the_image() {
    let build = simulate(MULTI_STAGE);
    let builder = &build.stages[0];
    let copies: Vec<_> = builder.copies.iter().collect();
    assert_eq!(copies[0].destination_of("go.mod").as_deref(), Some("/src/go.mod"));
    assert_eq!(copies[0].destination_of("main.go"), None);
    assert_eq!(copies[1].destination_of("cmd/app/main.go").as_deref(), Some("/src/cmd/app/main.go"));
    let runtime = &build.stages[1];
    assert_eq!(runtime.copies[0].source, CopySource::Stage(0));
    assert_eq!(runtime.copies[0].destination_of("/out/app").as_deref(), Some("/app"));
    let before_download = builder.go_runs[0].instruction;
    assert_eq!(builder.context_copies_before(before_download).count(), 1);
}

#[test]
fn cgo_defaults_follow_the_image() {
    let debian = simulate("FROM golang:1.23\nRUN go build -o /app .\n");
    let (stage, run) = debian.go_runs().next().unwrap();
    assert_eq!(run.cgo_enabled(stage.golang.as_ref()), Some(true));
    let cross = simulate("FROM golang:1.23\nRUN GOARCH=arm64 go build -o /app .\n");
    let (stage, run) = cross.go_runs().next().unwrap();
    assert_eq!(run.cgo_enabled(stage.golang.as_ref()), None);
    let build_arg = simulate("FROM golang:1.23\nARG CGO_ENABLED\nRUN go build .\n");
    let (stage, run) = build_arg.go_runs().next().unwrap();
    assert_eq!(run.cgo_enabled(stage.golang.as_ref()), None);
}

#[test]
fn stages_inherit_from_their_parent_stage() {
    let build = simulate(
        "FROM golang:1.23-alpine AS base\nWORKDIR /app\nENV CGO_ENABLED=1\nFROM base AS test\nRUN go test ./...\n",
    );
    let test = &build.stages[1];
    assert!(test.golang.is_some());
    assert_eq!(test.go_runs[0].workdir, "/app");
    assert_eq!(test.go_runs[0].env("CGO_ENABLED"), &EnvValue::Known("1".into()));
}

#[test]
fn prebuilt_binaries_are_not_go_builds() {
    let build = simulate("FROM alpine:3.20\nCOPY app /usr/local/bin/app\nENTRYPOINT [\"app\"]\n");
    assert!(!build.builds_go());
}

#[test]
fn paths_resolve_like_workdir() {
    assert_eq!(resolve_path("/go", "src/app"), "/go/src/app");
    assert_eq!(resolve_path("/go", "/abs/./x/../y"), "/abs/y");
    assert_eq!(resolve_path("/", ".."), "/");
}

#[test]
fn bind_mounts_are_copies_for_one_run() {
    let build = simulate(
        "FROM golang:1.23 AS build\nWORKDIR /src\n\
         RUN --mount=type=bind,source=go.sum,target=go.sum --mount=target=. --mount=type=cache,target=/go/pkg/mod \\\n\
         --mount=from=build,source=/out,target=/tmp/out go mod download\n\
         ARG DIR\nRUN --mount=type=bind,target=$DIR go build .\n",
    );
    let runs: Vec<_> = build.go_runs().map(|(_, run)| run).collect();
    let mounts = &runs[0].bind_mounts;
    assert_eq!(mounts.len(), 3, "{mounts:?}");
    assert_eq!(mounts[0].sources_for("/src/go.sum"), Some(vec!["go.sum".to_string()]));
    assert_eq!(mounts[1].source, CopySource::Context);
    assert_eq!(mounts[1].sources_for("/src/go.mod"), Some(vec!["go.mod".to_string()]));
    assert_eq!(mounts[2].source, CopySource::Stage(0));
    assert_eq!(mounts[2].destination, "/tmp/out");
    // A target only the build knows could be anywhere.
    assert_eq!(runs[1].bind_mounts[0].sources_for("/src/go.mod"), None);
    assert!(build.stages[0].copies.is_empty());
}

#[test]
fn copies_before_follow_the_stage_chain() {
    let build = simulate(
        "FROM golang:1.23 AS base\nWORKDIR /src\nCOPY go.mod ./\nFROM base AS build\nCOPY . .\nRUN go build .\nCOPY extra /x\n",
    );
    let run = build.stages[1].go_runs[0].instruction;
    let copies = build.copies_before(1, run);
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0].sources[0].0.as_deref(), Some("go.mod"));
    assert_eq!(copies[1].sources[0].0.as_deref(), Some(""));
    assert_eq!(build.copies_before(0, usize::MAX).len(), 1);
}

#[test]
fn add_of_a_url_does_not_read_the_context() {
    let build = simulate(
        "FROM golang:1.23\nADD https://example.com/src.tar.gz /src/\nADD git@github.com:a/b.git /b\nADD local.tar /l/\n",
    );
    let sources: Vec<_> = build.stages[0].copies.iter().map(|c| c.source.clone()).collect();
    assert!(matches!(sources[0], CopySource::Other(_)) && matches!(sources[1], CopySource::Other(_)));
    assert_eq!(sources[2], CopySource::Context);
}

#[test]
fn a_file_copied_onto_the_working_directory_goes_inside_it() {
    let build = simulate(
        "FROM golang:1.23\nWORKDIR /src\nCOPY go.mod .\nCOPY go.sum /src\nCOPY main.go ./\nCOPY app.go /bin/app\n",
    );
    let copies = &build.stages[0].copies;
    assert_eq!(copies[0].destination_of("go.mod").as_deref(), Some("/src/go.mod"));
    assert_eq!(copies[1].destination_of("go.sum").as_deref(), Some("/src/go.sum"));
    assert_eq!(copies[2].destination_of("main.go").as_deref(), Some("/src/main.go"));
    assert_eq!(copies[3].destination_of("app.go").as_deref(), Some("/bin/app"));
}
