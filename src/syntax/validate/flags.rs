//! Flags: which ones each instruction takes (BuildKit's names, which are case-sensitive), repeats,
//! missing values and values of the wrong shape.

use super::{did_you_mean, has_variable, values};
use crate::syntax::{Flag, Instruction, InstructionKind, Keyword, SyntaxError, SyntaxErrorKind, TextRange};

/// How BuildKit reads a flag: a boolean (`--link`, `--link=false`), a string given once, or a
/// string that may be repeated (`--mount`, `--exclude`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Bool,
    Once,
    Repeatable,
}

/// The value check a string flag gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Any,
    Platform,
    Network,
    Security,
    Duration,
    Retries,
    Chmod,
    Checksum,
    Source,
}

struct Spec {
    name: &'static str,
    shape: Shape,
    check: Check,
    /// An example value, for the "needs a value" message.
    example: &'static str,
}

const fn spec(name: &'static str, shape: Shape, check: Check, example: &'static str) -> Spec {
    Spec { name, shape, check, example }
}

const FROM_FLAGS: &[Spec] = &[spec("platform", Shape::Once, Check::Platform, "linux/amd64")];

const RUN_FLAGS: &[Spec] = &[
    spec("mount", Shape::Repeatable, Check::Any, "type=cache,target=/root/.cache/go-build"),
    spec("network", Shape::Once, Check::Network, "none"),
    spec("security", Shape::Once, Check::Security, "insecure"),
    spec("device", Shape::Repeatable, Check::Any, "vendor.com/device=name"),
];

const COPY_FLAGS: &[Spec] = &[
    spec("from", Shape::Once, Check::Source, "build"),
    spec("chown", Shape::Once, Check::Any, "1000:1000"),
    spec("chmod", Shape::Once, Check::Chmod, "0644"),
    spec("link", Shape::Bool, Check::Any, "true"),
    spec("parents", Shape::Bool, Check::Any, "true"),
    spec("exclude", Shape::Repeatable, Check::Any, "*.md"),
];

const ADD_FLAGS: &[Spec] = &[
    spec("chown", Shape::Once, Check::Any, "1000:1000"),
    spec("chmod", Shape::Once, Check::Chmod, "0644"),
    spec("link", Shape::Bool, Check::Any, "true"),
    spec("keep-git-dir", Shape::Bool, Check::Any, "true"),
    spec("checksum", Shape::Once, Check::Checksum, "sha256:<64 hex digits>"),
    spec("unpack", Shape::Bool, Check::Any, "true"),
    spec("exclude", Shape::Repeatable, Check::Any, "*.md"),
];

const HEALTHCHECK_FLAGS: &[Spec] = &[
    spec("interval", Shape::Once, Check::Duration, "30s"),
    spec("timeout", Shape::Once, Check::Duration, "30s"),
    spec("start-period", Shape::Once, Check::Duration, "5s"),
    spec("start-interval", Shape::Once, Check::Duration, "5s"),
    spec("retries", Shape::Once, Check::Retries, "3"),
];

const ARG_FLAGS: &[Spec] = &[spec("required", Shape::Bool, Check::Any, "true")];

/// The flags an instruction takes; `None` where BuildKit never reads them (STOPSIGNAL,
/// `HEALTHCHECK NONE`, unknown instructions), so any flag there is ignored rather than refused.
fn specs(instruction: &Instruction) -> Option<&'static [Spec]> {
    Some(match (&instruction.kind, instruction.keyword?) {
        (_, Keyword::From) => FROM_FLAGS,
        (_, Keyword::Run) => RUN_FLAGS,
        (_, Keyword::Copy) => COPY_FLAGS,
        (_, Keyword::Add) => ADD_FLAGS,
        (_, Keyword::Arg) => ARG_FLAGS,
        (InstructionKind::Healthcheck(check), _) if check.none.is_some() => return None,
        (_, Keyword::Healthcheck) => HEALTHCHECK_FLAGS,
        (_, Keyword::Stopsignal) => return None,
        _ => &[],
    })
}

pub(super) fn check(instruction: &Instruction, errors: &mut Vec<SyntaxError>) {
    let Some(specs) = specs(instruction) else { return };
    let keyword = instruction.keyword.map_or("", Keyword::as_str);
    let mut seen: Vec<&str> = Vec::new();
    for flag in &instruction.flags {
        // `--name` as written, without the value: the narrowest range naming the flag.
        let name_range = TextRange::new(flag.range.start, flag.name_range.end.max(flag.range.start));
        let dashes = flag.name_range.start.saturating_sub(flag.range.start);
        let spec = specs.iter().find(|s| s.name == flag.name).filter(|_| dashes == 2);
        let Some(spec) = spec else {
            errors.push(unknown_flag(keyword, specs, flag, dashes, name_range));
            continue;
        };
        if spec.shape != Shape::Repeatable && seen.contains(&spec.name) {
            errors.push(SyntaxError::new(
                SyntaxErrorKind::DuplicateFlag,
                name_range,
                format!("`--{}` is given more than once: {keyword} takes it once", spec.name),
            ));
            continue;
        }
        seen.push(spec.name);
        let value_range = flag.value_range.unwrap_or(flag.range);
        match (spec.shape, flag.value.as_deref()) {
            (Shape::Bool, None) => {}
            (Shape::Bool, Some("")) => errors.push(SyntaxError::new(
                SyntaxErrorKind::FlagMissingValue,
                flag.range,
                format!("`--{0}=` has no value: write `--{0}` or `--{0}=false`", spec.name),
            )),
            (Shape::Bool, Some(value)) => {
                if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") {
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::InvalidFlagValue,
                        value_range,
                        format!("`--{}` takes `true` or `false`, not `{value}`", spec.name),
                    ));
                }
            }
            (_, None) => errors.push(SyntaxError::new(
                SyntaxErrorKind::FlagMissingValue,
                name_range,
                format!("`--{0}` needs a value, such as `--{0}={1}`", spec.name, spec.example),
            )),
            (_, Some(value)) => {
                if let Some(problem) = value_problem(instruction, spec, value) {
                    errors.push(SyntaxError::new(SyntaxErrorKind::InvalidFlagValue, value_range, problem));
                }
            }
        }
    }
}

fn unknown_flag(keyword: &str, specs: &[Spec], flag: &Flag, dashes: usize, range: TextRange) -> SyntaxError {
    let written = format!("{}{}", "-".repeat(dashes), flag.name);
    let message = if specs.is_empty() {
        format!("unknown flag `{written}`: {keyword} takes no flags")
    } else {
        let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
        let hint = if names.contains(&flag.name.as_str()) {
            // Only the dashes are wrong.
            format!(" (did you mean `--{}`?)", flag.name)
        } else if let Some(owner) = owner_of(&flag.name) {
            format!(" (it is a flag of {owner})")
        } else {
            did_you_mean(&flag.name, &names, "--")
        };
        format!("unknown flag `{written}` for {keyword}{hint}")
    };
    SyntaxError::new(SyntaxErrorKind::UnknownFlag, range, message)
}

/// The instructions that do take a flag of this name, for a flag used on the wrong instruction.
fn owner_of(name: &str) -> Option<String> {
    let tables = [
        ("FROM", FROM_FLAGS),
        ("RUN", RUN_FLAGS),
        ("COPY", COPY_FLAGS),
        ("ADD", ADD_FLAGS),
        ("HEALTHCHECK", HEALTHCHECK_FLAGS),
        ("ARG", ARG_FLAGS),
    ];
    let owners: Vec<&str> =
        tables.iter().filter(|(_, specs)| specs.iter().any(|s| s.name == name)).map(|(k, _)| *k).collect();
    (!owners.is_empty()).then(|| owners.join(" and "))
}

/// What is wrong with a flag's value, if anything. BuildKit expands variables in `--platform`,
/// `--chmod` and `--checksum`, so those values are left to the build; the others are read as
/// written, so a variable there is itself the problem.
fn value_problem(instruction: &Instruction, spec: &Spec, value: &str) -> Option<String> {
    // `--from` refuses variables outright, or resolves them only in some BuildKit versions: the build decides.
    let expanded = matches!(spec.check, Check::Platform | Check::Chmod | Check::Checksum | Check::Source);
    if value.is_empty() || (expanded && has_variable(value)) {
        return None;
    }
    let problem = check_value(instruction, spec, value)?;
    if has_variable(value) {
        return Some(format!("{problem} (variables are not expanded in `--{}`)", spec.name));
    }
    Some(problem)
}

fn check_value(instruction: &Instruction, spec: &Spec, value: &str) -> Option<String> {
    let name = spec.name;
    match spec.check {
        Check::Any => None,
        Check::Platform => values::platform_problem(value).map(|why| format!("invalid platform `{value}`: {why}")),
        Check::Network => one_of(name, value, &["default", "none", "host"]),
        Check::Security => one_of(name, value, &["sandbox", "insecure"]),
        Check::Duration => values::duration_problem(value)
            .map(|why| format!("`--{name}={value}` is not a valid duration: {why}; write it like `30s` or `1m30s`")),
        Check::Retries => values::retries_problem(value).map(|why| format!("`--retries={value}` {why}")),
        Check::Chmod => values::chmod_problem(value).map(|why| format!("invalid `--chmod={value}`: {why}")),
        Check::Checksum => checksum_problem(instruction, value),
        Check::Source => source_problem(value),
    }
}

fn one_of(name: &str, value: &str, allowed: &[&str]) -> Option<String> {
    if allowed.contains(&value) {
        return None;
    }
    let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
    let (last, rest) = list.split_last()?;
    let choices = if rest.is_empty() { last.clone() } else { format!("{} or {last}", rest.join(", ")) };
    let hint = did_you_mean(value, allowed, "");
    Some(format!("`--{name}` takes {choices}, not `{value}`{hint}"))
}

/// ADD `--checksum`: one source, from HTTP(S) or Git; an HTTP(S) checksum is an `algorithm:hex` digest.
fn checksum_problem(instruction: &Instruction, value: &str) -> Option<String> {
    let InstructionKind::Add(add) = &instruction.kind else { return None };
    let sources: Vec<&str> = add.sources.iter().map(|s| s.value.as_str()).filter(|s| !s.starts_with("<<")).collect();
    if sources.len() != 1 {
        return Some("`--checksum` needs exactly one source".to_string());
    }
    let source = sources[0];
    if has_variable(source) {
        return None;
    }
    if values::is_git_source(source) {
        return None;
    }
    if !source.starts_with("http://") && !source.starts_with("https://") {
        return Some(format!("`--checksum` works only with an HTTP(S) or Git source, not `{source}`"));
    }
    values::digest_problem(value).map(|why| format!("invalid `--checksum={value}`: {why}"))
}

/// COPY `--from`: a stage name, a stage index, or an image reference.
fn source_problem(value: &str) -> Option<String> {
    if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some(format!("`--from={value}` must name a stage, a stage index or an image"));
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    values::image_problem(value).map(|(_, _, why)| format!("invalid `--from={value}`: {why}"))
}
