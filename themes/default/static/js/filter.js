// Filters a list in the browser – the projects of /projekte/ and /karte/, the Vorlagen of
// /vorlagen/ – with no server and no framework. Without JavaScript the form stays hidden
// and everything is shown.
//
// The page describes what to filter; the script knows nothing about projects:
//   <form class="filter" data-liste="ID" data-einzahl="Projekt" data-mehrzahl="Projekte"
//         data-mehrzahl-dativ="Projekten" hidden>
//     <select name="jahr" data-filter="jahr"> … (each entry has data-jahr="2025")
//   the entries: [data-jahr] inside #ID; values may be lists separated by spaces
//   (data-stadtteile="buckau sudenburg");
//   groups: [data-gruppe] inside #ID, hidden when none of their entries is shown;
//   map markers: a.marker[data-projekte="slug …"], recounted and hidden with their
//   entries (entries have id="Projekt-slug"); #karte-info tells what a marker stands for.
(function () {
  "use strict";
  var form = document.querySelector("form.filter[data-liste]");
  var list = form && document.getElementById(form.getAttribute("data-liste"));
  if (!list) return;
  var entries = Array.prototype.slice.call(list.querySelectorAll("[data-jahr]"));
  var groups = Array.prototype.slice.call(list.querySelectorAll("[data-gruppe]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = form.querySelector("[role=status]");
  var empty = document.getElementById("filter-leer");
  var markers = Array.prototype.slice.call(document.querySelectorAll("a.marker[data-projekte]"));
  var info = document.getElementById("karte-info");
  var one = form.getAttribute("data-einzahl");
  var many = form.getAttribute("data-mehrzahl");
  var manyDative = form.getAttribute("data-mehrzahl-dativ") || many;
  var visible = {};

  function matches(entry, key, value) {
    return (entry.getAttribute("data-" + key) || "").split(" ").indexOf(value) !== -1;
  }

  // SVG elements have no `hidden` property; the attribute works for both through the CSS.
  function show(el, yes) {
    if (yes) el.removeAttribute("hidden");
    else el.setAttribute("hidden", "");
  }

  function shownOf(marker) {
    return marker.getAttribute("data-projekte").split(" ").filter(function (s) { return visible[s]; });
  }

  function apply(updateUrl) {
    var shown = 0;
    var params = new URLSearchParams();
    selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    visible = {};
    entries.forEach(function (entry) {
      var ok = selects.every(function (s) {
        return !s.value || matches(entry, s.getAttribute("data-filter"), s.value);
      });
      show(entry, ok);
      if (ok) {
        shown += 1;
        visible[entry.id.replace(/^Projekt-/, "")] = true;
      }
    });
    groups.forEach(function (group) {
      show(group, group.querySelector("[data-jahr]:not([hidden])") !== null);
    });
    markers.forEach(function (m) {
      var n = shownOf(m).length;
      show(m, n > 0);
      var count = m.querySelector(".anzahl");
      if (count) count.textContent = String(n);
    });
    var total = entries.length;
    status.textContent = shown === total
      ? (total === 1 ? "1 " + one : total + " " + many)
      : shown + " von " + (total === 1 ? "1 " + one : total + " " + manyDative);
    if (empty) empty.hidden = shown !== 0;
    if (updateUrl && window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
  }

  // What a marker stands for: title, year and amount of each shown project.
  if (info) {
    markers.forEach(function (m) {
      var tell = function () {
        var lines = shownOf(m).map(function (slug) {
          var entry = document.getElementById("Projekt-" + slug);
          if (!entry) return slug;
          var amount = entry.getAttribute("data-summe");
          return entry.querySelector("a").textContent + " (" + entry.getAttribute("data-jahr") +
            (amount ? ", " + amount : "") + ")";
        });
        info.textContent = (lines.length > 1 ? lines.length + " Projekte: " : "") + lines.join("; ");
        info.hidden = false;
      };
      m.addEventListener("focus", tell);
      m.addEventListener("mouseenter", tell);
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
