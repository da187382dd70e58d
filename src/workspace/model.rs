//! The loaded workspace as plain data: packages, modules, build contexts, and why a file was skipped.
//!
//! Every path here is relative to the workspace folder, `/`-separated, with `.` for the folder
//! itself (see [`join`]). Nothing in this file touches the disk.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::dockerignore::{DockerIgnore, clean};
use super::gomod::GoMod;
use super::gosource::{GoFile, VarDecl};
use super::gowork::GoWork;
use super::modules_txt::ModulesTxt;

/// Go files larger than this are skipped (hand-written Go files are far smaller; bigger ones are
/// embedded data or generated code).
pub const MAX_GO_FILE_BYTES: u64 = 1024 * 1024;
/// go.mod, go.work, go.sum's presence check, vendor/modules.txt, ignore, Compose and Bake files
/// larger than this are skipped (real ones are kilobytes; modules.txt of big projects ~1 MiB).
pub const MAX_MODULE_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// The package index stops after this many directories or Go files and says so (`truncated`).
pub const MAX_INDEXED_DIRECTORIES: usize = 50_000;
pub const MAX_INDEXED_GO_FILES: usize = 100_000;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    TooLarge {
        len: u64,
        limit: u64,
    },
    /// A FIFO, socket, device or directory where a file was expected.
    NotRegularFile,
    /// A symlink (somewhere on the path) leads outside the workspace folder.
    OutsideRoot,
    SymlinkLoop,
    /// `// Code generated … DO NOT EDIT.`
    Generated,
    /// Any other I/O error (permissions…), by its kind.
    Unreadable(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::TooLarge { len, limit } => write!(f, "too large ({len} bytes, limit {limit})"),
            SkipReason::NotRegularFile => write!(f, "not a regular file"),
            SkipReason::OutsideRoot => write!(f, "leads outside the workspace folder"),
            SkipReason::SymlinkLoop => write!(f, "symlink loop"),
            SkipReason::Generated => write!(f, "generated code"),
            SkipReason::Unreadable(kind) => write!(f, "unreadable ({kind})"),
        }
    }
}

/// The outcome of loading one file.
#[derive(Debug)]
pub enum FileState<T> {
    Missing,
    Skipped(SkipReason),
    Loaded(Arc<T>),
}

impl<T> Clone for FileState<T> {
    fn clone(&self) -> Self {
        match self {
            FileState::Missing => FileState::Missing,
            FileState::Skipped(reason) => FileState::Skipped(reason.clone()),
            FileState::Loaded(value) => FileState::Loaded(Arc::clone(value)),
        }
    }
}

impl<T> FileState<T> {
    pub fn loaded(&self) -> Option<&Arc<T>> {
        match self {
            FileState::Loaded(value) => Some(value),
            _ => None,
        }
    }

    /// The file exists (even if it was skipped).
    pub fn exists(&self) -> bool {
        !matches!(self, FileState::Missing)
    }
}

/// One Go file of a package.
#[derive(Debug, Clone)]
pub struct PackageFile {
    /// The file name (no directory).
    pub name: String,
    pub facts: Arc<GoFile>,
}

/// The non-test Go files of one directory.
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// Relative directory.
    pub dir: String,
    pub files: Vec<PackageFile>,
    /// Files that exist but were not read, with the reason.
    pub skipped: Vec<(String, SkipReason)>,
}

impl Package {
    /// The package name most files declare (files excluded by `//go:build ignore` do not count
    /// when others exist).
    pub fn name(&self) -> Option<&str> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let ignored = |f: &PackageFile| f.facts.build_constraint.as_ref().is_some_and(|c| c.tags() == ["ignore"]);
        let considered: Vec<&PackageFile> = if self.files.iter().all(ignored) {
            self.files.iter().collect()
        } else {
            self.files.iter().filter(|f| !ignored(f)).collect()
        };
        for file in considered {
            if let Some(name) = file.facts.package_name() {
                *counts.entry(name).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(name, _)| name)
    }

    pub fn is_main(&self) -> bool {
        self.name() == Some("main")
    }

    /// All import paths of the package, sorted, without repeats.
    pub fn imports(&self) -> Vec<&str> {
        let mut all: Vec<&str> =
            self.files.iter().flat_map(|f| f.facts.imports.iter().map(|i| i.path.value.as_str())).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    pub fn imports_path(&self, path: &str) -> bool {
        self.files.iter().any(|f| f.facts.imports_path(path))
    }

    /// Some file has `import "C"`.
    pub fn uses_cgo(&self) -> bool {
        self.files.iter().any(|f| f.facts.uses_cgo)
    }

    /// The package-level variable `name` and the file declaring it.
    pub fn var(&self, name: &str) -> Option<(&PackageFile, &VarDecl)> {
        self.files.iter().find_map(|f| f.facts.var(name).map(|v| (f, v)))
    }

    pub fn has_const(&self, name: &str) -> bool {
        self.files.iter().any(|f| f.facts.consts.iter().any(|c| c == name))
    }

    /// Every build tag named in the package's `//go:build` lines, sorted.
    pub fn build_tags(&self) -> Vec<String> {
        let mut tags: Vec<String> =
            self.files.iter().filter_map(|f| f.facts.build_constraint.as_ref()).flat_map(|c| c.tags()).collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// Every fact was read: no file of the directory was skipped.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty()
    }
}

/// The package tree of the workspace folder.
#[derive(Debug, Clone, Default)]
pub struct PackageIndex {
    /// Directories with non-test `.go` files, by relative path, with header facts only (package
    /// clause, imports, `import "C"`, build constraints); `Workspace::package` reads vars, consts
    /// and listen addresses.
    pub packages: BTreeMap<String, Arc<Package>>,
    /// Directories holding a go.mod.
    pub module_dirs: Vec<String>,
    /// Directories holding a go.work.
    pub work_dirs: Vec<String>,
    /// The whole tree has been walked and nothing is waiting to be refreshed. Until then, rules
    /// must not conclude that something is absent.
    pub complete: bool,
    /// A limit stopped the walk (`MAX_INDEXED_*`); absence is then never certain.
    pub truncated: bool,
}

impl PackageIndex {
    pub fn package(&self, dir: &str) -> Option<&Arc<Package>> {
        self.packages.get(dir)
    }

    /// Packages at or below `dir`.
    pub fn packages_under<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a Arc<Package>> + 'a {
        self.packages.values().filter(move |p| is_within(&p.dir, dir))
    }

    /// Absence is certain: the index is complete, was not truncated, and found Go sources at all.
    /// A workspace without a single Go package is one whose sources are not there (a Dockerfile
    /// checked on its own, a corpus of Dockerfiles and go.mod files): nothing can be concluded
    /// from what it lacks.
    pub fn is_authoritative(&self) -> bool {
        self.complete && !self.truncated && !self.packages.is_empty()
    }
}

/// A Go module: a directory with a go.mod.
#[derive(Debug, Clone)]
pub struct GoModule {
    pub dir: String,
    pub go_mod: FileState<GoMod>,
    /// A go.sum exists next to go.mod.
    pub has_go_sum: bool,
    /// A vendor/ directory exists next to go.mod.
    pub has_vendor_dir: bool,
    pub modules_txt: FileState<ModulesTxt>,
}

impl GoModule {
    pub fn path(&self) -> Option<&str> {
        self.go_mod.loaded().and_then(|m| m.module_path())
    }
}

/// A directory with a go.work.
#[derive(Debug, Clone)]
pub struct GoWorkspace {
    pub dir: String,
    pub go_work: FileState<GoWork>,
}

/// Where a Dockerfile's build context comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextSource {
    /// Configured for this Dockerfile (`context = "."`).
    Configured,
    Compose {
        file: String,
        service: String,
    },
    Bake {
        file: String,
        target: String,
    },
    /// A guess: the nearest directory with go.mod or go.work at or above the Dockerfile.
    NearestModule,
    /// A guess: the Dockerfile's directory (no go.mod or go.work above it).
    DockerfileDirectory,
}

impl ContextSource {
    /// Declared by the user rather than guessed.
    pub fn is_declared(&self) -> bool {
        matches!(self, ContextSource::Configured | ContextSource::Compose { .. } | ContextSource::Bake { .. })
    }
}

/// A Dockerfile's build context and the Go facts around it.
#[derive(Debug, Clone)]
pub struct BuildContext {
    pub dockerfile: String,
    /// The context directory; `None` when it is outside the workspace folder or not a path (a
    /// URL): then rules must stay silent about the context.
    pub root: Option<String>,
    pub source: ContextSource,
    /// The ignore file in effect (`<Dockerfile>.dockerignore` next to the Dockerfile wins over
    /// `<context>/.dockerignore`) and its content.
    pub ignore_file: Option<String>,
    pub ignore: Option<Arc<DockerIgnore>>,
    /// The module governing the Dockerfile: the nearest go.mod at or above its directory.
    pub module: Option<GoModule>,
    /// The nearest go.work at or above the Dockerfile's directory.
    pub work: Option<GoWorkspace>,
}

impl BuildContext {
    /// Whether `path` (relative to the workspace folder) is inside the context and not ignored.
    /// `None` when the context is unknown.
    pub fn includes(&self, path: &str) -> Option<bool> {
        let root = self.root.as_deref()?;
        let inside = relative_to(path, root)?;
        Some(!self.ignore.as_ref().is_some_and(|ignore| ignore.is_excluded(&inside)))
    }

    /// `path` relative to the context root, if it is inside.
    pub fn relative(&self, path: &str) -> Option<String> {
        relative_to(path, self.root.as_deref()?)
    }
}

/// `base` joined with `rel` and cleaned; `None` if the result leaves the workspace folder.
pub fn join(base: &str, rel: &str) -> Option<String> {
    let joined = if rel.starts_with('/') { return None } else { clean(&format!("{base}/{rel}")) };
    if joined == ".." || joined.starts_with("../") { None } else { Some(joined) }
}

/// The parent directory (`.` for a top-level entry); `None` for `.` itself.
pub fn parent(path: &str) -> Option<String> {
    if path == "." {
        return None;
    }
    Some(path.rfind('/').map_or(".".to_string(), |i| path[..i].to_string()))
}

/// `path` is `dir` or below it.
pub fn is_within(path: &str, dir: &str) -> bool {
    dir == "." || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn relative_to(path: &str, dir: &str) -> Option<String> {
    if !is_within(path, dir) {
        return None;
    }
    if dir == "." {
        return Some(path.to_string());
    }
    Some(
        path.strip_prefix(dir)
            .map(|rest| rest.trim_start_matches('/'))
            .filter(|r| !r.is_empty())
            .unwrap_or(".")
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(join(".", "a/b"), Some("a/b".into()));
        assert_eq!(join("svc", "../lib"), Some("lib".into()));
        assert_eq!(join("svc", "../../x"), None);
        assert_eq!(join("svc", "/abs"), None);
        assert_eq!(join("svc", "."), Some("svc".into()));
        assert_eq!(parent("a/b"), Some("a".into()));
        assert_eq!(parent("a"), Some(".".into()));
        assert_eq!(parent("."), None);
        assert!(is_within("a/b", "a") && is_within("a", "a") && !is_within("ab", "a") && is_within("x", "."));
        assert_eq!(relative_to("svc/go.mod", "svc").as_deref(), Some("go.mod"));
        assert_eq!(relative_to("svc", "svc").as_deref(), Some("."));
        assert_eq!(relative_to("other/x", "svc"), None);
    }
}
