"""A generic LSP client (pytest-lsp) drives `gantry lsp` with the capabilities that Neovim 0.11,
VS Code and Emacs (Eglot) announce: diagnostics, hover and a code action work with each, and the
server asks for dynamic registration only from clients that offer it.

A complement to the real-editor tests (neovim_lsp.lua, emacs_eglot.el, the VS Code extension's
tests), not a substitute. The server is GANTRY_BIN, or `gantry` on PATH.
"""

import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[3]
GANTRY = os.environ.get("GANTRY_BIN") or shutil.which("gantry")
CLIENTS = ["neovim@v0.11.0", "visual-studio-code", "emacs"]

if GANTRY is None:
    sys.exit("no gantry binary: set GANTRY_BIN or put gantry on PATH")


def make_client() -> LanguageClient:
    """The test client, recording the registrations the server asks for."""
    client = pytest_lsp.make_test_lsp_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    return client


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[GANTRY, "lsp"], client_factory=make_client),
    params=CLIENTS,
)
async def client(request, lsp_client: LanguageClient, tmp_path_factory):
    workspace = tmp_path_factory.mktemp("workspace") / "hello-api"
    shutil.copytree(REPO / "examples" / "hello-api", workspace)
    lsp_client.workspace_root = workspace
    capabilities = client_capabilities(request.param)
    lsp_client.client_name = request.param
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="hello-api")],
        )
    )
    lsp_client.initialize_result = result
    yield
    await lsp_client.shutdown_session()


async def open_example(client: LanguageClient) -> str:
    dockerfile = client.workspace_root / "Dockerfile"
    uri = dockerfile.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="dockerfile", version=1, text=dockerfile.read_text()
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_diagnostics_hover_and_code_action(client: LanguageClient):
    assert client.initialize_result.server_info.name == "gantry"
    uri = await open_example(client)
    diagnostics = {d.code: d for d in client.diagnostics[uri]}
    assert diagnostics["syntax/unknown-instruction"].range.start.line == 6
    assert diagnostics["syntax/unknown-instruction"].severity == types.DiagnosticSeverity.Error
    finding = diagnostics["JSONArgsRecommended"]
    assert finding.severity == types.DiagnosticSeverity.Warning

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=finding.range.start)
    )
    assert hover is not None and "JSONArgsRecommended" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=finding.range,
            context=types.CodeActionContext(diagnostics=[finding], only=[types.CodeActionKind.QuickFix]),
        )
    )
    fixes = [a for a in actions if not a.title.startswith("Suppress")]
    assert fixes and fixes[0].edit.changes[uri][0].new_text == '["/app"]'


async def test_dynamic_registration_only_when_offered(client: LanguageClient):
    await open_example(client)
    watched = client.capabilities.workspace and client.capabilities.workspace.did_change_watched_files
    offered = bool(watched and watched.dynamic_registration)
    methods = [r.method for r in client.registrations]
    if offered:
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods, client.client_name
    else:
        assert methods == [], f"{client.client_name} offers no dynamic registration, yet the server asked: {methods}"
