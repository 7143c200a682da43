//! `serve` reads only what changed (load::Gelesen) and reads again only the entities
//! whose document changed (resolve::Gemerkt). Whatever the change, the portal and its
//! diagnostics must be exactly those a fresh run gives.

mod common;

use std::path::Path;

use common::{TestPortal, heute, repo_root};
use quartier::{config, load, resolve};

/// The example portal in a temporary folder.
fn example_copy() -> TestPortal {
    let p = TestPortal::empty();
    p.write(
        "portal.yaml",
        &std::fs::read_to_string(repo_root().join("portal.yaml")).unwrap(),
    );
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo_root()).unwrap();
        if entry.file_type().is_file() {
            p.write_bytes(rel.to_str().unwrap(), &std::fs::read(entry.path()).unwrap());
        }
    }
    p
}

/// One run of load and resolve, as `serve` does it, rendered to text for comparing.
fn run(root: &Path, gelesen: &mut load::Gelesen, gemerkt: &mut resolve::Gemerkt) -> String {
    let (config, diags) = config::load(root, None);
    assert!(diags.is_empty(), "{diags:?}");
    let config = config.unwrap();
    let grenzen = config.karte.grenzen.clone();
    let extra: Vec<&str> = grenzen.as_deref().into_iter().collect();
    let loaded = load::load_mit(root, &extra, gelesen);
    let options = resolve::Options {
        drafts: false,
        heute: heute(),
    };
    let (portal, mut diags) = resolve::resolve_mit(config, loaded, &options, gemerkt);
    diags.sort_by_key(|d| format!("{d:?}"));
    // Not the index: its hash maps print in a different order every time, and it is
    // built afresh in every run anyway.
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{diags:#?}",
        portal.stadtteile,
        portal.ags,
        portal.projekte,
        portal.foren,
        portal.vorlagen,
        portal.seiten,
        portal.dateien,
        portal.karte.is_some(),
    )
}

fn fresh(root: &Path) -> String {
    run(root, &mut Default::default(), &mut Default::default())
}

/// Applies `change`, tells the memory which files changed, and compares with a fresh run.
fn after(
    p: &TestPortal,
    gelesen: &mut load::Gelesen,
    gemerkt: &mut resolve::Gemerkt,
    geaendert: &[&str],
    change: impl FnOnce(&TestPortal),
) -> String {
    change(p);
    for rel in geaendert {
        gelesen.vergessen(&p.path(rel));
        let entity_file = rel.starts_with("content/") && !rel.starts_with("content/dateien/");
        if !entity_file {
            gemerkt.vergessen();
        }
    }
    let incremental = run(p.root(), gelesen, gemerkt);
    let expected = fresh(p.root());
    assert!(
        incremental == expected,
        "incremental run after changing {geaendert:?} differs from a fresh run"
    );
    incremental
}

#[test]
fn every_kind_of_change_gives_the_portal_a_fresh_run_gives() {
    let p = example_copy();
    let (mut gelesen, mut gemerkt) = (load::Gelesen::default(), resolve::Gemerkt::default());
    let first = run(p.root(), &mut gelesen, &mut gemerkt);
    assert_eq!(first, fresh(p.root()));

    let projekt = "content/projekte/2025/adventsmarkt-alt-olvenstedt.md";
    let original = p.read(projekt);

    // A new body: the order stays, one entity is read again.
    let s = after(&p, &mut gelesen, &mut gemerkt, &[projekt], |p| {
        p.write(
            projekt,
            &format!("{original}\nEin neuer Satz über Glühwein.\n"),
        )
    });
    assert!(s.contains("Ein neuer Satz über Glühwein."));

    // A new title: the order of the projects changes.
    after(&p, &mut gelesen, &mut gemerkt, &[projekt], |p| {
        p.write(
            projekt,
            &original.replace("Kleiner Adventsmarkt", "Aaa – ganz vorn im Alphabet"),
        )
    });

    // Two projects change their place at once: one moves to another year, the other
    // to the front of its year. The order of the last run is kept and only these two
    // are put where they now belong, which must give the order of a full sort.
    let anderes = "content/projekte/2026/wintertreff-salbke.md";
    let anderes_original = p.read(anderes);
    after(&p, &mut gelesen, &mut gemerkt, &[projekt, anderes], |p| {
        p.write(
            projekt,
            &original
                .replace("jahr: 2025", "jahr: 2026")
                .replace("von: 2025-12-06", "von: 2026-01-02"),
        );
        p.write(
            anderes,
            &anderes_original.replace("Wintertreff im Gemeindesaal", "Ä – vorn mit Umlaut"),
        );
    });
    // A YAML list changes: all its projects are new documents, one of them moves.
    let liste = "content/projekte/2024/initiativfonds-2024.yaml";
    let liste_original = p.read(liste);
    after(&p, &mut gelesen, &mut gemerkt, &[liste], |p| {
        p.write(
            liste,
            &liste_original.replace("Hoffest im Kannenstieg", "Zum Schluss: Hoffest"),
        )
    });
    after(
        &p,
        &mut gelesen,
        &mut gemerkt,
        &[projekt, anderes, liste],
        |p| {
            p.write(projekt, &original);
            p.write(anderes, &anderes_original);
            p.write(liste, &liste_original);
        },
    );

    // A broken reference: the diagnostic appears, and goes again.
    let s = after(&p, &mut gelesen, &mut gemerkt, &[projekt], |p| {
        p.write(
            projekt,
            &original.replace("[alt-olvenstedt]", "[alt-olvenstedd]"),
        )
    });
    assert!(s.contains("alt-olvenstedd"));
    let s = after(&p, &mut gelesen, &mut gemerkt, &[projekt], |p| {
        p.write(projekt, &original)
    });
    assert!(!s.contains("alt-olvenstedd"));

    // A Stadtteil renamed: every entity that refers to Stadtteile is read again.
    let stadtteil = "content/stadtteile/alt-olvenstedt.yaml";
    let st = p.read(stadtteil);
    after(&p, &mut gelesen, &mut gemerkt, &[stadtteil], |p| {
        p.write(stadtteil, &st.replace("Alt Olvenstedt", "Zzz Olvenstedt"))
    });

    // A project added, then deleted.
    let neu = "content/projekte/2025/zzz-neu.md";
    let s = after(&p, &mut gelesen, &mut gemerkt, &[neu], |p| {
        p.write(
            neu,
            &original.replace("Kleiner Adventsmarkt", "Ganz neues Projekt"),
        )
    });
    assert!(s.contains("Ganz neues Projekt"));
    let s = after(&p, &mut gelesen, &mut gemerkt, &[neu], |p| p.remove(neu));
    assert!(!s.contains("Ganz neues Projekt"));

    // A file under dateien/ removed: references to it become errors.
    let dateien: Vec<_> = walkdir::WalkDir::new(p.path("content/dateien"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    if let Some(datei) = dateien.first() {
        let rel = datei
            .path()
            .strip_prefix(p.root())
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        after(&p, &mut gelesen, &mut gemerkt, &[rel.as_str()], |p| {
            p.remove(&rel)
        });
    }
}
