// Live reload and error overlay of `quartier serve`. Only the preview server adds this
// script to pages; `quartier build` never writes it.
(function () {
  "use strict";
  var skript = document.currentScript;
  var stand = Number((skript && skript.dataset.stand) || 0);
  var schluessel = "quartier-vorschau-scroll:" + location.pathname;

  // After a reload caused by a change, go back to where the reader was.
  var gemerkt = sessionStorage.getItem(schluessel);
  if (gemerkt !== null) {
    sessionStorage.removeItem(schluessel);
    window.addEventListener("load", function () {
      window.scrollTo(0, Number(gemerkt));
    });
  }

  var stil = document.createElement("link");
  stil.rel = "stylesheet";
  stil.href = "/__quartier/vorschau.css";
  document.head.appendChild(stil);

  var overlay = null;

  function zeigeFehler(fehler) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.className = "quartier-vorschau";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "quartier-vorschau-titel");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var titel = document.createElement("h2");
    titel.id = "quartier-vorschau-titel";
    titel.textContent = stand
      ? "Die Inhalte haben Fehler – angezeigt wird der letzte fehlerfreie Stand"
      : "Die Inhalte haben Fehler – die Vorschau zeigt die Seiten, sobald sie behoben sind";
    overlay.appendChild(titel);
    fehler.forEach(function (text) {
      var pre = document.createElement("pre");
      pre.textContent = text;
      overlay.appendChild(pre);
    });
    var hinweis = document.createElement("p");
    hinweis.textContent = "Nach dem Speichern der korrigierten Datei verschwindet dieser Hinweis von selbst.";
    overlay.appendChild(hinweis);
    var knopf = document.createElement("button");
    knopf.type = "button";
    knopf.textContent = "Hinweis ausblenden";
    knopf.addEventListener("click", function () {
      overlay.hidden = true;
    });
    overlay.appendChild(knopf);
    overlay.hidden = false;
  }

  function verbergeFehler() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var quelle = new EventSource("/__quartier/ereignisse");
  quelle.addEventListener("stand", function (e) {
    var m = JSON.parse(e.data);
    if (m.stand !== 0 && m.stand !== stand) {
      sessionStorage.setItem(schluessel, String(window.scrollY));
      quelle.close();
      location.reload();
      return;
    }
    if (m.fehler.length) {
      zeigeFehler(m.fehler);
    } else {
      verbergeFehler();
    }
  });
})();
