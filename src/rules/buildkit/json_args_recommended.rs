//! JSONArgsRecommended: CMD or ENTRYPOINT in shell form.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, InstructionKind, Keyword};

pub(super) static RULE: Rule = Rule {
    code: "JSONArgsRecommended",
    name: "shell-form-cmd-or-entrypoint",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports CMD and ENTRYPOINT written in shell form (`CMD /app serve`) in a stage that has not set
its own SHELL.

## Why it matters
The shell form runs the command through `/bin/sh -c`. The shell becomes PID 1, so `docker stop`
delivers SIGTERM to the shell rather than to the program, which is then killed after the grace
period instead of shutting down cleanly. Images built `FROM scratch` or on distroless have no
`/bin/sh` at all, and the container fails at start with `exec: \"/bin/sh\": stat /bin/sh: no such
file or directory`. BuildKit reports this check as a warning (hadolint's DL3025).

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
CMD /app serve
```

## Fix
Write the exec form: `CMD [\"/app\", \"serve\"]`. The quick fix does this when the command is a
plain list of words (no variables, quotes, pipes or other shell syntax); it is marked unsafe
because the command then runs without a shell. If the shell is needed on purpose, say so with
`SHELL [\"/bin/sh\", \"-c\"]` in the stage, or write `CMD [\"/bin/sh\", \"-c\", \"…\"]`.

## References
- BuildKit build checks: JSONArgsRecommended (https://docs.docker.com/reference/build-checks/json-args-recommended/)
- Dockerfile reference, shell and exec form (https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
";

/// Characters that make a command depend on a shell.
const SHELL_SYNTAX: &[char] = &['$', '|', '&', ';', '<', '>', '*', '?', '"', '\'', '`', '(', ')', '\\', '~', '#', '{'];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for stage in &dockerfile.stages {
        let mut shell_set = false;
        for instruction in dockerfile.stage_instructions(stage) {
            if instruction.is(Keyword::Shell) {
                shell_set = true;
            }
            let command = match &instruction.kind {
                InstructionKind::Cmd(command) | InstructionKind::Entrypoint(command) => command,
                _ => continue,
            };
            let Command::Shell { range, text } = command else { continue };
            if shell_set {
                continue;
            }
            let keyword = instruction.keyword_text.to_uppercase();
            let diagnostic = sink.report(
                *range,
                format!("{keyword} in shell form: signals go to the shell, not to the program; use the JSON form"),
            );
            if !text.contains(SHELL_SYNTAX) && !text.contains('\n') {
                let words: Vec<String> = text.split_whitespace().map(|w| format!("\"{w}\"")).collect();
                diagnostic.with_fix(
                    "Convert to the JSON (exec) form",
                    *range,
                    format!("[{}]", words.join(", ")),
                    false,
                );
            }
        }
    }
}
