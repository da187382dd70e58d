//! A minimal LSP client over stdio for the session benchmark: it starts any server command,
//! stamps every incoming message with its arrival time on a reader thread, and answers the
//! server's own requests at once from that thread, so that no figure includes the client's delays.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// The longest any single wait may take (the node server needs many seconds for some requests
/// on large files; a server that never answers must not hang the benchmark).
const TIMEOUT: Duration = Duration::from_secs(300);

/// One message from the server and when the reader thread finished reading it.
pub(crate) struct Arrival {
    pub(crate) at: Instant,
    pub(crate) message: Value,
}

/// A running language server and the client side of its stdio transport.
pub(crate) struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Arrival>,
    /// Messages received and not consumed by a wait yet.
    pending: VecDeque<Arrival>,
    next_id: i64,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    /// Starts `command` (program and arguments) with piped stdio.
    pub(crate) fn spawn(command: &[String]) -> Result<Server> {
        let (program, args) = command.split_first().ok_or_else(|| anyhow!("empty server command"))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", command.join(" ")))?;
        let stdin = Arc::new(Mutex::new(child.stdin.take().context("piped stdin")?));
        let stdout = child.stdout.take().context("piped stdout")?;
        let mut stderr_pipe = child.stderr.take().context("piped stderr")?;
        let (arrivals, incoming) = mpsc::channel();
        let answers = stdin.clone();
        thread::spawn(move || read_messages(stdout, &arrivals, &answers));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = stderr.clone();
        thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr_pipe.read(&mut chunk) {
                sink.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(&chunk[..n]);
            }
        });
        Ok(Server { child, stdin, incoming, pending: VecDeque::new(), next_id: 1, stderr })
    }

    /// The server's process id (for its memory figures).
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Forgets every message received so far, so that the next wait only sees newer ones.
    pub(crate) fn discard_received(&mut self) {
        self.pending.clear();
        while let Ok(arrival) = self.incoming.try_recv() {
            drop(arrival);
        }
    }

    /// Writes one framed message; returns the instant just before the write.
    fn send(&mut self, message: &Value) -> Result<Instant> {
        let bytes = frame(message);
        let sent = Instant::now();
        let mut stdin = self.stdin.lock().unwrap_or_else(PoisonError::into_inner);
        stdin.write_all(&bytes).and_then(|()| stdin.flush()).context("writing to the server")?;
        Ok(sent)
    }

    /// Sends a notification; returns when it was sent.
    pub(crate) fn notify(&mut self, method: &str, params: Value) -> Result<Instant> {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }))
    }

    /// Sends a request and waits for its response; returns the result and the round-trip time.
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Result<(Value, Duration)> {
        let sent = Instant::now();
        let (result, at) = self.request_arrival(method, params)?;
        Ok((result, at.saturating_duration_since(sent)))
    }

    /// Sends a request and waits for its response; returns the result and when it arrived.
    pub(crate) fn request_arrival(&mut self, method: &str, params: Value) -> Result<(Value, Instant)> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))?;
        let arrival = self.wait_for(&format!("the response to {method}"), |m| {
            m.get("method").is_none() && m.get("id").and_then(Value::as_i64) == Some(id)
        })?;
        if let Some(error) = arrival.message.get("error") {
            bail!("{method} failed: {error}");
        }
        Ok((arrival.message.get("result").cloned().unwrap_or(Value::Null), arrival.at))
    }

    /// Waits for the first unconsumed message that satisfies `predicate`, and consumes it.
    pub(crate) fn wait_for(&mut self, what: &str, predicate: impl Fn(&Value) -> bool) -> Result<Arrival> {
        if let Some(index) = self.pending.iter().position(|a| predicate(&a.message)) {
            return self.pending.remove(index).context("index found above");
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(wait) {
                Ok(arrival) if predicate(&arrival.message) => return Ok(arrival),
                Ok(arrival) => self.pending.push_back(arrival),
                Err(RecvTimeoutError::Timeout) => bail!("timed out waiting for {what}{}", self.stderr_tail()),
                Err(RecvTimeoutError::Disconnected) => {
                    bail!("the server closed stdout while waiting for {what}{}", self.stderr_tail())
                }
            }
        }
    }

    /// Waits until the server has sent nothing for `quiet` (at most `limit` in all), keeping what
    /// arrives for later waits.
    pub(crate) fn settle(&mut self, quiet: Duration, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.incoming.recv_timeout(quiet) {
                Ok(arrival) => self.pending.push_back(arrival),
                Err(_) => return,
            }
        }
    }

    /// The last lines of the server's stderr, for error messages.
    fn stderr_tail(&self) -> String {
        let stderr = self.stderr.lock().unwrap_or_else(PoisonError::into_inner);
        let text = String::from_utf8_lossy(&stderr);
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(10)..].join("\n");
        if tail.is_empty() { String::new() } else { format!("\nserver stderr:\n{tail}") }
    }

    /// Peak resident memory in KiB of the server and every process it started (Linux only).
    pub(crate) fn peak_rss_kib(&self) -> Option<u64> {
        let mut total = 0;
        let mut stack = vec![self.pid()];
        let mut found = false;
        while let Some(pid) = stack.pop() {
            if let Some(kib) = vm_hwm_kib(pid) {
                total += kib;
                found = true;
            }
            stack.extend(children(pid));
        }
        found.then_some(total)
    }

    /// Asks the server to shut down and exit; kills it if it does not within a few seconds.
    pub(crate) fn shutdown(mut self) {
        let polite = self.request("shutdown", Value::Null).and_then(|_| self.notify("exit", Value::Null));
        let deadline = Instant::now() + Duration::from_secs(5);
        while polite.is_ok() && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `VmHWM` (the peak resident set) of one process, in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The direct children of a process, from every one of its threads.
fn children(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|text| text.split_whitespace().filter_map(|p| p.parse().ok()).collect::<Vec<u32>>())
        .collect()
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// Reads framed messages until the stream ends; answers server requests on the spot.
fn read_messages(stdout: ChildStdout, arrivals: &Sender<Arrival>, stdin: &Mutex<ChildStdin>) {
    let mut reader = BufReader::new(stdout);
    while let Some(message) = read_message(&mut reader) {
        let at = Instant::now();
        if let (Some(method), Some(id)) = (message.get("method").and_then(Value::as_str), message.get("id")) {
            let answer = json!({ "jsonrpc": "2.0", "id": id, "result": answer_to(method, &message["params"]) });
            let mut stdin = stdin.lock().unwrap_or_else(PoisonError::into_inner);
            let _ = stdin.write_all(&frame(&answer)).and_then(|()| stdin.flush());
        }
        if arrivals.send(Arrival { at, message }).is_err() {
            return;
        }
    }
}

/// What an editor with no settings answers: no value for each configuration item (each server then
/// uses its defaults), and an empty acknowledgement for everything else.
fn answer_to(method: &str, params: &Value) -> Value {
    match method {
        "workspace/configuration" => {
            let items = params.get("items").and_then(Value::as_array).map_or(0, Vec::len);
            Value::Array(vec![Value::Null; items])
        }
        _ => Value::Null,
    }
}

/// Reads one framed message; `None` at the end of the stream or on a framing error.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
