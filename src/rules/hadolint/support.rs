//! Facts several hadolint rules share: which stage a FROM builds on, which stages ship, image names.

use crate::syntax::{Dockerfile, ImageRef, Instruction, InstructionKind, Keyword, Stage};

/// The earlier stage that `stage`'s FROM names (`FROM build`), compared without case as BuildKit does.
/// `None` when the FROM names an image.
pub(super) fn parent_stage<'a>(dockerfile: &'a Dockerfile, stage: &Stage) -> Option<&'a Stage> {
    let image = from_image(dockerfile, stage)?;
    if image.tag.is_some() || image.digest.is_some() {
        return None;
    }
    dockerfile.stages[..stage.index.min(dockerfile.stages.len())]
        .iter()
        .rev()
        .find(|earlier| earlier.name.as_deref().is_some_and(|name| name.eq_ignore_ascii_case(&image.text)))
}

/// `stage` followed by the stages it builds on, nearest first (FROM chains through stage names).
pub(super) fn stage_chain<'a>(dockerfile: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    let mut current = stage;
    // Parents always come earlier, so the chain ends; the length bound is a second guarantee.
    while let Some(parent) = parent_stage(dockerfile, current) {
        if chain.len() > dockerfile.stages.len() {
            break;
        }
        chain.push(parent);
        current = parent;
    }
    chain
}

/// The stages whose instructions end up in the image a plain `docker build` produces: the last
/// stage and the stages it builds on through `FROM <stage>`. (`--target` can pick another stage;
/// a linter cannot know, so the default build is what counts.)
pub(super) fn shipping_chain(dockerfile: &Dockerfile) -> Vec<&Stage> {
    dockerfile.stages.last().map(|last| stage_chain(dockerfile, last)).unwrap_or_default()
}

/// The image reference of a stage's FROM.
pub(super) fn from_image<'a>(dockerfile: &'a Dockerfile, stage: &Stage) -> Option<&'a ImageRef> {
    match &dockerfile.instructions.get(stage.from)?.kind {
        InstructionKind::From(from) => from.image.as_ref(),
        _ => None,
    }
}

/// Whether a FROM image is something a registry serves: not `scratch`, not an earlier stage, and
/// free of build variables (whose value only the build knows).
pub(super) fn is_registry_image(dockerfile: &Dockerfile, stage: &Stage, image: &ImageRef) -> bool {
    !image.text.contains('$')
        && !image.text.eq_ignore_ascii_case("scratch")
        && parent_stage(dockerfile, stage).is_none()
}

/// The registry host of an image name, as Docker resolves it: the first path component when it
/// looks like a host (has a `.` or `:`, or is `localhost`), otherwise Docker Hub.
pub(super) fn registry_of(name: &str) -> String {
    match name.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => {
            let host = first.to_ascii_lowercase();
            match host.as_str() {
                "index.docker.io" | "registry-1.docker.io" | "registry.hub.docker.com" => "docker.io".to_string(),
                _ => host,
            }
        }
        _ => "docker.io".to_string(),
    }
}

/// The keyword `word` written in the case of `like` (upper, lower, or as given when mixed).
pub(super) fn keyword_in_case_of(word: &str, like: &str) -> String {
    if like == like.to_lowercase() { word.to_lowercase() } else { word.to_uppercase() }
}

/// The instructions of one stage.
pub(super) fn instructions_of<'a>(dockerfile: &'a Dockerfile, stage: &Stage) -> &'a [Instruction] {
    dockerfile.instructions.get(stage.instructions.clone()).unwrap_or_default()
}

/// Whether any instruction of `stage` has this keyword.
pub(super) fn stage_has(dockerfile: &Dockerfile, stage: &Stage, keyword: Keyword) -> bool {
    instructions_of(dockerfile, stage).iter().any(|i| i.is(keyword))
}

/// Each instruction with `keyword` that follows another one in the same stage, paired with the
/// one it overrides (the nearest earlier). Instructions inside ONBUILD do not count.
pub(super) fn repeated_in_stage(dockerfile: &Dockerfile, keyword: Keyword) -> Vec<(&Instruction, &Instruction)> {
    let mut repeats = Vec::new();
    for stage in &dockerfile.stages {
        let mut previous: Option<&Instruction> = None;
        for instruction in instructions_of(dockerfile, stage).iter().filter(|i| i.is(keyword)) {
            if let Some(earlier) = previous {
                repeats.push((earlier, instruction));
            }
            previous = Some(instruction);
        }
    }
    repeats
}

/// The 1-based line number of a byte offset, for messages that point at another instruction.
pub(super) fn line_number(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |before| before.matches('\n').count()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn registries() {
        assert_eq!(registry_of("golang"), "docker.io");
        assert_eq!(registry_of("library/golang"), "docker.io");
        assert_eq!(registry_of("gcr.io/distroless/static"), "gcr.io");
        assert_eq!(registry_of("localhost/app"), "localhost");
        assert_eq!(registry_of("Registry:5000/app"), "registry:5000");
        assert_eq!(registry_of("index.docker.io/library/golang"), "docker.io");
    }

    #[test]
    fn chains_follow_stage_names_without_case() {
        let parse = parse("FROM golang:1.23 AS base\nFROM Base AS build\nFROM alpine:3 AS other\nFROM build\n");
        let dockerfile = parse.dockerfile();
        let indices: Vec<usize> = shipping_chain(dockerfile).iter().map(|s| s.index).collect();
        assert_eq!(indices, [3, 1, 0]);
        assert!(parent_stage(dockerfile, &dockerfile.stages[2]).is_none());
    }
}
