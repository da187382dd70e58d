//! Where the files a `go` command sees come from: COPY/ADD and the RUN's bind mounts read
//! backwards, from a directory in the image to the build-context directories that put files there.
//! Rules use it to find which context directory `go build ./cmd/app` in `/src` builds.

use super::{Build, CopySource, CopyStep, GoRun};

impl Build {
    /// The build-context paths whose files the `go` command `run` of stage `stage` finds directly
    /// in `dir` (absolute): directory sources (and the whole context, `""`) covering `dir`, and the
    /// directories of single files copied into it. Candidates may not exist (a literal source may be
    /// a file or a directory): callers keep those that do. `None` when it is not known: a copy that
    /// could put files there has a build-time source, or files from another stage or an image are
    /// laid over `dir` after the context's.
    pub fn context_sources_of(&self, stage: usize, run: &GoRun, dir: &str) -> Option<Vec<String>> {
        let mut candidates: Vec<String> = Vec::new();
        for step in self.steps_seen_by(stage, run) {
            let found = step.sources_for(dir)?;
            let files_into_dir = files_copied_into(step, dir);
            match step.source {
                CopySource::Context => {
                    for candidate in found.into_iter().chain(files_into_dir) {
                        if !candidates.contains(&candidate) {
                            candidates.push(candidate);
                        }
                    }
                }
                // A toolchain copied over the root before the sources (`COPY --from=xx / /`) does
                // not matter; files from elsewhere laid over the sources do.
                _ if candidates.is_empty() => {}
                _ if !found.is_empty() || !files_into_dir.is_empty() => return None,
                _ => {}
            }
        }
        Some(candidates)
    }

    /// Where the context file `context_path` is when the `go` command `run` of stage `stage` runs:
    /// the destination given by the newest context copy or bind mount that copies it.
    pub fn context_destination_of(&self, stage: usize, run: &GoRun, context_path: &str) -> Option<String> {
        let steps: Vec<&CopyStep> = self.steps_seen_by(stage, run).collect();
        steps.into_iter().rev().filter(|s| s.source == CopySource::Context).find_map(|s| s.destination_of(context_path))
    }

    /// The copies the command sees, oldest first: those of the stage chain before the RUN, then
    /// the RUN's own bind mounts.
    fn steps_seen_by<'b>(&'b self, stage: usize, run: &'b GoRun) -> impl Iterator<Item = &'b CopyStep> {
        self.copies_before(stage, run.instruction).into_iter().chain(run.bind_mounts.iter())
    }
}

/// The directories of the literal file sources that `step` copies directly into `dir`.
fn files_copied_into(step: &CopyStep, dir: &str) -> Vec<String> {
    let dir = dir.trim_end_matches('/');
    step.sources
        .iter()
        .filter_map(|(source, _)| source.as_deref())
        .filter(|source| !source.is_empty() && !source.contains(['*', '?', '[']))
        .filter(|source| {
            let landed = step.destination_of(source);
            landed.as_deref().and_then(|l| l.rsplit_once('/')).is_some_and(|(parent, _)| {
                let parent = if parent.is_empty() { "/" } else { parent };
                parent == dir || (dir.is_empty() && parent == "/")
            })
        })
        .map(|source| source.rsplit_once('/').map_or(String::new(), |(parent, _)| parent.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::build::Build;
    use crate::syntax::parse;

    fn build(text: &str) -> Build {
        Build::simulate(&parse(text))
    }

    /// The context sources of `dir` as the stage's first `go` command sees it.
    fn sources(build: &Build, stage: usize, dir: &str) -> Option<Vec<String>> {
        let run = build.stages[stage].go_runs.first().expect("a go command");
        build.context_sources_of(stage, run, dir)
    }

    /// Whether `candidate` is among the sources of `dir` (other readings of a literal source, such as
    /// `go.mod/cmd/app` for `COPY go.mod ./`, are there too; callers drop those that do not exist).
    fn has(build: &Build, stage: usize, dir: &str, candidate: &str) -> bool {
        sources(build, stage, dir).is_some_and(|found| found.iter().any(|c| c == candidate))
    }

    #[test]
    fn whole_context_copies_map_back() {
        let b = build("FROM golang:1.23\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go build ./cmd/app\n");
        assert!(has(&b, 0, "/src/cmd/app", "cmd/app"));
        assert!(has(&b, 0, "/src", ""));
        assert_eq!(sources(&b, 0, "/elsewhere"), Some(vec![]));
    }

    #[test]
    fn directory_file_and_glob_sources() {
        let b =
            build("FROM golang:1.23\nCOPY cmd/ /src/cmd/\nCOPY app/main.go /src/\nCOPY pkg/*.go /lib/\nRUN go build\n");
        assert!(has(&b, 0, "/src/cmd/app", "cmd/app"));
        // `/src` holds app/main.go: the package's files come from `app`.
        assert!(has(&b, 0, "/src", "app"));
        let at_lib = sources(&b, 0, "/lib").unwrap();
        assert!(!at_lib.contains(&"cmd".to_string()), "{at_lib:?}");
        let run = &b.stages[0].go_runs[0];
        assert_eq!(b.context_destination_of(0, run, "pkg/a.go").as_deref(), Some("/lib/a.go"));
        assert_eq!(b.context_destination_of(0, run, "app/main.go").as_deref(), Some("/src/main.go"));
    }

    #[test]
    fn unknown_sources_and_later_stage_copies_are_unknown() {
        let b = build("FROM golang:1.23\nARG DIR\nCOPY $DIR /src/\nRUN go build\n");
        assert_eq!(sources(&b, 0, "/src/app"), None);
        let b = build(
            "FROM golang:1.23 AS gen\nFROM golang:1.23\nCOPY . /src\nCOPY --from=gen /out /src/cmd\nRUN go build\n",
        );
        assert_eq!(sources(&b, 1, "/src/cmd/app"), None);
        assert_eq!(sources(&b, 1, "/src/internal"), Some(vec!["internal".to_string()]));
        // A toolchain copied over the root before the sources does not hide them.
        let b = build("FROM tonistiigi/xx AS xx\nFROM golang:1.23\nCOPY --from=xx / /\nCOPY . /src\nRUN go build\n");
        assert_eq!(sources(&b, 1, "/src/cmd"), Some(vec!["cmd".to_string()]));
    }

    #[test]
    fn parent_stages_bind_mounts_and_order() {
        let b = build("FROM golang:1.23 AS base\nWORKDIR /src\nCOPY . .\nFROM base AS build\nRUN go build .\n");
        assert_eq!(sources(&b, 1, "/src/cmd"), Some(vec!["cmd".to_string()]));
        // Before the COPY, nothing is there yet.
        let b = build("FROM golang:1.23\nWORKDIR /src\nRUN go build .\nCOPY . .\n");
        assert_eq!(sources(&b, 0, "/src"), Some(vec![]));
        assert_eq!(b.context_destination_of(0, &b.stages[0].go_runs[0], "main.go"), None);
        let b = build("FROM golang:1.23\nWORKDIR /src\nRUN --mount=target=. go build ./cmd/app\n");
        assert_eq!(sources(&b, 0, "/src/cmd/app"), Some(vec!["cmd/app".to_string()]));
        let run = &b.stages[0].go_runs[0];
        assert_eq!(b.context_destination_of(0, run, "cmd/app/main.go").as_deref(), Some("/src/cmd/app/main.go"));
    }
}
