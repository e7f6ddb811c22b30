// Browser suite for Parvis: crawls every page a person can reach, in French and
// in English, and checks each one in Debian's chromium.
//
//   PARVIS_URL=http://127.0.0.1:8080 node --test --test-reporter=spec run.mjs
//
// It builds and starts nothing: `.ci/run` starts `parvis demo` and passes its URL.
// Per page it checks: zero axe-core violations of WCAG 2.1 A/AA, exactly one
// <h1>, <html lang> in the language chosen, a skip link to <main>, a CSP header,
// and no console error, uncaught exception or CSP violation. Besides: the
// language switch changes <html lang>, Tab first focuses the skip link, and the
// home page is screenshotted (mobile and desktop) into screenshots/.
//
// Environment:
//   PARVIS_URL        base URL of a running server (required)
//   CHROMIUM          browser binary (default /usr/bin/chromium; never downloaded)
//   MAX_PAGES         crawl bound per role and language (default 300)
//   PER_PATTERN       pages checked per URL pattern (default 3)
//   PARVIS_ADMIN_EMAIL, PARVIS_ADMIN_PASSWORD, PARVIS_ADMIN_CODES
//                     the demo admin and its recovery codes, space-separated
//                     (printed by `parvis demo`); without them the signed-in
//                     crawl is skipped

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const BASE = (process.env.PARVIS_URL || '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX_PAGES = Number(process.env.MAX_PAGES || 300);
const NAV_TIMEOUT_MS = 20_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const HERE = dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = join(HERE, 'screenshots');

// The flags the machine needs: no sandbox as root, and nothing that phones home
// (the network is closed; background requests only produce refused connections).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const LANGUAGES = ['fr', 'en'];
// The browser asks for French (Accept-Language), as a resident's usually does:
// the server may honour Accept-Language, and the suite tests the switch itself.
const BROWSER_LOCALE = 'fr-FR';

// Page sets per role. A signed-in role adds `signIn(page)`, which leaves the
// context signed in, and `skip` patterns for links that would end the
// session or change data when followed (sign out, one-click actions).
// `submitEmptyForms`: also send each POST form of <main> empty, once per action,
// and check the page that answers (the error summary); only where an empty
// form cannot change data. A role whose `missing` says why is skipped.
const ROLES = [
  { name: 'visitor', signIn: null, start: ['/'], skip: [], submitEmptyForms: true },
  {
    // `parvis demo` prints the demo admin's one-time password; .ci/run passes it.
    name: 'admin',
    signIn: (page) => signInWithPassword(page, process.env.PARVIS_ADMIN_EMAIL, 'PARVIS_ADMIN_PASSWORD', 'PARVIS_ADMIN_CODES'),
    start: ['/', '/compte'],
    skip: [/^\/deconnexion/],
    submitEmptyForms: false,
    missing: process.env.PARVIS_ADMIN_EMAIL && process.env.PARVIS_ADMIN_PASSWORD
      ? null
      : 'PARVIS_ADMIN_EMAIL and PARVIS_ADMIN_PASSWORD not set',
  },
  // { name: 'resident', signIn: …, start: ['/', '/compte'], skip: [/^\/deconnexion/] },
];

/**
 * Signs in through /connexion with the password in process.env[passwordVar].
 * If the server asks for a verification code, the next of the single-use
 * recovery codes in process.env[codesVar] (space-separated) is used up.
 * If the server then asks for a new password (a one-time password must be
 * changed), a new one is chosen and kept in process.env[passwordVar] for the
 * next session.
 */
async function signInWithPassword(page, email, passwordVar, codesVar) {
  const password = process.env[passwordVar];
  await page.goto(BASE + '/connexion');
  await page.fill('main input[type="email"]', email);
  await page.fill('main input[type="password"]', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main form button[type="submit"]')]);
  if (await page.$('main input[autocomplete="one-time-code"]')) {
    const codes = (process.env[codesVar] || '').split(/\s+/).filter(Boolean);
    assert.ok(codes.length > 0, `${email} needs a verification code: no recovery code left in ${codesVar}`);
    await page.fill('main input[autocomplete="one-time-code"]', codes.shift());
    process.env[codesVar] = codes.join(' ');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main form button[type="submit"]')]);
  }
  const newPassword = await page.$('main input[autocomplete="new-password"]');
  if (newPassword) {
    const chosen = `Essai navigateur ${Date.now().toString(36)} Saint-Exemple`;
    for (const input of await page.$$('main input[type="password"]')) {
      const kind = await input.getAttribute('autocomplete');
      await input.fill(kind === 'current-password' ? password : chosen);
    }
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('main form button[type="submit"]')]);
    process.env[passwordVar] = chosen;
  }
  const signedIn = await page.$('header form[action="/deconnexion"]');
  assert.ok(signedIn, `could not sign in as ${email}: ended on ${page.url()}`);
}

// Pages of one kind (/propositions/12, /propositions/13 …) share a template:
// the crawl checks at most PER_PATTERN of each, where a pattern is the path
// with its numbers replaced and the names of its query parameters.
const PER_PATTERN = Number(process.env.PER_PATTERN || 3);
function pattern(path) {
  const url = new URL(path, 'http://x');
  const keys = [...url.searchParams.keys()].sort().join('&');
  return url.pathname.replace(/\d+/g, 'N') + (keys ? `?${keys}` : '');
}

// Never crawled: embedded assets (not pages) and the health probe.
const ALWAYS_SKIP = [/^\/assets\//, /^\/healthz$/];

if (!BASE) {
  console.error('PARVIS_URL is not set: start a server (e.g. `parvis demo`) and pass its URL.');
  process.exit(2);
}

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close();
});

// ---------------------------------------------------------------------------
// helpers

/**
 * Each role's cookies once signed in. The demo admin's recovery codes are
 * single-use and shared by the files of the suite (see common.mjs's
 * signInAdmin): this file signs in once, with the first code, and each
 * later session of the role starts from that sign-in (the language is a
 * cookie of its own, switched per session below).
 */
const signedIn = new Map();

/** A context for one role and language; French is the server's default. */
async function newSession(role, lang, options = {}) {
  const kept = role.signIn ? signedIn.get(role.name) : undefined;
  const context = await browser.newContext({ locale: BROWSER_LOCALE, ...options, ...(kept ? { storageState: kept } : {}) });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  // Report CSP violations through the console, where `watch` sees them.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  await keepOffline(context);
  const page = await context.newPage();
  if (role.signIn && !kept) {
    await role.signIn(page);
    signedIn.set(role.name, await context.storageState());
  }
  if (lang !== 'fr') {
    await page.goto(BASE + '/');
    await switchLanguage(page, lang);
  }
  return { context, page };
}

// A transparent 1×1 PNG: what a map tile looks like here.
const BLANK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * Nothing leaves 127.0.0.1: map tiles (served by Parvis from the configured
 * tile server, which the suite must not reach) and images from elsewhere get
 * a blank PNG; anything else from elsewhere is refused, and shows up as a
 * console error.
 */
async function keepOffline(context) {
  const origin = new URL(BASE).origin;
  await context.route((url) => url.origin !== origin || url.pathname.startsWith('/tuiles/'), (route) =>
    route.request().resourceType() === 'image'
      ? route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_PNG })
      : route.abort('blockedbyclient'));
}

/** Collects console errors, uncaught exceptions and failed requests of a page. */
function watch(page) {
  // Only the page being checked is watched.
  page.removeAllListeners('console');
  page.removeAllListeners('pageerror');
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    problems.push({ text: `console error: ${msg.text()}${where ? ` (at ${where})` : ''}`, url: where, msg: msg.text() });
  });
  page.on('pageerror', (err) => problems.push({ text: `uncaught exception: ${err.message}` }));
  return problems;
}

/** Submits the language form of the page header to choose `lang`. */
async function switchLanguage(page, lang) {
  const found = await page.evaluate((lang) => {
    // The switch is a POST form in the banner: either a <select> plus a submit
    // button, or one submit button per language.
    const forms = [...document.querySelectorAll('header form, [role="banner"] form')];
    for (const form of forms) {
      const select = [...form.querySelectorAll('select')].find((s) =>
        [...s.options].some((o) => o.value === lang || o.lang === lang));
      if (select) {
        const option = [...select.options].find((o) => o.value === lang || o.lang === lang);
        select.value = option.value;
        form.setAttribute('data-test-switch', '');
        select.setAttribute('data-test-switch-select', '');
        return 'select';
      }
      const button = [...form.querySelectorAll('button, input[type="submit"]')].find((b) =>
        b.value === lang || b.lang === lang || b.getAttribute('hreflang') === lang);
      if (button) {
        button.setAttribute('data-test-switch-button', '');
        return 'button';
      }
      const hidden = form.querySelector(`input[type="hidden"][value="${lang}"]`);
      if (hidden) {
        form.setAttribute('data-test-switch', '');
        return 'hidden';
      }
    }
    return null;
  }, lang);
  assert.ok(found, `no language form offering "${lang}" in the page header`);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    found === 'button'
      ? page.click('[data-test-switch-button]')
      : page.evaluate(() => {
          const form = document.querySelector('[data-test-switch]');
          const submit = form.querySelector('button, input[type="submit"]');
          if (submit) submit.click();
          else form.requestSubmit();
        }),
  ]);
}

/** Same-origin links of the page, without fragment, minus those to skip. */
async function sameOriginLinks(page, skip) {
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const out = new Set();
  for (const href of hrefs) {
    let url;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if (url.origin !== new URL(BASE).origin) continue;
    url.hash = '';
    const path = url.pathname + url.search;
    if ([...ALWAYS_SKIP, ...skip].some((re) => re.test(url.pathname))) continue;
    out.add(path);
  }
  return [...out];
}

/** Fails with one line per problem (no stack trace: the lines say it all). */
function failIfAny(where, problems) {
  if (problems.length === 0) return;
  const err = new Error(`${where}: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}`);
  err.stack = err.message;
  throw err;
}

/** Axe-core violations as readable lines: rule, impact, element. */
async function axeViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const lines = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const why = (node.failureSummary || '').split('\n')[1]?.trim() || '';
      lines.push(`${v.id} [${v.impact}] ${v.help} — target ${node.target.join(' ')} — ${why}`);
    }
  }
  return lines;
}

/** Structure of a page: one h1, lang, skip link to <main>. */
async function structureProblems(page, lang) {
  const facts = await page.evaluate(() => {
    const focusable = [...document.querySelectorAll(
      'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex]:not([tabindex="-1"])',
    )].filter((el) => !el.disabled && el.tabIndex >= 0);
    const first = focusable[0];
    const href = first?.getAttribute('href') || '';
    const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    return {
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      lang: document.documentElement.getAttribute('lang'),
      mains: document.querySelectorAll('main, [role="main"]').length,
      firstFocusable: first ? first.outerHTML.slice(0, 160) : null,
      skipHref: href,
      skipTargetIsMain: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main'),
      title: document.title,
    };
  });
  const problems = [];
  if (facts.h1.length !== 1) problems.push(`expected exactly one <h1>, found ${facts.h1.length}: ${JSON.stringify(facts.h1)}`);
  if (!facts.lang) problems.push('<html> has no lang attribute');
  else if (facts.lang.split('-')[0].toLowerCase() !== lang) problems.push(`<html lang="${facts.lang}">, expected "${lang}"`);
  if (facts.mains !== 1) problems.push(`expected one <main>, found ${facts.mains}`);
  if (!facts.title.trim()) problems.push('empty <title>');
  if (!facts.skipHref.startsWith('#')) problems.push(`first focusable element is not a skip link: ${facts.firstFocusable}`);
  else if (!facts.skipTargetIsMain) problems.push(`skip link ${facts.skipHref} does not target the <main> element`);
  return problems;
}

// ---------------------------------------------------------------------------
// the crawl: every reachable page, per role and language

/**
 * Checks the page the browser shows after `response`: its status, headers,
 * structure, console and axe. `okStatus(status)` says which statuses are right.
 * Returns the list of problems (empty: all good).
 */
async function checkShownPage(page, response, events, lang, okStatus) {
  // Scripts may still be drawing (a map and its attribution): let the page
  // settle, so that axe sees what a person sees.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  const problems = [];
  const status = response.status();
  if (!okStatus(status)) problems.push(`HTTP ${status}`);
  const type = response.headers()['content-type'] || '';
  if (!type.startsWith('text/html')) return problems; // a file (CSV, PDF…): only its status matters
  if (!response.headers()['content-security-policy']) problems.push('no Content-Security-Policy header');
  problems.push(...(await structureProblems(page, lang)));
  for (const e of events) {
    // Chromium logs an error status of the page itself ("the server responded
    // with a status of 404"); that status is checked above.
    if (e.url === response.url() && /responded with a status of/.test(e.msg || '') && okStatus(status)) continue;
    problems.push(e.text);
  }
  problems.push(...(await axeViolations(page)).map((v) => `axe: ${v}`));
  return problems;
}

/** POST forms in <main> (the language switch is in the header), by action. */
async function mainForms(page) {
  return page.$$eval('main form', (forms) =>
    forms
      .filter((f) => (f.getAttribute('method') || 'get').toLowerCase() === 'post')
      // getAttribute: a control named `action` (the answer form's buttons)
      // would shadow the form's `action` property.
      .map((f, i) => ({ action: new URL(f.getAttribute('action') || location.href, location.href).pathname, index: i })));
}

for (const role of ROLES) {
  for (const lang of LANGUAGES) {
    test(`${role.name} · ${lang}: every reachable page`, { skip: role.missing || false }, async (t) => {
      const { context, page } = await newSession(role, lang);
      const queue = [...role.start];
      const seen = new Set(queue);
      const perPattern = new Map();
      const formsSeen = new Set();
      // One URL that cannot exist, for the translated 404 page.
      const notFound = `/page-inexistante-${Date.now().toString(36)}`;
      queue.push(notFound);
      seen.add(notFound);
      let visited = 0;
      try {
        while (queue.length > 0) {
          assert.ok(visited < MAX_PAGES, `more than ${MAX_PAGES} pages reachable: raise MAX_PAGES or fix a link loop`);
          const path = queue.shift();
          visited += 1;
          const forms = [];
          await t.test(path, async () => {
            const events = watch(page);
            let response;
            try {
              response = await page.goto(BASE + path, { waitUntil: 'load' });
            } catch (err) {
              if (!/Download is starting/.test(err.message)) throw err;
              // A download (a data export): it must answer 200 as an attachment.
              const file = await page.request.get(BASE + path);
              const problems = [];
              if (file.status() !== 200) problems.push(`download: HTTP ${file.status()}`);
              if (!/attachment/.test(file.headers()['content-disposition'] || '')) {
                problems.push('download without Content-Disposition: attachment');
              }
              failIfAny(`${lang} ${path}`, problems);
              return;
            }
            assert.ok(response, `no response for ${path}`);
            const expected = path === notFound ? 404 : 200;
            const problems = await checkShownPage(page, response, events, lang, (s) => s === expected);
            for (const link of await sameOriginLinks(page, role.skip)) {
              const kind = pattern(link);
              const count = perPattern.get(kind) || 0;
              if (!seen.has(link) && count < PER_PATTERN) {
                seen.add(link);
                perPattern.set(kind, count + 1);
                queue.push(link);
              }
            }
            for (const form of await mainForms(page)) {
              if (role.submitEmptyForms && !formsSeen.has(form.action)) {
                formsSeen.add(form.action);
                forms.push(form);
              }
            }
            failIfAny(`${lang} ${path}`, problems);
          });
          // A form sent empty: the page with its error summary must pass too.
          for (const form of forms) {
            await t.test(`${path} → POST ${form.action} sent empty`, async () => {
              await page.goto(BASE + path, { waitUntil: 'load' });
              const events = watch(page);
              const [response] = await Promise.all([
                page.waitForNavigation({ waitUntil: 'load' }),
                page.evaluate((index) => {
                  const f = [...document.querySelectorAll('main form')]
                    .filter((x) => (x.getAttribute('method') || 'get').toLowerCase() === 'post')[index];
                  // Skip the browser's own checks: the server's validation is under test.
                  f.noValidate = true;
                  for (const field of f.querySelectorAll('input:not([type=hidden]), textarea')) {
                    if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
                    else field.value = '';
                  }
                  const submit = f.querySelector('button:not([type]), button[type=submit], input[type=submit]');
                  if (submit) submit.click();
                  else f.requestSubmit();
                }, form.index),
              ]);
              assert.ok(response, `no response for POST ${form.action}`);
              // An empty form is refused (re-shown, 200/400/422) or accepted
              // and redirected; never a server error, a missing page or a CSRF refusal.
              const ok = (s) => s < 500 && s !== 404 && s !== 403 && s !== 405;
              const problems = await checkShownPage(page, response, events, lang, ok);
              failIfAny(`${lang} POST ${form.action} (empty, from ${path})`, problems);
            });
          }
        }
      } finally {
        await context.close();
      }
    });
  }
}

// ---------------------------------------------------------------------------
// the language switch, the keyboard, the screenshots

test('language switch changes <html lang> (fr → en → fr)', async () => {
  const context = await browser.newContext({ locale: BROWSER_LOCALE });
  await keepOffline(context);
  try {
    const page = await context.newPage();
    await page.goto(BASE + '/');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr', 'French is the default language');
    await switchLanguage(page, 'en');
    assert.match(await page.getAttribute('html', 'lang'), /^en\b/);
    // The choice sticks on the next page.
    await page.goto(BASE + '/mentions-legales');
    assert.match(await page.getAttribute('html', 'lang'), /^en\b/, 'the language choice is kept across pages');
    await switchLanguage(page, 'fr');
    assert.match(await page.getAttribute('html', 'lang'), /^fr\b/);
  } finally {
    await context.close();
  }
});

test('keyboard: the first Tab focuses the skip link, Enter moves to <main>', async () => {
  const context = await browser.newContext({ locale: BROWSER_LOCALE });
  await keepOffline(context);
  try {
    const page = await context.newPage();
    await page.goto(BASE + '/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const href = el?.getAttribute('href') || '';
      const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
      const box = el?.getBoundingClientRect();
      return {
        tag: el?.tagName,
        href,
        targetIsMain: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main'),
        // A skip link may be hidden until focused, but must be seen once focused.
        visible: !!box && box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0,
        text: el?.textContent.trim(),
      };
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'skip-link-focused.png') });
    assert.equal(focused.tag, 'A', `first Tab focused ${focused.tag}, not a link`);
    assert.ok(focused.targetIsMain, `first Tab focused "${focused.text}" (${focused.href}), not a skip link to <main>`);
    assert.ok(focused.visible, 'the skip link is not visible when focused');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, focused.href);
  } finally {
    await context.close();
  }
});

test('screenshots of the home page (mobile 375px, desktop 1280px)', async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const shots = [
    { name: 'home-fr-mobile', viewport: { width: 375, height: 812 }, lang: 'fr', path: '/' },
    { name: 'home-fr-desktop', viewport: { width: 1280, height: 800 }, lang: 'fr', path: '/' },
    { name: 'home-en-mobile', viewport: { width: 375, height: 812 }, lang: 'en', path: '/' },
    { name: 'not-found-fr-desktop', viewport: { width: 1280, height: 800 }, lang: 'fr', path: '/page-inexistante' },
  ];
  for (const shot of shots) {
    const { context, page } = await newSession(ROLES[0], shot.lang, { viewport: shot.viewport });
    try {
      await page.goto(BASE + shot.path);
      // Nothing may stick out sideways on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.screenshot({ path: join(SCREENSHOTS, `${shot.name}.png`), fullPage: true });
      assert.ok(overflow <= 0, `${shot.name}: page is ${overflow}px wider than the ${shot.viewport.width}px viewport`);
    } finally {
      await context.close();
    }
  }
});

// ---------------------------------------------------------------------------
// flows: a resident signs up, confirms the address with the emailed link
// (read by the demo admin on /admin/courriels: in demo mode no mail leaves
// the machine), enrols in two-factor authentication, posts a proposal,
// supports it, comments on it and finds it with the search — with axe and
// the structure checks on every page shown along the way.

/** RFC 4648 base32 to bytes. */
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a secret at a time in seconds. */
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Checks the page shown now: structure, console, axe. */
async function checkNow(page, events, label) {
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  const problems = [...(await structureProblems(page, 'fr'))];
  // A refused form answers 422 on purpose; Chromium logs the status.
  problems.push(...events.filter((e) => !/responded with a status of 422/.test(e.msg || '')).map((e) => e.text));
  problems.push(...(await axeViolations(page)).map((v) => `axe: ${v}`));
  events.length = 0;
  failIfAny(`${label} (${new URL(page.url()).pathname})`, problems);
}

async function submit(page, selector = 'main form:not([action="/deconnexion"]) button[type="submit"]') {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

test('a resident signs up, confirms, enrols in two-factor, posts, supports, comments and searches', {
  skip: !(process.env.PARVIS_ADMIN_EMAIL && process.env.PARVIS_ADMIN_PASSWORD) && 'the demo admin is needed to read the demo mail',
}, async () => {
  const email = `navigateur.${Date.now().toString(36)}@exemple.test`;
  const password = 'la fontaine du lavoir chante encore en hiver';
  const resident = await newSession({}, 'fr');
  const admin = await newSession(ROLES.find((r) => r.signIn) || {}, 'fr');
  try {
    const page = resident.page;
    const events = watch(page);
    // Sign-up: a form that fails keeps what was typed, then succeeds.
    await page.goto(BASE + '/inscription');
    await checkNow(page, events, 'sign-up form');
    await page.fill('#display_name', 'Navigatrice Essai');
    await page.fill('#email', email);
    await page.fill('#password', 'motdepasse');
    await submit(page);
    assert.equal(await page.inputValue('#email'), email, 'the address typed is kept');
    await checkNow(page, events, 'sign-up form with errors');
    await page.fill('#password', password);
    await submit(page);
    assert.match(page.url(), /\/inscription\/envoye$/);
    await checkNow(page, events, 'sign-up sent');

    // The confirmation link, from the demo outbox.
    await admin.page.goto(BASE + '/admin/courriels');
    const text = await admin.page.evaluate((to) => {
      const row = [...document.querySelectorAll('tbody tr')].find((tr) => tr.textContent.includes(to));
      return row ? row.querySelector('pre')?.textContent || '' : '';
    }, email);
    const link = (text.match(/https?:\/\/\S*\/compte\/confirmer\?jeton=[0-9a-f]+/) || [])[0];
    assert.ok(link, `no confirmation link for ${email} in the demo outbox`);
    await page.goto(BASE + new URL(link).pathname + new URL(link).search);
    await checkNow(page, events, 'confirm address');
    await submit(page);

    // Sign-in, then two-factor enrolment.
    await page.goto(BASE + '/connexion');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await submit(page);
    await page.goto(BASE + '/compte/double-authentification');
    await checkNow(page, events, 'two-factor overview');
    await submit(page, 'main form[action$="/commencer"] button[type="submit"]');
    await checkNow(page, events, 'two-factor set-up (QR code)');
    const secret = base32Decode(await page.textContent('.secret code'));
    await page.fill('#code', totp(secret, Date.now() / 1000));
    await submit(page);
    assert.equal((await page.$$('ul.codes li')).length, 10, 'ten recovery codes are shown');
    await checkNow(page, events, 'recovery codes');

    // A proposal in the first idea box, supported and commented.
    await page.goto(BASE + '/idees');
    const box = await page.getAttribute('main ul.cards a', 'href');
    await page.goto(BASE + box + '/proposer');
    await checkNow(page, events, 'proposal form');
    const title = `Une fontaine à eau près du lavoir ${Date.now().toString(36)}`;
    await page.fill('#title', title);
    await page.fill('#body', 'Pour les promeneurs et les enfants, l’été, près du lavoir du Moulin.');
    await submit(page, 'main form[enctype] button[type="submit"]:not(.similar-check)');
    assert.match(page.url(), /\/propositions\/\d+$/);
    await checkNow(page, events, 'proposal page');
    await submit(page, 'main form[action$="/soutien"] button[type="submit"]');
    assert.ok(await page.$('main form[action$="/soutien"] input[value="non"]'), 'the support is recorded');
    await page.fill('main form[action="/commentaires/nouveau"] textarea', 'Très bonne idée, je soutiens.');
    await submit(page, 'main form[action="/commentaires/nouveau"] button[type="submit"]');
    assert.ok((await page.textContent('main')).includes('Très bonne idée, je soutiens.'), 'the comment is shown');
    await checkNow(page, events, 'proposal page with a comment');

    // The search finds it within a few seconds (the index follows the commits).
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.goto(BASE + '/recherche?q=' + encodeURIComponent('fontaine lavoir'));
      found = (await page.textContent('main')).includes(title);
      if (!found) await page.waitForTimeout(250);
    }
    assert.ok(found, 'the new proposal is found by the search');
    await checkNow(page, events, 'search results');
  } finally {
    await resident.context.close();
    await admin.context.close();
  }
});
