//! The runtime stage: a distroless, scratch or Alpine image with the program, what it needs at run
//! time (CA bundle, `/etc/passwd`, files it reads from its working directory), the old file's
//! runtime instructions, a non-root user and an exec-form ENTRYPOINT.

use super::RuntimeFlavor;
use super::analysis::Plan;
use super::builder::{BUILD_STAGE, Builder, OUT_DIR};
use super::render::{Line, json_array, simple_words};
use super::targets::Target;
use crate::images::{GolangImage, RuntimeImage, Variant, suggest_tag};
use crate::rules::{GoFacts, ProgramNeeds};
use crate::syntax::Command;
use crate::workspace::join;

/// Where the program is installed in the runtime image.
pub(super) fn program_path(target: &Target) -> String {
    format!("/usr/local/bin/{}", target.name)
}

/// The uid:gid the program runs as when the old file named no numeric non-root user (distroless's
/// `nonroot`).
const NONROOT: &str = "65532:65532";

/// The runtime image reference for a flavour; `None` when the flavour cannot run this build.
pub(super) fn image(flavor: RuntimeFlavor, builder: &Builder) -> Option<String> {
    match flavor {
        RuntimeFlavor::Scratch if builder.cgo => None,
        RuntimeFlavor::Scratch => Some("scratch".into()),
        RuntimeFlavor::Distroless if builder.cgo => match builder.golang.variant {
            Variant::Debian { release: Some(release), .. } => {
                Some(format!("gcr.io/distroless/base-debian{}:nonroot", release.number()))
            }
            // A musl program needs the musl loader: Alpine is the glibc-free runtime for it.
            _ => None,
        },
        RuntimeFlavor::Distroless => Some("gcr.io/distroless/static-debian12:nonroot".into()),
        RuntimeFlavor::Alpine => {
            if builder.cgo && !matches!(builder.golang.variant, Variant::Alpine { .. }) {
                return None;
            }
            alpine_version(&builder.golang).map(|v| format!("alpine:{v}"))
        }
    }
}

/// The Alpine release of the builder (or of the current `golang:<version>-alpine` tag).
fn alpine_version(golang: &GolangImage) -> Option<String> {
    if let Variant::Alpine { version: Some(version), .. } = golang.variant {
        return Some(version.to_string());
    }
    let version = golang.go_version?.language();
    let tag = suggest_tag(version, Variant::Alpine { version: None, pinned: false })?;
    match GolangImage::from_tag(Some(&tag), None).variant {
        Variant::Alpine { version: Some(version), .. } => Some(version.to_string()),
        _ => None,
    }
}

/// Files the program names in string literals that the old image held: top-level entries of the
/// build context that are not Go code, with where the old image had them.
fn run_time_files(plan: &Plan, go: Option<&GoFacts>, needs: Option<&ProgramNeeds>) -> Vec<(String, String, bool)> {
    let (Some(go), Some(needs)) = (go, needs) else { return Vec::new() };
    let Some(root) = go.context.root.as_deref() else { return Vec::new() };
    let index = go.workspace.package_index();
    let mut found: Vec<(String, String, bool)> = Vec::new();
    for literal in &needs.relative_paths {
        let path = literal.trim_start_matches("./");
        let Some(top) = path.split('/').next().filter(|t| !t.is_empty() && *t != "." && *t != "..") else { continue };
        if top.contains('*') || found.iter().any(|(source, _, _)| source == top) {
            continue;
        }
        let Some(in_workspace) = join(root, top) else { continue };
        let is_dir = go.workspace.dir_exists(&in_workspace);
        if !is_dir && !go.workspace.file_exists(&in_workspace) {
            continue;
        }
        let holds_go = index.package(&in_workspace).is_some() || index.packages_under(&in_workspace).next().is_some();
        if holds_go
            || top.ends_with(".go")
            || top.starts_with("go.")
            || go.context.includes(&in_workspace) == Some(false)
        {
            continue;
        }
        let Some(destination) = plan.context_copies.iter().rev().find_map(|c| c.destination_of(top)) else { continue };
        let carried = plan.runtime.iter().any(|line| line.text.starts_with("COPY ") && line.text.contains(top));
        if !carried {
            found.push((top.to_string(), destination, is_dir));
        }
    }
    found
}

/// The runtime stage's lines and the notes for the user.
pub(super) fn stage(
    plan: &Plan,
    go: Option<&GoFacts>,
    target: &Target,
    flavor: RuntimeFlavor,
    image: &str,
    needs: Option<&ProgramNeeds>,
    notes: &mut Vec<String>,
) -> Vec<Line> {
    let facts = RuntimeImage::from_reference(image);
    let mut lines = vec![Line::new(format!("FROM {image}"))];
    let program = program_path(target);
    // ARGs the runtime instructions refer to must be declared in this stage too.
    for (name, line) in &plan.stage_args {
        let used =
            plan.runtime.iter().any(|l| l.text.contains(&format!("${name}")) || l.text.contains(&format!("${{{name}")));
        if used {
            lines.push(line.clone());
        }
    }
    if flavor == RuntimeFlavor::Scratch {
        if needs.is_none_or(|n| n.tls.is_some() && !n.embeds_ca_roots) {
            lines.push(Line::new(format!(
                "COPY --from={BUILD_STAGE} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"
            )));
        }
        lines.push(Line::new(format!("COPY --from={BUILD_STAGE} /tmp/passwd /etc/passwd")));
    }
    for line in &plan.runtime {
        if line.text.is_empty() {
            if !line.comments.is_empty() {
                lines.push(Line::new(String::new()).with_comments(line.comments.clone()));
            }
            continue;
        }
        lines.push(line.clone());
    }
    if let Some(workdir) = &plan.workdir {
        lines.push(Line::new(format!("WORKDIR {workdir}")));
    }
    for (source, destination, is_dir) in run_time_files(plan, go, needs) {
        let (source, destination) = if is_dir {
            (format!("{source}/"), format!("{}/", destination.trim_end_matches('/')))
        } else {
            (source, destination)
        };
        lines.push(Line::new(format!("COPY {source} {destination}")));
        notes.push(format!(
            "`{source}` is copied into the runtime image: the program names it, so it may read it at run time."
        ));
    }
    lines.push(Line::new(format!("COPY --from={BUILD_STAGE} {OUT_DIR}/{} {program}", target.name)));
    let (user_comments, user) = match &plan.user {
        Some((comments, user)) => (comments.clone(), user_for(user, notes)),
        None => (Vec::new(), NONROOT.to_string()),
    };
    lines.push(Line::new(format!("USER {user}")).with_comments(user_comments));
    if let Some(line) = &plan.healthcheck_none {
        lines.push(line.clone());
    }
    if let Some((comments, flags, command)) = &plan.healthcheck {
        lines.push(healthcheck(plan, target, image, &facts, flags, command, notes).with_comments(comments.clone()));
    }
    let mut entrypoint = vec![program];
    entrypoint.extend(target.args.iter().cloned());
    lines.push(Line::new(format!("ENTRYPOINT {}", json_array(&entrypoint))).with_comments(plan.start_comments.clone()));
    if !target.default_args.is_empty() {
        lines.push(Line::new(format!("CMD {}", json_array(&target.default_args))));
    }
    lines
}

/// The user the runtime stage runs as: the old USER when it is a numeric non-root user, else
/// distroless's `nonroot` ids.
pub(super) fn runtime_user(plan: &Plan) -> String {
    plan.user.as_ref().map_or_else(|| NONROOT.to_string(), |(_, old)| user_for(old, &mut Vec::new()))
}

/// The old USER when it is a numeric non-root user, else distroless's `nonroot` ids.
fn user_for(old: &str, notes: &mut Vec<String>) -> String {
    let uid = old.split(':').next().unwrap_or(old);
    let numeric = !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit());
    if numeric && uid != "0" {
        return old.to_string();
    }
    if !matches!(uid, "root" | "0") {
        notes.push(format!(
            "`USER {old}` became `USER {NONROOT}`: the user `{old}` does not exist in the runtime image; files the \
             program writes must be writable by uid 65532."
        ));
    }
    NONROOT.to_string()
}

/// Programs that health checks commonly run, and which images have them.
fn tool_available(tool: &str, facts: &RuntimeImage, image: &str) -> bool {
    let busybox = image.starts_with("alpine");
    match tool {
        "wget" | "nc" | "sh" | "test" => busybox || facts.has_shell == Some(true),
        _ => false,
    }
}

fn healthcheck(
    plan: &Plan,
    target: &Target,
    image: &str,
    facts: &RuntimeImage,
    flags: &str,
    command: &Command,
    notes: &mut Vec<String>,
) -> Line {
    let head = if flags.is_empty() { "HEALTHCHECK".to_string() } else { format!("HEALTHCHECK {flags}") };
    let program = program_path(target);
    let old_program = match &plan.start {
        super::analysis::Start::Program { path, .. } => Some(path.clone()),
        _ => None,
    };
    let words: Option<Vec<String>> = match command {
        Command::Exec { args, .. } => Some(args.iter().map(|w| w.value.clone()).collect()),
        Command::Shell { text, .. } => {
            let trimmed = text.trim();
            let trimmed = trimmed.strip_suffix("|| exit 1").unwrap_or(trimmed).trim_end();
            simple_words(trimmed)
        }
        Command::Empty => None,
    };
    let Some(mut words) = words.filter(|w| !w.is_empty()) else {
        let text = match command {
            Command::Shell { text, .. } => text.clone(),
            _ => String::new(),
        };
        notes.push(format!(
            "The HEALTHCHECK needs a shell (`{}`), which `{image}` does not have: rewrite it to run a program directly.",
            text.trim()
        ));
        return Line::new(format!("{head} CMD {}", json_array(&["/bin/sh".into(), "-c".into(), text.trim().into()])));
    };
    if let Command::Shell { text, .. } = command
        && facts.has_shell == Some(true)
    {
        // The image has a shell: the check stays as written.
        let base = words[0].rsplit('/').next().unwrap_or(&words[0]).to_string();
        if base != target.name && !tool_available(&base, facts, image) {
            notes.push(format!(
                "The HEALTHCHECK runs `{base}`, which `{image}` does not have: install it or use `wget`."
            ));
        }
        return Line::new(format!("{head} CMD {}", text.trim()));
    }
    let first = words[0].clone();
    let base = first.rsplit('/').next().unwrap_or(&first).to_string();
    let is_program = base == target.name || old_program.as_deref().is_some_and(|p| p == first);
    if is_program {
        words[0] = program;
    } else if !tool_available(&base, facts, image) {
        notes.push(format!(
            "The HEALTHCHECK runs `{base}`, which `{image}` does not have: add a health subcommand to the program \
             (or copy a static `{base}` into the image), or the container will be reported unhealthy."
        ));
    }
    Line::new(format!("{head} CMD {}", json_array(&words)))
}
