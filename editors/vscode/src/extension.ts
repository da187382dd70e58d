/**
 * The gantry extension: starts `gantry lsp` for Dockerfiles, restarts it on command or when
 * `gantry.path` changes, and shows its log in the "gantry" output channel.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { resolveGantry } from './binary';
import { clientOptions, serverOptions } from './client';

// Pure helpers, exported for the extension's tests.
export { resolveGantry } from './binary';
export { serverOptions, DOCUMENT_SELECTOR } from './client';
export { serverSettings, SERVER_KEYS } from './settings';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

/** What `activate` returns: a handle for tests and for other extensions. */
export interface GantryApi {
  /** The running client, or `undefined` when the server could not be started. */
  client(): LanguageClient | undefined;
  restart(): Promise<void>;
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`gantry: stopping the server failed: ${String(error)}`);
    }
  }
}

async function startClient(): Promise<void> {
  const channel = output!;
  const configured = vscode.workspace.getConfiguration('gantry').get<string | null>('path');
  const resolution = resolveGantry(configured, process.env.PATH);
  if (!resolution.found) {
    channel.appendLine(resolution.message);
    void vscode.window
      .showErrorMessage(resolution.message, 'Open Settings', 'Show Log')
      .then((choice) => {
        if (choice === 'Open Settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'gantry.path');
        } else if (choice === 'Show Log') {
          channel.show(true);
        }
      });
    return;
  }
  channel.appendLine(`gantry: starting ${resolution.command} lsp`);
  const started = new LanguageClient(
    'gantry',
    'gantry',
    serverOptions(resolution.command),
    clientOptions(channel),
  );
  client = started;
  try {
    await started.start();
  } catch (error) {
    client = undefined;
    const message = `gantry: the language server failed to start: ${String(error)}`;
    channel.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
}

export async function activate(context: vscode.ExtensionContext): Promise<GantryApi> {
  output = vscode.window.createOutputChannel('gantry');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('gantry.restartServer', restart),
    vscode.commands.registerCommand('gantry.showLog', () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // Rule settings reach the running server; a new executable needs a new server.
      if (event.affectsConfiguration('gantry.path')) {
        void restart();
      }
    }),
  );
  await startClient();
  return { client: () => client, restart };
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
