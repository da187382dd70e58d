//! Variable scoping by BuildKit's rules: which ARG and ENV names a `$NAME` at a byte offset refers to.
//!
//! The rules modelled here:
//! - ARGs before the first FROM are *global*: FROM lines (image and `--platform`) see them, and so do
//!   later global ARG defaults. Inside a stage they are invisible until the stage redeclares the name
//!   with `ARG NAME`, which then takes the global default.
//! - The automatic platform ARGs (`BUILDPLATFORM`, `TARGETARCH`, …) behave like global ARGs whose
//!   value is only known at build time.
//! - Inside a stage, ARG and ENV declarations are visible after the instruction that declares them.
//!   One ARG instruction declares its names left to right (`ARG A=1 B=$A` sees `A`); one ENV
//!   instruction expands all its values before setting any (`ENV A=1 B=$A` does not see this `A`).
//! - A stage built `FROM <earlier stage>` inherits that stage's ARGs and ENVs.
//! - `ONBUILD ARG`/`ONBUILD ENV` declare nothing here: they run in a later build.
//!
//! The scope knows only the Dockerfile: the environment of an external base image is not visible
//! (see [`StageBase`]). The proxy ARGs (`HTTP_PROXY` …) are not part of the scope: BuildKit passes
//! them to RUN commands only, and only when given on the command line.

use std::collections::HashMap;

use super::{Dockerfile, InstructionKind, KeyValue, Keyword, TextRange, unquote};

/// The platform ARGs BuildKit defines in the global scope. A stage must redeclare them to use them.
pub const AUTOMATIC_PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// The predefined proxy ARGs: usable in RUN without an ARG instruction (when given with
/// `--build-arg`), in both spellings, and left out of the image history.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// What declared a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariableKind {
    Arg,
    Env,
    /// An automatic platform ARG, defined by BuildKit itself.
    Automatic,
}

/// One declaration of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub name: String,
    pub kind: VariableKind,
    /// The stage the declaration belongs to; `None` for the global scope (and automatic ARGs).
    pub stage: Option<usize>,
    /// The declaring instruction (index into `Dockerfile::instructions`); `None` for automatic ARGs.
    pub instruction: Option<usize>,
    /// The name as written in the declaration; `None` for automatic ARGs.
    pub name_range: Option<TextRange>,
    /// The value with quotes removed and variables not expanded. `None` when there is none: an ARG
    /// without a default (whose value can only come from `--build-arg`) or an automatic ARG (whose
    /// value depends on the build). A stage ARG without a default shows its global ARG's default.
    pub value: Option<String>,
    /// Where `value` is written (possibly in the global ARG it comes from).
    pub value_range: Option<TextRange>,
    /// For an ARG without a default: the global or automatic ARG it redeclares (index into
    /// [`Scope::definitions`]).
    pub redeclares: Option<usize>,
    /// The offset from which the declaration is visible in its scope.
    pub visible_from: usize,
    /// The value as written, quotes included and line continuations removed, for expansion.
    raw_value: Option<String>,
}

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageBase {
    /// `FROM scratch`: an empty image, whose only variable is the `PATH` BuildKit sets.
    Scratch,
    /// `FROM <earlier stage>`: inherits that stage's variables (the index of the stage).
    Stage(usize),
    /// An external image (the reference after expansion): its environment is unknown here.
    Image(String),
    /// The image name depends on values only known at build time.
    Unknown,
}

/// The result of expanding a word the way BuildKit does for Dockerfile instructions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text, quotes removed. Automatic platform ARGs expand to a typical value
    /// (`linux/amd64`, `linux`, `amd64`, empty variant); unset names expand to nothing.
    pub value: String,
    /// Names referenced directly that are declared in scope (with or without a value).
    pub matched: Vec<String>,
    /// Names referenced directly that nothing in scope declares.
    pub unmatched: Vec<String>,
    /// Names (direct or through other values) whose value is only known at build time.
    pub unknown: Vec<String>,
    /// The word cannot be expanded: an unterminated quote or `${`, or `${NAME?}` on an unset name.
    pub malformed: bool,
}

/// The variables of one Dockerfile, queryable by offset.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    definitions: Vec<Definition>,
    /// Indices into `definitions` of the global scope (automatic ARGs first), in order.
    global: Vec<usize>,
    /// Indices into `definitions` of each stage's own declarations, in order.
    by_stage: Vec<Vec<usize>>,
    /// Per instruction: its range, its stage (`None` before the first FROM) and whether it is a FROM.
    instructions: Vec<(TextRange, Option<usize>, bool)>,
    bases: Vec<StageBase>,
    escape: char,
}

impl Scope {
    /// Collects the declarations of `dockerfile`, whose source is `text`.
    pub fn new(dockerfile: &Dockerfile, text: &str) -> Scope {
        let mut scope = Scope { escape: dockerfile.escape, ..Scope::default() };
        for name in AUTOMATIC_PLATFORM_ARGS {
            scope.global.push(scope.definitions.len());
            scope.definitions.push(Definition {
                name: name.to_string(),
                kind: VariableKind::Automatic,
                stage: None,
                instruction: None,
                name_range: None,
                value: None,
                value_range: None,
                redeclares: None,
                visible_from: 0,
                raw_value: None,
            });
        }
        let mut stage_of = vec![None; dockerfile.instructions.len()];
        for stage in &dockerfile.stages {
            for index in stage.instructions.clone() {
                if let Some(slot) = stage_of.get_mut(index) {
                    *slot = Some(stage.index);
                }
            }
        }
        scope.by_stage = vec![Vec::new(); dockerfile.stages.len()];
        // The latest global ARG of each name: what a valueless ARG redeclares.
        let mut global_args: HashMap<String, usize> = HashMap::new();
        for (index, instruction) in dockerfile.instructions.iter().enumerate() {
            let stage = stage_of[index];
            scope.instructions.push((instruction.range, stage, instruction.is(Keyword::From)));
            let (pairs, kind) = match &instruction.kind {
                InstructionKind::Arg(pairs) => (pairs, VariableKind::Arg),
                InstructionKind::Env(pairs) if stage.is_some() => (pairs, VariableKind::Env),
                _ => continue,
            };
            for pair in pairs {
                let redeclared = match (kind, &pair.value) {
                    (VariableKind::Arg, None) => global_args
                        .get(&pair.key)
                        .copied()
                        .or_else(|| AUTOMATIC_PLATFORM_ARGS.iter().position(|a| *a == pair.key)),
                    _ => None,
                };
                let definition = scope.declare(text, index, instruction.range, stage, kind, pair, redeclared);
                let at = scope.definitions.len();
                match stage.and_then(|s| scope.by_stage.get_mut(s)) {
                    Some(own) => own.push(at),
                    None => {
                        scope.global.push(at);
                        global_args.insert(pair.key.clone(), at);
                    }
                }
                scope.definitions.push(definition);
            }
        }
        // Stage names seen so far (lower case): a FROM can only build on an earlier stage.
        let mut earlier: HashMap<String, usize> = HashMap::new();
        for stage in &dockerfile.stages {
            let base = match &dockerfile.instructions[stage.from].kind {
                InstructionKind::From(from) => match &from.image {
                    Some(image) => scope.resolve_base(&earlier, &image.text, image.range.start),
                    None => StageBase::Unknown,
                },
                _ => StageBase::Unknown,
            };
            scope.bases.push(base);
            if let Some(name) = &stage.name {
                earlier.insert(name.to_lowercase(), stage.index);
            }
        }
        scope
    }

    #[allow(clippy::too_many_arguments)]
    fn declare(
        &self,
        text: &str,
        instruction: usize,
        instruction_range: TextRange,
        stage: Option<usize>,
        kind: VariableKind,
        pair: &KeyValue,
        redeclared: Option<usize>,
    ) -> Definition {
        let raw_value = pair.value_range.map(|range| join_continuations(source(text, range), self.escape));
        let visible_from = if kind == VariableKind::Env { instruction_range.end } else { pair.range.end };
        let mut definition = Definition {
            name: pair.key.clone(),
            kind,
            stage,
            instruction: Some(instruction),
            name_range: Some(pair.key_range),
            value: pair.value.clone(),
            value_range: pair.value_range,
            redeclares: None,
            visible_from,
            raw_value,
        };
        // A valueless ARG takes the value of the global (or automatic) ARG of the same name.
        if let Some(index) = redeclared {
            let source = &self.definitions[index];
            definition.value = source.value.clone();
            definition.value_range = source.value_range;
            definition.raw_value = source.raw_value.clone();
            definition.redeclares = Some(index);
        }
        definition
    }

    fn resolve_base(&self, earlier: &HashMap<String, usize>, image: &str, at: usize) -> StageBase {
        let name = if image.contains('$') {
            let expansion = self.expand(image, at);
            if expansion.malformed || !expansion.unknown.is_empty() || !expansion.unmatched.is_empty() {
                return StageBase::Unknown;
            }
            expansion.value
        } else {
            unquote(image, self.escape)
        };
        if let Some(&stage) = earlier.get(&name.to_lowercase()) {
            return StageBase::Stage(stage);
        }
        if name.eq_ignore_ascii_case("scratch") { StageBase::Scratch } else { StageBase::Image(name) }
    }

    /// Every declaration, automatic platform ARGs first, then in source order.
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// What stage `stage` is built on.
    pub fn stage_base(&self, stage: usize) -> Option<&StageBase> {
        self.bases.get(stage)
    }

    /// The stage whose instructions (FROM excluded) cover `offset`; `None` in the global scope and
    /// on FROM lines, which are evaluated in the global scope.
    pub fn stage_at(&self, offset: usize) -> Option<usize> {
        let index = self.instructions.partition_point(|(range, _, _)| range.start <= offset).checked_sub(1)?;
        let (range, stage, is_from) = self.instructions[index];
        if is_from && offset <= range.end { None } else { stage }
    }

    /// The declarations visible at `offset`, one per name (the one that is in effect there), in
    /// declaration order.
    pub fn visible_at(&self, offset: usize) -> Vec<&Definition> {
        let mut visible: Vec<&Definition> = Vec::new();
        for index in self.candidates(offset) {
            let definition = &self.definitions[index];
            visible.retain(|d| d.name != definition.name);
            visible.push(definition);
        }
        visible
    }

    /// The declaration a `$name` at `offset` refers to.
    pub fn lookup(&self, offset: usize, name: &str) -> Option<&Definition> {
        self.candidates(offset).into_iter().rev().map(|i| &self.definitions[i]).find(|d| d.name == name)
    }

    /// Indices of the declarations in effect at `offset`, in order (later ones shadow earlier ones).
    fn candidates(&self, offset: usize) -> Vec<usize> {
        let visible = |&&i: &&usize| self.definitions[i].visible_from <= offset;
        let Some(stage) = self.stage_at(offset) else {
            return self.global.iter().filter(visible).copied().collect();
        };
        let mut chain = vec![stage];
        while let Some(StageBase::Stage(base)) = self.bases.get(chain[chain.len() - 1]) {
            // Bases are always earlier stages, so the chain ends; the guard is for safety only.
            if chain.contains(base) || chain.len() > self.bases.len() {
                break;
            }
            chain.push(*base);
        }
        let mut indices = Vec::new();
        for &member in chain.iter().rev() {
            let own = self.by_stage.get(member).map_or(&[][..], Vec::as_slice);
            if member == stage {
                indices.extend(own.iter().filter(visible));
            } else {
                indices.extend(own);
            }
        }
        indices
    }

    /// Expands `word` as BuildKit would if it were written at `offset`: quotes removed, variables
    /// replaced by their values (themselves expanded where they were declared).
    pub fn expand(&self, word: &str, offset: usize) -> Expansion {
        let mut expansion = Expansion::default();
        let mut expander = Expander { scope: self, offset, depth: 0, nesting: 0, out: &mut expansion };
        let value = expander.word(word, true);
        match value {
            Some(value) => expansion.value = value,
            None => expansion.malformed = true,
        }
        expansion
    }

    /// The value of a declaration, expanded where it was declared; automatic ARGs give their
    /// typical value. `None` when the declaration has no value.
    pub fn expanded_value(&self, definition: &Definition) -> Option<Expansion> {
        if definition.kind == VariableKind::Automatic {
            return Some(Expansion {
                value: typical_value(&definition.name).to_string(),
                unknown: vec![definition.name.clone()],
                ..Expansion::default()
            });
        }
        let raw = definition.raw_value.as_deref()?;
        let at = definition.value_range.map_or(definition.visible_from, |r| r.start);
        Some(self.expand(raw, at))
    }
}

/// A typical value for an automatic platform ARG, for checks that need some value.
fn typical_value(name: &str) -> &'static str {
    match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        _ => "",
    }
}

fn source(text: &str, range: TextRange) -> &str {
    text.get(range.as_range()).unwrap_or("")
}

/// Removes line continuations (the escape character, trailing blanks, the line break) from a value
/// that spans several lines, along with the comment and blank lines BuildKit skips inside it.
fn join_continuations(raw: &str, escape: char) -> String {
    if !raw.contains('\n') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    for line in raw.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let trimmed = line.trim_end_matches([' ', '\t']);
        out.push_str(trimmed.strip_suffix(escape).unwrap_or(line));
    }
    out
}

const MAX_DEPTH: usize = 16;
const MAX_NESTING: usize = 64;

/// Says once per process that an expansion went past a bound (the value is then left unexpanded
/// or unknown), without repeating it on every keystroke.
fn note_limit(said: &std::sync::atomic::AtomicBool, what: &str) {
    if !said.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!("{what}: the value is not expanded further (logged once)");
    }
}

/// BuildKit's word expansion, over one word at a time.
struct Expander<'a> {
    scope: &'a Scope,
    offset: usize,
    /// How many variable values deep this expansion is.
    depth: usize,
    /// How many `${…}` deep the scanner is, bounded so that nesting cannot overflow the stack.
    nesting: usize,
    out: &'a mut Expansion,
}

type Chars<'t> = std::iter::Peekable<std::str::Chars<'t>>;

impl Expander<'_> {
    /// Expands a whole word; `None` when it is malformed.
    fn word(&mut self, word: &str, record: bool) -> Option<String> {
        let mut chars = word.chars().peekable();
        self.until(&mut chars, None, record)
    }

    /// Expands up to `stop` (consumed) or the end; `None` on an unterminated construct.
    fn until(&mut self, chars: &mut Chars<'_>, stop: Option<char>, record: bool) -> Option<String> {
        let escape = self.scope.escape;
        let mut out = String::new();
        while let Some(&c) = chars.peek() {
            if Some(c) == stop {
                chars.next();
                return Some(out);
            }
            chars.next();
            match c {
                '$' => out.push_str(&self.dollar(chars, record)?),
                '\'' => loop {
                    match chars.next()? {
                        '\'' => break,
                        other => out.push(other),
                    }
                },
                '"' => loop {
                    match chars.next()? {
                        '"' => break,
                        '$' => out.push_str(&self.dollar(chars, record)?),
                        e if e == escape => match chars.peek() {
                            Some(&n) if n == '"' || n == '$' || n == escape => {
                                out.push(n);
                                chars.next();
                            }
                            _ => out.push(e),
                        },
                        other => out.push(other),
                    }
                },
                e if e == escape => {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                }
                other => out.push(other),
            }
        }
        if stop.is_some() { None } else { Some(out) }
    }

    /// After a `$`: a name, `{…}` or a literal dollar.
    fn dollar(&mut self, chars: &mut Chars<'_>, record: bool) -> Option<String> {
        if chars.peek() != Some(&'{') {
            let name = take_name(chars);
            if name.is_empty() {
                return Some("$".to_string());
            }
            return Some(self.value(&name, record).unwrap_or_default());
        }
        chars.next();
        let name = take_name(chars);
        if self.nesting >= MAX_NESTING {
            static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
            note_limit(&SAID, &format!("variable references nested deeper than {MAX_NESTING} `${{…}}`"));
        }
        if name.is_empty() || self.nesting >= MAX_NESTING {
            return None;
        }
        self.nesting += 1;
        let value = self.braced(chars, &name, record);
        self.nesting -= 1;
        value
    }

    /// The rest of `${name…}` after the name.
    fn braced(&mut self, chars: &mut Chars<'_>, name: &str, record: bool) -> Option<String> {
        let operator = chars.next()?;
        let value = self.value(name, record);
        let set = value.is_some();
        let value = value.unwrap_or_default();
        match operator {
            '}' => Some(value),
            ':' | '-' | '+' | '?' => {
                let null_is_unset = operator == ':';
                let operator = if null_is_unset { chars.next()? } else { operator };
                let word = self.until(chars, Some('}'), record)?;
                let unset = !set || (null_is_unset && value.is_empty());
                match operator {
                    '-' => Some(if unset { word } else { value }),
                    '+' => Some(if unset { String::new() } else { word }),
                    '?' if unset => None,
                    '?' => Some(value),
                    _ => None,
                }
            }
            '#' | '%' => {
                let word = self.until(chars, Some('}'), record)?;
                let (longest, pattern) = match word.strip_prefix(operator) {
                    Some(rest) => (true, rest),
                    None => (false, word.as_str()),
                };
                Some(trim_pattern(&value, pattern, operator == '#', longest))
            }
            '/' => {
                let all = chars.peek() == Some(&'/');
                if all {
                    chars.next();
                }
                let pattern = self.until(chars, Some('/'), record)?;
                let replacement = self.until(chars, Some('}'), record)?;
                Some(replace_pattern(&value, &pattern, &replacement, all))
            }
            _ => None,
        }
    }

    /// The expanded value of `name` if it is set; records what was found.
    fn value(&mut self, name: &str, record: bool) -> Option<String> {
        let Some(definition) = self.scope.lookup(self.offset, name) else {
            if record {
                push_unique(&mut self.out.unmatched, name);
            }
            return None;
        };
        if record {
            push_unique(&mut self.out.matched, name);
        }
        let automatic = |d: &Definition| d.kind == VariableKind::Automatic;
        if automatic(definition) || definition.redeclares.is_some_and(|i| automatic(&self.scope.definitions[i])) {
            push_unique(&mut self.out.unknown, name);
            return Some(typical_value(name).to_string());
        }
        let Some(raw) = definition.raw_value.as_deref() else {
            push_unique(&mut self.out.unknown, name);
            return None;
        };
        if self.depth >= MAX_DEPTH {
            static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
            note_limit(&SAID, &format!("variables defined through more than {MAX_DEPTH} other variables"));
            return Some(raw.to_string());
        }
        let at = definition.value_range.map_or(definition.visible_from, |r| r.start);
        let mut inner = Expander { scope: self.scope, offset: at, depth: self.depth + 1, nesting: 0, out: self.out };
        // Names inside another variable's value are not references of this word.
        Some(inner.word(raw, false).unwrap_or_else(|| raw.to_string()))
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

fn take_name(chars: &mut Chars<'_>) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_alphanumeric() || c == '_' {
            name.push(c);
            chars.next();
        } else {
            break;
        }
    }
    name
}

/// Whether `text` matches the shell pattern `pattern` (`*` and `?`; no brackets, as in BuildKit).
/// Dynamic programming over (pattern, text) positions, so no input can make it exponential.
fn glob_matches(pattern: &[char], text: &[char]) -> bool {
    // `row[j]`: whether the pattern so far matches `text[..j]`.
    let mut row = vec![false; text.len() + 1];
    row[0] = true;
    for &p in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match p {
                '*' => row[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && row[j - 1],
                c => j > 0 && row[j - 1] && text[j - 1] == c,
            };
        }
        row = next;
    }
    row[text.len()]
}

/// Pattern operators on values longer than this leave the value unchanged: real values are short,
/// and the matching below is polynomial, not linear.
const MAX_PATTERN_VALUE: usize = 512;

/// `${X#p}`, `${X##p}`, `${X%p}`, `${X%%p}`.
fn trim_pattern(value: &str, pattern: &str, prefix: bool, longest: bool) -> String {
    if value.len() > MAX_PATTERN_VALUE || pattern.len() > MAX_PATTERN_VALUE {
        return value.to_string();
    }
    let chars: Vec<char> = value.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    let mut cuts: Vec<usize> = (0..=chars.len()).collect();
    if prefix == longest {
        cuts.reverse();
    }
    for cut in cuts {
        let (part, rest) = if prefix { (&chars[..cut], &chars[cut..]) } else { (&chars[cut..], &chars[..cut]) };
        if glob_matches(&pattern, part) {
            return rest.iter().collect();
        }
    }
    value.to_string()
}

/// `${X/p/r}` and `${X//p/r}`: the longest match at the leftmost position, as BuildKit's greedy regex.
fn replace_pattern(value: &str, pattern: &str, replacement: &str, all: bool) -> String {
    if value.len() > MAX_PATTERN_VALUE || pattern.len() > MAX_PATTERN_VALUE {
        return value.to_string();
    }
    let chars: Vec<char> = value.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    if pattern.is_empty() {
        return value.to_string();
    }
    let mut out = String::new();
    let mut start = 0;
    let mut replaced = false;
    while start < chars.len() {
        let found = if replaced && !all {
            None
        } else {
            (start + 1..=chars.len()).rev().find(|&end| glob_matches(&pattern, &chars[start..end]))
        };
        match found {
            Some(end) => {
                out.push_str(replacement);
                start = end;
                replaced = true;
            }
            None => {
                out.push(chars[start]);
                start += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn scope_of(text: &str) -> Scope {
        let parse = parse(text);
        Scope::new(parse.dockerfile(), text)
    }

    /// The offset of the `n`th (0-based) occurrence of `needle`.
    fn at(text: &str, needle: &str, n: usize) -> usize {
        text.match_indices(needle).nth(n).map(|(i, _)| i).expect("needle")
    }

    fn names(scope: &Scope, offset: usize) -> Vec<String> {
        let mut names: Vec<String> = scope
            .visible_at(offset)
            .into_iter()
            .filter(|d| d.kind != VariableKind::Automatic)
            .map(|d| d.name.clone())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn global_args_are_seen_by_from_lines_only() {
        let text = "ARG GO=1.23\nARG BASE\nFROM golang:${GO} AS build\nCOPY $GO .\nARG GO\nCOPY $GO .\n";
        let scope = scope_of(text);
        assert_eq!(names(&scope, at(text, "${GO}", 0)), ["BASE", "GO"]);
        assert!(scope.lookup(at(text, "$GO", 0), "GO").is_none());
        let redeclared = scope.lookup(at(text, "$GO", 1), "GO").expect("redeclared");
        assert_eq!(redeclared.stage, Some(0));
        assert_eq!(redeclared.value.as_deref(), Some("1.23"));
        assert_eq!(&text[redeclared.value_range.unwrap().as_range()], "1.23");
        let global = &scope.definitions()[redeclared.redeclares.unwrap()];
        assert_eq!(global.stage, None);
    }

    #[test]
    fn automatic_platform_args_need_redeclaring_in_a_stage() {
        let text = "FROM --platform=$BUILDPLATFORM golang AS build\nRUN echo $TARGETOS\nARG TARGETOS\nRUN x\n";
        let scope = scope_of(text);
        let on_from = scope.lookup(at(text, "$BUILDPLATFORM", 0), "BUILDPLATFORM").expect("automatic");
        assert_eq!(on_from.kind, VariableKind::Automatic);
        assert!(scope.lookup(at(text, "$TARGETOS", 0), "TARGETOS").is_none());
        let redeclared = scope.lookup(at(text, "RUN x", 0), "TARGETOS").expect("redeclared");
        assert_eq!(redeclared.kind, VariableKind::Arg);
        assert_eq!(redeclared.value, None);
        assert_eq!(scope.definitions()[redeclared.redeclares.unwrap()].kind, VariableKind::Automatic);
    }

    #[test]
    fn arg_pairs_see_earlier_pairs_but_env_pairs_do_not() {
        let text = "FROM scratch\nARG A=1 B=$A\nENV C=2 D=$C\nENV E=$C\n";
        let scope = scope_of(text);
        assert!(scope.lookup(at(text, "$A", 0), "A").is_some());
        assert!(scope.lookup(at(text, "$C", 0), "C").is_none());
        assert!(scope.lookup(at(text, "$C", 1), "C").is_some());
    }

    #[test]
    fn stages_inherit_from_their_base_stage_only() {
        let text = "FROM alpine AS base\nENV A=1\nARG B=2\nFROM base AS child\nRUN x\nFROM alpine\nRUN y\n";
        let scope = scope_of(text);
        assert_eq!(scope.stage_base(1), Some(&StageBase::Stage(0)));
        assert_eq!(scope.stage_base(2), Some(&StageBase::Image("alpine".into())));
        assert_eq!(names(&scope, at(text, "RUN x", 0)), ["A", "B"]);
        assert!(names(&scope, at(text, "RUN y", 0)).is_empty());
    }

    #[test]
    fn later_declarations_shadow_earlier_ones() {
        let text = "FROM scratch\nENV A=1\nENV A=2\nRUN x\n";
        let scope = scope_of(text);
        let found = scope.lookup(at(text, "RUN x", 0), "A").expect("A");
        assert_eq!(found.value.as_deref(), Some("2"));
        assert_eq!(scope.visible_at(at(text, "RUN x", 0)).iter().filter(|d| d.name == "A").count(), 1);
    }

    #[test]
    fn onbuild_and_global_env_declare_nothing() {
        let text = "FROM scratch\nONBUILD ENV A=1\nONBUILD ARG B\nRUN x\n";
        let scope = scope_of(text);
        assert!(names(&scope, at(text, "RUN x", 0)).is_empty());
    }

    #[test]
    fn expansion_follows_buildkit() {
        let text = "ARG REG=docker.io\nARG TAG\nARG IMG=${REG}/library/alpine\nFROM x\n";
        let scope = scope_of(text);
        let end = at(text, "FROM x", 0) + 5;
        let plain = scope.expand("$IMG:${TAG:-3.20}", end);
        assert_eq!(plain.value, "docker.io/library/alpine:3.20");
        assert_eq!(plain.matched, ["IMG", "TAG"]);
        assert!(plain.unmatched.is_empty());
        assert_eq!(plain.unknown, ["TAG"]);
        let missing = scope.expand("busybox:${NOPE}", end);
        assert_eq!(missing.value, "busybox:");
        assert_eq!(missing.unmatched, ["NOPE"]);
        assert_eq!(scope.expand("'$REG'\"$REG\"\\$REG", end).value, "$REGdocker.io$REG");
        assert_eq!(
            scope.expand("${REG#docker.}|${REG%.*}|${REG/o/0}|${REG//o/0}", end).value,
            "io|docker|d0cker.io|d0cker.i0"
        );
        assert_eq!(scope.expand("${REG:+set}${TAG:+set}${TAG-unset}", end).value, "setunset");
        assert_eq!(scope.expand("$TARGETPLATFORM", end).unknown, ["TARGETPLATFORM"]);
        assert!(scope.expand("${TAG?required}", end).malformed);
        assert!(scope.expand("${REG", end).malformed);
        assert!(scope.expand("\"open", end).malformed);
    }

    #[test]
    fn pathological_words_stay_bounded() {
        let text = "ARG X=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\nFROM x\n";
        let scope = scope_of(text);
        let at = at(text, "FROM x", 0) + 5;
        let unchanged = scope.expand("$X", at).value;
        assert_eq!(scope.expand("${X#*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c}", at).value, unchanged);
        let deep = format!("{}x{}", "${X:-".repeat(10_000), "}".repeat(10_000));
        assert!(scope.expand(&deep, at).malformed);
    }

    #[test]
    fn multi_line_values_are_joined() {
        let text = "FROM scratch\nENV A=\"one\\\n  two\"\nRUN x\n";
        let scope = scope_of(text);
        let definition = scope.lookup(at(text, "RUN x", 0), "A").expect("A");
        assert_eq!(scope.expanded_value(definition).map(|e| e.value).as_deref(), Some("one  two"));
        assert_eq!(definition.value.as_deref(), Some("one  two"));
    }

    #[test]
    fn offsets_outside_instructions_are_safe() {
        let scope = scope_of("");
        assert!(scope.visible_at(0).iter().all(|d| d.kind == VariableKind::Automatic));
        assert!(scope.lookup(usize::MAX, "X").is_none());
        assert_eq!(scope.stage_at(10), None);
    }
}
