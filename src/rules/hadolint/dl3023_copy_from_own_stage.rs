//! DL3023: `COPY --from` naming the stage the COPY is in.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::InstructionKind;

pub(super) static RULE: Rule = Rule {
    code: "DL3023",
    name: "copy-from-own-stage",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `COPY --from=<stage>` inside that same stage, by name (compared without case, as BuildKit
does) or by index.

## Why it matters
A stage cannot copy from itself: its result does not exist yet while it is being built.
BuildKit stops with a circular dependency error. The author usually meant another stage, or a
plain COPY from the build context.

## Example
```dockerfile
FROM golang:1.23 AS build
COPY --from=build /src/go.mod /go.mod
```

## Fix
Name the stage that produces the files, or drop `--from` to copy from the build context.

## References
- hadolint rule DL3023 (https://github.com/hadolint/hadolint/wiki/DL3023)
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
            let by_name = stage.name.as_deref().is_some_and(|name| name.eq_ignore_ascii_case(value));
            let by_index = value.parse::<usize>().is_ok_and(|index| index == stage.index);
            if by_name || by_index {
                sink.report(
                    from.value_range.unwrap_or(from.range),
                    format!("`{value}` is the stage this COPY is in: a stage cannot copy from itself"),
                );
            }
        }
    }
}
