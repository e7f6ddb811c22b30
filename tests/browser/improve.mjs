// Residents shaping the platform (issue 16) in Debian's chromium, against a
// running `parvis demo`, without signing anyone in (the admin's recovery
// codes are kept for the other files).
//
//   PARVIS_URL=http://127.0.0.1:8080 node --test --test-reporter=spec improve.mjs
//
// 1. Without JavaScript, a visitor follows « Améliorer ce site » from the
//    footer (the demo's suggestions sorted under « Prévu », « Fait »,
//    « À l'étude », « Pas possible »), answers « Cette page vous a-t-elle été
//    utile ? » with no choice (the form comes back with its error summary,
//    the comment kept), then « Non » with the comment: back on the page with
//    the thank-you.
// 2. With JavaScript, the answer is sent in place: the form gives way to the
//    thank-you, the address does not change, nothing is left for the next
//    page.
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, submit } from './common.mjs';

const { BASE, session, check } = browserSuite();

const FEEDBACK = 'main form#page-feedback button[type="submit"]';

test('without JavaScript, a visitor reads « Améliorer ce site » and answers « utile ? », an error on the way', async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('footer a[href="/ameliorer"]')]);
    assert.equal(await page.textContent('h1'), 'Améliorer ce site');
    const planned = await page.textContent('section[aria-labelledby="improve-planned"]');
    assert.match(planned, /Recevoir un courriel quand une consultation de mon quartier ouvre/);
    assert.match(await page.textContent('section[aria-labelledby="improve-done"]'), /Des textes plus gros/);
    assert.match(await page.textContent('section[aria-labelledby="improve-not-possible"]'), /Une application à installer/);
    assert.match(await page.textContent('section[aria-labelledby="improve-sessions"]'), /Ateliers de co-construction/);
    await check(s, '/ameliorer (no JS)');

    // No choice made: the form again, its error summary first, the comment kept.
    await page.fill('#page-feedback-comment', 'Je cherchais les horaires de la mairie.');
    const refused = await submit(page, FEEDBACK);
    assert.equal(refused.status(), 422);
    assert.match(await page.textContent('.error-summary'), /Choisissez « Oui » ou « Non »/);
    assert.equal(await page.inputValue('#page-feedback-comment'), 'Je cherchais les horaires de la mairie.');
    await check(s, 'the « utile ? » form with its error (no JS)');

    await page.check('#page-feedback-no');
    const sent = await submit(page, FEEDBACK);
    assert.equal(sent.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/ameliorer', 'back on the page answered');
    assert.match(await page.textContent('main [role="status"]'), /Merci pour votre avis/);
    await check(s, '/ameliorer after an answer (no JS)');
  } finally {
    await s.context.close();
  }
});

test('with JavaScript, the answer is sent in place', async () => {
  const s = await session();
  const { page } = s;
  try {
    await page.goto(BASE + '/idees');
    await check(s, '/idees with the « utile ? » form (JS)');
    await page.check('#page-feedback-yes');
    await page.fill('#page-feedback-comment', 'Clair et rapide.');
    await page.click(FEEDBACK);
    await page.waitForSelector('main .page-feedback-thanks');
    assert.match(await page.textContent('main .page-feedback-thanks'), /Merci pour votre avis/);
    assert.equal(await page.$('#page-feedback'), null, 'the form gave way');
    assert.equal(new URL(page.url()).pathname, '/idees', 'the page did not change');
    await check(s, '/idees after an answer in place (JS)');
    // The thank-you was said once: the next page shows none.
    await page.goto(BASE + '/idees');
    assert.equal(await page.$('main .flash-success'), null);
    assert.deepEqual(s.events, []);
  } finally {
    await s.context.close();
  }
});
