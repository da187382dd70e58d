//! Splitting the client's byte stream into messages: headers, bodies, and recovery from bad frames.
//!
//! The reader pushes bytes in as they arrive and takes frames out; nothing here blocks or fails.
//! A header block is a run of `Name: value` lines ended by an empty line (CRLF, or a bare LF from a
//! lenient client). Header names are case-insensitive, unknown headers are ignored, `Content-Type`
//! is optional and its charset, when given, must be UTF-8. A block that cannot be used (no or an
//! invalid `Content-Length`, a line without a colon, more than `MAX_HEADER_BYTES`) is reported once
//! and the stream is resynchronised at the next `Content-Length` header. A body larger than
//! `MAX_MESSAGE_BYTES` is skipped as it streams by, without being kept; only its top-level `id` and
//! `method` are picked out of it, so that a request can still be answered.

use serde_json::Value;

/// The largest message body accepted (64 MiB); larger bodies are skipped and reported.
pub(crate) const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The largest header block accepted; real clients send one or two short lines.
const MAX_HEADER_BYTES: usize = 8 * 1024;

/// What the client sent, one frame at a time.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    /// A well-delimited body (not validated yet).
    Body(Vec<u8>),
    /// Bytes that could not be used as a message, and why.
    Rejected(String),
    /// A body longer than `MAX_MESSAGE_BYTES`, skipped; its `id` and `method` when they could be read.
    TooLarge { length: usize, id: Option<Value>, method: Option<String> },
}

#[derive(Debug)]
enum Stage {
    Headers,
    /// Waiting for a body of `length` bytes; `rejection` when the headers make it unusable.
    Body {
        length: usize,
        rejection: Option<String>,
    },
    /// Discarding an oversized body as it arrives.
    Skip {
        length: usize,
        remaining: usize,
        skeleton: Skeleton,
    },
    /// Discarding bytes until the next `Content-Length`.
    Resync,
}

/// The incremental frame splitter.
#[derive(Debug)]
pub(crate) struct Deframer {
    buffer: Vec<u8>,
    stage: Stage,
}

impl Default for Deframer {
    fn default() -> Deframer {
        Deframer { buffer: Vec::new(), stage: Stage::Headers }
    }
}

impl Deframer {
    /// Appends bytes read from the client.
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// Whether the stream stopped inside a message (for the report when the client goes away).
    pub(crate) fn inside_message(&self) -> bool {
        match self.stage {
            Stage::Headers => self.buffer.iter().any(|b| !b.is_ascii_whitespace()),
            Stage::Body { .. } | Stage::Skip { .. } => true,
            Stage::Resync => false,
        }
    }

    /// The next complete frame, or `None` until more bytes arrive.
    pub(crate) fn next_frame(&mut self) -> Option<Frame> {
        loop {
            match &mut self.stage {
                Stage::Headers => match self.headers()? {
                    Ok(stage) => self.stage = stage,
                    Err(reason) => {
                        // Resynchronise from the byte after the start of the bad block, so that a
                        // `Content-Length` glued to garbage on the same line is still found.
                        self.consume(1);
                        self.stage = Stage::Resync;
                        return Some(Frame::Rejected(reason));
                    }
                },
                Stage::Body { length, rejection } => {
                    if self.buffer.len() < *length {
                        return None;
                    }
                    let rest = self.buffer.split_off(*length);
                    let body = std::mem::replace(&mut self.buffer, rest);
                    let frame = match rejection.take() {
                        Some(reason) => Frame::Rejected(reason),
                        None => Frame::Body(body),
                    };
                    self.stage = Stage::Headers;
                    return Some(frame);
                }
                Stage::Skip { length, remaining, skeleton } => {
                    let take = (*remaining).min(self.buffer.len());
                    skeleton.feed(&self.buffer[..take]);
                    *remaining -= take;
                    let done = *remaining == 0;
                    let length = *length;
                    let (id, method) = if done { skeleton.id_and_method() } else { (None, None) };
                    self.consume(take);
                    if !done {
                        return None;
                    }
                    self.stage = Stage::Headers;
                    return Some(Frame::TooLarge { length, id, method });
                }
                Stage::Resync => match find_content_length(&self.buffer) {
                    Some(at) => {
                        self.consume(at);
                        self.stage = Stage::Headers;
                    }
                    None => {
                        // Keep a tail that may be the start of a `Content-Length` split across reads.
                        let keep = CONTENT_LENGTH.len() - 1;
                        self.consume(self.buffer.len().saturating_sub(keep));
                        return None;
                    }
                },
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.buffer.drain(..n.min(self.buffer.len()));
    }

    /// Parses a complete header block at the start of the buffer: `None` while it is incomplete,
    /// then the stage that follows it, or why it is unusable.
    fn headers(&mut self) -> Option<Result<Stage, String>> {
        // Stray line breaks between messages are tolerated silently.
        let blank = self.buffer.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
        self.consume(blank);
        let mut lines = Vec::new();
        let mut at = 0;
        loop {
            let Some(newline) = self.buffer[at..].iter().position(|&b| b == b'\n') else {
                if self.buffer.len() > MAX_HEADER_BYTES {
                    return Some(Err(format!("a header block longer than {MAX_HEADER_BYTES} bytes")));
                }
                return None;
            };
            let line = &self.buffer[at..at + newline];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            at += newline + 1;
            if at > MAX_HEADER_BYTES {
                return Some(Err(format!("a header block longer than {MAX_HEADER_BYTES} bytes")));
            }
            if line.is_empty() {
                break;
            }
            lines.push(line.to_vec());
        }
        let parsed = parse_headers(&lines);
        if parsed.is_ok() {
            self.consume(at);
        }
        Some(parsed.map(|(length, rejection)| {
            if length > MAX_MESSAGE_BYTES {
                Stage::Skip { length, remaining: length, skeleton: Skeleton::default() }
            } else {
                Stage::Body { length, rejection }
            }
        }))
    }
}

const CONTENT_LENGTH: &[u8] = b"content-length";

fn find_content_length(bytes: &[u8]) -> Option<usize> {
    bytes.windows(CONTENT_LENGTH.len()).position(|window| window.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// The body length of a header block, and why its body must be rejected (an unsupported charset).
fn parse_headers(lines: &[Vec<u8>]) -> Result<(usize, Option<String>), String> {
    let mut length = None;
    let mut rejection = None;
    for line in lines {
        let line = std::str::from_utf8(line).map_err(|_| "a header line that is not text".to_string())?;
        let (name, value) = line.split_once(':').ok_or_else(|| format!("a header line without a colon: {line:?}"))?;
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            let parsed: usize = value.parse().map_err(|_| format!("an invalid Content-Length: {value:?}"))?;
            if length.is_some_and(|earlier| earlier != parsed) {
                return Err("two different Content-Length headers".to_string());
            }
            length = Some(parsed);
        } else if name.eq_ignore_ascii_case("content-type") {
            let charset = value.split(';').skip(1).find_map(|parameter| {
                let (key, value) = parameter.split_once('=')?;
                key.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"'))
            });
            // The specification's default is UTF-8; `utf8` is accepted for old clients.
            if let Some(charset) =
                charset.filter(|c| !c.eq_ignore_ascii_case("utf-8") && !c.eq_ignore_ascii_case("utf8"))
            {
                rejection = Some(format!("an unsupported charset {charset:?} (only UTF-8 is)"));
            }
        } else {
            tracing::debug!("ignored the header {name:?}");
        }
    }
    let length = length.ok_or_else(|| "a header block without Content-Length".to_string())?;
    Ok((length, rejection))
}

/// The most bytes of an oversized body kept to find its `id` and `method`.
const SKELETON_BYTES: usize = 64 * 1024;
/// Strings at the top level are cut after this many bytes (ids and method names are short).
const SKELETON_STRING_BYTES: usize = 1024;

/// A small copy of a JSON body's top level, built as the body streams by: nested objects and
/// arrays become `0` and long strings are cut, so that `id` and `method` can be parsed from it.
#[derive(Debug, Default)]
struct Skeleton {
    depth: u32,
    in_string: bool,
    escaped: bool,
    string_bytes: usize,
    cut: bool,
    overflow: bool,
    out: Vec<u8>,
}

impl Skeleton {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.overflow {
                return;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.keep_string_byte(b);
                } else if b == b'"' {
                    self.in_string = false;
                    self.emit(b);
                } else {
                    // Cut only where a character starts: never inside an escape or a UTF-8 sequence.
                    let starts_character = b.is_ascii() || b >= 0xC0;
                    if self.string_bytes >= SKELETON_STRING_BYTES && starts_character {
                        self.cut = true;
                    }
                    self.escaped = b == b'\\';
                    self.keep_string_byte(b);
                }
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_bytes = 0;
                    self.cut = false;
                    self.emit(b);
                }
                b'{' | b'[' => {
                    match self.depth {
                        0 => self.emit(b),
                        1 => self.emit(b'0'),
                        _ => {}
                    }
                    self.depth += 1;
                }
                b'}' | b']' => {
                    self.emit(b);
                    self.depth = self.depth.saturating_sub(1);
                }
                _ => self.emit(b),
            }
        }
    }

    fn keep_string_byte(&mut self, b: u8) {
        if !self.cut && self.depth <= 1 {
            self.string_bytes += 1;
            self.emit(b);
        }
    }

    /// Keeps a byte of the top level (nested values are left out).
    fn emit(&mut self, b: u8) {
        if self.depth > 1 {
            return;
        }
        if self.out.len() >= SKELETON_BYTES {
            self.overflow = true;
            return;
        }
        self.out.push(b);
    }

    fn id_and_method(&self) -> (Option<Value>, Option<String>) {
        if self.overflow {
            return (None, None);
        }
        let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(&self.out) else { return (None, None) };
        let id = top.get("id").filter(|id| id.is_number() || id.is_string()).cloned();
        let method = top.get("method").and_then(Value::as_str).map(str::to_string);
        (id, method)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn frames(input: &[&[u8]]) -> Vec<Frame> {
        let mut deframer = Deframer::default();
        let mut out = Vec::new();
        for bytes in input {
            deframer.push(bytes);
            while let Some(frame) = deframer.next_frame() {
                out.push(frame);
            }
        }
        out
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[test]
    fn frames_split_anywhere_are_reassembled() {
        let stream = b"Content-Length: 2\r\n\r\n{}content-length:3\n\n[1]";
        for split in 0..stream.len() {
            let (a, b) = stream.split_at(split);
            assert_eq!(frames(&[a, b]), [body("{}"), body("[1]")], "split at {split}");
        }
    }

    #[test]
    fn header_names_are_case_insensitive_and_unknown_headers_ignored() {
        let stream =
            b"X-Trace: 1\r\nCONTENT-TYPE: application/vscode-jsonrpc; charset=\"UTF-8\"\r\ncontent-LENGTH: 2\r\n\r\n{}";
        assert_eq!(frames(&[stream]), [body("{}")]);
        let stream = b"Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{}";
        assert_eq!(frames(&[stream]), [body("{}")]);
    }

    #[test]
    fn bad_header_blocks_are_reported_once_and_the_next_frame_is_found() {
        let next = b"Content-Length: 2\r\n\r\n{}";
        let cases: [&[u8]; 5] = [
            b"X-Whatever: 1\r\n\r\n{}",
            b"Content-Length: twelve\r\n\r\n{}",
            b"Content-Length: -2\r\n\r\n{}",
            b"garbage",
            b"\x00\x01 garbage \xff\xfe\r\n\r\n",
        ];
        for case in cases {
            let got = frames(&[case, next]);
            assert!(matches!(got.first(), Some(Frame::Rejected(_))), "{:?}: {got:?}", String::from_utf8_lossy(case));
            assert_eq!(got.last(), Some(&body("{}")), "{:?}", String::from_utf8_lossy(case));
            assert_eq!(got.len(), 2, "{:?}: {got:?}", String::from_utf8_lossy(case));
        }
    }

    #[test]
    fn an_unsupported_charset_rejects_exactly_its_body() {
        let got =
            frames(&[b"Content-Length: 2\r\nContent-Type: x; charset=latin1\r\n\r\n{}Content-Length: 2\r\n\r\n[]"]);
        assert!(matches!(&got[0], Frame::Rejected(reason) if reason.contains("latin1")), "{got:?}");
        assert_eq!(got[1], body("[]"));
    }

    #[test]
    fn an_endless_header_block_is_rejected_without_growing() {
        let mut deframer = Deframer::default();
        let line = vec![b'x'; 1024];
        let mut rejected = 0;
        for _ in 0..100 {
            deframer.push(&line);
            while let Some(frame) = deframer.next_frame() {
                assert!(matches!(frame, Frame::Rejected(_)), "{frame:?}");
                rejected += 1;
            }
            assert!(deframer.buffer.len() <= MAX_HEADER_BYTES + line.len(), "{}", deframer.buffer.len());
        }
        assert_eq!(rejected, 1);
    }

    #[test]
    fn oversized_bodies_are_skipped_in_pieces_and_their_id_is_read() {
        let length = MAX_MESSAGE_BYTES + 10;
        let head = br#"{"jsonrpc":"2.0","params":{"text":""#;
        let mut deframer = Deframer::default();
        deframer.push(format!("Content-Length: {length}\r\n\r\n").as_bytes());
        deframer.push(head);
        let filler = vec![b'a'; 1024 * 1024];
        let mut sent = head.len();
        let tail = br#""},"id":42,"method":"textDocument/formatting"}"#;
        while sent + filler.len() + tail.len() < length {
            deframer.push(&filler);
            sent += filler.len();
            assert_eq!(deframer.next_frame(), None);
            assert!(deframer.buffer.is_empty());
        }
        deframer.push(&vec![b'a'; length - sent - tail.len()]);
        deframer.push(tail);
        deframer.push(b"Content-Length: 2\r\n\r\n{}");
        let frame = deframer.next_frame();
        assert_eq!(
            frame,
            Some(Frame::TooLarge { length, id: Some(json!(42)), method: Some("textDocument/formatting".to_string()) })
        );
        assert_eq!(deframer.next_frame(), Some(body("{}")));
    }

    #[test]
    fn the_skeleton_keeps_the_top_level_only() {
        let mut skeleton = Skeleton::default();
        let long = "é".repeat(2000);
        let text = format!(r#"{{"method":"{long}\"x","params":[{{"a":"}}"}}],"id":"seven"}}"#);
        skeleton.feed(text.as_bytes());
        let (id, method) = skeleton.id_and_method();
        assert_eq!(id, Some(json!("seven")));
        assert!(method.is_some_and(|m| m.len() <= SKELETON_STRING_BYTES + 4));
    }
}
