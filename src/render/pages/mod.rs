//! The HTML pages of section 4 of the content model, one module per kind of page.
//!
//! Each module builds the data its template shows; [`render`] adds what every page has
//! (title, breadcrumbs, example notice) and runs the template.

mod ags;
mod daten;
mod foren;
mod karte;
mod projekte;
mod seiten;
mod stadtteile;
mod start;
mod suche;
mod termine;
mod vorlagen;

use serde::Serialize;

use super::views::{DatumView, Link};
use super::{Cx, Theme, routes};
use crate::diagnostics::Diagnostic;
use crate::model::{Ag, Forum, Id, Meta, Portal, Projekt, Seite, Stadtteil, Vorlage};

/// One page of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Start,
    Stadtteile,
    Stadtteil(Id<Stadtteil>),
    Ags,
    Ag(Id<Ag>),
    Projekte,
    Karte,
    Jahr(i32),
    Projekt(Id<Projekt>),
    Foren,
    Forum(Id<Forum>),
    Vorlagen,
    Vorlage(Id<Vorlage>),
    Termine,
    Daten,
    Suche,
    Seite(Id<Seite>),
    NichtGefunden,
}

impl Page {
    /// Whether the page is about a made-up record (`beispiel: true`). Search engines are
    /// told nothing about it: no JSON-LD, `noindex`, not in the sitemap. A search result
    /// shows it without the page's note, and an invented meeting would look like one the
    /// city organises. A Stadtteil is a real place even where its record holds made-up
    /// details, so its page stays listed.
    pub fn erfunden(self, p: &Portal) -> bool {
        match self {
            Page::Ag(id) => p[id].meta.beispiel,
            Page::Projekt(id) => p[id].meta.beispiel,
            Page::Forum(id) => p[id].meta.beispiel,
            Page::Vorlage(id) => p[id].meta.beispiel,
            Page::Seite(id) => p[id].meta.beispiel,
            _ => false,
        }
    }

    /// The page's path relative to the site root (`stadtteile/x/`, `404.html`).
    pub fn path(self, p: &Portal) -> String {
        match self {
            Page::Start => routes::START.into(),
            Page::Stadtteile => routes::STADTTEILE.into(),
            Page::Stadtteil(id) => routes::stadtteil(p, id),
            Page::Ags => routes::AGS.into(),
            Page::Ag(id) => routes::ag(p, id),
            Page::Projekte => routes::PROJEKTE.into(),
            Page::Karte => routes::KARTE.into(),
            Page::Jahr(j) => routes::jahr(j),
            Page::Projekt(id) => routes::projekt(p, id),
            Page::Foren => routes::FOREN.into(),
            Page::Forum(id) => routes::forum(p, id),
            Page::Vorlagen => routes::VORLAGEN.into(),
            Page::Vorlage(id) => routes::vorlage(p, id),
            Page::Termine => routes::TERMINE.into(),
            Page::Daten => routes::DATEN.into(),
            Page::Suche => routes::SUCHE.into(),
            Page::Seite(id) => routes::seite(p, id),
            Page::NichtGefunden => "404.html".into(),
        }
    }
}

/// Every page the portal has.
pub fn plan(p: &Portal) -> Vec<Page> {
    let mut pages = vec![
        Page::Start,
        Page::Stadtteile,
        Page::Ags,
        Page::Projekte,
        Page::Karte,
        Page::Foren,
        Page::Vorlagen,
        Page::Termine,
        Page::Daten,
        Page::Suche,
        Page::NichtGefunden,
    ];
    pages.extend(p.ids().map(Page::Stadtteil));
    pages.extend(p.ids().map(Page::Ag));
    pages.extend(p.index.projekte_by_jahr.keys().map(|j| Page::Jahr(*j)));
    pages.extend(p.ids().map(Page::Projekt));
    pages.extend(p.ids().map(Page::Forum));
    pages.extend(p.ids().map(Page::Vorlage));
    pages.extend(p.ids().map(Page::Seite));
    pages
}

/// What every page has, besides its own data.
#[derive(Serialize)]
pub struct SeitenInfo {
    /// The page's `h1` and the first part of its `<title>`.
    pub titel: String,
    /// For `<meta name="description">`.
    pub beschreibung: String,
    /// The page's own URL (under the base path) and its absolute URL.
    pub url: String,
    pub kanonisch: String,
    /// The section of the main navigation the page belongs to.
    pub bereich: String,
    /// The way from the start page to this page (without the page itself).
    pub brotkrumen: Vec<Link>,
    /// The page shows fictional example records.
    pub beispiel: bool,
    /// The page is about one ([`Page::erfunden`]): `<meta name="robots" content="noindex">`.
    pub nicht_indexieren: bool,
    /// The page has highlighted code (links `code.css`).
    pub hat_code: bool,
    /// "Diese Seite bearbeiten" link, where the portal has `bearbeiten_url`.
    pub bearbeiten: Option<String>,
    /// "Stand": the last change of the page's source file (of all content for pages that
    /// gather many entities), from the git history.
    pub stand: Option<DatumView>,
    /// schema.org JSON-LD, ready for a script element.
    pub jsonld: Option<String>,
    /// The Atom feed that fits the page (its Stadtteil's, else the portal's).
    pub feed: Link,
}

/// A page's template, its data and what `render` needs to complete `seite`.
pub struct Built {
    pub template: &'static str,
    pub titel: String,
    pub beschreibung: Option<String>,
    pub bereich: String,
    pub brotkrumen: Vec<Link>,
    pub beispiel: bool,
    pub hat_code: bool,
    pub quelle: Option<String>,
    pub jsonld: Option<String>,
    pub feed: Option<Link>,
    pub data: tera::Context,
    pub diagnostics: Vec<Diagnostic>,
}

impl Built {
    pub fn new(
        template: &'static str,
        titel: impl Into<String>,
        bereich: impl Into<String>,
        data: &impl Serialize,
    ) -> Self {
        Built {
            template,
            titel: titel.into(),
            beschreibung: None,
            bereich: bereich.into(),
            brotkrumen: Vec::new(),
            beispiel: false,
            hat_code: false,
            quelle: None,
            jsonld: None,
            feed: None,
            data: tera::Context::from_serialize(data).unwrap_or_default(),
            diagnostics: Vec::new(),
        }
    }

    pub fn crumbs(mut self, crumbs: Vec<Link>) -> Self {
        self.brotkrumen = crumbs;
        self
    }

    pub fn beispiel(mut self, beispiel: bool) -> Self {
        self.beispiel |= beispiel;
        self
    }

    pub fn beschreibung(mut self, text: &str) -> Self {
        if !text.is_empty() {
            self.beschreibung = Some(text.to_string());
        }
        self
    }

    /// Marks the page as showing `meta`'s entity (its source, its example flag).
    pub fn entity(mut self, meta: &Meta) -> Self {
        self.quelle = Some(meta.quelle.rel.clone());
        self.beispiel |= meta.beispiel;
        self
    }

    pub fn jsonld(mut self, jsonld: Option<String>) -> Self {
        self.jsonld = jsonld;
        self
    }

    /// The page has a feed of its own (a Stadtteil's).
    pub fn feed(mut self, titel: String, url: String) -> Self {
        self.feed = Some(Link { titel, url });
        self
    }

    pub fn code(mut self, hat_code: bool) -> Self {
        self.hat_code |= hat_code;
        self
    }
}

/// Renders one page to the bytes of its HTML file.
pub fn render(
    cx: &Cx,
    theme: &Theme,
    page: &Page,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Box<Diagnostic>> {
    let built = match *page {
        Page::Start => start::build(cx),
        Page::Stadtteile => stadtteile::liste(cx),
        Page::Stadtteil(id) => stadtteile::seite(cx, id),
        Page::Ags => ags::liste(cx),
        Page::Ag(id) => ags::seite(cx, id),
        Page::Projekte => projekte::liste(cx),
        Page::Karte => karte::build(cx),
        Page::Jahr(j) => projekte::jahr(cx, j),
        Page::Projekt(id) => projekte::seite(cx, id),
        Page::Foren => foren::liste(cx),
        Page::Forum(id) => foren::seite(cx, id),
        Page::Vorlagen => vorlagen::liste(cx),
        Page::Vorlage(id) => vorlagen::seite(cx, id),
        Page::Termine => termine::build(cx),
        Page::Daten => daten::build(cx),
        Page::Suche => suche::build(cx),
        Page::Seite(id) => seiten::seite(cx, id),
        Page::NichtGefunden => seiten::nicht_gefunden(cx),
    };
    let path = page.path(cx.portal);
    let config = &cx.portal.config;
    let erfunden = page.erfunden(cx.portal);
    let seite = SeitenInfo {
        beschreibung: built
            .beschreibung
            .or_else(|| config.beschreibung.clone())
            .unwrap_or_else(|| config.titel.clone()),
        titel: built.titel,
        url: cx.href(&path),
        kanonisch: cx.absolute(&path),
        bereich: built.bereich,
        brotkrumen: built.brotkrumen,
        beispiel: built.beispiel,
        nicht_indexieren: erfunden,
        hat_code: built.hat_code,
        bearbeiten: match (&config.bearbeiten_url, &built.quelle) {
            (Some(template), Some(quelle)) => Some(template.replace("{pfad}", quelle)),
            _ => None,
        },
        stand: match &built.quelle {
            Some(quelle) => cx.portal.staende.datei(quelle),
            None => cx.portal.staende.neuester(),
        }
        .map(DatumView::new),
        jsonld: built.jsonld.filter(|_| !erfunden),
        feed: built.feed.unwrap_or_else(|| Link {
            titel: config.titel.clone(),
            url: cx.href(routes::FEED),
        }),
    };
    let mut context = built.data;
    context.insert("seite", &seite);
    let html = theme.render(built.template, &context)?;
    Ok((html, built.diagnostics))
}

/// The breadcrumb of the start page, with which every trail begins.
pub fn start_crumb(cx: &Cx) -> Link {
    Link {
        titel: "Start".into(),
        url: cx.href(routes::START),
    }
}

pub fn crumb(cx: &Cx, titel: &str, path: &str) -> Link {
    Link {
        titel: titel.into(),
        url: cx.href(path),
    }
}

/// The main navigation and the links in header and footer (global template variables).
#[derive(Serialize)]
pub struct Navigation {
    pub haupt: Vec<NavItem>,
    pub fuss: Vec<Link>,
    pub leichte_sprache: Option<Link>,
    pub start: String,
    /// The search page, where the search box in the header sends its query.
    pub suche: String,
}

#[derive(Serialize)]
pub struct NavItem {
    pub titel: String,
    pub url: String,
    pub bereich: String,
}

pub fn navigation(p: &Portal) -> Navigation {
    let base = p.config.base_url.path();
    let item = |titel: &str, path: &str, bereich: &str| NavItem {
        titel: titel.into(),
        url: format!("{base}{path}"),
        bereich: bereich.into(),
    };
    let mut haupt = vec![
        item("Stadtteile", routes::STADTTEILE, "stadtteile"),
        item("Arbeitsgruppen", routes::AGS, "ags"),
        item("Projekte", routes::PROJEKTE, "projekte"),
        item("Karte", routes::KARTE, "karte"),
        item("Stadtteilforen", routes::FOREN, "foren"),
        item("Vorlagen", routes::VORLAGEN, "vorlagen"),
        item("Termine", routes::TERMINE, "termine"),
    ];
    let mut with_menue: Vec<(i64, Id<Seite>)> = p
        .ids::<Seite>()
        .filter_map(|id| p[id].menue.map(|m| (m, id)))
        .collect();
    with_menue.sort_by_key(|(m, _)| *m);
    for (_, id) in with_menue {
        let s = &p[id];
        haupt.push(item(
            s.kurztitel.as_deref().unwrap_or(&s.titel),
            &routes::seite(p, id),
            &format!("seite-{}", s.meta.slug),
        ));
    }
    let page_link = |slug: &Option<String>| {
        let id = *p.index.seite_by_slug.get(slug.as_ref()?)?;
        Some(Link {
            titel: p[id].titel.clone(),
            url: format!("{base}{}", routes::seite(p, id)),
        })
    };
    let config = &p.config;
    let mut fuss: Vec<Link> = [
        &config.impressum,
        &config.datenschutz,
        &config.barrierefreiheit,
    ]
    .into_iter()
    .filter_map(page_link)
    .collect();
    fuss.push(Link {
        titel: "Offene Daten".into(),
        url: format!("{base}{}", routes::DATEN),
    });
    Navigation {
        haupt,
        fuss,
        leichte_sprache: page_link(&config.leichte_sprache),
        start: base.to_string(),
        suche: format!("{base}{}", routes::SUCHE),
    }
}
