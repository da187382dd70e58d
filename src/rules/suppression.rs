//! Suppression comments: the findings a Dockerfile silences itself, in every dialect users already write.
//!
//! Recognised forms (each `#` comment outside an instruction):
//! - `# gantry: ignore=CODE[,CODE]` (the next instruction; without `=…`, every code) and
//!   `# gantry: ignore-file=CODE[,CODE]` (the whole file);
//! - hadolint's `# hadolint ignore=…` (next instruction), `# hadolint global ignore=…` (the file),
//!   `# hadolint stage ignore=…` (the stage whose FROM follows) and `# hadolint shell=<non-POSIX shell>`
//!   (turns the shell rules off);
//! - BuildKit's `# check=skip=…;error=…;experimental=…` parser directive (the file) and the same
//!   comment directly above an instruction (that instruction only);
//! - the dockerfile-language-server's `# dockerfile-utils: ignore` (every finding on the next instruction).
//!
//! "The next instruction" is the first instruction after the comment, so a reason may sit on its own
//! comment line between the two. Unknown codes are reported (with a suggestion), never silently kept.

use super::config::check_code;
use super::registry::silences;
use super::{ConfigProblem, Diagnostic, Severity, is_buildkit_check, is_shell_rule};
use crate::syntax::{Dockerfile, InstructionKind, TextRange};

/// The code of the finding that reports a problem in a suppression comment.
pub const SUPPRESSION_PROBLEM_CODE: &str = "gantry/invalid-suppression";

/// What one comment silences.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Codes {
    All,
    Some(Vec<String>),
}

impl Codes {
    fn covers(&self, code: &str) -> bool {
        match self {
            Codes::All => true,
            Codes::Some(codes) => codes.iter().any(|named| silences(named, code)),
        }
    }
}

/// Where a suppression applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    File,
    /// Index into `Dockerfile::instructions`.
    Instruction(usize),
    /// Index into `Dockerfile::stages`.
    Stage(usize),
}

/// The suppressions of one Dockerfile.
#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<(Scope, Codes)>,
    /// `# check=error=true`: BuildKit's checks become errors.
    pub buildkit_errors: bool,
    /// `# check=experimental=…`: off-by-default BuildKit checks that run anyway.
    experimental: Option<Codes>,
    /// Problems found in the comments themselves.
    pub problems: Vec<ConfigProblem>,
}

impl Suppressions {
    /// Reads every suppression comment and the `check` directive of `dockerfile`.
    pub fn read(dockerfile: &Dockerfile, text: &str) -> Suppressions {
        let mut suppressions = Suppressions::default();
        if let Some(directive) = dockerfile.directive("check") {
            suppressions.read_check_options(&directive.value, directive.value_range.start, Scope::File, true);
        }
        for &comment in &dockerfile.comments {
            let Some(line) = text.get(comment.as_range()) else { continue };
            if dockerfile.directives.iter().any(|d| d.range.contains_range(comment)) {
                continue;
            }
            suppressions.read_comment(dockerfile, line, comment.start);
        }
        suppressions
    }

    /// Whether a finding of `code` at `range` is silenced.
    pub fn silences(&self, dockerfile: &Dockerfile, code: &str, range: TextRange) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        // Instructions and stages are in source order and do not overlap: binary searches keep
        // this linear in the number of findings on large files.
        let instructions = &dockerfile.instructions;
        let candidate = instructions.partition_point(|i| i.range.end < range.start);
        let instruction = instructions.get(candidate).filter(|i| i.range.touches(range.start)).map(|_| candidate);
        let stage = instruction.and_then(|i| {
            let stage = dockerfile.stages.partition_point(|s| s.instructions.end <= i);
            dockerfile.stages.get(stage).filter(|s| s.instructions.contains(&i)).map(|_| stage)
        });
        self.entries.iter().any(|(scope, codes)| {
            let applies = match *scope {
                Scope::File => true,
                Scope::Instruction(index) => instruction == Some(index),
                Scope::Stage(index) => stage == Some(index),
            };
            applies && codes.covers(code)
        })
    }

    /// Whether an off-by-default BuildKit check was turned on with `# check=experimental=…`.
    pub fn enables_experimental(&self, code: &str) -> bool {
        is_buildkit_check(code) && self.experimental.as_ref().is_some_and(|codes| codes.covers(code))
    }

    /// The problems as diagnostics.
    pub fn problem_diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.problems.iter().map(|problem| Diagnostic {
            code: SUPPRESSION_PROBLEM_CODE.to_string(),
            severity: Severity::Warning,
            range: problem.range,
            message: problem.message.clone(),
            fixes: Vec::new(),
            related: Vec::new(),
        })
    }

    fn read_comment(&mut self, dockerfile: &Dockerfile, line: &str, offset: usize) {
        let Some(body_start) = line.find('#').map(|i| i + 1) else { return };
        let body = &line[body_start..];
        let trimmed = body.trim_start();
        let at = offset + body_start + (body.len() - trimmed.len());
        // The first instruction at or after the comment (instructions are in source order).
        let first_after = dockerfile.instructions.partition_point(|i| i.range.start < offset);
        let next_instruction = (first_after < dockerfile.instructions.len()).then_some(first_after);
        let next = || next_instruction.map_or(Scope::File, Scope::Instruction);
        if let Some(rest) = strip_prefix_ignore_case(trimmed, "gantry:") {
            let rest_at = at + (trimmed.len() - rest.len());
            let spaced = rest.trim_start();
            let word_at = rest_at + (rest.len() - spaced.len());
            if let Some(list) = spaced.strip_prefix("ignore-file=") {
                self.add_list(Scope::File, list, word_at + "ignore-file=".len());
            } else if let Some(list) = spaced.strip_prefix("ignore=") {
                self.add_list(next(), list, word_at + "ignore=".len());
            } else if spaced.split_whitespace().next() == Some("ignore") {
                self.entries.push((next(), Codes::All));
            } else {
                let end = spaced.find(char::is_whitespace).unwrap_or(spaced.len());
                self.problems.push(ConfigProblem {
                    range: TextRange::new(word_at, word_at + end),
                    message: "gantry comments take `ignore=CODE[,CODE]` or `ignore-file=CODE[,CODE]`".to_string(),
                });
            }
        } else if let Some(rest) = strip_prefix_ignore_case(trimmed, "hadolint ") {
            let rest_at = at + (trimmed.len() - rest.len());
            let spaced = rest.trim_start();
            let word_at = rest_at + (rest.len() - spaced.len());
            let forms: [(&str, Scope); 3] = [
                ("global ignore=", Scope::File),
                ("stage ignore=", next_stage(dockerfile, next_instruction)),
                ("ignore=", next()),
            ];
            if let Some((prefix, scope)) = forms.iter().find(|(prefix, _)| spaced.starts_with(prefix)) {
                self.add_list(*scope, &spaced[prefix.len()..], word_at + prefix.len());
            } else if let Some(shell) = spaced.strip_prefix("shell=") {
                let shell = shell.split_whitespace().next().unwrap_or_default();
                if !matches!(shell, "sh" | "bash" | "/bin/sh" | "/bin/bash" | "dash" | "ash" | "zsh") {
                    self.entries.push((Scope::File, Codes::Some(shell_rule_codes())));
                }
            }
        } else if let Some(options) = trimmed.strip_prefix("check=") {
            if let Some(Scope::Instruction(index)) = next_instruction.map(Scope::Instruction) {
                self.read_check_options(options, at + "check=".len(), Scope::Instruction(index), false);
            }
        } else if let Some(rest) = strip_prefix_ignore_case(trimmed, "dockerfile-utils:")
            && rest.split_whitespace().next() == Some("ignore")
        {
            self.entries.push((next(), Codes::All));
        }
    }

    /// BuildKit's `skip=…;error=…;experimental=…`. In a directive every option applies; above an
    /// instruction only `skip` does. Text after a space is a free-form reason.
    fn read_check_options(&mut self, value: &str, offset: usize, scope: Scope, is_directive: bool) {
        let value_end = value.find(char::is_whitespace).unwrap_or(value.len());
        let mut start = 0;
        for option in value[..value_end].split(';') {
            let option_at = offset + start;
            start += option.len() + 1;
            if option.is_empty() {
                continue;
            }
            let (key, list) = option.split_once('=').unwrap_or((option, ""));
            let list_at = option_at + key.len() + 1;
            match key {
                "skip" => self.add_list(scope, list, list_at),
                "error" if is_directive => match parse_go_bool(list) {
                    Some(value) => self.buildkit_errors = value,
                    None => self.problems.push(ConfigProblem {
                        range: TextRange::new(list_at, list_at + list.len()),
                        message: format!("`error` takes true or false, not `{list}`"),
                    }),
                },
                "experimental" if is_directive => {
                    if let Some(codes) = self.read_codes(list, list_at) {
                        self.experimental = Some(codes);
                    }
                }
                _ => self.problems.push(ConfigProblem {
                    range: TextRange::new(option_at, option_at + option.len()),
                    message: if is_directive {
                        format!("invalid check option `{key}`: BuildKit accepts `skip`, `error` and `experimental`")
                    } else {
                        format!("invalid check option `{key}`: above an instruction only `skip=` applies")
                    },
                }),
            }
        }
    }

    fn add_list(&mut self, scope: Scope, list: &str, offset: usize) {
        if let Some(codes) = self.read_codes(list, offset) {
            self.entries.push((scope, codes));
        }
    }

    /// A comma-separated list of codes ending at the first space (the rest is a reason), or `all`.
    fn read_codes(&mut self, list: &str, offset: usize) -> Option<Codes> {
        let list = &list[..list.find(char::is_whitespace).unwrap_or(list.len())];
        if list.eq_ignore_ascii_case("all") {
            return Some(Codes::All);
        }
        if list.is_empty() {
            self.problems.push(ConfigProblem {
                range: TextRange::empty(offset),
                message: "no rule code after `=`: name one or more codes, separated by commas".to_string(),
            });
            return None;
        }
        let mut codes = Vec::new();
        let mut start = offset;
        for code in list.split(',') {
            let range = TextRange::new(start, start + code.len());
            start += code.len() + 1;
            if code.is_empty() {
                continue;
            }
            if check_code(code, range, &mut self.problems) {
                codes.push(code.to_string());
            }
        }
        Some(Codes::Some(codes))
    }
}

fn next_stage(dockerfile: &Dockerfile, next_instruction: Option<usize>) -> Scope {
    let Some(index) = next_instruction else { return Scope::File };
    match dockerfile.instructions.get(index).map(|i| &i.kind) {
        Some(InstructionKind::From(_)) => {
            dockerfile.stages.iter().position(|s| s.from == index).map_or(Scope::Instruction(index), Scope::Stage)
        }
        // hadolint requires the comment right above a FROM; elsewhere it acts like a plain ignore.
        _ => Scope::Instruction(index),
    }
}

fn shell_rule_codes() -> Vec<String> {
    super::ALL.iter().filter(|rule| is_shell_rule(rule.code)).map(|rule| rule.code.to_string()).collect()
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Go's `strconv.ParseBool`, which BuildKit uses for `error=`.
fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}
