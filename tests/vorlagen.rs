//! The Vorlage pages and the Vorlage list: downloads (the generated PDF, the attachments,
//! the Markdown source), "Erwähnt in" (where a Vorlage is mentioned), and the data the
//! client-side filter of `/vorlagen/` works on.

mod common;

use common::*;

const I0264: &str = "vorlagen/i0264-09/";

fn vorlage(nummer: &str, art: &str, datum: &str, extra: &str, body: &str) -> String {
    md(
        &format!(
            "nummer: \"{nummer}\"\nart: {art}\nthema: \"Thema {nummer}\"\ndatum: {datum}\n{extra}"
        ),
        body,
    )
}

fn projekt(titel: &str, body: &str) -> String {
    md(
        &format!("titel: \"{titel}\"\njahr: 2025\nstadtteile: [buckau]\n"),
        body,
    )
}

/// The main Vorlage I0264/09 (mentioning itself, which is no mention), with an
/// attachment, and texts of every kind around it that mention it or do not.
fn portal() -> TestPortal {
    TestPortal::empty()
        .file(
            "content/stadtteile/sudenburg.md",
            &md(
                "name: \"Sudenburg\"\n",
                "Die AG arbeitet, wie es I 0264/09 beschreibt.\n",
            ),
        )
        .file(
            "content/stadtteile/buckau.md",
            &md("name: \"Buckau\"\n", "Ein Stadtteil an der Elbe.\n"),
        )
        .file(
            "content/vorlagen/i0264-09.md",
            &vorlage(
                "I0264/09",
                "information",
                "2009-11-24",
                "stadtteile: [sudenburg]\nanhaenge:\n  - datei: vorlagen/original.pdf\n    titel: \"Unterschriebenes Original\"\n",
                "Diese Information I0264/09 beschreibt die Arbeitsgruppen.\n",
            ),
        )
        .bytes("content/dateien/vorlagen/original.pdf", &[b'%'; 182_000])
        .file(
            "content/vorlagen/ds0123-24.md",
            &vorlage(
                "DS0123/24",
                "beschlussvorlage",
                "2024-03-05",
                "stadtteile: [buckau]\n",
                "Sie schreibt die Informationsvorlage I0264/09 fort.\n",
            ),
        )
        // Two Vorlagen in one YAML list: neither mentions I0264/09.
        .file(
            "content/vorlagen/2022.yaml",
            "- nummer: \"A0171/22\"\n  art: antrag\n  thema: \"Ein Antrag\"\n  datum: 2022-06-01\n\
             \x20 stadtteile: [buckau, sudenburg]\n  text: |\n    Der Antrag bezieht sich auf DS0123/24.\n\
             - nummer: \"F0001/23\"\n  art: anfrage\n  thema: \"Eine Anfrage\"\n  datum: 2023-01-10\n\
             \x20 text: \"Eine Frage ohne Verweis.\"\n",
        )
        .file(
            "content/projekte/schulwege.md",
            &projekt(
                "Schulwege",
                "Wie es [die Informationsvorlage](/vorlagen/i0264-09/) beschreibt.\n",
            ),
        )
        .file(
            "content/projekte/anderes.md",
            &projekt("Anderes Projekt", "Nur DS0123/24 wird hier genannt.\n"),
        )
        .file(
            "content/ags/ag-sudenburg.md",
            "---\nname: \"AG Sudenburg\"\nstadtteile: [sudenburg]\nsitzungen:\n\
             \x20 - datum: 2026-10-13\n    protokoll: \"Wir sprachen über I0264/09.\"\n---\n",
        )
        .file(
            "content/foren/forum.md",
            &md(
                "titel: \"Forum Buckau\"\ndatum: 2026-05-20\nstadtteile: [buckau]\n",
                "Ohne Vorlage.\n",
            ),
        )
        .file(
            "content/seiten/hinweise.md",
            &md(
                "titel: \"Hinweise\"\n",
                "Zum Herunterladen: [PDF](/vorlagen/i0264-09/I0264-09.pdf) und \
                 [Quelltext](/vorlagen/i0264-09/I0264-09.md).\n",
            ),
        )
}

fn items(page: &Page, css: &str) -> Vec<String> {
    page.select(css).into_iter().map(text).collect()
}

fn hrefs(page: &Page, css: &str) -> Vec<String> {
    page.select(css)
        .into_iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// File sizes as the portal prints them (`512 Byte`, `182 KB`).
fn groesse(bytes: usize) -> String {
    if bytes < 1000 {
        format!("{bytes} Byte")
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

#[test]
fn the_vorlage_page_offers_pdf_attachments_and_markdown_source_with_type_and_size() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page(I0264);
    let downloads = "main section[aria-labelledby=Downloads] .dateien li";
    let shown = items(&page, downloads);
    assert_eq!(shown.len(), 3, "{shown:?}");
    let pdf = regex::Regex::new(r"^Vorlage I0264/09 als PDF \(PDF, \d+ KB\)$").unwrap();
    assert!(pdf.is_match(&shown[0]), "{shown:?}");
    assert_eq!(shown[1], "Unterschriebenes Original (PDF, 182 KB)");
    let quelle = p.read("content/vorlagen/i0264-09.md");
    assert_eq!(
        shown[2],
        format!(
            "Vorlage I0264/09 als Markdown-Quelltext (Markdown, {})",
            groesse(quelle.len())
        )
    );
    assert_eq!(
        hrefs(&page, &format!("{downloads} a")),
        [
            "/gwa/vorlagen/i0264-09/I0264-09.pdf",
            "/gwa/dateien/vorlagen/original.pdf",
            "/gwa/vorlagen/i0264-09/I0264-09.md",
        ]
    );
    // The PDF's size on the page is the size of the file written.
    let pdf_bytes = std::fs::read(site.file_of("vorlagen/i0264-09/I0264-09.pdf")).unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    assert!(shown[0].contains(&groesse(pdf_bytes.len())), "{shown:?}");
    // The source is published byte for byte.
    let md = std::fs::read(site.file_of("vorlagen/i0264-09/I0264-09.md")).unwrap();
    assert_eq!(md, quelle.as_bytes());
    // Markdown may link to both files; every link of the site resolves.
    assert!(site.report.diagnostics.is_empty(), "{}", site.diagnostics());
    assert_eq!(check_links(&site, "/gwa/"), Vec::<String>::new());
}

#[test]
fn a_vorlage_from_a_yaml_list_publishes_its_own_entry_as_markdown() {
    let p = portal();
    let site = p.build().ok();
    let md = site.read("vorlagen/a0171-22/A0171-22.md");
    assert!(md.starts_with("---\n"), "{md}");
    assert!(md.contains("nummer: A0171/22\n"), "{md}");
    assert!(md.contains("art: antrag\n"), "{md}");
    assert!(
        md.ends_with("---\n\nDer Antrag bezieht sich auf DS0123/24.\n"),
        "{md}"
    );
    assert!(
        !md.contains("F0001/23"),
        "the other entry of the list leaked: {md}"
    );
    let page = site.page("vorlagen/a0171-22/");
    let quelle = items(&page, "main section[aria-labelledby=Downloads] li")
        .pop()
        .unwrap();
    assert_eq!(
        quelle,
        format!(
            "Vorlage A0171/22 als Markdown-Quelltext (Markdown, {})",
            groesse(md.len())
        )
    );
    // Without attachments the section has the PDF and the source.
    assert_eq!(
        hrefs(
            &site.page("vorlagen/f0001-23/"),
            "main section[aria-labelledby=Downloads] a"
        ),
        [
            "/gwa/vorlagen/f0001-23/F0001-23.pdf",
            "/gwa/vorlagen/f0001-23/F0001-23.md",
        ]
    );
}

#[test]
fn the_vorlage_page_lists_where_it_is_mentioned() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page(I0264);
    let erwaehnt = "main section[aria-labelledby=Erwaehnt-in] li";
    assert_eq!(
        items(&page, erwaehnt),
        [
            "Vorlage: Beschlussvorlage DS0123/24: Thema DS0123/24",
            "Projekt: Schulwege (2025)",
            "Stadtteil: Sudenburg",
            "Protokoll: AG Sudenburg, Sitzung vom 13.10.2026",
            "Seite: Hinweise",
        ]
    );
    assert_eq!(
        hrefs(&page, &format!("{erwaehnt} a")),
        [
            "/gwa/vorlagen/ds0123-24/",
            "/gwa/projekte/2025/schulwege/",
            "/gwa/stadtteile/sudenburg/",
            "/gwa/ags/ag-sudenburg/#Sitzung-2026-10-13",
            "/gwa/hinweise/",
        ]
    );
    // DS0123/24 is mentioned by the other project and by A0171/22, not by I0264/09.
    let ds = site.page("vorlagen/ds0123-24/");
    assert_eq!(
        hrefs(&ds, "main section[aria-labelledby=Erwaehnt-in] a"),
        ["/gwa/vorlagen/a0171-22/", "/gwa/projekte/2025/anderes/"]
    );
    // Nobody mentions F0001/23: no empty section.
    let f = site.page("vorlagen/f0001-23/");
    assert!(!f.has("#Erwaehnt-in"), "{}", f.main_text());
    assert_eq!(check_links(&site, "/gwa/"), Vec::<String>::new());
}

#[test]
fn example_records_are_no_mentions_of_a_real_vorlage() {
    let beispiel = |body: &str| {
        md(
            "titel: \"Schulwege\"\njahr: 2025\nstadtteile: [buckau]\nbeispiel: true\n",
            body,
        )
    };
    // A fictional project mentions the real I0264/09 and the example F0001/23.
    let p = portal()
        .file(
            "content/projekte/schulwege.md",
            &beispiel("Siehe I0264/09 und F0001/23.\n"),
        )
        .file(
            "content/vorlagen/2022.yaml",
            "- nummer: \"F0001/23\"\n  art: anfrage\n  thema: \"Eine Anfrage\"\n  datum: 2023-01-10\n\
             \x20 beispiel: true\n",
        );
    let site = p.build().ok();
    let real = site.page(I0264);
    let links = hrefs(&real, "main section[aria-labelledby=Erwaehnt-in] a");
    assert!(
        !links.contains(&"/gwa/projekte/2025/schulwege/".to_string()),
        "{links:?}"
    );
    assert!(!real.has(".beispiel-hinweis"));
    assert!(!real.has(".marke-beispiel"));
    let example = site.page("vorlagen/f0001-23/");
    let listed = example
        .select("main section[aria-labelledby=Erwaehnt-in] li")
        .into_iter()
        .find(|li| text(*li).starts_with("Projekt: Schulwege"))
        .expect("the example project is listed on the example Vorlage");
    assert!(text(listed).contains("Beispiel"), "{}", text(listed));
    assert!(example.has(".beispiel-hinweis"));
}

#[test]
fn list_items_carry_the_filter_data_and_the_form_waits_for_javascript() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page("vorlagen/");
    let rows: Vec<(String, String, String, String)> = page
        .select("main #vorlagenliste [data-jahr]")
        .into_iter()
        .map(|row| {
            let v = row.value();
            (
                text(row.select(&sel("a")).next().expect("link")),
                v.attr("data-jahr").unwrap().to_string(),
                v.attr("data-art").expect("data-art").to_string(),
                v.attr("data-stadtteile")
                    .expect("data-stadtteile")
                    .to_string(),
            )
        })
        .collect();
    let row = |n: &str, j: &str, a: &str, s: &str| {
        (n.to_string(), j.to_string(), a.to_string(), s.to_string())
    };
    assert_eq!(
        rows,
        [
            row("DS0123/24", "2024", "beschlussvorlage", "buckau"),
            row("F0001/23", "2023", "anfrage", ""),
            row("A0171/22", "2022", "antrag", "buckau sudenburg"),
            row("I0264/09", "2009", "information", "sudenburg"),
        ]
    );
    // Each year is a group the script can hide as a whole.
    assert_eq!(page.select("main #vorlagenliste [data-gruppe]").len(), 4);

    let form = page.one("main form#vorlagenfilter");
    assert!(
        form.value().attr("hidden").is_some(),
        "shown without JavaScript"
    );
    let options = |name: &str| -> Vec<String> {
        page.select(&format!("form#vorlagenfilter select[name={name}] option"))
            .into_iter()
            .filter_map(|o| o.value().attr("value").map(str::to_string))
            .collect()
    };
    assert_eq!(options("jahr"), ["", "2024", "2023", "2022", "2009"]);
    assert_eq!(
        options("art"),
        ["", "information", "beschlussvorlage", "antrag", "anfrage"]
    );
    assert_eq!(options("stadtteil"), ["", "buckau", "sudenburg"]);
    for id in ["filter-jahr", "filter-art", "filter-stadtteil"] {
        assert!(
            page.has(&format!("form#vorlagenfilter label[for={id}]")),
            "{id}"
        );
    }
    assert!(page.has("form#vorlagenfilter [role=status][aria-live=polite]"));
    assert!(page.has("form#vorlagenfilter button[type=reset]"));
    assert!(page.has("script[src='/gwa/js/filter.js']"));
    assert!(site.exists("js/filter.js"));
}

#[test]
fn an_empty_list_has_no_filter() {
    let p = TestPortal::new();
    let site = p.build().ok();
    let page = site.page("vorlagen/");
    assert!(!page.has("form#vorlagenfilter"));
    assert!(!page.has("script[src$='filter.js']"));
}

#[test]
fn the_example_vorlage_lists_the_texts_that_mention_it() {
    let page = example().page(I0264);
    let links = hrefs(&page, "main section[aria-labelledby=Erwaehnt-in] a");
    // The page about Gemeinwesenarbeit in Magdeburg summarises the Vorlage; the fictional
    // projects that mention it are examples and not listed on a real document.
    assert!(
        links.contains(&"/gwa/gemeinwesenarbeit-in-magdeburg/".to_string()),
        "{links:?}"
    );
    assert!(
        !links.contains(&"/gwa/projekte/2026/sichere-schulwege-sudenburg/".to_string()),
        "{links:?}"
    );
    assert!(page.has("main a[href='/gwa/vorlagen/i0264-09/I0264-09.md']"));
    assert!(page.has("main a[href='/gwa/vorlagen/i0264-09/I0264-09.pdf']"));
}
