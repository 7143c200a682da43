// Filters the list of projects in the browser: no server, no framework.
// Without JavaScript the form stays hidden and every project is shown.
(function () {
  "use strict";
  var form = document.getElementById("projektfilter");
  var list = document.getElementById("projektliste");
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll("li.karte"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var status = document.getElementById("filter-ergebnis");
  var empty = document.getElementById("filter-leer");

  function matches(card, key, value) {
    var data = card.getAttribute("data-" + key) || "";
    if (key === "stadtteile" || key === "ziele") {
      return data.split(" ").indexOf(value) !== -1;
    }
    return data === value;
  }

  function apply(updateUrl) {
    var shown = 0;
    var params = new URLSearchParams();
    selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value);
    });
    cards.forEach(function (card) {
      var ok = selects.every(function (s) {
        return !s.value || matches(card, s.getAttribute("data-filter"), s.value);
      });
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    status.textContent = shown === cards.length
      ? cards.length + " Projekte"
      : shown + " von " + cards.length + " Projekten";
    empty.hidden = shown !== 0;
    if (updateUrl && window.history && window.history.replaceState) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
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
