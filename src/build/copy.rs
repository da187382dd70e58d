//! COPY and ADD: which files they take from where, and where in the image they put them.

use super::resolve_path;
use crate::syntax::{Dockerfile, InstructionKind, Scope, TextRange};

/// Where a COPY/ADD takes its files from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopySource {
    /// The build context.
    Context,
    /// An earlier stage (`--from=<name or index>`).
    Stage(usize),
    /// An image (`--from=alpine:3.20`) or something only the build knows.
    Other(String),
}

/// One COPY or ADD, with its sources expanded and its destination resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyStep {
    /// Index of the instruction in `Dockerfile::instructions`.
    pub instruction: usize,
    pub source: CopySource,
    /// Source paths, normalised (`./go.mod` → `go.mod`, `.` → `` for the whole context), with their ranges.
    /// `None` for a source whose text depends on a build-time value.
    pub sources: Vec<(Option<String>, TextRange)>,
    /// The absolute destination.
    pub destination: String,
    /// The destination is a directory (ends in `/`, or several sources, or a whole directory copied).
    pub destination_is_dir: bool,
    pub is_add: bool,
}

impl CopyStep {
    pub(super) fn read(dockerfile: &Dockerfile, scope: &Scope, index: usize, workdir: &str) -> Option<CopyStep> {
        let instruction = &dockerfile.instructions[index];
        let (copy, is_add) = match &instruction.kind {
            InstructionKind::Copy(copy) => (copy, false),
            InstructionKind::Add(copy) => (copy, true),
            _ => return None,
        };
        let destination_word = copy.destination.as_ref()?;
        let destination_text = scope.expand(&destination_word.text, destination_word.range.start).value;
        let from = instruction.flag("from").and_then(|f| Some((f.value.as_ref()?, f.value_range?)));
        let remote = is_add && !copy.sources.is_empty() && copy.sources.iter().all(|word| is_remote(&word.text));
        let source = match from {
            // `ADD <url>` or `ADD <git repository>` fetches its files; none come from the context.
            None if remote => CopySource::Other(copy.sources[0].text.clone()),
            None => CopySource::Context,
            Some((from, range)) => {
                let expanded = scope.expand(from, range.start).value;
                match dockerfile.stage_by_reference(&expanded) {
                    Some(stage) if stage.from < index => CopySource::Stage(stage.index),
                    _ => CopySource::Other(expanded),
                }
            }
        };
        let sources: Vec<(Option<String>, TextRange)> = copy
            .sources
            .iter()
            .map(|word| {
                let expansion = scope.expand(&word.text, word.range.start);
                let path = (expansion.unknown.is_empty() && !expansion.malformed).then(|| normalise(&expansion.value));
                (path, word.range)
            })
            .collect();
        let destination_is_dir = destination_text.ends_with('/')
            || [".", ".."].contains(&destination_text.as_str())
            || destination_text.ends_with("/.")
            || destination_text.ends_with("/..")
            // The working directory exists as a directory, so a file copied onto it goes inside.
            || resolve_path(workdir, &destination_text) == resolve_path("/", workdir)
            || sources.len() > 1
            || sources.iter().any(|(s, _)| s.as_deref().is_some_and(|s| s.is_empty() || has_glob(s)));
        Some(CopyStep {
            instruction: index,
            source,
            sources,
            destination: resolve_path(workdir, &destination_text),
            destination_is_dir,
            is_add,
        })
    }

    /// Where a file of the source (a context-relative or stage-absolute path) lands in the image,
    /// if this step copies it. Directory sources copy their contents; globs match one path level as
    /// Go's `filepath.Match` does.
    pub fn destination_of(&self, path: &str) -> Option<String> {
        let path = normalise(path);
        for (source, _) in &self.sources {
            let Some(source) = source else { continue };
            if source.is_empty() {
                return Some(resolve_path(&self.destination, &path));
            }
            if *source == path {
                return Some(if self.destination_is_dir {
                    resolve_path(&self.destination, basename(&path))
                } else {
                    self.destination.clone()
                });
            }
            if let Some(rest) = path.strip_prefix(source.as_str()).and_then(|r| r.strip_prefix('/')) {
                return Some(resolve_path(&self.destination, rest));
            }
            if has_glob(source) && glob_matches(source, &path) {
                return Some(resolve_path(&self.destination, basename(&path)));
            }
        }
        None
    }

    /// The source paths that would land at `image_path` (absolute) if they exist: a file source
    /// whose destination is `image_path`, or the path below a directory source (the whole context
    /// is the directory ``). Both readings of a literal source are given, since only the file system
    /// knows whether it is a file or a directory; glob sources are read as matching files of one
    /// directory. `None` when some source could put something at `image_path` that cannot be named
    /// (a source with a build-time value, a glob in a directory part).
    pub fn sources_for(&self, image_path: &str) -> Option<Vec<String>> {
        let below = |dir: &str| -> Option<String> {
            if image_path == dir {
                return Some(String::new());
            }
            let rest = image_path.strip_prefix(dir)?;
            let rest = if dir.ends_with('/') { rest } else { rest.strip_prefix('/')? };
            Some(rest.to_string())
        };
        let join = |base: &str, rest: &str| match (base.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_string(),
            (false, true) => base.to_string(),
            (false, false) => format!("{base}/{rest}"),
        };
        let mut found = Vec::new();
        for (source, _) in &self.sources {
            let Some(source) = source else {
                if below(&self.destination).is_some() {
                    return None;
                }
                continue;
            };
            if has_glob(source) {
                let (dir, name_pattern) = source.rsplit_once('/').unwrap_or(("", source.as_str()));
                if has_glob(dir) {
                    if below(&self.destination).is_some() {
                        return None;
                    }
                    continue;
                }
                let Some(rest) = below(&self.destination) else { continue };
                if !rest.is_empty() && !rest.contains('/') && segment_matches(name_pattern.as_bytes(), rest.as_bytes())
                {
                    found.push(join(dir, &rest));
                }
                continue;
            }
            let file_destination = if self.destination_is_dir {
                resolve_path(&self.destination, basename(source))
            } else {
                self.destination.clone()
            };
            if !source.is_empty() && file_destination == image_path {
                found.push(source.clone());
            }
            if let Some(rest) = below(&self.destination) {
                let path = join(source, &rest);
                if !found.contains(&path) {
                    found.push(path);
                }
            }
        }
        Some(found)
    }

    /// Whether some source depends on a build-time value, so what is copied is not fully known.
    pub fn has_unknown_sources(&self) -> bool {
        self.sources.iter().any(|(s, _)| s.is_none())
    }
}

/// The bind mounts of the RUN at `index`, as copy steps that last for that RUN only.
pub(super) fn bind_mounts(dockerfile: &Dockerfile, scope: &Scope, index: usize, workdir: &str) -> Vec<CopyStep> {
    let InstructionKind::Run(run) = &dockerfile.instructions[index].kind else { return Vec::new() };
    let mut steps = Vec::new();
    for mount in run.mounts.iter().filter(|m| m.mount_type().eq_ignore_ascii_case("bind")) {
        // An option's value, expanded; `Some(None)` when it depends on a build-time value.
        let value = |keys: &[&str]| -> Option<Option<String>> {
            let option = keys.iter().find_map(|key| mount.option(key))?;
            let (Some(text), Some(range)) = (option.value.as_deref(), option.value_range) else {
                return Some(Some(String::new()));
            };
            let expansion = scope.expand(text, range.start);
            Some((expansion.unknown.is_empty() && !expansion.malformed).then_some(expansion.value))
        };
        let Some(target) = value(&["target", "dst", "destination"]) else { continue };
        let source_range = mount.option("source").or(mount.option("src")).and_then(|o| o.value_range);
        let source_path = value(&["source", "src"]).unwrap_or(Some(String::new())).map(|s| normalise(&s));
        let source = match value(&["from"]) {
            None => CopySource::Context,
            Some(Some(from)) => match dockerfile.stage_by_reference(&from) {
                Some(stage) if stage.from < index => CopySource::Stage(stage.index),
                _ => CopySource::Other(from),
            },
            Some(None) => CopySource::Other(String::new()),
        };
        let (source_path, destination) = match target {
            Some(target) => (source_path, resolve_path(workdir, &target)),
            // Somewhere only the build knows: nothing can be said about what the mount shows.
            None => (None, "/".to_string()),
        };
        steps.push(CopyStep {
            instruction: index,
            source,
            sources: vec![(source_path, source_range.unwrap_or(mount.range))],
            destination,
            destination_is_dir: false,
            is_add: false,
        });
    }
    steps
}

/// `./a/b/` → `a/b`; `.` and `./` → `` (the whole context); `/a` → `a` (context paths are relative).
fn normalise(path: &str) -> String {
    let resolved = resolve_path("/", path);
    resolved.trim_start_matches('/').to_string()
}

/// A source ADD fetches rather than reads from the context: a URL or a git address.
fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

fn basename(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, base)| base)
}

fn has_glob(path: &str) -> bool {
    path.contains(['*', '?', '['])
}

/// Go's `filepath.Match` for the patterns seen in COPY: `*`, `?` and `[…]` within one path level.
fn glob_matches(pattern: &str, path: &str) -> bool {
    if pattern.split('/').count() != path.split('/').count() {
        return false;
    }
    pattern.split('/').zip(path.split('/')).all(|(p, s)| segment_matches(p.as_bytes(), s.as_bytes()))
}

fn segment_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| segment_matches(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && segment_matches(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().position(|&b| b == b']') else { return false };
            let (class, after) = (&rest[..close], &rest[close + 1..]);
            let Some((&first, _)) = text.split_first() else { return false };
            let (negated, class) = match class.split_first() {
                Some((b'^' | b'!', class)) => (true, class),
                _ => (false, class),
            };
            let mut matched = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    matched |= class[i] <= first && first <= class[i + 2];
                    i += 3;
                } else {
                    matched |= class[i] == first;
                    i += 1;
                }
            }
            matched != negated && segment_matches(after, &text[1..])
        }
        Some((&literal, rest)) => text.first() == Some(&literal) && segment_matches(rest, &text[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_one_level() {
        assert!(glob_matches("go.*", "go.mod"));
        assert!(glob_matches("go.sum*", "go.sum"));
        assert!(!glob_matches("*.go", "cmd/main.go"));
        assert!(glob_matches("cmd/*/main.go", "cmd/app/main.go"));
        assert!(glob_matches("[a-c]?.txt", "b1.txt"));
        assert!(!glob_matches("[!a-c]?.txt", "b1.txt"));
        assert!(!glob_matches("[unclosed", "u"));
    }

    fn step(sources: &[Option<&str>], destination: &str, destination_is_dir: bool) -> CopyStep {
        CopyStep {
            instruction: 0,
            source: CopySource::Context,
            sources: sources.iter().map(|s| (s.map(str::to_string), TextRange::new(0, 0))).collect(),
            destination: destination.to_string(),
            destination_is_dir,
            is_add: false,
        }
    }

    #[test]
    fn sources_for_reads_copies_backwards() {
        let files = step(&[Some("go.mod"), Some("go.sum")], "/src", true);
        // A literal source may be a file or a directory: both readings are given.
        let expected: Vec<String> = vec!["go.mod".into(), "go.mod/go.mod".into(), "go.sum/go.mod".into()];
        assert_eq!(files.sources_for("/src/go.mod"), Some(expected));
        assert_eq!(files.sources_for("/other/go.mod"), Some(vec![]));
        let renamed = step(&[Some("build/go.mod")], "/src/go.mod", false);
        assert_eq!(renamed.sources_for("/src/go.mod"), Some(vec!["build/go.mod".into()]));
        let whole = step(&[Some("")], "/src", true);
        assert_eq!(whole.sources_for("/src/api/go.mod"), Some(vec!["api/go.mod".into()]));
        assert_eq!(whole.sources_for("/src"), Some(vec!["".into()]));
        assert_eq!(whole.sources_for("/srcx/go.mod"), Some(vec![]));
        let root = step(&[Some("")], "/", true);
        assert_eq!(root.sources_for("/go.mod"), Some(vec!["go.mod".into()]));
        let glob = step(&[Some("api/go.*")], "/src/api", true);
        assert_eq!(glob.sources_for("/src/api/go.sum"), Some(vec!["api/go.sum".into()]));
        assert_eq!(glob.sources_for("/src/api/main.go"), Some(vec![]));
        let deep_glob = step(&[Some("*/go.mod")], "/src", true);
        assert_eq!(deep_glob.sources_for("/src/go.mod"), None);
        let unknown = step(&[None], "/src", true);
        assert_eq!(unknown.sources_for("/src/go.mod"), None);
        assert_eq!(unknown.sources_for("/elsewhere"), Some(vec![]));
    }

    #[test]
    fn normalised_paths() {
        assert_eq!(normalise("./go.mod"), "go.mod");
        assert_eq!(normalise("."), "");
        assert_eq!(normalise("./cmd/app/"), "cmd/app");
        assert_eq!(normalise("../outside"), "outside");
    }
}
