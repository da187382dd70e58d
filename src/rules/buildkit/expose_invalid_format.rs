//! ExposeInvalidFormat: an IP address or a host port in EXPOSE (`8080:80`).

use super::expose_format::port_specs;
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "ExposeInvalidFormat",
    name: "expose-host-mapping",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an EXPOSE port written with a host port or a host address, as in `docker run -p`:
`8080:80`, `127.0.0.1:80:80`, `[::1]:80:80`.

## Why it matters
EXPOSE only documents which ports the container listens on; an image cannot choose host ports or
addresses. BuildKit keeps the container port and silently drops the rest, so `EXPOSE 8080:80`
exposes port 80, which is rarely what the author expected. BuildKit reports the check as a
warning and has announced it will become an error.

## Example
```dockerfile
FROM alpine
EXPOSE 127.0.0.1:80:80
```

## Fix
Expose the container port only (`EXPOSE 80`) and publish it at run time (`docker run -p 8080:80`).
The quick fix keeps the container port and protocol; it is safe, because that is exactly what
BuildKit records today.

## References
- BuildKit build checks: ExposeInvalidFormat (https://docs.docker.com/reference/build-checks/expose-invalid-format/)
- Dockerfile reference, EXPOSE (https://docs.docker.com/reference/dockerfile/#expose)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for spec in port_specs(context.dockerfile) {
        let Some(host) = &spec.host else { continue };
        let word = spec.word;
        let diagnostic = sink.report(
            word.range,
            format!(
                "EXPOSE `{}` maps {host}: EXPOSE takes container ports only; publish host ports with `docker run -p`",
                word.value
            ),
        );
        if spec.plain() {
            let container = spec.container.clone();
            diagnostic.with_fix(format!("Expose `{container}` only"), word.range, container, true);
        }
    }
}
