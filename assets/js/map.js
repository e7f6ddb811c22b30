/* Parvis — the map of located proposals (Leaflet, vendored). The same
   places are listed in text under the map: the list is the alternative for
   whoever cannot use the map, and the map reads its points from it. */
(function () {
  'use strict';
  var el = document.getElementById('map');
  if (!el || typeof L === 'undefined') { return; }
  var lat = parseFloat(el.getAttribute('data-lat'));
  var lon = parseFloat(el.getAttribute('data-lon'));
  var zoom = parseInt(el.getAttribute('data-zoom'), 10) || 14;
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
  var tiles = el.getAttribute('data-tiles');
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute('data-attribution') || '' }).addTo(map);
  }
  var points = document.querySelectorAll('[data-point-lat]');
  var bounds = [];
  points.forEach(function (item) {
    var p = [parseFloat(item.getAttribute('data-point-lat')), parseFloat(item.getAttribute('data-point-lon'))];
    var link = item.querySelector('a');
    var marker = L.marker(p, { title: link ? link.textContent : '', alt: link ? link.textContent : '' }).addTo(map);
    if (link) {
      var a = document.createElement('a');
      a.href = link.getAttribute('href');
      a.textContent = link.textContent;
      marker.bindPopup(a);
    }
    bounds.push(p);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 }); }
}());
