//! Helpers shared by the GO4xx and GO5xx rules: stage chains, builders that run on the build
//! machine, where a Go variable's value is written, the user at an instruction, ARG insertion.

use crate::build::{Build, GoRun, Stage};
use crate::rules::{Context, Severity};
use crate::syntax::GoSubcommand;
use crate::syntax::{
    Dockerfile, InstructionKind, Scope, ShellScript, SimpleCommand, StageBase, TextEdit, TextRange, VariableKind,
    variable_references,
};

/// The stages `stage` is built on through `FROM <stage>`, root first, `stage` itself last.
pub(super) fn chain(build: &Build, stage: usize) -> Vec<&Stage> {
    // Walks the parents (the stages `Build::is_based_on` follows) instead of testing every stage,
    // which made a call linear in the number of stages and the rules quadratic.
    let mut members: Vec<&Stage> = Vec::new();
    let mut current = build.stages.get(stage);
    while let Some(member) = current.filter(|_| members.len() <= build.stages.len()) {
        members.push(member);
        current = match member.base {
            StageBase::Stage(parent) if parent < member.index => build.stages.get(parent),
            _ => None,
        };
    }
    members.sort_by_key(|s| s.index);
    members
}

/// The stage's own or inherited environment is that of a Go builder: a `golang` root image, or
/// `go` commands of its own.
pub(super) fn is_go_stage(stage: &Stage) -> bool {
    stage.golang.is_some() || !stage.go_runs.is_empty()
}

/// Whether the stage runs on the build machine rather than the target: the nearest `--platform`
/// along its `FROM <stage>` chain names `$BUILDPLATFORM` (or `$BUILDOS`/`$BUILDARCH`).
pub(super) fn runs_on_build_platform(dockerfile: &Dockerfile, build: &Build, stage: usize) -> bool {
    for member in chain(build, stage).iter().rev() {
        let Some(from) = dockerfile.instructions.get(member.from) else { continue };
        if let Some(flag) = from.flag("platform") {
            let value = flag.value.as_deref().unwrap_or_default();
            return ["BUILDPLATFORM", "BUILDOS", "BUILDARCH"].iter().any(|name| mentions(value, name));
        }
    }
    false
}

/// Whether `text` refers to the variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}` …).
pub(super) fn mentions(text: &str, name: &str) -> bool {
    variable_references(text, '\\').iter().any(|r| r.name == name)
}

/// Where the value a `go` command sees for a variable is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    /// `NAME=value go build` (or `env NAME=value go …`).
    Prefix,
    /// `NAME=value` or `export NAME=value` earlier in the same RUN.
    Script,
    /// An ENV or ARG of the stage (or of a stage it is built on).
    Declaration,
}

/// The text that sets a variable for one `go` command.
#[derive(Debug, Clone)]
pub(super) struct VarSource {
    pub origin: Origin,
    /// The value as written (quotes included for shell words, removed for ENV/ARG values).
    pub text: String,
    /// Where the value is written; an empty range where the assignment has no value.
    pub range: TextRange,
    /// `range` covers exactly the value, so that an edit may replace it.
    pub exact: bool,
}

/// The place that sets `name` for `run`: a prefix of the command, an assignment earlier in the same
/// RUN, or the ENV/ARG in scope. `None` when nothing in the Dockerfile sets it.
pub(super) fn var_source(context: &Context<'_>, scope: &Scope, run: &GoRun, name: &str) -> Option<VarSource> {
    let script = context.shell(run.instruction);
    let command = script.and_then(|s| s.commands.iter().find(|c| c.range == run.command.range));
    if let Some(assignment) = command.and_then(|c| c.assignment(name)) {
        let (text, range) = match &assignment.value {
            Some(word) => (word.text.clone(), word.range),
            None => (String::new(), TextRange::empty(assignment.range.end)),
        };
        return Some(VarSource { origin: Origin::Prefix, text, range, exact: true });
    }
    if let Some(value) = run.command.env_value(name) {
        // `env NAME=value go …`: the word holds the name too.
        let range = value.as_ref().map_or(run.command.range, |w| w.range);
        let text = value.as_ref().map(|w| w.value.clone()).unwrap_or_default();
        return Some(VarSource { origin: Origin::Prefix, text, range, exact: false });
    }
    if let Some(script) = script
        && let Some((text, range, exact)) = script_assignment(script, name, run.command.range.start)
    {
        return Some(VarSource { origin: Origin::Script, text, range, exact });
    }
    let instruction = context.dockerfile.instructions.get(run.instruction)?;
    let definition = scope.lookup(instruction.range.start, name)?;
    if definition.stage.is_none() || definition.kind == VariableKind::Automatic {
        return None;
    }
    let range = definition
        .value_range
        .unwrap_or_else(|| TextRange::empty(definition.name_range.map_or(instruction.range.start, |r| r.end)));
    Some(VarSource {
        origin: Origin::Declaration,
        text: definition.value.clone().unwrap_or_default(),
        range,
        exact: definition.value_range.is_some(),
    })
}

/// The last assignment to `name` before `before` in the script: `NAME=value` on its own, or
/// `export`/`declare`/`readonly` `NAME=value`. Returns the value text, its range, and whether the
/// range covers exactly the value.
pub(super) fn script_assignment(script: &ShellScript, name: &str, before: usize) -> Option<(String, TextRange, bool)> {
    let mut found = None;
    for command in script.commands.iter().filter(|c| c.range.end <= before) {
        if command.name.is_none()
            && let Some(assignment) = command.assignment(name)
        {
            found = Some(match &assignment.value {
                Some(word) => (word.text.clone(), word.range, true),
                None => (String::new(), TextRange::empty(assignment.range.end), true),
            });
        }
        if is_declaring_builtin(command) {
            for word in &command.args {
                if let Some(value) = word.text.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
                    found = Some((value.to_string(), word.range, false));
                }
            }
        }
    }
    found
}

/// Whether the script assigns `name` anywhere (on its own, exported, or as a loop variable).
pub(super) fn script_sets(script: &ShellScript, name: &str) -> bool {
    script_assignment(script, name, usize::MAX).is_some()
        || script.commands.iter().any(|c| c.assignment(name).is_some())
        || script.commands.iter().any(|c| c.is("read") && c.arg_values().any(|a| a == name))
}

fn is_declaring_builtin(command: &SimpleCommand) -> bool {
    matches!(command.program(), Some("export" | "declare" | "readonly" | "local" | "typeset"))
}

/// The scripts of the RUN instructions of the stage chain up to and including `index`, in order.
pub(super) fn chain_scripts<'c>(
    context: &'c Context<'_>,
    build: &Build,
    stage: usize,
    index: usize,
) -> Vec<(usize, &'c ShellScript)> {
    let mut scripts = Vec::new();
    for member in chain(build, stage) {
        let Some(syntax_stage) = context.dockerfile.stages.get(member.index) else { continue };
        for at in syntax_stage.instructions.clone() {
            if member.index == stage && at > index {
                break;
            }
            if matches!(context.dockerfile.instructions[at].kind, InstructionKind::Run(_))
                && let Some(script) = context.shell(at)
            {
                scripts.push((at, script));
            }
        }
    }
    scripts
}

/// Some RUN of the chain up to `index` uses tonistiigi/xx (`xx-go`, `xx-apk`, `xx-clang`, …),
/// which sets up the cross C toolchain and the target's `GOARM`.
pub(super) fn uses_xx(context: &Context<'_>, build: &Build, stage: usize, index: usize) -> bool {
    chain_scripts(context, build, stage, index)
        .iter()
        .any(|(_, script)| script.commands.iter().any(|c| c.program().is_some_and(|p| p.starts_with("xx-"))))
}

/// The `USER` in effect at instruction `index` of `stage` (through its chain); `None` when no
/// USER was written, so the image's default applies.
pub(super) fn user_at(context: &Context<'_>, build: &Build, stage: usize, index: usize) -> Option<(String, TextRange)> {
    let mut user = None;
    for member in chain(build, stage) {
        let Some(syntax_stage) = context.dockerfile.stages.get(member.index) else { continue };
        for at in syntax_stage.instructions.clone() {
            if member.index == stage && at >= index {
                break;
            }
            if let InstructionKind::User(Some(word)) = &context.dockerfile.instructions[at].kind {
                user = Some((word.value.clone(), word.range));
            }
        }
    }
    user
}

/// The user name or id of a `USER` value (`app:app` → `app`).
pub(super) fn user_name(value: &str) -> &str {
    value.split(':').next().unwrap_or_default().trim()
}

/// Whether a `USER` value means root.
pub(super) fn is_root(value: &str) -> bool {
    matches!(user_name(value), "root" | "0")
}

/// `go env -w NAME=value` of earlier RUNs in the chain, in order.
pub(super) fn go_env_writes(build: &Build, stage: &Stage, index: usize) -> Vec<(String, String)> {
    let mut writes = Vec::new();
    for member in chain(build, stage.index) {
        for run in member.go_runs.iter().filter(|r| r.instruction < index || member.index != stage.index) {
            if run.command.subcommand != GoSubcommand::Env {
                continue;
            }
            for flag in run.command.flags.iter().filter(|f| f.name == "w") {
                let values = flag.value.iter().chain(run.command.packages.iter());
                for word in values.filter(|w| !w.dynamic) {
                    if let Some((name, value)) = word.value.split_once('=') {
                        writes.push((name.to_string(), value.to_string()));
                    }
                }
            }
        }
    }
    writes
}

/// An edit that declares `names` right after the FROM of `stage` (`ARG TARGETOS TARGETARCH`).
pub(super) fn insert_args(dockerfile: &Dockerfile, stage: usize, names: &[&str]) -> Option<TextEdit> {
    let from = dockerfile.instructions.get(dockerfile.stages.get(stage)?.from)?;
    Some(TextEdit { range: TextRange::empty(from.range.end), new_text: format!("\nARG {}", names.join(" ")) })
}

/// Whether `name` is declared (ARG or ENV) in the stage at `offset`.
pub(super) fn declared_in_stage(scope: &Scope, offset: usize, name: &str) -> bool {
    scope.lookup(offset, name).is_some_and(|d| d.stage.is_some())
}

/// A shell word's value with one pair of surrounding quotes removed.
pub(super) fn unquoted(text: &str) -> &str {
    let text = text.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner;
        }
    }
    text
}

/// Whether a shell word's text is only the variable `name` (`$NAME`, `${NAME}`, quoted or not).
pub(super) fn is_plain_reference(text: &str, name: &str) -> bool {
    let text = unquoted(text);
    text == format!("${name}") || text == format!("${{{name}}}")
}

/// One step milder than `severity`: for findings of a rule that are likely rather than certain,
/// reported below the rule's configured severity.
pub(super) fn milder(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        Severity::Warning => Severity::Info,
        Severity::Info | Severity::Hint => Severity::Hint,
    }
}

/// Where to report on a `go` command: from the `go` word through the subcommand (`go build`,
/// `go mod download`), or the subcommand alone when the program word cannot be found.
pub(super) fn command_range(context: &Context<'_>, run: &GoRun) -> TextRange {
    let script = context.shell(run.instruction);
    let command = script.and_then(|s| s.commands.iter().find(|c| c.range == run.command.range));
    let program = command.and_then(|c| c.name.as_ref()).filter(|w| !w.text.contains('='));
    match program {
        // `env X=1 go build`: the program is `env`; start at the go word instead.
        Some(word) if word.value == "go" && word.range.end <= run.command.subcommand_range.start => {
            word.range.cover(run.command.subcommand_range)
        }
        _ => run.command.subcommand_range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_shell;

    #[test]
    fn script_assignments_before_a_position() {
        let script = parse_shell("export GOARM=$(echo v7 | cut -c2-) && GOARCH=arm; go build .");
        let go = script.commands.iter().find(|c| c.is("go")).expect("go");
        let (text, _, exact) = script_assignment(&script, "GOARM", go.range.start).expect("export");
        assert_eq!(text, "$(echo v7 | cut -c2-)");
        assert!(!exact);
        assert_eq!(script_assignment(&script, "GOARCH", go.range.start).map(|a| a.0), Some("arm".into()));
        assert_eq!(script_assignment(&script, "GOARM", 0), None);
        assert!(script_sets(&script, "GOARCH"));
        assert!(!script_sets(&script, "GOOS"));
    }

    #[test]
    fn users_and_references() {
        assert!(is_root("root:root") && is_root("0") && !is_root("65532:65532") && !is_root("nonroot"));
        assert_eq!(unquoted("\"${TARGETVARIANT}\""), "${TARGETVARIANT}");
        assert!(is_plain_reference("\"${TARGETVARIANT}\"", "TARGETVARIANT"));
        assert!(is_plain_reference("$TARGETVARIANT", "TARGETVARIANT"));
        assert!(!is_plain_reference("${TARGETVARIANT#v}", "TARGETVARIANT"));
        assert!(mentions("linux/${TARGETARCH:-amd64}", "TARGETARCH"));
        assert!(!mentions("'$TARGETARCH'", "TARGETARCH"));
    }
}
