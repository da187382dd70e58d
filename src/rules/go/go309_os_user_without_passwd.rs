//! GO309: a cgo-free program uses os/user in an image without /etc/passwd.

use super::go3xx_support::{
    TargetTags, built_code, cgo_state, env_in_stage, final_image_runs, final_stage_may_provide, shipped_programs,
};
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO309",
    name: "os-user-without-passwd",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a final image without `/etc/passwd` (`scratch`, with nothing copied to `/etc/passwd`) when
the Go program copied into it uses `os/user` in its pure-Go form: the code it builds imports
`os/user`, and cgo is off (or `-tags osusergo` is set). The program is traced from the final stage's
`COPY --from=<stage>` back to its `go build`.

## Why it matters
Without cgo, `os/user` reads `/etc/passwd` and `/etc/group`. In an image without them,
`user.Current` can only fall back to `$USER` and `$HOME` (Docker sets `HOME`, not `USER`) and fails
with

```text
user: Current requires cgo or $USER set in environment
```

(`user: Current requires cgo or $USER, $HOME set in environment` when `HOME` is unset too), and
`user.Lookup`, `user.LookupId` and the group lookups fail with `unknown user`/`unknown group`.

Not reported: a `scratch` final stage without ENTRYPOINT or CMD (an export stage for `docker build --output`), images that copy an `/etc/passwd` in, a final stage that sets `USER` with ENV (enough
for `user.Current`), programs built with cgo on (they do not start in `scratch` at all: GO304),
builds whose cgo state is unknown, images gantry has no facts about (distroless has a passwd with
root and nonroot), and workspaces whose package index is not complete yet.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
# main.go calls user.Current()
RUN CGO_ENABLED=0 go build -o /app .

FROM scratch
COPY --from=build /app /app
```

## Fix
Copy the account files from the builder (`COPY --from=build /etc/passwd /etc/group /etc/`),
adding the user the container runs as if it is not there; or set `ENV USER=app HOME=/home/app`
when only `user.Current` is used; or run on `gcr.io/distroless/static`, whose passwd has `root`
and `nonroot`.

## References
- os/user without cgo: https://pkg.go.dev/os/user
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() || !final_image_runs(context) {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    if last.runtime.has_passwd != Some(false) {
        return;
    }
    let Some((image, image_range)) = &last.image_text else { return };
    let shipped = shipped_programs(context, facts);
    if shipped.is_empty()
        || env_in_stage(context, last.index, "USER").is_some()
        || final_stage_may_provide(context, facts, &shipped, "/etc/passwd", None)
    {
        return;
    }
    for shipped in &shipped {
        let (stage, run) = (shipped.producer, shipped.run);
        let Some(cgo) = cgo_state(context, stage, run) else { continue };
        let tags = TargetTags::new(stage, run, Some(cgo));
        if cgo && tags.custom("osusergo") != Some(true) {
            continue;
        }
        let Some(code) = built_code(context, facts, stage, run, &tags) else { continue };
        let Some(site) = code.find_import(|path| path == "os/user") else { continue };
        let message = format!(
            "`{image}` has no /etc/passwd, and {} imports os/user, whose pure-Go form (cgo off or `-tags osusergo`) \
             reads it: user.Current fails with `user: Current requires cgo or $USER set in environment`, and user \
             lookups fail with `unknown user`",
            site.file
        );
        let diagnostic = sink.report(*image_range, message);
        diagnostic.with_related(Some(site.file.clone()), site.range, "uses os/user");
        diagnostic.with_related(None, run.command.range, "the program is built here with the pure-Go os/user");
        return;
    }
}
