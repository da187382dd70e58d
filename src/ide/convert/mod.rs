//! "Convert to multi-stage build": rewrites a single-stage Go Dockerfile (a golang image that
//! builds or `go run`s the program and ships the toolchain) into a builder stage and a small
//! runtime stage, using what the workspace says about the program (go.mod's `go` line, module
//! files, main packages, cgo, TLS, time zones, files read at run time).
//!
//! - [`analysis`] reads the single stage: what each instruction is for and its comments;
//! - [`targets`] picks the program(s) to build;
//! - [`builder`] writes the build stage, [`runtime`] the runtime stage, [`render`] the text.
//!
//! The program's needs come from [`crate::rules::program_needs`], asked about the builder stage
//! the conversion writes, so the conversion and the GO3xx rules decide from the same evidence.

mod analysis;
mod builder;
mod render;
mod runtime;
mod targets;

use std::fmt;

use crate::rules::{GoFacts, ProgramNeeds, program_needs};
use crate::syntax::{self, Parse};

use analysis::Plan;
use builder::Builder;
use render::{Line, write_lines};
use targets::Target;

/// The kind of runtime image the program is copied into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeFlavor {
    /// `gcr.io/distroless/static-debian12:nonroot`, or `base-debian12` for cgo builds.
    Distroless,
    /// `scratch`, with the CA bundle and a passwd file copied in.
    Scratch,
    /// `alpine:<version>`, the builder's release (has a shell and busybox tools).
    Alpine,
}

impl RuntimeFlavor {
    pub fn label(self) -> &'static str {
        match self {
            RuntimeFlavor::Distroless => "distroless",
            RuntimeFlavor::Scratch => "scratch",
            RuntimeFlavor::Alpine => "alpine",
        }
    }
}

/// What to convert to; `None` fields offer every default candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConvertOptions {
    pub runtime: Option<RuntimeFlavor>,
    /// The build target (`./cmd/api`, `.`), as offered in [`Conversion::package`].
    pub package: Option<String>,
}

/// One conversion: the whole new Dockerfile and what the user should check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub title: String,
    /// The build target (`./cmd/api`, `.`, `main.go`).
    pub package: String,
    pub runtime: RuntimeFlavor,
    /// The whole new Dockerfile.
    pub text: String,
    /// What the user must check (a HEALTHCHECK tool the image lacks, a user that no longer exists…).
    pub notes: Vec<String>,
}

/// Why a Dockerfile cannot be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    SyntaxErrors { count: usize },
    NotConvertible(String),
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::SyntaxErrors { count } => write!(
                f,
                "the Dockerfile has {count} syntax error{}: fix {} first, then convert",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" }
            ),
            ConvertError::NotConvertible(reason) => {
                write!(f, "cannot convert to a multi-stage build: {reason}")
            }
        }
    }
}

impl std::error::Error for ConvertError {}

/// Whether the document is one the conversion applies to (cheap: no workspace access), so that an
/// editor can decide to offer the action.
pub fn is_convertible(parse: &Parse) -> bool {
    analysis::read(parse).is_ok()
}

/// The conversions of a single-stage Go Dockerfile: one per build target and runtime flavour.
pub fn conversions(
    parse: &Parse,
    go: Option<&GoFacts>,
    options: &ConvertOptions,
) -> Result<Vec<Conversion>, ConvertError> {
    let plan = analysis::read(parse)?;
    let mut targets = targets::targets(&plan, go);
    if let Some(wanted) = &options.package {
        let normalise = |p: &str| p.trim_start_matches("./").trim_end_matches('/').to_string();
        targets.retain(|t| normalise(&t.package()) == normalise(wanted));
        if targets.is_empty() {
            return Err(ConvertError::NotConvertible(format!(
                "`{wanted}` is not one of the programs this Dockerfile can build"
            )));
        }
    }
    let several = targets.len() > 1;
    let mut found = Vec::new();
    let mut refused = None;
    for target in &targets {
        let (builder, needs, notes) = decide(&plan, go, target);
        let flavors = match options.runtime {
            Some(flavor) => vec![flavor],
            None if builder.cgo => match builder.golang.variant {
                crate::images::Variant::Alpine { .. } => vec![RuntimeFlavor::Alpine],
                _ => vec![RuntimeFlavor::Distroless],
            },
            None => vec![RuntimeFlavor::Distroless, RuntimeFlavor::Scratch],
        };
        for flavor in flavors {
            let mut builder = builder.clone();
            let Some(image) = runtime::image(flavor, &builder) else {
                refused =
                    Some(format!("a {} runtime cannot run this cgo program: it needs the C library", flavor.label()));
                continue;
            };
            let image_facts = crate::images::RuntimeImage::from_reference(&image);
            let mut flavor_notes = notes.clone();
            let needs_zones = needs.as_ref().is_some_and(|n| n.time_zones.is_some() && !n.embeds_tzdata);
            if needs_zones && image_facts.has_tzdata != Some(true) {
                builder.extra_tags.push("timetzdata".into());
                flavor_notes.push(format!(
                    "`{image}` has no time zone database: the program embeds Go's copy (`-tags timetzdata`)."
                ));
            }
            builder.passwd = (flavor == RuntimeFlavor::Scratch).then(|| runtime::runtime_user(&plan));
            let text = render_file(&plan, go, &builder, target, flavor, &image, needs.as_ref(), &mut flavor_notes);
            let title = match several {
                true => format!("Convert to multi-stage build: {} on {}", target.package(), flavor.label()),
                false => format!("Convert to multi-stage build ({})", flavor.label()),
            };
            found.push(Conversion { title, package: target.package(), runtime: flavor, text, notes: flavor_notes });
        }
    }
    if found.is_empty() {
        return Err(ConvertError::NotConvertible(refused.unwrap_or_else(|| "no Go program to build was found".into())));
    }
    Ok(found)
}

/// The builder for a target: cgo when the code needs it (asked of the rules about a probe build)
/// or when the old file turned it on.
fn decide(plan: &Plan, go: Option<&GoFacts>, target: &Target) -> (Builder, Option<ProgramNeeds>, Vec<String>) {
    let mut notes = Vec::new();
    let version = builder::go_version(plan, go);
    let alpine_compiler = plan.installed.iter().any(|p| crate::build::is_c_compiler(p))
        && plan.installed.iter().any(|p| crate::build::provides_libc_headers(p));
    let probe = |cgo: bool| -> Builder {
        let image = builder::golang_image(plan, version, cgo, alpine_compiler)
            .or_else(|| plan.golang.tag.as_ref().map(|t| format!("golang:{t}")))
            .unwrap_or_else(|| "golang".into());
        let golang = crate::images::GolangImage::from_reference(&image).unwrap_or_else(|| plan.golang.clone());
        Builder { image, golang, cross: !cgo, cgo, extra_tags: Vec::new(), passwd: None }
    };
    let static_builder = probe(false);
    let needs = go.and_then(|go| {
        let mut text = String::new();
        write_lines(&mut text, &builder::stage(plan, Some(go), &static_builder, target));
        let probe_parse = syntax::parse(&text);
        program_needs(&probe_parse, go).into_iter().last()
    });
    let explicit_cgo = target.invocation.cgo.or_else(|| plan.go_env.get("CGO_ENABLED").map(|v| v.trim() == "1"));
    let cgo_reason = needs.as_ref().and_then(|n| n.cgo.clone());
    let cgo = cgo_reason.is_some() || explicit_cgo == Some(true);
    match (&cgo_reason, go, &needs) {
        (Some(reason), _, _) => notes.push(format!(
            "cgo stays on ({reason}): the program is built on each target platform (emulated for other \
             architectures) and runs on an image with the C library."
        )),
        (None, _, _) if cgo => notes.push("cgo stays on, as the old Dockerfile set `CGO_ENABLED=1`.".into()),
        (None, None, _) => notes.push(
            "No Go workspace was found next to the Dockerfile: the build target, go version and the program's \
             needs (cgo, certificates, time zones) were not checked."
                .into(),
        ),
        (None, Some(_), None) => notes.push(
            "The Go package index is not complete yet (or the build target was not found): the program's needs \
             (cgo, certificates, time zones) were not checked."
                .into(),
        ),
        _ => {}
    }
    if !cgo && !plan.installed.is_empty() {
        notes.push(format!(
            "The old image installed {}: they stay in the build stage; the runtime image has none of them.",
            plan.installed.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if let analysis::Start::Program { path, .. } = &plan.start
        && path.rsplit('/').next() != Some(target.name.as_str())
    {
        notes.push(format!(
            "The old start command ran `{path}`; the new image starts `{}` directly: check that nothing else \
             was needed at start-up.",
            target.name
        ));
    }
    if target.args.iter().chain(&target.default_args).any(|arg| arg.contains('$')) {
        notes.push(
            "The program's arguments refer to variables, which an exec-form ENTRYPOINT does not expand: pass the \
             values in so many words, or read them from the environment in the program."
                .into(),
        );
    }
    if let Some(version) = version
        && builder::golang_image(plan, Some(version), cgo, alpine_compiler).is_none()
    {
        notes.push(format!(
            "No golang image for Go {version} is known to gantry: the builder keeps the old image's tag; check it \
             against go.mod's `go` line."
        ));
    }
    if needs.as_ref().is_some_and(|n| !n.complete) {
        notes.push(
            "Some of the program's code could not be traced (build tags only the build knows, imports outside the \
             module): check that it needs no cgo, certificates or time zones beyond what the runtime image has."
                .into(),
        );
    }
    let builder = if cgo { probe(true) } else { static_builder };
    if let Some(needs) = &needs
        && let Some(reason) = &needs.tls
    {
        notes.push(format!("The program makes TLS connections ({reason}): the runtime image needs CA certificates."));
    }
    (builder, needs, notes)
}

#[allow(clippy::too_many_arguments)]
fn render_file(
    plan: &Plan,
    go: Option<&GoFacts>,
    builder: &Builder,
    target: &Target,
    flavor: RuntimeFlavor,
    image: &str,
    needs: Option<&ProgramNeeds>,
    notes: &mut Vec<String>,
) -> String {
    let mut out = String::new();
    for directive in &plan.directives {
        out.push_str(directive);
        out.push('\n');
    }
    if !plan.has_syntax_directive && plan.escape == '\\' && plan.directives.is_empty() {
        out.push_str("# syntax=docker/dockerfile:1\n");
    }
    // A blank line ends the directives, so no comment below can be read as one.
    out.push('\n');
    if !plan.global.is_empty() {
        write_lines(&mut out, &plan.global);
        out.push('\n');
    }
    write_lines(&mut out, &builder::stage(plan, go, builder, target));
    out.push('\n');
    let runtime = runtime::stage(plan, go, target, flavor, image, needs, notes);
    let runtime: Vec<Line> = runtime
        .into_iter()
        .flat_map(|line| {
            // Comments whose instruction moved elsewhere (WORKDIR) stay in place on their own.
            if line.text.is_empty() { line.comments.into_iter().map(Line::new).collect::<Vec<_>>() } else { vec![line] }
        })
        .collect();
    write_lines(&mut out, &runtime);
    for comment in &plan.trailing_comments {
        out.push_str(comment);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Config, Severity, check_with_config};

    fn convert(text: &str) -> Vec<Conversion> {
        let found = conversions(&syntax::parse(text), None, &ConvertOptions::default()).expect("convertible");
        for conversion in &found {
            let parse = syntax::parse(&conversion.text);
            assert!(parse.errors().is_empty(), "{}", conversion.text);
            let warnings: Vec<_> = check_with_config(&parse, &Config::default())
                .into_iter()
                .filter(|d| d.severity <= Severity::Warning)
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert!(warnings.is_empty(), "{warnings:?}\n{}", conversion.text);
        }
        found
    }

    #[test]
    fn without_a_workspace_the_image_decides_and_a_note_says_so() {
        let found =
            convert("FROM golang:1.23-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD [\"./app\"]\n");
        let flavours: Vec<RuntimeFlavor> = found.iter().map(|c| c.runtime).collect();
        assert_eq!(flavours, [RuntimeFlavor::Distroless, RuntimeFlavor::Scratch]);
        assert!(found[0].text.contains("golang:1.23-alpine AS build"), "{}", found[0].text);
        assert!(found[0].notes.iter().any(|n| n.starts_with("No Go workspace")), "{:?}", found[0].notes);
        // Without evidence of TLS, scratch still gets the CA bundle: nothing says it is not needed.
        assert!(found[1].text.contains("ca-certificates.crt"), "{}", found[1].text);
    }

    #[test]
    fn floating_tags_are_pinned_to_their_go_line() {
        let found = convert("FROM golang:alpine\nCOPY . /src\nWORKDIR /src\nCMD go run . -v\n");
        let from = found[0].text.lines().find(|l| l.starts_with("FROM --platform")).unwrap_or_default().to_string();
        assert!(from.contains("-alpine AS build") && !from.contains("golang:alpine"), "{from}");
        assert!(found[0].text.contains("ENTRYPOINT [\"/usr/local/bin/app\", \"-v\"]"), "{}", found[0].text);
    }

    #[test]
    fn start_commands_through_a_shell() {
        let found = convert(
            "FROM golang:1.25\nWORKDIR /app\nCOPY . .\nRUN go build -o srv .\nCMD [\"sh\", \"-c\", \"exec ./srv --port 80\"]\n",
        );
        assert!(found[0].text.contains("ENTRYPOINT [\"/usr/local/bin/srv\", \"--port\", \"80\"]"), "{}", found[0].text);
        let scripted = convert(
            "FROM golang:1.25\nWORKDIR /app\nCOPY . .\nRUN go build -o srv .\nCMD [\"./start.sh\", \"prod\"]\n",
        );
        assert!(scripted[0].text.contains("ENTRYPOINT [\"/usr/local/bin/srv\"]\n"), "{}", scripted[0].text);
        assert!(scripted[0].notes.iter().any(|n| n.contains("`./start.sh`")), "{:?}", scripted[0].notes);
    }

    #[test]
    fn several_installed_packages_build_one_program_each() {
        // `go build -o FILE` refuses several packages: the started program is built alone.
        let found = convert(
            "FROM golang:1.25\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/a ./cmd/b\nCMD [\"a\", \"serve\"]\n",
        );
        let build = found[0].text.lines().find(|l| l.contains("go build")).unwrap_or_default().to_string();
        assert!(build.contains("./cmd/a") && !build.contains("./cmd/b"), "{}", found[0].text);
        assert!(found[0].text.contains("ENTRYPOINT [\"/usr/local/bin/a\", \"serve\"]"), "{}", found[0].text);
        // Without a start command naming one of them, each program is its own candidate.
        let both = convert("FROM golang:1.25\nWORKDIR /src\nCOPY . .\nRUN go install ./cmd/a ./cmd/b\n");
        let packages: Vec<&str> = both.iter().map(|c| c.package.as_str()).collect();
        assert!(packages.contains(&"./cmd/a") && packages.contains(&"./cmd/b"), "{packages:?}");
    }
}
