// Server options and the executable lookup, without starting anything.
'use strict';

jest.mock('vscode', () => require('./vscode-mock')(jest), { virtual: true });

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadExtension } = require('./harness');

test('the server is `gantry lsp` on stdio', () => {
  const { extension } = loadExtension();
  const options = extension.serverOptions('/opt/gantry/bin/gantry');
  for (const mode of ['run', 'debug']) {
    expect(options[mode].command).toBe('/opt/gantry/bin/gantry');
    expect(options[mode].args).toEqual(['lsp']);
    expect(options[mode].transport).toBe(0); // TransportKind.stdio: the client appends --stdio
  }
  expect(extension.DOCUMENT_SELECTOR).toEqual([
    { scheme: 'file', language: 'dockerfile' },
    { scheme: 'untitled', language: 'dockerfile' },
  ]);
});

describe('finding gantry', () => {
  let dir;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-vscode-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('on PATH, skipping directories without it', () => {
    const { extension } = loadExtension();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'gantry'), '#!/bin/sh\n', { mode: 0o755 });
    const result = extension.resolveGantry(undefined, `${path.join(dir, 'empty')}:${bin}`, 'linux');
    expect(result).toEqual({ found: true, command: path.join(bin, 'gantry') });
  });

  test('a file that is not executable is not gantry', () => {
    const { extension } = loadExtension();
    fs.writeFileSync(path.join(dir, 'gantry'), 'not a program', { mode: 0o644 });
    const result = extension.resolveGantry(undefined, dir, 'linux');
    expect(result.found).toBe(false);
    expect(result.message).toMatch(/not found on PATH/);
    expect(result.message).toMatch(/cargo install --locked --path \./);
    expect(result.message).toMatch(/gantry\.path/);
  });

  test('gantry.path wins over PATH, and a wrong one is reported as such', () => {
    const { extension } = loadExtension();
    const configured = path.join(dir, 'my-gantry');
    fs.writeFileSync(configured, '#!/bin/sh\n', { mode: 0o755 });
    expect(extension.resolveGantry(configured, '', 'linux')).toEqual({ found: true, command: configured });
    const wrong = extension.resolveGantry(path.join(dir, 'missing'), dir, 'linux');
    expect(wrong.found).toBe(false);
    expect(wrong.message).toMatch(/gantry\.path is set to/);
  });
});
