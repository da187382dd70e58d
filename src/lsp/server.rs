//! The `LanguageServer` implementation: thin handlers that convert, ask `ide`, and convert back.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use std::path::PathBuf;

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::convert::Converter;
use super::document::Document;
use super::position::{Encoding, offset};
use super::state::{Computed, Negotiated, Snapshot, State};
use crate::ide;
use crate::rules::ConfigSource;
use crate::syntax::TextRange;
use crate::workspace::Workspace;

#[derive(Clone)]
pub(super) struct Server {
    client: Client,
    state: Arc<State>,
    /// The client accepts `changeAnnotations` in workspace edits (the conversion's preview).
    change_annotations: Arc<std::sync::atomic::AtomicBool>,
}

impl Server {
    pub(super) fn new(client: Client, state: Arc<State>) -> Server {
        Server { client, state, change_annotations: Arc::default() }
    }

    /// Computes and publishes diagnostics for the document's current version.
    async fn publish(&self, uri: Uri) {
        self.publish_version(uri, false).await;
    }

    /// Publishes in a task of its own, so that the notification handler returns at once: the
    /// client's next changes are applied meanwhile, and a burst of keystrokes costs one analysis of
    /// the latest text rather than one per keystroke (see `publish_version`).
    fn schedule_publish(&self, uri: Uri) {
        let server = self.clone();
        tokio::spawn(async move { server.publish(uri).await });
    }

    /// Publishes the document's current version. Typing sends many changes at once, and every
    /// change handler would compute the same latest version: unless `again` (the settings or the
    /// workspace changed), a version that another handler already computes or computed is skipped.
    async fn publish_version(&self, uri: Uri, again: bool) {
        let _checking = self.state.checking.lock().await;
        let Some(snapshot) = self.state.snapshot(&uri) else { return };
        if !self.state.claim_publish(&uri, snapshot.version, again) {
            return;
        }
        let facts = self.go_facts(&uri);
        // Checked on a blocking thread, so that the runtime's workers stay free to answer
        // completion, hover and every other request while the rules run.
        let (state, version, checked_uri) = (self.state.clone(), snapshot.version, uri.clone());
        let computed =
            tokio::task::spawn_blocking(move || check_snapshot(&state, &checked_uri, &snapshot, facts.as_ref())).await;
        let Ok(Some((diagnostics, sources))) = computed else { return };
        self.publish_config_problems(&sources).await;
        // Checked and sent under one lock, so that publications leave in version order even when
        // two publish tasks finish together.
        let _sending = self.state.publish_order.lock().await;
        // A newer change may have arrived while computing: its own publish will follow.
        if self.state.version(&uri) != Some(version) {
            return;
        }
        self.client.publish_diagnostics(uri, diagnostics, Some(version)).await;
    }

    /// The findings for a snapshot: those published for its version when they are kept (the
    /// common case: the editor asks about what it shows), else checked now. With `without_waiting`,
    /// a version whose check is still running has no findings yet rather than a second check: the
    /// answer must not wait behind the rules (hover on a large file while it is being checked).
    fn findings(
        &self,
        uri: &Uri,
        snapshot: &Snapshot,
        config: &crate::rules::Config,
        facts: Option<&crate::rules::GoFacts>,
        without_waiting: bool,
    ) -> Arc<Vec<crate::rules::Diagnostic>> {
        let generation = self.state.config.generation();
        if let Some(kept) = self.state.diagnostics(uri, snapshot.version, generation) {
            return kept;
        }
        if without_waiting && self.state.is_claimed(uri, snapshot.version) {
            return Arc::default();
        }
        Arc::new(ide::editor_diagnostics(&snapshot.parse, config, facts))
    }

    /// Shows problems in gantry.toml / .hadolint.yaml as diagnostics on those files, and clears
    /// them once the files are fixed.
    async fn publish_config_problems(&self, sources: &[ConfigSource]) {
        let negotiated = self.state.negotiated();
        for source in sources {
            let Some(uri) = Uri::from_file_path(&source.path) else { continue };
            let changed = self.state.mark_config_problems(&uri, !source.problems.is_empty());
            if !changed && source.problems.is_empty() {
                continue;
            }
            let rope = Rope::from_str(&source.text);
            let converter = Converter { rope: &rope, encoding: negotiated.encoding };
            let diagnostics = source
                .problems
                .iter()
                .map(|problem| Diagnostic {
                    range: converter.range(problem.range),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("gantry/invalid-config".to_string())),
                    source: Some("gantry".to_string()),
                    message: problem.message.clone(),
                    ..Diagnostic::default()
                })
                .collect();
            self.client.publish_diagnostics(uri, diagnostics, None).await;
        }
    }

    /// The Go facts for a document; opening its workspace starts indexing and a republish after it.
    fn go_facts(&self, uri: &Uri) -> Option<crate::rules::GoFacts> {
        let (config, _) = self.state.config.for_document(uri);
        let (facts, opened) = self.state.workspaces.facts_for(uri, &config);
        if let Some(workspace) = opened {
            self.republish_when_indexed(workspace);
        }
        facts
    }

    /// Waits in the background for a workspace's package index, then publishes again: rules that
    /// need the index stay silent until it is complete, and must speak once it is.
    fn republish_when_indexed(&self, workspace: Arc<Workspace>) {
        let server = self.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let progress = server.begin_index_progress(&workspace).await;
            loop {
                tokio::time::sleep(INDEX_POLL).await;
                let index = workspace.package_index();
                if index.complete || index.truncated {
                    let summary = format!(
                        "{} packages in {:.1} s{}",
                        index.packages.len(),
                        started.elapsed().as_secs_f64(),
                        if index.truncated { " (stopped at a limit: some Go checks stay silent)" } else { "" }
                    );
                    tracing::info!("indexed {}: {summary}", workspace.root().display());
                    if let Some(progress) = progress {
                        progress.finish_with_message(summary).await;
                    }
                    server.republish_all().await;
                    return;
                }
                if server.state.shutdown_requested.load(Ordering::SeqCst) {
                    return;
                }
            }
        });
    }

    /// Starts a `$/progress` report for indexing, when the client accepts server-initiated progress.
    async fn begin_index_progress(
        &self,
        workspace: &Workspace,
    ) -> Option<tower_lsp_server::OngoingProgress<tower_lsp_server::Unbounded, tower_lsp_server::NotCancellable>> {
        if !self.state.negotiated().work_done_progress {
            return None;
        }
        let token = NumberOrString::String(format!("gantry/index/{}", workspace.root().display()));
        if let Err(error) = self.client.create_work_done_progress(token.clone()).await {
            tracing::warn!("the client refused a progress token: {error}");
            return None;
        }
        let folder = workspace.root().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Some(self.client.progress(token, "Indexing Go packages").with_message(folder).begin().await)
    }

    /// Re-publishes every open document, after a configuration change.
    async fn republish_all(&self) {
        for uri in self.state.open_documents() {
            self.publish_version(uri, true).await;
        }
    }

    /// Asks the client for the `gantry` settings section, when it supports that.
    async fn pull_settings(&self) {
        if !self.state.negotiated().pull_configuration {
            return;
        }
        let item = ConfigurationItem { scope_uri: None, section: Some("gantry".to_string()) };
        match self.client.configuration(vec![item]).await {
            Ok(values) => {
                let value = values.into_iter().next().unwrap_or_default();
                self.apply_settings(&value).await;
            }
            Err(error) => tracing::warn!("workspace/configuration failed: {error}"),
        }
    }

    async fn apply_settings(&self, value: &serde_json::Value) {
        for problem in self.state.config.set_settings(value) {
            self.client.show_message(MessageType::WARNING, format!("gantry: {}", problem.message)).await;
        }
    }

    /// Registers the file watchers gantry needs, when the client allows dynamic registration.
    async fn register_watchers(&self) {
        if !self.state.negotiated().register_file_watchers {
            return;
        }
        let watchers = WATCHED_GLOBS
            .iter()
            .map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_string()), kind: None })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "gantry-watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("the client refused file watchers: {error}");
        }
    }

    fn snapshot_or_log(&self, uri: &Uri, request: &str) -> Option<Snapshot> {
        let snapshot = self.state.snapshot(uri);
        if snapshot.is_none() {
            tracing::warn!("{request} for a document that is not open: {}", uri.as_str());
        }
        snapshot
    }
}

/// Checks a snapshot and converts the findings; keeps them for hover and code actions. Settings may
/// change while computing (a `workspace/configuration` answer racing a didOpen): then it computes
/// again rather than publish what the old settings said. `None` if the rules panicked.
fn check_snapshot(
    state: &State,
    uri: &Uri,
    snapshot: &Snapshot,
    facts: Option<&crate::rules::GoFacts>,
) -> Option<(Vec<Diagnostic>, Arc<Vec<ConfigSource>>)> {
    let negotiated = state.negotiated();
    loop {
        let generation = state.config.generation();
        let (config, sources) = state.config.for_document(uri);
        let (found, converted) = guarded("diagnostics", || {
            let found = ide::editor_diagnostics(&snapshot.parse, &config, facts);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let converted = found
                .iter()
                .map(|d| {
                    let mut converted = converter.diagnostic(d, &negotiated);
                    if negotiated.related_information && !d.related.is_empty() {
                        converted.related_information = Some(related_information(uri, &converter, d, facts));
                    }
                    converted
                })
                .collect::<Vec<_>>();
            (found, converted)
        })?;
        if state.config.generation() == generation {
            let diagnostics = Arc::new(found);
            state.remember_diagnostics(uri, Computed { version: snapshot.version, generation, diagnostics });
            return Some((converted, sources));
        }
    }
}

/// "Convert to multi-stage build" (one per program and runtime image), each a single edit replacing
/// the whole document; with a change annotation (the preview's description) when the client
/// supports them. Computed only for single-stage golang files.
fn conversion_actions(
    uri: &Uri,
    snapshot: &Snapshot,
    facts: Option<&crate::rules::GoFacts>,
    annotations: bool,
) -> Vec<CodeActionOrCommand> {
    if !ide::is_convertible(&snapshot.parse) {
        return Vec::new();
    }
    let Ok(found) = ide::conversions(&snapshot.parse, facts, &ide::ConvertOptions::default()) else {
        return Vec::new();
    };
    let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
    let whole = converter.range(TextRange::new(0, snapshot.parse.text().len()));
    found
        .into_iter()
        .map(|conversion| {
            let edit = TextEdit { range: whole, new_text: conversion.text };
            let edit = if annotations {
                let id = "gantry.convert".to_string();
                let mut description = "Replaces the file with a builder stage and a runtime stage.".to_string();
                for note in &conversion.notes {
                    description.push_str("\n- ");
                    description.push_str(note);
                }
                let annotation = ChangeAnnotation {
                    label: conversion.title.clone(),
                    needs_confirmation: Some(false),
                    description: Some(description),
                };
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: uri.clone(),
                            version: Some(snapshot.version),
                        },
                        edits: vec![OneOf::Right(AnnotatedTextEdit { text_edit: edit, annotation_id: id.clone() })],
                    }])),
                    change_annotations: Some([(id, annotation)].into_iter().collect()),
                    ..WorkspaceEdit::default()
                }
            } else {
                WorkspaceEdit {
                    changes: Some([(uri.clone(), vec![edit])].into_iter().collect()),
                    ..WorkspaceEdit::default()
                }
            };
            CodeActionOrCommand::CodeAction(CodeAction {
                title: conversion.title,
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(edit),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// The related places of a finding as LSP locations; places in other files are converted with
/// those files' text as it is on disk.
fn related_information(
    uri: &Uri,
    converter: &Converter<'_>,
    diagnostic: &crate::rules::Diagnostic,
    facts: Option<&crate::rules::GoFacts>,
) -> Vec<DiagnosticRelatedInformation> {
    diagnostic
        .related
        .iter()
        .filter_map(|related| {
            let location = match (&related.path, facts) {
                (None, _) => Location::new(uri.clone(), converter.range(related.range)),
                (Some(path), Some(facts)) => {
                    let absolute = facts.workspace.absolute(path);
                    let text = facts.workspace.read_text(path)?;
                    let rope = Rope::from_str(&text);
                    let other = Converter { rope: &rope, encoding: converter.encoding };
                    Location::new(Uri::from_file_path(&absolute)?, other.range(related.range))
                }
                (Some(_), None) => return None,
            };
            Some(DiagnosticRelatedInformation { location, message: related.message.clone() })
        })
        .collect()
}

/// A place in another file of the workspace: its byte range converted with the file's text as it
/// is on disk (the file's start when there is no range, or when the file cannot be read).
fn file_location(
    facts: &crate::rules::GoFacts,
    path: &std::path::Path,
    range: Option<TextRange>,
    encoding: Encoding,
) -> Option<Location> {
    let uri = Uri::from_file_path(path)?;
    let relative = facts.workspace.relative(path)?;
    let text = range.and_then(|_| facts.workspace.read_text(&relative));
    let range = match (range, text) {
        (Some(range), Some(text)) => {
            let rope = Rope::from_str(&text);
            Converter { rope: &rope, encoding }.range(range)
        }
        _ => Range::default(),
    };
    Some(Location::new(uri, range))
}

/// A refused rename as an error response: the client shows its message.
fn rename_refused(error: ide::RenameError) -> tower_lsp_server::jsonrpc::Error {
    tower_lsp_server::jsonrpc::Error {
        // LSP's RequestFailed: the request was valid but cannot be done.
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: error.0.into(),
        data: None,
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

/// Files whose changes affect diagnostics: configuration now, the Go workspace as it is modelled.
const WATCHED_GLOBS: &[&str] = &[
    "**/gantry.toml",
    "**/.hadolint.yaml",
    "**/.hadolint.yml",
    "**/go.mod",
    "**/go.work",
    "**/go.sum",
    "**/*.go",
    "**/.dockerignore",
    "**/*.dockerignore",
    "**/vendor/modules.txt",
    "**/compose.yaml",
    "**/compose.yml",
    "**/docker-compose.yaml",
    "**/docker-compose.yml",
    "**/docker-bake.hcl",
];

/// How often the server checks whether a workspace's background indexing has finished.
const INDEX_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// The code action kind of "fix all safe problems", so editors can run it on save.
const FIX_ALL_KIND: &str = "source.fixAll.gantry";

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec![" ".to_string()]),
            ..SignatureHelpOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::from(FIX_ALL_KIND),
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(COMPLETION_TRIGGERS.iter().map(|c| c.to_string()).collect()),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_on_type_formatting_provider: Some(DocumentOnTypeFormattingOptions {
            first_trigger_character: "\n".to_string(),
            more_trigger_character: None,
        }),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: super::convert::semantic_tokens_legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Characters after which clients ask for completion: a new word, a variable, a flag, a value, a
/// list item, an image tag.
const COMPLETION_TRIGGERS: &[&str] = &[" ", "$", "{", "-", "=", ",", ":"];

/// Ids of semantic-token results, unique for the life of the process.
static NEXT_TOKENS_RESULT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The formatter's options from a formatting request: `tabSize` is the continuation indentation
/// (clamped to 0..=16), and the `gantry.keepAligned` property keeps hand-aligned continuation lines.
fn format_options(options: &FormattingOptions) -> ide::FormatOptions {
    let keep_aligned = matches!(options.properties.get("gantry.keepAligned"), Some(FormattingProperty::Bool(true)));
    ide::FormatOptions { indent: options.tab_size.min(16) as usize, keep_aligned }
}

impl Server {
    /// Computes the semantic tokens of a document (of `range` only, if given).
    fn encoded_tokens(&self, uri: &Uri, range: Option<Range>) -> Option<Vec<SemanticToken>> {
        let snapshot = self.snapshot_or_log(uri, "semanticTokens")?;
        guarded("semanticTokens", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let range = range.map(|r| {
                let start = offset(&snapshot.rope, r.start, snapshot.encoding);
                TextRange::new(start, offset(&snapshot.rope, r.end, snapshot.encoding).max(start))
            });
            converter.semantic_tokens(snapshot.parse.text(), &ide::semantic_tokens(&snapshot.parse, range))
        })
    }

    /// Keeps a document's latest full result for delta requests; returns its id.
    fn remember_tokens(&self, uri: &Uri, data: &[SemanticToken]) -> String {
        let id = NEXT_TOKENS_RESULT.fetch_add(1, Ordering::Relaxed).to_string();
        let mut cache = self.state.semantic_tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.insert(uri.clone(), (id.clone(), data.to_vec()));
        id
    }

    fn formatting_edits(&self, uri: &Uri, range: Option<Range>, options: &FormattingOptions) -> Option<Vec<TextEdit>> {
        let snapshot = self.snapshot_or_log(uri, "formatting")?;
        let options = format_options(options);
        guarded("formatting", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let edits = match range {
                Some(r) => {
                    let start = offset(&snapshot.rope, r.start, snapshot.encoding);
                    let end = offset(&snapshot.rope, r.end, snapshot.encoding).max(start);
                    ide::format_range(&snapshot.parse, TextRange::new(start, end), options)
                }
                None => ide::format(&snapshot.parse, options),
            };
            edits.iter().map(|edit| converter.text_edit(edit)).collect()
        })
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
        let workspace = params.capabilities.workspace.as_ref();
        let annotations =
            workspace.and_then(|w| w.workspace_edit.as_ref()).and_then(|e| e.change_annotation_support.as_ref());
        self.change_annotations.store(annotations.is_some(), Ordering::Relaxed);
        let publish = params.capabilities.text_document.as_ref().and_then(|t| t.publish_diagnostics.as_ref());
        self.state.set_negotiated(Negotiated {
            encoding,
            hierarchical_symbols,
            pull_configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            register_file_watchers: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            code_description: publish.and_then(|p| p.code_description_support).unwrap_or(false),
            diagnostic_tags: publish.and_then(|p| p.tag_support.as_ref()).is_some(),
            related_information: publish.and_then(|p| p.related_information).unwrap_or(false),
            work_done_progress: params.capabilities.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            completion_snippets: params
                .capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                .unwrap_or(false),
        });
        #[allow(deprecated)] // `root_uri` is the fallback for clients without workspace folders.
        let roots: Vec<PathBuf> = match (&params.workspace_folders, &params.root_uri) {
            (Some(folders), _) => folders.iter().filter_map(|f| f.uri.to_file_path()).map(|p| p.into_owned()).collect(),
            (None, Some(root)) => root.to_file_path().map(|p| p.into_owned()).into_iter().collect(),
            (None, None) => Vec::new(),
        };
        self.state.config.set_roots(roots.clone());
        self.state.workspaces.set_roots(roots);
        if let Some(options) = &params.initialization_options {
            // Problems are shown once the client is initialized and can display messages.
            self.state.config.set_settings(options);
        }
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
        // Requests to the client run in a task of their own: tower-lsp handles notifications one
        // at a time, so awaiting an answer here would hold back every later notification (`exit`
        // included) until the client answers, and a client need not answer before exiting.
        let server = self.clone();
        tokio::spawn(async move {
            for problem in server.state.config.settings_problems() {
                server.client.show_message(MessageType::WARNING, format!("gantry: {}", problem.message)).await;
            }
            server.register_watchers().await;
            // Only pulled settings can change what was published; without them a republish would
            // only send every open document's diagnostics a second time.
            if server.state.negotiated().pull_configuration {
                server.pull_settings().await;
                server.republish_all().await;
            }
        });
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // In a task of its own for the same reason as `initialized`.
        let server = self.clone();
        tokio::spawn(async move {
            if server.state.negotiated().pull_configuration {
                server.pull_settings().await;
            } else {
                server.apply_settings(&params.settings).await;
            }
            server.republish_all().await;
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut changed = false;
        for change in &params.changes {
            if let Some(path) = change.uri.to_file_path() {
                changed |= self.state.config.invalidate_if_config(&path);
                changed |= self.state.workspaces.invalidate(&path);
            }
        }
        if changed {
            self.republish_all().await;
        }
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
        self.schedule_publish(uri);
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
            Some(Some(())) => self.schedule_publish(uri),
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
        let facts = self.go_facts(&uri);
        let position = params.text_document_position_params.position;
        let found = guarded("definition", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let location = match ide::definition(&snapshot.parse, at, facts.as_ref())? {
                ide::DefinitionTarget::InDocument(range) => {
                    let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
                    Location::new(uri.clone(), converter.range(range))
                }
                ide::DefinitionTarget::InFile { path, range } => {
                    file_location(facts.as_ref()?, &path, range, snapshot.encoding)?
                }
            };
            Some(GotoDefinitionResponse::Scalar(location))
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

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "codeAction") else { return Ok(None) };
        let (config, _) = self.state.config.for_document(&uri);
        let facts = self.go_facts(&uri);
        let negotiated = self.state.negotiated();
        let wants = |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let (quick_fixes, fix_all) = (wants("quickfix"), wants(FIX_ALL_KIND));
        let (rewrite, annotations) = (wants("refactor.rewrite"), self.change_annotations.load(Ordering::Relaxed));
        Ok(guarded("codeAction", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let start = offset(&snapshot.rope, params.range.start, snapshot.encoding);
            let end = offset(&snapshot.rope, params.range.end, snapshot.encoding).max(start);
            let diagnostics = self.findings(&uri, &snapshot, &config, facts.as_ref(), false);
            let mut actions = Vec::new();
            if quick_fixes {
                actions.extend(ide::code_actions(&snapshot.parse, &diagnostics, TextRange::new(start, end)));
            }
            if fix_all {
                actions.extend(ide::fix_all(&snapshot.parse, &config, facts.as_ref()));
            }
            let mut response: Vec<CodeActionOrCommand> = actions
                .into_iter()
                .map(|action| {
                    let edits = action
                        .edits
                        .iter()
                        .map(|edit| TextEdit { range: converter.range(edit.range), new_text: edit.new_text.clone() })
                        .collect();
                    let kind = match action.kind {
                        ide::ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                        ide::ActionKind::FixAll => CodeActionKind::from(FIX_ALL_KIND),
                    };
                    CodeActionOrCommand::CodeAction(CodeAction {
                        title: action.title,
                        kind: Some(kind),
                        diagnostics: action
                            .diagnostic
                            .and_then(|i| diagnostics.get(i))
                            .map(|d| vec![converter.diagnostic(d, &negotiated)]),
                        edit: Some(WorkspaceEdit {
                            changes: Some([(uri.clone(), edits)].into_iter().collect()),
                            ..WorkspaceEdit::default()
                        }),
                        is_preferred: action.preferred.then_some(true),
                        ..CodeAction::default()
                    })
                })
                .collect();
            if rewrite {
                response.extend(conversion_actions(&uri, &snapshot, facts.as_ref(), annotations));
            }
            response
        }))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "hover") else { return Ok(None) };
        let (config, _) = self.state.config.for_document(&uri);
        let facts = self.go_facts(&uri);
        let position = params.text_document_position_params.position;
        let found = guarded("hover", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let diagnostics = self.findings(&uri, &snapshot, &config, facts.as_ref(), false);
            ide::hover(&snapshot.parse, &diagnostics, at, facts.as_ref()).map(|hover| {
                let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
                Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: hover.markdown,
                    }),
                    range: Some(converter.range(hover.range)),
                }
            })
        });
        Ok(found.flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "completion") else { return Ok(None) };
        let facts = self.go_facts(&uri);
        let options = ide::CompletionOptions { snippets: self.state.negotiated().completion_snippets };
        let position = params.text_document_position.position;
        Ok(guarded("completion", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let completions = ide::completions(&snapshot.parse, at, facts.as_ref(), options);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            CompletionResponse::List(converter.completion_list(&completions))
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "references") else { return Ok(None) };
        let position = params.text_document_position.position;
        let include_declaration = params.context.include_declaration;
        Ok(guarded("references", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::references(&snapshot.parse, at, include_declaration)
                .into_iter()
                .map(|range| Location::new(uri.clone(), converter.range(range)))
                .collect()
        }))
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "documentHighlight") else { return Ok(None) };
        let position = params.text_document_position_params.position;
        Ok(guarded("documentHighlight", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::document_highlights(&snapshot.parse, at).iter().map(|h| converter.highlight(h)).collect()
        }))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let Some(snapshot) = self.snapshot_or_log(&params.text_document.uri, "prepareRename") else { return Ok(None) };
        let found = guarded("prepareRename", || {
            let at = offset(&snapshot.rope, params.position, snapshot.encoding);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::prepare_rename(&snapshot.parse, at).map(|(range, placeholder)| {
                PrepareRenameResponse::RangeWithPlaceholder { range: converter.range(range), placeholder }
            })
        });
        match found {
            Some(Ok(response)) => Ok(Some(response)),
            Some(Err(error)) => Err(rename_refused(error)),
            None => Ok(None),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "rename") else { return Ok(None) };
        let position = params.text_document_position.position;
        let found = guarded("rename", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::rename(&snapshot.parse, at, &params.new_name).map(|edits| WorkspaceEdit {
                changes: Some(
                    [(uri.clone(), edits.iter().map(|e| converter.text_edit(e)).collect())].into_iter().collect(),
                ),
                ..WorkspaceEdit::default()
            })
        });
        match found {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(error)) => Err(rename_refused(error)),
            None => Ok(None),
        }
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "documentLink") else { return Ok(None) };
        // The build context is taken to be the Dockerfile's directory, the common layout.
        let context: Option<PathBuf> = uri.to_file_path().and_then(|path| path.parent().map(|dir| dir.to_path_buf()));
        Ok(guarded("documentLink", || {
            let context_has = |relative: &str| context.as_ref().is_some_and(|dir| dir.join(relative).exists());
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            ide::document_links(&snapshot.parse, &context_has)
                .iter()
                .filter_map(|link| converter.document_link(link, context.as_deref()))
                .collect()
        }))
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "selectionRange") else { return Ok(None) };
        Ok(guarded("selectionRange", || {
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            params
                .positions
                .iter()
                .map(|&position| {
                    let at = offset(&snapshot.rope, position, snapshot.encoding);
                    converter.selection_range(&ide::selection_ranges(&snapshot.parse, at))
                })
                .collect()
        }))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let snapshots: Vec<(Uri, Snapshot)> = self
            .state
            .open_documents()
            .into_iter()
            .filter_map(|uri| self.state.snapshot(&uri).map(|snapshot| (uri, snapshot)))
            .collect();
        Ok(guarded("workspaceSymbol", || {
            let parses: Vec<&crate::syntax::Parse> = snapshots.iter().map(|(_, s)| &s.parse).collect();
            let mut flat = Vec::new();
            for (document, symbol) in ide::workspace_symbols(&parses, &params.query) {
                let (uri, snapshot) = &snapshots[document];
                let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
                converter.symbol_information(uri, std::slice::from_ref(&symbol), &mut flat);
            }
            WorkspaceSymbolResponse::Flat(flat)
        }))
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        let uri = params.text_document_position_params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "signatureHelp") else { return Ok(None) };
        let position = params.text_document_position_params.position;
        let found = guarded("signatureHelp", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            ide::signature_help(&snapshot.parse, at).map(|signature| super::convert::signature_help(&signature))
        });
        Ok(found.flatten())
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(self.formatting_edits(&params.text_document.uri, None, &params.options))
    }

    async fn range_formatting(&self, params: DocumentRangeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(self.formatting_edits(&params.text_document.uri, Some(params.range), &params.options))
    }

    async fn on_type_formatting(&self, params: DocumentOnTypeFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document_position.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "onTypeFormatting") else { return Ok(None) };
        let options = format_options(&params.options);
        let position = params.text_document_position.position;
        let Some(typed) = params.ch.chars().next() else { return Ok(None) };
        Ok(guarded("onTypeFormatting", || {
            let at = offset(&snapshot.rope, position, snapshot.encoding);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let edits = ide::on_type_formatting(&snapshot.parse, at, typed, options);
            edits.iter().map(|edit| converter.text_edit(edit)).collect()
        }))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot_or_log(&uri, "inlayHint") else { return Ok(None) };
        let facts = self.go_facts(&uri);
        Ok(guarded("inlayHint", || {
            let start = offset(&snapshot.rope, params.range.start, snapshot.encoding);
            let end = offset(&snapshot.rope, params.range.end, snapshot.encoding).max(start);
            let converter = Converter { rope: &snapshot.rope, encoding: snapshot.encoding };
            let hints = ide::inlay_hints(&snapshot.parse, TextRange::new(start, end), facts.as_ref());
            hints.iter().map(|hint| converter.inlay_hint(hint)).collect()
        }))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let Some(data) = self.encoded_tokens(&uri, None) else { return Ok(None) };
        let result_id = Some(self.remember_tokens(&uri, &data));
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id, data })))
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        let uri = params.text_document.uri;
        let Some(data) = self.encoded_tokens(&uri, None) else { return Ok(None) };
        let previous = {
            let cache = self.state.semantic_tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            cache.get(&uri).filter(|(id, _)| *id == params.previous_result_id).map(|(_, old)| old.clone())
        };
        let result_id = Some(self.remember_tokens(&uri, &data));
        Ok(Some(match previous {
            Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                result_id,
                edits: super::convert::semantic_tokens_edits(&old, &data),
            }),
            // An unknown or outdated id: the whole result.
            None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens { result_id, data }),
        }))
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let uri = params.text_document.uri;
        let data = self.encoded_tokens(&uri, Some(params.range));
        Ok(data.map(|data| SemanticTokensRangeResult::Tokens(SemanticTokens { result_id: None, data })))
    }
}
