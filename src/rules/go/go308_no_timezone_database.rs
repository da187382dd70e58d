//! GO308: the final image sets a time zone but has no time zone database, and the program embeds none.

use super::go3xx_support::{
    TargetTags, built_code, cgo_state, env_in_stage, final_image_runs, final_stage_installs, final_stage_may_provide,
    shipped_programs,
};
use crate::build::EnvValue;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, KeyValue, TextRange};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO308",
    name: "no-timezone-database",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an `ENV TZ=<zone>` in a final image that has no time zone database (`scratch`, `alpine`
and busybox without `tzdata`, `ubuntu`) when the Go program copied into it (traced from the final
stage's `COPY --from=<stage>` to its `go build`) does not embed the database either: no
`-tags timetzdata` and no `import _ \"time/tzdata\"` in the code it builds.

## Why it matters
Go reads zone files from `/usr/share/zoneinfo` (or `$ZONEINFO`). Without them the zone in `TZ`
cannot be loaded and Go silently uses UTC for local time, and every `time.LoadLocation` of a zone
name fails:

```text
unknown time zone America/New_York
```

(often wrapped, as in `could not load time location: unknown time zone Asia/Shanghai`).

Not reported: a `scratch` final stage without ENTRYPOINT or CMD (an export stage for `docker build --output`), images that install `tzdata` or copy something into `/usr/share/zoneinfo`, a
`ZONEINFO` variable, `TZ` values that need no database (`UTC`, empty, a path), programs gantry
cannot trace to the workspace or whose files it cannot all decide (build tags only the build
knows), and workspaces whose package index is not complete yet. Calls to `time.LoadLocation`
without `TZ` are not looked for: gantry's facts about Go files do not include calls.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM scratch
ENV TZ=America/New_York
COPY --from=build /app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Embed the database with `-tags timetzdata` (about 450 KB; the quick fix adds it to the build) or
`import _ \"time/tzdata\"` in package main; or copy it from the builder:
`COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo`; or install `tzdata` on Alpine.
`gcr.io/distroless/static` includes the database.

## References
- The embedded database: https://pkg.go.dev/time/tzdata
- How Go finds zone files: https://pkg.go.dev/time#LoadLocation
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() || !final_image_runs(context) {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    if last.runtime.has_tzdata != Some(false) {
        return;
    }
    let Some(tz) = tz_setting(context, last.index) else { return };
    let Some(zone) = tz.value.as_deref().map(|v| v.trim_start_matches(':')) else { return };
    if zone.is_empty() || zone == "UTC" || zone.starts_with('/') || zone.contains('$') {
        return;
    }
    let shipped = shipped_programs(context, facts);
    if shipped.is_empty()
        || env_in_stage(context, last.index, "ZONEINFO").is_some()
        || final_stage_installs(context, &["tzdata"]) != Some(false)
        || final_stage_may_provide(
            context,
            facts,
            &shipped,
            &format!("/usr/share/zoneinfo/{zone}"),
            Some("/usr/share/zoneinfo"),
        )
    {
        return;
    }
    let image = last.image_text.as_ref().map_or("the final image", |(text, _)| text.as_str());
    for shipped in &shipped {
        let (stage, run) = (shipped.producer, shipped.run);
        let tags = TargetTags::new(stage, run, cgo_state(context, stage, run));
        if tags.custom("timetzdata") != Some(false) {
            continue;
        }
        let Some(code) = built_code(context, facts, stage, run, &tags) else { continue };
        let embeds = code
            .packages
            .iter()
            .flat_map(|p| &p.present)
            .any(|file| file.facts.imports.iter().any(|i| i.path.value == "time/tzdata"));
        if embeds || !code.complete {
            continue;
        }
        let message = format!(
            "TZ={zone}, but `{image}` has no time zone database and the program does not embed one: local time \
             silently falls back to UTC, and time.LoadLocation fails with `unknown time zone {zone}`"
        );
        let diagnostic = sink.report(tz.range, message);
        diagnostic.with_related(None, run.command.range, "the program is built here without `-tags timetzdata`");
        // Adding `-tags` on the command line would override tags set through GOFLAGS.
        let goflags_tags = match run.env("GOFLAGS") {
            EnvValue::Unset => false,
            EnvValue::Known(flags) => flags.contains("tags"),
            EnvValue::Unknown => true,
        };
        if !goflags_tags && let Some((range, text)) = timetzdata_edit(context, run) {
            diagnostic.with_fix("Embed the time zone database (`-tags timetzdata`)", range, text, true);
        }
        return;
    }
}

/// The last `ENV TZ=…` of the final stage (or a stage it is built on).
fn tz_setting<'c>(context: &'c Context<'_>, stage: usize) -> Option<&'c KeyValue> {
    let build = context.build();
    let mut found = None;
    for index in 0..context.dockerfile.instructions.len() {
        let in_chain = context
            .dockerfile
            .stages
            .iter()
            .find(|s| s.instructions.contains(&index))
            .is_some_and(|s| build.is_based_on(stage, s.index));
        if !in_chain {
            continue;
        }
        if let Some(InstructionKind::Env(pairs)) = context.dockerfile.instructions.get(index).map(|i| &i.kind)
            && let Some(pair) = pairs.iter().rev().find(|p| p.key == "TZ")
        {
            found = Some(pair);
        }
    }
    found
}

/// The edit that adds `timetzdata` to the command's build tags.
fn timetzdata_edit(context: &Context<'_>, run: &crate::build::GoRun) -> Option<(TextRange, String)> {
    let Some(flag) = run.command.flag("tags") else {
        let at = run.command.subcommand_range.end;
        return Some((TextRange::new(at, at), " -tags timetzdata".to_string()));
    };
    let word = flag.value.as_ref().filter(|w| !w.dynamic)?;
    // Only when the word is written exactly as the shell reads it (no continuation inside it).
    if context.text.get(word.range.as_range()) != Some(word.text.as_str()) {
        return None;
    }
    let separator = if word.value.contains(' ') && !word.value.contains(',') { " " } else { "," };
    let text = if word.value.trim().is_empty() { "timetzdata".to_string() } else { format!("{separator}timetzdata") };
    let closing_quote = word.text.ends_with(['\'', '"']) && word.text.len() > 1;
    let at = if closing_quote { word.range.end - 1 } else { word.range.end };
    Some((TextRange::new(at, at), text))
}
