//! "Convert to multi-stage build" through `gantry lsp`: a single-stage Dockerfile of a Go workspace
//! on disk gets `refactor.rewrite` actions; applying the one edit gives a file that parses and on
//! which the server then publishes no warning or error. The preview carries a change annotation
//! when the client supports them, and plain `changes` otherwise.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{LspClient, default_capabilities, range};

/// A copy of a conversion fixture in the test's temporary directory.
fn workspace(name: &str, fixture: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp_convert").join(name);
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert").join(fixture), &dir);
    dir.canonicalize().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn start(root: &Path, capabilities: Value) -> LspClient {
    let mut client = LspClient::spawn();
    let params = json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "uri": file_uri(root), "name": "convert" }],
        "capabilities": capabilities,
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    client
}

fn rewrite_actions(client: &mut LspClient, uri: &str, line: u32) -> Vec<Value> {
    let params = json!({
        "textDocument": { "uri": uri },
        "range": range((line, 0), (line, 0)),
        "context": { "diagnostics": [], "only": ["refactor.rewrite"] },
    });
    let actions = client.request_ok("textDocument/codeAction", params);
    actions.as_array().cloned().unwrap_or_default()
}

/// Asks for the conversions until the package index is complete (the distroless conversion then
/// copies `configs/`, which the program reads).
fn conversions_when_indexed(client: &mut LspClient, uri: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let actions = rewrite_actions(client, uri, 3);
        if actions.iter().any(|a| a.to_string().contains("COPY configs/")) || Instant::now() > deadline {
            return actions;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Applies one edit given in UTF-16 positions (the default encoding) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |position: &Value| -> usize {
        let (line, character) = (position["line"].as_u64().unwrap() as usize, position["character"].as_u64().unwrap());
        let mut start = 0;
        for _ in 0..line {
            start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
        }
        let mut units = 0;
        let mut at = start;
        for c in text[start..].chars() {
            if units >= character || c == '\n' {
                break;
            }
            units += c.len_utf16() as u64;
            at += c.len_utf8();
        }
        at
    };
    let (start, end) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
    format!("{}{}{}", &text[..start], edit["newText"].as_str().unwrap(), &text[end..])
}

fn problems(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics.iter().filter(|d| d["severity"].as_u64().is_some_and(|s| s <= 2)).collect()
}

#[test]
fn conversion_with_change_annotations_applies_cleanly() {
    let root = workspace("annotated", "runtime-config");
    let path = root.join("Dockerfile");
    let text = fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let mut capabilities = default_capabilities();
    capabilities["workspace"] =
        json!({ "workspaceEdit": { "documentChanges": true, "changeAnnotationSupport": { "groupsOnLabel": true } } });
    let mut client = start(&root, capabilities);
    client.open(&uri, 1, &text);
    // The single-stage file ships the toolchain: the server says so.
    assert!(!problems(&client.diagnostics(&uri, 1)).is_empty());

    let actions = conversions_when_indexed(&mut client, &uri);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles, ["Convert to multi-stage build (distroless)", "Convert to multi-stage build (scratch)"]);
    let action = &actions[0];
    assert_eq!(action["kind"], "refactor.rewrite");
    let document_edit = &action["edit"]["documentChanges"][0];
    assert_eq!(document_edit["textDocument"], json!({ "uri": uri, "version": 1 }));
    let edits = document_edit["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "one edit the user can undo at once");
    let id = edits[0]["annotationId"].as_str().unwrap();
    let annotation = &action["edit"]["changeAnnotations"][id];
    assert_eq!(annotation["label"], "Convert to multi-stage build (distroless)");
    assert_eq!(annotation["needsConfirmation"], false);
    let description = annotation["description"].as_str().unwrap();
    assert!(description.contains("curl"), "the missing health check tool is described: {description}");
    assert!(action["edit"].get("changes").is_none_or(Value::is_null));

    let converted = apply(&text, &edits[0]);
    assert!(converted.contains("COPY configs/ /srv/shop/configs/"), "{converted}");
    assert!(converted.contains("FROM gcr.io/distroless/static-debian12:nonroot"), "{converted}");
    client.change(&uri, 2, json!([{ "text": converted }]));
    let after = client.diagnostics(&uri, 2);
    assert!(problems(&after).is_empty(), "{after:?}\n{converted}");
    // Converted files are multi-stage: no conversion is offered any more.
    assert!(rewrite_actions(&mut client, &uri, 0).is_empty());
    client.shutdown_and_exit();
}

#[test]
fn conversion_without_annotation_support_uses_plain_changes() {
    let root = workspace("plain", "go-run-main");
    let path = root.join("Dockerfile");
    let text = fs::read_to_string(&path).unwrap();
    let uri = file_uri(&path);
    let mut client = start(&root, default_capabilities());
    client.open(&uri, 1, &text);
    client.diagnostics(&uri, 1);
    // Every line of the file offers it, the comment above FROM included.
    for line in [0, 1, 14] {
        let actions = rewrite_actions(&mut client, &uri, line);
        assert_eq!(actions.len(), 2, "line {line}: {actions:?}");
    }
    let actions = rewrite_actions(&mut client, &uri, 5);
    let scratch = actions.iter().find(|a| a["title"] == "Convert to multi-stage build (scratch)").unwrap();
    assert!(scratch["edit"].get("documentChanges").is_none_or(Value::is_null));
    let edits = scratch["edit"]["changes"][uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let converted = apply(&text, &edits[0]);
    assert!(converted.contains("FROM scratch") && converted.contains("# Start the service."), "{converted}");
    client.change(&uri, 2, json!([{ "text": converted }]));
    let after = client.diagnostics(&uri, 2);
    assert!(problems(&after).is_empty(), "{after:?}\n{converted}");

    // Quick fixes only: the rewrite is not listed.
    let params = json!({
        "textDocument": { "uri": uri },
        "range": range((0, 0), (0, 0)),
        "context": { "diagnostics": [], "only": ["quickfix"] },
    });
    let quick = client.request_ok("textDocument/codeAction", params);
    assert!(!quick.to_string().contains("refactor.rewrite"), "{quick}");
    client.shutdown_and_exit();
}
