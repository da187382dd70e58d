//! The package index: a walk of the workspace folder that finds Go packages and module roots.
//!
//! The index reads only the header of each Go file (package clause, imports, build constraint):
//! full parses cost about 1 ms per 3 KB, too much for ten thousand files; `Workspace::package`
//! reads one directory fully on demand. The walk skips what the go command skips (directories starting with `.` or `_`, `testdata`)
//! plus `vendor` and `node_modules`, never follows a symlinked directory, and stops at the
//! `MAX_INDEXED_*` limits. It publishes packages as it goes, so a caller can read a partial
//! index (with `complete == false`) while a background thread is still walking. Invalidated paths
//! are queued and re-walked the next time the index is read.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::Workspace;
use super::read;
use crate::workspace::gosource::GoFile;
use crate::workspace::gosource::{is_generated, parse_go_header, parse_go_source};
use crate::workspace::model::{
    FileState, MAX_GO_FILE_BYTES, MAX_INDEXED_DIRECTORIES, MAX_INDEXED_GO_FILES, Package, PackageFile, PackageIndex,
    SkipReason, is_within, parent,
};

/// Only this much of a Go file is searched for the generated-code marker (it sits in the header).
const GENERATED_MARKER_WINDOW: usize = 64 * 1024;

#[derive(Default)]
pub(crate) struct IndexState {
    pub(crate) packages: BTreeMap<String, Arc<Package>>,
    pub(crate) module_dirs: BTreeSet<String>,
    pub(crate) work_dirs: BTreeSet<String>,
    /// The first full walk has finished.
    pub(crate) walked: bool,
    /// A walk is running (in the background or in `index_now`).
    pub(crate) running: bool,
    pub(crate) truncated: bool,
    /// Paths to re-walk, from `invalidate`.
    pub(crate) stale: BTreeSet<String>,
    /// The last snapshot handed out, while nothing changed.
    pub(crate) snapshot: Option<Arc<PackageIndex>>,
}

impl IndexState {
    pub(crate) fn snapshot(&mut self) -> Arc<PackageIndex> {
        if let Some(snapshot) = &self.snapshot {
            return Arc::clone(snapshot);
        }
        let snapshot = Arc::new(PackageIndex {
            packages: self.packages.clone(),
            module_dirs: self.module_dirs.iter().cloned().collect(),
            work_dirs: self.work_dirs.iter().cloned().collect(),
            complete: self.walked && !self.running && self.stale.is_empty(),
            truncated: self.truncated,
        });
        self.snapshot = Some(Arc::clone(&snapshot));
        snapshot
    }

    fn forget_under(&mut self, path: &str) {
        self.packages.retain(|dir, _| !is_within(dir, path));
        self.module_dirs.retain(|dir| !is_within(dir, path));
        self.work_dirs.retain(|dir| !is_within(dir, path));
        self.snapshot = None;
    }
}

/// How much of each Go file to read.
#[derive(Clone, Copy)]
pub(crate) enum Facts {
    /// Package clause, imports, build constraint: enough for the index, and fast.
    Header,
    /// Also vars, consts and listen addresses.
    All,
}

/// Counts against the walk limits.
struct Budget {
    directories: usize,
    go_files: usize,
}

/// Whether the walk descends into a directory with this name.
fn walks_into(name: &str) -> bool {
    !(name.starts_with('.') || name.starts_with('_') || matches!(name, "testdata" | "vendor" | "node_modules"))
}

/// A file the go command compiles into the package (tests are not part of an image build).
fn is_package_go_file(name: &str) -> bool {
    name.ends_with(".go") && !name.ends_with("_test.go") && !name.starts_with(['.', '_'])
}

impl Workspace {
    /// Walks `start` (recursively, or only that directory) and publishes what it finds.
    pub(crate) fn walk(&self, start: &str, recursive: bool) {
        let mut pending = vec![start.to_string()];
        let mut budget = Budget { directories: 0, go_files: 0 };
        while let Some(dir) = pending.pop() {
            budget.directories += 1;
            if budget.directories > MAX_INDEXED_DIRECTORIES {
                tracing::warn!(
                    "stopped indexing {} after {MAX_INDEXED_DIRECTORIES} directories: Go checks that need to know \
                     a package is absent stay silent",
                    self.root.display()
                );
                self.index_state().truncated = true;
                return;
            }
            let mut go_files = Vec::new();
            let mut subdirs = Vec::new();
            let (mut has_go_mod, mut has_go_work) = (false, false);
            // Entry types do not follow symlinks: a symlinked directory is never walked into.
            for (name, is_dir, _) in read::list_dir(&self.absolute(&dir)) {
                if is_dir {
                    if recursive && walks_into(&name) {
                        subdirs.push(if dir == "." { name } else { format!("{dir}/{name}") });
                    }
                } else if name == "go.mod" {
                    has_go_mod = true;
                } else if name == "go.work" {
                    has_go_work = true;
                } else if is_package_go_file(&name) {
                    go_files.push(name);
                }
            }
            // Entries come sorted; pushing them reversed walks the tree in sorted pre-order.
            pending.extend(subdirs.into_iter().rev());
            budget.go_files += go_files.len();
            if budget.go_files > MAX_INDEXED_GO_FILES {
                tracing::warn!(
                    "stopped indexing {} after {MAX_INDEXED_GO_FILES} Go files: Go checks that need to know a \
                     package is absent stay silent",
                    self.root.display()
                );
                self.index_state().truncated = true;
                return;
            }
            let package = (!go_files.is_empty()).then(|| Arc::new(self.load_package(&dir, &go_files, Facts::Header)));
            let mut state = self.index_state();
            state.snapshot = None;
            match package {
                Some(package) => state.packages.insert(dir.clone(), package),
                None => state.packages.remove(&dir),
            };
            let state = &mut *state;
            for (present, dirs) in [(has_go_mod, &mut state.module_dirs), (has_go_work, &mut state.work_dirs)] {
                if present {
                    dirs.insert(dir.clone());
                } else {
                    dirs.remove(&dir);
                }
            }
        }
    }

    /// Reads the given Go files of `dir` into a package (through the file cache).
    pub(crate) fn load_package(&self, dir: &str, names: &[String], facts: Facts) -> Package {
        let mut package = Package { dir: dir.to_string(), ..Package::default() };
        let (view, parse): (&'static str, fn(&[u8]) -> GoFile) = match facts {
            Facts::Header => ("go header", parse_go_header),
            Facts::All => ("go file", parse_go_source),
        };
        for name in names {
            let path = self.absolute(&if dir == "." { name.clone() } else { format!("{dir}/{name}") });
            let state = self.cache.load(&self.root, &path, view, MAX_GO_FILE_BYTES, |bytes| {
                let head = &bytes[..bytes.len().min(GENERATED_MARKER_WINDOW)];
                if is_generated(&String::from_utf8_lossy(head)) {
                    return Err(SkipReason::Generated);
                }
                Ok(parse(bytes))
            });
            match state {
                FileState::Loaded(facts) => package.files.push(PackageFile { name: name.clone(), facts }),
                FileState::Skipped(reason) => package.skipped.push((name.clone(), reason)),
                FileState::Missing => {}
            }
        }
        package
    }

    /// Reads one directory's package now, without the index.
    pub(crate) fn read_package(&self, dir: &str) -> Option<Package> {
        // A directory symlinked out of the folder is not even listed.
        if !read::is_dir_inside(&self.root, &self.absolute(dir)) {
            return None;
        }
        let names: Vec<String> = read::list_dir(&self.absolute(dir))
            .into_iter()
            .filter(|(name, is_dir, _)| !is_dir && is_package_go_file(name))
            .map(|(name, ..)| name)
            .collect();
        (!names.is_empty()).then(|| self.load_package(dir, &names, Facts::All))
    }

    /// Re-walks the paths queued by `invalidate`.
    pub(crate) fn refresh_stale(&self) {
        let stale = {
            let mut state = self.index_state();
            if !state.walked || state.running || state.stale.is_empty() {
                return;
            }
            state.running = true;
            std::mem::take(&mut state.stale)
        };
        for path in stale {
            self.index_state().forget_under(&path);
            if read::is_dir_inside(&self.root, &self.absolute(&path)) {
                self.walk(&path, true);
            } else if let Some(dir) = parent(&path) {
                // A file changed or a directory vanished: its directory's own entry is re-read.
                self.index_state().packages.remove(&dir);
                self.walk(&dir, false);
            }
        }
        let mut state = self.index_state();
        state.running = false;
        state.snapshot = None;
    }
}
