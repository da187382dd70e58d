//! DL4006: a pipe in RUN whose failures the shell would ignore.

use super::support::{RunScript, base_image, run_scripts, shell_in_effect};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, Connector, InstructionKind, ScriptOrigin, ShellScript, SimpleCommand, TextRange};

pub(super) static RULE: Rule = Rule {
    code: "DL4006",
    name: "pipe-without-pipefail",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN with a pipe (`curl … | tar x`) when nothing makes the shell fail on a failure before
the last command of the pipe. Any of these counts: a `SHELL` with `-o pipefail` in the stage or in
the stage it is built `FROM` (hadolint does not follow `FROM <stage>`); `set -o pipefail` (or
`set -euo pipefail`) earlier in the same script (hadolint ignores it); `-o pipefail` in the exec
form (`RUN [\"bash\", \"-o\", \"pipefail\", \"-c\", \"…\"]`). A pipe whose feeding command cannot
fail in a way that matters (`echo`, `printf`, `yes`, `true`) is not reported, nor one that feeds a
command that may stop reading early (`grep -q`, `grep -m`, `grep -l`, `head`): there `pipefail`
would turn the feeding command's SIGPIPE into a failure. Stages running
PowerShell or cmd are not checked.

## Why it matters
A shell reports the status of the last command of a pipe only. `curl -fsSL $URL | tar -xz` succeeds
when the download fails and `tar` happily reads nothing, so the build goes on without the tool, or
with half of it, and fails later in a confusing way, or not at all.

## Example
```dockerfile
FROM debian:12-slim
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
```

## Fix
In images with bash (Debian, Ubuntu and the images built on them, such as `golang`), put
`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN. On Alpine and BusyBox, whose
`/bin/sh` (ash) knows `pipefail`, start the script with `set -o pipefail &&`, or use
`SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]`. Debian's `/bin/sh` is dash, and older dash
releases reject `set -o pipefail`, which is why the bash `SHELL` is offered there. The quick fix
picks one of the two from the stage's base image and is marked unsafe (it changes the shell, or
makes a missing `pipefail` option fail the build); for other base images it offers nothing.

## References
- hadolint rule DL4006 (https://github.com/hadolint/hadolint/wiki/DL4006)
- Dockerfile reference: the `SHELL` instruction (https://docs.docker.com/reference/dockerfile/#shell)
";

/// Commands whose output feeds a pipe without any failure worth catching.
const HARMLESS_PRODUCERS: &[&str] = &["echo", "printf", "yes", "true"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    let dockerfile = context.dockerfile;
    for run in run_scripts(context) {
        if pipefail_outside_script(context, &run) {
            continue;
        }
        let Some((producer, consumer)) = first_unguarded_pipe(run.script) else { continue };
        let name = producer.name.as_ref().map_or("the first command", |n| n.text.as_str());
        let diagnostic = sink.report(
            producer.range.cover(consumer.range),
            format!("if `{name}` fails, this pipe still succeeds and the build goes on: set `-o pipefail`"),
        );
        let image = base_image(dockerfile, run.index).unwrap_or("").to_ascii_lowercase();
        let family = image.rsplit('/').next().unwrap_or("").split([':', '@']).next().unwrap_or("");
        if run.script.origin != ScriptOrigin::ShellForm || run.script.range.is_empty() {
            continue;
        }
        if family.contains("alpine") || family.contains("busybox") || image.contains("-alpine") {
            diagnostic.with_fix(
                "Start the script with `set -o pipefail`",
                TextRange::empty(run.script.range.start),
                "set -o pipefail && ",
                false,
            );
        } else if BASH_FAMILIES.contains(&family) && !image.contains("alpine") {
            let indent_start = line_start(context.text, run.instruction.range.start);
            let indent = context.text.get(indent_start..run.instruction.range.start).unwrap_or("");
            let indent: String = indent.chars().take_while(|c| c.is_whitespace()).collect();
            diagnostic.with_fix(
                "Run this stage's shell commands with bash -o pipefail",
                TextRange::empty(run.instruction.range.start),
                format!("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n{indent}"),
                false,
            );
        }
    }
}

/// Base images (Debian and Ubuntu and the official images built on them) that have bash.
const BASH_FAMILIES: &[&str] = &[
    "debian",
    "ubuntu",
    "golang",
    "buildpack-deps",
    "python",
    "node",
    "ruby",
    "rust",
    "gcc",
    "openjdk",
    "eclipse-temurin",
    "maven",
    "gradle",
    "php",
    "perl",
];

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1)
}

/// `-o pipefail` among shell options: `-o pipefail`, `-eo pipefail`, `-euxo pipefail`.
fn sets_pipefail<'w>(words: impl IntoIterator<Item = &'w str>) -> bool {
    let mut previous_takes_option = false;
    for word in words {
        if previous_takes_option && word == "pipefail" {
            return true;
        }
        previous_takes_option =
            word == "-o" || (word.starts_with('-') && !word.starts_with("--") && word.ends_with('o'));
    }
    false
}

/// pipefail set by the `SHELL` in effect, the exec form's arguments or a `#!` line.
fn pipefail_outside_script(context: &Context<'_>, run: &RunScript<'_>) -> bool {
    let command = match &run.instruction.kind {
        InstructionKind::Run(run) => Some(&run.command),
        InstructionKind::Onbuild(Some(trigger)) => match &trigger.kind {
            InstructionKind::Run(run) => Some(&run.command),
            _ => None,
        },
        _ => None,
    };
    match (run.script.origin, command) {
        (ScriptOrigin::ExecForm, Some(Command::Exec { args, .. })) => {
            sets_pipefail(args.iter().map(|a| a.value.as_str()))
        }
        (ScriptOrigin::Heredoc, _) => {
            let first_line = context.text.get(run.script.range.as_range()).and_then(|t| t.lines().next()).unwrap_or("");
            (first_line.starts_with("#!") && sets_pipefail(first_line.split_whitespace()))
                || shell_sets_pipefail(context, run)
        }
        _ => shell_sets_pipefail(context, run),
    }
}

fn shell_sets_pipefail(context: &Context<'_>, run: &RunScript<'_>) -> bool {
    shell_in_effect(context.dockerfile, run.index)
        .is_some_and(|words| sets_pipefail(words.iter().map(|w| w.value.as_str())))
}

/// `grep -q`, `grep -m N`, `head`: they may exit before the feeding command is done, which then
/// dies of SIGPIPE; under pipefail that failure would fail the pipe, so pipefail is no cure there.
fn stops_reading_early(consumer: &SimpleCommand) -> bool {
    if consumer.is("head") {
        return true;
    }
    consumer.is("grep")
        && consumer.args.iter().any(|a| {
            let v = a.value.as_str();
            matches!(v, "--quiet" | "--silent" | "--files-with-matches")
                || v.starts_with("--max-count")
                || (v.starts_with('-') && !v.starts_with("--") && v.contains(['q', 'm', 'l']))
        })
}

/// The first pipe whose feeding command can fail, unless `set -o pipefail` ran before it.
fn first_unguarded_pipe(script: &ShellScript) -> Option<(&SimpleCommand, &SimpleCommand)> {
    let commands = &script.commands;
    for (at, consumer) in commands.iter().enumerate().filter(|(_, c)| c.connector == Connector::Pipe) {
        let producer = commands[..at].iter().rev().find(|c| c.enclosing == consumer.enclosing)?;
        if producer.program().is_some_and(|p| HARMLESS_PRODUCERS.contains(&p)) || stops_reading_early(consumer) {
            continue;
        }
        let guarded = commands[..at].iter().any(|c| {
            c.is("set")
                && consumer.enclosing.starts_with(&c.enclosing)
                && sets_pipefail(c.args.iter().map(|a| a.value.as_str()))
        });
        if guarded {
            return None;
        }
        return Some((producer, consumer));
    }
    None
}
