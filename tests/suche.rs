//! The search index under `/suche/index/` and the `/suche/` page: built portals are read
//! back the way `js/suche.js` reads them (meta.json, the shard a key falls into, the
//! posting lists, the display data), and queries are ranked with the script's rules.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{TestPortal, example};
use serde_json::Value;

/// A built index, read from disk.
struct Index {
    meta: Value,
    shards: Vec<serde_json::Map<String, Value>>,
    docs: Vec<Value>,
}

const ENDE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
const WEITER: &str = "ghijklmnopqrstuvwxyz0123456789-_";

impl Index {
    fn read(out: &Path) -> Index {
        let dir = out.join("suche/index");
        let json = |rel: String| -> Value {
            let path = dir.join(&rel);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
        };
        let meta = json("meta.json".into());
        let shards = (0..meta["grenzen"].as_array().unwrap().len())
            .map(|i| json(format!("t/{i}.json")).as_object().unwrap().clone())
            .collect();
        let n = meta["dokumente"].as_u64().unwrap() as usize;
        let mut docs = Vec::new();
        let mut i = 0;
        while docs.len() < n {
            docs.extend(json(format!("d/{i}.json")).as_array().unwrap().clone());
            i += 1;
        }
        Index { meta, shards, docs }
    }

    /// The shard a key falls into, found by the first keys in meta.json as the script
    /// does.
    fn shard_of(&self, key: &str) -> Option<usize> {
        let grenzen = self.meta["grenzen"].as_array().unwrap();
        grenzen.iter().rposition(|g| g.as_str().unwrap() <= key)
    }

    /// Postings of one key: (document, weight class).
    fn postings(&self, key: &str) -> Vec<(usize, u8)> {
        let Some(i) = self.shard_of(key) else {
            return Vec::new();
        };
        let Some(Value::String(s)) = self.shards[i].get(key) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let (mut doc, mut v) = (0usize, 0u64);
        for c in s.chars() {
            if let Some(z) = WEITER.find(c) {
                v = v * 32 + z as u64;
            } else {
                let z = ENDE
                    .find(c)
                    .unwrap_or_else(|| panic!("bad digit {c:?} in {key}"));
                v = v * 32 + z as u64;
                doc += (v / 8) as usize;
                out.push((doc, (v % 8) as u8));
                v = 0;
            }
        }
        out
    }

    fn docs_of(&self, key: &str) -> Vec<usize> {
        self.postings(key).into_iter().map(|(d, _)| d).collect()
    }

    /// Every key with this prefix (in the shards its range covers).
    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.shards
            .iter()
            .flat_map(|s| s.keys())
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// The documents of a query, best first, ranked as `js/suche.js` ranks them: per word
    /// the best weight of an exact key (or, from three letters on, a key it begins, at
    /// 0.7), all words required, 100 more for an exact match of the whole query.
    fn search(&self, query: &str) -> Vec<usize> {
        const GEWICHT: [f64; 8] = [0.0, 1.0, 1.5, 3.0, 3.0, 6.0, 6.0, 6.0];
        // `I 0264/09`: the letter belongs to the number.
        let query = &regex_lite(query);
        let words: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(fold)
            .filter(|w| w.chars().count() >= 2)
            .collect();
        let mut sum: HashMap<usize, (f64, usize)> = HashMap::new();
        for w in &words {
            let mut best: HashMap<usize, f64> = HashMap::new();
            let keys = if w.len() >= 3 {
                self.keys_with_prefix(w)
            } else {
                vec![w.clone()]
            };
            for k in keys {
                let factor = if &k == w { 1.0 } else { 0.7 };
                for (d, c) in self.postings(&k) {
                    let e = best.entry(d).or_insert(0.0);
                    *e = e.max(GEWICHT[c as usize] * factor);
                }
            }
            for (d, s) in best {
                let e = sum.entry(d).or_insert((0.0, 0));
                e.0 += s;
                e.1 += 1;
            }
        }
        let exact: String = query.chars().filter(|c| c.is_alphanumeric()).collect();
        for d in self.docs_of(&format!("={}", fold(&exact))) {
            if let Some(e) = sum.get_mut(&d) {
                e.0 += 100.0;
            }
        }
        let mut hits: Vec<(usize, f64)> = sum
            .into_iter()
            .filter(|(_, (_, n))| *n == words.len())
            .map(|(d, (s, _))| (d, s))
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter().map(|(d, _)| d).collect()
    }

    fn url(&self, doc: usize) -> &str {
        self.docs[doc]["u"].as_str().unwrap()
    }

    fn first_url(&self, query: &str) -> String {
        let hits = self.search(query);
        assert!(!hits.is_empty(), "{query:?} finds nothing");
        self.url(hits[0]).to_string()
    }
}

/// Joins a single letter to the four digits after a space, as the script does.
fn regex_lite(q: &str) -> String {
    let re = regex::Regex::new(r"(^|[^\p{L}\p{N}])(\p{L}) (\d{4})").unwrap();
    re.replace_all(q, "$1$2$3").into_owned()
}

fn fold(w: &str) -> String {
    w.to_lowercase()
        .replace('ä', "ae")
        .replace('ö', "oe")
        .replace('ü', "ue")
        .replace('ß', "ss")
}

#[test]
fn example_vorlage_number_and_stadtteil_names_come_first() {
    let site = example();
    let index = Index::read(&site.out);
    for q in ["I0264", "I0264/09", "i0264/09", "I 0264/09"] {
        assert_eq!(index.first_url(q), "vorlagen/i0264-09/", "query {q:?}");
    }
    assert_eq!(index.docs[index.search("I0264")[0]]["a"], "vorlage");
    // Every Stadtteil by its name, by the name folded and by the name without umlauts.
    let stadtteile: Vec<(String, String)> = index
        .docs
        .iter()
        .filter(|d| d["a"] == "stadtteil")
        .map(|d| {
            (
                d["t"].as_str().unwrap().to_string(),
                d["u"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(stadtteile.len() >= 40, "the example has 40 Stadtteile");
    for (name, url) in &stadtteile {
        let plain = name
            .replace('ä', "a")
            .replace('ö', "o")
            .replace('ü', "u")
            .replace('ß', "ss");
        for q in [name.clone(), name.to_uppercase(), plain] {
            assert_eq!(&index.first_url(&q), url, "query {q:?}");
        }
    }
    assert_eq!(
        index.first_url("Leipziger Strasse"),
        "stadtteile/leipziger-strasse/"
    );
    assert_eq!(index.first_url("Bruckfeld"), "stadtteile/brueckfeld/");
}

#[test]
fn example_index_covers_every_kind_and_every_page_exists() {
    let site = example();
    let index = Index::read(&site.out);
    let kinds: Vec<&str> = index.meta["arten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    for kind in ["stadtteil", "ag", "vorlage", "forum", "seite", "projekt"] {
        assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
    }
    for (n, d) in index.docs.iter().enumerate() {
        let url = d["u"].as_str().unwrap();
        assert!(
            site.exists(url),
            "document {n} links to the missing page {url}"
        );
        let art = index.meta["arten"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == d["a"])
            .unwrap();
        let (von, bis) = (art["von"].as_u64().unwrap(), art["bis"].as_u64().unwrap());
        assert!(
            (von..bis).contains(&(n as u64)),
            "document {n} outside its kind's range"
        );
    }
    // Shards stay small: a query loads only a few of them.
    for i in 0..index.shards.len() {
        let len = std::fs::metadata(site.out.join(format!("suche/index/t/{i}.json")))
            .unwrap()
            .len();
        assert!(len < 64 * 1024, "shard {i} has {len} bytes");
    }
}

fn portal() -> TestPortal {
    TestPortal::new()
        .file("content/stadtteile/leipziger-strasse.yaml", "name: \"Leipziger Straße\"\n")
        .file("content/stadtteile/brueckfeld.yaml", "name: \"Brückfeld\"\n")
        .file(
            "content/projekte/2026/sommerfest.md",
            "---\ntitel: \"Sommerfest in Buckau\"\njahr: 2026\nstadtteile: [buckau]\nbeispiel: true\n---\n\
             Der Buckauer Kinderchor sang, und die **Gemeinwesenarbeit** stellte sich vor.\n\n\
             Am Ende gab es [Kuchen](/stadtteile/buckau/) für alle.\n",
        )
        .file(
            "content/projekte/2025/strassenputz.md",
            "---\ntitel: \"Frühjahrsputz\"\njahr: 2025\nstadtteile: [leipziger-strasse, sudenburg]\n---\n\
             Nachbarn räumten die Halberstädter Straße auf.\n",
        )
        .file(
            "content/projekte/2025/geheim.md",
            "---\ntitel: \"Noch geheim\"\njahr: 2025\nstadtteile: [buckau]\nentwurf: true\n---\nZauberwort.\n",
        )
        .file(
            "content/seiten/ueber.md",
            "---\ntitel: \"Über das Portal\"\n---\nEin Papier über Stadtteilmanagement.\n",
        )
}

#[test]
fn german_words_fold_and_prefixes_match() {
    let p = portal();
    let site = p.build().ok();
    let index = Index::read(&site.out);
    let sommerfest = "projekte/2026/sommerfest/";
    let putz = "projekte/2025/strassenputz/";
    // The summer festival in Buckau, from a word of its title, its text or its Stadtteil.
    assert_eq!(index.first_url("Sommerfest Buckau"), sommerfest);
    assert_eq!(index.first_url("Kinderchor"), sommerfest);
    assert_eq!(index.first_url("kinder"), sommerfest, "prefix of a word");
    assert_eq!(
        index.first_url("Gemeinwesen"),
        sommerfest,
        "prefix of a compound"
    );
    assert_eq!(index.first_url("Buckauer"), sommerfest);
    // Buckau's page comes before the project that names it.
    assert_eq!(index.first_url("Buckau"), "stadtteile/buckau/");
    assert!(
        index
            .search("Buckau")
            .iter()
            .any(|d| index.url(*d) == sommerfest)
    );
    // ß and umlauts: written either way.
    for q in [
        "Straße",
        "Strasse",
        "strasse",
        "Halberstaedter",
        "Halberstädter",
        "Halberstadter",
    ] {
        assert!(
            index.search(q).iter().any(|d| index.url(*d) == putz),
            "{q:?} does not find the Frühjahrsputz"
        );
    }
    assert_eq!(
        index.first_url("Leipziger Straße"),
        "stadtteile/leipziger-strasse/"
    );
    assert_eq!(index.first_url("Brueckfeld"), "stadtteile/brueckfeld/");
    assert_eq!(index.first_url("Stadtteilmanagement"), "ueber/");
    // Drafts, stop words and link targets are not in the index.
    assert!(index.search("Zauberwort").is_empty());
    assert!(index.postings("und").is_empty());
    assert!(index.postings("die").is_empty());
    assert!(
        index
            .search("Kuchen")
            .iter()
            .any(|d| index.url(*d) == sommerfest)
    );
    assert_eq!(
        index.postings("stadtteile").len(),
        0,
        "a link target was indexed"
    );
}

#[test]
fn filters_and_display_data() {
    let p = portal();
    let site = p.build().ok();
    let index = Index::read(&site.out);
    let stadtteile = index.meta["stadtteile"].as_array().unwrap();
    let buckau = stadtteile
        .iter()
        .position(|s| s["slug"] == "buckau")
        .unwrap();
    let in_buckau: Vec<&str> = index
        .docs_of(&format!("~s{buckau}"))
        .into_iter()
        .map(|d| index.url(d))
        .collect();
    assert_eq!(
        in_buckau,
        ["stadtteile/buckau/", "projekte/2026/sommerfest/"]
    );
    let in_2025: Vec<&str> = index
        .docs_of("~j2025")
        .into_iter()
        .map(|d| index.url(d))
        .collect();
    assert_eq!(in_2025, ["projekte/2025/strassenputz/"]);
    assert_eq!(index.meta["jahre"], serde_json::json!([2026, 2025]));
    let d = &index.docs[index.search("Sommerfest")[0]];
    assert_eq!(d["t"], "Sommerfest in Buckau");
    assert_eq!(d["a"], "projekt");
    assert_eq!(d["s"], "Buckau");
    assert_eq!(d["j"], 2026);
    assert_eq!(d["b"], true);
    assert_eq!(
        d["x"],
        "Der Buckauer Kinderchor sang, und die Gemeinwesenarbeit stellte sich vor. Am Ende gab es Kuchen für alle."
    );
}

#[test]
fn search_page_and_header_box_work_under_the_base_path() {
    let p = portal();
    let site = p.build().ok();
    let html = site.read("suche/");
    for needle in [
        r#"<form class="suche-formular" id="suche" role="search" aria-label="Suche im Portal" action="/gwa/suche/" method="get" data-index="/gwa/suche/index/" data-basis="/gwa/""#,
        r#"<label for="suche-begriff">Suchbegriff</label>"#,
        r#"<input type="search" id="suche-begriff" name="q""#,
        r#"id="suche-status" role="status""#,
        r#"<option value="projekt">Projekt</option>"#,
        r#"<option value="leipziger-strasse">Leipziger Straße</option>"#,
        r#"<option value="2025">2025</option>"#,
        r#"<script src="/gwa/js/suche.js" defer></script>"#,
    ] {
        assert!(html.contains(needle), "/suche/ lacks {needle}");
    }
    assert!(site.exists("js/suche.js"));
    for page in site.html_files() {
        let html = std::fs::read_to_string(site.out.join(&page)).unwrap();
        assert!(
            html.contains(r#"<form class="kopf-suche" role="search" aria-label="Portal durchsuchen" action="/gwa/suche/" method="get">"#)
                && html.contains(r#"<label for="kopf-suche-begriff">Suche</label>"#),
            "{page} has no search box in its header"
        );
    }
}

#[test]
fn a_failed_build_keeps_the_previous_index() {
    let p = portal();
    p.build().ok();
    let before = std::fs::read(p.public().join("suche/index/meta.json")).unwrap();
    p.write(
        "content/projekte/2026/kaputt.md",
        "---\ntitel: \"Kaputt\"\njahr: 2026\nstadtteile: [nirgendwo]\n---\nText.\n",
    );
    let report = quartier::build(&p.options());
    assert!(report.diagnostics.has_errors());
    assert_eq!(
        std::fs::read(p.public().join("suche/index/meta.json")).unwrap(),
        before
    );
}
