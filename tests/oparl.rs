//! Open data: the static OParl 1.1 export under `/oparl/v1/`, `/daten/projekte.csv` and
//! the `/daten/` page.
//!
//! Every OParl object (its own file, each list entry and each embedded object) is
//! validated against the OParl 1.1 JSON schema in `tests/fixtures/oparl/` (copied from
//! the OParl specification, see `SOURCE.md` there), and every URL under `base_url` in
//! the export must be a file of the output.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use common::*;
use serde_json::Value;

const SCHEMA: &str = "https://schema.oparl.org/1.1/";
const TYPEN: &[&str] = &[
    "AgendaItem",
    "Body",
    "Consultation",
    "File",
    "LegislativeTerm",
    "Location",
    "Meeting",
    "Membership",
    "Organization",
    "Paper",
    "Person",
    "System",
];

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// The OParl schema of every object type, as validators.
fn validators() -> HashMap<&'static str, jsonschema::Validator> {
    let dir = repo_root().join("tests/fixtures/oparl");
    TYPEN
        .iter()
        .map(|t| {
            let text = std::fs::read_to_string(dir.join(format!("{t}.json"))).expect("schema");
            let schema: Value = serde_json::from_str(&text).expect("schema JSON");
            let v = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .should_validate_formats(true)
                // OParl's own format: an absolute http(s) URL.
                .with_format("url", |s: &str| {
                    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
                })
                .build(&schema)
                .unwrap_or_else(|e| panic!("schema {t}: {e}"));
            (*t, v)
        })
        .collect()
}

/// What an export contains, after checking it.
#[derive(Default, Debug)]
struct Geprueft {
    /// Objects validated, by type (own files, list entries and embedded objects).
    typen: BTreeMap<String, usize>,
    /// Objects with their own file, by id.
    objekte: BTreeMap<String, Value>,
    /// List pages, by path relative to the output.
    listen: BTreeMap<String, Value>,
}

/// Checks the whole export of `site`: every file is an object whose id is its own URL or
/// a list page; every OParl object in it (also list entries and embedded objects)
/// validates against its schema; every URL under `base_url` is a file of the output;
/// every embedded object and list entry agrees with the object's own file.
fn pruefen(site: &Site, base_url: &str) -> Geprueft {
    let validators = validators();
    let mut g = Geprueft::default();
    let mut problems: Vec<String> = Vec::new();
    let files: Vec<String> = snapshot_paths(&site.out)
        .into_iter()
        .filter(|p| p.starts_with("oparl/"))
        .collect();
    assert!(
        files.contains(&"oparl/v1/system.json".to_string()),
        "no oparl/v1/system.json"
    );
    for f in &files {
        assert!(f.ends_with(".json"), "{f}: not a .json file");
        let v: Value = serde_json::from_str(&site.read(f))
            .unwrap_or_else(|e| panic!("{f}: invalid JSON: {e}"));
        let own_url = format!("{base_url}{f}");
        if v.get("data").is_some() {
            liste_pruefen(f, &own_url, &v, &mut problems);
            g.listen.insert(f.clone(), v.clone());
        } else {
            if v["id"] != Value::String(own_url.clone()) {
                problems.push(format!("{f}: id {} is not its own URL {own_url}", v["id"]));
            }
            g.objekte.insert(own_url, v.clone());
        }
        validieren(f, &v, &validators, &mut g.typen, &mut problems);
        for u in urls(&v) {
            if let Some(rest) = u.strip_prefix(base_url) {
                let path = percent_decode(rest.split('#').next().unwrap_or(""));
                let target = if path.is_empty() || path.ends_with('/') {
                    format!("{path}index.html")
                } else {
                    path
                };
                if !site.out.join(&target).is_file() {
                    problems.push(format!("{f}: {u} is no file of the output ({target})"));
                }
            } else if u.starts_with("http") && !u.starts_with(SCHEMA) && u.contains("/oparl/") {
                problems.push(format!("{f}: {u} is not under {base_url}"));
            }
        }
    }
    // Embedded objects and list entries are the objects of their own files (embedded
    // ones without their references back).
    let mut eingebettet = Vec::new();
    for (f, v) in g
        .objekte
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .chain(g.listen.iter().map(|(k, v)| (k.clone(), v)))
    {
        sammeln(v, true, &mut eingebettet, &f);
    }
    for (wo, obj) in eingebettet {
        let id = obj["id"].as_str().unwrap_or_default().to_string();
        let Some(full) = g.objekte.get(&id) else {
            problems.push(format!("{wo}: object {id} has no file of its own"));
            continue;
        };
        for (k, val) in obj.as_object().unwrap() {
            if full.get(k) != Some(val) {
                problems.push(format!(
                    "{wo}: {id}: '{k}' differs from the object's own file"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in the OParl export:\n{}",
        problems.len(),
        problems.join("\n")
    );
    g
}

/// Checks the shape of a list page.
fn liste_pruefen(f: &str, own_url: &str, v: &Value, problems: &mut Vec<String>) {
    let data = v["data"].as_array();
    let pag = v["pagination"].as_object();
    let links = v["links"].as_object();
    let (Some(data), Some(pag), Some(links)) = (data, pag, links) else {
        problems.push(format!("{f}: a list needs data, pagination and links"));
        return;
    };
    let page = pag["currentPage"].as_u64().unwrap_or(0);
    let pages = pag["totalPages"].as_u64().unwrap_or(0);
    let per_page = pag["elementsPerPage"].as_u64().unwrap_or(0);
    let total = pag["totalElements"].as_u64().unwrap_or(u64::MAX);
    if links.get("self").and_then(Value::as_str) != Some(own_url) {
        problems.push(format!("{f}: links.self is not the page's URL"));
    }
    if page < pages && links.get("next").is_none() {
        problems.push(format!("{f}: page {page} of {pages} without links.next"));
    }
    if page == pages && links.get("next").is_some() {
        problems.push(format!("{f}: the last page has links.next"));
    }
    let expected = if page < pages {
        per_page
    } else {
        total - per_page * (pages - 1)
    };
    if data.len() as u64 != expected {
        problems.push(format!(
            "{f}: page {page} has {} entries, expected {expected}",
            data.len()
        ));
    }
    for entry in data {
        if !entry["type"]
            .as_str()
            .is_some_and(|t| t.starts_with(SCHEMA))
        {
            problems.push(format!("{f}: list entry without an OParl type"));
        }
    }
}

/// Validates every OParl object in `v` (found by its `type`) against its schema.
fn validieren(
    f: &str,
    v: &Value,
    validators: &HashMap<&'static str, jsonschema::Validator>,
    typen: &mut BTreeMap<String, usize>,
    problems: &mut Vec<String>,
) {
    match v {
        Value::Object(m) => {
            if let Some(t) = m.get("type").and_then(Value::as_str)
                && let Some(name) = t.strip_prefix(SCHEMA)
            {
                match validators.get(name) {
                    Some(val) => {
                        for e in val.iter_errors(v) {
                            problems.push(format!(
                                "{f}: {} {}: {e} (at {})",
                                name,
                                m.get("id").and_then(Value::as_str).unwrap_or("?"),
                                e.instance_path()
                            ));
                        }
                        *typen.entry(name.to_string()).or_default() += 1;
                    }
                    None => problems.push(format!("{f}: unknown type {t}")),
                }
                if !m.contains_key("id") {
                    problems.push(format!("{f}: {name} without id"));
                }
            }
            for (k, child) in m {
                // A Location's GeoJSON is no OParl object.
                if k != "geojson" {
                    validieren(f, child, validators, typen, problems);
                }
            }
        }
        Value::Array(a) => {
            for child in a {
                validieren(f, child, validators, typen, problems);
            }
        }
        _ => {}
    }
}

/// Every OParl object below `v` (not `v` itself when `top`).
fn sammeln(v: &Value, top: bool, out: &mut Vec<(String, Value)>, wo: &str) {
    match v {
        Value::Object(m) => {
            if !top
                && m.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.starts_with(SCHEMA))
            {
                out.push((wo.to_string(), v.clone()));
            }
            for (k, child) in m {
                if k != "geojson" {
                    sammeln(child, false, out, wo);
                }
            }
        }
        Value::Array(a) => {
            for child in a {
                sammeln(child, false, out, wo);
            }
        }
        _ => {}
    }
}

/// Every string in `v` that looks like a URL.
fn urls(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => {
                out.push(s.clone())
            }
            Value::Object(m) => m.values().for_each(|c| walk(c, out)),
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

fn json(site: &Site, path: &str) -> Value {
    serde_json::from_str(&site.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// All entries of a paginated list, following `links.next` from its first page.
fn alle(site: &Site, base_url: &str, first: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(first.to_string());
    let mut pages = 0;
    while let Some(url) = next {
        let path = url.strip_prefix(base_url).expect("list under base_url");
        let page = json(site, path);
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        next = page["links"]["next"].as_str().map(str::to_string);
        pages += 1;
        assert!(pages < 1000, "endless list {first}");
    }
    out
}

#[test]
fn the_schema_check_finds_faults() {
    let validators = validators();
    let mut typen = BTreeMap::new();
    let mut problems = Vec::new();
    let kaputt = serde_json::json!({
        "data": [{
            "id": "https://example.org/oparl/v1/system.json",
            "type": "https://schema.oparl.org/1.1/System",
            "oparlVersion": "https://schema.oparl.org/1.1/",
            "created": "2020-01-01"
        }, {
            "id": "nicht-absolut",
            "type": "https://schema.oparl.org/1.1/Paper",
            "mainFile": {"id": "https://example.org/f.json", "type": "https://schema.oparl.org/1.1/File"}
        }]
    });
    validieren("test", &kaputt, &validators, &mut typen, &mut problems);
    let all = problems.join("\n");
    // System without body, a date instead of a date-time, an id that is no URL, a File
    // without accessUrl (embedded).
    assert!(all.contains("\"body\" is a required property"), "{all}");
    assert!(all.contains("date-time"), "{all}");
    assert!(all.contains("nicht-absolut"), "{all}");
    assert!(all.contains("accessUrl"), "{all}");
    assert_eq!(typen.values().sum::<usize>(), 3);
}

// ---------------------------------------------------------------------------------------
// The example portal
// ---------------------------------------------------------------------------------------

const EXAMPLE_URL: &str = "https://quartier.example.org/gwa/";

#[test]
fn example_oparl_validates_and_every_url_resolves() {
    let site = example();
    let g = pruefen(site, EXAMPLE_URL);
    for t in [
        "System",
        "Body",
        "Organization",
        "Paper",
        "Consultation",
        "Meeting",
        "AgendaItem",
        "File",
        "Location",
    ] {
        assert!(
            g.typen.get(t).copied().unwrap_or(0) > 0,
            "no {t} in {:?}",
            g.typen
        );
    }

    let system = json(site, "oparl/v1/system.json");
    assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");
    assert_eq!(system["license"], "https://www.govdata.de/dl-de/by-2-0");
    let bodies = alle(site, EXAMPLE_URL, system["body"].as_str().unwrap());
    assert_eq!(bodies.len(), 1);
    let body = &bodies[0];
    assert_eq!(body["name"], "Landeshauptstadt Magdeburg");

    // Every published Vorlage is a Paper, with its PDF and its Beratungsfolge.
    let papers = alle(site, EXAMPLE_URL, body["paper"].as_str().unwrap());
    let vorlagen = entities("vorlagen", "thema");
    assert_eq!(papers.len(), vorlagen.len());
    let paper = papers
        .iter()
        .find(|p| p["reference"] == "I0264/09")
        .expect("I0264/09");
    assert_eq!(paper["date"], "2009-11-24");
    assert_eq!(paper["paperType"], "Information");
    assert_eq!(
        paper["mainFile"]["accessUrl"],
        format!("{EXAMPLE_URL}vorlagen/i0264-09/I0264-09.pdf")
    );
    let size = paper["mainFile"]["size"].as_u64().unwrap();
    assert_eq!(
        size,
        std::fs::metadata(site.file_of("vorlagen/i0264-09/I0264-09.pdf"))
            .unwrap()
            .len()
    );
    let beratungen = paper["consultation"].as_array().unwrap();
    assert_eq!(beratungen.len(), 4);
    // The Beratungsfolge as Meetings of the bodies it names, with "behandlung" on the
    // agenda item.
    let erste: Value = json(
        site,
        beratungen[0]["agendaItem"]
            .as_str()
            .unwrap()
            .strip_prefix(EXAMPLE_URL)
            .unwrap(),
    );
    assert_eq!(
        erste["public"], false,
        "Der Oberbürgermeister: nicht öffentlich"
    );
    let sitzung = json(
        site,
        beratungen[3]["meeting"]
            .as_str()
            .unwrap()
            .strip_prefix(EXAMPLE_URL)
            .unwrap(),
    );
    assert_eq!(sitzung["name"], "Stadtrat am 28.01.2010");
    // created/modified from the Vorlage's dates, not from the day of the build.
    assert_eq!(paper["created"], "2009-11-24T00:00:00+01:00");
    assert_eq!(paper["modified"], "2010-01-28T00:00:00+01:00");

    // Every AG is an Organization with its meetings.
    let orgs = alle(site, EXAMPLE_URL, body["organization"].as_str().unwrap());
    // A made-up record's name says so (`made_up_records_are_marked_in_the_export`).
    let oparl_name = |e: &Entity, feld: &str| {
        let name = e.str(feld).unwrap();
        match e.fields.get("beispiel") {
            Some(serde_yaml::Value::Bool(true)) => format!("{name} (Beispiel)"),
            _ => name,
        }
    };
    for ag in entities("ags", "name") {
        let name = oparl_name(&ag, "name");
        let org = orgs
            .iter()
            .find(|o| o["name"] == name.as_str())
            .unwrap_or_else(|| panic!("no Organization {name}"));
        let meetings = alle(site, EXAMPLE_URL, org["meeting"].as_str().unwrap());
        let sitzungen = match ag.fields.get("sitzungen") {
            Some(serde_yaml::Value::Sequence(s)) => s.len(),
            _ => 0,
        };
        assert_eq!(meetings.len(), sitzungen, "{name}");
    }
    // Every forum is a Meeting.
    let meetings = alle(site, EXAMPLE_URL, body["meeting"].as_str().unwrap());
    for forum in entities("foren", "titel") {
        let titel = oparl_name(&forum, "titel");
        assert!(
            meetings.iter().any(|m| m["name"] == titel.as_str()),
            "no Meeting {titel}"
        );
    }
}

#[test]
fn example_oparl_ids_are_files_and_lists_name_every_object() {
    let site = example();
    let g = pruefen(site, EXAMPLE_URL);
    // Every object with a file of its own is in one of the Body's lists (or is the
    // System or Body).
    let body_url = json(site, "oparl/v1/body.json")["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = &g.objekte[&body_url];
    let mut gelistet: Vec<String> = vec![
        body_url.clone(),
        format!("{EXAMPLE_URL}oparl/v1/system.json"),
    ];
    for key in [
        "organization",
        "person",
        "meeting",
        "paper",
        "agendaItem",
        "consultation",
        "file",
        "locationList",
    ] {
        for o in alle(site, EXAMPLE_URL, body[key].as_str().unwrap()) {
            gelistet.push(o["id"].as_str().unwrap().to_string());
        }
    }
    for id in g.objekte.keys() {
        assert!(gelistet.contains(id), "{id} is in no list of the Body");
    }
}

// ---------------------------------------------------------------------------------------
// A purpose-made portal
// ---------------------------------------------------------------------------------------

const BASE: &str = "https://daten.example.org/portal/";

const GRENZEN: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"name": "Sudenburg"}, "geometry": {"type": "Polygon", "coordinates": [[[11.60, 52.10], [11.61, 52.10], [11.61, 52.11], [11.60, 52.11], [11.60, 52.10]]]}},
  {"type": "Feature", "properties": {"name": "Buckau"}, "geometry": {"type": "Polygon", "coordinates": [[[11.61, 52.10], [11.62, 52.10], [11.62, 52.11], [11.61, 52.11], [11.61, 52.10]]]}}
]}
"#;

/// Two Stadtteile with boundaries, an AG with 130 meetings (more than one list page; one
/// with minutes as a file, two on the same day, some without a time), two Vorlagen (one
/// names the same body twice on one day, one has an attachment whose name has spaces
/// and umlauts), a forum with agenda and attachment, projects with umlauts, a formula
/// and separators in their fields.
fn portal() -> TestPortal {
    let mut sitzungen = String::from("sitzungen:\n");
    for i in 0..128 {
        let d = jiff::civil::date(2020, 1, 7) + jiff::Span::new().days(7 * i);
        let zeit = if i % 2 == 0 {
            "    zeit: \"17:30\"\n"
        } else {
            ""
        };
        sitzungen.push_str(&format!(
            "  - datum: {d}\n{zeit}    ort: \"Bürgerhaus, Raum {i}\"\n    thema: \"Thema {i}\"\n"
        ));
    }
    sitzungen.push_str(
        "  - datum: 2026-07-01\n    zeit: \"17:30\"\n    ort: \"Stadtteiltreff\"\n    protokoll: protokolle/2026-07-01.pdf\n\
         \x20 - datum: 2026-07-01\n    zeit: \"19:00\"\n    thema: \"Zweite Sitzung am selben Tag\"\n",
    );
    TestPortal::new()
        .file(
            "portal.yaml",
            &format!(
                "titel: \"Offene Daten Test\"\nstadt: \"Stadt Teststadt\"\nbase_url: \"{BASE}\"\n\
                 karte:\n  grenzen: daten/grenzen.geojson\n  grenzen_hinweis: \"Grenzen: Testdaten (fiktiv), CC0\"\n\
                 daten_lizenz:\n  name: \"Creative Commons Namensnennung 4.0\"\n  url: \"https://creativecommons.org/licenses/by/4.0/\"\n"
            ),
        )
        .file("content/daten/grenzen.geojson", GRENZEN)
        .file(
            "content/daten/baeume.csv",
            "art;anzahl;stadtteil\nLinde;12;sudenburg\n",
        )
        .file(
            "content/ags/ag-sued.md",
            &md(
                &format!("name: \"AG Gemeinwesenarbeit Süd\"\nstadtteile: [sudenburg, buckau]\nkontakt:\n  web: \"https://ag-sued.example.org/\"\n{sitzungen}"),
                "Die AG.\n",
            ),
        )
        .file("content/ags/ag-ohne.md", &md("name: \"AG ohne Sitzungen\"\nstadtteile: [buckau]\n", ""))
        .bytes("content/dateien/protokolle/2026-07-01.pdf", b"%PDF-1.4 Protokoll")
        .bytes("content/dateien/Plan für Süd.pdf", b"%PDF-1.4 Plan")
        .bytes("content/dateien/foren/einladung.pdf", b"%PDF-1.4 Einladung")
        .file(
            "content/vorlagen/ds0001-26.md",
            &md(
                "nummer: \"DS0001/26\"\nart: beschlussvorlage\nthema: \"Spielplatz Süd\"\ndatum: 2026-03-02\n\
                 stadtteile: [sudenburg]\n\
                 beratungsfolge:\n  - gremium: \"Ausschuss für Soziales\"\n    datum: 2026-03-20\n    behandlung: \"öffentlich\"\n\
                 \x20 - gremium: \"Ausschuss für Soziales\"\n    datum: 2026-03-20\n    behandlung: \"nicht öffentlich\"\n\
                 \x20 - gremium: \"Stadtrat\"\n    datum: 2026-04-09\n\
                 anhaenge:\n  - datei: \"Plan für Süd.pdf\"\n    titel: \"Lageplan\"\n",
                "Der Text.\n",
            ),
        )
        .file(
            "content/vorlagen/i0002-26.md",
            &md(
                "nummer: \"I0002/26\"\nart: information\nthema: \"Bericht\"\ndatum: 2026-05-04\n\
                 beratungsfolge:\n  - gremium: \"Stadtrat\"\n    datum: 2026-06-11\n    behandlung: \"öffentlich\"\n",
                "Ein Bericht.\n",
            ),
        )
        .file(
            "content/foren/forum-sued.md",
            &md(
                "titel: \"Stadtteilforum Süd\"\ndatum: 2026-10-28\nzeit: \"18:00\"\nort: \"Schule Süd, Aula\"\n\
                 stadtteile: [sudenburg]\ntagesordnung:\n  - \"Begrüßung\"\n  - \"Spielplatz\"\n\
                 anhaenge:\n  - datei: foren/einladung.pdf\n    titel: \"Einladung\"\n",
                "Herzlich willkommen.\n",
            ),
        )
        .file(
            "content/projekte/gruenflaeche.md",
            &md(
                "titel: \"Grünfläche Süd\"\njahr: 2026\nstadtteile: [sudenburg, buckau]\nag: ag-sued\n\
                 foerdersumme: 1500.5\ntraeger: \"Bürgerverein Ölmühle e. V.\"\nbeteiligte: 120\n\
                 von: 2026-05-01\nbis: 2026-09-30\nstatus: laufend\n\
                 ort:\n  adresse: \"Platz \\\"Am Markt\\\"; Eingang Süd\"\n  lat: 52.105\n  lon: 11.605\n\
                 ziele: [beleben, vernetzung]\n",
                "",
            ),
        )
        .file(
            "content/projekte/formel.md",
            &md(
                "titel: \"=HYPERLINK(\\\"https://example.org\\\";\\\"klick\\\")\"\njahr: 2025\nstadtteile: [buckau]\n\
                 traeger: \"@Verein\"\nbeispiel: true\n",
                "",
            ),
        )
}

#[test]
fn purpose_made_portal_validates_with_pagination_and_times() {
    let p = portal();
    let site = p.build().ok();
    let g = pruefen(&site, BASE);

    let system = json(&site, "oparl/v1/system.json");
    assert_eq!(
        system["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(system["name"], "Offene Daten Test");
    let body = json(&site, "oparl/v1/body/stadt-teststadt.json");
    assert_eq!(body["name"], "Stadt Teststadt");
    assert_eq!(body["legislativeTerm"], serde_json::json!([]));
    assert!(alle(&site, BASE, body["person"].as_str().unwrap()).is_empty());

    // 130 AG meetings, 1 forum, 3 days of bodies: two pages of meetings.
    let first = json(&site, "oparl/v1/body/stadt-teststadt/meeting.json");
    assert_eq!(first["pagination"]["totalElements"], 134);
    assert_eq!(first["pagination"]["totalPages"], 2);
    assert_eq!(first["data"].as_array().unwrap().len(), 100);
    assert_eq!(
        first["links"]["next"],
        format!("{BASE}oparl/v1/body/stadt-teststadt/meeting-2.json")
    );
    let meetings = alle(&site, BASE, body["meeting"].as_str().unwrap());
    assert_eq!(meetings.len(), 134);
    // Sorted by date.
    let starts: Vec<&str> = meetings
        .iter()
        .filter_map(|m| m["start"].as_str())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "meetings by date");
    let org = g
        .objekte
        .values()
        .find(|o| o["name"] == "AG Gemeinwesenarbeit Süd")
        .unwrap();
    assert_eq!(org["website"], "https://ag-sued.example.org/");
    let ag_meetings = alle(&site, BASE, org["meeting"].as_str().unwrap());
    assert_eq!(ag_meetings.len(), 130);

    // A time in summer has the summer offset; a meeting without a time has no start.
    let mit_protokoll = json(&site, "oparl/v1/meeting/ag/ag-sued/2026-07-01.json");
    assert_eq!(mit_protokoll["start"], "2026-07-01T17:30:00+02:00");
    assert_eq!(mit_protokoll["meetingState"], "durchgeführt");
    assert_eq!(
        mit_protokoll["resultsProtocol"]["accessUrl"],
        format!("{BASE}dateien/protokolle/2026-07-01.pdf")
    );
    assert_eq!(mit_protokoll["resultsProtocol"]["size"], 18);
    assert!(mit_protokoll["resultsProtocol"].get("meeting").is_none());
    let zweite = json(&site, "oparl/v1/meeting/ag/ag-sued/2026-07-01-2.json");
    assert_eq!(zweite["start"], "2026-07-01T19:00:00+02:00");
    let winter = json(&site, "oparl/v1/meeting/ag/ag-sued/2020-01-07.json");
    assert_eq!(winter["start"], "2020-01-07T17:30:00+01:00");
    assert_eq!(winter["location"]["description"], "Bürgerhaus, Raum 0");
    let ohne_zeit = json(&site, "oparl/v1/meeting/ag/ag-sued/2020-01-14.json");
    assert!(ohne_zeit.get("start").is_none());
    assert!(ohne_zeit["name"].as_str().unwrap().contains("14.01.2020"));

    // The Vorlage: same body twice on one day, the attachment's URL percent-encoded.
    let paper = json(&site, "oparl/v1/paper/ds0001-26.json");
    assert_eq!(paper["paperType"], "Beschlussvorlage");
    let c = paper["consultation"].as_array().unwrap();
    assert_eq!(c.len(), 3);
    assert_ne!(c[0]["id"], c[1]["id"]);
    assert_eq!(c[0]["meeting"], c[1]["meeting"]);
    assert!(
        c[0].get("paper").is_none(),
        "embedded without the back reference"
    );
    let tagesordnung = json(
        &site,
        c[0]["meeting"]
            .as_str()
            .unwrap()
            .strip_prefix(BASE)
            .unwrap(),
    );
    let items = tagesordnung["agendaItem"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["public"], true);
    assert_eq!(items[1]["public"], false);
    assert_eq!(items[1]["order"], 2);
    let anhang = &paper["auxiliaryFile"][0];
    assert_eq!(anhang["name"], "Lageplan");
    assert_eq!(anhang["fileName"], "Plan für Süd.pdf");
    assert_eq!(
        anhang["accessUrl"],
        format!("{BASE}dateien/Plan%20f%C3%BCr%20S%C3%BCd.pdf")
    );
    // The Stadtteil as a place with its boundary and the attribution.
    let ort = &paper["location"][0];
    assert_eq!(ort["subLocality"], "Sudenburg");
    assert_eq!(ort["geojson"]["type"], "Feature");
    assert_eq!(ort["geojson"]["geometry"]["type"], "MultiPolygon");
    assert_eq!(
        ort["geojson"]["properties"]["attribution"],
        "Grenzen: Testdaten (fiktiv), CC0"
    );
    assert_eq!(
        paper["modified"], "2026-04-09T00:00:00+02:00",
        "modified: the last Beratung"
    );

    // The forum with its agenda and attachment.
    let forum = json(&site, "oparl/v1/meeting/forum/forum-sued.json");
    assert_eq!(forum["start"], "2026-10-28T18:00:00+01:00");
    assert_eq!(forum["agendaItem"][1]["name"], "Spielplatz");
    assert_eq!(forum["auxiliaryFile"][0]["name"], "Einladung");
    assert_eq!(forum["web"], format!("{BASE}foren/forum-sued/"));

    // An AG without meetings still has created and modified (those of the Body).
    let ohne = json(&site, "oparl/v1/organization/ag/ag-ohne.json");
    assert_eq!(ohne["created"], body["created"]);
    assert_eq!(ohne["modified"], body["modified"]);
}

#[test]
fn oparl_and_data_files_do_not_depend_on_the_day_of_the_build() {
    let p = portal();
    let a = p
        .build_with(|o| {
            o.heute = Some(jiff::civil::date(2026, 1, 1));
            o.out = Some(p.path("out-a"));
        })
        .ok();
    let b = p
        .build_with(|o| {
            o.heute = Some(jiff::civil::date(2030, 6, 30));
            o.out = Some(p.path("out-b"));
        })
        .ok();
    let daten = |s: &Site| -> BTreeMap<String, Vec<u8>> {
        snapshot(&s.out)
            .into_iter()
            .filter(|(k, _)| {
                k.starts_with("oparl/") || k.ends_with(".csv") || k.ends_with(".geojson")
            })
            .collect()
    };
    let (da, db) = (daten(&a), daten(&b));
    assert!(da.len() > 100);
    assert_eq!(da.keys().collect::<Vec<_>>(), db.keys().collect::<Vec<_>>());
    for (k, v) in &da {
        assert!(db[k] == *v, "{k} differs between builds on different days");
    }
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

const SPALTEN: &[&str] = &[
    "titel",
    "slug",
    "url",
    "jahr",
    "stadtteile",
    "ag",
    "foerderung",
    "foerdersumme",
    "traeger",
    "beteiligte",
    "von",
    "bis",
    "status",
    "adresse",
    "lat",
    "lon",
    "ziele",
    "beispiel",
];

/// Reads `/daten/projekte.csv` back: BOM, header, rows.
fn csv_lesen(out: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let bytes = std::fs::read(out.join("daten/projekte.csv")).expect("projekte.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte order mark");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    assert!(
        !text.replace("\r\n", "").contains('\n') || text.contains('"'),
        "bare LF only inside quoted cells"
    );
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("CSV row")).collect();
    (header, rows)
}

#[test]
fn csv_has_one_row_per_project_and_reads_back() {
    let p = portal();
    let site = p.build().ok();
    let (header, rows) = csv_lesen(&site.out);
    assert_eq!(header, SPALTEN);
    assert_eq!(rows.len(), 2);
    let col = |name: &str| SPALTEN.iter().position(|s| *s == name).unwrap();
    let gruen = rows
        .iter()
        .find(|r| &r[col("slug")] == "gruenflaeche")
        .expect("Grünfläche Süd");
    assert_eq!(&gruen[col("titel")], "Grünfläche Süd");
    assert_eq!(&gruen[col("traeger")], "Bürgerverein Ölmühle e. V.");
    assert_eq!(&gruen[col("adresse")], "Platz \"Am Markt\"; Eingang Süd");
    assert_eq!(&gruen[col("foerdersumme")], "1500,50");
    assert_eq!(&gruen[col("lat")], "52,105");
    assert_eq!(&gruen[col("lon")], "11,605");
    assert_eq!(&gruen[col("stadtteile")], "sudenburg, buckau");
    assert_eq!(&gruen[col("ag")], "ag-sued");
    assert_eq!(&gruen[col("von")], "2026-05-01");
    assert_eq!(&gruen[col("status")], "laufend");
    assert_eq!(&gruen[col("ziele")], "beleben, vernetzung");
    assert_eq!(&gruen[col("beispiel")], "nein");
    assert_eq!(
        &gruen[col("url")],
        format!("{BASE}projekte/2026/gruenflaeche/")
    );
    // Formulas are neutralised with a leading apostrophe.
    let formel = rows.iter().find(|r| &r[col("slug")] == "formel").unwrap();
    assert_eq!(
        &formel[col("titel")],
        "'=HYPERLINK(\"https://example.org\";\"klick\")"
    );
    assert_eq!(&formel[col("traeger")], "'@Verein");
    assert_eq!(&formel[col("beispiel")], "ja");
    assert_eq!(&formel[col("lat")], "");
    // RFC 4180: the cell with a quote and a separator is quoted, quotes doubled.
    let raw = p.path("public/daten/projekte.csv");
    let raw = std::fs::read_to_string(raw).unwrap();
    assert!(raw.contains("\"Platz \"\"Am Markt\"\"; Eingang Süd\""));
}

#[test]
fn example_csv_has_every_project() {
    let site = example();
    let (header, rows) = csv_lesen(&site.out);
    assert_eq!(header, SPALTEN);
    let projekte = entities("projekte", "titel");
    assert_eq!(rows.len(), projekte.len());
    for x in &projekte {
        let titel = x.str("titel").unwrap();
        assert!(
            rows.iter()
                .any(|r| r[0] == *titel || r[0] == format!("'{titel}")),
            "{titel} not in the CSV"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The /daten/ page
// ---------------------------------------------------------------------------------------

/// The rows of the table of particulars of each dataset, by its heading.
fn datensaetze(page: &Page) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for section in page.select("section.datensatz") {
        let titel = text(section.select(&sel("h2")).next().unwrap());
        let mut rows = BTreeMap::new();
        for tr in section.select(&sel("table.metadaten tr")) {
            let th = text(tr.select(&sel("th")).next().unwrap());
            let td = text(tr.select(&sel("td")).next().unwrap());
            rows.insert(th, td);
        }
        out.insert(titel, rows);
    }
    out
}

#[test]
fn example_daten_page_lists_every_dataset_with_size_and_attribution() {
    let site = example();
    let page = site.page("daten/");
    assert_eq!(page.one("html").value().attr("lang"), Some("de"));
    assert_eq!(text(page.one("h1")), "Offene Daten");
    let d = datensaetze(&page);
    let groesse = regex::Regex::new(r"^\d[\d.,]* (Byte|KB|MB)").unwrap();
    for (titel, datei) in [
        ("Projekte als Tabelle (CSV)", "projekte.csv"),
        ("Projekte als Geodaten (GeoJSON)", "projekte.geojson"),
        ("Stadtteilgrenzen (GeoJSON)", "stadtteile.geojson"),
        ("Vorlagen und Sitzungen (OParl)", "oparl/v1/system.json"),
        ("SOURCES.md", "SOURCES.md"),
    ] {
        let rows = d
            .get(titel)
            .unwrap_or_else(|| panic!("no dataset '{titel}' in {:?}", d.keys()));
        assert_eq!(rows["Datei"], datei, "{titel}");
        assert!(
            groesse.is_match(&rows["Größe"]),
            "{titel}: {}",
            rows["Größe"]
        );
        assert!(rows.contains_key("Format"), "{titel}");
    }
    // The boundaries' licence requires the attribution.
    assert_eq!(
        d["Stadtteilgrenzen (GeoJSON)"]["Quelle und Lizenz"],
        "Stadtteilgrenzen: © OpenStreetMap-Mitwirkende, ODbL"
    );
    assert_eq!(
        d["Projekte als Tabelle (CSV)"]["Lizenz"],
        "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    );
    // The CSV's size is the file's.
    let csv_size = std::fs::metadata(site.file_of("daten/projekte.csv"))
        .unwrap()
        .len();
    assert_eq!(
        d["Projekte als Tabelle (CSV)"]["Größe"],
        format!("{} KB", csv_size.div_ceil(1000))
    );
    // Every column of the CSV is documented.
    let main = page.main_text();
    for s in SPALTEN {
        assert!(main.contains(s), "column {s} undocumented");
    }
    assert!(main.contains("Semikolon"));
    // Linked from every page's footer.
    let start = site.page("");
    assert!(
        start
            .select("footer a")
            .iter()
            .any(|a| a.value().attr("href") == Some("/gwa/daten/") && text(*a) == "Offene Daten")
    );
    assert!(check_links(site, "/gwa/").is_empty());
}

#[test]
fn daten_page_of_a_portal_without_licence_points_to_the_legal_notice() {
    let p = TestPortal::new()
        .file(
            "portal.yaml",
            &format!("{PORTAL_YAML}impressum: impressum\n"),
        )
        .file(
            "content/seiten/impressum.md",
            &md("titel: \"Impressum\"\n", "Verantwortlich: …\n"),
        );
    let site = p.build().ok();
    let page = site.page("daten/");
    let d = datensaetze(&page);
    assert_eq!(d["Projekte als Tabelle (CSV)"]["Lizenz"], "siehe Impressum");
    assert!(page.select("a").iter().any(
        |a| a.value().attr("href") == Some("/gwa/impressum/") && text(*a) == "siehe Impressum"
    ));
    // No boundaries: no boundaries dataset; the OParl export is there all the same.
    assert!(!d.contains_key("Stadtteilgrenzen (GeoJSON)"));
    pruefen(&site, "https://example.org/gwa/");
    // An empty CSV still has its header.
    let (header, rows) = csv_lesen(&site.out);
    assert_eq!(header, SPALTEN);
    assert!(rows.is_empty());
}

#[test]
fn daten_page_describes_the_editors_files() {
    let p = portal();
    let site = p.build().ok();
    let page = site.page("daten/");
    let d = datensaetze(&page);
    let baeume = &d["baeume.csv"];
    assert_eq!(baeume["Format"], "CSV");
    assert_eq!(baeume["Größe"], "40 Byte");
    let main = page.main_text();
    for spalte in ["art", "anzahl", "stadtteil"] {
        assert!(main.contains(spalte));
    }
    // The Stadtteile in the OParl export carry their boundaries, and so the attribution.
    assert!(main.contains("tragen deren Hinweis: „Grenzen: Testdaten (fiktiv), CC0“"));
    // The boundaries kept at another path: published as they are, and generated at
    // /daten/stadtteile.geojson; both carry the attribution.
    assert_eq!(
        d["grenzen.geojson"]["Quelle und Lizenz"],
        "Grenzen: Testdaten (fiktiv), CC0"
    );
    assert_eq!(
        d["Stadtteilgrenzen (GeoJSON)"]["Quelle und Lizenz"],
        "Grenzen: Testdaten (fiktiv), CC0"
    );
    assert!(
        page.select("a")
            .iter()
            .any(|a| a.value().attr("href") == Some("https://creativecommons.org/licenses/by/4.0/"))
    );
}

#[test]
fn daten_lizenz_is_checked_and_generated_paths_are_reserved() {
    // Just a name is fine; an unknown key inside is a warning, a bad URL an error.
    let p = TestPortal::new().file(
        "portal.yaml",
        &format!("{PORTAL_YAML}daten_lizenz: \"CC0 1.0\"\n"),
    );
    let site = p.build().ok();
    let d = datensaetze(&site.page("daten/"));
    assert_eq!(d["Projekte als Tabelle (CSV)"]["Lizenz"], "CC0 1.0");

    let p = TestPortal::new().file(
        "portal.yaml",
        &format!("{PORTAL_YAML}daten_lizenz:\n  name: \"CC0\"\n  adresse: \"x\"\n"),
    );
    let site = p.build().ok();
    assert_eq!(site.codes(), vec!["W001"]);

    let p = TestPortal::new().file(
        "portal.yaml",
        &format!("{PORTAL_YAML}daten_lizenz:\n  name: \"CC0\"\n  url: \"creativecommons\"\n"),
    );
    let run = p.cli_build(&[]);
    run.assert_code(2);
    let d = run.one("K002");
    assert!(d.message.contains("'url'"), "{}", d.raw);
    assert_eq!(d.at().0, "portal.yaml");

    let p = TestPortal::new().file("content/daten/projekte.csv", "a;b\n");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    run.one("E025");
}

/// OParl clients show objects without the pages that mark made-up records, so the
/// export marks them itself: the keyword `Beispiel` and the name. A body and a day
/// known only from made-up Vorlagen are made up too; a real body's meeting is not.
#[test]
fn made_up_records_are_marked_in_the_export() {
    let p = portal()
        .file(
            "content/vorlagen/i0003-26.md",
            &md(
                "nummer: \"I0003/26\"\nart: information\nthema: \"Erfundener Bericht\"\ndatum: 2026-05-05\nbeispiel: true\n\
                 beratungsfolge:\n  - gremium: \"Beispielausschuss\"\n    datum: 2026-06-01\n\
                 \x20 - gremium: \"Stadtrat\"\n    datum: 2026-06-11\n",
                "Erfunden.\n",
            ),
        )
        .file(
            "content/foren/forum-erfunden.md",
            &md(
                "titel: \"Erfundenes Forum\"\ndatum: 2026-10-29\nort: \"Irgendwo\"\nstadtteile: [sudenburg]\n\
                 beispiel: true\ntagesordnung:\n  - \"Begrüßung\"\n",
                "",
            ),
        );
    let site = p.build().ok();
    let g = pruefen(&site, BASE);
    let beispiel = serde_json::json!(["Beispiel"]);
    let obj = |path: &str| {
        g.objekte
            .get(&format!("{BASE}oparl/v1/{path}"))
            .unwrap_or_else(|| panic!("no object {path}"))
            .clone()
    };

    let paper = obj("paper/i0003-26.json");
    assert_eq!(paper["keyword"], beispiel);
    assert_eq!(paper["name"], "Erfundener Bericht (Beispiel)");
    assert_eq!(paper["mainFile"]["keyword"], beispiel);
    for c in paper["consultation"].as_array().unwrap() {
        assert_eq!(c["keyword"], beispiel, "{c}");
    }
    let ausschuss = obj("organization/gremium/beispielausschuss.json");
    assert_eq!(ausschuss["keyword"], beispiel);
    assert_eq!(ausschuss["name"], "Beispielausschuss (Beispiel)");
    let tag = obj("meeting/gremium/beispielausschuss/2026-06-01.json");
    assert_eq!(tag["keyword"], beispiel);
    assert_eq!(tag["agendaItem"][0]["keyword"], beispiel);

    // The Stadtrat also meets on that day for a real Vorlage: the day and the body are
    // real, the made-up item on it is marked.
    let stadtrat = obj("meeting/gremium/stadtrat/2026-06-11.json");
    assert!(stadtrat.get("keyword").is_none(), "{stadtrat}");
    let items = stadtrat["agendaItem"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        let erfunden = item["name"].as_str().unwrap().contains("I0003/26");
        assert_eq!(item.get("keyword") == Some(&beispiel), erfunden, "{item}");
    }
    assert!(
        obj("organization/gremium/stadtrat.json")
            .get("keyword")
            .is_none()
    );

    let forum = obj("meeting/forum/forum-erfunden.json");
    assert_eq!(forum["name"], "Erfundenes Forum (Beispiel)");
    assert_eq!(forum["keyword"], beispiel);
    assert_eq!(forum["location"]["keyword"], beispiel);
    assert_eq!(forum["agendaItem"][0]["keyword"], beispiel);

    // Nothing real is marked.
    for path in [
        "paper/ds0001-26.json",
        "meeting/forum/forum-sued.json",
        "organization/ag/ag-sued.json",
    ] {
        assert!(obj(path).get("keyword").is_none(), "{path}");
    }
}
