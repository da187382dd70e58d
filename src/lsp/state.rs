//! The server's mutable state: open documents and what was negotiated in `initialize`.
//!
//! Guarded by standard locks that are never held across an `.await`: handlers mutate state
//! synchronously before their first `.await` (tower-lsp may run handlers concurrently), then take
//! a cheap snapshot and compute without the lock.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use ropey::Rope;
use tower_lsp_server::ls_types::{SemanticToken, Uri};

use super::config::ConfigStore;
use super::document::Document;
use super::position::Encoding;
use super::workspaces::Workspaces;
use crate::rules::Diagnostic;
use crate::syntax::Parse;

/// What the client told us in `initialize`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Negotiated {
    pub(super) encoding: Encoding,
    pub(super) hierarchical_symbols: bool,
    /// The client answers `workspace/configuration`.
    pub(super) pull_configuration: bool,
    /// The client accepts file watchers registered with `client/registerCapability`.
    pub(super) register_file_watchers: bool,
    /// Diagnostics may carry a `codeDescription` link.
    pub(super) code_description: bool,
    /// Diagnostics may carry `deprecated`/`unnecessary` tags.
    pub(super) diagnostic_tags: bool,
    /// Diagnostics may point at related places (go.mod, a Go declaration).
    pub(super) related_information: bool,
    /// The client shows server-initiated `$/progress` (indexing a large workspace).
    pub(super) work_done_progress: bool,
    /// Completion items may carry snippets.
    pub(super) completion_snippets: bool,
}

/// The diagnostics computed for one version of a document under one configuration generation.
#[derive(Clone)]
pub(super) struct Computed {
    pub(super) version: i32,
    pub(super) generation: u64,
    pub(super) diagnostics: Arc<Vec<Diagnostic>>,
}

/// A read-only view of one document at one version.
#[derive(Clone)]
pub(super) struct Snapshot {
    pub(super) version: i32,
    pub(super) rope: Rope,
    pub(super) parse: Parse,
    pub(super) encoding: Encoding,
}

#[derive(Default)]
pub(super) struct State {
    documents: RwLock<HashMap<Uri, Document>>,
    negotiated: Mutex<Negotiated>,
    pub(super) shutdown_requested: std::sync::atomic::AtomicBool,
    pub(super) config: ConfigStore,
    pub(super) workspaces: Workspaces,
    /// Held while checking a version and sending its diagnostics (see `Server::publish_version`).
    pub(super) publish_order: tokio::sync::Mutex<()>,
    /// Held while the rules run: one check at a time, so that a burst of changes queues rather than
    /// starting one check per keystroke, and the next check in line takes the newest text.
    pub(super) checking: tokio::sync::Mutex<()>,
    /// Per document, the newest version whose diagnostics are being computed or were published.
    claimed: Mutex<HashMap<Uri, i32>>,
    /// Configuration files that currently have diagnostics published, so they can be cleared.
    config_files_with_problems: Mutex<HashSet<Uri>>,
    /// Per document, the last semantic tokens sent and their result id, for delta requests.
    pub(super) semantic_tokens: Mutex<HashMap<Uri, (String, Vec<SemanticToken>)>>,
    /// Per document, the diagnostics last published: hover and code actions on that version reuse
    /// them instead of checking the file again.
    computed: Mutex<HashMap<Uri, Computed>>,
}

impl State {
    // A panic while a lock was held leaves a document that is still consistent (edits are applied
    // to a copy first), so poisoning is ignored rather than turned into a second panic.
    fn read(&self) -> RwLockReadGuard<'_, HashMap<Uri, Document>> {
        self.documents.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<Uri, Document>> {
        self.documents.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn negotiated_guard(&self) -> MutexGuard<'_, Negotiated> {
        self.negotiated.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn negotiated(&self) -> Negotiated {
        *self.negotiated_guard()
    }

    pub(super) fn set_negotiated(&self, negotiated: Negotiated) {
        *self.negotiated_guard() = negotiated;
    }

    pub(super) fn open(&self, uri: Uri, document: Document) {
        // A reopened document may start again at a lower version.
        self.claimed.lock().unwrap_or_else(PoisonError::into_inner).remove(&uri);
        self.write().insert(uri, document);
    }

    pub(super) fn close(&self, uri: &Uri) -> bool {
        self.claimed.lock().unwrap_or_else(PoisonError::into_inner).remove(uri);
        self.semantic_tokens.lock().unwrap_or_else(PoisonError::into_inner).remove(uri);
        self.computed.lock().unwrap_or_else(PoisonError::into_inner).remove(uri);
        self.write().remove(uri).is_some()
    }

    /// Runs `f` on the document, replacing it only if `f` completes; `None` if it is not open.
    pub(super) fn update<T>(&self, uri: &Uri, f: impl FnOnce(&mut Document) -> T) -> Option<T> {
        let mut documents = self.write();
        let document = documents.get_mut(uri)?;
        let mut copy = document.clone();
        let result = f(&mut copy);
        *document = copy;
        Some(result)
    }

    pub(super) fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let encoding = self.negotiated().encoding;
        self.read().get(uri).map(|d| Snapshot {
            version: d.version,
            rope: d.rope.clone(),
            parse: d.parse.clone(),
            encoding,
        })
    }

    pub(super) fn version(&self, uri: &Uri) -> Option<i32> {
        self.read().get(uri).map(|d| d.version)
    }

    /// Whether this caller should compute diagnostics for `version`: no other caller has claimed it
    /// or a newer one, unless `again` says the inputs besides the text changed.
    pub(super) fn claim_publish(&self, uri: &Uri, version: i32, again: bool) -> bool {
        let mut claimed = self.claimed.lock().unwrap_or_else(PoisonError::into_inner);
        match claimed.get(uri) {
            Some(&newest) if newest >= version && !again => false,
            _ => {
                claimed.insert(uri.clone(), version);
                true
            }
        }
    }

    /// Keeps the diagnostics computed for a version (unless newer ones are kept already).
    pub(super) fn remember_diagnostics(&self, uri: &Uri, computed: Computed) {
        let mut all = self.computed.lock().unwrap_or_else(PoisonError::into_inner);
        if all.get(uri).is_none_or(|k| (k.version, k.generation) <= (computed.version, computed.generation)) {
            all.insert(uri.clone(), computed);
        }
    }

    /// The diagnostics kept for exactly this version and configuration generation.
    pub(super) fn diagnostics(&self, uri: &Uri, version: i32, generation: u64) -> Option<Arc<Vec<Diagnostic>>> {
        let all = self.computed.lock().unwrap_or_else(PoisonError::into_inner);
        all.get(uri).filter(|c| c.version == version && c.generation == generation).map(|c| c.diagnostics.clone())
    }

    /// Whether diagnostics for `version` (or a newer one) are being computed or were published.
    pub(super) fn is_claimed(&self, uri: &Uri, version: i32) -> bool {
        self.claimed.lock().unwrap_or_else(PoisonError::into_inner).get(uri).is_some_and(|&newest| newest >= version)
    }

    pub(super) fn open_documents(&self) -> Vec<Uri> {
        self.read().keys().cloned().collect()
    }

    /// Records whether a configuration file has problems published; returns whether that changed.
    pub(super) fn mark_config_problems(&self, uri: &Uri, has_problems: bool) -> bool {
        let mut marked = self.config_files_with_problems.lock().unwrap_or_else(PoisonError::into_inner);
        if has_problems { marked.insert(uri.clone()) } else { marked.remove(uri) }
    }
}
