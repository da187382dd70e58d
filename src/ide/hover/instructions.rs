//! Hover text for instruction keywords and parser directives.

use crate::syntax::Keyword;

/// The Dockerfile reference, which every instruction and flag hover links to.
pub(super) const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";

/// A one-paragraph summary of `keyword` and its reference anchor.
pub(super) fn keyword(keyword: Keyword) -> (&'static str, &'static str) {
    match keyword {
        Keyword::From => (
            "Starts a build stage on a base image (`scratch` for an empty one, or an earlier stage's name). \
             `AS name` names the stage for `COPY --from`, `RUN --mount=from=` and later `FROM`s; \
             `--platform` picks the image's platform. Only global `ARG`s may be used in the image reference.",
            "from",
        ),
        Keyword::Run => (
            "Runs a command in a new layer. The shell form goes through `SHELL` (`/bin/sh -c` by default); \
             the JSON form runs the program directly, without variable expansion. \
             `--mount`, `--network` and `--security` change what the command sees.",
            "run",
        ),
        Keyword::Cmd => (
            "The default command of a container, or the default arguments of `ENTRYPOINT`. \
             Only the last `CMD` of the final stage counts; `docker run <image> args` replaces it.",
            "cmd",
        ),
        Keyword::Label => ("Adds `key=value` metadata to the image; labels of the base image are inherited.", "label"),
        Keyword::Maintainer => (
            "Deprecated: sets the image author. Use `LABEL org.opencontainers.image.authors=…` instead.",
            "maintainer-deprecated",
        ),
        Keyword::Expose => (
            "Documents the ports the container listens on (`80`, `53/udp`). It publishes nothing: \
             `docker run -p` does that.",
            "expose",
        ),
        Keyword::Env => (
            "Sets environment variables for the rest of the stage, for stages built on it and for the \
             running container. Each variable is visible from the next `key=value` pair on.",
            "env",
        ),
        Keyword::Add => (
            "Copies files like `COPY`, and can also fetch URLs and Git repositories and unpack local tar \
             archives. Prefer `COPY` unless you need one of those.",
            "add",
        ),
        Keyword::Copy => (
            "Copies files from the build context, from a stage or an image (`--from`) into the image. \
             Sources are relative to the context and filtered by `.dockerignore`; the destination is relative \
             to `WORKDIR`.",
            "copy",
        ),
        Keyword::Entrypoint => (
            "The program a container runs. In the JSON form `CMD` supplies its default arguments; in the shell \
             form it runs under `/bin/sh -c`, does not receive signals directly and ignores `CMD`.",
            "entrypoint",
        ),
        Keyword::Volume => (
            "Declares mount points that hold data outside the container's layers. Changes made to the path \
             by later build steps are discarded.",
            "volume",
        ),
        Keyword::User => (
            "The user (and optionally group) for the following `RUN`, `CMD` and `ENTRYPOINT`. \
             A numeric `uid:gid` works even when the image has no `/etc/passwd`.",
            "user",
        ),
        Keyword::Workdir => (
            "The working directory for the following instructions, created if missing. A relative path is \
             relative to the previous `WORKDIR`.",
            "workdir",
        ),
        Keyword::Arg => (
            "Declares a build argument, set with `--build-arg` or taking its default. Before the first `FROM` \
             it is global (usable in `FROM` lines); a stage must declare it again (without a value) to use it. \
             Not kept in the image's environment.",
            "arg",
        ),
        Keyword::Onbuild => {
            ("Registers an instruction to run when another build uses this image as its base.", "onbuild")
        }
        Keyword::Stopsignal => ("The signal sent to stop the container (`SIGTERM` by default).", "stopsignal"),
        Keyword::Healthcheck => (
            "How to test that a running container still works (`HEALTHCHECK CMD …`), or `NONE` to disable the \
             base image's check. Flags set the interval, timeout, start period and retries.",
            "healthcheck",
        ),
        Keyword::Shell => (
            "The shell for the shell form of the following `RUN`, `CMD` and `ENTRYPOINT`, as a JSON array \
             (`[\"/bin/bash\", \"-c\"]`).",
            "shell",
        ),
    }
}

/// A parser directive (`# syntax=…`, `# escape=…`, `# check=…`): summary and anchor.
pub(super) fn directive(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "syntax" => (
            "Selects the Dockerfile frontend image BuildKit uses to read this file \
             (`docker/dockerfile:1` follows the latest 1.x). Must be among the first lines, before any \
             instruction or comment.",
            "syntax",
        ),
        "escape" => (
            "Sets the escape character (`\\` by default, or `` ` `` which suits Windows paths). It also \
             changes the line-continuation character.",
            "escape",
        ),
        "check" => (
            "Configures BuildKit's build checks: `skip=Rule1,Rule2` (or `all`) turns rules off, `error=true` \
             makes a warning fail the build.",
            "check",
        ),
        _ => return None,
    })
}
