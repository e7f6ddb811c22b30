// The launch campaign (issue 16) in Debian's chromium, against a running
// `parvis demo` (which holds a campaign in progress with a target in each
// neighbourhood): "the browser suite opens … the launch page; zero axe
// violations".
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec launch.mjs
//
// 1. A visitor, without JavaScript, reads the public objectives
//    (`/objectifs`): one line per neighbourhood with a target, each either
//    « … inscrits sur … » with a <progress> bar named by that line, or
//    « moins de 5 » and no bar; the home page shows them too while the
//    campaign runs.
// 2. The demo admin opens `/admin/lancement`: the checklist, the chart of
//    sign-ups per day with its table and CSV (the same rows), the targets
//    form, the contest and the widget's snippet; a target that is not a
//    number is refused on its field with the error summary, what was typed
//    kept. The widget itself (`/widget`) is a page of its own.
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error (the widget, a fragment for another site, has no
// skip link and is checked with axe only).
//
// Environment: as dashboard.mjs. The admin's recovery codes are single-use
// and shared by the files of the suite: this file takes the seventh from the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { ADMIN, AXE_TAGS, browserSuite, signInAdmin, submit } from './common.mjs';

const { BASE, browser, session, check } = browserSuite();


/** Each objective of `main` (or of `scope`): its line, and its bar's value, max and name. */
async function objectives(page, scope = 'main') {
  const html = await page.content();
  const reader = await browser().newPage({ javaScriptEnabled: true });
  try {
    await reader.setContent(html);
    return await reader.evaluate((scope) => [...document.querySelectorAll(`${scope} ul.objectives li`)].map((li) => {
      const bar = li.querySelector('progress');
      const named = bar ? document.getElementById(bar.getAttribute('aria-labelledby') || '') : null;
      return {
        line: li.querySelector('p').textContent.trim(),
        bar: bar ? { value: Number(bar.getAttribute('value')), max: Number(bar.getAttribute('max')), name: named?.textContent.trim() ?? null } : null,
      };
    }), scope);
  } finally {
    await reader.close();
  }
}

function checkObjectives(found, what) {
  assert.ok(found.length > 0, `${what}: the demo's campaign has targets`);
  for (const o of found) {
    const counted = o.line.match(/^(.+) : (\d+) inscrits sur (\d+)$/);
    const few = o.line.match(/^(.+) : moins de 5 inscrits sur (\d+)$/);
    assert.ok(counted || few, `${what}: « ${o.line} »`);
    if (counted) {
      assert.ok(Number(counted[2]) >= 5, `${what}: a count under 5 is never shown (« ${o.line} »)`);
      assert.ok(o.bar, `${what}: « ${o.line} » has a bar`);
      assert.equal(o.bar.max, Number(counted[3]), `${what}: the bar's max is the target`);
      assert.equal(o.bar.value, Math.min(Number(counted[2]), Number(counted[3])), `${what}: the bar's value is the count`);
      assert.equal(o.bar.name, o.line, `${what}: the bar is named by its line`);
    } else {
      assert.equal(o.bar, null, `${what}: no bar for « ${o.line} »`);
    }
  }
}

test('without JavaScript, a visitor reads the objectives per neighbourhood, on their page and the home page', async () => {
  const s = await session({ javaScriptEnabled: false });
  const { page } = s;
  try {
    await page.goto(BASE + '/objectifs');
    assert.equal(await page.textContent('main h1'), "Objectifs d'inscription par quartier");
    await check(s, 'the public objectives (no JS)');
    checkObjectives(await objectives(page), '/objectifs');
    await page.goto(BASE + '/');
    checkObjectives(await objectives(page), 'the home page');
    assert.ok(await page.$('main a[href="/objectifs"]'), 'the home page links the objectives');
    await check(s, 'the home page with the objectives (no JS)');
  } finally {
    await s.context.close();
  }
});

test('the demo admin opens the launch page: checklist, sign-ups, targets, contest, widget', { skip: ADMIN ?? false }, async () => {
  const s = await session();
  const { page } = s;
  try {
    await signInAdmin(page, BASE, 7);
    await page.goto(BASE + '/admin/lancement');
    assert.equal(page.url(), BASE + '/admin/lancement', 'the admin reaches the launch page');
    assert.equal(await page.textContent('main h1'), 'Campagne de lancement');
    await check(s, 'the launch page');

    // The checklist: four steps, each a labelled checkbox and a labelled date.
    const steps = await page.$$eval('main table.launch-checklist tbody tr', (rows) => rows.map((r) => ({
      checkbox: !!r.querySelector('input[type="checkbox"]') && !!r.querySelector('label[for^="done-"]'),
      date: !!r.querySelector('input[type="date"]'),
    })));
    assert.equal(steps.length, 4);
    assert.ok(steps.every((r) => r.checkbox && r.date), JSON.stringify(steps));

    // The chart of sign-ups per day: named, with its table and the same rows as CSV.
    const chart = await page.$eval('main svg#chart-inscriptions, main svg[aria-labelledby^="chart-inscriptions"]', (svg) => {
      let table = svg.nextElementSibling;
      while (table && table.tagName !== 'TABLE') table = table.nextElementSibling;
      return {
        role: svg.getAttribute('role'),
        title: svg.querySelector('title')?.textContent.trim(),
        rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
        head: [...table.querySelectorAll('thead th')].map((c) => c.textContent.trim()),
      };
    });
    assert.equal(chart.role, 'img');
    assert.equal(chart.title, 'Inscriptions par jour');
    assert.ok(chart.rows.length >= 21, `a row a day since the launch three weeks ago (${chart.rows.length})`);
    const csvHref = await page.getAttribute('main a[href="/admin/lancement/inscriptions.csv"]', 'href');
    const response = await s.context.request.get(BASE + csvHref);
    assert.equal(response.status(), 200);
    const csv = (await response.text()).replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean).map((l) => l.split(';'));
    assert.deepEqual(csv[0], chart.head, 'the CSV has the table\'s header');
    assert.deepEqual(csv.slice(1), chart.rows, 'the CSV has the table\'s rows');

    // A target that is not a number: refused on its field, the summary first, what was typed kept.
    const first = 'main form[action="/admin/lancement/objectifs"] input[name="target-0"]';
    await page.fill(first, '-5');
    await submit(page, 'main form[action="/admin/lancement/objectifs"] button[type="submit"]');
    assert.ok(await page.$('.error-summary a[href="#target-0"]'), 'the error summary links to the field');
    assert.equal(await page.inputValue(first), '-5', 'what was typed is kept');
    await check(s, 'the launch page with a refused target');

    // The widget's snippet, and the widget itself.
    const snippet = await page.inputValue('main #widget-snippet');
    assert.match(snippet, /^<iframe src="[^"]+\/widget" title="[^"]+"/);
    const widget = await browser().newContext({ locale: 'fr-FR' });
    try {
      const w = await widget.newPage();
      const r = await w.goto(BASE + '/widget');
      assert.equal(r.status(), 200);
      assert.match(r.headers()['content-security-policy'], /frame-ancestors /);
      assert.equal(await w.locator('h1').count(), 1);
      const links = await w.$$eval('main a', (as) => as.map((a) => a.getAttribute('target')));
      assert.ok(links.length > 0 && links.every((t) => t === '_blank'), 'every link opens the full site in a new tab');
      const axe = await new AxeBuilder({ page: w }).withTags(AXE_TAGS).analyze();
      assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], 'the widget');
      assert.deepEqual((await widget.cookies()), [], 'the widget sets no cookie');
    } finally {
      await widget.close();
    }
  } finally {
    await s.context.close();
  }
});
