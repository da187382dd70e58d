//! Instruction validity: the checks BuildKit makes when it reads an instruction, decided from the file alone.
//!
//! Flags (known, repeated, missing or bad values), `RUN --mount` options, stage names, image
//! references, EXPOSE ports, STOPSIGNAL values, ONBUILD triggers and `${...}` substitutions, plus the
//! JSON-form mistakes that make BuildKit silently fall back to the shell form. A value that holds a
//! variable is only known at build time, so it is left alone unless BuildKit refuses variables there.

mod flags;
mod json;
mod mounts;
mod substitution;
mod values;

use super::TextRange;
use super::errors::{SyntaxError, SyntaxErrorKind};
use super::instructions::{Instruction, InstructionKind, Word};
use super::keyword::{Keyword, edit_distance};

/// Checks one instruction (and an ONBUILD trigger inside it); pushes one error per problem.
pub(crate) fn check_instruction(instruction: &Instruction, escape: char, errors: &mut Vec<SyntaxError>) {
    flags::check(instruction, errors);
    substitution::check(instruction, escape, errors);
    match &instruction.kind {
        InstructionKind::From(from) => {
            if let Some(alias) = &from.alias {
                check_stage_name(alias, errors);
            }
            if let Some(image) = instruction.args.first() {
                values::check_image(image, errors);
            }
        }
        InstructionKind::Run(run) => {
            mounts::check(run, errors);
            json::check_command(&run.command, Keyword::Run, errors);
        }
        InstructionKind::Cmd(command) => json::check_command(command, Keyword::Cmd, errors),
        InstructionKind::Entrypoint(command) => json::check_command(command, Keyword::Entrypoint, errors),
        InstructionKind::Healthcheck(check) => {
            if let Some((_, command)) = &check.cmd {
                json::check_command(command, Keyword::Healthcheck, errors);
            }
        }
        InstructionKind::Copy(_) | InstructionKind::Add(_) | InstructionKind::Volume(_) => {
            json::check_words(instruction, errors);
        }
        InstructionKind::Expose(ports) => {
            for port in ports {
                values::check_port(port, errors);
            }
        }
        InstructionKind::Stopsignal(Some(signal)) => values::check_signal(signal, errors),
        InstructionKind::Shell(words) if words.is_empty() && instruction.args_range.is_some() => {
            errors.push(SyntaxError::new(
                SyntaxErrorKind::MissingArgument,
                instruction.args_range.unwrap_or(instruction.keyword_range),
                "SHELL needs at least the shell program, such as `SHELL [\"/bin/sh\", \"-c\"]`",
            ));
        }
        InstructionKind::Onbuild(Some(trigger)) => {
            check_onbuild_trigger(trigger, errors);
            check_instruction(trigger, escape, errors);
        }
        _ => {}
    }
    if let InstructionKind::Volume(paths) = &instruction.kind {
        for path in paths.iter().filter(|p| p.value.trim().is_empty()) {
            errors.push(SyntaxError::new(
                SyntaxErrorKind::MissingArgument,
                path.range,
                "a VOLUME path is empty: give a path such as `/data`",
            ));
        }
    }
}

/// BuildKit's rule for `AS name`: a letter, then letters, digits, `-`, `_` or `.` (any case).
fn check_stage_name(alias: &Word, errors: &mut Vec<SyntaxError>) {
    let name = alias.text.as_str();
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if starts_with_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return;
    }
    let why = if starts_with_letter {
        "it may contain only letters, digits, `-`, `_` and `.`"
    } else {
        "it must start with a letter"
    };
    let note = if has_variable(name) { " (stage names are not expanded)" } else { "" };
    errors.push(SyntaxError::new(
        SyntaxErrorKind::InvalidStageName,
        alias.range,
        format!("invalid stage name `{name}`: {why}{note}"),
    ));
}

/// BuildKit refuses ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER.
fn check_onbuild_trigger(trigger: &Instruction, errors: &mut Vec<SyntaxError>) {
    let message = match trigger.keyword {
        Some(Keyword::Onbuild) => "ONBUILD cannot be chained: `ONBUILD ONBUILD` is not allowed",
        Some(Keyword::From) => "FROM cannot be an ONBUILD trigger: an image cannot choose its children's base",
        Some(Keyword::Maintainer) => {
            "MAINTAINER cannot be an ONBUILD trigger: use `ONBUILD LABEL org.opencontainers.image.authors=...`"
        }
        _ => return,
    };
    errors.push(SyntaxError::new(SyntaxErrorKind::InvalidOnbuildTrigger, trigger.keyword_range, message));
}

/// Whether a value holds a variable reference, which only the build can resolve.
fn has_variable(value: &str) -> bool {
    value.contains('$')
}

/// The source range of `value[start..end]` of a word, when the word is written on one line
/// without quotes or escapes (so value offsets are source offsets); otherwise the whole word.
fn word_part(word: &Word, start: usize, end: usize) -> TextRange {
    value_part(word.range, &word.text, &word.value, start, end)
}

/// Like `word_part`, for any `(range, text as written, value)` triple.
fn value_part(range: TextRange, text: &str, value: &str, start: usize, end: usize) -> TextRange {
    let exact = text == value && range.len() == text.len();
    if exact && start <= end && end <= value.len() && value.is_char_boundary(start) && value.is_char_boundary(end) {
        TextRange::new(range.start + start, range.start + end)
    } else {
        range
    }
}

/// The candidate closest to `word` (case-insensitive, at most two edits), for "did you mean".
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    // Two edits change the length by at most two: skip the distance table for far longer words.
    let length = word.chars().count();
    candidates
        .iter()
        .filter(|c| length.abs_diff(c.chars().count()) <= 2)
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` or nothing.
fn did_you_mean(word: &str, candidates: &[&str], prefix: &str) -> String {
    closest(word, candidates).map(|c| format!(" (did you mean `{prefix}{c}`?)")).unwrap_or_default()
}
