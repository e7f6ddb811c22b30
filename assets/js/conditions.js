/* Parvis — questions shown only if an earlier choice on the same page says
   so: hidden while it does not, shown as soon as it does. Without this file
   they all show, with a hint, and the server ignores what does not apply.
   A hidden question keeps what was typed in it (it is still sent, and the
   server drops it only if the choice still says no). */
(function () {
  'use strict';

  var groups = document.querySelectorAll('[data-show-if]');
  if (!groups.length) { return; }

  function chosen(form, name) {
    var values = [];
    var fields = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      var group = f.closest('[data-show-if]');
      // A choice itself hidden chooses nothing (a chain of conditions).
      if (group && group.hidden) { continue; }
      if (f.type === 'radio' || f.type === 'checkbox') {
        if (f.checked) { values.push(f.value); }
      } else if (f.type !== 'hidden' && f.value !== '') {
        values.push(f.value);
      }
    }
    return values;
  }

  function update() {
    // In the page's order: a condition names an earlier question.
    for (var i = 0; i < groups.length; i++) {
      var g = groups[i];
      var wanted = (g.getAttribute('data-show-if-values') || '').split(' ');
      var have = chosen(g.form || g.closest('form'), g.getAttribute('data-show-if'));
      var show = have.some(function (v) { return wanted.indexOf(v) !== -1; });
      g.hidden = !show;
      var hint = g.querySelector('.condition-hint');
      // The script does what the hint asks: no need to read it.
      if (hint) { hint.hidden = true; }
    }
  }

  update();
  document.addEventListener('change', update);
}());
