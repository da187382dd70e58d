//! Paths in the image traced back to where they came from: whether a COPY/ADD may have written at
//! a path, the stages a stage is built on, and the directory a `go` command of a RUN really runs
//! in (`cd` included). The reverse mapping of one copy is [`CopyStep::sources_for`].
//!
//! Everything here answers "unknown" (`None`) rather than guess.

use super::{Build, CopySource, CopyStep, Stage, resolve_path};
use crate::syntax::{Nesting, ShellScript, StageBase, TextRange};

/// Whether `path` is `dir` or below it (both absolute image paths).
pub fn is_within_image(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// `path` relative to `dir` (`""` when they are equal); `None` when `path` is not within `dir`.
pub fn relative_to_image(path: &str, dir: &str) -> Option<String> {
    if !is_within_image(path, dir) {
        return None;
    }
    let rest = if dir == "/" { path } else { path.get(dir.len()..).unwrap_or("") };
    Some(rest.trim_start_matches('/').to_string())
}

impl CopyStep {
    /// Whether this step may write at `image_path`, inside it, or create it: its destination is
    /// the path, above it or below it.
    pub fn writes_within(&self, image_path: &str) -> bool {
        is_within_image(image_path, &self.destination) || is_within_image(&self.destination, image_path)
    }

    /// Whether the step takes its files from the context by plain paths: no build-time values, and
    /// no local archive that ADD would unpack.
    pub fn is_plain_context_copy(&self) -> bool {
        const ARCHIVES: &[&str] = &[".tar", ".tgz", ".gz", ".tbz2", ".bz2", ".txz", ".xz", ".zst"];
        let unpacked = |source: &str| self.is_add && ARCHIVES.iter().any(|ext| source.ends_with(ext));
        self.source == CopySource::Context
            && !self.has_unknown_sources()
            && !self.sources.iter().any(|(s, _)| s.as_deref().is_some_and(unpacked))
    }
}

impl Build {
    /// The stage and the stages it is built on (`FROM <stage>`), the root first.
    pub fn ancestry(&self, stage: usize) -> Vec<&Stage> {
        let mut chain = Vec::new();
        let mut current = Some(stage);
        // Bounded: a stage can only be built on earlier stages.
        while let Some(index) = current.filter(|_| chain.len() <= self.stages.len()) {
            let Some(found) = self.stages.get(index) else { break };
            chain.push(found);
            current = match found.base {
                StageBase::Stage(parent) if parent < index => Some(parent),
                _ => None,
            };
        }
        chain.reverse();
        chain
    }
}

/// The directory the simple command at `command` runs in, given the RUN's WORKDIR: `cd <dir>`
/// before it in the script moves it. `None` when a `cd` makes it unknowable (a variable, `cd -`,
/// `pushd`, or a `cd` inside a construct that may or may not enclose the command).
pub fn command_dir(script: &ShellScript, command: TextRange, workdir: &str) -> Option<String> {
    let target = script.commands.iter().find(|c| c.range == command)?;
    let mut dir = workdir.to_string();
    for earlier in script.commands.iter().filter(|c| c.range.start < command.start) {
        if !(earlier.is("cd") || earlier.is("pushd") || earlier.is("popd")) {
            continue;
        }
        if !earlier.enclosing.is_empty() {
            // A `cd` in a subshell or substitution does not reach a command at the top level.
            let contained = earlier
                .enclosing
                .iter()
                .any(|n| matches!(n, Nesting::Subshell | Nesting::CommandSubstitution | Nesting::ProcessSubstitution));
            if contained && target.enclosing.is_empty() {
                continue;
            }
            return None;
        }
        if !earlier.is("cd") {
            return None;
        }
        let args: Vec<_> = earlier.args.iter().filter(|a| !(a.value == "-P" || a.value == "-L")).collect();
        match args.as_slice() {
            [arg] if !arg.dynamic && arg.value != "-" && !arg.value.starts_with('~') => {
                dir = resolve_path(&dir, &arg.value);
            }
            _ => return None,
        }
    }
    if dir.contains('$') { None } else { Some(dir) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{go_commands, parse, parse_shell};

    fn step(sources: &[&str], destination: &str) -> CopyStep {
        CopyStep {
            instruction: 0,
            source: CopySource::Context,
            sources: sources.iter().map(|s| (Some(s.to_string()), TextRange::new(0, 0))).collect(),
            destination: destination.to_string(),
            destination_is_dir: true,
            is_add: false,
        }
    }

    #[test]
    fn paths_relate_both_ways() {
        let s = step(&[""], "/src");
        assert!(s.writes_within("/src/cmd") && s.writes_within("/src") && s.writes_within("/"));
        assert!(!s.writes_within("/srcx") && !s.writes_within("/out"));
        assert!(is_within_image("/a/b", "/") && !is_within_image("/ab", "/a"));
        assert_eq!(relative_to_image("/a/b/c", "/a").as_deref(), Some("b/c"));
        assert_eq!(relative_to_image("/a", "/a").as_deref(), Some(""));
        assert_eq!(relative_to_image("/a", "/").as_deref(), Some("a"));
        assert_eq!(relative_to_image("/x", "/a"), None);
    }

    #[test]
    fn plain_context_copies() {
        assert!(step(&["cmd"], "/src").is_plain_context_copy());
        let mut archive = step(&["vendor.tar.gz"], "/src");
        assert!(archive.is_plain_context_copy());
        archive.is_add = true;
        assert!(!archive.is_plain_context_copy());
        let mut unknown = step(&["cmd"], "/src");
        unknown.sources[0].0 = None;
        assert!(!unknown.is_plain_context_copy());
        let mut from_stage = step(&["out"], "/src");
        from_stage.source = CopySource::Stage(0);
        assert!(!from_stage.is_plain_context_copy());
    }

    #[test]
    fn ancestry_follows_from_stage_chains() {
        let text = "FROM golang:1.23 AS base\nFROM base AS build\nFROM alpine AS other\nFROM build\n";
        let build = Build::simulate(&parse(text));
        let chain = |i: usize| build.ancestry(i).iter().map(|s| s.index).collect::<Vec<_>>();
        assert_eq!(chain(3), [0, 1, 3]);
        assert_eq!(chain(2), [2]);
        assert_eq!(chain(9), Vec::<usize>::new());
    }

    #[test]
    fn cd_moves_the_command_directory() {
        let dir = |text: &str| {
            let script = parse_shell(text);
            let go = go_commands(&script.commands).last().expect("a go command");
            command_dir(&script, go.range, "/src")
        };
        assert_eq!(dir("go build .").as_deref(), Some("/src"));
        assert_eq!(dir("cd cmd/app && go build -o /app .").as_deref(), Some("/src/cmd/app"));
        assert_eq!(dir("cd /x; cd ../y && go build .").as_deref(), Some("/y"));
        assert_eq!(dir("(cd web && npm ci) && go build .").as_deref(), Some("/src"));
        assert_eq!(dir("cd $DIR && go build .").as_deref(), None);
        assert_eq!(dir("cd && go build .").as_deref(), None);
        assert_eq!(dir("pushd cmd && go build .").as_deref(), None);
        assert_eq!(dir("if true; then cd cmd; fi; go build .").as_deref(), None);
        assert_eq!(dir("go build . && cd cmd && go build .").as_deref(), Some("/src/cmd"));
    }
}
