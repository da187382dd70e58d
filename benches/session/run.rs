//! One scripted editor session against one server: start and initialize it, open a document,
//! then ask for semantic tokens, completion, hover and formatting, type a line character by
//! character waiting for each version's diagnostics, and ask for semantic-token deltas between
//! further keystrokes. Every server gets exactly the same messages.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::client::Server;
use crate::document::{Position, Targets, utf16_len};

/// How much to measure in one session.
#[derive(Clone, Copy)]
pub(crate) struct Plan {
    /// Repetitions of each request (completion, hover, formatting, semantic tokens).
    pub(crate) repeats: usize,
    /// Stop repeating a request once its samples took this long (always at least one sample).
    pub(crate) budget: Duration,
    /// Characters typed one by one on the new line (after the newline that opens it).
    pub(crate) typed: &'static str,
    /// Further keystrokes, each followed by a semantic-token delta request.
    pub(crate) delta_keystrokes: usize,
}

/// The samples of one or more sessions of one server on one input.
#[derive(Default, Clone)]
pub(crate) struct Samples {
    pub(crate) initialize: Vec<Duration>,
    pub(crate) open: Vec<Duration>,
    pub(crate) change: Vec<Duration>,
    pub(crate) completion: Vec<Duration>,
    pub(crate) hover: Vec<Duration>,
    pub(crate) tokens_full: Vec<Duration>,
    pub(crate) tokens_delta: Vec<Duration>,
    pub(crate) formatting: Vec<Duration>,
    pub(crate) peak_rss_kib: Vec<u64>,
    /// Whether the server answered delta requests (otherwise `tokens_delta` holds full requests).
    pub(crate) delta_supported: bool,
    /// Whether completion and hover returned something at the chosen places (a check that the
    /// figures measure real work).
    pub(crate) completion_items: usize,
    pub(crate) hover_found: bool,
}

impl Samples {
    pub(crate) fn extend(&mut self, other: Samples) {
        self.initialize.extend(other.initialize);
        self.open.extend(other.open);
        self.change.extend(other.change);
        self.completion.extend(other.completion);
        self.hover.extend(other.hover);
        self.tokens_full.extend(other.tokens_full);
        self.tokens_delta.extend(other.tokens_delta);
        self.formatting.extend(other.formatting);
        self.peak_rss_kib.extend(other.peak_rss_kib);
        self.delta_supported |= other.delta_supported;
        self.completion_items = self.completion_items.max(other.completion_items);
        self.hover_found |= other.hover_found;
    }
}

/// What the benchmark client declares: a typical editor's capabilities (UTF-16, pull configuration,
/// semantic tokens with deltas, Markdown hovers, snippets).
fn capabilities() -> Value {
    json!({
        "workspace": { "configuration": true, "didChangeConfiguration": { "dynamicRegistration": true } },
        "textDocument": {
            "synchronization": { "didSave": true },
            "publishDiagnostics": { "relatedInformation": true, "versionSupport": true },
            "completion": { "completionItem": { "snippetSupport": true, "documentationFormat": ["markdown", "plaintext"] } },
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "formatting": {},
            "semanticTokens": {
                "requests": { "full": { "delta": true }, "range": true },
                "tokenTypes": ["keyword", "comment", "parameter", "property", "namespace", "class", "macro",
                               "string", "variable", "operator", "number", "function", "type", "enumMember",
                               "modifier", "regexp", "struct", "enum", "interface", "method", "event", "label",
                               "typeParameter", "decorator"],
                "tokenModifiers": ["declaration", "definition", "deprecated", "readonly", "static",
                                   "defaultLibrary", "documentation", "modification", "async", "abstract"],
                "formats": ["relative"],
                "overlappingTokenSupport": false,
                "multilineTokenSupport": false
            }
        },
        "general": { "positionEncodings": ["utf-16"] }
    })
}

/// Runs the whole session of `command` on the file at `path` whose text is `text`.
pub(crate) fn session(command: &[String], path: &Path, text: &str, plan: &Plan) -> Result<Samples> {
    let targets = Targets::find(text).context("the document has no instruction to type next to")?;
    let uri = file_uri(path);
    let mut samples = Samples::default();

    let spawned = Instant::now();
    let mut server = Server::spawn(command)?;
    let root = path.parent().map(file_uri);
    let (init, answered) = server.request_arrival(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root,
            "workspaceFolders": root.as_ref().map(|uri| json!([{ "uri": uri, "name": "bench" }])),
            "clientInfo": { "name": "gantry-session-bench" },
            "capabilities": capabilities(),
        }),
    )?;
    // From the spawn to the arrival of the answer: process start-up plus the initialize handler.
    samples.initialize.push(answered.saturating_duration_since(spawned));
    server.notify("initialized", json!({}))?;
    // Let start-up work (configuration requests, registrations) finish before the document opens.
    server.settle(Duration::from_millis(200), Duration::from_secs(5));
    samples.delta_supported = init["capabilities"]["semanticTokensProvider"]["full"]["delta"] == true;

    server.discard_received();
    let sent = server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
    )?;
    samples.open.push(wait_diagnostics(&mut server, &uri, 1)?.saturating_duration_since(sent));
    // A server may publish again once it has read the workspace around the file; let it finish.
    server.settle(Duration::from_millis(300), Duration::from_secs(20));

    let document = json!({ "uri": uri });
    let mut result_id = None;
    repeat(plan, &mut samples.tokens_full, || {
        let (result, took) = server.request("textDocument/semanticTokens/full", json!({ "textDocument": document }))?;
        result_id = result.get("resultId").cloned();
        Ok(took)
    })?;
    repeat(plan, &mut samples.completion, || {
        let (result, took) =
            server.request("textDocument/completion", position_params(&document, targets.completion))?;
        let items = result.get("items").unwrap_or(&result);
        samples.completion_items = items.as_array().map_or(0, Vec::len);
        Ok(took)
    })?;
    repeat(plan, &mut samples.hover, || {
        let (result, took) = server.request("textDocument/hover", position_params(&document, targets.hover))?;
        samples.hover_found = !result.is_null();
        Ok(took)
    })?;
    let options = json!({ "tabSize": 4, "insertSpaces": true });
    repeat(plan, &mut samples.formatting, || {
        let params = json!({ "textDocument": document, "options": options });
        Ok(server.request("textDocument/formatting", params)?.1)
    })?;

    // Typing: a newline above the chosen instruction, then one character at a time.
    let mut typist = Typist { uri: uri.clone(), version: 1, line: targets.typing_line, column: 0 };
    samples.change.push(typist.type_text(&mut server, "\n")?);
    typist.line = targets.typing_line;
    typist.column = 0;
    for c in plan.typed.chars() {
        samples.change.push(typist.type_text(&mut server, &c.to_string())?);
    }

    // Semantic tokens after each further keystroke: a delta where the server offers one.
    let mut spent = Duration::ZERO;
    for c in "-delta-tokens".chars().cycle().take(plan.delta_keystrokes) {
        typist.type_text(&mut server, &c.to_string())?;
        let (result, took) = match (&result_id, samples.delta_supported) {
            (Some(previous), true) => server.request(
                "textDocument/semanticTokens/full/delta",
                json!({ "textDocument": document, "previousResultId": previous }),
            )?,
            _ => server.request("textDocument/semanticTokens/full", json!({ "textDocument": document }))?,
        };
        result_id = result.get("resultId").cloned().or(result_id);
        samples.tokens_delta.push(took);
        spent += took;
        if spent > plan.budget {
            break;
        }
    }

    samples.peak_rss_kib.extend(server.peak_rss_kib());
    server.shutdown();
    Ok(samples)
}

/// Repeats a timed request up to `plan.repeats` times, stopping early once the samples took longer
/// than the plan's budget (a slow server still gets one sample).
fn repeat(plan: &Plan, into: &mut Vec<Duration>, mut timed: impl FnMut() -> Result<Duration>) -> Result<()> {
    let mut spent = Duration::ZERO;
    for _ in 0..plan.repeats.max(1) {
        let took = timed()?;
        into.push(took);
        spent += took;
        if spent > plan.budget {
            break;
        }
    }
    Ok(())
}

/// Sends single-character incremental changes at a moving cursor.
struct Typist {
    uri: String,
    version: i64,
    line: usize,
    column: usize,
}

impl Typist {
    /// Inserts `text` at the cursor and waits for the diagnostics of the new version; returns the
    /// time from sending the change to receiving them.
    fn type_text(&mut self, server: &mut Server, text: &str) -> Result<Duration> {
        self.version += 1;
        server.discard_received();
        let at = json!({ "line": self.line, "character": self.column });
        let sent = server.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri, "version": self.version },
                "contentChanges": [{ "range": { "start": at, "end": at }, "text": text }],
            }),
        )?;
        if text == "\n" {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += utf16_len(text);
        }
        Ok(wait_diagnostics(server, &self.uri, self.version)?.saturating_duration_since(sent))
    }
}

/// Waits for the diagnostics of `uri` at `version` (or, from a server that does not version its
/// diagnostics, the next ones for `uri`: the caller has discarded older messages); returns when
/// they arrived.
fn wait_diagnostics(server: &mut Server, uri: &str, version: i64) -> Result<Instant> {
    let arrival = server.wait_for("diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"].get("version").and_then(Value::as_i64).is_none_or(|v| v == version)
    })?;
    if let Some(v) = arrival.message["params"].get("version").and_then(Value::as_i64)
        && v != version
    {
        bail!("diagnostics for version {v}, expected {version}");
    }
    Ok(arrival.at)
}

fn position_params(document: &Value, at: Position) -> Value {
    json!({ "textDocument": document, "position": { "line": at.line, "character": at.character } })
}

/// A `file://` URI for an absolute path, with the characters URIs reserve percent-encoded.
pub(crate) fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}
