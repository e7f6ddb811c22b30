// The location picker script (assets/js/location.js) in Debian's chromium,
// on a fixture page that holds the markup the reports form renders, served
// with Parvis's CSP by a small server of this file that also answers the
// addresses endpoints (their contract: /adresses/suggestions?q= and
// /adresses/plus-proche?lat=&lon=) and the tiles. Nothing else runs: the
// script can be checked before the form exists.
//
//   node --test --test-reporter=spec location.mjs
//
// Checks: the ARIA 1.2 combobox (keyboard, live region), a click on the map,
// "use my position", the fallbacks (no address near, no tiles), no console
// error or CSP violation, zero axe-core violations of WCAG 2.1 A/AA.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const HERE = dirname(fileURLToPath(import.meta.url));
const ASSETS = join(HERE, '..', '..', 'assets');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// The policy of src/web/middleware.rs.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
  + "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const ADDRESSES = [
  { label: '1 Place de la Mairie 69000 Testville', lat: 45.7772, lon: 4.6121 },
  { label: '3 Place de la Mairie 69000 Testville', lat: 45.7774, lon: 4.6125 },
  { label: '5 Place de l’Église 69000 Testville', lat: 45.7780, lon: 4.6130 },
];

/** The page as the reports form will render it (see src/web/tiles.rs, `location_picker`). */
function page(tiles) {
  const texts = {
    'suggestions-url': '/adresses/suggestions',
    'nearest-url': '/adresses/plus-proche',
    attribution: '© les contributeurs d’OpenStreetMap',
    'suggestions-label': 'Adresses proposées',
    'results-none': 'Aucune adresse connue ne correspond.',
    'results-one': '1 adresse proposée : flèches haut et bas pour la choisir, Entrée pour valider.',
    'results-many': '{n} adresses proposées : flèches haut et bas pour en choisir une, Entrée pour valider.',
    placed: 'Lieu indiqué : {address}.',
    'placed-no-address': 'Lieu indiqué sur la carte. Aucune adresse connue tout près.',
    locate: 'Utiliser ma position',
    locating: 'Recherche de votre position…',
    'locate-failed': 'Votre position n’a pas pu être trouvée.',
    'map-label': 'Carte pour indiquer le lieu',
    'map-hint': 'Vous pouvez aussi toucher la carte à l’endroit exact.',
    marker: 'Lieu indiqué',
  };
  if (tiles) texts.tiles = '/tuiles/{z}/{x}/{y}.png';
  const attrs = Object.entries(texts).map(([k, v]) => ` data-${k}="${v}"`).join('');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Signaler un problème</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<link rel="stylesheet" href="/css/parvis.css">
<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">
<script src="/vendor/leaflet/leaflet.js" defer data-leaflet-icon="/vendor/leaflet/images/marker-icon.png"
  data-leaflet-icon-2x="/vendor/leaflet/images/marker-icon-2x.png" data-leaflet-shadow="/vendor/leaflet/images/marker-shadow.png"></script>
<script src="/js/location.js" defer></script></head>
<body><main id="contenu"><h1>Signaler un problème</h1>
<form method="post" action="/signalements/nouveau">
<fieldset class="location" data-location-picker data-lat="45.7772" data-lon="4.6121" data-zoom="15">
<legend>Où est le problème ?</legend>
<label for="address">Adresse</label>
<p class="hint" id="address-hint">Par exemple : 1 place de la Mairie</p>
<input type="text" id="address" name="address" autocomplete="off" aria-describedby="address-hint">
<input type="hidden" name="lat"><input type="hidden" name="lon">
</fieldset>
<button class="button" type="submit">Continuer</button>
</form>
<div hidden data-location-texts${attrs}></div>
</main></body></html>`;
}

let server;
let base;
let browser;
const served = { suggestions: 0, nearest: 0, tiles: 0 };
let nearestFinds = true;
let tilesWork = true;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (status, type, body) => {
      res.writeHead(status, { 'content-type': type, 'content-security-policy': CSP });
      res.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/sans-tuiles') {
      return send(200, 'text/html; charset=utf-8', page(url.pathname === '/'));
    }
    if (url.pathname === '/adresses/suggestions') {
      served.suggestions += 1;
      const q = (url.searchParams.get('q') || '').toLowerCase();
      const found = ADDRESSES.filter((a) => a.label.toLowerCase().includes(q));
      return send(200, 'application/json', JSON.stringify(found));
    }
    if (url.pathname === '/adresses/plus-proche') {
      served.nearest += 1;
      const lat = Number(url.searchParams.get('lat'));
      const lon = Number(url.searchParams.get('lon'));
      if (!nearestFinds || !Number.isFinite(lat) || !Number.isFinite(lon)) return send(404, 'application/json', '{}');
      return send(200, 'application/json', JSON.stringify({ ...ADDRESSES[0], distance_m: 12 }));
    }
    if (url.pathname.startsWith('/tuiles/')) {
      served.tiles += 1;
      return tilesWork ? send(200, 'image/png', BLANK_PNG) : send(404, 'text/plain', '');
    }
    const types = { '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };
    const ext = url.pathname.slice(url.pathname.lastIndexOf('.'));
    try {
      return send(200, types[ext] || 'application/octet-stream', readFileSync(join(ASSETS, url.pathname)));
    } catch {
      return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page, watched for console errors and CSP violations. */
async function open(path = '/', options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  const p = await context.newPage();
  const problems = [];
  p.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(e.message));
  p.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  await p.goto(base + path);
  await p.waitForFunction(() => document.querySelector('#address[role="combobox"]'));
  return { p, problems, context };
}

const field = (p, name) => p.$eval(`input[name="${name}"]`, (i) => i.value);

test('typed addresses are suggested in an accessible combobox, chosen with the keyboard', async () => {
  const { p, problems, context } = await open();
  const address = p.locator('#address');
  assert.equal(await address.getAttribute('aria-expanded'), 'false');
  await address.pressSequentially('place de', { delay: 20 });
  await p.waitForSelector('[role="listbox"]:not([hidden]) [role="option"]');
  assert.equal(await address.getAttribute('aria-expanded'), 'true');
  assert.equal(await p.locator('[role="option"]').count(), 3);
  await p.waitForFunction(() => /3 adresses proposées/.test(
    document.querySelector('[data-location-picker] [role="status"]').textContent));
  // Typing fast sends one request (debounced), not one per letter.
  assert.ok(served.suggestions <= 2, `${served.suggestions} requests`);

  await address.press('ArrowDown');
  await address.press('ArrowDown');
  const active = await address.getAttribute('aria-activedescendant');
  assert.equal(await p.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  assert.equal(await p.locator(`#${active}`).textContent(), ADDRESSES[1].label);
  await address.press('ArrowUp');
  await address.press('ArrowUp');
  assert.equal(await p.locator(`#${await address.getAttribute('aria-activedescendant')}`).textContent(),
    ADDRESSES[2].label, 'up from the first wraps to the last');

  const axe = await new AxeBuilder({ page: p }).withTags(AXE_TAGS).analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), [], 'the open combobox');

  await address.press('Enter');
  assert.equal(await address.inputValue(), ADDRESSES[2].label);
  assert.equal(await field(p, 'lat'), String(ADDRESSES[2].lat));
  assert.equal(await field(p, 'lon'), String(ADDRESSES[2].lon));
  assert.equal(await address.getAttribute('aria-expanded'), 'false');
  assert.equal(await p.locator('.leaflet-marker-icon').count(), 1, 'the pin moved there');
  assert.equal(p.url(), base + '/', 'Enter on a suggestion does not send the form');
  await p.waitForFunction(() => /Lieu indiqué : 5 Place/.test(
    document.querySelector('[data-location-picker] [role="status"]').textContent));

  // Typing again: the pin no longer matches what is typed, and goes.
  await address.fill('');
  await address.pressSequentially('zzz');
  await p.waitForFunction(() => /Aucune adresse/.test(
    document.querySelector('[data-location-picker] [role="status"]').textContent));
  assert.equal(await field(p, 'lat'), '');
  assert.equal(await p.locator('.leaflet-marker-icon').count(), 0);

  // Escape closes the list.
  await address.fill('');
  await address.pressSequentially('mairie');
  await p.waitForSelector('[role="listbox"]:not([hidden])');
  await address.press('Escape');
  assert.equal(await address.getAttribute('aria-expanded'), 'false');
  assert.ok(await p.locator('[role="listbox"]').isHidden());

  // Marker icons and every file came from this origin, under the CSP.
  assert.deepEqual(problems, []);
  await context.close();
});

test('a tap on the map sets the place and fills in the nearest address', async () => {
  const { p, problems, context } = await open();
  await p.waitForSelector('.leaflet-tile-loaded');
  await p.locator('.location-map').click({ position: { x: 120, y: 90 } });
  await p.waitForFunction(() => document.querySelector('#address').value !== '');
  assert.equal(await p.locator('#address').inputValue(), ADDRESSES[0].label);
  const lat = Number(await field(p, 'lat'));
  const lon = Number(await field(p, 'lon'));
  assert.ok(Math.abs(lat - 45.7772) < 0.05 && Math.abs(lon - 4.6121) < 0.05, `${lat}, ${lon}`);
  assert.equal(await p.locator('.leaflet-marker-icon').count(), 1);
  await p.waitForFunction(() => /Lieu indiqué : 1 Place/.test(
    document.querySelector('[data-location-picker] [role="status"]').textContent));

  // No address near: the pin stays, the address the script had put goes.
  nearestFinds = false;
  await p.locator('.location-map').click({ position: { x: 200, y: 150 } });
  await p.waitForFunction(() => /Aucune adresse connue tout près/.test(
    document.querySelector('[data-location-picker] [role="status"]').textContent));
  assert.equal(await p.locator('#address').inputValue(), '');
  assert.notEqual(await field(p, 'lat'), '');
  nearestFinds = true;
  // That 404 is the contract's "no address near", which chromium logs.
  const expected = (m) => /plus-proche/.test(m) || /status of 404/.test(m);
  assert.equal(problems.filter(expected).length, 2, problems.join('\n'));
  problems.splice(0, problems.length, ...problems.filter((m) => !expected(m)));

  const axe = await new AxeBuilder({ page: p }).withTags(AXE_TAGS).analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"use my position" sets the place from the device', async () => {
  const { p, problems, context } = await open('/', {
    geolocation: { latitude: 45.7775, longitude: 4.6127 },
    permissions: ['geolocation'],
  });
  await p.getByRole('button', { name: 'Utiliser ma position' }).click();
  await p.waitForFunction(() => document.querySelector('input[name="lat"]').value !== '');
  assert.equal(await field(p, 'lat'), '45.7775');
  assert.equal(await field(p, 'lon'), '4.6127');
  await p.waitForFunction(() => document.querySelector('#address').value !== '');
  assert.equal(await p.locator('#address').inputValue(), ADDRESSES[0].label);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without tiles the picker keeps the address field and the button only', async () => {
  // No tile server configured: no map at all.
  let { p, context } = await open('/sans-tuiles');
  assert.equal(await p.locator('.location-map').count(), 0);
  await context.close();
  // Configured, but no tile can be had: the map goes once they have failed.
  tilesWork = false;
  ({ p, context } = await open('/'));
  await p.waitForFunction(() => !document.querySelector('.location-map'));
  assert.equal(await p.locator('#address[role="combobox"]').count(), 1);
  tilesWork = true;
  await context.close();
});
