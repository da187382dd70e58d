//! GO307: the program makes TLS connections, and the final image has no CA bundle.

use super::go3xx_support::{
    ImportSite, Shipped, TargetTags, built_code, cgo_state, env_in_stage, final_from_end, final_image_runs,
    final_stage_installs, final_stage_may_provide, shipped_programs, stage_reference,
};
use crate::build::Stage;
use crate::rules::{Context, GoFacts, Rule, Severity, Sink};
use crate::syntax::TextRange;

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO307",
    name: "no-ca-certificates",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a final image without a CA bundle (`scratch`, busybox, `debian` and `ubuntu` without the
`ca-certificates` package) when the Go program copied into it makes TLS connections: code it builds
imports `crypto/tls`, or a cloud or API client that only talks HTTPS (`github.com/aws/aws-sdk-go`,
`github.com/aws/aws-sdk-go-v2`, `cloud.google.com/go`, `google.golang.org/api`,
`github.com/Azure/azure-sdk-for-go`, `github.com/google/go-github`). The program is traced from the
final stage's `COPY --from=<stage>` back to its `go build`.

## Why it matters
Go verifies server certificates against the system's roots, read from files such as
`/etc/ssl/certs/ca-certificates.crt`. Without them every outgoing TLS connection fails:

```text
x509: certificate signed by unknown authority
```

(newer Go: `tls: failed to verify certificate: x509: certificate signed by unknown authority`).
The program starts, and fails at its first HTTPS request.

Not reported: a `scratch` final stage without ENTRYPOINT or CMD (an export stage for `docker build --output`), images that copy a bundle in (any COPY into `/etc/ssl` or `/etc/pki`, or of a
directory tree over `/`), install `ca-certificates`, or set `SSL_CERT_FILE`/`SSL_CERT_DIR`;
programs that embed roots with `golang.org/x/crypto/x509roots/fallback`; images gantry has no facts
about (`distroless`, `alpine` and the `golang` images have a bundle). A plain `net/http` import is
not taken as evidence (it may only serve HTTP): gantry does not read URLs from the code.

## Example
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app .

FROM scratch
COPY --from=build /app /app
ENTRYPOINT [\"/app\"]
```

## Fix
Copy the builder's bundle (the `golang` images have one):
`COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/` (the quick fix), or use
`gcr.io/distroless/static`, which includes it, or embed roots with
`golang.org/x/crypto/x509roots/fallback` (Go 1.20).

## References
- Where Go looks for roots on Linux: https://pkg.go.dev/crypto/x509#SystemCertPool
- Embedded fallback roots: https://pkg.go.dev/golang.org/x/crypto/x509roots/fallback
- google/go-github#1049: https://github.com/google/go-github/issues/1049
";

/// Modules whose clients always talk HTTPS.
const TLS_CLIENT_MODULES: &[&str] = &[
    "github.com/aws/aws-sdk-go",
    "github.com/aws/aws-sdk-go-v2",
    "cloud.google.com/go",
    "google.golang.org/api",
    "github.com/Azure/azure-sdk-for-go",
    "github.com/google/go-github",
];

/// Where Go's crypto/x509 looks for roots on Linux: bundle files and certificate directories.
const BUNDLE_FILES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem",
];
const CERT_DIRS: &[&str] = &["/etc/ssl/certs", "/etc/pki/tls/certs"];

pub(super) fn makes_tls_connections(path: &str) -> bool {
    path == "crypto/tls"
        || TLS_CLIENT_MODULES
            .iter()
            .any(|module| path == *module || path.strip_prefix(module).is_some_and(|rest| rest.starts_with('/')))
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let build = context.build();
    if !build.builds_go() || !final_image_runs(context) {
        return;
    }
    let Some(last) = build.final_stage() else { return };
    if last.runtime.has_ca_certificates != Some(false) {
        return;
    }
    let Some((image, image_range)) = &last.image_text else { return };
    let shipped = shipped_programs(context, facts);
    let Some((producer, site)) = tls_programs(context, facts, &shipped).into_iter().next() else { return };
    if bundle_provided(context, facts, &shipped) {
        return;
    }
    let builder = stage_reference(producer);
    let message = format!(
        "`{image}` has no CA certificates, and the program copied from stage `{builder}` makes TLS connections ({} \
         imports `{}`): they fail with `x509: certificate signed by unknown authority`",
        site.file, site.path
    );
    let diagnostic = sink.report(*image_range, message);
    diagnostic.with_related(Some(site.file.clone()), site.range, "makes TLS connections");
    if producer.runtime.has_ca_certificates == Some(true)
        && let Some(end) = final_from_end(context)
    {
        let line = format!("\nCOPY --from={builder} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/");
        diagnostic.with_fix("Copy the CA bundle from the build stage", TextRange::new(end, end), line, true);
    }
}

/// The build stages of shipped programs whose code makes TLS connections, with the import that
/// shows it; programs that embed fallback roots are left out.
fn tls_programs<'b>(context: &Context<'_>, facts: &GoFacts, shipped: &[Shipped<'b>]) -> Vec<(&'b Stage, ImportSite)> {
    let mut found = Vec::new();
    for shipped in shipped {
        let cgo = cgo_state(context, shipped.producer, shipped.run);
        let tags = TargetTags::new(shipped.producer, shipped.run, cgo);
        let Some(code) = built_code(context, facts, shipped.producer, shipped.run, &tags) else { continue };
        let embeds_roots =
            code.packages.iter().flat_map(|p| &p.present).any(|file| {
                file.facts.imports.iter().any(|i| i.path.value == "golang.org/x/crypto/x509roots/fallback")
            });
        if embeds_roots {
            continue;
        }
        if let Some(site) = code.find_import(makes_tls_connections) {
            found.push((shipped.producer, site));
        }
    }
    found
}

/// Whether the final image gets a CA bundle some other way: an ENV pointing Go elsewhere, an
/// install of ca-certificates, or a copy that could put one where Go looks.
fn bundle_provided(context: &Context<'_>, facts: &GoFacts, shipped: &[Shipped<'_>]) -> bool {
    let Some(last) = context.build().final_stage() else { return true };
    if ["SSL_CERT_FILE", "SSL_CERT_DIR"].iter().any(|name| env_in_stage(context, last.index, name).is_some()) {
        return true;
    }
    if final_stage_installs(context, &["ca-certificates", "ca-certificates-bundle"]) != Some(false) {
        return true;
    }
    BUNDLE_FILES.iter().any(|file| {
        let dir = file.rsplit_once('/').map(|(dir, _)| dir);
        final_stage_may_provide(context, facts, shipped, file, dir)
    }) || CERT_DIRS.iter().any(|dir| final_stage_may_provide(context, facts, shipped, dir, Some(dir)))
}
