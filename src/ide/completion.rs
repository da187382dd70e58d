//! Completion: what may be typed at a byte offset, decided from the typed model, the variable
//! scope, the shell model of RUN and (when known) the Go project.
//!
//! Contexts: instruction keywords (also after ONBUILD), parser directives and their values, flags
//! and flag values (`--mount` options, `--platform`, `--network`, `--from` stages, …), stage names,
//! variables after `$`/`${`, HEALTHCHECK's CMD/NONE, rule codes in suppression comments and check
//! names in `# check=skip=`, golang image tags, and inside `go build`/`go install` in RUN: flags,
//! their values and the project's main packages, `-X` targets, build tags and module patterns;
//! COPY/ADD sources from the build context; the same in the body of a RUN heredoc.

mod context_paths;
mod go;
mod go_values;
mod heredoc;
mod tables;

use crate::rules::{self, GoFacts};
use crate::syntax::{
    AUTOMATIC_PLATFORM_ARGS, Dockerfile, Instruction, InstructionKind, Keyword, PROXY_ARGS, Parse, Scope, TextRange,
    VariableKind,
};
use tables::FlagValue;

/// What the client can do with completion items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompletionOptions {
    /// The client expands snippets (`${1:placeholder}`) in insert texts.
    pub snippets: bool,
}

/// What an item completes; the LSP layer maps it to a `CompletionItemKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Directive,
    Flag,
    Value,
    Stage,
    Variable,
    Rule,
    Image,
    ImageTag,
    Package,
    Command,
    File,
    Folder,
}

/// One completion item: `insert_text` replaces `range`, which ends at the cursor except when a
/// keyword followed by arguments is replaced whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Short Markdown.
    pub documentation: Option<String>,
    pub insert_text: String,
    /// `insert_text` is a snippet.
    pub snippet: bool,
    pub range: TextRange,
    /// The text clients match against what was typed, when it is not the label.
    pub filter_text: Option<String>,
    /// Keeps gantry's order in clients that sort by it.
    pub sort_text: String,
    pub preselect: bool,
    pub deprecated: bool,
}

/// The items at one offset. `incomplete`: typing more may bring other items (the list was cut).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completions {
    pub items: Vec<CompletionItem>,
    pub incomplete: bool,
}

/// The completions at `offset` of `parse`, with the Go project's facts when they are known.
pub fn completions(parse: &Parse, offset: usize, go: Option<&GoFacts>, options: CompletionOptions) -> Completions {
    let text = parse.text();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut request =
        Request { parse, dockerfile: parse.dockerfile(), text, offset, go, options, out: Completions::default() };
    request.complete();
    let mut out = request.out;
    let mut seen = std::collections::HashSet::new();
    out.items.retain(|item| seen.insert((item.label.clone(), item.insert_text.clone())));
    for (index, item) in out.items.iter_mut().enumerate() {
        item.sort_text = format!("{index:04}");
    }
    out
}

/// A new item whose insert text is its label.
fn item(label: impl Into<String>, kind: CompletionKind, range: TextRange, documentation: &str) -> CompletionItem {
    let label = label.into();
    CompletionItem {
        insert_text: label.clone(),
        label,
        kind,
        detail: None,
        documentation: (!documentation.is_empty()).then(|| documentation.to_string()),
        snippet: false,
        range,
        filter_text: None,
        sort_text: String::new(),
        preselect: false,
        deprecated: false,
    }
}

struct Request<'a> {
    parse: &'a Parse,
    dockerfile: &'a Dockerfile,
    text: &'a str,
    offset: usize,
    go: Option<&'a GoFacts>,
    options: CompletionOptions,
    out: Completions,
}

impl<'a> Request<'a> {
    fn push(&mut self, item: CompletionItem) {
        self.out.items.push(item);
    }

    fn to_cursor(&self, start: usize) -> TextRange {
        TextRange::new(start.min(self.offset), self.offset)
    }

    /// Items for a fixed table of values, replacing `start..cursor`.
    fn values(&mut self, start: usize, values: &[(&str, &str)], kind: CompletionKind) {
        let range = self.to_cursor(start);
        for (value, doc) in values {
            self.push(item(*value, kind, range, doc));
        }
    }

    fn complete(&mut self) {
        let line_start = self.text[..self.offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let prefix = &self.text[line_start..self.offset];
        if self.in_heredoc() {
            self.in_heredoc_body(line_start);
            return;
        }
        if prefix.trim_start().starts_with('#') {
            let directive_line = self.in_directive_header(line_start);
            self.comment(prefix, directive_line);
            return;
        }
        match self.instruction_at() {
            Some((index, instruction)) => self.in_instruction(index, instruction, false),
            None => {
                let typed = prefix.trim_start();
                if typed.chars().all(|c| c.is_ascii_alphabetic()) {
                    self.keywords(self.to_cursor(self.offset - typed.len()), false, false);
                }
            }
        }
    }

    /// Heredoc bodies and terminators hold data or a script, not Dockerfile syntax.
    fn in_heredoc(&self) -> bool {
        self.dockerfile.instructions.iter().flat_map(|i| &i.heredocs).any(|heredoc| {
            let end = heredoc.terminator.map_or(heredoc.body.end, |t| t.end);
            heredoc.body.start <= self.offset && self.offset <= end
        })
    }

    /// Whether the comment line at `line_start` is among the parser directives at the top.
    fn in_directive_header(&self, line_start: usize) -> bool {
        let header_end = match self.dockerfile.directives.last() {
            Some(last) => self.text[last.range.end..].find('\n').map_or(self.text.len(), |i| last.range.end + i + 1),
            None => 0,
        };
        let bom = if self.text.starts_with('\u{feff}') { 3 } else { 0 };
        line_start <= header_end.max(bom)
    }

    /// The instruction under the cursor, also on the empty line after a line continuation.
    fn instruction_at(&self) -> Option<(usize, &'a Instruction)> {
        let instructions = &self.dockerfile.instructions;
        let index = instructions.partition_point(|i| i.range.start <= self.offset).checked_sub(1)?;
        let instruction = &instructions[index];
        if self.offset <= instruction.range.end {
            return Some((index, instruction));
        }
        let gap = self.text.get(instruction.range.end..self.offset)?;
        let last_line_start = self.text[..instruction.range.end].rfind('\n').map_or(0, |i| i + 1);
        let last_line = self.text[last_line_start..instruction.range.end].trim_end();
        let continued = last_line.ends_with(self.dockerfile.escape) && instruction.heredocs.is_empty();
        let one_line_on = gap.chars().all(char::is_whitespace) && gap.matches('\n').count() <= 1;
        (continued && one_line_on).then_some((index, instruction))
    }

    /// The start of the whitespace-delimited word that ends at the cursor.
    fn word_start(&self) -> usize {
        let before = &self.text[..self.offset];
        before.rfind(char::is_whitespace).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8))
    }

    fn in_instruction(&mut self, index: usize, instruction: &'a Instruction, onbuild: bool) {
        // Before the keyword (the blank between ONBUILD and its trigger, or a line continued from
        // an escape-only line): a keyword range there would not contain the cursor, which clients reject.
        if self.offset < instruction.keyword_range.start {
            return;
        }
        if self.offset <= instruction.keyword_range.end {
            let has_more = !instruction.args.is_empty() || !instruction.flags.is_empty();
            // Followed by arguments, the whole keyword is replaced (the one place the range
            // reaches past the cursor), so that `ru|n x` does not become `RUNn x`.
            let end = if has_more { instruction.keyword_range.end } else { self.offset };
            let range = TextRange::new(instruction.keyword_range.start, end.max(self.offset));
            self.keywords(range, has_more, onbuild);
            return;
        }
        if let InstructionKind::Onbuild(trigger) = &instruction.kind {
            match trigger {
                Some(trigger) => self.in_instruction(index, trigger, true),
                None => self.keywords(self.to_cursor(self.word_start()), false, true),
            }
            return;
        }
        let word_start = self.word_start().max(instruction.keyword_range.end);
        let word = &self.text[word_start..self.offset];
        if self.variable(word_start, word, instruction.keyword) {
            return;
        }
        let Some(keyword) = instruction.keyword else { return };
        // Flags come before every argument.
        let in_flags = !instruction.args.iter().any(|arg| arg.range.end <= word_start);
        if in_flags && word.starts_with('-') {
            self.flag(keyword, instruction, index, word_start, word);
            return;
        }
        let position = instruction.args.iter().filter(|arg| arg.range.end <= word_start).count();
        match keyword {
            Keyword::From => self.from(index, word_start, word, position),
            Keyword::Run => self.run(index, word_start, word),
            Keyword::Env | Keyword::Arg => self.env_or_arg(keyword, word_start, word),
            Keyword::Copy | Keyword::Add => self.context_paths(instruction, word_start, word),
            Keyword::Healthcheck if position == 0 => {
                let range = self.to_cursor(word_start);
                self.push(item("CMD", CompletionKind::Keyword, range, "The command that checks the container."));
                self.push(item(
                    "NONE",
                    CompletionKind::Keyword,
                    range,
                    "Turns off a health check inherited from the base image.",
                ));
            }
            _ => {}
        }
        if in_flags && word.is_empty() {
            self.flag_names(keyword, instruction, word_start);
        }
    }

    fn keywords(&mut self, range: TextRange, has_more: bool, onbuild: bool) {
        let before_any_from = self.dockerfile.stages.first().is_none_or(|stage| {
            self.dockerfile.instructions.get(stage.from).is_none_or(|from| from.range.start >= range.start)
        });
        for keyword in Keyword::ALL {
            if onbuild && matches!(keyword, Keyword::From | Keyword::Maintainer | Keyword::Onbuild) {
                continue;
            }
            // Only ARG may come before the first FROM.
            if !onbuild && before_any_from && !matches!(keyword, Keyword::From | Keyword::Arg) {
                continue;
            }
            let (doc, snippet) = tables::keyword_info(keyword);
            let mut completion = item(keyword.as_str(), CompletionKind::Keyword, range, doc);
            completion.deprecated = keyword == Keyword::Maintainer;
            if !has_more {
                if self.options.snippets {
                    completion.insert_text = snippet.to_string();
                    completion.snippet = true;
                } else {
                    completion.insert_text = format!("{} ", keyword.as_str());
                }
            }
            self.push(completion);
        }
    }

    /// `--name` or `--name=value` being typed.
    fn flag(&mut self, keyword: Keyword, instruction: &Instruction, index: usize, start: usize, word: &str) {
        let Some(eq) = word.find('=') else {
            self.flag_names(keyword, instruction, start);
            return;
        };
        let name = word[..eq].trim_start_matches('-');
        let Some(spec) = tables::flags(keyword).iter().find(|spec| spec.name == name) else { return };
        let value_start = start + eq + 1;
        let typed = &word[eq + 1..];
        match spec.value {
            FlagValue::Bool => self.values(value_start, tables::BOOLEANS, CompletionKind::Value),
            FlagValue::Platform => self.values(value_start, tables::PLATFORMS, CompletionKind::Value),
            FlagValue::Network => self.values(value_start, tables::NETWORKS, CompletionKind::Value),
            FlagValue::Security => self.values(value_start, tables::SECURITY, CompletionKind::Value),
            FlagValue::Chmod => self.values(value_start, tables::CHMOD, CompletionKind::Value),
            FlagValue::Duration => self.values(value_start, tables::DURATIONS, CompletionKind::Value),
            FlagValue::Retries => self.values(value_start, tables::RETRIES, CompletionKind::Value),
            FlagValue::Stage => self.stages(index, value_start),
            FlagValue::Mount => self.mount(index, value_start, typed),
            FlagValue::Free => {}
        }
    }

    fn flag_names(&mut self, keyword: Keyword, instruction: &Instruction, start: usize) {
        let range = self.to_cursor(start);
        for spec in tables::flags(keyword) {
            let given = instruction.flags.iter().any(|f| f.name == spec.name && f.range.start != start);
            if given && !spec.repeatable {
                continue;
            }
            let label = format!("--{}", spec.name);
            let mut completion = item(label.clone(), CompletionKind::Flag, range, spec.doc);
            if spec.value != FlagValue::Bool {
                completion.insert_text = format!("{label}=");
            }
            self.push(completion);
            if spec.value == FlagValue::Mount {
                for (value, doc) in tables::GO_CACHE_MOUNTS {
                    self.push(item(format!("--mount={value}"), CompletionKind::Flag, range, doc));
                }
            }
        }
    }

    /// The comma-separated options of `--mount=`.
    fn mount(&mut self, index: usize, start: usize, typed: &str) {
        let part_start = typed.rfind(',').map_or(0, |i| i + 1);
        let part = &typed[part_start..];
        let earlier: Vec<(String, String)> = typed[..part_start]
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (key, value) = p.split_once('=').unwrap_or((p, ""));
                (key.to_ascii_lowercase(), value.to_string())
            })
            .collect();
        let mount_type = earlier.iter().find(|(k, _)| k == "type").map_or("bind", |(_, v)| v.as_str()).to_string();
        if let Some(eq) = part.find('=') {
            let value_start = start + part_start + eq + 1;
            match part[..eq].to_ascii_lowercase().as_str() {
                "type" => self.values(value_start, tables::MOUNT_TYPES, CompletionKind::Value),
                "sharing" => self.values(value_start, tables::MOUNT_SHARING, CompletionKind::Value),
                "target" | "dst" | "destination" if mount_type == "cache" => {
                    self.values(value_start, tables::CACHE_TARGETS, CompletionKind::Value);
                }
                "from" => self.stages(index, value_start),
                "readonly" | "ro" | "rw" | "readwrite" | "required" => {
                    self.values(value_start, tables::BOOLEANS, CompletionKind::Value);
                }
                _ => {}
            }
            return;
        }
        let range = self.to_cursor(start + part_start);
        let aliases = |key: &str| -> &'static [&'static str] {
            match key {
                "target" => &["target", "dst", "destination"],
                "source" => &["source", "src"],
                "readonly" => &["readonly", "ro"],
                _ => &[],
            }
        };
        for (key, types, doc) in tables::MOUNT_KEYS {
            let names = aliases(key);
            let given = earlier.iter().any(|(k, _)| k == key || names.contains(&k.as_str()));
            let applies = types.is_empty() || types.contains(&mount_type.as_str()) || mount_type.contains('$');
            if given || !applies {
                continue;
            }
            let mut completion = item(*key, CompletionKind::Value, range, doc);
            if !matches!(*key, "readonly" | "rw" | "required") {
                completion.insert_text = format!("{key}=");
            }
            self.push(completion);
        }
    }

    /// Stages defined before the instruction at `index`, by name (or by index when unnamed).
    fn stages(&mut self, index: usize, start: usize) {
        let range = self.to_cursor(start);
        // A stage cannot refer to itself.
        let stages: Vec<_> = self
            .dockerfile
            .stages
            .iter()
            .filter(|stage| stage.from < index && !stage.instructions.contains(&index))
            .collect();
        for stage in stages {
            let image = match self.dockerfile.instructions.get(stage.from).map(|i| &i.kind) {
                Some(InstructionKind::From(from)) => from.image.as_ref().map_or(String::new(), |i| i.text.clone()),
                _ => String::new(),
            };
            let label = stage.name.clone().unwrap_or_else(|| stage.index.to_string());
            let mut completion = item(label, CompletionKind::Stage, range, "");
            completion.detail = Some(format!("stage {} · FROM {image}", stage.index));
            self.push(completion);
        }
    }

    fn from(&mut self, index: usize, start: usize, word: &str, position: usize) {
        match position {
            0 => {
                if let Some(colon) = word.rfind(':').filter(|&c| !word[..c].contains('@')) {
                    let name = &word[..colon];
                    let name =
                        name.strip_prefix("docker.io/").or(name.strip_prefix("index.docker.io/")).unwrap_or(name);
                    if name.strip_prefix("library/").unwrap_or(name) == "golang" {
                        self.golang_tags(start + colon + 1, &word[colon + 1..]);
                    }
                    return;
                }
                self.stages(index, start);
                self.values(start, tables::IMAGES, CompletionKind::Image);
            }
            1 => {
                let range = self.to_cursor(start);
                self.push(item(
                    "AS",
                    CompletionKind::Keyword,
                    range,
                    "Names the stage, for `FROM <name>` and `--from=<name>`.",
                ));
            }
            _ => {}
        }
    }

    /// `${NAME}` and `$NAME`: the ARG and ENV names in scope, the platform ARGs, the proxy ARGs in RUN.
    fn variable(&mut self, word_start: usize, word: &str, keyword: Option<Keyword>) -> bool {
        let Some(dollar) = word.rfind('$') else { return false };
        if word[..dollar].ends_with(self.dockerfile.escape) {
            return false;
        }
        let after = &word[dollar + 1..];
        let (braced, name) = match after.strip_prefix('{') {
            Some(name) => (true, name),
            None => (false, after),
        };
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return false;
        }
        let name_start = word_start + dollar + 1 + usize::from(braced);
        let range = self.to_cursor(name_start);
        let rest = &self.text[self.offset..];
        let closed = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_').starts_with('}');
        let close = if braced && !closed { "}" } else { "" };
        let scope = Scope::new(self.dockerfile, self.text);
        let mut visible = scope.visible_at(self.offset);
        // The file's own declarations first, then BuildKit's.
        visible.sort_by_key(|definition| definition.kind == VariableKind::Automatic);
        let mut offered: Vec<String> = Vec::new();
        for definition in &visible {
            let (detail, doc) = match definition.kind {
                VariableKind::Arg => (
                    "ARG",
                    definition.value.as_ref().map_or_else(
                        || "No default: set it with `--build-arg`.".to_string(),
                        |v| format!("Default: `{v}`"),
                    ),
                ),
                VariableKind::Env => {
                    ("ENV", definition.value.as_ref().map_or(String::new(), |v| format!("Value: `{v}`")))
                }
                VariableKind::Automatic => ("automatic platform ARG", "Set by BuildKit for each build.".to_string()),
            };
            let mut completion = item(definition.name.clone(), CompletionKind::Variable, range, &doc);
            completion.detail = Some(detail.to_string());
            completion.insert_text = format!("{}{close}", definition.name);
            offered.push(definition.name.clone());
            self.push(completion);
        }
        for name in AUTOMATIC_PLATFORM_ARGS {
            if offered.iter().any(|o| o == name) {
                continue;
            }
            let mut completion = item(
                name,
                CompletionKind::Variable,
                range,
                &format!(
                    "Set by BuildKit, but only visible in a stage that declares it: add `ARG {name}` to this stage first."
                ),
            );
            completion.detail = Some("automatic platform ARG (not declared in this stage)".to_string());
            completion.insert_text = format!("{name}{close}");
            self.push(completion);
        }
        if keyword == Some(Keyword::Run) {
            for name in PROXY_ARGS {
                if offered.iter().any(|o| o == name) {
                    continue;
                }
                let mut completion =
                    item(name, CompletionKind::Variable, range, "Passed to RUN when given with `--build-arg`.");
                completion.detail = Some("predefined proxy ARG".to_string());
                completion.insert_text = format!("{name}{close}");
                self.push(completion);
            }
        }
        true
    }

    fn env_or_arg(&mut self, keyword: Keyword, start: usize, word: &str) {
        if let Some(eq) = word.find('=') {
            if self.module_patterns(&word[..eq], start + eq + 1, &word[eq + 1..]) {
                return;
            }
            let values = tables::go_env_values(&word[..eq]);
            self.values(start + eq + 1, values, CompletionKind::Value);
            return;
        }
        let range = self.to_cursor(start);
        for (name, doc) in tables::GO_ENV_NAMES {
            let mut completion = item(*name, CompletionKind::Variable, range, doc);
            completion.insert_text = format!("{name}=");
            self.push(completion);
        }
        if keyword == Keyword::Arg {
            for name in AUTOMATIC_PLATFORM_ARGS {
                let mut completion = item(
                    name,
                    CompletionKind::Variable,
                    range,
                    "Declared without a value, it takes the build's value.",
                );
                completion.detail = Some("automatic platform ARG".to_string());
                self.push(completion);
            }
        }
    }

    /// Suppression comments and directives: `# check=skip=`, `# gantry: ignore=`, `# hadolint ignore=`.
    fn comment(&mut self, prefix: &str, directive_line: bool) {
        let body_start = self.offset - prefix.len() + prefix.find('#').map_or(0, |i| i + 1);
        let body = &self.text[body_start..self.offset];
        let lead = body.len() - body.trim_start().len();
        let body = body.trim_start();
        let body_start = body_start + lead;
        let lower = body.to_ascii_lowercase();
        if let Some(check) = lower.strip_prefix("check")
            && let Some(options) = check.trim_start().strip_prefix('=')
        {
            let options_start = self.offset - options.len();
            self.check_options(options_start, &body[body.len() - options.len()..]);
            return;
        }
        if directive_line && !body.contains('=') && body.chars().all(|c| c.is_ascii_alphabetic()) {
            let range = self.to_cursor(body_start);
            let present: Vec<&str> = self.dockerfile.directives.iter().map(|d| d.name.as_str()).collect();
            for (name, doc, _) in tables::DIRECTIVES {
                if present.contains(name) && !lower.eq_ignore_ascii_case(name) {
                    continue;
                }
                let mut completion = item(*name, CompletionKind::Directive, range, doc);
                completion.insert_text = format!("{name}=");
                self.push(completion);
            }
            return;
        }
        if directive_line && let Some((name, value)) = lower.split_once('=') {
            let name = name.trim();
            if let Some((_, _, values)) = tables::DIRECTIVES.iter().find(|(n, _, _)| *n == name) {
                let value_start = self.offset - value.len() + (value.len() - value.trim_start().len());
                self.values(value_start, values, CompletionKind::Value);
                return;
            }
        }
        let Some(eq) = lower.rfind('=') else {
            if lower.starts_with("gantry:") && !lower.contains('=') {
                let typed = body["gantry:".len()..].trim_start();
                let range = self.to_cursor(self.offset - typed.len());
                self.push(item(
                    "ignore=",
                    CompletionKind::Directive,
                    range,
                    "Silences codes for the next instruction.",
                ));
                self.push(item("ignore-file=", CompletionKind::Directive, range, "Silences codes in the whole file."));
            }
            return;
        };
        let head = lower[..eq].trim_end();
        let list = &body[eq + 1..];
        if list.contains(char::is_whitespace) {
            return;
        }
        let gantry = head.starts_with("gantry:") && (head.ends_with("ignore") || head.ends_with("ignore-file"));
        let hadolint = head.starts_with("hadolint") && head.ends_with("ignore");
        if gantry || hadolint {
            let partial_start = self.offset - (list.len() - list.rfind(',').map_or(0, |i| i + 1));
            let given: Vec<&str> = list.split(',').collect();
            self.rule_codes(partial_start, &given, false);
        }
    }

    /// The options of a `check=` directive or comment: `skip=`, `error=`, `experimental=`.
    fn check_options(&mut self, start: usize, options: &str) {
        let segment_start = options.rfind(';').map_or(0, |i| i + 1);
        let segment = &options[segment_start..];
        match segment.split_once('=') {
            Some((key, list)) => {
                let key = key.trim().to_ascii_lowercase();
                let list_start = self.offset - list.len();
                match key.as_str() {
                    "skip" | "experimental" => {
                        let partial_start = list_start + list.rfind(',').map_or(0, |i| i + 1);
                        let given: Vec<&str> = list.split(',').collect();
                        self.rule_codes(partial_start, &given, true);
                    }
                    "error" => self.values(list_start, tables::BOOLEANS, CompletionKind::Value),
                    _ => {}
                }
            }
            None => {
                let Some((_, _, values)) = tables::DIRECTIVES.iter().find(|(n, _, _)| *n == "check") else { return };
                self.values(start + segment_start, values, CompletionKind::Value);
            }
        }
    }

    /// Rule codes for a suppression list; only BuildKit's check names when `buildkit_only`.
    fn rule_codes(&mut self, start: usize, given: &[&str], buildkit_only: bool) {
        let range = self.to_cursor(start);
        if buildkit_only {
            self.push(item("all", CompletionKind::Rule, range, "Every check."));
        }
        // Over a hundred codes: filter by what is typed, and ask again as more is typed.
        let typed = self.text[range.as_range()].to_ascii_lowercase();
        self.out.incomplete |= !typed.is_empty();
        let codes = rules::ALL.iter().filter(|rule| !buildkit_only || is_buildkit_check_name(rule.code));
        for rule in codes {
            let listed = given.iter().any(|g| g.eq_ignore_ascii_case(rule.code));
            if listed || !rule.code.to_ascii_lowercase().starts_with(&typed) {
                continue;
            }
            let mut completion = item(rule.code, CompletionKind::Rule, range, &summary(rule.docs));
            completion.detail = Some(rule.name.to_string());
            self.push(completion);
        }
    }
}

/// BuildKit's checks are named in CamelCase; hadolint's and gantry's Go rules have letter-digit codes.
fn is_buildkit_check_name(code: &str) -> bool {
    code.chars().any(|c| c.is_ascii_lowercase())
}

/// The first paragraph of a rule's "What it does" section.
fn summary(docs: &str) -> String {
    let section = docs.split_once("## What it does").map_or(docs, |(_, rest)| rest);
    section.trim_start().split("\n\n").next().unwrap_or("").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    /// Every offset of a file with every kind of construct (and a multi-byte character) answers
    /// without panicking, with items whose ranges end at the cursor.
    #[test]
    fn every_offset_answers() {
        let text = "# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing\nARG GO=1.26\n\
            FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build\n\
            # gantry: ignore=DL3008,\nRUN --mount=type=cache,target=/go/pkg/mod \\\n  CGO_ENABLED=0 go build -o /app ./cmd/é\n\
            COPY --from=build --chmod=0755 /app /app\nRUN <<EOF\necho $HOME\nEOF\nONBUILD COPY --from= a b\n\
            HEALTHCHECK --interval=5s CMD true\nENV GOOS=linux\n";
        let parse = syntax::parse(text);
        for offset in 0..=text.len() + 2 {
            for snippets in [false, true] {
                let found = completions(&parse, offset, None, CompletionOptions { snippets });
                for item in &found.items {
                    assert!(item.range.start <= item.range.end && item.range.end <= text.len(), "{offset}: {item:?}");
                    assert!(text.is_char_boundary(item.range.start), "{offset}: {item:?}");
                }
            }
        }
    }
}
