//! GO505: a shell-form RUN, CMD, ENTRYPOINT or HEALTHCHECK in an image that has no `/bin/sh`.

use super::go4xx_support::chain;
use crate::build::{Build, CopySource, Stage};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, InstructionKind, Keyword};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO505",
    name: "shell-form-without-shell",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports instructions in shell form where the image has no shell: a `RUN` in a stage built on
`scratch` or a distroless image without a shell (any tag but `debug`), and `CMD`, `ENTRYPOINT` and
`HEALTHCHECK CMD` of the final stage on such an image.

## Why it matters
The shell form runs `/bin/sh -c \"<command>\"`. Without `/bin/sh` the RUN fails the build and the
container fails to start:

```text
exec: \"/bin/sh\": stat /bin/sh: no such file or directory
```

A shell-form HEALTHCHECK never succeeds, so the container stays unhealthy. A shell-form CMD after an
exec-form ENTRYPOINT does not fail this way: the program receives `/bin/sh`, `-c` and the command as
its arguments, which is just as wrong.

Nothing is reported when the stage copies a shell in (a COPY to `/bin/sh` or `/bin`, a whole file
system copied from another stage or image), sets its own `SHELL`, or is built on an image whose
contents gantry does not know.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
ENTRYPOINT /app --config /etc/app.yaml
```

## Fix
Use the exec form: `ENTRYPOINT [\"/app\", \"--config\", \"/etc/app.yaml\"]`. The quick fix rewrites a CMD,
ENTRYPOINT or HEALTHCHECK made of plain words (no variables, quotes or shell operators); it is safe
here because the shell form cannot run at all. A RUN gets no fix: an image without a shell rarely
has the program it runs either; do that work in a builder stage and copy the result. Commands that need a shell need an image with one (distroless
`:debug`, or busybox).

## References
- Distroless images (entrypoints must use the vector form): https://github.com/GoogleContainerTools/distroless
- Dockerfile reference, shell and exec form: https://docs.docker.com/reference/dockerfile/#shell-and-exec-form
";

/// Characters that make a command depend on a shell.
const SHELL_SYNTAX: &[char] =
    &['$', '|', '&', ';', '<', '>', '*', '?', '"', '\'', '`', '(', ')', '\\', '~', '#', '{', '='];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(_) = context.go else { return };
    let build = context.build();
    let last = build.stages.len().checked_sub(1);
    for stage in &build.stages {
        if stage.runtime.has_shell != Some(false) {
            continue;
        }
        let is_final = Some(stage.index) == last;
        if !is_final && !stage.used_by_later_stages {
            continue;
        }
        let Some(syntax_stage) = context.dockerfile.stages.get(stage.index) else { continue };
        let mut entrypoint_exec = chain_entrypoint_is_exec(context, build, stage, syntax_stage.instructions.start);
        for index in syntax_stage.instructions.clone().skip(1) {
            let instruction = &context.dockerfile.instructions[index];
            if shell_available(context, build, stage, index) {
                break;
            }
            let (command, keyword) = match &instruction.kind {
                InstructionKind::Run(run) => (&run.command, "RUN"),
                InstructionKind::Entrypoint(command) => {
                    entrypoint_exec = matches!(command, Command::Exec { .. });
                    if !is_final {
                        continue;
                    }
                    (command, "ENTRYPOINT")
                }
                InstructionKind::Cmd(command) if is_final => (command, "CMD"),
                InstructionKind::Healthcheck(healthcheck) if is_final => match &healthcheck.cmd {
                    Some((_, command)) => (command, "HEALTHCHECK CMD"),
                    None => continue,
                },
                _ => continue,
            };
            let Command::Shell { range, text } = command else { continue };
            let image = stage.image_text.as_ref().map_or("this image".to_string(), |(text, _)| format!("`{text}`"));
            let root_image = chain(build, stage.index)
                .first()
                .and_then(|s| s.image_text.as_ref())
                .map_or(image, |(text, _)| format!("`{text}`"));
            let message = match keyword {
                "RUN" => format!(
                    "{root_image} has no /bin/sh, so this shell-form RUN fails the build: `exec: \"/bin/sh\": stat /bin/sh: no such file or directory`"
                ),
                "CMD" if entrypoint_exec => format!(
                    "{root_image} has no shell and the ENTRYPOINT is in exec form: the program gets `/bin/sh -c …` as \
                     its arguments; write CMD in exec form"
                ),
                "HEALTHCHECK CMD" => format!(
                    "{root_image} has no /bin/sh, so this shell-form health check can never pass; write it in exec form"
                ),
                _ => format!(
                    "{root_image} has no /bin/sh, so the container fails to start with `exec: \"/bin/sh\": stat \
                     /bin/sh: no such file or directory`; write {keyword} in exec form"
                ),
            };
            let diagnostic = sink.report(*range, message);
            // A RUN needs its program in the image too, which a shell-less image rarely has: no fix.
            if keyword != "RUN"
                && let Some(exec) = exec_form(text)
            {
                diagnostic.with_fix("Use the exec form", *range, exec, true);
            }
        }
    }
}

/// `["word", …]` for a command of plain words on one line.
fn exec_form(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() || text.contains(SHELL_SYNTAX) || text.contains('\n') {
        return None;
    }
    let words: Vec<String> = text.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", words.join(", ")))
}

/// Whether the ENTRYPOINT in effect when the stage starts (from the stages it is built on) is in
/// exec form.
fn chain_entrypoint_is_exec(context: &Context<'_>, build: &Build, stage: &Stage, before: usize) -> bool {
    let mut exec = false;
    for member in chain(build, stage.index) {
        let Some(syntax_stage) = context.dockerfile.stages.get(member.index) else { continue };
        for at in syntax_stage.instructions.clone().filter(|at| member.index != stage.index || *at < before) {
            if let InstructionKind::Entrypoint(command) = &context.dockerfile.instructions[at].kind {
                exec = matches!(command, Command::Exec { .. });
            }
        }
    }
    exec
}

/// Before `index`, the stage (or one it is built on) brought a shell in or named its own: a SHELL
/// instruction, a COPY into `/bin` or `/bin/sh`, or a whole file system copied to `/`.
fn shell_available(context: &Context<'_>, build: &Build, stage: &Stage, index: usize) -> bool {
    let shell_set = chain(build, stage.index).iter().any(|member| {
        context.dockerfile.stages.get(member.index).is_some_and(|s| {
            s.instructions.clone().any(|at| {
                (member.index != stage.index || at < index) && context.dockerfile.instructions[at].is(Keyword::Shell)
            })
        })
    });
    let copied = build.copies_before(stage.index, index).iter().any(|copy| {
        let into_bin = matches!(copy.destination.as_str(), "/" | "/bin" | "/bin/sh" | "/usr/bin" | "/busybox");
        let shell_source = copy.sources.iter().any(|(source, _)| {
            source.as_deref().is_none_or(|s| {
                let name = s.rsplit('/').next().unwrap_or(s);
                matches!(name, "sh" | "bash" | "busybox" | "ash" | "dash" | "")
            })
        });
        into_bin && (copy.source != CopySource::Context || shell_source)
    });
    shell_set || copied
}
