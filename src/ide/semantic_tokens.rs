//! Semantic tokens: what each piece of a Dockerfile is, for highlighting, in one linear pass.
//!
//! Keywords, flags, mount option keys, image names and tags, stage names, ARG/ENV declarations,
//! `$VAR` references, strings, ports, comments, directives, heredoc markers, and the commands of
//! RUN read through the shell model. Tokens are sorted, never overlap and never span a line
//! break (clients need `multilineTokenSupport` for that): a token over a line continuation is cut
//! into one piece per line, without the escape character. Every kind and modifier emitted is in
//! the fixed legend ([`TokenType::ALL`], [`TOKEN_MODIFIERS`]).

use crate::syntax::{
    AUTOMATIC_PLATFORM_ARGS, Command, Dockerfile, Instruction, InstructionKind, Keyword, PROXY_ARGS, Parse,
    ShellScripts, TextRange, Word, parse_shell, variable_references,
};

/// The kinds of token, in legend order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Keyword,
    Comment,
    /// Parser directives.
    Macro,
    String,
    Number,
    /// `${X:-…}` operators, heredoc markers and terminators.
    Operator,
    /// `--flags`.
    Parameter,
    /// Mount option keys, LABEL keys.
    Property,
    Variable,
    /// Image names.
    Namespace,
    /// Image tags.
    Type,
    /// Stage names.
    Class,
    /// Commands run by RUN, CMD and ENTRYPOINT.
    Function,
}

impl TokenType {
    /// The legend: a token's type is its index here.
    pub const ALL: [TokenType; 13] = [
        TokenType::Keyword,
        TokenType::Comment,
        TokenType::Macro,
        TokenType::String,
        TokenType::Number,
        TokenType::Operator,
        TokenType::Parameter,
        TokenType::Property,
        TokenType::Variable,
        TokenType::Namespace,
        TokenType::Type,
        TokenType::Class,
        TokenType::Function,
    ];

    /// The standard LSP name of the type.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Keyword => "keyword",
            TokenType::Comment => "comment",
            TokenType::Macro => "macro",
            TokenType::String => "string",
            TokenType::Number => "number",
            TokenType::Operator => "operator",
            TokenType::Parameter => "parameter",
            TokenType::Property => "property",
            TokenType::Variable => "variable",
            TokenType::Namespace => "namespace",
            TokenType::Type => "type",
            TokenType::Class => "class",
            TokenType::Function => "function",
        }
    }

    /// The index of this type in the legend.
    pub fn index(self) -> u32 {
        TokenType::ALL.iter().position(|t| *t == self).unwrap_or(0) as u32
    }
}

/// The modifiers, in legend order: bit `i` of [`SemanticToken::modifiers`] is `TOKEN_MODIFIERS[i]`.
pub const TOKEN_MODIFIERS: [&str; 3] = ["declaration", "deprecated", "defaultLibrary"];
/// Where a stage name or a variable is declared.
pub const DECLARATION: u32 = 1;
/// MAINTAINER.
pub const DEPRECATED: u32 = 1 << 1;
/// Variables BuildKit defines itself (platform and proxy ARGs).
pub const DEFAULT_LIBRARY: u32 = 1 << 2;

/// One token: a non-empty range within one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: TokenType,
    pub modifiers: u32,
}

/// The tokens of the whole document, or of the part that `range` touches.
pub fn semantic_tokens(parse: &Parse, range: Option<TextRange>) -> Vec<SemanticToken> {
    let text = parse.text();
    let dockerfile = parse.dockerfile();
    let wanted = range.unwrap_or(TextRange::new(0, text.len()));
    // Half-open ranges: a token starting where the range ends is outside it.
    let touches = |r: TextRange| {
        if wanted.is_empty() { r.touches(wanted.start) } else { r.start < wanted.end && wanted.start < r.end }
    };
    let mut painter = Painter { text, escape: dockerfile.escape, tokens: Vec::new() };
    for directive in dockerfile.directives.iter().filter(|d| touches(d.range)) {
        painter.flush(
            vec![
                token(TextRange::new(directive.range.start, directive.name_range.start), TokenType::Comment, 0),
                token(directive.name_range, TokenType::Macro, 0),
                token(directive.value_range, TokenType::String, 0),
            ],
            Vec::new(),
        );
    }
    for &comment in dockerfile.comments.iter().filter(|c| touches(**c)) {
        painter.flush(vec![token(comment, TokenType::Comment, 0)], Vec::new());
    }
    let shells = parse.shell_scripts();
    let first = dockerfile.instructions.partition_point(|i| i.range.end < wanted.start);
    for (index, instruction) in dockerfile.instructions.iter().enumerate().skip(first) {
        if instruction.range.start > wanted.end {
            break;
        }
        let mut collector = Collector { text, dockerfile, base: Vec::new(), over: Vec::new() };
        collector.instruction(index, instruction, &shells);
        painter.flush(collector.base, collector.over);
    }
    let mut tokens = painter.tokens;
    tokens.sort_by_key(|t| t.range.start);
    if range.is_some() {
        tokens.retain(|t| touches(t.range));
    }
    tokens
}

fn token(range: TextRange, kind: TokenType, modifiers: u32) -> SemanticToken {
    SemanticToken { range, kind, modifiers }
}

/// Gathers one instruction's tokens: `base` ones (words, values) and `over` ones (variables,
/// operators, comments, commands) that cut through them.
struct Collector<'a> {
    text: &'a str,
    dockerfile: &'a Dockerfile,
    base: Vec<SemanticToken>,
    over: Vec<SemanticToken>,
}

impl Collector<'_> {
    fn base(&mut self, range: TextRange, kind: TokenType, modifiers: u32) {
        self.base.push(token(range, kind, modifiers));
    }

    fn words(&mut self, words: &[Word], kind: TokenType) {
        for word in words {
            self.base(word.range, kind, 0);
        }
    }

    fn instruction(&mut self, index: usize, instruction: &Instruction, shells: &ShellScripts<'_>) {
        self.head(index, instruction);
        if let InstructionKind::Onbuild(Some(trigger)) = &instruction.kind {
            self.head(index, trigger);
        }
        for &comment in &instruction.inner_comments {
            self.over.push(token(comment, TokenType::Comment, 0));
        }
        let header_end = instruction.heredocs.first().map_or(instruction.range.end, |h| h.body.start);
        let header = TextRange::new(instruction.keyword_range.end, header_end.max(instruction.keyword_range.end));
        self.variables(header);
        let runs_script = match &instruction.kind {
            InstructionKind::Run(_) => true,
            InstructionKind::Onbuild(Some(trigger)) => trigger.is(Keyword::Run),
            _ => false,
        };
        for heredoc in &instruction.heredocs {
            self.over.push(token(heredoc.marker, TokenType::Operator, 0));
            if let Some(terminator) = heredoc.terminator {
                self.over.push(token(terminator, TokenType::Operator, 0));
            }
            if !runs_script {
                self.base(heredoc.body, TokenType::String, 0);
            }
            if !heredoc.quoted {
                self.variables(heredoc.body);
            }
        }
        if runs_script && let Some(script) = shells.get(index) {
            for command in &script.commands {
                if let Some(name) = &command.name {
                    self.over.push(token(name.range, TokenType::Function, 0));
                }
                for assignment in &command.assignments {
                    self.over.push(token(assignment.name_range, TokenType::Variable, DECLARATION));
                }
            }
        }
    }

    /// The keyword, the flags and the arguments of an instruction (or of an ONBUILD trigger).
    fn head(&mut self, index: usize, instruction: &Instruction) {
        let Some(keyword) = instruction.keyword else { return };
        let deprecated = if keyword == Keyword::Maintainer { DEPRECATED } else { 0 };
        self.base(instruction.keyword_range, TokenType::Keyword, deprecated);
        for flag in &instruction.flags {
            let name_end = flag.name_range.end.max(flag.range.start);
            self.base(TextRange::new(flag.range.start, name_end), TokenType::Parameter, 0);
            let Some(value) = flag.value_range else { continue };
            if flag.name.eq_ignore_ascii_case("mount") {
                continue;
            }
            let kind = if flag.name.eq_ignore_ascii_case("from") { TokenType::Class } else { TokenType::String };
            self.base(value, kind, 0);
        }
        match &instruction.kind {
            InstructionKind::From(from) => {
                if let Some(image) = &from.image {
                    let stage = self.dockerfile.stage_by_reference(&image.text).filter(|s| s.from < index);
                    if stage.is_some() && image.tag.is_none() {
                        self.base(image.range, TokenType::Class, 0);
                    } else if image.text.contains("${") && image.range.len() == image.text.len() {
                        // `golang:${GO:-1.26}`: the colon inside the substitution is not the tag's.
                        let (name_end, tag_start) = split_image(&image.text);
                        let start = image.range.start;
                        self.base(TextRange::new(start, start + name_end), TokenType::Namespace, 0);
                        if let Some(tag_start) = tag_start {
                            self.base(TextRange::new(start + tag_start, image.range.end), TokenType::Type, 0);
                        }
                    } else {
                        self.base(image.name_range, TokenType::Namespace, 0);
                        if let Some(tag) = image.tag_range {
                            let colon = usize::from(self.text[tag.as_range()].starts_with(':'));
                            self.base(TextRange::new(tag.start + colon, tag.end), TokenType::Type, 0);
                        }
                        if let Some(digest) = image.digest_range {
                            self.base(digest, TokenType::String, 0);
                        }
                    }
                }
                if let Some(as_keyword) = &from.as_keyword {
                    self.base(as_keyword.range, TokenType::Keyword, 0);
                }
                if let Some(alias) = &from.alias {
                    self.base(alias.range, TokenType::Class, DECLARATION);
                }
            }
            InstructionKind::Run(run) => {
                for option in run.mounts.iter().flat_map(|m| &m.options) {
                    self.base(option.key_range, TokenType::Property, 0);
                    if let Some(value) = option.value_range {
                        let from = option.key.eq_ignore_ascii_case("from");
                        self.base(value, if from { TokenType::Class } else { TokenType::String }, 0);
                    }
                }
                self.exec_form(&run.command);
            }
            InstructionKind::Cmd(command) | InstructionKind::Entrypoint(command) => self.command(command),
            InstructionKind::Healthcheck(check) => {
                if let Some(none) = &check.none {
                    self.base(none.range, TokenType::Keyword, 0);
                }
                if let Some((cmd, command)) = &check.cmd {
                    self.base(cmd.range, TokenType::Keyword, 0);
                    self.command(command);
                }
            }
            InstructionKind::Arg(pairs) | InstructionKind::Env(pairs) | InstructionKind::Label(pairs) => {
                let (key_kind, modifiers) = match keyword {
                    Keyword::Label => (TokenType::Property, 0),
                    _ => (TokenType::Variable, DECLARATION),
                };
                for pair in pairs {
                    self.base(pair.key_range, key_kind, modifiers);
                    if let Some(value) = pair.value_range {
                        self.base(value, TokenType::String, 0);
                    }
                }
            }
            InstructionKind::Expose(ports) => {
                for port in ports {
                    let numeric = port.text.starts_with(|c: char| c.is_ascii_digit());
                    self.base(port.range, if numeric { TokenType::Number } else { TokenType::String }, 0);
                }
            }
            InstructionKind::Copy(copy) | InstructionKind::Add(copy) => {
                self.words(&copy.sources, TokenType::String);
                if let Some(destination) = &copy.destination {
                    self.base(destination.range, TokenType::String, 0);
                }
            }
            InstructionKind::Shell(words) | InstructionKind::Volume(words) => self.words(words, TokenType::String),
            InstructionKind::Workdir(Some(word))
            | InstructionKind::User(Some(word))
            | InstructionKind::Stopsignal(Some(word))
            | InstructionKind::Maintainer(Some(word)) => self.base(word.range, TokenType::String, 0),
            _ => {}
        }
    }

    /// The JSON form: the program, then its arguments as strings.
    fn exec_form(&mut self, command: &Command) {
        if let Command::Exec { args, .. } = command {
            for (position, arg) in args.iter().enumerate() {
                self.base(arg.range, if position == 0 { TokenType::Function } else { TokenType::String }, 0);
            }
        }
    }

    /// CMD, ENTRYPOINT and HEALTHCHECK CMD: the JSON form, or the commands of a one-line shell form.
    fn command(&mut self, command: &Command) {
        match command {
            Command::Exec { .. } => self.exec_form(command),
            Command::Shell { range, text } if range.len() == text.len() => {
                for command in parse_shell(text).commands {
                    if let Some(name) = command.name {
                        self.over.push(token(name.range.shifted(range.start), TokenType::Function, 0));
                    }
                }
            }
            _ => {}
        }
    }

    /// `$NAME`, `${NAME}` and `${NAME:-word}` in `range`.
    fn variables(&mut self, range: TextRange) {
        let Some(source) = self.text.get(range.as_range()) else { return };
        if !source.contains('$') {
            return;
        }
        for reference in variable_references(source, self.dockerfile.escape) {
            let builtin = AUTOMATIC_PLATFORM_ARGS.contains(&reference.name.as_str())
                || PROXY_ARGS.contains(&reference.name.as_str());
            let modifiers = if builtin { DEFAULT_LIBRARY } else { 0 };
            let reference_range = reference.range.shifted(range.start);
            let name_end = reference.name_range.end + range.start;
            match &reference.operator {
                Some(operator) => {
                    self.over.push(token(
                        TextRange::new(reference_range.start, name_end),
                        TokenType::Variable,
                        modifiers,
                    ));
                    let operator_range = TextRange::new(name_end, name_end + operator.len());
                    self.over.push(token(operator_range, TokenType::Operator, 0));
                }
                None => self.over.push(token(reference_range, TokenType::Variable, modifiers)),
            }
        }
    }
}

/// Where an image reference with substitutions splits: the end of the name and the start of the
/// tag (after its colon), ignoring `:`, `/` and `@` inside `${…}`.
fn split_image(text: &str) -> (usize, Option<usize>) {
    let mut depth = 0usize;
    let mut previous = '\0';
    let mut colon = None;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '{' if previous == '$' || depth > 0 => depth += 1,
            '}' if depth > 0 => depth -= 1,
            '/' if depth == 0 => colon = None,
            ':' if depth == 0 => colon = Some(i),
            '@' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
        previous = c;
    }
    match colon {
        Some(colon) => (colon, Some(colon + 1).filter(|&t| t < end)),
        None => (end, None),
    }
}

/// Resolves overlaps and cuts tokens at line breaks.
struct Painter<'a> {
    text: &'a str,
    escape: char,
    tokens: Vec<SemanticToken>,
}

impl Painter<'_> {
    /// Adds one instruction's tokens: `over` tokens win where they overlap `base` ones; among
    /// tokens of one layer, the earlier one wins.
    fn flush(&mut self, base: Vec<SemanticToken>, over: Vec<SemanticToken>) {
        let over = without_overlaps(over);
        let base = without_overlaps(base);
        let mut cut = Vec::with_capacity(base.len() + over.len());
        for token in base {
            let mut start = token.range.start;
            let first = over.partition_point(|o| o.range.end <= start);
            for hole in over[first..].iter().take_while(|o| o.range.start < token.range.end) {
                if hole.range.start > start {
                    cut.push(SemanticToken { range: TextRange::new(start, hole.range.start), ..token });
                }
                start = start.max(hole.range.end);
            }
            if start < token.range.end {
                cut.push(SemanticToken { range: TextRange::new(start, token.range.end), ..token });
            }
        }
        cut.extend(over);
        cut.sort_by_key(|t| t.range.start);
        for token in cut {
            self.split_lines(token);
        }
    }

    /// One piece per line, without surrounding blanks or the escape character of a continuation.
    /// A lone `\r` ends a line too: LSP clients count it as a line break.
    fn split_lines(&mut self, token: SemanticToken) {
        let Some(source) = self.text.get(token.range.as_range()) else { return };
        let mut at = token.range.start;
        let mut lines = source.split(['\n', '\r']).peekable();
        while let Some(line) = lines.next() {
            let continued = lines.peek().is_some();
            let mut piece = line.trim_end_matches(['\r', ' ', '\t']);
            if continued {
                piece = piece.strip_suffix(self.escape).unwrap_or(piece).trim_end_matches([' ', '\t']);
            }
            let lead = piece.len() - piece.trim_start_matches([' ', '\t']).len();
            let range = TextRange::new(at + lead, at + piece.len());
            if !range.is_empty() {
                self.tokens.push(SemanticToken { range, ..token });
            }
            at += line.len() + 1;
        }
    }
}

/// Sorted by start, dropping every token that overlaps one kept before it (or is empty).
fn without_overlaps(mut tokens: Vec<SemanticToken>) -> Vec<SemanticToken> {
    tokens.retain(|t| !t.range.is_empty());
    tokens.sort_by_key(|t| (t.range.start, std::cmp::Reverse(t.range.end)));
    let mut kept: Vec<SemanticToken> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if kept.last().is_none_or(|last| last.range.end <= token.range.start) {
            kept.push(token);
        }
    }
    kept
}

#[cfg(test)]
mod tests;
