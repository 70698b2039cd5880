// Clicks through the Tributary web console in headless Chromium and checks what it shows against what the
// broker holds. Started by ConsoleBrowserIT:
//
//   node console.test.mjs <baseUrl> '<expectations as JSON>'
//
// Exits 0 when every check passed; otherwise prints the failed step and exits 1.
import {chromium} from 'playwright-core';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const [baseUrl, expectationsJson] = process.argv.slice(2);
if (!baseUrl || !expectationsJson) {
  console.error('usage: node console.test.mjs <baseUrl> <expectations-json>');
  process.exit(2);
}
const expected = JSON.parse(expectationsJson);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const screenshotDir = process.env.SCREENSHOT_DIR;
const TIMEOUT = 15_000;

function log(message) {
  console.log(`[console-test] ${message}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls fn until it returns a truthy value; fails with the description and the last value seen. */
async function until(description, fn, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error.message;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description} (last: ${JSON.stringify(last)})`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** The texts of a table row's cells. */
async function cells(row) {
  return (await row.locator('td').allTextContents()).map(t => t.trim());
}

const userDataDir = mkdtempSync(join(tmpdir(), 'tributary-console-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(TIMEOUT);
const pageErrors = [];
const offsite = [];
page.on('pageerror', error => pageErrors.push(error.message));
page.on('console', message => {
  if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
});
page.on('request', request => {
  if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) offsite.push(request.url());
});

let step = 'start';
try {
  step = 'the root redirects to the console and the header shows the cluster';
  await page.goto(`${baseUrl}/`);
  check(page.url() === `${baseUrl}/console/`, `expected to land on /console/, got ${page.url()}`);
  await until('the cluster id in the header',
    async () => (await page.locator('#cluster-id').textContent()) === expected.clusterId);
  check((await page.locator('#member-count').textContent()) === '1', 'one member in the header');
  log(`header shows cluster ${expected.clusterId}`);

  step = 'the cluster tab lists this broker';
  const member = page.locator('[data-testid=members] tr[data-node="0"]');
  await member.waitFor();
  const memberCells = await cells(member);
  check(memberCells[0] === '0' && memberCells[1] === expected.host && memberCells[2] === String(expected.kafkaPort),
    `member row ${JSON.stringify(memberCells)}`);
  check(memberCells[4].includes('controller') && memberCells[4].includes('this member'), `roles ${memberCells[4]}`);
  log(`member 0 at ${memberCells[1]}:${memberCells[2]}, controller`);

  step = 'the topics tab lists the topic with partitions, size and retention';
  await page.click('nav >> text=Topics');
  const topicRow = page.locator(`[data-testid=topics] tr[data-topic="${expected.topic}"]`);
  await topicRow.waitFor();
  const topicCells = await cells(topicRow);
  check(topicCells[1] === String(expected.partitions), `partitions ${topicCells[1]}`);
  check(/\d+(\.\d)? (B|KiB|MiB)/.test(topicCells[2]) && topicCells[2] !== '0 B', `size ${topicCells[2]}`);
  check(topicCells[3] === expected.retention, `retention ${topicCells[3]}`);
  check(await page.locator('[data-testid=topics] tr[data-topic="__consumer_offsets"]').count() === 0,
    'internal topics hidden by default');
  log(`topic row ${JSON.stringify(topicCells)}`);

  step = 'a click on the topic shows its partitions with leader, replicas and ISR';
  await topicRow.locator('a').click();
  await until('the topic page', async () => (await page.locator('[data-testid=topic-name]').textContent()) === expected.topic);
  const partitionRows = page.locator('[data-testid=partitions] tbody tr');
  await until('every partition', async () => (await partitionRows.count()) === expected.partitions);
  for (let p = 0; p < expected.partitions; p++) {
    const row = await cells(page.locator(`[data-testid=partitions] tr[data-partition="${p}"]`));
    check(row[0] === String(p) && row[1] === '0' && row[2] === '0' && row[3] === '0',
      `partition ${p}: leader, replicas, ISR in ${JSON.stringify(row)}`);
    check(row[5] === String(expected.endOffsets[p]), `partition ${p} end offset ${row[5]}, expected ${expected.endOffsets[p]}`);
  }
  log(`${expected.partitions} partitions, leader 0, ISR [0], end offsets ${expected.endOffsets}`);

  step = 'the groups tab shows the group, and its page the lag per partition and in total';
  await page.click('nav >> text=Consumer groups');
  const groupRow = page.locator(`[data-testid=groups] tr[data-group="${expected.group}"]`);
  await groupRow.waitFor();
  const groupCells = await cells(groupRow);
  check(groupCells[1] === 'classic' && groupCells[2] === 'Stable' && groupCells[3] === '1',
    `group row ${JSON.stringify(groupCells)}`);
  await groupRow.locator('a').click();
  const totalLag = page.locator('[data-testid=total-lag]');
  await until('the total lag', async () => (await totalLag.textContent()) === String(expected.totalLag));
  check(await page.locator('.total-lag.lagging').count() === 1, 'the total lag is highlighted');
  const lagRow = await cells(page.locator(`[data-testid=lag] tr[data-partition="${expected.topic}-0"]`));
  check(lagRow[2] === String(expected.committed0) && lagRow[4] === String(expected.lag0),
    `lag of partition 0 ${JSON.stringify(lagRow)}`);
  const memberRow = await cells(page.locator('[data-testid=group-members] tbody tr').first());
  check(memberRow[0] === expected.groupClientId, `group member ${JSON.stringify(memberRow)}`);
  log(`group ${expected.group}: total lag ${expected.totalLag}, member ${memberRow[0]}`);

  step = 'the live tail shows a message produced from the console';
  await page.click('nav >> text=Live tail');
  await page.locator('#tail-topic').selectOption(expected.topic);
  await page.click('#tail-start');
  await until('the stream to open', async () => (await page.locator('#tail-status').textContent()).startsWith('Following'));
  await page.click('nav >> text=Produce');
  const message = `hello <b>console</b> ${Date.now()}`;
  await page.fill('#produce-topic', expected.topic);
  await page.fill('#produce-partition', '1');
  await page.fill('#produce-key', 'browser');
  await page.fill('#produce-value', message);
  await page.click('#produce-send');
  const produced = page.locator('[data-testid=produced]').first();
  await produced.waitFor();
  const producedText = await produced.textContent();
  check(producedText.includes(`partition 1, offset ${expected.endOffsets[1]}`), `produce answer ${producedText}`);
  log(producedText);
  await page.click('nav >> text=Live tail');
  const tailRow = page.locator(`[data-testid=tail] tr[data-offset="1-${expected.endOffsets[1]}"]`);
  await tailRow.waitFor();
  const tailCells = await cells(tailRow);
  check(tailCells[3] === 'browser' && tailCells[4] === message, `tail row ${JSON.stringify(tailCells)}`);
  check(await page.locator('[data-testid=tail] b').count() === 0, 'record values are shown as text, not markup');
  log(`tail shows ${JSON.stringify(tailCells[4])} at partition 1 offset ${expected.endOffsets[1]}`);

  step = 'the MQTT tab lists the connected client';
  await page.click('nav >> text=MQTT clients');
  const client = page.locator(`[data-testid=mqtt-clients] tr[data-client="${expected.mqttClientId}"]`);
  await client.waitFor();
  const clientCells = await cells(client);
  check(clientCells[1] === 'anonymous' && clientCells[2].startsWith('127.0.0.1:') && clientCells[3] === 'MQTT 3.1.1'
    && clientCells[5] === String(expected.mqttSubscriptions), `client row ${JSON.stringify(clientCells)}`);
  log(`MQTT client ${expected.mqttClientId} from ${clientCells[2]}`);

  step = 'auto-refresh picks up a change without a reload';
  await page.click('nav >> text=Consumer groups');
  await until('the groups list', async () => (await page.locator(`tr[data-group="${expected.group}"]`).count()) === 1);
  await fetch(`${baseUrl}/admin/topics`, {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({topic_name: 'created-later', partitions_count: 1})});
  await page.click('nav >> text=Topics');
  await until('a topic created behind the console\'s back',
    async () => (await page.locator('tr[data-topic="created-later"]').count()) === 1, 10_000);
  log('auto-refresh shows a new topic');

  step = 'nothing failed in the page and nothing was loaded from elsewhere';
  check(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
  check(offsite.length === 0, `requests outside the broker: ${offsite.join(', ')}`);
  log('PASSED');
} catch (error) {
  console.error(`[console-test] FAILED at "${step}": ${error.message}`);
  if (pageErrors.length) console.error(`[console-test] page errors: ${pageErrors.join(' | ')}`);
  if (screenshotDir) {
    const file = join(screenshotDir, 'console-failure.png');
    await page.screenshot({path: file, fullPage: true}).catch(() => {});
    console.error(`[console-test] screenshot: ${file}`);
  }
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(userDataDir, {recursive: true, force: true});
}
