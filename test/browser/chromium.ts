import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Flags for a closed network: without them Chromium keeps trying to reach Google's hosts. */
const QUIET_FLAGS = [
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-sandbox',
];

/**
 * Finds a Chromium the way a learner's machine would have one: CHROME_PATH if
 * set, else the one the `@sparticuz/chromium` package ships (Linux x64), else
 * a system Chrome/Chromium. Never downloads anything.
 */
export async function findChromium(): Promise<{ executablePath: string; args: string[] }> {
  if (process.env.CHROME_PATH) return { executablePath: process.env.CHROME_PATH, args: QUIET_FLAGS };
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      const sparticuz = (await import('@sparticuz/chromium')).default;
      // Its default flags include --single-process, which blocks Web Workers' isolation; keep the rest.
      const args = sparticuz.args.filter((a: string) => !/^--(single-process|no-zygote)$/.test(a));
      return { executablePath: await sparticuz.executablePath(), args: [...args, ...QUIET_FLAGS] };
    } catch {
      // Fall through to a system browser.
    }
  }
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']) {
    if (existsSync(path)) return { executablePath: path, args: QUIET_FLAGS };
  }
  throw new Error('No Chromium found: set CHROME_PATH, or install the @sparticuz/chromium package (Linux x64) or a system Chromium.');
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const { executablePath, args } = await findChromium();
  return chromium.launch({ executablePath, args: [...args, ...extraArgs], headless: true });
}
