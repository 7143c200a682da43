use serde::Serialize;

use super::projekte::{Filter, filter};
use super::{Built, start_crumb};
use crate::model::{Id, Projekt};
use crate::render::karte::{self, KarteView};
use crate::render::views::mit_beispiel;
use crate::render::{Cx, format, routes};

#[derive(Serialize)]
struct KartenSeite {
    karte: KarteView,
    /// The projects on the map, as a list.
    projekte: Vec<tera::Value>,
    /// Projects without coordinates are not on the map.
    ohne_ort: String,
    hat_ohne_ort: bool,
    alle_projekte: String,
    filter: Filter,
    /// An interactive map with tiles from another host, only if the portal names one.
    kacheln: Option<Kacheln>,
}

#[derive(Serialize)]
struct Kacheln {
    /// Tile URL template (`https://tile.example.org/{z}/{x}/{y}.png`).
    url: String,
    /// The host that receives the visitor's address when the map loads.
    host: String,
    hinweis: Option<String>,
    /// Where the projects come from for the interactive map.
    daten: String,
    leaflet_js: String,
    leaflet_css: String,
}

pub fn build(cx: &Cx) -> Built {
    let p = cx.portal;
    let mit_ort: Vec<Id<Projekt>> = p
        .ids::<Projekt>()
        .filter(|id| p[*id].ort.as_ref().is_some_and(|o| o.koordinaten.is_some()))
        .collect();
    let ohne = p.projekte.len() - mit_ort.len();
    let projekte: Vec<tera::Value> = mit_ort.iter().map(|id| cx.projekt_eintrag(*id)).collect();
    let beispiel = mit_beispiel(p, &mit_ort);
    let kacheln = p.config.karte.kacheln.as_ref().map(|url| Kacheln {
        host: url::Url::parse(&url.replace(['{', '}'], ""))
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| url.clone()),
        url: url.clone(),
        hinweis: p.config.karte.kacheln_hinweis.clone(),
        daten: cx.href("daten/projekte.geojson"),
        leaflet_js: cx.href("vendor/leaflet/leaflet.js"),
        leaflet_css: cx.href("vendor/leaflet/leaflet.css"),
    });
    let data = KartenSeite {
        karte: karte::projekte(cx),
        ohne_ort: match ohne {
            1 => "1 Projekt hat keine Ortsangabe und steht nur in der Liste aller Projekte.".into(),
            n => format!(
                "{} Projekte haben keine Ortsangabe und stehen nur in der Liste aller Projekte.",
                format::zahl(n as u64)
            ),
        },
        hat_ohne_ort: ohne > 0,
        alle_projekte: cx.href(routes::PROJEKTE),
        filter: filter(cx, &mit_ort),
        projekte,
        kacheln,
    };
    Built::new("karte.html", "Karte der Projekte", "karte", &data)
        .crumbs(vec![start_crumb(cx)])
        .beispiel(beispiel)
        .beschreibung("Wo die Projekte der Gemeinwesenarbeit stattfinden: alle Projekte mit Ortsangabe auf einer Karte und als Liste.")
}
