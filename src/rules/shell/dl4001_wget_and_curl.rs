//! DL4001: both wget and curl used in one shipped stage.

use super::support::{run_scripts, ships};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::SimpleCommand;

pub(super) static RULE: Rule = Rule {
    code: "DL4001",
    name: "wget-and-curl",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports the uses of `wget` or `curl`, whichever comes second, when one stage that ships runs
both. Stages are looked at one by one (hadolint counts the whole file, so a builder with curl and
a final stage with wget are reported), and builder stages used only through `COPY --from` are
skipped.

## Why it matters
Two tools that do the same job mean two sets of packages in the image, each with its own
dependencies and security updates.

## Example
```dockerfile
FROM debian:12-slim
RUN curl -fsSLO https://example.com/a.tar.gz
RUN wget -q https://example.com/b.tar.gz
```

## Fix
Pick one. curl is in most base images already; BusyBox images have a `wget` applet. Or use
`ADD https://…` (with `--checksum`) and no tool at all.

## References
- hadolint rule DL4001 (https://github.com/hadolint/hadolint/wiki/DL4001)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let shipping = context.shipping_stages();
    let runs: Vec<_> = run_scripts(context).filter(|run| ships(shipping, run)).collect();
    for stage in &context.dockerfile.stages {
        let uses = |tool: &str| -> Vec<&SimpleCommand> {
            runs.iter()
                .filter(|run| run.stage == Some(stage.index))
                .flat_map(|run| run.script.commands.iter().filter(|c| c.is(tool)).collect::<Vec<_>>())
                .collect()
        };
        let (wget, curl) = (uses("wget"), uses("curl"));
        let (Some(first_wget), Some(first_curl)) = (wget.first(), curl.first()) else { continue };
        let (second, other) =
            if first_wget.range.start > first_curl.range.start { (&wget, "curl") } else { (&curl, "wget") };
        for command in second {
            let range = command.name.as_ref().map_or(command.range, |n| n.range);
            let tool = command.program().unwrap_or_default();
            sink.report(
                range,
                format!("this stage already uses `{other}`: use one download tool, not `{other}` and `{tool}`"),
            );
        }
    }
}
