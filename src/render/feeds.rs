//! Atom feeds (RFC 4287) of new projects, forums and Vorlagen: `/feed.xml` for the whole
//! portal and `/stadtteile/{slug}/feed.xml` per Stadtteil; and the crawler files
//! `/sitemap.xml` and `/robots.txt`.
//!
//! Rust chooses and dates the entries; the theme's templates (`feed.xml`, `sitemap.xml`,
//! `robots.txt`) write them, escaped as XML, like every other output.

use std::cmp::Reverse;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use super::{Content, Cx, Output, Page, Theme, format, routes};
use crate::diagnostics::Diagnostic;
use crate::model::{Forum, Id, Portal, Projekt, Stadtteil, Vorlage};

/// How many entries a feed carries: enough for a reader that checks weekly.
const EINTRAEGE: usize = 50;

#[derive(Serialize)]
struct FeedView {
    titel: String,
    untertitel: Option<String>,
    /// The feed's own absolute URL, also its id.
    selbst: String,
    /// The page the feed belongs to.
    seite: String,
    aktualisiert: String,
    autor: String,
    eintraege: Vec<Eintrag>,
}

#[derive(Serialize)]
struct Eintrag {
    /// A tag URI (RFC 4151) from the entity's kind, slug and date: stable even if the
    /// portal moves to another address.
    id: String,
    titel: String,
    url: String,
    aktualisiert: String,
    kategorie: &'static str,
    zusammenfassung: String,
    /// A made-up example record: the theme says so in the entry, as every page does.
    beispiel: bool,
    #[serde(skip)]
    datum: Date,
}

/// What an entry says besides its id and date, which come from its [`Kandidat`].
struct Inhalt {
    titel: String,
    url: String,
    kategorie: &'static str,
    zusammenfassung: String,
    beispiel: bool,
}

/// The date an entry counts from: one about the future (a forum next month) is news of
/// today.
fn stand(datum: Date, heute: Date) -> Date {
    datum.min(heute)
}

/// A project counts from its start, else its end, else the start of its year.
fn projekt_datum(p: &Projekt) -> Date {
    p.von
        .or(p.bis)
        .or_else(|| Date::new(i16::try_from(p.jahr).ok()?, 1, 1).ok())
        .unwrap_or_default()
}

fn projekt(cx: &Cx, id: Id<Projekt>) -> Inhalt {
    Inhalt {
        titel: cx.portal[id].titel.clone(),
        url: cx.absolute(&routes::projekt(cx.portal, id)),
        kategorie: "Projekt",
        zusammenfassung: cx.texts.projekt(id).teaser.clone(),
        beispiel: cx.portal[id].meta.beispiel,
    }
}

fn forum(cx: &Cx, id: Id<Forum>) -> Inhalt {
    let f = &cx.portal[id];
    let wann = super::format::datum_lang(f.datum);
    let wo = f
        .ort
        .as_deref()
        .map(|o| format!(", {o}"))
        .unwrap_or_default();
    Inhalt {
        titel: f.titel.clone(),
        url: cx.absolute(&routes::forum(cx.portal, id)),
        kategorie: "Stadtteilforum",
        zusammenfassung: format!("{wann}{wo}"),
        beispiel: f.meta.beispiel,
    }
}

fn vorlage(cx: &Cx, id: Id<Vorlage>) -> Inhalt {
    let v = &cx.portal[id];
    Inhalt {
        titel: format!("{} {}: {}", v.art.bezeichnung(), v.nummer, v.thema),
        url: cx.absolute(&routes::vorlage(cx.portal, id)),
        kategorie: "Vorlage",
        zusammenfassung: v.thema.clone(),
        beispiel: v.meta.beispiel,
    }
}

/// What a feed may carry, before it becomes an entry.
#[derive(Clone, Copy)]
enum Kandidat {
    Projekt(Id<Projekt>),
    Forum(Id<Forum>),
    Vorlage(Id<Vorlage>),
}

impl Kandidat {
    /// The date it is about, its kind and its slug: what its entry's id is made of.
    fn schluessel(self, p: &Portal) -> (Date, &'static str, &str) {
        match self {
            Kandidat::Projekt(id) => (projekt_datum(&p[id]), "projekt", &p[id].meta.slug),
            Kandidat::Forum(id) => (p[id].datum, "forum", &p[id].meta.slug),
            Kandidat::Vorlage(id) => (p[id].datum, "vorlage", &p[id].meta.slug),
        }
    }

    fn eintrag(self, cx: &Cx) -> Eintrag {
        let (datum, art, slug) = self.schluessel(cx.portal);
        let inhalt = match self {
            Kandidat::Projekt(id) => projekt(cx, id),
            Kandidat::Forum(id) => forum(cx, id),
            Kandidat::Vorlage(id) => vorlage(cx, id),
        };
        let stand = stand(datum, cx.portal.heute);
        Eintrag {
            id: format!(
                "tag:{},{datum}:{art}/{slug}",
                cx.portal.config.base_url.host()
            ),
            titel: inhalt.titel,
            url: inhalt.url,
            aktualisiert: format::zeitpunkt(stand, None),
            kategorie: inhalt.kategorie,
            zusammenfassung: inhalt.zusammenfassung,
            beispiel: inhalt.beispiel,
            datum: stand,
        }
    }
}

/// The entries of a feed: the [`EINTRAEGE`] newest candidates, newest first, those of
/// the same day in the order of their ids (`tag:host,date:kind/slug`). Only those become
/// entries: the feed of a portal with 100,000 projects chooses 50 of them.
fn neueste(cx: &Cx, kandidaten: impl Iterator<Item = Kandidat>) -> Vec<Eintrag> {
    let heute = cx.portal.heute;
    let mut gewaehlt: Vec<_> = kandidaten
        .map(|k| {
            let (datum, art, slug) = k.schluessel(cx.portal);
            ((Reverse(stand(datum, heute)), datum, art, slug), k)
        })
        .collect();
    if gewaehlt.len() > EINTRAEGE {
        gewaehlt.select_nth_unstable_by(EINTRAEGE - 1, |a, b| a.0.cmp(&b.0));
        gewaehlt.truncate(EINTRAEGE);
    }
    gewaehlt.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    gewaehlt.into_iter().map(|(_, k)| k.eintrag(cx)).collect()
}

fn feed(cx: &Cx, titel: String, pfad: &str, seite: &str, eintraege: Vec<Eintrag>) -> FeedView {
    let config = &cx.portal.config;
    FeedView {
        titel,
        untertitel: config.beschreibung.clone(),
        selbst: cx.absolute(pfad),
        seite: cx.absolute(seite),
        // An empty feed is as old as its newest possible news: today.
        aktualisiert: format::zeitpunkt(
            eintraege.first().map_or(cx.portal.heute, |e| e.datum),
            None,
        ),
        autor: config.stadt.clone(),
        eintraege,
    }
}

fn xml(
    theme: &Theme,
    template: &str,
    path: String,
    data: &impl Serialize,
) -> Result<Output, Box<Diagnostic>> {
    let context = tera::Context::from_serialize(data).unwrap_or_default();
    Ok(Output {
        path,
        content: Content::Bytes(theme.render(template, &context)?),
    })
}

/// The feeds of the portal and of every Stadtteil.
pub fn outputs(cx: &Cx, theme: &Theme) -> (Vec<Output>, Vec<Diagnostic>) {
    let p = cx.portal;
    let portal = || {
        let alle = p
            .ids::<Projekt>()
            .map(Kandidat::Projekt)
            .chain(p.ids::<Forum>().map(Kandidat::Forum))
            .chain(p.ids::<Vorlage>().map(Kandidat::Vorlage));
        let view = feed(
            cx,
            p.config.titel.clone(),
            routes::FEED,
            routes::START,
            neueste(cx, alle),
        );
        xml(theme, "feed.xml", routes::FEED.to_string(), &view)
    };
    let stadtteil = |s: Id<Stadtteil>| {
        let i = s.index();
        let kandidaten = p.index.projekte_by_stadtteil[i]
            .iter()
            .map(|id| Kandidat::Projekt(*id))
            .chain(
                p.index.foren_by_stadtteil[i]
                    .iter()
                    .map(|id| Kandidat::Forum(*id)),
            )
            .chain(
                p.index.vorlagen_by_stadtteil[i]
                    .iter()
                    .map(|id| Kandidat::Vorlage(*id)),
            );
        let pfad = routes::stadtteil_feed(p, s);
        let view = feed(
            cx,
            format!("{} – {}", p[s].name, p.config.titel),
            &pfad,
            &routes::stadtteil(p, s),
            neueste(cx, kandidaten),
        );
        xml(theme, "feed.xml", pfad, &view)
    };
    let mut ergebnisse = vec![portal()];
    ergebnisse.par_extend(
        p.ids::<Stadtteil>()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(stadtteil),
    );
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for e in ergebnisse {
        match e {
            Ok(o) => out.push(o),
            // One broken template fails every feed alike: it is reported once.
            Err(d) if diags.is_empty() => diags.push(*d),
            Err(_) => {}
        }
    }
    (out, diags)
}

pub fn pfade(p: &crate::model::Portal) -> Vec<String> {
    let mut out = vec![
        routes::FEED.to_string(),
        routes::SITEMAP.to_string(),
        routes::ROBOTS.to_string(),
    ];
    out.extend(p.ids::<Stadtteil>().map(|s| routes::stadtteil_feed(p, s)));
    out
}

#[derive(Serialize)]
struct Sitemap {
    urls: Vec<String>,
    sitemap: String,
}

/// `sitemap.xml` with every page but the error page, and `robots.txt` pointing to it.
pub fn crawler(cx: &Cx, theme: &Theme, plan: &[Page]) -> (Vec<Output>, Vec<Diagnostic>) {
    let data = Sitemap {
        urls: plan
            .iter()
            .filter(|p| !matches!(p, Page::NichtGefunden) && !p.erfunden(cx.portal))
            .map(|p| cx.absolute(&p.path(cx.portal)))
            .collect(),
        sitemap: cx.absolute(routes::SITEMAP),
    };
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (template, pfad) in [
        ("sitemap.xml", routes::SITEMAP),
        ("robots.txt", routes::ROBOTS),
    ] {
        match xml(theme, template, pfad.to_string(), &data) {
            Ok(o) => out.push(o),
            Err(d) => diags.push(*d),
        }
    }
    (out, diags)
}
