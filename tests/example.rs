//! The Magdeburg example portal at the repository root, built once and inspected.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use common::*;
use jiff::civil::Date;

const BASE: &str = "/gwa/";
const SEED: &str = include_str!("fixtures/I0264-09.txt");
const VORLAGE: &str = "vorlagen/i0264-09/";

fn stadtteile() -> Vec<Entity> {
    entities("stadtteile", "name")
}
fn ags() -> Vec<Entity> {
    entities("ags", "name")
}
fn projekte() -> Vec<Entity> {
    entities("projekte", "titel")
}
fn foren() -> Vec<Entity> {
    entities("foren", "titel")
}
fn vorlagen() -> Vec<Entity> {
    entities("vorlagen", "nummer")
}
fn seiten() -> Vec<Entity> {
    entities("seiten", "titel")
}

fn projekt_path(p: &Entity) -> String {
    format!("projekte/{}/{}/", p.int("jahr").expect("jahr"), p.slug)
}

/// Every page path of section 4 of the content model this issue covers.
fn expected_pages() -> Vec<String> {
    let mut pages = vec![
        String::new(),
        "stadtteile/".into(),
        "ags/".into(),
        "projekte/".into(),
        "foren/".into(),
        "vorlagen/".into(),
        "termine/".into(),
        "404.html".into(),
    ];
    pages.extend(
        stadtteile()
            .iter()
            .map(|s| format!("stadtteile/{}/", s.slug)),
    );
    pages.extend(ags().iter().map(|a| format!("ags/{}/", a.slug)));
    let jahre: BTreeSet<i64> = projekte().iter().filter_map(|p| p.int("jahr")).collect();
    pages.extend(jahre.iter().map(|j| format!("projekte/{j}/")));
    pages.extend(projekte().iter().map(projekt_path));
    pages.extend(foren().iter().map(|f| format!("foren/{}/", f.slug)));
    pages.extend(vorlagen().iter().map(|v| format!("vorlagen/{}/", v.slug)));
    pages.extend(seiten().iter().map(|s| format!("{}/", s.slug)));
    pages
}

fn date(iso: &str) -> Date {
    iso.parse().unwrap_or_else(|e| panic!("{iso}: {e}"))
}

// ---------------------------------------------------------------------------------------
// Pages and files
// ---------------------------------------------------------------------------------------

#[test]
fn the_example_has_40_stadtteile_and_content_of_every_type() {
    assert_eq!(stadtteile().len(), 40, "Magdeburg has 40 Stadtteile");
    assert!(!ags().is_empty());
    assert!(!projekte().is_empty());
    assert!(!foren().is_empty());
    assert!(vorlagen().iter().any(|v| v.slug == "i0264-09"));
    assert!(!seiten().is_empty());
}

#[test]
fn every_page_of_section_4_is_written() {
    let site = example();
    let missing: Vec<String> = expected_pages()
        .into_iter()
        .filter(|p| !site.exists(p))
        .collect();
    assert!(missing.is_empty(), "pages not written: {missing:?}");
    assert_eq!(
        site.report.pages,
        site.html_files().len(),
        "Report::pages counts the HTML files written"
    );
    assert!(site.html_files().len() >= expected_pages().len());
}

/// Whether an image has an EXIF, XMP or IPTC block.
fn mit_metadaten(bytes: &[u8]) -> bool {
    use image::ImageDecoder;
    let mut d = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    !matches!(d.exif_metadata(), Ok(None))
        || !matches!(d.xmp_metadata(), Ok(None))
        || !matches!(d.iptc_metadata(), Ok(None))
}

#[test]
fn files_under_dateien_and_daten_are_copied_unchanged() {
    let site = example();
    let content = repo_root().join("content");
    let mut count = 0;
    for folder in ["dateien", "daten"] {
        for (rel, bytes) in snapshot(&content.join(folder)) {
            if rel
                .split('/')
                .any(|s| s.starts_with('.') || s.starts_with('_'))
            {
                continue;
            }
            let written = site.out.join(folder).join(&rel);
            // A photo with metadata is published only processed (tests/bilder.rs).
            let endung = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            if folder == "dateien"
                && ["jpg", "jpeg", "png", "webp", "gif"].contains(&endung.as_str())
                && mit_metadaten(&bytes)
            {
                assert!(
                    !written.exists(),
                    "{folder}/{rel} was published with its metadata"
                );
                continue;
            }
            let copy =
                std::fs::read(&written).unwrap_or_else(|_| panic!("{folder}/{rel} was not copied"));
            assert!(copy == bytes, "{folder}/{rel} differs from its source");
            count += 1;
        }
    }
    assert!(count >= 5, "the example has files to copy ({count})");
}

// ---------------------------------------------------------------------------------------
// Informationsvorlage I0264/09
// ---------------------------------------------------------------------------------------

/// The value in the metadata table of the Vorlage page for a row heading.
fn metadaten(page: &Page) -> BTreeMap<String, String> {
    page.select("table.metadaten tr")
        .into_iter()
        .map(|tr| {
            let th = text(tr.select(&sel("th")).next().expect("th"));
            let td = text(tr.select(&sel("td")).next().expect("td"));
            (th, td)
        })
        .collect()
}

#[test]
fn vorlage_page_shows_the_metadata_of_the_document() {
    let page = example().page(VORLAGE);
    let meta = metadaten(&page);
    // From the public document: header block of the seed.
    let nummer = SEED
        .lines()
        .find(|l| {
            regex::Regex::new(r"^[A-Z]+\d{4}/\d{2}$")
                .unwrap()
                .is_match(l)
        })
        .expect("number in seed");
    let kopf = regex::Regex::new(
        r"Dezernat Amt (\S+) (\S+) Datum\s+(\d\d\.\d\d\.\d{4}) \*\*Öffentlichkeitsstatus\*\*(\S+)",
    )
    .unwrap()
    .captures(SEED)
    .expect("header of the seed");
    assert!(SEED.contains("\nINFORMATION\n"));
    assert_eq!(meta.get("Nummer").map(String::as_str), Some(nummer));
    assert_eq!(nummer, "I0264/09");
    assert_eq!(meta.get("Art").map(String::as_str), Some("Information"));
    assert_eq!(meta.get("Datum").map(String::as_str), Some(&kopf[3]));
    assert_eq!(&kopf[3], "24.11.2009");
    assert_eq!(meta.get("Dezernat").map(String::as_str), Some(&kopf[1]));
    assert_eq!(&kopf[1], "V");
    assert_eq!(meta.get("Amt").map(String::as_str), Some(&kopf[2]));
    assert_eq!(&kopf[2], "V/02");
    assert_eq!(
        meta.get("Öffentlichkeitsstatus").map(String::as_str),
        Some(&kopf[4])
    );
    assert_eq!(&kopf[4], "öffentlich");
    let time = page.one("table.metadaten time");
    assert_eq!(time.value().attr("datetime"), Some("2009-11-24"));
    let h1 = text(page.one("h1"));
    assert!(h1.contains("Arbeitsgruppen Gemeinwesenarbeit und Stadtteilmanagement"));
    assert!(h1.contains("I0264/09"), "{h1}");
}

#[test]
fn vorlage_page_shows_the_whole_beratungsfolge() {
    let page = example().page(VORLAGE);
    // The tab-separated table of the seed, below its header row.
    let rows: Vec<Vec<&str>> = SEED
        .lines()
        .skip_while(|l| *l != "Beratung\tTag\tBehandlung")
        .skip(1)
        .take_while(|l| l.contains('\t'))
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 4, "the seed has four Beratungen");
    let section = page.one("section[aria-labelledby=Beratungsfolge]");
    let shown: Vec<Vec<String>> = section
        .select(&sel("tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect::<Vec<String>>())
        .collect();
    let expected: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(shown, expected);
    let headings: Vec<String> = section.select(&sel("thead th")).map(text).collect();
    assert_eq!(headings, ["Beratung", "Tag", "Behandlung"]);
    // Machine-readable dates match the printed ones.
    for time in section.select(&sel("time")) {
        let iso = date(time.value().attr("datetime").unwrap());
        assert_eq!(text(time), datum(iso));
    }
}

/// The body of the seed: between the "Thema:" line and the "Bearb." line.
fn seed_body() -> Vec<&'static str> {
    SEED.lines()
        .skip_while(|l| !l.starts_with("Thema:"))
        .skip(1)
        .take_while(|l| !l.starts_with("Bearb."))
        .collect()
}

fn is_footnote_line(l: &str) -> bool {
    l.starts_with("<sup>&</sup>")
}

/// A line of the seed without Markdown and HTML artefacts.
fn clean(line: &str) -> String {
    let sup = regex::Regex::new(r"<sup>[^<]*</sup>").unwrap();
    let l = sup.replace_all(line, "");
    let l = l.trim().trim_start_matches('#').trim_start();
    let l = l.strip_prefix("- ").unwrap_or(l);
    normalize(&l.replace("**", ""))
}

/// Splits a paragraph into sentences: after '.', '!' or '?' followed by a space and an
/// upper-case letter (so "u.a. als" and "z.B. freien" stay together).
fn sentences(paragraph: &str) -> Vec<String> {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, c) in chars.iter().enumerate() {
        current.push(*c);
        let end = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase());
        if end {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

#[test]
fn vorlage_page_has_every_sentence_of_the_document_in_order() {
    let page = example().page(VORLAGE);
    let section = page.one("section.vorlage-text");
    let shown = text_without(section, &["sup.fussnote-ref", ".fussnoten"]);
    let body: Vec<String> = seed_body()
        .into_iter()
        .filter(|l| !is_footnote_line(l))
        .map(clean)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(body.len() > 60, "the seed body has many lines");
    let mut cursor = 0;
    let mut count = 0;
    for line in &body {
        for sentence in sentences(line) {
            match shown[cursor..].find(&sentence) {
                Some(at) => cursor += at + sentence.len(),
                None => panic!(
                    "sentence missing or out of order:\n  {sentence}\nafter:\n  {}",
                    &shown[cursor.saturating_sub(200)..cursor]
                ),
            }
            count += 1;
        }
    }
    assert!(count >= body.len(), "{count} sentences checked");
    let thema = SEED.lines().find(|l| l.starts_with("Thema:")).unwrap();
    assert_eq!(text(page.one(".vorlage-text .thema")), normalize(thema));
    assert!(
        shown.find(&normalize(thema)).unwrap() < shown.find(&sentences(&body[0])[0]).unwrap(),
        "the subject comes before the text"
    );
}

#[test]
fn vorlage_page_has_the_footnote() {
    let page = example().page(VORLAGE);
    let seed_line = SEED.lines().find(|l| is_footnote_line(l)).unwrap();
    let footnote = normalize(seed_line.rsplit("</sup>").next().unwrap());
    assert!(footnote.starts_with("LH Magdeburg"), "{footnote}");
    let notes = page.select(".vorlage-text .fussnoten li");
    assert_eq!(notes.len(), 1, "one footnote");
    let note = notes[0];
    assert!(text(note).contains(&footnote), "{}", text(note));
    // The reference sits where the seed has <sup>1</sup> and points to the note.
    let anchor = page.one(".vorlage-text sup.fussnote-ref a");
    assert_eq!(text(anchor), "1");
    let target = anchor.value().attr("href").unwrap().trim_start_matches('#');
    assert_eq!(note.value().attr("id"), Some(target));
    let paragraph = text(
        page.select(".vorlage-text p")
            .into_iter()
            .find(|p| p.select(&sel("sup.fussnote-ref")).next().is_some())
            .unwrap(),
    );
    assert!(
        paragraph.contains("Entwicklungschancen zu kennzeichnen"),
        "{paragraph}"
    );
    // The way back from the note to the reference.
    let back = note.select(&sel("a")).last().unwrap();
    assert_eq!(
        back.value().attr("href").map(|h| h.trim_start_matches('#')),
        anchor.value().attr("id")
    );
}

#[test]
fn vorlage_page_shows_the_organigramm_in_two_columns() {
    let page = example().page(VORLAGE);
    let spalten = page.one(".vorlage-text .spalten");
    let columns: Vec<_> = spalten.select(&sel(".spalte")).collect();
    assert_eq!(columns.len(), 2, "two columns");
    let heading = |c: &scraper::ElementRef| {
        text(
            c.select(&sel("h2, h3, h4, h5, h6"))
                .next()
                .expect("column heading"),
        )
    };
    assert_eq!(heading(&columns[0]), "AG Gemeinwesenarbeit");
    assert_eq!(heading(&columns[1]), "Stadtteilmanagement");
    // The items of each column as in the seed.
    let items_after = |start: &str, end: &str| -> Vec<String> {
        SEED.lines()
            .skip_while(|l| !l.contains(start))
            .skip(1)
            .take_while(|l| !l.starts_with(end))
            .filter(|l| l.starts_with("- "))
            .map(clean)
            .collect()
    };
    let ag = items_after("#### **AG** Gemeinwesenarbeit", "# Stadtteilmanagement");
    let sm = items_after("# Stadtteilmanagement", "Diese Information");
    assert_eq!(ag.len(), 4);
    assert_eq!(sm.len(), 7);
    let shown =
        |c: &scraper::ElementRef| -> Vec<String> { c.select(&sel("li")).map(text).collect() };
    assert_eq!(shown(&columns[0]), ag);
    assert_eq!(shown(&columns[1]), sm);
    // The heading above the columns.
    assert!(
        page.select(".vorlage-text h2, .vorlage-text h3")
            .iter()
            .any(|h| text(*h).starts_with("Organigramm zur Aufgabenabgrenzung"))
    );
}

#[test]
fn vorlage_page_ends_with_bearbeiter_and_signature() {
    let page = example().page(VORLAGE);
    let seed_bearb = SEED.lines().find(|l| l.starts_with("Bearb.")).unwrap();
    let seed_sig = SEED.lines().last().unwrap().replace("**", "");
    assert_eq!(seed_sig, "Brüning");
    let unterschrift = page.one(".vorlage-text .unterschrift");
    let lines: Vec<String> = unterschrift.select(&sel("p")).map(text).collect();
    let bearb = lines
        .iter()
        .find(|l| l.starts_with("Bearb."))
        .expect("Bearb. line");
    // The seed prints the line without the comma the Vorlage file has.
    assert_eq!(normalize(&bearb.replace(',', "")), normalize(seed_bearb));
    assert_eq!(lines.last().map(String::as_str), Some(seed_sig.as_str()));
    // After the text, as on paper.
    let section = text(page.one("section.vorlage-text"));
    assert!(
        section.find("Diese Information ist mit dem Dezernat VI abgestimmt.")
            < section.find("Bearb.")
    );
}

#[test]
fn vorlage_page_is_no_example() {
    let page = example().page(VORLAGE);
    assert!(!page.has(".beispiel-hinweis"));
    assert!(!page.has(".marke-beispiel"));
}

// ---------------------------------------------------------------------------------------
// Every page
// ---------------------------------------------------------------------------------------

fn all_pages() -> Vec<Page> {
    let site = example();
    site.html_files()
        .iter()
        .map(|f| Page::parse(f, &site.read(f)))
        .collect()
}

#[test]
fn every_page_has_one_h1_german_language_a_skip_link_and_main() {
    let pages = all_pages();
    assert!(pages.len() > 90);
    for page in &pages {
        let p = &page.path;
        assert_eq!(page.select("h1").len(), 1, "{p}: exactly one h1");
        assert_eq!(
            page.one("html").value().attr("lang"),
            Some("de"),
            "{p}: lang"
        );
        let main = page.one("main");
        let skip = page
            .select("a[href^='#']")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{p}: no skip link"));
        let target = skip.value().attr("href").unwrap().trim_start_matches('#');
        assert!(!target.is_empty(), "{p}");
        let targets = page.select(&format!("[id='{target}']"));
        assert_eq!(targets.len(), 1, "{p}: skip link target #{target}");
        assert!(
            targets[0] == main || main.select(&sel(&format!("[id='{target}']"))).count() == 1,
            "{p}: the skip link leads to the main content"
        );
        // The skip link comes before the navigation.
        let first_link = page.select("body a").into_iter().next().unwrap();
        assert!(first_link == skip, "{p}: the skip link is the first link");
        assert!(page.source.starts_with("<!DOCTYPE html>"), "{p}: doctype");
        assert!(page.has("head > title"), "{p}: title");
    }
}

#[test]
fn no_style_attributes() {
    for page in all_pages() {
        assert!(!page.has("[style]"), "{}: style attribute", page.path);
    }
}

#[test]
fn no_inline_scripts_and_no_event_handlers() {
    for page in all_pages() {
        let p = &page.path;
        assert!(!page.has("style"), "{p}: <style> element");
        // JSON-LD is data for search engines, never executed; any other script
        // comes from a file, so a strict Content-Security-Policy works.
        for script in page.select("script:not([type='application/ld+json'])") {
            assert!(
                script.value().attr("src").is_some(),
                "{p}: inline <script> without src"
            );
            assert!(text(script).is_empty(), "{p}: script with content");
        }
        for data in page.select("script[type='application/ld+json']") {
            let json: String = data.text().collect();
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                "{p}: JSON-LD that is not JSON"
            );
        }
        for el in page.select("*") {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{p}: event handler attribute {name}"
                );
            }
        }
    }
}

#[test]
fn no_resource_comes_from_another_host() {
    for page in all_pages() {
        for u in urls(&page) {
            if is_resource(&u) {
                assert!(
                    !is_external(&u.value),
                    "{}: <{} {}=\"{}\"> loads from another host",
                    page.path,
                    u.tag,
                    u.attr,
                    u.value
                );
            }
        }
    }
}

#[test]
fn every_internal_link_resolves_to_a_written_file_and_fragment() {
    let problems = check_links(example(), BASE);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn canonical_links_point_to_the_page_itself_under_base_url() {
    for page in all_pages() {
        if page.path == "404.html" {
            continue;
        }
        let canonical = page.one("link[rel=canonical]");
        let href = canonical.value().attr("href").unwrap();
        let expected_path = page.path.trim_end_matches("index.html");
        assert_eq!(
            href,
            format!("https://quartier.example.org/gwa/{expected_path}"),
            "{}",
            page.path
        );
    }
}

#[test]
fn no_page_has_duplicate_ids() {
    for page in all_pages() {
        let mut seen = HashSet::new();
        for el in page.select("[id]") {
            let id = el.value().attr("id").unwrap();
            assert!(
                seen.insert(id.to_string()),
                "{}: duplicate id '{id}'",
                page.path
            );
        }
    }
}

#[test]
fn pages_showing_example_records_say_so() {
    let site = example();
    // Pages of entities marked `beispiel: true`, found from the content files.
    let mut entity_pages: Vec<(String, bool)> = Vec::new();
    for s in stadtteile() {
        entity_pages.push((format!("stadtteile/{}/", s.slug), s.flag("beispiel")));
    }
    for a in ags() {
        entity_pages.push((format!("ags/{}/", a.slug), a.flag("beispiel")));
    }
    for p in projekte() {
        entity_pages.push((projekt_path(&p), p.flag("beispiel")));
    }
    for f in foren() {
        entity_pages.push((format!("foren/{}/", f.slug), f.flag("beispiel")));
    }
    for v in vorlagen() {
        entity_pages.push((format!("vorlagen/{}/", v.slug), v.flag("beispiel")));
    }
    for s in seiten() {
        entity_pages.push((format!("{}/", s.slug), s.flag("beispiel")));
    }
    let beispiel: Vec<&String> = entity_pages
        .iter()
        .filter(|(_, b)| *b)
        .map(|(p, _)| p)
        .collect();
    assert!(beispiel.len() > 20, "the example has many example records");
    for path in &beispiel {
        let page = site.page(path);
        assert!(
            page.has(".beispiel-hinweis"),
            "{path}: example record without notice"
        );
    }
    // Any page listing an example record (with its badge) carries the notice, and the
    // notice never appears where nothing is an example.
    let mut with_notice = 0;
    for page in all_pages() {
        let badge_outside_notice = page.select(".marke-beispiel").into_iter().any(|b| {
            !b.ancestors().any(|a| {
                scraper::ElementRef::wrap(a).is_some_and(|e| {
                    e.value()
                        .has_class("beispiel-hinweis", scraper::CaseSensitivity::CaseSensitive)
                })
            })
        });
        let notice = page.has(".beispiel-hinweis");
        if badge_outside_notice {
            assert!(
                notice,
                "{}: shows example records without notice",
                page.path
            );
        }
        let own = entity_pages
            .iter()
            .any(|(p, b)| *b && format!("{p}index.html") == page.path);
        if notice {
            with_notice += 1;
            assert!(
                badge_outside_notice || own,
                "{}: notice without any example on the page",
                page.path
            );
        }
    }
    assert!(with_notice > beispiel.len());
}

// ---------------------------------------------------------------------------------------
// German formatting and order
// ---------------------------------------------------------------------------------------

#[test]
fn amounts_and_dates_are_written_the_german_way() {
    let euro = regex::Regex::new(r"[0-9][0-9.,]* ?€").unwrap();
    let german = regex::Regex::new(r"^\d{1,3}(\.\d{3})*,\d{2} €$").unwrap();
    let iso = regex::Regex::new(r"\b\d{4}-\d{2}-\d{2}\b").unwrap();
    let mut amounts = 0;
    let mut dates = 0;
    for page in all_pages() {
        // Code shows what editors type (`datum: 2026-06-20`), not what residents read.
        let main = text_without(page.one("main"), &["code"]);
        for m in euro.find_iter(&main) {
            assert!(
                german.is_match(m.as_str()),
                "{}: amount '{}' is not like 1.500,00 €",
                page.path,
                m.as_str()
            );
            amounts += 1;
        }
        assert!(
            !iso.is_match(&main),
            "{}: ISO date in the text: {:?}",
            page.path,
            iso.find(&main).map(|m| m.as_str())
        );
        for time in page.select("time[datetime]") {
            let attr = time.value().attr("datetime").unwrap();
            let d = date(&attr[..10]);
            let shown = text(time);
            assert!(
                shown == datum(d)
                    || shown == datum_lang(d)
                    || shown.starts_with(&format!("{}. ", d.day())),
                "{}: <time datetime={attr}> shows '{shown}'",
                page.path
            );
            dates += 1;
        }
    }
    assert!(amounts > 50, "{amounts} amounts checked");
    assert!(dates > 50, "{dates} dates checked");
}

#[test]
fn project_amounts_match_the_content() {
    let site = example();
    let euro = regex::Regex::new(r"\d{1,3}(?:\.\d{3})*,\d{2} €").unwrap();
    for p in projekte() {
        let Some(summe) = p.float("foerdersumme") else {
            continue;
        };
        let page = site.page(&projekt_path(&p));
        let shown = page.main_text();
        let expected = (summe * 100.0).round() as i64;
        assert!(
            euro.find_iter(&shown)
                .any(|m| cents(m.as_str()) == expected),
            "{}: amount {summe} not shown",
            p.slug
        );
    }
}

#[test]
fn stadtteile_are_listed_in_german_order() {
    let page = example().page("stadtteile/");
    let shown: Vec<String> = page
        .select(".stadtteil-name")
        .into_iter()
        .map(text)
        .collect();
    let mut names: Vec<String> = stadtteile()
        .iter()
        .map(|s| s.str("name").unwrap())
        .collect();
    assert_eq!(shown.len(), names.len());
    names.sort_by_key(|n| german_key(n));
    assert_eq!(shown, names);
    // An umlaut is filed under its base letter.
    let buchstaben: Vec<String> = page.select(".buchstabe h2").into_iter().map(text).collect();
    assert!(
        !buchstaben
            .iter()
            .any(|b| ["Ä", "Ö", "Ü"].contains(&b.as_str()))
    );
    let mut sorted = buchstaben.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(buchstaben, sorted);
}

#[test]
fn projects_are_listed_newest_year_first() {
    let page = example().page("projekte/");
    let cards = page.select("#projektliste > li.projekt");
    assert_eq!(cards.len(), projekte().len(), "every project is listed");
    let jahre: Vec<i64> = cards
        .iter()
        .map(|c| c.value().attr("data-jahr").unwrap().parse().unwrap())
        .collect();
    let mut sorted = jahre.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(jahre, sorted);
    assert!(jahre.first() > jahre.last(), "several years");
    // The year navigation, newest first, too.
    let nav: Vec<i64> = page
        .select("nav.jahre li a")
        .into_iter()
        .map(|a| text(a).parse().unwrap())
        .collect();
    let distinct: BTreeSet<i64> = jahre.iter().copied().collect();
    assert_eq!(nav, distinct.into_iter().rev().collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------
// A Stadtteil with everything: Sudenburg
// ---------------------------------------------------------------------------------------

fn section<'a>(page: &'a Page, id: &str) -> scraper::ElementRef<'a> {
    page.one(&format!("section[aria-labelledby='{id}']"))
}

#[test]
fn sudenburg_shows_its_ag_with_the_next_meeting() {
    let page = example().page("stadtteile/sudenburg/");
    let ags: Vec<Entity> = ags()
        .into_iter()
        .filter(|a| a.list("stadtteile").contains(&"sudenburg".to_string()))
        .collect();
    assert!(!ags.is_empty());
    let s = section(&page, "Arbeitsgruppen");
    let shown = text(s);
    for ag in &ags {
        let name = ag.str("name").unwrap();
        assert!(shown.contains(&name), "{name} missing");
        let url = format!("{BASE}ags/{}/", ag.slug);
        assert!(
            s.select(&sel(&format!("a[href='{url}']"))).next().is_some(),
            "link to {url}"
        );
        // The next meeting is the first one today or later.
        let naechste = match ag.fields.get("sitzungen") {
            Some(serde_yaml::Value::Sequence(items)) => items
                .iter()
                .filter_map(|i| i.get("datum").and_then(|d| d.as_str()).map(date))
                .filter(|d| *d >= heute())
                .min(),
            _ => None,
        }
        .expect("the example AG has an upcoming meeting");
        let times: Vec<String> = s
            .select(&sel("time"))
            .filter_map(|t| t.value().attr("datetime").map(str::to_string))
            .collect();
        assert_eq!(times, [naechste.to_string()]);
        assert!(shown.contains("Nächste Sitzung"), "{shown}");
        assert!(shown.contains(&datum_lang(naechste)), "{shown}");
    }
}

#[test]
fn sudenburg_shows_its_stadtteilmanagement_with_office_hours() {
    let page = example().page("stadtteile/sudenburg/");
    let sudenburg = stadtteile()
        .into_iter()
        .find(|s| s.slug == "sudenburg")
        .unwrap();
    let sm = sudenburg
        .fields
        .get("stadtteilmanagement")
        .expect("Stadtteilmanagement");
    let s = section(&page, "Stadtteilmanagement");
    let shown = text(s);
    for key in ["traeger", "adresse", "telefon", "email"] {
        let v = sm.get(key).and_then(|v| v.as_str()).unwrap();
        assert!(shown.contains(v), "{key} '{v}' missing");
    }
    let expected: Vec<String> = sm
        .get("sprechstunden")
        .and_then(|v| v.as_sequence())
        .unwrap()
        .iter()
        .map(|z| {
            let tag = z.get("wochentag").unwrap().as_str().unwrap();
            let tag = format!("{}{}", tag[..1].to_uppercase(), &tag[1..]);
            let von = z.get("von").unwrap().as_str().unwrap();
            let bis = z.get("bis").unwrap().as_str().unwrap();
            let ort = z.get("ort").unwrap().as_str().unwrap();
            format!("jeden {tag}, {von}–{bis} Uhr – {ort}")
        })
        .collect();
    let items: Vec<String> = s.select(&sel(".sprechstunden li")).map(text).collect();
    assert_eq!(items, expected);
}

#[test]
fn sudenburg_groups_its_projects_by_year_with_totals() {
    let page = example().page("stadtteile/sudenburg/");
    let mine: Vec<Entity> = projekte()
        .into_iter()
        .filter(|p| p.list("stadtteile").contains(&"sudenburg".to_string()))
        .collect();
    let mut by_year: BTreeMap<i64, Vec<&Entity>> = BTreeMap::new();
    for p in &mine {
        by_year.entry(p.int("jahr").unwrap()).or_default().push(p);
    }
    assert!(by_year.len() >= 2, "projects in several years");
    let s = section(&page, "Projekte");
    let jahrgaenge: Vec<_> = s.select(&sel("section.jahrgang")).collect();
    let years: Vec<i64> = jahrgaenge
        .iter()
        .map(|j| text(j.select(&sel("h3")).next().unwrap()).parse().unwrap())
        .collect();
    assert_eq!(
        years,
        by_year.keys().rev().copied().collect::<Vec<_>>(),
        "newest year first"
    );
    let mut total = 0;
    for (j, year) in jahrgaenge.iter().zip(&years) {
        let cards: Vec<_> = j.select(&sel("li.projekt")).collect();
        let expected = &by_year[year];
        assert_eq!(cards.len(), expected.len(), "{year}");
        let titles: BTreeSet<String> = cards
            .iter()
            .map(|c| text(c.select(&sel(".karte-titel a")).next().unwrap()))
            .collect();
        let wanted: BTreeSet<String> = expected.iter().map(|p| p.str("titel").unwrap()).collect();
        assert_eq!(titles, wanted, "{year}");
        // The year's total is the sum of the amounts shown on its cards…
        let shown_amounts: i64 = cards
            .iter()
            .map(|c| {
                let dd = c
                    .select(&sel(".karte-zahlen div"))
                    .find(|d| text(*d).starts_with("Förderung"))
                    .expect("amount on the card");
                cents(&text(dd.select(&sel("dd")).next().unwrap()))
            })
            .sum();
        let summe = j.select(&sel(".summen")).next().expect("year total");
        let summe_text = text(summe);
        let year_total = cents(&text(summe.select(&sel("strong")).next().unwrap()));
        assert_eq!(year_total, shown_amounts, "{year}: {summe_text}");
        // …and of the amounts in the content.
        let from_content: i64 = expected
            .iter()
            .map(|p| (p.float("foerdersumme").unwrap_or(0.0) * 100.0).round() as i64)
            .sum();
        assert_eq!(year_total, from_content, "{year}");
        let beteiligte: i64 = expected.iter().filter_map(|p| p.int("beteiligte")).sum();
        assert!(
            summe_text.contains(&format!("{} Beteiligte", zahl(beteiligte))),
            "{summe_text}"
        );
        total += year_total;
    }
    let overall = s.select(&sel(".summen")).next().unwrap();
    assert!(
        !jahrgaenge
            .iter()
            .any(|j| j.select(&sel(".summen")).next() == Some(overall)),
        "the overall total comes first"
    );
    assert_eq!(
        cents(&text(overall.select(&sel("strong")).next().unwrap())),
        total
    );
    assert!(text(overall).starts_with(&format!("{} Projekte", mine.len())));
}

fn zahl(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[test]
fn sudenburg_lists_its_forums() {
    let page = example().page("stadtteile/sudenburg/");
    let mine: Vec<Entity> = foren()
        .into_iter()
        .filter(|f| f.list("stadtteile").contains(&"sudenburg".to_string()))
        .collect();
    assert!(!mine.is_empty());
    let s = section(&page, "Stadtteilforen");
    // The links to the forums' pages (calendar files aside).
    let links: BTreeSet<String> = s
        .select(&sel("a:not([download])"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    let expected: BTreeSet<String> = mine
        .iter()
        .map(|f| format!("{BASE}foren/{}/", f.slug))
        .collect();
    assert_eq!(links, expected);
    // Upcoming and past forums are told apart by date.
    let shown = text(s);
    for f in &mine {
        let d = date(&f.str("datum").unwrap());
        assert!(shown.contains(&datum_lang(d)), "{}", f.slug);
    }
    let kommend = mine
        .iter()
        .any(|f| date(&f.str("datum").unwrap()) >= heute());
    let vergangen = mine
        .iter()
        .any(|f| date(&f.str("datum").unwrap()) < heute());
    assert_eq!(shown.contains("Kommende Foren"), kommend);
    assert_eq!(shown.contains("Vergangene Foren"), vergangen);
}

// ---------------------------------------------------------------------------------------
// The build as a whole
// ---------------------------------------------------------------------------------------

#[test]
fn two_builds_are_byte_identical() {
    let first = example();
    let out = example_out_dir("zweiter-build");
    let second = build_example_into(&out, None).ok();
    let a = snapshot(&first.out);
    let b = snapshot(&second.out);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn base_url_on_the_command_line_moves_every_link() {
    let out = example_out_dir("vorschau");
    let run = quartier(&[
        "build",
        "--root",
        repo_root().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--heute",
        HEUTE,
        "--base-url",
        "https://vorschau.example.net/test/",
    ]);
    run.assert_code(0);
    let site = Site {
        report: quartier::Report::default(),
        out: out.clone(),
    };
    let problems = check_links(&site, "/test/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut internal = 0;
    for f in site.html_files() {
        let page = site.page(&f);
        for u in urls(&page) {
            assert!(
                !u.value.starts_with("/gwa/") && !u.value.contains("quartier.example.org"),
                "{f}: {} still uses the base_url of portal.yaml",
                u.value
            );
            if u.value.starts_with("/test/") {
                internal += 1;
            }
        }
        if f != "404.html" {
            let canonical = page
                .one("link[rel=canonical]")
                .value()
                .attr("href")
                .unwrap();
            assert!(
                canonical.starts_with("https://vorschau.example.net/test/"),
                "{f}: {canonical}"
            );
        }
    }
    assert!(internal > 1000, "{internal} links under /test/");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn check_on_the_example_exits_0_without_problems() {
    let run = quartier(&["check", "--root", repo_root().to_str().unwrap()]);
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    assert!(run.stderr.contains("Geprüft:"), "{}", run.stderr);
    assert!(
        example().report.diagnostics.is_empty(),
        "the example builds without warnings:\n{}",
        example().diagnostics()
    );
}

#[test]
fn the_vorlage_is_linked_from_the_pages_that_mention_it() {
    // The plain page about Gemeinwesenarbeit and the start page quote I0264/09.
    let site = example();
    let href = format!("{BASE}{VORLAGE}");
    for path in ["", "gemeinwesenarbeit-in-magdeburg/"] {
        let page = site.page(path);
        let linked = page
            .select("main a")
            .into_iter()
            .any(|a| a.value().attr("href") == Some(href.as_str()) && text(a) == "I0264/09");
        assert!(linked, "{path}: I0264/09 not linked to {href}");
    }
    let list = site.page("vorlagen/");
    assert!(list.has(&format!("a[href='{href}']")));
}
