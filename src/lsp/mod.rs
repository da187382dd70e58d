//! The language server: the only layer that knows LSP types and converts positions.

mod config;
mod convert;
pub mod document;
pub mod position;
mod server;
mod state;
mod transport;
mod workspaces;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tower_lsp_server::LspService;

/// Serves LSP on stdin/stdout until the client sends `exit` or closes stdin.
///
/// Exit status as the specification says: 0 when `shutdown` came before the end, 1 otherwise.
pub fn run_stdio() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let state = Arc::new(state::State::default());
    let server_state = state.clone();
    runtime.block_on(async move {
        let (service, socket) = LspService::new(move |client| server::Server::new(client, server_state));
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    });
    // Reading stdin blocks a thread that may never return (the client can keep stdin open after
    // `exit`); do not wait for it.
    runtime.shutdown_background();
    if state.shutdown_requested.load(Ordering::SeqCst) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
