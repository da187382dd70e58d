//! DL3022: `COPY --from` naming something that is not an earlier stage.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Dockerfile, InstructionKind, edit_distance};

pub(super) static RULE: Rule = Rule {
    code: "DL3022",
    name: "copy-from-unknown-stage",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `COPY --from=<name>` when `<name>` is not a stage defined earlier in the file: a stage
defined later, a stage index that is not an earlier stage, or a bare name that matches no stage.
Names are compared without case, as BuildKit does. A reference to the instruction's own stage is
DL3023's.

## Why it matters
BuildKit treats an unknown bare name as an image to pull, so a misspelt stage name
(`--from=biuld`) fails late with \"pull access denied\", or worse, copies from an unrelated image
of that name. A reference to a later stage works with BuildKit but reads backwards and fails with
the legacy builder.

gantry differs from hadolint: values that are plainly image references (`--from=golang:1.23`,
`--from=gcr.io/x/y`, with a `:`, `/` or `@`) and values written with a build variable
(`--from=$STAGE`) are not reported, and a misspelt name gets a suggestion.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=biuld /out/app /app
```

## Fix
Name an earlier stage (`--from=build`), or write the image with its tag (`--from=busybox:1.36`)
when an image is meant.

## References
- hadolint rule DL3022 (https://github.com/hadolint/hadolint/wiki/DL3022)
- Dockerfile reference: COPY --from (https://docs.docker.com/reference/dockerfile/#copy---from)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for stage in &dockerfile.stages {
        for instruction in dockerfile.stage_instructions(stage) {
            if !matches!(instruction.kind, InstructionKind::Copy(_)) {
                continue;
            }
            let Some(from) = instruction.flag("from") else { continue };
            let Some(value) = from.value.as_deref() else { continue };
            if let Some(message) = problem(dockerfile, stage.index, value) {
                sink.report(from.value_range.unwrap_or(from.range), message);
            }
        }
    }
}

/// What is wrong with `--from=value` in the stage with index `current`, if anything.
fn problem(dockerfile: &Dockerfile, current: usize, value: &str) -> Option<String> {
    if value.is_empty() || value.contains(['$', ':', '/', '@']) {
        return None;
    }
    if let Ok(index) = value.parse::<usize>() {
        return (index > current).then(|| match dockerfile.stages.get(index) {
            Some(_) => format!("stage {index} comes after this one: copy only from earlier stages"),
            None => format!("there is no stage {index}: the file has {} stages", dockerfile.stages.len()),
        });
    }
    let named = |i: usize| {
        dockerfile.stages.get(i).and_then(|s| s.name.as_deref()).is_some_and(|n| n.eq_ignore_ascii_case(value))
    };
    if (0..=current).any(named) {
        return None;
    }
    if (current + 1..dockerfile.stages.len()).any(named) {
        return Some(format!("stage `{value}` is defined after this one: copy only from earlier stages"));
    }
    let earlier_names =
        || dockerfile.stages[..current.min(dockerfile.stages.len())].iter().filter_map(|s| s.name.as_deref());
    let lower = value.to_lowercase();
    let close = earlier_names()
        .map(|name| (edit_distance(&lower, &name.to_lowercase()), name))
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name);
    // `--from=set` for a stage named `license-set`: a shortened name.
    let extended = || {
        earlier_names().find(|name| {
            let name = name.to_lowercase();
            name.strip_suffix(&lower).is_some_and(|rest| rest.ends_with(['-', '_', '.']))
                || name.strip_prefix(&lower).is_some_and(|rest| rest.starts_with(['-', '_', '.']))
        })
    };
    let closest = close.or_else(extended);
    Some(match closest {
        Some(name) => format!("no earlier stage is named `{value}`; did you mean `{name}`?"),
        None => format!(
            "no earlier stage is named `{value}`: BuildKit will pull an image of that name; add a tag if an image is meant"
        ),
    })
}
