//! The queue of messages waiting for the client to read them, bounded by coalescing diagnostics.
//!
//! The server never waits for the client to read: everything it sends goes into this queue and
//! one writer task empties it into stdout at the client's pace. While the client is not reading,
//! a newer `textDocument/publishDiagnostics` for a document replaces the one still queued for it
//! (only the latest diagnostics of a document matter), so the queue holds at most one publication
//! per document plus the responses to the client's own requests and the server's few other
//! messages.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

/// A queue this long means the client has stopped reading; said once in the log.
const LONG_QUEUE: usize = 1000;

/// One outgoing message body, and the document whose diagnostics it publishes.
pub(crate) struct Outgoing {
    pub(crate) body: Vec<u8>,
    pub(crate) diagnostics_for: Option<String>,
}

#[derive(Default)]
struct Queue {
    /// Entries with consecutive sequence numbers, the first being `first_seq`.
    entries: VecDeque<(u64, Outgoing)>,
    first_seq: u64,
    next_seq: u64,
    /// The queued publication of each document, by sequence number.
    diagnostics: HashMap<String, u64>,
    closed: bool,
    /// Set when stdout failed: further messages are dropped.
    discarding: bool,
    warned: bool,
    coalesced: u64,
}

/// Shared by the tasks that produce messages and the task that writes them.
#[derive(Default)]
pub(crate) struct Outbox {
    queue: Mutex<Queue>,
    ready: Notify,
}

impl Outbox {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a message; a publication replaces the one still queued for the same document.
    pub(crate) fn push(&self, message: Outgoing) {
        let mut queue = self.lock();
        if queue.discarding {
            return;
        }
        if let Some(uri) = &message.diagnostics_for
            && let Some(&seq) = queue.diagnostics.get(uri)
        {
            let index = (seq - queue.first_seq) as usize;
            if let Some((_, queued)) = queue.entries.get_mut(index) {
                *queued = message;
                queue.coalesced += 1;
                return;
            }
        }
        let seq = queue.next_seq;
        queue.next_seq += 1;
        if let Some(uri) = &message.diagnostics_for {
            queue.diagnostics.insert(uri.clone(), seq);
        }
        queue.entries.push_back((seq, message));
        if queue.entries.len() >= LONG_QUEUE && !queue.warned {
            queue.warned = true;
            tracing::warn!("{LONG_QUEUE} messages wait for the client to read stdout");
        }
        drop(queue);
        self.ready.notify_one();
    }

    /// No more messages will be queued; the writer ends once the queue is empty.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_one();
    }

    /// Drops everything queued and to come (the client can no longer be written to).
    pub(crate) fn discard(&self) {
        let mut queue = self.lock();
        queue.discarding = true;
        queue.entries.clear();
        queue.diagnostics.clear();
    }

    /// The next message to write, waiting for one; `None` once closed and empty.
    pub(crate) async fn next(&self) -> Option<Vec<u8>> {
        loop {
            {
                let mut queue = self.lock();
                if let Some((seq, message)) = queue.entries.pop_front() {
                    queue.first_seq = seq + 1;
                    if let Some(uri) = &message.diagnostics_for
                        && queue.diagnostics.get(uri) == Some(&seq)
                    {
                        queue.diagnostics.remove(uri);
                    }
                    if queue.entries.is_empty() && queue.warned {
                        queue.warned = false;
                        tracing::info!(
                            "the client reads again ({} superseded diagnostics were not sent)",
                            queue.coalesced
                        );
                    }
                    return Some(message.body);
                }
                if queue.closed || queue.discarding {
                    return None;
                }
            }
            // `notify_one` keeps a permit when nobody waits, so a push between the unlock above
            // and this wait is not missed.
            self.ready.notified().await;
        }
    }

    /// How many messages are queued.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str, uri: Option<&str>) -> Outgoing {
        Outgoing { body: text.as_bytes().to_vec(), diagnostics_for: uri.map(str::to_string) }
    }

    async fn drain(outbox: &Outbox) -> Vec<String> {
        outbox.close();
        let mut out = Vec::new();
        while let Some(body) = outbox.next().await {
            out.push(String::from_utf8(body).expect("text"));
        }
        out
    }

    #[tokio::test]
    async fn diagnostics_are_coalesced_per_document_and_responses_kept() {
        let outbox = Outbox::default();
        outbox.push(message("a1", Some("a")));
        outbox.push(message("r1", None));
        outbox.push(message("b1", Some("b")));
        for version in 2..=1000 {
            outbox.push(message(&format!("a{version}"), Some("a")));
        }
        outbox.push(message("r2", None));
        assert_eq!(outbox.len(), 4);
        assert_eq!(drain(&outbox).await, ["a1000", "r1", "b1", "r2"]);
    }

    #[tokio::test]
    async fn a_publication_after_the_queued_one_was_written_is_queued_again() {
        let outbox = Outbox::default();
        outbox.push(message("a1", Some("a")));
        outbox.push(message("r1", None));
        assert_eq!(outbox.next().await.as_deref(), Some(&b"a1"[..]));
        outbox.push(message("a2", Some("a")));
        outbox.push(message("a3", Some("a")));
        assert_eq!(drain(&outbox).await, ["r1", "a3"]);
    }

    #[tokio::test]
    async fn a_waiting_writer_wakes_up_for_each_message() {
        let outbox = std::sync::Arc::new(Outbox::default());
        let writer = {
            let outbox = outbox.clone();
            tokio::spawn(async move {
                let mut seen = 0;
                while outbox.next().await.is_some() {
                    seen += 1;
                }
                seen
            })
        };
        for i in 0..100 {
            outbox.push(message(&i.to_string(), None));
            tokio::task::yield_now().await;
        }
        outbox.close();
        assert_eq!(writer.await.expect("writer"), 100);
    }
}
