//! Offline knowledge about Go releases, the official `golang` image's tags and common runtime images.
//!
//! A leaf module: pure data and lookups, no dependency on the rest of the crate and no file system
//! access at run time (the tables are compiled in). Every layer may use it.
//!
//! - [`GoVersion`]: parsing and Go's ordering of `1.21`, `1.21.0`, `go1.21rc1`, and
//!   [`GoVersion::check_go_line`] for "is the image's Go recent enough for go.mod's `go` line".
//! - [`table`]: the Go releases (version, date, security fix) and every tag the `golang` image has
//!   had (first and last day listed, still listed or not), as of [`DATA_AS_OF`].
//! - [`GolangImage`]: what a `golang` reference gives a build (Go version, Debian/Alpine/Windows
//!   variant, libc, C compiler, cgo default, whether the tag exists and is still rebuilt), with
//!   floating tags resolved as of the tables' date; [`suggest_tag`] and [`tags_for_completion`].
//! - [`RuntimeImage`]: facts about the image a program runs in (`scratch`, distroless, Alpine,
//!   busybox, Debian, Ubuntu, Chainguard, golang): libc, shell, CA bundle, tzdata, passwd, users,
//!   package manager; unknown images get unknown facts so that rules stay silent.
//! - [`ImageReference`]: `[registry/]path[:tag][@digest]` split, Docker Hub spellings normalised.
//!
//! # Refreshing the tables
//!
//! `generated.rs` is produced from `../shared/knowledge/go-releases.tsv` and
//! `golang-image-tags.tsv` (next to the repository) by a test:
//!
//! ```sh
//! GANTRY_UPDATE_TABLES=1 cargo test --test images_table
//! ```
//!
//! Without the variable the same test fails when `generated.rs` is stale, and it is skipped when
//! the knowledge directory is absent (set `GANTRY_KNOWLEDGE_DIR` to read it from elsewhere).
//! `docs/knowledge.md` describes the sources and the format.

mod day;
mod distro;
#[rustfmt::skip]
mod generated;
mod go_platforms;
mod go_version;
mod golang;
mod reference;
mod runtime;
mod suggest;
pub mod table;

pub use day::Day;
pub use distro::{AlpineVersion, DebianRelease, Libc, WindowsRelease};
pub use go_platforms::{GOARCH, GOOS};
pub use go_version::{GoLineCheck, GoVersion, Prerelease};
pub use golang::{GolangImage, ToolchainSwitching, Variant, VersionPin};
pub use reference::ImageReference;
pub use runtime::{
    ChainguardImage, DistrolessFlavor, DistrolessTag, ImageUser, PackageManager, RuntimeImage, RuntimeKind,
};
pub use suggest::{suggest_tag, tags_for_completion};
pub use table::DATA_AS_OF;
