// Participatory budgets in Debian's chromium, against a running `parvis demo`
// (issue 14: "the browser suite votes with and without JavaScript; zero axe
// violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec budgets.mjs
//
// The demo's budgets (src/demo.rs, `budgets`): « Budget participatif 2027 »
// is in its vote, a basket of 150 000 € for the whole commune (its projects
// 1 to 3 on the ballot: 89 250 €, 73 500 €, 12 600 €; 4 found not feasible)
// and 30 000 € per neighbourhood; a vote may be changed until the close.
// « Budget participatif 2026 » is closed, its results out.
//
// 1. A visitor reads the budgets, the process with its phases, a project not
//    feasible with its reason, the closed budget's results (no JavaScript).
// 2. With JavaScript, the demo admin ticks projects on the ballot: the
//    running total and what is left change as boxes are ticked; then votes.
// 3. Without JavaScript (the same session), the admin ticks two projects
//    over the commune's pot, « Recalculer » shows the totals and the warning
//    with the boxes kept; one is unticked and the vote is changed.
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error.
//
// Environment: as meetings.mjs. The admin's recovery codes are single-use and
// shared by the files of the suite: this file takes the fifth from the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, browserSuite, signInAdmin, submit } from './common.mjs';

const { BASE, session, check } = browserSuite();

const OPEN = 'Budget participatif 2027';
const CLOSED = 'Budget participatif 2026';

/** Follows the link of <main> named `name` (exactly). */
async function follow(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('main').getByRole('link', { name, exact: true }).first().click()]);
}

/** The text of an element, its spaces (narrow, no-break) made plain. */
async function text(page, selector) {
  return (await page.textContent(selector)).replace(/\s+/g, ' ').trim();
}

const SPENT = 'main #total-0 [data-spent]';
const LEFT = 'main #total-0 [data-left]';
const OVER = 'main [data-over="0"]';
const RECALCULATE = 'main form.budget-ballot button[value="recalculer"]';
const VOTE = 'main form.budget-ballot button[value="voter"]';

// ---------------------------------------------------------------------------
// 1. a visitor reads the budgets

test('without JavaScript, a visitor reads the budgets, a project and the results', async () => {
  const s = { ...(await session({ javaScriptEnabled: false })), noScript: true };
  const { page } = s;
  try {
    await page.goto(BASE + '/');
    assert.ok(await page.$('nav.site-nav a[href="/budgets"]'), 'budgets are in the main navigation');
    assert.ok(await page.$('main a[href$="/voter"]'), 'the home page says a vote is open');
    await page.goto(BASE + '/budgets');
    assert.equal(await page.textContent('h1'), 'Budgets participatifs');
    await check(s, 'the budgets (no JS)');
    await follow(page, OPEN);
    assert.equal(await page.textContent('h1'), OPEN);
    assert.equal(await text(page, 'main li[aria-current="step"] strong'), 'Vote', 'the current phase is marked');
    await check(s, 'a budget in its vote (no JS)');
    await follow(page, 'Un téléphérique jusqu\'aux Hauts');
    assert.match(await text(page, 'main'), /Non réalisable : Le coût dépasse/);
    await check(s, 'a project not feasible (no JS)');
    await follow(page, 'Voter');
    assert.match(await text(page, 'main #statut'), /Connectez-vous pour voter/);
    await check(s, 'the ballot for a visitor (no JS)');

    await page.goto(BASE + '/budgets');
    await follow(page, CLOSED);
    await follow(page, 'Résultats');
    assert.match(await text(page, 'main'), /Projets retenus : Un verger aux Hauts/);
    assert.match(await text(page, 'main'), /ne tenait plus dans les 250 € restants/);
    await check(s, 'the results of the closed budget (no JS)');
    await follow(page, 'Comment recompter les résultats soi-même');
    await check(s, 'the recount procedure (no JS)');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 2 and 3. the admin votes with, then changes the vote without, JavaScript

test('the admin votes with JavaScript (live total), then changes the vote without (Recalculer)', { skip: ADMIN ?? false }, async () => {
  const s = await session();
  const { page } = s;
  let noScript;
  try {
    await signInAdmin(page, BASE, 5);
    await page.goto(BASE + '/budgets');
    await follow(page, OPEN);
    await follow(page, 'Voter');
    assert.match(page.url(), /\/budgets\/\d+\/voter$/);
    const ballotUrl = page.url();
    for (const id of ['#choix-1', '#choix-2', '#choix-3']) await page.uncheck(`main ${id}`);
    assert.equal(await text(page, SPENT), '0 €');
    await page.check('main #choix-3');
    assert.equal(await text(page, SPENT), '12 600 €', 'the total follows the boxes at once');
    assert.equal(await text(page, LEFT), '137 400 €');
    await page.check('main #choix-1');
    await page.check('main #choix-2');
    assert.equal(await text(page, SPENT), '175 350 €');
    assert.ok(await page.isVisible(OVER), 'over the pot: the warning shows');
    await check(s, 'the ballot over budget (JS)');
    await page.uncheck('main #choix-2');
    assert.equal(await text(page, LEFT), '48 150 €');
    assert.ok(!(await page.isVisible(OVER)), 'within the pot again');
    await check(s, 'the ballot (JS)');
    await submit(page, VOTE);
    assert.equal(page.url(), ballotUrl);
    assert.match(await text(page, 'main'), /Votre vote est (enregistré|modifié)/);
    assert.match(await text(page, 'main #statut'), /Vous avez voté le \d{2}\/\d{2}\/\d{4}/);
    await check(s, 'after voting (JS)');

    // The same session, without JavaScript.
    const state = await s.context.storageState();
    noScript = { ...(await session({ javaScriptEnabled: false, storageState: state })), noScript: true };
    const p = noScript.page;
    await p.goto(ballotUrl);
    assert.match(await text(p, 'main #statut'), /Vous pouvez modifier votre vote/);
    assert.ok(!(await p.isChecked('main #choix-1')), 'a secret ballot\'s choices are not shown again');
    await p.check('main #choix-1');
    await p.check('main #choix-2');
    assert.equal(await text(p, SPENT), '0 €', 'without JavaScript nothing changes before Recalculer');
    await submit(p, RECALCULATE);
    assert.equal(await text(p, SPENT), '162 750 €');
    assert.ok(await p.isChecked('main #choix-1') && await p.isChecked('main #choix-2'), 'the boxes are kept');
    assert.ok(await p.isVisible(OVER), 'the warning shows');
    await check(noScript, 'the ballot recalculated over budget (no JS)');
    await submit(p, VOTE);
    assert.equal(await text(p, 'main .error-summary a'), 'Votre choix dépasse le montant de cette enveloppe : retirez un projet, puis votez.');
    assert.ok(await p.isChecked('main #choix-2'), 'a refused ballot keeps the boxes');
    await check(noScript, 'the ballot refused over budget (no JS)');
    await p.uncheck('main #choix-2');
    await submit(p, RECALCULATE);
    assert.equal(await text(p, LEFT), '60 750 €');
    await submit(p, VOTE);
    assert.equal(p.url(), ballotUrl);
    assert.match(await text(p, 'main'), /Votre vote est modifié/);
    await check(noScript, 'after changing the vote (no JS)');
  } finally {
    await noScript?.context.close();
    await s.context.close();
  }
});
