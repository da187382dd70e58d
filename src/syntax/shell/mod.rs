//! A typed model of the shell script a RUN instruction executes: its simple commands, their
//! words, leading assignments and redirections, and how each is joined to the one before.
//!
//! The script is read with tree-sitter-bash from the text the shell would receive: the shell
//! form with continuations joined, the body of `RUN <<EOF`, a shell form that feeds heredocs to
//! its commands, or the `-c` string of `["sh", "-c", "…"]`. Every word carries its range in the
//! Dockerfile text, mapped back across continuations, skipped comment lines and JSON escapes.
//! Building the model never fails: what tree-sitter cannot read is skipped and `has_errors` set.
//!
//! Cost: the largest RUN of the corpus (1.4 KB, 23 commands) takes about 0.2 ms to parse with
//! tree-sitter-bash and 0.1 ms more to build the model (release build, busy 2-core machine); all
//! 220 RUNs of the corpus's 45 Dockerfiles, Dockerfile parsing included, take about 55 ms.

mod build;
mod cache;
mod source_map;
mod word;

pub(crate) use cache::ScriptCache;

use super::lexer::{self, LogicalLine};
use super::{Command, Dockerfile, Heredoc, Instruction, InstructionKind, TextRange, Word};
use source_map::MappedText;

/// Where the script text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptOrigin {
    /// `RUN cmd …`, heredocs fed to `cmd` included.
    ShellForm,
    /// `RUN <<EOF`: the heredoc body is the script.
    Heredoc,
    /// `RUN ["sh", "-c", "…"]`: the string after `-c`.
    ExecForm,
    /// Shell text given directly to [`parse_shell`].
    Text,
}

/// How a command is joined to the command before it at the same level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// The first command of the script, of a substitution or of a heredoc script.
    First,
    /// `;` or a line break.
    Sequence,
    /// `&`: the previous command runs in the background.
    Background,
    /// `&&`
    And,
    /// `||`
    Or,
    /// `|` or `|&`: this command reads the previous one's output.
    Pipe,
}

/// A construct that encloses a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// `( … )`
    Subshell,
    /// `{ …; }`
    Group,
    /// `$( … )` or `` `…` ``
    CommandSubstitution,
    /// `<( … )` or `>( … )`
    ProcessSubstitution,
    If,
    /// `for`, `while`, `until`
    Loop,
    Case,
    Function,
    /// The body of `sh <<EOF` (a script read from standard input).
    HeredocScript,
}

/// A shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellWord {
    /// Where the word is in the Dockerfile.
    pub range: TextRange,
    /// The word as the shell reads it, quotes included.
    pub text: String,
    /// Quotes and escapes removed; `$X`, `${X}` and `$(…)` kept as written.
    pub value: String,
    /// Contains an expansion or substitution, so `value` is not what the program receives.
    pub dynamic: bool,
    /// Contains quotes or backslashes.
    pub quoted: bool,
}

/// `NAME=value` before a command or on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub range: TextRange,
    pub name: String,
    pub name_range: TextRange,
    /// `None` for `NAME=`.
    pub value: Option<ShellWord>,
}

/// A redirection: `>file`, `2>&1`, `<<EOF`, `<<<word`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub range: TextRange,
    /// The operator as written: `>`, `>>`, `<`, `>&`, `&>`, `<<`, `<<-`, `<<<`, …
    pub operator: String,
    /// The descriptor before the operator (`2` in `2>&1`).
    pub descriptor: Option<String>,
    /// The file, descriptor or heredoc delimiter after the operator.
    pub target: Option<ShellWord>,
}

/// A simple command: assignments, a name, arguments and redirections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub range: TextRange,
    /// `None` when the command only assigns variables. For `export`, `unset`, `[`/`[[`, the keyword.
    pub name: Option<ShellWord>,
    pub args: Vec<ShellWord>,
    /// Leading `NAME=value` words (`CGO_ENABLED=0 go build`).
    pub assignments: Vec<Assignment>,
    pub redirects: Vec<Redirect>,
    /// How it is joined to the command before it at the same level.
    pub connector: Connector,
    /// The constructs around it, outermost first; empty at the top level.
    pub enclosing: Vec<Nesting>,
}

impl SimpleCommand {
    /// The command name without its directory (`/usr/bin/apt-get` → `apt-get`), if it is literal.
    pub fn program(&self) -> Option<&str> {
        let name = self.name.as_ref().filter(|n| !n.dynamic)?;
        let value = name.value.as_str();
        Some(value.rsplit_once('/').map_or(value, |(_, base)| base))
    }

    /// Whether the command runs `program` (compared without the directory).
    pub fn is(&self, program: &str) -> bool {
        self.program() == Some(program)
    }

    /// The unquoted argument values.
    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|a| a.value.as_str())
    }

    /// Whether the command sits inside `construct` at any depth.
    pub fn within(&self, construct: Nesting) -> bool {
        self.enclosing.contains(&construct)
    }

    /// The value of a leading assignment to `name`.
    pub fn assignment(&self, name: &str) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.name == name)
    }
}

/// The parsed script of one RUN instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellScript {
    pub origin: ScriptOrigin,
    /// The script's text in the Dockerfile (heredoc bodies included).
    pub range: TextRange,
    /// Every simple command, in source order; a command comes before those in its substitutions.
    pub commands: Vec<SimpleCommand>,
    /// tree-sitter-bash found syntax it could not read, or nesting was too deep to walk:
    /// some commands may be missing or partial.
    pub has_errors: bool,
}

impl ShellScript {
    /// The commands that run `program` (compared without the directory).
    pub fn commands_running<'s>(&'s self, program: &'s str) -> impl Iterator<Item = &'s SimpleCommand> {
        self.commands.iter().filter(move |c| c.is(program))
    }
}

/// Parses standalone shell text; ranges are offsets into `text`.
pub fn parse_shell(text: &str) -> ShellScript {
    let mut mapped = MappedText::default();
    mapped.push(text, TextRange::new(0, text.len()));
    script(mapped, ScriptOrigin::Text)
}

/// The script of the RUN instruction at `index` of `dockerfile` (parsed from `text`), or `None`
/// for another instruction, an empty RUN, a non-POSIX `SHELL`, an exec form that runs no shell
/// and a heredoc script with a non-shell `#!` line. Re-lexes the file: for many instructions use
/// [`ShellScripts`].
pub fn run_script(text: &str, dockerfile: &Dockerfile, index: usize) -> Option<ShellScript> {
    ShellScripts::new(text, dockerfile).get(index).cloned()
}

/// The scripts of a document's RUN instructions, each parsed on first use and then kept. Built
/// from a [`crate::syntax::Parse`] (`Parse::shell_scripts`), they are shared by every user of that
/// parse and carried over to the next one for the RUNs an edit did not touch.
pub struct ShellScripts<'a> {
    text: &'a str,
    dockerfile: &'a Dockerfile,
    cache: CacheRef<'a>,
}

enum CacheRef<'a> {
    Owned(ScriptCache),
    Shared(&'a ScriptCache),
}

impl std::fmt::Debug for ShellScripts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShellScripts").field("cache", self.cache()).finish()
    }
}

impl<'a> ShellScripts<'a> {
    /// Scripts of `dockerfile` (parsed from `text`) kept only as long as this value.
    pub fn new(text: &'a str, dockerfile: &'a Dockerfile) -> ShellScripts<'a> {
        let cache = CacheRef::Owned(ScriptCache::new(dockerfile.instructions.len()));
        ShellScripts { text, dockerfile, cache }
    }

    /// Scripts kept in `cache`, which belongs to the parse of `text`.
    pub(crate) fn shared(text: &'a str, dockerfile: &'a Dockerfile, cache: &'a ScriptCache) -> ShellScripts<'a> {
        ShellScripts { text, dockerfile, cache: CacheRef::Shared(cache) }
    }

    fn cache(&self) -> &ScriptCache {
        match &self.cache {
            CacheRef::Owned(cache) => cache,
            CacheRef::Shared(cache) => cache,
        }
    }

    /// The script of the instruction at `index`; see [`run_script`] for when there is none.
    pub fn get(&self, index: usize) -> Option<&ShellScript> {
        let instruction = self.dockerfile.instructions.get(index)?;
        self.cache().get_or_build(
            index,
            instruction.range.start,
            || posix_shells(self.dockerfile),
            // The lexer's logical lines carry the continuation map; they match the instructions one to one.
            || lexer::lex(self.text).instructions.into_iter().map(|raw| Some(raw.line)).collect(),
            |line| instruction_script(self.text, instruction, line),
        )
    }
}

/// Whether an instruction may hold a RUN (directly or through ONBUILD): only those need their
/// logical line kept for the shell model.
pub(crate) fn may_run(instruction: &Instruction) -> bool {
    run_command(instruction).is_some()
}

/// The RUN of an instruction, looking through ONBUILD.
fn run_command(instruction: &Instruction) -> Option<&Command> {
    match &instruction.kind {
        InstructionKind::Run(run) => Some(&run.command),
        InstructionKind::Onbuild(Some(trigger)) => match &trigger.kind {
            InstructionKind::Run(run) => Some(&run.command),
            _ => None,
        },
        _ => None,
    }
}

fn instruction_script(text: &str, instruction: &Instruction, line: &LogicalLine) -> Option<ShellScript> {
    match run_command(instruction)? {
        Command::Empty => None,
        Command::Shell { text: command, .. } => shell_form(text, command, &instruction.heredocs, line),
        Command::Exec { args, .. } => exec_form(args),
    }
}

fn shell_form(text: &str, command: &str, heredocs: &[Heredoc], line: &LogicalLine) -> Option<ShellScript> {
    // The command is the logical line's tail, from the first argument to the trimmed end.
    let end = line.text.trim_end().len();
    let start = end.checked_sub(command.len()).filter(|&s| line.text.get(s..end) == Some(command))?;
    let trimmed = command.trim();
    if let Some(first) = heredocs.first()
        && !trimmed.contains(char::is_whitespace)
        && trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with("<<")
    {
        // BuildKit runs the body of a lone heredoc as the script (or through its `#!` interpreter).
        let body = text.get(first.body.as_range())?;
        if !shebang_is_posix_shell(body) {
            return None;
        }
        let mut mapped = MappedText::default();
        mapped.push(body, first.body);
        return Some(script(mapped, ScriptOrigin::Heredoc));
    }
    // Otherwise BuildKit hands the shell the command line followed by each heredoc.
    let mut mapped = MappedText::default();
    mapped.push_logical(line, TextRange::new(start, end));
    for heredoc in heredocs {
        mapped.push("\n", TextRange::empty(heredoc.body.start));
        mapped.push(text.get(heredoc.body.as_range()).unwrap_or(""), heredoc.body);
        let terminator = heredoc.terminator.unwrap_or(TextRange::empty(heredoc.body.end));
        mapped.push("\n", TextRange::empty(terminator.start));
        mapped.push(&heredoc.name, terminator);
    }
    Some(script(mapped, ScriptOrigin::ShellForm))
}

/// `#!/bin/sh`, `#!/usr/bin/env bash` or no `#!` line at all.
fn shebang_is_posix_shell(body: &str) -> bool {
    let Some(line) = body.strip_prefix("#!") else { return true };
    let line = line.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let program = |word: Option<&str>| word.map(|w| w.rsplit('/').next().unwrap_or(w).to_string());
    let mut interpreter = program(words.next());
    if interpreter.as_deref() == Some("env") {
        interpreter = program(words.find(|w| !w.starts_with('-')));
    }
    interpreter.is_some_and(|i| build::POSIX_SHELLS.contains(&i.as_str()))
}

/// `["sh", "-c", "script", …]`, `["/bin/bash", "-o", "pipefail", "-ec", "script"]`.
fn exec_form(args: &[Word]) -> Option<ShellScript> {
    let program = args.first()?.value.rsplit('/').next()?;
    if !build::POSIX_SHELLS.contains(&program) {
        return None;
    }
    let mut rest = args[1..].iter();
    let script_word = loop {
        let arg = rest.next()?.value.as_str();
        match arg {
            "-o" | "+o" => {
                rest.next();
            }
            flag if flag.starts_with('-') && !flag.starts_with("--") && flag.contains('c') => break rest.next()?,
            flag if flag.starts_with(['-', '+']) => {}
            _ => return None,
        }
    };
    let mut mapped = MappedText::default();
    push_json_string(&mut mapped, script_word);
    Some(script(mapped, ScriptOrigin::ExecForm))
}

/// Appends a JSON string's value, mapping each character to its literal (escapes as a whole).
fn push_json_string(mapped: &mut MappedText, word: &Word) {
    let literal = word.text.as_str();
    if word.range.len() == literal.len() && literal.len() >= 2 {
        let mut decoded = mapped.clone();
        let inner = &literal[1..literal.len() - 1];
        let base = word.range.start + 1;
        let mut at = 0;
        while let Some(rest) = inner.get(at..).filter(|r| !r.is_empty()) {
            let step = if rest.starts_with("\\u") {
                // A run of `\uXXXX` escapes decodes together (surrogate pairs).
                let mut len = 0;
                while inner.get(at + len..).is_some_and(|r| r.starts_with("\\u") && r.len() >= 6) {
                    len += 6;
                }
                len
            } else if rest.starts_with('\\') {
                2
            } else {
                rest.find('\\').unwrap_or(rest.len())
            };
            let piece = inner.get(at..at + step).unwrap_or(rest);
            let value = if piece.starts_with('\\') {
                serde_json::from_str::<String>(&format!("\"{piece}\"")).unwrap_or_default()
            } else {
                piece.to_string()
            };
            decoded.push(&value, TextRange::new(base + at, base + at + piece.len()));
            at += piece.len();
        }
        if decoded.text.ends_with(word.value.as_str()) && decoded.text.len() == mapped.text.len() + word.value.len() {
            *mapped = decoded;
            return;
        }
    }
    // A literal split over lines, or one that did not decode as expected: map it as a whole.
    mapped.push(&word.value, word.range);
}

fn script(mapped: MappedText, origin: ScriptOrigin) -> ShellScript {
    let (text, map) = mapped.into_map();
    let range = map.range(TextRange::new(0, text.len()));
    let Some(tree) = build::parse_tree(&text) else {
        return ShellScript { origin, range, commands: Vec::new(), has_errors: true };
    };
    let mut walker = build::Walker::new(&text, 0, &map, Vec::new());
    walker.statement(tree.root_node());
    let has_errors = walker.truncated || tree.root_node().has_error();
    ShellScript { origin, range, commands: walker.commands, has_errors }
}

/// Shells that do not read POSIX shell syntax; `SHELL` naming one of them turns the model off.
const NON_POSIX_SHELLS: &[&str] = &["powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe"];

/// For each instruction, whether its RUN runs under a POSIX shell: the last `SHELL` before it in
/// its stage, or in the stage it builds on (`FROM <stage>`), decides; the default `/bin/sh -c` is
/// POSIX. One pass over the file: a stage starts from the state its parent stage ended with.
fn posix_shells(dockerfile: &Dockerfile) -> Vec<bool> {
    let mut posix = vec![true; dockerfile.instructions.len()];
    let mut names: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut ends_posix: Vec<bool> = Vec::with_capacity(dockerfile.stages.len());
    for stage in &dockerfile.stages {
        let base = match dockerfile.instructions.get(stage.from).map(|i| &i.kind) {
            Some(InstructionKind::From(from)) => from.image.as_ref().map(|i| i.text.to_ascii_lowercase()),
            _ => None,
        };
        // As `Dockerfile::stage_by_reference`: the first stage with that name, else a stage index;
        // only earlier stages can be built on.
        let parent = base
            .and_then(|b| names.get(&b).copied().or_else(|| b.parse::<usize>().ok()))
            .filter(|&parent| parent < stage.index);
        let mut current = parent.and_then(|p| ends_posix.get(p).copied()).unwrap_or(true);
        for index in stage.instructions.clone() {
            if let Some(flag) = posix.get_mut(index) {
                *flag = current;
            }
            if let Some(InstructionKind::Shell(words)) = dockerfile.instructions.get(index).map(|i| &i.kind) {
                let program =
                    words.first().map(|w| w.value.rsplit(['/', '\\']).next().unwrap_or("").to_ascii_lowercase());
                current = !program.is_some_and(|p| NON_POSIX_SHELLS.contains(&p.as_str()));
            }
        }
        ends_posix.push(current);
        if let Some(name) = &stage.name {
            names.entry(name.to_ascii_lowercase()).or_insert(stage.index);
        }
    }
    posix
}

#[cfg(test)]
mod tests;
