//! Hover on build variables: a `$X`/`${X}` reference or an `ARG`/`ENV` declaration, with where the
//! value comes from, what it is at this line and how stage scoping applies.

use super::go;
use crate::syntax::{Definition, Dockerfile, LineIndex, Scope, TextRange, VariableKind};

/// Markdown for the variable `name` as seen at `offset` (`declaration`: the cursor is on this declaration).
pub(super) fn variable(
    dockerfile: &Dockerfile,
    text: &str,
    scope: &Scope,
    name: &str,
    offset: usize,
    declaration: Option<&Definition>,
) -> String {
    let lines = LineIndex::new(text);
    let line = |range: Option<TextRange>| range.map(|r| lines.line_of(r.start) + 1);
    let definition = declaration.or_else(|| scope.lookup(offset, name));
    let mut out = format!("**`{name}`**");
    match definition {
        None => {
            out += " · not declared here: expands to an empty string\n\n";
            let global = scope.definitions().iter().find(|d| d.name == name && d.stage.is_none());
            if let (Some(global), Some(_)) = (global, scope.stage_at(offset)) {
                out += &format!(
                    "A global `ARG {name}` exists (line {}), but a stage sees a global ARG only after declaring it \
                     again with `ARG {name}`.\n",
                    line(global.name_range).unwrap_or(0)
                );
            } else if go::environment(name).is_none() {
                out += "Unless the base image sets it, which gantry cannot see.\n";
            }
        }
        Some(definition) => {
            out += &format!(" · {}\n\n", origin(dockerfile, definition, &line));
            let redeclared = definition.redeclares.and_then(|i| scope.definitions().get(i));
            let automatic = redeclared.is_some_and(|r| r.kind == VariableKind::Automatic);
            if let Some(value) = &definition.value {
                out += &format!("- value as written: `{value}`\n");
            } else if definition.kind == VariableKind::Arg && !automatic {
                out += "- no default: set only by `--build-arg`, otherwise empty\n";
            }
            if let Some(redeclared) = redeclared {
                match redeclared.kind {
                    VariableKind::Automatic => {
                        out += "- redeclares an automatic platform ARG, making it visible in this stage\n";
                        if let Some(expansion) = scope.expanded_value(redeclared) {
                            out += &format!(
                                "- value: set by BuildKit for the target platform (typically `{}`)\n",
                                expansion.value
                            );
                        }
                    }
                    _ => {
                        out += &format!(
                            "- redeclares the global ARG of line {}, taking its default\n",
                            line(redeclared.name_range).unwrap_or(0)
                        )
                    }
                }
            }
            match scope.expanded_value(definition) {
                Some(expansion) if !expansion.unknown.is_empty() => {
                    out += &format!("- value here: known only at build time (typically `{}`)\n", expansion.value)
                }
                Some(expansion) => out += &format!("- value here: `{}`\n", expansion.value),
                None => {}
            }
            out += scope_note(definition);
        }
    }
    if let Some(doc) = go::environment(name) {
        out += &format!("\n{doc}\n\n[Go environment]({})", go::ENVIRONMENT_DOCS);
    }
    out.trim_end().to_string()
}

fn origin(
    dockerfile: &Dockerfile,
    definition: &Definition,
    line: &dyn Fn(Option<TextRange>) -> Option<usize>,
) -> String {
    let keyword = match definition.kind {
        VariableKind::Automatic => return "an automatic platform ARG, set by BuildKit for each build".to_string(),
        VariableKind::Arg => "ARG",
        VariableKind::Env => "ENV",
    };
    let place = match definition.stage {
        None => "global scope".to_string(),
        Some(stage) => match dockerfile.stages.get(stage).and_then(|s| s.name.as_deref()) {
            Some(name) => format!("stage `{name}`"),
            None => format!("stage {stage}"),
        },
    };
    format!("`{keyword}` on line {}, {place}", line(definition.name_range).unwrap_or(0))
}

fn scope_note(definition: &Definition) -> &'static str {
    match (definition.kind, definition.stage) {
        (VariableKind::Arg, None) => {
            "\nA global ARG: usable in `FROM` lines; inside a stage only after `ARG NAME` repeats it there.\n"
        }
        (VariableKind::Arg, Some(_)) => {
            "\nVisible until the end of this stage and in stages built `FROM` it; not kept in the image.\n"
        }
        (VariableKind::Env, _) => {
            "\nKept in the image: visible to later instructions, to stages built `FROM` this one and at run time.\n"
        }
        (VariableKind::Automatic, _) => "\nVisible in `FROM` lines; a stage must declare it with `ARG` to use it.\n",
    }
}
