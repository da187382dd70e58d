/**
 * Translation of the extension's `gantry.*` settings into the shape gantry's server reads
 * (the same keys as `gantry.toml`). The server rejects unknown keys and `null`, so only the
 * keys it knows are sent, and unset values are left out.
 */

/** A reader of one setting, as `vscode.WorkspaceConfiguration.get` is. */
export type SettingReader = (key: string) => unknown;

/** VS Code setting (under `gantry.`) to the server's key. Settings not listed stay in the editor. */
export const SERVER_KEYS: Readonly<Record<string, string>> = {
  select: 'select',
  ignore: 'ignore',
  enable: 'enable',
  severity: 'severity',
  context: 'context',
  trustedRegistries: 'trusted-registries',
  labelSchema: 'label-schema',
  strictLabels: 'strict-labels',
  disableIgnoreComments: 'disable-ignore-comments',
};

/** The server's settings object built from the editor's settings. */
export function serverSettings(read: SettingReader): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [setting, key] of Object.entries(SERVER_KEYS)) {
    const value = read(setting);
    if (value === undefined || value === null) {
      continue;
    }
    settings[key] = value;
  }
  return settings;
}
