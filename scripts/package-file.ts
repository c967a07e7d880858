import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Absolute path of a file inside an installed package, even when the
 * package's `exports` map hides it (as `@jimp/test-utils` hides `images/`):
 * resolves the package's entry (or package.json) and walks up to its root.
 *
 * @example
 * packageFile('@jimp/test-utils', 'images/fillbytes.jpg');
 * // '/…/node_modules/@jimp/test-utils/images/fillbytes.jpg'
 */
export function packageFile(pkg: string, file: string): string {
  let entry: string;
  try {
    entry = require.resolve(`${pkg}/package.json`);
  } catch {
    entry = require.resolve(pkg);
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && dir.endsWith(join('node_modules', pkg))) return join(dir, file);
  }
  throw new Error(`packageFile: cannot find the root of '${pkg}' (resolved ${entry})`);
}
