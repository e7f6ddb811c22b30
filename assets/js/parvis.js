/* Parvis — small enhancements; every page works without this file.
   1. A failed form moves focus to its error summary (GOV.UK pattern).
   2. Signed in: a warning two minutes before the session ends, with a button
      that extends it without leaving the page (RGAA 4.1, criterion 13.1:
      a time limit can be extended).
   3. A button that copies a page's address, next to its share links. */
(function () {
  'use strict';

  var summary = document.querySelector('[data-autofocus]');
  if (summary) { summary.focus(); }

  // 3. The share links' address to copy gets a button that copies it (the
  //    field stays, selectable, where the clipboard is not available).
  var shared = document.getElementById('share-url');
  if (shared && navigator.clipboard) {
    var copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'link-button link-button-dark';
    copy.textContent = shared.getAttribute('data-copy-label');
    var said = document.createElement('span');
    said.setAttribute('role', 'status');
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(shared.value).then(function () {
        said.textContent = ' ' + shared.getAttribute('data-copied-label');
      });
    });
    shared.insertAdjacentElement('afterend', said);
    shared.insertAdjacentElement('afterend', copy);
    shared.insertAdjacentText('afterend', ' ');
  }

  var body = document.body;
  var idle = parseInt(body.getAttribute('data-session-idle') || '0', 10);
  var dialog = document.getElementById('session-warning');
  if (!idle || !dialog) { return; }
  var form = dialog.querySelector('form');
  var warning = dialog.querySelector('.session-warning-text');
  var expiredText = dialog.querySelector('.session-expired-text');
  var WARN_BEFORE = 120;
  var warnTimer, expireTimer;

  function schedule(seconds) {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(show, Math.max(seconds - WARN_BEFORE, 1) * 1000);
    expireTimer = setTimeout(expired, seconds * 1000);
  }
  function show() {
    dialog.hidden = false;
    var button = dialog.querySelector('button');
    if (button) { button.focus(); }
  }
  function expired() {
    warning.hidden = true;
    form.hidden = true;
    expiredText.hidden = false;
    dialog.hidden = false;
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'x-parvis-fetch': '1' },
      credentials: 'same-origin'
    }).then(function (response) {
      if (response.ok) { dialog.hidden = true; schedule(idle); } else { expired(); }
    }).catch(function () { /* offline: the warning stays, the person can retry */ });
  });
  schedule(idle);
}());

/* Similar proposals while a title is typed (the form also has a button that
   asks the server without this script). */
(function () {
  'use strict';
  var box = document.getElementById('similar');
  var title = document.getElementById('title');
  if (!box || !title) { return; }
  var url = box.getAttribute('data-similar-url');
  var timer;
  title.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = title.value.trim();
      if (text.length < 4) { box.innerHTML = ''; return; }
      fetch(url + '?titre=' + encodeURIComponent(text), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : ''; })
        .then(function (html) { box.innerHTML = html; })
        .catch(function () {});
    }, 350);
  });
}());

/* 3. « Cette page vous a-t-elle été utile ? » is sent in place: the answer
   goes by fetch (the server answers 204 to it) and the form gives way to
   the thank-you, announced as a status. Any other answer (no choice made,
   a comment too long, too many answers) sends the form the plain way,
   whose page says what to do. */
(function () {
  'use strict';
  var form = document.getElementById('page-feedback');
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) { return; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var plain = function () { form.submit(); };
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { 'X-Parvis-Inline': '1' }
    }).then(function (r) {
      if (r.status !== 204) { plain(); return; }
      var thanks = document.createElement('p');
      thanks.className = 'flash flash-success page-feedback-thanks';
      thanks.setAttribute('role', 'status');
      thanks.textContent = form.getAttribute('data-thanks');
      var section = form.parentNode;
      section.parentNode.replaceChild(thanks, section);
    }, plain);
  });
})();
