//! Markdown and the content model, rendered: small purpose-made portals built with the
//! library and inspected as HTML.

mod common;

use std::collections::BTreeSet;

use common::*;

/// A portal with one plain page `test` whose body is `body`.
fn mit_seite(body: &str) -> TestPortal {
    TestPortal::new().file(
        "content/seiten/test.md",
        &md("titel: \"Testseite\"\n", body),
    )
}

fn seite(body: &str) -> (TestPortal, Page) {
    let p = mit_seite(body);
    let site = p.build().ok();
    let page = site.page("test/");
    (p, page)
}

fn hrefs(el: scraper::ElementRef<'_>) -> Vec<String> {
    el.select(&sel("a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------

#[test]
fn tables_footnotes_strikethrough_and_task_lists() {
    let (_p, page) = seite(
        "| Posten | Betrag |\n|---|---|\n| Zelt | 300 |\n| Musik | 200 |\n\n\
         Das ~~alte~~ neue Fest[^quelle] und noch eins[^zwei].\n\n\
         - [x] Zelt bestellt\n- [ ] Musik gefragt\n\n\
         [^quelle]: Laut Protokoll der AG.\n[^zwei]: Zweite Fußnote.\n",
    );
    let text_el = page.one("main .text");
    // Table
    let th: Vec<String> = text_el.select(&sel("table thead th")).map(text).collect();
    assert_eq!(th, ["Posten", "Betrag"]);
    let rows: Vec<Vec<String>> = text_el
        .select(&sel("table tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect();
    assert_eq!(rows, [["Zelt", "300"], ["Musik", "200"]]);
    // Strikethrough
    assert_eq!(
        text_el.select(&sel("del, s")).map(text).collect::<Vec<_>>(),
        ["alte"]
    );
    // Footnotes: numbered references that lead to the notes and back.
    let refs: Vec<_> = text_el.select(&sel("sup a")).collect();
    assert_eq!(
        refs.iter().map(|a| text(*a)).collect::<Vec<_>>(),
        ["1", "2"]
    );
    let notes: Vec<_> = text_el
        .select(&sel(".fussnoten li, .footnote-definition"))
        .collect();
    assert_eq!(notes.len(), 2);
    for (r, note) in refs.iter().zip(&notes) {
        let target = r.value().attr("href").unwrap().trim_start_matches('#');
        assert_eq!(note.value().attr("id"), Some(target));
        let back = note.select(&sel("a")).last().unwrap();
        assert_eq!(
            back.value().attr("href").unwrap().trim_start_matches('#'),
            r.value().attr("id").unwrap()
        );
    }
    assert!(text(notes[0]).contains("Laut Protokoll der AG."));
    assert!(text(notes[1]).contains("Zweite Fußnote."));
    // Task lists: done and open items are told apart, also for screen readers.
    let items: Vec<String> = text_el.select(&sel("li")).map(text).collect();
    let zelt = items.iter().find(|i| i.contains("Zelt bestellt")).unwrap();
    let musik = items.iter().find(|i| i.contains("Musik gefragt")).unwrap();
    assert!(zelt.contains("erledigt"), "{zelt}");
    assert!(musik.contains("offen"), "{musik}");
    assert!(!musik.contains("erledigt"), "{musik}");
    assert!(!page.source.contains("[x]") && !page.source.contains("[ ]"));
}

#[test]
fn aligned_table_columns_have_no_inline_style() {
    let (_p, page) = seite("| Posten | Betrag |\n|:---|---:|\n| Zelt | 300,00 € |\n");
    assert_eq!(page.select("table td").len(), 2);
    assert!(!page.has("[style]"), "{}", page.one("table").html());
}

#[test]
fn heading_ids_are_stable_and_unique() {
    let body = "## Ablauf\n\nText\n\n## Ablauf\n\nText\n\n## Über uns & mehr\n\n\
                ## Kosten {#geld}\n\n[Zum Ablauf](#ablauf)\n";
    let (p, page) = seite(body);
    let ids: Vec<String> = page
        .select("main .text h2")
        .into_iter()
        .map(|h| h.value().attr("id").expect("heading id").to_string())
        .collect();
    assert_eq!(ids.len(), 4);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 4, "{ids:?}");
    assert_eq!(ids[0], slugify("Ablauf"));
    assert!(ids[1].starts_with(&ids[0]) && ids[1] != ids[0], "{ids:?}");
    assert_eq!(ids[2], slugify("Über uns & mehr"));
    assert_eq!(ids[3], "geld");
    // Stable: the same ids in a second build.
    let again = p.build().ok().page("test/");
    let ids2: Vec<String> = again
        .select("main .text h2")
        .into_iter()
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(ids, ids2);
    // The in-page link reaches its heading.
    let link = page.one("main .text p a");
    assert_eq!(
        link.value().attr("href"),
        Some(format!("#{}", ids[0]).as_str())
    );
}

#[test]
fn a_body_heading_level_1_becomes_h2_and_the_page_keeps_one_h1() {
    let (_p, page) = seite("# Einleitung\n\nText\n\n## Details\n\nMehr\n");
    assert_eq!(page.select("h1").len(), 1);
    assert_eq!(text(page.one("h1")), "Testseite");
    let h2: Vec<String> = page.select("main .text h2").into_iter().map(text).collect();
    assert_eq!(h2, ["Einleitung"]);
    let h3: Vec<String> = page.select("main .text h3").into_iter().map(text).collect();
    assert_eq!(h3, ["Details"]);
}

#[test]
fn heading_ids_never_collide_with_ids_of_the_template() {
    let (_p, page) = seite("## Inhalt\n\nText\n\n## Projektfilter\n");
    let mut seen = BTreeSet::new();
    for el in page.select("[id]") {
        let id = el.value().attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "duplicate id '{id}'");
    }
    assert_eq!(page.select("#inhalt").len(), 1);
}

const RATSINFO: &str = "https://ratsinfo.example.org/vorlage?nr={nummer}";

fn vorlage(nummer: &str, extra: &str) -> String {
    md(
        &format!(
            "nummer: \"{nummer}\"\nart: information\nthema: \"Thema {nummer}\"\n\
             datum: 2009-11-24\n{extra}"
        ),
        "Text der Vorlage.\n",
    )
}

const NUMMERN: &str = "Siehe I0264/09 und I 0264/09, dazu I 0126/09 und DS0123/24 sowie WS 2022/23.\n\n\
                       Im Code `I0264/09` und im Link [Vorlage DS0123/24](https://example.net/) bleibt es.\n\n\
                       ```\nI0264/09 im Block\n```\n";

#[test]
fn vorlage_numbers_link_to_the_portal_or_the_ratsinfo() {
    let p = mit_seite(NUMMERN)
        .file("content/vorlagen/i0264-09.md", &vorlage("I0264/09", ""))
        .file(
            "portal.yaml",
            &format!("{PORTAL_YAML}ratsinfo_url: \"{RATSINFO}\"\n"),
        );
    let site = p.build().ok();
    let page = site.page("test/");
    let links: Vec<(String, String)> = page
        .select("main .text a")
        .into_iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    let ratsinfo = |n: &str| -> String { RATSINFO.replace("{nummer}", n) };
    let decoded: Vec<(String, String)> = links
        .iter()
        .map(|(t, h)| (t.clone(), percent_decode(h)))
        .collect();
    assert_eq!(
        decoded,
        [
            (
                "I0264/09".to_string(),
                "/gwa/vorlagen/i0264-09/".to_string()
            ),
            (
                "I 0264/09".to_string(),
                "/gwa/vorlagen/i0264-09/".to_string()
            ),
            ("I 0126/09".to_string(), ratsinfo("I0126/09")),
            ("DS0123/24".to_string(), ratsinfo("DS0123/24")),
            (
                "Vorlage DS0123/24".to_string(),
                "https://example.net/".to_string()
            ),
        ],
        "{links:?}"
    );
    // Code stays code, "WS 2022/23" is no Vorlage.
    assert_eq!(text(page.one("main .text p code")), "I0264/09");
    assert!(
        page.one("main .text pre")
            .select(&sel("a"))
            .next()
            .is_none()
    );
    assert!(page.main_text().contains("WS 2022/23"));
    assert!(site.exists("vorlagen/i0264-09/"));
}

#[test]
fn vorlage_numbers_stay_plain_text_without_page_or_ratsinfo() {
    let (_p, page) = seite(NUMMERN);
    let links: Vec<String> = page
        .select("main .text a")
        .into_iter()
        .map(|a| text(a))
        .collect();
    assert_eq!(links, ["Vorlage DS0123/24"]);
    let t = page.main_text();
    assert!(
        t.contains("Siehe I0264/09 und I 0264/09, dazu I 0126/09 und DS0123/24"),
        "{t}"
    );
}

#[test]
fn a_non_public_vorlage_is_not_linked_from_text() {
    let p = mit_seite("Vgl. I0264/09.\n").file(
        "content/vorlagen/i0264-09.md",
        &vorlage("I0264/09", "oeffentlich: false\n"),
    );
    let site = p.build().ok();
    assert!(!site.exists("vorlagen/i0264-09/"));
    let page = site.page("test/");
    assert!(page.select("main .text a").is_empty());
    assert!(!site.page("vorlagen/").main_text().contains("I0264/09"));
}

#[test]
fn raw_html_is_escaped_by_default_with_a_warning() {
    let body = "Ein <b>fettes</b> Fest.\n\n<div class=\"box\">Kasten</div>\n";
    let p = mit_seite(body);
    let site = p.build().ok();
    let page = site.page("test/");
    assert!(page.select("main .text b").is_empty());
    assert!(page.select("main .text div.box").is_empty());
    let t = page.main_text();
    assert!(t.contains("Ein <b>fettes</b> Fest."), "{t}");
    assert!(t.contains("<div class=\"box\">Kasten</div>"), "{t}");
    let w: Vec<_> = site
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code.id() == "W004")
        .collect();
    assert_eq!(w.len(), 1, "{}", site.diagnostics());
    let loc = w[0].location.as_ref().unwrap();
    assert_eq!(loc.file, "content/seiten/test.md");
    let file = p.read("content/seiten/test.md");
    assert_eq!((loc.line, loc.column), pos(&file, "<b>"));
}

const GEFAEHRLICH: &str = "<div class=\"box\" onclick=\"alert(1)\"><b>fett</b> \
    <a href=\"javascript:alert(2)\">böse</a> <a href=\"https://example.net/\">gut</a></div>\n\n\
    <script>alert(3)</script>\n\n\
    Text <span onmouseover=\"alert(4)\">Maus</span> <em>schräg</em>\n\n\
    <iframe src=\"https://example.net/\"></iframe>\n";

#[test]
fn allowed_html_keeps_what_is_harmless_and_never_scripts() {
    let p = mit_seite(GEFAEHRLICH).file(
        "portal.yaml",
        &format!("{PORTAL_YAML}html_erlauben: true\n"),
    );
    let site = p.build().ok();
    assert!(!site.codes().contains(&"W004"));
    let page = site.page("test/");
    let text_el = page.one("main .text");
    // Kept
    assert_eq!(text(text_el.select(&sel("b")).next().unwrap()), "fett");
    assert_eq!(text(text_el.select(&sel("em")).next().unwrap()), "schräg");
    assert!(text_el.select(&sel("div.box")).next().is_some());
    assert!(hrefs(text_el).contains(&"https://example.net/".to_string()));
    // Removed
    assert!(text_el.select(&sel("script, iframe")).next().is_none());
    let html = text_el.html();
    assert!(!html.contains("alert"), "{html}");
    assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    for el in text_el.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler {name} kept: {html}");
        }
    }
    // The editor is told what went, once per text, where the first of it is.
    let w015: Vec<_> = site
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code.id() == "W015")
        .collect();
    assert_eq!(w015.len(), 1, "{}", site.diagnostics());
    for teil in [
        "onclick=",
        "javascript:",
        "<script>",
        "onmouseover=",
        "<iframe>",
    ] {
        assert!(w015[0].message.contains(teil), "{}", w015[0].message);
    }
    assert_eq!(w015[0].location.as_ref().unwrap().line, 4);
}

#[test]
fn allowed_html_links_get_the_base_path() {
    let p = mit_seite("<a href=\"/stadtteile/\">Alle Stadtteile</a>\n").file(
        "portal.yaml",
        &format!("{PORTAL_YAML}html_erlauben: true\n"),
    );
    let site = p.build().ok();
    let page = site.page("test/");
    assert_eq!(hrefs(page.one("main .text")), ["/gwa/stadtteile/"]);
}

#[test]
fn javascript_links_in_markdown_never_pass() {
    for link in [
        "[klick](javascript:alert(1))",
        "[klick](JavaScript:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
    ] {
        let p = mit_seite(&format!("Bitte {link} hier.\n"));
        let site = p.build();
        let d = site
            .report
            .diagnostics
            .iter()
            .find(|d| d.code.id() == "W008")
            .unwrap_or_else(|| panic!("{link}: no diagnostic:\n{}", site.diagnostics()));
        assert!(d.message.contains("Schema"), "{}", d.message);
        assert!(
            site.report.written.is_some(),
            "a removed link does not stop the build"
        );
        let loc = d.location.as_ref().unwrap();
        assert_eq!(loc.line, 4);
        assert_eq!(loc.column, "Bitte ".len() + 1);
        if site.report.written.is_some() {
            let page = site.page("test/");
            assert!(!page.source.to_lowercase().contains("javascript:"));
            assert!(!page.source.contains("data:text"));
        }
    }
}

#[test]
fn root_relative_and_relative_links_get_the_base_path() {
    let p = mit_seite(
        "[S](/stadtteile/sudenburg/) [D](/dateien/plan.pdf) [F](/stadtteile/sudenburg/#Projekte) \
         [B](/gwa/stadtteile/) [O](/stadtteile/buckau) [R](../stadtteile/) [E](https://example.net/x) \
         [M](mailto:ag@example.org) [A](#oben)\n",
    )
    .bytes("content/dateien/plan.pdf", b"%PDF");
    let site = p.build().ok();
    let page = site.page("test/");
    assert_eq!(
        hrefs(page.one("main .text")),
        [
            "/gwa/stadtteile/sudenburg/",
            "/gwa/dateien/plan.pdf",
            "/gwa/stadtteile/sudenburg/#Projekte",
            "/gwa/stadtteile/",
            "/gwa/stadtteile/buckau/",
            "/gwa/stadtteile/",
            "https://example.net/x",
            "mailto:ag@example.org",
            "#oben",
        ]
    );
    let problems = check_links(&site, "/gwa/");
    // "#oben" names no heading of the page; everything else resolves.
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("#oben"));
}

#[test]
fn highlighted_code_uses_classes_and_links_code_css() {
    let p = mit_seite("```yaml\ntitel: Kiezfest\njahr: 2025\n```\n").file(
        "content/seiten/ohne.md",
        &md("titel: \"Ohne Code\"\n", "```\nnur Text\n```\n"),
    );
    let site = p.build().ok();
    let page = site.page("test/");
    let code = page.one("main pre code");
    assert!(
        code.select(&sel("span[class]")).count() > 2,
        "{}",
        code.html()
    );
    assert!(!code.html().contains("style="));
    assert_eq!(text(code), "titel: Kiezfest jahr: 2025");
    let css = page.one("link[href='/gwa/css/code.css']");
    assert_eq!(css.value().attr("rel"), Some("stylesheet"));
    assert!(site.exists("css/code.css"));
    // A page with an unhighlighted block, and one without code, do not load it.
    for path in ["ohne/", "stadtteile/"] {
        let other = site.page(path);
        assert!(!other.has("link[href$='code.css']"), "{path}");
    }
    assert!(site.page("ohne/").has("main pre code"));
}

#[test]
fn spalten_container_puts_headed_sections_side_by_side() {
    let (_p, page) = seite(
        "Vorher.\n\n::: spalten\n### Links\n\n- eins\n- zwei\n\n### Rechts\n\nText rechts.\n:::\n\n\
         Nachher.\n\n```\n::: spalten\n```\n",
    );
    let spalten = page.one("main .text .spalten");
    let cols: Vec<_> = spalten.select(&sel(".spalte")).collect();
    assert_eq!(cols.len(), 2);
    assert_eq!(text(cols[0]), "Links eins zwei");
    assert_eq!(text(cols[1]), "Rechts Text rechts.");
    let t = page.main_text();
    assert!(t.find("Vorher.") < t.find("Links") && t.find("Rechts") < t.find("Nachher."));
    assert!(!text(spalten).contains(":::"));
    assert_eq!(text(page.one("main .text pre")), "::: spalten");
}

// ---------------------------------------------------------------------------------------
// The content model
// ---------------------------------------------------------------------------------------

const ENTWURF: &str = "---\ntitel: \"Geheimes Fest\"\njahr: 2026\nstadtteile: [sudenburg]\n\
                       entwurf: true\n---\nNoch nicht fertig.\n";

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let p = TestPortal::new().file("content/projekte/geheimes-fest.md", ENTWURF);
    let site = p.build().ok();
    assert!(!site.exists("projekte/2026/geheimes-fest/"));
    for f in site.html_files() {
        assert!(
            !site.read(&f).contains("Geheimes Fest"),
            "{f} shows the draft"
        );
    }
    // `check` also leaves it out.
    assert_eq!(p.check().exit_code(), 0);

    let run = p.cli_build(&["--drafts"]);
    run.assert_code(0);
    let page = std::fs::read_to_string(p.public().join("projekte/2026/geheimes-fest/index.html"))
        .expect("draft written with --drafts");
    assert!(page.contains("Noch nicht fertig."));
    let liste = std::fs::read_to_string(p.public().join("projekte/index.html")).unwrap();
    assert!(liste.contains("Geheimes Fest"));

    // Files starting with '_' or '.' are always ignored.
    let p = TestPortal::new()
        .file("content/projekte/_vorlage.md", "kein gültiger Inhalt")
        .file("content/projekte/.versteckt.md", "auch nicht");
    p.build().ok();
}

#[test]
fn yaml_list_of_projects() {
    let list = "# Import aus der Tabelle\n\
                - titel: \"Frühjahrsputz am Gärtnerplatz\"\n  jahr: 2024\n  stadtteile: [sudenburg]\n  foerdersumme: 450\n  text: \"Wir haben **aufgeräumt**.\"\n\
                - titel: \"Lesepaten\"\n  slug: lesepaten-buckau\n  jahr: 2024\n  stadtteile: [buckau]\n\
                - titel: \"Sommerkino 2024!\"\n  jahr: 2024\n  stadtteile: [buckau, sudenburg]\n";
    let p = TestPortal::new().file("content/projekte/2024.yaml", list);
    let site = p.build().ok();
    // Slugs: derived from the title, or given.
    assert_eq!(
        slugify("Frühjahrsputz am Gärtnerplatz"),
        "fruehjahrsputz-am-gaertnerplatz"
    );
    for (slug, titel) in [
        (
            slugify("Frühjahrsputz am Gärtnerplatz"),
            "Frühjahrsputz am Gärtnerplatz",
        ),
        ("lesepaten-buckau".to_string(), "Lesepaten"),
        (slugify("Sommerkino 2024!"), "Sommerkino 2024!"),
    ] {
        let page = site.page(&format!("projekte/2024/{slug}/"));
        assert_eq!(text(page.one("h1")), titel);
    }
    assert!(!site.exists("projekte/2024/lesepaten/"));
    let putz = site.page("projekte/2024/fruehjahrsputz-am-gaertnerplatz/");
    assert_eq!(text(putz.one("main .text strong")), "aufgeräumt");
    let jahr = site.page("projekte/2024/");
    assert_eq!(jahr.select("li.projekt").len(), 3);
}

#[test]
fn projects_may_live_in_sub_folders_and_their_url_follows_jahr() {
    let projekt = |titel: &str, jahr: i32| {
        md(
            &format!("titel: \"{titel}\"\njahr: {jahr}\nstadtteile: [sudenburg]\n"),
            "Text.\n",
        )
    };
    let p = TestPortal::new()
        .file("content/projekte/2024/fest-a.md", &projekt("Fest A", 2024))
        .file("content/projekte/2025/fest-b.md", &projekt("Fest B", 2025))
        .file(
            "content/projekte/archiv/alt/fest-c.md",
            &projekt("Fest C", 2023),
        );
    let site = p.build().ok();
    for page in [
        "projekte/2024/fest-a/",
        "projekte/2025/fest-b/",
        "projekte/2023/fest-c/",
        "projekte/2023/",
        "projekte/2024/",
        "projekte/2025/",
    ] {
        assert!(site.exists(page), "{page}");
    }
    let titles: Vec<String> = site
        .page("projekte/2025/")
        .select("li.projekt .karte-titel")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(titles, ["Fest B"]);
}

#[test]
fn text_field_is_the_body_of_a_yaml_entity() {
    let p = TestPortal::empty()
        .file(
            "content/stadtteile/sudenburg.yaml",
            "name: \"Sudenburg\"\ntext: |\n  Ein **alter** Stadtteil mit [Arbeitsgruppen](/ags/).\n\n  ## Geschichte\n\n  Seit 1990.\n",
        );
    let site = p.build().ok();
    let page = site.page("stadtteile/sudenburg/");
    let t = page.one("main .text");
    assert_eq!(text(t.select(&sel("strong")).next().unwrap()), "alter");
    assert_eq!(hrefs(t), ["/gwa/ags/"]);
    assert_eq!(text(t.select(&sel("h2")).next().unwrap()), "Geschichte");
}

#[test]
fn a_portal_without_themes_uses_the_built_in_theme() {
    let p = TestPortal::new();
    assert!(!p.path("themes").exists());
    let site = p.build().ok();
    let builtin = repo_root().join("themes/default/static");
    for (rel, bytes) in snapshot(&builtin) {
        // Leaflet is published only by portals with tiles (karte.kacheln).
        if rel.starts_with("vendor/leaflet/") {
            assert!(
                !site.out.join(&rel).exists(),
                "{rel} published without tiles"
            );
            continue;
        }
        let out = std::fs::read(site.out.join(&rel)).unwrap_or_else(|_| panic!("{rel} missing"));
        assert!(out == bytes, "{rel} differs from the built-in theme");
    }
    let page = site.page("stadtteile/");
    assert!(page.has("link[rel=stylesheet][href='/gwa/css/quartier.css']"));
    assert!(page.has(".stadtteil-liste"));
}

#[test]
fn a_portal_theme_may_override_one_template() {
    let seite_html = "{% extends \"base.html\" %}\n{% block inhalt %}<h1 class=\"eigen\">{{ seite.titel }}</h1>\
                      {% if text %}<div class=\"eigener-text\">{{ text | safe }}</div>{% endif %}{% endblock inhalt %}\n";
    let p = mit_seite("Hallo **Welt**.\n")
        .file("themes/default/templates/seite.html", seite_html)
        .file(
            "themes/default/static/css/extra.css",
            "body { margin: 0 }\n",
        );
    let site = p.build().ok();
    let page = site.page("test/");
    assert_eq!(text(page.one("h1.eigen")), "Testseite");
    assert_eq!(text(page.one(".eigener-text strong")), "Welt");
    // The rest of the theme is the built-in one.
    assert!(page.has("a.sprunglink"), "base.html still built in");
    let liste = site.page("stadtteile/");
    assert!(liste.has(".stadtteil-liste"));
    assert!(site.exists("css/quartier.css"));
    assert_eq!(site.read("css/extra.css"), "body { margin: 0 }\n");
}

#[test]
fn stadtteil_page_lists_the_vorlagen_that_concern_it() {
    let p = TestPortal::new().file(
        "content/vorlagen/i0264-09.md",
        &vorlage("I0264/09", "stadtteile: [sudenburg]\n"),
    );
    let site = p.build().ok();
    let sudenburg = site.page("stadtteile/sudenburg/");
    let s = sudenburg.one("section[aria-labelledby=Vorlagen]");
    assert_eq!(hrefs(s), ["/gwa/vorlagen/i0264-09/"]);
    assert!(text(s).contains("I0264/09"));
    let buckau = site.page("stadtteile/buckau/");
    assert!(hrefs(buckau.one("section[aria-labelledby=Vorlagen]")).is_empty());
}

#[test]
fn ag_page_shows_next_and_past_meetings_with_minutes() {
    let ag = "---\nname: \"AG Sudenburg\"\nstadtteile: [sudenburg]\nsitzungen:\n\
              \x20 - datum: 2026-09-08\n    zeit: \"17:00\"\n    thema: \"Kiezfest\"\n    protokoll: protokolle/2026-09-08.pdf\n\
              \x20 - datum: 2026-11-10\n    zeit: \"17:00\"\n    thema: \"Ideen 2027\"\n    protokoll: |\n      **Anwesend:** 12 Personen.\n\n      - Kiezfest 2027\n\
              \x20 - datum: 2026-12-08\n    zeit: \"17:30\"\n    ort: \"Stadtteiltreff\"\n    thema: \"Jahresabschluss\"\n\
              \x20 - datum: 2027-01-12\n    thema: \"Anträge\"\n---\nDie AG.\n";
    let pdf = vec![b'%'; 182_000];
    let p = TestPortal::new()
        .file("content/ags/ag-sudenburg.md", ag)
        .bytes("content/dateien/protokolle/2026-09-08.pdf", &pdf);
    let site = p.build().ok();
    let page = site.page("ags/ag-sudenburg/");
    // Next meeting: the first on or after "today" (2026-11-25).
    let next = page.one("section[aria-labelledby=Naechste-Sitzung]");
    let nt = text(next);
    assert!(
        nt.contains(&datum_lang(jiff::civil::date(2026, 12, 8))),
        "{nt}"
    );
    assert!(
        nt.contains("17:30 Uhr") && nt.contains("Stadtteiltreff"),
        "{nt}"
    );
    // Past meetings, newest first, each with its minutes.
    let past: Vec<_> = page.select("article.sitzung");
    assert_eq!(past.len(), 2);
    let dates: Vec<&str> = past
        .iter()
        .map(|a| {
            a.select(&sel("time"))
                .next()
                .unwrap()
                .value()
                .attr("datetime")
                .unwrap()
        })
        .collect();
    assert_eq!(dates, ["2026-11-10", "2026-09-08"]);
    let md_minutes = past[0];
    assert_eq!(
        text(md_minutes.select(&sel("strong")).next().unwrap()),
        "Anwesend:"
    );
    assert!(text(md_minutes).contains("Kiezfest 2027"));
    let file_minutes = past[1];
    let link = file_minutes
        .select(&sel("a"))
        .find(|a| a.value().attr("href").is_some_and(|h| h.ends_with(".pdf")))
        .expect("link to the minutes");
    assert_eq!(
        link.value().attr("href"),
        Some("/gwa/dateien/protokolle/2026-09-08.pdf")
    );
    let ft = text(file_minutes);
    assert!(ft.contains("PDF, 182 KB"), "{ft}");
    assert_eq!(
        std::fs::read(site.out.join("dateien/protokolle/2026-09-08.pdf")).unwrap(),
        pdf
    );
    // Upcoming meetings after the next one are listed as well.
    assert!(
        page.main_text()
            .contains(&datum_lang(jiff::civil::date(2027, 1, 12)))
    );
    assert!(check_links(&site, "/gwa/").is_empty());
}

#[test]
fn lists_are_sorted_the_german_way() {
    let mut p = TestPortal::empty();
    let names = [
        "Zipkeleben",
        "Ottersleben",
        "Ökostadt",
        "Olvenstedt",
        "Alte Neustadt",
        "Alt Olvenstedt",
        "Übersee",
        "Ulrichshaus",
        "Neustädter See",
        "Neustadt",
    ];
    for n in names {
        p = p.file(
            &format!("content/stadtteile/{}.yaml", slugify(n)),
            &format!("name: \"{n}\"\n"),
        );
    }
    let projekt = |titel: &str, jahr: i32| {
        md(
            &format!("titel: \"{titel}\"\njahr: {jahr}\nstadtteile: [ottersleben]\n"),
            "",
        )
    };
    p = p
        .file("content/projekte/a.md", &projekt("Mittel", 2024))
        .file("content/projekte/b.md", &projekt("Alt", 2019))
        .file("content/projekte/c.md", &projekt("Neu", 2026))
        .file("content/projekte/d.md", &projekt("Auch neu", 2026));
    let site = p.build().ok();
    let page = site.page("stadtteile/");
    let shown: Vec<String> = page
        .select(".stadtteil-name")
        .into_iter()
        .map(text)
        .collect();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort_by_key(|n| german_key(n));
    assert_eq!(shown, expected);
    assert!(
        shown.iter().position(|n| n == "Ökostadt") < shown.iter().position(|n| n == "Olvenstedt"),
        "Ö sorts as O"
    );
    let letters: Vec<String> = page.select(".buchstabe h2").into_iter().map(text).collect();
    assert_eq!(letters, ["A", "N", "O", "U", "Z"]);

    let projekte = site.page("projekte/");
    let jahre: Vec<String> = projekte
        .select("#projektliste > li")
        .into_iter()
        .map(|li| li.value().attr("data-jahr").unwrap().to_string())
        .collect();
    assert_eq!(jahre, ["2026", "2026", "2024", "2019"]);
    let ottersleben = site.page("stadtteile/ottersleben/");
    let years: Vec<String> = ottersleben
        .select("section.jahrgang h3")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(years, ["2026", "2024", "2019"]);
}

#[test]
fn amounts_numbers_dates_and_times_are_german() {
    let p = TestPortal::new()
        .file(
            "content/projekte/gross.md",
            &md(
                "titel: \"Großes Fest\"\njahr: 2025\nstadtteile: [sudenburg]\nfoerdersumme: 1234567.8\n\
                 beteiligte: 10000\nvon: 2025-06-01\nbis: 2025-06-21\n",
                "",
            ),
        )
        .file(
            "content/projekte/klein.md",
            &md(
                "titel: \"Kleines Fest\"\njahr: 2025\nstadtteile: [sudenburg]\nfoerdersumme: 1500\nbeteiligte: 250\n",
                "",
            ),
        )
        .file(
            "content/foren/forum.md",
            &md(
                "titel: \"Forum\"\ndatum: 2027-02-17\nzeit: \"18:00\"\nstadtteile: [sudenburg]\n",
                "",
            ),
        )
        .file("content/vorlagen/i0264-09.md", &vorlage("I0264/09", ""));
    let site = p.build().ok();
    let gross = site.page("projekte/2025/gross/").main_text();
    assert!(gross.contains("1.234.567,80 €"), "{gross}");
    assert!(gross.contains("10.000"), "{gross}");
    assert!(
        gross.contains("01.06.2025") && gross.contains("21.06.2025"),
        "{gross}"
    );
    let klein = site.page("projekte/2025/klein/").main_text();
    assert!(klein.contains("1.500,00 €"), "{klein}");
    let jahr = site.page("projekte/2025/").main_text();
    assert!(jahr.contains("1.236.067,80 €"), "the year's total: {jahr}");
    assert!(jahr.contains("10.250"), "{jahr}");
    let forum = site.page("foren/forum/").main_text();
    assert!(forum.contains("18:00 Uhr"), "{forum}");
    assert!(
        forum.contains("17.02.2027") || forum.contains("17. Februar 2027"),
        "{forum}"
    );
    let v = site.page("vorlagen/i0264-09/");
    assert!(v.main_text().contains("24.11.2009"));
}

#[test]
fn images_from_other_hosts_are_not_embedded_silently() {
    let p = mit_seite("![Logo](https://cdn.example.com/logo.png)\n");
    let site = p.build();
    let reported = !site.report.diagnostics.is_empty();
    let embedded = site.report.written.is_some()
        && site
            .page("test/")
            .select("img")
            .iter()
            .any(|i| i.value().attr("src").is_some_and(is_external));
    assert!(
        reported || !embedded,
        "external image embedded without a word"
    );
}

#[test]
fn vorlage_page_offers_its_attachments_with_type_and_size() {
    // An image without metadata is published as it is, like any file; one with
    // metadata as its largest JPEG variant (tests/bilder.rs).
    let mut organigramm = Vec::new();
    image::RgbImage::new(640, 480)
        .write_to(
            &mut std::io::Cursor::new(&mut organigramm),
            image::ImageFormat::Png,
        )
        .unwrap();
    let p = TestPortal::new()
        .file(
            "content/vorlagen/i0264-09.md",
            &vorlage(
                "I0264/09",
                "anhaenge:\n  - datei: vorlagen/I0264-09.pdf\n    titel: \"Unterschriebenes Original\"\n\
                 \x20 - datei: vorlagen/organigramm.png\n",
            ),
        )
        .bytes("content/dateien/vorlagen/I0264-09.pdf", &vec![b'%'; 1_400_000])
        .bytes("content/dateien/vorlagen/organigramm.png", &organigramm);
    let site = p.build().ok();
    let page = site.page("vorlagen/i0264-09/");
    let items: Vec<String> = page
        .select("main .dateien li")
        .into_iter()
        .map(text)
        .collect();
    let links = hrefs(page.one("main .dateien"));
    assert_eq!(links[1], "/gwa/dateien/vorlagen/I0264-09.pdf");
    assert_eq!(links[2], "/gwa/dateien/vorlagen/organigramm.png");
    assert_eq!(links.len(), 4, "{links:?}");
    assert_eq!(
        std::fs::read(site.out.join("dateien/vorlagen/organigramm.png")).unwrap(),
        organigramm
    );
    // Between the generated PDF and the Markdown source (tests/vorlagen.rs).
    assert_eq!(
        items[1..items.len() - 1],
        [
            "Unterschriebenes Original (PDF, 1,4 MB)".to_string(),
            format!(
                "organigramm.png (Bild (PNG), {})",
                quartier::render::format::dateigroesse(organigramm.len() as u64)
            ),
        ]
    );
    assert!(check_links(&site, "/gwa/").is_empty());
}

#[test]
fn meetings_on_the_same_day_have_their_own_anchors() {
    let ag = "---\nname: \"AG\"\nstadtteile: [sudenburg]\nsitzungen:\n\
              \x20 - datum: 2026-12-08\n    zeit: \"10:00\"\n    thema: \"Sprecherrat\"\n\
              \x20 - datum: 2026-12-08\n    zeit: \"17:00\"\n    thema: \"Sitzung\"\n\
              \x20 - datum: 2026-12-15\n    thema: \"Weihnachten\"\n---\n";
    let p = TestPortal::new().file("content/ags/ag.md", ag);
    let site = p.build().ok();
    let page = site.page("ags/ag/");
    let mut seen = BTreeSet::new();
    for el in page.select("[id]") {
        let id = el.value().attr("id").unwrap();
        assert!(seen.insert(id.to_string()), "duplicate id '{id}'");
    }
    let termine = site.page("termine/");
    let targets: BTreeSet<String> = termine
        .select("main a[href*='/ags/ag/#']")
        .into_iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(targets.len(), 3, "{targets:?}");
}

#[test]
fn percent_encoded_links_to_existing_files_resolve() {
    let p = mit_seite("[Plan](/dateien/Übersicht%20Plan.pdf)\n")
        .bytes("content/dateien/Übersicht Plan.pdf", b"%PDF");
    let site = p.build().ok();
    let page = site.page("test/");
    let href = hrefs(page.one("main .text")).remove(0);
    assert_eq!(percent_decode(&href), "/gwa/dateien/Übersicht Plan.pdf");
}

// ---------------------------------------------------------------------------------------
// Figures nobody gave, and the start page of a portal without an introduction
// ---------------------------------------------------------------------------------------

fn projekt(slug: &str, jahr: i32, stadtteil: &str, extra: &str) -> (String, String) {
    (
        format!("content/projekte/{slug}.md"),
        format!(
            "---\ntitel: \"{slug}\"\njahr: {jahr}\nstadtteile: [{stadtteil}]\n{extra}---\nText.\n"
        ),
    )
}

/// The contract's start page says what Gemeinwesenarbeit is, also when the portal has
/// no `einleitung` of its own.
#[test]
fn the_start_page_says_what_gemeinwesenarbeit_is_without_an_introduction() {
    let p = TestPortal::new();
    let site = p.build().ok();
    let start = site.page("/");
    let einleitung: Vec<String> = start
        .select(".start-kopf .einleitung")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(einleitung.len(), 1, "{einleitung:?}");
    assert!(
        einleitung[0].starts_with("Gemeinwesenarbeit ermutigt"),
        "{einleitung:?}"
    );
    assert!(einleitung[0].contains("Arbeitsgruppen Gemeinwesenarbeit"));
    // A portal's own introduction takes its place.
    let p = TestPortal::new();
    p.write(
        "portal.yaml",
        &format!("{PORTAL_YAML}einleitung: \"Unser eigener Text.\"\n"),
    );
    let start = p.build().ok().page("/");
    let text = start.main_text();
    assert!(text.contains("Unser eigener Text."), "{text}");
    assert!(!text.contains("Gemeinwesenarbeit ermutigt"), "{text}");
}

/// A total nobody gave is not 0: the year's table shows a dash ("keine Angabe"), and the
/// start page leaves the figure out.
#[test]
fn figures_nobody_gave_are_not_shown_as_zero() {
    let mut p = TestPortal::new();
    for (rel, text) in [
        projekt(
            "mit-zahlen",
            2026,
            "sudenburg",
            "foerdersumme: 1500\nbeteiligte: 40\n",
        ),
        projekt("ohne-zahlen", 2026, "buckau", ""),
    ] {
        p = p.file(&rel, &text);
    }
    let site = p.build().ok();
    let jahr = site.page("/projekte/2026/");
    let zeilen: Vec<String> = jahr
        .select("#Nach-Stadtteilen ~ .tabelle tbody tr")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(zeilen.len(), 2, "{zeilen:?}");
    let buckau = zeilen.iter().find(|z| z.starts_with("Buckau")).unwrap();
    assert_eq!(buckau.matches("keine Angabe").count(), 2, "{buckau}");
    assert!(!buckau.contains("0,00"), "{buckau}");
    let sudenburg = zeilen.iter().find(|z| z.starts_with("Sudenburg")).unwrap();
    assert!(
        sudenburg.contains("1.500,00 €") && sudenburg.contains("40"),
        "{sudenburg}"
    );
    let summe = text(jahr.select("#Nach-Stadtteilen ~ .tabelle tfoot tr")[0]);
    assert!(
        summe.contains("1.500,00 €") && !summe.contains("keine Angabe"),
        "{summe}"
    );
    let zahlen = text(site.page("/").select("dl.zahlen")[0]);
    assert!(
        zahlen.contains("Förderung") && zahlen.contains("Beteiligte"),
        "{zahlen}"
    );

    // Without any figure at all, the start page names none.
    let p = TestPortal::new().file(
        &projekt("ohne-zahlen", 2026, "buckau", "").0,
        &projekt("ohne-zahlen", 2026, "buckau", "").1,
    );
    let site = p.build().ok();
    let zahlen = text(site.page("/").select("dl.zahlen")[0]);
    assert!(
        !zahlen.contains("Förderung") && !zahlen.contains("Beteiligte"),
        "{zahlen}"
    );
    let summe = text(
        site.page("/projekte/2026/")
            .select("#Nach-Stadtteilen ~ .tabelle tfoot tr")[0],
    );
    assert_eq!(summe.matches("keine Angabe").count(), 2, "{summe}");
}

/// Editors' files keep their names, spaces and umlauts included; a link to one is a
/// valid URL, percent-encoded once, however the editor wrote it.
#[test]
fn links_to_files_with_spaces_and_umlauts_are_percent_encoded_once() {
    let p = TestPortal::new()
        .file("content/dateien/Plan neu ä.pdf", "%PDF-1.4\n%%EOF\n")
        .file(
            "content/seiten/plaene.md",
            "---\ntitel: \"Pläne\"\n---\n[So](</dateien/Plan neu ä.pdf>) und [so](/dateien/Plan%20neu%20%C3%A4.pdf).\n",
        );
    let site = p.build().ok();
    assert!(site.exists("dateien/Plan neu ä.pdf"));
    let seite = site.page("plaene/");
    let hrefs: Vec<String> = hrefs(seite.select("main")[0])
        .into_iter()
        .filter(|h| h.contains("Plan"))
        .collect();
    assert_eq!(
        hrefs,
        vec!["/gwa/dateien/Plan%20neu%20%C3%A4.pdf"; 2],
        "{hrefs:?}"
    );
}

#[test]
fn a_file_named_on_a_mac_matches_links_typed_anywhere_else() {
    // macOS writes `Übersicht` decomposed (U + combining diaeresis); editors type it
    // composed. Both spellings name the same file, published under the composed one.
    let zerlegt = "content/dateien/U\u{308}bersicht.pdf";
    let p = TestPortal::new()
        .file(zerlegt, "%PDF-1.4\n%%EOF\n")
        .file(
            "content/foren/forum.md",
            "---\ntitel: \"Forum\"\ndatum: 2026-05-20\nstadtteile: [sudenburg]\nanhaenge:\n  - datei: \"\u{dc}bersicht.pdf\"\n    titel: \"\u{dc}bersicht\"\n---\n\
             [Zusammengesetzt](/dateien/\u{dc}bersicht.pdf), [zerlegt](/dateien/U\u{308}bersicht.pdf).\n",
        );
    let site = p.build().ok();
    assert!(site.exists("dateien/\u{dc}bersicht.pdf"));
    assert!(!site.exists("dateien/U\u{308}bersicht.pdf"));
    let seite = site.page("foren/forum/");
    let hrefs: Vec<String> = hrefs(seite.select("main")[0])
        .into_iter()
        .filter(|h| h.contains("bersicht"))
        .collect();
    assert_eq!(
        hrefs,
        vec!["/gwa/dateien/%C3%9Cbersicht.pdf"; 3],
        "{hrefs:?}"
    );
}
