//! The Go workspaces the server knows: one per workspace folder, opened lazily, indexed in the background.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tower_lsp_server::ls_types::Uri;

use crate::rules::{Config, GoFacts};
use crate::workspace::Workspace;

#[derive(Default)]
pub(super) struct Workspaces {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The client's workspace folders.
    roots: Vec<PathBuf>,
    /// Opened workspaces by root: a folder, or the directory of a Dockerfile outside every folder.
    open: HashMap<PathBuf, Arc<Workspace>>,
    /// Roots that could not be opened (gone, not a directory): not retried on every keystroke.
    failed: HashSet<PathBuf>,
    /// Go facts per Dockerfile, so that a keystroke does not look for build files again.
    facts: HashMap<PathBuf, CachedFacts>,
}

/// Go facts as found at one time for one configured build context.
struct CachedFacts {
    facts: GoFacts,
    /// The configured context they were found with (settings may change it).
    configured: Option<PathBuf>,
    found: Instant,
}

/// How long cached facts are trusted without a watched-file notification: finding them costs a few
/// dozen `stat` calls (build files in every directory up to the folder, go.mod, go.work,
/// .dockerignore), not worth paying per keystroke, yet a client without file watchers still sees
/// an edited go.mod within this time.
const FACTS_FRESH_FOR: Duration = Duration::from_secs(2);

impl Workspaces {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set_roots(&self, roots: Vec<PathBuf>) {
        let mut inner = self.lock();
        inner.roots = roots;
        inner.open.clear();
        inner.failed.clear();
        inner.facts.clear();
    }

    /// The Go facts for a Dockerfile: its workspace (opened and indexed on first use) and its build
    /// context. `None` for documents that are not files. The second value is the workspace when
    /// this call opened it, so that the caller can republish once its index is complete.
    pub(super) fn facts_for(&self, uri: &Uri, config: &Config) -> (Option<GoFacts>, Option<Arc<Workspace>>) {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else { return (None, None) };
        let configured = config.context_for(&path).map(Path::to_path_buf);
        if let Some(cached) = self.lock().facts.get(&path)
            && cached.configured == configured
            && cached.found.elapsed() < FACTS_FRESH_FOR
        {
            return (Some(cached.facts.clone()), None);
        }
        let Some((workspace, opened)) = self.workspace_for(&path) else { return (None, None) };
        let facts = workspace.relative(&path).map(|relative| {
            if let Some(context) = configured.as_deref().and_then(|c| workspace.relative(c)) {
                workspace.set_context_override(&relative, &context);
            }
            GoFacts::for_dockerfile(workspace.clone(), &relative)
        });
        if let Some(facts) = &facts {
            let cached = CachedFacts { facts: facts.clone(), configured, found: Instant::now() };
            self.lock().facts.insert(path, cached);
        }
        (facts, opened.then_some(workspace))
    }

    /// How many Dockerfiles have cached facts (for tests).
    #[cfg(test)]
    fn cached_facts(&self) -> usize {
        self.lock().facts.len()
    }

    fn workspace_for(&self, path: &Path) -> Option<(Arc<Workspace>, bool)> {
        let root = {
            let inner = self.lock();
            let folder = inner.roots.iter().filter(|root| path.starts_with(root)).max_by_key(|r| r.as_os_str().len());
            // A Dockerfile outside every folder: its own directory bounds what is read.
            folder.cloned().or_else(|| path.parent().map(Path::to_path_buf))?
        };
        {
            let inner = self.lock();
            if let Some(workspace) = inner.open.get(&root) {
                return Some((workspace.clone(), false));
            }
            if inner.failed.contains(&root) {
                return None;
            }
        }
        let workspace = match Workspace::open(&root) {
            Ok(workspace) => Arc::new(workspace),
            Err(error) => {
                tracing::warn!("cannot open the workspace {}: {error}; Go checks are off for it", root.display());
                self.lock().failed.insert(root);
                return None;
            }
        };
        let mut inner = self.lock();
        if let Some(existing) = inner.open.get(&root) {
            // Another request opened it meanwhile.
            return Some((existing.clone(), false));
        }
        inner.open.insert(root, workspace.clone());
        drop(inner);
        workspace.start_indexing();
        Some((workspace, true))
    }

    /// Tells every workspace holding `path` that it changed; says whether any did.
    pub(super) fn invalidate(&self, path: &Path) -> bool {
        let mut inner = self.lock();
        // Any watched file may change a build context (a compose file, a go.mod, an ignore file).
        inner.facts.clear();
        let mut any = false;
        for (root, workspace) in &inner.open {
            if path.starts_with(root) || path.starts_with(workspace.root()) {
                workspace.invalidate(path);
                any = true;
            }
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keystroke reuses the facts found for the Dockerfile: the disk is not read again (a go.mod
    /// removed behind the server's back goes unnoticed) until a watched file changes.
    #[test]
    fn facts_are_found_once_until_a_watched_file_changes() {
        let root = std::env::temp_dir().join(format!("gantry-facts-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("go.mod"), "module example.com/app\n\ngo 1.23\n").unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM golang:1.23\n").unwrap();
        let workspaces = Workspaces::default();
        workspaces.set_roots(vec![root.clone()]);
        let uri = Uri::from_file_path(root.join("Dockerfile")).unwrap();
        let config = Config::default();
        let has_module =
            |workspaces: &Workspaces| workspaces.facts_for(&uri, &config).0.unwrap().context.module.is_some();

        assert!(has_module(&workspaces));
        assert_eq!(workspaces.cached_facts(), 1);
        std::fs::remove_file(root.join("go.mod")).unwrap();
        assert!(has_module(&workspaces), "the cached facts are used");
        assert!(workspaces.invalidate(&root.join("go.mod")));
        assert!(!has_module(&workspaces), "a watched-file change makes the server look again");
        let _ = std::fs::remove_dir_all(&root);
    }
}
