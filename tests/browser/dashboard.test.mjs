// The /admin dashboard in a real browser (Debian's Chromium through playwright-core).
// Every step is checked through the Management API, the way an operator's scripts
// would see the change. Needs ZEROTH_URL and ZEROTH_DATA_DIR (scripts/test-clients sets
// them) and NODE_EXTRA_CA_CERTS so Node trusts the development CA.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { chromium } from 'playwright-core';

const base = process.env.ZEROTH_URL;
const dataDir = process.env.ZEROTH_DATA_DIR;
assert.ok(base && dataDir, 'set ZEROTH_URL and ZEROTH_DATA_DIR');
const creds = JSON.parse(fs.readFileSync(path.join(dataDir, 'admin-credentials.json'), 'utf8'));
const shots = path.resolve(import.meta.dirname, '../../target/artifacts/screenshots');
fs.mkdirSync(shots, { recursive: true });

/** One Management API call over Node's https (which verifies the dev CA). */
function call(method, p, body, token) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(new URL(p, base), {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
      },
    }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

let token;
async function api(method, p, body) {
  if (!token) {
    const res = await call('POST', '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: creds.client_id,
      client_secret: creds.client_secret,
      audience: creds.audience,
    });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    token = res.json.access_token;
  }
  return call(method, p, body, token);
}

let browser;
let page;
const stamp = Date.now();
const appName = `Browser App ${stamp}`;
let appId;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Chromium keeps its own trust store (NSS) and ignores NODE_EXTRA_CA_CERTS, and
  // importing the throwaway dev CA into it needs extra tooling. The browser only ever
  // talks to the server this run started on localhost; the API checks below, made from
  // Node, do verify the certificate against the dev CA.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
});

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

async function openTab(label) {
  await page.locator('nav.tabs').getByRole('link', { name: label, exact: true }).click();
}

test('a wrong password is refused, the right one signs in', async () => {
  await page.goto(`${base}/admin/apps`);
  assert.match(page.url(), /\/admin\/login$/, 'pages need a session');
  await shot('login');
  await page.fill('#username', 'admin');
  await page.fill('#password', 'not-the-password');
  await page.click('button[type=submit]');
  assert.ok(await page.getByText('Wrong username or password.').isVisible());
  await page.fill('#username', 'admin');
  await page.fill('#password', creds.dashboard_password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin\/apps$/);
  assert.ok(await page.locator('#apps').isVisible());
  await shot('apps-list');
});

test('create an application', async () => {
  await page.click('text=Create Application');
  await page.fill('#name', appName);
  await page.check('input[name=app_type][value=regular_web]');
  await page.click('button:has-text("Create")');
  await page.waitForURL(/\/admin\/apps\/[^/?]+\?tab=settings/);
  appId = (await page.textContent('#client-id')).trim();
  const res = await api('GET', `/api/v2/clients/${appId}`);
  assert.equal(res.status, 200);
  assert.equal(res.json.name, appName);
  assert.equal(res.json.app_type, 'regular_web');
  await shot('app-settings');
});

test('edit callbacks; a bad callback is shown next to the field and not saved', async () => {
  await openTab('Application URIs');
  const good = ['https://app.example/callback', 'https://app.example/cb2'];
  await page.fill('#callbacks', good.join('\n'));
  await page.click('button:has-text("Save Changes")');
  await page.getByText('Changes saved.').waitFor();
  assert.deepEqual((await api('GET', `/api/v2/clients/${appId}`)).json.callbacks, good);

  await page.fill('#callbacks', `${good[0]}\nnot a url`);
  await page.click('button:has-text("Save Changes")');
  const error = page.locator('.field-error[data-field="callbacks"]');
  await error.waitFor();
  assert.match(await error.textContent(), /not a url/);
  assert.match(await page.inputValue('#callbacks'), /not a url/, 'the typed input is kept');
  assert.deepEqual((await api('GET', `/api/v2/clients/${appId}`)).json.callbacks, good, 'nothing saved');
});

test('edit the JWT settings', async () => {
  await openTab('Advanced: OAuth');
  await page.selectOption('[name="jwt_configuration.alg"]', 'HS256');
  await page.fill('[name="jwt_configuration.lifetime_in_seconds"]', '7200');
  await page.click('button:has-text("Save Changes")');
  await page.getByText('Changes saved.').waitFor();
  const jwt = (await api('GET', `/api/v2/clients/${appId}`)).json.jwt_configuration;
  assert.equal(jwt.alg, 'HS256');
  assert.equal(jwt.lifetime_in_seconds, 7200);
});

test('reveal and rotate the client secret', async () => {
  await openTab('Credentials');
  assert.equal(await page.locator('#client-secret').count(), 0, 'hidden until asked for');
  await page.click('#reveal');
  const shown = (await page.textContent('#client-secret')).trim();
  assert.equal(shown, (await api('GET', `/api/v2/clients/${appId}`)).json.client_secret);
  await page.click('#rotate');
  await page.getByText('Secret rotated.').waitFor();
  const rotated = (await page.textContent('#client-secret')).trim();
  assert.notEqual(rotated, shown);
  assert.equal((await api('GET', `/api/v2/clients/${appId}`)).json.client_secret, rotated);
});

test('authorize the application for an API with a scope', async () => {
  const identifier = `https://browser-${stamp}.example/api`;
  const created = await api('POST', '/api/v2/resource-servers', {
    name: `Browser API ${stamp}`, identifier, scopes: [{ value: 'read:things' }, { value: 'write:things' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  await openTab('APIs');
  const card = page.locator(`section[data-audience="${identifier}"]`);
  await card.locator('input[value="read:things"]').check();
  await card.locator('button:has-text("Authorize")').click();
  await page.getByText('Changes saved.').waitFor();
  const grants = (await api('GET', `/api/v2/client-grants?client_id=${appId}`)).json;
  const grant = grants.find((g) => g.audience === identifier);
  assert.ok(grant, JSON.stringify(grants));
  assert.deepEqual(grant.scope, ['read:things']);
  await page.goto(`${base}/admin/apis`);
  await shot('apis');
});

test('delete the application through the confirmation', async () => {
  await page.goto(`${base}/admin/apps/${appId}?tab=settings`);
  await page.getByRole('link', { name: 'Delete', exact: true }).click();
  await page.fill('#confirm_name', 'wrong name');
  await page.click('button:has-text("Delete")');
  await page.locator('.field-error[data-field="confirm_name"]').waitFor();
  assert.equal((await api('GET', `/api/v2/clients/${appId}`)).status, 200, 'still there');
  await page.fill('#confirm_name', appName);
  await page.click('button:has-text("Delete")');
  await page.waitForURL(/\/admin\/apps\?deleted=1$/);
  assert.equal((await api('GET', `/api/v2/clients/${appId}`)).status, 404);
});

test('rotate the signing key', async () => {
  const before = (await api('GET', '/api/v2/keys/signing')).json;
  const next = before.find((k) => k.next);
  await page.goto(`${base}/admin/keys`);
  await shot('keys');
  await page.click('#rotate-key');
  await page.waitForURL(/rotated=1/);
  const keys = (await api('GET', '/api/v2/keys/signing')).json;
  const current = keys.find((k) => k.current);
  assert.equal(current.kid, next.kid, 'the next key became current');
  assert.ok(await page.locator(`tr[data-kid="${current.kid}"][data-state="current"]`).isVisible());
});
