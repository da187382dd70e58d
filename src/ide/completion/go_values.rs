//! Values drawn from the Go project: `-X importpath.name=` targets inside `-ldflags` (the string
//! variables the linker can set), build tags after `-tags` (those the sources' `//go:build` lines
//! use, and the few with a meaning of their own), and module path patterns for `GOPRIVATE`,
//! `GONOSUMDB` and `GONOPROXY` (go.mod's module and requirements, and their common prefixes).

use std::collections::BTreeMap;
use std::time::Duration;

use super::{CompletionKind, Request, item};
use crate::images::{GOARCH, GOOS};
use crate::rules::GoFacts;
use crate::workspace::{Initializer, Package, VarDecl, is_within};

/// How long one request may spend reading packages in full for `-X` targets; the rest is read
/// by the requests that follow (the answer says it is incomplete meanwhile).
const FULL_READ_BUDGET: Duration = Duration::from_millis(40);

/// Build tags with a meaning of their own, offered even when no file names them.
const SPECIAL_TAGS: &[(&str, &str)] = &[
    ("netgo", "The pure-Go DNS resolver instead of libc's: no libc needed for name lookups."),
    ("osusergo", "The pure-Go user and group lookups (reads /etc/passwd) instead of libc's."),
    ("timetzdata", "Embeds the time zone database, for images without /usr/share/zoneinfo."),
];

/// Tags the go command sets itself: naming them in `-tags` changes nothing.
const IMPLIED_TAGS: &[&str] = &["cgo", "gc", "gccgo", "unix", "ignore"];

/// The environment variables whose values are module path patterns.
const MODULE_PATTERN_VARIABLES: &[&str] = &["GOPRIVATE", "GONOSUMDB", "GONOPROXY", "GOINSECURE"];

/// At most this many module patterns per answer (a go.mod may require hundreds of modules).
const MAX_PATTERNS: usize = 60;

/// At most this many `-X` targets per answer, among those matching what is typed; more make the
/// answer incomplete, so the client asks again as more is typed.
const MAX_X_TARGETS: usize = 200;

impl Request<'_> {
    /// Inside the `-ldflags` value of a RUN: after `-X ` (or `-X=`), the settable variables.
    /// Decided from the text, as the quote around the flags is usually still open while typing.
    pub(super) fn linker_x_target(&mut self, instruction_start: usize, start: usize, word: &str) -> bool {
        let lead = word.len() - word.trim_start_matches(['"', '\'']).len();
        let unquoted = &word[lead..];
        let (target_start, typed) = match unquoted.strip_prefix("-X=") {
            Some(rest) => (start + lead + 3, rest),
            None => {
                let before = self.text.get(instruction_start..start).unwrap_or("").trim_end();
                let previous = before.rsplit(char::is_whitespace).next().unwrap_or("");
                let previous = previous.rsplit(['"', '\'']).next().unwrap_or(previous);
                if !matches!(previous, "-X" | "--X") {
                    return false;
                }
                (start + lead, unquoted)
            }
        };
        let in_ldflags = self.text.get(instruction_start..start).is_some_and(|t| t.contains("-ldflags"));
        if !in_ldflags || typed.contains('=') {
            return in_ldflags;
        }
        if let Some(go) = self.go {
            self.x_targets(go, target_start);
        }
        true
    }

    fn x_targets(&mut self, go: &GoFacts, start: usize) {
        let range = self.to_cursor(start);
        let full = go.workspace.full_packages(FULL_READ_BUDGET);
        self.out.incomplete |= !full.complete;
        let index = go.workspace.package_index();
        let mut module_paths: BTreeMap<String, Option<String>> = BTreeMap::new();
        let typed = self.text.get(range.as_range()).unwrap_or("");
        // What is needed to sort and filter; paths and descriptions only for the items shown.
        let mut targets: Vec<(bool, String, &str, &str, &VarDecl)> = Vec::new();
        for package in &full.packages {
            if go.context.includes(&package.dir) == Some(false) {
                continue;
            }
            let main = package.is_main();
            let prefix = if main {
                "main".to_string()
            } else {
                let Some(module_dir) =
                    index.module_dirs.iter().filter(|m| is_within(&package.dir, m)).max_by_key(|m| m.len())
                else {
                    continue;
                };
                let module_path = module_paths.entry(module_dir.clone()).or_insert_with(|| {
                    go.workspace.go_mod(module_dir).loaded().and_then(|m| m.module_path().map(str::to_string))
                });
                let Some(module_path) = module_path.as_deref() else { continue };
                if package.dir == *module_dir {
                    module_path.to_string()
                } else if module_dir == "." {
                    format!("{module_path}/{}", package.dir)
                } else {
                    format!(
                        "{module_path}/{}",
                        package.dir.strip_prefix(module_dir.as_str()).unwrap_or("").trim_start_matches('/')
                    )
                }
            };
            for file in &package.files {
                for var in file.facts.vars.iter().filter(|v| settable(package, v)) {
                    let label = format!("{prefix}.{}", var.name.value);
                    if is_subsequence(typed, &label) {
                        targets.push((!main, label, &package.dir, &file.name, var));
                    }
                }
            }
        }
        // The main packages' variables first: `main.version` is the usual target.
        targets.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        self.out.incomplete |= targets.len() > MAX_X_TARGETS;
        for (_, label, dir, file, var) in targets.into_iter().take(MAX_X_TARGETS) {
            let path = if dir == "." { file.to_string() } else { format!("{dir}/{file}") };
            let doc = describe(var);
            let mut completion = item(label.clone(), CompletionKind::Variable, range, &doc);
            completion.insert_text = format!("{label}=");
            completion.detail = Some(format!("string variable · {path}"));
            self.push(completion);
        }
    }

    /// After `-tags` (`-tags a,b`, `-tags=a,b`, quoted or not): the build tags of the workspace.
    pub(super) fn build_tags(&mut self, start: usize, word: &str) -> bool {
        let lead = word.len() - word.trim_start_matches(['"', '\'']).len();
        let unquoted = &word[lead..];
        let (list_start, list) = match unquoted.strip_prefix("-tags=").or_else(|| unquoted.strip_prefix("--tags=")) {
            Some(rest) => {
                let quote = rest.len() - rest.trim_start_matches(['"', '\'']).len();
                (start + lead + unquoted.len() - rest.len() + quote, &rest[quote..])
            }
            None => {
                let before = self.text.get(..start).unwrap_or("").trim_end();
                let previous = before.rsplit(char::is_whitespace).next().unwrap_or("");
                if !matches!(previous, "-tags" | "--tags") {
                    return false;
                }
                (start + lead, unquoted)
            }
        };
        let typed_start = list.rfind(',').map_or(0, |i| i + 1);
        let given: Vec<&str> = list.split(',').collect();
        let range = self.to_cursor(list_start + typed_start);
        let mut seen: Vec<String> = Vec::new();
        if let Some(go) = self.go {
            let index = go.workspace.package_index();
            let mut tags: BTreeMap<String, String> = BTreeMap::new();
            for package in index.packages.values() {
                for tag in package.build_tags() {
                    let platform = GOOS.contains(&tag.as_str()) || GOARCH.contains(&tag.as_str());
                    let release = tag.strip_prefix("go1.").is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit()));
                    if !(platform || release || IMPLIED_TAGS.contains(&tag.as_str())) {
                        tags.entry(tag).or_insert_with(|| package.dir.clone());
                    }
                }
            }
            for (tag, dir) in tags {
                if given.contains(&tag.as_str()) && given.last() != Some(&tag.as_str()) {
                    continue;
                }
                let doc = SPECIAL_TAGS.iter().find(|(t, _)| *t == tag).map_or_else(
                    || format!("Used by `//go:build` lines in `{dir}`: selects the files that need it."),
                    |(_, doc)| doc.to_string(),
                );
                let mut completion = item(tag.clone(), CompletionKind::Value, range, &doc);
                completion.detail = Some(format!("build tag · {dir}"));
                seen.push(tag);
                self.push(completion);
            }
        }
        for (tag, doc) in SPECIAL_TAGS {
            if seen.iter().any(|s| s == tag) || (given.contains(tag) && given.last() != Some(tag)) {
                continue;
            }
            let mut completion = item(*tag, CompletionKind::Value, range, doc);
            completion.detail = Some("build tag".to_string());
            self.push(completion);
        }
        true
    }

    /// The value of `GOPRIVATE=` (and its kin) being typed at `start`: module path patterns,
    /// comma-separated. Returns whether `name` is one of those variables.
    pub(super) fn module_patterns(&mut self, name: &str, start: usize, typed: &str) -> bool {
        if !MODULE_PATTERN_VARIABLES.contains(&name) {
            return false;
        }
        let Some(go) = self.go else { return true };
        let lead = typed.len() - typed.trim_start_matches(['"', '\'']).len();
        let list = &typed[lead..];
        let item_start = list.rfind(',').map_or(0, |i| i + 1);
        let given: Vec<&str> = list.split(',').collect();
        let range = self.to_cursor(start + lead + item_start);
        let patterns = module_patterns(go);
        self.out.incomplete |= patterns.len() > MAX_PATTERNS;
        for (pattern, doc) in patterns.into_iter().take(MAX_PATTERNS) {
            if given[..given.len().saturating_sub(1)].contains(&pattern.as_str()) {
                continue;
            }
            let mut completion = item(pattern, CompletionKind::Value, range, &doc);
            completion.detail = Some("module path pattern".to_string());
            self.push(completion);
        }
        true
    }
}

/// Whether the characters of `typed` appear in `label` in order, ignoring ASCII case (how clients
/// match, too).
fn is_subsequence(typed: &str, label: &str) -> bool {
    let mut rest = label.chars();
    typed.chars().all(|wanted| rest.any(|c| c.eq_ignore_ascii_case(&wanted)))
}

/// Whether `-X` can set the variable: a string, uninitialised or set to a constant string (a
/// string literal, or a constant of the same package).
fn settable(package: &Package, var: &VarDecl) -> bool {
    let string = var.type_text.as_deref().is_none_or(|t| t == "string");
    let constant = match &var.init {
        Initializer::None => var.type_text.is_some(),
        Initializer::ConstantString(_) => true,
        Initializer::Identifier(name) => package.has_const(name),
        _ => false,
    };
    string && constant && var.name.value != "_"
}

fn describe(var: &VarDecl) -> String {
    match &var.init {
        Initializer::ConstantString(value) => format!("`var {}`, defaults to {value:?}.", var.name.value),
        Initializer::Identifier(name) => format!("`var {}`, defaults to the constant `{name}`.", var.name.value),
        _ => format!("`var {} string`, empty unless set.", var.name.value),
    }
}

/// Patterns for the modules of go.mod: the organisation prefix of the module itself first (the
/// usual private setting), the module, then each requirement's organisation prefix and the
/// direct requirements.
fn module_patterns(go: &GoFacts) -> Vec<(String, String)> {
    let Some(go_mod) = go.context.module.as_ref().and_then(|m| m.go_mod.loaded().cloned()) else { return Vec::new() };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |pattern: String, doc: String| {
        if !out.iter().any(|(p, _)| *p == pattern) {
            out.push((pattern, doc));
        }
    };
    let requires: Vec<&str> = go_mod.requires.iter().map(|r| r.path.value.as_str()).collect();
    let covered = |prefix: &str| -> Vec<&str> { requires.iter().copied().filter(|r| is_within(r, prefix)).collect() };
    if let Some(own) = go_mod.module_path() {
        if let Some(prefix) = organisation(own) {
            let others = covered(prefix);
            let also = if others.is_empty() { String::new() } else { format!(" and {}", quoted(&others)) };
            push(format!("{prefix}/*"), format!("Everything under `{prefix}`: this module{also}."));
        }
        push(own.to_string(), "This module only.".to_string());
    }
    for path in &requires {
        if let Some(prefix) = organisation(path) {
            push(format!("{prefix}/*"), format!("Everything under `{prefix}`: {}.", quoted(&covered(prefix))));
        }
    }
    for require in go_mod.requires.iter().filter(|r| !r.indirect) {
        push(require.path.value.clone(), "This required module only.".to_string());
    }
    out
}

/// `host/organisation` of a module path with a host name (`github.com/acme/shop` → `github.com/acme`).
fn organisation(path: &str) -> Option<&str> {
    let mut parts = path.splitn(3, '/');
    let host = parts.next()?;
    let owner = parts.next()?;
    parts.next()?;
    host.contains('.').then(|| &path[..host.len() + 1 + owner.len()])
}

fn quoted(paths: &[&str]) -> String {
    paths.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}
