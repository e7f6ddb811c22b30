/* Parvis — the running total of a participatory budget's ballot, updated as
   boxes are ticked. Without this file the « Recalculer » button sends the
   ballot and the server shows the same totals; the server checks the
   ballot again when it is cast, whatever this script shows. */
(function () {
  'use strict';

  var form = document.querySelector('form.budget-ballot');
  if (!form) { return; }
  var lang = document.documentElement.lang || 'fr';

  function euros(cents) {
    var whole = cents % 100 === 0;
    return new Intl.NumberFormat(lang, {
      style: 'currency', currency: 'EUR',
      minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2
    }).format(cents / 100);
  }

  function update() {
    var totals = form.querySelectorAll('.budget-total[data-pot]');
    for (var i = 0; i < totals.length; i++) {
      var t = totals[i];
      var pot = t.getAttribute('data-pot');
      var boxes = form.querySelectorAll('input[type="checkbox"][data-pot="' + pot + '"]');
      var spent = 0;
      var count = 0;
      for (var j = 0; j < boxes.length; j++) {
        if (boxes[j].checked) {
          spent += Number(boxes[j].getAttribute('data-cost')) || 0;
          count += 1;
        }
      }
      var over;
      if (t.getAttribute('data-style') === 'basket') {
        var amount = Number(t.getAttribute('data-amount')) || 0;
        t.querySelector('[data-spent]').textContent = euros(spent);
        t.querySelector('[data-left]').textContent = euros(Math.max(0, amount - spent));
        over = spent > amount;
      } else {
        t.querySelector('[data-count]').textContent = String(count);
        over = count > (Number(t.getAttribute('data-max')) || 0);
      }
      var warning = form.querySelector('[data-over="' + pot + '"]');
      if (warning) { warning.hidden = !over; }
    }
  }

  form.addEventListener('change', update);
  update();
}());
