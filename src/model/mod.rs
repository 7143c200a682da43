//! The resolved portal: every entity with its references linked, ready to render.
//!
//! The model is built once by [`crate::resolve`] and only read afterwards. References
//! between entities are typed ids ([`Id`]) into the portal's vectors, so renderers never
//! look anything up by slug and a dangling reference cannot exist. Each vector is in the
//! order residents read it (Stadtteile by name, projects newest first, …).

mod ag;
mod datei;
mod forum;
mod karte;
mod projekt;
mod seite;
mod stadtteil;
mod vorlage;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use jiff::civil::Date;

pub use ag::{Ag, Kontakt, Protokoll, Sitzung};
pub use datei::{Anhang, Datei};
pub use forum::Forum;
pub use karte::{Karte, enthalten};
pub use projekt::{Bild, Foerderung, Koordinaten, Ort, Projekt, Status, Ziel};
pub use seite::Seite;
pub use stadtteil::{Sprechstunde, Stadtteil, Stadtteilmanagement, Wochentag};
pub use vorlage::{Art, Behandlung, Beratung, Vorlage, Vorlagennummer};

use crate::config::Config;
use crate::yaml::{Doc, Seg};

/// A typed index into one of the portal's entity vectors.
pub struct Id<T> {
    index: u32,
    _type: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    pub(crate) fn new(index: usize) -> Self {
        Id {
            index: u32::try_from(index).expect("fewer than 2^32 entities"),
            _type: PhantomData,
        }
    }

    pub fn index(self) -> usize {
        self.index as usize
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index.cmp(&other.index)
    }
}
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}

/// A content file as read from disk, shared by all entities it defines.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (`content/projekte/x.md`).
    pub rel: String,
    /// The file's text (without a byte order mark).
    pub text: String,
}

/// Where a Markdown text sits in its source file, to point diagnostics at it.
#[derive(Debug, Clone)]
pub enum TextOrigin {
    /// The body of a `.md` file: the rest of the file from this byte. Not copied: the
    /// file's text is kept anyway (for diagnostics and to see what changed), and a copy
    /// of every body was an eighth of a build's memory.
    Exact { offset: usize },
    /// A YAML field, found by its path when a diagnostic needs a line: most texts never
    /// do, and looking it up costs a second read of the YAML. Its value is held as read
    /// (unescaped, so not a slice of the file).
    Field {
        doc: Arc<Doc>,
        path: Vec<Seg>,
        text: Arc<str>,
    },
}

/// A Markdown text and where it came from.
#[derive(Debug, Clone)]
pub struct Markdown {
    pub file: Arc<SourceFile>,
    pub origin: TextOrigin,
}

impl Markdown {
    /// The Markdown source (empty after [`Portal::texte_freigeben`]).
    pub fn text(&self) -> &str {
        match &self.origin {
            TextOrigin::Exact { offset } => self.file.text.get(*offset..).unwrap_or_default(),
            TextOrigin::Field { text, .. } => text,
        }
    }
}

/// What every entity has besides its own fields.
#[derive(Debug, Clone)]
pub struct Meta {
    pub slug: String,
    pub quelle: Arc<SourceFile>,
    /// Fictional example record: every page showing it says so.
    pub beispiel: bool,
    /// Only ever true when drafts were asked for (`--drafts`).
    pub entwurf: bool,
    /// The Markdown body (`text` in YAML entities).
    pub text: Option<Markdown>,
}

/// An amount in euro, kept in cents so sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Euro(i64);

impl Euro {
    pub fn from_cents(cents: i64) -> Self {
        Euro(cents)
    }
    pub fn cents(self) -> i64 {
        self.0
    }
}

/// Saturating: each amount is below a trillion euro, but a portal may hold any number
/// of them, and a total must never wrap around or panic.
impl std::iter::Sum for Euro {
    fn sum<I: Iterator<Item = Euro>>(iter: I) -> Self {
        Euro(iter.fold(0, |summe, e| summe.saturating_add(e.0)))
    }
}

/// Cross-references computed once, so pages never search the model.
#[derive(Debug, Default)]
pub struct Index {
    pub ags_by_stadtteil: Vec<Vec<Id<Ag>>>,
    pub projekte_by_stadtteil: Vec<Vec<Id<Projekt>>>,
    pub projekte_by_ag: Vec<Vec<Id<Projekt>>>,
    pub foren_by_stadtteil: Vec<Vec<Id<Forum>>>,
    pub vorlagen_by_stadtteil: Vec<Vec<Id<Vorlage>>>,
    pub vorlagen_by_ag: Vec<Vec<Id<Vorlage>>>,
    /// Funding years, newest first, with their projects (newest first).
    pub projekte_by_jahr: BTreeMap<i32, Vec<Id<Projekt>>>,
    /// Published Vorlagen by their canonical number (`I0264/09`).
    pub vorlage_by_nummer: HashMap<String, Id<Vorlage>>,
    pub seite_by_slug: HashMap<String, Id<Seite>>,
}

/// The whole portal, resolved.
#[derive(Debug)]
pub struct Portal {
    pub config: Config,
    /// The day the build considers "today" (for upcoming dates).
    pub heute: Date,
    pub stadtteile: Vec<Arc<Stadtteil>>,
    pub ags: Vec<Arc<Ag>>,
    pub projekte: Vec<Arc<Projekt>>,
    pub foren: Vec<Arc<Forum>>,
    pub vorlagen: Vec<Arc<Vorlage>>,
    pub seiten: Vec<Arc<Seite>>,
    pub dateien: Vec<Datei>,
    /// The Stadtteil boundaries, when `portal.yaml` names a file (`karte.grenzen`).
    pub karte: Option<Karte>,
    pub index: Index,
    /// When each source file last changed (from git; empty for `check`).
    pub staende: std::sync::Arc<crate::stand::Staende>,
}

/// Entities that live in one of the portal's vectors.
///
/// Most entities sit behind an `Arc`, so that `serve` can hand the entities of unchanged
/// documents from one portal to the next without copying them.
pub trait Entity: Sized {
    /// How many there are.
    fn count(portal: &Portal) -> usize;
    /// The entity at this place in display order.
    fn get(portal: &Portal, index: usize) -> &Self;
}

macro_rules! entity {
    ($t:ty, $field:ident) => {
        impl Entity for $t {
            fn count(portal: &Portal) -> usize {
                portal.$field.len()
            }
            fn get(portal: &Portal, index: usize) -> &Self {
                &portal.$field[index]
            }
        }
    };
}
entity!(Stadtteil, stadtteile);
entity!(Ag, ags);
entity!(Projekt, projekte);
entity!(Forum, foren);
entity!(Vorlage, vorlagen);
entity!(Seite, seiten);
entity!(Datei, dateien);

impl<T: Entity> std::ops::Index<Id<T>> for Portal {
    type Output = T;
    fn index(&self, id: Id<T>) -> &T {
        T::get(self, id.index())
    }
}

impl Portal {
    /// All ids of an entity type, in display order.
    pub fn ids<T: Entity>(&self) -> impl Iterator<Item = Id<T>> + use<T> {
        (0..T::count(self)).map(Id::new)
    }

    /// Lets go of the content files' texts (also where texts from YAML fields point into
    /// their YAML document, which holds its file): a build needs them no more once its
    /// Markdown texts are rendered, and they are some 300 MB at 100,000 projects. Every
    /// entity keeps the path of its file; its text is empty from now on
    /// ([`Markdown::text`]). An entity shared with another portal (`serve` hands
    /// unchanged ones on) keeps its text.
    pub fn texte_freigeben(&mut self) {
        // Entities of one file share one empty stand-in, as they shared the file.
        let mut leer: HashMap<*const SourceFile, Arc<SourceFile>> = HashMap::new();
        let mut ersatz = |f: &Arc<SourceFile>| {
            leer.entry(Arc::as_ptr(f))
                .or_insert_with(|| {
                    Arc::new(SourceFile {
                        rel: f.rel.clone(),
                        text: String::new(),
                    })
                })
                .clone()
        };
        let mut freigeben = |meta: &mut Meta| {
            meta.quelle = ersatz(&meta.quelle);
            if let Some(text) = &mut meta.text {
                text.file = ersatz(&text.file);
                text.origin = TextOrigin::Exact { offset: 0 };
            }
        };
        fn alle<T>(
            entities: &mut [Arc<T>],
            meta: impl Fn(&mut T) -> &mut Meta,
            f: &mut impl FnMut(&mut Meta),
        ) {
            for e in entities.iter_mut().filter_map(Arc::get_mut) {
                f(meta(e));
            }
        }
        alle(&mut self.stadtteile, |x| &mut x.meta, &mut freigeben);
        alle(&mut self.ags, |x| &mut x.meta, &mut freigeben);
        alle(&mut self.projekte, |x| &mut x.meta, &mut freigeben);
        alle(&mut self.foren, |x| &mut x.meta, &mut freigeben);
        alle(&mut self.vorlagen, |x| &mut x.meta, &mut freigeben);
        alle(&mut self.seiten, |x| &mut x.meta, &mut freigeben);
    }
}
