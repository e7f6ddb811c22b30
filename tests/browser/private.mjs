// Pilot groups in Debian's chromium, against a running `parvis demo` (issue
// 16: "the browser suite opens a private process as a member and as an
// outsider; zero axe violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 node --test --test-reporter=spec private.mjs
//
// The demo reserves the idea box « Pilote : la place des Vignes » to the
// group « Conseil de quartier des Vignes »; one of its members, a demo
// resident, signs in with the password `src/demo/pilot.rs` gives it. No
// admin sign-in (its recovery codes are kept for the other files).
//
// 1. A member (with JavaScript) finds the box in the list, opens it and a
//    proposal of it: visible, zero axe violations.
// 2. A visitor (without JavaScript) and the same address: the plain « page
//    introuvable » (404), nothing of the box on it, zero axe violations;
//    the list of idea boxes does not name it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, submit } from './common.mjs';

const { BASE, session, check } = browserSuite();

const BOX = 'Pilote : la place des Vignes';
const MEMBER_EMAIL = 'membre.vignes@saint-exemple.test';
const MEMBER_PASSWORD = 'conseil-des-vignes-demo';

let boxUrl; // found by the member, opened by the visitor

test('a member of the pilot group sees the private idea box and its proposals', async () => {
  const s = await session();
  const { page } = s;
  try {
    await page.goto(BASE + '/connexion');
    await page.fill('#email', MEMBER_EMAIL);
    await page.fill('#password', MEMBER_PASSWORD);
    await submit(page);
    assert.ok(await page.$('header form[action="/deconnexion"]'), `the member could not sign in: ended on ${page.url()}`);

    await page.goto(BASE + '/idees');
    await check(s, 'idea boxes (member)');
    const link = page.getByRole('main').getByRole('link', { name: BOX, exact: true });
    assert.equal(await link.count(), 1, 'the member sees the private box in the list');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
    assert.match(page.url(), /\/idees\/\d+$/);
    boxUrl = new URL(page.url()).pathname;
    assert.equal((await page.textContent('h1')).trim(), BOX);
    await check(s, 'the private box (member)');
    const proposal = page.getByRole('main').locator('a[href^="/propositions/"]').first();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), proposal.click()]);
    assert.match(page.url(), /\/propositions\/\d+$/);
    await check(s, 'a proposal of the private box (member)');
  } finally {
    await s.context.close();
  }
});

test('a visitor gets the plain 404 page for the private idea box, and no trace of it', async () => {
  assert.ok(boxUrl, 'the member found the box first');
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    const response = await page.goto(BASE + boxUrl);
    assert.equal(response.status(), 404);
    assert.ok(!(await page.textContent('main')).includes(BOX), 'nothing of the box on the 404 page');
    // The 404 itself is the expected answer, not a fault of the page: the
    // console line Chromium writes for it is left out of the check.
    s.events.length = 0;
    await check(s, 'the private box (visitor: 404)');
    await page.goto(BASE + '/idees');
    assert.ok(!(await page.textContent('main')).includes(BOX), 'the list does not name the private box');
    await check(s, 'idea boxes (visitor)');
  } finally {
    await s.context.close();
  }
});
