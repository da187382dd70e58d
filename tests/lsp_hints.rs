//! Inlay hints and on-type formatting through `gantry lsp`: the real binary over stdio, driven by
//! the synchronous client of tests/support.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{LspClient, default_capabilities};

fn workspace(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp_hints").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn labels(hints: &Value) -> Vec<(u64, u64, String)> {
    hints
        .as_array()
        .unwrap_or_else(|| panic!("inlay hints are not an array: {hints}"))
        .iter()
        .map(|hint| {
            let position = &hint["position"];
            (position["line"].as_u64().unwrap(), position["character"].as_u64().unwrap(), hint["label"].to_string())
        })
        .collect()
}

#[test]
fn inlay_hints_expand_from_references_and_name_the_go_of_floating_tags() {
    let root = workspace("go_line");
    fs::write(root.join("go.mod"), "module example.com/app\n\ngo 1.23\n").unwrap();
    fs::write(root.join("main.go"), "package main\n\nfunc main() {}\n").unwrap();
    let text = "ARG GO=1.23\nFROM golang:${GO}-alpine AS build\nFROM golang:1.23.4\nFROM alpine:${TARGETARCH}\n";
    fs::write(root.join("Dockerfile"), text).unwrap();
    let uri = file_uri(&root.join("Dockerfile"));

    let mut client = LspClient::spawn();
    let params = json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "uri": file_uri(&root), "name": "app" }],
        "capabilities": default_capabilities(),
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    client.open(&uri, 1, text);
    client.diagnostics(&uri, 1);

    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 4, "character": 0 } });
    let hints = client.request_ok("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": whole }));
    let found = labels(&hints);
    assert_eq!(found.len(), 2, "{hints}");
    assert_eq!(found[0], (1, 24, "\"= golang:1.23-alpine\"".to_string()));
    let (line, character, go) = &found[1];
    assert_eq!((*line, *character), (1, 24));
    assert!(go.starts_with("\"Go 1.23.") && go.ends_with(" (go.mod: 1.23)\""), "{go}");
    assert!(hints[1]["tooltip"].as_str().is_some_and(|t| t.contains("floating")), "{hints}");
    assert_eq!(hints[0]["paddingLeft"], true);

    // Only the hints inside the requested range.
    let last_lines = json!({ "start": { "line": 2, "character": 0 }, "end": { "line": 4, "character": 0 } });
    let none =
        client.request_ok("textDocument/inlayHint", json!({ "textDocument": { "uri": uri }, "range": last_lines }));
    assert_eq!(none, json!([]));
    client.shutdown_and_exit();
}

#[test]
fn typing_a_newline_after_an_escape_indents_the_continuation_line() {
    let mut client = LspClient::start();
    let uri = "file:///on-type/Dockerfile";
    client.open(uri, 1, "FROM alpine\nRUN apk add curl \\");
    client.change(
        uri,
        2,
        json!([{ "range": { "start": { "line": 1, "character": 18 }, "end": { "line": 1, "character": 18 } }, "text": "\n" }]),
    );
    let request = |tab_size: u32| {
        json!({
            "textDocument": { "uri": uri },
            "position": { "line": 2, "character": 0 },
            "ch": "\n",
            "options": { "tabSize": tab_size, "insertSpaces": true },
        })
    };
    let edits = client.request_ok("textDocument/onTypeFormatting", request(2));
    let expected = json!([{ "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 0 } }, "newText": "  " }]);
    assert_eq!(edits, expected);

    // A line that does not end with the escape character is not a continuation.
    client.change(
        uri,
        3,
        json!([{ "range": { "start": { "line": 1, "character": 16 }, "end": { "line": 1, "character": 18 } }, "text": "" }]),
    );
    let edits = client.request_ok("textDocument/onTypeFormatting", request(4));
    assert_eq!(edits, json!([]));
    client.shutdown_and_exit();
}
