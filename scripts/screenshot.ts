import { launchChromium } from '../test/browser/chromium';
import { serveStatic } from '../test/browser/static-server';

/** Takes a screenshot of a page of the built site: `npx tsx scripts/screenshot.ts /lessons/01-convolution/ out.png [dark]`. */
const [path = '/', out = '/tmp/shot.png', mode] = process.argv.slice(2);
const { url, server } = await serveStatic('.vitepress/dist');
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 1800 }, colorScheme: mode === 'dark' ? 'dark' : 'light' });
page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
page.on('pageerror', (e) => console.log('page error:', e.message));
await page.goto(url + path);
await page.waitForFunction(() => [...document.querySelectorAll('.vn-cell')].every((c) => c.getAttribute('data-state') !== 'pending' && (c.getAttribute('data-state') !== 'idle' || c.querySelector('.vn-cell-norun'))), null, { timeout: 120_000 }).catch((e) => console.log('not settled:', e.message));
await page.waitForTimeout(Number(process.env.WAIT ?? 500));
const states = await page.$$eval('.vn-cell', (cells) => cells.map((c) => `${c.getAttribute('data-cell-id')}:${c.getAttribute('data-state')}`));
console.log(states.join(' '));
await page.screenshot({ path: out, fullPage: process.env.FULL === '1' });
await browser.close();
server.close();
