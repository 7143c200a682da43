#!/usr/bin/env python3
# Writes the bad-input corpus (tests/corpus/<case>/ with erwartet.txt), replayed by
# tests/corpus.rs. The cases live here because several are bytes no editor shows
# faithfully (UTF-16, Latin-1, BOM, CRLF, control characters, 10,000 brackets).
# Run it after changing a case: python3 tests/corpus/erzeugen.py
import os, shutil
R=os.path.dirname(os.path.abspath(__file__))
for entry in os.listdir(R):
    if os.path.isdir(os.path.join(R, entry)):
        shutil.rmtree(os.path.join(R, entry))
def w(case, rel, data):
    p=os.path.join(R, case, rel); os.makedirs(os.path.dirname(p), exist_ok=True)
    if isinstance(data,str): data=data.encode()
    open(p,'wb').write(data)
B='_basis'
w(B,'portal.yaml','titel: "Testportal"\nstadt: "Teststadt"\nbase_url: "https://example.org/gwa/"\n')
w(B,'content/stadtteile/sudenburg.yaml','name: "Sudenburg"\n')
w(B,'content/stadtteile/buckau.yaml','name: "Buckau"\n')
w(B,'content/ags/ag-gwa-sudenburg.md','---\nname: "AG GWA Sudenburg"\nstadtteile: [sudenburg]\nbeispiel: true\n---\nDie AG trifft sich monatlich.\n')
w(B,'content/projekte/2025/kiezfest.md','---\ntitel: "Kiezfest"\njahr: 2025\nstadtteile: [sudenburg]\nag: ag-gwa-sudenburg\nbeispiel: true\n---\nEin Fest für alle.\n')
w(B,'content/dateien/plan.pdf','%PDF-1.4\n%%EOF\n')
P='content/projekte/2025/kiezfest.md'
def proj(extra='', body='Ein Fest.\n', head='titel: "Kiezfest"\njahr: 2025\nstadtteile: [sudenburg]\n'):
    return '---\n'+head+extra+'---\n'+body
cases={}
def case(name, files, expect):
    for rel,data in files.items(): w(name, rel, data)
    w(name,'erwartet.txt', expect)

case('yaml-doppelpunkt',{P:proj(head='titel: Fest: Sommer\njahr: 2025\nstadtteile: [sudenburg]\n')},
 'fehler: E001 '+P+':2:12 | Doppelpunkt an unerwarteter Stelle\n')
case('yaml-tabulator',{P:'---\ntitel: "Kiezfest"\njahr: 2025\nstadtteile:\n\t- sudenburg\n---\n'},
 'fehler: E001 '+P+':5:1 | Tabulator\n')
case('yaml-anfuehrungszeichen-offen',{P:proj(head='titel: "Kiezfest\njahr: 2025\nstadtteile: [sudenburg]\n')},
 'fehler: E001 '+P+':2:8 | Anführungszeichen\n')
case('yaml-liste-offen',{P:proj(head='titel: "Kiezfest"\njahr: 2025\nstadtteile: [sudenburg, buckau\n')},
 'fehler: E001 '+P+':4:13 | nicht geschlossen\n')
case('yaml-doppeltes-feld',{P:proj(extra='titel: "Nochmal"\n')},
 'fehler: E001 '+P+':5:1 | Feld \'titel\' kommt doppelt vor\n')
bomb='a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
prev='a'
for c in 'bcdefghi':
    bomb+=c+': &'+c+' ['+','.join(['*'+prev]*9)+']\n'; prev=c
case('yaml-alias-bombe',{P:proj(extra=bomb)},'fehler: E001 '+P+':2:1 | Anker und Aliase\n')
case('yaml-alias-unbekannt',{P:proj(extra='traeger: *verein\n')},'fehler: E001 '+P+':5:10 | unbekannten Anker\n')
case('yaml-tief-klammern',{'content/stadtteile/tief.yaml':'name: "Tief"\ntiefe: '+'['*10000+']'*10000+'\n'},
 'fehler: E001 content/stadtteile/tief.yaml:2:135 | zu tief verschachtelt\n')
case('yaml-tief-liste',{'content/projekte/2025/tief.yaml':'- '*10000+'x\n'},
 'fehler: E001 content/projekte/2025/tief.yaml:1:257 | zu tief verschachtelt\n')
s='name: "Tief"\ntiefe:\n'
for i in range(200): s+=' '*(i+1)+'a:\n'
case('yaml-tief-felder',{'content/stadtteile/tief.yaml':s},'fehler: E001 content/stadtteile/tief.yaml:130:129 | zu tief verschachtelt\n')
case('yaml-steuerzeichen',{P:proj(extra='traeger: "Verein\x07"\n')},'fehler: E003 '+P+':5:17 | Steuerzeichen U+0007\n')
# Control characters would make the Atom feeds invalid XML: in a body, and as a YAML escape.
case('steuerzeichen-im-text',{P:proj(body='Ein Fest\x1b[0m mit \u0085Musik.\n')},'fehler: E003 '+P+':6:9 | Steuerzeichen U+001B\n')
case('steuerzeichen-escape',{P:proj(extra='traeger: "Verein\\u0007"\n')},'fehler: E014 '+P+':5:10 | Steuerzeichen U+0007\n')
case('yaml-zahl-zu-gross',{P:proj(extra='foerdersumme: 99999999999999999999999999999999999999999\n')},'fehler: E014 '+P+':5:15 | unplausibel groß\n')
case('frontmatter-fehlt',{P:'titel: "Kiezfest"\njahr: 2025\n'},'fehler: E002 '+P+':1:1 | der Front Matter fehlt\n')
case('frontmatter-offen',{P:'---\ntitel: "Kiezfest"\njahr: 2025\nstadtteile: [sudenburg]\nEin Fest.\n'},'fehler: E002 '+P+':1:1 | nicht mit \'---\' geschlossen\n')
case('leer-md',{P:''},'fehler: E004 '+P+' | leer\n')
case('leer-yaml',{'content/stadtteile/leer.yaml':'\n\n'},'fehler: E004 content/stadtteile/leer.yaml | leer\n')
case('nur-kommentar-yaml',{'content/stadtteile/leer.yaml':'# kommt noch\n'},'fehler: E004 content/stadtteile/leer.yaml | keine Felder\n')
case('utf16',{'content/stadtteile/utf16.yaml':'\ufeffname: "Stadtfeld"\n'.encode('utf-16-le')},'fehler: E003 content/stadtteile/utf16.yaml:1:1 | nicht in UTF-8\nhinweis: UTF-16\n')
case('latin1',{P:proj(body='Gr\xfc\xdfe an alle.\n').encode('latin-1')},'fehler: E003 '+P+':6:3 | nicht in UTF-8\nhinweis: Windows-1252\n')
case('latin1-frontmatter',{P:proj(head='titel: "Stra\xdfenfest"\njahr: 2025\nstadtteile: [sudenburg]\n').encode('latin-1')},'fehler: E003 '+P+':2:13 | nicht in UTF-8\n')
case('nullbytes',{P:proj(body='Text\x00\x00\x00\n')},'fehler: E003 '+P+':6:5 | Nullzeichen\n')
case('bom-ist-erlaubt',{P:'\ufeff'+proj(), 'content/stadtteile/buckau.yaml':'\ufeffname: "Buckau"\n'},
 'exit: 0\nenthaelt: projekte/2025/kiezfest/index.html | Kiezfest\nenthaelt: stadtteile/buckau/index.html | Buckau\n')
case('crlf-ist-erlaubt',{P:proj(extra='von: 2025-06-20\nort:\n  adresse: "Platz"\n',body='Ein Fest.\r\n\r\n- eins\r\n- zwei\r\n').replace('\n','\r\n').replace('\r\r','\r'),
  'content/stadtteile/buckau.yaml':'name: "Buckau"\r\neinwohner: 1234\r\n'},
 'exit: 0\nenthaelt: projekte/2025/kiezfest/index.html | <li>zwei</li>\n')
case('crlf-fehler-zeile',{P:proj(extra='von: 2025-02-30\n').replace('\n','\r\n')},'fehler: E012 '+P+':5:6 | \n')
case('struktur-skalar',{'content/stadtteile/x.yaml':'"nur ein Text"\n'},'fehler: E006 content/stadtteile/x.yaml:1:1 | erwartet Felder\n')
case('struktur-listeneintrag',{'content/projekte/2025/liste.yaml':'- titel: "A"\n  jahr: 2025\n  stadtteile: [sudenburg]\n- 42\n'},'fehler: E006 content/projekte/2025/liste.yaml:4:3 | Eintrag 2 der Liste\n')
case('struktur-frontmatter-liste',{P:'---\n- a\n- b\n---\nText\n'},'fehler: E006 '+P+':2:1 | Felder\n')
case('pflichtfeld-jahr',{P:proj(head='titel: "Kiezfest"\nstadtteile: [sudenburg]\n')},'fehler: E010 '+P+' | \'jahr\'\n')
case('pflichtfeld-listeneintrag',{'content/projekte/2025/liste.yaml':'- jahr: 2025\n  stadtteile: [sudenburg]\n'},'fehler: E010 content/projekte/2025/liste.yaml:1:3 | weder \'slug\' noch \'titel\'\n')
case('typ-jahr-text',{P:proj(head='titel: "Kiezfest"\njahr: "zweitausend"\nstadtteile: [sudenburg]\n')},'fehler: E011 '+P+':3:7 | \n')
case('typ-stadtteile-zahl',{P:proj(head='titel: "Kiezfest"\njahr: 2025\nstadtteile: 5\n')},'fehler: E020 '+P+':4:13 | \'5\'\n')
case('typ-betrag-text',{P:proj(extra='foerdersumme: "viel"\n')},'fehler: E011 '+P+':5:15 | \n')
case('typ-ort-liste',{P:proj(extra='ort: [52.1, 11.6]\n')},'fehler: E011 '+P+':5:6 | \n')
case('typ-bool-text',{P:proj(extra='entwurf: "vielleicht"\n')},'fehler: E011 '+P+':5:10 | \n')
case('typ-titel-liste',{P:proj(head='titel: [a, b]\njahr: 2025\nstadtteile: [sudenburg]\n')},'fehler: E011 '+P+':2:8 | \n')
case('datum-30-februar',{P:proj(extra='von: 2026-02-30\n')},'fehler: E012 '+P+':5:6 | 2026-02-30\n')
case('datum-deutsch',{P:proj(extra='von: 20.06.2026\n')},'fehler: E012 '+P+':5:6 | \n')
case('uhrzeit-25',{'content/ags/ag-gwa-sudenburg.md':'---\nname: "AG GWA Sudenburg"\nstadtteile: [sudenburg]\nsitzungen:\n  - datum: 2026-03-09\n    zeit: "25:00"\n---\n'},'fehler: E013 content/ags/ag-gwa-sudenburg.md:6:11 | \n')
case('koordinaten-lat-200',{P:proj(extra='ort:\n  lat: 200\n  lon: 11.6\n')},'fehler: E016 '+P+':6:8 | \n')
case('koordinaten-ohne-lon',{P:proj(extra='ort:\n  lat: 52.1\n')},'fehler: E016 '+P+':6:3 | \'lat\' ohne \'lon\'\n')
case('status-ungueltig',{P:proj(extra='status: fertig\n')},'fehler: E014 '+P+':5:9 | \n')
case('slug-dateiname',{'content/projekte/2025/Kiez Fest.md':proj()},'fehler: E015 content/projekte/2025/Kiez Fest.md | \'Kiez Fest\'\nhinweis: kiez-fest.md\n')
case('stadtteil-unbekannt',{P:proj(head='titel: "Kiezfest"\njahr: 2025\nstadtteile: [sudenbrug]\n')},'fehler: E020 '+P+':4:14 | \'sudenbrug\'\nhinweis: sudenburg\n')
case('ag-unbekannt',{P:proj(extra='ag: ag-gwa-sudenbrug\n')},'fehler: E020 '+P+':5:5 | \'ag-gwa-sudenbrug\'\nhinweis: ag-gwa-sudenburg\n')
case('slug-doppelt-md-und-liste',{'content/projekte/2025/liste.yaml':'- titel: "Kiezfest"\n  jahr: 2025\n  stadtteile: [sudenburg]\n'},
 'fehler: E021 content/projekte/2025/liste.yaml:1:3 | kiezfest\n')
case('datei-fehlt',{'content/foren/forum.md':'---\ntitel: "Forum"\ndatum: 2026-05-20\nstadtteile: [sudenburg]\nbeispiel: true\nanhaenge:\n  - datei: plam.pdf\n    titel: "Plan"\n---\n'},'fehler: E022 content/foren/forum.md:7:12 | nicht gefunden\nhinweis: plan.pdf\n')
case('datei-punktpunkt',{'content/foren/forum.md':'---\ntitel: "Forum"\ndatum: 2026-05-20\nstadtteile: [sudenburg]\nbeispiel: true\nanhaenge:\n  - datei: ../../portal.yaml\n    titel: "Plan"\n---\n'},'fehler: E023 content/foren/forum.md:7:12 | verlässt content/dateien/\n')
case('datei-absolut',{'content/foren/forum.md':'---\ntitel: "Forum"\ndatum: 2026-05-20\nstadtteile: [sudenburg]\nbeispiel: true\nanhaenge:\n  - datei: /etc/passwd\n    titel: "Plan"\n---\n'},'fehler: E023 content/foren/forum.md:7:12 | verlässt content/dateien/\n')
case('bild-punktpunkt',{P:proj(extra='bilder:\n  - datei: ../dateien/../../portal.yaml\n    alt: "Bild"\n')},'fehler: E023 '+P+':6:12 | verlässt content/dateien/\n')
case('bild-absolut',{P:proj(extra='bilder:\n  - datei: /etc/passwd\n    alt: "Bild"\n')},'fehler: E023 '+P+':6:12 | verlässt content/dateien/\n')
case('vorlage-dateiname',{'content/vorlagen/i0246-09.md':'---\nnummer: "I0264/09"\nart: information\nthema: "GWA"\ndatum: 2009-11-24\nbeispiel: true\n---\n'},'fehler: E024 content/vorlagen/i0246-09.md:2:9 | \'I0264/09\'\nhinweis: i0264-09.md\n')
case('seite-reservierter-pfad',{'content/seiten/projekte.md':'---\ntitel: "Projekte"\n---\nText\n'},'fehler: E025 content/seiten/projekte.md | /projekte/\n')
case('link-ins-leere',{P:proj(body='Siehe [Plan](/dateien/plam.pdf).\n')},'fehler: E027 '+P+':6:7 | \n')
case('portal-yaml-fehlt',{},'entfernen: portal.yaml\nexit: 2\nfehler: K001 | keine portal.yaml\n')
case('portal-yaml-syntax',{'portal.yaml':'titel: "Testportal\nstadt: "Teststadt"\n'},'exit: 2\nfehler: K002 portal.yaml:1:8 | nicht geschlossen\n')
case('portal-yaml-liste',{'portal.yaml':'- eine Liste\n'},'exit: 2\nfehler: K002 portal.yaml:1:1 | \n')
case('portal-yaml-base-url',{'portal.yaml':'titel: "T"\nstadt: "S"\nbase_url: "example.org/gwa/"\n'},'exit: 2\nfehler: K002 portal.yaml:3:11 | \'example.org/gwa/\'\n')
case('theme-unbekannt',{'portal.yaml':'titel: "T"\nstadt: "S"\nbase_url: "https://example.org/gwa/"\ntheme: schick\n'},'exit: 2\nfehler: K003 portal.yaml:4:8 | \'schick\'\n')
case('theme-template-fehler',{'portal.yaml':'titel: "T"\nstadt: "S"\nbase_url: "https://example.org/gwa/"\ntheme: kaputt\n',
  'themes/kaputt/templates/seite.html':'{% extends "base.html" %}\n{% block inhalt %}\n{% if %}\n{% endblock %}\n'},'exit: 2\nfehler: K004 themes/kaputt/templates/seite.html:3 | Fehler im Theme\n')
open(os.path.join(R,'.gitattributes'),'w').write('# The corpus is byte-exact test input: no line-ending conversion.\n* -text\n')
case('markdown-tief-verschachtelt',{'content/seiten/tief.md':'---\ntitel: "Tief"\n---\n'+'>'*10000+' Zitat\n\n'+'- '*10000+'Liste\n\n'+'['*5000+'x'+']'*5000+'\n'},
 'exit: 0\nenthaelt: tief/index.html | Zitat\n')
case('vorlage-tief-verschachtelt',{'content/vorlagen/i0001-26.md':'---\nnummer: "I0001/26"\nart: information\nthema: "Tief"\ndatum: 2026-01-01\nbeispiel: true\n---\n'+'>'*10000+' Zitat\n\n'+'- '*10000+'Liste\n'},
 'exit: 0\nenthaelt: vorlagen/i0001-26/index.html | Zitat\nenthaelt: vorlagen/i0001-26/I0001-26.pdf | %PDF\n')
PY='titel: "Testportal"\nstadt: "Teststadt"\nbase_url: "https://example.org/gwa/"\n'
case('portal-yaml-latin1',{'portal.yaml':PY.replace('Teststadt','Stra\xdfenstadt').encode('latin-1')},'exit: 2\nfehler: K002 portal.yaml:2:13 | nicht in UTF-8\n')
case('portal-yaml-utf16',{'portal.yaml':('\ufeff'+PY).encode('utf-16-le')},'exit: 2\nfehler: K002 portal.yaml:1:1 | nicht in UTF-8\nhinweis: UTF-16\n')
case('portal-yaml-bom-crlf',{'portal.yaml':('\ufeff'+PY).replace('\n','\r\n')},'exit: 0\nenthaelt: index.html | Testportal\n')
case('portal-yaml-grenzen-raus',{'portal.yaml':PY+'karte:\n  grenzen: ../portal.yaml\n'},'exit: 2\nfehler: K002 portal.yaml:5:12 | verlässt content/\n')
case('portal-yaml-alias-bombe',{'portal.yaml':PY+bomb},'exit: 2\nfehler: K002 portal.yaml:1:1 | Anker und Aliase\n')
case('portal-yaml-tief',{'portal.yaml':PY+'x: '+'['*10000+']'*10000+'\n'},'exit: 2\nfehler: K002 portal.yaml:4:131 | zu tief verschachtelt\n')
case('protokoll-punktpunkt',{'content/ags/ag-gwa-sudenburg.md':'---\nname: "AG GWA Sudenburg"\nstadtteile: [sudenburg]\nsitzungen:\n  - datum: 2026-03-09\n    protokoll: ../../portal.yaml\n---\n'},'fehler: E023 content/ags/ag-gwa-sudenburg.md:6:16 | verlässt content/dateien/\n')
case('slug-in-liste-punktpunkt',{'content/seiten/liste.yaml':'- titel: "Böse"\n  slug: "../../etc"\n'},'fehler: E015 content/seiten/liste.yaml:2:9 | ungültiger Slug\n')
case('markdown-link-raus',{P:proj(body='[a](/dateien/../portal.yaml)\n')},'fehler: E027 '+P+':6:1 | \n')
case('yaml-mehrere-dokumente',{'content/stadtteile/x.yaml':'name: "X"\n---\nname: "Y"\n'},'fehler: E001 content/stadtteile/x.yaml:2:1 | mehr als ein YAML-Dokument\n')
case('yaml-doppeltes-unterfeld',{P:proj(extra='ort:\n  lat: 52.1\n  lon: 11.6\n  lat: 52.2\n')},'fehler: E001 '+P+':8:3 | Feld \'lat\' kommt doppelt vor\n')
case('anzahl-negativ',{P:proj(extra='beteiligte: -5\n')},'fehler: E014 '+P+':5:13 | ab 0\nhinweis: Minuszeichen\n')
case('koordinaten-nan',{P:proj(extra='ort:\n  lat: .nan\n  lon: .inf\n')},'fehler: E011 '+P+':6:8 | \nfehler: E011 '+P+':7:8 | \n')
case('datum-mit-uhrzeit',{P:proj(extra='von: 2026-01-01T10:00:00\n')},'fehler: E012 '+P+':5:6 | \n')
# What editors write when they mean something else (session 21).
case('datum-ohne-nullen',{P:proj(extra='von: 2026-6-2\n')},'fehler: E012 '+P+':5:6 | \'2026-6-2\'\nhinweis: JJJJ-MM-TT: 2026-06-02\n')
case('stadtteil-ohne-teil',{'content/stadtteile/stadtfeld-ost.yaml':'name: "Stadtfeld Ost"\n','content/stadtteile/stadtfeld-west.yaml':'name: "Stadtfeld West"\n',
  P:proj(head='titel: "Kiezfest"\njahr: 2025\nstadtteile: [stadtfeld]\n')},'fehler: E020 '+P+':4:14 | \'stadtfeld\'\nhinweis: meinten Sie \'stadtfeld-ost\' oder \'stadtfeld-west\'?\n')
case('slug-doppelt-in-liste',{'content/projekte/2025/liste.yaml':'- titel: "Hoffest"\n  jahr: 2025\n  stadtteile: [sudenburg]\n- titel: "Hoffest"\n  jahr: 2025\n  stadtteile: [buckau]\n'},
 'fehler: E021 content/projekte/2025/liste.yaml:4:3 | zweimal in content/projekte/2025/liste.yaml (Zeilen 1 und 4)\n')
case('liste-unter-feld',{'content/projekte/2025/liste.yaml':'projekte:\n  - titel: "Hoffest"\n    jahr: 2025\n    stadtteile: [sudenburg]\n'},
 'fehler: E006 content/projekte/2025/liste.yaml:1:1 | unter dem Feld \'projekte:\'\nhinweis: \'- titel: …\'\n')
case('pdf-als-markdown',{'content/vorlagen/i0001-26.md':b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n'},'fehler: E003 content/vorlagen/i0001-26.md:1:1 | eine PDF-Datei\nhinweis: content/dateien/\n')
case('frontmatter-nur-cr',{P:proj().replace('\n','\r')},'fehler: E002 '+P+':1:1 | nur mit CR\n')
case('jahr-fuenfstellig',{P:proj(head='titel: "Kiezfest"\njahr: 20255\nstadtteile: [sudenburg]\n')},'fehler: E014 '+P+':3:7 | Förderjahr\nhinweis: vier Ziffern\n')
case('stadtteile-leer',{P:proj(head='titel: "Kiezfest"\njahr: 2025\nstadtteile: []\n')},'fehler: E010 '+P+':4:13 | mindestens ein\nhinweis: stadtteile: [\n')
# Totals of counts and amounts no project could have: they saturate, never wrap or panic.
riesig='beteiligte: 9223372036854775807\nfoerdersumme: 999999999999.99\n'
case('summen-riesig',{'content/projekte/2025/a.md':proj(extra=riesig,head='titel: "A"\njahr: 2025\nstadtteile: [sudenburg]\n'),
  'content/projekte/2025/b.md':proj(extra=riesig,head='titel: "B"\njahr: 2025\nstadtteile: [sudenburg]\n'),
  'content/projekte/2025/c.md':proj(extra=riesig,head='titel: "C"\njahr: 2025\nstadtteile: [sudenburg]\n')},
 'exit: 0\nenthaelt: projekte/2025/index.html | 18.446.744.073.709.551.615\nenthaelt: projekte/2025/index.html | 2.999.999.999.999,97\n')
case('portal-yaml-theme-pfad',{'portal.yaml':PY+'theme: "/etc"\n'},'exit: 2\nfehler: K002 portal.yaml:4:8 | kein Name eines Theme-Ordners\n')
case('portal-yaml-base-url-doppelt',{'portal.yaml':PY.replace('https://example.org/gwa/','https://example.org//gwa//')},'exit: 2\nfehler: K002 portal.yaml:3:11 | \'//\' im Pfad\nhinweis: https://example.org/gwa/\n')
case('flaeche-riesig',{'content/stadtteile/buckau.yaml':'name: "Buckau"\nflaeche_km2: 1e20\n'},'fehler: E014 content/stadtteile/buckau.yaml:2:14 | unplausibel groß\nhinweis: Quadratkilometern\n')
case('email-ungueltig',{'content/ags/ag-gwa-sudenburg.md':'---\nname: "AG GWA Sudenburg"\nstadtteile: [sudenburg]\nkontakt:\n  email: "ag-gwa at example.org"\n---\n'},'fehler: E014 content/ags/ag-gwa-sudenburg.md:5:10 | keine E-Mail-Adresse\nhinweis: name@beispiel.de\n')
