//! WorkdirRelativePath: a relative WORKDIR before any absolute one in the stage.

use super::support::base_chain_root;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, StageBase};

pub(super) static RULE: Rule = Rule {
    code: "WorkdirRelativePath",
    name: "relative-workdir",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the first WORKDIR of a stage when its path is relative and no earlier WORKDIR in the stage
(or in the stage it is built `FROM`) set one. Later relative WORKDIRs are not reported: they are
relative to a directory the Dockerfile chose. A path with variables is checked after expanding
them; when a value is only known at build time (or comes from the base image), it is not reported.

## Why it matters
A relative WORKDIR is resolved against the base image's working directory, which the Dockerfile
does not control: `WORKDIR app` is `/app` on `alpine` but `/go/app` on `golang`, and it moves when
the base image changes its own WORKDIR. BuildKit reports the check as a warning (hadolint's DL3000).

## Example
```dockerfile
FROM nginx AS web
WORKDIR usr/share/nginx/html
COPY public .
```

## Fix
Start the path with `/`: `WORKDIR /usr/share/nginx/html`. The quick fix does this. It is safe in a
stage built on `scratch`, whose working directory is `/`; otherwise it is marked unsafe, because
the base image's working directory may not have been `/`.

## References
- BuildKit build checks: WorkdirRelativePath (https://docs.docker.com/reference/build-checks/workdir-relative-path/)
";

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with(['/', '\\'])
        || (bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'/' | b'\\'))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let scope = context.scope();
    let mut workdir_set = vec![false; dockerfile.stages.len()];
    for stage in &dockerfile.stages {
        let inherited = match scope.stage_base(stage.index) {
            Some(StageBase::Stage(base)) => workdir_set.get(*base).copied().unwrap_or(false),
            _ => false,
        };
        let first = dockerfile.stage_instructions(stage).iter().find_map(|i| match &i.kind {
            InstructionKind::Workdir(Some(word)) => Some(word),
            _ => None,
        });
        workdir_set[stage.index] = inherited || first.is_some();
        let Some(word) = first else { continue };
        if inherited {
            continue;
        }
        let path = if word.value.contains('$') {
            let expansion = scope.expand(&word.text, word.range.start);
            let known = !expansion.malformed && expansion.unknown.is_empty() && expansion.unmatched.is_empty();
            if !known {
                continue;
            }
            expansion.value
        } else {
            word.value.clone()
        };
        if is_absolute(&path) {
            continue;
        }
        let diagnostic = sink.report(
            word.range,
            format!("relative WORKDIR `{path}` depends on the base image's working directory; use an absolute path"),
        );
        let plain = word.text == word.value && word.range.len() == word.text.len() && !word.value.contains('$');
        if plain {
            let absolute = match word.value.trim_start_matches("./") {
                "." | "" => "/".to_string(),
                rest => format!("/{rest}"),
            };
            let safe = base_chain_root(scope, stage.index) == Some(&StageBase::Scratch);
            diagnostic.with_fix(format!("Write `{absolute}`"), word.range, absolute, safe);
        }
    }
}
