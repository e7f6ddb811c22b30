// What the browser files share: submitting a form, and checking a page
// (one <h1>, lang, a skip link, no console error, zero axe violations),
// with or without JavaScript.

import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function submit(page, selector = 'main form:not([action="/deconnexion"]) button[type="submit"]') {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return response;
}

/**
 * `check(s, label)` for the pages of `browser()` (a getter: the browser is
 * launched in each file's `before`) against the site at `BASE`.
 */
export function pageChecks(browser, BASE) {
  /**
   * A page of a context without JavaScript cannot run axe (nor any script of
   * the suite's own): its HTML is shown again, at the same address, in a
   * checker page where every script is refused, and checked there.
   */
  let checker;
  async function snapshotOf(page) {
    if (!checker) {
      const context = await browser().newContext({ locale: 'fr-FR' });
      let html = '';
      let at = '';
      await context.route('**/*', (route) => {
        const request = route.request();
        if (request.resourceType() === 'document' && request.url() === at) {
          return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        }
        if (request.resourceType() === 'script') return route.abort('blockedbyclient');
        const url = new URL(request.url());
        if (url.origin !== new URL(BASE).origin || url.pathname.startsWith('/tuiles/')) return route.abort('blockedbyclient');
        return route.continue();
      });
      const shown = await context.newPage();
      checker = { context, page: shown, load: async (url, body) => { at = url; html = body; await shown.goto(url); } };
    }
    await checker.load(page.url(), await page.content());
    return checker.page;
  }

  /** Structure, console and axe of the page shown now; fails with one line each. */
  async function check(s, label) {
    const { events } = s;
    const page = s.noScript ? await snapshotOf(s.page) : s.page;
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    const facts = await page.evaluate(() => {
      const first = document.querySelector('a[href], button, input:not([type="hidden"]), select, textarea');
      const href = first?.getAttribute('href') || '';
      const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
      return {
        h1: document.querySelectorAll('h1').length,
        lang: document.documentElement.lang,
        skip: !!target && target.tagName === 'MAIN',
      };
    });
    const problems = [];
    if (facts.h1 !== 1) problems.push(`${facts.h1} <h1>`);
    if (facts.lang !== 'fr') problems.push(`<html lang="${facts.lang}">`);
    if (!facts.skip) problems.push('the first focusable element is not a skip link to <main>');
    // A refused form answers 422 on purpose; Chromium logs the status.
    problems.push(...events.filter((e) => !/status of 422/.test(e)));
    events.length = 0;
    const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    for (const v of axe.violations) {
      for (const node of v.nodes) problems.push(`axe: ${v.id} [${v.impact}] ${v.help} — ${node.target.join(' ')}`);
    }
    if (problems.length) {
      const err = new Error(`${label} (${new URL(page.url()).pathname}): ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
      err.stack = err.message;
      throw err;
    }
  }

  /** Closes the checker's context, if one was opened. */
  async function close() {
    await checker?.context.close();
  }

  return { check, close };
}

/** Presses Tab until `selector` has the focus (at most 60 times). */
export async function tabTo(page, selector) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

/**
 * Signs the demo admin in on `page`. Its recovery codes are single-use and
 * shared by the files of one run: run.mjs takes them from the front, each
 * other file its own one from the end (`fromEnd`: 1 the last, 2 the one
 * before), so that none takes another's.
 */
export async function signInAdmin(page, BASE, fromEnd) {
  await page.goto(BASE + '/connexion');
  await page.fill('main input[type="email"]', process.env.PARVIS_ADMIN_EMAIL);
  await page.fill('main input[type="password"]', process.env.PARVIS_ADMIN_PASSWORD);
  await submit(page, 'main form button[type="submit"]');
  if (await page.$('main input[autocomplete="one-time-code"]')) {
    const codes = (process.env.PARVIS_ADMIN_CODES || '').split(/\s+/).filter(Boolean);
    assert.ok(codes.length >= fromEnd, `the demo admin needs a recovery code: PARVIS_ADMIN_CODES has fewer than ${fromEnd}`);
    await page.fill('main input[autocomplete="one-time-code"]', codes.at(-fromEnd));
    await submit(page, 'main form button[type="submit"]');
  }
  assert.ok(await page.$('header form[action="/deconnexion"]'), `the admin could not sign in: ended on ${page.url()}`);
}

/** The first link to `pattern` in the demo outbox's message to `to`, read by the admin's `page`. */
export async function outboxLink(page, BASE, to, pattern) {
  for (let i = 0; i < 20; i++) {
    await page.goto(BASE + '/admin/courriels');
    const texts = await page.evaluate((to) => [...document.querySelectorAll('tbody tr')]
      .filter((tr) => tr.textContent.includes(to))
      .map((tr) => tr.querySelector('pre')?.textContent || ''), to);
    for (const text of texts) {
      const found = text.match(pattern);
      if (found) {
        const url = new URL(found[0]);
        return url.pathname + url.search;
      }
    }
    await page.waitForTimeout(250);
  }
  assert.fail(`no link ${pattern} mailed to ${to} in the demo outbox`);
}
