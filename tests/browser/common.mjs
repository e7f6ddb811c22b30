// What the browser files share: submitting a form, and checking a page
// (one <h1>, lang, a skip link, no console error, zero axe violations),
// with or without JavaScript.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's chromium (never a browser a tool downloads), headless, quiet. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the tests that sign the demo admin in are skipped, or null when they can run. */
export const ADMIN = process.env.PARVIS_ADMIN_EMAIL && process.env.PARVIS_ADMIN_PASSWORD
  ? null
  : 'PARVIS_ADMIN_EMAIL and PARVIS_ADMIN_PASSWORD not set';

/**
 * What a browser file starts with: the server's address (`PARVIS_URL`; the
 * file exits 2 without it), chromium launched before the file's tests and
 * closed after them (after `cleanup`, when given, has closed what the file
 * kept open), a `session` that reaches nothing but the server, and the
 * page `check`. `browser()` gives the browser once the tests run; a file's
 * own `before` that needs it first awaits `start()`.
 */
export function browserSuite({ cleanup } = {}) {
  const BASE = (process.env.PARVIS_URL || '').replace(/\/+$/, '');
  if (!BASE) {
    console.error('PARVIS_URL is not set: start a server (e.g. `parvis demo`) and pass its URL.');
    process.exit(2);
  }
  let browser;
  let launching;
  // Launches once, whoever asks first: a file's own `before` may run
  // before this one, and then awaits `start()` itself.
  const start = () => (launching ??= chromium
    .launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    .then((b) => { browser = b; return b; }));
  before(start);
  const checker = pageChecks(() => browser, BASE);
  after(async () => {
    await cleanup?.();
    await checker.close();
    await browser?.close();
  });
  return {
    BASE,
    start,
    browser: () => browser,
    session: (options = {}) => session(browser, BASE, options),
    check: checker.check,
  };
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * `promise`, or a failure naming `what` after `ms`: page.evaluate and axe
 * take no timeout of their own, and a wait that never ends would hang the
 * whole suite instead of failing one test with a message.
 */
export function bounded(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * A context of `browser` that reaches nothing but the server at `BASE`
 * (map tiles, which the demo does not serve, answered with a blank image),
 * with its page and the console errors seen. Without JavaScript
 * (`javaScriptEnabled: false`) it is marked `noScript`: `check` must then
 * run axe on a copy of the page, since Chromium never answers a script run
 * in a page that has scripts disabled (the cause of notifications.mjs's hang).
 */
export async function session(browser, BASE, options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  context.setDefaultNavigationTimeout(20_000);
  context.setDefaultTimeout(20_000);
  const origin = new URL(BASE).origin;
  await context.route((url) => url.origin !== origin, (route) => route.abort('blockedbyclient'));
  await context.route((url) => url.pathname.startsWith('/tuiles/'), (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG }));
  const page = await context.newPage();
  const events = [];
  page.on('console', (m) => { if (m.type() === 'error') events.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => events.push(`uncaught exception: ${e.message}`));
  return { context, page, events, noScript: options.javaScriptEnabled === false };
}

export async function submit(page, selector = 'main form:not([action="/deconnexion"]) button[type="submit"]') {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 20_000 }),
    page.click(selector, { timeout: 20_000 }),
  ]);
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
    await bounded(checker.load(page.url(), await page.content()), 20_000, 'showing the page again to check it');
    return checker.page;
  }

  /** Structure, console and axe of the page shown now; fails with one line each. */
  async function check(s, label) {
    const { events } = s;
    const page = s.noScript ? await snapshotOf(s.page) : s.page;
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
    const facts = await bounded(page.evaluate(() => {
      const first = document.querySelector('a[href], button, input:not([type="hidden"]), select, textarea');
      const href = first?.getAttribute('href') || '';
      const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
      return {
        h1: document.querySelectorAll('h1').length,
        lang: document.documentElement.lang,
        skip: !!target && target.tagName === 'MAIN',
      };
    }), 10_000, `${label}: reading the page (a page without JavaScript must be checked with noScript: true)`);
    const problems = [];
    if (facts.h1 !== 1) problems.push(`${facts.h1} <h1>`);
    if (facts.lang !== 'fr') problems.push(`<html lang="${facts.lang}">`);
    if (!facts.skip) problems.push('the first focusable element is not a skip link to <main>');
    // A refused form answers 422 on purpose; Chromium logs the status.
    problems.push(...events.filter((e) => !/status of 422/.test(e)));
    events.length = 0;
    const axe = await bounded(new AxeBuilder({ page }).withTags(AXE_TAGS).analyze(), 30_000, `${label}: axe`);
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
    if (await bounded(page.evaluate((sel) => document.activeElement?.matches(sel), selector), 10_000, `Tab to ${selector}`)) return;
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
    const texts = await bounded(page.evaluate((to) => [...document.querySelectorAll('tbody tr')]
      .filter((tr) => tr.textContent.includes(to))
      .map((tr) => tr.querySelector('pre')?.textContent || ''), to), 10_000, 'reading the demo outbox');
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
