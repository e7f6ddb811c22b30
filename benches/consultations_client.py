#!/usr/bin/env python3
"""The web client of benches/consultations.sh (standard library only).

  consultations_client.py sign-in URL EMAIL PASSWORD CODE
      signs the demo admin in (password, then a recovery code) and prints
      the session's Cookie header value;
  consultations_client.py answers URL ID COUNT CONNECTIONS
      sends COUNT answers to consultation ID as visitors, each from its own
      address (X-Forwarded-For: the server trusts 127.0.0.1 as a proxy in
      the benchmark, so the per-address guard lets them through), over
      CONNECTIONS kept-alive connections, and prints what it measured. An
      answer counts once the server answered "303 See Other": the write
      transaction holding it has committed, so the answer is durable.
"""

import http.client
import re
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser


class Form(HTMLParser):
    """The inputs of the page's first form inside <main>."""

    def __init__(self):
        super().__init__()
        self.in_main = self.in_form = self.done = False
        self.action, self.inputs = None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "form" and self.in_main and not self.done:
            self.in_form, self.action = True, a.get("action")
        elif tag == "input" and self.in_form and a.get("name"):
            self.inputs.append(a)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True


class Client:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            h["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=h)
        r = self.conn.getresponse()
        data = r.read().decode("utf-8", "replace")
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = v.strip()
        return r.status, r.getheader("Location"), data

    def submit(self, path, fill):
        """GETs `path`, fills its form's inputs with `fill(input)` (None keeps the value), POSTs it."""
        status, _, page = self.request("GET", path)
        assert status == 200, f"GET {path}: {status}"
        form = Form()
        form.feed(page)
        fields = []
        for i in form.inputs:
            value = fill(i)
            fields.append((i["name"], i.get("value", "") if value is None else value))
        return self.request("POST", form.action or path, urllib.parse.urlencode(fields))


def sign_in(url, email, password, code):
    c = Client(url)
    by_type = {"email": email, "password": password}
    status, location, _ = c.submit("/connexion", lambda i: by_type.get(i.get("type")))
    assert status == 303, f"sign-in: {status}"
    if location and "/connexion/code" in location:
        status, _, _ = c.submit("/connexion/code", lambda i: code if i.get("autocomplete") == "one-time-code" else None)
        assert status == 303, f"recovery code: {status}"
    print("; ".join(f"{k}={v}" for k, v in c.cookies.items()))


def answers(url, consultation, count, connections):
    first = Client(url)
    status, _, page = first.request("GET", f"/consultations/{consultation}/repondre")
    assert status == 200, f"the questionnaire: {status}"
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    pages = int(re.search(r"sur (\d+)", page).group(1)) if re.search(r"sur (\d+)", page) else 1
    cookie = "; ".join(f"{k}={v}" for k, v in first.cookies.items())
    # The demo's open consultation: questions 1 and 3 are required; the
    # benchmark's extra scales (5 and on) get an answer too.
    body = urllib.parse.urlencode(
        [("_csrf", token), ("page", str(pages)), ("action", "envoyer"), ("q1", "1"), ("q2", "2"), ("q3", "4")]
        + [(f"q{q}", str(q % 11)) for q in range(5, 35)]
    )
    lock, next_n, statuses, latencies = threading.Lock(), [0], {}, []

    def worker():
        c = Client(url)
        while True:
            with lock:
                n = next_n[0]
                if n >= count:
                    return
                next_n[0] += 1
            ip = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
            t = time.perf_counter()
            c.conn.request(
                "POST",
                f"/consultations/{consultation}/repondre",
                body=body,
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip},
            )
            r = c.conn.getresponse()
            r.read()
            took = time.perf_counter() - t
            with lock:
                statuses[r.status] = statuses.get(r.status, 0) + 1
                latencies.append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000
    ok = statuses.get(303, 0)
    print(
        f"web answers             {ok} durable in {elapsed:.1f} s = {ok / elapsed:.0f} answers/s over {connections} connections"
        f"  p50 {p(0.5):.1f} ms  p99 {p(0.99):.1f} ms  statuses {statuses}"
    )


if __name__ == "__main__":
    if sys.argv[1] == "sign-in":
        sign_in(*sys.argv[2:6])
    elif sys.argv[1] == "answers":
        answers(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit(__doc__)
