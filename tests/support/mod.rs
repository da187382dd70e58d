//! A small synchronous LSP client for end-to-end tests of `gantry lsp`.
//!
//! It spawns the real binary, frames JSON-RPC messages with `Content-Length` headers, and does
//! all pipe I/O on background threads (writes to stdin included, since a server that stops
//! reading would block them), so that every wait has a deadline: a misbehaving server fails a
//! test, it never hangs it. Dropping the client kills the server if it
//! is still running and fails the test if the server's stderr mentions a panic (including panics
//! the server caught and logged).

// Each test binary uses a different part of the client.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);

/// JSON-RPC and LSP error codes.
pub(crate) mod code {
    pub(crate) const PARSE_ERROR: i64 = -32700;
    pub(crate) const INVALID_REQUEST: i64 = -32600;
    pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
    pub(crate) const INVALID_PARAMS: i64 = -32602;
    pub(crate) const SERVER_NOT_INITIALIZED: i64 = -32002;
}

/// What the stdout reader thread saw.
enum Event {
    Message(Value),
    /// The server closed stdout (normally because it exited).
    Closed,
    /// The server wrote something that is not a well-framed JSON-RPC message.
    Malformed(String),
}

/// The client side of one `gantry lsp --stdio` process.
pub(crate) struct LspClient {
    child: Child,
    /// Byte strings for the writer thread, each with a channel for the result; `None` once stdin
    /// is closed.
    writes: Option<Sender<PendingWrite>>,
    stdin_thread: Option<JoinHandle<()>>,
    events: Receiver<Event>,
    /// Messages received and not consumed yet: notifications, server requests, unclaimed responses.
    pending: VecDeque<Value>,
    /// Every message received from the server, in arrival order.
    history: Vec<Value>,
    /// Whether the server closed stdout.
    closed: bool,
    /// The result to answer each server request method with (`null` when not listed).
    answers: std::collections::HashMap<String, Value>,
    /// Whether server requests are answered at all (a client may leave without answering).
    answer_requests: bool,
    stderr: Arc<Mutex<Vec<u8>>>,
    stdout_thread: Option<JoinHandle<()>>,
    stderr_thread: Option<JoinHandle<()>>,
    /// Closed while the client pretends to stop reading the server's stdout.
    reading: Arc<ReadGate>,
    next_id: i64,
    status: Option<ExitStatus>,
}

impl LspClient {
    /// Starts `gantry lsp --stdio` without initializing it.
    pub(crate) fn spawn() -> LspClient {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gantry"));
        command.args(["lsp", "--stdio"]);
        LspClient::spawn_command(command)
    }

    /// Starts a command that runs the server on its stdio (e.g. under `strace`).
    pub(crate) fn spawn_command(mut command: Command) -> LspClient {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot start the language server");
        let stdin = child.stdin.take().expect("piped stdin");
        let (writes, to_write) = mpsc::channel();
        let stdin_thread = thread::spawn(move || write_all(stdin, &to_write));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr_pipe = child.stderr.take().expect("piped stderr");
        let (tx, events) = mpsc::channel();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let stderr_sink = stderr.clone();
        let reading = Arc::new(ReadGate::default());
        let gate = reading.clone();
        let stdout_thread = thread::spawn(move || read_messages(stdout, &tx, &gate));
        let stderr_thread = thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            loop {
                match stderr_pipe.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => stderr_sink.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(&chunk[..n]),
                }
            }
        });
        LspClient {
            child,
            writes: Some(writes),
            stdin_thread: Some(stdin_thread),
            events,
            pending: VecDeque::new(),
            history: Vec::new(),
            closed: false,
            stderr,
            stdout_thread: Some(stdout_thread),
            stderr_thread: Some(stderr_thread),
            reading,
            next_id: 1,
            status: None,
            answers: std::collections::HashMap::new(),
            answer_requests: true,
        }
    }

    /// The server's process id (to read its memory use from `/proc`).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops reading the server's stdout (as a stuck client does) until `resume_reading`; once
    /// the pipe is full, the server's writes block.
    pub(crate) fn pause_reading(&mut self) {
        self.reading.set_open(false);
    }

    pub(crate) fn resume_reading(&mut self) {
        self.reading.set_open(true);
    }

    /// From now on, leaves the server's requests unanswered.
    pub(crate) fn never_answer(&mut self) {
        self.answer_requests = false;
    }

    /// From now on, answers the server's `method` requests with `result`.
    pub(crate) fn answer(&mut self, method: &str, result: Value) {
        self.answers.insert(method.to_string(), result);
    }

    /// Starts a server and initializes it with `capabilities`; returns the `initialize` result.
    pub(crate) fn start_with(capabilities: Value) -> (LspClient, Value) {
        let mut client = LspClient::spawn();
        let result = client.initialize(capabilities);
        (client, result)
    }

    /// Starts a server as a typical editor would (UTF-16 positions, hierarchical symbols).
    pub(crate) fn start() -> LspClient {
        LspClient::start_with(default_capabilities()).0
    }

    /// Sends `initialize` and then `initialized`; returns the `initialize` result.
    pub(crate) fn initialize(&mut self, capabilities: Value) -> Value {
        let params = json!({
            "processId": std::process::id(),
            "rootUri": null,
            "clientInfo": { "name": "gantry-e2e" },
            "capabilities": capabilities,
        });
        let result = self.request_ok("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// What the server wrote on stderr so far (all of it once `wait_exit` has returned).
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }

    /// Every message received from the server so far, in arrival order.
    pub(crate) fn history(&self) -> &[Value] {
        &self.history
    }

    /// Every notification of `method` received so far, in arrival order (consumed or not).
    pub(crate) fn notifications(&self, method: &str) -> Vec<&Value> {
        self.history.iter().filter(|m| m.get("id").is_none() && m["method"] == method).collect()
    }

    /// Writes bytes to the server's stdin as they are, without framing; fails the test if the
    /// write blocks (the server stopped reading) for longer than the timeout.
    pub(crate) fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "stdin is closed");
        let writes = self.writes.as_ref().ok_or_else(closed)?;
        let (done, result) = mpsc::channel();
        writes.send((bytes.to_vec(), done)).map_err(|_| closed())?;
        match result.recv_timeout(TIMEOUT) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "writing {} bytes to the server blocked for {TIMEOUT:?}\nstderr:\n{}",
                    bytes.len(),
                    self.stderr()
                )
            }
            Err(RecvTimeoutError::Disconnected) => Err(closed()),
        }
    }

    /// Writes one framed JSON-RPC message.
    pub(crate) fn send(&mut self, message: &Value) {
        let bytes = frame(message);
        if let Err(error) = self.write_raw(&bytes) {
            panic!("cannot write {message} to the server: {error}\nstderr:\n{}", self.stderr());
        }
    }

    /// Sends a request without waiting; returns its id.
    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and waits for its response (the whole message, with `result` or `error`).
    /// Notifications that arrive meanwhile are kept for `wait_for_notification`.
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_response(id)
    }

    /// Sends a request and returns its result, failing the test on an error response.
    pub(crate) fn request_ok(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response.get("result").cloned().unwrap_or_else(|| panic!("{method}: response without a result: {response}"))
    }

    /// Sends a request and returns its error's code, failing the test on a successful response.
    pub(crate) fn request_err(&mut self, method: &str, params: Value) -> i64 {
        let response = self.request(method, params);
        response["error"]["code"].as_i64().unwrap_or_else(|| panic!("{method}: expected an error, got {response}"))
    }

    /// Waits for the response to request `id`.
    pub(crate) fn wait_response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("the response to request {id}"), |m| m.get("method").is_none() && m["id"] == id)
    }

    /// Sends a notification.
    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Waits for a notification of `method` whose params satisfy `predicate`; returns its params.
    /// Earlier notifications that do not match stay available to later waits.
    pub(crate) fn wait_for_notification(&mut self, method: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        let message = self.wait_for(&format!("a `{method}` notification"), |m| {
            m.get("id").is_none() && m["method"] == method && predicate(&m["params"])
        });
        message["params"].clone()
    }

    /// Waits for the first unconsumed message that satisfies `predicate`, and consumes it.
    pub(crate) fn wait_for(&mut self, what: &str, predicate: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(TIMEOUT, what, predicate)
    }

    /// Like `wait_for`, for the few waits that are legitimately long (indexing a big workspace).
    pub(crate) fn wait_for_within(
        &mut self,
        timeout: Duration,
        what: &str,
        predicate: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(index) = self.pending.iter().position(&predicate) {
            return self.pending.remove(index).expect("index found above");
        }
        let deadline = Instant::now() + timeout;
        loop {
            match self.next_message(deadline) {
                Some(message) if predicate(&message) => return message,
                Some(message) => self.pending.push_back(message),
                None => panic!(
                    "the server closed stdout while the test waited for {what}\nreceived:\n{}\nstderr:\n{}",
                    self.history_text(),
                    self.stderr()
                ),
            }
        }
    }

    /// Reads every remaining message until the server closes stdout; returns those not consumed.
    pub(crate) fn drain_until_closed(&mut self) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        while let Some(message) = self.next_message(deadline) {
            self.pending.push_back(message);
        }
        self.pending.drain(..).collect()
    }

    /// The next message from the server, or `None` once stdout is closed; fails the test at `deadline`.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        if self.closed {
            return None;
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.events.recv_timeout(wait) {
            Ok(Event::Message(message)) => {
                self.history.push(message.clone());
                if self.answer_requests && message.get("method").is_some() && message.get("id").is_some() {
                    // A request from the server: answer it so that the server never waits on us.
                    let method = message["method"].as_str().unwrap_or_default();
                    let result = self.answers.get(method).cloned().unwrap_or(Value::Null);
                    let answer = json!({ "jsonrpc": "2.0", "id": message["id"], "result": result });
                    let _ = self.write_raw(&frame(&answer));
                }
                Some(message)
            }
            Ok(Event::Closed) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                None
            }
            Ok(Event::Malformed(error)) => {
                panic!("the server wrote a malformed message: {error}\nstderr:\n{}", self.stderr())
            }
            Err(RecvTimeoutError::Timeout) => panic!(
                "timed out after {TIMEOUT:?} waiting for the server\nreceived:\n{}\nstderr:\n{}",
                self.history_text(),
                self.stderr()
            ),
        }
    }

    /// The last messages received, for failure messages.
    fn history_text(&self) -> String {
        let skip = self.history.len().saturating_sub(20);
        let lines: Vec<String> = self.history[skip..].iter().map(Value::to_string).collect();
        format!("({skip} earlier messages not shown)\n{}", lines.join("\n"))
    }

    /// Closes the server's stdin, as a client that disappears does.
    pub(crate) fn close_stdin(&mut self) {
        self.writes = None;
        // No write is in flight (`write_raw` waits for each), so the thread ends at once and drops
        // the pipe.
        if let Some(thread) = self.stdin_thread.take() {
            let _ = thread.join();
        }
    }

    /// Waits for the server to exit; kills it and fails the test if it has not exited in time.
    pub(crate) fn wait_exit(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.status = Some(status);
                    // The process is gone, so its stderr reaches its end: collect all of it.
                    if let Some(thread) = self.stderr_thread.take() {
                        let _ = thread.join();
                    }
                    return status;
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
                Ok(None) => {
                    let _ = self.child.kill();
                    self.status = self.child.wait().ok();
                    panic!("the server did not exit within {TIMEOUT:?}\nstderr:\n{}", self.stderr());
                }
                Err(error) => panic!("cannot wait for the server: {error}"),
            }
        }
    }

    /// `shutdown` then `exit`, as a well-behaved client ends a session; asserts exit status 0.
    pub(crate) fn shutdown_and_exit(&mut self) {
        let result = self.request_ok("shutdown", Value::Null);
        assert_eq!(result, Value::Null, "shutdown result");
        self.notify("exit", Value::Null);
        let status = self.wait_exit();
        assert_eq!(status.code(), Some(0), "exit status after shutdown and exit; stderr:\n{}", self.stderr());
    }

    // Document helpers.

    pub(crate) fn open(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": version, "text": text } }),
        );
    }

    /// Sends one `didChange` with the given content changes (each `{range, text}` or `{text}`).
    pub(crate) fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }

    pub(crate) fn close(&mut self, uri: &str) {
        self.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }

    /// Waits for the diagnostics published for `version` of `uri`.
    pub(crate) fn diagnostics(&mut self, uri: &str, version: i32) -> Vec<Value> {
        let params = self
            .wait_for_notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["version"] == version);
        params["diagnostics"].as_array().cloned().unwrap_or_else(|| panic!("diagnostics are not an array: {params}"))
    }

    /// The diagnostics published for `version` of `uri`, whether or not a wait consumed them.
    pub(crate) fn published_diagnostics(&mut self, uri: &str, version: i32) -> Vec<Value> {
        let seen = self.notifications("textDocument/publishDiagnostics").into_iter().find_map(|n| {
            let params = &n["params"];
            (params["uri"] == uri && params["version"] == version).then(|| params["diagnostics"].clone())
        });
        match seen {
            Some(Value::Array(diagnostics)) => diagnostics,
            Some(other) => panic!("diagnostics are not an array: {other}"),
            None => self.diagnostics(uri, version),
        }
    }

    pub(crate) fn document_symbols(&mut self, uri: &str) -> Value {
        self.request_ok("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }))
    }

    pub(crate) fn folding_ranges(&mut self, uri: &str) -> Value {
        self.request_ok("textDocument/foldingRange", json!({ "textDocument": { "uri": uri } }))
    }

    pub(crate) fn definition(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request_ok(
            "textDocument/definition",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        self.writes = None;
        self.reading.set_open(true);
        if self.status.is_none() && !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        let threads = [self.stdin_thread.take(), self.stdout_thread.take(), self.stderr_thread.take()];
        for thread in threads.into_iter().flatten() {
            let _ = thread.join();
        }
        if !thread::panicking() {
            let stderr = self.stderr();
            assert!(!stderr.contains("panicked"), "the server panicked; stderr:\n{stderr}");
        }
    }
}

/// Capabilities of a typical editor: no position encodings offered (so UTF-16) and hierarchical
/// document symbols.
pub(crate) fn default_capabilities() -> Value {
    json!({ "textDocument": { "documentSymbol": { "hierarchicalDocumentSymbolSupport": true } } })
}

/// Capabilities that offer UTF-8 positions first.
pub(crate) fn utf8_capabilities() -> Value {
    let mut capabilities = default_capabilities();
    capabilities["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
    capabilities
}

/// A message with its `Content-Length` header.
pub(crate) fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// An LSP range as JSON.
pub(crate) fn range(start: (u32, u32), end: (u32, u32)) -> Value {
    json!({
        "start": { "line": start.0, "character": start.1 },
        "end": { "line": end.0, "character": end.1 },
    })
}

/// The length of `text` in the units of a position encoding (`"utf-8"`, `"utf-16"` or `"utf-32"`).
pub(crate) fn units(text: &str, encoding: &str) -> u32 {
    let count = match encoding {
        "utf-8" => text.len(),
        "utf-16" => text.encode_utf16().count(),
        "utf-32" => text.chars().count(),
        other => panic!("unknown position encoding {other}"),
    };
    u32::try_from(count).expect("short text")
}

/// A byte string to write, and where to report how the write went.
type PendingWrite = (Vec<u8>, Sender<io::Result<()>>);

fn write_all(mut stdin: ChildStdin, writes: &Receiver<PendingWrite>) {
    for (bytes, done) in writes {
        let result = stdin.write_all(&bytes).and_then(|()| stdin.flush());
        let _ = done.send(result);
    }
}

/// Whether the stdout thread may read; it waits while the gate is closed.
#[derive(Default)]
struct ReadGate {
    closed: Mutex<bool>,
    changed: std::sync::Condvar,
}

impl ReadGate {
    fn set_open(&self, open: bool) {
        *self.closed.lock().unwrap_or_else(PoisonError::into_inner) = !open;
        self.changed.notify_all();
    }

    fn wait_open(&self) {
        let mut closed = self.closed.lock().unwrap_or_else(PoisonError::into_inner);
        while *closed {
            closed = self.changed.wait(closed).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

fn read_messages(stdout: ChildStdout, events: &Sender<Event>, gate: &ReadGate) {
    let mut reader = BufReader::new(stdout);
    loop {
        gate.wait_open();
        let event = match read_message(&mut reader) {
            Ok(Some(message)) => Event::Message(message),
            Ok(None) => Event::Closed,
            Err(error) => Event::Malformed(error),
        };
        let last = !matches!(event, Event::Message(_));
        if events.send(event).is_err() || last {
            return;
        }
    }
}

/// Reads one framed message; `None` at a clean end of stream.
fn read_message(reader: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut content_length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = reader.read_until(b'\n', &mut line).map_err(|e| format!("cannot read a header: {e}"))?;
        if n == 0 {
            return if first { Ok(None) } else { Err("stdout closed inside the headers".to_string()) };
        }
        first = false;
        let line = String::from_utf8(line).map_err(|e| format!("header is not UTF-8: {e}"))?;
        let header = line.strip_suffix("\r\n").ok_or_else(|| format!("header line without CRLF: {line:?}"))?;
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').ok_or_else(|| format!("malformed header: {header:?}"))?;
        if name.eq_ignore_ascii_case("content-length") {
            let length = value.trim().parse::<usize>().map_err(|e| format!("bad Content-Length {value:?}: {e}"))?;
            content_length = Some(length);
        }
    }
    let length = content_length.ok_or("a message without Content-Length")?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| format!("stdout closed inside a body of {length} bytes: {e}"))?;
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| format!("body is not JSON ({e}): {}", String::from_utf8_lossy(&body)))
}
