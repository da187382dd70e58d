//! The rule engine through `gantry lsp`: quick fixes, suppressions, fix-all, hover on rule codes,
//! diagnostic links and tags, and configuration from files on disk and from the editor.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::{LspClient, default_capabilities};

const URI: &str = "untitled:Dockerfile";

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

/// Applies LSP text edits (UTF-16 positions; the fixtures are ASCII) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + character
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, &new_text);
    }
    out
}

fn code_actions(client: &mut LspClient, uri: &str, line: u32, only: Option<&[&str]>) -> Vec<Value> {
    let mut context = json!({ "diagnostics": [] });
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let params = json!({
        "textDocument": { "uri": uri },
        "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 200 } },
        "context": context,
    });
    client.request_ok("textDocument/codeAction", params).as_array().cloned().unwrap_or_default()
}

fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri].as_array().cloned().unwrap_or_else(|| panic!("no edits for {uri}: {action}"))
}

#[test]
fn quick_fixes_suppressions_and_fix_all_round_trip() {
    let mut client = LspClient::start();
    let text = "FROM alpine:3.20 as Builder\nMAINTAINER someone\n";
    client.open(URI, 1, text);
    let before = codes(&client.diagnostics(URI, 1));
    assert!(before.contains(&"StageNameCasing".to_string()), "{before:?}");
    assert!(before.contains(&"FromAsCasing".to_string()), "{before:?}");

    let actions = code_actions(&mut client, URI, 0, None);
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Suppress StageNameCasing for this instruction")), "{titles:?}");
    let fix_all = actions.iter().find(|a| a["kind"] == "source.fixAll.gantry").expect("a fix-all action");
    let fixed = apply(text, &edits_of(fix_all, URI));
    // Every quick fix names the diagnostic it resolves.
    assert!(actions.iter().filter(|a| a["kind"] == "quickfix").all(|a| a["diagnostics"].as_array().is_some()));

    client.change(URI, 2, json!([{ "text": fixed }]));
    let after = client.diagnostics(URI, 2);
    assert!(after.iter().all(|d| d["code"] != "StageNameCasing" && d["code"] != "FromAsCasing"), "{after:?}");

    // Asking only for fix-all returns only that; a second run has nothing to do.
    let only_fix_all = code_actions(&mut client, URI, 0, Some(&["source.fixAll"]));
    assert!(only_fix_all.iter().all(|a| a["kind"] == "source.fixAll.gantry"), "{only_fix_all:?}");
    assert!(only_fix_all.is_empty(), "fixing twice changed something: {only_fix_all:?}");

    // Suppressing a finding through its action silences it.
    let actions = code_actions(&mut client, URI, 1, Some(&["quickfix"]));
    let suppress = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Suppress MaintainerDeprecated for this instruction"))
        .expect("a suppress action");
    let suppressed = apply(&fixed, &edits_of(suppress, URI));
    client.change(URI, 3, json!([{ "text": suppressed }]));
    let after = client.diagnostics(URI, 3);
    assert!(after.iter().all(|d| d["code"] != "MaintainerDeprecated"), "{suppressed}\n{after:?}");
    client.shutdown_and_exit();
}

#[test]
fn hover_on_a_rule_code_shows_its_docs() {
    let mut client = LspClient::start();
    client.open(URI, 1, "FROM alpine:3.20\n# hadolint ignore=JSONArgsRecommended\nCMD echo hi\n");
    client.diagnostics(URI, 1);
    let params = json!({ "textDocument": { "uri": URI }, "position": { "line": 1, "character": 22 } });
    let hover = client.request_ok("textDocument/hover", params);
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.starts_with("**JSONArgsRecommended**"), "{hover}");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert_eq!(hover["range"]["start"], json!({ "line": 1, "character": 18 }));
    client.shutdown_and_exit();
}

#[test]
fn diagnostics_link_to_the_rule_page_and_carry_tags_when_the_client_supports_them() {
    let mut capabilities = default_capabilities();
    capabilities["textDocument"]["publishDiagnostics"] =
        json!({ "codeDescriptionSupport": true, "tagSupport": { "valueSet": [1, 2] } });
    let (mut client, _) = LspClient::start_with(capabilities);
    client.open(URI, 1, "FROM alpine:3.20\nMAINTAINER someone\n");
    let diagnostics = client.diagnostics(URI, 1);
    let maintainer = diagnostics.iter().find(|d| d["code"] == "MaintainerDeprecated").expect("the finding");
    assert!(maintainer["codeDescription"]["href"].as_str().unwrap().ends_with("/docs/rules/MaintainerDeprecated.md"));
    assert_eq!(maintainer["tags"], json!([2]));
    client.shutdown_and_exit();

    let mut client = LspClient::start();
    client.open(URI, 1, "FROM alpine:3.20\nMAINTAINER someone\n");
    let diagnostics = client.diagnostics(URI, 1);
    assert!(diagnostics.iter().all(|d| d.get("codeDescription").is_none() && d.get("tags").is_none()));
    client.shutdown_and_exit();
}

/// A fresh directory for one test.
fn workspace(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lsp_rules").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn start_in(root: &Path, capabilities: Value, options: Value) -> LspClient {
    let mut client = LspClient::spawn();
    let params = json!({
        "processId": std::process::id(),
        "rootUri": file_uri(root),
        "workspaceFolders": [{ "uri": file_uri(root), "name": "ws" }],
        "capabilities": capabilities,
        "initializationOptions": options,
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    client
}

#[test]
fn gantry_toml_on_disk_configures_diagnostics_and_reloads_when_watched_files_change() {
    let root = workspace("gantry_toml");
    fs::create_dir_all(root.join("deploy")).unwrap();
    fs::write(root.join("gantry.toml"), "ignore = [\"StageNameCasing\"]\n").unwrap();
    let dockerfile = root.join("deploy/Dockerfile");
    let text = "FROM alpine:3.20 AS Builder\n";
    fs::write(&dockerfile, text).unwrap();
    let uri = file_uri(&dockerfile);

    let mut client = start_in(&root, default_capabilities(), Value::Null);
    client.open(&uri, 1, text);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), Vec::<String>::new());

    // A mistake in the file is shown on the file, and the rest of the configuration still applies.
    fs::write(root.join("gantry.toml"), "ignore = [\"StageNameCasin\"]\n").unwrap();
    let changes = json!({ "changes": [{ "uri": file_uri(&root.join("gantry.toml")), "type": 2 }] });
    client.notify("workspace/didChangeWatchedFiles", changes.clone());
    let config_uri = file_uri(&root.join("gantry.toml"));
    let problems = client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == config_uri.as_str());
    let message = problems["diagnostics"][0]["message"].as_str().unwrap();
    assert_eq!(message, "unknown rule `StageNameCasin` (did you mean `StageNameCasing`?)");
    assert_eq!(problems["diagnostics"][0]["range"]["start"], json!({ "line": 0, "character": 10 }));
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["StageNameCasing"]);

    // Fixing it clears the file's diagnostics.
    fs::write(root.join("gantry.toml"), "[severity]\nStageNameCasing = \"error\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changes);
    let cleared = client.wait_for_notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == config_uri.as_str() && p["diagnostics"] == json!([])
    });
    assert_eq!(cleared["diagnostics"], json!([]));
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics[0]["severity"], 1, "{diagnostics:?}");
    client.shutdown_and_exit();
}

#[test]
fn editor_settings_come_from_initialization_options_and_workspace_configuration() {
    let root = workspace("settings");
    let dockerfile = root.join("Dockerfile");
    let text = "FROM alpine:3.20 as Builder\n";
    fs::write(&dockerfile, text).unwrap();
    let uri = file_uri(&dockerfile);

    // initializationOptions only (no workspace/configuration support).
    let mut client = start_in(&root, default_capabilities(), json!({ "ignore": ["FromAsCasing"] }));
    client.open(&uri, 1, text);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["StageNameCasing"]);
    client.shutdown_and_exit();

    // workspace/configuration: the server asks once initialized, and again after didChangeConfiguration.
    let mut capabilities = default_capabilities();
    capabilities["workspace"] = json!({ "configuration": true });
    let mut client = LspClient::spawn();
    client.answer("workspace/configuration", json!([{ "ignore": ["StageNameCasing"] }]));
    let params = json!({
        "processId": std::process::id(),
        "workspaceFolders": [{ "uri": file_uri(&root), "name": "ws" }],
        "capabilities": capabilities,
    });
    client.request_ok("initialize", params);
    client.notify("initialized", json!({}));
    let request = client.wait_for("workspace/configuration", |m| m["method"] == "workspace/configuration");
    assert_eq!(request["params"]["items"][0]["section"], "gantry");
    client.open(&uri, 1, text);
    let only = |code: &'static str| {
        move |p: &Value| p["diagnostics"].as_array().is_some_and(|d| d.len() == 1 && d[0]["code"] == code)
    };
    let wanted = only("FromAsCasing");
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri.as_str() && wanted(p));
    client.answer("workspace/configuration", json!([{ "select": ["StageNameCasing"] }]));
    client.notify("workspace/didChangeConfiguration", json!({ "settings": null }));
    let wanted = only("StageNameCasing");
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri.as_str() && wanted(p));
    client.shutdown_and_exit();
}

#[test]
fn exit_is_not_held_back_by_an_unanswered_request_to_the_client() {
    let mut capabilities = default_capabilities();
    capabilities["workspace"] = json!({ "configuration": true });
    let mut client = LspClient::spawn();
    client.never_answer();
    client.request_ok("initialize", json!({ "processId": null, "capabilities": capabilities }));
    // The server asks for its settings; this client never answers it before leaving.
    client.notify("initialized", json!({}));
    client.wait_for("the settings request", |m| m["method"] == "workspace/configuration");
    let shutdown = client.send_request("shutdown", Value::Null);
    client.wait_response(shutdown);
    client.notify("exit", Value::Null);
    assert!(client.wait_exit().success(), "the server did not exit cleanly");
}
