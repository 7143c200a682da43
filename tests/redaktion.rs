//! The editors' workflow: `quartier new` with the usual fields, `quartier import`,
//! "Stand" and "Seite bearbeiten", `quartier schema`, the CI templates.

mod common;

use common::*;

/// The file `quartier new` reports on stderr ("Angelegt: <path>").
fn created(run: &Run) -> String {
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Angelegt: "))
        .unwrap_or_else(|| panic!("no 'Angelegt:' line:\n{}", run.stderr));
    std::fs::read_to_string(line.trim()).expect("created file")
}

/// Every type with its usual fields from the command line, as Markdown and as YAML:
/// each file builds without a warning and the values appear on its page.
#[test]
fn new_fills_in_the_usual_fields_of_every_type() {
    for format in ["md", "yaml"] {
        let p = TestPortal::new();
        let extra: &[&str] = if format == "yaml" { &["--yaml"] } else { &[] };
        let cases: Vec<Vec<&str>> = vec![
            vec![
                "stadtteil",
                "Fermersleben",
                "--nummer",
                "41",
                "--einwohner",
                "4321",
            ],
            vec![
                "ag",
                "AG Gemeinwesenarbeit Süd",
                "--stadtteil",
                "sudenburg",
                "--email",
                "ag-sued@example.org",
                "--telefon",
                "0391 123456",
                "--sitzungsregel",
                "jeden 1. Montag im Monat",
                "--gegruendet",
                "1999",
            ],
            vec![
                "projekt",
                "Kiezfest",
                "--stadtteil",
                "sudenburg",
                "--jahr",
                "2026",
                "--ag",
                "ag-gemeinwesenarbeit-sued",
                "--betrag",
                "1.234,50",
                "--teilnehmende",
                "321",
                "--traeger",
                "Verein Kiezleben e. V.",
                "--ort",
                "Halberstädter Straße 1",
                "--status",
                "abgeschlossen",
                "--von",
                "2026-06-01",
                "--bis",
                "2026-06-02",
            ],
            vec![
                "forum",
                "Stadtteilforum Süd",
                "--stadtteil",
                "buckau",
                "--datum",
                "2027-02-17",
                "--zeit",
                "18:30",
                "--ort",
                "Gemeindesaal Buckau",
                "--veranstalter",
                "Stadtteilmanagement Buckau",
            ],
            vec![
                "vorlage",
                "Bericht Initiativfonds",
                "--nummer",
                "I0123/26",
                "--datum",
                "2026-03-01",
                "--art",
                "beschlussvorlage",
                "--dezernat",
                "V",
                "--amt",
                "V/02",
                "--stadtteil",
                "buckau",
            ],
            vec!["seite", "Mitmachen", "--menue", "3"],
        ];
        for args in &cases {
            let mut all = args.clone();
            all.extend(extra);
            let run = p.cli_new(&all);
            run.assert_code(0);
            let text = created(&run);
            if format == "yaml" {
                assert!(
                    text.starts_with("# yaml-language-server: $schema="),
                    "{text}"
                );
            } else {
                assert!(text.starts_with("---\n"), "{text}");
            }
        }
        let site = p.build().ok();
        assert!(
            site.report.diagnostics.is_empty(),
            "{format}: files from `quartier new` build without warnings:\n{}",
            site.diagnostics()
        );
        let t = site.page("stadtteile/fermersleben/").main_text();
        assert!(t.contains("4.321"), "{format}: Einwohner: {t}");
        let t = site.page("ags/ag-gemeinwesenarbeit-sued/").main_text();
        assert!(
            t.contains("ag-sued@example.org") && t.contains("0391 123456"),
            "{format}: {t}"
        );
        assert!(t.contains("jeden 1. Montag im Monat"), "{format}: {t}");
        let t = site.page("projekte/2026/kiezfest/").main_text();
        for want in [
            "1.234,50 €",
            "321",
            "Verein Kiezleben e. V.",
            "Halberstädter Straße 1",
            "abgeschlossen",
            "AG Gemeinwesenarbeit Süd",
        ] {
            assert!(t.contains(want), "{format}: {want} missing in {t}");
        }
        let t = site.page("foren/stadtteilforum-sued/").main_text();
        assert!(
            t.contains("18:30 Uhr")
                && t.contains("Gemeindesaal Buckau")
                && t.contains("Stadtteilmanagement Buckau"),
            "{format}: {t}"
        );
        let t = site.page("vorlagen/i0123-26/").main_text();
        assert!(
            t.contains("Beschlussvorlage") && t.contains("V/02"),
            "{format}: {t}"
        );
        let nav = text(site.page("").one("nav.hauptnavigation"));
        assert!(nav.contains("Mitmachen"), "{format}: menu {nav}");
    }
}

#[test]
fn new_refuses_a_bad_amount_and_writes_nothing() {
    let p = TestPortal::new();
    let before = p.sources();
    let run = p.cli_new(&[
        "projekt",
        "Fest",
        "--stadtteil",
        "sudenburg",
        "--betrag",
        "viel",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("kein Betrag"), "{}", run.stderr);
    assert!(p.sources() == before);
}

// ---------------------------------------------------------------------------------------
// quartier import projekte
// ---------------------------------------------------------------------------------------

fn cli_import(p: &TestPortal, datei: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "import".to_string(),
        "projekte".to_string(),
        p.path(datei).display().to_string(),
        "--root".to_string(),
        p.root().display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    quartier(&args)
}

const TABELLE: &str = "\u{feff}Projekt;Stadtteil;Fördersumme (€);Teilnehmer;Träger;AG;Beginn;Ende\r\n\
Kiezfest Süd;Sudenburg;1.500,50;120;Kiezverein e. V.;AG Süd;01.06.2026;02.06.2026\r\n\
Lesecafé;buckau, Sudenburg;800;40;;;;\r\n";

fn import_portal() -> TestPortal {
    TestPortal::new().file(
        "content/ags/ag-sued.yaml",
        "name: \"AG Süd\"\nstadtteile: [sudenburg]\n",
    )
}

#[test]
fn import_csv_writes_a_list_that_builds() {
    let p = import_portal().file("tabellen/initiativfonds.csv", TABELLE);
    let run = cli_import(&p, "tabellen/initiativfonds.csv", &["--jahr", "2026"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("Übernommen: 2 Projekte"),
        "{}",
        run.stderr
    );
    let yaml = p.read("content/projekte/initiativfonds.yaml");
    assert!(
        yaml.starts_with("# yaml-language-server: $schema="),
        "{yaml}"
    );
    let site = p.build().ok();
    assert!(site.report.diagnostics.is_empty(), "{}", site.diagnostics());
    let t = site.page("projekte/2026/kiezfest-sued/").main_text();
    for want in [
        "1.500,50 €",
        "120",
        "Kiezverein e. V.",
        "AG Süd",
        "Sudenburg",
    ] {
        assert!(t.contains(want), "{want} missing: {t}");
    }
    let t = site.page("stadtteile/buckau/").main_text();
    assert!(t.contains("Lesecafé"), "{t}");
    // A second import of the same table never overwrites the first.
    let before = p.sources();
    let run = cli_import(&p, "tabellen/initiativfonds.csv", &["--jahr", "2026"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.one("E021");
    assert!(p.sources() == before);
}

#[test]
fn import_names_every_bad_row_and_writes_nothing() {
    let tabelle = format!(
        "{TABELLE}Malwerkstatt;Sudenbrug;12;30;;;;\r\nHoffest;Buckau;zwölf Euro;;;;31.02.2026;\r\n"
    );
    let p = import_portal().file("tabelle.csv", &tabelle);
    let before = p.sources();
    let run = cli_import(&p, "tabelle.csv", &["--jahr", "2026"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    let e = run.one("E020");
    assert!(
        e.message.contains("Zeile 4") && e.message.contains("'Sudenbrug'"),
        "{}",
        e.raw
    );
    assert_eq!(e.hint(), "meinten Sie 'sudenburg'?");
    assert_eq!(e.line, Some(4), "{}", e.raw);
    let zeile5: Vec<_> = errors
        .iter()
        .filter(|d| d.message.contains("Zeile 5"))
        .collect();
    assert_eq!(zeile5.len(), 2, "amount and date of row 5: {}", run.stderr);
    assert!(zeile5.iter().any(|d| d.message.contains("Fördersumme")));
    assert!(zeile5.iter().any(|d| d.message.contains("Beginn")));
    assert!(run.stderr.contains("nichts geschrieben"), "{}", run.stderr);
    assert!(p.sources() == before, "nothing written");
}

#[test]
fn import_xlsx_reads_numbers_and_dates_of_the_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let datum = Format::new().set_num_format("dd.mm.yyyy");
    for (c, h) in [
        "Titel",
        "Stadtteil",
        "Jahr",
        "Betrag",
        "Teilnehmende",
        "Von",
        "Ziele",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "Nachbarschaftsgarten").unwrap();
    sheet.write_string(1, 1, "Buckau").unwrap();
    sheet.write_number(1, 2, 2025).unwrap();
    sheet.write_number(1, 3, 2345.5).unwrap();
    sheet.write_number(1, 4, 75).unwrap();
    let d = ExcelDateTime::from_ymd(2025, 4, 15).unwrap();
    sheet.write_datetime_with_format(1, 5, &d, &datum).unwrap();
    sheet
        .write_string(1, 6, "Vernetzung, Generationen")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let p = import_portal().bytes("garten.xlsx", &bytes);
    let run = cli_import(&p, "garten.xlsx", &[]);
    run.assert_code(0);
    let site = p.build().ok();
    assert!(site.report.diagnostics.is_empty(), "{}", site.diagnostics());
    let t = site.page("projekte/2025/nachbarschaftsgarten/").main_text();
    assert!(t.contains("2.345,50 €") && t.contains("75"), "{t}");
    assert!(
        t.contains("15.04.2025") || t.contains("15. April 2025"),
        "{t}"
    );

    // A bad cell in an XLSX is named by its row, too.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Titel").unwrap();
    sheet.write_string(0, 1, "Stadtteil").unwrap();
    sheet.write_string(0, 2, "Jahr").unwrap();
    sheet.write_string(1, 0, "Gut").unwrap();
    sheet.write_string(1, 1, "Buckau").unwrap();
    sheet.write_number(1, 2, 2025).unwrap();
    sheet.write_string(2, 0, "Schlecht").unwrap();
    sheet.write_string(2, 1, "Buckau").unwrap();
    sheet.write_string(2, 2, "nächstes Jahr").unwrap();
    let p = import_portal().bytes("schlecht.xlsx", &book.save_to_buffer().unwrap());
    let before = p.sources();
    let run = cli_import(&p, "schlecht.xlsx", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let e = run.one("E014");
    assert!(e.message.contains("Zeile 3, Spalte 'Jahr'"), "{}", e.raw);
    assert!(p.sources() == before);
}

// ---------------------------------------------------------------------------------------
// Stand and "Diese Seite bearbeiten"
// ---------------------------------------------------------------------------------------

fn git(p: &TestPortal, args: &[&str], datum: &str) {
    let out = std::process::Command::new("git")
        .current_dir(p.root())
        .args([
            "-c",
            "user.name=Redaktion",
            "-c",
            "user.email=redaktion@example.org",
        ])
        .args(args)
        .env("GIT_COMMITTER_DATE", datum)
        .env("GIT_AUTHOR_DATE", datum)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn stand_und_link(site: &Site, page: &str) -> (Option<String>, Option<String>) {
    let page = site.page(page);
    let stand = page
        .html
        .select(&sel("p.bearbeiten .stand time"))
        .next()
        .map(|t| format!("{} {}", t.value().attr("datetime").unwrap_or(""), text(t)));
    let link = page
        .html
        .select(&sel("p.bearbeiten a"))
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string));
    (stand, link)
}

#[test]
fn every_page_shows_the_day_of_its_last_commit_and_links_to_its_source() {
    let p = TestPortal::new()
        .file(
            "portal.yaml",
            &format!(
                "{PORTAL_YAML}bearbeiten_url: \"https://git.example.org/portal/-/edit/main/{{pfad}}\"\n"
            ),
        )
        .file(
            "content/projekte/2026/kiezfest.md",
            &md("titel: \"Kiezfest\"\njahr: 2026\nstadtteile: [sudenburg]\n", "Text\n"),
        );
    git(&p, &["init", "-q"], "2025-03-04T12:00:00+01:00");
    git(&p, &["add", "-A"], "2025-03-04T12:00:00+01:00");
    git(
        &p,
        &["commit", "-qm", "Anfang"],
        "2025-03-04T12:00:00+01:00",
    );
    p.write(
        "content/projekte/2026/kiezfest.md",
        &md(
            "titel: \"Kiezfest\"\njahr: 2026\nstadtteile: [buckau]\n",
            "Text\n",
        ),
    );
    git(
        &p,
        &["commit", "-qam", "Buckau"],
        "2026-10-07T09:30:00+02:00",
    );

    let site = p.build().ok();
    let (stand, link) = stand_und_link(&site, "projekte/2026/kiezfest/");
    assert_eq!(stand.as_deref(), Some("2026-10-07 07.10.2026"));
    assert_eq!(
        link.as_deref(),
        Some("https://git.example.org/portal/-/edit/main/content/projekte/2026/kiezfest.md")
    );
    let (stand, link) = stand_und_link(&site, "stadtteile/sudenburg/");
    assert_eq!(
        stand.as_deref(),
        Some("2025-03-04 04.03.2025"),
        "unchanged since the first commit"
    );
    assert_eq!(
        link.as_deref(),
        Some("https://git.example.org/portal/-/edit/main/content/stadtteile/sudenburg.yaml")
    );
    // A page that gathers many entities: the newest change of the content.
    let (stand, link) = stand_und_link(&site, "projekte/");
    assert_eq!(stand.as_deref(), Some("2026-10-07 07.10.2026"));
    assert_eq!(link, None, "no single source file");

    // A file not yet committed has no Stand, but can be edited.
    p.write("content/stadtteile/neustadt.yaml", "name: \"Neustadt\"\n");
    let site = p.build().ok();
    let (stand, link) = stand_und_link(&site, "stadtteile/neustadt/");
    assert_eq!(stand, None);
    assert!(link.is_some());
}

#[test]
fn a_portal_outside_git_shows_no_stand() {
    let p = TestPortal::new();
    let site = p.build().ok();
    for page in ["", "stadtteile/sudenburg/", "projekte/"] {
        assert_eq!(stand_und_link(&site, page), (None, None), "{page}");
        assert!(
            site.page(page)
                .html
                .select(&sel("p.bearbeiten"))
                .next()
                .is_none()
        );
    }
}

// ---------------------------------------------------------------------------------------
// quartier schema
// ---------------------------------------------------------------------------------------

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        repo_root()
            .join("schema")
            .join(format!("{name}.schema.json")),
    )
    .unwrap_or_else(|e| panic!("schema/{name}.schema.json: {e}"));
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// The whole file as the YAML language server sees it (a Markdown file: its front matter).
fn as_json(path: &std::path::Path) -> serde_json::Value {
    let (entries, list) = read_entities(path);
    let mut values: Vec<serde_json::Value> = entries
        .into_iter()
        .map(|m| serde_json::to_value(serde_yaml::Value::Mapping(m)).expect("JSON"))
        .collect();
    if list {
        serde_json::Value::Array(values)
    } else {
        values.remove(0)
    }
}

fn errors(v: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    v.iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    let dir = tempfile::tempdir().unwrap();
    let run = quartier(&[
        "schema".to_string(),
        "--out".to_string(),
        dir.path().display().to_string(),
    ]);
    run.assert_code(0);
    let fresh = snapshot(dir.path());
    let committed = snapshot(&repo_root().join("schema"));
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fresh {
        assert!(
            committed[name] == *bytes,
            "schema/{name} is out of date: run `cargo run -- schema`"
        );
    }
}

#[test]
fn every_example_file_validates_against_its_schema() {
    let mut checked = 0;
    let mut modelines = 0;
    for (folder, name) in [
        ("stadtteile", "stadtteil"),
        ("ags", "ag"),
        ("projekte", "projekt"),
        ("foren", "forum"),
        ("vorlagen", "vorlage"),
        ("seiten", "seite"),
    ] {
        let v = validator(name);
        for file in content_files(folder) {
            // A modeline, where there is one, names this type's schema.
            let text = std::fs::read_to_string(&file).unwrap();
            if let Some(rel) = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# yaml-language-server: $schema="))
            {
                let target = file.parent().unwrap().join(rel).canonicalize().unwrap();
                assert_eq!(
                    target,
                    repo_root()
                        .join(format!("schema/{name}.schema.json"))
                        .canonicalize()
                        .unwrap(),
                    "{}",
                    file.display()
                );
                modelines += 1;
            }
            let e = errors(&v, &as_json(&file));
            assert!(e.is_empty(), "{}: {e:#?}", file.display());
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} files");
    assert!(modelines > 30, "the example's YAML files name their schema");
    let portal: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(repo_root().join("portal.yaml")).unwrap())
            .unwrap();
    let e = errors(&validator("portal"), &serde_json::to_value(portal).unwrap());
    assert!(e.is_empty(), "portal.yaml: {e:#?}");
}

#[test]
fn the_schemas_catch_what_quartier_reports() {
    let projekt = validator("projekt");
    let ok = serde_json::json!({"titel": "Fest", "jahr": 2026, "stadtteile": ["sudenburg"]});
    assert!(errors(&projekt, &ok).is_empty());
    // A typo in a key (W001), a missing required field (E010), a wrong value (E014).
    for bad in [
        serde_json::json!({"titel": "Fest", "jahr": 2026, "stadteile": ["sudenburg"]}),
        serde_json::json!({"titel": "Fest", "stadtteile": ["sudenburg"]}),
        serde_json::json!({"titel": "Fest", "jahr": 2026, "stadtteile": ["sudenburg"], "status": "fertig"}),
        serde_json::json!([{"titel": "Fest", "jahr": 2026, "stadtteile": ["sudenburg"], "bilder": [{"datei": "a.jpg"}]}]),
    ] {
        assert!(!errors(&projekt, &bad).is_empty(), "{bad}");
    }
    // The files `quartier new --yaml` writes validate and point at the schema.
    let p = TestPortal::new();
    let run = p.cli_new(&[
        "projekt",
        "Kiezfest",
        "--stadtteil",
        "sudenburg",
        "--jahr",
        "2026",
        "--betrag",
        "500",
        "--yaml",
    ]);
    run.assert_code(0);
    let text = p.read("content/projekte/2026/kiezfest.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../../schema/projekt.schema.json\n"),
        "{text}"
    );
    let e = errors(
        &projekt,
        &as_json(&p.path("content/projekte/2026/kiezfest.yaml")),
    );
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn vscode_maps_every_schema_to_its_folder() {
    let text = std::fs::read_to_string(repo_root().join(".vscode/settings.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&text).unwrap();
    let map = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    for (schema, folder) in [
        ("portal", "portal.yaml"),
        ("stadtteil", "content/stadtteile/"),
        ("ag", "content/ags/"),
        ("projekt", "content/projekte/"),
        ("forum", "content/foren/"),
        ("vorlage", "content/vorlagen/"),
        ("seite", "content/seiten/"),
    ] {
        let key = format!("./schema/{schema}.schema.json");
        assert!(repo_root().join(&key).is_file(), "{key}");
        let globs = map.get(&key).unwrap_or_else(|| panic!("{key} not mapped"));
        assert!(
            globs
                .as_array()
                .unwrap()
                .iter()
                .all(|g| g.as_str().unwrap().starts_with(folder)),
            "{key}: {globs}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// quartier check --format, for the CI templates
// ---------------------------------------------------------------------------------------

fn check_format(p: &TestPortal, format: &str) -> Run {
    quartier(&[
        "check".to_string(),
        "--root".to_string(),
        p.root().display().to_string(),
        "--format".to_string(),
        format.to_string(),
    ])
}

#[test]
fn check_reports_for_github_gitlab_and_merge_request_comments() {
    let p = TestPortal::new().file(
        "content/projekte/fest.md",
        &md(
            "titel: \"Fest\"\njahr: 2026\nstadtteile: [sudenbrug]\nfarbe: blau\n",
            "",
        ),
    );
    let gh = check_format(&p, "github");
    assert_eq!(gh.code, 1);
    let lines: Vec<&str> = gh.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", gh.stdout);
    assert!(
        lines.contains(
            &"::error file=content/projekte/fest.md,line=4,col=14,title=E020 Fehler::Feld 'stadtteile': unbekannter Stadtteil 'sudenbrug'%0AHinweis: meinten Sie 'sudenburg'?"
        ),
        "{}",
        gh.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=content/projekte/fest.md,line=5,"))
    );
    // The people's form stays on stderr.
    assert!(gh.stderr.contains("E020"));

    let gl = check_format(&p, "gitlab");
    let report: serde_json::Value = serde_json::from_str(&gl.stdout).expect("JSON");
    let items = report.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let e = items.iter().find(|i| i["check_name"] == "E020").unwrap();
    assert_eq!(e["severity"], "major");
    assert_eq!(e["location"]["path"], "content/projekte/fest.md");
    assert_eq!(e["location"]["lines"]["begin"], 4);
    assert_ne!(items[0]["fingerprint"], items[1]["fingerprint"]);

    let mdown = check_format(&p, "markdown");
    assert!(
        mdown.stdout.contains("1 Fehler, 1 Warnung"),
        "{}",
        mdown.stdout
    );
    assert!(
        mdown.stdout.contains("| Fehler | E020 | `content/projekte/fest.md:4` | Feld 'stadtteile': unbekannter Stadtteil 'sudenbrug' | meinten Sie 'sudenburg'? |"),
        "{}",
        mdown.stdout
    );

    let ok = TestPortal::new();
    let run = check_format(&ok, "gitlab");
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.trim(), "[]");
    assert!(check_format(&ok, "github").stdout.is_empty());
}

// ---------------------------------------------------------------------------------------
// The CI templates
// ---------------------------------------------------------------------------------------

fn lokal(p: &TestPortal) -> std::process::Output {
    std::process::Command::new("bash")
        .arg(repo_root().join("vorlagen-ci/lokal.sh"))
        .arg(p.root())
        .env("QUARTIER", env!("CARGO_BIN_EXE_quartier"))
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .expect("bash runs")
}

#[test]
fn the_ci_templates_run_locally_and_stop_on_errors() {
    for name in ["gitlab-ci.yml", "github-workflow.yml"] {
        let text = std::fs::read_to_string(repo_root().join("vorlagen-ci").join(name)).unwrap();
        let _: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for cmd in ["quartier check --format", "quartier build", "rsync"] {
            assert!(text.contains(cmd), "{name} lacks {cmd}");
        }
    }

    let bad = TestPortal::new().file(
        "content/projekte/fest.md",
        &md("titel: \"Fest\"\njahr: 2026\nstadtteile: [sudenbrug]\n", ""),
    );
    let out = lokal(&bad);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = bad.read(".ci-bericht/gl-code-quality-report.json");
    assert!(report.contains("\"check_name\": \"E020\""), "{report}");
    assert!(bad.read(".ci-bericht/kommentar.md").contains("sudenbrug"));
    assert!(!bad.public().exists(), "nothing built after a failed check");

    let good = TestPortal::new();
    let out = lokal(&good);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(good.public().join("index.html").is_file());
    assert_eq!(
        good.read(".ci-bericht/gl-code-quality-report.json").trim(),
        "[]"
    );
}

/// Every CI run used to build quartier anew on GitHub and to make every PDF and photo
/// size again; on GitLab a cached quartier was never updated when its branch moved.
#[test]
fn the_ci_templates_keep_quartier_and_the_pdf_cache_between_runs() {
    let lies = |name: &str| -> serde_yaml::Value {
        let text = std::fs::read_to_string(repo_root().join("vorlagen-ci").join(name)).unwrap();
        serde_yaml::from_str(&text).unwrap()
    };
    let texte = |v: &serde_yaml::Value| -> Vec<String> {
        v.as_sequence()
            .map(|s| {
                s.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };

    let gitlab = lies("gitlab-ci.yml");
    let pfade = texte(&gitlab["default"]["cache"]["paths"]);
    for pfad in [".quartier-cache/", ".cargo/bin/", ".cargo/.crates2.json"] {
        assert!(
            pfade.iter().any(|p| p == pfad),
            "GitLab cache lacks {pfad}: {pfade:?}"
        );
    }
    let skript = texte(&gitlab["default"]["before_script"]).join("\n");
    // cargo itself skips an install from the same commit; nothing may skip it before.
    assert!(skript.contains("cargo install --locked --git"), "{skript}");
    assert!(!skript.contains("elif [ ! -x"), "{skript}");

    let github = lies("github-workflow.yml");
    fn schritte<'a>(workflow: &'a serde_yaml::Value, job: &str) -> &'a [serde_yaml::Value] {
        workflow["jobs"][job]["steps"].as_sequence().unwrap()
    }
    fn nummer(schritte: &[serde_yaml::Value], name: &str) -> usize {
        schritte
            .iter()
            .position(|s| s["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no step '{name}'"))
    }
    for job in ["pruefen", "veroeffentlichen"] {
        let schritte = schritte(&github, job);
        let schritt = |name: &str| &schritte[nummer(schritte, name)];
        let cache = schritt("quartier aus dem Cache");
        assert!(
            cache["uses"]
                .as_str()
                .unwrap()
                .starts_with("actions/cache@")
        );
        assert_eq!(
            cache["with"]["key"].as_str(),
            Some("quartier-${{ steps.quartier.outputs.commit }}")
        );
        assert_eq!(
            schritt("quartier installieren")["if"].as_str(),
            Some("steps.quartier-cache.outputs.cache-hit != 'true'")
        );
        assert!(
            schritt("Fassung von quartier bestimmen")["run"]
                .as_str()
                .unwrap()
                .contains("git ls-remote")
        );
    }
    let schritte = schritte(&github, "veroeffentlichen");
    let pdfs = nummer(schritte, "PDFs und Bilder vom letzten Build");
    assert_eq!(
        schritte[pdfs]["with"]["path"].as_str(),
        Some(".quartier-cache")
    );
    assert!(schritte[pdfs]["with"]["restore-keys"].as_str().is_some());
    assert!(pdfs < nummer(schritte, "Bauen"));
}

// ---------------------------------------------------------------------------------------
// The editors' guide
// ---------------------------------------------------------------------------------------

#[test]
fn the_guide_explains_every_diagnostic_and_shows_every_type() {
    let source = std::fs::read_to_string(repo_root().join("src/diagnostics.rs")).unwrap();
    let codes: Vec<String> = regex::Regex::new(r#"=> "([KEW][0-9]{3})""#)
        .unwrap()
        .captures_iter(&source)
        .map(|c| c[1].to_string())
        .collect();
    assert!(codes.len() > 30, "{codes:?}");
    let site = example();
    let guide = site.page("redaktion/");
    let items: Vec<String> = guide
        .html
        .select(&sel("main li"))
        .map(|li| text(li))
        .collect();
    for code in &codes {
        assert!(
            items.iter().any(|i| i.starts_with(&format!("{code} – "))),
            "the guide does not explain {code}"
        );
    }
    // A complete example per type, headed by its folder.
    let headings: Vec<String> = guide
        .html
        .select(&sel("main h3"))
        .map(|h| text(h))
        .collect();
    for folder in [
        "content/stadtteile/",
        "content/ags/",
        "content/projekte/",
        "content/foren/",
        "content/vorlagen/",
        "content/seiten/",
    ] {
        assert!(
            headings.iter().any(|h| h.contains(folder)),
            "no example for {folder}: {headings:?}"
        );
    }
    let t = guide.main_text();
    for want in [
        "Alternativtext",
        "quartier import projekte",
        "Eine Vorlage veröffentlichen",
        "yaml-language-server",
    ] {
        assert!(t.contains(want), "{want}");
    }
}

/// The complete examples of the guide are complete indeed: together they build a portal
/// without a single warning.
#[test]
fn the_examples_of_the_guide_build_without_warnings() {
    let guide = std::fs::read_to_string(repo_root().join("content/seiten/redaktion.md")).unwrap();
    let re =
        regex::Regex::new(r"(?s)### [^\n]*`(content/[^`]+)`\n\n```(?:yaml|markdown)\n(.*?)\n```")
            .unwrap();
    let mut p = TestPortal::empty();
    let mut files = Vec::new();
    for c in re.captures_iter(&guide) {
        p = p.file(&c[1], &format!("{}\n", &c[2]));
        files.push(c[1].to_string());
    }
    assert_eq!(files.len(), 6, "{files:?}");
    let mut jpeg = Vec::new();
    image::RgbImage::from_pixel(64, 48, image::Rgb([200, 120, 40]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    p = p.bytes("content/dateien/bilder/kiezfest.jpg", &jpeg);
    for datei in [
        "protokolle/2026-12-08.pdf",
        "foren/einladung.pdf",
        "vorlagen/I0123-26.pdf",
    ] {
        p = p.bytes(&format!("content/dateien/{datei}"), b"%PDF-1.4 test");
    }
    let site = p.build().ok();
    assert!(site.report.diagnostics.is_empty(), "{}", site.diagnostics());
    for page in [
        "stadtteile/sudenburg/",
        "ags/ag-gwa-sudenburg/",
        "projekte/2026/kiezfest/",
        "foren/stadtteilforum-beispiel/",
        "vorlagen/i0123-26/",
        "mitmachen/",
    ] {
        assert!(site.exists(page), "{page}");
    }
    // The YAML example validates against its schema, too.
    let e = errors(
        &validator("stadtteil"),
        &as_json(&p.path("content/stadtteile/sudenburg.yaml")),
    );
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn new_refuses_options_the_type_has_no_field_for() {
    let p = TestPortal::new();
    let before = p.sources();
    for (args, option) in [
        (vec!["seite", "Hilfe", "--betrag", "100"], "--betrag"),
        (
            vec![
                "projekt",
                "Fest",
                "--stadtteil",
                "sudenburg",
                "--menue",
                "2",
            ],
            "--menue",
        ),
        (
            vec!["ag", "AG", "--stadtteil", "sudenburg", "--zeit", "18:00"],
            "--zeit",
        ),
    ] {
        let run = p.cli_new(&args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let d = run.one("E014");
        assert!(d.message.contains(option), "{}", d.raw);
    }
    assert!(p.sources() == before, "nothing written");
}

#[test]
fn import_reads_the_windows_csv_of_a_german_excel() {
    // "Träger" and "Fördersumme" with ä = 0xE4, ö = 0xF6; € = 0x80 in Windows-1252.
    let mut bytes: Vec<u8> = b"Titel;Stadtteil;F\xf6rdersumme (\x80);Tr\xe4ger\r\n".to_vec();
    bytes.extend_from_slice(b"Gr\xfcnfl\xe4che;Buckau;250;B\xfcrgerverein\r\n");
    let p = import_portal().bytes("excel.csv", &bytes);
    let run = cli_import(&p, "excel.csv", &["--jahr", "2026"]);
    run.assert_code(0);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let site = p.build().ok();
    let t = site.page("projekte/2026/gruenflaeche/").main_text();
    assert!(
        t.contains("Grünfläche") && t.contains("Bürgerverein") && t.contains("250,00 €"),
        "{t}"
    );
}
