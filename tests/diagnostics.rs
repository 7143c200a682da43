//! What editors see when content is wrong: one purpose-made portal per class of error,
//! otherwise valid. Each test builds the valid portal first, breaks it, builds again
//! through the binary and checks exit code, code, German message, `--> file:line:column`,
//! hint, and that the previous output is left exactly as it was.

mod common;

use std::collections::BTreeSet;

use common::*;

const FEST_PATH: &str = "content/projekte/kiezfest.md";
const FEST: &str = "---\n\
                    titel: \"Kiezfest\"\n\
                    jahr: 2025\n\
                    stadtteile: [sudenburg]\n\
                    ---\n\
                    Ein Fest für alle.\n";

/// A valid portal with two Stadtteile and one project.
fn portal() -> TestPortal {
    TestPortal::new().file(FEST_PATH, FEST)
}

/// A real (tiny) PNG: a build processes every image under content/dateien/ and refuses
/// one it cannot read.
fn png() -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::new(4, 4)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

fn root_entries(p: &TestPortal) -> BTreeSet<String> {
    std::fs::read_dir(p.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Builds `portal` as it is (which must succeed), applies `change`, builds again
/// through the binary and returns that run. If the second build fails, the output of
/// the first must be untouched, byte for byte, and no staging folder left behind.
fn rebuild_after(portal: &TestPortal, change: impl FnOnce(&TestPortal)) -> Run {
    portal.build().ok();
    let before = snapshot(&portal.public());
    assert!(before.contains_key("index.html"));
    change(portal);
    let entries = root_entries(portal);
    let run = portal.cli_build(&[]);
    if run.code != 0 {
        assert!(
            snapshot(&portal.public()) == before,
            "a failed build changed public/:\n{}",
            run.stderr
        );
        assert_eq!(root_entries(portal), entries, "files left next to public/");
        assert!(
            run.stderr.contains("Es wurde nichts geschrieben"),
            "{}",
            run.stderr
        );
    }
    run
}

/// Replaces (or adds) one file of a valid portal and builds again.
fn broken(portal: &TestPortal, rel: &str, text: &str) -> Run {
    rebuild_after(portal, |p| p.write(rel, text))
}

fn broken_bytes(portal: &TestPortal, rel: &str, bytes: &[u8]) -> Run {
    rebuild_after(portal, |p| p.write_bytes(rel, bytes))
}

/// Asserts the run failed with exactly one error, `code`, and returns it.
fn only_error(run: &Run, code: &str) -> Diag {
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{}", run.stderr);
    assert_eq!(errors[0].code, code, "{}", run.stderr);
    errors[0].clone()
}

fn assert_message(d: &Diag, part: &str) {
    assert!(
        d.message.contains(part),
        "message '{}' lacks '{part}'\n{}",
        d.message,
        d.raw
    );
}

fn assert_hint(d: &Diag, part: &str) {
    assert!(
        d.hint().contains(part),
        "hint '{}' lacks '{part}'\n{}",
        d.hint(),
        d.raw
    );
}

// ---------------------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------------------

#[test]
fn yaml_syntax_error_in_front_matter_is_reported_at_the_line_of_the_file() {
    let p = portal();
    let text = "---\n\
                titel: \"Kiezfest\"\n\
                jahr: 2025\n\
                stadtteile: [sudenburg, buckau\n\
                ---\n\
                Text\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E001");
    assert_eq!(d.severity, "Fehler");
    assert_message(&d, "Liste in eckigen Klammern ist nicht geschlossen");
    // Line 4 of the file (line 3 of the front matter), at the opening bracket.
    let (line, column) = pos(text, "[sudenburg");
    assert_eq!((line, column), (4, 13));
    assert_eq!(d.at(), (FEST_PATH, line, column));
    assert_eq!(d.source.as_deref(), Some("stadtteile: [sudenburg, buckau"));
    assert_hint(&d, "]");
    assert!(run.stderr.contains("Fehler[E001]: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(" --> {FEST_PATH}:4:13")),
        "{}",
        run.stderr
    );
}

#[test]
fn yaml_syntax_error_in_a_yaml_file_points_at_its_line() {
    let p = portal();
    let text = "name: \"Cracau\"\neinwohner: 1000\nnummer: \"12\n";
    let run = broken(&p, "content/stadtteile/cracau.yaml", text);
    let d = only_error(&run, "E001");
    assert_message(&d, "Anführungszeichen");
    assert_eq!(
        d.at(),
        ("content/stadtteile/cracau.yaml", 3, pos(text, "\"12").1)
    );
}

#[test]
fn tab_indentation_is_an_error_with_a_hint() {
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\n\tstadtteile: [sudenburg]\n---\nText\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E001");
    assert_message(&d, "Tabulator");
    assert_eq!(d.at(), (FEST_PATH, pos(text, "\t").0, 1));
    assert_hint(&d, "Leerzeichen");
}

#[test]
fn unclosed_quote_points_at_where_the_quote_opens() {
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\njahr: 2025\nstadtteile: [sudenburg]\n---\nText\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E001");
    assert_message(&d, "Anführungszeichen werden nicht geschlossen");
    assert_eq!(d.at(), (FEST_PATH, 2, 8));
    assert_eq!(pos(text, "\"Kiezfest"), (2, 8));
    assert_hint(&d, "Anführungszeichen");
    // With more quotes further down, YAML reads on to the next one and stumbles lines
    // later; the error is still where the quote opened.
    p.write(FEST_PATH, FEST);
    let text = "---\ntitel: \"Kiezfest\njahr: 2025\nstadtteile: [sudenburg]\ntraeger: \"Verein\"\nbeteiligte: 5\n---\nText\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E001");
    assert_message(&d, "Anführungszeichen werden nicht geschlossen");
    assert_eq!(d.at(), (FEST_PATH, 2, 8));
}

#[test]
fn missing_front_matter() {
    let p = portal();
    let text = "titel: Kiezfest\n\nEin Fest.\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E002");
    assert_message(&d, "der Front Matter fehlt");
    assert_eq!(d.at(), (FEST_PATH, 1, 1));
    assert_eq!(d.source.as_deref(), Some("titel: Kiezfest"));
    assert_hint(&d, "'---'");
}

#[test]
fn unclosed_front_matter() {
    let p = portal();
    let text = "---\ntitel: Kiezfest\njahr: 2025\nstadtteile: [sudenburg]\n\nEin Fest.\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E002");
    assert_message(&d, "nicht mit '---' geschlossen");
    assert_eq!(d.at(), (FEST_PATH, 1, 1));
    assert_hint(&d, "'---'");
}

/// `Straßenfest` in Windows-1252 on line 2.
const LATIN1: &[u8] =
    b"---\ntitel: Stra\xdfenfest\njahr: 2025\nstadtteile: [sudenburg]\n---\nText\n";

#[test]
fn file_not_in_utf8() {
    let p = portal();
    let run = broken_bytes(&p, FEST_PATH, LATIN1);
    let d = only_error(&run, "E003");
    assert_message(&d, "nicht in UTF-8");
    assert_eq!(d.file.as_deref(), Some(FEST_PATH));
    assert_hint(&d, "UTF-8");
}

#[test]
fn file_in_utf16_gets_its_own_hint() {
    let p = portal();
    let mut bytes = vec![0xFF, 0xFE];
    for u in FEST.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let run = broken_bytes(&p, FEST_PATH, &bytes);
    let d = only_error(&run, "E003");
    assert_eq!(d.file.as_deref(), Some(FEST_PATH));
    assert_hint(&d, "UTF-16");
}

#[test]
fn file_not_in_utf8_is_located_at_the_bad_byte() {
    let p = portal();
    let run = broken_bytes(&p, FEST_PATH, LATIN1);
    let d = only_error(&run, "E003");
    // "titel: Stra" is 11 characters: the bad byte is in column 12 of line 2.
    assert_eq!(d.at(), (FEST_PATH, 2, 12));
}

#[test]
fn empty_files() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, "");
        p.write("content/stadtteile/leer.yaml", "\n");
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    for e in &errors {
        assert_eq!(e.code, "E004");
        assert_message(e, "leer");
        assert!(e.hint.is_some());
    }
    let files: BTreeSet<&str> = errors.iter().filter_map(|e| e.file.as_deref()).collect();
    assert_eq!(
        files,
        BTreeSet::from([FEST_PATH, "content/stadtteile/leer.yaml"])
    );
}

#[test]
fn wrong_top_level_structure() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write("content/stadtteile/buckau.yaml", "Buckau\n");
        p.write(FEST_PATH, "---\nKiezfest 2025\n---\nText\n");
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E006"), "{}", run.stderr);
    let yaml = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/stadtteile/buckau.yaml"))
        .unwrap();
    assert_eq!(yaml.at(), ("content/stadtteile/buckau.yaml", 1, 1));
    assert_message(yaml, "den Text 'Buckau'");
    let md = errors
        .iter()
        .find(|e| e.file.as_deref() == Some(FEST_PATH))
        .unwrap();
    assert_eq!(md.at(), (FEST_PATH, 2, 1));
    assert_message(md, "Feldern");
}

#[test]
fn yaml_list_entry_without_slug_or_title() {
    let p = portal();
    let text = "- titel: \"Lesepaten\"\n  jahr: 2024\n  stadtteile: [buckau]\n\
                - jahr: 2024\n  stadtteile: [sudenburg]\n";
    let run = broken(&p, "content/projekte/2024.yaml", text);
    let d = only_error(&run, "E010");
    assert_message(&d, "Eintrag 2 hat weder 'slug' noch 'titel'");
    assert_eq!(d.at(), ("content/projekte/2024.yaml", 4, 3));
    assert_hint(&d, "'titel'");

    // Stadtteile derive their slug from 'name'.
    let p = portal();
    let run = broken(
        &p,
        "content/stadtteile/weitere.yaml",
        "- name: \"Cracau\"\n- einwohner: 100\n",
    );
    let d = only_error(&run, "E010");
    assert_message(&d, "weder 'slug' noch 'name'");
    assert_eq!(d.at(), ("content/stadtteile/weitere.yaml", 2, 3));
}

#[test]
fn invalid_slug_in_a_file_name() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.remove(FEST_PATH);
        p.write("content/projekte/Straßen_Fest.md", FEST);
    });
    let d = only_error(&run, "E015");
    assert_message(&d, "'Straßen_Fest' ist kein gültiger Slug");
    assert_eq!(d.file.as_deref(), Some("content/projekte/Straßen_Fest.md"));
    assert_hint(&d, "'strassen-fest.md'");
}

#[test]
fn invalid_slug_in_a_yaml_list() {
    let p = portal();
    let text = "- titel: \"Lesepaten\"\n  slug: Lese_Paten\n  jahr: 2024\n  stadtteile: [buckau]\n";
    let run = broken(&p, "content/projekte/2024.yaml", text);
    let d = only_error(&run, "E015");
    assert_message(&d, "'Lese_Paten'");
    assert_eq!(d.at(), ("content/projekte/2024.yaml", 2, 9));
    assert_hint(&d, "'lese-paten'");
}

// ---------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------

#[test]
fn missing_required_field_of_every_type() {
    let p = portal();
    let files: [(&str, &str, &str); 6] = [
        (
            "content/stadtteile/cracau.yaml",
            "nummer: \"12\"\neinwohner: 8000\n",
            "name",
        ),
        (
            "content/ags/ag-sudenburg.md",
            "---\nstadtteile: [sudenburg]\ngegruendet: 1998\n---\n",
            "name",
        ),
        (
            FEST_PATH,
            "---\njahr: 2025\nstadtteile: [sudenburg]\n---\n",
            "titel",
        ),
        (
            "content/foren/forum.md",
            "---\ntitel: \"Forum\"\nstadtteile: [buckau]\n---\n",
            "datum",
        ),
        (
            "content/vorlagen/i0001-20.md",
            "---\nart: information\nthema: \"T\"\ndatum: 2020-01-01\n---\n",
            "nummer",
        ),
        (
            "content/seiten/ueber.md",
            "---\nmenue: 3\n---\nText\n",
            "titel",
        ),
    ];
    let run = rebuild_after(&p, |p| {
        for (rel, text, _) in &files {
            p.write(rel, text);
        }
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), files.len(), "{}", run.stderr);
    for (rel, _, field) in &files {
        let d = errors
            .iter()
            .find(|e| e.file.as_deref() == Some(*rel))
            .unwrap_or_else(|| panic!("no error for {rel}:\n{}", run.stderr));
        assert_eq!(d.code, "E010", "{}", d.raw);
        assert_message(d, &format!("Pflichtfeld '{field}' fehlt"));
        assert_eq!(d.at().0, *rel);
        assert_hint(d, &format!("'{field}: …'"));
    }
}

#[test]
fn other_required_fields_are_checked_too() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, "---\ntitel: \"Kiezfest\"\n---\n");
        p.write(
            "content/vorlagen/i0001-20.md",
            "---\nnummer: \"I0001/20\"\n---\n",
        );
        p.write("content/ags/ag.md", "---\nname: \"AG\"\n---\n");
    });
    run.assert_code(1);
    let missing: BTreeSet<(String, String)> = run
        .errors()
        .iter()
        .filter(|e| e.code == "E010")
        .map(|e| {
            let field = e.message.split('\'').nth(1).unwrap_or("").to_string();
            (e.file.clone().unwrap(), field)
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        (FEST_PATH, "jahr"),
        (FEST_PATH, "stadtteile"),
        ("content/vorlagen/i0001-20.md", "art"),
        ("content/vorlagen/i0001-20.md", "thema"),
        ("content/vorlagen/i0001-20.md", "datum"),
        ("content/ags/ag.md", "stadtteile"),
    ]
    .iter()
    .map(|(f, k)| (f.to_string(), k.to_string()))
    .collect();
    assert_eq!(missing, expected, "{}", run.stderr);
}

#[test]
fn empty_required_field_points_at_its_key() {
    let p = portal();
    let text = "---\ntitel:\njahr: 2025\nstadtteile: [sudenburg]\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E010");
    assert_message(&d, "Pflichtfeld 'titel' ist leer");
    assert_eq!(d.at(), (FEST_PATH, 2, 1));
}

/// A misspelt required field: the error points at the misspelt line and says the
/// right name, instead of "missing" at the top of the file.
#[test]
fn a_misspelt_required_field_is_shown_where_it_is() {
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadteile: [sudenburg]\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E010");
    assert_message(&d, "Pflichtfeld 'stadtteile' fehlt");
    assert_eq!(d.at(), (FEST_PATH, 4, 1));
    assert_hint(&d, "Das Feld heißt 'stadtteile', nicht 'stadteile'.");
}

#[test]
fn wrong_types() {
    let p = portal();
    let text = "---\n\
                titel: \"Kiezfest\"\n\
                jahr: zweitausendfünfundzwanzig\n\
                stadtteile: [sudenburg]\n\
                beteiligte: \"1.200\"\n\
                foerdersumme: \"1.500,00 €\"\n\
                ---\n";
    let stadtteil = "name: \"Sudenburg\"\neinwohner: viele\nsoziale_stadt: ja\n";
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, text);
        p.write("content/stadtteile/sudenburg.yaml", stadtteil);
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 5, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E011"), "{}", run.stderr);
    let by_field = |field: &str| -> Diag {
        errors
            .iter()
            .find(|e| e.message.starts_with(&format!("Feld '{field}'")))
            .unwrap_or_else(|| panic!("no error for {field}:\n{}", run.stderr))
            .clone()
    };
    let jahr = by_field("jahr");
    assert_message(&jahr, "erwartet eine ganze Zahl");
    assert_message(&jahr, "'zweitausendfünfundzwanzig'");
    assert_eq!(jahr.at(), (FEST_PATH, 3, 7));
    let beteiligte = by_field("beteiligte");
    assert_eq!(beteiligte.at(), (FEST_PATH, 5, 13));
    assert_hint(&beteiligte, "1200");
    let summe = by_field("foerdersumme");
    assert_eq!(summe.at(), (FEST_PATH, 6, 15));
    assert_hint(&summe, "1500.00");
    let einwohner = by_field("einwohner");
    assert_eq!(einwohner.at(), ("content/stadtteile/sudenburg.yaml", 2, 12));
    let bool_field = by_field("soziale_stadt");
    assert_message(&bool_field, "true oder false");
    assert_eq!(
        bool_field.at(),
        ("content/stadtteile/sudenburg.yaml", 3, 16)
    );
    assert_hint(&bool_field, "true");
}

/// A broken Stadtteil, AG or page file is one error, in that file: the entries that
/// refer to it are not reported as referring to something unknown as well (nor is an
/// impressum page whose file is broken a configuration error).
#[test]
fn a_broken_file_is_one_error_not_one_for_every_reference_to_it() {
    let p = portal()
        .file(
            "content/ags/ag-sudenburg.yaml",
            "name: \"AG Sudenburg\"\nstadtteile: [sudenburg]\n",
        )
        .file(
            "content/projekte/fest-2.md",
            "---\ntitel: \"Fest 2\"\njahr: 2025\nstadtteile: [sudenburg]\nag: ag-sudenburg\n---\n",
        )
        .file(
            "content/seiten/impressum.md",
            "---\ntitel: \"Impressum\"\n---\nText\n",
        )
        .file(
            "portal.yaml",
            &format!("{PORTAL_YAML}impressum: impressum\n"),
        );
    for (rel, kaputt, code) in [
        (
            "content/stadtteile/sudenburg.yaml",
            "\tname: \"Sudenburg\"\n",
            "E001",
        ),
        ("content/ags/ag-sudenburg.yaml", "", "E004"),
        ("content/seiten/impressum.md", "titel: Impressum\n", "E002"),
    ] {
        let vorher = p.read(rel);
        let run = broken(&p, rel, kaputt);
        let d = only_error(&run, code);
        assert_eq!(d.file.as_deref(), Some(rel), "{}", d.raw);
        assert!(run.warnings().is_empty(), "{}", run.stderr);
        p.write(rel, &vorher);
    }
    // A reference to a Stadtteil that does not exist at all is still an error.
    let run = broken(
        &p,
        "content/projekte/fest-2.md",
        "---\ntitel: \"Fest 2\"\njahr: 2025\nstadtteile: [sudenburk]\n---\n",
    );
    let d = only_error(&run, "E020");
    assert_hint(&d, "meinten Sie 'sudenburg'?");
}

/// Next year's projects may be entered already; a year after that is most likely a typo.
#[test]
fn a_funding_year_far_in_the_future_is_a_warning() {
    let p = portal();
    let fest = |jahr: &str| FEST.replace("jahr: 2025", &format!("jahr: {jahr}"));
    let run = broken(&p, FEST_PATH, &fest("2027"));
    run.assert_code(0);
    assert!(run.warnings().is_empty(), "{}", run.stderr);
    let run = broken(&p, FEST_PATH, &fest("2062"));
    run.assert_code(0);
    let w = run.one("W014");
    assert_message(&w, "das Förderjahr 2062 liegt in der Zukunft");
    assert_eq!(w.at(), (FEST_PATH, 3, 7));
    assert_hint(&w, "bis 2027");
}

/// YAML reads `2.400` as 2.4: without the check the page said 2,40 € for 2,400 €.
#[test]
fn a_thousands_point_in_an_amount_is_an_error_not_cents() {
    let p = portal();
    let text = "---\n\
                titel: \"Kiezfest\"\n\
                jahr: 2025\n\
                stadtteile: [sudenburg]\n\
                beteiligte: 1.200\n\
                foerdersumme: 2.400\n\
                ---\n";
    let run = broken(&p, FEST_PATH, text);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    let summe = &errors[1];
    assert_eq!(summe.code, "E014");
    assert_message(summe, "'2.400' ist mit Tausenderpunkt geschrieben");
    assert_eq!(summe.at(), (FEST_PATH, 6, 15));
    assert_hint(summe, "2400");
    assert_hint(&errors[0], "1200");
    // Cents are still cents.
    let text = text.replace("2.400", "2.40").replace("1.200", "12");
    p.write(FEST_PATH, &text);
    p.cli_build(&[]).assert_code(0);
    let page = std::fs::read_to_string(p.public().join("projekte/2025/kiezfest/index.html"));
    assert!(page.unwrap().contains("2,40 €"));
}

#[test]
fn invalid_dates() {
    let p = portal();
    let text = "---\n\
                titel: \"Kiezfest\"\n\
                jahr: 2025\n\
                stadtteile: [sudenburg]\n\
                von: 2025-02-30\n\
                bis: 24.11.2009\n\
                ---\n";
    let run = broken(&p, FEST_PATH, text);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E012"));
    let von = &errors[0];
    assert_message(von, "'2025-02-30'");
    assert_message(von, "diesen Tag gibt es nicht");
    assert_eq!(von.at(), (FEST_PATH, 5, 6));
    let bis = &errors[1];
    assert_message(bis, "ungültiges Datum '24.11.2009'");
    assert_eq!(bis.at(), (FEST_PATH, 6, 6));
    assert_hint(bis, "2009-11-24");
}

#[test]
fn invalid_times() {
    let p = portal();
    let text = "---\n\
                name: \"AG Sudenburg\"\n\
                stadtteile: [sudenburg]\n\
                sitzungen:\n\
                \x20 - datum: 2026-12-08\n\
                \x20   zeit: \"25:00\"\n\
                \x20 - datum: 2027-01-12\n\
                \x20   zeit: 18 Uhr\n\
                ---\n";
    let run = broken(&p, "content/ags/ag-sudenburg.md", text);
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E013"), "{}", run.stderr);
    assert_message(&errors[0], "ungültige Uhrzeit '25:00'");
    assert_eq!(errors[0].at(), ("content/ags/ag-sudenburg.md", 6, 11));
    assert_message(&errors[1], "ungültige Uhrzeit '18 Uhr'");
    assert_eq!(errors[1].at(), ("content/ags/ag-sudenburg.md", 8, 11));
    assert_hint(&errors[1], "\"18:00\"");
}

#[test]
fn invalid_enum_values() {
    let p = portal();
    let projekt = "---\n\
                   titel: \"Kiezfest\"\n\
                   jahr: 2025\n\
                   stadtteile: [sudenburg]\n\
                   status: fertig\n\
                   ziele: [beleben, vernetzen]\n\
                   ---\n";
    let vorlage = "---\n\
                   nummer: \"I0001/20\"\n\
                   art: infomation\n\
                   thema: \"Test\"\n\
                   datum: 2020-01-01\n\
                   beratungsfolge:\n\
                   \x20 - gremium: \"Stadtrat\"\n\
                   \x20   datum: 2020-02-01\n\
                   \x20   behandlung: geheim\n\
                   ---\n";
    let stadtteil = "name: \"Sudenburg\"\n\
                     stadtteilmanagement:\n\
                     \x20 sprechstunden:\n\
                     \x20   - wochentag: dienstags\n\
                     \x20     von: \"10:00\"\n";
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, projekt);
        p.write("content/vorlagen/i0001-20.md", vorlage);
        p.write("content/stadtteile/sudenburg.yaml", stadtteil);
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 5, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E014"), "{}", run.stderr);
    let find = |value: &str| -> Diag {
        errors
            .iter()
            .find(|e| e.message.contains(&format!("ungültiger Wert '{value}'")))
            .unwrap_or_else(|| panic!("no error for {value}:\n{}", run.stderr))
            .clone()
    };
    let status = find("fertig");
    assert_eq!(
        status.at(),
        (
            FEST_PATH,
            pos(projekt, "fertig").0,
            pos(projekt, "fertig").1
        )
    );
    assert_hint(&status, "geplant, laufend, abgeschlossen");
    let ziel = find("vernetzen");
    assert_eq!(ziel.at(), (FEST_PATH, 6, 18));
    assert_hint(&ziel, "meinten Sie 'vernetzung'?");
    let art = find("infomation");
    assert_eq!(art.at(), ("content/vorlagen/i0001-20.md", 3, 6));
    assert_hint(&art, "meinten Sie 'information'?");
    let behandlung = find("geheim");
    assert_eq!(behandlung.at(), ("content/vorlagen/i0001-20.md", 9, 17));
    assert_hint(&behandlung, "öffentlich, nicht öffentlich");
    let tag = find("dienstags");
    assert_eq!(tag.at(), ("content/stadtteile/sudenburg.yaml", 4, 18));
    assert_hint(&tag, "meinten Sie 'dienstag'?");
}

#[test]
fn invalid_coordinates_and_lat_without_lon() {
    let p = portal();
    let weit = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n\
                ort:\n  adresse: \"Platz\"\n  lat: 95.0\n  lon: 11.6\n---\n";
    let halb = "---\ntitel: \"Singen\"\njahr: 2025\nstadtteile: [buckau]\n\
                ort:\n  lat: 52.1\n---\n";
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, weit);
        p.write("content/projekte/singen.md", halb);
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E016"), "{}", run.stderr);
    let weit_d = errors
        .iter()
        .find(|e| e.file.as_deref() == Some(FEST_PATH))
        .unwrap();
    assert_message(weit_d, "Koordinaten");
    assert_eq!(weit_d.at(), (FEST_PATH, 7, 8));
    assert_hint(weit_d, "zwischen -90 und 90");
    let halb_d = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/projekte/singen.md"))
        .unwrap();
    assert_message(halb_d, "'lat' ohne 'lon'");
    assert_eq!(halb_d.at(), ("content/projekte/singen.md", 6, 3));
    assert_hint(halb_d, "lat und lon");
}

// ---------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_stadtteil_reference_with_hint() {
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [buckau, sudenbrug]\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E020");
    assert_message(&d, "unbekannter Stadtteil 'sudenbrug'");
    assert_eq!(d.at(), (FEST_PATH, 4, 22));
    assert_eq!(d.hint(), "meinten Sie 'sudenburg'?");
    assert!(run.stderr.contains("^^^^^^^^^"), "underlines the slug");
}

#[test]
fn stadtteil_named_instead_of_its_slug() {
    let p = portal().file(
        "content/stadtteile/neustaedter-see.yaml",
        "name: \"Neustädter See\"\n",
    );
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile:\n  - Neustädter See\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E020");
    assert_message(&d, "'Neustädter See'");
    assert_eq!(d.at(), (FEST_PATH, 5, 5));
    assert_hint(&d, "meinten Sie 'neustaedter-see'?");
}

#[test]
fn unknown_ag_reference_with_hint() {
    let p = portal().file(
        "content/ags/ag-gwa-sudenburg.md",
        "---\nname: \"AG GWA Sudenburg\"\nstadtteile: [sudenburg]\n---\n",
    );
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nag: ag-gwa-sudenbrug\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E020");
    assert_message(&d, "unbekannte AG 'ag-gwa-sudenbrug'");
    assert_eq!(d.at(), (FEST_PATH, 5, 5));
    assert_eq!(d.hint(), "meinten Sie 'ag-gwa-sudenburg'?");
}

#[test]
fn duplicate_slug_names_both_files() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write(
            "content/projekte/2024/kiezfest.md",
            "---\ntitel: \"Kiezfest 2024\"\njahr: 2024\nstadtteile: [buckau]\n---\n",
        );
    });
    let d = only_error(&run, "E021");
    assert_message(&d, "'kiezfest'");
    assert_message(&d, "content/projekte/2024/kiezfest.md");
    assert_message(&d, FEST_PATH);
    assert!(d.hint.is_some());

    // Also between a file and an entry of a YAML list.
    let p = portal();
    let list = "- titel: \"Kiezfest\"\n  jahr: 2024\n  stadtteile: [buckau]\n";
    let run = broken(&p, "content/projekte/liste.yaml", list);
    let d = only_error(&run, "E021");
    assert_message(&d, FEST_PATH);
    assert_message(&d, "content/projekte/liste.yaml");
    assert_hint(&d, "'slug'");
}

#[test]
fn missing_referenced_files() {
    let p = portal().bytes("content/dateien/plan.pdf", b"%PDF-1.4\n");
    let forum = "---\ntitel: \"Forum\"\ndatum: 2026-05-20\nstadtteile: [sudenburg]\n\
                 anhaenge:\n  - datei: plam.pdf\n    titel: \"Plan\"\n---\n";
    let ag = "---\nname: \"AG\"\nstadtteile: [sudenburg]\nsitzungen:\n\
              \x20 - datum: 2026-09-08\n    protokoll: protokolle/2026-09.pdf\n---\n";
    let run = rebuild_after(&p, |p| {
        p.write("content/foren/forum.md", forum);
        p.write("content/ags/ag.md", ag);
    });
    run.assert_code(1);
    let errors = run.errors();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors.iter().all(|e| e.code == "E022"), "{}", run.stderr);
    let anhang = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/foren/forum.md"))
        .unwrap();
    assert_message(anhang, "'content/dateien/plam.pdf' nicht gefunden");
    assert_eq!(anhang.at(), ("content/foren/forum.md", 6, 12));
    assert_hint(anhang, "meinten Sie 'plan.pdf'?");
    let protokoll = errors
        .iter()
        .find(|e| e.file.as_deref() == Some("content/ags/ag.md"))
        .unwrap();
    assert_message(
        protokoll,
        "'content/dateien/protokolle/2026-09.pdf' nicht gefunden",
    );
    assert_eq!(protokoll.at(), ("content/ags/ag.md", 6, 16));
    assert_hint(protokoll, "content/dateien/protokolle/2026-09.pdf");
}

#[test]
fn paths_may_not_leave_content_dateien() {
    let p = portal().bytes("content/dateien/bild.png", &png());
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n\
                bilder:\n  - datei: ../../portal.yaml\n    alt: \"Bild\"\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E023");
    assert_message(&d, "'../../portal.yaml' verlässt content/dateien/");
    assert_eq!(d.at(), (FEST_PATH, 6, 12));
    assert_hint(&d, "relativ zu content/dateien/");
}

#[test]
fn vorlage_file_name_must_match_its_number() {
    let p = portal();
    let text =
        "---\nnummer: \"I0264/09\"\nart: information\nthema: \"GWA\"\ndatum: 2009-11-24\n---\n";
    let run = broken(&p, "content/vorlagen/i0246-09.md", text);
    let d = only_error(&run, "E024");
    assert_message(&d, "'i0246-09'");
    assert_message(&d, "'I0264/09'");
    assert_eq!(d.file.as_deref(), Some("content/vorlagen/i0246-09.md"));
    assert_hint(&d, "'i0264-09.md'");
}

#[test]
fn page_may_not_take_a_reserved_path() {
    let p = portal();
    let run = broken(
        &p,
        "content/seiten/projekte.md",
        "---\ntitel: \"Unsere Projekte\"\n---\nText\n",
    );
    let d = only_error(&run, "E025");
    assert_message(&d, "/projekte/");
    assert_eq!(d.file.as_deref(), Some("content/seiten/projekte.md"));
    assert!(d.hint.is_some());
}

#[test]
fn picture_without_alt_text_is_an_error() {
    let p = portal().bytes("content/dateien/fest.png", &png());
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n\
                bilder:\n  - datei: fest.png\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E026");
    assert_message(&d, "Alternativtext");
    assert_eq!(d.at(), (FEST_PATH, 6, 5));
    assert_hint(&d, "alt");

    let p = portal().bytes("content/dateien/fest.png", &png());
    let leer = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n\
                bilder:\n  - datei: fest.png\n    alt: \"\"\n---\n";
    let run = broken(&p, FEST_PATH, leer);
    let d = only_error(&run, "E026");
    assert_eq!(d.at(), (FEST_PATH, 7, 5));
}

#[test]
fn image_in_markdown_without_alt_text_is_a_warning() {
    let p = portal().bytes("content/dateien/fest.png", &png());
    let text = format!("{FEST}\n![](/dateien/fest.png)\n");
    let run = broken(&p, FEST_PATH, &text);
    run.assert_code(0);
    let d = run.one("W005");
    assert_eq!(d.severity, "Warnung");
    assert_eq!(d.at(), (FEST_PATH, pos(&text, "![").0, 1));
    assert_hint(&d, "![");
}

#[test]
fn broken_internal_markdown_link_with_hint() {
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n---\n\
                Ein Fest in [Sudenburg](/stadtteile/sudenbrug/) für alle.\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E027");
    assert_message(&d, "'/stadtteile/sudenbrug/'");
    assert_eq!(d.at(), (FEST_PATH, 6, 13));
    assert_eq!(pos(text, "[Sudenburg]"), (6, 13));
    assert_eq!(d.hint(), "meinten Sie '/stadtteile/sudenburg/'?");
}

#[test]
fn broken_relative_link_in_a_yaml_text_field() {
    let p = portal();
    let text = "- titel: \"Lesepaten\"\n  jahr: 2024\n  stadtteile: [buckau]\n  text: |\n    Erster Absatz.\n\n    Siehe [Fest](../../2025/kiezfst/).\n";
    let run = broken(&p, "content/projekte/2024.yaml", text);
    let d = only_error(&run, "E027");
    assert_message(&d, "'../../2025/kiezfst/");
    assert_eq!(d.at(), ("content/projekte/2024.yaml", 7, 11));
    assert_eq!(pos(text, "[Fest]"), (7, 11));
}

#[test]
fn broken_relative_link_gets_a_did_you_mean_hint() {
    let p = portal();
    let text = "- titel: \"Lesepaten\"\n  jahr: 2024\n  stadtteile: [buckau]\n  text: \"Siehe [Fest](../../2025/kiezfst/).\"\n";
    let run = broken(&p, "content/projekte/2024.yaml", text);
    let d = only_error(&run, "E027");
    assert_eq!(d.hint(), "meinten Sie '/projekte/2025/kiezfest/'?");
}

#[test]
fn unknown_field_is_a_warning_with_hint_and_the_build_succeeds() {
    let p = portal();
    let text =
        "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nstadteile: [buckau]\n---\n";
    let run = broken(&p, FEST_PATH, text);
    run.assert_code(0);
    assert!(run.errors().is_empty());
    let d = run.one("W001");
    assert_eq!(d.severity, "Warnung");
    assert_message(&d, "unbekanntes Feld 'stadteile'");
    assert_eq!(d.at(), (FEST_PATH, 5, 1));
    assert_eq!(d.hint(), "meinten Sie 'stadtteile'?");
    assert!(run.stderr.contains("Fertig:"), "{}", run.stderr);
    assert!(
        p.public()
            .join("projekte/2025/kiezfest/index.html")
            .is_file()
    );
}

#[test]
fn unknown_field_without_a_close_match_lists_the_known_fields() {
    let p = portal();
    let text =
        "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nwetter: sonnig\n---\n";
    let run = broken(&p, FEST_PATH, text);
    run.assert_code(0);
    let d = run.one("W001");
    assert_hint(&d, "titel");
    assert_hint(&d, "foerdersumme");
}

#[test]
fn known_fields_are_listed_once() {
    let p = portal();
    let text =
        "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nwetter: sonnig\n---\n";
    let run = broken(&p, FEST_PATH, text);
    let d = run.one("W001");
    let list = d.hint().split(": ").nth(1).unwrap().trim_end_matches('.');
    let fields: Vec<&str> = list.split(", ").collect();
    let unique: BTreeSet<&str> = fields.iter().copied().collect();
    assert_eq!(fields.len(), unique.len(), "{}", d.hint());
}

#[test]
fn reference_to_a_draft_is_a_warning() {
    let p = portal().file(
        "content/ags/ag-neu.md",
        "---\nname: \"Neue AG\"\nentwurf: true\nstadtteile: [sudenburg]\n---\n",
    );
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nag: ag-neu\n---\n";
    let run = broken(&p, FEST_PATH, text);
    run.assert_code(0);
    let d = run.one("W002");
    assert_message(&d, "'ag-neu' ist ein Entwurf");
    assert_eq!(d.at(), (FEST_PATH, 5, 5));
    assert_hint(&d, "--drafts");
    assert!(!p.public().join("ags/ag-neu").exists());
    let page =
        std::fs::read_to_string(p.public().join("projekte/2025/kiezfest/index.html")).unwrap();
    assert!(!page.contains("ags/ag-neu"), "no link to the draft");
}

#[test]
fn non_public_vorlage_is_never_published() {
    let p = portal();
    let geheim = "---\nnummer: \"I0001/20\"\nart: information\nthema: \"Personalsache\"\n\
                  datum: 2020-01-01\noeffentlich: false\nstadtteile: [sudenburg]\n---\nGeheimer Text.\n";
    let run = broken(&p, "content/vorlagen/i0001-20.md", geheim);
    run.assert_code(0);
    let out = snapshot(&p.public());
    assert!(
        !out.keys().any(|k| k.contains("i0001-20")),
        "{:?}",
        out.keys()
    );
    for (path, bytes) in &out {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("Personalsache"), "{path} shows the Vorlage");
        assert!(!text.contains("Geheimer Text"), "{path} shows its text");
    }
    // Not even with --drafts.
    let run = p.cli_build(&["--drafts"]);
    run.assert_code(0);
    assert!(!p.public().join("vorlagen/i0001-20").exists());
}

// ---------------------------------------------------------------------------------------
// Configuration (exit code 2)
// ---------------------------------------------------------------------------------------

#[test]
fn missing_portal_yaml() {
    let p = portal();
    let run = rebuild_after(&p, |p| p.remove("portal.yaml"));
    run.assert_code(2);
    let d = run.one("K001");
    assert_message(&d, "keine portal.yaml");
    assert_hint(&d, "--root");
}

#[test]
fn invalid_base_url() {
    let p = portal();
    let yaml = "titel: \"Test\"\nstadt: \"Teststadt\"\nbase_url: \"example.org/gwa/\"\n";
    let run = broken(&p, "portal.yaml", yaml);
    run.assert_code(2);
    let d = run.one("K002");
    assert_message(&d, "'example.org/gwa/'");
    assert_eq!(d.at(), ("portal.yaml", 3, 11));
    assert_hint(&d, "https://");
}

#[test]
fn invalid_base_url_on_the_command_line() {
    let p = portal();
    p.build().ok();
    let before = snapshot(&p.public());
    let run = p.cli_build(&["--base-url", "vorschau/test"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--base-url"), "{}", run.stderr);
    assert!(snapshot(&p.public()) == before);
}

#[test]
fn unknown_impressum_page() {
    let p = portal().file(
        "content/seiten/impressum.md",
        "---\ntitel: \"Impressum\"\n---\nText\n",
    );
    let yaml = format!("{PORTAL_YAML}impressum: impresum\n");
    let run = broken(&p, "portal.yaml", &yaml);
    run.assert_code(2);
    let d = run.one("K002");
    assert_message(&d, "'impressum'");
    assert_message(&d, "unbekannte Seite 'impresum'");
    assert_eq!(d.file.as_deref(), Some("portal.yaml"));
    assert_eq!(d.hint(), "meinten Sie 'impressum'?");
}

#[test]
fn unknown_theme() {
    let p = portal();
    let yaml = format!("{PORTAL_YAML}theme: schick\n");
    let run = broken(&p, "portal.yaml", &yaml);
    run.assert_code(2);
    let d = run.one("K003");
    assert_message(&d, "'schick'");
    assert_eq!(d.file.as_deref(), Some("portal.yaml"));
    assert_hint(&d, "themes/schick/");
}

#[test]
fn configuration_references_are_located_in_portal_yaml() {
    let p = portal().file(
        "content/seiten/impressum.md",
        "---\ntitel: \"Impressum\"\n---\nText\n",
    );
    let yaml = format!("{PORTAL_YAML}impressum: impresum\n");
    let run = broken(&p, "portal.yaml", &yaml);
    assert_eq!(run.one("K002").at(), ("portal.yaml", 4, 12));
    let yaml = format!("{PORTAL_YAML}theme: schick\n");
    let run = broken(&portal(), "portal.yaml", &yaml);
    assert_eq!(run.one("K003").at(), ("portal.yaml", 4, 8));
}

#[test]
fn configuration_errors_are_reported_together_with_content_errors() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write("portal.yaml", &format!("{PORTAL_YAML}theme: schick\n"));
        p.write(FEST_PATH, "---\ntitel: \"Kiezfest\"\n---\n");
    });
    run.assert_code(2);
    run.one("K003");
    assert!(
        run.errors().iter().any(|e| e.code == "E010"),
        "{}",
        run.stderr
    );
}

#[test]
fn configuration_errors_exit_with_2_even_with_content_errors() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write(
            "portal.yaml",
            "titel: \"Test\"\nstadt: \"Teststadt\"\nbase_url: \"/gwa/\"\n",
        );
        p.write(FEST_PATH, "---\ntitel: \"Kiezfest\"\n---\n");
    });
    run.assert_code(2);
    run.one("K002");
}

// ---------------------------------------------------------------------------------------
// Many problems at once
// ---------------------------------------------------------------------------------------

#[test]
fn a_failing_project_template_does_not_hide_the_problems_of_project_texts() {
    // A build renders a project's text with the project's page: when that page's
    // template fails, the text's problems are reported all the same.
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n---\n\
                Ein Fest in [Sudenburg](/stadtteile/sudenbrug/) für alle.\n";
    let run = rebuild_after(&p, |p| {
        p.write(FEST_PATH, text);
        p.write(
            "themes/default/templates/projekt.html",
            "{% extends \"base.html\" %}{% block inhalt %}{{ projekt.nicht_da.x }}{% endblock inhalt %}",
        );
    });
    run.assert_code(2);
    assert_message(&run.one("K004"), "nicht_da");
    let d = run.one("E027");
    assert_message(&d, "'/stadtteile/sudenbrug/'");
    assert_eq!(d.at(), (FEST_PATH, 6, 13));
}

#[test]
fn every_problem_of_a_run_is_reported() {
    let p = portal().file(
        "content/ags/ag-sudenburg.md",
        "---\nname: \"AG Sudenburg\"\nstadtteile: [sudenburg]\n---\n",
    );
    let problems: [(&str, &str); 6] = [
        (
            FEST_PATH,
            "---\ntitel: \"Kiezfest\"\njahr: zwanzig\nstadtteile: [sudenbrug]\nstatus: fertig\n---\n",
        ),
        (
            "content/ags/ag-sudenburg.md",
            "---\nname: \"AG Sudenburg\"\nstadtteile: [sudenburg]\nsitzungen:\n  - datum: 2026-13-01\n---\n",
        ),
        (
            "content/foren/forum.md",
            "---\ntitel: \"Forum\"\nstadtteile: [bukau]\n---\n",
        ),
        ("content/stadtteile/cracau.yaml", "einwohner: 100\n"),
        (
            "content/seiten/ueber.md",
            "---\ntitel: \"Über uns\"\nmenue: eins\n---\n",
        ),
        ("content/projekte/kaputt.md", "---\ntitel: [x\n---\n"),
    ];
    let run = rebuild_after(&p, |p| {
        for (rel, text) in &problems {
            p.write(rel, text);
        }
    });
    run.assert_code(1);
    let found: BTreeSet<(String, String)> = run
        .errors()
        .iter()
        .map(|e| (e.file.clone().unwrap_or_default(), e.code.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        (FEST_PATH, "E011"),
        (FEST_PATH, "E020"),
        (FEST_PATH, "E014"),
        ("content/ags/ag-sudenburg.md", "E012"),
        ("content/foren/forum.md", "E010"),
        ("content/foren/forum.md", "E020"),
        ("content/stadtteile/cracau.yaml", "E010"),
        ("content/seiten/ueber.md", "E011"),
        ("content/projekte/kaputt.md", "E001"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    assert_eq!(run.errors().len(), 9, "{}", run.stderr);
    assert!(
        run.stderr.contains("Abgebrochen: 9 Fehler"),
        "{}",
        run.stderr
    );
    // `check` reports the same.
    let check = p.cli_check();
    check.assert_code(1);
    assert_eq!(check.errors().len(), 9, "{}", check.stderr);
}

#[test]
fn link_problems_are_reported_together_with_field_problems() {
    let p = portal();
    let run = rebuild_after(&p, |p| {
        p.write(
            FEST_PATH,
            "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenbrug]\n---\n",
        );
        p.write(
            "content/seiten/ueber.md",
            "---\ntitel: \"Über uns\"\n---\nSiehe [Projekte](/projekt/).\n",
        );
    });
    run.assert_code(1);
    let codes: BTreeSet<String> = run.errors().iter().map(|e| e.code.clone()).collect();
    assert_eq!(
        codes,
        BTreeSet::from(["E020".to_string(), "E027".to_string()]),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------

#[test]
fn strange_input_never_makes_quartier_panic() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (FEST_PATH, b"---\n---\n".to_vec()),
        (FEST_PATH, b"---\r\n---\r\n".to_vec()),
        (FEST_PATH, b"---\n- a\n- b\n---\n".to_vec()),
        (FEST_PATH, b"---\n? [a, b]\n: c\ntitel: X\n---\n".to_vec()),
        (
            FEST_PATH,
            b"---\ntitel: [a]\njahr: 99999999999999999999\nstadtteile: {a: b}\nort: 5\nbilder: 3\nziele: {a: 1}\n---\n"
                .to_vec(),
        ),
        (FEST_PATH, b"---\ntitel: &a x\njahr: *b\n---\n".to_vec()),
        (FEST_PATH, b"\x00\x01\x02binary\xff\xfe".to_vec()),
        (FEST_PATH, "---\ntitel: 😀\njahr: 😀\nstadtteile: [😀]\n---\n😀".as_bytes().to_vec()),
        (
            "content/projekte/liste.yaml",
            b"- 1\n- [a]\n- null\n- {}\n".to_vec(),
        ),
        (
            "content/seiten/s.md",
            b"---\ntitel: S\n---\n::: spalten\n::: spalten\n## A\n:::\n:::\n:::\n::: hinweis\n".to_vec(),
        ),
        (
            "content/seiten/s.md",
            b"---\ntitel: S\n---\n[^a]\n\n[^a]: [^a] [^b]\n\n[x]: /nix\n[y][x] ![z](</a b>) [[w]] <http://x>\n# \n## \xf0\x9f\x8e\x89\n".to_vec(),
        ),
        (
            "content/seiten/s.md",
            b"---\ntitel: S\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n---\n".to_vec(),
        ),
        ("content/stadtteile/x.yaml", "[".repeat(500).into_bytes()),
        ("content/unbekannt/x.md", b"---\ntitel: X\n---\n".to_vec()),
        ("portal.yaml", b"- eine Liste\n".to_vec()),
        ("portal.yaml", b"".to_vec()),
    ];
    for (rel, bytes) in cases {
        let p = portal();
        p.write_bytes(rel, &bytes);
        for run in [p.cli_build(&[]), p.cli_check()] {
            // `quartier` itself asserts that nothing panicked.
            assert!(
                [0, 1, 2].contains(&run.code),
                "{rel}: exit code {}:\n{}",
                run.code,
                run.stderr
            );
            if run.code != 0 {
                assert!(
                    !run.diags().is_empty(),
                    "{rel}: failed without a diagnostic"
                );
            }
        }
    }
}

#[test]
fn links_into_the_oparl_export_are_checked_against_its_files() {
    // The export is made after the texts are rendered (so that their sources can be let
    // go first); links into it are checked once its files are known.
    let p = portal();
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n---\n\
                Das [System](/oparl/v1/system.json) gibt es.\n\n\
                Diese [Vorlage](/oparl/v1/paper/gibt-es-nicht.json) nicht.\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E027");
    assert_message(&d, "'/oparl/v1/paper/gibt-es-nicht.json'");
    assert_eq!(
        d.at(),
        (
            FEST_PATH,
            pos(text, "[Vorlage]").0,
            pos(text, "[Vorlage]").1
        )
    );
}

#[test]
fn links_into_the_oparl_export_from_allowed_html_are_checked_too() {
    // With `html_erlauben`, links in HTML are checked after sanitising, by another path
    // than Markdown links: a link into the export waits for its files there as well.
    let p = portal().file(
        "portal.yaml",
        &format!("{PORTAL_YAML}html_erlauben: true\n"),
    );
    let text = "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\n---\n\
                <p>Das <a href=\"/oparl/v1/system.json\">System</a> gibt es.</p>\n\n\
                <p>Diese <a href=\"/oparl/v1/paper/gibt-es-nicht.json\">Vorlage</a> nicht.</p>\n";
    let run = broken(&p, FEST_PATH, text);
    let d = only_error(&run, "E027");
    assert_message(&d, "'/oparl/v1/paper/gibt-es-nicht.json'");
    // At the link as written, not at the text's start.
    let (line, column) = pos(text, "/oparl/v1/paper/");
    assert_eq!(d.at(), (FEST_PATH, line, column));
}
