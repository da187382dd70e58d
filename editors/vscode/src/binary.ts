/**
 * Finding the gantry executable: the `gantry.path` setting, otherwise `gantry` on `PATH`.
 * Pure functions over their inputs, so tests can check them without VS Code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the user sees when gantry cannot be found. */
export const INSTALL_HINT =
  'Install gantry with `cargo install --locked --path .` from a clone of the gantry repository ' +
  '(Rust 1.95 or newer), then reload the window, or set `gantry.path` to the executable.';

export type Resolution =
  | { found: true; command: string }
  | { found: false; message: string };

function isExecutableFile(candidate: string): boolean {
  try {
    const stat = fs.statSync(candidate);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(candidate, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Expands a leading `~` the way a shell would, since settings are often copied from one. */
function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}

/**
 * Resolves the executable: `configured` (the `gantry.path` setting) when set, otherwise the first
 * `gantry` in `searchPath` (the `PATH` variable).
 */
export function resolveGantry(
  configured: string | null | undefined,
  searchPath: string | undefined,
  platform: NodeJS.Platform = process.platform,
): Resolution {
  if (configured && configured.trim() !== '') {
    const command = expandHome(configured.trim());
    if (isExecutableFile(command)) {
      return { found: true, command };
    }
    return {
      found: false,
      message: `gantry.path is set to "${configured}", which is not an executable file. ${INSTALL_HINT}`,
    };
  }
  const names = platform === 'win32' ? ['gantry.exe', 'gantry.cmd', 'gantry'] : ['gantry'];
  const separator = platform === 'win32' ? ';' : ':';
  for (const dir of (searchPath ?? '').split(separator)) {
    if (dir === '') {
      continue;
    }
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutableFile(candidate)) {
        return { found: true, command: candidate };
      }
    }
  }
  return { found: false, message: `gantry was not found on PATH. ${INSTALL_HINT}` };
}
