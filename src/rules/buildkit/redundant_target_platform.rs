//! RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM`, which is the default.

use super::support::source;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{Keyword, TextRange, variable_references};

pub(super) static RULE: Rule = Rule {
    code: "RedundantTargetPlatform",
    name: "redundant-target-platform",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`, quoted or with a default): a
`--platform` value that uses only `TARGETPLATFORM` and expands to exactly its value.

## Why it matters
A stage is built for the target platform unless told otherwise, so the flag changes nothing. It
is usually a leftover of a copy where `$BUILDPLATFORM` was meant: in a Go build stage that cross
compiles with `GOOS`/`GOARCH`, the intent is to run the compiler natively, which needs
`--platform=$BUILDPLATFORM`. BuildKit reports the check as a warning (hadolint's DL3065 is
similar).

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine AS runtime
```

## Fix
Remove the flag: `FROM alpine AS runtime`. The quick fix does this; it is safe. If the stage was
meant to run on the build machine, write `--platform=$BUILDPLATFORM` instead.

## References
- BuildKit build checks: RedundantTargetPlatform (https://docs.docker.com/reference/build-checks/redundant-target-platform/)
- Multi-platform builds (https://docs.docker.com/build/building/multi-platform/)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let scope = context.scope();
    for instruction in context.dockerfile.instructions.iter().filter(|i| i.is(Keyword::From)) {
        let Some(flag) = instruction.flag("platform") else { continue };
        let Some(value_range) = flag.value_range else { continue };
        let raw = source(context.text, value_range);
        let references = variable_references(raw, context.dockerfile.escape);
        if references.is_empty() || references.iter().any(|r| r.name != "TARGETPLATFORM") {
            continue;
        }
        let expansion = scope.expand(raw, flag.range.start);
        let target = scope.lookup(flag.range.start, "TARGETPLATFORM").and_then(|d| scope.expanded_value(d));
        if expansion.malformed || target.is_none_or(|t| t.value != expansion.value) {
            continue;
        }
        let rest = context.text.get(flag.range.end..).unwrap_or("");
        let after = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        sink.report(
            flag.range,
            format!("`--platform={raw}` is redundant: stages are built for the target platform by default"),
        )
        .with_fix(
            "Remove the --platform flag",
            TextRange::new(flag.range.start, flag.range.end + after),
            "",
            true,
        );
    }
}
