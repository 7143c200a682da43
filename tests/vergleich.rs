//! `quartier synth --format hugo|zola`: the synthetic portal for the side-by-side
//! benchmark with Hugo and Zola (scripts/bench, issue 12) has the same projects, bodies
//! and Stadtteile as quartier's, in the layout each tool expects. When `hugo` or `zola`
//! is on PATH, the site is also built with it (neither is installed in CI).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const N: usize = 50;
const SEED: &str = "3";

fn synth(format: &str, out: &Path) {
    let out_arg = out.to_string_lossy().into_owned();
    let n = N.to_string();
    let run = quartier(&[
        "synth",
        "--projekte",
        n.as_str(),
        "--seed",
        SEED,
        "--format",
        format,
        "--out",
        out_arg.as_str(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("50 Projekte"), "{}", run.stderr);
}

/// A YAML double-quoted scalar as synth writes it (its escapes are TOML's too).
fn unquote(quoted: &str) -> String {
    let v: toml::Table = toml::from_str(&format!("v = {quoted}")).expect("quoted string");
    v["v"].as_str().expect("string").to_string()
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// quartier's projects: title of each, and the Markdown body of those in `.md` files
/// by slug.
fn quartier_projekte(root: &Path) -> (Vec<String>, BTreeMap<String, String>) {
    let mut titel = Vec::new();
    let mut bodies = BTreeMap::new();
    for f in files_below(&root.join("content/projekte")) {
        let text = std::fs::read_to_string(&f).expect("readable");
        if f.extension().is_some_and(|e| e == "md") {
            let rest = text.strip_prefix("---\n").expect("front matter");
            let (fm, body) = rest.split_once("\n---\n").expect("end of front matter");
            let q = fm
                .lines()
                .find_map(|l| l.strip_prefix("titel: "))
                .expect("titel");
            titel.push(unquote(q));
            let slug = f.file_stem().unwrap().to_string_lossy().into_owned();
            bodies.insert(slug, body.to_string());
        } else {
            // A YAML list: one `- titel:` per entry (bodies are indented below `text: |`).
            titel.extend(
                text.lines()
                    .filter_map(|l| l.strip_prefix("- titel: "))
                    .map(unquote),
            );
        }
    }
    titel.sort();
    (titel, bodies)
}

/// TOML front matter (`+++`) and body of an exported file.
fn front_matter(path: &Path) -> (toml::Table, String) {
    let text = std::fs::read_to_string(path).expect("readable");
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| panic!("{} has no +++ front matter", path.display()));
    let (fm, body) = rest.split_once("+++\n").expect("end of front matter");
    let table = toml::from_str(fm)
        .unwrap_or_else(|e| panic!("{}: front matter is not TOML: {e}", path.display()));
    (table, body.to_string())
}

fn strings(v: &toml::Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

fn stadtteil_namen() -> Vec<String> {
    let mut names: Vec<String> = quartier::synth::STADTTEILE
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    names.sort();
    names
}

/// What both exports share: the same 50 projects (titles, Markdown bodies) below
/// `content/projekte/{jahr}/`, each with at least one Stadtteil term; returns the
/// terms used. `terme` picks a page's terms from its front matter.
fn same_projects(
    site: &Path,
    quartier_root: &Path,
    terme: impl Fn(&toml::Table) -> Vec<String>,
) -> BTreeSet<String> {
    let (titel, bodies) = quartier_projekte(quartier_root);
    assert_eq!(titel.len(), N);
    let mut got = Vec::new();
    let mut used = BTreeSet::new();
    for f in files_below(&site.join("content/projekte")) {
        if f.file_name().is_some_and(|n| n == "_index.md") {
            continue;
        }
        let (fm, body) = front_matter(&f);
        got.push(fm["title"].as_str().expect("title").to_string());
        assert!(fm.contains_key("date"), "{} has no date", f.display());
        // Marked as invented, like `beispiel: true` in the quartier portal.
        let beispiel = fm
            .get("beispiel")
            .or_else(|| fm.get("extra").and_then(|e| e.get("beispiel")));
        assert_eq!(
            beispiel.and_then(|b| b.as_bool()),
            Some(true),
            "{}",
            f.display()
        );
        let t = terme(&fm);
        assert!(!t.is_empty(), "{} has no Stadtteil", f.display());
        used.extend(t);
        let slug = f.file_stem().unwrap().to_string_lossy().into_owned();
        if let Some(b) = bodies.get(&slug) {
            assert_eq!(&body, b, "body of {slug} differs from quartier's");
        }
    }
    got.sort();
    assert_eq!(got, titel, "project titles differ from quartier's");
    used
}

#[test]
fn hugo_export_has_quartiers_projects_and_a_stadtteile_taxonomy() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (q, site) = (tmp.path().join("quartier"), tmp.path().join("hugo"));
    synth("quartier", &q);
    synth("hugo", &site);

    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(site.join("config.toml")).unwrap()).unwrap();
    assert_eq!(
        config["taxonomies"]["stadtteil"].as_str(),
        Some("stadtteile")
    );
    assert_eq!(config["buildFuture"].as_bool(), Some(true));
    assert_eq!(config["rssLimit"].as_integer(), Some(50));
    for layout in [
        "_default/baseof.html",
        "_default/single.html",
        "_default/list.html",
        "_default/taxonomy.html",
        "_default/term.html",
        "index.html",
    ] {
        assert!(site.join("layouts").join(layout).is_file(), "{layout}");
    }
    for section in [
        "",
        "projekte/",
        "ags/",
        "foren/",
        "vorlagen/",
        "stadtteile/",
    ] {
        let index = site.join(format!("content/{section}_index.md"));
        assert!(index.is_file(), "{}", index.display());
    }

    let used = same_projects(&site, &q, |fm| strings(&fm["stadtteile"]));
    // Every Stadtteil is a term page with its own content; every term used is one of them.
    let mut names = Vec::new();
    let mut slugs = BTreeSet::new();
    for entry in std::fs::read_dir(site.join("content/stadtteile")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            let (fm, body) = front_matter(&dir.join("_index.md"));
            names.push(fm["title"].as_str().unwrap().to_string());
            assert!(body.contains("erfundene Beispiele"), "{}", dir.display());
            slugs.insert(dir.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    assert_eq!(names, stadtteil_namen());
    assert!(used.is_subset(&slugs), "{used:?} not all in {slugs:?}");

    if Command::new("hugo").arg("version").output().is_err() {
        println!("note: hugo is not on PATH; the Hugo site was checked but not built");
        return;
    }
    let out = tmp.path().join("hugo-public");
    let run = Command::new("hugo")
        .arg("--source")
        .arg(&site)
        .arg("--destination")
        .arg(&out)
        .output()
        .expect("run hugo");
    let log =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "hugo failed:\n{log}");
    assert!(!log.contains("WARN"), "hugo warned:\n{log}");
    let liste = std::fs::read_to_string(out.join("projekte/index.html")).unwrap();
    let (titel, _) = quartier_projekte(&q);
    for t in &titel {
        assert!(liste.contains(&format!(">{t}</a>")), "/projekte/ lacks {t}");
    }
    // A Stadtteil page shows its name and lists its projects.
    let (fm, _) = files_below(&site.join("content/projekte"))
        .iter()
        .find(|f| !f.ends_with("_index.md"))
        .map(|f| front_matter(f))
        .unwrap();
    let term = &strings(&fm["stadtteile"])[0];
    let seite = std::fs::read_to_string(out.join(format!("stadtteile/{term}/index.html"))).unwrap();
    assert!(seite.contains("<h2>Projekte</h2>"), "{seite}");
    assert!(
        seite.contains(&format!(">{}</a>", fm["title"].as_str().unwrap())),
        "{seite}"
    );
}

#[test]
fn zola_export_has_quartiers_projects_and_a_stadtteile_taxonomy() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (q, site) = (tmp.path().join("quartier"), tmp.path().join("zola"));
    synth("quartier", &q);
    synth("zola", &site);

    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(site.join("config.toml")).unwrap()).unwrap();
    assert!(config["base_url"].as_str().is_some());
    let taxonomies = config["taxonomies"].as_array().expect("taxonomies");
    assert_eq!(taxonomies.len(), 1);
    assert_eq!(taxonomies[0]["name"].as_str(), Some("stadtteile"));
    for template in [
        "base.html",
        "index.html",
        "section.html",
        "page.html",
        "stadtteile/list.html",
        "stadtteile/single.html",
        "taxonomy_list.html",
        "taxonomy_single.html",
    ] {
        assert!(
            site.join("templates").join(template).is_file(),
            "{template}"
        );
    }
    for section in ["", "projekte/", "ags/", "foren/", "vorlagen/"] {
        let index = site.join(format!("content/{section}_index.md"));
        assert!(index.is_file(), "{}", index.display());
    }
    // The years pass their projects on to /projekte/.
    let mut jahre = 0;
    for entry in std::fs::read_dir(site.join("content/projekte")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            let (fm, _) = front_matter(&dir.join("_index.md"));
            assert_eq!(fm["transparent"].as_bool(), Some(true), "{}", dir.display());
            jahre += 1;
        }
    }
    assert_eq!(jahre, 30);

    let used = same_projects(&site, &q, |fm| {
        let extra = fm["extra"].as_table().expect("[extra]");
        assert!(extra["meta"].as_array().is_some_and(|m| !m.is_empty()));
        strings(&fm["taxonomies"]["stadtteile"])
    });
    // The term templates fetch `stadtteil-daten/{term}.md`: one for every Stadtteil,
    // so one for every term used.
    let daten = site.join("content/stadtteil-daten");
    let (index, _) = front_matter(&daten.join("_index.md"));
    assert_eq!(index["render"].as_bool(), Some(false));
    let mut names = Vec::new();
    let mut slugs = BTreeSet::new();
    for f in files_below(&daten) {
        if f.ends_with("_index.md") {
            continue;
        }
        let (fm, _) = front_matter(&f);
        names.push(fm["title"].as_str().unwrap().to_string());
        slugs.insert(f.file_stem().unwrap().to_string_lossy().into_owned());
    }
    names.sort();
    assert_eq!(names, stadtteil_namen());
    assert!(used.is_subset(&slugs), "{used:?} not all in {slugs:?}");

    if Command::new("zola").arg("--version").output().is_err() {
        println!("note: zola is not on PATH; the Zola site was checked but not built");
        return;
    }
    let out = tmp.path().join("zola-public");
    let run = Command::new("zola")
        .arg("--root")
        .arg(&site)
        .arg("build")
        .arg("--output-dir")
        .arg(&out)
        .output()
        .expect("run zola");
    assert!(
        run.status.success(),
        "zola failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let liste = std::fs::read_to_string(out.join("projekte/index.html")).unwrap();
    let (titel, _) = quartier_projekte(&q);
    for t in &titel {
        assert!(liste.contains(&format!(">{t}</a>")), "/projekte/ lacks {t}");
    }
}
