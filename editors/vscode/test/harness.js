// Shared setup for the extension's tests: a VS Code API from jest-mock-vscode, completed where
// vscode-languageclient needs real behaviour (output channels, diagnostic collections, document
// matching, disposables), and the bundled extension (dist/extension.js) loaded against it.
'use strict';

const path = require('node:path');

/** A Disposable, which every `register*` call of the real API returns. */
function disposable() {
  return { dispose() {} };
}

/** Completes the mock so that the language client can start, sync documents and store diagnostics. */
function completeMock(vscode) {
  const output = [];
  vscode.window.createOutputChannel.mockImplementation((name) => ({
    name,
    append: (text) => output.push(text),
    appendLine: (text) => output.push(`${text}\n`),
    replace: () => {},
    clear: () => {},
    show: jest.fn(),
    hide: () => {},
    dispose: () => {},
  }));
  const collections = [];
  vscode.languages.createDiagnosticCollection.mockImplementation((name) => {
    const entries = new Map();
    const collection = {
      name,
      entries,
      set: (uri, diagnostics) => {
        if (Array.isArray(uri)) {
          for (const [u, d] of uri) entries.set(u.toString(), d ?? []);
        } else {
          entries.set(uri.toString(), diagnostics ?? []);
        }
      },
      get: (uri) => entries.get(uri.toString()),
      has: (uri) => entries.has(uri.toString()),
      delete: (uri) => entries.delete(uri.toString()),
      clear: () => entries.clear(),
      forEach: (f) => entries.forEach((d, u) => f(vscode.Uri.parse(u), d, collection)),
      dispose: () => entries.clear(),
    };
    collections.push(collection);
    return collection;
  });
  // The part of `languages.match` the client uses: language and scheme filters.
  vscode.languages.match.mockImplementation((selector, document) => {
    const filters = Array.isArray(selector) ? selector : [selector];
    return filters.some((filter) => {
      if (typeof filter === 'string') return filter === document.languageId;
      return (!filter.language || filter.language === document.languageId) &&
        (!filter.scheme || filter.scheme === document.uri.scheme);
    }) ? 10 : 0;
  });
  for (const [name, fn] of Object.entries(vscode.languages)) {
    if (name.startsWith('register') && typeof fn.mockImplementation === 'function') {
      fn.mockImplementation(disposable);
    }
  }
  vscode.workspace.createFileSystemWatcher.mockImplementation(() => ({
    onDidCreate: () => disposable(),
    onDidChange: () => disposable(),
    onDidDelete: () => disposable(),
    dispose() {},
  }));
  const commands = new Map();
  vscode.commands.registerCommand.mockImplementation((id, callback) => {
    commands.set(id, callback);
    return { dispose: () => commands.delete(id) };
  });
  return { output, collections, commands };
}

/** A fresh `vscode` mock and extension module (jest.isolateModules keeps module state apart). */
function loadExtension() {
  let vscode;
  let extension;
  jest.isolateModules(() => {
    vscode = require('vscode');
    extension = require(path.join(__dirname, '..', 'dist', 'extension.js'));
  });
  const state = completeMock(vscode);
  return { vscode, extension, ...state };
}

/** An ExtensionContext with what the extension uses. */
function context() {
  return { subscriptions: [], extensionPath: path.join(__dirname, '..') };
}

/** Waits until `predicate()` is truthy, or fails after `ms`. */
async function until(predicate, what, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { loadExtension, context, until };
