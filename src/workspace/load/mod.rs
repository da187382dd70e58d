//! Workspace loading: the only part of the core that reads the disk (reading only).
//!
//! `Workspace` answers questions about one workspace folder, reading files on first use through
//! a cache validated by (modification time, length). Module files are read when asked for (they
//! are tiny); the package index is built by `index_now` (blocking) or `start_indexing` (a
//! background thread), and `package_index().complete` says whether it may be trusted for absence.

mod bodies;
mod cache;
mod context;
mod index;
mod listing;
mod read;

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use bodies::FullPackages;
pub use context::{BAKE_FILES, COMPOSE_FILES};
pub use listing::DirEntry;

use cache::FileCache;
use index::IndexState;

use super::gomod::{GoMod, parse_go_mod};
use super::gowork::{GoWork, parse_go_work};
use super::model::{FileState, GoModule, GoWorkspace, MAX_MODULE_FILE_BYTES, Package, PackageIndex, join, parent};
use super::modules_txt::{ModulesTxt, parse_modules_txt};

/// A workspace folder and everything loaded from it. Share it as `Arc<Workspace>`: every method
/// takes `&self` and is safe to call from several threads.
pub struct Workspace {
    /// The folder, canonical (symlinks resolved), so "inside" can be checked after resolving.
    root: PathBuf,
    /// The folder as the caller named it, to make the caller's absolute paths relative.
    given_root: PathBuf,
    cache: FileCache,
    index: Mutex<IndexState>,
    /// Dockerfile → configured context, both relative.
    overrides: Mutex<BTreeMap<String, String>>,
    /// Directory listings for completion (`dir_entries`).
    listings: listing::Listings,
    /// Packages read in full for editor features (`full_packages`).
    bodies: bodies::Bodies,
}

impl Workspace {
    /// Opens a workspace folder. Reads nothing yet.
    pub fn open(folder: &Path) -> io::Result<Workspace> {
        let root = folder.canonicalize()?;
        if !root.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "a workspace must be a directory"));
        }
        Ok(Workspace {
            root,
            given_root: folder.to_path_buf(),
            cache: FileCache::default(),
            index: Mutex::new(IndexState::default()),
            overrides: Mutex::new(BTreeMap::new()),
            listings: listing::Listings::default(),
            bodies: bodies::Bodies::default(),
        })
    }

    /// The canonical workspace folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `path` (absolute, or relative to the folder) as a relative, `/`-separated path; `None`
    /// outside the folder. Purely lexical: symlinks are checked when a file is read.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let inside = if path.is_absolute() {
            path.strip_prefix(&self.root).or_else(|_| path.strip_prefix(&self.given_root)).ok()?
        } else {
            path
        };
        let mut parts: Vec<String> = Vec::new();
        for component in inside.components() {
            match component {
                Component::Normal(part) => parts.push(part.to_str()?.to_string()),
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(if parts.is_empty() { ".".to_string() } else { parts.join("/") })
    }

    /// The absolute path of a relative one.
    pub fn absolute(&self, relative: &str) -> PathBuf {
        if relative == "." { self.root.clone() } else { self.root.join(relative) }
    }

    /// Configures the build context of a Dockerfile (both relative to the folder), as a
    /// `context = "."` setting does. It wins over Compose, Bake and the guess.
    pub fn set_context_override(&self, dockerfile: &str, context: &str) {
        lock(&self.overrides).insert(dockerfile.to_string(), context.to_string());
    }

    fn context_override(&self, dockerfile: &str) -> Option<String> {
        lock(&self.overrides).get(dockerfile).cloned()
    }

    /// go.mod in `dir`.
    pub fn go_mod(&self, dir: &str) -> FileState<GoMod> {
        self.load_text(dir, "go.mod", parse_go_mod)
    }

    /// go.work in `dir`.
    pub fn go_work(&self, dir: &str) -> FileState<GoWork> {
        self.load_text(dir, "go.work", parse_go_work)
    }

    /// vendor/modules.txt of the module in `dir`.
    pub fn modules_txt(&self, dir: &str) -> FileState<ModulesTxt> {
        self.load_text(dir, "vendor/modules.txt", parse_modules_txt)
    }

    fn load_text<T: Send + Sync + 'static>(&self, dir: &str, name: &'static str, parse: fn(&str) -> T) -> FileState<T> {
        let Some(path) = join(dir, name) else { return FileState::Missing };
        self.cache.load(&self.root, &self.absolute(&path), name, MAX_MODULE_FILE_BYTES, |bytes| {
            Ok(parse(&String::from_utf8_lossy(bytes)))
        })
    }

    /// Whether a regular file exists at `path` inside the folder (without reading it).
    pub fn file_exists(&self, path: &str) -> bool {
        matches!(read::probe(&self.root, &self.absolute(path)), read::Probe::File { .. })
    }

    /// Whether a directory exists at `path` inside the folder.
    pub fn dir_exists(&self, path: &str) -> bool {
        read::is_dir_inside(&self.root, &self.absolute(path))
    }

    /// The module whose go.mod is in `dir`, if there is one.
    pub fn module_at(&self, dir: &str) -> Option<GoModule> {
        let go_mod = self.go_mod(dir);
        if !go_mod.exists() {
            return None;
        }
        let go_sum = join(dir, "go.sum").unwrap_or_default();
        let vendor = join(dir, "vendor").unwrap_or_default();
        Some(GoModule {
            dir: dir.to_string(),
            go_mod,
            has_go_sum: self.file_exists(&go_sum),
            has_vendor_dir: self.dir_exists(&vendor),
            modules_txt: self.modules_txt(dir),
        })
    }

    /// The nearest module at or above `dir`, inside the folder.
    pub fn module_for(&self, dir: &str) -> Option<GoModule> {
        ancestors(dir).find_map(|d| self.module_at(&d))
    }

    /// The nearest go.work at or above `dir`, inside the folder.
    pub fn work_for(&self, dir: &str) -> Option<GoWorkspace> {
        ancestors(dir).find_map(|d| {
            let go_work = self.go_work(&d);
            go_work.exists().then_some(GoWorkspace { dir: d, go_work })
        })
    }

    /// The nearest directory at or above `dir` with a go.mod or a go.work.
    fn nearest_module_dir(&self, dir: &str) -> Option<String> {
        ancestors(dir).find(|d| self.go_mod(d).exists() || self.go_work(d).exists())
    }

    /// The package in `dir` with every fact of its files (vars, consts, listen addresses), read
    /// now through the cache. The package index holds header facts only (see `index`).
    pub fn package(&self, dir: &str) -> Option<Arc<Package>> {
        self.read_package(dir).map(Arc::new)
    }

    /// The package index as far as it is known. Refreshes invalidated paths first (when no walk
    /// is running). Check `complete` (or `is_authoritative()`) before concluding that something
    /// does not exist.
    pub fn package_index(&self) -> Arc<PackageIndex> {
        self.refresh_stale();
        self.index_state().snapshot()
    }

    /// Builds the whole package index now, on this thread (the CLI's choice).
    pub fn index_now(&self) -> Arc<PackageIndex> {
        if self.begin_walk() {
            self.walk(".", true);
            self.end_walk();
        }
        self.package_index()
    }

    /// Builds the package index on a background thread (the language server's choice): the first
    /// diagnostics need not wait for it. Does nothing if a walk already ran or is running.
    pub fn start_indexing(self: &Arc<Self>) {
        if !self.begin_walk() {
            return;
        }
        let workspace = Arc::clone(self);
        let spawned = std::thread::Builder::new().name("gantry-index".to_string()).spawn(move || {
            workspace.walk(".", true);
            workspace.end_walk();
        });
        if spawned.is_err() {
            // No thread: index on this one rather than never.
            self.walk(".", true);
            self.end_walk();
        }
    }

    fn begin_walk(&self) -> bool {
        let mut state = self.index_state();
        if state.walked || state.running {
            return false;
        }
        state.running = true;
        true
    }

    fn end_walk(&self) {
        {
            let mut state = self.index_state();
            state.running = false;
            state.walked = true;
            state.snapshot = None;
        }
        self.refresh_stale();
    }

    /// Forgets what was read at or below `path` (absolute or relative): the next question reads
    /// the disk again, and the package index re-walks it. For `didChangeWatchedFiles`.
    pub fn invalidate(&self, path: &Path) {
        let Some(relative) = self.relative(path) else { return };
        self.cache.invalidate(&self.absolute(&relative));
        self.listings.invalidate(&relative, parent(&relative).as_deref());
        let mut state = self.index_state();
        state.stale.insert(relative);
        state.snapshot = None;
    }

    /// How many files the cache holds (for tests and logs).
    pub fn cached_files(&self) -> usize {
        self.cache.len()
    }

    fn index_state(&self) -> MutexGuard<'_, IndexState> {
        lock(&self.index)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded maps stay consistent even if a thread panicked while holding the lock.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `dir` and each directory above it, up to `.`.
fn ancestors(dir: &str) -> impl Iterator<Item = String> {
    std::iter::successors(Some(dir.to_string()), |d| parent(d))
}
