/* Parvis — the map of located proposals (Leaflet, vendored). The same
   places are listed in text under the map: the list is the alternative for
   whoever cannot use the map, and the map reads its points from it. */
(function () {
  'use strict';
  var el = document.getElementById('map');
  if (!el || typeof L === 'undefined') { return; }
  /* Tiles come from this site (/tuiles/…), which fetches and keeps them:
     residents' browsers talk to no other server. Without a base map (none
     configured, or no tile to be had) the page keeps its text list only. */
  var tiles = el.getAttribute('data-tiles');
  if (!tiles) { el.hidden = true; return; }
  var lat = parseFloat(el.getAttribute('data-lat'));
  var lon = parseFloat(el.getAttribute('data-lon'));
  var zoom = parseInt(el.getAttribute('data-zoom'), 10) || 14;
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
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
  var layer = L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute('data-attribution') || '' });
  var loaded = 0;
  var gone = false;
  layer.on('tileload', function () { loaded += 1; });
  layer.on('load', function () {
    if (loaded === 0 && !gone) {
      gone = true;
      setTimeout(function () { map.remove(); el.hidden = true; }, 0);
    }
  });
  layer.addTo(map);
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
