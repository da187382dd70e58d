//! The Go workspace through `gantry lsp`: a workspace on disk, Go findings with related places in
//! go.mod, and diagnostics that follow go.mod when it changes on disk.

mod support;
#[path = "../benches/common/workspace.rs"]
mod workspace_gen;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{LspClient, default_capabilities};

fn workspace(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp_go").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn has_code(params: &Value, code: &str) -> bool {
    params["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == code))
}

#[test]
fn go_mod_changes_on_disk_update_the_dockerfile_diagnostics() {
    let root = workspace("go_line");
    fs::write(root.join("go.mod"), "module example.com/app\n\ngo 1.23\n").unwrap();
    fs::write(root.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let text = "FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n";
    fs::write(root.join("Dockerfile"), text).unwrap();
    let uri = file_uri(&root.join("Dockerfile"));

    let mut capabilities = default_capabilities();
    capabilities["textDocument"]["publishDiagnostics"] = json!({ "relatedInformation": true });
    capabilities["workspace"] = json!({ "didChangeWatchedFiles": { "dynamicRegistration": true } });
    let mut client = LspClient::spawn();
    let params = json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "uri": file_uri(&root), "name": "app" }],
        "capabilities": capabilities,
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    // The server asks to watch go.mod (and the rest of the Go workspace).
    let registration = client.wait_for("registerCapability", |m| m["method"] == "client/registerCapability");
    let globs = registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(globs.contains("**/go.mod") && globs.contains("**/*.go"), "{globs}");

    client.open(&uri, 1, text);
    let published = client
        .wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri.as_str() && has_code(p, "GO101"));
    let go101 = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "GO101").unwrap().clone();
    assert_eq!(go101["severity"], 1);
    let related = &go101["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], file_uri(&root.join("go.mod")));
    assert_eq!(related["location"]["range"]["start"], json!({ "line": 2, "character": 3 }));

    // go.mod now asks for what the image has: the finding goes away without reopening the Dockerfile.
    fs::write(root.join("go.mod"), "module example.com/app\n\ngo 1.21\n").unwrap();
    let change = json!({ "changes": [{ "uri": file_uri(&root.join("go.mod")), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", change);
    client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && !has_code(p, "GO101")
    });

    // And back.
    fs::write(root.join("go.mod"), "module example.com/app\n\ngo 1.24\n").unwrap();
    let change = json!({ "changes": [{ "uri": file_uri(&root.join("go.mod")), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", change);
    // Publications made before the change (the republish once indexing ends) may still be queued:
    // wait for the one that reads the new go.mod.
    let reads_new_go_mod = |p: &Value| p["diagnostics"].to_string().contains("go >= 1.24");
    let back = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri.as_str() && has_code(p, "GO101") && reads_new_go_mod(p)
    });
    let message =
        back["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "GO101").unwrap()["message"].clone();
    assert!(message.as_str().unwrap().contains("go >= 1.24"), "{message}");
    client.shutdown_and_exit();
}

#[test]
fn first_diagnostics_arrive_before_a_10000_file_workspace_is_indexed() {
    let root = workspace("ten_thousand");
    workspace_gen::generate_workspace(&root, 10_000).unwrap();
    // The generated Dockerfile is fine for GO101; make it too old so the finding shows.
    let text = "FROM golang:1.21\nCOPY . .\nRUN go build -o /app ./cmd/app\n";
    let uri = file_uri(&root.join("Dockerfile"));

    let mut capabilities = default_capabilities();
    capabilities["window"] = json!({ "workDoneProgress": true });
    let mut client = LspClient::spawn();
    let params = json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "uri": file_uri(&root), "name": "big" }],
        "capabilities": capabilities,
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    client.open(&uri, 1, text);
    let first = client.diagnostics(&uri, 1);
    assert!(first.iter().any(|d| d["code"] == "GO101"), "{first:?}");
    // Indexing was still running when those diagnostics came: its end is reported afterwards.
    let progress_before = client.history().iter().filter(|m| m["method"] == "$/progress").count();
    // Generous: a debug build indexing 10,000 files on a busy CI machine.
    let end = client.wait_for_within(std::time::Duration::from_secs(300), "the end of indexing", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    let summary = end["params"]["value"]["message"].as_str().unwrap_or_default().to_string();
    assert!(summary.starts_with("1001 packages"), "{summary}");
    let ended_at =
        client.history().iter().position(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let first_at = client.history().iter().position(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(first_at < ended_at, "diagnostics waited for indexing ({progress_before} progress messages before them)");
    // Once indexed, the document is published again.
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri.as_str());
    client.shutdown_and_exit();
}
