//! Dates and news for calendars, feed readers and search engines: the iCalendar files
//! (RFC 5545), the Atom feeds (RFC 4287), sitemap.xml and robots.txt, and the schema.org
//! JSON-LD of forum, AG and Vorlage pages.

mod common;

use std::collections::HashSet;

use common::*;

/// Today is 2026-11-25 (a Wednesday) in every test build.
fn portal() -> TestPortal {
    TestPortal::new()
        .file(
            "content/stadtteile/sudenburg.yaml",
            "name: \"Sudenburg\"\n\
             stadtteilmanagement:\n  traeger: \"Träger (fiktiv)\"\n  adresse: \"Halberstädter Straße 1\"\n  sprechstunden:\n\
             \x20   - wochentag: dienstag\n      von: \"10:00\"\n      bis: \"12:00\"\n      ort: \"Büro, Raum 1; Eingang B\"\n",
        )
        .file(
            "content/ags/ag-sudenburg.md",
            "---\nname: \"AG Gemeinwesenarbeit Sudenburg\"\nstadtteile: [sudenburg]\n\
             sitzungen:\n  - datum: 2026-10-01\n    zeit: \"17:00\"\n    thema: \"Vergangen\"\n\
             \x20 - datum: 2027-03-09\n    zeit: \"17:00\"\n    ort: \"Stadtteiltreff\"\n    thema: \"Anträge, Planung; Sonstiges\"\n\
             \x20 - datum: 2027-07-06\n    thema: \"Sommerfest\"\n---\n",
        )
        .file(
            "content/foren/forum-2027.md",
            "---\ntitel: \"Stadtteilforum Sudenburg: Plätze, Wege und Grün im Quartier für alle Generationen\"\n\
             datum: 2027-01-20\nzeit: \"18:30\"\nort: \"Aula der Grundschule\"\nstadtteile: [sudenburg]\n\
             tagesordnung:\n  - \"Begrüßung\"\n  - \"Spielplatz\"\n---\n",
        )
        .file(
            "content/foren/forum-2026.md",
            "---\ntitel: \"Forum </script><script>alert(1)</script>\"\ndatum: 2026-05-20\nstadtteile: [buckau]\n---\n",
        )
        .file(
            "content/projekte/fest.md",
            "---\ntitel: \"Kiezfest & Flohmarkt\"\njahr: 2026\nvon: 2026-06-20\nstadtteile: [sudenburg]\n---\nEin Fest.\n",
        )
        .file(
            "content/vorlagen/i0001-26.md",
            "---\nnummer: \"I0001/26\"\nart: information\nthema: \"Ein Bericht\"\ndatum: 2026-02-03\noeffentlich: true\nstadtteile: [sudenburg]\n---\nText.\n",
        )
}

/// Unfolds content lines (RFC 5545 3.1) and checks every physical line's length.
fn lines(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"), "CRLF line ends");
    for physical in ics.split("\r\n") {
        assert!(
            physical.len() <= 75,
            "{} octets: {physical}",
            physical.len()
        );
    }
    ics.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn events(ics: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for l in lines(ics) {
        match l.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => out.extend(current.take()),
            _ => {
                if let Some(c) = current.as_mut() {
                    c.push(l);
                }
            }
        }
    }
    out
}

fn prop<'a>(event: &'a [String], name: &str) -> Option<&'a str> {
    event.iter().find_map(|l| {
        l.strip_prefix(name)
            .filter(|rest| rest.starts_with(':') || rest.starts_with(';'))
    })
}

#[test]
fn the_portal_calendar_has_upcoming_meetings_forums_and_weekly_office_hours() {
    let p = portal();
    let site = p.build().ok();
    let ics = site.read("termine.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
    let ev = events(&ics);
    let summaries: Vec<&str> = ev.iter().filter_map(|e| prop(e, "SUMMARY")).collect();
    // The meeting in the past and the forum of May are not upcoming.
    assert_eq!(ev.len(), 4, "{summaries:?}");
    assert!(!ics.contains("Vergangen"));

    let sitzung = ev
        .iter()
        .find(|e| prop(e, "DTSTART") == Some(";TZID=Europe/Berlin:20270309T170000"))
        .expect("the meeting of 9 March at 17:00 in Berlin time");
    assert_eq!(
        prop(sitzung, "SUMMARY"),
        Some(":AG Gemeinwesenarbeit Sudenburg: Anträge\\, Planung\\; Sonstiges"),
        "TEXT escaping"
    );
    assert_eq!(prop(sitzung, "LOCATION"), Some(":Stadtteiltreff"));
    assert_eq!(
        prop(sitzung, "URL"),
        Some(":https://example.org/gwa/ags/ag-sudenburg/#Sitzung-2027-03-09")
    );
    let ganztags = ev
        .iter()
        .find(|e| prop(e, "DTSTART") == Some(";VALUE=DATE:20270706"))
        .expect("a meeting without a time is an all-day event");
    assert_eq!(prop(ganztags, "DTEND"), Some(";VALUE=DATE:20270707"));

    let sprechstunde = ev
        .iter()
        .find(|e| prop(e, "RRULE").is_some())
        .expect("office hours repeat weekly");
    assert_eq!(prop(sprechstunde, "RRULE"), Some(":FREQ=WEEKLY;BYDAY=TU"));
    // The first Tuesday from Wednesday 25 November on.
    assert_eq!(
        prop(sprechstunde, "DTSTART"),
        Some(";TZID=Europe/Berlin:20261201T100000")
    );
    assert_eq!(
        prop(sprechstunde, "DTEND"),
        Some(";TZID=Europe/Berlin:20261201T120000")
    );
    assert_eq!(
        prop(sprechstunde, "LOCATION"),
        Some(":Büro\\, Raum 1\\; Eingang B")
    );

    // The long forum title was folded (checked in `lines`) and unfolds to the title.
    assert!(summaries.contains(
        &":Stadtteilforum Sudenburg: Plätze\\, Wege und Grün im Quartier für alle Generationen"
    ));

    let uids: Vec<&str> = ev.iter().filter_map(|e| prop(e, "UID")).collect();
    assert_eq!(
        uids.iter().collect::<HashSet<_>>().len(),
        uids.len(),
        "unique UIDs"
    );
    assert!(
        ev.iter()
            .all(|e| prop(e, "DTSTAMP") == Some(":20261125T000000Z"))
    );
}

#[test]
fn uids_are_stable_across_builds_and_content_changes_elsewhere() {
    let p = portal();
    let uids = |site: &Site| -> Vec<String> {
        events(&site.read("termine.ics"))
            .iter()
            .filter_map(|e| prop(e, "UID").map(String::from))
            .collect()
    };
    let first = uids(&p.build().ok());
    p.write(
        "content/projekte/anderes.md",
        "---\ntitel: \"Anderes\"\njahr: 2026\nstadtteile: [buckau]\n---\n",
    );
    let second = uids(&p.build().ok());
    assert_eq!(first, second);
}

#[test]
fn stadtteil_ag_and_single_event_calendars() {
    let p = portal();
    let site = p.build().ok();
    let sudenburg = events(&site.read("stadtteile/sudenburg/termine.ics"));
    assert_eq!(
        sudenburg.len(),
        4,
        "meetings of its AG, its forum, its office hours"
    );
    let buckau = events(&site.read("stadtteile/buckau/termine.ics"));
    assert!(buckau.is_empty(), "nothing upcoming in Buckau");
    let ag = events(&site.read("ags/ag-sudenburg/termine.ics"));
    assert_eq!(ag.len(), 2);
    let einzeln = events(&site.read("ags/ag-sudenburg/sitzung-2027-03-09.ics"));
    assert_eq!(einzeln.len(), 1);
    let forum = events(&site.read("foren/forum-2026/termin.ics"));
    assert_eq!(forum.len(), 1, "a past forum still has its own file");

    // The pages offer them.
    let ag_page = site.page("ags/ag-sudenburg/");
    assert!(ag_page.has("a[href='/gwa/ags/ag-sudenburg/termine.ics']"));
    assert!(ag_page.has("a[href='/gwa/ags/ag-sudenburg/sitzung-2027-03-09.ics'][download]"));
    assert!(
        site.page("foren/forum-2027/")
            .has("a[href='/gwa/foren/forum-2027/termin.ics']")
    );
    assert!(site.page("termine/").has("a[href='/gwa/termine.ics']"));
    let st = site.page("stadtteile/sudenburg/");
    assert!(st.has("a[href='/gwa/stadtteile/sudenburg/termine.ics']"));
    assert!(st.has("a[href='/gwa/stadtteile/sudenburg/feed.xml']"));
    assert!(st.has("link[rel=alternate][type='application/atom+xml'][href='/gwa/stadtteile/sudenburg/feed.xml']"));
}

#[test]
fn atom_feeds_list_new_projects_forums_and_vorlagen() {
    let p = portal();
    let site = p.build().ok();
    let xml = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(
        child(feed, "id").as_deref(),
        Some("https://example.org/gwa/feed.xml")
    );
    assert!(child(feed, "updated").is_some());
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    let titles: Vec<String> = entries.iter().filter_map(|e| child(*e, "title")).collect();
    assert_eq!(entries.len(), 4, "{titles:?}");
    // Newest first; the forum of January 2027 counts as news of today.
    assert!(
        titles[0].starts_with("Stadtteilforum Sudenburg"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Kiezfest & Flohmarkt".to_string()),
        "escaped and read back"
    );
    assert!(titles.contains(&"Information I0001/26: Ein Bericht".to_string()));
    for e in &entries {
        let id = child(*e, "id").unwrap();
        assert!(id.starts_with("tag:example.org,"), "{id}");
        let updated = child(*e, "updated").unwrap();
        assert!(
            updated.len() == 25 && (updated.ends_with("+01:00") || updated.ends_with("+02:00")),
            "RFC 3339 with the offset of Magdeburg: {updated}"
        );
    }
    let fest = entries
        .iter()
        .find(|e| child(**e, "title").as_deref() == Some("Kiezfest & Flohmarkt"))
        .unwrap();
    assert_eq!(
        child(*fest, "updated").as_deref(),
        Some("2026-06-20T00:00:00+02:00")
    );

    let st = site.read("stadtteile/buckau/feed.xml");
    let doc = roxmltree::Document::parse(&st).unwrap();
    let n = doc
        .root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .count();
    assert_eq!(n, 1, "only Buckau's forum");
}

/// The `kind/slug` ends of a feed's entry ids, in the feed's order.
fn feed_ids(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    doc.root_element()
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .filter_map(|e| e.children().find(|c| c.tag_name().name() == "id"))
        .filter_map(|id| id.text())
        .map(|id| id.rsplit(':').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn feeds_carry_the_fifty_newest_entries_newest_first() {
    // 60 projects from 1 January 2026 on, one a day; two more and a Vorlage on 1 April.
    let mut p = portal()
        .file(
            "content/projekte/zwilling-b.md",
            "---\ntitel: \"Zwilling B\"\njahr: 2026\nvon: 2026-04-01\nstadtteile: [sudenburg]\n---\n",
        )
        .file(
            "content/projekte/zwilling-a.md",
            "---\ntitel: \"Zwilling A\"\njahr: 2026\nvon: 2026-04-01\nstadtteile: [sudenburg]\n---\n",
        )
        .file(
            "content/vorlagen/i0002-26.md",
            "---\nnummer: \"I0002/26\"\nart: information\nthema: \"Am selben Tag\"\ndatum: 2026-04-01\noeffentlich: true\nstadtteile: [sudenburg]\n---\n",
        );
    let erster = jiff::civil::date(2026, 1, 1);
    for i in 0..60 {
        let von = erster.checked_add(jiff::Span::new().days(i)).unwrap();
        p = p.file(
            &format!("content/projekte/p{i:02}.md"),
            &format!(
                "---\ntitel: \"Projekt {i}\"\njahr: 2026\nvon: {von}\nstadtteile: [sudenburg]\n---\n"
            ),
        );
    }
    let site = p.build().ok();

    // Newest first; the forum of January 2027 counts as news of today; entries of the same
    // day in the order of their ids (kind, then slug). Project 33 started on 3 February,
    // the day of Vorlage I0001/26.
    let mut erwartet: Vec<String> = [
        "forum/forum-2027",
        "projekt/fest",
        "forum/forum-2026",
        "projekt/zwilling-a",
        "projekt/zwilling-b",
        "vorlage/i0002-26",
    ]
    .map(String::from)
    .to_vec();
    erwartet.extend((34..60).rev().map(|i| format!("projekt/p{i:02}")));
    erwartet.extend(["projekt/p33".to_string(), "vorlage/i0001-26".to_string()]);
    erwartet.extend((17..33).rev().map(|i| format!("projekt/p{i:02}")));
    assert_eq!(erwartet.len(), 50);
    assert_eq!(feed_ids(&site.read("feed.xml")), erwartet);

    // Sudenburg's feed: the same without Buckau's forum, so one older project more.
    let mut sudenburg = erwartet.clone();
    sudenburg.retain(|id| id != "forum/forum-2026");
    sudenburg.push("projekt/p16".into());
    assert_eq!(
        feed_ids(&site.read("stadtteile/sudenburg/feed.xml")),
        sudenburg
    );
}
#[test]
fn sitemap_and_robots_honour_base_url() {
    let p = portal();
    let site = p
        .build_with(|o| o.base_url = Some("https://stadt.example.org/portal/gwa/".into()))
        .ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://stadt.example.org/portal/gwa/"))
    );
    assert!(locs.contains(&"https://stadt.example.org/portal/gwa/"));
    assert!(locs.contains(&"https://stadt.example.org/portal/gwa/foren/forum-2027/"));
    assert!(!locs.iter().any(|l| l.contains("404")));
    assert_eq!(
        locs.len(),
        site.html_files().len() - 1,
        "every page but the error page"
    );
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://stadt.example.org/portal/gwa/sitemap.xml"));
}

fn jsonld(page: &Page) -> serde_json::Value {
    let script = page.one("script[type='application/ld+json']");
    let text: String = script.text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn event_and_document_pages_describe_themselves_for_search_engines() {
    let p = portal();
    let site = p.build().ok();
    let forum = jsonld(&site.page("foren/forum-2027/"));
    assert_eq!(forum["@type"], "Event");
    assert_eq!(forum["startDate"], "2027-01-20T18:30:00+01:00");
    assert_eq!(forum["location"]["name"], "Aula der Grundschule");
    assert_eq!(forum["url"], "https://example.org/gwa/foren/forum-2027/");

    let ag = jsonld(&site.page("ags/ag-sudenburg/"));
    let list = ag.as_array().expect("two upcoming meetings");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["startDate"], "2027-07-06", "a day without a time");

    let vorlage = jsonld(&site.page("vorlagen/i0001-26/"));
    assert_eq!(vorlage["@type"], "DigitalDocument");
    assert_eq!(vorlage["identifier"], "I0001/26");
    assert_eq!(
        vorlage["encoding"]["contentUrl"],
        "https://example.org/gwa/vorlagen/i0001-26/I0001-26.pdf"
    );

    // A title cannot end the script element early.
    let boese = site.read("foren/forum-2026/");
    let script_start = boese.find("application/ld+json").unwrap();
    let script_end = script_start + boese[script_start..].find("</script>").unwrap();
    assert!(
        boese[script_start..script_end].contains("\\u003c/script>")
            && !boese[script_start..script_end].contains("<script"),
        "{}",
        &boese[script_start..script_end]
    );
    assert_eq!(
        jsonld(&site.page("foren/forum-2026/"))["name"],
        "Forum </script><script>alert(1)</script>"
    );
}

/// A made-up record is marked wherever it leaves its page: feed readers, subscribed
/// calendars and search engines show it without the page's note. Search engines get
/// nothing about it (no JSON-LD, `noindex`, not in the sitemap), since they would
/// announce it as the city's own.
#[test]
fn made_up_records_are_marked_in_feeds_and_calendars_and_not_announced_to_search_engines() {
    let p = portal()
        .file(
            "content/ags/ag-erfunden.md",
            "---\nname: \"AG Beispielhausen\"\nstadtteile: [sudenburg]\nbeispiel: true\n\
             sitzungen:\n  - datum: 2027-02-02\n    zeit: \"18:00\"\n    thema: \"Planung\"\n---\n",
        )
        .file(
            "content/foren/forum-erfunden.md",
            "---\ntitel: \"Forum Beispielhausen\"\ndatum: 2027-02-10\nstadtteile: [sudenburg]\nbeispiel: true\n---\n",
        )
        .file(
            "content/projekte/erfunden.md",
            "---\ntitel: \"Erfundenes Fest\"\njahr: 2026\nvon: 2026-11-01\nstadtteile: [sudenburg]\nbeispiel: true\n---\nEin Fest, das es nicht gab.\n",
        );
    let site = p.build().ok();

    let ev = events(&site.read("termine.ics"));
    let summary = |e: &Vec<String>| prop(e, "SUMMARY").unwrap_or_default().to_string();
    let sitzung = ev
        .iter()
        .find(|e| summary(e).contains("AG Beispielhausen"))
        .expect("the made-up meeting is in the calendar");
    assert_eq!(summary(sitzung), ":AG Beispielhausen: Planung (Beispiel)");
    assert!(
        prop(sitzung, "DESCRIPTION")
            .unwrap()
            .starts_with(":Erfundener Beispieltermin")
    );
    let forum = ev
        .iter()
        .find(|e| summary(e).contains("Forum Beispielhausen"))
        .unwrap();
    assert_eq!(summary(forum), ":Forum Beispielhausen (Beispiel)");
    let echt = ev.iter().find(|e| summary(e).contains("Anträge")).unwrap();
    assert!(!summary(echt).contains("Beispiel"), "{}", summary(echt));
    assert!(!prop(echt, "DESCRIPTION").unwrap().contains("Erfunden"));

    let xml = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let entry = |titel: &str| {
        doc.root_element()
            .children()
            .find(|e| {
                e.children().any(|c| {
                    c.has_tag_name("title") && c.text().is_some_and(|t| t.starts_with(titel))
                })
            })
            .unwrap_or_else(|| panic!("no entry {titel}: {xml}"))
    };
    let text_of = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let fest = entry("Erfundenes Fest");
    assert_eq!(text_of(fest, "title"), "Erfundenes Fest (Beispiel)");
    assert!(text_of(fest, "summary").starts_with("Erfundener Beispieleintrag"));
    assert!(
        fest.children()
            .any(|c| c.has_tag_name("category") && c.attribute("term") == Some("Beispiel"))
    );
    assert_eq!(
        text_of(entry("Forum Beispielhausen"), "title"),
        "Forum Beispielhausen (Beispiel)"
    );
    let echt = entry("Kiezfest");
    assert_eq!(text_of(echt, "title"), "Kiezfest & Flohmarkt");
    assert!(!text_of(echt, "summary").contains("Erfunden"));

    for page in ["ags/ag-erfunden/", "foren/forum-erfunden/"] {
        assert!(
            !site.page(page).has("script[type='application/ld+json']"),
            "{page} announces a made-up event"
        );
    }
    assert!(
        site.page("ags/ag-sudenburg/")
            .has("script[type='application/ld+json']")
    );

    // Nor are their pages listed: a search result would show them without the note.
    for page in [
        "ags/ag-erfunden/",
        "foren/forum-erfunden/",
        "projekte/2026/erfunden/",
    ] {
        assert!(
            site.page(page).has("meta[name=robots][content=noindex]"),
            "{page}"
        );
    }
    assert!(!site.page("ags/ag-sudenburg/").has("meta[name=robots]"));
    let sitemap = site.read("sitemap.xml");
    for erfunden in ["ag-erfunden", "forum-erfunden", "2026/erfunden/"] {
        assert!(!sitemap.contains(erfunden), "{erfunden} in the sitemap");
    }
    assert!(sitemap.contains("https://example.org/gwa/ags/ag-sudenburg/"));
}
