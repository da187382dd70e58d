//! FromPlatformFlagConstDisallowed: `FROM --platform=linux/amd64` with a constant platform.

use super::support::source;
use crate::rules::{Context, Rule, Severity, Sink};
use crate::syntax::{InstructionKind, variable_references};

pub(super) static RULE: Rule = Rule {
    code: "FromPlatformFlagConstDisallowed",
    name: "constant-from-platform",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports `FROM --platform=<constant>`, such as `--platform=linux/amd64`, unless the stage's name
mentions that platform's operating system or architecture (`AS build_amd64`, `AS linux-tools`),
which shows the pinning is deliberate. Values that are not a valid platform are left alone.

## Why it matters
A constant platform pins the stage, so the Dockerfile can no longer build a multi-platform image:
`docker buildx build --platform linux/arm64` still pulls and runs the amd64 base (under emulation,
or failing at run time with `exec format error`). For Go, the usual intent is to compile on the
build machine and cross-compile, which `--platform=$BUILDPLATFORM` expresses. BuildKit reports the
check as a warning (hadolint's DL3029 is similar).

## Example
```dockerfile
FROM --platform=linux/amd64 alpine AS base
RUN apk add --no-cache git
```

## Fix
Drop the flag and choose the platform on the command line, use a variable
(`--platform=$BUILDPLATFORM`), or, for stages that really are per platform, name them after the
platform (`AS build_amd64`) and select one with `FROM build_${TARGETARCH}`. There is no quick fix:
which of these is right depends on the stage.

## References
- BuildKit build checks: FromPlatformFlagConstDisallowed (https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/)
- Multi-platform builds (https://docs.docker.com/build/building/multi-platform/)
";

/// Operating systems Go and containerd know.
const OPERATING_SYSTEMS: [&str; 16] = [
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "illumos",
    "ios",
    "js",
    "linux",
    "macos",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
];

/// Architectures containerd accepts, with its aliases mapped to the normal name.
fn normal_architecture(arch: &str) -> Option<&'static str> {
    Some(match arch {
        "386" | "i386" | "i686" | "x86" => "386",
        "amd64" | "x86_64" | "x86-64" => "amd64",
        "arm" | "armhf" | "armel" => "arm",
        "arm64" | "aarch64" => "arm64",
        "ppc64" => "ppc64",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        "mips" => "mips",
        "mipsle" => "mipsle",
        "mips64" => "mips64",
        "mips64le" => "mips64le",
        "loong64" => "loong64",
        "wasm" => "wasm",
        _ => return None,
    })
}

/// A known operating system, normalised.
fn os(part: &str) -> Option<&str> {
    OPERATING_SYSTEMS.contains(&part).then_some(if part == "macos" { "darwin" } else { part })
}

/// `os[/arch[/variant]]` or a lone architecture, as containerd parses it: `(os, arch)`.
fn parse_platform(value: &str) -> Option<(String, String)> {
    let lower = value.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    match parts.as_slice() {
        [single] => match (os(single), normal_architecture(single)) {
            (Some(os), _) => Some((os.to_string(), "amd64".to_string())),
            (None, Some(arch)) => Some(("linux".to_string(), arch.to_string())),
            (None, None) => None,
        },
        [system, arch] | [system, arch, _] => Some((os(system)?.to_string(), normal_architecture(arch)?.to_string())),
        _ => None,
    }
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    for instruction in &context.dockerfile.instructions {
        let InstructionKind::From(from) = &instruction.kind else { continue };
        let Some(flag) = instruction.flag("platform") else { continue };
        let Some(value_range) = flag.value_range else { continue };
        let raw = source(context.text, value_range);
        if !variable_references(raw, context.dockerfile.escape).is_empty() || raw.contains('$') {
            continue;
        }
        let Some(value) = flag.value.as_deref() else { continue };
        let Some((os, arch)) = parse_platform(value) else { continue };
        let stage_name = from.alias.as_ref().map(|a| a.value.to_lowercase()).unwrap_or_default();
        if stage_name.contains(&os) || stage_name.contains(&arch) {
            continue;
        }
        sink.report(
            flag.range,
            format!("FROM --platform is the constant `{value}`: this stage cannot be built for other platforms"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::parse_platform;

    #[test]
    fn platforms_parse_like_containerd() {
        let parsed = |v: &str| parse_platform(v).map(|(os, arch)| format!("{os}/{arch}"));
        assert_eq!(parsed("linux/amd64").as_deref(), Some("linux/amd64"));
        assert_eq!(parsed("linux/arm/v7").as_deref(), Some("linux/arm"));
        assert_eq!(parsed("Linux/AArch64").as_deref(), Some("linux/arm64"));
        assert_eq!(parsed("arm64").as_deref(), Some("linux/arm64"));
        assert_eq!(parsed("windows").as_deref(), Some("windows/amd64"));
        assert_eq!(parsed("macos/arm64").as_deref(), Some("darwin/arm64"));
        assert_eq!(parsed("nonsense"), None);
        assert_eq!(parsed("linux/amd64/v2/x"), None);
    }
}
