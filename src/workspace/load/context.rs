//! Finding a Dockerfile's build context: configured, declared by Compose or Bake, or guessed.
//!
//! Compose and Bake files are looked for in the Dockerfile's directory and every directory above
//! it inside the workspace folder; a service or target names this Dockerfile when its context
//! joined with its dockerfile (default `Dockerfile`) is this file. Without any declaration the
//! context is guessed: the nearest directory with a go.mod or go.work at or above the Dockerfile,
//! else the Dockerfile's own directory. `ContextSource` tells the rules which case they are in.

use std::sync::Arc;

use super::Workspace;
use crate::workspace::build_files::{BuildFile, BuildFileKind, BuildTarget, Setting, parse_bake, parse_compose};
use crate::workspace::dockerignore::{DockerIgnore, parse_dockerignore};
use crate::workspace::model::{BuildContext, ContextSource, FileState, MAX_MODULE_FILE_BYTES, join, parent};

/// Compose file names, in the order `docker compose` prefers them.
pub const COMPOSE_FILES: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
/// Bake file names read for targets (HCL only; JSON Bake files are not read yet).
pub const BAKE_FILES: &[&str] = &["docker-bake.hcl", "docker-bake.override.hcl"];

impl Workspace {
    /// Every build context declared or guessed for `dockerfile` (relative path): a configured one
    /// first, then Compose services and Bake targets naming it; the guess only when nothing
    /// declares one. Never empty.
    pub fn build_contexts(&self, dockerfile: &str) -> Vec<BuildContext> {
        let dockerfile_dir = parent(dockerfile).unwrap_or_else(|| ".".to_string());
        let mut found: Vec<(Option<String>, ContextSource)> = Vec::new();
        if let Some(context) = self.context_override(dockerfile) {
            found.push((join(".", &context), ContextSource::Configured));
        }
        let mut dir = Some(dockerfile_dir.clone());
        while let Some(current) = dir {
            for (names, kind) in [(COMPOSE_FILES, BuildFileKind::Compose), (BAKE_FILES, BuildFileKind::Bake)] {
                for name in names {
                    let file = join(&current, name).unwrap_or_default();
                    let FileState::Loaded(build_file) = self.build_file(&file, kind) else { continue };
                    for target in &build_file.targets {
                        if let Some(root) = names_dockerfile(&current, target, dockerfile) {
                            let source = match kind {
                                BuildFileKind::Compose => {
                                    ContextSource::Compose { file: file.clone(), service: target.name.clone() }
                                }
                                BuildFileKind::Bake => {
                                    ContextSource::Bake { file: file.clone(), target: target.name.clone() }
                                }
                            };
                            found.push((Some(root), source));
                        }
                    }
                }
            }
            dir = parent(&current);
        }
        if found.is_empty() {
            found.push(match self.nearest_module_dir(&dockerfile_dir) {
                Some(dir) => (Some(dir), ContextSource::NearestModule),
                None => (Some(dockerfile_dir.clone()), ContextSource::DockerfileDirectory),
            });
        }
        let module = self.module_for(&dockerfile_dir);
        let work = self.work_for(&dockerfile_dir);
        found
            .into_iter()
            .map(|(root, source)| {
                let (ignore_file, ignore) = self.ignore_for(dockerfile, root.as_deref());
                BuildContext {
                    dockerfile: dockerfile.to_string(),
                    root,
                    source,
                    ignore_file,
                    ignore,
                    module: module.clone(),
                    work: work.clone(),
                }
            })
            .collect()
    }

    /// The build context rules should use: the first of `build_contexts`.
    pub fn build_context(&self, dockerfile: &str) -> BuildContext {
        let mut all = self.build_contexts(dockerfile);
        all.swap_remove(0)
    }

    /// `<Dockerfile>.dockerignore` next to the Dockerfile wins; else `.dockerignore` at the context root.
    fn ignore_for(&self, dockerfile: &str, root: Option<&str>) -> (Option<String>, Option<Arc<DockerIgnore>>) {
        let specific = format!("{dockerfile}.dockerignore");
        let candidates = [Some(specific), root.and_then(|r| join(r, ".dockerignore"))];
        for path in candidates.into_iter().flatten() {
            match self.dockerignore(&path) {
                FileState::Loaded(ignore) => return (Some(path), Some(ignore)),
                // An ignore file that exists but cannot be read leaves the context unknown to us.
                FileState::Skipped(_) => return (Some(path), None),
                FileState::Missing => {}
            }
        }
        (None, None)
    }

    /// A `.dockerignore` file (any path relative to the workspace folder).
    pub fn dockerignore(&self, path: &str) -> FileState<DockerIgnore> {
        self.cache.load(&self.root, &self.absolute(path), "dockerignore", MAX_MODULE_FILE_BYTES, |bytes| {
            Ok(parse_dockerignore(&String::from_utf8_lossy(bytes)))
        })
    }

    /// A Compose or Bake file.
    pub fn build_file(&self, path: &str, kind: BuildFileKind) -> FileState<BuildFile> {
        self.cache.load(&self.root, &self.absolute(path), "build file", MAX_MODULE_FILE_BYTES, |bytes| {
            let text = String::from_utf8_lossy(bytes);
            Ok(match kind {
                BuildFileKind::Compose => parse_compose(&text),
                BuildFileKind::Bake => parse_bake(&text),
            })
        })
    }
}

/// The context root of `target` (declared in a file in `file_dir`) if it builds `dockerfile`.
fn names_dockerfile(file_dir: &str, target: &BuildTarget, dockerfile: &str) -> Option<String> {
    if target.inline {
        return None;
    }
    let context = match &target.context {
        Setting::Default => ".",
        Setting::Literal(text) if !text.contains("://") && !text.starts_with("git@") => text.as_str(),
        Setting::Literal(_) | Setting::Unknown => return None,
    };
    let root = join(file_dir, context)?;
    let file = match &target.dockerfile {
        Setting::Default => "Dockerfile",
        Setting::Literal(text) => text.as_str(),
        Setting::Unknown => return None,
    };
    (join(&root, file)? == dockerfile).then_some(root)
}
