//! Go to definition out of the Dockerfile, with the Go project's facts: a package of
//! `go build`/`go install`/`go run` (`./cmd/api`, `.`, an import path of the module, a `.go` file)
//! goes to the file holding its `func main` (or its first file), a `-X importpath.name=…` target of
//! `-ldflags` to the variable's declaration, and a COPY/ADD source to the file in the build context.
//! A directory source has no single place to go to and gives no target.

use super::DefinitionTarget;
use crate::rules::GoFacts;
use crate::syntax::{Copy, GoCommand, Instruction, InstructionKind, Parse, ShellWord, XDefinition, run_script};
use crate::workspace::{Package, is_within, join, parent};

pub(super) fn definition(parse: &Parse, offset: usize, go: &GoFacts) -> Option<DefinitionTarget> {
    let dockerfile = parse.dockerfile();
    let (index, instruction) = dockerfile.instructions.iter().enumerate().find(|(_, i)| i.range.touches(offset))?;
    match &instruction.kind {
        InstructionKind::Run(_) => in_run(parse, index, offset, go),
        InstructionKind::Copy(copy) | InstructionKind::Add(copy) => copy_source(instruction, copy, offset, go),
        _ => None,
    }
}

fn in_run(parse: &Parse, index: usize, offset: usize, go: &GoFacts) -> Option<DefinitionTarget> {
    let script = run_script(parse.text(), parse.dockerfile(), index)?;
    let command = script.commands.iter().filter(|c| c.range.touches(offset)).min_by_key(|c| c.range.len())?;
    let command = GoCommand::from_shell(command)?;
    if !command.subcommand.builds() {
        return None;
    }
    let base = command_dir(&command, go)?;
    if let Some(word) = command.packages.iter().find(|w| w.range.touches(offset)) {
        return package_target(word, &base, go);
    }
    let flags = command.ldflags()?;
    let definition = flags.definitions.iter().find(|d| d.target_range.touches(offset))?;
    x_target(&command, definition, &base, go)
}

/// The directory the go command is taken to run in: the module's (where a Dockerfile usually
/// copies it and runs the build), moved by `-C`.
fn command_dir(command: &GoCommand, go: &GoFacts) -> Option<String> {
    let module_dir = go.context.module.as_ref().map(|m| m.dir.clone()).or_else(|| go.context.root.clone())?;
    match command.flag("C").and_then(|flag| flag.value.as_ref()) {
        Some(value) if value.dynamic => None,
        Some(value) => join(&module_dir, &value.value),
        None => Some(module_dir),
    }
}

/// A package argument: a relative directory, an import path inside the module, or `.go` files.
fn package_target(word: &ShellWord, base: &str, go: &GoFacts) -> Option<DefinitionTarget> {
    let value = word.value.as_str();
    if word.dynamic || value.contains("...") || value.contains('@') {
        return None;
    }
    if value.ends_with(".go") {
        let path = join(base, value)?;
        return is_file(go, &path).then(|| file_target(go, &path, None));
    }
    let dir = package_dir(value, base, go)?;
    let package = go.workspace.package(&dir)?;
    let (name, range) = main_file(&package)?;
    Some(file_target(go, &join(&dir, &name)?, range))
}

/// The workspace directory of a package argument.
fn package_dir(value: &str, base: &str, go: &GoFacts) -> Option<String> {
    let relative = value == "." || value == ".." || value.starts_with("./") || value.starts_with("../");
    if relative {
        return join(base, value.trim_end_matches('/'));
    }
    let module = go.context.module.as_ref()?;
    let module_path = module.path()?;
    if value == module_path {
        return Some(module.dir.clone());
    }
    join(&module.dir, value.strip_prefix(module_path)?.strip_prefix('/')?)
}

/// The file of a package that declares `func main` (and where), else its first file.
fn main_file(package: &Package) -> Option<(String, Option<crate::syntax::TextRange>)> {
    let first = package.files.first()?;
    let with_main = package.files.iter().find_map(|f| f.facts.main_func.map(|range| (f.name.clone(), Some(range))));
    Some(with_main.unwrap_or_else(|| (first.name.clone(), None)))
}

/// `-X importpath.name=value`: the variable's declaration in the module's sources.
fn x_target(command: &GoCommand, definition: &XDefinition, base: &str, go: &GoFacts) -> Option<DefinitionTarget> {
    if definition.target.contains(['$', '`', '\\', '"', '\'']) {
        return None;
    }
    let dir = if definition.import_path == "main" {
        // The main package is the one the command builds (its first package, `.` by default).
        let package = command.packages.first().map_or(".", |p| p.value.as_str());
        if package.contains(['$', '@']) || package.contains("...") || package.ends_with(".go") {
            return None;
        }
        package_dir(package, base, go)?
    } else {
        package_dir(&definition.import_path, base, go)?
    };
    let package = go.workspace.package(&dir)?;
    let (file, var) = package.var(&definition.name)?;
    Some(file_target(go, &join(&dir, &file.name)?, Some(var.name.range)))
}

/// A COPY/ADD source from the build context that names one file.
fn copy_source(instruction: &Instruction, copy: &Copy, offset: usize, go: &GoFacts) -> Option<DefinitionTarget> {
    if instruction.flag("from").is_some() {
        return None;
    }
    let word = copy.sources.iter().find(|w| w.range.touches(offset))?;
    let value = word.value.as_str();
    let remote = value.contains("://") || value.starts_with("git@");
    if remote || value.starts_with("<<") || value.contains(['$', '*', '?', '[']) {
        return None;
    }
    let root = go.context.root.as_deref()?;
    let path = join(root, value.trim_start_matches('/'))?;
    if !is_within(&path, root) || !is_file(go, &path) {
        return None;
    }
    Some(file_target(go, &path, None))
}

/// Whether `path` is a file, by its directory's (cached) listing.
fn is_file(go: &GoFacts, path: &str) -> bool {
    let Some(dir) = parent(path) else { return false };
    let name = path.rsplit('/').next().unwrap_or(path);
    go.workspace.dir_entries(&dir).is_some_and(|entries| entries.iter().any(|e| e.name == name && !e.is_dir))
}

fn file_target(go: &GoFacts, path: &str, range: Option<crate::syntax::TextRange>) -> DefinitionTarget {
    DefinitionTarget::InFile { path: go.workspace.absolute(path), range }
}
