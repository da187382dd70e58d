//! DL3025: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form, hadolint's way (whatever the stage's SHELL).

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, Healthcheck, InstructionKind};

pub(super) static RULE: Rule = Rule {
    code: "DL3025",
    name: "shell-form-command-any-shell",
    default_severity: Severity::Warning,
    // BuildKit's JSONArgsRecommended reports the same problem; one finding per problem by default.
    default_enabled: false,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports every CMD, ENTRYPOINT and HEALTHCHECK CMD written in shell form (`CMD /app serve`), also
in stages that set their own SHELL.

## Why it matters
The shell form runs the command through `/bin/sh -c`: the shell is PID 1 and receives
`docker stop`'s SIGTERM instead of the program, and images without a shell (scratch,
distroless) cannot start at all, or fail every health check.

This is hadolint's DL3025, **off by default** in gantry. BuildKit's JSONArgsRecommended is the
default check for the same problem; it stays quiet in a stage with an explicit SHELL, where the
shell form is a deliberate choice, and does not look at HEALTHCHECK. Enable DL3025 instead (and
ignore JSONArgsRecommended) to keep hadolint's stricter behaviour and codes; enabling both gives
two findings per CMD or ENTRYPOINT.

## Example
```dockerfile
FROM gcr.io/distroless/static-debian12
CMD /app serve
```

## Fix
Write the exec form: `CMD [\"/app\", \"serve\"]`. The quick fix does this when the command is a
plain list of words; it is unsafe because the command then runs without a shell.

## References
- hadolint rule DL3025 (https://github.com/hadolint/hadolint/wiki/DL3025)
- BuildKit build checks: JSONArgsRecommended (https://docs.docker.com/reference/build-checks/json-args-recommended/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let (keyword, range, text) = match &instruction.kind {
            InstructionKind::Cmd(Command::Shell { range, text })
            | InstructionKind::Entrypoint(Command::Shell { range, text }) => {
                (instruction.keyword_text.to_uppercase(), range, text)
            }
            InstructionKind::Healthcheck(Healthcheck { cmd: Some((_, Command::Shell { range, text })), .. }) => {
                ("HEALTHCHECK CMD".to_string(), range, text)
            }
            _ => continue,
        };
        let diagnostic = sink.report(*range, format!("{keyword} in shell form: use the JSON (exec) form"));
        if let Some(exec) = exec_form(text) {
            diagnostic.with_fix("Convert to the JSON (exec) form", *range, exec, false);
        }
    }
}

/// The exec form of a one-line command made only of plain words (nothing a shell would interpret).
fn exec_form(text: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || text.contains('\n') || !words.iter().all(|w| w.chars().all(plain)) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}
