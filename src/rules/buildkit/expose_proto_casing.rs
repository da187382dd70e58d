//! ExposeProtoCasing: an upper-case protocol in EXPOSE (`80/TCP`).

use super::expose_format::{PortSpec, port_specs};
use crate::rules::{Context, Rule, Severity, Sink};

pub(super) static RULE: Rule = Rule {
    code: "ExposeProtoCasing",
    name: "expose-protocol-not-lowercase",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports an EXPOSE port whose protocol is not written in lower case: `80/TCP`, `53/Udp`.

## Why it matters
BuildKit lowers the protocol before recording the port, so the image is the same, but the image
configuration, `docker inspect` and the Dockerfile then disagree on the spelling, and tools that
compare the text (or older builders that did not lower it) treat `80/TCP` and `80/tcp` as
different ports. BuildKit reports the check as a warning.

## Example
```dockerfile
FROM alpine
EXPOSE 80/TCP 53/UDP
```

## Fix
Write the protocol in lower case: `EXPOSE 80/tcp 53/udp`. The quick fix does this; it is safe.

## References
- BuildKit build checks: ExposeProtoCasing (https://docs.docker.com/reference/build-checks/expose-proto-casing/)
- Dockerfile reference, EXPOSE (https://docs.docker.com/reference/dockerfile/#expose)
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    for spec in port_specs(context.dockerfile) {
        let PortSpec { word, protocol: Some(protocol), .. } = &spec else { continue };
        if protocol.contains('$') || *protocol == protocol.to_lowercase() {
            continue;
        }
        let diagnostic =
            sink.report(word.range, format!("protocol `{protocol}` in EXPOSE `{}` should be lowercase", word.value));
        if spec.plain() {
            let at = word.text.len() - protocol.len();
            let fixed = format!("{}{}", &word.text[..at], protocol.to_lowercase());
            diagnostic.with_fix(format!("Write `{fixed}`"), word.range, fixed, true);
        }
    }
}
