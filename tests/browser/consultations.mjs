// Consultations in Debian's chromium, against a running `parvis demo`
// (issue 12: "the browser suite answers a consultation page by page with and
// without JavaScript, with an error on the way; zero axe violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec consultations.mjs
//
// The demo's open consultation « Les horaires de la médiathèque » has two
// pages: q1 (one choice, required) and q2 (several, with "other") on page 1,
// q3 (a scale, required) and q4 (a long text) on page 2; « Le marché du
// samedi » is closed, with its outcome published.
//
// 1. Without JavaScript, a visitor opens the list, the consultation, sends
//    page 1 without its required answer (the error summary links to the
//    field, what was ticked is kept), goes Next, Previous (nothing lost),
//    Next, sends, and gets the receipt; then the closed consultation's
//    results and the outcomes list.
// 2. With JavaScript, a resident who signs up answers with the keyboard, one
//    error on the way, gets the receipt; the questionnaire then leads to the
//    receipt (one answer per account).
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error.
//
// Environment: as reports.mjs. Only the resident's sign-up needs the demo
// admin (the confirmation link is read on /admin/courriels: the demo sends no
// mail). Its recovery codes are single-use and shared by the files of the
// suite, each in its own process: run.mjs takes them from the front,
// reports.mjs the last one, this file the one before the last.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, browserSuite, outboxLink, signInAdmin as signInAdminAs, submit, tabTo } from './common.mjs';

const { BASE, session, check } = browserSuite({
  cleanup: async () => {
    await admin?.context.close();
  },
});

const OPEN = 'Les horaires de la médiathèque';
const CLOSED = 'Le marché du samedi';
// The outcome the demo publishes for the closed one (« nous avons fait »).
const DECIDED = /Le conseil municipal a voté le déplacement du marché/;

let admin; // the demo admin's context and page, signed in once, to read the demo mail

// ---------------------------------------------------------------------------
// helpers (as reports.mjs)

async function signInAdmin(page) {
  await signInAdminAs(page, BASE, 2);
}

async function mailedLink(to, pattern) {
  if (!admin) {
    admin = await session();
    await signInAdmin(admin.page);
  }
  return outboxLink(admin.page, BASE, to, pattern);
}

const mainText = (page) => page.textContent('main');
const unique = () => Date.now().toString(36);

/** Follows the link of <main> named `name` (exactly). */
async function follow(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('main').getByRole('link', { name, exact: true }).first().click()]);
}

/** The page of the questionnaire shown: "Page N sur M". */
const progress = (page) => page.textContent('main #progression');

// ---------------------------------------------------------------------------
// 1. without JavaScript: a visitor, with an error on page 1

test('without JavaScript, a visitor answers a consultation page by page, with an error on the way', async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/consultations');
    await check(s, 'consultations list (no JS)');
    await follow(page, OPEN);
    assert.equal(await page.textContent('h1'), OPEN);
    await check(s, 'the open consultation (no JS)');
    await follow(page, 'Répondre à la consultation');
    assert.match(page.url(), /\/consultations\/\d+\/repondre$/);
    const answerUrl = page.url();
    assert.equal(await progress(page), 'Page 1 sur 2');
    await check(s, 'questionnaire page 1 (no JS)');

    // Page 1 sent without its required answer; two moments ticked, one "other".
    const other = `Le jeudi midi (${unique()})`;
    await page.check('#q2-1');
    await page.check('#q2-4');
    await page.fill('#q2-autre', other);
    const refused = await submit(page, 'main form button[value="suivant"]');
    assert.equal(refused.status(), 422);
    assert.equal(await progress(page), 'Page 1 sur 2', 'the same page comes back');
    const links = await page.$$eval('main .error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#q1'], 'the summary links to the required question');
    assert.ok(await page.$('main input#q1[type="radio"]'), 'the link\'s target exists: the first radio of q1');
    assert.ok(await page.$('#q1-error'), 'the question has its error message');
    assert.ok(await page.isChecked('#q2-1') && await page.isChecked('#q2-4') && !await page.isChecked('#q2'),
      'what was ticked is kept');
    assert.equal(await page.inputValue('#q2-autre'), other, 'what was typed is kept');
    await check(s, 'questionnaire page 1 with its error (no JS)');

    // Fixed: Next, to page 2.
    await page.check('#q1-1');
    await submit(page, 'main form button[value="suivant"]');
    assert.equal(await progress(page), 'Page 2 sur 2');
    assert.equal(await page.locator('main .error-summary').count(), 0);
    await check(s, 'questionnaire page 2 (no JS)');

    // Previous: page 1's answers are all there, page 2's travel along.
    const remark = `Ouvrir plus tard le mercredi soir, après le travail (${unique()}).`;
    await page.fill('#q4', remark);
    await submit(page, 'main form button[value="precedent"]');
    assert.equal(await progress(page), 'Page 1 sur 2');
    assert.ok(await page.isChecked('#q1-1'), 'q1 kept');
    assert.ok(await page.isChecked('#q2-1') && await page.isChecked('#q2-4'), 'q2 kept');
    assert.equal(await page.inputValue('#q2-autre'), other, 'q2\'s "other" kept');
    assert.equal(await page.inputValue('main input[type="hidden"][name="q4"]'), remark, 'page 2\'s remark carried');
    await check(s, 'questionnaire page 1 again (no JS)');

    // Next again: the remark is still in its field; answer and send.
    await submit(page, 'main form button[value="suivant"]');
    assert.equal(await progress(page), 'Page 2 sur 2');
    assert.equal(await page.inputValue('#q4'), remark, 'the remark is back in its field');
    await check(s, 'questionnaire page 2 again (no JS)');
    await page.check('#q3-4');
    await submit(page, 'main form button[value="envoyer"]');
    assert.match(page.url(), /\/consultations\/\d+\/merci$/);
    assert.match(await page.textContent('main .receipt'), /\S{6,}/, 'a receipt is shown');
    await check(s, 'receipt (no JS)');

    // One answer per browser: the questionnaire now leads to the receipt.
    await page.goto(answerUrl);
    assert.match(page.url(), /\/consultations\/\d+\/merci$/);

    // The closed consultation: its page, its results, and the outcomes list.
    await page.goto(BASE + '/consultations');
    await follow(page, CLOSED);
    assert.match(await mainText(page), DECIDED, 'the outcome is on the consultation\'s page');
    await check(s, 'the closed consultation with its outcome (no JS)');
    await follow(page, 'Tous les résultats');
    assert.match(page.url(), /\/consultations\/\d+\/resultats$/);
    assert.equal(await page.textContent('h1'), `Résultats : ${CLOSED}`);
    assert.ok(await page.locator('main table tbody tr').count() > 0, 'the results as a table');
    await check(s, 'results of the closed consultation (no JS)');
    await page.goto(BASE + '/consultations/resultats');
    const outcomes = await mainText(page);
    assert.ok(outcomes.includes(CLOSED), 'the closed consultation is listed');
    assert.match(outcomes, DECIDED, 'with what was decided');
    await check(s, 'outcomes list (no JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 2. with JavaScript: a resident, with the keyboard


/** Enter on the element focused, which sends the form: the page that answers. */
async function enter(page) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  return response;
}

test('with JavaScript, a resident answers with the keyboard, one error on the way, once', { skip: ADMIN || false }, async () => {
  const s = await session();
  const { page } = s;
  try {
    // A resident signs up and confirms the address.
    const email = `consultation.${unique()}@exemple.test`;
    const password = 'la médiathèque devrait ouvrir le dimanche';
    await page.goto(BASE + '/inscription');
    await page.fill('#display_name', 'Lectrice Assidue');
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

    await page.goto(BASE + '/consultations');
    await check(s, 'consultations list (JS)');
    await follow(page, OPEN);
    await check(s, 'the open consultation (JS)');
    // By the keyboard from here: the link to the questionnaire.
    await tabTo(page, 'main a[href$="/repondre"]');
    await enter(page);
    assert.equal(await progress(page), 'Page 1 sur 2');
    await check(s, 'questionnaire page 1 (JS)');

    // A moment ticked with Space, Enter on Continue: q1, required, is missing.
    await tabTo(page, '#q2-2');
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('#q2-2'), 'Space ticked « Samedi matin »');
    await tabTo(page, 'main form button[value="suivant"]');
    const refused = await enter(page);
    assert.equal(refused.status(), 422);
    // The script moves the focus to the summary; its link leads to the field.
    await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
    assert.ok(await page.isChecked('#q2-2'), 'what was ticked is kept');
    await check(s, 'questionnaire page 1 with its error (JS)');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), '#q1',
      'Tab from the summary reaches its link to the field');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#q1');
    await tabTo(page, 'input[name="q1"]');
    await page.keyboard.press('ArrowDown'); // radios: the arrows choose
    assert.ok(await page.isChecked('input[name="q1"]:checked'), 'an answer to q1 chosen with the arrows');
    const chosen = await page.$eval('input[name="q1"]:checked', (i) => i.id);
    await tabTo(page, 'main form button[value="suivant"]');
    await enter(page);
    assert.equal(await progress(page), 'Page 2 sur 2');
    await check(s, 'questionnaire page 2 (JS)');

    // Previous and back with the keyboard: nothing lost.
    await tabTo(page, 'main form button[value="precedent"]');
    await enter(page);
    assert.equal(await progress(page), 'Page 1 sur 2');
    assert.ok(await page.isChecked(`#${chosen}`) && await page.isChecked('#q2-2'), 'page 1 kept');
    await check(s, 'questionnaire page 1 again (JS)');
    await tabTo(page, 'main form button[value="suivant"]');
    await enter(page);
    assert.equal(await progress(page), 'Page 2 sur 2');

    // The scale, the remark, "tell me", Send.
    await tabTo(page, 'input[name="q3"]');
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked('#q3'), 'Space chose the first value of the scale');
    const remark = `Les samedis après-midi aussi, s'il vous plaît (${unique()}).`;
    await tabTo(page, '#q4');
    await page.keyboard.type(remark);
    await tabTo(page, 'main input[name="prevenir"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'main form button[value="envoyer"]');
    await enter(page);
    assert.match(page.url(), /\/consultations\/\d+\/merci$/, `sent: ${page.url()}`);
    assert.match(await page.textContent('main .receipt'), /\S{6,}/, 'a receipt is shown');
    await check(s, 'receipt (JS)');
    const receipt = await page.textContent('main .receipt');

    // One answer per account: the questionnaire leads to the receipt, and a
    // form sent again (a second tab) too, with the first answer's receipt.
    const id = page.url().match(/\/consultations\/(\d+)\/merci$/)[1];
    await page.goto(`${BASE}/consultations/${id}/repondre`);
    assert.match(page.url(), /\/consultations\/\d+\/merci$/);
    assert.equal(await page.textContent('main .receipt'), receipt);
    await check(s, 'receipt, when answering again (JS)');
    await page.goto(`${BASE}/consultations/${id}`);
    await check(s, 'the open consultation, answered (JS)');
    const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
    const again = await page.request.post(`${BASE}/consultations/${id}/repondre`, {
      form: { _csrf: csrf, page: '2', action: 'envoyer', q1: '0', q3: '5' },
      maxRedirects: 0,
    });
    assert.equal(again.status(), 303, 'a second answer is not taken');
    assert.match(again.headers().location, /\/consultations\/\d+\/merci$/);

    // The closed consultation's results and the outcomes list, with a script.
    await page.goto(BASE + '/consultations/resultats');
    assert.match(await mainText(page), DECIDED);
    await check(s, 'outcomes list (JS)');
    await follow(page, CLOSED);
    await check(s, 'the closed consultation with its outcome (JS)');
    await follow(page, 'Tous les résultats');
    await check(s, 'results of the closed consultation (JS)');
  } finally {
    await s.context.close();
  }
});
