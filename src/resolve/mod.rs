//! Stage 2: read every document field by field, link slugs into one [`Portal`] and
//! validate what spans entities.
//!
//! Ids follow display order: documents are sorted (Stadtteile by name, projects newest
//! first, …) before ids are handed out, so every vector of the model is already in the
//! order residents read it.

mod ag;
mod forum;
mod gemerkt;
mod index;
mod karte;
mod projekt;
mod refs;
mod seite;
mod stadtteil;
mod vorlage;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use serde_yaml::Value;

use crate::collate;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::load::{Document, Kind, Loaded};
use crate::model::{Karte, Markdown, Meta, Portal, TextOrigin};
use crate::yaml::{Fields, FromYaml, Part, Problem, Sink};
pub use gemerkt::Gemerkt;
pub use index::GENERATED_FILES;
pub use refs::{Excluded, FileTable, SlugTable};

#[derive(Debug, Clone)]
pub struct Options {
    /// Include entities marked `entwurf: true`.
    pub drafts: bool,
    /// "Today" for upcoming dates.
    pub heute: Date,
}

/// Everything entity readers need to turn slugs into ids.
pub struct Context {
    pub stadtteile: SlugTable,
    pub ags: SlugTable,
    pub dateien: FileTable,
    /// The Stadtteil boundaries, once the Stadtteile are read: projects check their
    /// coordinates against them.
    pub karte: Option<Karte>,
    /// The day of the build (`--heute`), for dates that cannot be right yet.
    pub heute: Date,
}

/// Reads and links all documents.
///
/// The portal is complete even when there were errors: an entity whose required field
/// is missing gets a stand-in value, so that the later stages can still report every
/// other problem of the run. Such a portal is never written (see [`crate::build`]).
pub fn resolve(config: Config, loaded: Loaded, options: &Options) -> (Portal, Vec<Diagnostic>) {
    let mut gemerkt = Gemerkt::default();
    let ergebnis = resolve_mit(config, loaded, options, &mut gemerkt);
    gemerkt.freigeben();
    ergebnis
}

/// [`resolve`], reading again only the documents that changed since `gemerkt`.
pub fn resolve_mit(
    config: Config,
    loaded: Loaded,
    options: &Options,
    gemerkt: &mut Gemerkt,
) -> (Portal, Vec<Diagnostic>) {
    let Loaded {
        documents,
        defekt,
        dateien,
        diagnostics: mut diags,
    } = loaded;

    let mut groups: HashMap<Kind, Vec<Document>> = HashMap::new();
    for d in documents {
        groups.entry(d.kind).or_default().push(d);
    }
    let keys_of = |k: Kind| -> Vec<gemerkt::DocKey> {
        groups
            .get(&k)
            .map(|docs| docs.iter().map(gemerkt::DocKey::of).collect())
            .unwrap_or_default()
    };
    gemerkt.kontext(gemerkt::Kontext {
        stadtteile: keys_of(Kind::Stadtteil),
        ags: keys_of(Kind::Ag),
        dateien: dateien.clone(),
        grenzen: config.karte.grenzen.clone(),
        defekt: defekt.clone(),
        drafts: options.drafts,
        heute: options.heute,
    });
    let mut tables: HashMap<Kind, SlugTable> = HashMap::new();
    for kind in Kind::ALL {
        let docs = groups.remove(&kind).unwrap_or_default();
        let (docs, table) = select(kind, docs, options, &mut diags);
        let docs = sort(kind, docs, gemerkt);
        let mut table = table;
        for (_, slug) in defekt.iter().filter(|(k, _)| *k == kind) {
            table.exclude(slug, Excluded::Defekt);
        }
        for d in &docs {
            table.push(&d.slug);
        }
        groups.insert(kind, docs);
        tables.insert(kind, table);
    }
    let mut cx = Context {
        stadtteile: tables.remove(&Kind::Stadtteil).unwrap_or_default(),
        ags: tables.remove(&Kind::Ag).unwrap_or_default(),
        dateien: FileTable::new(&dateien),
        karte: None,
        heute: options.heute,
    };

    let docs = |k: Kind| groups.get(&k).map(Vec::as_slice).unwrap_or_default();
    let g = gemerkt;
    let stadtteile = read_all(
        docs(Kind::Stadtteil),
        &cx,
        stadtteil::read,
        &mut diags,
        &mut g.stadtteile,
    );
    cx.karte = karte::read(
        &config,
        &stadtteile,
        &defekt,
        &dateien,
        &cx.dateien,
        &mut diags,
    );
    let ags = read_all(docs(Kind::Ag), &cx, ag::read, &mut diags, &mut g.ags);
    let projekte = read_all(
        docs(Kind::Projekt),
        &cx,
        projekt::read,
        &mut diags,
        &mut g.projekte,
    );
    let foren = read_all(
        docs(Kind::Forum),
        &cx,
        forum::read,
        &mut diags,
        &mut g.foren,
    );
    let vorlagen = read_all(
        docs(Kind::Vorlage),
        &cx,
        vorlage::read,
        &mut diags,
        &mut g.vorlagen,
    );
    let seiten = read_all(
        docs(Kind::Seite),
        &cx,
        seite::read,
        &mut diags,
        &mut g.seiten,
    );

    let mut portal = Portal {
        config,
        heute: options.heute,
        stadtteile,
        ags,
        projekte,
        foren,
        vorlagen,
        seiten,
        dateien,
        karte: cx.karte.take(),
        index: Default::default(),
        staende: Default::default(),
    };
    index::check(&portal, &defekt, &mut diags);
    portal.index = index::build(&portal);
    (portal, diags)
}

/// Leaves out drafts and non-public Vorlagen (remembering them for hints) and reports
/// duplicate slugs, naming both files.
fn select(
    kind: Kind,
    docs: Vec<Document>,
    options: &Options,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Document>, SlugTable) {
    let mut table = match kind {
        Kind::Stadtteil => SlugTable::new("Stadtteil", false),
        Kind::Ag => SlugTable::new("AG", true),
        Kind::Projekt => SlugTable::new("Projekt", false),
        Kind::Forum => SlugTable::new("Stadtteilforum", false),
        Kind::Vorlage => SlugTable::new("Vorlage", true),
        Kind::Seite => SlugTable::new("Seite", true),
    };
    // Borrowed, not copied: this runs for every document in every run of `serve`.
    let mut first_doc: HashMap<&str, &Document> = HashMap::with_capacity(docs.len());
    let mut keep = vec![false; docs.len()];
    for (d, keep) in docs.iter().zip(&mut keep) {
        if let Some(first) = first_doc.get(d.slug.as_str()) {
            let hint = if d.slug_from_file {
                "Slugs müssen je Inhaltstyp eindeutig sein: benennen Sie eine der Dateien um."
            } else {
                "Slugs müssen je Inhaltstyp eindeutig sein: geben Sie dem Listeneintrag ein eigenes Feld 'slug'."
            };
            diags.push(
                Diagnostic::new(
                    Code::DoppelterSlug,
                    format!(
                        "{} '{}' gibt es doppelt: {}",
                        kind.label(),
                        d.slug,
                        fundorte(first, d)
                    ),
                )
                .at(d.location())
                .hint(hint),
            );
            continue;
        }
        first_doc.insert(&d.slug, d);
        if !options.drafts && d.entwurf {
            table.exclude(&d.slug, Excluded::Entwurf);
            continue;
        }
        if kind == Kind::Vorlage && d.feld("oeffentlich") == Some(Value::Bool(false)) {
            table.exclude(&d.slug, Excluded::NichtOeffentlich);
            continue;
        }
        *keep = true;
    }
    let kept = docs
        .into_iter()
        .zip(keep)
        .filter_map(|(d, keep)| keep.then_some(d))
        .collect();
    (kept, table)
}

/// Where the two entities of a duplicate slug are: files, and the lines of list entries,
/// which in one list file are the only way to tell them apart.
fn fundorte(erster: &Document, zweiter: &Document) -> String {
    let zeile = |d: &Document| (!d.path.is_empty()).then(|| d.location().line);
    match (zeile(erster), zeile(zweiter)) {
        (Some(a), Some(b)) if erster.file() == zweiter.file() => {
            format!("zweimal in {} (Zeilen {a} und {b})", erster.file())
        }
        (a, b) => {
            let ort = |d: &Document, z: Option<usize>| match z {
                Some(z) => format!("{} (Zeile {z})", d.file()),
                None => d.file().to_string(),
            };
            format!("in {} und in {}", ort(erster, a), ort(zweiter, b))
        }
    }
}

/// What documents are sorted by, read once per document from the raw fields (problems
/// with those fields are reported when the entity is read).
#[derive(Debug, Clone, PartialEq)]
struct SortKey {
    /// Newest first: `jahr` of projects.
    jahr: Option<i64>,
    /// Newest first: `von` of projects, `datum` of forums and Vorlagen.
    datum: String,
    /// Pages with a menu position first.
    menue: i64,
    /// German collation: `name` or `titel`; the number of a Vorlage.
    name: String,
}

impl SortKey {
    fn of(kind: Kind, d: &Document) -> SortKey {
        let text = |k: &str| match d.feld(k) {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let int = |k: &str| i64::from_yaml(&d.feld(k).unwrap_or(Value::Null)).ok();
        SortKey {
            jahr: if kind == Kind::Projekt {
                int("jahr")
            } else {
                None
            },
            datum: match kind {
                Kind::Projekt => text("von"),
                Kind::Forum | Kind::Vorlage => text("datum"),
                _ => String::new(),
            },
            menue: if kind == Kind::Seite {
                int("menue").unwrap_or(i64::MAX)
            } else {
                0
            },
            name: match kind {
                Kind::Stadtteil | Kind::Ag => text("name"),
                Kind::Vorlage => text("nummer"),
                _ => text("titel"),
            },
        }
    }

    /// The order residents read each type in.
    fn cmp(&self, other: &SortKey, kind: Kind) -> Ordering {
        let name = || match kind {
            Kind::Vorlage => self.name.cmp(&other.name),
            _ => collate::compare(&self.name, &other.name),
        };
        other
            .jahr
            .cmp(&self.jahr)
            .then_with(|| other.datum.cmp(&self.datum))
            .then_with(|| self.menue.cmp(&other.menue))
            .then_with(name)
    }
}

/// Puts the documents of one type in the order residents read them, reusing the order of
/// the previous run (see [`gemerkt::Ordnung`]).
fn sort(kind: Kind, docs: Vec<Document>, gemerkt: &mut Gemerkt) -> Vec<Document> {
    let ordnung = ordnen(kind, &docs, gemerkt.ordnung.remove(&kind));
    let mut slots: Vec<Option<Document>> = docs.into_iter().map(Some).collect();
    let sorted = ordnung
        .order
        .iter()
        .filter_map(|&i| slots[i].take())
        .collect();
    gemerkt.ordnung.insert(kind, ordnung);
    sorted
}

/// The order of `docs`: the previous one where only a few documents changed, else a
/// full sort.
fn ordnen(kind: Kind, docs: &[Document], alt: Option<gemerkt::Ordnung>) -> gemerkt::Ordnung {
    let key = |d: &Document| (d.slug.clone(), SortKey::of(kind, d));
    let cmp = |keys: &[(String, SortKey)], a: usize, b: usize| {
        let ((sa, ka), (sb, kb)) = (&keys[a], &keys[b]);
        ka.cmp(kb, kind).then_with(|| sa.cmp(sb))
    };
    if let Some(mut o) = alt
        && o.docs.len() == docs.len()
    {
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&i| !o.gleich(i, &docs[i]))
            .collect();
        // Each moved document costs a pass over the order; many are cheaper sorted anew.
        if changed.len() <= 16 {
            let mut moved = Vec::new();
            for i in changed {
                let d = &docs[i];
                o.docs[i] = (d.doc.clone(), d.path.clone());
                let neu = key(d);
                if neu != o.keys[i] {
                    o.keys[i] = neu;
                    moved.push(i);
                }
            }
            if !moved.is_empty() {
                o.order.retain(|i| !moved.contains(i));
                for i in moved {
                    let at = o
                        .order
                        .partition_point(|&j| cmp(&o.keys, j, i) == Ordering::Less);
                    o.order.insert(at, i);
                }
            }
            return o;
        }
    }
    // On all cores: at 100,000 projects the German collation of titles made this the
    // longest stretch of a run with one core working.
    let keys: Vec<(String, SortKey)> = docs.par_iter().map(key).collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.par_sort_by(|&a, &b| cmp(&keys, a, b));
    gemerkt::Ordnung {
        docs: docs
            .iter()
            .map(|d| (d.doc.clone(), d.path.clone()))
            .collect(),
        keys,
        order,
    }
}

/// Reads all documents of one type in parallel, taking from `cache` what an earlier run
/// read from the same document in the same context.
fn read_all<T: Send + Sync>(
    docs: &[Document],
    cx: &Context,
    read: fn(&Document, &Context, &Sink) -> T,
    diags: &mut Vec<Diagnostic>,
    cache: &mut gemerkt::Cache<T>,
) -> Vec<Arc<T>> {
    let results: Vec<(Arc<T>, Vec<Diagnostic>, bool)> = docs
        .par_iter()
        .map(|d| {
            if let Some((entity, found)) = cache.get(d) {
                return (entity, found, false);
            }
            let sink = Sink::default();
            let entity = Arc::new(read(d, cx, &sink));
            (entity, sink.into_inner(), true)
        })
        .collect();
    let mut all = Vec::with_capacity(docs.len());
    let mut neu = Vec::new();
    for (i, (entity, found, fresh)) in results.into_iter().enumerate() {
        // A reference to an entity whose file is broken: that file's error says it all.
        let found: Vec<Diagnostic> = found
            .into_iter()
            .filter(|d| d.code != Code::Folgefehler)
            .collect();
        if fresh {
            neu.push((i, entity.clone(), found.clone()));
        }
        diags.extend(found);
        all.push(entity);
    }
    cache.update(docs, neu);
    all
}

/// Opens the fields of a document, given as made from their bytes
/// ([`Document::fields`]; loading made sure they are a mapping or nothing).
fn fields<'a>(d: &'a Document, wert: &'a Value, sink: &'a Sink) -> Fields<'a> {
    Fields::oder_leer(&d.doc, d.path.clone(), wert, sink)
}

/// Reads what every entity has: `beispiel`, `entwurf`, the body.
fn meta(d: &Document, f: &mut Fields<'_>) -> Meta {
    if !d.slug_from_file {
        f.raw("slug");
    }
    let beispiel = f.opt::<bool>("beispiel").unwrap_or(false);
    let entwurf = f.opt::<bool>("entwurf").unwrap_or(false);
    let text = match &d.body {
        Some(body) => Some(body.clone()),
        None => markdown_field(f, "text"),
    };
    Meta {
        slug: d.slug.clone(),
        quelle: d.doc.file.clone(),
        beispiel,
        entwurf,
        text: text.filter(|t| !t.text().trim().is_empty()),
    }
}

/// A Markdown text in a YAML field, remembering where it is for diagnostics.
fn markdown_field(f: &mut Fields<'_>, key: &'static str) -> Option<Markdown> {
    let text = f.opt::<String>(key)?;
    Some(Markdown {
        file: f.doc().file.clone(),
        origin: TextOrigin::Field {
            doc: f.doc_arc(),
            path: f.path_of(key),
            text: text.into(),
        },
    })
}

/// An e-mail address as residents will write to it: `name@host.tld`, nothing around it.
/// A contact is published as a `mailto:` link; a wrong one is a dead end for a resident.
fn email_address(v: &Value) -> Result<String, Problem> {
    let s = String::from_yaml(v)?;
    if let Some(ohne) = s.strip_prefix("mailto:") {
        return Err(Problem::new(
            Code::UngueltigerWert,
            format!("'{s}' ist ein Link, keine E-Mail-Adresse"),
        )
        .hint(format!("Schreiben Sie nur die Adresse: {ohne}")));
    }
    let gueltig = match s.split_once('@') {
        Some((name, host)) => {
            !name.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
                && !s.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';'))
        }
        None => false,
    };
    if gueltig {
        Ok(s)
    } else {
        Err(Problem::new(
            Code::UngueltigerWert,
            format!("'{s}' ist keine E-Mail-Adresse"),
        )
        .hint("Eine E-Mail-Adresse hat die Form name@beispiel.de, ohne Leerzeichen; mehrere Adressen gehen nicht."))
    }
}

/// One of a fixed set of values (`status`, `ziele`, `art`, …).
fn choice<T: Copy>(v: &Value, allowed: &[(&'static str, T)]) -> Result<T, Problem> {
    let s = String::from_yaml(v)?;
    let wanted = s.trim().to_lowercase();
    if let Some((_, t)) = allowed.iter().find(|(name, _)| *name == wanted) {
        return Ok(*t);
    }
    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
    let hint = did_you_mean(&wanted, names.iter().copied())
        .map(|h| format!("{h} Erlaubt: {}.", names.join(", ")))
        .unwrap_or_else(|| format!("Erlaubt: {}.", names.join(", ")));
    Err(Problem::new(Code::UngueltigerWert, format!("ungültiger Wert '{s}'")).hint(hint))
}

/// A required list of Stadtteil references with at least one published entry.
fn stadtteil_refs(
    f: &mut Fields<'_>,
    cx: &Context,
    key: &'static str,
    required: bool,
) -> Vec<crate::model::Id<crate::model::Stadtteil>> {
    let present = f.raw(key).is_some();
    if required && !present {
        f.missing(key);
        return Vec::new();
    }
    let errors_before = f.error_count();
    let ids = f.list_with(key, |v, _| cx.stadtteile.resolve(v));
    if required && ids.is_empty() && f.error_count() == errors_before {
        f.push(
            Diagnostic::new(
                Code::PflichtfeldFehlt,
                format!("Feld '{key}': mindestens ein veröffentlichter Stadtteil nötig"),
            )
            .at(f.locate(key, Part::Value))
            .hint(match cx.stadtteile.beispiel() {
                Some(s) => format!(
                    "Tragen Sie die Slugs der Stadtteile ein (Dateinamen in content/stadtteile/), z. B. {key}: [{s}]."
                ),
                None => "Legen Sie zuerst die Stadtteile in content/stadtteile/ an.".to_string(),
            }),
        );
    }
    let mut unique = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    /// Titles that collate in interesting ways: umlauts, case, ties broken by the slug.
    const TITEL: &[&str] = &[
        "Öko", "Oase", "oben", "Zaun", "Ähre", "Abend", "Oase", "Ende",
    ];

    fn projekte(root: &std::path::Path, gelesen: &mut load::Gelesen) -> Vec<Document> {
        let loaded = load::load_mit(root, &[], gelesen);
        loaded
            .documents
            .into_iter()
            .filter(|d| d.kind == Kind::Projekt)
            .collect()
    }

    fn slugs(docs: &[Document], o: &gemerkt::Ordnung) -> Vec<String> {
        o.order.iter().map(|&i| docs[i].slug.clone()).collect()
    }

    /// Whatever changes between runs, the order kept from the previous run is the one a
    /// full sort gives.
    #[test]
    fn an_order_kept_between_runs_is_the_order_of_a_full_sort() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let schreiben = |n: usize, titel: &str, jahr: usize| {
            let pfad = root.join(format!("content/projekte/p{n:02}.md"));
            std::fs::create_dir_all(pfad.parent().unwrap()).unwrap();
            let text = format!(
                "---\ntitel: \"{titel}\"\njahr: {jahr}\nvon: {jahr}-01-0{}\n---\n",
                n % 3 + 1
            );
            std::fs::write(&pfad, text).unwrap();
            pfad
        };
        for n in 0..40 {
            schreiben(n, TITEL[n % TITEL.len()], 2020 + n % 4);
        }
        let mut gelesen = load::Gelesen::default();
        let docs = projekte(root, &mut gelesen);
        let mut ordnung = ordnen(Kind::Projekt, &docs, None);
        // A small generator of changes, the same in every run of the test.
        let mut zufall = 7usize;
        let mut naechste = |bis: usize| {
            zufall = zufall.wrapping_mul(1_103_515_245).wrapping_add(12_345) % (1 << 31);
            zufall % bis
        };
        // Rounds of 1 to 3 changed files, then one of many (a full sort).
        for runde in 0..30 {
            let wie_viele = if runde == 29 { 25 } else { 1 + runde % 3 };
            for _ in 0..wie_viele {
                let n = naechste(40);
                let pfad = schreiben(n, TITEL[naechste(TITEL.len())], 2020 + naechste(4));
                gelesen.vergessen(&pfad);
            }
            let docs = projekte(root, &mut gelesen);
            ordnung = ordnen(Kind::Projekt, &docs, Some(ordnung));
            let voll = ordnen(Kind::Projekt, &docs, None);
            assert_eq!(slugs(&docs, &ordnung), slugs(&docs, &voll), "round {runde}");
        }
    }
}
