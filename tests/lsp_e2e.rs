//! End-to-end tests of `gantry lsp`: the real binary over stdio, driven by a synchronous client.
//!
//! Each test starts its own server. The client (tests/support) puts a deadline on every wait, so
//! a server that hangs fails a test instead of hanging the suite, and it fails any test whose
//! server wrote "panicked" to stderr.

mod support;

use serde_json::{Value, json};
use support::{LspClient, code, default_capabilities, frame, range, units, utf8_capabilities};

const URI: &str = "file:///e2e/Dockerfile";
const BROKEN: &str = "FROM golang:1.23\nCOPPY . .\n";

/// Diagnostics as `line:character-line:character code`, for compact assertions.
fn brief(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{}:{}-{}:{} {}",
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"],
                d["code"].as_str().unwrap_or("<no code>")
            )
        })
        .collect()
}

fn message(diagnostic: &Value) -> &str {
    diagnostic["message"].as_str().unwrap_or_else(|| panic!("diagnostic without a message: {diagnostic}"))
}

/// Asserts that the server's copy of `uri` holds `expected`: a fresh document opened with that
/// text must get the same diagnostics, outline (whose details quote every argument) and folds.
fn assert_text(client: &mut LspClient, uri: &str, version: i32, expected: &str) {
    let fresh = "file:///e2e/fresh/Dockerfile";
    client.open(fresh, 1, expected);
    let expected_diagnostics = client.diagnostics(fresh, 1);
    let actual_diagnostics = client.published_diagnostics(uri, version);
    assert_eq!(actual_diagnostics, expected_diagnostics, "diagnostics of {uri} v{version}");
    assert_eq!(client.document_symbols(uri), client.document_symbols(fresh), "outline of {uri}");
    assert_eq!(client.folding_ranges(uri), client.folding_ranges(fresh), "folding ranges of {uri}");
    client.close(fresh);
    client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == fresh && p["version"].is_null());
}

// 1. initialize

#[test]
fn initialize_reports_the_server_and_negotiates_the_position_encoding() {
    let (mut client, utf8) = LspClient::start_with(utf8_capabilities());
    assert_eq!(utf8["serverInfo"]["name"], "gantry");
    assert_eq!(utf8["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(utf8["capabilities"]["positionEncoding"], "utf-8");
    let mut redacted = utf8.clone();
    redacted["serverInfo"]["version"] = json!("[version]");
    insta::assert_json_snapshot!("initialize_result", redacted);
    client.shutdown_and_exit();

    let offers = [
        (json!({}), "utf-16"),
        (json!({ "general": { "positionEncodings": [] } }), "utf-16"),
        (json!({ "general": { "positionEncodings": ["utf-16"] } }), "utf-16"),
        (json!({ "general": { "positionEncodings": ["utf-16", "utf-8"] } }), "utf-8"),
        (json!({ "general": { "positionEncodings": ["utf-32", "utf-16"] } }), "utf-32"),
        (json!({ "general": { "positionEncodings": ["x-unknown"] } }), "utf-16"),
    ];
    for (capabilities, expected) in offers {
        let (mut client, result) = LspClient::start_with(capabilities.clone());
        assert_eq!(result["capabilities"]["positionEncoding"], expected, "client capabilities {capabilities}");
        // Nothing else in the result depends on what the client offers.
        let mut rest = result.clone();
        rest["capabilities"]["positionEncoding"] = json!("utf-8");
        assert_eq!(rest, utf8, "client capabilities {capabilities}");
        client.shutdown_and_exit();
    }
}

// 2. diagnostics follow versions and incremental changes

fn incremental_changes_move_diagnostics(capabilities: Value, encoding: &str) {
    let (mut client, result) = LspClient::start_with(capabilities);
    assert_eq!(result["capabilities"]["positionEncoding"], encoding);

    client.open(URI, 1, BROKEN);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(brief(&diagnostics), ["1:0-1:5 syntax/unknown-instruction"]);
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(diagnostics[0]["source"], "gantry");
    assert!(message(&diagnostics[0]).contains("`COPPY`"), "{}", diagnostics[0]);

    client.change(URI, 2, json!([{ "range": range((1, 0), (1, 5)), "text": "COPY" }]));
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());

    // Non-ASCII text before both errors, on their lines: columns are counted in the negotiated
    // encoding (UTF-16 code units or UTF-8 bytes).
    client.change(
        URI,
        3,
        json!([{ "range": range((1, 0), (1, 0)), "text": "# 中文😀\nLABEL x=\"中文😀\" y\n中文😀" }]),
    );
    let y = units("LABEL x=\"中文😀\" ", encoding);
    let word = units("中文😀COPY", encoding);
    let diagnostics = client.diagnostics(URI, 3);
    assert_eq!(
        brief(&diagnostics),
        [format!("2:{y}-2:{} syntax/missing-value", y + 1), format!("3:0-3:{word} syntax/unknown-instruction")]
    );
    assert!(message(&diagnostics[1]).contains("`中文😀COPY`"), "{}", diagnostics[1]);

    // Two changes in one notification, addressed past the non-ASCII text; the second one sees the
    // text left by the first.
    let prefix = units("中文😀", encoding);
    client.change(
        URI,
        4,
        json!([
            { "range": range((2, y), (2, y + 1)), "text": "y=1" },
            { "range": range((3, 0), (3, prefix)), "text": "" },
        ]),
    );
    assert_eq!(client.diagnostics(URI, 4), Vec::<Value>::new());

    // An edit after an emoji on a line that already moved.
    let after_emoji = units("# 中文😀", encoding);
    client.change(URI, 5, json!([{ "range": range((1, after_emoji), (1, after_emoji)), "text": " ok\nWORKDIRR" }]));
    let diagnostics = client.diagnostics(URI, 5);
    assert_eq!(brief(&diagnostics), ["2:0-2:8 syntax/unknown-instruction"]);
    client.change(URI, 6, json!([{ "range": range((2, 7), (2, 8)), "text": "" }]));
    let text = "FROM golang:1.23\n# 中文😀 ok\nWORKDIR\nLABEL x=\"中文😀\" y=1\nCOPY . .\n";
    assert_eq!(brief(&client.diagnostics(URI, 6)), ["2:0-2:7 syntax/missing-argument"]);
    client.change(URI, 7, json!([]));
    assert_text(&mut client, URI, 7, text);
    // A whole-document change, then an incremental one against the new text.
    client.change(
        URI,
        8,
        json!([{ "text": BROKEN }, { "range": range((1, 0), (1, 5)), "text": "ADD" }, { "text": BROKEN.replace("COPPY", "") }]),
    );
    client.change(
        URI,
        9,
        json!([{ "text": "FROM 中文😀\n" }, { "range": range((0, 5), (0, 5 + prefix)), "text": "alpine:3.20" }]),
    );
    assert_text(&mut client, URI, 9, "FROM alpine:3.20\n");
    client.shutdown_and_exit();
}

#[test]
fn incremental_changes_move_diagnostics_in_utf16() {
    incremental_changes_move_diagnostics(default_capabilities(), "utf-16");
}

#[test]
fn incremental_changes_move_diagnostics_in_utf8() {
    incremental_changes_move_diagnostics(utf8_capabilities(), "utf-8");
}

// 3. many rapid changes

const TYPED: &str = r#"# syntax=docker/dockerfile:1
# Build stage, typed one character at a time: 中文 😀 café
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-alpine AS builder_typed
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/app

# Runtime stage 😀
FROM gcr.io/distroless/static-debian12:nonroot AS runtime
LABEL org.opencontainers.image.title="typed 😀"
COPY --from=builder_typed /out/app /app
RUNN echo typo
ENV PORT=8080 MODE="production"
EXPOSE 8080/tcp
USER nonroot:nonroot
ENTRYPOINT ["/app", "--port", "8080"]
"#;

#[test]
fn hundreds_of_keystrokes_without_waiting_end_in_the_typed_text() {
    let mut client = LspClient::start();
    client.open(URI, 1, "");
    assert_eq!(client.diagnostics(URI, 1), Vec::<Value>::new());

    // One didChange per character, at the cursor, as an editor sends them while typing.
    let (mut line, mut character) = (0u32, 0u32);
    let mut version = 1;
    for c in TYPED.chars() {
        version += 1;
        let text = c.to_string();
        client.change(URI, version, json!([{ "range": range((line, character), (line, character)), "text": text }]));
        if c == '\n' {
            line += 1;
            character = 0;
        } else {
            character += units(&text, "utf-16");
        }
    }
    assert!(version > 500, "only {} keystrokes", version - 1);

    let diagnostics = client.diagnostics(URI, version);
    // Syntax errors only: which rules fire on the typed text is the rule suites' business.
    let syntax: Vec<String> = brief(&diagnostics).into_iter().filter(|d| d.contains(" syntax/")).collect();
    assert_eq!(syntax, ["15:0-15:4 syntax/unknown-instruction"]);
    // The stage name typed on line 3 is what `--from=` on line 14 refers to.
    let definition = client.definition(URI, 14, 14);
    assert_eq!(definition, json!({ "uri": URI, "range": range((3, 36), (3, 49)) }));
    assert_text(&mut client, URI, version, TYPED);

    // Diagnostics of an older version never arrive after those of a newer one.
    let published: Vec<i64> = client
        .notifications("textDocument/publishDiagnostics")
        .iter()
        .filter(|n| n["params"]["uri"] == URI)
        .map(|n| n["params"]["version"].as_i64().expect("a version"))
        .collect();
    assert!(published.windows(2).all(|w| w[0] < w[1]), "versions published out of order: {published:?}");
    assert_eq!(published.last(), Some(&i64::from(version)));
    client.shutdown_and_exit();
}

// 4. robustness

/// Starts a server with one open document and checks that it answers.
fn serving_client() -> LspClient {
    let mut client = LspClient::start();
    client.open(URI, 1, BROKEN);
    client.diagnostics(URI, 1);
    assert_still_serving(&mut client);
    client
}

fn assert_still_serving(client: &mut LspClient) {
    let symbols = client.document_symbols(URI);
    assert_eq!(symbols[0]["name"], "golang:1.23", "{symbols}");
}

#[test]
fn malformed_frames_get_an_error_response_and_the_server_keeps_serving() {
    let valid = frame(&json!({ "jsonrpc": "2.0", "id": 99, "method": "textDocument/documentSymbol",
        "params": { "textDocument": { "uri": URI } } }));
    let truncated = {
        // A frame whose Content-Length is 5 bytes short of its body.
        let body = json!({ "jsonrpc": "2.0", "id": 98, "method": "shutdown" }).to_string();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len() - 5).into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        bytes
    };
    let cases: Vec<(&str, Vec<u8>, i64)> = vec![
        ("garbage without a header", b"\x00\x01 garbage \xff\xfe\r\n\r\n".to_vec(), code::PARSE_ERROR),
        // Glued to the next frame's header, which then has no `Content-Length` of its own.
        ("garbage without a line break", b"garbage".to_vec(), code::PARSE_ERROR),
        ("headers without Content-Length", b"X-Whatever: 1\r\n\r\n{}".to_vec(), code::PARSE_ERROR),
        ("non-numeric Content-Length", b"Content-Length: twelve\r\n\r\n{}".to_vec(), code::PARSE_ERROR),
        ("negative Content-Length", b"Content-Length: -2\r\n\r\n{}".to_vec(), code::PARSE_ERROR),
        ("too small Content-Length", truncated, code::PARSE_ERROR),
        (
            "unsupported charset",
            b"Content-Length: 2\r\nContent-Type: x; charset=latin1\r\n\r\n{}".to_vec(),
            code::PARSE_ERROR,
        ),
        ("a body that is not JSON", b"Content-Length: 9\r\n\r\nnot json!".to_vec(), code::PARSE_ERROR),
        ("a body that is not UTF-8", b"Content-Length: 4\r\n\r\n\"\xff\xfe\"".to_vec(), code::PARSE_ERROR),
        (
            "JSON that is not JSON-RPC",
            b"Content-Length: 17\r\n\r\n{\"hello\":\"world\"}".to_vec(),
            code::INVALID_REQUEST,
        ),
    ];
    for (case, bytes, expected) in cases {
        let mut client = serving_client();
        client.write_raw(&bytes).unwrap_or_else(|e| panic!("{case}: cannot write: {e}"));
        client.write_raw(&valid).unwrap_or_else(|e| panic!("{case}: cannot write: {e}"));
        let error = client.wait_for(case, |m| m["id"].is_null() && m.get("error").is_some());
        assert_eq!(error["error"]["code"], expected, "{case}: {error}");
        // The transport skips the bad bytes (resynchronising at the next `Content-Length` when the
        // frame's end is unknown) and serves the next message.
        let response = client.wait_response(99);
        assert_eq!(response["result"][0]["name"], "golang:1.23", "{case}: {response}");
        assert_still_serving(&mut client);
        client.shutdown_and_exit();
    }
}

#[test]
fn too_large_content_length_swallows_what_follows() {
    // The declared body is longer than everything sent: the server keeps waiting for the rest,
    // so the valid request inside the "body" is never answered. When the client goes away the
    // server reports the incomplete frame and exits with status 1 (no shutdown came).
    let mut client = serving_client();
    client.write_raw(b"Content-Length: 100000\r\n\r\n").expect("write");
    let id = client.send_request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }));
    client.close_stdin();
    let status = client.wait_exit();
    assert_eq!(status.code(), Some(1), "stderr:\n{}", client.stderr());
    let rest = client.drain_until_closed();
    assert!(rest.iter().all(|m| m["id"] != id), "the swallowed request was answered: {rest:?}");
    let reported = rest.iter().any(|m| m["id"].is_null() && m["error"]["code"] == code::PARSE_ERROR);
    assert!(reported, "no parse error for the incomplete frame: {rest:?}");
    assert!(client.stderr().contains("stdin ended inside a message"), "stderr:\n{}", client.stderr());

    // A length that ends inside the next frame: the first bytes of that frame are read as a body,
    // which is not JSON (a parse error); the rest of it is skipped up to the next frame, which is
    // served.
    let mut client = serving_client();
    client.write_raw(b"Content-Length: 30\r\n\r\n").expect("write");
    let id = client.send_request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }));
    let error = client.wait_for("the parse error", |m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], code::PARSE_ERROR, "{error}");
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
    let rest = client.drain_until_closed();
    assert!(
        client.history().iter().chain(&rest).all(|m| m["id"] != id),
        "the desynchronised request was answered: {rest:?}"
    );
}

#[test]
fn malformed_params_get_invalid_params_and_the_server_keeps_serving() {
    let mut client = serving_client();
    let bad_requests = [
        ("textDocument/documentSymbol", json!({ "textDocument": 5 })),
        ("textDocument/documentSymbol", json!({})),
        ("textDocument/documentSymbol", json!(null)),
        ("textDocument/foldingRange", json!({ "textDocument": { "uri": 5 } })),
        ("textDocument/definition", json!({ "textDocument": { "uri": URI } })),
        (
            "textDocument/definition",
            json!({ "textDocument": { "uri": URI }, "position": { "line": -1, "character": 0 } }),
        ),
        ("textDocument/definition", json!([1, 2, 3])),
    ];
    for (method, params) in bad_requests {
        assert_eq!(client.request_err(method, params.clone()), code::INVALID_PARAMS, "{method} {params}");
        assert_still_serving(&mut client);
    }
    // Notifications cannot be answered: bad ones are dropped.
    client.notify("textDocument/didOpen", json!({ "textDocument": 5 }));
    client.notify("textDocument/didChange", json!({ "textDocument": { "uri": URI }, "contentChanges": "x" }));
    client.notify("textDocument/didClose", json!(null));
    assert_still_serving(&mut client);
    client.change(URI, 2, json!([{ "range": range((1, 0), (1, 5)), "text": "COPY" }]));
    assert_eq!(client.diagnostics(URI, 2), Vec::<Value>::new());
    client.shutdown_and_exit();
}

#[test]
fn positions_past_the_end_are_clamped() {
    let mut client = serving_client();
    // Past the end of a line: the end of that line.
    client.change(URI, 2, json!([{ "range": range((0, 100), (0, 200)), "text": " AS base" }]));
    assert_eq!(brief(&client.diagnostics(URI, 2)), ["1:0-1:5 syntax/unknown-instruction"]);
    // Past the end of the document: the end of the document.
    client.change(URI, 3, json!([{ "range": range((40, 3), (50, 0)), "text": "FROM base" }]));
    assert_eq!(brief(&client.diagnostics(URI, 3)), ["1:0-1:5 syntax/unknown-instruction"]);
    // A range from inside a line to past its end replaces the rest of the line, not the break.
    client.change(URI, 4, json!([{ "range": range((1, 2), (1, 999)), "text": "PY /a /b" }]));
    assert_eq!(client.diagnostics(URI, 4), Vec::<Value>::new());
    // A reversed range, and a range from inside the document to past its end.
    client.change(
        URI,
        5,
        json!([
            { "range": range((1, 4), (1, 2)), "text": "PY" },
            { "range": range((2, 4), (u32::MAX, u32::MAX)), "text": " base AS last" },
        ]),
    );
    client.change(URI, 6, json!([]));
    assert_text(&mut client, URI, 6, "FROM golang:1.23 AS base\nCOPY /a /b\nFROM base AS last");

    let base = json!({ "uri": URI, "range": range((0, 20), (0, 24)) });
    // Past the end of line 2 is the end of `FROM base`: a reference to the first stage.
    client.change(URI, 7, json!([{ "range": range((2, 9), (2, 99)), "text": "" }]));
    client.diagnostics(URI, 7);
    assert_eq!(client.definition(URI, 2, 999), base);
    // Past the end of the document is its end, which is also the end of `base`.
    assert_eq!(client.definition(URI, 99, 0), base);
    assert_eq!(client.definition(URI, u32::MAX, u32::MAX), base);
    // Past the end of lines that hold no reference.
    assert_eq!(client.definition(URI, 0, 999), Value::Null);
    assert_eq!(client.definition(URI, 1, 999), Value::Null);
    client.shutdown_and_exit();
}

/// A change whose positions fall inside a character (a UTF-16 surrogate pair, or a multi-byte
/// UTF-8 sequence) is rounded down to the start of that character.
fn positions_inside_a_character_round_down(capabilities: Value, encoding: &str) {
    let (mut client, _) = LspClient::start_with(capabilities);
    client.open(URI, 1, "FROM alpine:3.20\n😀COPPY\n");
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(brief(&diagnostics), [format!("1:0-1:{} syntax/unknown-instruction", units("😀COPPY", encoding))]);
    assert!(message(&diagnostics[0]).contains("`😀COPPY`"), "{}", diagnostics[0]);

    // An insertion in the middle of the emoji goes before it.
    client.change(URI, 2, json!([{ "range": range((1, 1), (1, 1)), "text": "Q" }]));
    let diagnostics = client.diagnostics(URI, 2);
    assert_eq!(brief(&diagnostics), [format!("1:0-1:{} syntax/unknown-instruction", units("Q😀COPPY", encoding))]);
    assert!(message(&diagnostics[0]).contains("`Q😀COPPY`"), "{}", diagnostics[0]);

    // A deletion starting in the middle of the emoji takes the whole emoji.
    let start = units("Q", encoding) + 1;
    let end = units("Q😀C", encoding);
    client.change(URI, 3, json!([{ "range": range((1, start), (1, end)), "text": "" }]));
    let diagnostics = client.diagnostics(URI, 3);
    assert_eq!(brief(&diagnostics), ["1:0-1:5 syntax/unknown-instruction"]);
    assert!(message(&diagnostics[0]).contains("`QOPPY`"), "{}", diagnostics[0]);
    client.shutdown_and_exit();
}

#[test]
fn positions_inside_a_surrogate_pair_round_down() {
    positions_inside_a_character_round_down(default_capabilities(), "utf-16");
}

#[test]
fn positions_inside_a_utf8_sequence_round_down() {
    positions_inside_a_character_round_down(utf8_capabilities(), "utf-8");
}

#[test]
fn unopened_documents_answer_null_and_their_changes_are_ignored() {
    let mut client = serving_client();
    let nowhere = "file:///e2e/nowhere/Dockerfile";
    let document = json!({ "textDocument": { "uri": nowhere } });
    let position = json!({ "textDocument": { "uri": nowhere }, "position": { "line": 0, "character": 0 } });
    assert_eq!(client.request_ok("textDocument/documentSymbol", document.clone()), Value::Null);
    assert_eq!(client.request_ok("textDocument/foldingRange", document.clone()), Value::Null);
    assert_eq!(client.request_ok("textDocument/definition", position), Value::Null);

    client.change(nowhere, 2, json!([{ "range": range((0, 0), (0, 0)), "text": "COPPY\n" }]));
    client.change(nowhere, 3, json!([{ "text": "COPPY\n" }]));
    client.close(nowhere);
    // Opening it afterwards starts from the opened text alone.
    client.open(nowhere, 1, "FROM alpine:3.20\n");
    assert_text(&mut client, nowhere, 1, "FROM alpine:3.20\n");
    let early = client
        .notifications("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|n| n["params"]["uri"] == nowhere && n["params"]["version"] != 1)
        .count();
    assert_eq!(early, 0, "diagnostics were published for a document that was not open");
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
}

#[test]
fn unknown_methods_get_method_not_found() {
    let mut client = serving_client();
    assert_eq!(client.request_err("gantry/noSuchMethod", json!({})), code::METHOD_NOT_FOUND);
    // A method of the specification that gantry does not provide.
    let moniker = json!({ "textDocument": { "uri": URI }, "position": { "line": 0, "character": 0 } });
    assert_eq!(client.request_err("textDocument/moniker", moniker), code::METHOD_NOT_FOUND);
    // Unknown notifications are ignored.
    client.notify("gantry/noSuchNotification", json!({ "a": 1 }));
    client.notify("$/noSuchNotification", json!(null));
    client.notify("$/cancelRequest", json!({ "id": 12345 }));
    assert_still_serving(&mut client);

    // The specification says a request whose method starts with `$/` and that the server does
    // not know must get MethodNotFound (the transport answers it; tower-lsp-server would not).
    assert_eq!(client.request_err("$/gantry/noSuchRequest", json!({})), code::METHOD_NOT_FOUND);
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
}

#[test]
fn the_lifecycle_is_enforced() {
    let mut client = LspClient::spawn();
    // Before initialize: requests fail with ServerNotInitialized, notifications are dropped.
    let symbols = json!({ "textDocument": { "uri": URI } });
    assert_eq!(client.request_err("textDocument/documentSymbol", symbols.clone()), code::SERVER_NOT_INITIALIZED);
    assert_eq!(client.request_err("shutdown", Value::Null), code::SERVER_NOT_INITIALIZED);
    // Also unknown methods, `$/` ones included.
    assert_eq!(client.request_err("gantry/noSuchMethod", json!({})), code::SERVER_NOT_INITIALIZED);
    assert_eq!(client.request_err("$/gantry/noSuchRequest", json!({})), code::SERVER_NOT_INITIALIZED);
    client.open(URI, 1, BROKEN);

    let result = client.initialize(default_capabilities());
    assert_eq!(result["serverInfo"]["name"], "gantry");
    assert_eq!(client.request_ok("textDocument/documentSymbol", symbols.clone()), Value::Null);
    assert!(client.notifications("textDocument/publishDiagnostics").is_empty());
    // A second initialize is refused.
    assert_eq!(client.request_err("initialize", json!({ "capabilities": {} })), code::INVALID_REQUEST);

    client.open(URI, 1, BROKEN);
    client.diagnostics(URI, 1);
    assert_eq!(client.request_ok("shutdown", Value::Null), Value::Null);
    // After shutdown, requests are refused with InvalidRequest.
    assert_eq!(client.request_err("textDocument/documentSymbol", symbols), code::INVALID_REQUEST);
    // Every request, known or not, as the specification says.
    assert_eq!(client.request_err("gantry/noSuchMethod", json!({})), code::INVALID_REQUEST);
    assert_eq!(client.request_err("$/gantry/noSuchRequest", json!({})), code::INVALID_REQUEST);
    assert_eq!(client.request_err("shutdown", Value::Null), code::INVALID_REQUEST);
    assert_eq!(client.request_err("initialize", json!({ "capabilities": {} })), code::INVALID_REQUEST);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(0), "stderr:\n{}", client.stderr());
}

// 5. lifecycle

#[test]
fn shutdown_then_exit_exits_with_status_0() {
    let mut client = serving_client();
    client.shutdown_and_exit();
    // Nothing is written after exit.
    assert_eq!(client.drain_until_closed(), Vec::<Value>::new());
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let mut client = serving_client();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1), "stderr:\n{}", client.stderr());

    // Also before initialize.
    let mut client = LspClient::spawn();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1), "stderr:\n{}", client.stderr());
}

#[test]
fn the_server_exits_when_the_client_disappears() {
    let body = json!({ "jsonrpc": "2.0", "id": 50, "method": "textDocument/documentSymbol",
        "params": { "textDocument": { "uri": URI } } })
    .to_string();
    let mid_body = [format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(), &body.as_bytes()[..20]].concat();
    let cases: [(&str, &[u8], bool, i32); 5] = [
        ("between messages", b"", false, 1),
        ("in the middle of a header", b"Content-Len", false, 1),
        ("after the headers", b"Content-Length: 10\r\n\r\n", false, 1),
        ("in the middle of a body", &mid_body, false, 1),
        ("in the middle of a body, after shutdown", &mid_body, true, 0),
    ];
    for (case, bytes, shutdown, expected) in cases {
        let mut client = serving_client();
        if shutdown {
            assert_eq!(client.request_ok("shutdown", Value::Null), Value::Null);
        }
        client.write_raw(bytes).expect("write");
        client.close_stdin();
        let status = client.wait_exit();
        // Status 1 without shutdown, 0 with it; never a signal.
        assert_eq!(status.code(), Some(expected), "{case}: {status}; stderr:\n{}", client.stderr());
        let rest = client.drain_until_closed();
        assert!(rest.iter().all(|m| m["id"] != 50), "{case}: a partial request was answered: {rest:?}");
    }
}

// 6. didClose

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let mut client = serving_client();
    client.close(URI);
    let params = client.wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == URI);
    assert_eq!(params["diagnostics"], json!([]));
    // The document no longer has a version.
    assert!(params.get("version").is_none_or(Value::is_null), "{params}");
    assert_eq!(
        client.request_ok("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } })),
        Value::Null
    );

    // Closing it again changes nothing; reopening starts afresh.
    client.close(URI);
    client.open(URI, 1, "FROM alpine:3.20\nCOPPY . .\n");
    assert_eq!(brief(&client.diagnostics(URI, 1)), ["1:0-1:5 syntax/unknown-instruction"]);
    let cleared = client
        .notifications("textDocument/publishDiagnostics")
        .into_iter()
        .filter(|n| n["params"]["uri"] == URI && n["params"]["version"].is_null())
        .count();
    assert_eq!(cleared, 1, "a second didClose published again");
    client.shutdown_and_exit();
}

// More: ordering, line breaks, size, header variants

#[test]
fn requests_see_every_change_sent_before_them() {
    let mut client = LspClient::start();
    client.open(URI, 1, "FROM alpine AS s0\nFROM s0\n");
    let mut previous = "s0".to_string();
    let mut expected = Vec::new();
    for i in 1..=150 {
        let name = format!("s{i}");
        let old = units(&previous, "utf-16");
        client.change(
            URI,
            i + 1,
            json!([
                { "range": range((0, 15), (0, 15 + old)), "text": name },
                { "range": range((1, 5), (1, 5 + old)), "text": name },
            ]),
        );
        // Asked at once, without waiting for anything.
        let symbols = client.send_request("textDocument/documentSymbol", json!({ "textDocument": { "uri": URI } }));
        let definition = client.send_request(
            "textDocument/definition",
            json!({ "textDocument": { "uri": URI }, "position": { "line": 1, "character": 6 } }),
        );
        expected.push((symbols, definition, name.clone()));
        previous = name;
    }
    for (symbols, definition, name) in expected {
        let symbols = client.wait_response(symbols);
        assert_eq!(symbols["result"][0]["name"], name, "{symbols}");
        let definition = client.wait_response(definition);
        let end = 15 + units(&name, "utf-16");
        assert_eq!(definition["result"], json!({ "uri": URI, "range": range((0, 15), (0, end)) }), "{name}");
    }
    client.shutdown_and_exit();
}

#[test]
fn crlf_and_lone_cr_line_breaks() {
    let mut client = LspClient::start();
    client.open(URI, 1, "FROM golang:1.23 AS build\r\nCOPPY . .\r\n");
    assert_eq!(brief(&client.diagnostics(URI, 1)), ["1:0-1:5 syntax/unknown-instruction"]);
    // The end of a CRLF line is before its `\r`.
    client.change(URI, 2, json!([{ "range": range((1, 999), (1, 999)), "text": " /x" }]));
    client.change(URI, 3, json!([{ "range": range((1, 0), (1, 5)), "text": "COPY" }]));
    client.change(URI, 4, json!([{ "range": range((2, 0), (2, 0)), "text": "FROM build\r\n" }]));
    assert_text(&mut client, URI, 4, "FROM golang:1.23 AS build\r\nCOPY . . /x\r\nFROM build\r\n");
    assert_eq!(client.definition(URI, 2, 7), json!({ "uri": URI, "range": range((0, 20), (0, 25)) }));

    // A lone `\r` ends a line for LSP positions (whatever the parser makes of it).
    let cr = "file:///e2e/cr/Dockerfile";
    client.open(cr, 1, "FROM golang:1.23 AS build\rFROM build\r");
    client.diagnostics(cr, 1);
    client.change(cr, 2, json!([{ "range": range((1, 10), (1, 10)), "text": " AS again" }]));
    assert_text(&mut client, cr, 2, "FROM golang:1.23 AS build\rFROM build AS again\r");
    client.shutdown_and_exit();
}

#[test]
fn a_large_document_stays_in_sync() {
    let mut text = String::new();
    for i in 0..600 {
        text.push_str(&format!("FROM golang:1.23 AS stage{i}\nRUN echo {i} \\\n    && echo done\n"));
    }
    let lines = 1800;
    let mut client = LspClient::start();
    client.open(URI, 1, &text);
    assert_eq!(client.diagnostics(URI, 1), Vec::<Value>::new());
    // Edits spread over the document, each in the middle of a line, sent without waiting.
    let mut expected: Vec<String> = text.lines().map(str::to_string).collect();
    for k in 0..60u32 {
        let line = (k * 2_711) % lines;
        client.change(URI, 2 + k as i32, json!([{ "range": range((line, 3), (line, 3)), "text": "é😀" }]));
        expected[line as usize].insert_str(3, "é😀");
    }
    let mut expected = expected.join("\n");
    expected.push('\n');
    let last = 61;
    client.diagnostics(URI, last);
    assert_text(&mut client, URI, last, &expected);
    client.shutdown_and_exit();
}

/// Frames `message` with the given header block (`{}` stands for the body's length).
fn frame_with(headers: &str, message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = headers.replace("{}", &body.len().to_string()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

#[test]
fn header_variants() {
    let accepted = [
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n",
        "Content-Length:   {}  \r\n\r\n",
        "Content-Length: {}\n\n",
    ];
    for headers in accepted {
        let mut client = serving_client();
        let id = 77;
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol",
            "params": { "textDocument": { "uri": URI } } });
        client.write_raw(&frame_with(headers, &request)).expect("write");
        let response = client.wait_response(id);
        assert_eq!(response["result"][0]["name"], "golang:1.23", "{headers:?}: {response}");
        client.shutdown_and_exit();
    }
    // Header names are case-insensitive, a Content-Type without a charset means UTF-8, the
    // charset's name is case-insensitive, and unknown headers are ignored.
    let also_accepted = [
        "content-length: {}\r\n\r\n",
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n",
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=UTF-8\r\n\r\n",
        "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Trace: 1\r\n\r\n",
    ];
    for headers in also_accepted {
        let mut client = serving_client();
        let request = json!({ "jsonrpc": "2.0", "id": 78, "method": "textDocument/documentSymbol",
            "params": { "textDocument": { "uri": URI } } });
        client.write_raw(&frame_with(headers, &request)).expect("write");
        let response = client.wait_response(78);
        assert_eq!(response["result"][0]["name"], "golang:1.23", "{headers:?}: {response}");
        client.shutdown_and_exit();
    }
    // Another charset is refused (Parse error) and its message skipped; the next one is served.
    let mut client = serving_client();
    let request = json!({ "jsonrpc": "2.0", "id": 79, "method": "shutdown" });
    let headers = "Content-Length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n";
    client.write_raw(&frame_with(headers, &request)).expect("write");
    let error = client.wait_for(headers, |m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], code::PARSE_ERROR, "{headers:?}: {error}");
    assert_still_serving(&mut client);
    client.shutdown_and_exit();
    assert!(client.history().iter().all(|m| m["id"] != 79), "{headers:?}");
}
