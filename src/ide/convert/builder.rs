//! The builder stage: a golang image matching go.mod's `go` line (same variant), cross-compiling
//! from `$BUILDPLATFORM` for static builds, module files first with a cached `go mod download`,
//! then the sources and one cached `go build` of the chosen program.

use std::collections::BTreeMap;

use super::analysis::Plan;
use super::render::{Line, double_quoted, shell_word};
use super::targets::{Target, base_dir, relative};
use crate::images::{DebianRelease, GoVersion, GolangImage, Variant, suggest_tag};
use crate::rules::GoFacts;
use crate::workspace::join;

/// The name of the builder stage.
pub(super) const BUILD_STAGE: &str = "build";
/// Where the builder writes programs.
pub(super) const OUT_DIR: &str = "/out";

/// The `/etc/passwd` line of the user the program runs as (`uid:gid` or `uid`), so that lookups of
/// the current user (os/user) work in an image without one; distroless's 65532 keeps its name.
fn passwd_entry(user: &str) -> String {
    let (uid, gid) = user.split_once(':').unwrap_or((user, user));
    // A group given by name has no number to write: the user's own id stands in for it.
    let gid = if !gid.is_empty() && gid.bytes().all(|b| b.is_ascii_digit()) { gid } else { uid };
    let name = if uid == "65532" { "nonroot" } else { "app" };
    format!("{name}:x:{uid}:{gid}:{name}:/nonexistent:/sbin/nologin")
}

/// What the builder is made of, decided once per conversion.
#[derive(Debug, Clone)]
pub(super) struct Builder {
    /// `golang:<tag>`.
    pub image: String,
    pub golang: GolangImage,
    /// Cross-compile from the build platform (static builds); cgo builds run on the target platform.
    pub cross: bool,
    pub cgo: bool,
    /// Extra build tags (`timetzdata`).
    pub extra_tags: Vec<String>,
    /// Write a `/tmp/passwd` with this `uid:gid`, for a runtime image without one (scratch).
    pub passwd: Option<String>,
}

/// The Go version to build with: go.work's `go` line when it is in effect, else go.mod's, else
/// the old image's.
pub(super) fn go_version(plan: &Plan, go: Option<&GoFacts>) -> Option<GoVersion> {
    let from_work = go
        .and_then(|g| g.context.work.as_ref())
        .and_then(|w| w.go_work.loaded().and_then(|work| work.go.as_ref().map(|s| s.value.clone())));
    let from_mod = go
        .and_then(|g| g.context.module.as_ref())
        .and_then(|m| m.go_mod.loaded().and_then(|module| module.go.as_ref().map(|s| s.value.clone())));
    from_work.or(from_mod).and_then(|line| GoVersion::parse(&line)).or(plan.golang.go_version).map(GoVersion::language)
}

/// The golang image for `version`, keeping the old variant; a cgo build on Alpine without a C
/// compiler installed moves to Debian, and cgo builds pin the Debian release their runtime matches.
pub(super) fn golang_image(
    plan: &Plan,
    version: Option<GoVersion>,
    cgo: bool,
    alpine_has_compiler: bool,
) -> Option<String> {
    let mut variant = plan.golang.variant;
    if cgo {
        variant = match variant {
            // The runtime is the same Alpine release: pin it, so musl stays the same on both sides.
            Variant::Alpine { version: Some(version), .. } if alpine_has_compiler => {
                Variant::Alpine { version: Some(version), pinned: true }
            }
            Variant::Alpine { .. } if alpine_has_compiler => variant,
            Variant::Debian { release: Some(release), .. } if release >= DebianRelease::Bookworm => {
                Variant::Debian { release: Some(release), pinned: true }
            }
            _ => Variant::Debian { release: Some(DebianRelease::Bookworm), pinned: true },
        };
    }
    let version = version?;
    suggest_tag(version, variant).map(|tag| format!("golang:{tag}"))
}

/// The module files to copy before `go mod download`, grouped by directory (context-relative):
/// go.work (and go.work.sum), each module's go.mod and go.sum (when it exists), for the main
/// module, the go.work `use` directories and the in-context `replace` targets.
pub(super) fn module_files(go: Option<&GoFacts>) -> BTreeMap<String, Vec<String>> {
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let Some(go) = go else {
        files.insert(String::new(), vec!["go.mod".into()]);
        return files;
    };
    let root = go.context.root.clone().unwrap_or_else(|| ".".into());
    let exists = |dir: &str, name: &str| join(dir, name).is_some_and(|p| go.workspace.file_exists(&p));
    let mut add_dir = |dir: &str, names: &[&str]| {
        let Some(in_context) = relative(dir, &root) else { return };
        for name in names {
            if exists(dir, name) {
                let entry = files.entry(in_context.clone()).or_default();
                if !entry.iter().any(|n| n == name) {
                    entry.push((*name).to_string());
                }
            }
        }
    };
    let mut module_dirs: Vec<String> = Vec::new();
    if let Some(work) = &go.context.work {
        add_dir(&work.dir, &["go.work", "go.work.sum"]);
        if let Some(loaded) = work.go_work.loaded() {
            for used in &loaded.uses {
                if let Some(dir) = join(&work.dir, &used.path.value) {
                    module_dirs.push(dir);
                }
            }
        }
    }
    if let Some(module) = &go.context.module {
        module_dirs.insert(0, module.dir.clone());
    }
    let mut seen: Vec<String> = Vec::new();
    while let Some(dir) = (!module_dirs.is_empty()).then(|| module_dirs.remove(0)) {
        if seen.contains(&dir) || seen.len() > 64 {
            continue;
        }
        seen.push(dir.clone());
        add_dir(&dir, &["go.mod", "go.sum"]);
        // In-context replace targets need their go.mod before the download, transitively.
        if let Some(loaded) = go.workspace.go_mod(&dir).loaded() {
            for (_, target) in loaded.directory_replaces() {
                if let Some(target_dir) = join(&dir, &target.value) {
                    module_dirs.push(target_dir);
                }
            }
        }
    }
    if files.is_empty() {
        files.insert(String::new(), vec!["go.mod".into()]);
    }
    files
}

fn continuation(plan: &Plan) -> String {
    format!(" {}\n    ", plan.escape)
}

/// The build stage's lines.
pub(super) fn stage(plan: &Plan, go: Option<&GoFacts>, builder: &Builder, target: &Target) -> Vec<Line> {
    let mut lines = Vec::new();
    let platform = if builder.cross { "--platform=$BUILDPLATFORM " } else { "" };
    lines.push(
        Line::new(format!("FROM {platform}{} AS {BUILD_STAGE}", builder.image))
            .with_comments(plan.from_comments.clone()),
    );
    if builder.cross {
        lines.push(Line::new("ARG TARGETOS TARGETARCH"));
    }
    lines.extend(plan.builder_early.iter().cloned());
    let (rel, _) = base_dir(go);
    let workdir = if rel.is_empty() { "/src".to_string() } else { format!("/src/{rel}") };
    lines.push(Line::new(format!("WORKDIR {workdir}")));
    let (module_cache, build_cache) = caches(plan);
    // With a vendor directory (and no go.work) the build reads modules from it: nothing to download.
    let vendored =
        go.is_some_and(|g| g.context.work.is_none() && g.context.module.as_ref().is_some_and(|m| m.has_vendor_dir));
    let mut sources_comments = plan.sources_comments.clone();
    if vendored {
        sources_comments.splice(0..0, plan.module_comments.iter().chain(&plan.download_comments).cloned());
    } else {
        let mut module_comments = plan.module_comments.clone();
        for (dir, names) in module_files(go) {
            let sources: Vec<String> =
                names.iter().map(|n| if dir.is_empty() { n.clone() } else { format!("{dir}/{n}") }).collect();
            let destination = if dir.is_empty() { "/src/".to_string() } else { format!("/src/{dir}/") };
            let destination = if destination == format!("{workdir}/") { "./".to_string() } else { destination };
            lines.push(
                Line::new(format!("COPY {} {destination}", sources.join(" ")))
                    .with_comments(std::mem::take(&mut module_comments)),
            );
        }
        lines.push(
            Line::new(format!("RUN --mount=type=cache,target={module_cache} go mod download"))
                .with_comments(plan.download_comments.clone()),
        );
    }
    let sources_destination = if rel.is_empty() { ".".to_string() } else { "/src/".to_string() };
    lines.push(Line::new(format!("COPY . {sources_destination}")).with_comments(sources_comments));
    lines.extend(plan.builder_late.iter().cloned());
    if let Some(user) = &builder.passwd {
        lines.push(Line::new(format!("RUN echo {} > /tmp/passwd", double_quoted(&passwd_entry(user)))));
    }
    lines.push(
        Line::new(build_run(plan, builder, target, &module_cache, &build_cache))
            .with_comments(plan.build_comments.clone()),
    );
    lines
}

/// The module and build cache directories, following GOMODCACHE, GOPATH and GOCACHE when the old
/// stage set them.
fn caches(plan: &Plan) -> (String, String) {
    let literal = |name: &str| plan.go_env.get(name).filter(|v| v.starts_with('/') && !v.contains('$')).cloned();
    let module = literal("GOMODCACHE")
        .or_else(|| literal("GOPATH").map(|p| format!("{}/pkg/mod", p.split(':').next().unwrap_or(&p))))
        .unwrap_or_else(|| "/go/pkg/mod".into());
    let build = literal("GOCACHE").unwrap_or_else(|| "/root/.cache/go-build".into());
    (module, build)
}

fn build_run(plan: &Plan, builder: &Builder, target: &Target, module_cache: &str, build_cache: &str) -> String {
    let next = continuation(plan);
    let mut ldflags: Vec<String> = vec!["-s".into(), "-w".into()];
    if let Some(own) = &target.invocation.ldflags {
        ldflags.extend(split_flags(own).into_iter().filter(|f| f != "-s" && f != "-w"));
    }
    let mut command = vec!["go build -trimpath".to_string(), format!("-ldflags={}", double_quoted(&ldflags.join(" ")))];
    let mut tags: Vec<String> = target
        .invocation
        .tags
        .as_deref()
        .map(|t| t.split([',', ' ']).filter(|t| !t.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    for extra in &builder.extra_tags {
        if !tags.contains(extra) {
            tags.push(extra.clone());
        }
    }
    if !tags.is_empty() {
        command.push(format!("-tags={}", shell_word(&tags.join(","))));
    }
    command.extend(target.invocation.other_flags.iter().cloned());
    command.push(format!("-o {OUT_DIR}/{}", target.name));
    command.extend(target.packages.iter().map(|p| shell_word(p)));
    let env = if builder.cross {
        format!("CGO_ENABLED={} GOOS=$TARGETOS GOARCH=$TARGETARCH", if builder.cgo { 1 } else { 0 })
    } else {
        format!("CGO_ENABLED={}", if builder.cgo { 1 } else { 0 })
    };
    format!(
        "RUN --mount=type=cache,target={module_cache}{next}--mount=type=cache,target={build_cache}{next}{env}{next}{}",
        command.join(" ")
    )
}

/// The words of an `-ldflags` value, keeping quoted groups (`-extldflags '-static'`) together.
fn split_flags(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in value.chars() {
        match (quote, c) {
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (_, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}
