// The extension's manifest: the dockerfile language for every Dockerfile name gantry checks, the
// commands, and a settings schema whose every setting is described and reaches the server.
'use strict';

jest.mock('vscode', () => require('./vscode-mock')(jest), { virtual: true });

const manifest = require('../package.json');
const { loadExtension } = require('./harness');

/** VS Code's filename globs, for the patterns the manifest uses (`*` only). */
function globMatches(pattern, name) {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(name);
}

function isDockerfile(name) {
  const language = manifest.contributes.languages.find((l) => l.id === 'dockerfile');
  return language.filenames.includes(name) || language.filenamePatterns.some((p) => globMatches(p, name));
}

test('the dockerfile language covers every Dockerfile name', () => {
  for (const name of ['Dockerfile', 'Containerfile', 'api.Dockerfile', 'Dockerfile.dev', 'app.containerfile',
    'dockerfile', 'build.dockerfile', 'Containerfile.prod']) {
    expect([name, isDockerfile(name)]).toEqual([name, true]);
  }
  for (const name of ['x.dockerignore', 'docker-compose.yml', 'README.md']) {
    expect([name, isDockerfile(name)]).toEqual([name, false]);
  }
});

test('every setting has a description and a type', () => {
  const properties = manifest.contributes.configuration.properties;
  expect(Object.keys(properties).length).toBeGreaterThanOrEqual(9);
  for (const [key, schema] of Object.entries(properties)) {
    expect([key, typeof (schema.markdownDescription ?? schema.description)]).toEqual([key, 'string']);
    expect([key, schema.type !== undefined]).toEqual([key, true]);
  }
});

test('every rule setting maps to a key of the server, and only those do', () => {
  const { extension } = loadExtension();
  const properties = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(/^gantry\./, ''));
  const editorOnly = ['path', 'trace.server'];
  expect(properties.filter((p) => !editorOnly.includes(p)).sort()).toEqual(Object.keys(extension.SERVER_KEYS).sort());
  // The server's names are gantry.toml's kebab-case keys.
  expect(Object.values(extension.SERVER_KEYS).sort()).toEqual([
    'context', 'disable-ignore-comments', 'enable', 'ignore', 'label-schema', 'select', 'severity', 'strict-labels',
    'trusted-registries',
  ]);
});

test('unset settings are left out, so the server keeps gantry.toml values', () => {
  const { extension } = loadExtension();
  const values = { select: null, ignore: ['DL3008'], severity: { DL3007: 'error' }, strictLabels: undefined };
  expect(extension.serverSettings((key) => values[key])).toEqual({ ignore: ['DL3008'], severity: { DL3007: 'error' } });
});

test('commands are contributed and registered by activate', () => {
  const ids = manifest.contributes.commands.map((c) => c.command).sort();
  expect(ids).toEqual(['gantry.restartServer', 'gantry.showLog']);
  expect(manifest.main).toBe('./dist/extension.js');
});
