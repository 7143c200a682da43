//! The command line: `quartier new`, the output folder of `build`, exit codes and usage
//! errors, through the binary.

mod common;

use std::path::Path;

use common::*;

// ---------------------------------------------------------------------------------------
// quartier new
// ---------------------------------------------------------------------------------------

/// The file `quartier new` reports on stderr ("Angelegt: <path>").
fn created(run: &Run) -> std::path::PathBuf {
    let line = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Angelegt: "))
        .unwrap_or_else(|| panic!("no 'Angelegt:' line:\n{}", run.stderr));
    std::path::PathBuf::from(line.trim())
}

#[test]
fn new_creates_a_file_of_every_type_that_then_builds() {
    let p = TestPortal::new();
    let titel = "Größeres \"Fest\": Sommer & mehr";
    let slug = slugify(titel);
    assert_eq!(slug, "groesseres-fest-sommer-mehr");
    let cases: [(&str, Vec<&str>, String, String); 6] = [
        (
            "stadtteil",
            vec![],
            format!("content/stadtteile/{slug}.md"),
            format!("stadtteile/{slug}/"),
        ),
        (
            "ag",
            vec!["--stadtteil", "sudenburg"],
            format!("content/ags/{slug}.md"),
            format!("ags/{slug}/"),
        ),
        (
            "projekt",
            vec![
                "--stadtteil",
                "sudenburg",
                "--stadtteil",
                "buckau",
                "--jahr",
                "2025",
            ],
            format!("content/projekte/2025/{slug}.md"),
            format!("projekte/2025/{slug}/"),
        ),
        (
            "forum",
            vec!["--stadtteil", "buckau", "--datum", "2027-02-17"],
            format!("content/foren/{slug}.md"),
            format!("foren/{slug}/"),
        ),
        (
            "vorlage",
            vec!["--nummer", "I0123/24", "--datum", "2024-03-01"],
            "content/vorlagen/i0123-24.md".to_string(),
            "vorlagen/i0123-24/".to_string(),
        ),
        (
            "seite",
            vec![],
            format!("content/seiten/{slug}.md"),
            format!("{slug}/"),
        ),
    ];
    for (typ, extra, file, _) in &cases {
        let mut args = vec![*typ, titel];
        args.extend(extra.iter().copied());
        let run = p.cli_new(&args);
        run.assert_code(0);
        let path = created(&run);
        assert_eq!(
            path.canonicalize().unwrap(),
            p.path(file).canonicalize().unwrap(),
            "{typ}"
        );
        let text = p.read(file);
        assert!(text.starts_with("---\n"), "{typ}: front matter");
        assert!(
            text.contains("Sommer & mehr"),
            "{typ}: the title is in the file"
        );
    }
    let site = p.build().ok();
    assert!(
        site.report.diagnostics.is_empty(),
        "files from `quartier new` build without warnings:\n{}",
        site.diagnostics()
    );
    for (typ, _, _, page) in &cases {
        assert!(site.exists(page), "{typ}: {page} not built");
    }
    // The title survives quoting exactly.
    assert_eq!(text(site.page(&format!("{slug}/")).one("h1")), titel);
    assert_eq!(
        text(site.page(&format!("projekte/2025/{slug}/")).one("h1")),
        titel
    );
    let vorlage = site.page("vorlagen/i0123-24/");
    assert!(text(vorlage.one("h1")).contains(titel));
    assert!(vorlage.main_text().contains("01.03.2024"));
    let forum = site.page(&format!("foren/{slug}/"));
    assert!(
        forum.main_text().contains("17.02.2027") || forum.main_text().contains("17. Februar 2027")
    );
    let projekt = site.page(&format!("projekte/2025/{slug}/"));
    let t = projekt.main_text();
    assert!(t.contains("Sudenburg") && t.contains("Buckau"), "{t}");
}

#[test]
fn new_refuses_an_unknown_stadtteil_with_a_hint() {
    let p = TestPortal::new();
    let before = p.sources();
    let run = p.cli_new(&[
        "projekt",
        "Kiezfest",
        "--stadtteil",
        "sudenbrug",
        "--jahr",
        "2025",
    ]);
    run.assert_code(1);
    let d = run.one("E020");
    assert!(d.message.contains("'sudenbrug'"), "{}", d.raw);
    assert_eq!(d.hint(), "meinten Sie 'sudenburg'?");
    assert!(p.sources() == before, "nothing was created");
}

#[test]
fn new_refuses_an_unknown_ag_with_a_hint() {
    let p = TestPortal::new().file(
        "content/ags/ag-gwa-sudenburg.md",
        &md("name: \"AG\"\nstadtteile: [sudenburg]\n", ""),
    );
    let before = p.sources();
    let run = p.cli_new(&[
        "projekt",
        "Kiezfest",
        "--stadtteil",
        "sudenburg",
        "--ag",
        "ag-gwa-sudenbrug",
    ]);
    run.assert_code(1);
    assert_eq!(run.one("E020").hint(), "meinten Sie 'ag-gwa-sudenburg'?");
    assert!(p.sources() == before);
}

#[test]
fn new_never_overwrites_an_existing_file() {
    let mine = "---\ntitel: \"Impressum\"\n---\nMein sorgfältig geschriebenes Impressum.\n";
    let p = TestPortal::new()
        .file("content/seiten/impressum.md", mine)
        .file(
            "content/projekte/2025.yaml",
            "- titel: \"Kiezfest\"\n  jahr: 2025\n  stadtteile: [sudenburg]\n",
        );
    let before = p.sources();
    let run = p.cli_new(&["seite", "Impressum"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.errors().iter().any(|e| e.code == "E021"),
        "{}",
        run.stderr
    );
    assert_eq!(p.read("content/seiten/impressum.md"), mine);
    // A slug taken by an entry of a YAML list counts, too.
    let run = p.cli_new(&[
        "projekt",
        "Kiezfest",
        "--stadtteil",
        "sudenburg",
        "--jahr",
        "2025",
    ]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    // The Stadtteil file exists as .yaml: no second file with the same slug.
    let run = p.cli_new(&["stadtteil", "Sudenburg"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(p.sources() == before, "nothing changed");
}

#[test]
fn new_asks_for_what_it_needs() {
    let p = TestPortal::new();
    let before = p.sources();
    for args in [
        vec!["ag", "AG Buckau"],
        vec!["projekt", "Fest"],
        vec!["forum", "Forum"],
        vec!["vorlage", "Thema ohne Nummer"],
        vec!["vorlage", "Thema", "--nummer", "0264/2009"],
        vec!["seite", "!!!"],
    ] {
        let run = p.cli_new(&args);
        run.assert_code(1);
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "{args:?}: {}", run.stderr);
        assert!(errors[0].hint.is_some(), "{args:?}: a hint says what to do");
    }
    assert!(p.sources() == before);
}

#[test]
fn new_outside_a_portal_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = quartier(&[
        "new",
        "seite",
        "Test",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    run.assert_code(2);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

// ---------------------------------------------------------------------------------------
// build --out
// ---------------------------------------------------------------------------------------

fn out_refused(p: &TestPortal, out: &Path) -> Run {
    let sources = p.sources();
    let run = p.cli_build(&["--out", out.to_str().unwrap()]);
    run.assert_code(2);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert_eq!(run.errors()[0].code, "K005", "{}", run.stderr);
    assert!(p.sources() == sources, "the portal was changed");
    run
}

#[test]
fn build_refuses_an_output_folder_that_would_replace_the_portal() {
    let p = TestPortal::new().file(
        "content/seiten/ueber.md",
        &md("titel: \"Über\"\n", "Text\n"),
    );
    for out in [
        p.root().to_path_buf(),
        p.path("content"),
        p.path("content/seiten"),
        p.path("content/neu"),
        p.path("themes/default"),
        p.root().parent().unwrap().to_path_buf(),
    ] {
        let run = out_refused(&p, &out);
        let d = run.one("K005");
        assert!(d.message.contains("Portal"), "{}", d.raw);
        assert!(d.hint().contains("--out"), "{}", d.raw);
    }
    assert!(!p.path("themes").exists(), "no themes/ folder was created");
    assert!(!p.path("content/neu").exists());
}

#[test]
fn build_refuses_a_foreign_folder_and_leaves_it_untouched() {
    let p = TestPortal::new();
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("wichtig.txt"), "Nicht löschen!").unwrap();
    std::fs::create_dir(foreign.path().join("fotos")).unwrap();
    std::fs::write(foreign.path().join("fotos/a.jpg"), [0xFF, 0xD8]).unwrap();
    let before = snapshot(foreign.path());
    let run = out_refused(&p, foreign.path());
    assert!(
        run.one("K005").message.contains("nicht von quartier"),
        "{}",
        run.stderr
    );
    assert!(snapshot(foreign.path()) == before);
    // A file where the folder should be is refused, too.
    let file = foreign.path().join("wichtig.txt");
    out_refused(&p, &file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "Nicht löschen!");
}

#[test]
fn build_writes_into_an_empty_or_own_folder_and_replaces_it_completely() {
    let p = TestPortal::new().file(
        "content/seiten/alt.md",
        &md("titel: \"Alte Seite\"\n", "Text\n"),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ausgabe");
    std::fs::create_dir(&out).unwrap();
    let run = p.cli_build(&["--out", out.to_str().unwrap()]);
    run.assert_code(0);
    assert!(out.join("index.html").is_file());
    assert!(out.join("alt/index.html").is_file());
    assert!(
        out.join(".quartier").is_file(),
        "marks the folder as its own"
    );
    // Second build into its own folder: the old page is gone.
    p.remove("content/seiten/alt.md");
    let run = p.cli_build(&["--out", out.to_str().unwrap()]);
    run.assert_code(0);
    assert!(!out.join("alt").exists());
    assert!(out.join("index.html").is_file());
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // The previous output stays as the staging folder of the next build, marked as ours.
    assert_eq!(
        left,
        [".ausgabe.quartier", "ausgabe"],
        "only the output and its staging folder"
    );
    assert!(dir.path().join(".ausgabe.quartier/.quartier").is_file());
    assert!(
        dir.path()
            .join(".ausgabe.quartier/alt/index.html")
            .is_file(),
        "it holds the previous output"
    );
    assert!(!p.public().exists(), "--out was used instead of public/");
}

#[test]
fn a_failing_rebuild_changes_nothing_and_a_busy_output_is_reported_only_for_sound_content() {
    use rustix::fs::{FlockOperation, flock};
    let p = TestPortal::new();
    let seite = |titel: &str| md(&format!("titel: \"{titel}\"\n"), "Text\n");
    p.write("content/seiten/info.md", &seite("Erste Fassung"));
    p.cli_build(&[]).assert_code(0);
    p.write("content/seiten/info.md", &seite("Zweite Fassung"));
    p.cli_build(&[]).assert_code(0);
    // From the third build on the staging folder is opened while the content loads.
    let staging = p.root().join(".public.quartier");
    let vorher = std::fs::read(p.public().join("info/index.html")).unwrap();
    let staging_vorher = std::fs::read(staging.join("info/index.html")).unwrap();
    p.write("content/seiten/info.md", "---\ntitel: [\n---\nText\n");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    assert!(!run.errors().is_empty(), "{}", run.stderr);
    assert!(
        run.errors().iter().all(|d| d.code != "K005"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(p.public().join("info/index.html")).unwrap(),
        vorher
    );
    assert_eq!(
        std::fs::read(staging.join("info/index.html")).unwrap(),
        staging_vorher
    );
    // Another build holding the staging folder is reported for sound content only; the
    // editor of broken content hears about the content.
    let fremd = std::fs::File::open(&staging).unwrap();
    flock(&fremd, FlockOperation::NonBlockingLockExclusive).unwrap();
    let run = p.cli_build(&[]);
    run.assert_code(1);
    assert!(
        run.errors().iter().all(|d| d.code != "K005"),
        "{}",
        run.stderr
    );
    p.write("content/seiten/info.md", &seite("Dritte Fassung"));
    let run = p.cli_build(&[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("ein anderer Build schreibt gerade"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(p.public().join("info/index.html")).unwrap(),
        vorher
    );
    drop(fremd);
    p.cli_build(&[]).assert_code(0);
    assert!(
        std::fs::read_to_string(p.public().join("info/index.html"))
            .unwrap()
            .contains("Dritte Fassung")
    );
}

#[test]
fn a_rebuild_takes_unchanged_yaml_from_the_store_and_reads_changed_files_anew() {
    let p = TestPortal::new();
    let seite = |titel: &str| md(&format!("titel: \"{titel}\"\n"), "Text\n");
    let page =
        |p: &TestPortal| std::fs::read_to_string(p.public().join("info/index.html")).unwrap();
    p.write("content/seiten/info.md", &seite("Erste Fassung"));
    p.cli_build(&[]).assert_code(0);
    let store = p.root().join(".quartier-cache/yaml/dokumente");
    assert!(
        store.is_file(),
        "a build keeps the parsed YAML for the next one"
    );
    // The same length and another title: a text is found by its hash alone.
    p.write("content/seiten/info.md", &seite("Erste Fassunk"));
    p.cli_build(&[]).assert_code(0);
    assert!(page(&p).contains("Erste Fassunk"));
    // A damaged store is no store: everything is parsed, and a sound store written.
    std::fs::write(&store, b"quartier-yaml 1 kaputt").unwrap();
    p.write("content/seiten/info.md", &seite("Zweite Fassung"));
    p.cli_build(&[]).assert_code(0);
    assert!(page(&p).contains("Zweite Fassung"));
    assert!(std::fs::metadata(&store).unwrap().len() > 100);
    p.cli_build(&[]).assert_code(0);
    gleich_mit_und_ohne(&p, &store);
}

/// What a build with the store at `store` wrote (into `public/`) is what a build without
/// one writes; and `check` writes none.
fn gleich_mit_und_ohne(p: &TestPortal, store: &Path) {
    let mit = snapshot(&p.public());
    std::fs::remove_file(store).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ohne = dir.path().join("ohne");
    p.cli_build(&["--out", ohne.to_str().unwrap()])
        .assert_code(0);
    assert_eq!(mit, snapshot(&ohne));
    std::fs::remove_file(store).unwrap();
    p.cli_check().assert_code(0);
    assert!(!store.exists(), "check writes no store");
}

#[test]
fn a_rebuild_takes_highlighted_code_from_the_store() {
    let p = TestPortal::new();
    let seite = |code: &str| md("titel: \"Anleitung\"\n", &format!("```yaml\n{code}\n```\n"));
    let page =
        |p: &TestPortal| std::fs::read_to_string(p.public().join("anleitung/index.html")).unwrap();
    p.write("content/seiten/anleitung.md", &seite("titel: Fest"));
    p.cli_build(&[]).assert_code(0);
    let store = p.root().join(".quartier-cache/code/bloecke");
    assert!(store.is_file(), "a build keeps its highlighted code blocks");
    let erste = page(&p);
    assert!(erste.contains("class=\"c-"), "{erste}");
    // The same block again, taken from the store: the same page.
    p.cli_build(&[]).assert_code(0);
    assert_eq!(page(&p), erste);
    // A changed block is highlighted anew, and the store then holds only that one.
    p.write("content/seiten/anleitung.md", &seite("titel: Markt"));
    p.cli_build(&[]).assert_code(0);
    assert!(page(&p).contains("Markt") && !page(&p).contains("Fest"));
    let gespeichert = std::fs::read(&store).unwrap();
    assert!(
        !gespeichert.windows(4).any(|w| w == b"Fest"),
        "a block no page shows any more is dropped"
    );
    // A damaged store is no store; what a build writes with it is what one without writes.
    let mut kaputt = gespeichert.clone();
    let n = kaputt.len();
    kaputt[n - 10] ^= 0x20;
    std::fs::write(&store, &kaputt).unwrap();
    p.cli_build(&[]).assert_code(0);
    gleich_mit_und_ohne(&p, &store);
}

#[test]
fn build_reports_what_it_wrote() {
    let p = TestPortal::new();
    let run = p.cli_build(&[]);
    run.assert_code(0);
    let site = Site {
        report: quartier::Report::default(),
        out: p.public(),
    };
    let pages = site.html_files().len();
    assert!(
        run.stderr.contains(&format!("Fertig: {pages} Seiten")),
        "{}",
        run.stderr
    );
}

#[test]
fn root_defaults_to_the_current_folder() {
    let p = TestPortal::new();
    let run = quartier_in(Some(p.root()), &["build", "--heute", HEUTE]);
    run.assert_code(0);
    assert!(p.public().join("stadtteile/sudenburg/index.html").is_file());
    let run = quartier_in(Some(p.root()), &["check"]);
    run.assert_code(0);
}

#[test]
fn check_writes_nothing() {
    let p = TestPortal::new();
    let before = snapshot(p.root());
    let run = p.cli_check();
    run.assert_code(0);
    assert!(run.stderr.contains("Geprüft:"), "{}", run.stderr);
    assert!(snapshot(p.root()) == before);
    assert!(!p.public().exists());
}

// ---------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------

#[test]
fn exit_codes_are_0_1_and_2() {
    let p = TestPortal::new();
    p.cli_build(&[]).assert_code(0);
    p.cli_check().assert_code(0);
    // Warnings do not fail.
    p.write(
        "content/stadtteile/buckau.yaml",
        "name: \"Buckau\"\neinwoner: 5000\n",
    );
    let run = p.cli_build(&[]);
    run.assert_code(0);
    assert_eq!(run.warnings().len(), 1);
    // Content errors: 1.
    p.write("content/stadtteile/buckau.yaml", "einwohner: 5000\n");
    p.cli_build(&[]).assert_code(1);
    p.cli_check().assert_code(1);
    // Configuration errors: 2.
    p.write("portal.yaml", "titel: \"Ohne Stadt\"\n");
    p.cli_build(&[]).assert_code(2);
    p.cli_check().assert_code(2);
    // The library agrees with the binary.
    assert_eq!(p.check().exit_code(), 2);
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        vec!["frobnicate"],
        vec![],
        vec!["build", "--gibtsnicht"],
        vec!["build", "--heute", "25.11.2026"],
        vec!["new", "seite"],
        vec!["new", "kiosk", "Titel"],
        vec!["new", "projekt", "Fest", "--jahr", "zwanzig"],
    ] {
        let run = quartier(&args);
        assert_eq!(run.code, 2, "{args:?}:\n{}", run.stderr);
        assert!(!run.stderr.is_empty(), "{args:?}: says what is wrong");
    }
    let run = quartier(&["frobnicate"]);
    assert!(run.stderr.contains("frobnicate"), "{}", run.stderr);
    let run = quartier(&["new", "kiosk", "Titel"]);
    assert!(
        run.stderr.contains("stadtteil, ag, projekt"),
        "{}",
        run.stderr
    );
}

/// Editors meet usage errors too: they are German, like the diagnostics, with a hint and
/// the help of the command they called.
#[test]
fn usage_errors_and_help_are_german() {
    let run = quartier(&["build", "--zeitn"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "Fehler: unbekannte Angabe '--zeitn'\n  = Hinweis: meinten Sie '--zeiten'?"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Mehr dazu: quartier build --help"),
        "{}",
        run.stderr
    );
    let run = quartier(&["new", "projekt", "Fest", "--jahr", "zwanzig"]);
    assert!(
        run.stderr
            .contains("ungültiger Wert 'zwanzig' für '--jahr <JAHR>'")
            && run
                .stderr
                .contains("erwartet wird eine Jahreszahl wie 2026"),
        "{}",
        run.stderr
    );
    let run = quartier(&["check", "--format", "xml"]);
    assert!(
        run.stderr.contains("möglich sind: text, github"),
        "{}",
        run.stderr
    );
    for args in [vec!["--help"], vec!["build", "--help"], vec!["new", "-h"]] {
        let run = quartier(&args);
        assert_eq!(run.code, 0);
        for englisch in [
            "Usage",
            "Options",
            "Commands",
            "Print help",
            "[OPTIONS]",
            "default:",
        ] {
            assert!(
                !run.stdout.contains(englisch),
                "{args:?}: {englisch}\n{}",
                run.stdout
            );
        }
        assert!(run.stdout.contains("Aufruf: quartier"), "{}", run.stdout);
    }
    for args in [
        vec!["frobnicate"],
        vec!["build", "--gibtsnicht"],
        vec!["build", "--heute", "25.11.2026"],
        vec!["new", "seite"],
        vec!["serve", "--port", "abc"],
    ] {
        let run = quartier(&args);
        assert!(
            run.stderr.starts_with("Fehler: "),
            "{args:?}:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("error:"), "{args:?}:\n{}", run.stderr);
    }
}

#[test]
fn help_and_version_exit_with_0() {
    let run = quartier(&["--help"]);
    assert_eq!(run.code, 0);
    for cmd in ["build", "check", "new"] {
        assert!(run.stdout.contains(cmd), "{}", run.stdout);
    }
    let run = quartier(&["--version"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")));
}
