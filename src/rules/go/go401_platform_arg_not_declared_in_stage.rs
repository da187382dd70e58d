//! GO401: `$TARGETARCH` (or another platform ARG) used in a Go stage that does not declare it.

use super::go4xx_support::{declared_in_stage, insert_args, is_go_stage, script_sets};
use crate::build::GO_ENV;
use crate::rules::{Context, Fix, Rule, Severity, Sink};
use crate::syntax::{
    AUTOMATIC_PLATFORM_ARGS, InstructionKind, ScriptOrigin, ShellScript, TextRange, VariableRef, variable_references,
};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO401",
    name: "platform-arg-not-declared-in-stage",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `$TARGETARCH`, `$TARGETOS`, `$TARGETPLATFORM`, `$TARGETVARIANT` and the `BUILD…`
platform ARGs used in a RUN, or in an ENV that sets a Go variable (`ENV GOARCH=$TARGETARCH`), of a
Go stage (one on a `golang` image or running `go`) that never declares them with `ARG`.

## Why it matters
BuildKit defines the platform ARGs in the global scope only. A stage sees them after `ARG TARGETARCH`
and not before; without it the RUN's shell expands `$TARGETARCH` to an empty string. An empty
`GOARCH` (or `GOOS`) means the machine running the build, so a builder on `--platform=$BUILDPLATFORM`
puts an amd64 program into the arm64 image, which then fails at start with

```text
exec /app: exec format error
```

Nothing fails during the build, and the Go build ID is the same for every platform.

The rule reports the RUN commands (which BuildKit's own UndefinedVar check does not look at) and ENV
values of Go variables. A script that assigns the variable itself (`TARGETARCH=$(uname -m)`) is not
reported, and neither are stages that do not build Go (a stage that downloads a release archive).

## Example
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```

## Fix
Declare the platform ARGs the stage uses right after its FROM: `ARG TARGETOS TARGETARCH`. The quick
fix inserts that line with the names the stage uses; it is safe, since the values are the ones the
build meant to pass.

## References
- Docker documentation, build variables and their scope: https://docs.docker.com/build/building/variables/
- Docker documentation, multi-platform builds (cross-compiling a Go program): https://docs.docker.com/build/building/multi-platform/
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let dockerfile = context.dockerfile;
    let build = context.build();
    let scope = context.scope();
    for stage in build.stages.iter().filter(|s| is_go_stage(s)) {
        let Some(syntax_stage) = dockerfile.stages.get(stage.index) else { continue };
        let mut found: Vec<VariableRef> = Vec::new();
        for index in syntax_stage.instructions.clone().skip(1) {
            let instruction = &dockerfile.instructions[index];
            let candidates: Vec<VariableRef> = match &instruction.kind {
                InstructionKind::Run(_) => {
                    let Some(script) = context.shell(index) else { continue };
                    let script_text = context.text.get(script.range.as_range()).unwrap_or_default();
                    run_references(context.text, script, &instruction.inner_comments, instruction)
                        .into_iter()
                        .filter(|r| !script_sets(script, &r.name) && !loop_variable(script_text, &r.name))
                        .collect()
                }
                InstructionKind::Env(pairs) => pairs
                    .iter()
                    .filter(|pair| GO_ENV.contains(&pair.key.as_str()))
                    .filter_map(|pair| pair.value_range)
                    .flat_map(|range| references_in(context.text, range, &[]))
                    .collect(),
                _ => continue,
            };
            found.extend(candidates.into_iter().filter(|r| {
                AUTOMATIC_PLATFORM_ARGS.contains(&r.name.as_str()) && !declared_in_stage(scope, r.range.start, &r.name)
            }));
        }
        if found.is_empty() {
            continue;
        }
        let names: Vec<&str> =
            AUTOMATIC_PLATFORM_ARGS.iter().copied().filter(|name| found.iter().any(|r| r.name == *name)).collect();
        let edit = insert_args(dockerfile, stage.index, &names);
        for reference in found {
            let name = &reference.name;
            let consequence = if name.starts_with("TARGET") {
                ", so Go builds for the machine running the build instead of the target platform"
            } else {
                ""
            };
            let diagnostic = sink.report(
                reference.range,
                format!(
                    "`${name}` is empty here: platform ARGs are visible only in stages that declare them, and this \
                     stage has no `ARG {name}`{consequence}"
                ),
            );
            if let Some(edit) = &edit {
                diagnostic.fixes.push(Fix {
                    title: format!("Declare `ARG {}` after the FROM", names.join(" ")),
                    edits: vec![edit.clone()],
                    safe: true,
                });
            }
        }
    }
}

/// The variable references the RUN's shell expands: the script, minus comment lines inside the
/// instruction and the bodies of quoted heredocs fed to commands as data.
fn run_references(
    text: &str,
    script: &ShellScript,
    comments: &[TextRange],
    instruction: &crate::syntax::Instruction,
) -> Vec<VariableRef> {
    let mut skip: Vec<TextRange> = comments.to_vec();
    if script.origin == ScriptOrigin::ShellForm {
        skip.extend(instruction.heredocs.iter().filter(|h| h.quoted).map(|h| h.body));
    }
    references_in(text, script.range, &skip)
}

/// References in `range` of `text`, with absolute ranges, ignoring the parts in `skip`.
fn references_in(text: &str, range: TextRange, skip: &[TextRange]) -> Vec<VariableRef> {
    let Some(slice) = text.get(range.as_range()) else { return Vec::new() };
    // Blank the skipped parts byte for byte so that offsets stay valid.
    let mut bytes = slice.as_bytes().to_vec();
    for part in skip {
        let start = part.start.clamp(range.start, range.end) - range.start;
        let end = part.end.clamp(range.start, range.end) - range.start;
        for byte in &mut bytes[start..end] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    let blanked = String::from_utf8_lossy(&bytes);
    variable_references(&blanked, '\\')
        .into_iter()
        .map(|r| VariableRef {
            range: r.range.shifted(range.start),
            name_range: r.name_range.shifted(range.start),
            ..r
        })
        .collect()
}

/// `for NAME in …` or `for NAME;` in the script: the loop sets the variable.
fn loop_variable(script: &str, name: &str) -> bool {
    script.match_indices("for ").any(|(at, _)| {
        let rest = script[at + 4..].trim_start();
        rest.strip_prefix(name).is_some_and(|after| {
            after.starts_with(';') || after.trim_start().starts_with("in ") || after.trim_start().starts_with("in\n")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::loop_variable;

    #[test]
    fn loop_variables_are_assignments() {
        assert!(loop_variable("for TARGETARCH in amd64 arm64; do echo $TARGETARCH; done", "TARGETARCH"));
        assert!(!loop_variable("for ARCH in amd64; do echo $TARGETARCH; done", "TARGETARCH"));
        assert!(!loop_variable("echo $TARGETARCH", "TARGETARCH"));
    }
}
