//! Parsed files cached by path and validated by (modification time, length) on every use.
//!
//! A hit costs one `stat`; a changed file is read and parsed again. `invalidate` drops entries
//! explicitly (the language server forwards `workspace/didChangeWatchedFiles`), which also
//! catches edits that keep both the time stamp and the length.

use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::read::{self, Probe, Stamp};
use crate::workspace::model::{FileState, SkipReason};

type Outcome<T> = Result<Arc<T>, SkipReason>;

struct Entry {
    stamp: Stamp,
    /// An `Outcome<T>` for the `T` the file was parsed into.
    value: Arc<dyn Any + Send + Sync>,
}

/// A file can be cached as several things (a Go file's header facts and its full facts).
type Key = (PathBuf, &'static str);

#[derive(Default)]
pub(crate) struct FileCache {
    entries: Mutex<HashMap<Key, Entry>>,
    /// The last skip logged per path, so that a file asked for on every keystroke is logged once.
    logged_skips: Mutex<HashMap<PathBuf, SkipReason>>,
}

impl FileCache {
    /// The file at `path` parsed by `parse` (what `view` names), from the cache when unchanged.
    pub(crate) fn load<T: Send + Sync + 'static>(
        &self,
        root: &Path,
        path: &Path,
        view: &'static str,
        limit: u64,
        parse: impl FnOnce(&[u8]) -> Result<T, SkipReason>,
    ) -> FileState<T> {
        let (real, stamp) = match read::probe(root, path) {
            Probe::Missing => {
                self.lock().remove(&(path.to_path_buf(), view));
                return FileState::Missing;
            }
            Probe::Skipped(reason) => {
                self.log_skip(path, &reason);
                return FileState::Skipped(reason);
            }
            Probe::File { real, stamp } => (real, stamp),
        };
        let key = (path.to_path_buf(), view);
        if let Some(entry) = self.lock().get(&key).filter(|e| e.stamp == stamp)
            && let Some(outcome) = entry.value.downcast_ref::<Outcome<T>>()
        {
            return to_state(outcome.clone());
        }
        // Read and parse without holding the lock: other threads keep using the cache.
        let outcome: Outcome<T> = read::read_bounded(&real, stamp, limit).and_then(|bytes| parse(&bytes)).map(Arc::new);
        if let Err(reason) = &outcome {
            self.log_skip(path, reason);
        }
        self.lock().insert(key, Entry { stamp, value: Arc::new(outcome.clone()) });
        to_state(outcome)
    }

    /// Says once (per path and reason) that a file was not read, and why: every limit shows in the
    /// log (`GANTRY_LOG`; warnings are on by default). Generated Go files are expected, so only a
    /// debug line.
    fn log_skip(&self, path: &Path, reason: &SkipReason) {
        let mut logged = self.logged_skips.lock().unwrap_or_else(PoisonError::into_inner);
        if logged.get(path) == Some(reason) {
            return;
        }
        logged.insert(path.to_path_buf(), reason.clone());
        drop(logged);
        if *reason == SkipReason::Generated {
            tracing::debug!("not reading {}: {reason}", path.display());
        } else {
            tracing::warn!("not reading {}: {reason}", path.display());
        }
    }

    /// Forgets `path` and everything below it.
    pub(crate) fn invalidate(&self, path: &Path) {
        self.lock().retain(|(cached, _), _| !cached.starts_with(path));
        self.logged_skips.lock().unwrap_or_else(PoisonError::into_inner).retain(|logged, _| !logged.starts_with(path));
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        // A panic elsewhere cannot leave an entry half-written: keep using the map.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn to_state<T>(outcome: Outcome<T>) -> FileState<T> {
    match outcome {
        Ok(value) => FileState::Loaded(value),
        Err(reason) => FileState::Skipped(reason),
    }
}
