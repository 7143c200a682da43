// Filters the projects of /projekte/ and /karte/ in the browser: no server, no
// framework. Without JavaScript the form stays hidden and every project is shown.
(function () {
  "use strict";
  var form = document.getElementById("projektfilter");
  var list = document.getElementById("projektliste");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("li[data-jahr]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.getElementById("filter-ergebnis");
  var empty = document.getElementById("filter-leer");
  var markers = Array.prototype.slice.call(document.querySelectorAll("a.marker[data-projekte]"));
  var info = document.getElementById("karte-info");
  var visible = {};

  function matches(card, key, value) {
    var data = card.getAttribute("data-" + key) || "";
    if (key === "stadtteile" || key === "ziele") {
      return data.split(" ").indexOf(value) !== -1;
    }
    return data === value;
  }

  function slugOf(card) {
    return card.id.replace(/^Projekt-/, "");
  }

  // A marker shows how many of its projects pass the filter, or disappears.
  function updateMarkers() {
    markers.forEach(function (m) {
      var shown = m.getAttribute("data-projekte").split(" ").filter(function (s) { return visible[s]; });
      // SVG elements have no `hidden` property; the attribute works through the CSS.
      if (shown.length === 0) m.setAttribute("hidden", "");
      else m.removeAttribute("hidden");
      var count = m.querySelector(".anzahl");
      if (count) count.textContent = String(shown.length);
    });
  }

  function apply(updateUrl) {
    var shown = 0;
    var params = new URLSearchParams();
    selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    visible = {};
    cards.forEach(function (card) {
      var ok = selects.every(function (s) {
        return !s.value || matches(card, s.getAttribute("data-filter"), s.value);
      });
      card.hidden = !ok;
      if (ok) {
        shown += 1;
        visible[slugOf(card)] = true;
      }
    });
    status.textContent = shown === cards.length
      ? cards.length + " Projekte"
      : shown + " von " + cards.length + " Projekten";
    empty.hidden = shown !== 0;
    updateMarkers();
    if (updateUrl && window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
  }

  // What a marker stands for: title, year and amount of each shown project.
  function describe(marker) {
    return marker.getAttribute("data-projekte").split(" ").filter(function (s) { return visible[s]; }).map(function (slug) {
      var card = document.getElementById("Projekt-" + slug);
      if (!card) return slug;
      var title = card.querySelector("a").textContent;
      var amount = card.getAttribute("data-summe");
      return title + " (" + card.getAttribute("data-jahr") + (amount ? ", " + amount : "") + ")";
    });
  }

  if (info) {
    markers.forEach(function (m) {
      var show = function () {
        var lines = describe(m);
        info.textContent = (lines.length > 1 ? lines.length + " Projekte: " : "") + lines.join("; ");
        info.hidden = false;
      };
      m.addEventListener("focus", show);
      m.addEventListener("mouseenter", show);
    });
  }

  // Filters can be shared as links: /projekte/?stadtteil=sudenburg&jahr=2025
  var initial = new URLSearchParams(window.location.search);
  selects.forEach(function (s) {
    var v = initial.get(s.name);
    if (v && s.querySelector('option[value="' + v.replace(/"/g, "") + '"]')) s.value = v;
    s.addEventListener("change", function () { apply(true); });
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply(false);
})();
