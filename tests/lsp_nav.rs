//! End-to-end tests of the navigation features through `gantry lsp`: definition of a variable,
//! references, highlights, rename, document links, selection ranges and workspace symbols.

mod support;

use serde_json::{Value, json};
use support::{LspClient, range};

/// The fixture project: a Dockerfile next to the go.mod it copies.
fn project() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nav/project")
}

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

fn ranges(locations: &Value) -> Vec<Value> {
    locations.as_array().expect("an array").iter().map(|l| l["range"].clone()).collect()
}

#[test]
fn navigation_over_lsp() {
    let path = project().join("Dockerfile");
    let text = std::fs::read_to_string(&path).expect("fixture Dockerfile");
    let uri = uri_of(&path);
    let mut client = LspClient::start();
    client.open(&uri, 1, &text);

    // `$GO_VERSION` in RUN goes to the stage's `ARG GO_VERSION`.
    let definition = client.definition(&uri, 4, 12);
    assert_eq!(definition["range"], range((2, 4), (2, 14)), "{definition}");

    // References of the stage, with and without its declaration.
    let mut params = at(&uri, 6, 14);
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.request_ok("textDocument/references", params.clone());
    assert_eq!(ranges(&references), [range((1, 29), (1, 34)), range((6, 12), (6, 17))]);
    params["context"] = json!({ "includeDeclaration": false });
    let references = client.request_ok("textDocument/references", params);
    assert_eq!(ranges(&references), [range((6, 12), (6, 17))]);

    // Highlights of the variable: declarations are writes (3), uses are reads (2).
    let highlights = client.request_ok("textDocument/documentHighlight", at(&uri, 0, 6));
    let kinds: Vec<(Value, i64)> = highlights
        .as_array()
        .expect("highlights")
        .iter()
        .map(|h| (h["range"].clone(), h["kind"].as_i64().unwrap_or_default()))
        .collect();
    assert_eq!(
        kinds,
        [
            (range((0, 4), (0, 14)), 3),
            (range((1, 14), (1, 24)), 2),
            (range((2, 4), (2, 14)), 3),
            (range((4, 10), (4, 20)), 2)
        ]
    );

    // Rename: prepare gives the name; the edit covers every occurrence; bad names are refused.
    let prepared = client.request_ok("textDocument/prepareRename", at(&uri, 6, 14));
    assert_eq!(prepared, json!({ "range": range((6, 12), (6, 17)), "placeholder": "build" }));
    let mut params = at(&uri, 6, 14);
    params["newName"] = json!("compile");
    let edit = client.request_ok("textDocument/rename", params.clone());
    let edits = edit["changes"][&uri].as_array().expect("edits for the document");
    assert_eq!(edits.len(), 2, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "compile"));
    params["newName"] = json!("runtime");
    let refused = client.request("textDocument/rename", params);
    assert_eq!(refused["error"]["code"], -32803, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap_or_default().contains("already exists"), "{refused}");
    assert!(client.request("textDocument/prepareRename", at(&uri, 3, 1)).get("error").is_some());

    // Links: the images' pages and the go.mod of the build context.
    let links = client.request_ok("textDocument/documentLink", json!({ "textDocument": { "uri": uri } }));
    let targets: Vec<&str> = links.as_array().expect("links").iter().filter_map(|l| l["target"].as_str()).collect();
    assert_eq!(
        targets,
        [
            "https://hub.docker.com/_/golang",
            uri_of(&project().join("go.mod")).as_str(),
            "https://github.com/GoogleContainerTools/distroless"
        ]
    );

    // Selection ranges: word, arguments, instruction, stage, file.
    let selection = client.request_ok(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri }, "positions": [{ "line": 3, "character": 7 }] }),
    );
    let mut depth = 0;
    let mut current = &selection[0];
    let mut chain = Vec::new();
    while !current.is_null() && depth < 10 {
        chain.push(current["range"].clone());
        current = &current["parent"];
        depth += 1;
    }
    assert_eq!(chain[0], range((3, 5), (3, 11)));
    assert_eq!(chain[1], range((3, 5), (3, 14)));
    assert_eq!(chain[2], range((3, 0), (3, 14)));
    assert_eq!(chain.len(), 5, "{selection}");

    // Signature help: the synopsis of COPY with the source parameter active.
    let help = client.request_ok("textDocument/signatureHelp", at(&uri, 3, 7));
    let label = help["signatures"][0]["label"].as_str().unwrap_or_default();
    let active = help["activeParameter"].as_u64().unwrap_or(u64::MAX) as usize;
    let offsets = &help["signatures"][0]["parameters"][active]["label"];
    let (start, end) = (offsets[0].as_u64().unwrap_or(0) as usize, offsets[1].as_u64().unwrap_or(0) as usize);
    assert_eq!(label.get(start..end), Some("<src>..."), "{help}");

    // Workspace symbols: the stages of the open Dockerfiles matching the query.
    client.open("file:///e2e/nav/other/Dockerfile", 1, "FROM node AS web-build\n");
    let symbols = client.request_ok("workspace/symbol", json!({ "query": "build" }));
    let names: Vec<&str> = symbols.as_array().expect("symbols").iter().filter_map(|s| s["name"].as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["build", "web-build"]);
    client.shutdown_and_exit();
}
