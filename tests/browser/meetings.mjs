// Meetings in Debian's chromium, against a running `parvis demo` (issue 13:
// "the browser suite registers for a meeting, cancels …; zero axe
// violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec meetings.mjs
//
// The demo's meetings (src/demo.rs, `meetings`): « Atelier : imaginer le
// square des Tilleuls » took place a month ago, with its minutes (35 people
// came) and two proposals it produced; « Balade de quartier : les chemins de
// l'école » is in five days, with registration and no seat limit.
//
// 1. Without JavaScript, a visitor reads the past workshop's « Compte rendu »
//    and follows a proposal it produced, which names the workshop.
// 2. Without JavaScript, a visitor registers for the walk, with an error on
//    the way (no name: the error summary links to the field), is told to
//    confirm by the link mailed to them (read on /admin/courriels: the demo
//    sends no mail), confirms on the link's page, gets a code on the
//    registration's page, and cancels.
// 3. The demo admin opens the workshop's staff page: the minutes form with
//    what was written, the workshop's ideas panel; saves the minutes again.
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error.
//
// Environment: as consultations.mjs. The admin's recovery codes are
// single-use and shared by the files of the suite: run.mjs takes them from
// the front, reports.mjs the last one, consultations.mjs the one before the
// last, this file the third from the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, browserSuite, outboxLink, signInAdmin as signInAdminAs, submit } from './common.mjs';

const { BASE, session, check } = browserSuite({
  cleanup: async () => {
    await admin?.context.close();
  },
});

const WORKSHOP = 'Atelier : imaginer le square des Tilleuls';
const WALK = 'Balade de quartier : les chemins de l\'école';

let admin; // the demo admin's session, signed in once: to read the demo mail, and for the staff page

// ---------------------------------------------------------------------------
// helpers (as consultations.mjs)

/** The demo admin's session, signed in on first use (one recovery code for this file). */
async function adminSession() {
  if (!admin) {
    admin = await session();
    await signInAdminAs(admin.page, BASE, 4);
  }
  return admin;
}

const mainText = (page) => page.textContent('main');
const unique = () => Date.now().toString(36);

/** Follows the link of <main> named `name` (exactly). */
async function follow(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('main').getByRole('link', { name, exact: true }).first().click()]);
}

// ---------------------------------------------------------------------------
// 1. the past workshop's minutes and the proposals it produced

test('without JavaScript, a visitor reads a past workshop\'s minutes and a proposal it produced', async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/rendez-vous');
    await check(s, 'meetings list (no JS)');
    await follow(page, WORKSHOP);
    assert.equal(await page.textContent('h1'), WORKSHOP);
    const minutes = await page.textContent('main #compte-rendu');
    assert.equal(minutes.trim(), 'Compte rendu');
    const text = await mainText(page);
    assert.match(text, /35 personnes sont venues/);
    assert.match(text, /Propositions issues de l'atelier/);
    await check(s, 'the past workshop with its minutes (no JS)');

    await follow(page, 'Un jardin partagé au square des Tilleuls');
    assert.match(page.url(), /\/propositions\/\d+$/);
    const proposal = await mainText(page);
    assert.match(proposal, /Atelier du \d{1,2} \p{L}+/u, 'the workshop is its author');
    assert.match(proposal, /Issue de l'atelier du/);
    assert.ok(await page.$('main p.origin a[href^="/rendez-vous/"]'), 'its origin links back to the workshop');
    await check(s, 'a proposal of the workshop (no JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 2. a visitor registers, with an error on the way, and cancels

test('without JavaScript, a visitor registers for a meeting with an error on the way, confirms by mail, then cancels', { skip: ADMIN ?? false }, async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/rendez-vous');
    await follow(page, WALK);
    assert.equal(await page.textContent('h1'), WALK);
    await check(s, 'a meeting to come (no JS)');
    const meetingUrl = page.url();

    const email = `balade-${unique()}@exemple.test`;
    await page.fill('main #email', email);
    const refused = await submit(page, 'main form[action$="/inscrire"] button[type="submit"]');
    assert.equal(refused.status(), 422);
    const links = await page.$$eval('main .error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#name'], 'the summary links to the name');
    assert.equal(await page.inputValue('main #email'), email, 'what was typed is kept');
    await check(s, 'registration refused (no JS)');

    await page.fill('main #name', 'Dominique Exemple');
    await submit(page, 'main form[action$="/inscrire"] button[type="submit"]');
    // Nothing is held yet: back on the meeting, told to read the mail.
    assert.equal(page.url(), meetingUrl);
    assert.match(await page.textContent('body'), /Presque fini/);
    await check(s, 'the meeting after asking to register (no JS)');

    const link = await outboxLink((await adminSession()).page, BASE, email,
      /https?:\/\/\S*\/rendez-vous\/\d+\/confirmer\?p=[0-9a-f]+&cle=[0-9a-f]+/);
    await page.goto(BASE + link);
    assert.equal(await page.textContent('h1'), 'Confirmer mon inscription');
    await check(s, 'the confirmation link\'s page (no JS)');
    await submit(page, 'main form[action$="/confirmer"] button[type="submit"]');
    assert.match(page.url(), /\/rendez-vous\/\d+\/inscription\?n=\d+&cle=[0-9a-f]+$/);
    assert.match(await page.textContent('main strong.code'), /^[A-Z2-9]{4}-[A-Z2-9]{4}$/, 'a code is shown');
    await check(s, 'the registration\'s page (no JS)');

    await submit(page, 'main form[action$="/inscription"] button[type="submit"]');
    assert.equal(page.url(), meetingUrl);
    await check(s, 'the meeting after cancelling (no JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 3. staff: the minutes form and the workshop's ideas

test('the staff page of a past workshop has its minutes and ideas forms', { skip: ADMIN ?? false }, async () => {
  const s = await adminSession();
  const { page } = s;
  await page.goto(BASE + '/rendez-vous');
  await follow(page, WORKSHOP);
  await follow(page, 'Gérer ce rendez-vous');
  assert.match(page.url(), /\/admin\/rendez-vous\/\d+$/);
  assert.match(await page.inputValue('main #minutes'), /Trente-cinq habitants/);
  assert.equal(await page.inputValue('main #counted'), '35');
  assert.ok(await page.$('main select#idea_box'), 'the ideas form chooses an idea box');
  await check(s, 'the staff page of a past workshop');

  await submit(page, 'main form[action$="/compte-rendu"] button[type="submit"]');
  assert.match(page.url(), /\/admin\/rendez-vous\/\d+(#compte-rendu)?$/);
  assert.match(await page.inputValue('main #minutes'), /Trente-cinq habitants/, 'saved as it was');
  await check(s, 'the staff page after saving the minutes');
});
