//! Writing Dockerfiles back for `gantry fix` and `gantry convert --write`: read once, replace atomically.
//!
//! A file is read once ([`Original`]) and analysed from those bytes. Writing puts the new text in a
//! temporary file in the same directory (so the final rename stays on one file system and is
//! atomic), gives it the original's permissions, then re-reads the original: if its bytes are no
//! longer the ones analysed (an editor saved it meanwhile), the temporary file is removed and
//! nothing changes. Only then does the rename replace the file. A symbolic link is followed, so the
//! file it points to is updated and the link stays a link.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The largest Dockerfile these commands rewrite (the limit of `gantry check`).
const MAX_BYTES: u64 = 32 << 20;

/// A Dockerfile as read: the exact bytes (to detect later changes) and their text.
pub(super) struct Original {
    /// The path as given or discovered, for messages.
    pub(super) path: PathBuf,
    pub(super) bytes: Vec<u8>,
    pub(super) text: String,
}

/// Why a file was not written.
#[derive(Debug)]
pub(super) enum WriteError {
    /// The file's bytes differ from those read at the start.
    ChangedSinceRead,
    /// The backup file exists already (it is never overwritten).
    BackupExists(PathBuf),
    Io(String),
}

impl WriteError {
    /// A one-line message naming `path`.
    pub(super) fn message(&self, path: &Path) -> String {
        let shown = path.display();
        match self {
            WriteError::ChangedSinceRead => {
                format!(
                    "{shown} changed on disk while gantry was working on it; nothing written, run the command again"
                )
            }
            WriteError::BackupExists(backup) => format!(
                "{} already exists; move it away or pass --no-backup (a backup is never overwritten); {shown} is unchanged",
                backup.display()
            ),
            WriteError::Io(message) => format!("cannot write {shown}: {message}; the file is unchanged"),
        }
    }
}

/// Reads a Dockerfile to rewrite it: `cannot read PATH: reason` on failure.
pub(super) fn read(path: &Path) -> Result<Original, String> {
    let cannot = |reason: &dyn std::fmt::Display| format!("cannot read {}: {reason}", path.display());
    let metadata = fs::metadata(path).map_err(|err| cannot(&err))?;
    if !metadata.is_file() {
        return Err(cannot(&"not a regular file"));
    }
    if metadata.len() > MAX_BYTES {
        return Err(cannot(&format_args!("larger than {} MiB", MAX_BYTES >> 20)));
    }
    let bytes = fs::read(path).map_err(|err| cannot(&err))?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| cannot(&"not valid UTF-8"))?;
    Ok(Original { path: path.to_path_buf(), bytes, text })
}

/// Replaces `original`'s file with `new_text`, unless it changed since it was read.
pub(super) fn replace(original: &Original, new_text: &str) -> Result<(), WriteError> {
    let target = fs::canonicalize(&original.path).map_err(io_error)?;
    let temp = write_temp(&target, new_text.as_bytes())?;
    let result = unchanged(&target, &original.bytes).and_then(|()| fs::rename(temp.path(), &target).map_err(io_error));
    if result.is_ok() {
        temp.keep();
    }
    result
}

/// Writes the bytes read at the start to `PATH.bak`, failing if that file exists.
pub(super) fn backup(original: &Original) -> Result<PathBuf, WriteError> {
    let mut name = original.path.as_os_str().to_os_string();
    name.push(".bak");
    let backup = PathBuf::from(name);
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&backup) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => return Err(WriteError::BackupExists(backup)),
        Err(err) => return Err(WriteError::Io(format!("cannot create {}: {err}", backup.display()))),
    };
    let written = file.write_all(&original.bytes).and_then(|()| file.sync_all());
    if let Err(err) = written {
        drop(file);
        let _ = fs::remove_file(&backup);
        return Err(WriteError::Io(format!("cannot write {}: {err}", backup.display())));
    }
    if let Ok(metadata) = fs::metadata(&original.path) {
        let _ = fs::set_permissions(&backup, metadata.permissions());
    }
    Ok(backup)
}

/// Removes a backup made by [`backup`] when the write it protected did not happen.
pub(super) fn discard_backup(backup: &Path) {
    let _ = fs::remove_file(backup);
}

/// Fails with [`WriteError::ChangedSinceRead`] unless `target` still holds exactly `expected`.
fn unchanged(target: &Path, expected: &[u8]) -> Result<(), WriteError> {
    match fs::read(target) {
        Ok(now) if now == expected => Ok(()),
        Ok(_) => Err(WriteError::ChangedSinceRead),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Err(WriteError::ChangedSinceRead),
        Err(err) => Err(io_error(err)),
    }
}

/// A temporary file next to `target`, removed on drop unless kept.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl TempFile {
    fn path(&self) -> &Path {
        &self.path
    }

    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Creates a fresh hidden file next to `target` holding `bytes`, with `target`'s permissions.
fn write_temp(target: &Path, bytes: &[u8]) -> Result<TempFile, WriteError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let permissions = fs::metadata(target).map_err(io_error)?.permissions();
    for attempt in 0..100u32 {
        let path = dir.join(format!(".{name}.gantry-{}-{attempt}.tmp", std::process::id()));
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(io_error(err)),
        };
        let temp = TempFile { path, keep: false };
        write_all(&mut file, bytes).map_err(io_error)?;
        fs::set_permissions(temp.path(), permissions).map_err(io_error)?;
        return Ok(temp);
    }
    Err(WriteError::Io(format!("cannot create a temporary file in {}", dir.display())))
}

fn write_all(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

fn io_error(err: io::Error) -> WriteError {
    WriteError::Io(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dir(PathBuf);

    impl Dir {
        fn new(name: &str) -> Dir {
            let dir = std::env::temp_dir().join(format!("gantry-write-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Dir(dir)
        }

        fn entries(&self) -> Vec<String> {
            let mut names: Vec<String> =
                fs::read_dir(&self.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            names.sort();
            names
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn replaces_and_leaves_no_temporary_file() {
        let dir = Dir::new("replace");
        let path = dir.0.join("Dockerfile");
        fs::write(&path, "FROM a\n").unwrap();
        let original = read(&path).unwrap();
        replace(&original, "FROM b\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "FROM b\n");
        assert_eq!(dir.entries(), ["Dockerfile"]);
    }

    #[test]
    fn refuses_when_the_file_changed_since_it_was_read() {
        let dir = Dir::new("changed");
        let path = dir.0.join("Dockerfile");
        fs::write(&path, "FROM a\n").unwrap();
        let original = read(&path).unwrap();
        fs::write(&path, "FROM edited\n").unwrap();
        assert!(matches!(replace(&original, "FROM b\n"), Err(WriteError::ChangedSinceRead)));
        assert_eq!(fs::read_to_string(&path).unwrap(), "FROM edited\n");
        assert_eq!(dir.entries(), ["Dockerfile"]);
    }

    #[test]
    fn a_backup_is_never_overwritten() {
        let dir = Dir::new("backup");
        let path = dir.0.join("Dockerfile");
        fs::write(&path, "FROM a\n").unwrap();
        let original = read(&path).unwrap();
        let backup_path = backup(&original).unwrap();
        assert_eq!(fs::read_to_string(&backup_path).unwrap(), "FROM a\n");
        assert!(matches!(backup(&original), Err(WriteError::BackupExists(_))));
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_follows_symbolic_links() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = Dir::new("links");
        let real = dir.0.join("real.Dockerfile");
        fs::write(&real, "FROM a\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.0.join("Dockerfile");
        symlink(&real, &link).unwrap();
        let original = read(&link).unwrap();
        replace(&original, "FROM b\n").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "FROM b\n");
        assert_eq!(fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
    }
}
