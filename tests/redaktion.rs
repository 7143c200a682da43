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
