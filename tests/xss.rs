//! Issue 11: nothing an editor commits may put a script into a resident's browser.
//!
//! A portal whose every text field, Markdown body, link, image and attachment name
//! carries payloads from the OWASP XSS filter evasion cheat sheet is built (once with
//! raw HTML escaped, once with `html_erlauben: true`), and every file of the output is
//! parsed: HTML and SVG, Atom feeds, JSON, calendars and PDFs.

mod common;

use std::path::Path;

use common::{TestPortal, md, snapshot};
use quartier::pruefstand::{URL_ATTRIBUTE, gefaehrliche_url};
use scraper::{Html, Node};

/// A payload for one-line text fields: attribute and element breakouts.
const F: &str = r#"X"><script>window.__xss=1</script><img src=x onerror="window.__xss=1"><svg/onload=alert(1)>' onmouseover='alert(1)' </textarea></title></style><iframe src=javascript:alert(1)></iframe>"#;

/// Markdown bodies: the cheat sheet's cases as an editor could type them.
const KORPUS: &str = r#"Ein Text mit Angriffen (Beispiel).

<script>window.__xss=1</script>

<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>

<IMG SRC="javascript:alert('XSS');">

<IMG SRC=JaVaScRiPt:alert('XSS')>

<IMG SRC=`javascript:alert("RSnake says, 'XSS'")`>

<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\>

<IMG SRC=# onmouseover="alert('xxs')">

<img src=x onerror=window.__xss=1>

<svg onload=window.__xss=1>

<svg><script>window.__xss=1</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>

<BODY ONLOAD=alert('XSS')>

<iframe src="javascript:alert(1)"></iframe>

<object data="javascript:alert(1)"></object>

<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">

<base href="javascript:alert(1)//">

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>

<div style="width: expression(alert('XSS'));">css</div>

<div style="background-image: url(javascript:alert('XSS'))">css</div>

<a href="  javascript:alert(1)">leerzeichen</a>

<a href="jav&#x09;ascript:alert(1)">tab</a>

<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>

</textarea><script>window.__xss=1</script>

"><script>window.__xss=1</script>

<!-- --><script>window.__xss=1</script><!-- -->

--><script>window.__xss=1</script>

Links: [eins](javascript:alert(1)), [zwei](JAVASCRIPT:alert(1)),
[drei](jav&#x09;ascript:alert(1)), [vier](<javascript:alert(1)>),
[fünf](vbscript:msgbox(1)), [sechs](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==),
[sieben](&#106;avascript:alert(1)), [acht]( javascript:alert(1) "titel"),
[neun](java&#10;script:alert(1)), [zehn](&#x01;javascript:alert(1)).

Autolinks: <javascript:alert(1)> und <vbscript:msgbox(1)>.

Verweis: [elf][boese] und [zwölf].

[boese]: javascript:alert(1)
[zwölf]: jav&#x0A;ascript:alert(1) "x"

Bilder: ![a](javascript:alert(1)) ![b](jav&#x09;ascript:alert(1)) ![c" onerror="alert(1)](/dateien/bild.svg)

`<script>window.__xss=1</script>` im Code.

```html
<script>window.__xss=1</script>
```

| Spalte | <script>window.__xss=1</script> |
|---|---|
| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |

Fußnote[^x].

[^x]: <script>window.__xss=1</script> [y](javascript:alert(1))
"#;

/// An attachment whose name is itself a payload.
const DATEI: &str = r#"x"><svg onload=alert(1)>.pdf"#;

/// YAML single-quoted scalar.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn feindliches_portal(html_erlauben: bool) -> TestPortal {
    let f = q(F);
    let lizenz = q(r#"https://example.org/"><script>window.__xss=1</script>"#);
    let portal_yaml = format!(
        "titel: {f}\nstadt: {f}\nbase_url: \"https://example.org/gwa/\"\nbeschreibung: {f}\nhtml_erlauben: {html_erlauben}\ndaten_lizenz:\n  name: {f}\n  url: {lizenz}\nkarte:\n  kacheln: \"https://tile.example.org/{{z}}/{{x}}/{{y}}.png\"\n  kacheln_hinweis: {f}\neinleitung: |\n{}\n",
        KORPUS
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#;
    TestPortal::empty()
        .file("portal.yaml", &portal_yaml)
        .file("content/dateien/bild.svg", svg)
        .file(&format!("content/dateien/{DATEI}"), "%PDF-1.4\n")
        .file(
            "content/stadtteile/sudenburg.md",
            &md(
                &format!(
                    "name: {f}\nbeispiel: true\neinwohner: 1000\nstadtteilmanagement:\n  traeger: {f}\n  adresse: {f}\n  telefon: {f}\n  email: \"stm@example.org\"\n  sprechstunden:\n    - wochentag: montag\n      von: \"10:00\"\n      bis: \"12:00\"\n      ort: {f}\n"
                ),
                KORPUS,
            ),
        )
        .file(
            "content/ags/ag-x.md",
            &md(
                &format!(
                    "name: {f}\nbeispiel: true\nstadtteile: [sudenburg]\nkontakt:\n  email: \"ag@example.org\"\n  telefon: {f}\n  adresse: {f}\n  web: {}\nsprecherrat: [{f}]\nsitzungsregel: {f}\nsitzungen:\n  - datum: 2026-12-08\n    zeit: \"17:00\"\n    ort: {f}\n    thema: {f}\n  - datum: 2026-11-10\n    zeit: \"17:00\"\n    ort: {f}\n    thema: {f}\n    protokoll: |\n{}\n",
                    q(r#"https://example.org/"><script>window.__xss=1</script>"#),
                    KORPUS
                        .lines()
                        .map(|l| format!("      {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
                KORPUS,
            ),
        )
        .file(
            "content/projekte/2026/p.md",
            &md(
                &format!(
                    "titel: {f}\nbeispiel: true\njahr: 2026\nstadtteile: [sudenburg]\nag: ag-x\nfoerderung: {f}\nfoerdersumme: 100\ntraeger: {f}\nbeteiligte: 10\nstatus: laufend\nort:\n  adresse: {f}\n  lat: 52.12\n  lon: 11.62\nbilder:\n  - datei: bild.svg\n    alt: {f}\n    bildnachweis: {f}\n"
                ),
                KORPUS,
            ),
        )
        .file(
            "content/foren/forum.md",
            &md(
                &format!(
                    "titel: {f}\nbeispiel: true\ndatum: 2026-12-20\nzeit: \"18:00\"\nort: {f}\nstadtteile: [sudenburg]\nveranstalter: {f}\ntagesordnung: [{f}]\nanhaenge:\n  - datei: {}\n    titel: {f}\n",
                    q(DATEI)
                ),
                KORPUS,
            ),
        )
        .file(
            "content/vorlagen/i0001-26.md",
            &md(
                &format!(
                    "nummer: \"I0001/26\"\nbeispiel: true\nart: information\nthema: {f}\ndatum: 2026-01-10\ndezernat: {f}\namt: {f}\nberatungsfolge:\n  - gremium: {f}\n    datum: 2026-02-01\n    behandlung: öffentlich\nbearbeiter: {f}\nunterzeichnet: {f}\nstadtteile: [sudenburg]\nanhaenge:\n  - datei: {}\n    titel: {f}\n",
                    q(DATEI)
                ),
                KORPUS,
            ),
        )
        .file(
            "content/seiten/seite.md",
            &md(&format!("titel: {f}\nkurztitel: {f}\nmenue: 5\n"), KORPUS),
        )
}

/// Every way an HTML or SVG document could run a script, as "file: problem" lines.
fn html_probleme(datei: &str, quelle: &str, base: &str) -> Vec<String> {
    let doc = Html::parse_document(quelle);
    let mut probleme = Vec::new();
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        let name = el.name().to_ascii_lowercase();
        let mut p = |s: String| probleme.push(format!("{datei}: {s}"));
        match name.as_str() {
            "script" => {
                let typ = el.attr("type").unwrap_or("");
                if typ == "application/ld+json" {
                    let text: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                        p(format!("JSON-LD is not JSON: {text}"));
                    }
                    if text.contains('<') {
                        p("JSON-LD contains '<'".into());
                    }
                } else {
                    match el.attr("src") {
                        Some(src)
                            if src.starts_with(&format!("{base}js/"))
                                || src.starts_with(&format!("{base}vendor/")) =>
                        {
                            if node.has_children() {
                                p(format!("script with src and content: {src}"));
                            }
                        }
                        _ => p(format!(
                            "script element {:?}",
                            el.attrs().collect::<Vec<_>>()
                        )),
                    }
                }
            }
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "style" => {
                p(format!("<{name}> element"))
            }
            "meta" if el.attr("http-equiv").is_some() => p("<meta http-equiv>".into()),
            _ => {}
        }
        for (attr, wert) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                p(format!("event handler {attr}={wert:?} on <{name}>"));
            }
            if attr == "style" {
                p(format!("style attribute {wert:?} on <{name}>"));
            }
            if URL_ATTRIBUTE.contains(&attr.as_str()) && gefaehrliche_url(wert) {
                p(format!("{attr}={wert:?} on <{name}>"));
            }
        }
    }
    probleme
}

/// Checks every file of the output; returns the problems found and how many files of
/// each kind were read (so the test knows the corpus reached them).
fn pruefe_ausgabe(out: &Path) -> (Vec<String>, [usize; 5]) {
    let mut probleme = Vec::new();
    let mut anzahl = [0usize; 5];
    for (pfad, bytes) in snapshot(out) {
        let endung = pfad.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match endung {
            "html" | "svg" => {
                anzahl[0] += 1;
                let text = String::from_utf8_lossy(&bytes);
                probleme.extend(html_probleme(&pfad, &text, "/gwa/"));
            }
            "xml" => {
                anzahl[1] += 1;
                let text = String::from_utf8_lossy(&bytes);
                let doc = match roxmltree::Document::parse(&text) {
                    Ok(d) => d,
                    Err(e) => {
                        probleme.push(format!("{pfad}: not XML: {e}"));
                        continue;
                    }
                };
                for n in doc.descendants().filter(|n| n.is_element()) {
                    let name = n.tag_name().name();
                    if matches!(name, "script" | "iframe" | "object" | "embed") {
                        probleme.push(format!("{pfad}: <{name}> in the XML itself"));
                    }
                    for a in n.attributes() {
                        if a.name().starts_with("on") || gefaehrliche_url(a.value()) {
                            probleme.push(format!("{pfad}: {}={:?}", a.name(), a.value()));
                        }
                    }
                    // Atom content and summary of type html: the decoded text is HTML
                    // that feed readers display.
                    if matches!(name, "content" | "summary" | "title")
                        && n.attribute("type") == Some("html")
                    {
                        let inhalt: String = n.text().unwrap_or("").to_string();
                        probleme.extend(html_probleme(
                            &format!("{pfad} <{name}>"),
                            &inhalt,
                            "/gwa/",
                        ));
                    }
                }
            }
            "json" | "geojson" => {
                anzahl[2] += 1;
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                    probleme.push(format!("{pfad}: not JSON: {e}"));
                }
            }
            "ics" => {
                anzahl[3] += 1;
                let text = String::from_utf8_lossy(&bytes).replace("\r\n ", "");
                for zeile in text.lines() {
                    let (name, wert) = zeile.split_once(':').unwrap_or((zeile, ""));
                    let name = name.split(';').next().unwrap_or(name);
                    if (matches!(name, "URL" | "ATTACH") && gefaehrliche_url(wert))
                        || name == "X-ALT-DESC"
                    {
                        probleme.push(format!("{pfad}: {zeile}"));
                    }
                }
            }
            "pdf" => {
                anzahl[4] += 1;
                let roh = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
                for boese in [
                    "/javascript",
                    "/js ",
                    "/js(",
                    "/launch",
                    "(javascript:",
                    "(vbscript:",
                ] {
                    if roh.contains(boese) {
                        probleme.push(format!("{pfad}: PDF contains {boese}"));
                    }
                }
            }
            _ => {}
        }
    }
    (probleme, anzahl)
}

/// The portal (kept, as dropping it deletes the folder) and its build.
fn baue_und_pruefe(html_erlauben: bool) -> (TestPortal, common::Site) {
    let portal = feindliches_portal(html_erlauben);
    let site = portal.build().ok();
    let (probleme, anzahl) = pruefe_ausgabe(&site.out);
    assert!(
        probleme.is_empty(),
        "script injection possible (html_erlauben: {html_erlauben}):\n{}",
        probleme.join("\n")
    );
    // The corpus reached every kind of output.
    assert!(anzahl[0] > 15, "HTML/SVG files: {anzahl:?}");
    assert!(anzahl.iter().all(|n| *n > 0), "{anzahl:?}");
    // The payloads are there, as text: escaped, not dropped.
    let projekt = site.read("projekte/2026/");
    assert!(
        projekt.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"),
        "payload not shown as text"
    );
    (portal, site)
}

#[test]
fn no_script_from_any_field_with_html_escaped() {
    let (_portal, site) = baue_und_pruefe(false);
    let codes = site.codes();
    // The editor is told about the raw HTML and the removed links.
    assert!(codes.contains(&"W004"), "{codes:?}");
    assert!(codes.contains(&"W008"), "{codes:?}");
    // The text around the payloads survives, the links' texts too.
    let seite = site.read("seite/");
    assert!(seite.contains("Ein Text mit Angriffen"));
    assert!(seite.contains(">tab<") || seite.contains("tab&lt;/a&gt;"));
}

#[test]
fn no_script_from_any_field_with_html_allowed() {
    let (_portal, site) = baue_und_pruefe(true);
    let codes = site.codes();
    assert!(codes.contains(&"W008"), "{codes:?}");
}

#[test]
fn obfuscated_javascript_links_are_removed_with_a_warning() {
    let portal = TestPortal::new().file(
        "content/seiten/s.md",
        &md(
            "titel: \"S\"\n",
            "[a](jav&#x09;ascript:alert(1)) [b](&#x01;javascript:alert(1)) [c](java&#10;script:alert(1))\n",
        ),
    );
    let site = portal.build().ok();
    let page = site.page("s/");
    assert!(!page.has("main a"), "{}", site.read("s/"));
    assert_eq!(
        site.codes().iter().filter(|c| **c == "W008").count(),
        3,
        "{}",
        site.diagnostics()
    );
    assert!(page.main_text().contains("a b c"), "{}", page.main_text());
}

#[test]
fn files_that_would_run_scripts_are_not_published() {
    let portal = TestPortal::new()
        .file("content/dateien/seite.html", "<script>alert(1)</script>")
        .file("content/dateien/skript.js", "alert(1)")
        .file(
            "content/dateien/plan.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
        )
        .file(
            "content/daten/karte.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        )
        .file(
            "content/dateien/gut.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>Plan</title></svg>",
        );
    // The rest of the portal is published; the editor is told which files were not.
    let site = portal.build().ok();
    let text = site.diagnostics();
    let w012 = site.codes().into_iter().filter(|c| *c == "W012").count();
    assert_eq!(w012, 4, "{text}");
    for datei in [
        "dateien/seite.html",
        "dateien/skript.js",
        "dateien/plan.svg",
        "daten/karte.svg",
    ] {
        assert!(text.contains(&format!("content/{datei}")), "{text}");
        assert!(!site.out.join(datei).exists(), "{datei} was published");
    }
    assert!(!text.contains("gut.svg"), "{text}");
    assert!(site.out.join("dateien/gut.svg").is_file());
    // The open data page does not offer the withheld file.
    assert!(!site.read("daten/").contains("karte.svg"));
}
