/**
 * Chromium check of the self-check components on a served site, until the
 * browser-test harness (test/browser/harness.ts) exists; then this becomes
 * test/browser/selfcheck.test.ts. Not collected by vitest (not *.test.ts).
 *
 * Run: serve a build that contains lessons/06-boxes-iou-nms/self-check.md and
 * progress.md, then
 *   BASE=http://127.0.0.1:4173 node --import tsx test/exercises/browser/selfcheck-drive.mts
 * It prints PASS/FAIL per check and exits non-zero on a failure.
 *
 * Checks: a right and a wrong quiz answer, retry; an exercise that passes
 * (Ctrl-Enter); expected/got on a visible case; no storage APIs in the worker;
 * a tf tensor result; an infinite loop while the page still answers clicks,
 * then the time-out message; a throw; the solution after an attempt; reload
 * keeps progress; export, clear, import; a corrupted store resets with a notice.
 */
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';
import { readFileSync } from 'node:fs';

const base = process.env.BASE ?? 'http://127.0.0.1:4199';
const ok = (c: boolean, m: string) => { console.log(`${c ? 'PASS' : 'FAIL'} ${m}`); if (!c) process.exitCode = 1; };
const browser = await playwright.launch({ executablePath: await chromium.executablePath(), args: chromium.args });
const ctx = await browser.newContext({ acceptDownloads: true });
const page = await ctx.newPage();
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

await page.goto(`${base}/lessons/06-boxes-iou-nms/self-check.html`, { timeout: 300_000 });
// quiz: right answer
const q1 = page.locator('[data-quiz-id="iou-value"]');
await q1.locator('input[type=text]').fill('0.143');
await q1.locator('button.sc-check').click();
ok((await q1.getAttribute('data-state')) === 'correct', 'numeric quiz right answer');
// quiz: wrong answer then retry
const q2 = page.locator('[data-quiz-id="nms-survivors"]');
await q2.locator('label.sc-choice').nth(0).click();
await q2.locator('button.sc-check').click();
ok((await q2.getAttribute('data-state')) === 'wrong', 'single quiz wrong answer');
ok(await q2.locator('.sc-explain').isVisible(), 'explanation shown after a wrong answer');
await q2.locator('button.sc-retry').click();
await q2.locator('label.sc-choice').nth(1).click();
await q2.locator('button.sc-check').click();
ok((await q2.getAttribute('data-state')) === 'correct', 'retry then right');

// exercise
const ex = page.locator('[data-exercise-id="iou"]');
await ex.locator('.cm-content').waitFor({ timeout: 60_000 });
async function setCode(code: string) {
  await ex.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}
const solution = `function iou(a, b) {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}`;
await setCode(solution);
let t0 = Date.now();
await page.keyboard.press('Control+Enter');
await page.waitForSelector('[data-exercise-id="iou"][data-state="passed"]', { timeout: 120_000 });
console.log(`  passed after ${Date.now() - t0} ms`);
ok(true, 'exercise passes (Ctrl-Enter)');

// wrong: visible expected/got
await setCode('function iou(a, b) { return 1; }');
await ex.locator('button.sc-run').click();
await page.waitForSelector('[data-exercise-id="iou"][data-state="done"]', { timeout: 60_000 });
const caseText = await ex.locator('.sc-cases li').nth(1).innerText();
console.log('  ', caseText);
ok(/expected 0, got 1/.test(caseText), 'visible case shows expected/got');

// the worker has no storage
await setCode('function iou(a, b) { return (typeof indexedDB === "undefined" && typeof caches === "undefined" && !(navigator.storage)) ? 0 : 1; }');
await ex.locator('button.sc-run').click();
await page.waitForSelector('[data-exercise-id="iou"][data-state="done"]', { timeout: 60_000 });
ok((await ex.locator('.sc-cases li').nth(1).getAttribute('data-passed')) === 'true', 'no indexedDB/caches/navigator.storage in the worker');

// tf in the worker
await setCode('function iou(a, b) { return tf.tidy(() => tf.scalar(0).add(tf.scalar(1))); }');
await ex.locator('button.sc-run').click();
await page.waitForSelector('[data-exercise-id="iou"][data-state="done"]', { timeout: 60_000 });
ok(/expected 0\.142857, got 1/.test(await ex.locator('.sc-cases li').nth(0).innerText()), 'tensor result from tf read as a number');

// infinite loop: the page answers clicks
await setCode('function iou(a, b) { while (true) {} }');
await ex.locator('button.sc-run').click();
await page.waitForSelector('[data-exercise-id="iou"][data-state="running"]');
await ex.locator('button.sc-hint').click();
ok(await ex.locator('.sc-hints li').first().isVisible(), 'hint shows while the code loops (page responsive)');
ok((await ex.getAttribute('data-state')) === 'running', 'still running when the hint was clicked');
await page.waitForSelector('[data-exercise-id="iou"] .sc-timeout', { timeout: 60_000 });
ok(/ran longer than 3 s — an infinite loop\?/.test(await ex.locator('.sc-timeout').innerText()), 'timeout message');
await setCode('function iou(a, b) { throw new Error("oops"); }');
await ex.locator('button.sc-run').click();
await page.waitForSelector('[data-exercise-id="iou"][data-state="done"]', { timeout: 60_000 });
ok(/threw Error: oops/.test(await ex.locator('.sc-cases li').first().innerText()), 'a throw is reported per case');
await ex.locator('button.sc-solution').click();
ok(await ex.locator('.sc-solution-box').isVisible(), 'solution shows after an attempt');

// reload keeps progress
await page.goto(`${base}/progress.html`);
await page.waitForSelector('[data-testid="exercises-passed"]');
const passed1 = await page.locator('[data-testid="exercises-passed"]').innerText();
await page.reload();
await page.waitForSelector('[data-testid="exercises-passed"]');
ok((await page.locator('[data-testid="exercises-passed"]').innerText()) === '1' && passed1 === '1', 'progress survives a reload (1 exercise passed)');
ok((await page.locator('[data-testid="lessons-read"]').innerText()) === '1', 'one lesson read');
ok(await page.locator('.sc-continue a').isVisible(), 'continue link');
console.log('  ', await page.locator('.sc-continue a').getAttribute('href'));
// export, clear, import
const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('button.sc-export').click()]);
const file = await dl.path();
const exported = readFileSync(file!, 'utf8');
ok(exported.includes('"vision-notebook-progress"'), 'export downloads a JSON file');
await page.locator('button.sc-clear').click();
await page.locator('button.sc-clear-yes').click();
ok((await page.locator('[data-testid="exercises-passed"]').innerText()) === '0', 'cleared');
await page.locator('input.sc-import-input').setInputFiles(file!);
await page.waitForFunction(() => document.querySelector('[data-testid="exercises-passed"]')?.textContent === '1');
ok(true, 'import restores it');
// corrupted store: reset with a message, no crash
await page.evaluate(() => localStorage.setItem('vision-notebook:progress', '{"version":1,"lessons":{'));
await page.reload();
await page.waitForSelector('.sc-notice');
ok(/could not be read/.test(await page.locator('.sc-notice').innerText()), 'corrupted store: reset with a notice');

ok(errors.length === 0, `no page errors ${JSON.stringify(errors)}`);
await browser.close();
