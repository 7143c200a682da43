//! `/suche/`: the search form and the region the results appear in. The search itself
//! runs in the browser (`js/suche.js`) on the index of `render/suche.rs`; without
//! JavaScript the page says so and links the lists that lead to every entry.

use serde::Serialize;

use super::{Built, start_crumb};
use crate::render::suche::{self, Art};
use crate::render::views::Link;
use crate::render::{Cx, routes};

#[derive(Serialize)]
struct SuchSeite {
    /// Where the form sends its query (this page).
    aktion: String,
    /// The folder of the index files, for the script.
    index: String,
    /// The site root, to which the index's page paths are relative.
    basis: String,
    arten: Vec<Option_>,
    stadtteile: Vec<Option_>,
    jahre: Vec<Option_>,
    /// The lists that lead to every entry, for browsers without JavaScript.
    listen: Vec<Link>,
}

/// An option of a filter.
#[derive(Serialize)]
struct Option_ {
    wert: String,
    name: String,
}

pub fn build(cx: &Cx) -> Built {
    let p = cx.portal;
    let vorhanden = |art: Art| match art {
        Art::Stadtteil => !p.stadtteile.is_empty(),
        Art::Ag => !p.ags.is_empty(),
        Art::Vorlage => !p.vorlagen.is_empty(),
        Art::Forum => !p.foren.is_empty(),
        Art::Seite => !p.seiten.is_empty(),
        Art::Projekt => !p.projekte.is_empty(),
    };
    let link = |titel: &str, path: &str| Link {
        titel: titel.into(),
        url: cx.href(path),
    };
    let data = SuchSeite {
        aktion: cx.href(routes::SUCHE),
        index: cx.href(suche::ORDNER),
        basis: cx.href(routes::START),
        arten: Art::ALLE
            .into_iter()
            .filter(|a| vorhanden(*a))
            .map(|a| Option_ {
                wert: a.code().into(),
                name: a.name().into(),
            })
            .collect(),
        stadtteile: p
            .stadtteile
            .iter()
            .map(|s| Option_ {
                wert: s.meta.slug.clone(),
                name: s.name.clone(),
            })
            .collect(),
        jahre: suche::jahre(p)
            .into_iter()
            .map(|j| Option_ {
                wert: j.to_string(),
                name: j.to_string(),
            })
            .collect(),
        listen: vec![
            link("Stadtteile", routes::STADTTEILE),
            link("Arbeitsgruppen", routes::AGS),
            link("Projekte", routes::PROJEKTE),
            link("Stadtteilforen", routes::FOREN),
            link("Vorlagen", routes::VORLAGEN),
        ],
    };
    Built::new("suche.html", "Suche", "suche", &data)
        .crumbs(vec![start_crumb(cx)])
        .beschreibung("Volltextsuche über alle Stadtteile, Arbeitsgruppen, Projekte, Stadtteilforen, Vorlagen und Seiten des Portals.")
}
