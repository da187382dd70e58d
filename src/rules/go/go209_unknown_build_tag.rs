//! GO209: a `-tags` value that no `//go:build` line of the module mentions.

use super::go2xx_support::{GOARCH, GOOS, Project, built_module, go_site};
use crate::images::GoVersion;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, TextRange, edit_distance};
use crate::workspace::join;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO209",
    name: "unknown-build-tag",
    default_severity: Severity::Hint,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Compares the tags of `-tags` on `go build`, `go install` and `go run` with the tags that the
`//go:build` lines of the module's Go files mention, and points out a tag that none mentions and
that the toolchain does not define either.

## Why it matters
`go build` accepts any tag without a message. A misspelt tag (`-tags extnded`) silently leaves out
the files it was meant to select, and the feature is missing at run time:

```text
(no error: unknown build tags are accepted silently)
```

Standard tags are always fine: `netgo`, `netcgo`, `osusergo`, `timetzdata`, `purego`, `cgo`,
`unix`, `gc`, `race`, `goexperiment.*`, `go1.N`, every GOOS and GOARCH name, and the
architecture feature tags (`amd64.v3`, `arm.7`, …). Tags that dependencies use are invisible
here, so in a module with requirements only a tag one or two letters away from a tag of the
module is reported (a likely typo); in a module without requirements, any unknown tag is.

The rule stays silent without the Go sources, while the package index is incomplete, for modules
whose `go` line is older than 1.17 (their files may carry only `// +build` lines), for `go test`
and `go vet` (tags used only in test files are not indexed), and for values with variables.

## Example
```dockerfile
# the module has //go:build extended
RUN go build -tags extnded -o /hugo .
```

## Fix
Spell the tag as the `//go:build` lines do; the quick fix offers the near one.

## References
- `go help buildconstraint`: https://pkg.go.dev/cmd/go#hdr-Build_constraints
- `go help build` (`-tags`): https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies
";

/// Tags the toolchain or the standard library define.
const STANDARD_TAGS: &[&str] = &[
    "cgo",
    "gc",
    "gccgo",
    "unix",
    "netgo",
    "netcgo",
    "osusergo",
    "timetzdata",
    "purego",
    "race",
    "msan",
    "asan",
    "ignore",
    "boringcrypto",
    "faketime",
    "math_big_pure_go",
    "nethttpomithttp2",
    "gofuzz",
    "gofuzzbeta",
];

fn is_standard(tag: &str) -> bool {
    if STANDARD_TAGS.contains(&tag) || GOOS.contains(&tag) || GOARCH.contains(&tag) || tag.starts_with("goexperiment.")
    {
        return true;
    }
    // go1.N release tags.
    if let Some(minor) = tag.strip_prefix("go1.") {
        return minor.bytes().all(|b| b.is_ascii_digit()) && !minor.is_empty();
    }
    // Architecture feature tags: amd64.v3, arm.7, arm64.v8.1, 386.sse2, ppc64.power9, riscv64.rva22u64, mips.hardfloat.
    tag.split_once('.').is_some_and(|(arch, _)| GOARCH.contains(&arch))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(project) = Project::new(context) else { return };
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install | GoSubcommand::Run) {
            continue;
        }
        let Some(flag) = run.command.flag("tags") else { continue };
        let Some(word) = flag.value.as_ref().filter(|w| !w.dynamic) else { continue };
        let Some(site) = go_site(context, build, stage, run) else { continue };
        let Some(module) = built_module(&project, &site) else { continue };
        if !project.has_sources(&module.dir) {
            continue;
        }
        let modern = module
            .go_mod
            .go
            .as_ref()
            .and_then(|g| GoVersion::parse(&g.value))
            .is_some_and(|v| v >= GoVersion::lang(1, 17));
        if !modern {
            continue;
        }
        // Every tag a //go:build line of the module mentions, with a file that mentions it.
        let mut known: Vec<(String, String, TextRange)> = Vec::new();
        for package in project.index.packages_under(&module.dir) {
            for file in &package.files {
                let Some(constraint) = &file.facts.build_constraint else { continue };
                for tag in constraint.tags() {
                    if !known.iter().any(|(t, _, _)| *t == tag)
                        && let Some(path) = join(&package.dir, &file.name)
                    {
                        known.push((tag, path, constraint.range));
                    }
                }
            }
        }
        let has_dependencies = !module.go_mod.requires.is_empty();
        let source = context.text.get(word.range.as_range()).unwrap_or("");
        let mut searched_from = 0;
        for tag in word.value.split(|c: char| c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()) {
            let located = find_word(source, tag, searched_from);
            if let Some(at) = located {
                searched_from = at + tag.len();
            }
            if is_standard(tag) || known.iter().any(|(t, _, _)| t == tag) {
                continue;
            }
            let near = known
                .iter()
                .map(|(t, path, range)| (edit_distance(t, tag), t, path, range))
                .filter(|(distance, ..)| (1..=2).contains(distance))
                .min_by_key(|(distance, ..)| *distance);
            if has_dependencies && near.is_none() {
                continue;
            }
            let range = located
                .map_or(word.range, |at| TextRange::new(word.range.start + at, word.range.start + at + tag.len()));
            let mut message = format!(
                "no `//go:build` line in this module mentions `{tag}`, and it is not a standard tag: the build accepts \
                 it silently and selects no file with it"
            );
            if let Some((_, near_tag, ..)) = &near {
                message += &format!(" (did you mean `{near_tag}`?)");
            }
            let diagnostic = sink.report(range, message);
            if let Some((_, near_tag, path, constraint)) = near {
                diagnostic.with_related(Some(path.clone()), *constraint, format!("`{near_tag}` is used here"));
                if located.is_some() {
                    diagnostic.with_fix(format!("Use `{near_tag}`"), range, near_tag.clone(), false);
                }
            }
        }
    }
}

/// Where `tag` occurs in `source` as a whole word (between separators), from `from` on.
fn find_word(source: &str, tag: &str, from: usize) -> Option<usize> {
    let separator =
        |c: Option<char>| c.is_none_or(|c| c == ',' || c.is_whitespace() || c == '"' || c == '\'' || c == '=');
    let mut start = from;
    while let Some(offset) = source.get(start..)?.find(tag) {
        let at = start + offset;
        let before = source[..at].chars().next_back();
        let after = source[at + tag.len()..].chars().next();
        if separator(before) && separator(after) {
            return Some(at);
        }
        start = at + tag.len().max(1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_tags() {
        for tag in ["netgo", "osusergo", "linux", "arm64", "go1.21", "amd64.v3", "arm.7", "goexperiment.rangefunc"] {
            assert!(is_standard(tag), "{tag}");
        }
        for tag in ["extended", "go1.", "go1.x", "prod", "sqlite_omit_load_extension"] {
            assert!(!is_standard(tag), "{tag}");
        }
    }

    #[test]
    fn words_are_found_whole() {
        assert_eq!(find_word("\"pam prod\"", "prod", 0), Some(5));
        assert_eq!(find_word("-tags=netgo,net", "net", 0), Some(12));
        assert_eq!(find_word("extended", "extend", 0), None);
    }
}
