//! Finding the Dockerfiles to check: explicit files as given, directories walked with `ignore`.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub(super) struct Discovered {
    /// Files to check, sorted and without duplicates.
    pub(super) files: Vec<PathBuf>,
    /// One-line messages about paths that could not be read or walked.
    pub(super) errors: Vec<String>,
    /// Directories that were walked without finding a Dockerfile.
    pub(super) empty_dirs: Vec<PathBuf>,
}

/// Expands `paths`: a file is taken whatever its name, a directory is walked for Dockerfiles.
pub(super) fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => found.errors.push(format!("cannot read {}: {err}", path.display())),
            Ok(meta) if meta.is_dir() => {
                let before = found.files.len();
                walk(path, &mut found);
                if found.files.len() == before {
                    found.empty_dirs.push(path.clone());
                }
            }
            Ok(_) => found.files.push(tidy(path)),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, found: &mut Discovered) {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        // Not the user's git configuration or global excludes: only ignore files in the tree (and
        // above it, up to the repository root) decide, so every machine checks the same files.
        .git_global(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.file_name().to_str().is_some_and(is_dockerfile_name) {
                    found.files.push(tidy(entry.path()));
                }
            }
            Err(err) => found.errors.push(walk_error(root, &err)),
        }
    }
}

/// `cannot read <path>: <reason>` for I/O errors, the `ignore` crate's own message otherwise
/// (e.g. a malformed `.gitignore` line).
fn walk_error(root: &Path, err: &ignore::Error) -> String {
    fn io_parts(err: &ignore::Error) -> Option<(Option<&Path>, &std::io::Error)> {
        match err {
            ignore::Error::WithPath { path, err } => {
                io_parts(err).map(|(inner, io)| (inner.or(Some(path.as_path())), io))
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => io_parts(err),
            ignore::Error::Io(io) => Some((None, io)),
            _ => None,
        }
    }
    match io_parts(err) {
        Some((path, io)) => format!("cannot read {}: {io}", path.unwrap_or(root).display()),
        None => format!("{err}"),
    }
}

/// Drops a leading `./`, so that `gantry check` prints `Dockerfile` rather than `./Dockerfile`.
fn tidy(path: &Path) -> PathBuf {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// Whether a file found in a directory walk is a Dockerfile, judged by its name (case-sensitive):
/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `dockerfile`, the same with
/// `Containerfile`, but not BuildKit's per-Dockerfile ignore files (`*.dockerignore`).
pub(super) fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    ["Dockerfile", "Containerfile"].into_iter().any(|base| {
        let lower = base.to_ascii_lowercase();
        name == base
            || name == lower
            || name.strip_prefix(base).is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
            || [base, lower.as_str()]
                .into_iter()
                .any(|suffix| name.strip_suffix(suffix).is_some_and(|stem| stem.len() > 1 && stem.ends_with('.')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "containerfile",
            "Dockerfile.prod",
            "Containerfile.dev",
            "api.Dockerfile",
            "api.dockerfile",
            "web.Containerfile",
            "web.containerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name} should be checked");
        }
        for name in [
            "DOCKERFILE",
            "Dockerfile.",
            ".Dockerfile",
            "Dockerfile.dockerignore",
            "api.Dockerfile.dockerignore",
            "Dockerfiles",
            "MyDockerfile",
            "dockerfile.prod",
            "README.md",
            ".dockerignore",
        ] {
            assert!(!is_dockerfile_name(name), "{name} should not be checked");
        }
    }

    #[test]
    fn tidy_drops_leading_dot() {
        assert_eq!(tidy(Path::new("./a/Dockerfile")), PathBuf::from("a/Dockerfile"));
        assert_eq!(tidy(Path::new(".")), PathBuf::from("."));
        assert_eq!(tidy(Path::new("../Dockerfile")), PathBuf::from("../Dockerfile"));
    }
}
