// The town hall's dashboard and its public version in Debian's chromium,
// against a running `parvis demo` (issue 15: "the browser suite opens the
// dashboard and the public figures; zero axe violations").
//
//   PARVIS_URL=http://127.0.0.1:8080 PARVIS_ADMIN_EMAIL=… PARVIS_ADMIN_PASSWORD=… \
//   PARVIS_ADMIN_CODES='…' node --test --test-reporter=spec dashboard.mjs
//
// 1. A visitor, without JavaScript, reads `/chiffres`: each chart is an SVG
//    named by its own title and description, followed by a data table whose
//    rows are the bars' labels, and a CSV link that downloads the very same
//    rows; no address or name of a resident anywhere; a narrower date range
//    chosen in the form is the one shown.
// 2. The same visitor is sent to sign in from the staff's dashboard.
// 3. The demo admin opens `/admin/tableau-de-bord` (the same checks, and the
//    staff's figures are at least the public ones) and its printable
//    one-page summary.
// On every page: zero axe-core violations of WCAG 2.1 A/AA, one <h1>, a skip
// link, no console error.
//
// Environment: as meetings.mjs. The admin's recovery codes are single-use and
// shared by the files of the suite: this file takes the sixth from the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, browserSuite, signInAdmin, submit } from './common.mjs';

const { BASE, browser, session, check } = browserSuite();


/**
 * Every chart of the page shown: its accessible name and description (the
 * SVG's own <title> and <desc>), the data table that follows it (caption,
 * header, rows) and its CSV link. Read from the DOM, so it works whether
 * or not the page runs scripts (a no-JS page is read through `content()`).
 */
async function charts(page) {
  const html = await page.content();
  const checker = await browser().newPage({ javaScriptEnabled: true });
  try {
    await checker.setContent(html);
    return await checker.evaluate(() => [...document.querySelectorAll('main svg.chart')].map((svg) => {
      const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      const named = ids.map((id) => document.getElementById(id));
      let table = svg.nextElementSibling;
      while (table && table.tagName !== 'TABLE') table = table.nextElementSibling;
      let link = table?.nextElementSibling;
      while (link && !link.querySelector('a[href*="donnees.csv"]')) link = link.nextElementSibling;
      const cells = (tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim());
      return {
        role: svg.getAttribute('role'),
        names: named.map((n) => (n && svg.contains(n) ? n.textContent.trim() : null)),
        labels: [...svg.querySelectorAll('text')].map((t) => t.textContent.trim()),
        caption: table?.querySelector('caption')?.textContent.trim() ?? null,
        head: table ? [...table.querySelectorAll('thead th')].map((c) => c.textContent.trim()) : [],
        rows: table ? [...table.querySelectorAll('tbody tr')].map(cells) : [],
        csv: link?.querySelector('a[href*="donnees.csv"]')?.getAttribute('href') ?? null,
      };
    }));
  } finally {
    await checker.close();
  }
}

/** The rows of a `;`-separated CSV as the dashboard writes it (a BOM, no quoted `;` in the demo's data). */
function parseCsv(text) {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length).map((l) => l.split(';').map((c) => c.replace(/^"|"$/g, '').trim()));
}

/** Checks each chart of `page` and returns them; `request` fetches the CSVs with the page's cookies. */
async function checkCharts(page, request, what) {
  const found = await charts(page);
  assert.ok(found.length >= 4, `${what}: ${found.length} charts`);
  for (const chart of found) {
    assert.equal(chart.role, 'img', `${what}: a chart is an image for assistive technologies`);
    assert.equal(chart.names.length, 2, `${what}: a chart is named by a title and a description`);
    assert.ok(chart.names.every((n) => n), `${what}: the chart's name and description are inside it: ${JSON.stringify(chart.names)}`);
    assert.ok(chart.caption, `${what}: the chart « ${chart.names[0]} » is followed by a data table with a caption`);
    assert.ok(chart.rows.length > 0, `${what}: the table « ${chart.caption} » has rows`);
    for (const row of chart.rows) {
      assert.ok(chart.labels.some((l) => l.includes(row[0])), `${what}: the bar « ${row[0]} » of « ${chart.caption} » is labelled in the chart`);
    }
    assert.ok(chart.csv, `${what}: « ${chart.caption} » has a CSV link`);
    const response = await request.get(BASE + chart.csv);
    assert.equal(response.status(), 200, `${what}: ${chart.csv}`);
    assert.match(response.headers()['content-type'], /^text\/csv/, `${what}: ${chart.csv} is CSV`);
    const csv = parseCsv(await response.text());
    assert.deepEqual(csv[0], chart.head, `${what}: the CSV of « ${chart.caption} » has the table's header`);
    assert.deepEqual(csv.slice(1), chart.rows, `${what}: the CSV of « ${chart.caption} » has the table's rows`);
  }
  return found;
}

// ---------------------------------------------------------------------------
// 1 and 2. a visitor

test('without JavaScript, a visitor reads the public figures: charts, tables and CSV agree', async () => {
  const s = await session({ javaScriptEnabled: false });
  const { page } = s;
  try {
    await page.goto(BASE + '/');
    assert.ok(await page.$('footer a[href="/chiffres"], main a[href="/chiffres"]'), 'the public figures are linked from the home page');
    await page.goto(BASE + '/chiffres');
    assert.equal(await page.textContent('main h1'), 'La participation en chiffres');
    await check(s, 'the public figures (no JS)');
    const found = await checkCharts(page, s.context.request, '/chiffres');
    // Residents' addresses never appear in a public page.
    const main = await page.textContent('main');
    assert.doesNotMatch(main, /@[a-z0-9-]+\.[a-z]/i, 'no email address on the public figures');
    // Each neighbourhood of the commune is a group of the public version: a
    // count under 5 is never shown as such.
    const hoods = found.find((c) => c.caption === 'Participants par quartier');
    assert.ok(hoods, 'a chart by neighbourhood');
    for (const row of hoods.rows) {
      const n = Number(row[1]);
      assert.ok(Number.isNaN(n) || n >= 5, `the group « ${row[0]} » is shown as ${row[1]}`);
    }

    // A narrower range, chosen in the form, is the one shown and linked.
    await page.fill('main #du', '2026-06-01');
    await page.fill('main #au', '2026-06-30');
    await submit(page, 'main form[action="/chiffres"] button[type="submit"]');
    assert.match(page.url(), /du=2026-06-01/);
    assert.match(await page.textContent('main'), /Du 2026-06-01 au 2026-06-30/);
    const narrow = await charts(page);
    assert.ok(narrow.every((c) => c.csv.includes('du=2026-06-01') && c.csv.includes('au=2026-06-30')), 'the CSV links keep the range');
    await check(s, 'the public figures over one month (no JS)');

    // The staff's dashboard sends a visitor to sign in.
    const response = await page.goto(BASE + '/admin/tableau-de-bord');
    assert.ok(response.status() === 200 || response.status() === 401 || response.status() === 403, `status ${response.status()}`);
    assert.match(page.url(), /\/connexion/, 'a visitor is sent to sign in');
  } finally {
    await s.context.close();
  }
});

// ---------------------------------------------------------------------------
// 3. the admin

test('the demo admin opens the dashboard and its printable summary', { skip: ADMIN ?? false }, async () => {
  const s = await session();
  const { page } = s;
  try {
    await signInAdmin(page, BASE, 6);
    await page.goto(BASE + '/admin/tableau-de-bord');
    assert.equal(page.url(), BASE + '/admin/tableau-de-bord', 'the admin reaches the dashboard');
    await check(s, 'the dashboard');
    const staff = await checkCharts(page, s.context.request, '/admin/tableau-de-bord');

    // The staff's figures are the public ones, small groups shown: every
    // neighbourhood's count is a number, and equals the public one when the
    // public page shows it.
    const hoods = staff.find((c) => c.caption === 'Participants par quartier');
    assert.ok(hoods, 'a chart by neighbourhood');
    for (const row of hoods.rows) assert.match(row[1], /^\d+$/, `the staff see the count of « ${row[0]} »`);
    const visitor = await browser().newContext({ locale: 'fr-FR' });
    try {
      const publicPage = await visitor.newPage();
      await publicPage.goto(BASE + '/chiffres');
      const shown = (await charts(publicPage)).find((c) => c.caption === 'Participants par quartier');
      for (const row of shown.rows) {
        const staffRow = hoods.rows.find((r) => r[0] === row[0]);
        assert.ok(staffRow, `the staff's table has « ${row[0]} »`);
        if (/^\d+$/.test(row[1])) assert.equal(row[1], staffRow[1], `« ${row[0]} »: the same count for staff and public`);
      }
    } finally {
      await visitor.close();
    }

    const summary = await page.$('main a[href^="/admin/tableau-de-bord/synthese"]');
    assert.ok(summary, 'the dashboard links its printable summary');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), summary.click()]);
    assert.match(page.url(), /\/admin\/tableau-de-bord\/synthese/);
    await check(s, 'the printable summary');
    // Printed, the summary is one page of figures: the form and the links are not printed.
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() => [...document.querySelectorAll('.no-print')].every((e) => getComputedStyle(e).display === 'none'));
    assert.ok(hidden, 'what is marked no-print is not printed');
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, `the summary prints on one A4 page (${pages})`);
  } finally {
    await s.context.close();
  }
});
