//! Security guarantees (SECURITY.md), each tested: gantry never executes anything, opens no
//! socket, reads only inside the workspace folders it was given (`gantry check`: the named paths,
//! their build contexts, and the ignore and configuration files above them), never follows a
//! symlink out of them, and writes nothing unless asked.
//!
//! Symlinks are tested by what would show if a file were read: an outside go.mod asking for
//! `go 1.99` would raise GO101, an outside gantry.toml would silence a finding. Reads, writes,
//! processes and sockets are tested with `strace` where it is installed (it is on the machine CI
//! runs on; elsewhere those tests say they were skipped), and the absence of process and network
//! code by reading the sources and the dependency graph.

#![allow(clippy::print_stderr, reason = "the tests report the times, memory and counts they measure")]

mod bounded;
mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use bounded::{Scratch, gantry, run_bounded};
use gantry_ls::rules::GoFacts;
use gantry_ls::workspace::{FileState, SkipReason, Workspace};
use serde_json::{Value, json};
use support::{LspClient, default_capabilities};

const DOCKERFILE: &str = "FROM golang:1.21 AS Build\nWORKDIR /src\nCOPY go.mod ./\nCOPY . .\n\
    RUN go build -o /app ./cmd/app\nFROM alpine:3.20\nCOPY --from=Build /app /app\nCMD [\"/app\"]\n";

/// A workspace whose module files, sources, ignore file, configuration and a go.work member are
/// symlinks to an `outside` directory next to it. Read, the outside files would change findings.
struct Escapes {
    scratch: Scratch,
}

impl Escapes {
    fn new(name: &str) -> Escapes {
        let scratch = Scratch::new("security", name);
        let outside = |relative: &str, text: &str| scratch.write(&format!("outside/{relative}"), text);
        outside("go.mod", "module example.com/outside\n\ngo 1.99\n");
        outside("main.go", "package main\n\nimport \"C\"\n\nfunc main() {}\n");
        outside(".dockerignore", "*\n");
        outside("gantry.toml", "ignore = [\"StageNameCasing\"]\n");
        outside("mod/go.mod", "module example.com/mod\n\ngo 1.99\n");
        outside("mod/lib.go", "package lib\n");
        scratch.write("ws/.git/HEAD", "ref: refs/heads/main\n");
        scratch.write("ws/Dockerfile", DOCKERFILE);
        scratch.write("ws/go.work", "go 1.21\n\nuse (\n\t./cmd/app\n\t./linked\n)\n");
        scratch.write("ws/cmd/app/main.go", "package main\n\nfunc main() {}\n");
        let link = |target: &str, at: &str| {
            std::os::unix::fs::symlink(scratch.path(target), scratch.path(at)).expect("symlink");
        };
        link("outside/go.mod", "ws/go.mod");
        link("outside/main.go", "ws/cmd/app/leak.go");
        link("outside/.dockerignore", "ws/.dockerignore");
        link("outside/gantry.toml", "ws/gantry.toml");
        link("outside/mod", "ws/linked");
        Escapes { scratch }
    }

    fn ws(&self) -> PathBuf {
        self.scratch.path("ws")
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().filter_map(|d| d["code"].as_str().map(str::to_string)).collect()
}

#[test]
fn the_workspace_loader_does_not_follow_symlinks_out_of_the_folder() {
    let escapes = Escapes::new("loader");
    let workspace = Arc::new(Workspace::open(&escapes.ws()).unwrap());
    assert!(matches!(workspace.go_mod("."), FileState::Skipped(SkipReason::OutsideRoot)));
    assert!(matches!(workspace.dockerignore(".dockerignore"), FileState::Skipped(SkipReason::OutsideRoot)));
    assert_eq!(workspace.read_text("go.mod"), None);
    assert_eq!(workspace.read_text("go.work").as_deref().map(|t| t.starts_with("go 1.21")), Some(true));
    let index = workspace.index_now();
    assert!(index.package("linked").is_none(), "a directory symlinked out is not walked");
    assert!(workspace.package("linked").is_none(), "nor listed on demand");
    let app = index.package("cmd/app").unwrap();
    assert_eq!(app.skipped, [("leak.go".to_string(), SkipReason::OutsideRoot)]);
    assert!(!app.uses_cgo(), "the outside file's `import \"C\"` is not seen");
    let facts = GoFacts::for_dockerfile(workspace.clone(), "Dockerfile");
    assert!(facts.context.ignore.is_none(), "the outside .dockerignore is not read");
    assert!(facts.context.module.as_ref().is_some_and(|m| m.go_mod.loaded().is_none()));
}

#[test]
fn gantry_check_does_not_follow_symlinks_out_of_the_repository() {
    let escapes = Escapes::new("check");
    // Dockerfiles reached only through symlinks: a linked directory and a linked file.
    escapes.scratch.write("outside/mod/Dockerfile", "FROM alpine\nMAINTAINER outside\n");
    escapes.scratch.write("outside/linked.Dockerfile", "FROM alpine\nMAINTAINER outside\n");
    let linked = escapes.ws().join("linked.Dockerfile");
    std::os::unix::fs::symlink(escapes.scratch.path("outside/linked.Dockerfile"), linked).expect("symlink");
    let run = run_bounded(gantry(&escapes.ws(), &["check", "--format", "json", "."]), Duration::from_secs(120));
    let findings: Vec<Value> = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stdout));
    let files: Vec<&str> = findings.iter().filter_map(|f| f["file"].as_str()).collect();
    assert!(files.iter().all(|f| *f == "Dockerfile"), "only the Dockerfile inside was checked: {files:?}");
    let codes = codes(&findings);
    assert!(!codes.iter().any(|c| c == "GO101"), "the outside go.mod was read: {codes:?}");
    assert!(codes.iter().any(|c| c == "StageNameCasing"), "the outside gantry.toml was read: {codes:?}");
    assert!(run.stderr.contains("go.mod: leads outside the workspace folder"), "{}", run.stderr);
    assert!(run.stderr.contains("gantry.toml: leads outside the repository"), "{}", run.stderr);
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn start_server(folder: &Path) -> LspClient {
    let mut client = LspClient::spawn();
    initialize(&mut client, folder);
    client
}

fn initialize(client: &mut LspClient, folder: &Path) {
    client.request_ok(
        "initialize",
        json!({
            "processId": std::process::id(),
            "workspaceFolders": [{ "uri": file_uri(folder), "name": "ws" }],
            "capabilities": default_capabilities(),
        }),
    );
    client.notify("initialized", json!({}));
}

#[test]
fn the_server_does_not_follow_symlinks_out_of_its_folder() {
    let escapes = Escapes::new("lsp");
    let mut client = start_server(&escapes.ws());
    let uri = file_uri(&escapes.ws().join("Dockerfile"));
    client.open(&uri, 1, DOCKERFILE);
    let codes = codes(&client.diagnostics(&uri, 1));
    assert!(!codes.iter().any(|c| c == "GO101"), "the outside go.mod was read: {codes:?}");
    assert!(codes.iter().any(|c| c == "StageNameCasing"), "the outside gantry.toml was read: {codes:?}");
    client.shutdown_and_exit();
    let stderr = client.stderr();
    assert!(stderr.contains("go.mod: leads outside the workspace folder"), "{stderr}");
    assert!(stderr.contains("gantry.toml: leads outside the workspace folder"), "{stderr}");
}

#[test]
fn a_document_outside_every_folder_reads_only_its_own_directory() {
    let scratch = Scratch::new("security", "outside_folder");
    scratch.write("ws/Dockerfile", "FROM alpine\n");
    // Above the document, outside the folder: neither is read.
    scratch.write("elsewhere/go.mod", "module example.com/elsewhere\n\ngo 1.99\n");
    scratch.write("elsewhere/gantry.toml", "ignore = [\"StageNameCasing\"]\n");
    let dockerfile = scratch.write("elsewhere/deploy/Dockerfile", DOCKERFILE);
    let mut client = start_server(&scratch.path("ws"));
    let uri = file_uri(&dockerfile);
    client.open(&uri, 1, DOCKERFILE);
    let codes = codes(&client.diagnostics(&uri, 1));
    assert!(!codes.iter().any(|c| c == "GO101"), "a go.mod above the document was read: {codes:?}");
    assert!(codes.iter().any(|c| c == "StageNameCasing"), "a gantry.toml above the document was read: {codes:?}");
    // The syntax and the Dockerfile rules still work there.
    assert!(codes.iter().any(|c| c == "FromAsCasing" || c == "StageNameCasing"), "{codes:?}");
    client.shutdown_and_exit();
}

/// What a traced run did: programs executed, sockets, files opened (and whether for writing),
/// and calls that change the file system.
#[derive(Debug, Default)]
struct Trace {
    execs: Vec<String>,
    sockets: Vec<String>,
    /// Absolute path → opened for writing.
    opens: BTreeMap<PathBuf, bool>,
    changes: Vec<String>,
}

const TRACED_CALLS: &str = "trace=execve,execveat,socket,connect,open,openat,openat2,creat,truncate,rename,renameat,\
    renameat2,unlink,unlinkat,mkdir,mkdirat,link,linkat,symlink,symlinkat,rmdir,chmod,fchmodat";

/// strace, when it is installed and may trace (a container can forbid ptrace).
fn strace_works() -> bool {
    let works = Command::new("strace").args(["-qq", "-o", "/dev/null", "true"]).status().is_ok_and(|s| s.success());
    if !works {
        eprintln!("SKIPPED: strace is not installed or may not trace here; this guarantee is untested on this machine");
    }
    works
}

/// `gantry args…` under strace, one trace file per thread at `prefix.<tid>`.
fn traced(prefix: &Path, args: &[&str]) -> Command {
    let mut command = Command::new("strace");
    command.args(["-f", "-ff", "-qq", "-e", TRACED_CALLS, "-o"]).arg(prefix).arg(env!("CARGO_BIN_EXE_gantry"));
    command.args(args).env_remove("GANTRY_LOG");
    command
}

/// The first double-quoted argument of a strace line (strace escapes quotes inside it).
fn quoted(line: &str) -> Option<&str> {
    let start = line.find('"')? + 1;
    let end = start + line[start..].find('"')?;
    Some(&line[start..end])
}

fn read_trace(prefix: &Path, cwd: &Path) -> Trace {
    let mut trace = Trace::default();
    let dir = prefix.parent().unwrap();
    let stem = format!("{}.", prefix.file_name().unwrap().to_str().unwrap());
    for entry in fs::read_dir(dir).unwrap().flatten() {
        if !entry.file_name().to_str().is_some_and(|n| n.starts_with(&stem)) {
            continue;
        }
        for line in fs::read_to_string(entry.path()).unwrap().lines() {
            let Some((call, _)) = line.split_once('(') else { continue };
            let failed = line.contains(" = -1 ");
            match call {
                "execve" | "execveat" if !failed => trace.execs.push(line.to_string()),
                "socket" | "connect" => trace.sockets.push(line.to_string()),
                "open" | "openat" | "openat2" | "creat" => {
                    let Some(path) = quoted(line) else { continue };
                    // Relative to another directory descriptor: keep it visible as such.
                    let relative_to_fd = call == "openat" && !line.starts_with("openat(AT_FDCWD");
                    let path = if relative_to_fd && !path.starts_with('/') {
                        PathBuf::from(format!("<fd>/{path}"))
                    } else {
                        // Where the path leads now, symlinks resolved: a link out of the tree shows.
                        let joined = cwd.join(path);
                        fs::canonicalize(&joined).unwrap_or(joined)
                    };
                    let write = call == "creat"
                        || ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"].iter().any(|f| line.contains(f));
                    *trace.opens.entry(path).or_default() |= write;
                }
                _ if !failed && TRACED_CALLS.contains(call) => trace.changes.push(line.to_string()),
                _ => {}
            }
        }
    }
    trace
}

/// What any process opens to start: the dynamic loader's cache and shared libraries (found along
/// `LD_LIBRARY_PATH`, which cargo sets to toolchain directories), and the kernel's views of itself.
fn is_system_path(path: &Path) -> bool {
    let Some(text) = path.to_str() else { return false };
    let shared_object = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.contains(".so"));
    shared_object
        || ["/etc/ld.so", "/proc/", "/sys/", "/dev/null", "/dev/urandom"].iter().any(|prefix| text.starts_with(prefix))
}

/// The common guarantees of every traced run: one program (gantry itself), no socket, no write.
fn assert_quiet(trace: &Trace) {
    assert_eq!(trace.execs.len(), 1, "gantry executed something: {:#?}", trace.execs);
    assert!(trace.execs[0].contains(env!("CARGO_BIN_EXE_gantry")), "{:#?}", trace.execs);
    assert!(trace.sockets.is_empty(), "gantry opened sockets: {:#?}", trace.sockets);
    let writes: Vec<_> = trace.opens.iter().filter(|(_, write)| **write).map(|(path, _)| path).collect();
    assert!(writes.is_empty(), "gantry opened files for writing: {writes:#?}");
    assert!(trace.changes.is_empty(), "gantry changed the file system: {:#?}", trace.changes);
}

/// Names `gantry check` may open above a named directory: ignore files (the `ignore` crate reads
/// them in every directory above, as ripgrep does; their patterns apply up to the repository
/// root) and configuration files (up to the repository root).
const READ_ABOVE: &[&str] = &[".gitignore", ".ignore", "exclude", "gantry.toml", ".hadolint.yaml", ".hadolint.yml"];

#[test]
fn gantry_check_opens_only_the_named_paths_their_contexts_and_the_files_above_them() {
    if !strace_works() {
        return;
    }
    let scratch = Scratch::new("security", "check_trace");
    scratch.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    scratch.write("repo/gantry.toml", "ignore = [\"DL3059\"]\n");
    scratch.write("repo/svc/Dockerfile", DOCKERFILE);
    scratch.write("repo/svc/go.mod", "module example.com/svc\n\ngo 1.21\n");
    scratch.write("repo/svc/cmd/app/main.go", "package main\n\nfunc main() {}\n");
    // A sibling module that is neither named nor the build context of what is named.
    scratch.write("repo/other/go.mod", "module example.com/other\n\ngo 1.22\n");
    scratch.write("repo/other/main.go", "package main\n");
    scratch.write("repo/other/Dockerfile", DOCKERFILE);
    let repo = scratch.path("repo");
    let prefix = scratch.path("check.trace");
    let mut command = traced(&prefix, &["check", "svc"]);
    command.current_dir(&repo);
    let run = run_bounded(command, Duration::from_secs(120));
    assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    let trace = read_trace(&prefix, &repo);
    assert_quiet(&trace);
    let svc = repo.join("svc");
    let above = |path: &Path| {
        let Some(mut dir) = path.parent() else { return false };
        if dir.ends_with(".git/info") {
            dir = dir.parent().and_then(Path::parent).unwrap_or(dir);
        }
        path.file_name().and_then(|n| n.to_str()).is_some_and(|n| READ_ABOVE.contains(&n)) && svc.starts_with(dir)
    };
    let unexpected: Vec<_> =
        trace.opens.keys().filter(|path| !is_system_path(path) && !path.starts_with(&svc) && !above(path)).collect();
    assert!(unexpected.is_empty(), "gantry check svc opened: {unexpected:#?}");
    for read in ["svc/Dockerfile", "svc/go.mod", "svc/cmd/app/main.go", "gantry.toml"] {
        assert!(trace.opens.contains_key(&repo.join(read)), "{read} was not read: {:#?}", trace.opens);
    }
}

#[test]
fn the_server_opens_only_files_in_its_folder_and_writes_nothing() {
    if !strace_works() {
        return;
    }
    let escapes = Escapes::new("lsp_trace");
    let ws = escapes.ws();
    let prefix = escapes.scratch.path("lsp.trace");
    let mut command = traced(&prefix, &["lsp", "--stdio"]);
    command.env_remove("GANTRY_LOG");
    let mut client = LspClient::spawn_command(command);
    initialize(&mut client, &ws);
    let uri = file_uri(&ws.join("Dockerfile"));
    client.open(&uri, 1, DOCKERFILE);
    client.diagnostics(&uri, 1);
    exercise_every_feature(&mut client, &uri);
    client.shutdown_and_exit();
    let trace = read_trace(&prefix, &ws);
    assert_quiet(&trace);
    let unexpected: Vec<_> =
        trace.opens.keys().filter(|path| !is_system_path(path) && !path.starts_with(&ws)).collect();
    assert!(unexpected.is_empty(), "the server opened files outside its folder: {unexpected:#?}");
    for read in ["go.work", "cmd/app/main.go"] {
        assert!(trace.opens.contains_key(&ws.join(read)), "{read} was not read: {:#?}", trace.opens);
    }
}

/// Sends every request a client may send about a document (answers are not checked here).
fn exercise_every_feature(client: &mut LspClient, uri: &str) {
    let document = json!({ "uri": uri });
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let everything = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 9, "character": 0 } });
    let formatting = json!({ "tabSize": 4, "insertSpaces": true });
    let requests = [
        ("textDocument/hover", at(0, 6)),
        ("textDocument/hover", at(4, 10)),
        ("textDocument/completion", at(4, 20)),
        ("textDocument/definition", at(2, 6)),
        ("textDocument/definition", at(4, 30)),
        (
            "textDocument/references",
            json!({ "textDocument": document, "position": { "line": 0, "character": 22 }, "context": { "includeDeclaration": true } }),
        ),
        ("textDocument/documentHighlight", at(0, 22)),
        ("textDocument/documentSymbol", json!({ "textDocument": document })),
        ("textDocument/foldingRange", json!({ "textDocument": document })),
        ("textDocument/documentLink", json!({ "textDocument": document })),
        ("textDocument/semanticTokens/full", json!({ "textDocument": document })),
        ("textDocument/inlayHint", json!({ "textDocument": document, "range": everything })),
        (
            "textDocument/codeAction",
            json!({ "textDocument": document, "range": everything, "context": { "diagnostics": [] } }),
        ),
        ("textDocument/formatting", json!({ "textDocument": document, "options": formatting })),
        (
            "textDocument/rename",
            json!({ "textDocument": document, "position": { "line": 0, "character": 22 }, "newName": "builder" }),
        ),
        ("workspace/symbol", json!({ "query": "" })),
    ];
    for (method, params) in requests {
        client.request(method, params);
    }
}

/// Every file of a tree with its bytes, for before-and-after comparisons.
fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() {
                files.insert(path.clone(), fs::read(&path).unwrap());
            } else {
                files.insert(path.clone(), format!("-> {:?}", fs::read_link(&path).ok()).into_bytes());
            }
        }
    }
    files
}

#[test]
fn gantry_check_and_the_server_leave_the_tree_unchanged() {
    let escapes = Escapes::new("writes");
    let ws = escapes.ws();
    escapes.scratch.write("ws/fixable/Dockerfile", "from alpine as Build\nRUN apt-get install curl\ncmd /app\n");
    let before = snapshot_tree(&escapes.scratch.0);
    for format in ["human", "json", "sarif", "github", "checkstyle"] {
        let run = run_bounded(gantry(&ws, &["check", "--format", format, "."]), Duration::from_secs(120));
        assert!(matches!(run.code, Some(0 | 1)), "{run:?}");
    }
    assert!(snapshot_tree(&escapes.scratch.0) == before, "gantry check changed the tree");

    let mut client = start_server(&ws);
    for (version, name) in ["Dockerfile", "fixable/Dockerfile"].into_iter().enumerate() {
        let path = ws.join(name);
        let uri = file_uri(&path);
        client.open(&uri, version as i32 + 1, &fs::read_to_string(&path).unwrap());
        client.diagnostics(&uri, version as i32 + 1);
        exercise_every_feature(&mut client, &uri);
    }
    client.shutdown_and_exit();
    assert!(snapshot_tree(&escapes.scratch.0) == before, "the server changed the tree");
}

#[test]
fn no_source_file_runs_processes_or_opens_sockets() {
    let forbidden = [
        "std::process::Command",
        "process::Command",
        "Command::new",
        "tokio::process",
        "std::net",
        "tokio::net",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "UnixStream",
        "UnixListener",
        "libc::fork",
        "libc::exec",
        "libc::system",
        "libc::socket",
    ];
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                for (line, code) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
                    for needle in forbidden.iter().filter(|needle| code.contains(**needle)) {
                        found.push(format!("{}:{}: {needle}", path.display(), line + 1));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "process or network code in src/: {found:#?}");
}

/// Crates that make network requests, speak TLS, run processes or drive git: none may be in the
/// dependency graph (development dependencies included).
const FORBIDDEN_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "h2",
    "h3",
    "quinn",
    "rustls",
    "native-tls",
    "openssl",
    "openssl-sys",
    "tokio-rustls",
    "tokio-native-tls",
    "socket2",
    "mio",
    "async-std",
    "hickory-resolver",
    "trust-dns-resolver",
    "git2",
    "libgit2-sys",
    "gix",
    "duct",
    "subprocess",
    "xshell",
    "which",
];

#[test]
fn the_dependency_graph_has_no_network_or_process_crate_and_tokio_no_net_or_process() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["metadata", "--offline", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let resolved: Vec<&str> =
        metadata["resolve"]["nodes"].as_array().unwrap().iter().map(|n| names[n["id"].as_str().unwrap()]).collect();
    assert!(resolved.contains(&"tokio") && resolved.len() > 50, "the graph was read: {resolved:?}");
    let present: Vec<_> = FORBIDDEN_CRATES.iter().filter(|c| resolved.contains(c)).collect();
    assert!(present.is_empty(), "network or process crates in the dependency graph: {present:?}");
    let tokio = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| names[n["id"].as_str().unwrap()] == "tokio")
        .unwrap();
    let features: Vec<&str> = tokio["features"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    for feature in ["net", "process", "full", "signal"] {
        assert!(!features.contains(&feature), "tokio is built with `{feature}`: {features:?}");
    }
}
