//! What the shell-aware rules share: the RUN scripts of a file, which stages ship, cache mounts,
//! and a small command-line reader for package managers' options and operands.

use std::collections::HashMap;

use crate::rules::{Context, Diagnostic};
use crate::syntax::{Dockerfile, Instruction, InstructionKind, ShellScript, ShellWord, SimpleCommand, Stage, Word};

/// One RUN with its script.
pub(super) struct RunScript<'c> {
    pub(super) index: usize,
    pub(super) instruction: &'c Instruction,
    pub(super) script: &'c ShellScript,
    /// Index of the stage the RUN belongs to (`None` before the first FROM).
    pub(super) stage: Option<usize>,
}

/// Every RUN (and `ONBUILD RUN`) whose script could be read, in file order.
pub(super) fn run_scripts<'c>(context: &'c Context<'_>) -> impl Iterator<Item = RunScript<'c>> {
    let dockerfile = context.dockerfile;
    dockerfile.instructions.iter().enumerate().filter_map(move |(index, instruction)| {
        let script = context.shell(index)?;
        let stage = stage_containing(dockerfile, index).map(|s| s.index);
        Some(RunScript { index, instruction, script, stage })
    })
}

/// The stage whose instructions include the one at `index`. Stages cover consecutive, ordered
/// ranges of instructions, so a binary search finds it (a linear scan per RUN was quadratic).
fn stage_containing(dockerfile: &Dockerfile, index: usize) -> Option<&Stage> {
    let at = dockerfile.stages.partition_point(|s| s.instructions.end <= index);
    dockerfile.stages.get(at).filter(|s| s.instructions.contains(&index))
}

/// The stage that a `FROM`, `COPY --from` or `RUN --mount=from=` names, if it is a stage.
fn referenced_stage<'d>(dockerfile: &'d Dockerfile, reference: &str, before: usize) -> Option<&'d Stage> {
    dockerfile.stage_by_reference(reference).filter(|s| s.index < before)
}

/// Stage lookup by reference with the answers of [`Dockerfile::stage_by_reference`], from a map
/// built once: looking every reference up by a scan of all stages made `shipping_stages` quadratic.
struct StageNames<'d> {
    dockerfile: &'d Dockerfile,
    /// The first stage of each name, keyed in ASCII lower case (names match case-insensitively).
    first_by_name: HashMap<String, usize>,
}

impl<'d> StageNames<'d> {
    fn new(dockerfile: &'d Dockerfile) -> StageNames<'d> {
        let mut first_by_name = HashMap::new();
        for (at, stage) in dockerfile.stages.iter().enumerate() {
            if let Some(name) = &stage.name {
                first_by_name.entry(name.to_ascii_lowercase()).or_insert(at);
            }
        }
        StageNames { dockerfile, first_by_name }
    }

    /// As [`referenced_stage`].
    fn referenced(&self, reference: &str, before: usize) -> Option<&'d Stage> {
        let stages = &self.dockerfile.stages;
        let found = match self.first_by_name.get(&reference.to_ascii_lowercase()) {
            Some(&at) => stages.get(at),
            None => reference.parse::<usize>().ok().and_then(|i| stages.get(i)),
        };
        found.filter(|s| s.index < before)
    }
}

/// The stage an instruction belongs to and, through `FROM <stage>`, the stages it builds on,
/// nearest first, each with the end of the part that comes before the instruction.
fn stage_chain(dockerfile: &Dockerfile, index: usize) -> Vec<(&Stage, usize)> {
    let mut chain = Vec::new();
    let Some(mut stage) = stage_containing(dockerfile, index) else { return chain };
    let mut until = index;
    loop {
        chain.push((stage, until));
        let base = match dockerfile.instructions.get(stage.from).map(|i| &i.kind) {
            Some(InstructionKind::From(from)) => from.image.as_ref().map(|i| i.text.as_str()),
            _ => None,
        };
        // Parents are always earlier stages, so the walk ends.
        match base.and_then(|b| referenced_stage(dockerfile, b, stage.index)) {
            Some(parent) => {
                stage = parent;
                until = parent.instructions.end;
            }
            None => return chain,
        }
    }
}

/// The `SHELL` in effect for the instruction at `index` (inherited through `FROM <stage>`).
pub(super) fn shell_in_effect(dockerfile: &Dockerfile, index: usize) -> Option<&[Word]> {
    stage_chain(dockerfile, index).into_iter().find_map(|(stage, until)| {
        let before = dockerfile.instructions.get(stage.instructions.start..until).unwrap_or_default();
        before.iter().rev().find_map(|i| match &i.kind {
            InstructionKind::Shell(words) => Some(words.as_slice()),
            _ => None,
        })
    })
}

/// The image the instruction's stage is ultimately built on (`FROM <image>` at the root of its
/// `FROM <stage>` chain), as written.
pub(super) fn base_image(dockerfile: &Dockerfile, index: usize) -> Option<&str> {
    let (root, _) = stage_chain(dockerfile, index).pop()?;
    match &dockerfile.instructions.get(root.from)?.kind {
        InstructionKind::From(from) => from.image.as_ref().map(|i| i.text.as_str()),
        _ => None,
    }
}

impl Context<'_> {
    /// [`shipping_stages`] of the checked file, computed once per check and shared by the shell rules.
    pub(super) fn shipping_stages(&self) -> &[bool] {
        self.shipping_stages.get_or_init(|| shipping_stages(self.dockerfile))
    }
}

/// Which stages' instructions end up in an image that is shipped.
///
/// A stage ships when it is the last stage, or when nothing else in the file uses it (it can only
/// be meant as a `--target`), and so does every stage it builds on through `FROM <stage>`. A stage
/// that is only used through `COPY --from`, `RUN --mount=from=` or as the base of such a stage is
/// a builder: its own layers are thrown away, only the files copied out of it remain.
pub(super) fn shipping_stages(dockerfile: &Dockerfile) -> Vec<bool> {
    let count = dockerfile.stages.len();
    let mut used = vec![false; count];
    let mut parent: Vec<Option<usize>> = vec![None; count];
    let names = StageNames::new(dockerfile);
    for stage in &dockerfile.stages {
        for (offset, instruction) in dockerfile.stage_instructions(stage).iter().enumerate() {
            let mut references: Vec<&str> = Vec::new();
            match &instruction.kind {
                InstructionKind::From(from) if offset == 0 => {
                    if let Some(image) = &from.image
                        && let Some(base) = names.referenced(&image.text, stage.index)
                    {
                        parent[stage.index] = Some(base.index);
                        used[base.index] = true;
                    }
                }
                InstructionKind::Copy(_) | InstructionKind::Add(_) => {
                    references.extend(instruction.flag("from").and_then(|f| f.value.as_deref()));
                }
                InstructionKind::Run(run) => {
                    references.extend(run.mounts.iter().filter_map(|m| m.option("from")?.value.as_deref()));
                }
                _ => {}
            }
            for reference in references {
                if let Some(source) = names.referenced(reference, stage.index.saturating_add(1)) {
                    used[source.index] = true;
                }
            }
        }
    }
    let mut shipping = vec![false; count];
    for root in (0..count).filter(|&i| i + 1 == count || !used[i]) {
        let mut current = Some(root);
        // Parents are always earlier stages, so the walk ends.
        while let Some(stage) = current {
            if shipping[stage] {
                break;
            }
            shipping[stage] = true;
            current = parent[stage];
        }
    }
    shipping
}

/// Whether the RUN at `run` belongs to a shipped stage (RUNs outside any stage count as shipped).
pub(super) fn ships(shipping: &[bool], run: &RunScript<'_>) -> bool {
    run.stage.is_none_or(|stage| shipping.get(stage).copied().unwrap_or(true))
}

/// Whether the RUN mounts a cache or tmpfs over `path` (or a directory above it), so that what
/// the command leaves there never reaches the image.
pub(super) fn mount_covers(instruction: &Instruction, path: &str) -> bool {
    let run = match &instruction.kind {
        InstructionKind::Run(run) => run,
        InstructionKind::Onbuild(Some(trigger)) => match &trigger.kind {
            InstructionKind::Run(run) => run,
            _ => return false,
        },
        _ => return false,
    };
    run.mounts.iter().any(|mount| {
        let kind = mount.mount_type();
        let target = mount.option("target").or_else(|| mount.option("dst")).or_else(|| mount.option("destination"));
        (kind.eq_ignore_ascii_case("cache") || kind.eq_ignore_ascii_case("tmpfs"))
            && target.and_then(|t| t.value.as_deref()).is_some_and(|t| path_within(path, t))
    })
}

/// `path` is `dir` or lies below it.
fn path_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')) || dir.is_empty()
}

/// Whether an `rm` in the script deletes `path` (or a directory above it, or its contents).
pub(super) fn removes(script: &ShellScript, path: &str) -> bool {
    script.commands.iter().filter(|c| c.is("rm")).any(|rm| {
        rm.args.iter().filter(|a| !a.value.starts_with('-')).any(|target| {
            let target = target.value.trim_end_matches("/*").trim_end_matches('*');
            !target.is_empty() && (path_within(path, target) || path_within(target, path))
        })
    })
}

/// How a tool's options are written: which short letters and long names take a value.
pub(super) struct Options {
    pub(super) short_values: &'static str,
    pub(super) long_values: &'static [&'static str],
}

/// A command line split into options and operands.
pub(super) struct CommandLine<'a> {
    /// `(name, value)`: `y` for `-y` (each letter of `-qy`), `yes` for `--yes`, `q` with `2` for `-q=2`.
    pub(super) options: Vec<(&'a str, Option<&'a str>)>,
    pub(super) operands: Vec<&'a ShellWord>,
}

impl<'a> CommandLine<'a> {
    /// Reads `args` by the option rules of `spec`; `--` ends the options.
    pub(super) fn read(args: &'a [ShellWord], spec: &Options) -> CommandLine<'a> {
        let mut line = CommandLine { options: Vec::new(), operands: Vec::new() };
        let mut words = args.iter();
        while let Some(word) = words.next() {
            let value = word.value.as_str();
            if value == "--" {
                line.operands.extend(words.by_ref());
                break;
            }
            if let Some(long) = value.strip_prefix("--") {
                match long.split_once('=') {
                    Some((name, inline)) => line.options.push((name, Some(inline))),
                    None if spec.long_values.contains(&long) => {
                        line.options.push((long, words.next().map(|w| w.value.as_str())))
                    }
                    None => line.options.push((long, None)),
                }
            } else if let Some(letters) = value.strip_prefix('-').filter(|l| !l.is_empty() && !word.dynamic) {
                line.read_short_group(letters, &mut words, spec);
            } else {
                line.operands.push(word);
            }
        }
        line
    }

    /// `-qy`, `-oFoo=bar`, `-o Foo=bar`, `-q=2`.
    fn read_short_group(&mut self, letters: &'a str, words: &mut std::slice::Iter<'a, ShellWord>, spec: &Options) {
        for (at, letter) in letters.char_indices() {
            let name = &letters[at..at + letter.len_utf8()];
            let rest = &letters[at + letter.len_utf8()..];
            if let Some(value) = rest.strip_prefix('=') {
                self.options.push((name, Some(value)));
                return;
            }
            if spec.short_values.contains(letter) {
                let value = if rest.is_empty() { words.next().map(|w| w.value.as_str()) } else { Some(rest) };
                self.options.push((name, value));
                return;
            }
            self.options.push((name, None));
        }
    }

    /// Whether any of these options is given (short letters or long names).
    pub(super) fn has(&self, names: &[&str]) -> bool {
        self.options.iter().any(|(name, _)| names.contains(name))
    }

    /// The value of the first of these options that is given.
    pub(super) fn value(&self, names: &[&str]) -> Option<&'a str> {
        self.options.iter().find(|(name, _)| names.contains(name)).and_then(|(_, value)| *value)
    }

    /// How often these options are given (`-q -q`, `-qq`).
    pub(super) fn count(&self, names: &[&str]) -> usize {
        self.options.iter().filter(|(name, _)| names.contains(name)).count()
    }

    /// The first operand (the subcommand of `apt-get install`).
    pub(super) fn subcommand(&self) -> Option<&'a str> {
        self.operands.first().map(|w| w.value.as_str())
    }

    /// The operands after the subcommand.
    pub(super) fn arguments(&self) -> &[&'a ShellWord] {
        self.operands.get(1..).unwrap_or_default()
    }
}

/// The command's name and the words up to and including `word`, as one range: `apt-get install`.
pub(super) fn command_span(command: &SimpleCommand, word: Option<&ShellWord>) -> crate::syntax::TextRange {
    match (&command.name, word) {
        (Some(name), Some(word)) if word.range.start >= name.range.start => name.range.cover(word.range),
        (Some(name), _) => name.range,
        _ => command.range,
    }
}

/// A package operand whose version cannot be known: a variable that may hold several packages.
pub(super) fn is_opaque(word: &ShellWord) -> bool {
    word.dynamic && (word.value.starts_with('$') || word.value.starts_with('`'))
}

/// Appends a safe or unsafe fix that inserts `text` right after `word`.
pub(super) fn insert_after(diagnostic: &mut Diagnostic, title: &str, word: &ShellWord, text: &str, safe: bool) {
    diagnostic.with_fix(title, crate::syntax::TextRange::empty(word.range.end), text, safe);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_shell;

    fn line(text: &str, spec: &Options) -> (Vec<String>, Vec<String>) {
        let script = parse_shell(text);
        let command = &script.commands[0];
        let read = CommandLine::read(&command.args, spec);
        let options = read.options.iter().map(|(n, v)| format!("{n}={}", v.unwrap_or("-"))).collect();
        let operands = read.operands.iter().map(|w| w.value.clone()).collect();
        (options, operands)
    }

    #[test]
    fn options_and_operands() {
        let apt = Options { short_values: "oct", long_values: &["option", "target-release"] };
        let (options, operands) =
            line("apt-get -qy -o Dpkg::Options::=--force-confold install --yes -q=2 -tbookworm x=1 -- -y", &apt);
        assert_eq!(options, ["q=-", "y=-", "o=Dpkg::Options::=--force-confold", "yes=-", "q=2", "t=bookworm"]);
        assert_eq!(operands, ["install", "x=1", "-y"]);
    }

    #[test]
    fn stages_that_ship() {
        let text = "FROM a AS base\nFROM base AS build\nFROM a AS alt\nFROM a AS assets\nFROM b\nCOPY --from=build /x /x\nRUN --mount=from=assets,target=/y true\n";
        let parse = crate::syntax::parse(text);
        assert_eq!(shipping_stages(parse.dockerfile()), [false, false, true, false, true]);
    }

    #[test]
    fn paths() {
        assert!(path_within("/var/lib/apt/lists", "/var/lib/apt"));
        assert!(path_within("/var/lib/apt/lists", "/var/lib/apt/lists/"));
        assert!(!path_within("/var/lib/aptitude", "/var/lib/apt"));
        let script = parse_shell("apt-get update && rm -rf /var/lib/apt/lists/* /tmp/x");
        assert!(removes(&script, "/var/lib/apt/lists"));
        assert!(!removes(&parse_shell("rm -rf /tmp/*"), "/var/lib/apt/lists"));
    }
}
