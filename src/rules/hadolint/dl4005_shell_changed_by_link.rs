//! DL4005: RUN replacing `/bin/sh` with a link to another shell instead of using SHELL.

use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Command, InstructionKind};

pub(super) static RULE: Rule = Rule {
    code: "DL4005",
    name: "shell-changed-by-link",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a RUN that links `/bin/sh` to another program (`ln -sf /bin/bash /bin/sh`), in shell
form, exec form or a heredoc body. The command is matched word by word: an `ln` whose last
argument is `/bin/sh`.

## Why it matters
Relinking `/bin/sh` changes the shell of every later RUN, and of every script in the image
that expects a POSIX `sh`, behind the Dockerfile's back. The SHELL instruction changes the
shell of the Dockerfile's own RUN, CMD and ENTRYPOINT instructions, visibly and without
touching the image's system files.

## Example
```dockerfile
FROM debian:12
RUN ln -sf /bin/bash /bin/sh
```

## Fix
Use `SHELL [\"/bin/bash\", \"-c\"]` (adding `-o pipefail` is a good idea) and remove the link.

## References
- hadolint rule DL4005 (https://github.com/hadolint/hadolint/wiki/DL4005)
- Dockerfile reference: SHELL (https://docs.docker.com/reference/dockerfile/#shell)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Run(run) = &instruction.kind else { continue };
        let found = match &run.command {
            Command::Exec { range, args } => {
                let words: Vec<&str> = args.iter().map(|a| a.value.as_str()).collect();
                links_bin_sh(&words).then_some(*range)
            }
            Command::Shell { range, text } => {
                let bodies = instruction.heredocs.iter().filter_map(|h| context.text.get(h.body.as_range()));
                let scripts = std::iter::once(text.as_str()).chain(bodies);
                scripts.flat_map(simple_commands).any(|words| links_bin_sh(&words)).then_some(*range)
            }
            Command::Empty => None,
        };
        if let Some(range) = found {
            sink.report(range, "this RUN relinks /bin/sh: change the shell with the SHELL instruction instead");
        }
    }
}

/// The words of each simple command of a script, split at `&&`, `||`, `;`, `|` and line breaks.
fn simple_commands(script: &str) -> Vec<Vec<&str>> {
    script
        .split(['\n', ';', '|', '&'])
        .map(|part| part.split_whitespace().filter(|w| *w != "\\").collect::<Vec<&str>>())
        .filter(|words| !words.is_empty())
        .collect()
}

/// `ln … /bin/sh`, optionally behind `sudo` or with the full path of `ln`.
fn links_bin_sh(words: &[&str]) -> bool {
    let words = match words.first() {
        Some(&"sudo") => &words[1..],
        _ => words,
    };
    let is_ln = words.first().is_some_and(|w| matches!(*w, "ln" | "/bin/ln" | "/usr/bin/ln"));
    let target = words.last().map(|w| w.trim_matches(['"', '\'']));
    is_ln && words.len() >= 3 && matches!(target, Some("/bin/sh" | "/usr/bin/sh"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(script: &str) -> bool {
        simple_commands(script).iter().any(|words| links_bin_sh(words))
    }

    #[test]
    fn matching() {
        assert!(finds("ln -sf /bin/bash /bin/sh"));
        assert!(finds("apt-get update && ln -s /bin/bash /bin/sh; echo done"));
        assert!(finds("rm /bin/sh && sudo ln -sfv \"/bin/zsh\" /bin/sh"));
        assert!(!finds("ln -s /bin/sh /usr/local/bin/sh2"));
        assert!(!finds("echo ln /bin/bash /bin/sh"));
        assert!(!finds("ls /bin/sh"));
    }
}
