//! The shell models of one parse's RUN instructions, built on first use, shared by every clone of
//! the parse, and carried over to the next parse for each RUN whose text an edit did not touch.
//!
//! Reading a RUN with tree-sitter-bash is the most expensive step of a rule pass (about three
//! quarters of a full check of the generated 5,000-line file), and an edit usually changes one
//! instruction: the other RUNs keep their models, moved by the edit's length when they come after it.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::{Assignment, Redirect, ShellScript, ShellWord, SimpleCommand};
use crate::syntax::lexer::LogicalLine;
use crate::syntax::{Dockerfile, TextRange};

/// A model taken from an earlier parse: the script and where its instruction started there.
#[derive(Clone)]
struct Carried {
    script: Arc<ShellScript>,
    old_start: usize,
}

/// The scripts of one document's instructions, by instruction index.
#[derive(Default)]
pub(crate) struct ScriptCache {
    /// The logical line of each instruction (`None` for instructions that cannot hold a RUN);
    /// kept from lexing the file, or lexed on first use.
    lines: OnceLock<Vec<Option<LogicalLine>>>,
    /// Whether a POSIX shell runs each instruction's RUN (see `posix_shell_in_effect`).
    posix: OnceLock<Vec<bool>>,
    scripts: Vec<OnceLock<Option<Arc<ShellScript>>>>,
    /// Models of unchanged instructions from the parse before the last edit.
    carried: Vec<Option<Carried>>,
}

impl std::fmt::Debug for ScriptCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parsed = self.scripts.iter().filter(|s| s.get().is_some()).count();
        f.debug_struct("ScriptCache").field("parsed", &parsed).finish()
    }
}

impl ScriptCache {
    /// An empty cache for `count` instructions; lines are lexed when first needed.
    pub(crate) fn new(count: usize) -> ScriptCache {
        ScriptCache {
            lines: OnceLock::new(),
            posix: OnceLock::new(),
            scripts: (0..count).map(|_| OnceLock::new()).collect(),
            carried: Vec::new(),
        }
    }

    /// A cache whose logical lines are already known (one per instruction, `None` where no RUN is).
    pub(crate) fn with_lines(lines: Vec<Option<LogicalLine>>) -> ScriptCache {
        let mut cache = ScriptCache::new(lines.len());
        cache.lines = OnceLock::from(lines);
        cache
    }

    /// Takes over the models `previous` built for instructions whose text is unchanged in `text`.
    /// The escape character must be the same: it decides how continuations join.
    pub(crate) fn carry_over(&mut self, previous: &ScriptCache, old: (&str, &Dockerfile), new: (&str, &Dockerfile)) {
        let ((old_text, old_file), (new_text, new_file)) = (old, new);
        if old_file.escape != new_file.escape {
            return;
        }
        let mut built: HashMap<&str, Carried> = HashMap::new();
        for (instruction, cell) in old_file.instructions.iter().zip(&previous.scripts) {
            if let Some(Some(script)) = cell.get()
                && let Some(source) = old_text.get(instruction.range.as_range())
            {
                built
                    .entry(source)
                    .or_insert_with(|| Carried { script: script.clone(), old_start: instruction.range.start });
            }
        }
        if built.is_empty() {
            return;
        }
        self.carried = new_file
            .instructions
            .iter()
            .map(|instruction| new_text.get(instruction.range.as_range()).and_then(|source| built.get(source)).cloned())
            .collect();
    }

    /// The cached script of `index`, building it with `build` (from the instruction's logical
    /// line) when neither this parse nor the one before has it.
    pub(crate) fn get_or_build(
        &self,
        index: usize,
        start: usize,
        posix: impl FnOnce() -> Vec<bool>,
        lex: impl FnOnce() -> Vec<Option<LogicalLine>>,
        build: impl FnOnce(&LogicalLine) -> Option<ShellScript>,
    ) -> Option<&ShellScript> {
        let cell = self.scripts.get(index)?;
        cell.get_or_init(|| {
            if !self.posix.get_or_init(posix).get(index).copied().unwrap_or(true) {
                return None;
            }
            if let Some(Some(carried)) = self.carried.get(index) {
                return Some(if carried.old_start == start {
                    carried.script.clone()
                } else {
                    Arc::new(moved(&carried.script, carried.old_start, start))
                });
            }
            let line = self.lines.get_or_init(lex).get(index)?.as_ref()?;
            build(line).map(Arc::new)
        })
        .as_deref()
    }
}

/// A copy of `script` whose instruction now starts at `new_start` instead of `old_start`.
fn moved(script: &ShellScript, old_start: usize, new_start: usize) -> ShellScript {
    let at = |offset: usize| offset.saturating_sub(old_start) + new_start;
    let range = |r: TextRange| TextRange::new(at(r.start), at(r.end).max(at(r.start)));
    let word = |w: &ShellWord| ShellWord { range: range(w.range), ..w.clone() };
    let commands = script
        .commands
        .iter()
        .map(|command| SimpleCommand {
            range: range(command.range),
            name: command.name.as_ref().map(word),
            args: command.args.iter().map(word).collect(),
            assignments: command
                .assignments
                .iter()
                .map(|a| Assignment {
                    range: range(a.range),
                    name: a.name.clone(),
                    name_range: range(a.name_range),
                    value: a.value.as_ref().map(word),
                })
                .collect(),
            redirects: command
                .redirects
                .iter()
                .map(|r| Redirect {
                    range: range(r.range),
                    operator: r.operator.clone(),
                    descriptor: r.descriptor.clone(),
                    target: r.target.as_ref().map(word),
                })
                .collect(),
            connector: command.connector,
            enclosing: command.enclosing.clone(),
        })
        .collect();
    ShellScript { origin: script.origin, range: range(script.range), commands, has_errors: script.has_errors }
}
