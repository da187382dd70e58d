//! Hover on the image of a `FROM`: what a `golang` tag contains, what a runtime image provides, and the
//! go.mod facts next to a `FROM golang` when the workspace is known.

use crate::images::{
    DistrolessFlavor, DistrolessTag, GoLineCheck, GoVersion, GolangImage, Libc, PackageManager, RuntimeImage,
    RuntimeKind, ToolchainSwitching, Variant, VersionPin,
};
use crate::rules::GoFacts;

const GOLANG_DOCS: &str = "https://hub.docker.com/_/golang";
const DISTROLESS_DOCS: &str = "https://github.com/GoogleContainerTools/distroless";

/// Markdown for the image `reference` (variables already expanded).
pub(super) fn image(reference: &str, go: Option<&GoFacts>) -> Option<String> {
    if let Some(golang) = GolangImage::from_reference(reference) {
        let mut out = golang_image(reference, &golang);
        if let Some(facts) = go {
            out += &go_mod_facts(facts, &golang);
        }
        return Some(out);
    }
    runtime_image(reference, &RuntimeImage::from_reference(reference))
}

fn golang_image(reference: &str, image: &GolangImage) -> String {
    let mut out = format!("**`{reference}`** · the official Go image\n\n");
    match (image.go_version, image.pin.is_floating(), image.as_of) {
        (Some(version), true, Some(day)) => {
            out += &format!(
                "- Go **{version}**: a floating tag (newest release of its line as of {day}); pin it for repeatable builds\n"
            )
        }
        (Some(version), _, _) => out += &format!("- Go **{version}**\n"),
        (None, _, _) if image.pin == VersionPin::Tip => out += "- Go: a weekly development build\n",
        (None, _, _) => out += "- Go version: not known from the tag\n",
    }
    out += &format!("- OS: {}\n", variant(image.variant));
    out += &format!("- libc: {}\n", libc(image.libc));
    match image.has_c_compiler {
        Some(true) => out += "- C compiler: gcc (with libc headers, make, pkg-config)\n",
        Some(false) => out += "- C compiler: none\n",
        None => {}
    }
    match image.cgo_default {
        Some(true) => out += "- cgo: **on** by default for native builds (gcc is present)\n",
        Some(false) if matches!(image.variant, Variant::Alpine { .. }) => {
            out += "- cgo: **off** by default (no C compiler; Go 1.20 and later turn cgo off then)\n"
        }
        Some(false) => out += "- cgo: **off** by default (no C compiler)\n",
        None => {}
    }
    match image.toolchain {
        Some(ToolchainSwitching::Local) => {
            out += "- `GOTOOLCHAIN=local`: a go.mod asking for a newer Go stops the build\n"
        }
        Some(ToolchainSwitching::Auto) => out += "- `GOTOOLCHAIN=auto`: a newer go line downloads that toolchain\n",
        Some(ToolchainSwitching::Unsupported) => out += "- no toolchain switching (before Go 1.21)\n",
        None => {}
    }
    if image.tag_known && !image.current {
        out += "- no longer listed: not rebuilt with security fixes\n";
    }
    out += "- `GOPATH=/go`, `WORKDIR /go`\n";
    out += &format!("\n[golang image]({GOLANG_DOCS})");
    out
}

fn go_mod_facts(facts: &GoFacts, image: &GolangImage) -> String {
    let Some(module) = &facts.context.module else { return String::new() };
    let Some(go_mod) = module.go_mod.loaded() else { return String::new() };
    let file = match module.dir.as_str() {
        "" | "." => "go.mod".to_string(),
        dir => format!("{dir}/go.mod"),
    };
    let mut out = format!("\n\n**`{file}`**\n\n");
    if let Some(path) = go_mod.module_path() {
        out += &format!("- module `{path}`\n");
    }
    if let Some(go) = &go_mod.go {
        out += &format!("- go `{}`", go.value);
        let check = GoVersion::parse(&go.value).and_then(|line| image.check_go_line(line));
        out += match check {
            Some(GoLineCheck::Satisfied) => ": this image's Go is recent enough\n",
            Some(GoLineCheck::Refused) => ": **newer than this image's Go**, which refuses to build the module\n",
            Some(GoLineCheck::SwitchesToolchain) => ": newer than this image's Go, which downloads that toolchain\n",
            Some(GoLineCheck::Unparsable) => ": this image's Go (before 1.21) cannot read the line\n",
            Some(GoLineCheck::LanguageOnly) => {
                ": newer than this image's Go; the build fails if newer features are used\n"
            }
            None => "\n",
        };
    }
    if let Some(toolchain) = &go_mod.toolchain {
        out += &format!("- toolchain `{}`\n", toolchain.value);
    }
    out.trim_end().to_string()
}

fn runtime_image(reference: &str, image: &RuntimeImage) -> Option<String> {
    let headline = match &image.kind {
        RuntimeKind::Scratch => "the empty image: no files at all, so only a static program runs".to_string(),
        RuntimeKind::Distroless { flavor, debian, debian_pinned, tag } => {
            let pinned = if *debian_pinned { "" } else { ", the release this name points at" };
            format!("distroless `{}` on {debian}{pinned}; {}", flavor_name(*flavor), distroless_tag(*tag))
        }
        RuntimeKind::Alpine { version: Some(version) } => format!("Alpine Linux {version} (musl, busybox, apk)"),
        RuntimeKind::Alpine { version: None } => "Alpine Linux, a floating tag (musl, busybox, apk)".to_string(),
        RuntimeKind::Busybox => "busybox".to_string(),
        RuntimeKind::Debian { release: Some(release) } => release.to_string(),
        RuntimeKind::Debian { release: None } => "Debian".to_string(),
        RuntimeKind::Ubuntu => "Ubuntu".to_string(),
        RuntimeKind::Chainguard { dev, .. } => {
            format!("a Chainguard image{}", if *dev { " (`-dev`: with a shell and apk)" } else { "" })
        }
        RuntimeKind::Golang(_) | RuntimeKind::Unknown => return None,
    };
    let mut out = format!("**`{reference}`** · {headline}\n\n");
    if let RuntimeKind::Distroless { flavor, .. } = &image.kind {
        out += &format!("- contents: {}\n", flavor_contents(*flavor));
    }
    out += &format!("- libc: {}\n", libc(image.libc));
    let yes_no = |fact: Option<bool>, what: &str| match fact {
        Some(true) => format!("- {what}: yes\n"),
        Some(false) => format!("- {what}: **no**\n"),
        None => String::new(),
    };
    out += &yes_no(image.has_shell, "shell");
    out += &yes_no(image.has_ca_certificates, "CA certificates");
    out += &yes_no(image.has_tzdata, "time zone data");
    out += &yes_no(image.has_passwd, "`/etc/passwd`");
    if let Some(user) = image.user {
        out += &format!("- runs as `{}` (uid {})\n", user.name, user.uid);
    }
    out += match image.package_manager {
        PackageManager::None => "- package manager: none\n",
        PackageManager::Apt => "- package manager: apt\n",
        PackageManager::Apk => "- package manager: apk\n",
        PackageManager::Unknown => "",
    };
    match image.libc {
        Libc::None => {
            out += "\nBuild the program with `CGO_ENABLED=0` (or link it statically): nothing else runs here."
        }
        Libc::Musl => {
            out += "\nA program linked against glibc does not run on musl: build with `CGO_ENABLED=0` or on Alpine."
        }
        _ => {}
    }
    if let RuntimeKind::Distroless { .. } = image.kind {
        out += &format!("\n\n[distroless]({DISTROLESS_DOCS})");
    }
    Some(out.trim_end().to_string())
}

fn variant(variant: Variant) -> String {
    match variant {
        Variant::Debian { release: Some(release), pinned: true } => release.to_string(),
        Variant::Debian { release: Some(release), pinned: false } => {
            format!("{release}, the default release of this tag")
        }
        Variant::Debian { release: None, .. } => "Debian".to_string(),
        Variant::Alpine { version: Some(version), pinned: true } => format!("Alpine {version}"),
        Variant::Alpine { version: Some(version), pinned: false } => {
            format!("Alpine {version} (newest listed with it)")
        }
        Variant::Alpine { version: None, .. } => "Alpine".to_string(),
        Variant::WindowsServerCore { .. } => "Windows Server Core".to_string(),
        Variant::NanoServer { .. } => "Nano Server".to_string(),
        Variant::Unknown => "not known from the tag".to_string(),
    }
}

fn libc(libc: Libc) -> &'static str {
    match libc {
        Libc::Glibc => "glibc",
        Libc::Musl => "musl",
        Libc::Windows => "none (Windows)",
        Libc::None => "**none** (no dynamic loader)",
        Libc::Unknown => "not known",
    }
}

fn flavor_name(flavor: DistrolessFlavor) -> &'static str {
    match flavor {
        DistrolessFlavor::Static => "static",
        DistrolessFlavor::BaseNossl => "base-nossl",
        DistrolessFlavor::Base => "base",
        DistrolessFlavor::Cc => "cc",
        DistrolessFlavor::Java => "java",
        DistrolessFlavor::Nodejs => "nodejs",
        DistrolessFlavor::Python => "python",
    }
}

fn flavor_contents(flavor: DistrolessFlavor) -> &'static str {
    match flavor {
        DistrolessFlavor::Static => "CA certificates, `/etc/passwd`, tzdata; no libc (for `CGO_ENABLED=0` programs)",
        DistrolessFlavor::BaseNossl => "static's files plus glibc",
        DistrolessFlavor::Base => "static's files plus glibc and libssl (for cgo programs)",
        DistrolessFlavor::Cc => "base plus libgcc",
        DistrolessFlavor::Java | DistrolessFlavor::Nodejs | DistrolessFlavor::Python => "a language runtime on base",
    }
}

fn distroless_tag(tag: DistrolessTag) -> &'static str {
    match tag {
        DistrolessTag::Latest => "runs as root, no shell",
        DistrolessTag::Nonroot => "runs as `nonroot` (uid 65532), no shell",
        DistrolessTag::Debug => "runs as root, busybox shell for debugging",
        DistrolessTag::DebugNonroot => "runs as uid 65532, busybox shell for debugging",
        DistrolessTag::Unknown => "tag not recognised",
    }
}
