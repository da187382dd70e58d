//! GO302: cgo is off for a build whose code imports a module that only works with cgo.

use super::go3xx_support::{TargetTags, built_code, cgo_state, command_head};
use crate::rules::{Context, Rule, Severity, Sink};

pub(in crate::rules) static RULE: Rule = Rule {
    code: "GO302",
    name: "cgo-only-dependency-without-cgo",
    default_severity: Severity::Warning,
    default_enabled: true,
    docs: DOCS,
    check,
};

const DOCS: &str = "\
## What it does
Reports a `go build`, `go install` or `go run` with cgo off (`CGO_ENABLED=0`, a cross-compile to
another OS, or an Alpine `golang` image without a C compiler, where Go 1.20 and later turn cgo off)
when the code it builds imports a module that needs cgo and go.mod requires that module.

gantry knows a small table of such modules:

| module | with cgo off |
|---|---|
| `github.com/mattn/go-sqlite3` | builds a stub that fails at run time |
| `gorm.io/driver/sqlite` | uses go-sqlite3: the same stub |
| `github.com/mattn/go-oci8` | does not build |
| `github.com/confluentinc/confluent-kafka-go` (and `/v2`) | does not build |
| `github.com/linxGnu/grocksdb`, `github.com/tecbot/gorocksdb` | do not build |
| `github.com/ceph/go-ceph` | does not build |

## Why it matters
go-sqlite3 compiles without cgo, into a stub. The image builds and starts, and the first database
call fails with

```text
Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub
```

This is easy to miss: cgo is off by default on the Alpine `golang` images (no gcc) and whenever
`GOOS`/`GOARCH` name another platform.

Not reported: imports made only by other modules (gantry reads the module's own code, so a
wrapper outside the table is not followed), files left out by build tags (such as a `nosqlite` tag),
builds whose cgo state or packages are not known, and workspaces whose package index is not complete
yet. Without Go sources (only go.mod) the rule stays silent: a requirement alone does not prove
that the program built here uses the module.

## Example
```dockerfile
FROM golang:1.23-alpine AS build
WORKDIR /src
COPY . .
# store/db.go imports github.com/mattn/go-sqlite3
RUN go build -o /app .
```

## Fix
Build with cgo: `CGO_ENABLED=1` and a C toolchain (`apk add gcc musl-dev` on Alpine; tonistiigi/xx
for cross builds), and ship the program on an image with the same C library. Or switch to a pure-Go
driver: `modernc.org/sqlite`, `github.com/ncruces/go-sqlite3`, or `github.com/glebarez/sqlite` for
gorm.

## References
- go-sqlite3 and cgo: https://github.com/mattn/go-sqlite3/issues/855
- cgo defaults: https://pkg.go.dev/cmd/cgo
";

/// A module that needs cgo, and what happens without it.
struct CgoOnly {
    module: &'static str,
    /// The stub's run-time error, or `None` when the module does not build without cgo.
    stub: Option<&'static str>,
}

const SQLITE_STUB: &str = "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub";

const CGO_ONLY: &[CgoOnly] = &[
    CgoOnly { module: "github.com/mattn/go-sqlite3", stub: Some(SQLITE_STUB) },
    CgoOnly { module: "gorm.io/driver/sqlite", stub: Some(SQLITE_STUB) },
    CgoOnly { module: "github.com/mattn/go-oci8", stub: None },
    CgoOnly { module: "github.com/confluentinc/confluent-kafka-go", stub: None },
    CgoOnly { module: "github.com/confluentinc/confluent-kafka-go/v2", stub: None },
    CgoOnly { module: "github.com/linxGnu/grocksdb", stub: None },
    CgoOnly { module: "github.com/tecbot/gorocksdb", stub: None },
    CgoOnly { module: "github.com/ceph/go-ceph", stub: None },
];

/// The table entry whose module provides `import_path`.
fn cgo_only(import_path: &str) -> Option<&'static CgoOnly> {
    CGO_ONLY
        .iter()
        .filter(|entry| {
            import_path == entry.module
                || import_path.strip_prefix(entry.module).is_some_and(|rest| rest.starts_with('/'))
        })
        // The longest module path wins (`confluent-kafka-go/v2` over `confluent-kafka-go`).
        .max_by_key(|entry| entry.module.len())
}

/// The module of `import_path` that only works with cgo, if it is one of the table's.
pub(super) fn cgo_only_module(import_path: &str) -> Option<&'static str> {
    cgo_only(import_path).map(|entry| entry.module)
}

fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(facts) = context.go else { return };
    let Some(module) = &facts.context.module else { return };
    let Some(go_mod) = module.go_mod.loaded() else { return };
    let go_mod_path = format!("{}/go.mod", module.dir).trim_start_matches("./").to_string();
    let build = context.build();
    if !build.builds_go() {
        return;
    }
    for (stage, run) in build.go_runs() {
        if cgo_state(context, stage, run) != Some(false) {
            continue;
        }
        let tags = TargetTags::new(stage, run, Some(false));
        let Some(code) = built_code(context, facts, stage, run, &tags) else { continue };
        let required = |path: &str| cgo_only(path).and_then(|entry| go_mod.require(entry.module));
        let Some(site) = code.find_import(|path| required(path).is_some()) else { continue };
        let (Some(entry), Some(require)) = (cgo_only(&site.path), required(&site.path)) else { continue };
        let outcome = match entry.stub {
            Some(stub) => format!("the program builds with a stub and fails at run time with `{stub}`"),
            None => "its C code is left out and the build fails".to_string(),
        };
        let what = if site.path == entry.module {
            format!("`{}`, which needs cgo", site.path)
        } else {
            format!("`{}` (module {} needs cgo)", site.path, entry.module)
        };
        let message = format!("cgo is off for this build, but {} imports {what}: {outcome}", site.file);
        let diagnostic = sink.report(command_head(run), message);
        diagnostic.with_related(Some(site.file.clone()), site.range, format!("imports {}", entry.module));
        diagnostic.with_related(Some(go_mod_path.clone()), require.range, format!("go.mod requires {}", entry.module));
    }
}

#[cfg(test)]
mod tests {
    use super::cgo_only;

    #[test]
    fn table_lookup_by_module_prefix() {
        assert!(cgo_only("github.com/mattn/go-sqlite3").is_some_and(|e| e.stub.is_some()));
        assert_eq!(
            cgo_only("github.com/confluentinc/confluent-kafka-go/v2/kafka").map(|e| e.module),
            Some("github.com/confluentinc/confluent-kafka-go/v2")
        );
        assert!(cgo_only("github.com/mattn/go-sqlite3x").is_none());
        assert!(cgo_only("modernc.org/sqlite").is_none());
    }
}
