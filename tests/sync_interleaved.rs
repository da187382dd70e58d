//! No lost text through the real server: random edits (single, batched, whole-document) with
//! every feature's requests interleaved, pipelined without waiting for the answers, as a busy
//! editor sends them. The server runs handlers concurrently, so a request that read the document
//! while a change was half applied, or a change applied out of order, would show here.
//!
//! After every few edits the server's copy is compared with the client's: the outermost
//! selection range must end exactly where the client's text ends, and a fresh document opened
//! with the client's text must get the same answers (semantic tokens, symbols, folds, formatting
//! edits, diagnostics) as the edited one. The client's text is kept by a plain `String` with its
//! own position conversion, independent of the server's rope; one session negotiates UTF-16
//! positions, the other UTF-8.

#![allow(clippy::print_stderr, reason = "the tests report the times, memory and counts they measure")]

mod bounded;
mod support;

use serde_json::{Value, json};
use support::{LspClient, default_capabilities, utf8_capabilities};

const START: &str = "# syntax=docker/dockerfile:1\nARG GO_VERSION=1.23\n\
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build\nWORKDIR /src\n\
COPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download\nCOPY . .\n\
RUN <<EOF\nset -e\ngo build -o /out/app ./cmd/app\nEOF\n# 中文 comment with emoji 😀\n\
FROM gcr.io/distroless/static-debian12:nonroot\r\nCOPY --from=build /out/app /app\r\n\
ENV A=1 B=\"two words\"\nEXPOSE 8080/tcp\nENTRYPOINT [\"/app\"]\n";

const FRAGMENTS: &[&str] = &[
    "a",
    "RUN ",
    "FROM x AS y\n",
    "\n",
    "\r\n",
    " ",
    "\\\n",
    "é",
    "中文",
    "😀",
    "$",
    "${A:-b}",
    "\"",
    "'",
    "#",
    "# c\n",
    "<<EOF\n",
    "EOF\n",
    "--mount=type=cache,target=/x ",
    "[\"a\", \"b\"]",
    "COPY ",
    "=",
    "\t",
    "ENV K=v\n",
    "apt-get install -y curl ",
    "go build -o /app ./cmd/app ",
    "FROM golang:1.22 AS b\n",
    "",
];

thread_local! {
    /// This test's session negotiated UTF-8 positions (each test runs on a thread of its own).
    static UTF8_POSITIONS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A position in UTF-16 code units (UTF-8 bytes when negotiated), counting `\n`, `\r\n` and a
/// lone `\r` as line breaks.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let rest = &before[line_start..];
    let character = if UTF8_POSITIONS.get() { rest.len() } else { rest.encode_utf16().count() };
    json!({ "line": line, "character": character })
}

/// A character boundary that does not split a `\r\n` pair.
fn boundary(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    while !text.is_char_boundary(offset)
        || (offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n'))
    {
        offset -= 1;
    }
    offset
}

/// One random change against `text`: the LSP event and the text after it.
fn random_change(rng: &mut fastrand::Rng, text: &str) -> (Value, String) {
    let start = boundary(text, rng.usize(..=text.len()));
    let max_delete = if text.len() > 3_000 { 400 } else { 12 };
    let end = boundary(text, (start + rng.usize(..=max_delete)).min(text.len())).max(start);
    let inserted: String = (0..rng.usize(..3)).map(|_| FRAGMENTS[rng.usize(..FRAGMENTS.len())]).collect();
    let change = json!({
        "range": { "start": position(text, start), "end": position(text, end) },
        "text": inserted,
    });
    let mut next = text.to_string();
    next.replace_range(start..end, &inserted);
    (change, next)
}

/// A request about `uri` at a random place of `text` (the client's current text).
fn random_request(
    rng: &mut fastrand::Rng,
    uri: &str,
    text: &str,
    previous_tokens: Option<&str>,
) -> (&'static str, Value) {
    let document = json!({ "uri": uri });
    let a = boundary(text, rng.usize(..=text.len()));
    let b = boundary(text, rng.usize(..=text.len()));
    let (start, end) = (a.min(b), a.max(b));
    let at = json!({ "textDocument": document, "position": position(text, a) });
    let range = json!({ "start": position(text, start), "end": position(text, end) });
    let options = json!({ "tabSize": 4, "insertSpaces": true });
    match rng.usize(..18) {
        0 => ("textDocument/hover", at),
        1 => ("textDocument/completion", at),
        2 => ("textDocument/semanticTokens/full", json!({ "textDocument": document })),
        3 => match previous_tokens {
            Some(id) => {
                ("textDocument/semanticTokens/full/delta", json!({ "textDocument": document, "previousResultId": id }))
            }
            None => ("textDocument/semanticTokens/range", json!({ "textDocument": document, "range": range })),
        },
        4 => ("textDocument/formatting", json!({ "textDocument": document, "options": options })),
        5 => ("textDocument/rangeFormatting", json!({ "textDocument": document, "range": range, "options": options })),
        6 => (
            "textDocument/codeAction",
            json!({ "textDocument": document, "range": range, "context": { "diagnostics": [] } }),
        ),
        7 => ("textDocument/documentSymbol", json!({ "textDocument": document })),
        8 => ("textDocument/foldingRange", json!({ "textDocument": document })),
        9 => ("textDocument/selectionRange", json!({ "textDocument": document, "positions": [position(text, a)] })),
        10 => ("textDocument/documentHighlight", at),
        11 => ("textDocument/inlayHint", json!({ "textDocument": document, "range": range })),
        12 => ("textDocument/signatureHelp", at),
        13 => ("textDocument/definition", at),
        14 => (
            "textDocument/references",
            json!({ "textDocument": document, "position": position(text, a), "context": { "includeDeclaration": true } }),
        ),
        15 => (
            "textDocument/onTypeFormatting",
            json!({ "textDocument": document, "position": position(text, a), "ch": "\n", "options": options }),
        ),
        16 => ("textDocument/documentLink", json!({ "textDocument": document })),
        _ => ("textDocument/prepareRename", at),
    }
}

/// Whether an error response is a legitimate answer (a refused rename), not a failure.
fn acceptable_error(response: &Value) -> bool {
    response["error"]["code"] == -32803
}

/// The answers that depend on every byte of a document.
fn observations(client: &mut LspClient, uri: &str) -> Vec<Value> {
    let document = json!({ "uri": uri });
    let mut seen = Vec::new();
    for (method, params) in [
        ("textDocument/semanticTokens/full", json!({ "textDocument": document })),
        ("textDocument/documentSymbol", json!({ "textDocument": document })),
        ("textDocument/foldingRange", json!({ "textDocument": document })),
        (
            "textDocument/formatting",
            json!({ "textDocument": document, "options": { "tabSize": 4, "insertSpaces": true } }),
        ),
        ("textDocument/documentLink", json!({ "textDocument": document })),
    ] {
        let mut result = client.request_ok(method, params);
        if let Some(object) = result.as_object_mut() {
            object.remove("resultId");
        }
        seen.push(json!({ method: result }));
    }
    seen
}

/// The server's copy of `uri` equals `text`: exact end position, and the same answers as a
/// fresh document holding `text`.
fn assert_same_text(client: &mut LspClient, uri: &str, version: i32, text: &str, fresh_uri: &str, step: usize) {
    let whole = client.request_ok(
        "textDocument/selectionRange",
        json!({ "textDocument": { "uri": uri }, "positions": [{ "line": 0, "character": 0 }] }),
    );
    let mut outermost = &whole[0];
    while outermost.get("parent").is_some_and(|p| !p.is_null()) {
        outermost = &outermost["parent"];
    }
    assert_eq!(outermost["range"]["end"], position(text, text.len()), "the server's text ends elsewhere (step {step})");

    // Related places in the document itself name its URI: compare with the URI left out.
    let anonymous = |value: Vec<Value>, uri: &str| json!(value).to_string().replace(uri, "<document>");
    let edited_diagnostics = anonymous(client.diagnostics(uri, version), uri);
    client.open(fresh_uri, 1, text);
    let fresh_diagnostics = anonymous(client.diagnostics(fresh_uri, 1), fresh_uri);
    assert_eq!(edited_diagnostics, fresh_diagnostics, "diagnostics differ (step {step}) for {text:?}");
    let edited = anonymous(observations(client, uri), uri);
    let fresh = anonymous(observations(client, fresh_uri), fresh_uri);
    assert_eq!(edited, fresh, "answers differ from a fresh open (step {step}) for {text:?}");
    client.close(fresh_uri);
}

fn run(seed: u64, steps: usize, utf8: bool) {
    UTF8_POSITIONS.set(utf8);
    let dir = bounded::Scratch::new("sync_interleaved", &format!("seed-{seed:x}"));
    let path = dir.write("Dockerfile", START);
    let uri = format!("file://{}", path.display());
    let mut client = LspClient::spawn();
    client.request_ok(
        "initialize",
        json!({
            "processId": std::process::id(),
            "workspaceFolders": [{ "uri": format!("file://{}", dir.0.display()), "name": "sync" }],
            "capabilities": if utf8 { utf8_capabilities() } else { default_capabilities() },
        }),
    );
    client.notify("initialized", json!({}));
    client.open(&uri, 1, START);

    let mut rng = fastrand::Rng::with_seed(seed);
    let mut text = START.to_string();
    let mut version = 1;
    let mut pending: Vec<(i64, &'static str)> = Vec::new();
    let mut tokens_id: Option<String> = None;
    let mut requests = 0;
    for step in 1..=steps {
        let mut changes = Vec::new();
        if rng.usize(..100) == 0 {
            text = format!("{text}\nFROM scratch\n");
            changes.push(json!({ "text": text }));
        }
        for _ in 0..if rng.usize(..8) == 0 { rng.usize(2..5) } else { 1 } {
            let (change, next) = random_change(&mut rng, &text);
            changes.push(change);
            text = next;
        }
        version += 1;
        client.change(&uri, version, Value::Array(changes));
        for _ in 0..rng.usize(..4) {
            let (method, params) = random_request(&mut rng, &uri, &text, tokens_id.as_deref());
            pending.push((client.send_request(method, params), method));
            requests += 1;
        }
        if step % 25 == 0 || step == steps {
            for (id, method) in pending.drain(..) {
                let response = client.wait_response(id);
                assert!(
                    response.get("error").is_none() || acceptable_error(&response),
                    "{method} failed at step {step}: {response}"
                );
                if method.starts_with("textDocument/semanticTokens/full") {
                    tokens_id = response["result"]["resultId"].as_str().map(str::to_string).or(tokens_id);
                }
            }
            // A new name each time: a late publication for an earlier fresh copy cannot match.
            let fresh_uri = format!("file://{}", dir.path(&format!("fresh-{step}.Dockerfile")).display());
            assert_same_text(&mut client, &uri, version, &text, &fresh_uri, step);
        }
    }
    eprintln!("seed {seed:#x}: {steps} edit notifications, {requests} interleaved requests");
    client.shutdown_and_exit();
}

#[test]
fn the_server_keeps_the_clients_text_with_every_feature_interleaved() {
    run(0x1a7e_41ea, 600, false);
}

#[test]
fn the_server_keeps_the_clients_text_with_utf8_positions() {
    run(0x0005_eed2, 400, true);
}
