//! What `gantry check` knows around each Dockerfile: its configuration files and its Go workspace.
//!
//! Configuration: with `--config FILE` that file alone (gantry.toml, or a hadolint YAML file by its
//! extension); otherwise the nearest `.hadolint.yaml` and `gantry.toml` at or above the Dockerfile,
//! not above the repository root (the nearest directory with `.git`). The command-line flags are
//! layered last. Go workspace: the topmost directory with go.work, else the nearest with go.mod (not
//! above the repository root), else the Dockerfile's directory; indexed fully before checking, since
//! a CI run wants every fact rather than the first ones.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::rules::config::{ConfigSource, discover, parse_gantry_toml, parse_hadolint_yaml};
use crate::rules::{Config, ConfigLayer, ConfigProblem, GoFacts};
use crate::syntax::LineIndex;
use crate::workspace::Workspace;

/// The largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

pub(super) struct Project {
    explicit: Option<(Config, ConfigSource)>,
    flags: ConfigLayer,
    configs: HashMap<PathBuf, Arc<Config>>,
    /// The Go workspaces, shared by the threads that check files.
    pub(super) workspaces: Workspaces,
    /// Configuration files already read, so that each problem is reported once.
    reported: Vec<PathBuf>,
    /// Problems found in configuration files, as `path:line:col: message`.
    pub(super) problems: Vec<String>,
}

impl Project {
    /// Reads `--config` if given; problems in it are errors right away.
    pub(super) fn new(config_file: Option<&Path>, flags: ConfigLayer) -> Result<Project, String> {
        let explicit = match config_file {
            None => None,
            Some(path) => {
                let text = read_config(path)
                    .ok_or_else(|| format!("cannot read the configuration file {}", path.display()))?;
                let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
                let (mut layer, problems) = if is_yaml { parse_hadolint_yaml(&text) } else { parse_gantry_toml(&text) };
                layer.base_dir = path.canonicalize().ok().and_then(|p| p.parent().map(Path::to_path_buf));
                let mut config = Config::default();
                config.merge(layer);
                Some((config, ConfigSource { path: path.to_path_buf(), text, problems }))
            }
        };
        let mut project = Project {
            explicit: None,
            flags,
            configs: HashMap::new(),
            workspaces: Workspaces::default(),
            reported: Vec::new(),
            problems: Vec::new(),
        };
        if let Some((config, source)) = explicit {
            project.report(std::slice::from_ref(&source));
            project.explicit = Some((config, source));
        }
        Ok(project)
    }

    /// The configuration for a Dockerfile.
    pub(super) fn config_for(&mut self, dockerfile: &Path) -> Arc<Config> {
        let dir = absolute_dir(dockerfile);
        if let Some(config) = self.configs.get(&dir) {
            return config.clone();
        }
        let mut config = match &self.explicit {
            Some((config, _)) => config.clone(),
            None => {
                let root = repository_root(&dir);
                // Symlinked configuration files may lead anywhere in the repository, not out of it.
                let bound = root.clone().unwrap_or_else(|| dir.clone());
                let read = |path: &Path| read_discovered_config(path, &bound);
                let (config, sources) = discover(&dir, root.as_deref(), &read);
                self.report(&sources);
                config
            }
        };
        config.merge(self.flags.clone());
        let config = Arc::new(config);
        self.configs.insert(dir, config.clone());
        config
    }

    /// The Go facts for a Dockerfile (see [`Workspaces::facts_for`]).
    pub(super) fn facts_for(&self, dockerfile: &Path, config: &Config) -> Option<GoFacts> {
        self.workspaces.facts_for(dockerfile, config)
    }

    fn report(&mut self, sources: &[ConfigSource]) {
        for source in sources {
            if self.reported.contains(&source.path) {
                continue;
            }
            self.reported.push(source.path.clone());
            let index = LineIndex::new(&source.text);
            for ConfigProblem { range, message } in &source.problems {
                let at = index.line_col(&source.text, range.start);
                self.problems.push(format!("{}:{}:{}: {message}", source.path.display(), at.line + 1, at.col + 1));
            }
        }
    }
}

/// The Go workspaces opened so far, one per root, shared between the threads that check files:
/// Dockerfiles of the same module read its go.mod and walk its packages once.
#[derive(Default)]
pub(super) struct Workspaces {
    /// Each root's workspace is opened by the first thread that needs it; the others wait for it.
    by_root: Mutex<HashMap<PathBuf, Arc<WorkspaceCell>>>,
}

/// A workspace opened once; `None` if its folder could not be opened.
type WorkspaceCell = OnceLock<Option<Arc<Workspace>>>;

impl Workspaces {
    /// The Go facts for a Dockerfile: its workspace, opened and fully indexed on first use, and the
    /// build context `config` sets for it, if any.
    pub(super) fn facts_for(&self, dockerfile: &Path, config: &Config) -> Option<GoFacts> {
        let dir = absolute_dir(dockerfile);
        let root = nearest_go_root(&dir, repository_root(&dir).as_deref()).unwrap_or_else(|| dir.clone());
        let cell = self.by_root.lock().unwrap_or_else(PoisonError::into_inner).entry(root.clone()).or_default().clone();
        let workspace = cell
            .get_or_init(|| {
                let workspace = Arc::new(Workspace::open(&root).ok()?);
                workspace.index_now();
                Some(workspace)
            })
            .clone()?;
        let absolute = dir.join(dockerfile.file_name()?);
        let relative = workspace.relative(&absolute)?;
        if let Some(context) = config.context_for(&absolute) {
            match workspace.relative(context) {
                Some(context) => workspace.set_context_override(&relative, &context),
                None => {
                    tracing::warn!("the build context {} is outside {}", context.display(), workspace.root().display())
                }
            }
        }
        Some(GoFacts::for_dockerfile(workspace, &relative))
    }
}

fn absolute_dir(dockerfile: &Path) -> PathBuf {
    let dir = dockerfile.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// The nearest ancestor holding `.git`: configuration discovery and the Go workspace stop there.
fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|a| a.join(".git").exists()).map(Path::to_path_buf)
}

/// The Go workspace to load: the topmost ancestor holding go.work, else the nearest holding go.mod,
/// never above `limit` (the repository root). Loading only that much keeps `gantry check` from
/// walking a whole repository for one Dockerfile.
fn nearest_go_root(dir: &Path, limit: Option<&Path>) -> Option<PathBuf> {
    let within = |a: &&Path| limit.is_none_or(|limit| a.starts_with(limit));
    dir.ancestors()
        .take_while(within)
        .filter(|a| a.join("go.work").is_file())
        .last()
        .or_else(|| dir.ancestors().take_while(within).find(|a| a.join("go.mod").is_file()))
        .map(Path::to_path_buf)
}

/// A configuration file found by discovery: a symlink leading out of `bound` (the repository, or
/// the Dockerfile's directory outside any) is not followed, as in the Go workspace. `--config`
/// names a file, and is read as named.
fn read_discovered_config(path: &Path, bound: &Path) -> Option<String> {
    let real = path.canonicalize().ok()?;
    if !real.starts_with(bound)
        && path.parent().and_then(|dir| dir.canonicalize().ok()).is_none_or(|dir| !real.starts_with(dir))
    {
        tracing::warn!("not reading {}: leads outside the repository", path.display());
        return None;
    }
    read_config(path)
}

fn read_config(path: &Path) -> Option<String> {
    let metadata = fs::metadata(path).ok()?;
    if !metadata.is_file() {
        // A FIFO would block the read; a directory is simply not a configuration file.
        if !metadata.is_dir() {
            tracing::warn!("not reading {}: not a regular file", path.display());
        }
        return None;
    }
    if metadata.len() > MAX_CONFIG_BYTES {
        tracing::warn!(
            "not reading {}: too large ({} bytes, limit {MAX_CONFIG_BYTES})",
            path.display(),
            metadata.len()
        );
        return None;
    }
    match fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            tracing::warn!("not reading {}: {error}", path.display());
            None
        }
    }
}
