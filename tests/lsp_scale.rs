//! Scale through the real server: a 50,000-line Dockerfile and a 10 MB one are opened; completion
//! and hover are asked for while the diagnostics are being computed and must answer; then the
//! diagnostics arrive, and one keystroke is published again. Timings and the server's peak
//! resident memory (VmHWM) are printed, never asserted: only a generous bound keeps a broken
//! server from hanging the test. The 10,000-Go-file workspace case is in `tests/lsp_go.rs`
//! (`first_diagnostics_arrive_before_a_10000_file_workspace_is_indexed`).

#[path = "../benches/common/generate.rs"]
mod generate;
mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{LspClient, range};

const URI: &str = "file:///scale/Dockerfile";

/// Long enough for a debug build on a busy machine; only a hung server takes this long.
const BOUND: Duration = Duration::from_secs(60);

/// The server's peak resident set in KiB, from `/proc/<pid>/status` (Linux; `None` elsewhere).
fn peak_resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The line and column (UTF-16, ASCII text) of a byte offset.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1);
    (line as u32, column as u32)
}

fn at(text: &str, offset: usize) -> Value {
    let (line, character) = position(text, offset);
    json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } })
}

/// Opens `text`, asks for completion and hover before the diagnostics come, waits for them, types
/// one character and waits for that version's diagnostics; prints what each step took.
#[allow(clippy::print_stdout, reason = "the test reports timings it does not assert")]
fn open_large(name: &str, text: &str) {
    let mut client = LspClient::start();
    let opened = Instant::now();
    client.open(URI, 1, text);
    let middle = text.len() / 2;
    let flag = middle + text[middle..].find("--mount=type=cache").expect("a cache mount") + "--mo".len();
    let completion = client.send_request("textDocument/completion", at(text, flag));
    let variable = middle + text[middle..].find("${VERSION}").expect("a variable") + 3;
    let hover = client.send_request("textDocument/hover", at(text, variable));

    let mut answered = Vec::new();
    let mut diagnostics_after = None;
    while answered.len() < 2 || diagnostics_after.is_none() {
        let message = client.wait_for_within(BOUND, "answers and diagnostics", |_| true);
        let elapsed = opened.elapsed();
        if message["id"] == completion || message["id"] == hover {
            assert!(message.get("error").is_none(), "{name}: {message}");
            answered.push((if message["id"] == completion { "completion" } else { "hover" }, elapsed));
            if message["id"] == completion {
                assert!(!message["result"]["items"].as_array().is_none_or(Vec::is_empty), "{name}: {message}");
            } else {
                assert!(message["result"]["contents"]["value"].as_str().is_some(), "{name}: {message}");
            }
        } else if message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == 1 {
            diagnostics_after = Some(elapsed);
        }
    }
    let first_diagnostics = diagnostics_after.expect("the loop waits for them");
    assert!(first_diagnostics < BOUND, "{name}: diagnostics took {first_diagnostics:?}");

    // One keystroke inside a RUN: the other RUNs keep their shell models.
    let typed = text.find("go build -trimpath").expect("a go build") + "go build".len();
    let (line, character) = position(text, typed);
    let changed = Instant::now();
    client.change(URI, 2, json!([{ "range": range((line, character), (line, character)), "text": " -v" }]));
    let hover_while_checking = client.request_ok("textDocument/hover", at(text, variable));
    let hover_latency = changed.elapsed();
    assert!(hover_while_checking["contents"]["value"].as_str().is_some(), "{name}: {hover_while_checking}");
    client.wait_for_within(BOUND, "the keystroke's diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    });
    let keystroke = changed.elapsed();
    let peak = peak_resident_kib(client.pid()).map_or("unknown".to_string(), |kib| format!("{} MiB", kib / 1024));
    println!(
        "{name} ({} bytes, {} lines): answers {answered:?} while the first diagnostics took {first_diagnostics:.2?}; \
         keystroke to diagnostics {keystroke:.2?} (hover meanwhile {hover_latency:.2?}); server peak RSS {peak}",
        text.len(),
        text.lines().count(),
    );
    client.shutdown_and_exit();
}

#[test]
fn a_50000_line_dockerfile_stays_responsive() {
    open_large("50,000 lines", &generate::generate_dockerfile(50_000));
}

#[test]
fn a_10_mb_dockerfile_stays_responsive() {
    let per_line = generate::generate_dockerfile(5_000).len() as f64 / 5_000.0;
    let lines = (10.0 * 1024.0 * 1024.0 / per_line).ceil() as usize;
    let text = generate::generate_dockerfile(lines);
    assert!(text.len() >= 10 * 1024 * 1024, "{} bytes", text.len());
    open_large("10 MB", &text);
}
