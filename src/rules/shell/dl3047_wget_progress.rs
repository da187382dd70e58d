//! DL3047: `wget` printing its progress bar into the build log.

use super::support::{CommandLine, Options, insert_after, run_scripts};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "DL3047",
    name: "wget-without-progress",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `wget` without `--progress`, `-q` (`--quiet`), `-nv` (`--no-verbose`) or a log file
(`-o`, `-a`).

## Why it matters
Without a terminal, wget falls back to a dot progress display that writes thousands of lines for
a large download, burying the useful part of the build log (and slowing down CI log viewers).

## Example
```dockerfile
RUN wget https://example.com/tool.tar.gz
```

## Fix
Add `--progress=dot:giga` (one line per few megabytes), or `-q` / `-nv` for no progress at all.
The quick fix inserts `--progress=dot:giga`; it is safe, only the log output changes.

## References
- hadolint rule DL3047 (https://github.com/hadolint/hadolint/wiki/DL3047)
- GNU Wget manual: --progress (https://www.gnu.org/software/wget/manual/wget.html#Download-Options)
";

const WGET_OPTIONS: Options = Options { short_values: "oaeiBtOTwQPUlARDIX", long_values: &[] };

fn check(context: &Context<'_>, sink: &mut Sink) {
    for run in run_scripts(context) {
        for wget in run.script.commands_running("wget") {
            // `-nv` is one option, not `-n -v`.
            if wget.args.iter().any(|a| a.value == "-nv") {
                continue;
            }
            let line = CommandLine::read(&wget.args, &WGET_OPTIONS);
            let quiet = ["progress", "q", "quiet", "no-verbose", "o", "output-file", "a", "append-output"];
            if line.has(&quiet) || wget.args.is_empty() {
                continue;
            }
            let Some(name) = &wget.name else { continue };
            let diagnostic = sink
                .report(name.range, "wget prints its progress into the build log: add `--progress=dot:giga` (or `-q`)");
            insert_after(diagnostic, "Add `--progress=dot:giga`", name, " --progress=dot:giga", true);
        }
    }
}
