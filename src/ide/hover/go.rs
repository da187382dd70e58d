//! Hover text for the Go toolchain: `go build` flags, linker flags, Go environment variables and build tags.

pub(super) const GO_BUILD_DOCS: &str = "https://pkg.go.dev/cmd/go#hdr-Compile_packages_and_dependencies";
pub(super) const LINKER_DOCS: &str = "https://pkg.go.dev/cmd/link";
pub(super) const ENVIRONMENT_DOCS: &str = "https://pkg.go.dev/cmd/go#hdr-Environment_variables";
pub(super) const CGO_DOCS: &str = "https://pkg.go.dev/cmd/cgo";

/// A `go build`/`go install` flag, by name without dashes.
pub(super) fn build_flag(name: &str) -> Option<&'static str> {
    Some(match name {
        "o" => {
            "Where to write the program: a file, or a directory (existing, or ending in `/`) that receives every \
             main package. Without it one main package is named after its import path; with several packages \
             the results are discarded."
        }
        "a" => "Rebuilds every package, even the up-to-date ones.",
        "race" => "Builds with the data race detector; needs cgo on Linux.",
        "trimpath" => {
            "Removes file-system paths from the binary: file names start with the module path instead, which \
             makes builds reproducible."
        }
        "ldflags" => {
            "Arguments for the linker (`go tool link`), such as `-s -w` to strip or `-X pkg.name=value` to set \
             a string variable. Given several times, the last one wins."
        }
        "gcflags" => "Arguments for the compiler (`go tool compile`), e.g. `all=-N -l` to disable optimisation.",
        "asmflags" => "Arguments for the assembler.",
        "tags" => {
            "Extra build tags, comma-separated (`-tags netgo,osusergo`); they select files by `//go:build` lines."
        }
        "mod" => {
            "Module mode: `readonly` (default: go.mod may not change), `vendor` (use vendor/; the default when it \
             exists and the go line is 1.14 or later) or `mod` (update go.mod as needed)."
        }
        "buildvcs" => {
            "Whether to stamp version-control information: `auto` (default; skipped silently when git is missing), \
             `true` or `false`. Without `.git` in the image there is nothing to stamp."
        }
        "buildmode" => "The kind of output: `exe` (default), `pie`, `c-archive`, `c-shared`, `plugin`, …",
        "pgo" => {
            "Profile-guided optimisation: `auto` (default; uses `default.pgo` next to the main package), a file, or `off`."
        }
        "installsuffix" => {
            "Suffix for the package install directory; a leftover since Go 1.20 ships no precompiled library."
        }
        "v" => "Prints the names of packages as they are compiled.",
        "x" => "Prints the commands the build runs.",
        "n" => "Prints the commands without running them.",
        "p" => "How many builds run in parallel (default: the number of CPUs).",
        "work" => "Keeps the temporary work directory and prints its name.",
        "C" => "Changes to this directory before anything else; must be the first flag.",
        "modfile" => "Reads and writes this file instead of go.mod.",
        "modcacherw" => "Leaves the module cache writable (it is read-only by default).",
        "overlay" => "A JSON file that replaces source files for the build.",
        "cover" => "Builds with coverage instrumentation.",
        "msan" | "asan" => "Builds with the memory or address sanitizer (needs cgo and clang or gcc).",
        "linkshared" => "Links against shared libraries made with `-buildmode=shared`.",
        "json" => "Prints the build output as JSON.",
        _ => return None,
    })
}

/// A linker flag inside `-ldflags`, by name without dashes.
pub(super) fn linker_flag(name: &str) -> Option<&'static str> {
    Some(match name {
        "s" => {
            "Omits the symbol table and debug information (implies `-w`): a smaller binary, no symbolised stack traces in debuggers."
        }
        "w" => "Omits the DWARF debug information: a smaller binary that debuggers cannot inspect.",
        "X" => {
            "`-X importpath.name=value` sets a package-level string variable at link time. It works only on \
             variables that are uninitialised or set to a constant string; an unknown path or name is ignored \
             without any message."
        }
        "extldflags" => {
            "Flags for the external linker (gcc/clang), e.g. `-static`. They only take effect with external \
             linking: when cgo is used or with `-linkmode=external`; with `CGO_ENABLED=0` they do nothing."
        }
        "linkmode" => {
            "`internal` (Go's own linker), `external` (through gcc/clang, needed for some cgo code) or `auto` \
             (default: external when cgo packages need it)."
        }
        "extld" => "The external linker to use (default gcc or clang).",
        "buildid" => "Sets the Go build ID recorded in the binary; `-buildid=` records an empty one.",
        "B" => "Adds an ELF build-id note: a hex value, `gobuildid` (derived from the Go build ID) or `none`.",
        "buildmode" => "The kind of output, as for `go build -buildmode`.",
        "r" => "The ELF dynamic linker search path.",
        "I" => "The ELF dynamic loader (interpreter) to use.",
        "d" => "Produces no dynamic header: the binary cannot load shared libraries.",
        _ => return None,
    })
}

/// A Go environment variable.
pub(super) fn environment(name: &str) -> Option<&'static str> {
    Some(match name {
        "CGO_ENABLED" => {
            "`1` lets the build use cgo (C code, and the libc versions of `net` and `os/user`), which links \
             the program against libc; `0` builds pure Go, statically linked."
        }
        "GOOS" => "The target operating system (`linux`, `darwin`, `windows`, …); empty means the build machine's.",
        "GOARCH" => {
            "The target architecture (`amd64`, `arm64`, `arm`, `386`, `ppc64le`, `riscv64`, `s390x`, …); empty means the build machine's."
        }
        "GOARM" => {
            "With `GOARCH=arm`: the ARM version, `5`, `6` or `7` (not `v7`), optionally `,softfloat` or `,hardfloat`."
        }
        "GOAMD64" => "With `GOARCH=amd64`: the minimum x86-64 level the code may assume, `v1` (default) to `v4`.",
        "GOARM64" => "With `GOARCH=arm64`: the minimum ARM64 version, `v8.0` (default) to `v9.5`.",
        "GOFLAGS" => {
            "Default flags for go commands, space-separated `-flag=value` entries (values cannot contain \
             spaces). Command-line flags win; a flag the command does not know is an error."
        }
        "GOTOOLCHAIN" => {
            "Which Go toolchain runs: `local` (the installed one, set by the golang images), `auto` (switch to the \
             version go.mod asks for, downloading it), `go1.N.P`, or `<name>+auto`/`+path`."
        }
        "GOPROXY" => {
            "Module proxies to download from, comma- or pipe-separated; `direct` uses version control, `off` forbids downloads."
        }
        "GOPRIVATE" => "Module path patterns that skip the proxy and the checksum database (private modules).",
        "GONOPROXY" => {
            "Module path patterns downloaded directly rather than through the proxy (defaults to GOPRIVATE)."
        }
        "GONOSUMDB" => "Module path patterns not checked against the checksum database (defaults to GOPRIVATE).",
        "GOSUMDB" => "The checksum database to verify downloads against (`off` disables verification).",
        "GOINSECURE" => "Module path patterns that may be fetched over insecure schemes.",
        "GOCACHE" => {
            "The build cache directory (default `/root/.cache/go-build` for root); mount a cache there to reuse compiled packages."
        }
        "GOMODCACHE" => "The module cache directory (default `$GOPATH/pkg/mod`, `/go/pkg/mod` in the golang images).",
        "GOPATH" => {
            "The Go workspace directory (default `$HOME/go`; `/go` in the golang images); holds `pkg/mod` and `bin`."
        }
        "GOBIN" => "Where `go install` puts programs (default `$GOPATH/bin`, `/go/bin` in the golang images).",
        "GO111MODULE" => {
            "`on`, `off` or `auto`: whether the go command uses modules. `off` means GOPATH mode, which ignores go.mod."
        }
        "GOWORK" => "The go.work file to use; `off` disables workspace mode.",
        "GOEXPERIMENT" => "Toolchain experiments to enable or disable, comma-separated.",
        "GODEBUG" => "Run-time and go-command settings, such as `netdns=go`.",
        "CC" => "The C compiler cgo uses (default gcc or clang).",
        _ => return None,
    })
}

/// A build tag with a special meaning in `-tags`.
pub(super) fn build_tag(tag: &str) -> Option<(&'static str, &'static str)> {
    Some(match tag {
        "netgo" => (
            "Forces the pure-Go DNS resolver (reads `/etc/resolv.conf` and `/etc/hosts`) instead of libc's, so a \
             program using `net` needs no libc for name resolution.",
            "https://pkg.go.dev/net#hdr-Name_Resolution",
        ),
        "netcgo" => ("Forces libc's DNS resolver (needs cgo).", "https://pkg.go.dev/net#hdr-Name_Resolution"),
        "osusergo" => (
            "Forces the pure-Go `os/user`, which reads `/etc/passwd` and `/etc/group`, instead of libc's lookups.",
            "https://pkg.go.dev/os/user",
        ),
        "timetzdata" => (
            "Embeds the time zone database (about 450 KB) in the binary, used when the image has none \
             (`scratch`); the same as importing `time/tzdata`.",
            "https://pkg.go.dev/time/tzdata",
        ),
        _ => return None,
    })
}
