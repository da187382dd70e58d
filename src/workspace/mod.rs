//! The Go workspace model: what gantry knows about the Go project next to a Dockerfile.
//!
//! Layering: uses `syntax` (for `TextRange`); `rules`, `ide`, `lsp` and `cli` use it. It is the
//! only core layer that touches the file system, and only in `load/` (reading only).
//!
//! # API overview
//!
//! Pure parsers, text in, typed model out; they never fail and report problems with byte ranges:
//! - [`parse_go_mod`] → [`GoMod`] (module, go, toolchain, require, exclude, replace, retract,
//!   godebug, tool, ignore, blocks, comments, errors), [`parse_go_work`] → [`GoWork`] (go,
//!   toolchain, use, replace, godebug); both on one reader of Go's modfile line syntax.
//! - [`parse_modules_txt`] → [`ModulesTxt`] (vendor/modules.txt).
//! - [`parse_go_source`] / [`parse_go_header`] → [`GoFile`] (package, imports, `import "C"`, `//go:build` with
//!   [`BuildConstraint::eval`], package-level vars with their [`Initializer`] for `-X`, const
//!   names, literal [`ListenAddress`]es), with tree-sitter-go; [`is_generated`].
//! - [`parse_dockerignore`] → [`DockerIgnore`] with Docker's exact semantics
//!   ([`DockerIgnore::is_excluded`], [`DockerIgnore::deciding_pattern`]).
//! - [`parse_compose`] / [`parse_bake`] → [`BuildFile`] (services/targets with context and
//!   dockerfile as [`Setting`]s: default, literal, or unknown when variables are involved).
//!
//! Loading, [`Workspace`] (share it as `Arc<Workspace>`; all methods take `&self`):
//! - [`Workspace::open`]`(folder)` reads nothing. Paths in and out are relative to the folder,
//!   `/`-separated (`.` is the folder); [`Workspace::relative`] converts an absolute path.
//! - Module files, read on first use and cached: [`Workspace::go_mod`], [`Workspace::go_work`],
//!   [`Workspace::modules_txt`], [`Workspace::dockerignore`], [`Workspace::module_at`],
//!   [`Workspace::module_for`] (nearest go.mod at or above a directory, with go.sum and vendor/
//!   presence), [`Workspace::work_for`], [`Workspace::file_exists`], [`Workspace::dir_exists`].
//! - Build contexts: [`Workspace::build_context`]`(dockerfile)` → [`BuildContext`] (context root,
//!   its [`ContextSource`]: configured with [`Workspace::set_context_override`], a Compose
//!   service, a Bake target, or a guess; the ignore file in effect; the governing module and
//!   go.work). [`Workspace::build_contexts`] lists every declared one.
//! - Packages: [`Workspace::package`]`(dir)` reads one directory on demand;
//!   [`Workspace::package_index`] returns the [`PackageIndex`] as far as known, built by
//!   [`Workspace::index_now`] (blocking) or [`Workspace::start_indexing`] (background thread).
//!   Rules must not conclude absence unless [`PackageIndex::is_authoritative`].
//! - Editor features: [`Workspace::dir_entries`] (one directory's entries, cached while its
//!   modification time holds) and [`Workspace::full_packages`] (every indexed package read in
//!   full, a time budget at a time).
//! - Changes: [`Workspace::invalidate`]`(path)`; the cache also re-reads a file whose
//!   (mtime, length) changed.
//!
//! Limits: Go files over [`MAX_GO_FILE_BYTES`] and other files over [`MAX_MODULE_FILE_BYTES`]
//! are skipped, as are generated Go files, FIFOs and other non-regular files, and anything a
//! symlink leads to outside the folder; each skip is recorded with a [`SkipReason`]. The walk
//! skips `.`/`_` directories, `testdata`, `vendor` (modules.txt is read directly) and
//! `node_modules`, never follows symlinked directories, and stops at [`MAX_INDEXED_DIRECTORIES`]
//! or [`MAX_INDEXED_GO_FILES`] (`truncated`). No `go` toolchain is ever invoked.

mod build_files;
mod dockerignore;
mod gomod;
mod gosource;
mod gowork;
mod load;
mod model;
mod modfile_syntax;
mod modules_txt;

pub use build_files::{BuildFile, BuildFileKind, BuildTarget, Setting, parse_bake, parse_compose};
pub use dockerignore::{DockerIgnore, IgnorePattern, parse_dockerignore};
pub use gomod::{
    GoDebug, GoMod, ModuleDirective, ModuleVersion, Replace, ReplaceTarget, Require, Retract, Spanned, parse_go_mod,
};
pub use gosource::{
    BuildConstraint, GoFile, Import, Initializer, ListenAddress, VarDecl, is_generated, parse_go_header,
    parse_go_source,
};
pub use gowork::{GoWork, Use, parse_go_work};
pub use load::{BAKE_FILES, COMPOSE_FILES, DirEntry, FullPackages, Workspace};
pub use model::{
    BuildContext, ContextSource, FileState, GoModule, GoWorkspace, MAX_GO_FILE_BYTES, MAX_INDEXED_DIRECTORIES,
    MAX_INDEXED_GO_FILES, MAX_MODULE_FILE_BYTES, Package, PackageFile, PackageIndex, SkipReason, is_within, join,
    parent,
};
pub use modfile_syntax::{Block, Comment, ModError};
pub use modules_txt::{ModulesTxt, VendoredModule, parse_modules_txt};
