//! End-to-end tests of completion, formatting and semantic tokens through `gantry lsp`: the real
//! binary over stdio, driven by the synchronous client of tests/support.

#[path = "../benches/common/generate.rs"]
#[allow(dead_code)]
mod generate;
mod support;

use serde_json::{Value, json};
use support::{LspClient, default_capabilities, range, units};

const URI: &str = "file:///e2e/ide/Dockerfile";

/// A client that expands snippets and counts UTF-16 units.
fn capabilities() -> Value {
    let mut capabilities = default_capabilities();
    capabilities["textDocument"]["completion"] = json!({ "completionItem": { "snippetSupport": true } });
    capabilities
}

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn completion(client: &mut LspClient, line: u32, character: u32) -> Value {
    client.request_ok(
        "textDocument/completion",
        json!({ "textDocument": { "uri": URI }, "position": position(line, character) }),
    )
}

fn labels(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|i| i["label"].as_str().expect("label").to_string()).collect()
}

/// Applies LSP text edits (non-overlapping, against `text`) the way a client does.
fn apply(text: &str, edits: &Value) -> String {
    let lines: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().expect("line") as usize;
        let start = lines[line];
        let wanted = p["character"].as_u64().expect("character") as usize;
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= wanted || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("edits")
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

#[test]
fn completion_over_lsp() {
    let (mut client, _) = LspClient::start_with(capabilities());
    let text = "FROM golang:1.26 AS build\nRUN --\nFROM scratch\nCOPY --from= /app /app\n";
    client.open(URI, 1, text);
    let flags = completion(&mut client, 1, 6);
    assert!(labels(&flags).contains(&"--mount".to_string()), "{flags}");
    let mount = flags["items"].as_array().unwrap().iter().find(|i| i["label"] == "--mount").unwrap();
    assert_eq!(mount["textEdit"]["range"], range((1, 4), (1, 6)));
    assert_eq!(mount["textEdit"]["newText"], "--mount=");
    let stages = completion(&mut client, 3, 12);
    assert_eq!(labels(&stages), ["build"]);
    // Snippets when the client expands them, plain text otherwise.
    client.change(URI, 2, json!([{ "text": "FROM alpine:3.20\n\n" }]));
    let keywords = completion(&mut client, 1, 0);
    let run = keywords["items"].as_array().unwrap().iter().find(|i| i["label"] == "RUN").unwrap();
    assert_eq!(
        (run["insertTextFormat"].as_u64(), run["textEdit"]["newText"].as_str()),
        (Some(2), Some("RUN ${1:command}"))
    );
    client.shutdown_and_exit();

    let mut plain = LspClient::start();
    plain.open(URI, 1, "FROM alpine:3.20\n\n");
    let keywords = completion(&mut plain, 1, 0);
    let run = keywords["items"].as_array().unwrap().iter().find(|i| i["label"] == "RUN").unwrap();
    assert_eq!((run["insertTextFormat"].as_u64(), run["textEdit"]["newText"].as_str()), (Some(1), Some("RUN ")));
    // Nothing for a document that is not open, and no error.
    let none = plain.request_ok(
        "textDocument/completion",
        json!({ "textDocument": { "uri": "file:///e2e/ide/closed" }, "position": position(0, 0) }),
    );
    assert_eq!(none, Value::Null);
    plain.shutdown_and_exit();
}

#[test]
fn formatting_and_range_formatting_over_lsp() {
    let mut client = LspClient::start();
    let text = "from golang:1.26 as build\nrun   go build \\\n\t-o /app .\ncmd [\"/app\",\"serve\"]\n";
    client.open(URI, 1, text);
    let options = json!({ "tabSize": 2, "insertSpaces": true });
    let edits =
        client.request_ok("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": options }));
    let formatted = apply(text, &edits);
    assert_eq!(formatted, "FROM golang:1.26 AS build\nRUN go build \\\n  -o /app .\nCMD [\"/app\", \"serve\"]\n");
    let aligned = json!({ "tabSize": 4, "insertSpaces": true, "gantry.keepAligned": true });
    let edits = client.request_ok(
        "textDocument/rangeFormatting",
        json!({ "textDocument": { "uri": URI }, "range": range((1, 0), (2, 3)), "options": aligned }),
    );
    assert_eq!(
        apply(text, &edits),
        "from golang:1.26 as build\nRUN go build \\\n\t-o /app .\ncmd [\"/app\",\"serve\"]\n"
    );
    // Formatting the formatted text changes nothing.
    client.change(URI, 2, json!([{ "text": formatted }]));
    let again =
        client.request_ok("textDocument/formatting", json!({ "textDocument": { "uri": URI }, "options": options }));
    assert_eq!(again, json!([]));
    client.shutdown_and_exit();
}

/// Absolute `(line, start, length, type, modifiers)` of the relative encoding.
fn decode(data: &Value) -> Vec<[u64; 5]> {
    let numbers: Vec<u64> = data.as_array().expect("data").iter().map(|n| n.as_u64().expect("a number")).collect();
    assert_eq!(numbers.len() % 5, 0, "data is not a list of 5-tuples");
    let (mut line, mut start) = (0, 0);
    numbers
        .chunks(5)
        .map(|t| {
            line += t[0];
            start = if t[0] == 0 { start + t[1] } else { t[1] };
            [line, start, t[2], t[3], t[4]]
        })
        .collect()
}

/// Every token lies inside its line, none overlaps the one before, every index is in the legend.
fn assert_tokens_valid(text: &str, tokens: &[[u64; 5]], legend: &Value) {
    let lines: Vec<&str> = text.split('\n').collect();
    let types = legend["tokenTypes"].as_array().unwrap().len() as u64;
    let modifiers = legend["tokenModifiers"].as_array().unwrap().len() as u32;
    let mut previous_end = (0, 0);
    for &[line, start, length, kind, bits] in tokens {
        let content = lines.get(line as usize).unwrap_or_else(|| panic!("token on line {line}, past the end"));
        assert!(length > 0, "empty token on line {line}");
        assert!(start + length <= u64::from(units(content.trim_end_matches('\r'), "utf-16")), "token past line {line}");
        assert!((line, start) >= previous_end, "overlapping tokens at line {line}");
        assert!(kind < types && bits < 1 << modifiers, "index outside the legend at line {line}");
        previous_end = (line, start + length);
    }
}

#[test]
fn semantic_tokens_full_range_and_delta_over_lsp() {
    let (mut client, initialized) = LspClient::start_with(capabilities());
    let legend = initialized["capabilities"]["semanticTokensProvider"]["legend"].clone();
    let text = generate::generate_dockerfile(5000);
    client.open(URI, 1, &text);
    let full = client.request_ok("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": URI } }));
    let tokens = decode(&full["data"]);
    assert!(tokens.len() > 5000, "{} tokens", tokens.len());
    assert_tokens_valid(&text, &tokens, &legend);

    let ranged = client.request_ok(
        "textDocument/semanticTokens/range",
        json!({ "textDocument": { "uri": URI }, "range": range((100, 0), (200, 0)) }),
    );
    let expected: Vec<_> = tokens.iter().filter(|t| (100..200).contains(&t[0])).copied().collect();
    assert_eq!(decode(&ranged["data"]), expected);

    // Edit a line in the middle: the delta applied to the previous tokens gives the new full result.
    let line = text.lines().position(|l| l.starts_with("WORKDIR ")).expect("a WORKDIR line") as u32;
    client.change(URI, 2, json!([{ "range": range((line, 0), (line, 7)), "text": "workdir" }]));
    client.change(URI, 3, json!([{ "range": range((line + 1, 0), (line + 1, 0)), "text": "ARG EXTRA=1\n" }]));
    let delta = client.request_ok(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": URI }, "previousResultId": full["resultId"] }),
    );
    let edits = delta["edits"].as_array().expect("a delta, not a full result");
    let mut numbers: Vec<Value> = full["data"].as_array().unwrap().clone();
    for edit in edits.iter().rev() {
        let start = edit["start"].as_u64().unwrap() as usize;
        let end = start + edit["deleteCount"].as_u64().unwrap() as usize;
        numbers.splice(start..end, edit["data"].as_array().cloned().unwrap_or_default());
    }
    let fresh = client.request_ok("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": URI } }));
    assert_eq!(Value::Array(numbers), fresh["data"]);
    assert!(edits.iter().map(|e| e["data"].as_array().map_or(0, Vec::len)).sum::<usize>() < 100, "{delta}");

    // An unknown id gets the whole result.
    let unknown = client.request_ok(
        "textDocument/semanticTokens/full/delta",
        json!({ "textDocument": { "uri": URI }, "previousResultId": "no-such-id" }),
    );
    assert_eq!(unknown["data"], fresh["data"]);
    client.shutdown_and_exit();
}

#[test]
fn semantic_tokens_count_utf16_units() {
    let mut client = LspClient::start();
    let text = "FROM alpine:3.20\nLABEL title=\"héllo 😀 wörld\" x=1\n";
    client.open(URI, 1, text);
    let full = client.request_ok("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": URI } }));
    let tokens = decode(&full["data"]);
    let string = tokens.iter().find(|t| t[0] == 1 && t[1] == 12).expect("the label value");
    assert_eq!(string[2], u64::from(units("\"héllo 😀 wörld\"", "utf-16")));
    let x = tokens.iter().find(|t| t[0] == 1 && t[2] == 1).expect("the key x");
    assert_eq!(x[1], u64::from(units("LABEL title=\"héllo 😀 wörld\" ", "utf-16")));
    client.shutdown_and_exit();
}
