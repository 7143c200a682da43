use serde::Serialize;

use super::Built;
use crate::model::{Ag, Forum, Id, Projekt, Vorlage};
use crate::render::karte::{self, KarteView};
use crate::render::views::{
    TerminView, VorlageKurz, kommende_termine, mit_beispiel, summen, vorlage_kurz,
};
use crate::render::{Cx, format, routes};

#[derive(Serialize)]
struct Start {
    einleitung: Option<String>,
    karte: Option<KarteView>,
    termine: Vec<TerminView>,
    projekte: Vec<tera::Value>,
    vorlagen: Vec<VorlageKurz>,
    zahlen: Zahlen,
    links: Links,
}

/// The portal in figures, for the start page.
#[derive(Serialize)]
struct Zahlen {
    stadtteile: usize,
    ags: usize,
    projekte: String,
    /// `None` where no project has the figure: an unknown total is not 0.
    foerdersumme: Option<String>,
    beteiligte: Option<String>,
    jahre: Option<String>,
}

#[derive(Serialize)]
struct Links {
    projekte: String,
    karte: String,
    termine: String,
    vorlagen: String,
    stadtteile: String,
}

const NEUESTE_PROJEKTE: usize = 6;
const NAECHSTE_TERMINE: usize = 5;
const NEUESTE_VORLAGEN: usize = 3;

pub fn build(cx: &Cx) -> Built {
    let p = cx.portal;
    let ags: Vec<Id<Ag>> = p.ids().collect();
    let foren: Vec<Id<Forum>> = p.ids().collect();
    let mut termine = kommende_termine(cx, &ags, &foren);
    termine.truncate(NAECHSTE_TERMINE);
    let neueste: Vec<Id<Projekt>> = p.ids().take(NEUESTE_PROJEKTE).collect();
    let projekte: Vec<tera::Value> = neueste.iter().map(|id| cx.projekt_eintrag(*id)).collect();
    let vorlagen: Vec<VorlageKurz> = p
        .ids::<Vorlage>()
        .take(NEUESTE_VORLAGEN)
        .map(|id| vorlage_kurz(cx, id))
        .collect();
    let alle: Vec<Id<Projekt>> = p.ids().collect();
    let summen = summen(p, &alle);
    let jahre = match (
        p.index.projekte_by_jahr.keys().next(),
        p.index.projekte_by_jahr.keys().next_back(),
    ) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}–{b}")),
        (Some(a), _) => Some(a.to_string()),
        _ => None,
    };
    let beispiel = mit_beispiel(p, &neueste)
        || termine.iter().any(|t| t.beispiel)
        || vorlagen.iter().any(|v| v.beispiel);
    let data = Start {
        karte: p.karte.as_ref().map(|k| karte::uebersicht(cx, k)),
        einleitung: Some(cx.texts.einleitung.html.clone()).filter(|h| !h.is_empty()),
        termine,
        projekte,
        vorlagen,
        zahlen: Zahlen {
            stadtteile: p.stadtteile.len(),
            ags: p.ags.len(),
            projekte: format::zahl(p.projekte.len() as u64),
            foerdersumme: summen.hat_foerdersumme.then_some(summen.foerdersumme),
            beteiligte: summen.hat_beteiligte.then_some(summen.beteiligte),
            jahre,
        },
        links: Links {
            projekte: cx.href(routes::PROJEKTE),
            karte: cx.href(routes::KARTE),
            termine: cx.href(routes::TERMINE),
            vorlagen: cx.href(routes::VORLAGEN),
            stadtteile: cx.href(routes::STADTTEILE),
        },
    };
    Built::new("index.html", p.config.titel.clone(), "start", &data)
        .beispiel(beispiel)
        .code(cx.texts.einleitung.hat_code)
}
