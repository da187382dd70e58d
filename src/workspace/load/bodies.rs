//! Every indexed package read in full (vars, consts, listen addresses), for editor features that
//! list what the sources declare (`-ldflags -X` targets). The package index reads only headers;
//! full parses are too slow to do for a large workspace within one request, so the first request
//! that needs them reads for a short budget and starts a background thread for the rest, and later
//! requests return what has been read so far. A package is read again when the index replaces it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::Workspace;
use super::index::Facts;
use crate::workspace::model::Package;

/// A package read in full, with the index entry (header facts) it was read for.
type ReadFor = (Arc<Package>, Arc<Package>);

/// Full packages by directory.
#[derive(Default)]
pub(crate) struct Bodies {
    packages: Mutex<HashMap<String, ReadFor>>,
    /// A background thread is reading the packages not read yet.
    reading: AtomicBool,
}

impl Bodies {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, ReadFor>> {
        // Entries are inserted whole: a panic elsewhere cannot leave one half-written.
        self.packages.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The full packages known so far, sorted by directory; `complete` once every package of a
/// complete index has been read.
#[derive(Debug, Clone, Default)]
pub struct FullPackages {
    pub packages: Vec<Arc<Package>>,
    pub complete: bool,
}

impl Workspace {
    /// Every package of the index with all its facts. Reads what is missing or changed for at most
    /// `budget` on this thread; if that is not enough, a background thread reads the rest and
    /// later calls see its progress.
    pub fn full_packages(self: &Arc<Self>, budget: Duration) -> FullPackages {
        let budget = if self.bodies.reading.load(Ordering::SeqCst) { Duration::ZERO } else { budget };
        let found = self.read_full_packages(budget);
        if !found.complete && !self.bodies.reading.swap(true, Ordering::SeqCst) {
            let workspace = Arc::clone(self);
            let spawned = std::thread::Builder::new().name("gantry-full-read".to_string()).spawn(move || {
                workspace.read_full_packages(Duration::MAX);
                workspace.bodies.reading.store(false, Ordering::SeqCst);
            });
            if spawned.is_err() {
                self.bodies.reading.store(false, Ordering::SeqCst);
            }
        }
        found
    }

    fn read_full_packages(&self, budget: Duration) -> FullPackages {
        let index = self.package_index();
        let deadline = Instant::now().checked_add(budget);
        self.bodies.lock().retain(|dir, _| index.packages.contains_key(dir));
        let mut complete = index.complete;
        let mut packages = Vec::with_capacity(index.packages.len());
        for (dir, header) in &index.packages {
            let known = self.bodies.lock().get(dir).filter(|(read_for, _)| Arc::ptr_eq(read_for, header)).cloned();
            if let Some((_, full)) = known {
                packages.push(full);
                continue;
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                complete = false;
                continue;
            }
            let names: Vec<String> = header.files.iter().map(|f| f.name.clone()).collect();
            let full = Arc::new(self.load_package(dir, &names, Facts::All));
            self.bodies.lock().insert(dir.clone(), (Arc::clone(header), Arc::clone(&full)));
            packages.push(full);
        }
        FullPackages { packages, complete }
    }
}
