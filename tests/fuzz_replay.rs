//! Replays the fuzz corpus and every crash regression through the fuzz targets' bodies
//! (`quartier::pruefstand`), without libFuzzer: `fuzz/corpus/<target>/` and
//! `fuzz/regressions/<target>/`. A failure names the file.

mod common;

use std::path::{Path, PathBuf};

use common::{PORTAL_YAML, TestPortal, md};

type Ziel = fn(&[u8]);

const ZIELE: &[(&str, Ziel)] = &[
    ("frontmatter", quartier::pruefstand::frontmatter),
    ("yaml_eintraege", quartier::pruefstand::yaml_eintraege),
    ("markdown", quartier::pruefstand::markdown),
    ("portal", quartier::pruefstand::portal),
];

fn dateien(ordner: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(ordner)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.is_file()
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    out.sort();
    out
}

/// Runs every file of `fuzz/<art>/<target>/` (on all cores); returns how many ran.
fn abspielen(art: &str) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(art);
    let mut gelaufen = 0;
    let mut fehler = Vec::new();
    let kerne = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (name, ziel) in ZIELE {
        let start = std::time::Instant::now();
        let liste = dateien(&fuzz.join(name));
        let teile: Vec<&[PathBuf]> = liste.chunks(liste.len().div_ceil(kerne).max(1)).collect();
        std::thread::scope(|s| {
            let faeden: Vec<_> = teile
                .iter()
                .map(|teil| {
                    s.spawn(move || {
                        teil.iter()
                            .filter_map(|d| einmal(*ziel, d))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for f in faeden {
                fehler.extend(f.join().expect("replay thread"));
            }
        });
        gelaufen += liste.len();
        eprintln!(
            "{art}/{name}: {} Eingaben in {:.1?}",
            liste.len(),
            start.elapsed()
        );
    }
    assert!(
        fehler.is_empty(),
        "{} Eingaben scheitern:\n{}",
        fehler.len(),
        fehler.join("\n")
    );
    gelaufen
}

/// Runs one file through a target: the file and the panic message if it fails.
fn einmal(ziel: Ziel, datei: &Path) -> Option<String> {
    let bytes = std::fs::read(datei).expect("readable corpus file");
    let e = std::panic::catch_unwind(|| ziel(&bytes)).err()?;
    let meldung = e
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    Some(format!("{}: {meldung}", datei.display()))
}

#[test]
fn corpus_runs_clean() {
    let n = abspielen("corpus");
    // Every target has a committed corpus.
    for (name, _) in ZIELE {
        let ordner = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(name);
        assert!(!dateien(&ordner).is_empty(), "kein Korpus für {name}");
    }
    assert!(n >= ZIELE.len());
}

#[test]
fn crash_regressions_stay_fixed() {
    abspielen("regressions");
}

/// Found by the `markdown` target: with `html_erlauben`, 10,000 nested quotes kept the
/// HTML sanitiser busy for half a minute per text. Now an error at once, and nothing is
/// written.
#[test]
fn deep_nesting_with_html_allowed_is_an_error_not_a_hang() {
    let p = TestPortal::new()
        .file(
            "portal.yaml",
            &format!("{PORTAL_YAML}html_erlauben: true\n"),
        )
        .file(
            "content/seiten/tief.md",
            &md(
                "titel: \"Tief\"\n",
                &format!("{}Text\n", ">".repeat(10_000)),
            ),
        )
        .file(
            "content/seiten/flach.md",
            &md("titel: \"Flach\"\n", &format!("{}Text\n", "> ".repeat(20))),
        );
    let site = p.build();
    let fehler: Vec<_> = site
        .report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(fehler.len(), 1, "{fehler:?}");
    let d = fehler[0];
    assert_eq!(d.code.id(), "E006");
    assert!(d.message.contains("zu tief verschachtelt"), "{}", d.message);
    let ort = d.location.as_ref().unwrap();
    assert_eq!(ort.file, "content/seiten/tief.md");
    assert!(!p.public().exists());
}
