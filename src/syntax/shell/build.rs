//! Walks a tree-sitter-bash tree and collects its simple commands, in source order, with the
//! operator that joins each to the one before and the constructs that enclose it.
//!
//! Never fails: ERROR nodes are walked like any other node, so every command tree-sitter could
//! still recognise around a syntax error is kept.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use super::source_map::SourceMap;
use super::word;
use super::{Assignment, Connector, Nesting, Redirect, ShellWord, SimpleCommand};
use crate::syntax::TextRange;

thread_local! {
    // One shell parser per thread, like the Dockerfile parser: setting one up costs more than a parse.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parses shell text; `None` only if tree-sitter gives up (it does not without a timeout).
pub(super) fn parse_tree(text: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        let parser = slot.get_or_insert_with(|| {
            let mut parser = Parser::new();
            if let Err(error) = parser.set_language(&tree_sitter_bash::LANGUAGE.into()) {
                tracing::error!("the shell grammar cannot be loaded: {error}");
            }
            parser
        });
        parser.parse(text, None)
    })
}

/// Deeper nesting than this (of subshells, substitutions, control structures) is not walked:
/// it keeps the recursion bounded on adversarial input.
const MAX_DEPTH: usize = 128;

/// Says once per process that a script went past `MAX_DEPTH`: the log shows why some commands
/// were not analysed, without repeating it on every keystroke.
fn note_too_deep() {
    static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !SAID.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "shell nesting deeper than {MAX_DEPTH} levels: the commands inside are not analysed (logged once)"
        );
    }
}

/// Shells whose `sh <<EOF` form reads a script from the heredoc.
pub(super) const POSIX_SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"];

pub(super) struct Walker<'t> {
    /// The shell text being walked (for a heredoc script, just its body).
    text: &'t str,
    /// Offset of `text` inside the text the map describes.
    base: usize,
    map: &'t SourceMap,
    pub(super) commands: Vec<SimpleCommand>,
    pub(super) truncated: bool,
    pending: Connector,
    enclosing: Vec<Nesting>,
}

impl<'t> Walker<'t> {
    pub(super) fn new(text: &'t str, base: usize, map: &'t SourceMap, enclosing: Vec<Nesting>) -> Walker<'t> {
        Walker { text, base, map, commands: Vec::new(), truncated: false, pending: Connector::First, enclosing }
    }

    fn source(&self, node: Node<'_>) -> TextRange {
        self.map.range(TextRange::new(self.base + node.start_byte(), self.base + node.end_byte()))
    }

    fn raw(&self, node: Node<'_>) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    fn word(&self, node: Node<'_>) -> ShellWord {
        ShellWord {
            range: self.source(node),
            text: self.raw(node).to_string(),
            value: word::value(node, self.text),
            dynamic: word::is_dynamic(node),
            quoted: word::is_quoted(node, self.text),
        }
    }

    /// Walks one statement-level node.
    pub(super) fn statement(&mut self, node: Node<'_>) {
        if self.enclosing.len() >= MAX_DEPTH {
            self.truncated = true;
            note_too_deep();
            return;
        }
        match node.kind() {
            "command" => self.command(node),
            "redirected_statement" => self.redirected_statement(node),
            "list" | "pipeline" => self.chain(node),
            "variable_assignment" | "variable_assignments" => self.assignments_only(node),
            "declaration_command" | "unset_command" | "test_command" => self.keyword_command(node),
            "subshell" => self.nested(node, Nesting::Subshell),
            "compound_statement" => self.nested(node, Nesting::Group),
            "if_statement" => self.nested(node, Nesting::If),
            "while_statement" | "for_statement" | "c_style_for_statement" => self.nested(node, Nesting::Loop),
            "case_statement" => self.nested(node, Nesting::Case),
            "function_definition" => self.nested(node, Nesting::Function),
            "command_substitution" => self.substitution(node, Nesting::CommandSubstitution),
            "process_substitution" => self.substitution(node, Nesting::ProcessSubstitution),
            "program" | "do_group" | "elif_clause" | "else_clause" | "case_item" | "negated_command" | "ERROR" => {
                self.children(node)
            }
            "comment" | "heredoc_body" | "heredoc_end" | "heredoc_start" => {}
            _ => {
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    self.substitutions_in(child);
                }
            }
        }
    }

    /// Walks the children of a node: operators set how the next command is joined, everything
    /// named is a statement.
    fn children(&mut self, node: Node<'_>) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            self.child(child);
        }
    }

    fn child(&mut self, child: Node<'_>) {
        if child.is_named() {
            self.statement(child);
        } else if let Some(connector) = connector(child.kind()) {
            self.pending = connector;
        }
    }

    fn nested(&mut self, node: Node<'_>, nesting: Nesting) {
        self.enclosing.push(nesting);
        self.children(node);
        self.enclosing.pop();
    }

    /// `$(…)`, `` `…` `` and `<(…)` run before the command they sit in: their first command starts
    /// a new sequence, and the outer sequence resumes afterwards.
    fn substitution(&mut self, node: Node<'_>, nesting: Nesting) {
        let outer = std::mem::replace(&mut self.pending, Connector::First);
        self.nested(node, nesting);
        self.pending = outer;
    }

    /// Walks the substitutions in a word-like node (the node itself included).
    fn substitutions_in(&mut self, node: Node<'_>) {
        self.substitutions_below(node, 0);
    }

    /// `substitutions_in` at `depth` word-like nodes down: nested parentheses and expansions
    /// (`((((…))))`) count against the same bound as statements, or deep input would overflow
    /// the stack.
    fn substitutions_below(&mut self, node: Node<'_>, depth: usize) {
        if self.enclosing.len() + depth >= MAX_DEPTH {
            self.truncated = true;
            note_too_deep();
            return;
        }
        if matches!(node.kind(), "command_substitution" | "process_substitution") {
            return self.statement(node);
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.substitutions_below(child, depth + 1);
        }
    }

    /// `a && b || c` and `a | b | c` nest to the left; walk the chain without recursing per link.
    fn chain(&mut self, node: Node<'_>) {
        let mut links = vec![node];
        let mut innermost = node;
        while let Some(first) = innermost.named_child(0)
            && first.kind() == node.kind()
            && first.start_byte() == innermost.start_byte()
        {
            links.push(first);
            innermost = first;
        }
        for (level, link) in links.iter().rev().enumerate() {
            let mut cursor = link.walk();
            for (position, child) in link.children(&mut cursor).enumerate() {
                // Above the innermost link, the first child is the link already walked.
                if level > 0 && position == 0 && child.kind() == node.kind() {
                    continue;
                }
                self.child(child);
            }
        }
    }

    fn take_connector(&mut self) -> Connector {
        std::mem::replace(&mut self.pending, Connector::Sequence)
    }

    fn new_command(&mut self, node: Node<'_>) -> SimpleCommand {
        SimpleCommand {
            range: self.source(node),
            name: None,
            args: Vec::new(),
            assignments: Vec::new(),
            redirects: Vec::new(),
            connector: self.take_connector(),
            enclosing: self.enclosing.clone(),
        }
    }

    fn command(&mut self, node: Node<'_>) {
        let index = self.commands.len();
        let mut command = self.new_command(node);
        let mut heredocs = Vec::new();
        let mut cursor = node.walk();
        for (position, child) in node.children(&mut cursor).enumerate() {
            if !child.is_named() {
                continue;
            }
            match (node.field_name_for_child(position as u32), child.kind()) {
                (_, "variable_assignment") => command.assignments.push(self.assignment(child)),
                (Some("name"), _) => command.name = Some(self.word(child)),
                (_, "heredoc_redirect") => heredocs.push(child),
                (_, "file_redirect" | "herestring_redirect") => command.redirects.push(self.redirect(child)),
                (Some("argument"), _) => command.args.push(self.word(child)),
                _ => {}
            }
        }
        self.commands.push(command);
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "heredoc_redirect" {
                self.substitutions_in(child);
            }
        }
        for heredoc in heredocs {
            self.heredoc_redirect(heredoc, Some(index));
        }
    }

    fn assignment(&self, node: Node<'_>) -> Assignment {
        let name = node.child_by_field_name("name");
        Assignment {
            range: self.source(node),
            name: name.map(|n| self.raw(n).to_string()).unwrap_or_default(),
            name_range: name.map_or_else(|| self.source(node), |n| self.source(n)),
            value: node.child_by_field_name("value").map(|v| self.word(v)),
        }
    }

    /// `FOO=bar` alone: a command without a name.
    fn assignments_only(&mut self, node: Node<'_>) {
        let mut command = self.new_command(node);
        if node.kind() == "variable_assignment" {
            command.assignments.push(self.assignment(node));
        } else {
            let mut cursor = node.walk();
            command.assignments = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "variable_assignment")
                .map(|c| self.assignment(c))
                .collect();
        }
        self.commands.push(command);
        self.substitutions_in(node);
    }

    /// `export A=1`, `unset X`, `[ -f x ]`: the keyword is the name, each named child an argument.
    fn keyword_command(&mut self, node: Node<'_>) {
        let mut command = self.new_command(node);
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if !child.is_named() {
                if command.name.is_none() && command.args.is_empty() {
                    command.name = Some(self.word(child));
                }
                continue;
            }
            match child.kind() {
                "file_redirect" | "herestring_redirect" => command.redirects.push(self.redirect(child)),
                _ => command.args.push(self.word(child)),
            }
        }
        self.commands.push(command);
        self.substitutions_in(node);
    }

    fn redirected_statement(&mut self, node: Node<'_>) {
        let body = node.child_by_field_name("body");
        let index = self.commands.len();
        if let Some(body) = body {
            self.statement(body);
        }
        // Redirections belong to the body's last command at this level: tree-sitter-bash hangs
        // the `> f` of `a && b > f` on the whole list, but the shell applies it to `b`.
        let owner = body
            .filter(|b| matches!(b.kind(), "command" | "list" | "pipeline"))
            .and_then(|_| (index..self.commands.len()).rev().find(|&i| self.commands[i].enclosing == self.enclosing));
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).filter(|c| Some(*c) != body).collect();
        for child in children {
            match child.kind() {
                "heredoc_redirect" => self.heredoc_redirect(child, owner),
                "file_redirect" | "herestring_redirect" => {
                    let redirect = self.redirect(child);
                    if let Some(command) = owner.and_then(|i| self.commands.get_mut(i)) {
                        command.redirects.push(redirect);
                    }
                    self.substitutions_in(child);
                }
                _ => self.statement(child),
            }
        }
    }

    fn redirect(&self, node: Node<'_>) -> Redirect {
        let mut operator = String::new();
        let mut descriptor = None;
        let mut target = None;
        let mut cursor = node.walk();
        for (position, child) in node.children(&mut cursor).enumerate() {
            if !child.is_named() {
                if operator.is_empty() {
                    operator = self.raw(child).to_string();
                }
                continue;
            }
            match (node.field_name_for_child(position as u32), child.kind()) {
                (Some("descriptor"), _) | (_, "file_descriptor") => descriptor = Some(self.raw(child).to_string()),
                (_, "heredoc_start") => target = Some(self.word(child)),
                _ if target.is_none() => target = Some(self.word(child)),
                _ => {}
            }
        }
        Redirect { range: self.source(node), operator, descriptor, target }
    }

    /// `cmd <<EOF > out && next`: tree-sitter-bash keeps what follows the marker on that line
    /// (more redirections, `&& next`, `| next`) inside the heredoc redirection.
    fn heredoc_redirect(&mut self, node: Node<'_>, owner: Option<usize>) {
        let redirect = self.redirect(node);
        let mut extra_redirects = Vec::new();
        let mut body = None;
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        for child in &children {
            match child.kind() {
                "heredoc_body" => body = Some(*child),
                "file_redirect" | "herestring_redirect" => extra_redirects.push(self.redirect(*child)),
                _ => {}
            }
        }
        if let Some(command) = owner.and_then(|i| self.commands.get_mut(i)) {
            command.redirects.push(redirect);
            command.redirects.extend(extra_redirects);
        }
        let reads_script = owner.and_then(|i| self.commands.get(i)).is_some_and(SimpleCommand::reads_script_from_stdin);
        if let (Some(body), true, false) = (body, reads_script, feeds_other_descriptor(node, self.text)) {
            self.heredoc_script(body);
        }
        for child in children {
            match child.kind() {
                "heredoc_start" | "heredoc_body" | "heredoc_end" | "file_redirect" | "herestring_redirect" => {}
                _ => self.child(child),
            }
        }
    }

    /// The body of `sh <<EOF` is a script: parse it and add its commands.
    fn heredoc_script(&mut self, body: Node<'_>) {
        let Some(text) = self.text.get(body.byte_range()) else { return };
        let Some(tree) = parse_tree(text) else { return };
        let mut enclosing = self.enclosing.clone();
        enclosing.push(Nesting::HeredocScript);
        let mut walker = Walker::new(text, self.base + body.start_byte(), self.map, enclosing);
        walker.statement(tree.root_node());
        self.truncated |= walker.truncated;
        self.commands.append(&mut walker.commands);
    }
}

/// The operator tokens that join commands.
fn connector(kind: &str) -> Option<Connector> {
    Some(match kind {
        "&&" => Connector::And,
        "||" => Connector::Or,
        "|" | "|&" => Connector::Pipe,
        ";" | ";;" | ";&" | ";;&" => Connector::Sequence,
        "&" => Connector::Background,
        _ => return None,
    })
}

/// `3<<EOF` feeds another descriptor than standard input.
fn feeds_other_descriptor(heredoc: Node<'_>, text: &str) -> bool {
    heredoc.child_by_field_name("descriptor").and_then(|d| text.get(d.byte_range())).is_some_and(|d| d != "0")
}

impl SimpleCommand {
    /// `sh`, `bash -e`, `sh -s -- arg`: a shell that reads its script from standard input.
    fn reads_script_from_stdin(&self) -> bool {
        if !self.program().is_some_and(|p| POSIX_SHELLS.contains(&p)) {
            return false;
        }
        let mut args = self.args.iter().map(|a| a.value.as_str());
        while let Some(arg) = args.next() {
            match arg {
                "-s" | "--" => return true,
                "-o" | "+o" => {
                    args.next();
                }
                flag if flag.starts_with("--") => {}
                flag if flag.starts_with(['-', '+']) => {
                    if flag.contains('c') {
                        return false;
                    }
                }
                // A script file: the heredoc is that script's input.
                _ => return false,
            }
        }
        true
    }
}
