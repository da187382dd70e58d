//! GO506: EXPOSE disagrees with the literal address the built main package listens on.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::go4xx_support::{chain, milder};
use crate::build::{Build, CopySource, GoRun, Stage, resolve_path};
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{GoSubcommand, InstructionKind, TextRange};
use crate::workspace::{ListenAddress, Package, join};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO506",
    name: "listen-address-mismatch",
    default_severity: Severity::Info,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Compares the ports the final stage EXPOSEs with the literal listen addresses in the main package
the Dockerfile builds (`http.ListenAndServe(\":9090\", …)`, `net.Listen(\"tcp\", \"127.0.0.1:8080\")`,
`Addr: \":8080\"`, `r.Run(\":8080\")`) and reports:

- an exposed port the program binds on loopback only (`127.0.0.1:8080`, `localhost:8080`);
- EXPOSE ports none of which the program listens on, while it does listen on literal ports (one
  level below the rule's severity: a hint).

## Why it matters
Inside a container, loopback is the container's own: a program bound to `127.0.0.1` cannot be
reached through a published port. Requests to `docker run -p 8080:8080` then get `connection reset`
or `empty reply from server`, although the container runs and its logs look fine. A port that
differs from EXPOSE is less serious (EXPOSE only documents the port), but tools such as Compose,
Kubernetes manifests generated from the image and readers of the Dockerfile rely on it.

Only literal addresses in the main package's own files count. An address from an environment
variable, a flag or a configuration file is invisible here, so the rule says nothing when the
address is not a literal, and nothing when the main package has files gantry could not read.

## Example
```dockerfile
# main.go: http.ListenAndServe(\"127.0.0.1:8080\", mux)
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
EXPOSE 8080
ENTRYPOINT [\"/app\"]
```

## Fix
Listen on all interfaces (`\":8080\"` or `\"0.0.0.0:8080\"`), ideally from configuration; align EXPOSE
with the port the program uses. There is no quick fix: which side is right is the project's call.

## References
- moby/moby#27315; matryer/goblueprints#40; hoppscotch/proxyscotch#97
- Dockerfile reference, EXPOSE: https://docs.docker.com/reference/dockerfile/#expose
";

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(root) = facts.context.root.as_deref() else { return };
    let build = context.build();
    let Some(last) = build.final_stage() else { return };
    let exposed = exposed_ports(context, build, last);
    if exposed.is_empty() {
        return;
    }
    let mut listens: Vec<(String, ListenAddress)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (stage, run) in build.go_runs() {
        if !matches!(run.command.subcommand, GoSubcommand::Build | GoSubcommand::Install)
            || !(stage.used_by_later_stages || build.is_based_on(last.index, stage.index))
        {
            continue;
        }
        for dir in built_dirs(context, build, stage, run, root) {
            if !seen.insert(dir.clone()) {
                continue;
            }
            let Some(package) = facts.workspace.package(&dir) else { continue };
            if !package.is_main() || !package.is_complete() {
                continue;
            }
            listens.extend(addresses(&package));
        }
    }
    if listens.is_empty() {
        return;
    }
    let mut reported_loopback = false;
    for (port, range) in &exposed {
        let Some((file, address)) = listens.iter().find(|(_, a)| a.is_loopback() && a.port() == Some(*port)) else {
            continue;
        };
        reported_loopback = true;
        let diagnostic = sink.report(
            *range,
            format!(
                "port {port} is exposed, but the program listens on `{}`, which only the container itself can \
                 reach; listen on `:{port}`",
                address.address
            ),
        );
        diagnostic.with_related(Some(file.clone()), address.range, "the listen address");
    }
    let reachable: Vec<&(String, ListenAddress)> = listens.iter().filter(|(_, a)| !a.is_loopback()).collect();
    let listened: BTreeSet<u16> = reachable.iter().filter_map(|(_, a)| a.port()).collect();
    if reported_loopback || listened.is_empty() || exposed.iter().any(|(port, _)| listened.contains(port)) {
        return;
    }
    let Some((file, address)) = reachable.iter().find(|(_, a)| a.port().is_some()).map(|(f, a)| (f, a)) else {
        return;
    };
    let ports: Vec<String> = exposed.iter().map(|(port, _)| port.to_string()).collect();
    let Some((_, first)) = exposed.first() else { return };
    let diagnostic = sink.report(
        *first,
        format!(
            "EXPOSE says {}, but the program listens on `{}`: align EXPOSE with the port the program uses",
            ports.join(", "),
            address.address
        ),
    );
    diagnostic.severity = milder(diagnostic.severity);
    diagnostic.with_related(Some(file.clone()), address.range, "the listen address");
}

/// The literal ports of the EXPOSE instructions in the final stage's chain, with their words.
fn exposed_ports(context: &Context<'_>, build: &Build, last: &Stage) -> Vec<(u16, TextRange)> {
    let mut ports = Vec::new();
    for member in chain(build, last.index) {
        let Some(syntax_stage) = context.dockerfile.stages.get(member.index) else { continue };
        for instruction in context.dockerfile.stage_instructions(syntax_stage) {
            let InstructionKind::Expose(words) = &instruction.kind else { continue };
            for word in words {
                let value = word.value.split('/').next().unwrap_or_default();
                if let Ok(port) = value.parse::<u16>() {
                    ports.push((port, word.range));
                }
            }
        }
    }
    ports
}

/// The listen addresses of the package's files, each with its file's workspace path.
fn addresses(package: &Arc<Package>) -> Vec<(String, ListenAddress)> {
    package
        .files
        .iter()
        .flat_map(|file| {
            let path = join(&package.dir, &file.name).unwrap_or_else(|| file.name.clone());
            file.facts.listen_addresses.iter().map(move |address| (path.clone(), address.clone()))
        })
        .collect()
}

/// The workspace directories of the packages a go command builds, found through the COPY (or bind
/// mount) that put them where the command runs.
fn built_dirs(context: &Context<'_>, build: &Build, stage: &Stage, run: &GoRun, root: &str) -> Vec<String> {
    let Some(facts) = context.go else { return Vec::new() };
    let module_path = facts.context.module.as_ref().and_then(|m| m.path().map(|p| (p.to_string(), m.dir.clone())));
    let packages: Vec<&str> = run.command.packages.iter().filter(|p| !p.dynamic).map(|p| p.value.as_str()).collect();
    let packages = if packages.is_empty() { vec!["."] } else { packages };
    let mut dirs = Vec::new();
    for package in packages {
        if package.contains("...") || package.ends_with(".go") || package.contains('@') {
            continue;
        }
        if package.starts_with('.') || package.starts_with('/') {
            let image_dir = resolve_path(&run.workdir, package);
            let copies = build.copies_before(stage.index, run.instruction);
            let steps = copies.into_iter().chain(run.bind_mounts.iter()).rev();
            for step in steps.filter(|s| s.source == CopySource::Context) {
                let Some(candidates) = step.sources_for(&image_dir) else { break };
                let found = candidates
                    .into_iter()
                    .filter_map(|candidate| join(root, if candidate.is_empty() { "." } else { &candidate }))
                    .find(|dir| facts.workspace.dir_exists(dir));
                if let Some(dir) = found {
                    dirs.push(dir);
                    break;
                }
            }
        } else if let Some((module, dir)) = &module_path
            && let Some(rest) = package.strip_prefix(module.as_str())
            && (rest.is_empty() || rest.starts_with('/'))
            && let Some(dir) = join(dir, rest.trim_start_matches('/')).or_else(|| rest.is_empty().then(|| dir.clone()))
        {
            dirs.push(dir);
        }
    }
    dirs
}
