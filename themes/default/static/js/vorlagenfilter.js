// Filters the Vorlagen of /vorlagen/ by year, kind and Stadtteil in the browser: no
// server, no framework. Without JavaScript the form stays hidden and every Vorlage is
// shown. A year whose Vorlagen are all filtered out disappears with its heading.
(function () {
  "use strict";
  var form = document.getElementById("vorlagenfilter");
  var list = document.getElementById("vorlagenliste");
  if (!form || !list) return;
  var rows = Array.prototype.slice.call(list.querySelectorAll("[data-jahr]"));
  var groups = Array.prototype.slice.call(list.querySelectorAll("[data-jahrgang]"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.getElementById("filter-ergebnis");
  var empty = document.getElementById("filter-leer");

  function matches(row, key, value) {
    var data = row.getAttribute("data-" + key) || "";
    if (key === "stadtteile") return data.split(" ").indexOf(value) !== -1;
    return data === value;
  }

  function count(n) {
    return n === 1 ? "1 Vorlage" : n + " Vorlagen";
  }

  function apply(updateUrl) {
    var shown = 0;
    var params = new URLSearchParams();
    selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        return !s.value || matches(row, s.getAttribute("data-filter"), s.value);
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-jahr]:not([hidden])");
    });
    status.textContent = shown === rows.length
      ? count(rows.length)
      : shown + " von " + count(rows.length);
    if (empty) empty.hidden = shown !== 0;
    if (updateUrl && window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
  }

  // Filters can be shared as links: /vorlagen/?art=information&jahr=2009
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
