//! GO310: `-race` together with `CGO_ENABLED=0`.

use super::go3xx_support::{cgo_explicitly_off, command_head, env_pair_before};
use crate::build::EnvValue;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::TextRange;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO310",
    name: "race-without-cgo",
    default_severity: Severity::Error,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go build`, `go install`, `go run` or `go test` with `-race` (on the command line or in
`GOFLAGS`) while `CGO_ENABLED=0` is set for it (ENV, ARG default, or a prefix of the command).

## Why it matters
The race detector's runtime is C code linked through cgo, so the go command refuses the combination
before building anything:

```text
go: -race requires cgo; enable cgo by setting CGO_ENABLED=1
```

Not reported: `CGO_ENABLED` from a build argument without a default (unknown), and cgo turned off
by default because the image has no C compiler (GO303 reports `-race` there, since the fix is a
compiler rather than the setting).

## Example
```dockerfile
FROM golang:1.23 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go test -race ./... && go build -o /app .
```

## Fix
Drop `-race` from image builds (race-enabled programs are slower, use more memory and are linked
dynamically; they belong in tests), or run the race tests with `CGO_ENABLED=1` on an image with a C
compiler. The quick fix removes the flag (unsafe: the command no longer detects races).

## References
- The race detector: https://go.dev/doc/articles/race_detector
- cgo and `CGO_ENABLED`: https://pkg.go.dev/cmd/cgo
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    if context.go.is_none() {
        return;
    }
    let build = context.build();
    for (stage, run) in build.go_runs() {
        if !run.command.subcommand.builds() || !cgo_explicitly_off(run) {
            continue;
        }
        let flag = run.command.flag("race").filter(|_| run.command.bool_flag("race") == Some(true));
        let in_goflags = match run.env("GOFLAGS") {
            EnvValue::Known(flags) => flags.split_whitespace().any(|f| matches!(f, "-race" | "--race" | "-race=true")),
            _ => false,
        };
        if flag.is_none() && !in_goflags {
            continue;
        }
        let message = "`-race` needs cgo, and CGO_ENABLED=0 here: the go command stops with \
                       `go: -race requires cgo; enable cgo by setting CGO_ENABLED=1`";
        let range = flag.map_or_else(|| command_head(run), |flag| flag.range);
        let diagnostic = sink.report(range, message);
        if run.command.env_value("CGO_ENABLED").is_none()
            && let Some(pair) = env_pair_before(context, stage.index, run.instruction, "CGO_ENABLED")
        {
            diagnostic.with_related(None, pair.range, "cgo is turned off here");
        }
        if let Some(flag) = flag {
            diagnostic.with_fix("Remove `-race`", removal(context.text, flag.range), "", false);
        }
    }
}

/// The flag with the blanks before it (or after it, when it comes first on its line); the whole
/// line when the flag is alone on a continuation line.
fn removal(text: &str, range: TextRange) -> TextRange {
    let line_start = text.get(..range.start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let line_end = text.get(range.end..).and_then(|t| t.find('\n')).map_or(text.len(), |i| range.end + i + 1);
    let rest_of_line = text.get(range.end..line_end).unwrap_or_default().trim();
    let start_of_line = text.get(line_start..range.start).unwrap_or_default();
    if start_of_line.trim().is_empty() && rest_of_line == "\\" && line_start > 0 {
        return TextRange::new(line_start, line_end);
    }
    let before = text.get(..range.start).unwrap_or_default();
    let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
    if blanks > 0 && !before.trim_end_matches([' ', '\t']).ends_with('\n') {
        return TextRange::new(range.start - blanks, range.end);
    }
    let after = text.get(range.end..).unwrap_or_default();
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    TextRange::new(range.start, range.end + blanks)
}
