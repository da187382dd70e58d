//! Directory listings for completion of build-context paths, cached per directory and validated by
//! the directory's modification time (which changes whenever an entry is added, removed or
//! renamed), so that a completion request costs one `stat` once a directory has been listed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use super::{Workspace, read};
use crate::workspace::model::is_within;

/// One entry of a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    /// A directory (or a symlink to one).
    pub is_dir: bool,
}

/// A directory's entries and the modification time they were read at.
type Listing = (Option<SystemTime>, Arc<[DirEntry]>);

/// Listings by relative directory.
#[derive(Default)]
pub(crate) struct Listings {
    entries: Mutex<HashMap<String, Listing>>,
}

impl Listings {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Listing>> {
        // Entries are inserted whole: a panic elsewhere cannot leave one half-written.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the listings of `path`, of everything below it and of its directory.
    pub(crate) fn invalidate(&self, path: &str, parent: Option<&str>) {
        self.lock().retain(|dir, _| !is_within(dir, path) && Some(dir.as_str()) != parent);
    }
}

impl Workspace {
    /// The entries of the directory `dir` (relative to the folder), sorted by name; `None` when it
    /// is not a directory inside the folder. Read once, then served from the cache while the
    /// directory's modification time is unchanged.
    pub fn dir_entries(&self, dir: &str) -> Option<Arc<[DirEntry]>> {
        let path = self.absolute(dir);
        let meta = std::fs::metadata(&path).ok().filter(|m| m.is_dir())?;
        let modified = meta.modified().ok();
        if let Some((stamp, entries)) = self.listings.lock().get(dir)
            && *stamp == modified
            && modified.is_some()
        {
            return Some(Arc::clone(entries));
        }
        if !read::is_dir_inside(self.root(), &path) {
            return None;
        }
        let entries: Arc<[DirEntry]> = read::list_dir(&path)
            .into_iter()
            .map(|(name, is_dir, is_symlink)| {
                // A symlink counts as a directory when it leads to one (wherever that is: listing
                // it later checks that it stays inside the folder).
                let is_dir = is_dir || (is_symlink && path.join(&name).is_dir());
                DirEntry { name, is_dir }
            })
            .collect();
        self.listings.lock().insert(dir.to_string(), (modified, Arc::clone(&entries)));
        Some(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_follow_the_directory() {
        let dir = std::env::temp_dir().join(format!("gantry-listing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).expect("create the test directory");
        std::fs::write(dir.join("a.txt"), "a").expect("write a file");
        let workspace = Workspace::open(&dir).expect("open");
        let names = |w: &Workspace| -> Vec<(String, bool)> {
            w.dir_entries(".").map(|e| e.iter().map(|e| (e.name.clone(), e.is_dir)).collect()).unwrap_or_default()
        };
        assert_eq!(names(&workspace), [("a.txt".to_string(), false), ("sub".to_string(), true)]);
        std::fs::write(dir.join("b.txt"), "b").expect("write a file");
        workspace.invalidate(&dir.join("b.txt"));
        assert_eq!(names(&workspace).len(), 3);
        assert!(workspace.dir_entries("a.txt").is_none() && workspace.dir_entries("missing").is_none());
        assert!(workspace.dir_entries("../").is_none_or(|e| e.is_empty()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
