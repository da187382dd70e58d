//! Reading one file safely: inside the workspace folder, regular files only, bounded in size.
//!
//! A symlink anywhere on the path is resolved and must stay inside the folder; FIFOs, sockets and
//! devices are never opened for reading (the type is checked first, and the file is opened
//! non-blocking and checked again, so a file swapped for a FIFO in between cannot hang us).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::workspace::model::SkipReason;

/// What identifies one version of a file for the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) modified: Option<SystemTime>,
    pub(crate) len: u64,
}

pub(crate) enum Probe {
    Missing,
    Skipped(SkipReason),
    File { real: PathBuf, stamp: Stamp },
}

/// Looks at `path` without reading it. `root` must be canonical.
pub(crate) fn probe(root: &Path, path: &Path) -> Probe {
    let link = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) => return from_error(&error),
    };
    // Resolve symlinks on the whole path (a parent directory may be one, too).
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(error) => return from_error(&error),
    };
    if !real.starts_with(root) {
        return Probe::Skipped(SkipReason::OutsideRoot);
    }
    let meta = if link.file_type().is_symlink() {
        match fs::metadata(&real) {
            Ok(meta) => meta,
            Err(error) => return from_error(&error),
        }
    } else {
        link
    };
    if !meta.is_file() {
        return Probe::Skipped(SkipReason::NotRegularFile);
    }
    Probe::File { real, stamp: Stamp { modified: meta.modified().ok(), len: meta.len() } }
}

/// Reads a file `probe` accepted, at most `limit` bytes.
pub(crate) fn read_bounded(real: &Path, stamp: Stamp, limit: u64) -> Result<Vec<u8>, SkipReason> {
    if stamp.len > limit {
        return Err(SkipReason::TooLarge { len: stamp.len, limit });
    }
    let file = open_non_blocking(real).map_err(|e| skip_reason(&e))?;
    let meta = file.metadata().map_err(|e| skip_reason(&e))?;
    if !meta.is_file() {
        return Err(SkipReason::NotRegularFile);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    // One byte more than the limit tells a file that grew since the probe.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| skip_reason(&e))?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge { len: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_non_blocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_non_blocking(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

fn from_error(error: &io::Error) -> Probe {
    match error.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => Probe::Missing,
        _ => Probe::Skipped(skip_reason(error)),
    }
}

pub(crate) fn skip_reason(error: &io::Error) -> SkipReason {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return SkipReason::SymlinkLoop;
    }
    SkipReason::Unreadable(format!("{:?}", error.kind()))
}

/// Whether `path` is a directory inside `root` (symlinks resolved; `root` must be canonical).
pub(crate) fn is_dir_inside(root: &Path, path: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|real| real.starts_with(root) && real.is_dir())
}

/// One directory's entries: (name, is a real directory, is a symlink). Unreadable → empty.
pub(crate) fn list_dir(path: &Path) -> Vec<(String, bool, bool)> {
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(error) => {
            if !matches!(error.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) {
                tracing::warn!("not listing {}: {}", path.display(), skip_reason(&error));
            }
            return Vec::new();
        }
    };
    let mut out: Vec<(String, bool, bool)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let kind = entry.file_type().ok()?;
            Some((name, kind.is_dir(), kind.is_symlink()))
        })
        .collect();
    out.sort();
    out
}

impl super::Workspace {
    /// The text of a file inside the folder (relative path), read now with the same checks as
    /// every other read: symlinks must stay inside, regular files only, at most
    /// `MAX_MODULE_FILE_BYTES`. For places a diagnostic points at in other files (go.mod).
    pub fn read_text(&self, path: &str) -> Option<String> {
        let Probe::File { real, stamp } = probe(&self.root, &self.absolute(path)) else { return None };
        let bytes = read_bounded(&real, stamp, crate::workspace::MAX_MODULE_FILE_BYTES).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}
