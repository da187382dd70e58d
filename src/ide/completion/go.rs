//! Go-aware completion: golang image tags (go.mod's version first), and inside RUN the flags,
//! flag values and main packages of `go build`/`go install`, and the values of Go's variables.

use super::{CompletionKind, Request, item, tables};
use crate::images::{GoVersion, GolangImage, Variant, suggest_tag, tags_for_completion};
use crate::rules::GoFacts;
use crate::syntax::{GoCommand, GoSubcommand, SimpleCommand};

/// How many tags one answer lists; the answer is marked incomplete when there are more.
const MAX_TAGS: usize = 100;

impl Request<'_> {
    /// Tags of the golang image starting with `typed`.
    pub(super) fn golang_tags(&mut self, start: usize, typed: &str) {
        let range = self.to_cursor(start);
        if let Some(go_line) = self.go.and_then(go_line) {
            let variant = typed_variant(typed);
            if let Some(tag) = suggest_tag(go_line, variant) {
                let mut completion = item(
                    tag.clone(),
                    CompletionKind::ImageTag,
                    range,
                    &format!("The tag for go.mod's `go {go_line}`, keeping the variant typed so far."),
                );
                completion.detail = Some(format!("go.mod: go {go_line}"));
                completion.preselect = true;
                // Always shown, whatever part of another tag was typed.
                completion.filter_text = Some(typed.to_string());
                self.push(completion);
            }
        }
        let tags = tags_for_completion(typed);
        self.out.incomplete |= tags.len() > MAX_TAGS;
        for record in tags.into_iter().take(MAX_TAGS) {
            let image = GolangImage::from_tag(Some(&record.tag), None);
            let version = image.go_version.map(|v| format!("Go {v}")).unwrap_or_default();
            let (year, month, day) = record.last_seen.ymd();
            let doc = if record.current {
                "Still rebuilt with Go and OS fixes.".to_string()
            } else {
                format!("No longer rebuilt: last listed {year:04}-{month:02}-{day:02}.")
            };
            let mut completion = item(record.tag.to_string(), CompletionKind::ImageTag, range, &doc);
            completion.detail = (!version.is_empty()).then_some(version);
            completion.deprecated = !record.current;
            self.push(completion);
        }
    }

    /// RUN: Go variable values in assignments, and `go` commands.
    pub(super) fn run(&mut self, index: usize, start: usize, word: &str) {
        if let Some((name, _)) = word.split_once('=')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        {
            if self.module_patterns(name, start + name.len() + 1, &word[name.len() + 1..]) {
                return;
            }
            self.values(start + name.len() + 1, tables::go_env_values(name), CompletionKind::Value);
            return;
        }
        let scripts = self.parse.shell_scripts();
        let Some(script) = scripts.get(index) else { return };
        let Some(command) = self.command_at(&script.commands, start) else { return };
        if !command.is("go") {
            return;
        }
        let Some(go) = GoCommand::from_shell(command) else {
            // `go ` alone: the subcommand comes next.
            self.values(start, tables::GO_SUBCOMMANDS, CompletionKind::Command);
            return;
        };
        if go.subcommand_range.start >= start {
            self.values(start, tables::GO_SUBCOMMANDS, CompletionKind::Command);
            return;
        }
        if !matches!(
            go.subcommand,
            GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run | GoSubcommand::Test
        ) {
            return;
        }
        let instruction_start = self.dockerfile.instructions.get(index).map_or(0, |i| i.range.start);
        if self.linker_x_target(instruction_start, start, word) || self.build_tags(start, word) {
            return;
        }
        if let Some((flag, _)) = word.split_once('=').filter(|(f, _)| f.starts_with('-')) {
            let values = tables::go_flag_values(flag.trim_start_matches('-'));
            self.values(start + flag.len() + 1, values, CompletionKind::Value);
            return;
        }
        let before = self.text[..start].trim_end();
        let previous = before.rsplit(char::is_whitespace).next().unwrap_or("");
        let previous_values = tables::go_flag_values(previous.trim_start_matches('-'));
        if previous.starts_with('-') && !previous.contains('=') && !previous_values.is_empty() {
            self.values(start, previous_values, CompletionKind::Value);
            return;
        }
        if !word.starts_with('-') {
            self.main_packages(start);
        }
        let range = self.to_cursor(start);
        for (flag, doc) in tables::GO_BUILD_FLAGS {
            if go.flags.iter().any(|f| f.name == flag[1..] && f.range.start != start) {
                continue;
            }
            self.push(item(*flag, CompletionKind::Flag, range, doc));
        }
    }

    /// The simple command the word at `start` belongs to: it starts before the word, and only
    /// blanks and line continuations lie between its end and the cursor.
    fn command_at<'s>(&self, commands: &'s [SimpleCommand], start: usize) -> Option<&'s SimpleCommand> {
        let escape = self.dockerfile.escape;
        commands.iter().filter(|c| c.range.start <= start).rev().find(|c| {
            self.offset <= c.range.end
                || self
                    .text
                    .get(c.range.end..self.offset)
                    .is_some_and(|gap| gap.chars().all(|ch| matches!(ch, ' ' | '\t' | '\r' | '\n') || ch == escape))
        })
    }

    /// `./cmd/<name>`: the main packages of the module (or build context) the Dockerfile builds.
    fn main_packages(&mut self, start: usize) {
        let Some(go) = self.go else { return };
        let base = go.context.module.as_ref().map(|m| m.dir.clone()).or_else(|| go.context.root.clone());
        let base = base.unwrap_or_else(|| ".".to_string());
        let index = go.workspace.package_index();
        let range = self.to_cursor(start);
        let mut packages: Vec<String> = index
            .packages
            .values()
            .filter(|package| package.is_main())
            .filter_map(|package| relative_package(&package.dir, &base))
            .collect();
        packages.sort_by_key(|path| (!path.starts_with("./cmd/"), path.clone()));
        for path in packages {
            let mut completion = item(path.clone(), CompletionKind::Package, range, "A `package main` of the project.");
            completion.detail = Some("main package".to_string());
            self.push(completion);
        }
    }
}

/// `dir` (relative to the workspace folder) as a Go package path relative to `base`.
fn relative_package(dir: &str, base: &str) -> Option<String> {
    if dir == base {
        return Some(".".to_string());
    }
    let inside = if base == "." { Some(dir) } else { dir.strip_prefix(base).and_then(|rest| rest.strip_prefix('/')) };
    inside.map(|rest| format!("./{rest}"))
}

/// The version on go.mod's `go` line.
fn go_line(go: &GoFacts) -> Option<GoVersion> {
    let module = go.context.module.as_ref()?;
    let go_mod = module.go_mod.loaded()?;
    GoVersion::parse(&go_mod.go.as_ref()?.value)
}

/// The variant of a partly typed tag: its suffix when it names one, else the Debian default.
fn typed_variant(typed: &str) -> Variant {
    let debian = Variant::Debian { release: None, pinned: false };
    if typed.is_empty() {
        return debian;
    }
    match GolangImage::from_tag(Some(typed), None).variant {
        Variant::Unknown if typed.contains("-alpine") || typed.starts_with("alpine") => {
            Variant::Alpine { version: None, pinned: false }
        }
        Variant::Unknown => debian,
        variant => variant,
    }
}
