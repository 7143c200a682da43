// Full-text search on /suche/ (no framework, no other host). Reads the static index that
// quartier writes to suche/index/ (see src/render/suche.rs): meta.json, then only the
// shards of postings the words of a query fall into, then the display data of the
// results shown. Words are folded as in the index: lower case, ä → ae (the index also
// has ä → a), ß → ss, accents dropped; every word also matches as a prefix, and a word
// with a German ending also matches without it (Buckauer → Buckau).
(function () {
  'use strict';

  var form = document.getElementById('suche');
  if (!form || !window.fetch || !window.URLSearchParams) return;

  var input = document.getElementById('suche-begriff');
  var status = document.getElementById('suche-status');
  var liste = document.getElementById('suche-liste');
  var mehr = document.getElementById('suche-mehr');
  var filter = document.getElementById('suche-filter');
  var ohneJs = document.getElementById('suche-ohne-js');
  var felder = {
    art: document.getElementById('suche-art'),
    stadtteil: document.getElementById('suche-stadtteil'),
    jahr: document.getElementById('suche-jahr'),
  };
  var indexUrl = form.getAttribute('data-index');
  var basis = form.getAttribute('data-basis');

  var SEITE = 10; // results shown at a time
  var MAX_SHARDS = 3; // shards loaded for the prefixes of one word
  // Weight of a posting by its class (0: filter key, 7: exact title or number).
  var GEWICHT = [0, 1, 1.5, 3, 3, 6, 6, 6];
  var EXAKT = 100;
  var ENDUNGEN = ['ern', 'em', 'en', 'er', 'es', 'e', 'n', 's'];

  var meta = null;
  var shards = {}; // number → Promise of { key: [postings] }
  var anzeige = {}; // chunk number → Promise of [display data]
  var stopp = {};
  var treffer = []; // sorted results of the current query: [{ n, score }]
  var gezeigt = 0;
  var laeuft = 0; // number of the newest search; older ones give way
  var begriffe = []; // folded words of the current query, for highlighting

  var FALTEN = {
    'ä': 'ae', 'æ': 'ae', 'ö': 'oe', 'œ': 'oe', 'ü': 'ue', 'ß': 'ss',
    'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'å': 'a', 'ā': 'a', 'ą': 'a',
    'ç': 'c', 'ć': 'c', 'č': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ę': 'e', 'ė': 'e',
    'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'ñ': 'n', 'ń': 'n',
    'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ø': 'o', 'ō': 'o',
    'ù': 'u', 'ú': 'u', 'û': 'u', 'ū': 'u', 'ů': 'u', 'ý': 'y', 'ÿ': 'y',
    'ś': 's', 'š': 's', 'ź': 'z', 'ż': 'z', 'ž': 'z', 'ł': 'l',
  };
  // A combining diaeresis (text saved decomposed, `u` + U+0308) folds like the umlaut.
  FALTEN['\u0308'] = 'e';
  var EINFACH = { 'ä': 'a', 'æ': 'a', 'ö': 'o', 'œ': 'o', 'ü': 'u', '\u0308': '' };
  var WORTZEICHEN = /[\p{L}\p{N}\u0300-\u036f]/u;
  var TRENNER = /[^\p{L}\p{N}\u0300-\u036f]+/u;

  function falteZeichen(c, einfach) {
    var k = c.toLowerCase();
    var out = '';
    for (var i = 0; i < k.length; i++) {
      var z = k[i];
      if (einfach && z in EINFACH) out += EINFACH[z];
      else if (z in FALTEN) out += FALTEN[z];
      else if (z >= '\u0300' && z <= '\u036f') out += '';
      else out += z;
    }
    return out;
  }

  function falte(text, einfach) {
    var out = '';
    for (var c of text) out += falteZeichen(c, einfach);
    return out;
  }

  /** `I 0126/09` as Vorlagen are also written: the letter belongs to the number. */
  function nummern(text) {
    return text.replace(/(^|[^\p{L}\p{N}])(\p{L}) (?=\d{4}(?!\d))/gu, '$1$2');
  }

  /** The folded words of a query, without stop words and single letters. */
  function woerter(text) {
    var out = [];
    nummern(text).split(TRENNER).forEach(function (w) {
      if (!w) return;
      var f = falte(w, false);
      if (f.length < 2 || stopp[f] || out.indexOf(f) >= 0) return;
      out.push(f);
    });
    return out;
  }

  function ladeJson(pfad) {
    var url = indexUrl + pfad + (meta ? '?v=' + meta.version : '');
    return fetch(url, meta ? {} : { cache: 'no-cache' }).then(function (r) {
      if (!r.ok) throw new Error(pfad + ': ' + r.status);
      return r.json();
    });
  }

  function shard(i) {
    if (!shards[i]) {
      shards[i] = ladeJson('t/' + i + '.json').catch(function (e) {
        delete shards[i];
        throw e;
      });
    }
    return shards[i];
  }

  function chunk(i) {
    if (!anzeige[i]) {
      anzeige[i] = ladeJson('d/' + i + '.json').catch(function (e) {
        delete anzeige[i];
        throw e;
      });
    }
    return anzeige[i];
  }

  /** The last shard whose first key is not after `key`. */
  function shardVon(key) {
    var g = meta.grenzen;
    var lo = 0;
    var hi = g.length - 1;
    if (hi < 0 || key < g[0]) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (g[mid] <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // Digits of the posting lists (see `zahl` in src/render/suche.rs): a number's last
  // base-32 digit from ENDE, the ones before from WEITER.
  var ZIFFER = {};
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef'.split('').forEach(function (c, i) {
    ZIFFER[c] = i;
  });
  'ghijklmnopqrstuvwxyz0123456789-_'.split('').forEach(function (c, i) {
    ZIFFER[c] = 32 + i;
  });

  /** Postings of one key: [[doc, class], …]. */
  function dekodiere(liste) {
    var out = [];
    var n = 0;
    var v = 0;
    for (var i = 0; i < liste.length; i++) {
      var z = ZIFFER[liste[i]];
      if (z >= 32) {
        v = v * 32 + (z - 32);
        continue;
      }
      v = v * 32 + z;
      n += Math.floor(v / 8);
      out.push([n, v % 8]);
      v = 0;
    }
    return out;
  }

  /** Every key equal to `key` (or, with `praefix`, starting with it), with postings. */
  function suche(key, praefix) {
    var von = shardVon(key);
    if (von < 0 && !praefix) return Promise.resolve([]);
    // Short words are taken whole: as prefixes they would stand for much of the index.
    praefix = praefix && key.length >= 3;
    var bis = praefix ? shardVon(key + '\uffff') : von;
    von = Math.max(von, 0);
    if (bis - von + 1 > MAX_SHARDS) bis = von + MAX_SHARDS - 1;
    var laden = [];
    for (var i = von; i <= bis; i++) laden.push(shard(i));
    return Promise.all(laden).then(function (teile) {
      var out = [];
      teile.forEach(function (t) {
        if (praefix) {
          Object.keys(t).forEach(function (k) {
            if (k.lastIndexOf(key, 0) === 0) out.push([k, t[k]]);
          });
        } else if (t[key]) {
          out.push([key, t[key]]);
        }
      });
      return out;
    });
  }

  /** Scores by document for one word: the best of its exact, stemmed and prefix matches. */
  function punkteFuer(wort) {
    var formen = [[wort, 1]];
    var einfach = falte(wort, true);
    ENDUNGEN.some(function (e) {
      if (wort.length - e.length >= 4 && wort.slice(-e.length) === e) {
        formen.push([wort.slice(0, -e.length), 0.8]);
        return true;
      }
      return false;
    });
    return Promise.all(
      formen.map(function (f) {
        return suche(f[0], true);
      }),
    ).then(function (ergebnisse) {
      var punkte = new Map();
      ergebnisse.forEach(function (paare, i) {
        var form = formen[i][0];
        paare.forEach(function (p) {
          var faktor = formen[i][1] * (p[0] === form || p[0] === einfach ? 1 : 0.7);
          dekodiere(p[1]).forEach(function (d) {
            var w = GEWICHT[d[1]] * faktor;
            if (w > (punkte.get(d[0]) || 0)) punkte.set(d[0], w);
          });
        });
      });
      return punkte;
    });
  }

  function docsVon(key) {
    return suche(key, false).then(function (paare) {
      var s = new Set();
      paare.forEach(function (p) {
        dekodiere(p[1]).forEach(function (d) {
          s.add(d[0]);
        });
      });
      return s;
    });
  }

  function auswahl() {
    return {
      q: input.value.trim(),
      art: felder.art.value,
      stadtteil: felder.stadtteil.value,
      jahr: felder.jahr.value,
    };
  }

  /** Sorted results of a query, filtered. */
  function finde(a) {
    var ws = woerter(a.q);
    begriffe = ws;
    if (!ws.length) return Promise.resolve([]);
    var exakt = nummern(a.q).split(TRENNER).join('');
    var filterKeys = [];
    var st = meta.stadtteile.findIndex(function (s) {
      return s.slug === a.stadtteil;
    });
    if (st >= 0) filterKeys.push('~s' + st);
    if (a.jahr) filterKeys.push('~j' + a.jahr);
    var art = meta.arten.find(function (x) {
      return x.code === a.art;
    });
    return Promise.all([
      Promise.all(ws.map(punkteFuer)),
      docsVon('=' + falte(exakt, false)),
      Promise.all(filterKeys.map(docsVon)),
    ]).then(function (r) {
      var proWort = r[0];
      var exaktDocs = r[1];
      var filterSets = r[2];
      var summe = new Map();
      var anzahl = new Map();
      proWort.forEach(function (punkte) {
        punkte.forEach(function (w, n) {
          summe.set(n, (summe.get(n) || 0) + w);
          anzahl.set(n, (anzahl.get(n) || 0) + 1);
        });
      });
      var passt = function (n) {
        if (art && (n < art.von || n >= art.bis)) return false;
        return filterSets.every(function (s) {
          return s.has(n);
        });
      };
      var alle = [];
      summe.forEach(function (s, n) {
        if (passt(n)) alle.push({ n: n, score: s + (exaktDocs.has(n) ? EXAKT : 0), alle: anzahl.get(n) === ws.length });
      });
      // Every word must match; where no entry has all, the best with some.
      var mitAllen = alle.filter(function (t) {
        return t.alle;
      });
      var liste = mitAllen.length ? mitAllen : alle;
      liste.sort(function (x, y) {
        return y.score - x.score || x.n - y.n;
      });
      return liste;
    });
  }

  function artName(code) {
    var a = meta.arten.find(function (x) {
      return x.code === code;
    });
    return a ? a.name : code;
  }

  /** Appends `text` to `el`, each occurrence of a query word in a <mark>. */
  function markiert(el, text) {
    var bereiche = fundstellen(text);
    var pos = 0;
    bereiche.forEach(function (b) {
      if (b[0] < pos) return;
      el.appendChild(document.createTextNode(text.slice(pos, b[0])));
      var m = document.createElement('mark');
      m.textContent = text.slice(b[0], b[1]);
      el.appendChild(m);
      pos = b[1];
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  /** Where words of the query start a word of `text`: [[start, end], …] in `text`. */
  function fundstellen(text) {
    var out = [];
    [false, true].forEach(function (einfach) {
      // The folded text and, for each of its characters, where it came from.
      var gefaltet = '';
      var herkunft = [];
      for (var i = 0; i < text.length; i++) {
        var f = falteZeichen(text[i], einfach);
        for (var j = 0; j < f.length; j++) herkunft.push(i);
        gefaltet += f;
      }
      herkunft.push(text.length);
      begriffe.forEach(function (w) {
        var von = 0;
        var k;
        while ((k = gefaltet.indexOf(w, von)) >= 0) {
          var vorne = k === 0 || !WORTZEICHEN.test(gefaltet[k - 1]);
          if (vorne) {
            // Mark to the end of the word when a word has grown from the prefix.
            var ende = k + w.length;
            while (ende < gefaltet.length && WORTZEICHEN.test(gefaltet[ende])) ende++;
            out.push([herkunft[k], herkunft[ende]]);
          }
          von = k + w.length;
        }
      });
    });
    out.sort(function (x, y) {
      return x[0] - y[0] || y[1] - x[1];
    });
    return out;
  }

  /** Up to about 220 characters of `text` around the first match. */
  function auszug(text) {
    var f = fundstellen(text);
    if (text.length <= 220) return text;
    var start = f.length ? Math.max(0, f[0][0] - 70) : 0;
    if (start > 0) {
      var leer = text.indexOf(' ', start);
      start = leer >= 0 && leer < f[0][0] ? leer + 1 : start;
    }
    var ende = Math.min(text.length, start + 220);
    if (ende < text.length) {
      var l = text.lastIndexOf(' ', ende);
      if (l > start + 120) ende = l;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, ende) + (ende < text.length ? ' …' : '');
  }

  function eintrag(n, d) {
    var li = document.createElement('li');
    li.className = 'treffer';
    var h = document.createElement('h3');
    h.className = 'treffer-titel';
    var a = document.createElement('a');
    a.href = basis + d.u;
    markiert(a, d.t);
    h.appendChild(a);
    li.appendChild(h);
    var art = document.createElement('p');
    art.className = 'treffer-art';
    art.textContent = [artName(d.a), d.s, d.j].filter(Boolean).join(' · ');
    if (d.b) {
      art.appendChild(document.createTextNode(' '));
      var b = document.createElement('span');
      b.className = 'marke-beispiel';
      b.textContent = 'Beispiel';
      art.appendChild(b);
    }
    li.appendChild(art);
    if (d.x) {
      var x = document.createElement('p');
      x.className = 'treffer-auszug';
      markiert(x, auszug(d.x));
      li.appendChild(x);
    }
    li.setAttribute('data-dokument', String(n));
    return li;
  }

  /** Shows the next results; `neu`: instead of those shown so far. */
  function zeigeWeitere(nummer, neu) {
    var teil = treffer.slice(gezeigt, gezeigt + SEITE);
    var chunks = {};
    teil.forEach(function (t) {
      chunks[Math.floor(t.n / meta.chunk)] = true;
    });
    return Promise.all(Object.keys(chunks).map(function (c) {
      return chunk(Number(c)).then(function (daten) {
        return [Number(c), daten];
      });
    })).then(function (geladen) {
      if (nummer !== laeuft) return null;
      var daten = {};
      geladen.forEach(function (g) {
        daten[g[0]] = g[1];
      });
      if (neu) liste.textContent = '';
      var erstes = null;
      teil.forEach(function (t) {
        var d = daten[Math.floor(t.n / meta.chunk)][t.n % meta.chunk];
        var li = eintrag(t.n, d);
        if (!erstes) erstes = li;
        liste.appendChild(li);
      });
      gezeigt += teil.length;
      mehr.hidden = gezeigt >= treffer.length;
      return erstes;
    });
  }

  function zahl(n) {
    return n.toLocaleString('de-DE');
  }

  function meldung(a) {
    if (!a.q) return 'Geben Sie einen Suchbegriff ein.';
    if (!begriffe.length) return 'Bitte geben Sie ein längeres Wort ein.';
    var wofuer = '„' + a.q + '“';
    if (!treffer.length) return 'Keine Treffer für ' + wofuer + '. Versuchen Sie ein anderes oder kürzeres Wort, oder entfernen Sie Filter.';
    return (treffer.length === 1 ? '1 Treffer' : zahl(treffer.length) + ' Treffer') + ' für ' + wofuer + '.';
  }

  function adresse(a) {
    var params = new URLSearchParams();
    Object.keys(a).forEach(function (k) {
      if (a[k]) params.set(k, a[k]);
    });
    var s = params.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  function starte() {
    var nummer = ++laeuft;
    var a = auswahl();
    adresse(a);
    return finde(a)
      .then(function (liste_) {
        if (nummer !== laeuft) return;
        treffer = liste_;
        gezeigt = 0;
        return zeigeWeitere(nummer, true).then(function () {
          if (nummer === laeuft) status.textContent = meldung(a);
        });
      })
      .catch(function () {
        if (nummer === laeuft) status.textContent = 'Die Suche konnte ihr Verzeichnis nicht laden. Bitte laden Sie die Seite neu.';
      });
  }

  var warte = null;
  function spaeter() {
    clearTimeout(warte);
    warte = setTimeout(starte, 150);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(warte);
    starte();
  });
  input.addEventListener('input', spaeter);
  Object.keys(felder).forEach(function (k) {
    felder[k].addEventListener('change', starte);
  });
  mehr.addEventListener('click', function () {
    var nummer = laeuft;
    zeigeWeitere(nummer).then(function (erstes) {
      // Keyboard users continue at the first new result.
      if (erstes) erstes.querySelector('a').focus();
    });
  });

  // Start: read the index's table of contents, take the query from the address.
  ladeJson('meta.json')
    .then(function (m) {
      meta = m;
      m.stoppwoerter.forEach(function (w) {
        stopp[w] = true;
      });
      filter.hidden = false;
      ohneJs.hidden = true;
      var params = new URLSearchParams(location.search);
      input.value = params.get('q') || '';
      Object.keys(felder).forEach(function (k) {
        var v = params.get(k) || '';
        if ([].some.call(felder[k].options, function (o) { return o.value === v; })) felder[k].value = v;
      });
      if (input.value.trim()) return starte();
      status.textContent = 'Geben Sie einen Suchbegriff ein.';
    })
    .catch(function () {
      status.textContent = 'Die Suche konnte ihr Verzeichnis nicht laden. Bitte laden Sie die Seite neu.';
    });
})();
