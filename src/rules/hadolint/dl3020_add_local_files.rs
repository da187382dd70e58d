//! DL3020: ADD used for local files or directories that COPY would copy the same way.

use super::support::keyword_in_case_of;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Instruction, InstructionKind, Word, variable_references};

pub(super) static RULE: Rule = Rule {
    code: "DL3020",
    name: "add-for-local-files",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an ADD whose sources are all plain local paths: no URL, no git repository, no archive
that ADD would unpack (`.tar`, `.tgz`, `.tar.gz`, `.gz`, `.bz2`, `.xz`, `.zst` and their
combinations), no heredoc and no source that is only a build variable.

## Why it matters
ADD does more than copy: it downloads URLs, clones git repositories and unpacks local tar
archives. Using it for ordinary files hides which of those behaviours was intended, and a file
that later becomes an archive is silently unpacked. COPY does exactly one thing.

gantry differs from hadolint in three ways: a source that is a single variable (`ADD $SRC /x`)
or a git address (`git@github.com:org/repo.git`) is not reported, because either may be remote;
and the rule is a warning rather than hadolint's error, since the build does what the author
meant. A path built with variables (`ADD ${BUILDDIR}/etcd /usr/local/bin/`) is reported.

## Example
```dockerfile
ADD go.mod go.sum ./
```

## Fix
Write COPY: `COPY go.mod go.sum ./`. The quick fix replaces the keyword and is safe: for local
files and directories that are not archives the two instructions copy the same way. It is marked
unsafe when a source contains a variable (only the build knows its value), and it is not offered
when ADD carries a flag COPY does not accept (`--checksum`, `--keep-git-dir`, `--unpack`).

## References
- hadolint rule DL3020 (https://github.com/hadolint/hadolint/wiki/DL3020)
- Docker build best practices: ADD or COPY (https://docs.docker.com/build/building/best-practices/#add-or-copy)
";

/// Endings of files that ADD may unpack (BuildKit detects tar inside gzip, bzip2, xz and zstd).
const ARCHIVE_ENDINGS: &[&str] =
    &[".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".tzst", ".gz", ".bz2", ".xz", ".zst", ".zstd", ".lz4"];

/// Flags that COPY accepts as well as ADD.
const SHARED_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude"];

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::Add(add) = &instruction.kind else { continue };
        if add.sources.is_empty() || !instruction.heredocs.is_empty() || !add.sources.iter().all(is_plain_local) {
            continue;
        }
        // A path built from variables (`${BUILDDIR}/etcd`) is local in practice, but only the
        // build knows its value, so the fix needs review there.
        let safe = !add.sources.iter().any(|source| source.value.contains('$'));
        let diagnostic = sink.report(
            instruction.keyword_range,
            "ADD of local files: use COPY, which only copies (ADD also fetches URLs and unpacks archives)",
        );
        if copy_accepts_flags(instruction) {
            diagnostic.with_fix(
                "Replace ADD with COPY",
                instruction.keyword_range,
                keyword_in_case_of("COPY", &instruction.keyword_text),
                safe,
            );
        }
    }
}

fn copy_accepts_flags(instruction: &Instruction) -> bool {
    instruction.flags.iter().all(|flag| SHARED_FLAGS.iter().any(|name| flag.name.eq_ignore_ascii_case(name)))
}

/// A local path that ADD copies without any of its extra behaviours.
fn is_plain_local(source: &Word) -> bool {
    let path = source.value.to_ascii_lowercase();
    let remote = path.contains("://") || path.starts_with("git@") || path.starts_with("github.com/");
    let archive = ARCHIVE_ENDINGS.iter().any(|ending| path.ends_with(ending));
    // A source that is one variable and nothing else (`$SRC`, `${URL}`) may well be a URL.
    let whole_variable =
        variable_references(&source.value, '\\').first().is_some_and(|v| v.range.len() == source.value.len());
    !remote && !archive && !whole_variable && !path.starts_with("<<")
}
