// jest-mock-vscode's API, plus the few classes and enums vscode-languageclient uses that it lacks.
'use strict';

const { createVSCodeMock } = require('jest-mock-vscode');

module.exports = function vscodeMock(jest) {
  const vscode = createVSCodeMock(jest);
  const missing = {
    InlayHint: class InlayHint {
      constructor(position, label, kind) {
        Object.assign(this, { position, label, kind });
      }
    },
    InlayHintLabelPart: class InlayHintLabelPart {
      constructor(value) {
        this.value = value;
      }
    },
    InlineCompletionItem: class InlineCompletionItem {
      constructor(insertText, range, command) {
        Object.assign(this, { insertText, range, command });
      }
    },
    WorkspaceSymbol: class WorkspaceSymbol {},
    Hover: class Hover {
      constructor(contents, range) {
        this.contents = Array.isArray(contents) ? contents : [contents];
        this.range = range;
      }
    },
    RelativePattern: class RelativePattern {
      constructor(base, pattern) {
        Object.assign(this, { base, pattern, baseUri: typeof base === 'string' ? vscode.Uri.file(base) : base.uri ?? base });
      }
    },
    CancellationTokenSource: class CancellationTokenSource {
      constructor() {
        const listeners = [];
        this.token = {
          isCancellationRequested: false,
          onCancellationRequested: (listener) => {
            listeners.push(listener);
            return { dispose() {} };
          },
        };
        this.cancel = () => {
          this.token.isCancellationRequested = true;
          listeners.forEach((l) => l());
        };
        this.dispose = () => {};
      }
    },
    CancellationError: class CancellationError extends Error {},
    NotebookCellKind: { Markup: 1, Code: 2 },
    TextDocumentChangeReason: { Undo: 1, Redo: 2 },
    env: {
      appName: 'Visual Studio Code (test)',
      appRoot: '/',
      language: 'en',
      machineId: 'test',
      sessionId: 'test',
      uiKind: 1,
      openExternal: jest.fn(async () => true),
      clipboard: { readText: async () => '', writeText: async () => {} },
    },
  };
  for (const [name, value] of Object.entries(missing)) {
    if (vscode[name] === undefined) vscode[name] = value;
  }
  return vscode;
};
