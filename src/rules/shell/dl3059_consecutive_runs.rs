//! DL3059: consecutive one-command RUN instructions that could be one.

use super::support::{run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Instruction, Nesting, ShellScript, SimpleCommand};

pub(super) static RULE: Rule = Rule {
    code: "DL3059",
    name: "consecutive-run-instructions",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that directly follows another RUN of the same stage when each runs a single
command (commands inside `if`, loops and subshells count, those in `$(…)` do not) and both have
the same flags (`--mount`, `--network`, …). RUNs that already chain
commands are taken as deliberately split, as hadolint does. Builder stages used only through
`COPY --from` are skipped: their layer count does not reach the image (hadolint reports them,
typically on a deliberate `RUN go mod download` / `RUN go build` split).

## Why it matters
Every RUN adds a layer. Files deleted by a later RUN still take space in the earlier layer, and
many small layers make pulls slower.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
```

## Fix
Join them with `&&` (and a line continuation) into one RUN, or use a heredoc:
`RUN <<EOF` with one command per line.

## References
- hadolint rule DL3059 (https://github.com/hadolint/hadolint/wiki/DL3059)
- Docker build best practices: minimize the number of layers (https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    let mut previous: Option<(usize, &Instruction, &ShellScript)> = None;
    for run in run_scripts(context) {
        let current = (run.index, run.instruction, run.script);
        let follows = previous.is_some_and(|(index, instruction, script)| {
            index + 1 == run.index
                && same_flags(context.text, instruction, run.instruction)
                && single_command(script)
                && single_command(run.script)
        });
        previous = Some(current);
        if follows && ships(shipping, &run) && run.instruction.keyword.is_some() {
            sink.report(
                run.instruction.keyword_range,
                "this RUN and the one before each run one command: join them with `&&` to save a layer",
            );
        }
    }
}

/// One command, counting those inside `if`, loops and subshells but not substitutions.
fn single_command(script: &ShellScript) -> bool {
    let substituted =
        |c: &&SimpleCommand| c.within(Nesting::CommandSubstitution) || c.within(Nesting::ProcessSubstitution);
    script.commands.iter().filter(|c| !substituted(c)).count() <= 1
}

fn same_flags(text: &str, a: &Instruction, b: &Instruction) -> bool {
    let flags = |i: &Instruction| -> Vec<String> {
        i.flags.iter().map(|f| text.get(f.range.as_range()).unwrap_or("").to_string()).collect()
    };
    flags(a) == flags(b)
}
