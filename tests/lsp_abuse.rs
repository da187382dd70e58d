//! Protocol abuse through the real binary: each case gets the answer the specification asks for
//! (or is logged and ignored), and a follow-up request proves that the server keeps serving.
//!
//! The transport's limits and policies are described in the README ("Protocol robustness").

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{LspClient, code, frame, range, units};

const URI: &str = "file:///abuse/Dockerfile";
const TEXT: &str = "FROM golang:1.23 AS build\nCOPPY . .\n";
/// The transport's documented limit on one message body.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;
/// LSP's RequestCancelled.
const REQUEST_CANCELLED: i64 = -32800;

/// A server with `TEXT` open, its first diagnostics received.
fn serving_client() -> LspClient {
    let mut client = LspClient::start();
    client.open(URI, 1, TEXT);
    client.diagnostics(URI, 1);
    client
}

/// The follow-up request of every case: the outline of `URI` still comes back.
fn assert_still_serving(client: &mut LspClient) {
    let symbols = client.document_symbols(URI);
    assert!(symbols.as_array().is_some_and(|s| !s.is_empty()), "{symbols}");
}

fn symbols_params(uri: &str) -> Value {
    json!({ "textDocument": { "uri": uri } })
}

/// Waits for the next error response without an id (the answer to an unreadable message).
fn wait_null_id_error(client: &mut LspClient, what: &str) -> i64 {
    let error = client.wait_for(what, |m| m.get("method").is_none() && m["id"].is_null() && m.get("error").is_some());
    error["error"]["code"].as_i64().unwrap_or_else(|| panic!("{what}: {error}"))
}

/// Asserts that the server's copy of `uri` holds `expected`: a fresh document opened with that
/// text gets the same outline, semantic tokens and folds, and `uri`'s diagnostics for `version`
/// are those of the fresh document.
fn assert_text(client: &mut LspClient, uri: &str, version: i32, expected: &str) {
    let fresh = "file:///abuse/fresh/Dockerfile";
    client.open(fresh, 1, expected);
    let expected_diagnostics = client.diagnostics(fresh, 1);
    assert_eq!(client.published_diagnostics(uri, version), expected_diagnostics, "diagnostics of {uri} v{version}");
    for method in ["textDocument/documentSymbol", "textDocument/semanticTokens/full", "textDocument/foldingRange"] {
        let mut actual = client.request_ok(method, symbols_params(uri));
        let mut wanted = client.request_ok(method, symbols_params(fresh));
        // Result ids of semantic tokens differ by design.
        for result in [&mut actual, &mut wanted] {
            if let Some(object) = result.as_object_mut() {
                object.remove("resultId");
            }
        }
        assert_eq!(actual, wanted, "{method} of {uri}");
    }
    client.close(fresh);
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == fresh && p["version"].is_null());
}

/// The peak resident set of a process, in MiB (from `/proc`; `None` elsewhere).
fn peak_resident_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[allow(clippy::print_stderr)] // The figures are the point of these measurements.
fn report(what: &str) {
    eprintln!("measured: {what}");
}

// Malformed JSON and wrong lengths

#[test]
fn malformed_json_gets_a_parse_error_and_the_server_keeps_serving() {
    let mut client = serving_client();
    for body in [&b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":"[..], b"[1, 2", b"\"\xff\xfe\"", b"", b"  "] {
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body);
        client.write_raw(&bytes).expect("write");
        let case = String::from_utf8_lossy(body).into_owned();
        assert_eq!(wait_null_id_error(&mut client, &case), code::PARSE_ERROR, "{case:?}");
        assert_still_serving(&mut client);
    }
    // JSON that is not a JSON-RPC message: Invalid Request, with its id when it has a usable one.
    let cases = [
        (json!({ "id": 41, "method": 12 }), json!(41)),
        (json!({ "jsonrpc": "1.0", "id": "x", "method": "shutdown" }), json!("x")),
        (json!([{ "jsonrpc": "2.0", "id": 42, "method": "shutdown" }]), Value::Null),
        (json!({ "hello": "world" }), Value::Null),
    ];
    for (message, id) in cases {
        client.send(&message);
        let error = client.wait_for("the invalid request's answer", |m| m.get("error").is_some() && m["id"] == id);
        assert_eq!(error["error"]["code"], code::INVALID_REQUEST, "{message}: {error}");
        assert_still_serving(&mut client);
    }
    client.shutdown_and_exit();
    assert!(!client.stderr().contains("failed to decode"), "{}", client.stderr());
}

#[test]
fn wrong_content_lengths_are_reported_and_the_stream_resynchronised() {
    let request = |id: i64| {
        json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
        "params": symbols_params(URI) })
    };
    let body = request(10).to_string();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("too small", [format!("Content-Length: {}\r\n\r\n", body.len() - 7).as_bytes(), body.as_bytes()].concat()),
        // Longer than the body: the declared length reaches into the next frame.
        ("too large", [format!("Content-Length: {}\r\n\r\n", body.len() + 25).as_bytes(), body.as_bytes()].concat()),
        ("missing", [b"Content-Type: application/vscode-jsonrpc\r\n\r\n", body.as_bytes()].concat()),
        ("not a number", [b"Content-Length: 0x40\r\n\r\n", body.as_bytes()].concat()),
        ("beyond usize", [b"Content-Length: 99999999999999999999999\r\n\r\n", body.as_bytes()].concat()),
    ];
    for (case, bytes) in cases {
        let mut client = serving_client();
        client.write_raw(&bytes).expect("write");
        // Two frames follow: the first may be consumed by the resynchronisation, the second is served.
        client.send(&request(11));
        client.send(&request(12));
        assert_eq!(wait_null_id_error(&mut client, case), code::PARSE_ERROR, "{case}");
        let response = client.wait_response(12);
        assert_eq!(response["result"][0]["name"], "build", "{case}: {response}");
        assert_still_serving(&mut client);
        client.shutdown_and_exit();
        // The bad frame itself is never served as a request.
        assert!(client.history().iter().all(|m| m["id"] != 10), "{case}: {:?}", client.history());
    }
}

// Huge messages

#[test]
fn a_message_over_the_limit_is_skipped_without_being_kept_and_a_request_is_answered() {
    let mut client = serving_client();
    let head = r#"{"jsonrpc":"2.0","id":7,"method":"workspace/symbol","params":{"query":""#;
    let tail = r#""}}"#;
    let length = MAX_MESSAGE_BYTES + 1;
    let mut bytes = format!("Content-Length: {length}\r\n\r\n{head}").into_bytes();
    bytes.resize(bytes.len() + length - head.len() - tail.len(), b'a');
    bytes.extend_from_slice(tail.as_bytes());
    let started = Instant::now();
    client.write_raw(&bytes).expect("write");
    drop(bytes);
    let response = client.wait_response(7);
    assert_eq!(response["error"]["code"], code::INVALID_REQUEST, "{response}");
    assert!(response["error"]["message"].as_str().is_some_and(|m| m.contains("limit")), "{response}");
    let elapsed = started.elapsed();
    assert_still_serving(&mut client);
    if let Some(peak) = peak_resident_mib(client.pid()) {
        report(&format!("a {length}-byte request skipped in {elapsed:?}; server peak resident {peak:.1} MiB"));
        // Kept, the body alone would take 64 MiB.
        assert!(peak < 60.0, "peak resident {peak:.1} MiB: the oversized body was kept");
    }

    // An oversized notification is dropped: this document is never opened.
    let other = "file:///abuse/huge/Dockerfile";
    let open = json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": { "textDocument": {
        "uri": other, "languageId": "dockerfile", "version": 1, "text": "#".repeat(MAX_MESSAGE_BYTES) } } });
    client.send(&open);
    assert_eq!(client.request_ok("textDocument/documentSymbol", symbols_params(other)), Value::Null);
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
    assert!(client.stderr().contains("the limit is"), "{}", client.stderr());
}

#[test]
fn a_large_message_under_the_limit_is_served() {
    let mut client = serving_client();
    // 20 MiB of parameters to a notification nobody handles, then a 2 MiB document.
    client.notify("gantry/noSuchNotification", json!({ "blob": "x".repeat(20 * 1024 * 1024) }));
    assert_still_serving(&mut client);
    let big = "file:///abuse/big/Dockerfile";
    let text = "FROM alpine:3.20\n".to_string() + &"# filler comment line\n".repeat(100_000);
    client.open(big, 1, &text);
    client.diagnostics(big, 1);
    let symbols = client.document_symbols(big);
    assert_eq!(symbols[0]["name"], "alpine:3.20", "{symbols}");
    client.shutdown_and_exit();
}

// Lifecycle

#[test]
fn requests_before_initialize_get_server_not_initialized() {
    let mut client = LspClient::spawn();
    for method in ["textDocument/documentSymbol", "shutdown", "gantry/noSuchMethod", "$/gantry/noSuchRequest"] {
        assert_eq!(client.request_err(method, symbols_params(URI)), code::SERVER_NOT_INITIALIZED, "{method}");
    }
    // Notifications are dropped: this didOpen is forgotten.
    client.open(URI, 1, TEXT);
    client.notify("$/cancelRequest", json!({ "id": 1 }));
    client.initialize(support::default_capabilities());
    assert_eq!(client.request_ok("textDocument/documentSymbol", symbols_params(URI)), Value::Null);
    client.open(URI, 1, TEXT);
    client.diagnostics(URI, 1);
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
}

#[test]
fn a_failed_initialize_can_be_sent_again() {
    let mut client = LspClient::spawn();
    // `capabilities` is required: Invalid params, and the server is still uninitialized.
    assert_eq!(client.request_err("initialize", json!({ "processId": null })), code::INVALID_PARAMS);
    assert_eq!(client.request_err("textDocument/documentSymbol", symbols_params(URI)), code::SERVER_NOT_INITIALIZED);
    client.initialize(support::default_capabilities());
    client.open(URI, 1, TEXT);
    client.diagnostics(URI, 1);
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
}

#[test]
fn requests_after_shutdown_get_invalid_request_and_exit_ends_with_status_0() {
    let mut client = serving_client();
    assert_eq!(client.request_ok("shutdown", Value::Null), Value::Null);
    let methods =
        ["textDocument/documentSymbol", "shutdown", "initialize", "gantry/noSuchMethod", "$/gantry/noSuchRequest"];
    for method in methods {
        assert_eq!(client.request_err(method, json!({ "capabilities": {} })), code::INVALID_REQUEST, "{method}");
    }
    // Notifications other than `exit` are ignored; the server still answers (with errors).
    client.change(URI, 2, json!([{ "text": "FROM alpine\n" }]));
    assert_eq!(client.request_err("textDocument/documentSymbol", symbols_params(URI)), code::INVALID_REQUEST);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0), "stderr:\n{}", client.stderr());
    assert!(client.notifications("textDocument/publishDiagnostics").iter().all(|n| n["params"]["version"] != 2));
}

// Versions and ranges

#[test]
fn duplicate_and_out_of_order_versions_are_ignored() {
    let mut client = serving_client();
    client.change(URI, 2, json!([{ "range": range((2, 0), (2, 0)), "text": "FROM build AS two\n" }]));
    // A duplicate of version 2, an older version, and a full text with an old version: ignored.
    client.change(URI, 2, json!([{ "range": range((2, 0), (2, 0)), "text": "FROM build AS dup\n" }]));
    client.change(URI, 1, json!([{ "range": range((0, 0), (0, 0)), "text": "# old\n" }]));
    client.change(URI, -5, json!([{ "text": "FROM scratch\n" }]));
    client.change(URI, 3, json!([{ "range": range((3, 0), (3, 0)), "text": "FROM two AS three\n" }]));
    let expected = format!("{TEXT}FROM build AS two\nFROM two AS three\n");
    client.diagnostics(URI, 3);
    assert_text(&mut client, URI, 3, &expected);
    // A version may skip numbers: only the order matters.
    client.change(URI, 100, json!([{ "range": range((4, 0), (4, 0)), "text": "FROM three\n" }]));
    client.diagnostics(URI, 100);
    assert_text(&mut client, URI, 100, &format!("{expected}FROM three\n"));
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
    assert!(client.stderr().contains("ignored didChange version 2"), "{}", client.stderr());
}

#[test]
fn edits_with_ranges_outside_the_document_are_clamped() {
    let mut client = serving_client();
    // A line past the end means the end of the document.
    client.change(URI, 2, json!([{ "range": range((40, 3), (99, 0)), "text": "FROM build AS b\n" }]));
    // A character past the end of a line means the end of that line (before its line break).
    client.change(URI, 3, json!([{ "range": range((0, 200), (0, 300)), "text": "-x" }]));
    // A reversed range is the range between its two positions.
    client.change(URI, 4, json!([{ "range": range((1, 5), (1, 0)), "text": "COPY" }]));
    // Extreme numbers.
    client.change(URI, 5, json!([{ "range": range((u32::MAX, u32::MAX), (u32::MAX, u32::MAX)), "text": "# end\n" }]));
    let expected = "FROM golang:1.23 AS build-x\nCOPY . .\nFROM build AS b\n# end\n";
    client.diagnostics(URI, 5);
    assert_text(&mut client, URI, 5, expected);
    // Out-of-range values that are not 32-bit unsigned numbers are Invalid params for the change,
    // which is then ignored (a notification has no answer).
    client.change(URI, 6, json!([{ "range": range((0, 0), (0, 0)), "text": "x" }]));
    client.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": URI, "version": 7 },
        "contentChanges": [{ "range": { "start": { "line": -1, "character": 0 }, "end": { "line": 0, "character": 0 } }, "text": "y" }] } }));
    client.diagnostics(URI, 6);
    assert_text(&mut client, URI, 6, &format!("x{expected}"));
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
}

#[test]
fn edits_inside_a_surrogate_pair_snap_to_the_character_start() {
    let mut client = LspClient::start();
    let text = "FROM alpine:3.20\nLABEL x=\"a😀b\"\n";
    client.open(URI, 1, text);
    client.diagnostics(URI, 1);
    // The emoji is two UTF-16 code units, characters 10 and 11 of line 1; 11 is inside it.
    assert_eq!(units("LABEL x=\"a", "utf-16"), 10);
    // An insertion inside the pair lands before the emoji.
    client.change(URI, 2, json!([{ "range": range((1, 11), (1, 11)), "text": "é" }]));
    let expected = "FROM alpine:3.20\nLABEL x=\"aé😀b\"\n";
    client.diagnostics(URI, 2);
    assert_text(&mut client, URI, 2, expected);
    // A deletion from inside the pair to its end removes the whole emoji (the start snaps back).
    client.change(URI, 3, json!([{ "range": range((1, 12), (1, 13)), "text": "" }]));
    let expected = "FROM alpine:3.20\nLABEL x=\"aéb\"\n";
    client.diagnostics(URI, 3);
    assert_text(&mut client, URI, 3, expected);
    // Both ends inside the same pair: an insertion before it, nothing removed.
    client.change(URI, 4, json!([{ "range": range((1, 11), (1, 11)), "text": "😀" }]));
    client.change(URI, 5, json!([{ "range": range((1, 12), (1, 12)), "text": "z" }]));
    let expected = "FROM alpine:3.20\nLABEL x=\"aéz😀b\"\n";
    client.diagnostics(URI, 5);
    assert_text(&mut client, URI, 5, expected);
    client.shutdown_and_exit();
}

// Cancellation

#[test]
fn cancelled_requests_get_their_result_or_request_cancelled() {
    let mut client = LspClient::start();
    let big = (0..300)
        .map(|i| format!("FROM golang:1.23 AS s{i}\nRUN echo {i} \\\n  && go build ./...\n"))
        .collect::<String>();
    client.open(URI, 1, &big);
    client.diagnostics(URI, 1);
    // Twenty long requests, then their cancellations (the newest first): those still waiting
    // when their cancellation is read are cancelled, the others answer with their result.
    let ids: Vec<i64> = (0..20)
        .map(|round| {
            let method = if round % 2 == 0 { "textDocument/semanticTokens/full" } else { "textDocument/formatting" };
            let params = json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 4, "insertSpaces": true } });
            client.send_request(method, params)
        })
        .collect();
    for &id in ids.iter().rev() {
        client.notify("$/cancelRequest", json!({ "id": id }));
    }
    // Cancelling twice, or a request that does not exist, changes nothing.
    client.notify("$/cancelRequest", json!({ "id": ids[0] }));
    client.notify("$/cancelRequest", json!({ "id": "no-such-request" }));
    let mut cancelled = 0;
    for id in ids {
        let response = client.wait_response(id);
        match response.get("error") {
            Some(error) => {
                assert_eq!(error["code"], REQUEST_CANCELLED, "{response}");
                cancelled += 1;
            }
            None => assert!(response.get("result").is_some(), "{response}"),
        }
    }
    report(&format!("{cancelled} of 20 long requests answered RequestCancelled, the rest their result"));
    let symbols = client.document_symbols(URI);
    assert_eq!(symbols[0]["name"], "s0", "{symbols}");
    client.shutdown_and_exit();
}

// A client that stops reading

#[test]
fn a_client_that_stops_reading_does_not_block_the_server_or_grow_its_memory() {
    let mut client = LspClient::start();
    // One finding per line: each publication is about 5 KB, so a few fill the pipe.
    let text = "# v\n".to_string() + &"COPPY . .\n".repeat(20);
    client.open(URI, 1, &text);
    let first = client.diagnostics(URI, 1);
    assert!(first.len() >= 20, "{} diagnostics", first.len());
    let before = client.notifications("textDocument/publishDiagnostics").len();

    client.pause_reading();
    let started = Instant::now();
    let changes = 5000;
    for version in 2..=changes + 1 {
        // Writing never blocks: the server keeps reading while its stdout is full.
        client.change(URI, version, json!([{ "range": range((0, 3), (0, 3)), "text": "x" }]));
    }
    let symbols = client.send_request("textDocument/documentSymbol", symbols_params(URI));
    let sent = started.elapsed();
    // Let the server work through the changes while nobody reads.
    std::thread::sleep(Duration::from_secs(2));
    let peak = peak_resident_mib(client.pid());
    client.resume_reading();

    let last = changes + 1;
    let diagnostics = client.diagnostics(URI, last);
    assert_eq!(diagnostics.len(), first.len());
    let response = client.wait_response(symbols);
    assert!(response["result"].is_array(), "{response}");
    let publications = client.notifications("textDocument/publishDiagnostics").len() - before;
    report(&format!(
        "{changes} changes sent in {sent:?} while not reading; {publications} publications received after resuming; \
         server peak resident {}",
        peak.map_or("unknown".to_string(), |p| format!("{p:.1} MiB"))
    ));
    // Superseded publications were dropped while the client was not reading: what arrives is
    // what the pipe held when it filled, the one being written, and the latest.
    assert!(publications <= 50, "{publications} publications after resuming");
    if let Some(peak) = peak {
        assert!(peak < 500.0, "peak resident {peak:.1} MiB");
    }
    let expected = format!("# v{}\n{}", "x".repeat(changes as usize), "COPPY . .\n".repeat(20));
    assert_text(&mut client, URI, last, &expected);
    client.shutdown_and_exit();
}

// Thousands of rapid changes

#[test]
fn thousands_of_rapid_changes_end_in_the_exact_text() {
    let mut client = LspClient::start();
    client.open(URI, 1, "FROM alpine:3.20\nRUN echo \n");
    client.diagnostics(URI, 1);
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789é😀".chars().collect();
    let mut typed = String::new();
    let mut character = units("RUN echo ", "utf-16");
    let started = Instant::now();
    let changes = 5000;
    for i in 0..changes {
        let c = alphabet[i % alphabet.len()].to_string();
        client.change(URI, i as i32 + 2, json!([{ "range": range((1, character), (1, character)), "text": c }]));
        character += units(&c, "utf-16");
        typed.push_str(&c);
    }
    let sent = started.elapsed();
    // The first request after the burst waits for the changes before it (they apply in order).
    let asked = Instant::now();
    let first = client.send_request("textDocument/documentSymbol", symbols_params(URI));
    let first = client.wait_for_within(Duration::from_secs(60), "the first answer", |m| m["id"] == first);
    let caught_up = asked.elapsed();
    assert!(first["result"].is_array(), "{first}");
    let last = changes as i32 + 1;
    client.diagnostics(URI, last);
    // Once the changes are applied, a request is answered at once.
    let asked = Instant::now();
    let symbols = client.document_symbols(URI);
    let answered = asked.elapsed();
    report(&format!(
        "{changes} single-character changes sent in {sent:?}; the first request after them answered in \
         {caught_up:?}, a request once they were applied in {answered:?}"
    ));
    assert!(answered < Duration::from_secs(2), "{answered:?}");
    assert_eq!(symbols[0]["name"], "alpine:3.20", "{symbols}");
    assert_text(&mut client, URI, last, &format!("FROM alpine:3.20\nRUN echo {typed}\n"));
    client.shutdown_and_exit();
}

#[test]
fn frames_split_into_single_bytes_are_reassembled() {
    let mut client = serving_client();
    let bytes = frame(&json!({ "jsonrpc": "2.0", "id": 500, "method": "textDocument/documentSymbol",
        "params": symbols_params(URI) }));
    for byte in &bytes {
        client.write_raw(std::slice::from_ref(byte)).expect("write");
    }
    let response = client.wait_response(500);
    assert_eq!(response["result"][0]["name"], "build", "{response}");
    client.shutdown_and_exit();
}
