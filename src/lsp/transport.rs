//! The stdio transport: our own framing and checks in front of tower-lsp-server, and a bounded outbox.
//!
//! tower-lsp-server reads and writes the stdio streams itself, and a few of its choices break the
//! protocol: it stops serving after the first frame it cannot decode, rejects lower-case header
//! names and a `Content-Type` without a charset, never answers an unknown `$/` request, answers
//! unknown methods with MethodNotFound before `initialize` and after `shutdown`, and blocks all
//! processing while the client is not reading stdout. So the framework only talks to in-memory
//! pipes, and three tasks stand between it and the client:
//!
//! - the reader splits stdin into frames (`deframe`), answers what is not a valid message (Parse
//!   error or Invalid Request, and keeps reading), enforces the lifecycle for every request, and
//!   passes the rest on to the framework byte for byte;
//! - the pump takes the framework's messages as they come, notes when `initialize` succeeded, and
//!   queues them in the outbox (`outbox`), where newer diagnostics replace older ones;
//! - the writer empties the outbox into stdout at the client's pace.

mod deframe;
mod outbox;

use std::collections::HashMap;
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, LspService, Server};

pub(crate) use deframe::MAX_MESSAGE_BYTES;
use deframe::{Deframer, Frame};
use outbox::{Outbox, Outgoing};

/// The in-memory pipes to and from the framework hold this much before a writer waits.
const PIPE_BYTES: usize = 256 * 1024;
/// At exit, how long queued messages may take to reach a client that is slow to read them.
const FLUSH_AT_EXIT: Duration = Duration::from_secs(1);

/// JSON-RPC and LSP error codes the transport answers with.
mod code {
    pub(super) const PARSE_ERROR: i64 = -32700;
    pub(super) const INVALID_REQUEST: i64 = -32600;
    pub(super) const METHOD_NOT_FOUND: i64 = -32601;
    pub(super) const SERVER_NOT_INITIALIZED: i64 = -32002;
    pub(super) const REQUEST_CANCELLED: i64 = -32800;
}

/// Where the session is, as far as requests are concerned.
#[derive(Debug, Clone, PartialEq, Default)]
enum Lifecycle {
    #[default]
    Uninitialized,
    /// `initialize` (with this id) was passed on and not answered yet.
    Initializing(Value),
    Initialized,
    ShutDown,
}

/// What the reader and the pump share.
#[derive(Default)]
struct Session {
    lifecycle: Lifecycle,
    /// The requests passed on and not answered yet (by `id_key`), and whether each was cancelled
    /// (then the transport has answered it, and the framework's late answer is dropped).
    in_flight: HashMap<String, bool>,
}

/// A request id as a map key (`5` and `"5"` are different ids).
fn id_key(id: &Value) -> String {
    id.to_string()
}

/// Serves `service` with messages read from `input` and written to `output`, until `exit` or the
/// end of `input`.
pub(super) async fn serve<S, I, O>(input: I, output: O, service: LspService<S>, socket: ClientSocket)
where
    S: tower_lsp_server::LanguageServer,
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let outbox = Arc::new(Outbox::default());
    let session = Arc::new(Mutex::new(Session::default()));
    // Duplex pipes used one way: dropping one end is the end of the stream for the other.
    let (framework_input, to_framework) = tokio::io::duplex(PIPE_BYTES);
    let (from_framework, framework_output) = tokio::io::duplex(PIPE_BYTES);
    // Everything runs on this thread, as the framework does, rather than in spawned tasks: the
    // runtime's workers may all be busy computing diagnostics, and reading the client must not
    // wait for them.
    let serving = Server::new(framework_input, framework_output, socket).serve(service);
    // The pump ends when the framework's output is closed, at the end of `serve`.
    let pumping = pump(from_framework, outbox.clone(), session.clone());
    let mut reading = pin!(read_client(input, to_framework, outbox.clone(), session));
    let mut running = pin!(async { tokio::join!(serving, pumping) });
    let mut writing = pin!(write_client(output, outbox));
    let (mut read, mut written) = (false, false);
    loop {
        tokio::select! {
            _ = &mut running => break,
            () = &mut reading, if !read => read = true,
            () = &mut writing, if !written => written = true,
        }
    }
    if !written && tokio::time::timeout(FLUSH_AT_EXIT, writing).await.is_err() {
        tracing::warn!("the client did not read the last messages; exiting without them");
    }
}

/// Reads the client's stream, answers what the framework must not see, and passes on the rest.
async fn read_client<I, W>(mut input: I, mut framework: W, outbox: Arc<Outbox>, session: Arc<Mutex<Session>>)
where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut deframer = Deframer::default();
    let mut chunk = vec![0; 64 * 1024];
    loop {
        let read = match input.read(&mut chunk).await {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) => {
                tracing::error!("cannot read stdin: {error}");
                break;
            }
        };
        deframer.push(&chunk[..read]);
        while let Some(frame) = deframer.next_frame() {
            let admission = {
                let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
                let admission = admit(frame, &mut session.lifecycle);
                if let Admission::Forward { tracking, .. } = &admission {
                    track(&mut session, tracking, &outbox);
                }
                admission
            };
            match admission {
                Admission::Forward { body, exit, .. } => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let sent = async {
                        framework.write_all(header.as_bytes()).await?;
                        framework.write_all(&body).await?;
                        framework.flush().await
                    };
                    if sent.await.is_err() || exit {
                        // The framework stopped reading (it does after `exit`).
                        return;
                    }
                }
                Admission::Answer(body) => outbox.push(Outgoing { body, diagnostics_for: None }),
                Admission::Drop => {}
            }
        }
    }
    if deframer.inside_message() {
        tracing::warn!("stdin ended inside a message; it is ignored");
        outbox.push(Outgoing {
            body: error_response(&Value::Null, code::PARSE_ERROR, "incomplete message"),
            diagnostics_for: None,
        });
    }
    // Dropping `framework` ends the framework's input, and so the session.
}

/// What to do with one frame from the client.
#[derive(Debug, PartialEq)]
enum Admission {
    /// Pass the body on to the framework; `exit` when nothing after it will be read.
    Forward {
        body: Vec<u8>,
        exit: bool,
        tracking: Tracking,
    },
    /// Answer the client directly with this message.
    Answer(Vec<u8>),
    Drop,
}

/// What a message passed on means for the requests in flight.
#[derive(Debug, PartialEq)]
enum Tracking {
    None,
    /// A request with this id, to be answered.
    Request(Value),
    /// `$/cancelRequest` for this id.
    Cancel(Value),
}

/// Records a request passed on, or answers a cancelled one at once: the framework only notices a
/// cancellation between two handlers, often after the request has run, while the client waits.
fn track(session: &mut Session, tracking: &Tracking, outbox: &Outbox) {
    match tracking {
        Tracking::None => {}
        Tracking::Request(id) => {
            session.in_flight.insert(id_key(id), false);
        }
        Tracking::Cancel(id) => {
            if let Some(cancelled) = session.in_flight.get_mut(&id_key(id))
                && !*cancelled
            {
                *cancelled = true;
                tracing::debug!("request {id} cancelled");
                let body = error_response(id, code::REQUEST_CANCELLED, "the request was cancelled");
                outbox.push(Outgoing { body, diagnostics_for: None });
            }
        }
    }
}

/// A message as the framework decodes it: exactly its untagged `Message`, so that whatever
/// passes here, the framework decodes too (it stops serving on anything it cannot decode).
#[derive(Deserialize)]
#[serde(untagged)]
enum Incoming {
    // The order matters as in the framework: a response first.
    #[allow(dead_code)] // Only whether it decodes matters.
    Response(Response),
    Request(Request),
}

/// Decides what happens to a frame, advancing the lifecycle for requests that change it.
fn admit(frame: Frame, lifecycle: &mut Lifecycle) -> Admission {
    let body = match frame {
        Frame::Body(body) => body,
        Frame::Rejected(reason) => {
            tracing::warn!("ignored bytes from the client: {reason}");
            return Admission::Answer(error_response(
                &Value::Null,
                code::PARSE_ERROR,
                &format!("unreadable message: {reason}"),
            ));
        }
        Frame::TooLarge { length, id, method } => {
            let method = method.unwrap_or_else(|| "an unknown method".to_string());
            tracing::error!("ignored a message of {length} bytes ({method}): the limit is {MAX_MESSAGE_BYTES} bytes");
            let message = format!("a message of {length} bytes is larger than the limit of {MAX_MESSAGE_BYTES} bytes");
            // A request is answered so that the client does not wait for it; a notification is lost.
            return match id {
                Some(id) => Admission::Answer(error_response(&id, code::INVALID_REQUEST, &message)),
                None => Admission::Drop,
            };
        }
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        tracing::warn!("ignored a message that is not UTF-8");
        return Admission::Answer(error_response(&Value::Null, code::PARSE_ERROR, "the message is not UTF-8"));
    };
    let request = match serde_json::from_str::<Incoming>(text) {
        Ok(Incoming::Response(_)) => return Admission::Forward { body, exit: false, tracking: Tracking::None },
        Ok(Incoming::Request(request)) => request,
        Err(error) => return invalid_message(text, &error),
    };
    let method = request.method();
    let Some(id) = request.id() else {
        // Notifications go through: the framework drops those the lifecycle does not allow.
        let tracking = match request.params().and_then(|params| params.get("id")) {
            Some(id) if method == "$/cancelRequest" => Tracking::Cancel(id.clone()),
            _ => Tracking::None,
        };
        return Admission::Forward { exit: method == "exit", body, tracking };
    };
    let id = serde_json::to_value(id).unwrap_or(Value::Null);
    let forward = |body: Vec<u8>| Admission::Forward { body, exit: false, tracking: Tracking::Request(id.clone()) };
    let refuse = |code: i64, message: &str| {
        tracing::warn!("refused the request {method:?}: {message}");
        Admission::Answer(error_response(&id, code, message))
    };
    match (&*lifecycle, method) {
        (_, "exit") => Admission::Forward { body, exit: true, tracking: Tracking::None },
        (Lifecycle::Uninitialized, "initialize") => {
            *lifecycle = Lifecycle::Initializing(id.clone());
            forward(body)
        }
        (Lifecycle::Uninitialized | Lifecycle::Initializing(_), _) => {
            refuse(code::SERVER_NOT_INITIALIZED, "the server is not initialized yet")
        }
        (Lifecycle::ShutDown, _) => refuse(code::INVALID_REQUEST, "the server is shut down; only `exit` is accepted"),
        (Lifecycle::Initialized, "initialize") => refuse(code::INVALID_REQUEST, "the server is already initialized"),
        // gantry knows no `$/` request; the specification says those must get MethodNotFound.
        (Lifecycle::Initialized, dollar) if dollar.starts_with("$/") => {
            refuse(code::METHOD_NOT_FOUND, &format!("unknown method {dollar}"))
        }
        (Lifecycle::Initialized, "shutdown") => {
            *lifecycle = Lifecycle::ShutDown;
            forward(body)
        }
        (Lifecycle::Initialized, _) => forward(body),
    }
}

/// The answer to JSON that is not a message (Invalid Request, with its id when it has one) or to
/// text that is not JSON (Parse error).
fn invalid_message(text: &str, error: &serde_json::Error) -> Admission {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            tracing::warn!("ignored JSON that is not a JSON-RPC message: {error}");
            let id = value.get("id").filter(|id| id.is_number() || id.is_string()).cloned().unwrap_or(Value::Null);
            Admission::Answer(error_response(&id, code::INVALID_REQUEST, "not a JSON-RPC 2.0 message"))
        }
        Err(error) => {
            tracing::warn!("ignored a message that is not JSON: {error}");
            Admission::Answer(error_response(
                &Value::Null,
                code::PARSE_ERROR,
                &format!("the message is not JSON: {error}"),
            ))
        }
    }
}

fn error_response(id: &Value, code: i64, message: &str) -> Vec<u8> {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string().into_bytes()
}

/// What the pump reads of an outgoing message (everything else is skipped unparsed).
#[derive(Deserialize)]
struct OutgoingHead {
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Publication {
    params: PublicationParams,
}

#[derive(Deserialize)]
struct PublicationParams {
    uri: String,
}

/// Moves the framework's messages into the outbox as soon as they are written.
async fn pump<R: AsyncRead + Unpin>(from_framework: R, outbox: Arc<Outbox>, session: Arc<Mutex<Session>>) {
    let mut reader = BufReader::new(from_framework);
    loop {
        match read_framework_message(&mut reader).await {
            Ok(Some(body)) => match observe(&body, &session) {
                Observed::Send { diagnostics_for } => outbox.push(Outgoing { body, diagnostics_for }),
                Observed::AlreadyAnswered => {}
            },
            Ok(None) => break,
            Err(error) => {
                tracing::error!("cannot read the framework's output: {error}");
                break;
            }
        }
    }
    outbox.close();
}

/// What to do with a message of the framework.
#[derive(Debug, PartialEq)]
enum Observed {
    /// Send it; a diagnostics publication names its document.
    Send { diagnostics_for: Option<String> },
    /// The answer to a request the transport already answered as cancelled.
    AlreadyAnswered,
}

/// Notes the answers to requests (`initialize` moves the lifecycle) and names the document of a
/// diagnostics publication.
fn observe(body: &[u8], session: &Mutex<Session>) -> Observed {
    let Ok(head) = serde_json::from_slice::<OutgoingHead>(body) else {
        return Observed::Send { diagnostics_for: None };
    };
    match (head.method.as_deref(), &head.id) {
        (Some("textDocument/publishDiagnostics"), _) => {
            let uri = serde_json::from_slice::<Publication>(body).ok().map(|publication| publication.params.uri);
            Observed::Send { diagnostics_for: uri }
        }
        (None, Some(id)) => {
            let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
            if let Lifecycle::Initializing(initialize) = &session.lifecycle
                && initialize == id
            {
                // A failed `initialize` (invalid params) may be sent again.
                session.lifecycle =
                    if head.error.is_some() { Lifecycle::Uninitialized } else { Lifecycle::Initialized };
            }
            match session.in_flight.remove(&id_key(id)) {
                Some(true) => Observed::AlreadyAnswered,
                _ => Observed::Send { diagnostics_for: None },
            }
        }
        _ => Observed::Send { diagnostics_for: None },
    }
}

/// Reads one message the framework wrote (always `Content-Length: N\r\n\r\n` and a body).
async fn read_framework_message<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> std::io::Result<Option<Vec<u8>>> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
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
    let length = length.ok_or_else(|| std::io::Error::other("a message without Content-Length"))?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(Some(body))
}

/// Writes the outbox to the client, one message at a time, at the pace the client reads.
async fn write_client<O: AsyncWrite + Unpin>(mut output: O, outbox: Arc<Outbox>) {
    while let Some(body) = outbox.next().await {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        let written = async {
            output.write_all(header.as_bytes()).await?;
            output.write_all(&body).await?;
            output.flush().await
        };
        if let Err(error) = written.await {
            tracing::error!("cannot write to the client: {error}; later messages are dropped");
            outbox.discard();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: i64, method: &str) -> Frame {
        Frame::Body(json!({ "jsonrpc": "2.0", "id": id, "method": method }).to_string().into_bytes())
    }

    fn answer_code(admission: &Admission) -> Option<i64> {
        match admission {
            Admission::Answer(body) => serde_json::from_slice::<Value>(body).ok()?["error"]["code"].as_i64(),
            _ => None,
        }
    }

    #[test]
    fn the_lifecycle_is_enforced_for_every_request() {
        let mut lifecycle = Lifecycle::default();
        assert_eq!(answer_code(&admit(request(1, "textDocument/hover"), &mut lifecycle)), Some(-32002));
        assert_eq!(answer_code(&admit(request(2, "gantry/unknown"), &mut lifecycle)), Some(-32002));
        assert!(matches!(admit(request(3, "initialize"), &mut lifecycle), Admission::Forward { exit: false, .. }));
        assert_eq!(lifecycle, Lifecycle::Initializing(json!(3)));
        assert_eq!(answer_code(&admit(request(4, "shutdown"), &mut lifecycle)), Some(-32002));
        lifecycle = Lifecycle::Initialized;
        assert_eq!(answer_code(&admit(request(5, "$/unknown"), &mut lifecycle)), Some(-32601));
        assert_eq!(answer_code(&admit(request(6, "initialize"), &mut lifecycle)), Some(-32600));
        assert!(matches!(admit(request(7, "gantry/unknown"), &mut lifecycle), Admission::Forward { .. }));
        assert!(matches!(admit(request(8, "shutdown"), &mut lifecycle), Admission::Forward { .. }));
        assert_eq!(answer_code(&admit(request(9, "gantry/unknown"), &mut lifecycle)), Some(-32600));
        assert_eq!(answer_code(&admit(request(10, "$/unknown"), &mut lifecycle)), Some(-32600));
        assert!(matches!(admit(request(11, "exit"), &mut lifecycle), Admission::Forward { exit: true, .. }));
    }

    #[test]
    fn invalid_messages_are_answered_with_the_right_code() {
        let mut lifecycle = Lifecycle::Initialized;
        let cases: [(&[u8], i64); 5] = [
            (b"not json", -32700),
            (b"\"\xff\"", -32700),
            (b"", -32700),
            (br#"{"hello":"world"}"#, -32600),
            (br#"{"jsonrpc":"1.0","id":3,"method":"x"}"#, -32600),
        ];
        for (body, expected) in cases {
            let admission = admit(Frame::Body(body.to_vec()), &mut lifecycle);
            assert_eq!(answer_code(&admission), Some(expected), "{}", String::from_utf8_lossy(body));
        }
        let Admission::Answer(body) = admit(Frame::Body(br#"{"id":"x7","method":3}"#.to_vec()), &mut lifecycle) else {
            panic!("not answered");
        };
        assert_eq!(serde_json::from_slice::<Value>(&body).expect("json")["id"], "x7");
    }

    #[test]
    fn the_answer_to_initialize_moves_the_lifecycle() {
        let session = Mutex::new(Session { lifecycle: Lifecycle::Initializing(json!(1)), ..Session::default() });
        let lifecycle = |session: &Mutex<Session>| session.lock().expect("lock").lifecycle.clone();
        observe(br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"x"}}"#, &session);
        assert_eq!(lifecycle(&session), Lifecycle::Uninitialized);
        session.lock().expect("lock").lifecycle = Lifecycle::Initializing(json!(2));
        observe(br#"{"jsonrpc":"2.0","id":1,"result":{}}"#, &session);
        assert_eq!(lifecycle(&session), Lifecycle::Initializing(json!(2)));
        observe(br#"{"jsonrpc":"2.0","id":2,"result":{"capabilities":{}}}"#, &session);
        assert_eq!(lifecycle(&session), Lifecycle::Initialized);
        let observed = observe(
            br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a","diagnostics":[]}}"#,
            &session,
        );
        assert_eq!(observed, Observed::Send { diagnostics_for: Some("file:///a".to_string()) });
    }

    #[test]
    fn a_cancelled_request_is_answered_once() {
        let outbox = Outbox::default();
        let session = Mutex::new(Session { lifecycle: Lifecycle::Initialized, ..Session::default() });
        let admit_and_track = |frame: Frame| {
            let mut session = session.lock().expect("lock");
            let admission = admit(frame, &mut session.lifecycle);
            if let Admission::Forward { tracking, .. } = &admission {
                track(&mut session, tracking, &outbox);
            }
        };
        let cancel = |id: i64| {
            let message = json!({ "jsonrpc": "2.0", "method": "$/cancelRequest", "params": { "id": id } });
            Frame::Body(message.to_string().into_bytes())
        };
        admit_and_track(request(1, "textDocument/formatting"));
        admit_and_track(request(2, "textDocument/formatting"));
        admit_and_track(cancel(1));
        admit_and_track(cancel(1));
        // The framework's answers: the cancelled request's is dropped, the other's is sent.
        assert_eq!(observe(br#"{"jsonrpc":"2.0","id":1,"result":[]}"#, &session), Observed::AlreadyAnswered);
        let answered = observe(br#"{"jsonrpc":"2.0","id":2,"result":[]}"#, &session);
        assert_eq!(answered, Observed::Send { diagnostics_for: None });
        // Cancelling an answered request does nothing.
        admit_and_track(cancel(2));
        outbox.close();
        let answers = drain(&outbox);
        assert_eq!(answers.len(), 1, "{answers:?}");
        assert_eq!(answers[0]["id"], 1);
        assert_eq!(answers[0]["error"]["code"], -32800);
    }

    fn drain(outbox: &Outbox) -> Vec<Value> {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            let mut out = Vec::new();
            while let Some(body) = outbox.next().await {
                out.push(serde_json::from_slice(&body).expect("json"));
            }
            out
        })
    }
}
