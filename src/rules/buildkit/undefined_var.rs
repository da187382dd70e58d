//! UndefinedVar: a `$NAME` in an instruction BuildKit expands, where no ARG or ENV defines it.

use super::support::{base_chain_root, closest, references_in, source};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{
    Dockerfile, Instruction, InstructionKind, LineIndex, StageBase, TextRange, VariableKind, VariableRef,
    variable_references,
};

pub(super) static RULE: Rule = Rule {
    code: "UndefinedVar",
    name: "undefined-variable",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `$NAME` or `${NAME…}` that no ARG or ENV defines at that point, in the places where
BuildKit itself expands variables: ENV and LABEL (names and values), ARG defaults, COPY and ADD
(sources, destination, `--chown`, ADD's `--checksum`, and unquoted heredoc bodies), WORKDIR, USER,
VOLUME, STOPSIGNAL, EXPOSE and the options of `RUN --mount`. The commands of RUN, CMD and
ENTRYPOINT are not checked: a shell expands them at run time, with its own variables. Scoping
follows BuildKit: a stage sees global ARGs and automatic platform ARGs only after redeclaring them
with `ARG NAME`, sees its own ARG and ENV declarations after they are made, and inherits those of
the stage it is built `FROM`. `PATH` is always defined.

BuildKit also knows the environment of the base image, which gantry cannot read. gantry therefore
reports every undefined name in stages built on `scratch` and on images whose environment it knows
(`alpine`, `busybox`, `debian`, `ubuntu`: only `PATH`; `golang`: also `GOLANG_VERSION`, `GOPATH`,
`GOTOOLCHAIN`; `gcr.io/distroless/*`: also `SSL_CERT_FILE`). On other images it reports a name only
when the mistake is certain or very likely: the name is a global or automatic ARG that the stage
did not redeclare, is declared later in the stage or only in another stage, or is within two edits
of a defined name (a misspelling such as `$PAHT` for `$PATH`). Beyond BuildKit, the defaults of
global ARGs are checked too (they see only earlier global ARGs and the automatic platform ARGs).

## Why it matters
An undefined variable expands to an empty string without any error: `COPY $APP_DIR/config /etc/app`
copies from the context root, `WORKDIR $HOME/app` is `/app`, and `LABEL version=$VERSION` records
nothing because the global ARG was never redeclared in the stage. BuildKit reports the check as a
warning.

## Example
```dockerfile
ARG VERSION=1.4.2
FROM alpine:3.20
LABEL org.opencontainers.image.version=$VERSION
ENV PATH=/app/bin:$PAHT
```

## Fix
Declare the variable where it is used: redeclare a global ARG in the stage with `ARG VERSION`
(the quick fix inserts it after the stage's FROM), declare an ARG or ENV before its use, or correct
the misspelt name (the quick fix offers the suggestion). Both fixes are marked unsafe because the
value the instruction sees changes.

## References
- BuildKit build checks: UndefinedVar (https://docs.docker.com/reference/build-checks/undefined-var/)
- Dockerfile reference, ARG scope (https://docs.docker.com/reference/dockerfile/#scope)
";

/// Build arguments BuildKit reads itself and never reports (they are not set in the environment).
const NOT_IN_ENVIRONMENT: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// The environment of well-known base images besides `PATH`, or `None` when it is not known.
fn known_image_environment(image: &str) -> Option<&'static [&'static str]> {
    let name = image.split('@').next().unwrap_or_default().to_ascii_lowercase();
    let name = match name.rfind(':') {
        Some(colon) if !name[colon..].contains('/') => &name[..colon],
        _ => name.as_str(),
    };
    let name = ["docker.io/library/", "index.docker.io/library/", "docker.io/", "library/"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name);
    match name {
        "alpine" | "busybox" | "debian" | "ubuntu" => Some(&[]),
        "golang" => Some(&["GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"]),
        _ if name.starts_with("gcr.io/distroless/") => Some(&["SSL_CERT_FILE"]),
        _ => None,
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    let text = context.text;
    let scope = context.scope();
    let lines = LineIndex::new(text);
    let line = |offset| lines.line_col(text, offset).line + 1;
    for (index, instruction) in dockerfile.instructions.iter().enumerate() {
        for reference in expanded_references(dockerfile, instruction, text) {
            let name = reference.name.as_str();
            let at = reference.range.start;
            if scope.lookup(at, name).is_some() || NOT_IN_ENVIRONMENT.contains(&name) {
                continue;
            }
            let stage = scope.stage_at(at);
            let environment = match stage {
                None => Some(&[][..]),
                Some(_) if name == "PATH" => continue,
                Some(stage) => match base_chain_root(scope, stage) {
                    Some(StageBase::Scratch) => Some(&[][..]),
                    Some(StageBase::Image(image)) => known_image_environment(image),
                    _ => None,
                },
            };
            if environment.is_some_and(|names| names.contains(&name)) {
                continue;
            }
            // The declaration that best explains the mistake: a global ARG the stage did not
            // redeclare (the usual cause, even for `ENV X=$X`), then one in this scope, then any.
            let declared: Vec<_> = scope.definitions().iter().filter(|d| d.name == name).collect();
            let elsewhere = declared
                .iter()
                .find(|d| d.stage.is_none())
                .or_else(|| declared.iter().find(|d| d.stage == stage))
                .or_else(|| declared.first())
                .copied();
            let mut visible: Vec<&str> = scope.visible_at(at).iter().map(|d| d.name.as_str()).collect();
            if stage.is_some() {
                visible.push("PATH");
                visible.extend(environment.unwrap_or_default());
            }
            let suggestion = closest(name, visible);
            let mut redeclare = false;
            let message = match elsewhere {
                Some(definition) if definition.stage.is_none() && stage.is_some() => {
                    redeclare = true;
                    let what = if definition.kind == VariableKind::Automatic {
                        "an automatic platform ARG"
                    } else {
                        "a global ARG"
                    };
                    format!("`${name}` is {what}, which a stage sees only after redeclaring it with `ARG {name}`")
                }
                Some(definition) if definition.stage == stage && definition.instruction == Some(index) => format!(
                    "`${name}` is set by this same instruction, which expands all its values before setting any"
                ),
                Some(definition) if definition.stage == stage => format!(
                    "`${name}` is used before it is declared on line {}",
                    line(definition.name_range.map_or(0, |r| r.start))
                ),
                Some(definition) => {
                    let stage = definition.stage.and_then(|s| dockerfile.stages.get(s));
                    let stage = stage.map_or("another stage".to_string(), |s| match &s.name {
                        Some(name) => format!("stage `{name}`"),
                        None => format!("stage {}", s.index),
                    });
                    format!(
                        "`${name}` is declared only in {stage}: a stage inherits the variables of the stage it is built FROM, no others"
                    )
                }
                None => match suggestion {
                    Some(suggestion) => format!("`${name}` is not defined (did you mean `${suggestion}`?)"),
                    None if environment.is_some() => {
                        format!("`${name}` is not defined here: declare it with ARG or ENV before using it")
                    }
                    None => continue,
                },
            };
            let diagnostic = sink.report(reference.range, message);
            if redeclare && let Some(stage) = stage.and_then(|s| dockerfile.stages.get(s)) {
                let from = &dockerfile.instructions[stage.from];
                diagnostic.with_fix(
                    format!("Redeclare `ARG {name}` in this stage"),
                    TextRange::empty(from.range.end),
                    format!("\nARG {name}"),
                    false,
                );
            } else if elsewhere.is_none()
                && let Some(suggestion) = suggestion
            {
                diagnostic.with_fix(format!("Use `${suggestion}`"), reference.name_range, suggestion, false);
            }
        }
    }
}

/// The references in the parts of `instruction` that BuildKit expands, with absolute ranges.
fn expanded_references(dockerfile: &Dockerfile, instruction: &Instruction, text: &str) -> Vec<VariableRef> {
    let escape = dockerfile.escape;
    let skip = &instruction.inner_comments;
    let in_range = |range: TextRange| references_in(text, range, escape, skip);
    let mut ranges: Vec<TextRange> = Vec::new();
    let mut references = Vec::new();
    match &instruction.kind {
        InstructionKind::Arg(pairs) => ranges.extend(pairs.iter().filter_map(|p| p.value_range)),
        InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => {
            for pair in pairs {
                ranges.push(pair.key_range);
                ranges.extend(pair.value_range);
            }
        }
        InstructionKind::Copy(copy) | InstructionKind::Add(copy) => {
            ranges.extend(copy.sources.iter().chain(&copy.destination).map(|w| w.range));
            let flags = ["chown", "checksum"];
            ranges.extend(
                instruction
                    .flags
                    .iter()
                    .filter(|f| flags.iter().any(|n| f.name.eq_ignore_ascii_case(n)))
                    .filter_map(|f| f.value_range),
            );
            for heredoc in instruction.heredocs.iter().filter(|h| !h.quoted) {
                // BuildKit expands heredoc bodies without quote processing, so quotes do not protect.
                let body = source(text, heredoc.body).replace('\'', " ");
                references.extend(variable_references(&body, '\\').into_iter().map(|r| VariableRef {
                    range: r.range.shifted(heredoc.body.start),
                    name_range: r.name_range.shifted(heredoc.body.start),
                    ..r
                }));
            }
        }
        InstructionKind::Workdir(Some(word))
        | InstructionKind::User(Some(word))
        | InstructionKind::Stopsignal(Some(word)) => ranges.push(word.range),
        InstructionKind::Volume(words) | InstructionKind::Expose(words) => ranges.extend(words.iter().map(|w| w.range)),
        InstructionKind::Run(run) => {
            ranges.extend(run.mounts.iter().flat_map(|m| &m.options).filter_map(|o| o.value_range));
        }
        _ => {}
    }
    for range in ranges {
        references.extend(in_range(range));
    }
    references
}
