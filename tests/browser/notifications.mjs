// Notification settings and the notification list in Debian's chromium,
// against a running `parvis demo` (issue 13: "the browser suite … manages
// notification settings and reads the notification list; zero axe
// violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec notifications.mjs
//
// Without JavaScript (every page works without it), the demo admin signs in,
// follows the header's « Notifications (n) » link, opens the settings, picks
// « Dans un résumé hebdomadaire » for followed proposals, saves, sees the
// flash and the choice kept, then opens the notification list. On every
// page: zero axe-core violations of WCAG 2.1 A/AA, no console error.
//
// Environment: as consultations.mjs. The demo admin's recovery codes are
// single-use and shared by the files of the suite: run.mjs takes them from
// the front, reports.mjs the last one, consultations.mjs the one before the
// last, this file the third from the end.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { pageChecks, signInAdmin, submit } from './common.mjs';

const BASE = (process.env.PARVIS_URL || '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ADMIN = process.env.PARVIS_ADMIN_EMAIL && process.env.PARVIS_ADMIN_PASSWORD
  ? null
  : 'PARVIS_ADMIN_EMAIL and PARVIS_ADMIN_PASSWORD not set';

if (!BASE) {
  console.error('PARVIS_URL is not set: start a server (e.g. `parvis demo`) and pass its URL.');
  process.exit(2);
}

let browser;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await closeChecker();
  await browser?.close();
});

/** A context that reaches nothing but the server (as consultations.mjs). */
async function session(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  context.setDefaultNavigationTimeout(20_000);
  context.setDefaultTimeout(20_000);
  const origin = new URL(BASE).origin;
  await context.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const events = [];
  page.on('console', (m) => { if (m.type() === 'error') events.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => events.push(`uncaught exception: ${e.message}`));
  return { context, page, events };
}

const { check, close: closeChecker } = pageChecks(() => browser, BASE);

test('the demo admin changes one kind of notification, sees the flash, and reads the list', { skip: ADMIN || false }, async () => {
  const s = await session({ javaScriptEnabled: false });
  const { page } = s;
  try {
    await signInAdmin(page, BASE, 3);

    // The header's link says how many are unread, in words a screen reader reads.
    const link = page.locator('header a[href="/compte/notifications"]');
    assert.match(await link.textContent(), /^Notifications \(\d+ non lues\)$/);

    await page.goto(BASE + '/compte/notifications/reglages');
    await check(s, 'notification settings');
    assert.equal(await page.textContent('main h1'), 'Réglages des notifications');
    // Labelled radios in fieldsets, the default chosen.
    assert.ok(await page.getByRole('group', { name: 'Propositions que je suis' }).isVisible());
    await page.getByRole('group', { name: 'Propositions que je suis' })
      .getByLabel('Dans un résumé hebdomadaire', { exact: true }).check();
    const response = await submit(page, 'main form[action="/compte/notifications/reglages"] button[type="submit"]');
    assert.equal(response.status(), 200);
    assert.match(await page.textContent('main .flash'), /Vos réglages de notifications sont enregistrés/);
    assert.ok(await page.getByRole('group', { name: 'Propositions que je suis' })
      .getByLabel('Dans un résumé hebdomadaire', { exact: true }).isChecked(), 'the choice is kept');
    await check(s, 'notification settings, saved');

    // Back to the default, so that the suite can run again on the same data.
    await page.getByRole('group', { name: 'Propositions que je suis' })
      .getByLabel('Dans un résumé quotidien', { exact: true }).check();
    await submit(page, 'main form[action="/compte/notifications/reglages"] button[type="submit"]');

    await page.goto(BASE + '/compte/notifications');
    await check(s, 'notification list');
    assert.equal(await page.textContent('main h1'), 'Mes notifications');
    assert.deepEqual(s.events, []);
  } finally {
    await s.context.close();
  }
});
