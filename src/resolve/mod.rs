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
use serde_yaml::{Mapping, Value};

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
}

/// Reads and links all documents.
///
/// The portal is complete even when there were errors: an entity whose required field
/// is missing gets a stand-in value, so that the later stages can still report every
/// other problem of the run. Such a portal is never written (see [`crate::build`]).
pub fn resolve(config: Config, loaded: Loaded, options: &Options) -> (Portal, Vec<Diagnostic>) {
    resolve_mit(config, loaded, options, &mut Gemerkt::default())
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
        drafts: options.drafts,
        heute: options.heute,
    });
    let mut tables: HashMap<Kind, SlugTable> = HashMap::new();
    for kind in Kind::ALL {
        let docs = groups.remove(&kind).unwrap_or_default();
        let (docs, table) = select(kind, docs, options, &mut diags);
        let docs = sort(kind, docs, gemerkt);
        let mut table = table;
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
    cx.karte = karte::read(&config, &stadtteile, &dateien, &cx.dateien, &mut diags);
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
    index::check(&portal, &mut diags);
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
    let mut first_file: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::with_capacity(docs.len());
    for d in docs {
        if let Some(first) = first_file.get(&d.slug) {
            let hint = if d.slug_from_file {
                "Slugs müssen je Inhaltstyp eindeutig sein: benennen Sie eine der Dateien um."
            } else {
                "Slugs müssen je Inhaltstyp eindeutig sein: geben Sie dem Listeneintrag ein eigenes Feld 'slug'."
            };
            diags.push(
                Diagnostic::new(
                    Code::DoppelterSlug,
                    format!(
                        "{} '{}' gibt es doppelt: in {} und in {}",
                        kind.label(),
                        d.slug,
                        first,
                        d.file()
                    ),
                )
                .at(d.location())
                .hint(hint),
            );
            continue;
        }
        first_file.insert(d.slug.clone(), d.file().to_string());
        let fields = d.fields();
        if !options.drafts && fields.get("entwurf") == Some(&Value::Bool(true)) {
            table.exclude(&d.slug, Excluded::Entwurf);
            continue;
        }
        if kind == Kind::Vorlage && fields.get("oeffentlich") == Some(&Value::Bool(false)) {
            table.exclude(&d.slug, Excluded::NichtOeffentlich);
            continue;
        }
        kept.push(d);
    }
    (kept, table)
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
    fn of(kind: Kind, m: &Mapping) -> SortKey {
        let text = |k: &str| match m.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let int = |k: &str| i64::from_yaml(m.get(k).unwrap_or(&Value::Null)).ok();
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

/// Puts the documents of one type in the order residents read them; the order of the
/// previous run is kept when no sort key changed.
fn sort(kind: Kind, docs: Vec<Document>, gemerkt: &mut Gemerkt) -> Vec<Document> {
    let keys: Vec<(String, SortKey)> = docs
        .iter()
        .map(|d| (d.slug.clone(), SortKey::of(kind, d.fields())))
        .collect();
    let order = match gemerkt.ordnung.get(&kind) {
        Some(o) if o.keys == keys => o.order.clone(),
        _ => {
            let mut order: Vec<usize> = (0..docs.len()).collect();
            order.sort_by(|&a, &b| {
                let ((sa, ka), (sb, kb)) = (&keys[a], &keys[b]);
                ka.cmp(kb, kind).then_with(|| sa.cmp(sb))
            });
            gemerkt.ordnung.insert(
                kind,
                gemerkt::Ordnung {
                    keys,
                    order: order.clone(),
                },
            );
            order
        }
    };
    let mut slots: Vec<Option<Document>> = docs.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
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
        if fresh {
            neu.push((i, entity.clone(), found.clone()));
        }
        diags.extend(found);
        all.push(entity);
    }
    cache.update(docs, neu);
    all
}

/// Opens the fields of a document (loading made sure it is a mapping).
fn fields<'a>(d: &'a Document, sink: &'a Sink) -> Fields<'a> {
    Fields::of_mapping(&d.doc, d.path.clone(), d.fields(), sink)
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
        text: text.filter(|t| !t.text.trim().is_empty()),
    }
}

/// A Markdown text in a YAML field, remembering where it is for diagnostics.
fn markdown_field(f: &mut Fields<'_>, key: &'static str) -> Option<Markdown> {
    let text = f.opt::<String>(key)?;
    Some(Markdown {
        text: text.into(),
        file: f.doc().file.clone(),
        origin: TextOrigin::Field {
            doc: f.doc_arc(),
            path: f.path_of(key),
        },
    })
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
            .at(f.locate(key, Part::Value)),
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
