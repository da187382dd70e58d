//! The syntax layer: tree-sitter's concrete tree plus a typed Dockerfile model built by BuildKit's rules.
//!
//! No LSP, no I/O, no Go. Parsing never fails: `Parse` always has a tree, a model and a list of
//! syntax errors (possibly empty).

mod errors;
mod gocmd;
mod instructions;
mod keyword;
mod lexer;
mod line_index;
mod scope;
mod shell;
mod text_range;
mod tree;
mod validate;
mod variables;
mod words;

use std::sync::Arc;

pub use errors::{SyntaxError, SyntaxErrorKind, is_syntax_error_code};
pub use gocmd::{GoCommand, GoFlag, GoSubcommand, LinkerFlags, XDefinition, go_commands};
pub use instructions::{
    Command, Copy, Flag, From, Healthcheck, ImageRef, Instruction, InstructionKind, KeyValue, Mount, MountOption, Run,
    Word, parse_image,
};
pub use keyword::{Keyword, edit_distance, suggest_keyword};
pub use lexer::{Directive, Heredoc, KNOWN_DIRECTIVES};
pub use line_index::{LineCol, LineIndex};
pub use scope::{AUTOMATIC_PLATFORM_ARGS, Definition, Expansion, PROXY_ARGS, Scope, StageBase, VariableKind};
pub use shell::{
    Assignment, Connector, Nesting, Redirect, ScriptOrigin, ShellScript, ShellScripts, ShellWord, SimpleCommand,
    parse_shell, run_script,
};
pub use text_range::TextRange;
pub use tree::{language, tree_fingerprint};
pub use variables::{VariableRef, variable_references};
pub use words::{parse_json_array, split_words, unquote};

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name as written.
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    /// Index of the FROM in `Dockerfile::instructions`.
    pub from: usize,
    /// Indices of this stage's instructions, FROM included.
    pub instructions: std::ops::Range<usize>,
    pub range: TextRange,
}

/// The typed model of a whole Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// `\` unless the `escape` directive says otherwise.
    pub escape: char,
    /// Comment lines outside instructions.
    pub comments: Vec<TextRange>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
}

impl Dockerfile {
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The instructions before the first FROM (global ARGs).
    pub fn global_instructions(&self) -> &[Instruction] {
        let first = self.stages.first().map_or(self.instructions.len(), |s| s.from);
        &self.instructions[..first]
    }

    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.instructions.clone()]
    }

    /// The stage named `name` (case-insensitive) or with that index.
    pub fn stage_by_reference(&self, reference: &str) -> Option<&Stage> {
        self.stages
            .iter()
            .find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(reference)))
            .or_else(|| reference.parse::<usize>().ok().and_then(|i| self.stages.get(i)))
    }
}

/// A byte edit: replace `range` (in the text as it is when this edit applies) by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A parsed document: text, tree-sitter tree, typed model and syntax errors.
#[derive(Clone)]
pub struct Parse {
    text: Arc<str>,
    tree: tree_sitter::Tree,
    dockerfile: Arc<Dockerfile>,
    errors: Arc<[SyntaxError]>,
    /// The shell models of the RUN instructions, built on first use and shared by every clone.
    shells: Arc<shell::ScriptCache>,
}

impl std::fmt::Debug for Parse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parse").field("len", &self.text.len()).field("errors", &self.errors).finish()
    }
}

impl Parse {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn shared_text(&self) -> Arc<str> {
        self.text.clone()
    }

    pub fn tree(&self) -> &tree_sitter::Tree {
        &self.tree
    }

    pub fn dockerfile(&self) -> &Dockerfile {
        &self.dockerfile
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The shell models of the RUN instructions, each read on first use and then shared by every
    /// user of this parse (and by the next parse, for the RUNs an edit did not touch).
    pub fn shell_scripts(&self) -> ShellScripts<'_> {
        ShellScripts::shared(&self.text, &self.dockerfile, &self.shells)
    }

    /// Applies `edits` in order and reparses, reusing the unchanged parts of the tree.
    /// Edit ranges are clamped to the text and to character boundaries, so no edit can panic.
    pub fn reparse(&self, edits: &[TextEdit]) -> Parse {
        let mut text = self.text.to_string();
        let mut tree = self.tree.clone();
        for edit in edits {
            let range = clamp_to_text(&text, edit.range);
            tree.edit(&tree::input_edit(&text, range, &edit.new_text));
            text.replace_range(range.as_range(), &edit.new_text);
        }
        let tree = tree::parse_tree(&text, Some(&tree));
        Parse::with_tree(text.into(), tree, Some(self))
    }

    /// The parse of `text`; the shell models of `previous` are reused for unchanged RUNs.
    fn with_tree(text: Arc<str>, tree: tree_sitter::Tree, previous: Option<&Parse>) -> Parse {
        let (dockerfile, errors, lines) = build_model(&text);
        let mut shells = shell::ScriptCache::with_lines(lines);
        if let Some(previous) = previous {
            shells.carry_over(&previous.shells, (&previous.text, &previous.dockerfile), (&text, &dockerfile));
        }
        Parse { text, tree, dockerfile: Arc::new(dockerfile), errors: errors.into(), shells: Arc::new(shells) }
    }
}

fn clamp_to_text(text: &str, range: TextRange) -> TextRange {
    let mut start = range.start.min(text.len());
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    TextRange::new(start, end)
}

/// Parses a whole document. Never fails.
pub fn parse(text: &str) -> Parse {
    let tree = tree::parse_tree(text, None);
    Parse::with_tree(text.into(), tree, None)
}

/// The logical line of each instruction that may hold a RUN (`None` for the others).
type RunLines = Vec<Option<lexer::LogicalLine>>;

/// Builds the typed model and collects syntax errors, sorted by position.
fn build_model(text: &str) -> (Dockerfile, Vec<SyntaxError>, RunLines) {
    let lexed = lexer::lex(text);
    let mut errors = lexed.errors;
    let escape = lexed.escape;
    let mut lines = Vec::with_capacity(lexed.instructions.len());
    let instructions: Vec<Instruction> = lexed
        .instructions
        .into_iter()
        .map(|raw| {
            let (instruction, line) = instructions::build_instruction(raw, escape, &mut errors);
            lines.push(shell::may_run(&instruction).then_some(line));
            instruction
        })
        .collect();
    let stages = stages(&instructions);
    if let Some(first) = instructions.iter().find(|i| !i.is(Keyword::Arg))
        && !first.is(Keyword::From)
        && first.keyword.is_some()
    {
        errors.push(SyntaxError::new(
            SyntaxErrorKind::InstructionBeforeFrom,
            first.keyword_range,
            format!(
                "{} comes before any FROM: a Dockerfile must start with FROM (only ARG may come first)",
                first.keyword_text
            ),
        ));
    }
    errors.sort_by_key(|e| (e.range.start, e.range.end));
    let dockerfile =
        Dockerfile { directives: lexed.directives, escape, comments: lexed.comments, instructions, stages };
    (dockerfile, errors, lines)
}

fn stages(instructions: &[Instruction]) -> Vec<Stage> {
    let froms: Vec<usize> =
        instructions.iter().enumerate().filter(|(_, i)| i.is(Keyword::From)).map(|(n, _)| n).collect();
    froms
        .iter()
        .enumerate()
        .map(|(index, &from)| {
            let end = froms.get(index + 1).copied().unwrap_or(instructions.len());
            let alias = match &instructions[from].kind {
                InstructionKind::From(f) => f.alias.as_ref(),
                _ => None,
            };
            Stage {
                index,
                name: alias.map(|a| a.value.clone()),
                name_range: alias.map(|a| a.range),
                from,
                instructions: from..end,
                range: instructions[from].range.cover(instructions[end - 1].range),
            }
        })
        .collect()
}
