// The optional interactive map of /karte/ (only in portals that set karte.kacheln).
// Nothing is loaded from the tile server until the visitor presses the button: the
// page says which host will receive their address.
(function () {
  "use strict";
  var box = document.getElementById("kacheln");
  if (!box) return;
  var button = document.getElementById("kacheln-laden");
  var target = document.getElementById("kacheln-karte");
  box.hidden = false;

  function load(src, tag) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      if (tag === "script") {
        el.src = src;
      } else {
        el.rel = "stylesheet";
        el.href = src;
      }
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function alsText(s) {
    var el = document.createElement("span");
    el.textContent = s;
    return el.innerHTML;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    Promise.all([
      load(box.getAttribute("data-leaflet-css"), "link"),
      load(box.getAttribute("data-leaflet-js"), "script"),
      fetch(box.getAttribute("data-daten")).then(function (r) { return r.json(); })
    ]).then(function (results) {
      var daten = results[2];
      target.hidden = false;
      button.hidden = true;
      var map = window.L.map(target);
      window.L.tileLayer(box.getAttribute("data-kacheln"), {
        // Leaflet writes the attribution as HTML: the editor's text goes in as text.
        attribution: alsText(box.getAttribute("data-hinweis") || ""),
        maxZoom: 19
      }).addTo(map);
      var layer = window.L.geoJSON(daten, {
        pointToLayer: function (feature, latlng) {
          return window.L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: "#b5122d", fillOpacity: 1 });
        },
        onEachFeature: function (feature, marker) {
          var p = feature.properties;
          var a = document.createElement("a");
          a.href = p.url;
          a.textContent = p.titel;
          var text = document.createElement("div");
          text.appendChild(a);
          text.appendChild(document.createTextNode(" (" + p.jahr + (p.foerdersumme_text ? ", " + p.foerdersumme_text : "") + ")"));
          marker.bindPopup(text);
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [20, 20] });
    }).catch(function () {
      button.disabled = false;
      target.hidden = false;
      target.textContent = "Die interaktive Karte konnte nicht geladen werden.";
    });
  });
})();
