//! The Go workspaces the server knows: one per workspace folder, opened lazily, indexed in the background.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
}

impl Workspaces {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set_roots(&self, roots: Vec<PathBuf>) {
        let mut inner = self.lock();
        inner.roots = roots;
        inner.open.clear();
        inner.failed.clear();
    }

    /// The Go facts for a Dockerfile: its workspace (opened and indexed on first use) and its build
    /// context. `None` for documents that are not files. The second value is the workspace when
    /// this call opened it, so that the caller can republish once its index is complete.
    pub(super) fn facts_for(&self, uri: &Uri, config: &Config) -> (Option<GoFacts>, Option<Arc<Workspace>>) {
        let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else { return (None, None) };
        let Some((workspace, opened)) = self.workspace_for(&path) else { return (None, None) };
        let facts = workspace.relative(&path).map(|relative| {
            if let Some(context) = config.context_for(&path).and_then(|c| workspace.relative(c)) {
                workspace.set_context_override(&relative, &context);
            }
            GoFacts::for_dockerfile(workspace.clone(), &relative)
        });
        (facts, opened.then_some(workspace))
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
        let inner = self.lock();
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
