//! Typed views of instructions: flags, words, key/value pairs, commands and per-instruction data.
//!
//! Built from a `RawInstruction` by `build_instruction`, which also reports the syntax errors
//! BuildKit's parser would (missing arguments, unknown keywords, malformed pairs).

use super::TextRange;
use super::errors::{SyntaxError, SyntaxErrorKind};
use super::keyword::{Keyword, suggest_keyword};
use super::lexer::{Heredoc, LogicalLine, RawInstruction};
use super::words::{parse_json_array, split_words, unquote};

/// A word of an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Where the word is in the source (a word may span a line continuation).
    pub range: TextRange,
    /// The word as written, quotes included, continuations removed.
    pub text: String,
    /// The word with quotes and escapes removed (variables are not expanded).
    pub value: String,
}

/// A `--name[=value]` flag before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub range: TextRange,
    /// The name without the leading dashes, as written.
    pub name: String,
    pub name_range: TextRange,
    /// The unquoted value after `=`, if there is an `=`.
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
}

/// A `key=value` (or legacy `key value`) pair of ARG, ENV or LABEL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub range: TextRange,
    pub key: String,
    pub key_range: TextRange,
    /// The unquoted value; `None` for `ARG NAME` without a default.
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    /// Whether the pair used the legacy whitespace separator (`ENV key value`).
    pub legacy: bool,
}

/// The command of RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The JSON array form: executed without a shell.
    Exec { range: TextRange, args: Vec<Word> },
    /// The shell form: `text` is the command with continuations joined (heredoc markers included).
    Shell { range: TextRange, text: String },
    /// No command at all.
    Empty,
}

/// A parsed image reference `name[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub range: TextRange,
    pub text: String,
    pub name: String,
    pub name_range: TextRange,
    pub tag: Option<String>,
    pub tag_range: Option<TextRange>,
    pub digest: Option<String>,
    pub digest_range: Option<TextRange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub image: Option<ImageRef>,
    /// The `AS` keyword as written.
    pub as_keyword: Option<Word>,
    pub alias: Option<Word>,
}

/// One option of a `--mount=` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountOption {
    pub key: String,
    pub key_range: TextRange,
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
}

/// A `RUN --mount=` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub range: TextRange,
    pub options: Vec<MountOption>,
}

impl Mount {
    pub fn option(&self, key: &str) -> Option<&MountOption> {
        self.options.iter().find(|o| o.key.eq_ignore_ascii_case(key))
    }

    /// The mount type; BuildKit defaults to `bind`.
    pub fn mount_type(&self) -> &str {
        self.option("type").and_then(|o| o.value.as_deref()).unwrap_or("bind")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub mounts: Vec<Mount>,
    pub command: Command,
}

/// COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub sources: Vec<Word>,
    pub destination: Option<Word>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Healthcheck {
    /// `NONE`, as written.
    pub none: Option<Word>,
    /// The `CMD` keyword and the command after it.
    pub cmd: Option<(Word, Command)>,
}

/// What an instruction means, by keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstructionKind {
    From(From),
    Run(Run),
    Cmd(Command),
    Entrypoint(Command),
    Copy(Copy),
    Add(Copy),
    Arg(Vec<KeyValue>),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Expose(Vec<Word>),
    Workdir(Option<Word>),
    User(Option<Word>),
    Volume(Vec<Word>),
    Stopsignal(Option<Word>),
    Healthcheck(Healthcheck),
    Shell(Vec<Word>),
    Onbuild(Option<Box<Instruction>>),
    Maintainer(Option<Word>),
    /// A keyword BuildKit does not know.
    Unknown,
}

/// One instruction with its typed view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// From the keyword to the end of the instruction (heredoc bodies included).
    pub range: TextRange,
    /// `None` for an unknown keyword.
    pub keyword: Option<Keyword>,
    /// The keyword as written (its case is the user's).
    pub keyword_text: String,
    pub keyword_range: TextRange,
    pub flags: Vec<Flag>,
    /// The words after the flags.
    pub args: Vec<Word>,
    /// The source range of everything after the flags, if anything.
    pub args_range: Option<TextRange>,
    pub heredocs: Vec<Heredoc>,
    pub empty_continuation_lines: Vec<TextRange>,
    pub inner_comments: Vec<TextRange>,
    pub kind: InstructionKind,
}

impl Instruction {
    /// The first flag with this name (case-insensitive, without dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn is(&self, keyword: Keyword) -> bool {
        self.keyword == Some(keyword)
    }
}

/// Interprets one raw instruction; pushes its syntax errors onto `errors`. Gives the logical line
/// back, for the shell model of a RUN.
pub(crate) fn build_instruction(
    raw: RawInstruction,
    escape: char,
    errors: &mut Vec<SyntaxError>,
) -> (Instruction, LogicalLine) {
    let builder = Builder { line: &raw.line, escape };
    let mut instruction = builder.build(0, errors);
    instruction.range = raw.range;
    instruction.heredocs = raw.heredocs;
    instruction.empty_continuation_lines = raw.empty_continuation_lines;
    instruction.inner_comments = raw.inner_comments;
    let heredoc_count = instruction.heredocs.len();
    builder.check_arguments(&instruction, heredoc_count, errors);
    if let InstructionKind::Onbuild(Some(trigger)) = &mut instruction.kind {
        trigger.heredocs = instruction.heredocs.clone();
        builder.check_arguments(trigger, heredoc_count, errors);
    }
    super::validate::check_instruction(&instruction, escape, errors);
    (instruction, raw.line)
}

struct Builder<'a> {
    line: &'a LogicalLine,
    escape: char,
}

impl Builder<'_> {
    fn text(&self) -> &str {
        &self.line.text
    }

    fn source(&self, logical: TextRange) -> TextRange {
        self.line.source_range(logical)
    }

    fn word(&self, logical: TextRange) -> Word {
        let text = self.text()[logical.as_range()].to_string();
        let value = unquote(&text, self.escape);
        Word { range: self.source(logical), text, value }
    }

    /// Builds the instruction whose keyword starts at logical offset `start`.
    fn build(&self, start: usize, errors: &mut Vec<SyntaxError>) -> Instruction {
        let text = &self.text()[start..];
        let keyword_len = text.find(char::is_whitespace).unwrap_or(text.len());
        let keyword_logical = TextRange::new(start, start + keyword_len);
        let keyword_text = text[..keyword_len].to_string();
        let keyword = Keyword::parse(&keyword_text);
        let args_start = start + keyword_len;
        let (word_ranges, open_quote) = split_words(&self.text()[args_start..], self.escape);
        let word_ranges: Vec<TextRange> = word_ranges.into_iter().map(|r| r.shifted(args_start)).collect();

        // Flags come first; `--` alone ends them.
        let mut flags = Vec::new();
        let mut mounts = Vec::new();
        let mut first_arg = 0;
        let takes_flags = !matches!(keyword, None | Some(Keyword::Onbuild));
        while takes_flags && first_arg < word_ranges.len() {
            let range = word_ranges[first_arg];
            let word = &self.text()[range.as_range()];
            if word == "--" {
                first_arg += 1;
                break;
            }
            if !word.starts_with("--") {
                break;
            }
            let (flag, value_logical) = self.flag(range);
            if flag.name.eq_ignore_ascii_case("mount") {
                mounts.push(self.mount(&flag, value_logical));
            }
            flags.push(flag);
            first_arg += 1;
        }
        let arg_ranges = &word_ranges[first_arg..];
        let args: Vec<Word> = arg_ranges.iter().map(|&r| self.word(r)).collect();
        let args_logical =
            arg_ranges.first().map(|first| TextRange::new(first.start, self.text().trim_end().len().max(first.end)));
        let args_range = args_logical.map(|r| self.source(r));

        let quote_matters = !matches!(
            keyword,
            None | Some(Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck | Keyword::Onbuild)
        );
        if let (Some(at), true) = (open_quote, quote_matters) {
            let at = args_start + at;
            errors.push(SyntaxError::new(
                SyntaxErrorKind::UnterminatedQuote,
                self.source(TextRange::new(at, self.text().len())),
                "this quote is never closed: add the matching quote",
            ));
        }

        let keyword_range = self.source(keyword_logical);
        let kind = match keyword {
            None => {
                let hint = suggest_keyword(&keyword_text)
                    .map(|k| format!(" (did you mean `{}`?)", k.as_str()))
                    .unwrap_or_default();
                errors.push(SyntaxError::new(
                    SyntaxErrorKind::UnknownInstruction,
                    keyword_range,
                    format!("unknown instruction `{keyword_text}`{hint}"),
                ));
                InstructionKind::Unknown
            }
            Some(Keyword::From) => InstructionKind::From(self.from(&args)),
            Some(Keyword::Run) => InstructionKind::Run(Run { mounts, command: self.command(args_logical) }),
            Some(Keyword::Cmd) => InstructionKind::Cmd(self.command(args_logical)),
            Some(Keyword::Entrypoint) => InstructionKind::Entrypoint(self.command(args_logical)),
            Some(Keyword::Copy) => InstructionKind::Copy(self.copy(args_logical, &args)),
            Some(Keyword::Add) => InstructionKind::Add(self.copy(args_logical, &args)),
            Some(Keyword::Arg) => InstructionKind::Arg(self.arg_pairs(arg_ranges, errors)),
            Some(Keyword::Env) => InstructionKind::Env(self.env_pairs(Keyword::Env, arg_ranges, args_logical, errors)),
            Some(Keyword::Label) => {
                InstructionKind::Label(self.env_pairs(Keyword::Label, arg_ranges, args_logical, errors))
            }
            Some(Keyword::Expose) => InstructionKind::Expose(args.clone()),
            Some(Keyword::Volume) => InstructionKind::Volume(self.json_or_words(args_logical, &args)),
            Some(Keyword::Shell) => {
                let words = self.json_words(args_logical);
                if words.is_none() {
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::JsonFormRequired,
                        args_range.unwrap_or(keyword_range),
                        "SHELL needs a JSON array, such as `SHELL [\"/bin/bash\", \"-c\"]`",
                    ));
                }
                let words = words.unwrap_or_else(|| args.clone());
                InstructionKind::Shell(words)
            }
            Some(Keyword::Workdir) => InstructionKind::Workdir(self.rest(args_logical)),
            Some(Keyword::User) => InstructionKind::User(self.rest(args_logical)),
            Some(Keyword::Maintainer) => InstructionKind::Maintainer(self.rest(args_logical)),
            Some(Keyword::Stopsignal) => InstructionKind::Stopsignal(args.first().cloned()),
            Some(Keyword::Healthcheck) => InstructionKind::Healthcheck(self.healthcheck(arg_ranges)),
            Some(Keyword::Onbuild) => {
                InstructionKind::Onbuild(arg_ranges.first().map(|first| Box::new(self.build(first.start, errors))))
            }
        };

        let end = self.source(TextRange::empty(self.text().len())).end;
        Instruction {
            range: TextRange::new(keyword_range.start, end.max(keyword_range.end)),
            keyword,
            keyword_text,
            keyword_range,
            flags,
            args,
            args_range,
            heredocs: Vec::new(),
            empty_continuation_lines: Vec::new(),
            inner_comments: Vec::new(),
            kind,
        }
    }

    fn flag(&self, range: TextRange) -> (Flag, Option<TextRange>) {
        let text = &self.text()[range.as_range()];
        let body = text.trim_start_matches('-');
        let name_start = range.start + (text.len() - body.len());
        let value_logical = body.find('=').map(|eq| TextRange::new(name_start + eq + 1, range.end));
        let name_end = value_logical.map_or(range.end, |v| v.start - 1);
        let name_logical = TextRange::new(name_start, name_end);
        let flag = Flag {
            range: self.source(range),
            name: self.text()[name_logical.as_range()].to_string(),
            name_range: self.source(name_logical),
            value: value_logical.map(|v| unquote(&self.text()[v.as_range()], self.escape)),
            value_range: value_logical.map(|v| self.source(v)),
        };
        (flag, value_logical)
    }

    /// Splits a `--mount=` value at commas (quotes respected) into `key=value` options.
    fn mount(&self, flag: &Flag, value: Option<TextRange>) -> Mount {
        let mut options = Vec::new();
        if let Some(value) = value {
            let text = &self.text()[value.as_range()];
            for (start, end) in split_csv(text) {
                let part = TextRange::new(value.start + start, value.start + end);
                let raw = &text[start..end];
                let eq = raw.find('=');
                let key = TextRange::new(part.start, eq.map_or(part.end, |eq| part.start + eq));
                let value = eq.map(|eq| TextRange::new(part.start + eq + 1, part.end));
                options.push(MountOption {
                    key: self.text()[key.as_range()].trim().to_string(),
                    key_range: self.source(key),
                    value: value.map(|v| unquote(&self.text()[v.as_range()], self.escape)),
                    value_range: value.map(|v| self.source(v)),
                });
            }
        }
        Mount { range: flag.range, options }
    }

    fn command(&self, args: Option<TextRange>) -> Command {
        let Some(args) = args else { return Command::Empty };
        let text = &self.text()[args.as_range()];
        if let Some((range, items)) = parse_json_array(text) {
            return Command::Exec {
                range: self.source(range.shifted(args.start)),
                args: items.into_iter().map(|s| self.json_word(args.start, s.range, s.value)).collect(),
            };
        }
        Command::Shell { range: self.source(args), text: text.to_string() }
    }

    fn json_word(&self, base: usize, range: TextRange, value: String) -> Word {
        let logical = range.shifted(base);
        Word { range: self.source(logical), text: self.text()[logical.as_range()].to_string(), value }
    }

    /// The strings of a JSON-array argument list, or `None` when it is not one.
    fn json_words(&self, args: Option<TextRange>) -> Option<Vec<Word>> {
        let args = args?;
        let (_, items) = parse_json_array(&self.text()[args.as_range()])?;
        Some(items.into_iter().map(|s| self.json_word(args.start, s.range, s.value)).collect())
    }

    fn json_or_words(&self, args: Option<TextRange>, words: &[Word]) -> Vec<Word> {
        self.json_words(args).unwrap_or_else(|| words.to_vec())
    }

    /// WORKDIR, USER and MAINTAINER take the rest of the line as one value.
    fn rest(&self, args: Option<TextRange>) -> Option<Word> {
        args.map(|r| self.word(r))
    }

    fn from(&self, args: &[Word]) -> From {
        let image = args.first().map(parse_image);
        let as_keyword = args.get(1).cloned();
        let alias = args.get(2).cloned();
        From { image, as_keyword, alias }
    }

    fn copy(&self, args_logical: Option<TextRange>, args: &[Word]) -> Copy {
        let words = self.json_or_words(args_logical, args);
        match words.split_last() {
            Some((destination, sources)) => Copy { sources: sources.to_vec(), destination: Some(destination.clone()) },
            None => Copy { sources: Vec::new(), destination: None },
        }
    }

    fn arg_pairs(&self, ranges: &[TextRange], errors: &mut Vec<SyntaxError>) -> Vec<KeyValue> {
        ranges.iter().map(|&r| self.pair(r, errors)).collect()
    }

    /// ENV and LABEL: `k=v k2=v2`, or the legacy `k v w` where everything after the key is the value.
    fn env_pairs(
        &self,
        keyword: Keyword,
        ranges: &[TextRange],
        args: Option<TextRange>,
        errors: &mut Vec<SyntaxError>,
    ) -> Vec<KeyValue> {
        let (Some(&first), Some(args)) = (ranges.first(), args) else { return Vec::new() };
        let first_text = &self.text()[first.as_range()];
        if !first_text.contains('=') {
            let key_range = self.source(first);
            if ranges.len() == 1 {
                errors.push(SyntaxError::new(
                    SyntaxErrorKind::MissingValue,
                    key_range,
                    format!(
                        "{} `{first_text}` has no value: write `{} {first_text}=value`",
                        keyword.as_str(),
                        keyword.as_str()
                    ),
                ));
                return vec![KeyValue {
                    range: key_range,
                    key: unquote(first_text, self.escape),
                    key_range,
                    value: None,
                    value_range: None,
                    legacy: true,
                }];
            }
            let value_logical = TextRange::new(ranges[1].start, args.end);
            let value_text = &self.text()[value_logical.as_range()];
            return vec![KeyValue {
                range: self.source(TextRange::new(first.start, args.end)),
                key: unquote(first_text, self.escape),
                key_range,
                value: Some(unquote(value_text, self.escape)),
                value_range: Some(self.source(value_logical)),
                legacy: true,
            }];
        }
        let mut pairs = Vec::new();
        for &range in ranges {
            let text = &self.text()[range.as_range()];
            if !text.contains('=') {
                errors.push(SyntaxError::new(
                    SyntaxErrorKind::MissingValue,
                    self.source(range),
                    format!("`{text}` has no `=`: every {} pair must be written `name=value`", keyword.as_str()),
                ));
                continue;
            }
            pairs.push(self.pair(range, errors));
        }
        pairs
    }

    fn pair(&self, range: TextRange, errors: &mut Vec<SyntaxError>) -> KeyValue {
        let text = &self.text()[range.as_range()];
        let (key_logical, value_logical) = match text.find('=') {
            Some(eq) => {
                (TextRange::new(range.start, range.start + eq), Some(TextRange::new(range.start + eq + 1, range.end)))
            }
            None => (range, None),
        };
        if key_logical.is_empty() {
            errors.push(SyntaxError::new(
                SyntaxErrorKind::BlankName,
                self.source(range),
                "the name before `=` is empty: write `name=value`",
            ));
        }
        KeyValue {
            range: self.source(range),
            key: unquote(&self.text()[key_logical.as_range()], self.escape),
            key_range: self.source(key_logical),
            value: value_logical.map(|v| unquote(&self.text()[v.as_range()], self.escape)),
            value_range: value_logical.map(|v| self.source(v)),
            legacy: false,
        }
    }

    fn healthcheck(&self, ranges: &[TextRange]) -> Healthcheck {
        let Some(&first) = ranges.first() else { return Healthcheck { none: None, cmd: None } };
        let word = self.word(first);
        if word.text.eq_ignore_ascii_case("none") {
            return Healthcheck { none: Some(word), cmd: None };
        }
        if word.text.eq_ignore_ascii_case("cmd") {
            let rest = ranges.get(1).map(|r| TextRange::new(r.start, self.text().trim_end().len()));
            return Healthcheck { none: None, cmd: Some((word, self.command(rest))) };
        }
        Healthcheck { none: None, cmd: None }
    }

    /// Reports missing and extra arguments, by BuildKit's arity rules.
    fn check_arguments(&self, instruction: &Instruction, heredocs: usize, errors: &mut Vec<SyntaxError>) {
        let Some(keyword) = instruction.keyword else { return };
        let at = instruction.keyword_range;
        let missing = |message: &str, errors: &mut Vec<SyntaxError>| {
            errors.push(SyntaxError::new(SyntaxErrorKind::MissingArgument, at, message.to_string()));
        };
        let count = instruction.args.len();
        match (&instruction.kind, keyword) {
            (InstructionKind::From(from), _) => {
                if from.image.is_none() {
                    missing("FROM needs an image name, such as `FROM golang:1.23`", errors);
                } else if count == 2
                    || count > 3
                    || from.as_keyword.as_ref().is_some_and(|w| !w.text.eq_ignore_ascii_case("as"))
                {
                    let extra = &instruction.args[1..];
                    let range = extra[0].range.cover(extra[extra.len() - 1].range);
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::ExtraArgument,
                        range,
                        "FROM takes an image and optionally `AS name`; these words do not fit",
                    ));
                }
            }
            (InstructionKind::Copy(copy) | InstructionKind::Add(copy), _) => {
                let is_heredoc = |word: &Word| instruction.heredocs.iter().any(|h| word.range.contains_range(h.marker));
                match &copy.destination {
                    Some(destination) if is_heredoc(destination) => errors.push(SyntaxError::new(
                        SyntaxErrorKind::MissingArgument,
                        destination.range,
                        format!(
                            "a heredoc cannot be the destination of {}: add a destination path after it",
                            keyword.as_str()
                        ),
                    )),
                    Some(_) if !copy.sources.is_empty() || heredocs > 0 => {}
                    _ => missing(&format!("{} needs at least one source and a destination", keyword.as_str()), errors),
                }
            }
            (InstructionKind::Arg(pairs), _) if pairs.is_empty() => {
                missing("ARG needs a name, such as `ARG VERSION` or `ARG VERSION=1.0`", errors);
            }
            (InstructionKind::Env(pairs), _) if pairs.is_empty() && count == 0 => {
                missing("ENV needs a name and a value, such as `ENV KEY=value`", errors);
            }
            (InstructionKind::Label(pairs), _) if pairs.is_empty() && count == 0 => {
                missing("LABEL needs a key and a value, such as `LABEL key=value`", errors);
            }
            (InstructionKind::Expose(ports), _) if ports.is_empty() => {
                missing("EXPOSE needs at least one port, such as `EXPOSE 8080`", errors);
            }
            (InstructionKind::Volume(paths), _) if paths.is_empty() => {
                missing("VOLUME needs at least one path", errors);
            }
            (InstructionKind::Workdir(None), _) => missing("WORKDIR needs a path", errors),
            (InstructionKind::User(None), _) => missing("USER needs a user name or UID", errors),
            (InstructionKind::Maintainer(None), _) => missing("MAINTAINER needs a name", errors),
            (InstructionKind::Stopsignal(None), _) => missing("STOPSIGNAL needs a signal, such as `SIGTERM`", errors),
            (InstructionKind::Stopsignal(Some(_)), _) if count > 1 => {
                let range = instruction.args[1].range.cover(instruction.args[count - 1].range);
                errors.push(SyntaxError::new(
                    SyntaxErrorKind::ExtraArgument,
                    range,
                    "STOPSIGNAL takes exactly one signal",
                ));
            }
            (InstructionKind::Onbuild(None), _) => missing("ONBUILD needs an instruction to run later", errors),
            (InstructionKind::Healthcheck(check), _) => {
                if check.none.is_none() && check.cmd.is_none() {
                    let range = instruction.args.first().map_or(at, |w| w.range);
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::MissingArgument,
                        range,
                        "HEALTHCHECK needs `CMD <command>` or `NONE`",
                    ));
                } else if let Some((cmd, Command::Empty)) = &check.cmd {
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::MissingArgument,
                        cmd.range,
                        "HEALTHCHECK CMD needs a command",
                    ));
                } else if check.none.is_some() && count > 1 {
                    let range = instruction.args[1].range.cover(instruction.args[count - 1].range);
                    errors.push(SyntaxError::new(
                        SyntaxErrorKind::ExtraArgument,
                        range,
                        "HEALTHCHECK NONE takes no arguments",
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Splits a comma-separated list (quotes respected); returns `(start, end)` of each part.
fn split_csv(text: &str) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                parts.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push((start, text.len()));
    parts.retain(|(s, e)| e > s);
    parts
}

/// Splits `registry/name:tag@digest`; a `:` before the last `/` belongs to a registry port.
pub fn parse_image(word: &Word) -> ImageRef {
    let text = &word.text;
    let base = word.range.start;
    let single_line = word.range.len() == text.len();
    let at = |start: usize, end: usize| {
        if single_line { TextRange::new(base + start, base + end) } else { word.range }
    };
    let (before_digest, digest) = match text.find('@') {
        Some(i) => (&text[..i], Some((text[i + 1..].to_string(), at(i, text.len())))),
        None => (text.as_str(), None),
    };
    let last_slash = before_digest.rfind('/').map_or(0, |i| i + 1);
    let (name_end, tag) = match before_digest[last_slash..].rfind(':') {
        Some(i) => {
            let colon = last_slash + i;
            (colon, Some((before_digest[colon + 1..].to_string(), at(colon, before_digest.len()))))
        }
        None => (before_digest.len(), None),
    };
    ImageRef {
        range: word.range,
        text: text.clone(),
        name: before_digest[..name_end].to_string(),
        name_range: at(0, name_end),
        tag: tag.as_ref().map(|(t, _)| t.clone()),
        tag_range: tag.map(|(_, r)| r),
        digest: digest.as_ref().map(|(d, _)| d.clone()),
        digest_range: digest.map(|(_, r)| r),
    }
}
