//! What an earlier run of [`super::resolve_mit`] worked out, for `serve`.
//!
//! Reading an entity field by field is a pure function of its document and of the
//! [`super::Context`] (the Stadtteil and AG tables, the files, the boundaries). While the
//! documents that make up the context stay the very same (`Arc`-identical, as
//! [`crate::load::Gelesen`] keeps unchanged files), an entity whose document is also the
//! same reads to the same result, and has the same sort key, so only the changed
//! documents of a type are put in their place again ([`Ordnung`]). The entities are kept
//! behind an `Arc` that every portal shares: one edited project then costs one entity read
//! instead of ten thousand, and copies none of the others.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use jiff::civil::Date;
use rayon::prelude::*;

use super::SortKey;
use crate::diagnostics::Diagnostic;
use crate::load::{Document, Kind};
use crate::model::{Ag, Datei, Forum, Projekt, Seite, Stadtteil, Vorlage};
use crate::yaml::{Doc, Seg};

/// The identity of a document: its parsed file and its place in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct DocKey(usize, Vec<Seg>);

impl DocKey {
    pub(super) fn of(d: &Document) -> DocKey {
        DocKey(Arc::as_ptr(&d.doc) as usize, d.path.clone())
    }
}

/// Everything an entity read depends on besides its own document.
#[derive(Debug, PartialEq)]
pub(super) struct Kontext {
    pub stadtteile: Vec<DocKey>,
    pub ags: Vec<DocKey>,
    pub dateien: Vec<Datei>,
    pub grenzen: Option<String>,
    pub defekt: Vec<(Kind, String)>,
    pub drafts: bool,
    pub heute: Date,
}

/// Entities read before, by the document they were read from.
pub(super) struct Cache<T> {
    eintraege: HashMap<DocKey, Eintrag<T>>,
    /// Counts the runs, to tell the entries a run used from those of documents gone.
    lauf: u64,
}

struct Eintrag<T> {
    /// Keeps the document alive, so that no other document can get its address.
    _doc: Arc<Doc>,
    /// Shared with every portal that has it: a run clones no entity.
    entity: Arc<T>,
    diags: Vec<Diagnostic>,
    /// The last run that used the entry.
    lauf: AtomicU64,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache {
            eintraege: HashMap::new(),
            lauf: 0,
        }
    }
}

impl<T> Cache<T> {
    pub(super) fn get(&self, d: &Document) -> Option<(Arc<T>, Vec<Diagnostic>)> {
        self.eintraege.get(&DocKey::of(d)).map(|e| {
            e.lauf.store(self.lauf, AtomicOrdering::Relaxed);
            (e.entity.clone(), e.diags.clone())
        })
    }

    /// Remembers the entities of this run and forgets those of documents that are gone.
    ///
    /// Every document of the run has been looked up with [`Cache::get`] before, which
    /// marks its entry as used by this run; what the run did not use is forgotten.
    pub(super) fn update(&mut self, docs: &[Document], neu: Vec<(usize, Arc<T>, Vec<Diagnostic>)>) {
        for (i, entity, diags) in neu {
            let d = &docs[i];
            self.eintraege.insert(
                DocKey::of(d),
                Eintrag {
                    _doc: d.doc.clone(),
                    entity,
                    diags,
                    lauf: AtomicU64::new(self.lauf),
                },
            );
        }
        let lauf = self.lauf;
        self.eintraege
            .retain(|_, e| e.lauf.load(AtomicOrdering::Relaxed) == lauf);
        self.lauf += 1;
    }

    fn clear(&mut self) {
        self.eintraege.clear();
    }
}

/// The order of one type: the documents it was computed for and their sort keys, both in
/// load order, and the resulting permutation.
///
/// A document that is the same as before (the same `Arc`, the same place in it) has the
/// same sort key, so a run looks only at the documents that changed: each whose key
/// changed is taken out of the order and put back where it now belongs. As documents of
/// one type have unique slugs, the order is total and this gives exactly the order a
/// full sort gives.
pub(super) struct Ordnung {
    /// Keeps the documents alive, so that no other document can get their addresses.
    pub docs: Vec<(Arc<Doc>, Vec<Seg>)>,
    pub keys: Vec<(String, SortKey)>,
    pub order: Vec<usize>,
}

impl Ordnung {
    /// Whether `d` is the document at `i` when the order was computed.
    pub(super) fn gleich(&self, i: usize, d: &Document) -> bool {
        self.docs
            .get(i)
            .is_some_and(|(doc, path)| Arc::ptr_eq(doc, &d.doc) && *path == d.path)
    }
}

/// See the module documentation. `Gemerkt::default()` remembers nothing, which makes
/// [`super::resolve_mit`] read everything, as a build does.
#[derive(Default)]
pub struct Gemerkt {
    pub(super) kontext: Option<Kontext>,
    pub(super) ordnung: HashMap<Kind, Ordnung>,
    pub(super) stadtteile: Cache<Stadtteil>,
    pub(super) ags: Cache<Ag>,
    pub(super) projekte: Cache<Projekt>,
    pub(super) foren: Cache<Forum>,
    pub(super) vorlagen: Cache<Vorlage>,
    pub(super) seiten: Cache<Seite>,
}

impl Gemerkt {
    /// Forgets every entity read (not the orders, which depend only on sort keys): for a
    /// change that the documents do not show, such as a new boundaries file.
    pub fn vergessen(&mut self) {
        self.kontext = None;
        self.stadtteile.clear();
        self.ags.clear();
        self.projekte.clear();
        self.foren.clear();
        self.vorlagen.clear();
        self.seiten.clear();
    }

    /// Lets go of everything remembered, on all cores: the orders hold the last
    /// references to every document's YAML (a gigabyte at 100,000 projects), which one
    /// core took a third of a second to free.
    pub(super) fn freigeben(mut self) {
        let ordnung = std::mem::take(&mut self.ordnung);
        drop(self);
        ordnung
            .into_par_iter()
            .for_each(|(_, o)| o.docs.into_par_iter().for_each(drop));
    }

    /// Keeps the entities read before only if they were read in the same context.
    pub(super) fn kontext(&mut self, kontext: Kontext) {
        if self.kontext.as_ref() != Some(&kontext) {
            self.vergessen();
            self.kontext = Some(kontext);
        }
    }
}
