//! Hover text for instruction flags (`--from`, `--mount`, `--chmod`, …) and `--mount` options.

use crate::syntax::Keyword;

/// Summary and reference anchor of flag `name` (without dashes) of `keyword`.
pub(super) fn instruction_flag(keyword: Keyword, name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.to_ascii_lowercase();
    Some(match (keyword, name.as_str()) {
        (Keyword::From, "platform") => (
            "Pulls the base image for this platform (`linux/amd64`, `$BUILDPLATFORM`) instead of the target \
             platform. `--platform=$BUILDPLATFORM` runs the builder natively and cross-compiles from there.",
            "from",
        ),
        (Keyword::Run, "mount") => (
            "Mounts something for this command only: `type=bind` (default, from the context or `from=`), \
             `cache` (kept between builds), `secret`, `ssh` or `tmpfs`. Nothing mounted ends up in the layer.",
            "run---mount",
        ),
        (Keyword::Run, "network") => {
            ("The network of the command: `default`, `none` (no network at all) or `host`.", "run---network")
        }
        (Keyword::Run, "security") => (
            "`insecure` runs the command with elevated privileges (needs the `security.insecure` entitlement); \
             `sandbox` is the default.",
            "run---security",
        ),
        (Keyword::Copy, "from") => (
            "Copies from an earlier stage (by name or index), or from an image, instead of the build context.",
            "copy---from",
        ),
        (Keyword::Copy | Keyword::Add, "chown") => (
            "Owner of the copied files as `user[:group]` (names need `/etc/passwd` in the image; numbers \
             always work). Without it files belong to root.",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "chmod") => (
            "Permissions of the copied files, in octal (`755`) or, with recent frontends, symbolic form.",
            "copy---chown---chmod",
        ),
        (Keyword::Copy | Keyword::Add, "link") => (
            "Copies into an independent layer that does not depend on the layers before it, so it can be \
             reused when the base changes and rebased without a rebuild.",
            "copy---link",
        ),
        (Keyword::Copy | Keyword::Add, "parents") => (
            "Keeps the source's parent directories under the destination (`a/b/file` → `dest/a/b/file`).",
            "copy---parents",
        ),
        (Keyword::Copy | Keyword::Add, "exclude") => {
            ("Leaves out the sources matching this pattern (may be repeated).", "copy---exclude")
        }
        (Keyword::Add, "checksum") => ("Verifies a remote source against this `sha256:…` digest.", "add---checksum"),
        (Keyword::Add, "keep-git-dir") => {
            ("Keeps the `.git` directory when adding a Git repository.", "add---keep-git-dir")
        }
        (Keyword::Healthcheck, "interval") => ("Time between checks (default `30s`).", "healthcheck"),
        (Keyword::Healthcheck, "timeout") => {
            ("How long one check may run before it counts as failed (default `30s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-period") => {
            ("Start-up time during which failures do not count against the retries (default `0s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "start-interval") => {
            ("Time between checks during the start period (default `5s`).", "healthcheck")
        }
        (Keyword::Healthcheck, "retries") => {
            ("Consecutive failures after which the container is reported unhealthy (default `3`).", "healthcheck")
        }
        _ => return None,
    })
}

/// Summary and reference anchor of the `--mount` option `key` for a mount of type `mount_type`.
pub(super) fn mount_option(mount_type: &str, key: &str) -> Option<(&'static str, &'static str)> {
    let anchor = match mount_type {
        "cache" => "run---mounttypecache",
        "secret" => "run---mounttypesecret",
        "ssh" => "run---mounttypessh",
        "tmpfs" => "run---mounttypetmpfs",
        _ => "run---mounttypebind",
    };
    let text = match (mount_type, key.to_ascii_lowercase().as_str()) {
        (_, "type") => "The kind of mount: `bind` (default), `cache`, `secret`, `ssh` or `tmpfs`.",
        (_, "target" | "dst" | "destination") => "Where the mount appears inside the command's file system.",
        ("bind", "source" | "src") => "Path in the `from` source (the build context by default); defaults to its root.",
        ("cache", "source" | "src") => "Subpath inside the `from` stage or image that seeds the cache.",
        (_, "source" | "src") => "Path of the source of the mount.",
        (_, "from") => "A stage or image to take the files from instead of the build context.",
        ("bind", "rw" | "readwrite") => {
            "Lets the command write to the mount; the writes are thrown away when the command ends."
        }
        (_, "ro" | "readonly") => "Mounts read-only.",
        ("cache", "id") => "Names the cache; mounts with the same id share it (default: the target path).",
        ("cache", "sharing") => {
            "What concurrent builds do with one cache: `shared` (default, all write at once), `private` (each gets \
             its own) or `locked` (they wait for each other)."
        }
        ("cache" | "secret" | "ssh", "mode") => "File mode of the mount (octal; `0755` for a cache).",
        ("cache" | "secret" | "ssh", "uid") => "User id owning the mount.",
        ("cache" | "secret" | "ssh", "gid") => "Group id owning the mount.",
        ("secret", "id") => {
            "The secret's id, as given to `docker build --secret id=…` (default: the target's file name)."
        }
        ("secret", "env") => "Exposes the secret as this environment variable instead of (or as well as) a file.",
        ("secret" | "ssh", "required") => {
            "Fails the build when the secret or SSH agent is not provided (default false)."
        }
        ("ssh", "id") => "The SSH agent socket or key id given to `docker build --ssh` (default `default`).",
        ("tmpfs", "size") => "The maximum size of the in-memory file system.",
        _ => return None,
    };
    Some((text, anchor))
}
