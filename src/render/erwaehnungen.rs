//! Where each Vorlage is mentioned: the reverse of the links Markdown texts make to
//! Vorlagen (numbers in running text and links to a Vorlage's page or files, collected
//! per text by the Markdown renderer). Built once from the rendered texts, in one pass
//! over them, before the pages are rendered (in a build: before the pages other than the
//! projects', which render their own texts); the page of a Vorlage lists its entries
//! under "Erwähnt in".
//!
//! The content model has no field by which a project or forum names a Vorlage (a
//! Vorlage's own `stadtteile` and `ags` are shown in its metadata table), so texts are
//! the only source.

use super::Texts;
use super::markdown::Rendered;
use crate::model::{Ag, Forum, Id, Portal, Projekt, Seite, Stadtteil, Vorlage};

/// A text that mentions a Vorlage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fundstelle {
    Vorlage(Id<Vorlage>),
    Projekt(Id<Projekt>),
    Stadtteil(Id<Stadtteil>),
    Ag(Id<Ag>),
    /// The minutes of meeting `n` of an AG.
    Protokoll(Id<Ag>, usize),
    Forum(Id<Forum>),
    Seite(Id<Seite>),
    /// The introduction on the start page (`einleitung` in `portal.yaml`).
    Start,
}

/// Mentions by Vorlage index: grouped by kind (Vorlagen, projects, Stadtteile, AGs with
/// their minutes, forums, pages, start page), each kind in display order.
pub struct Erwaehnungen {
    nach_vorlage: Vec<Vec<Fundstelle>>,
}

impl Erwaehnungen {
    pub fn new(p: &Portal, texts: &Texts) -> Erwaehnungen {
        let mut nach_vorlage: Vec<Vec<Fundstelle>> = vec![Vec::new(); p.vorlagen.len()];
        let mut add = |r: &Rendered, f: Fundstelle| {
            for v in &r.vorlagen {
                // A Vorlage that names its own number does not mention itself.
                if f != Fundstelle::Vorlage(*v) {
                    nach_vorlage[v.index()].push(f);
                }
            }
        };
        for (i, r) in texts.vorlagen.iter().enumerate() {
            add(r, Fundstelle::Vorlage(Id::new(i)));
        }
        for (i, r) in texts.projekte.iter().enumerate() {
            add(r, Fundstelle::Projekt(Id::new(i)));
        }
        for (i, r) in texts.stadtteile.iter().enumerate() {
            add(r, Fundstelle::Stadtteil(Id::new(i)));
        }
        for (i, r) in texts.ags.iter().enumerate() {
            add(r, Fundstelle::Ag(Id::new(i)));
            let protokolle = texts.protokolle.get(i).into_iter().flatten().enumerate();
            for (n, r) in protokolle.filter_map(|(n, r)| Some((n, r.as_ref()?))) {
                add(r, Fundstelle::Protokoll(Id::new(i), n));
            }
        }
        for (i, r) in texts.foren.iter().enumerate() {
            add(r, Fundstelle::Forum(Id::new(i)));
        }
        for (i, r) in texts.seiten.iter().enumerate() {
            add(r, Fundstelle::Seite(Id::new(i)));
        }
        add(&texts.einleitung, Fundstelle::Start);
        Erwaehnungen { nach_vorlage }
    }

    /// Where the Vorlage `id` is mentioned.
    pub fn von(&self, id: Id<Vorlage>) -> &[Fundstelle] {
        self.nach_vorlage.get(id.index()).map_or(&[], Vec::as_slice)
    }
}
