//! The fixed vocabulary of completion: instruction keywords, directives, flags and their values,
//! each with a short description written for gantry.

use crate::syntax::Keyword;

/// What a keyword does, in one line, and the snippet that writes a typical use of it.
pub(super) fn keyword_info(keyword: Keyword) -> (&'static str, &'static str) {
    match keyword {
        Keyword::Add => (
            "Copies files, URLs or Git repositories into the image; local tar archives are unpacked.",
            "ADD ${1:source} ${2:destination}",
        ),
        Keyword::Arg => ("Declares a build argument, which `--build-arg` can set.", "ARG ${1:NAME}"),
        Keyword::Cmd => {
            ("The container's default command (or ENTRYPOINT's default arguments).", "CMD [\"${1:executable}\"]")
        }
        Keyword::Copy => (
            "Copies files from the build context or another stage into the image.",
            "COPY ${1:source} ${2:destination}",
        ),
        Keyword::Entrypoint => {
            ("The program the container runs; CMD supplies its default arguments.", "ENTRYPOINT [\"${1:executable}\"]")
        }
        Keyword::Env => {
            ("Sets environment variables for later instructions and the container.", "ENV ${1:NAME}=${2:value}")
        }
        Keyword::Expose => ("Documents a port the container listens on.", "EXPOSE ${1:8080}"),
        Keyword::From => ("Starts a build stage from an image or an earlier stage.", "FROM ${1:image} AS ${2:name}"),
        Keyword::Healthcheck => (
            "How the engine checks that the container still works.",
            "HEALTHCHECK --interval=${1:30s} CMD ${2:command}",
        ),
        Keyword::Label => ("Adds metadata to the image.", "LABEL ${1:key}=\"${2:value}\""),
        Keyword::Maintainer => {
            ("Deprecated: write `LABEL org.opencontainers.image.authors=…` instead.", "MAINTAINER ${1:name}")
        }
        Keyword::Onbuild => ("An instruction that runs when another build starts FROM this image.", "ONBUILD ${1:RUN}"),
        Keyword::Run => ("Runs a command while building, in a new layer.", "RUN ${1:command}"),
        Keyword::Shell => {
            ("The shell that runs the shell form of RUN, CMD and ENTRYPOINT.", "SHELL [\"${1:/bin/sh}\", \"${2:-c}\"]")
        }
        Keyword::Stopsignal => ("The signal that asks the container to stop.", "STOPSIGNAL ${1:SIGTERM}"),
        Keyword::User => ("The user (and group) for later instructions and the container.", "USER ${1:65532:65532}"),
        Keyword::Volume => ("Declares a mount point for data kept outside the container.", "VOLUME [\"${1:/data}\"]"),
        Keyword::Workdir => ("The working directory for later instructions and the container.", "WORKDIR ${1:/app}"),
    }
}

/// How a flag's value is completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FlagValue {
    /// A boolean flag: `--link` alone means true.
    Bool,
    Platform,
    Network,
    Security,
    Mount,
    Stage,
    Chmod,
    Duration,
    Retries,
    /// A value gantry has nothing to suggest for.
    Free,
}

pub(super) struct FlagSpec {
    pub(super) name: &'static str,
    pub(super) value: FlagValue,
    /// The flag may be given more than once.
    pub(super) repeatable: bool,
    pub(super) doc: &'static str,
}

const fn flag(name: &'static str, value: FlagValue, repeatable: bool, doc: &'static str) -> FlagSpec {
    FlagSpec { name, value, repeatable, doc }
}

const FROM_FLAGS: &[FlagSpec] = &[flag(
    "platform",
    FlagValue::Platform,
    false,
    "The platform of the base image; `$BUILDPLATFORM` runs this stage natively when cross-compiling.",
)];

const RUN_FLAGS: &[FlagSpec] = &[
    flag(
        "mount",
        FlagValue::Mount,
        true,
        "Mounts a cache, a secret, an SSH agent, a tmpfs or files of another stage for this command only.",
    ),
    flag("network", FlagValue::Network, false, "The network the command may use: `default`, `none` or `host`."),
    flag(
        "security",
        FlagValue::Security,
        false,
        "`insecure` runs the command with extra privileges (needs an entitlement).",
    ),
    flag("device", FlagValue::Free, true, "Exposes a CDI device to the command (experimental)."),
];

const COPY_FLAGS: &[FlagSpec] = &[
    flag(
        "from",
        FlagValue::Stage,
        false,
        "Copies from an earlier stage, a named context or an image instead of the context.",
    ),
    flag("chown", FlagValue::Free, false, "Owner (`user:group` or `uid:gid`) of the copied files."),
    flag("chmod", FlagValue::Chmod, false, "Permissions of the copied files, in octal."),
    flag("link", FlagValue::Bool, false, "Copies into an independent layer that survives changes of the base image."),
    flag("parents", FlagValue::Bool, false, "Keeps the source's parent directories under the destination."),
    flag("exclude", FlagValue::Free, true, "Leaves out files matching a pattern."),
];

const ADD_FLAGS: &[FlagSpec] = &[
    flag("chown", FlagValue::Free, false, "Owner (`user:group` or `uid:gid`) of the added files."),
    flag("chmod", FlagValue::Chmod, false, "Permissions of the added files, in octal."),
    flag("link", FlagValue::Bool, false, "Adds into an independent layer that survives changes of the base image."),
    flag("checksum", FlagValue::Free, false, "The expected `sha256:` digest of a downloaded file."),
    flag("keep-git-dir", FlagValue::Bool, false, "Keeps the `.git` directory of a Git source."),
    flag("unpack", FlagValue::Bool, false, "Whether an archive source is unpacked."),
    flag("exclude", FlagValue::Free, true, "Leaves out files matching a pattern."),
];

const HEALTHCHECK_FLAGS: &[FlagSpec] = &[
    flag("interval", FlagValue::Duration, false, "Time between checks (default 30s)."),
    flag("timeout", FlagValue::Duration, false, "How long one check may take (default 30s)."),
    flag("start-period", FlagValue::Duration, false, "Start-up time during which failures do not count."),
    flag("start-interval", FlagValue::Duration, false, "Time between checks during the start period."),
    flag("retries", FlagValue::Retries, false, "Failures in a row before the container is unhealthy (default 3)."),
];

const ARG_FLAGS: &[FlagSpec] =
    &[flag("required", FlagValue::Bool, false, "The build fails unless `--build-arg` sets this argument.")];

/// The flags `keyword` takes.
pub(super) fn flags(keyword: Keyword) -> &'static [FlagSpec] {
    match keyword {
        Keyword::From => FROM_FLAGS,
        Keyword::Run => RUN_FLAGS,
        Keyword::Copy => COPY_FLAGS,
        Keyword::Add => ADD_FLAGS,
        Keyword::Healthcheck => HEALTHCHECK_FLAGS,
        Keyword::Arg => ARG_FLAGS,
        _ => &[],
    }
}

/// Values of `--platform` (and of `platform`-like values), most useful for Go builds first.
pub(super) const PLATFORMS: &[(&str, &str)] = &[
    ("$BUILDPLATFORM", "The platform of the machine running the build: compile natively, then cross-compile."),
    ("$TARGETPLATFORM", "The platform the image is built for."),
    ("linux/amd64", "64-bit x86 Linux."),
    ("linux/arm64", "64-bit ARM Linux."),
    ("linux/arm/v7", "32-bit ARMv7 Linux."),
    ("linux/386", "32-bit x86 Linux."),
    ("linux/ppc64le", "POWER little-endian Linux."),
    ("linux/s390x", "IBM Z Linux."),
    ("linux/riscv64", "64-bit RISC-V Linux."),
    ("windows/amd64", "64-bit x86 Windows."),
];

pub(super) const NETWORKS: &[(&str, &str)] = &[
    ("default", "The build's usual network."),
    ("none", "No network: the command cannot download anything."),
    ("host", "The host's network (needs the `network.host` entitlement)."),
];

pub(super) const SECURITY: &[(&str, &str)] = &[
    ("sandbox", "The default sandbox."),
    ("insecure", "Extra privileges (needs the `security.insecure` entitlement)."),
];

pub(super) const CHMOD: &[(&str, &str)] = &[
    ("0755", "Owner writes; everyone reads and executes (programs, directories)."),
    ("0644", "Owner writes; everyone reads (data files)."),
    ("0555", "Everyone reads and executes; nobody writes."),
    ("0444", "Everyone reads; nobody writes."),
    ("0600", "Only the owner reads and writes (keys)."),
];

pub(super) const DURATIONS: &[(&str, &str)] =
    &[("30s", "30 seconds."), ("10s", "10 seconds."), ("5s", "5 seconds."), ("1m", "One minute.")];

pub(super) const RETRIES: &[(&str, &str)] = &[("3", "The default."), ("5", "Five failures in a row.")];

pub(super) const BOOLEANS: &[(&str, &str)] = &[("true", "On."), ("false", "Off.")];

/// `--mount` option keys, with the mount types each applies to (empty: all).
pub(super) const MOUNT_KEYS: &[(&str, &[&str], &str)] = &[
    ("type", &[], "`bind` (default), `cache`, `tmpfs`, `secret` or `ssh`."),
    ("target", &[], "Where the mount appears in the command's file system."),
    ("source", &["bind", "cache", "secret"], "The path inside `from` (bind, cache) or of the secret."),
    ("from", &["bind", "cache"], "The stage, context or image to mount from."),
    ("id", &["cache", "secret", "ssh"], "Identifies the cache, secret or SSH agent socket."),
    ("sharing", &["cache"], "How concurrent builds share the cache: `shared`, `private` or `locked`."),
    ("readonly", &["bind", "cache"], "Mount read-only."),
    ("rw", &["bind"], "Allow writes to a bind mount (they are discarded)."),
    ("required", &["secret", "ssh"], "Fail when the secret or SSH agent is not provided."),
    ("mode", &["cache", "secret", "ssh"], "Permissions of the mount, in octal."),
    ("uid", &["cache", "secret", "ssh"], "Owner user ID of the mount."),
    ("gid", &["cache", "secret", "ssh"], "Owner group ID of the mount."),
    ("size", &["tmpfs"], "Size limit of the tmpfs."),
    ("env", &["secret"], "Expose the secret as this environment variable instead of a file."),
];

pub(super) const MOUNT_TYPES: &[(&str, &str)] = &[
    ("cache", "A directory kept between builds: Go's module and build caches, package caches."),
    ("bind", "Files of the context or another stage, without copying them into a layer."),
    ("secret", "A secret file (or variable) that never lands in the image."),
    ("ssh", "The SSH agent socket, for private Git repositories."),
    ("tmpfs", "An empty in-memory directory."),
];

pub(super) const MOUNT_SHARING: &[(&str, &str)] = &[
    ("shared", "Concurrent builds use the cache at the same time (the default)."),
    ("locked", "Concurrent builds wait for each other."),
    ("private", "Concurrent builds each get their own copy."),
];

/// Cache targets worth suggesting, the Go ones first.
pub(super) const CACHE_TARGETS: &[(&str, &str)] = &[
    ("/go/pkg/mod", "Go's module cache in the golang image (GOMODCACHE)."),
    ("/root/.cache/go-build", "Go's build cache for root in the golang image (GOCACHE)."),
    ("/var/cache/apt", "apt's package cache (pair with `sharing=locked`)."),
    ("/var/lib/apt", "apt's package lists (pair with `sharing=locked`)."),
    ("/etc/apk/cache", "apk's package cache."),
];

/// Whole `--mount=` values offered next to the bare flag: Go's two caches.
pub(super) const GO_CACHE_MOUNTS: &[(&str, &str)] = &[
    ("type=cache,target=/go/pkg/mod", "Keeps downloaded Go modules between builds."),
    ("type=cache,target=/root/.cache/go-build", "Keeps Go's compiled packages between builds."),
];

/// A value with what it means.
pub(super) type Documented = (&'static str, &'static str);

/// Directive names with what they do and the values worth offering.
pub(super) const DIRECTIVES: &[(&str, &str, &[Documented])] = &[
    (
        "syntax",
        "The Dockerfile frontend that builds this file.",
        &[
            ("docker/dockerfile:1", "The latest stable 1.x frontend."),
            ("docker/dockerfile:1-labs", "The latest frontend with experimental features."),
        ],
    ),
    (
        "escape",
        "The escape character: `\\` (default) or a backtick (handy on Windows).",
        &[("\\", "Backslash."), ("`", "Backtick.")],
    ),
    (
        "check",
        "Configures BuildKit's build checks: `skip=`, `error=`, `experimental=`.",
        &[
            ("skip=", "Checks not to run (comma-separated, or `all`)."),
            ("error=true", "Fail the build when a check finds something."),
            ("experimental=", "Experimental checks to run (comma-separated, or `all`)."),
        ],
    ),
];

/// Values offered for Go's environment variables in ENV, ARG and RUN.
pub(super) fn go_env_values(name: &str) -> &'static [(&'static str, &'static str)] {
    match name {
        "GOOS" => &[
            ("${TARGETOS}", "The target platform's OS (declare `ARG TARGETOS` in the stage)."),
            ("linux", "Linux."),
            ("windows", "Windows."),
            ("darwin", "macOS."),
            ("freebsd", "FreeBSD."),
        ],
        "GOARCH" => &[
            ("${TARGETARCH}", "The target platform's architecture (declare `ARG TARGETARCH` in the stage)."),
            ("amd64", "64-bit x86."),
            ("arm64", "64-bit ARM."),
            ("arm", "32-bit ARM (set GOARM too)."),
            ("386", "32-bit x86."),
            ("ppc64le", "POWER little-endian."),
            ("s390x", "IBM Z."),
            ("riscv64", "64-bit RISC-V."),
        ],
        "CGO_ENABLED" => &[
            ("0", "Pure Go: a static binary that runs on scratch, distroless/static and Alpine."),
            ("1", "cgo on: needs a C compiler here and a matching libc where the binary runs."),
        ],
        "GOFLAGS" => &[("-mod=vendor", "Build from vendor/."), ("-trimpath", "Reproducible paths in the binary.")],
        "GOTOOLCHAIN" => &[
            ("local", "Use the image's Go even when go.mod asks for a newer one (the build fails instead)."),
            ("auto", "Download the Go that go.mod asks for."),
        ],
        "GOPROXY" => &[
            ("https://proxy.golang.org,direct", "Go's default module proxy, then the origin."),
            ("direct", "Fetch modules from their origin."),
            ("off", "No downloads at all."),
        ],
        _ => &[],
    }
}

/// Go variables worth offering as ENV and ARG names.
pub(super) const GO_ENV_NAMES: &[(&str, &str)] = &[
    ("CGO_ENABLED", "Whether cgo is used (0 or 1)."),
    ("GOOS", "The operating system to build for."),
    ("GOARCH", "The architecture to build for."),
    ("GOFLAGS", "Flags every go command gets."),
    ("GOTOOLCHAIN", "Which Go toolchain runs (local, auto, or a version)."),
    ("GOPROXY", "Where modules are downloaded from."),
    ("GOPRIVATE", "Module paths that bypass the proxy and checksum database."),
];

/// Flags of `go build` / `go install` (and `go run`, `go test`), with what they do.
pub(super) const GO_BUILD_FLAGS: &[(&str, &str)] = &[
    ("-o", "Where to write the binary."),
    ("-ldflags", "Linker flags: `-s -w` drops debug data; `-X importpath.name=value` sets a string variable."),
    ("-trimpath", "Removes file system paths from the binary (reproducible builds)."),
    ("-tags", "Build tags, comma-separated."),
    ("-mod", "Module mode: `readonly`, `vendor` or `mod`."),
    ("-buildvcs", "Whether to stamp version control information (`false` without .git in the context)."),
    ("-v", "Prints the packages as they are compiled."),
    ("-race", "Race detector (needs cgo)."),
    ("-a", "Rebuilds every package."),
    ("-p", "How many builds run in parallel."),
    ("-gcflags", "Compiler flags."),
    ("-buildmode", "What kind of object to build (`pie`, `c-shared`, …)."),
    ("-installsuffix", "A suffix for the package installation directory."),
    ("-modcacherw", "Leaves the module cache writable."),
    ("-C", "Changes to this directory first."),
];

pub(super) fn go_flag_values(flag: &str) -> &'static [(&'static str, &'static str)] {
    match flag {
        "mod" => &[
            ("readonly", "Refuse to update go.mod (the default)."),
            ("vendor", "Build from vendor/."),
            ("mod", "Update go.mod as needed."),
        ],
        "buildvcs" => &[
            ("false", "No version control stamp (needed when .git is not in the context)."),
            ("true", "Always stamp; fails without version control information."),
            ("auto", "Stamp when version control information is found."),
        ],
        "ldflags" => &[
            ("\"-s -w\"", "Drops the symbol table and DWARF: a smaller binary."),
            ("\"-s -w -X main.version=${VERSION}\"", "Also sets `main.version` from a build argument."),
        ],
        "buildmode" => &[("pie", "A position-independent executable."), ("exe", "A plain executable.")],
        _ => &[],
    }
}

/// Subcommands of `go` worth offering in RUN.
pub(super) const GO_SUBCOMMANDS: &[(&str, &str)] = &[
    ("build", "Compiles packages; `-o` writes the binary."),
    ("install", "Compiles and installs a command into GOBIN; `pkg@version` installs a tool."),
    ("mod download", "Downloads the modules go.mod needs (a cacheable layer before copying the sources)."),
    ("run", "Compiles and runs a program."),
    ("test", "Runs tests."),
    ("vet", "Reports suspicious code."),
    ("generate", "Runs `//go:generate` commands."),
];

/// Well-known images for FROM, besides `golang` and the stages.
pub(super) const IMAGES: &[(&str, &str)] = &[
    ("golang", "The official Go image: the Go toolchain on Debian or Alpine."),
    ("scratch", "An empty image: only what you copy in (a static Go binary)."),
    ("gcr.io/distroless/static-debian12", "No shell or libc: CA certificates, tzdata and a nonroot user."),
    ("gcr.io/distroless/base-debian12", "Distroless with glibc, for cgo binaries."),
    ("alpine", "A small musl-based distribution with a shell and apk."),
    ("debian:bookworm-slim", "A slim Debian with glibc."),
];
