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
        let source = match from {
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

    /// Whether some source depends on a build-time value, so what is copied is not fully known.
    pub fn has_unknown_sources(&self) -> bool {
        self.sources.iter().any(|(s, _)| s.is_none())
    }
}

/// `./a/b/` → `a/b`; `.` and `./` → `` (the whole context); `/a` → `a` (context paths are relative).
fn normalise(path: &str) -> String {
    let resolved = resolve_path("/", path);
    resolved.trim_start_matches('/').to_string()
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

    #[test]
    fn normalised_paths() {
        assert_eq!(normalise("./go.mod"), "go.mod");
        assert_eq!(normalise("."), "");
        assert_eq!(normalise("./cmd/app/"), "cmd/app");
        assert_eq!(normalise("../outside"), "outside");
    }
}
