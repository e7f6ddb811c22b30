// Problem reports in Debian's chromium, against a running `parvis demo`
// (issue 11: "the browser suite files a report with and without JavaScript,
// by pin and by address; zero axe violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec reports.mjs
//
// 1. Without JavaScript, a visitor files by a typed address of the commune's
//    list, goes through the nearby step, attaches a photo, follows the link
//    mailed to them (read on /admin/courriels: the demo sends no mail) and
//    lands on the report's page: address, photo, status.
// 2. With JavaScript, a resident who signs up files with the keyboard alone,
//    choosing the place among the address suggestions (the combobox sets the
//    pin); then a second report by a click on the map (the pin fills in the
//    nearest address).
// 3. The list with a filter, a report's page, the form's steps (with its
//    errors), the staff queue and dashboard as the demo admin: zero axe-core
//    violations of WCAG 2.1 A/AA, one <h1>, a skip link, no console error.
//
// Environment: as run.mjs (PARVIS_URL required; the admin's sign-in is needed
// to read the demo mail and see the staff pages). The admin's recovery codes
// are single-use and run.mjs, in its own process, takes them from the front:
// this file takes the last one.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { ADMIN, browserSuite, outboxLink, signInAdmin as signInAdminAs, submit, tabTo } from './common.mjs';

const { BASE, browser, start, check } = browserSuite({
  cleanup: async () => {
    await admin?.context.close();
  },
});

// The demo's address list (Saint-Exemple's sample of the Base Adresse Nationale).
const TYPED_ADDRESS = '12 rue de l\'Église';
const ADDRESS_LABEL = /^12 Rue de l'Église, 69999 Saint-Exemple$/;

let admin; // the demo admin's context and page, signed in once

before(async () => {
  await start();
  if (!ADMIN) {
    admin = await session();
    await signInAdmin(admin.page);
  }
});

// ---------------------------------------------------------------------------
// helpers

const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** A context that reaches nothing but the server (tiles answered here, blank). */
async function session(options = {}) {
  const context = await browser().newContext({ locale: 'fr-FR', ...options });
  context.setDefaultNavigationTimeout(20_000);
  context.setDefaultTimeout(20_000);
  const origin = new URL(BASE).origin;
  await context.route((url) => url.origin !== origin || url.pathname.startsWith('/tuiles/'), (route) =>
    route.request().resourceType() === 'image'
      ? route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG })
      : route.abort('blockedbyclient'));
  const page = await context.newPage();
  const events = [];
  page.on('console', (m) => { if (m.type() === 'error') events.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => events.push(`uncaught exception: ${e.message}`));
  return { context, page, events };
}

async function signInAdmin(page) {
  await signInAdminAs(page, BASE, 1);
}

async function mailedLink(to, pattern) {
  return outboxLink(admin.page, BASE, to, pattern);
}

/** A small PNG (a 24×16 gradient), as a phone's photo stands in here. */
function pngPhoto() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const [w, h] = [24, 16];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < h; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < w; x++) rows.push(x * 10, y * 15, 128);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const mainText = (page) => page.textContent('main');
const unique = () => Date.now().toString(36);

// ---------------------------------------------------------------------------
// 1. without JavaScript: a visitor, by typed address, with a photo

test('without JavaScript, a visitor files a report by typed address, with a photo', { skip: ADMIN || false }, async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/signalements/nouveau');
    await check(s, 'step 1 (no JS)');
    // No script: no combobox, no map; the address field works alone.
    assert.equal(await page.locator('#address[role="combobox"], .location-map').count(), 0);

    // A place the commune's list does not know is refused with the field's error.
    await page.check('#category-voirie');
    await page.fill('#address', '999 rue qui n’existe pas');
    await submit(page);
    assert.equal(await page.inputValue('#address'), '999 rue qui n’existe pas', 'what was typed is kept');
    assert.ok(await page.$('#address-error'), 'the address has its error message');
    await check(s, 'step 1 refused (no JS)');

    await page.fill('#address', TYPED_ADDRESS);
    await submit(page);
    // Step 2: the typed address placed by the commune's list; "is it one of these?".
    assert.equal(await page.textContent('h1'), 'Décrire le problème');
    const meta = await page.textContent('main p.meta');
    assert.match(meta, /Voirie/i);
    assert.match(meta, /12 Rue de l'Église, 69999 Saint-Exemple/);
    assert.match(await page.inputValue('input[type="hidden"][name="lat"]'), /^45\.\d+/, 'the address gave a position');
    await check(s, 'step 2, nearby and details (no JS)');

    // A description too short: the form comes back with what was typed.
    const name = 'Visiteuse Sans Script';
    const email = `sans-script.${unique()}@exemple.test`;
    await page.fill('#description', 'Trou');
    await page.fill('#name', name);
    await page.fill('#email', email);
    await submit(page, 'main form[enctype] button[type="submit"]');
    assert.ok(await page.$('#description-error'), 'the description has its error message');
    assert.equal(await page.inputValue('#email'), email);
    await check(s, 'step 2 refused (no JS)');

    const description = `Un nid-de-poule profond devant le numéro 12, dangereux pour les vélos (${unique()}).`;
    await page.fill('#description', description);
    await page.setInputFiles('#photo', { name: 'trou.png', mimeType: 'image/png', buffer: pngPhoto() });
    await page.check('#show_name');
    await submit(page, 'main form[enctype] button[type="submit"]');
    assert.match(page.url(), /\/signalements\/nouveau\/envoye$/);
    await check(s, 'sent, check your mail (no JS)');

    // The link mailed to the visitor publishes the report.
    const link = await mailedLink(email, /https?:\/\/\S*\/signalements\/confirmer\?jeton=[0-9A-Za-z_-]+/);
    await page.goto(BASE + link);
    await check(s, 'confirmation (no JS)');
    await submit(page, 'main form[action="/signalements/confirmer"] button[type="submit"]');
    assert.equal(await page.textContent('h1'), 'Votre signalement est publié');
    await check(s, 'published, with the account offer (no JS)');
    await Promise.all([page.waitForNavigation(), page.click('main a[href^="/signalements/"]')]);

    // The report's page: status, address, photo, the name shown as asked.
    assert.match(page.url(), /\/signalements\/\d+$/);
    const text = await mainText(page);
    assert.ok(text.includes(description), 'the description is shown');
    assert.ok(text.includes("12 Rue de l'Église, 69999 Saint-Exemple"), 'the address is shown');
    assert.ok(text.includes(name), 'the name is shown, as asked');
    assert.equal(await page.textContent('main .badge'), 'Nouveau');
    const photo = page.locator('main figure.photo img');
    assert.equal(await photo.count(), 1, 'one photo');
    const shown = await page.request.get(new URL(await photo.getAttribute('src'), BASE).href);
    assert.equal(shown.status(), 200);
    assert.equal(shown.headers()['content-type'], 'image/jpeg', 'the photo is served re-encoded');
    await check(s, 'report page (no JS)');

    // The same problem at the same place again: "is it one of these?" offers it.
    const filed = new URL(page.url()).pathname;
    await page.goto(BASE + '/signalements/nouveau');
    await page.check('#category-voirie');
    await page.fill('#address', TYPED_ADDRESS);
    await submit(page);
    assert.equal(await page.textContent('#deja-signale'), 'Est-ce l\'un de ceux-ci ?');
    assert.equal(await page.locator(`main section.panel a[href="${filed}"]`).count(), 1, 'the report just filed is offered');
    assert.ok(await page.$(`main form[action="${filed}/moi-aussi"]`), 'with « me too »');
    await check(s, 'step 2 offering the report just filed (no JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 2. with JavaScript: a resident, by a suggested address (keyboard only), then by a pin


test('with JavaScript, a resident files by a suggested address (keyboard only) and by a pin on the map', { skip: ADMIN || false }, async () => {
  const s = await session();
  const { page } = s;
  try {
    // A resident signs up and confirms the address.
    const email = `avec-script.${unique()}@exemple.test`;
    const password = 'le lampadaire de la place clignote la nuit';
    await page.goto(BASE + '/inscription');
    await page.fill('#display_name', 'Résident Avec Script');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await submit(page);
    assert.match(page.url(), /\/inscription\/envoye$/);
    await page.goto(BASE + await mailedLink(email, /https?:\/\/\S*\/compte\/confirmer\?jeton=[0-9a-f]+/));
    await submit(page);
    await page.goto(BASE + '/connexion');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await submit(page);
    assert.ok(await page.$('header form[action="/deconnexion"]'), 'the resident is signed in');

    // By the keyboard alone: a category, an address among the suggestions, the details.
    await page.goto(BASE + '/signalements/nouveau');
    await page.waitForSelector('#address[role="combobox"]');
    await check(s, 'step 1 (JS)');
    await tabTo(page, '#category');
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('#category'), 'Space chose the first category');
    await tabTo(page, '#address');
    await page.keyboard.type('12 rue de l', { delay: 30 });
    await page.waitForSelector('#address-suggestions:not([hidden]) [role="option"]');
    assert.equal(await page.getAttribute('#address', 'aria-expanded'), 'true');
    await check(s, 'step 1 with the suggestions open (JS)');
    // The suggestions: the addresses of the commune's list that match.
    const options = await page.locator('#address-suggestions [role="option"]').allTextContents();
    assert.ok(options.some((o) => ADDRESS_LABEL.test(o)), `suggested: ${options.join(' | ')}`);
    const index = options.findIndex((o) => ADDRESS_LABEL.test(o));
    for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.match(await page.inputValue('#address'), ADDRESS_LABEL);
    assert.equal(await page.getAttribute('#address', 'aria-expanded'), 'false');
    // Choosing it set the pin: the hidden position and the marker.
    assert.equal(await page.inputValue('input[name="lat"]'), '45.78106');
    assert.equal(await page.inputValue('input[name="lon"]'), '4.608248');
    assert.equal(await page.locator('.leaflet-marker-icon').count(), 1, 'the pin is on the map');
    assert.match(page.url(), /\/signalements\/nouveau$/, 'Enter on a suggestion does not send the form');
    await tabTo(page, 'main form button[type="submit"]');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    assert.equal(await page.textContent('h1'), 'Décrire le problème');
    assert.match(await page.textContent('main p.meta'), /12 Rue de l'Église, 69999 Saint-Exemple/);
    await check(s, 'step 2 (JS)');
    const first = `Le lampadaire devant le 12 rue de l'Église reste éteint la nuit (${unique()}).`;
    await tabTo(page, '#description');
    await page.keyboard.type(first);
    await tabTo(page, '#show_name');
    await page.keyboard.press('Space');
    await tabTo(page, 'main form[enctype] button[type="submit"]');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
    assert.match(page.url(), /\/signalements\/\d+$/, `filed: ${page.url()}`);
    let text = await mainText(page);
    assert.ok(text.includes(first), 'the description is shown');
    assert.ok(text.includes("12 Rue de l'Église, 69999 Saint-Exemple"), 'the address is shown');
    assert.ok(text.includes('Résident Avec Script'), 'the name is shown, as asked');
    assert.equal(await page.textContent('main .badge'), 'Nouveau');
    await check(s, 'report page (JS)');

    // By a pin: a click on the map sets the place and fills in the nearest address.
    await page.goto(BASE + '/signalements/nouveau');
    await page.check('#category-proprete');
    await page.waitForSelector('.location-map .leaflet-tile-loaded');
    const box = await page.locator('.location-map').boundingBox();
    await page.locator('.location-map').click({ position: { x: box.width / 2 + 30, y: box.height / 2 - 20 } });
    await page.waitForFunction(() => document.querySelector('#address').value !== '');
    const nearest = await page.inputValue('#address');
    assert.match(nearest, /Saint-Exemple$/, `the nearest address: ${nearest}`);
    const lat = await page.inputValue('input[name="lat"]');
    const lon = await page.inputValue('input[name="lon"]');
    assert.ok(lat && lon, 'the pin set the position');
    assert.equal(await page.locator('.leaflet-marker-icon').count(), 1, 'the pin is on the map');
    await page.waitForFunction(() => /Lieu indiqué/.test(
      document.querySelector('[data-location-picker] [role="status"]').textContent));
    await check(s, 'step 1 with a pin (JS)');
    await submit(page);
    assert.equal(await page.textContent('h1'), 'Décrire le problème');
    assert.ok((await page.textContent('main p.meta')).includes(nearest), 'step 2 names the nearest address');
    // The pin's position is kept, not moved to the address's.
    assert.equal(await page.inputValue('input[type="hidden"][name="lat"]'), lat);
    assert.equal(await page.inputValue('input[type="hidden"][name="lon"]'), lon);
    const second = `Des sacs déposés au pied du conteneur à verre (${unique()}).`;
    await page.fill('#description', second);
    await page.setInputFiles('#photo', { name: 'sacs.png', mimeType: 'image/png', buffer: pngPhoto() });
    await submit(page, 'main form[enctype] button[type="submit"]');
    assert.match(page.url(), /\/signalements\/\d+$/, `filed: ${page.url()}`);
    text = await mainText(page);
    assert.ok(text.includes(second), 'the description is shown');
    assert.ok(text.includes(nearest), 'the nearest address is shown');
    // The text alternative of the map gives the pin's position (5 decimals).
    const point = await page.textContent('main ul.map-points li');
    assert.ok(point.includes(`${Number(lat).toFixed(5)}, ${Number(lon).toFixed(5)}`), point);
    assert.equal(await page.locator('main figure.photo img').count(), 1, 'one photo');
    await check(s, 'report page, filed by a pin (JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 3. the other reports pages, with axe

test('the list with filters, a report, the form with errors: zero axe violations', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const s = { ...(await session({ javaScriptEnabled })), noScript: !javaScriptEnabled };
    const { page } = s;
    const how = javaScriptEnabled ? 'JS' : 'no JS';
    try {
      await page.goto(BASE + '/signalements?categorie=voirie&statut=new');
      assert.equal(await page.inputValue('#categorie'), 'voirie', 'the filter is kept');
      await check(s, `list filtered (${how})`);
      const cards = await page.locator('main ol.report-list > li').count();
      assert.ok(cards > 0, 'the demo has new road reports');
      // Filtering by the form.
      await page.goto(BASE + '/signalements');
      await page.selectOption('#statut', 'fixed');
      await submit(page, 'main form.filters button[type="submit"]');
      assert.match(page.url(), /statut=fixed/);
      for (const badge of await page.locator('main ol.report-list .badge').allTextContents()) {
        assert.equal(badge, 'Réparé', 'only fixed reports');
      }
      await check(s, `list filtered by the form (${how})`);
      await page.goto(BASE + '/signalements?page=1');
      await check(s, `list, second page (${how})`);
      await Promise.all([page.waitForNavigation(), page.click('main ol.report-list a[href^="/signalements/"]')]);
      await check(s, `a report (${how})`);
      // The form's steps sent empty: the error summary.
      await page.goto(BASE + '/signalements/nouveau');
      await submit(page);
      assert.ok(await page.$('main .error-summary, main [role="alert"]'), 'an error summary');
      await check(s, `step 1 with errors (${how})`);
    } finally {
      await s.context.close();
    }
  }
});

test('staff: the queue, the dashboard and a report with its panels: zero axe violations', { skip: ADMIN || false }, async () => {
  const s = { page: admin.page, events: [] };
  admin.page.on('console', (m) => { if (m.type() === 'error') s.events.push(`console error: ${m.text()}`); });
  admin.page.on('pageerror', (e) => s.events.push(`uncaught exception: ${e.message}`));
  const { page } = s;
  await page.goto(BASE + '/signalements/a-traiter');
  await check(s, 'staff queue');
  const queued = page.locator('main a[href^="/signalements/"]').filter({ hasText: /n°/ });
  assert.ok(await queued.count() > 0, 'the queue lists reports');
  await Promise.all([page.waitForNavigation(), queued.first().click()]);
  assert.ok(await page.$('main form[action$="/etat"]'), 'the staff see the status form');
  await check(s, 'a report with the staff panels');
  await page.goto(BASE + '/signalements/tableau-de-bord');
  await check(s, 'dashboard');
  await page.goto(BASE + '/signalements?service=voirie');
  await check(s, 'list by service (staff)');
});
