//! Every indexed package read in full (vars, consts, listen addresses), for editor features that
//! list what the sources declare (`-ldflags -X` targets). The package index reads only headers;
//! full parses are too slow to do for a whole large workspace at once, so they are done a little
//! at a time, within a time budget per call, and kept until the index replaces the package.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
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
}

/// The full packages known so far, sorted by directory; `complete` once every package of a
/// complete index has been read.
#[derive(Debug, Clone, Default)]
pub struct FullPackages {
    pub packages: Vec<Arc<Package>>,
    pub complete: bool,
}

impl Workspace {
    /// Every package of the index with all its facts, reading what is missing or changed for at
    /// most `budget`; what could not be read in time is left for the next call.
    pub fn full_packages(&self, budget: Duration) -> FullPackages {
        let index = self.package_index();
        let deadline = Instant::now() + budget;
        let mut cached = self.bodies.packages.lock().unwrap_or_else(PoisonError::into_inner).clone();
        cached.retain(|dir, _| index.packages.contains_key(dir));
        let mut complete = index.complete;
        for (dir, header) in &index.packages {
            if cached.get(dir).is_some_and(|(read_for, _)| Arc::ptr_eq(read_for, header)) {
                continue;
            }
            if Instant::now() >= deadline {
                complete = false;
                cached.remove(dir);
                continue;
            }
            let names: Vec<String> = header.files.iter().map(|f| f.name.clone()).collect();
            let full = Arc::new(self.load_package(dir, &names, Facts::All));
            cached.insert(dir.clone(), (Arc::clone(header), full));
        }
        let mut packages: Vec<Arc<Package>> = cached.values().map(|(_, full)| Arc::clone(full)).collect();
        packages.sort_by(|a, b| a.dir.cmp(&b.dir));
        *self.bodies.packages.lock().unwrap_or_else(PoisonError::into_inner) = cached;
        FullPackages { packages, complete }
    }
}
