// The web console end to end in Debian's headless Chromium. ConsoleBrowserIT starts the sidecar,
// runs this script and plays the device and the Dapr app: this script prints "step: <name>" when
// it needs the Java side, and waits for one line on stdin before it goes on.
//
// Environment: CONSOLE_URL (the page), STATE_STORE (a Dapr state store name), SCREENSHOTS (a
// folder for PNGs), CHROMIUM (the browser, default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const WAIT_MS = 15000;
const url = process.env.CONSOLE_URL;
const store = process.env.STATE_STORE;
const shots = process.env.SCREENSHOTS;
const stdin = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Tells the Java side what happened and waits (bounded) for its go-ahead. */
async function step(name) {
  console.log(`step: ${name}`);
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no answer to step ${name}`)), WAIT_MS));
  const line = await Promise.race([stdin.next(), timeout]);
  if (line.done || line.value.trim() !== 'ok') throw new Error(`step ${name}: ${line.value}`);
}

async function run(page) {
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(url);

  // 1. A device's message appears in the live table.
  await page.fill('#live-form [name=filter]', 'e2e/#');
  await page.click('#live-form button[type=submit]');
  await page.locator('#live-status', { hasText: 'live on e2e/#' }).waitFor();
  await step('watching');
  const row = page.locator('#live-rows tr', { hasText: 'e2e/device/temp' });
  await row.waitFor();
  await page.selectOption('#live-format', 'json');
  await row.locator('td.payload', { hasText: '"celsius": 21.5' }).waitFor();
  await page.screenshot({ path: join(shots, 'console-live.png') });

  // 2. A publish from the form reaches a device.
  await page.click('nav button[data-view=publish]');
  await page.fill('#publish-form [name=topic]', 'e2e/commands/valve');
  await page.fill('#publish-form [name=payload]', 'open');
  await page.fill('#publish-form [name=contentType]', 'text/plain');
  await page.fill('#publish-form [name=userProperties]', 'origin=console');
  await page.click('#publish-form button[type=submit]');
  // The device and this page's live view (e2e/#) both subscribe to it.
  await page.locator('#publish-status', { hasText: 'published to 2 subscriber(s)' }).waitFor();
  await page.screenshot({ path: join(shots, 'console-publish.png') });
  await step('published');

  // 3. A state key edited here is read back through the Dapr state API.
  await page.click('nav button[data-view=state]');
  await page.fill('#state-form [name=store]', store);
  await page.click('#state-form button[type=submit]');
  const key = page.locator('#state tbody tr', { hasText: 'e2e||order' });
  await key.getByRole('button', { name: 'Edit' }).click();
  await page.fill('#state-edit [name=value]', '{"n":2}');
  await page.click('#state-edit button[type=submit]');
  await page.locator('#state-edit .status', { hasText: 'saved e2e||order' }).waitFor();
  await key.locator('td.payload', { hasText: '{"n":2}' }).waitFor();
  await page.screenshot({ path: join(shots, 'console-state.png') });
  await step('state-edited');

  // 4. The clients view lists the device.
  await page.click('nav button[data-view=clients]');
  await page.locator('#clients tbody tr', { hasText: 'e2e-device' }).waitFor();
  await page.screenshot({ path: join(shots, 'console-clients.png') });
}

const profile = mkdtempSync(join(tmpdir(), 'console-e2e-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1100, height: 640 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('pageerror', error => console.log(`page error: ${error.message}`));
  page.on('console', message => console.log(`page console: ${message.text()}`));
  try {
    await run(page);
  } catch (error) {
    await page.screenshot({ path: join(shots, 'console-failure.png') }).catch(() => {});
    throw error;
  }
  console.log('e2e: ok');
} catch (error) {
  failed = true;
  console.log(`e2e: failed: ${error.stack}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
