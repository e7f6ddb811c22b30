// Notification settings and the notification list in Debian's chromium,
// against a running `parvis demo` (issue 13: "the browser suite … manages
// notification settings and reads the notification list; zero axe
// violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec notifications.mjs
//
// Without JavaScript (every page works without it), the demo admin signs in,
// opens the settings, picks « Dans un résumé hebdomadaire » for followed
// proposals, saves, sees the flash and the choice kept, reads the list
// (the demo gave them unread notifications), marks them read and sees the
// header's count go down to 0. Then, with JavaScript, composes a newsletter,
// previews it and sends a test to themselves (it stays a draft). On every
// page: zero axe-core violations of WCAG 2.1 A/AA, no console error.
//
// Environment: as consultations.mjs. The demo admin's recovery codes are
// single-use and shared by the files of the suite: run.mjs takes them from
// the front, reports.mjs the last one, consultations.mjs the one before the
// last, meetings.mjs the 4th from the end, this file the third.
//
// Every wait is bounded (common.mjs): the file once hung for ever after
// opening the settings, because its context had JavaScript off and
// check() ran axe in that very page, where Chromium never answers a script
// (a session without JavaScript must be checked with `noScript`, which
// common.mjs's session() now sets itself).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, browserSuite, signInAdmin, submit } from './common.mjs';

const { BASE, session, check } = browserSuite();


/** The header's unread count, from its link's words « Notifications (n non lues) ». */
async function unread(page) {
  const text = await page.locator('header a[href="/compte/notifications"]').textContent({ timeout: 10_000 });
  const found = text.match(/^Notifications \((\d+) non lues\)$/);
  assert.ok(found, `the header's link says « ${text} »`);
  return Number(found[1]);
}

const PROPOSALS = 'Propositions que je suis';

/** The admin's cookies once signed in, for the next test: each recovery code is single-use. */
let signedIn;

test('the demo admin manages their notification settings, reads the list and the unread count goes down', { skip: ADMIN || false }, async () => {
  const s = await session({ javaScriptEnabled: false });
  const { page } = s;
  try {
    await signInAdmin(page, BASE, 3);
    signedIn = await s.context.storageState();
    const before = await unread(page);
    assert.ok(before > 0, 'the demo gives the admin unread notifications');

    await page.goto(BASE + '/compte/notifications/reglages');
    await check(s, 'notification settings');
    assert.equal(await page.textContent('main h1'), 'Réglages des notifications');
    // Labelled radios in fieldsets, one per kind, the defaults chosen.
    for (const kind of ['Réponses et nouvelles de mes propres contributions', PROPOSALS, 'Signalements que je suis']) {
      assert.ok(await page.getByRole('group', { name: kind }).isVisible(), kind);
    }
    assert.ok(await page.getByRole('group', { name: PROPOSALS })
      .getByLabel('Dans un résumé quotidien', { exact: true }).isChecked(), 'the default: a daily digest');
    // The neighbourhoods' and categories' alerts are a kind like the others,
    // said in its hint, with the same four choices.
    const AREAS = 'Quartiers et catégories que je suis';
    assert.ok(await page.getByRole('group', { name: AREAS }).isVisible(), AREAS);
    assert.match(await page.textContent('#quartiers-aide'), /quartiers et catégories que vous suivez/);
    assert.equal(await page.getByRole('group', { name: AREAS }).getByRole('radio').count(), 4);
    assert.ok(await page.getByRole('group', { name: AREAS })
      .getByLabel('Dans un résumé quotidien', { exact: true }).isChecked(), 'the default of what one follows');
    await page.getByRole('group', { name: PROPOSALS }).getByLabel('Dans un résumé hebdomadaire', { exact: true }).check();
    const response = await submit(page, 'main form[action="/compte/notifications/reglages"] button[type="submit"]');
    assert.equal(response.status(), 200);
    assert.match(await page.textContent('main .flash'), /Vos réglages de notifications sont enregistrés/);
    assert.ok(await page.getByRole('group', { name: PROPOSALS })
      .getByLabel('Dans un résumé hebdomadaire', { exact: true }).isChecked(), 'the choice is kept');
    await check(s, 'notification settings, saved');

    // Back to the default, so that the suite can run again on the same data.
    await page.getByRole('group', { name: PROPOSALS }).getByLabel('Dans un résumé quotidien', { exact: true }).check();
    await submit(page, 'main form[action="/compte/notifications/reglages"] button[type="submit"]');

    // The list, the unread ones said to screen readers; all marked read.
    await page.goto(BASE + '/compte/notifications');
    await check(s, 'notification list');
    assert.equal(await page.textContent('main h1'), 'Mes notifications');
    assert.equal(await page.locator('main li.notification.unread').count(), Math.min(before, 100));
    await submit(page, 'main form[action="/compte/notifications"] button[type="submit"]');
    await check(s, 'notification list, read');
    assert.equal(await page.locator('main li.notification.unread').count(), 0);
    assert.ok(await page.locator('main li.notification').count() > 0, 'read notifications stay in the list');
    assert.equal(await unread(page), 0, 'the header says none is unread');
    assert.deepEqual(s.events, []);
  } finally {
    await s.context.close();
  }
});

test('the demo admin composes a newsletter, previews it and sends themselves a test', { skip: ADMIN || false }, async () => {
  assert.ok(signedIn, 'the first test signed the admin in (each recovery code is single-use)');
  const s = await session({ storageState: signedIn });
  const { page } = s;
  try {
    await page.goto(BASE + '/admin/lettres/nouvelle');
    await check(s, 'new newsletter');
    const subject = `Essai du navigateur ${Date.now().toString(36)}`;
    await page.getByLabel('Objet', { exact: true }).fill(subject);
    await page.getByLabel('Texte', { exact: true }).fill('Bonjour,\n\nLes **travaux** du square commencent lundi.');
    await submit(page, 'main form[action="/admin/lettres/nouvelle"] button[type="submit"]');
    assert.match(page.url(), /\/admin\/lettres\/\d+$/);
    assert.match(await page.textContent('main .flash'), /Lettre enregistrée/);
    assert.match(await page.textContent('main .preview'), /travaux/);
    await check(s, 'newsletter preview');
    await submit(page, 'main form[action$="/essai"] button[type="submit"]');
    assert.match(await page.textContent('main .flash'), /Un essai a été envoyé à votre adresse/);
    // Still a draft: the send button is still there.
    assert.equal(await page.locator('main form[action$="/envoyer"]').count(), 1);
    await check(s, 'newsletter, test sent');
    assert.deepEqual(s.events, []);
  } finally {
    await s.context.close();
  }
});
