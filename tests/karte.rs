//! Maps: boundaries matched to Stadtteile, the SVG maps on the start page, `/stadtteile/`,
//! each Stadtteil page and `/karte/`, the optional tile map, the GeoJSON data files, and
//! the validation of project coordinates against the boundaries.
//!
//! The purpose-made portal here has its own, fictional boundaries file (three squares
//! side by side), so the matching does not depend on the example's data.

mod common;

use common::*;
use serde_json::Value;

const GRENZEN_PATH: &str = "content/geo/grenzen.geojson";

/// Three squares of 0.01° side by side: "Alte Neustadt" with number 1 (which is
/// Sudenburg's number, so it is Sudenburg's shape despite the name), "Buckau" without a
/// number (matched by name) and "Werder", which no Stadtteil of the portal has.
const GRENZEN: &str = r#"{
  "type": "FeatureCollection",
  "features": [
    {"type": "Feature", "properties": {"nummer": 1, "name": "Alte Neustadt"}, "geometry": {"type": "Polygon", "coordinates": [[[11.60, 52.10], [11.61, 52.10], [11.61, 52.11], [11.60, 52.11], [11.60, 52.10]]]}},
    {"type": "Feature", "properties": {"name": "Buckau"}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[11.61, 52.10], [11.62, 52.10], [11.62, 52.11], [11.61, 52.11], [11.61, 52.10]]]]}},
    {"type": "Feature", "properties": {"name": "Werder"}, "geometry": {"type": "Polygon", "coordinates": [[[11.62, 52.10], [11.63, 52.10], [11.63, 52.11], [11.62, 52.11], [11.62, 52.10]]]}}
  ]
}
"#;

const HINWEIS: &str = "Grenzen: Testdaten (fiktiv)";

fn portal_yaml(extra: &str) -> String {
    format!(
        "{PORTAL_YAML}karte:\n  grenzen: geo/grenzen.geojson\n  grenzen_hinweis: \"{HINWEIS}\"\n{extra}"
    )
}

fn projekt(titel: &str, stadtteil: &str, summe: u32, ort: Option<(f64, f64)>) -> String {
    let ort = ort
        .map(|(lat, lon)| format!("ort:\n  adresse: \"Testplatz 1\"\n  lat: {lat}\n  lon: {lon}\n"))
        .unwrap_or_default();
    format!(
        "---\ntitel: \"{titel}\"\njahr: 2025\nstadtteile: [{stadtteil}]\nfoerdersumme: {summe}\n{ort}---\nEin Projekt.\n"
    )
}

/// Sudenburg (number 01), Buckau (by name) and Neustadt (no shape); three projects in
/// Sudenburg (two at the same place), one in Buckau, one without coordinates.
fn portal() -> TestPortal {
    TestPortal::new()
        .file("portal.yaml", &portal_yaml(""))
        .file(GRENZEN_PATH, GRENZEN)
        .file(
            "content/stadtteile/sudenburg.yaml",
            "name: \"Sudenburg\"\nnummer: \"01\"\n",
        )
        .file("content/stadtteile/neustadt.yaml", "name: \"Neustadt\"\n")
        .file(
            "content/projekte/kiezfest.md",
            &projekt("Kiezfest", "sudenburg", 1500, Some((52.103, 11.603))),
        )
        .file(
            "content/projekte/lesecafe.md",
            &projekt("Lesecafé", "sudenburg", 800, Some((52.108, 11.608))),
        )
        .file(
            "content/projekte/spielplatz.md",
            &projekt(
                "Spielplatzfest",
                "sudenburg",
                300,
                Some((52.10801, 11.60801)),
            ),
        )
        .file(
            "content/projekte/singen.md",
            &projekt("Singen am Fluss", "buckau", 1200, Some((52.105, 11.615))),
        )
        .file(
            "content/projekte/ohne-ort.md",
            &projekt("Ohne Ort", "buckau", 100, None),
        )
}

fn json(site: &Site, path: &str) -> Value {
    serde_json::from_str(&site.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn attr<'a>(e: &scraper::ElementRef<'a>, name: &str) -> &'a str {
    e.value().attr(name).unwrap_or_default()
}

#[test]
fn boundaries_are_matched_by_number_then_name_and_leftovers_are_warnings() {
    let p = portal();
    let run = p.cli_build(&[]);
    run.assert_code(0);

    let ohne = run.one("W009");
    assert!(ohne.message.contains("'Neustadt'"), "{}", ohne.raw);
    assert_eq!(
        ohne.file.as_deref(),
        Some("content/stadtteile/neustadt.yaml")
    );

    let uebrig = run.one("W010");
    assert!(uebrig.message.contains("'Werder'"), "{}", uebrig.raw);
    let (file, line, _) = uebrig.at();
    assert_eq!((file, line), (GRENZEN_PATH, 6), "{}", uebrig.raw);

    // Sudenburg got the square named "Alte Neustadt" through its number; had the name been
    // used, Sudenburg would have no shape and a second W009.
    assert_eq!(run.warnings().len(), 2, "{}", run.stderr);
    let site = p.build().ok();
    let stadtteile = json(&site, "daten/stadtteile.geojson");
    let features = stadtteile["features"].as_array().unwrap();
    let namen: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(namen, ["Buckau", "Sudenburg"]);
    let sudenburg = &features[1];
    assert_eq!(sudenburg["properties"]["nummer"], "01");
    assert_eq!(
        sudenburg["geometry"]["coordinates"][0][0][0],
        serde_json::json!([11.60, 52.10]),
        "Sudenburg has the shape whose number is 1"
    );
    assert_eq!(stadtteile["attribution"], HINWEIS);
}

#[test]
fn overview_maps_link_every_stadtteil_with_name_count_legend_and_attribution() {
    let p = portal();
    let site = p.build().ok();
    for page in ["", "stadtteile/"] {
        let page = site.page(page);
        let karte = page.one("figure.landkarte");
        let svg = page.one("figure.landkarte svg");
        assert!(attr(&svg, "viewBox").starts_with("0 0 "), "{}", page.path);
        assert_eq!(attr(&svg, "role"), "group");
        assert!(
            page.has("svg > title#Karte-Titel"),
            "{}: no map title",
            page.path
        );

        let links = page.select("figure.landkarte svg a[href]");
        let ziele: Vec<(&str, &str)> = links
            .iter()
            .map(|a| (attr(a, "href"), attr(a, "aria-label")))
            .collect();
        assert_eq!(
            ziele,
            [
                ("/gwa/stadtteile/buckau/", "Buckau: 2 Projekte"),
                ("/gwa/stadtteile/sudenburg/", "Sudenburg: 3 Projekte"),
            ],
            "{}: every Stadtteil with a shape is a named link, Neustadt has none",
            page.path
        );
        // More projects, a darker class.
        let stufe = |slug: &str| {
            let a = links
                .iter()
                .find(|a| attr(a, "href").ends_with(&format!("/{slug}/")))
                .unwrap();
            let path = a.select(&sel("path")).next().unwrap();
            attr(&path, "class").to_string()
        };
        assert!(
            stufe("sudenburg") > stufe("buckau"),
            "{} vs {}",
            stufe("sudenburg"),
            stufe("buckau")
        );

        let legende: Vec<String> = karte
            .select(&sel(".legende li"))
            .map(|li| li.text().collect::<String>())
            .collect();
        assert_eq!(legende.first().map(String::as_str), Some("keine Projekte"));
        assert!(
            legende.iter().any(|l| l.contains('3')),
            "{}: the legend gives the numbers: {legende:?}",
            page.path
        );
        let quelle: String = karte
            .select(&sel(".karte-quelle"))
            .flat_map(|e| e.text())
            .collect();
        assert_eq!(
            quelle, HINWEIS,
            "{}: the attribution is on the map",
            page.path
        );
    }
}

#[test]
fn stadtteil_page_highlights_it_among_neighbours_and_links_its_projects() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page("stadtteile/sudenburg/");
    assert_eq!(
        page.select("figure.landkarte path.aktiv").len(),
        1,
        "the Stadtteil itself is highlighted"
    );
    let nachbarn: Vec<&str> = page
        .select("figure.landkarte svg a[href]:not(.marker)")
        .iter()
        .map(|a| attr(a, "aria-label"))
        .collect();
    assert!(
        nachbarn.contains(&"Nachbarstadtteil Buckau"),
        "neighbours are links: {nachbarn:?}"
    );

    let marker = page.select("figure.landkarte a.marker");
    let mut labels: Vec<(&str, &str)> = marker
        .iter()
        .map(|a| (attr(a, "href"), attr(a, "aria-label")))
        .collect();
    labels.sort();
    assert_eq!(labels.len(), 2, "{labels:?}");
    // Two projects 1 m apart are one marker with a count that leads to the list below.
    let (ziel, label) = labels[0];
    assert!(
        ziel == "#Projekt-lesecafe" || ziel == "#Projekt-spielplatz",
        "{ziel}"
    );
    assert!(label.starts_with("2 Projekte an diesem Ort: "), "{label}");
    assert!(label.contains("Lesecafé (2025, 800,00 €)"), "{label}");
    assert!(label.contains("Spielplatzfest (2025, 300,00 €)"), "{label}");
    assert!(page.has(&format!("li{ziel}")), "{ziel} is on the page");
    let gruppe = page.one("a.marker.gruppe text.anzahl");
    assert_eq!(gruppe.text().collect::<String>(), "2");

    assert_eq!(
        labels[1],
        (
            "/gwa/projekte/2025/kiezfest/",
            "Projekt: Kiezfest (2025, 1.500,00 €)"
        )
    );
    // Buckau's project is not Sudenburg's.
    assert!(!page.source.contains("Singen am Fluss"));

    // A Stadtteil without a shape has no map, and says nothing wrong about it.
    let neustadt = site.page("stadtteile/neustadt/");
    assert!(!neustadt.has("figure.landkarte"));
}

#[test]
fn karte_page_shows_every_project_with_coordinates_on_the_map_and_in_the_list() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page("karte/");
    let mut auf_der_karte: Vec<String> = page
        .select("figure.landkarte a.marker")
        .iter()
        .flat_map(|a| {
            attr(a, "data-projekte")
                .split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    auf_der_karte.sort();
    assert_eq!(
        auf_der_karte,
        ["kiezfest", "lesecafe", "singen", "spielplatz"]
    );

    let mut in_der_liste: Vec<&str> = page
        .select("#projektliste li.projekt")
        .iter()
        .map(|li| attr(li, "id").trim_start_matches("Projekt-"))
        .collect();
    in_der_liste.sort();
    assert_eq!(
        in_der_liste, auf_der_karte,
        "the list has the same projects"
    );

    // The list items carry what the filter script filters by.
    let singen = page.one("#Projekt-singen");
    assert_eq!(attr(&singen, "data-jahr"), "2025");
    assert_eq!(attr(&singen, "data-stadtteile"), "buckau");
    // The filter is there for the script, hidden without it.
    let form = page.one("form#projektfilter");
    assert!(form.value().attr("hidden").is_some());
    for feld in ["jahr", "stadtteil", "ag", "ziel"] {
        assert!(
            page.has(&format!("form#projektfilter select[name={feld}]")),
            "{feld}"
        );
    }
    assert!(page.has("script[src='/gwa/js/filter.js']"));
    // The project without coordinates is mentioned, not hidden.
    assert!(page.main_text().contains("Alle Projekte"));

    // No tiles configured: nothing about them, and no map library in the output.
    assert!(!page.has("#kacheln"));
    assert!(!page.source.contains("kacheln.js"));
    assert!(!site.out.join("vendor").exists());
    assert!(
        page.has("nav a[href='/gwa/karte/']"),
        "the map is in the navigation"
    );
}

#[test]
fn tile_map_is_offered_only_when_configured_and_loads_nothing_before_consent() {
    let p = portal().file(
        "portal.yaml",
        &portal_yaml(
            "  kacheln: \"https://tiles.example.net/{z}/{x}/{y}.png\"\n  kacheln_hinweis: \"Kacheln: Beispiel (fiktiv)\"\n",
        ),
    );
    let site = p.build().ok();
    let page = site.page("karte/");
    let block = page.one("section#kacheln");
    assert!(
        block.value().attr("hidden").is_some(),
        "shown only by its script"
    );
    assert_eq!(
        attr(&block, "data-kacheln"),
        "https://tiles.example.net/{z}/{x}/{y}.png"
    );
    let text = text_of(&block);
    assert!(text.contains("tiles.example.net"), "names the host: {text}");
    assert!(text.contains("IP-Adresse"), "{text}");
    assert!(text.contains("Kacheln: Beispiel (fiktiv)"), "{text}");
    assert!(page.has("button#kacheln-laden"));

    // The library comes from the site itself, with its licence.
    for file in [
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/LICENSE.txt",
    ] {
        assert!(site.out.join(file).is_file(), "{file}");
    }
    assert_eq!(
        attr(&block, "data-leaflet-js"),
        "/gwa/vendor/leaflet/leaflet.js"
    );
    // Before the click nothing refers to another host: no script, style sheet or image.
    for e in page.select("script[src], link[rel~=stylesheet], link[rel~=icon], img[src]") {
        let url = attr(&e, "src").to_string() + attr(&e, "href");
        assert!(url.starts_with("/gwa/"), "{url}");
    }
}

fn text_of(e: &scraper::ElementRef) -> String {
    e.text().collect::<Vec<_>>().join(" ")
}

#[test]
fn projects_geojson_has_every_project_with_all_fields_and_a_point_where_it_has_one() {
    let p = portal();
    let site = p.build().ok();
    let daten = json(&site, "daten/projekte.geojson");
    assert_eq!(daten["type"], "FeatureCollection");
    let features = daten["features"].as_array().unwrap();
    assert_eq!(features.len(), 5, "every published project");
    // RFC 7946, 3.2: an unlocated feature has the member, with null.
    let ohne: Vec<_> = features
        .iter()
        .filter(|f| f.as_object().unwrap()["geometry"].is_null())
        .collect();
    assert_eq!(ohne.len(), 1);
    assert!(ohne[0]["properties"]["titel"].is_string());
    assert!(
        features
            .iter()
            .filter(|f| !f["geometry"].is_null())
            .all(|f| f["geometry"]["type"] == "Point")
    );
    let singen = features
        .iter()
        .find(|f| f["properties"]["slug"] == "singen")
        .unwrap();
    assert_eq!(singen["geometry"]["type"], "Point");
    assert_eq!(
        singen["geometry"]["coordinates"],
        serde_json::json!([11.615, 52.105]),
        "RFC 7946: longitude first"
    );
    let props = &singen["properties"];
    assert_eq!(props["titel"], "Singen am Fluss");
    assert_eq!(props["jahr"], 2025);
    assert_eq!(props["stadtteile"], serde_json::json!(["buckau"]));
    assert_eq!(props["foerdersumme"], 1200.0);
    assert_eq!(props["adresse"], "Testplatz 1");
    assert_eq!(
        props["url"],
        "https://example.org/gwa/projekte/2025/singen/"
    );
}

#[test]
fn a_boundaries_file_in_content_daten_is_published_unchanged() {
    let p = portal()
        .file(
            "portal.yaml",
            &format!("{PORTAL_YAML}karte:\n  grenzen: daten/stadtteile.geojson\n"),
        )
        .file("content/daten/stadtteile.geojson", GRENZEN);
    let site = p.build().ok();
    assert_eq!(site.read("daten/stadtteile.geojson"), GRENZEN);
    assert!(
        site.read("index.html")
            .contains("figure class=\"landkarte\"")
    );
}

/// A Stadtteil whose file is broken: one error in that file, and neither its shape
/// (W010) nor its projects' places (E017, "outside the city") are reported besides.
#[test]
fn a_broken_stadtteil_file_is_one_error_also_for_the_map() {
    let p = portal().file(
        "content/projekte/singen.md",
        &projekt("Singen", "buckau", 100, Some((52.105, 11.615))),
    );
    p.cli_build(&[]).assert_code(0);
    p.write("content/stadtteile/buckau.yaml", "name: \"Buckau\n");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert_eq!(
        errors[0].file.as_deref(),
        Some("content/stadtteile/buckau.yaml")
    );
    assert!(
        run.warnings().iter().all(|w| !w.message.contains("Buckau")),
        "{}",
        run.stderr
    );
}

/// The boundaries' licence wants them attributed on every map: without a
/// `grenzen_hinweis` the maps would show them with no source at all.
#[test]
fn boundaries_without_an_attribution_are_a_warning() {
    let p = portal().file(
        "portal.yaml",
        &format!("{PORTAL_YAML}karte:\n  grenzen: geo/grenzen.geojson\n"),
    );
    let run = p.cli_build(&[]);
    run.assert_code(0);
    let w = run.one("W013");
    assert!(
        w.message.contains("'karte.grenzen_hinweis' fehlt"),
        "{}",
        w.raw
    );
    assert_eq!(w.at(), ("portal.yaml", 5, 12));
    assert!(
        w.hint().contains("© OpenStreetMap-Mitwirkende, ODbL"),
        "{}",
        w.raw
    );
    // With the attribution, no warning.
    p.write("portal.yaml", &portal_yaml(""));
    let run = p.cli_build(&[]);
    assert!(
        run.warnings().iter().all(|w| w.code != "W013"),
        "{}",
        run.stderr
    );
}

/// A portal of a few Stadtteile with the boundaries of the whole city gets one warning
/// for the areas it has no Stadtteil for, not dozens.
#[test]
fn many_areas_without_a_stadtteil_are_one_warning() {
    // Sudenburg's and Buckau's squares, and five more east of them.
    let mut features: Vec<String> = GRENZEN
        .lines()
        .skip(3)
        .take(2)
        .map(|l| l.trim().trim_end_matches(',').to_string())
        .collect();
    for i in 0..5 {
        let x = 11.62 + f64::from(i) * 0.01;
        features.push(format!(
            r#"{{"type": "Feature", "properties": {{"name": "Fläche {i}"}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x}, 52.10], [{x2}, 52.10], [{x2}, 52.11], [{x}, 52.11], [{x}, 52.10]]]}}}}"#,
            x2 = x + 0.01
        ));
    }
    let grenzen = format!(
        "{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n]}}\n",
        features.join(",\n")
    );
    let p = portal().file(GRENZEN_PATH, &grenzen);
    let run = p.cli_build(&[]);
    run.assert_code(0);
    let w = run.one("W010");
    assert!(
        w.message
            == "5 Flächen gehören zu keinem Stadtteil: Fläche 0, Fläche 1, Fläche 2, Fläche 3, Fläche 4",
        "{}",
        w.raw
    );
    assert_eq!(w.at().1, 4, "{}", w.raw);
}

#[test]
fn a_content_file_may_not_take_the_name_of_a_generated_data_file() {
    let p = portal().file("content/daten/projekte.geojson", "{}\n");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E025");
    assert_eq!(d.file.as_deref(), Some("content/daten/projekte.geojson"));
    assert!(d.hint().contains("benennen Sie Ihre Datei um"), "{}", d.raw);
}

#[test]
fn coordinates_outside_their_stadtteil_are_a_warning_with_line() {
    let p = portal().file(
        "content/projekte/kiezfest.md",
        &projekt("Kiezfest", "sudenburg", 1500, Some((52.105, 11.615))),
    );
    let run = p.cli_build(&[]);
    run.assert_code(0);
    let d = run.one("W011");
    assert_eq!(d.at(), ("content/projekte/kiezfest.md", 8, 3), "{}", d.raw);
    assert!(
        d.hint().contains("'buckau'"),
        "names where the point is: {}",
        d.raw
    );
}

#[test]
fn an_area_that_is_in_the_file_twice_is_called_a_duplicate() {
    let buckau = "    {\"type\": \"Feature\", \"properties\": {\"name\": \"Buckau\"}, \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [[[[11.61, 52.10], [11.62, 52.10], [11.62, 52.11], [11.61, 52.11], [11.61, 52.10]]]]}},\n";
    let doppelt = GRENZEN.replacen(buckau, &buckau.repeat(2), 1);
    assert_ne!(doppelt, GRENZEN);
    let run = portal().file(GRENZEN_PATH, &doppelt).cli_build(&[]);
    run.assert_code(0);
    let w010: Vec<_> = run
        .warnings()
        .into_iter()
        .filter(|d| d.code == "W010")
        .collect();
    // The copy is named as such, at its line; Werder still has no Stadtteil.
    assert_eq!(w010.len(), 2, "{}", run.stderr);
    let kopie = w010
        .iter()
        .find(|d| d.message.contains("mehrmals"))
        .expect("a warning about the copy");
    assert!(kopie.message.contains("'Buckau'"), "{}", kopie.raw);
    assert_eq!(kopie.at().1, 6, "{}", kopie.raw);
    assert!(
        w010.iter().any(|d| d.message.contains("'Werder'")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_place_on_a_boundary_is_inside() {
    // Geocoders put places on vertices and edges of the boundaries: the outer corner of
    // the city is not "outside the city" (E017), the edge Sudenburg shares with Buckau
    // is in Buckau too (no W011).
    let p = portal()
        .file(
            "content/projekte/ecke.md",
            &projekt("Ecke", "sudenburg", 100, Some((52.10, 11.60))),
        )
        .file(
            "content/projekte/kante.md",
            &projekt("Kante", "buckau", 100, Some((52.105, 11.61))),
        );
    let run = p.cli_build(&[]);
    run.assert_code(0);
    assert!(
        !run.stderr.contains("ecke.md") && !run.stderr.contains("kante.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn coordinates_outside_the_city_are_an_error_and_swapped_ones_are_recognised() {
    let p = portal()
        .file(
            "content/projekte/kiezfest.md",
            &projekt("Kiezfest", "sudenburg", 1500, Some((11.603, 52.103))),
        )
        .file(
            "content/projekte/singen.md",
            &projekt("Singen am Fluss", "buckau", 1200, Some((48.1, 11.5))),
        );
    let run = p.cli_build(&[]);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E017"), "{}", run.stderr);
    let vertauscht = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/projekte/kiezfest.md"))
        .unwrap();
    assert_eq!(vertauscht.at().1, 8);
    assert!(
        vertauscht.message.contains("außerhalb der Stadt"),
        "{}",
        vertauscht.raw
    );
    assert!(
        vertauscht.hint().contains("vertauscht"),
        "{}",
        vertauscht.raw
    );
    let weit = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/projekte/singen.md"))
        .unwrap();
    assert!(
        weit.hint().contains("Die Stadt liegt etwa bei lat: 52.1"),
        "{}",
        weit.raw
    );
    assert!(!p.public().exists(), "nothing written");
}

#[test]
fn a_broken_boundaries_file_is_an_error_at_its_line() {
    // A missing comma on line 5.
    let kaputt = GRENZEN.replacen(
        "}},\n    {\"type\": \"Feature\", \"properties\": {\"name\": \"Buckau\"}",
        "}}\n    {\"type\": \"Feature\", \"properties\": {\"name\": \"Buckau\"}",
        1,
    );
    assert_ne!(kaputt, GRENZEN);
    let run = portal().file(GRENZEN_PATH, &kaputt).cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E028");
    let (file, line, _) = d.at();
    assert_eq!((file, line), (GRENZEN_PATH, 5), "{}", d.raw);
    // In German, not in serde_json's words.
    assert!(d.message.contains("fehlt ein Komma"), "{}", d.raw);
}

#[test]
fn a_boundaries_file_with_a_byte_order_mark_is_read() {
    let p = portal().file(GRENZEN_PATH, &format!("\u{feff}{GRENZEN}"));
    p.cli_build(&[]).assert_code(0);
}

#[test]
fn boundaries_in_a_projected_coordinate_system_are_refused() {
    // UTM zone 32 metres instead of degrees, as exported from many GIS tools.
    let utm = GRENZEN.replace("11.6", "68000").replace("52.1", "577500");
    let run = portal().file(GRENZEN_PATH, &utm).cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E028");
    assert!(d.hint().contains("WGS84"), "{}", d.raw);
}

#[test]
fn a_position_with_one_number_is_an_error_not_a_crash() {
    // geojson's conversion panicked on `[11.62]` (found by a sweep); in a Polygon and in
    // a MultiPolygon, for `check` as for `build`.
    for (alt, neu) in [
        (
            "[11.60, 52.11], [11.60, 52.10]]]}",
            "[11.60], [11.60, 52.10]]]}",
        ),
        ("[11.62, 52.11], [11.61, 52.11]", "[11.62, 52.11], [11.61]"),
    ] {
        let kaputt = GRENZEN.replacen(alt, neu, 1);
        assert_ne!(kaputt, GRENZEN);
        let p = portal().file(GRENZEN_PATH, &kaputt);
        for run in [p.cli_check(), p.cli_build(&[])] {
            run.assert_code(1);
            let d = run.one("E028");
            assert!(d.message.contains("weniger als zwei Zahlen"), "{}", d.raw);
            assert_eq!(d.at().0, GRENZEN_PATH);
        }
    }
}

#[test]
fn a_missing_boundaries_file_is_an_error_in_portal_yaml() {
    let p = portal();
    p.remove(GRENZEN_PATH);
    let run = p.cli_build(&[]);
    assert_ne!(run.code, 0);
    let d = run
        .errors()
        .into_iter()
        .find(|d| d.message.contains("geo/grenzen.geojson"))
        .unwrap_or_else(|| panic!("no error names the file:\n{}", run.stderr));
    assert_eq!(d.file.as_deref(), Some("portal.yaml"), "{}", d.raw);
}

#[test]
fn example_start_map_shows_all_40_stadtteile_and_stays_small() {
    let site = example();
    let page = site.page("");
    let links = page.select("figure.landkarte svg a[href^='/gwa/stadtteile/']");
    assert_eq!(links.len(), 40);
    assert!(links.iter().all(|a| !attr(a, "aria-label").is_empty()));
    let svg = page.one("figure.landkarte svg").html();
    assert!(
        svg.len() < 150_000,
        "start-page SVG has {} bytes",
        svg.len()
    );
    assert!(
        page.main_text()
            .contains("© OpenStreetMap-Mitwirkende, ODbL")
    );
    assert!(
        !site
            .codes()
            .iter()
            .any(|c| ["W009", "W010", "W011"].contains(c)),
        "{}",
        site.diagnostics()
    );
}
