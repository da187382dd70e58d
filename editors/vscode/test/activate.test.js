// The real `activate()` with the real vscode-languageclient and the real gantry server: the
// settings reach the server, diagnostics for examples/hello-api arrive in VS Code's diagnostic
// collection, the restart command starts a new server, and a missing binary is explained.
//
// gantry is taken from GANTRY_BIN (editors/test/run-all sets it) or else from PATH.
'use strict';

jest.mock('vscode', () => require('./vscode-mock')(jest), { virtual: true });

const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { loadExtension, context, until } = require('./harness');

jest.setTimeout(60000);

const repo = path.resolve(__dirname, '..', '..', '..');
const dockerfile = path.join(repo, 'examples', 'hello-api', 'Dockerfile');

function gantryBinary() {
  if (process.env.GANTRY_BIN) return process.env.GANTRY_BIN;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'gantry');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  throw new Error('no gantry binary: build it (cargo build) and set GANTRY_BIN, or put it on PATH');
}

function openDocument(vscode) {
  const { MockTextDocument } = require('jest-mock-vscode/dist/vscode/TextDocument');
  const document = MockTextDocument.create(vscode.Uri.file(dockerfile), fs.readFileSync(dockerfile, 'utf8'), 'dockerfile', 1);
  vscode.workspace.textDocuments.push(document);
  return document;
}

// Each test's extension and spawn spy, cleaned up even when the test fails, so that no server
// outlives its test.
let loaded;
let spawn;
beforeEach(() => {
  spawn = jest.spyOn(childProcess, 'spawn');
  loaded = loadExtension();
});
afterEach(async () => {
  await loaded.extension.deactivate();
  for (const result of spawn.mock.results) {
    if (result.value && result.value.exitCode === null && result.value.signalCode === null) result.value.kill();
  }
  spawn.mockRestore();
});

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

function codes(collection, uri) {
  return (collection.get(uri) ?? []).map((d) => [typeof d.code === 'object' ? d.code.value : d.code, d.severity]);
}

test('activate starts `gantry lsp --stdio` with the settings, and diagnostics arrive', async () => {
  const { vscode, extension, output, collections, commands } = loaded;
  const config = vscode.workspace.getConfiguration();
  await config.update('gantry.path', gantryBinary());
  // A non-default value for every rule setting: none may be refused by the server.
  await config.update('gantry.select', null);
  await config.update('gantry.ignore', ['StageNameCasing']);
  await config.update('gantry.enable', []);
  await config.update('gantry.severity', { JSONArgsRecommended: 'error' });
  await config.update('gantry.context', { Dockerfile: '.' });
  await config.update('gantry.trustedRegistries', ['docker.io']);
  await config.update('gantry.labelSchema', { 'org.opencontainers.image.source': 'url' });
  await config.update('gantry.strictLabels', false);
  await config.update('gantry.disableIgnoreComments', false);
  const document = openDocument(vscode);

  const api = await extension.activate(context());
  expect(api.client()).toBeDefined();
  expect(spawn).toHaveBeenCalled();
  const [command, args] = spawn.mock.calls[0];
  expect(command).toBe(gantryBinary());
  expect(args).toEqual(['lsp', '--stdio']);
  expect(api.client().initializeResult.serverInfo.name).toBe('gantry');

  const collection = await until(() => collections.find((c) => c.has(document.uri)), 'diagnostics for hello-api');
  await until(() => codes(collection, document.uri).length >= 2, 'both findings');
  const found = codes(collection, document.uri);
  // vscode.DiagnosticSeverity: Error = 0. JSONArgsRecommended is a warning by default: the
  // `gantry.severity` setting made it an error, so the settings reached the server.
  expect(found).toContainEqual(['syntax/unknown-instruction', 0]);
  expect(found).toContainEqual(['JSONArgsRecommended', 0]);
  // The server reports settings it refuses with window/showMessage; it refused none.
  expect(vscode.window.showWarningMessage.mock.calls.filter((c) => /^gantry/.test(c[0]))).toEqual([]);
  expect(vscode.window.showErrorMessage).not.toHaveBeenCalled();

  // Both commands exist; "Show Server Log" reveals the channel the server's stderr goes to.
  expect([...commands.keys()].sort()).toEqual(['gantry.restartServer', 'gantry.showLog']);
  commands.get('gantry.showLog')();
  expect(output.join('')).toMatch(/gantry: starting .*gantry lsp/);

  // Restart: the old server exits, a new one starts and publishes diagnostics again.
  const first = api.client();
  await commands.get('gantry.restartServer')();
  expect(api.client()).toBeDefined();
  expect(api.client()).not.toBe(first);
  expect(spawn.mock.calls.length).toBe(2);
  expect(api.client().isRunning()).toBe(true);
  await until(() => exited(spawn.mock.results[0].value), 'the first server to exit', 5000);
  await until(
    () => collections.find((c) => c !== collection && c.has(document.uri) && codes(c, document.uri).length >= 2),
    'diagnostics from the restarted server',
  );

  // Deactivation stops the server: its process exits.
  await extension.deactivate();
  expect(api.client()).toBeUndefined();
  await until(() => exited(spawn.mock.results[1].value), 'the second server to exit', 5000);
});

test('a missing gantry is explained, with install instructions, and nothing is started', async () => {
  const { vscode, extension, output, commands } = loaded;
  await vscode.workspace.getConfiguration().update('gantry.path', path.join(repo, 'no-such-gantry'));
  const api = await extension.activate(context());
  expect(api.client()).toBeUndefined();
  expect(spawn).not.toHaveBeenCalled();
  expect(vscode.window.showErrorMessage).toHaveBeenCalledWith(
    expect.stringMatching(/gantry\.path is set to .*cargo install --locked --path \./),
    'Open Settings',
    'Show Log',
  );
  expect(output.join('')).toMatch(/not an executable file/);
  expect(commands.has('gantry.restartServer')).toBe(true);
});
