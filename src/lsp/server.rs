//! The `LanguageServer` implementation: thin handlers that convert, ask `ide`, and convert back.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::Converter;
use super::document::Document;
use super::position::{Encoding, offset};
use super::state::{Negotiated, Snapshot, State};
use crate::ide;

pub(super) struct Server {
    client: Client,
    state: Arc<State>,
}

impl Server {
    pub(super) fn new(client: Client, state: Arc<State>) -> Server {
        Server { client, state }
    }

    /// Computes and publishes diagnostics for the document's current version.
    async fn publish(&self, uri: Uri) {
        let Some(snapshot) = self.state.snapshot(&uri) else { return };
        let Some(diagnostics) = guarded("diagnostics", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::diagnostics(&snapshot.parse).iter().map(|d| converter.diagnostic(d)).collect::<Vec<_>>()
        }) else {
            return;
        };
        // A newer change may have arrived while computing: its own publish will follow.
        if self.state.version(&uri) != Some(snapshot.version) {
            return;
        }
        self.client.publish_diagnostics(uri, diagnostics, Some(snapshot.version)).await;
    }

    fn snapshot_or_log(&self, uri: &Uri, request: &str) -> Option<Snapshot> {
        let snapshot = self.state.snapshot(uri);
        if snapshot.is_none() {
            tracing::warn!("{request} for a document that is not open: {}", uri.as_str());
        }
        snapshot
    }
}

/// Runs analysis code, turning a panic into a logged `None` so one bad document cannot take the
/// server down.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => Some(value),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!("{what} panicked: {message}");
            None
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let general = params.capabilities.general.as_ref();
        let encoding = Encoding::negotiate(general.and_then(|g| g.position_encodings.as_deref()));
        let hierarchical_symbols = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.document_symbol.as_ref())
            .and_then(|s| s.hierarchical_document_symbol_support)
            .unwrap_or(false);
        self.state.set_negotiated(Negotiated { encoding, hierarchical_symbols });
        Ok(InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "gantry".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        tracing::info!("client initialized");
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let uri = document.uri.clone();
        let Some(opened) = guarded("didOpen", || Document::new(document.version, &document.text)) else { return };
        self.state.open(uri.clone(), opened);
        self.publish(uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let encoding = self.state.negotiated().encoding;
        // Applied before the first `.await`, so changes are applied in arrival order.
        let applied = self.state.update(&uri, |document| {
            guarded("didChange", || document.apply_changes(version, &params.content_changes, encoding))
        });
        match applied {
            None => tracing::warn!("didChange for a document that is not open: {}", uri.as_str()),
            Some(None) => {
                tracing::error!("a change to {} could not be applied; the document is unchanged", uri.as_str())
            }
            Some(Some(())) => self.publish(uri).await,
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.state.close(&uri) {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "definition") else { return Ok(None) };
        let position = params.text_document_position_params.position;
        let found = guarded("definition", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            ide::goto_definition(&snapshot.parse, at).map(|target| {
                let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
                GotoDefinitionResponse::Scalar(Location::new(uri.clone(), converter.range(target)))
            })
        });
        Ok(found.flatten())
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "documentSymbol") else { return Ok(None) };
        let hierarchical = self.state.negotiated().hierarchical_symbols;
        Ok(guarded("documentSymbol", || {
            let symbols = ide::document_symbols(&snapshot.parse);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            if hierarchical {
                DocumentSymbolResponse::Nested(symbols.iter().map(|s| converter.document_symbol(s)).collect())
            } else {
                let mut flat = Vec::new();
                converter.symbol_information(&uri, &symbols, &mut flat);
                DocumentSymbolResponse::Flat(flat)
            }
        }))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "foldingRange") else { return Ok(None) };
        Ok(guarded("foldingRange", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::folding_ranges(&snapshot.parse).iter().map(|f| converter.folding_range(f)).collect()
        }))
    }
}
