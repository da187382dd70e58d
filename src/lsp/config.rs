//! Per-document rule configuration in the server: files found on disk, layered under the editor's settings.
//!
//! Configuration files are read once per directory and cached until a watched-file notification or a
//! settings change says otherwise, so no keystroke touches the disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tower_lsp_server::ls_types::Uri;

use crate::rules::config::{CONFIG_FILE_NAMES, discover, parse_settings_json};
use crate::rules::{Config, ConfigLayer, ConfigProblem, ConfigSource};

/// The largest configuration file read; anything bigger is not a configuration file.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

#[derive(Default)]
struct Inner {
    /// Workspace folders: discovery never walks above the one holding the document.
    roots: Vec<PathBuf>,
    /// The editor's settings, applied over the files.
    settings: ConfigLayer,
    settings_problems: Vec<ConfigProblem>,
    /// Resolved configuration per Dockerfile directory.
    cache: HashMap<PathBuf, Resolved>,
    /// Bumped by every change, so that a configuration resolved from older settings is never cached
    /// or published (see `generation`).
    generation: u64,
}

#[derive(Clone)]
struct Resolved {
    config: Arc<Config>,
    sources: Arc<Vec<ConfigSource>>,
}

#[derive(Default)]
pub(super) struct ConfigStore {
    inner: Mutex<Inner>,
}

impl ConfigStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn set_roots(&self, roots: Vec<PathBuf>) {
        let mut inner = self.lock();
        inner.roots = roots;
        inner.invalidate();
    }

    /// Replaces the editor's settings (initializationOptions or `workspace/configuration`).
    pub(super) fn set_settings(&self, value: &serde_json::Value) -> Vec<ConfigProblem> {
        // Accept both the bare object and one wrapped in a `gantry` key, as clients differ.
        let value = value.get("gantry").unwrap_or(value);
        let (mut layer, problems) = parse_settings_json(value);
        let mut inner = self.lock();
        // Paths in the editor's settings are relative to the (first) workspace folder.
        layer.base_dir = inner.roots.first().cloned();
        inner.settings = layer;
        inner.settings_problems = problems.clone();
        inner.invalidate();
        problems
    }

    /// Forgets cached files when one of the configuration files changed; says whether it did.
    pub(super) fn invalidate_if_config(&self, path: &Path) -> bool {
        let is_config = path.file_name().and_then(|n| n.to_str()).is_some_and(|name| CONFIG_FILE_NAMES.contains(&name));
        if is_config {
            self.lock().invalidate();
        }
        is_config
    }

    /// The configuration for a document, and the configuration files it came from.
    pub(super) fn for_document(&self, uri: &Uri) -> (Arc<Config>, Arc<Vec<ConfigSource>>) {
        let dir = uri.to_file_path().and_then(|path| path.parent().map(Path::to_path_buf));
        let Some(dir) = dir else {
            // An unsaved buffer: only the editor's settings apply.
            let mut config = Config::default();
            config.merge(self.lock().settings.clone());
            return (Arc::new(config), Arc::new(Vec::new()));
        };
        if let Some(resolved) = self.lock().cache.get(&dir) {
            return (resolved.config.clone(), resolved.sources.clone());
        }
        let (root, settings, generation) = {
            let inner = self.lock();
            let root = inner.roots.iter().filter(|root| dir.starts_with(root)).max_by_key(|r| r.as_os_str().len());
            // A document outside every folder: its own directory bounds what is read, as for Go files.
            (root.cloned().unwrap_or_else(|| dir.clone()), inner.settings.clone(), inner.generation)
        };
        let bound = root.canonicalize().unwrap_or_else(|_| root.clone());
        let (mut config, sources) = discover(&dir, Some(&root), &|path: &Path| read_config_file(path, &bound));
        config.merge(settings);
        let resolved = Resolved { config: Arc::new(config), sources: Arc::new(sources) };
        let mut inner = self.lock();
        if inner.generation == generation {
            inner.cache.insert(dir, resolved.clone());
        }
        (resolved.config, resolved.sources)
    }

    /// Changes whenever settings, roots or configuration files change. A result computed with a
    /// configuration from an older generation is stale and must be recomputed.
    pub(super) fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub(super) fn settings_problems(&self) -> Vec<ConfigProblem> {
        self.lock().settings_problems.clone()
    }
}

impl Inner {
    fn invalidate(&mut self) {
        self.cache.clear();
        self.generation += 1;
    }
}

/// Reads a configuration file if it is a regular file of reasonable size inside `bound` (the
/// canonical workspace folder) once symlinks are resolved.
fn read_config_file(path: &Path, bound: &Path) -> Option<String> {
    let real = std::fs::canonicalize(path).ok()?;
    if !real.starts_with(bound) {
        tracing::warn!("not reading {}: leads outside the workspace folder", path.display());
        return None;
    }
    let metadata = std::fs::metadata(&real).ok()?;
    if !metadata.is_file() {
        if !metadata.is_dir() {
            tracing::warn!("not reading {}: not a regular file", path.display());
        }
        return None;
    }
    if metadata.len() > MAX_CONFIG_BYTES {
        tracing::warn!("{} is larger than {MAX_CONFIG_BYTES} bytes; ignored", path.display());
        return None;
    }
    match std::fs::read_to_string(&real) {
        Ok(text) => Some(text),
        Err(error) => {
            tracing::warn!("cannot read {}: {error}", path.display());
            None
        }
    }
}
