/* Parvis — the location picker of a form: enhances
     <fieldset data-location-picker data-lat data-lon data-zoom>
       … <input id="address" name="address"> <input type="hidden" name="lat"> <input type="hidden" name="lon">
   with three ways to give a place, none of them the only one (RGAA):
   1. address suggestions while typing (ARIA 1.2 combobox with a listbox;
      up/down, Enter, Escape; a live region says how many);
   2. a map (Leaflet, tiles from this site) where a click, a tap or the
      dragged pin sets lat/lon and fills in the nearest known address;
   3. a "use my position" button, when the browser can tell.
   Without this script the address field works alone: the server finds the
   place from it. The texts come translated from the page (data-* on the
   element [data-location-texts]); the addresses from this site only.
   A form whose fields have other names (a consultation's place question,
   `q<id>`, `q<id>-lat`, `q<id>-lon`) marks them data-location-address,
   data-location-lat and data-location-lon. */
(function () {
  'use strict';
  var fieldset = document.querySelector('[data-location-picker]');
  var texts = document.querySelector('[data-location-texts]');
  if (!fieldset || !texts || !window.fetch) { return; }
  var address = fieldset.querySelector('[data-location-address]') || fieldset.querySelector('#address');
  var latInput = fieldset.querySelector('input[data-location-lat]') || fieldset.querySelector('input[name="lat"]');
  var lonInput = fieldset.querySelector('input[data-location-lon]') || fieldset.querySelector('input[name="lon"]');
  if (!address || !latInput || !lonInput) { return; }

  function text(name) { return texts.getAttribute('data-' + name) || ''; }
  function setting(name) { return fieldset.getAttribute('data-' + name) || texts.getAttribute('data-' + name) || ''; }
  var suggestUrl = setting('suggestions-url') || '/adresses/suggestions';
  var nearestUrl = setting('nearest-url') || '/adresses/plus-proche';

  /* One polite live region says what changed out of sight: how many
     suggestions, where the pin went. */
  var status = document.createElement('div');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  fieldset.appendChild(status);
  var statusTimer;
  function announce(message) {
    clearTimeout(statusTimer);
    // Emptied first, then set: the same message twice is still read.
    status.textContent = '';
    statusTimer = setTimeout(function () { status.textContent = message; }, 100);
  }

  /* Whether the address field holds what the script put there (a suggestion
     chosen, the nearest address to the pin), rather than what was typed. */
  var filledByScript = false;
  function round(n) { return (Math.round(n * 1e6) / 1e6).toString(); }

  /* ---------- The place: hidden fields and the pin ---------- */
  var map = null;
  var marker = null;
  function setPlace(lat, lon, recenter) {
    latInput.value = round(lat);
    lonInput.value = round(lon);
    if (!map) { return; }
    if (marker) {
      marker.setLatLng([lat, lon]);
    } else {
      marker = L.marker([lat, lon], { draggable: true, title: text('marker'), alt: text('marker'), keyboard: false });
      marker.on('dragend', function () {
        var p = marker.getLatLng();
        placedOnMap(p.lat, p.lng);
      });
      marker.addTo(map);
    }
    if (recenter) { map.setView([lat, lon], Math.max(map.getZoom(), 17)); }
  }
  function clearPlace() {
    latInput.value = '';
    lonInput.value = '';
    if (marker && map) { map.removeLayer(marker); marker = null; }
  }

  /* The nearest known address to a place set on the map or by the device. */
  var nearestRequest = null;
  function fillNearest(lat, lon) {
    if (nearestRequest) { nearestRequest.abort(); }
    nearestRequest = window.AbortController ? new AbortController() : null;
    var url = nearestUrl + '?lat=' + encodeURIComponent(round(lat)) + '&lon=' + encodeURIComponent(round(lon));
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' }, signal: nearestRequest && nearestRequest.signal })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) {
        if (found && found.label) {
          address.value = found.label;
          filledByScript = true;
          announce(text('placed').replace('{address}', found.label));
        } else {
          // The pin stays; an address that named another place goes.
          if (filledByScript) { address.value = ''; filledByScript = false; }
          announce(text('placed-no-address'));
        }
      })
      .catch(function (e) { if (!e || e.name !== 'AbortError') { announce(text('placed-no-address')); } });
  }
  function placedOnMap(lat, lon) {
    closeList();
    setPlace(lat, lon, false);
    fillNearest(lat, lon);
  }

  /* ---------- 1. Address suggestions: the combobox ---------- */
  var listId = address.id + '-suggestions';
  var list = document.createElement('ul');
  list.id = listId;
  list.className = 'location-suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', text('suggestions-label'));
  list.hidden = true;
  address.parentNode.insertBefore(list, address.nextSibling);
  address.setAttribute('role', 'combobox');
  address.setAttribute('aria-autocomplete', 'list');
  address.setAttribute('aria-expanded', 'false');
  address.setAttribute('aria-controls', listId);
  address.setAttribute('autocomplete', 'off');

  var options = [];
  var active = -1;
  var suggestTimer;
  var suggestRequest = null;
  var lastQuery = '';

  function closeList() {
    list.hidden = true;
    address.setAttribute('aria-expanded', 'false');
    address.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function openList() {
    if (!options.length) { return; }
    list.hidden = false;
    address.setAttribute('aria-expanded', 'true');
  }
  function highlight(index) {
    var items = list.children;
    for (var i = 0; i < items.length; i++) { items[i].setAttribute('aria-selected', i === index ? 'true' : 'false'); }
    active = index;
    if (index >= 0 && items[index]) {
      address.setAttribute('aria-activedescendant', items[index].id);
      if (items[index].scrollIntoView) { items[index].scrollIntoView({ block: 'nearest' }); }
    } else {
      address.removeAttribute('aria-activedescendant');
    }
  }
  function choose(index) {
    var chosen = options[index];
    if (!chosen) { return; }
    address.value = chosen.label;
    filledByScript = true;
    lastQuery = chosen.label;
    closeList();
    setPlace(chosen.lat, chosen.lon, true);
    announce(text('placed').replace('{address}', chosen.label));
  }
  function show(found) {
    options = found;
    list.textContent = '';
    found.forEach(function (option, i) {
      var item = document.createElement('li');
      item.id = listId + '-' + i;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
      item.textContent = option.label;
      // mousedown, not click: the field keeps the focus.
      item.addEventListener('mousedown', function (event) { event.preventDefault(); choose(i); });
      list.appendChild(item);
    });
    active = -1;
    if (found.length) { openList(); } else { closeList(); }
    var n = found.length;
    announce(n === 0 ? text('results-none') : (n === 1 ? text('results-one') : text('results-many').replace('{n}', n)));
  }
  function suggest() {
    var q = address.value.trim();
    if (q === lastQuery) { return; }
    lastQuery = q;
    if (suggestRequest) { suggestRequest.abort(); suggestRequest = null; }
    if (q.length < 3) { options = []; list.textContent = ''; closeList(); return; }
    suggestRequest = window.AbortController ? new AbortController() : null;
    fetch(suggestUrl + '?q=' + encodeURIComponent(q), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      signal: suggestRequest && suggestRequest.signal
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        // An answer to an older query than what the field holds now is dropped.
        if (address.value.trim() !== q) { return; }
        show(Array.isArray(found) ? found.filter(function (o) {
          return o && typeof o.label === 'string' && isFinite(o.lat) && isFinite(o.lon);
        }).slice(0, 10) : []);
      })
      .catch(function () { /* aborted, or offline: the field works as typed */ });
  }

  address.addEventListener('input', function () {
    // What is typed now is the place: a pin set before no longer matches it.
    if (latInput.value || lonInput.value) { clearPlace(); }
    filledByScript = false;
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(suggest, 250);
  });
  address.addEventListener('keydown', function (event) {
    var open = !list.hidden;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) { openList(); if (options.length) { highlight(0); } return; }
        highlight(active + 1 >= options.length ? 0 : active + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) { openList(); if (options.length) { highlight(options.length - 1); } return; }
        highlight(active <= 0 ? options.length - 1 : active - 1);
        break;
      case 'Enter':
        // Enter chooses the highlighted address; otherwise the form is sent.
        if (open && active >= 0) { event.preventDefault(); choose(active); }
        break;
      case 'Escape':
        if (open) { event.preventDefault(); closeList(); }
        break;
      default:
        break;
    }
  });
  address.addEventListener('blur', function () { closeList(); });

  /* ---------- 3. "Use my position" ---------- */
  if (navigator.geolocation) {
    var locate = document.createElement('button');
    locate.type = 'button';
    locate.className = 'button button-secondary location-locate';
    locate.textContent = text('locate');
    list.parentNode.insertBefore(locate, list.nextSibling);
    locate.addEventListener('click', function () {
      locate.disabled = true;
      announce(text('locating'));
      navigator.geolocation.getCurrentPosition(function (position) {
        locate.disabled = false;
        var lat = position.coords.latitude;
        var lon = position.coords.longitude;
        closeList();
        setPlace(lat, lon, true);
        fillNearest(lat, lon);
      }, function () {
        locate.disabled = false;
        announce(text('locate-failed'));
      }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  /* ---------- 2. The map ---------- */
  var tiles = setting('tiles');
  if (typeof L === 'undefined' || !tiles) { return; }
  var icons = document.querySelector('script[data-leaflet-icon]');
  if (icons) {
    // Icons named by their hashed address: no guess from the stylesheet's path.
    L.Icon.Default.imagePath = '';
    L.Icon.Default.mergeOptions({
      iconUrl: icons.getAttribute('data-leaflet-icon'),
      iconRetinaUrl: icons.getAttribute('data-leaflet-icon-2x'),
      shadowUrl: icons.getAttribute('data-leaflet-shadow')
    });
  }
  var hint = document.createElement('p');
  hint.className = 'hint location-map-hint';
  hint.textContent = text('map-hint');
  var box = document.createElement('div');
  box.className = 'map location-map';
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', text('map-label'));
  fieldset.insertBefore(box, status);
  fieldset.insertBefore(hint, box);

  var lat = parseFloat(latInput.value);
  var lon = parseFloat(lonInput.value);
  var placed = isFinite(lat) && isFinite(lon);
  var centre = placed ? [lat, lon] : [parseFloat(setting('lat')), parseFloat(setting('lon'))];
  if (!isFinite(centre[0]) || !isFinite(centre[1])) { box.remove(); hint.remove(); return; }
  var zoom = placed ? 17 : (parseInt(setting('zoom'), 10) || 14);
  map = L.map(box, { scrollWheelZoom: false }).setView(centre, zoom);
  var layer = L.tileLayer(tiles, { maxZoom: 19, attribution: setting('attribution') });
  var loaded = 0;
  layer.on('tileload', function () { loaded += 1; });
  layer.on('load', function () {
    // No tile at all (no network, the tile server down): a grey square is
    // no help; the address field and the button remain.
    if (loaded === 0 && map) {
      var gone = map;
      map = null;
      marker = null;
      setTimeout(function () { gone.remove(); box.remove(); hint.remove(); }, 0);
    }
  });
  layer.addTo(map);
  map.on('click', function (event) { placedOnMap(event.latlng.lat, event.latlng.lng); });
  if (placed) { setPlace(lat, lon, false); }
}());
