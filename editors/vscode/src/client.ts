/**
 * The language client's options: how the server is started and which documents and settings it
 * gets. Kept apart from `activate` so that tests can inspect them.
 */
import * as vscode from 'vscode';
import {
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { serverSettings } from './settings';

/** The files gantry serves: the `dockerfile` language, saved or not. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'untitled', language: 'dockerfile' },
];

/**
 * Starts `gantry lsp` on stdio. With `TransportKind.stdio` the client appends `--stdio`, which
 * gantry accepts, so the command line is `gantry lsp --stdio`.
 */
export function serverOptions(command: string): ServerOptions {
  const executable = { command, args: ['lsp'], transport: TransportKind.stdio };
  return { run: executable, debug: executable };
}

function readGantrySettings(scope?: vscode.Uri): Record<string, unknown> {
  const configuration = vscode.workspace.getConfiguration('gantry', scope);
  return serverSettings((key) => configuration.get(key));
}

export function clientOptions(output: vscode.OutputChannel): LanguageClientOptions {
  return {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: readGantrySettings(),
    // Sends `workspace/didChangeConfiguration` when a gantry setting changes; the server then
    // pulls the section again through the middleware below.
    synchronize: { configurationSection: 'gantry' },
    middleware: {
      workspace: {
        // The server asks for the `gantry` section; answer in its shape, not the editor's.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) => {
            if (item.section !== 'gantry') {
              return answers[index];
            }
            const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
            return readGantrySettings(scope);
          });
        },
      },
    },
  };
}
