//! Hover inside a `RUN` that runs the go command: the subcommand (with the cgo setting it gets), its
//! flags, the linker flags of `-ldflags` (resolving `-X` targets against the workspace), build tags,
//! and Go environment variables set as command prefixes.

use super::go;
use crate::build::{Build, EnvValue, GoRun, Stage};
use crate::images::Libc;
use crate::rules::GoFacts;
use crate::syntax::{GoCommand, GoFlag, GoSubcommand, Parse, SimpleCommand, TextRange, XDefinition, run_script};
use crate::workspace::Initializer;

/// The hover for `offset` inside the RUN at `index`.
pub(super) fn in_run(parse: &Parse, index: usize, offset: usize, go: Option<&GoFacts>) -> Option<(TextRange, String)> {
    let script = run_script(parse.text(), parse.dockerfile(), index)?;
    let command = script.commands.iter().filter(|c| c.range.touches(offset)).min_by_key(|c| c.range.len())?;
    let go_command = GoCommand::from_shell(command);
    if let Some(assignment) = command.assignments.iter().find(|a| a.name_range.touches(offset)) {
        let doc = go::environment(&assignment.name)?;
        let value = assignment.value.as_ref().map_or("", |v| v.value.as_str());
        let mut out = format!("**`{}={value}`** · for this command only\n\n{doc}", assignment.name);
        if assignment.name == "CGO_ENABLED"
            && let Some(go_command) = &go_command
            && let Some(cgo) = cgo_summary(parse, index, go_command)
        {
            out += &format!("\n\n{cgo}");
        }
        out += &format!("\n\n[Go environment]({})", go::ENVIRONMENT_DOCS);
        return Some((assignment.name_range, out));
    }
    let go_command = go_command?;
    if go_command.subcommand_range.touches(offset) || program_range(command).is_some_and(|r| r.touches(offset)) {
        let range =
            program_range(command).map_or(go_command.subcommand_range, |r| r.cover(go_command.subcommand_range));
        return Some((range, subcommand(parse, index, &go_command)));
    }
    let flag = go_command.flags.iter().find(|f| f.range.touches(offset))?;
    let name_end = flag_name_end(parse.text(), flag);
    if offset <= name_end || !matches!(flag.name.as_str(), "ldflags" | "tags") {
        let doc = go::build_flag(&flag.name)?;
        // On the value of a flag without value documentation, the hover covers the whole flag.
        let range = if offset <= name_end { TextRange::new(flag.range.start, name_end) } else { flag.range };
        return Some((
            range,
            format!("**`-{}`** · go build flag\n\n{doc}\n\n[go build]({})", flag.name, go::GO_BUILD_DOCS),
        ));
    }
    let value_start = (name_end + 1).min(flag.range.end);
    if flag.name == "tags" {
        let (range, tag) = token_at(parse.text(), TextRange::new(value_start, flag.range.end), offset, ", \t\"'")?;
        let (doc, link) = go::build_tag(tag)?;
        return Some((range, format!("**`{tag}`** · build tag\n\n{doc}\n\n[Documentation]({link})")));
    }
    linker(parse, &go_command, TextRange::new(value_start, flag.range.end), offset, go)
}

/// `go` itself, when the command is `go …` (not `env … go …`).
fn program_range(command: &SimpleCommand) -> Option<TextRange> {
    command.name.as_ref().filter(|n| n.value == "go").map(|n| n.range)
}

/// Where the flag's name ends in the source (`-ldflags` of `-ldflags=…` or `-ldflags …`).
fn flag_name_end(text: &str, flag: &GoFlag) -> usize {
    let written = text.get(flag.range.as_range()).unwrap_or("");
    let dashes = written.len() - written.trim_start_matches('-').len();
    (flag.range.start + dashes + flag.name.len()).min(flag.range.end)
}

/// The token around `offset` inside `within`, split at any of `delimiters`.
fn token_at<'t>(text: &'t str, within: TextRange, offset: usize, delimiters: &str) -> Option<(TextRange, &'t str)> {
    let region = text.get(within.as_range())?;
    let at = offset.checked_sub(within.start)?.min(region.len());
    let is_delimiter = |c: char| delimiters.contains(c) || c == '\\' || c == '\n';
    let start = region.get(..at)?.rfind(is_delimiter).map_or(0, |i| i + 1);
    let end = region.get(at..)?.find(is_delimiter).map_or(region.len(), |i| at + i);
    let token = region.get(start..end).filter(|t| !t.is_empty())?;
    Some((TextRange::new(within.start + start, within.start + end), token))
}

fn subcommand(parse: &Parse, index: usize, command: &GoCommand) -> String {
    let (name, doc) = match &command.subcommand {
        GoSubcommand::Build => {
            ("go build", "Compiles the named packages; a main package becomes a program (see `-o`).")
        }
        GoSubcommand::Install => (
            "go install",
            "Compiles and installs programs into `$GOBIN` (`/go/bin` in the golang images); `pkg@version` \
             installs a tool without touching go.mod.",
        ),
        GoSubcommand::Run => ("go run", "Compiles and runs a main package."),
        GoSubcommand::Test => ("go test", "Compiles and runs the tests of the named packages."),
        GoSubcommand::Get => {
            ("go get", "Adds or updates dependencies in go.mod; use `go install pkg@version` for tools.")
        }
        GoSubcommand::Mod(verb) if verb == "download" => (
            "go mod download",
            "Downloads the modules in go.mod into the module cache: a cacheable layer before the sources.",
        ),
        GoSubcommand::Mod(_) => ("go mod", "Maintains go.mod and go.sum."),
        GoSubcommand::Generate => ("go generate", "Runs the `//go:generate` commands of the named packages."),
        GoSubcommand::Vet => ("go vet", "Reports suspicious constructs."),
        _ => ("go", "The Go toolchain."),
    };
    let mut out = format!("**`{name}`**\n\n{doc}");
    if command.subcommand.builds()
        && let Some(cgo) = cgo_summary(parse, index, command)
    {
        out += &format!("\n\n{cgo}");
    }
    out + &format!("\n\n[go command]({})", "https://pkg.go.dev/cmd/go")
}

/// The cgo setting this command gets, why, and what it means for the final image.
fn cgo_summary(parse: &Parse, index: usize, command: &GoCommand) -> Option<String> {
    let build = Build::simulate(parse);
    let (stage, run) =
        build.go_runs().find(|(_, run)| run.instruction == index && run.command.range == command.range)?;
    let effective = run.cgo_enabled(stage.golang.as_ref());
    let reason = cgo_reason(stage, run);
    let mut out = match effective {
        Some(true) => format!("**cgo: on** ({reason})"),
        Some(false) => format!("**cgo: off** ({reason})"),
        None => format!("**cgo: decided at build time** ({reason})"),
    };
    if let Some(runtime) = build.final_stage().filter(|last| last.index != stage.index) {
        let image = runtime.image_text.as_ref().map_or("the final stage", |(text, _)| text.as_str());
        match (effective, runtime.runtime.libc) {
            (Some(true), Libc::None) => {
                out += &format!(". The binary needs libc, which `{image}` does not have: it will not start there")
            }
            (Some(true), Libc::Musl) if stage.golang.as_ref().is_some_and(|g| g.libc == Libc::Glibc) => {
                out += &format!(". The binary is linked against glibc; `{image}` has musl")
            }
            (Some(true), _) => out += ". The binary links against libc: the runtime image must provide the same one",
            (Some(false), _) => out += &format!(". A static binary: it needs no libc in `{image}`"),
            (None, _) => {}
        }
    }
    Some(out + &format!(" · [cgo]({})", go::CGO_DOCS))
}

fn cgo_reason(stage: &Stage, run: &GoRun) -> String {
    match run.env("CGO_ENABLED") {
        EnvValue::Known(value) => return format!("set explicitly to `{value}`"),
        EnvValue::Unknown => return "set from a build argument".to_string(),
        EnvValue::Unset => {}
    }
    if ["GOOS", "GOARCH"].iter().any(|name| *run.env(name) != EnvValue::Unset) {
        return "not set; off when GOOS/GOARCH name another platform than the build machine's".to_string();
    }
    match stage.golang.as_ref() {
        Some(image) if image.cgo_default == Some(true) => "not set; the image's default: gcc is installed".to_string(),
        Some(image) if image.cgo_default == Some(false) => {
            "not set; the image's default: no C compiler, and Go 1.20+ then turns cgo off".to_string()
        }
        _ => "not set; depends on whether the builder image has a C compiler".to_string(),
    }
}

/// Inside the `-ldflags` value.
fn linker(
    parse: &Parse,
    command: &GoCommand,
    value: TextRange,
    offset: usize,
    go: Option<&GoFacts>,
) -> Option<(TextRange, String)> {
    let flags = command.ldflags()?;
    if let Some(definition) = flags.definitions.iter().find(|d| d.target_range.touches(offset)) {
        return Some((definition.target_range, x_definition(command, definition, go)));
    }
    let (range, token) = token_at(parse.text(), value, offset, " \t\"'")?;
    let name = token.strip_prefix('-')?.trim_start_matches('-');
    let name = name.split('=').next().unwrap_or(name);
    let doc = go::linker_flag(name)?;
    let mut out = format!("**`-{name}`** · linker flag\n\n{doc}");
    if name == "extldflags" {
        let cgo_off = command.env_value("CGO_ENABLED").and_then(|v| v.as_ref()).is_some_and(|v| v.value == "0");
        if cgo_off && flags.linkmode.as_deref() != Some("external") {
            out += "\n\nHere `CGO_ENABLED=0`: the internal linker is used and these flags are ignored.";
        }
    }
    Some((range, out + &format!("\n\n[Linker flags]({})", go::LINKER_DOCS)))
}

fn x_definition(command: &GoCommand, definition: &XDefinition, go: Option<&GoFacts>) -> String {
    let mut out = format!(
        "**`-X {}`** · asks the linker to set `{}` of package `{}` to `{}`\n\n",
        definition.target, definition.name, definition.import_path, definition.value
    );
    if definition.import_path == "main" {
        out += "`main` is the main package this command builds.\n\n";
    }
    match go.and_then(|facts| resolve(command, definition, facts)) {
        Some(finding) => out += &finding,
        None => out += "The linker ignores a target it cannot find, without any message.",
    }
    out.trim_end().to_string() + &format!("\n\n[Linker flags]({})", go::LINKER_DOCS)
}

/// What the workspace says about the target: the variable, or why nothing is set.
fn resolve(command: &GoCommand, definition: &XDefinition, facts: &GoFacts) -> Option<String> {
    let module = facts.context.module.as_ref()?;
    let module_path = module.path()?;
    let relative = if definition.import_path == "main" {
        let package = command.packages.first().map_or(".", |p| p.value.as_str());
        if package.contains('$') || package.contains("...") || package.ends_with(".go") {
            return None;
        }
        package.trim_start_matches("./").trim_end_matches('/').trim_start_matches('.').to_string()
    } else if definition.import_path == module_path {
        String::new()
    } else if let Some(rest) = definition.import_path.strip_prefix(module_path).and_then(|r| r.strip_prefix('/')) {
        rest.to_string()
    } else {
        return Some(format!(
            "`{}` is not in module `{module_path}`: gantry does not check it.",
            definition.import_path
        ));
    };
    let dir = [module.dir.as_str(), relative.as_str()]
        .iter()
        .filter(|p| !p.is_empty() && **p != ".")
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    let shown = if dir.is_empty() { ".".to_string() } else { dir.clone() };
    let Some(package) = facts.workspace.package(&dir) else {
        return Some(format!("**No Go package in `{shown}`**: this `-X` sets nothing, and the linker says nothing."));
    };
    let Some((file, var)) = package.var(&definition.name) else {
        return Some(format!(
            "**No package-level variable `{}` in `{shown}`**: this `-X` sets nothing, and the linker says nothing.",
            definition.name
        ));
    };
    let location = format!("`var {}` in `{shown}/{}`", definition.name, file.name);
    let string_typed = var.type_text.as_deref().is_none_or(|t| t == "string");
    Some(match (&var.init, string_typed) {
        (_, false) => format!("{location} is not a string: the link fails."),
        (Initializer::None, true) => format!("{location}: uninitialised string, settable."),
        (Initializer::ConstantString(value), true) => {
            format!("{location}: a string defaulting to `{value:?}`, settable.")
        }
        (Initializer::Identifier(name), true) => {
            format!("{location} is initialised from `{name}`: settable only if that is a constant.")
        }
        (Initializer::Call, true) => format!("{location} is initialised by a function call: `-X` has no effect."),
        (_, true) => format!("{location} is not a constant string: `-X` has no effect."),
    })
}
