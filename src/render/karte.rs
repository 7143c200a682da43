//! Maps drawn at build time: the Stadtteil boundaries and project markers as inline SVG.
//!
//! Rust computes the geometry (projection, simplification, label positions, marker
//! groups); the theme's `karte` component writes the SVG. Nothing is loaded from
//! another host and every map works without JavaScript.

use std::collections::HashMap;

use geo::{
    Area, BooleanOps, BoundingRect, Coord, Intersects, LineString, MapCoords, MultiPolygon, Rect,
    Simplify,
};
use serde::Serialize;

use super::{Cx, format, routes};
use crate::model::{Id, Karte, Koordinaten, Projekt, Stadtteil};

/// Width of every map in SVG units; heights follow the shape of the area shown.
const BREITE: f64 = 800.0;
/// Points closer than this to the simplified outline (in SVG units) are dropped.
const TOLERANZ: f64 = 0.6;
/// Radius of a project marker in SVG units.
const MARKER_R: f64 = 7.0;
/// Font size of the Stadtteil names in SVG units.
const SCHRIFT: f64 = 13.0;

/// A flat projection for city scale: longitudes shrink by the cosine of the central
/// latitude, so distances and shapes are true to within a fraction of a percent.
#[derive(Debug, Clone, Copy)]
pub struct Projektion {
    lon0: f64,
    lat0: f64,
    kx: f64,
    massstab: f64,
    rand: f64,
    pub breite: f64,
    pub hoehe: f64,
}

impl Projektion {
    /// Fits `gebiet` (lon/lat) into a map `BREITE` units wide with a margin.
    pub fn fuer(gebiet: Rect<f64>, rand: f64) -> Projektion {
        let lat_mitte = gebiet.center().y;
        let kx = lat_mitte.to_radians().cos();
        let w = ((gebiet.max().x - gebiet.min().x) * kx).max(1e-6);
        let h = (gebiet.max().y - gebiet.min().y).max(1e-6);
        let massstab = (BREITE - 2.0 * rand) / w;
        Projektion {
            lon0: gebiet.min().x,
            lat0: gebiet.max().y,
            kx,
            massstab,
            rand,
            breite: BREITE,
            hoehe: (h * massstab + 2.0 * rand).round(),
        }
    }

    pub fn xy(&self, lon: f64, lat: f64) -> Coord<f64> {
        Coord {
            x: self.rand + (lon - self.lon0) * self.kx * self.massstab,
            y: self.rand + (self.lat0 - lat) * self.massstab,
        }
    }

    /// The area the map shows, in lon/lat.
    pub fn ausschnitt(&self) -> Rect<f64> {
        let lon = |x: f64| self.lon0 + (x - self.rand) / (self.kx * self.massstab);
        let lat = |y: f64| self.lat0 - (y - self.rand) / self.massstab;
        Rect::new((lon(0.0), lat(self.hoehe)), (lon(self.breite), lat(0.0)))
    }
}

/// A map as the `karte` component draws it.
#[derive(Serialize, Default)]
pub struct KarteView {
    pub breite: u32,
    pub hoehe: u32,
    /// Accessible name of the map.
    pub titel: String,
    pub flaechen: Vec<FlaecheView>,
    pub beschriftungen: Vec<Beschriftung>,
    pub marker: Vec<MarkerView>,
    pub legende: Vec<LegendenEintrag>,
    pub hinweis: Option<String>,
    /// Flächen are links (overview maps) or background (project maps).
    pub flaechen_verlinkt: bool,
}

#[derive(Serialize)]
pub struct FlaecheView {
    /// SVG path data.
    pub d: String,
    pub url: String,
    pub name: String,
    /// Accessible name of the link: `Sudenburg: 5 Projekte`.
    pub label: String,
    /// CSS class: `stufe-0` … `stufe-4`, `nachbar`, `aktiv`.
    pub klasse: String,
}

#[derive(Serialize)]
pub struct Beschriftung {
    pub x: f64,
    pub y: f64,
    pub text: String,
    /// The Stadtteil the map is about: drawn larger.
    pub hervorgehoben: bool,
}

#[derive(Serialize)]
pub struct MarkerView {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub url: String,
    pub label: String,
    /// How many projects stand here (markers closer than their size are grouped).
    pub anzahl: usize,
    /// Slugs of the projects, for the filter script.
    pub projekte: String,
}

#[derive(Serialize)]
pub struct LegendenEintrag {
    pub klasse: String,
    pub text: String,
}

/// SVG path data of a projected boundary, simplified to the map's resolution.
fn pfad(projiziert: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for polygon in projiziert.simplify(TOLERANZ).0 {
        if polygon.unsigned_area() < 1.0 {
            continue;
        }
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            ring_in_pfad(ring, &mut d);
        }
    }
    d
}

fn ring_in_pfad(ring: &LineString<f64>, d: &mut String) {
    use std::fmt::Write as _;
    let mut punkte = ring.0.iter();
    let Some(start) = punkte.next() else { return };
    let _ = write!(d, "M{:.1} {:.1}", start.x, start.y);
    let mut letzter = *start;
    // Relative moves keep the numbers short: a map stays well under 150 KB.
    for c in punkte.take(ring.0.len().saturating_sub(2)) {
        let _ = write!(d, "l{:.1} {:.1}", c.x - letzter.x, c.y - letzter.y);
        letzter = Coord {
            x: letzter.x + ((c.x - letzter.x) * 10.0).round() / 10.0,
            y: letzter.y + ((c.y - letzter.y) * 10.0).round() / 10.0,
        };
    }
    d.push('Z');
}

/// Places names at the pole of inaccessibility of each area, largest areas first, and
/// leaves out a name that would overlap one already placed or leave the map.
struct Beschrifter {
    belegt: Vec<Rect<f64>>,
    breite: f64,
    hoehe: f64,
}

impl Beschrifter {
    fn new(p: &Projektion) -> Self {
        Beschrifter {
            belegt: Vec::new(),
            breite: p.breite,
            hoehe: p.hoehe,
        }
    }

    /// Keeps names off the markers.
    fn meide(&mut self, marker: &[MarkerView]) {
        self.belegt.extend(marker.iter().map(|m| {
            Rect::new(
                (m.x - m.r - 1.0, m.y - m.r - 1.0),
                (m.x + m.r + 1.0, m.y + m.r + 1.0),
            )
        }));
    }

    fn platziere(
        &mut self,
        form: &MultiPolygon<f64>,
        text: &str,
        groesse: f64,
    ) -> Option<Coord<f64>> {
        let groesstes = form
            .0
            .iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
        // The boundaries have thousands of points; half a map unit is far below what a
        // label's position can show, and polylabel's cost grows with the points.
        let punkt = polylabel::polylabel(&groesstes.simplify(0.5), &2.0).ok()?;
        // Average width of a character of a sans-serif font, as a share of its size.
        let w = text.chars().count() as f64 * groesse * 0.62;
        let h = groesse * 1.2;
        for dy in [0.0, -h, h] {
            let mitte = Coord {
                x: punkt.x(),
                y: punkt.y() + dy,
            };
            let rect = Rect::new(
                (mitte.x - w / 2.0, mitte.y - h / 2.0),
                (mitte.x + w / 2.0, mitte.y + h / 2.0),
            );
            let im_bild = rect.min().x >= 4.0
                && rect.min().y >= 4.0
                && rect.max().x <= self.breite - 4.0
                && rect.max().y <= self.hoehe - 4.0;
            if im_bild && !self.belegt.iter().any(|b| b.intersects(&rect)) {
                self.belegt.push(rect);
                return Some(mitte);
            }
        }
        None
    }
}

/// Projection of the shapes in map coordinates, once per map.
fn projiziert(form: &MultiPolygon<f64>, p: &Projektion) -> MultiPolygon<f64> {
    form.map_coords(|c| p.xy(c.x, c.y))
}

/// Five classes of project counts: none, and four ranges of about equal size.
struct Stufen {
    grenzen: Vec<usize>,
}

impl Stufen {
    fn aus(anzahlen: &[usize]) -> Stufen {
        let mut werte: Vec<usize> = anzahlen.iter().copied().filter(|n| *n > 0).collect();
        werte.sort_unstable();
        werte.dedup();
        let mut grenzen: Vec<usize> = (1..=4)
            .filter_map(|q| {
                werte
                    .get((werte.len() * q).div_ceil(4).saturating_sub(1))
                    .copied()
            })
            .collect();
        grenzen.dedup();
        Stufen { grenzen }
    }

    fn stufe(&self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            1 + self
                .grenzen
                .iter()
                .position(|g| n <= *g)
                .unwrap_or(self.grenzen.len().saturating_sub(1))
        }
    }

    fn legende(&self) -> Vec<LegendenEintrag> {
        let mut out = vec![LegendenEintrag {
            klasse: "stufe-0".into(),
            text: "keine Projekte".into(),
        }];
        let mut von = 1;
        for (i, bis) in self.grenzen.iter().enumerate() {
            let text = match (von == *bis, *bis) {
                (true, 1) => "1 Projekt".to_string(),
                (true, n) => format!("{} Projekte", format::zahl(n as u64)),
                (false, _) => format!(
                    "{}–{} Projekte",
                    format::zahl(von as u64),
                    format::zahl(*bis as u64)
                ),
            };
            out.push(LegendenEintrag {
                klasse: format!("stufe-{}", i + 1),
                text,
            });
            von = bis + 1;
        }
        out
    }
}

fn projekte_text(n: usize) -> String {
    match n {
        0 => "keine Projekte".into(),
        1 => "1 Projekt".into(),
        n => format!("{} Projekte", format::zahl(n as u64)),
    }
}

/// All Stadtteile, coloured by their number of projects (start page, `/stadtteile/`).
pub fn uebersicht(cx: &Cx, karte: &Karte) -> KarteView {
    let p = Projektion::fuer(karte.umriss, 10.0);
    let anzahlen: Vec<usize> = cx
        .portal
        .index
        .projekte_by_stadtteil
        .iter()
        .map(Vec::len)
        .collect();
    let stufen = Stufen::aus(&anzahlen);
    let mut view = leer(
        &p,
        karte,
        "Karte der Stadtteile, eingefärbt nach der Zahl der Projekte",
    );
    view.flaechen_verlinkt = true;
    let mut mit_form: Vec<(Id<Stadtteil>, MultiPolygon<f64>)> = cx
        .portal
        .ids::<Stadtteil>()
        .filter_map(|id| {
            karte.flaechen[id.index()]
                .as_ref()
                .map(|f| (id, projiziert(f, &p)))
        })
        .collect();
    for (id, form) in &mit_form {
        let s = &cx.portal[*id];
        let n = anzahlen[id.index()];
        view.flaechen.push(FlaecheView {
            d: pfad(form),
            url: cx.href(&routes::stadtteil(cx.portal, *id)),
            name: s.name.clone(),
            label: format!("{}: {}", s.name, projekte_text(n)),
            klasse: format!("stufe-{}", stufen.stufe(n)),
        });
    }
    mit_form.sort_by(|a, b| b.1.unsigned_area().total_cmp(&a.1.unsigned_area()));
    let mut beschrifter = Beschrifter::new(&p);
    for (id, form) in &mit_form {
        let name = &cx.portal[*id].name;
        if let Some(c) = beschrifter.platziere(form, name, SCHRIFT) {
            view.beschriftungen.push(Beschriftung {
                x: runde(c.x),
                y: runde(c.y),
                text: name.clone(),
                hervorgehoben: false,
            });
        }
    }
    view.legende = stufen.legende();
    view
}

/// One Stadtteil among its neighbours, with its projects as markers.
pub fn stadtteil(cx: &Cx, karte: &Karte, id: Id<Stadtteil>) -> Option<KarteView> {
    let form = karte.flaechen[id.index()].as_ref()?;
    let gebiet = form.bounding_rect()?;
    // Some context around the Stadtteil, and never narrower than about a kilometre.
    let (w, h) = (gebiet.width().max(0.012), gebiet.height().max(0.008));
    let c = gebiet.center();
    let gebiet = Rect::new(
        (c.x - w * 0.7, c.y - h * 0.7),
        (c.x + w * 0.7, c.y + h * 0.7),
    );
    let p = Projektion::fuer(gebiet, 0.0);
    let ausschnitt = p.ausschnitt();
    let name = &cx.portal[id].name;
    let mut view = leer(
        &p,
        karte,
        &format!("Karte von {name} und den Nachbarstadtteilen mit den Projekten"),
    );
    view.flaechen_verlinkt = true;
    view.marker = marker(
        cx,
        &p,
        &cx.portal.index.projekte_by_stadtteil[id.index()],
        |pid| format!("#Projekt-{}", cx.portal[pid].meta.slug),
    );
    let mut beschrifter = Beschrifter::new(&p);
    beschrifter.meide(&view.marker);
    let aktiv = projiziert(form, &p);
    if let Some(c) = beschrifter.platziere(&aktiv, name, SCHRIFT * 1.3) {
        view.beschriftungen.push(Beschriftung {
            x: runde(c.x),
            y: runde(c.y),
            text: name.clone(),
            hervorgehoben: true,
        });
    }
    let bild = Rect::new((0.0, 0.0), (p.breite, p.hoehe)).to_polygon();
    for n in cx.portal.ids::<Stadtteil>() {
        let Some(f) = karte.flaechen[n.index()].as_ref() else {
            continue;
        };
        if !f.bounding_rect().is_some_and(|r| r.intersects(&ausschnitt)) {
            continue;
        }
        let s = &cx.portal[n];
        let eigenes = n == id;
        // Neighbours are cut to the map: smaller paths, and names placed in what shows.
        let form = if eigenes {
            aktiv.clone()
        } else {
            projiziert(f, &p).intersection(&bild)
        };
        if form.0.is_empty() {
            continue;
        }
        view.flaechen.push(FlaecheView {
            d: pfad(&form),
            url: cx.href(&routes::stadtteil(cx.portal, n)),
            name: s.name.clone(),
            label: if eigenes {
                s.name.clone()
            } else {
                format!("Nachbarstadtteil {}", s.name)
            },
            klasse: if eigenes {
                "aktiv".into()
            } else {
                "nachbar".into()
            },
        });
        if !eigenes && let Some(c) = beschrifter.platziere(&form, &s.name, SCHRIFT) {
            view.beschriftungen.push(Beschriftung {
                x: runde(c.x),
                y: runde(c.y),
                text: s.name.clone(),
                hervorgehoben: false,
            });
        }
    }
    // The Stadtteil itself last, so its outline is drawn over its neighbours'.
    if let Some(i) = view.flaechen.iter().position(|f| f.klasse == "aktiv") {
        let f = view.flaechen.remove(i);
        view.flaechen.push(f);
    }
    Some(view)
}

/// All projects with coordinates (`/karte/`). The Stadtteile are background only; a
/// group of markers links to its first project in the list below the map.
pub fn projekte(cx: &Cx) -> KarteView {
    let alle: Vec<Id<Projekt>> = cx.portal.ids().collect();
    let gebiet = match &cx.portal.karte {
        Some(k) => Some(k.umriss),
        None => umriss_der_projekte(cx, &alle),
    };
    let Some(gebiet) = gebiet else {
        return KarteView::default();
    };
    let p = Projektion::fuer(gebiet, 10.0);
    let mut view = match &cx.portal.karte {
        Some(karte) => {
            let mut v = leer(&p, karte, "Karte aller Projekte mit Ortsangabe");
            for id in cx.portal.ids::<Stadtteil>() {
                if let Some(f) = karte.flaechen[id.index()].as_ref() {
                    let s = &cx.portal[id];
                    v.flaechen.push(FlaecheView {
                        d: pfad(&projiziert(f, &p)),
                        url: cx.href(&routes::stadtteil(cx.portal, id)),
                        name: s.name.clone(),
                        label: s.name.clone(),
                        klasse: "hintergrund".into(),
                    });
                }
            }
            v
        }
        None => KarteView {
            breite: p.breite as u32,
            hoehe: p.hoehe as u32,
            titel: "Karte aller Projekte mit Ortsangabe".into(),
            ..Default::default()
        },
    };
    view.marker = marker(cx, &p, &alle, |pid| {
        format!("#Projekt-{}", cx.portal[pid].meta.slug)
    });
    view
}

fn umriss_der_projekte(cx: &Cx, ids: &[Id<Projekt>]) -> Option<Rect<f64>> {
    let punkte: Vec<Koordinaten> = ids.iter().filter_map(|id| koordinaten(cx, *id)).collect();
    let min_lon = punkte.iter().map(|k| k.lon).reduce(f64::min)?;
    let max_lon = punkte.iter().map(|k| k.lon).reduce(f64::max)?;
    let min_lat = punkte.iter().map(|k| k.lat).reduce(f64::min)?;
    let max_lat = punkte.iter().map(|k| k.lat).reduce(f64::max)?;
    let pad = 0.005;
    Some(Rect::new(
        (min_lon - pad, min_lat - pad),
        (max_lon + pad, max_lat + pad),
    ))
}

fn koordinaten(cx: &Cx, id: Id<Projekt>) -> Option<Koordinaten> {
    cx.portal[id].ort.as_ref()?.koordinaten
}

fn leer(p: &Projektion, karte: &Karte, titel: &str) -> KarteView {
    KarteView {
        breite: p.breite as u32,
        hoehe: p.hoehe as u32,
        titel: titel.into(),
        hinweis: karte.hinweis.clone(),
        ..Default::default()
    }
}

/// A project and where its marker lies on the map.
type Platziert = (Id<Projekt>, Coord<f64>);

/// Markers for projects with coordinates; markers that would overlap are grouped into
/// one with a count, so none hides another. A single marker links to its project, a
/// group to `gruppe_ziel` of its first project (a place on the same page).
fn marker(
    cx: &Cx,
    p: &Projektion,
    ids: &[Id<Projekt>],
    gruppe_ziel: impl Fn(Id<Projekt>) -> String,
) -> Vec<MarkerView> {
    let zelle = MARKER_R * 2.2;
    // Grid cell → the projects whose markers fall into it.
    let mut gruppen: HashMap<(i64, i64), Vec<Platziert>> = HashMap::new();
    let mut reihenfolge = Vec::new();
    for &id in ids {
        let Some(k) = koordinaten(cx, id) else {
            continue;
        };
        let c = p.xy(k.lon, k.lat);
        if c.x < 0.0 || c.y < 0.0 || c.x > p.breite || c.y > p.hoehe {
            continue;
        }
        let key = ((c.x / zelle).floor() as i64, (c.y / zelle).floor() as i64);
        let gruppe = gruppen.entry(key).or_default();
        if gruppe.is_empty() {
            reihenfolge.push(key);
        }
        gruppe.push((id, c));
    }
    reihenfolge
        .into_iter()
        .map(|key| {
            let gruppe = &gruppen[&key];
            let n = gruppe.len() as f64;
            let x = gruppe.iter().map(|(_, c)| c.x).sum::<f64>() / n;
            let y = gruppe.iter().map(|(_, c)| c.y).sum::<f64>() / n;
            let beschreibung = |id: Id<Projekt>| {
                let pr = &cx.portal[id];
                match pr.foerdersumme {
                    Some(e) => format!("{} ({}, {})", pr.titel, pr.jahr, format::euro(e)),
                    None => format!("{} ({})", pr.titel, pr.jahr),
                }
            };
            let (erstes, _) = gruppe[0];
            let label = if gruppe.len() == 1 {
                format!("Projekt: {}", beschreibung(erstes))
            } else {
                let namen: Vec<String> = gruppe
                    .iter()
                    .take(8)
                    .map(|(id, _)| beschreibung(*id))
                    .collect();
                let mehr = if gruppe.len() > 8 {
                    format!(" und {} weitere", gruppe.len() - 8)
                } else {
                    String::new()
                };
                format!(
                    "{} Projekte an diesem Ort: {}{mehr}",
                    gruppe.len(),
                    namen.join("; ")
                )
            };
            MarkerView {
                x: runde(x),
                y: runde(y),
                r: if gruppe.len() == 1 {
                    MARKER_R
                } else {
                    MARKER_R * 1.5
                },
                url: if gruppe.len() == 1 {
                    cx.href(&routes::projekt(cx.portal, erstes))
                } else {
                    gruppe_ziel(erstes)
                },
                label,
                anzahl: gruppe.len(),
                projekte: gruppe
                    .iter()
                    .map(|(id, _)| cx.portal[*id].meta.slug.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })
        .collect()
}

fn runde(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Polygon;

    #[test]
    fn projects_magdeburg_without_distortion() {
        let p = Projektion::fuer(Rect::new((11.517, 52.024), (11.764, 52.228)), 0.0);
        // Magdeburg is about 17 km wide and 23 km high.
        let ratio = p.hoehe / p.breite;
        assert!((ratio - 22.7 / 16.9).abs() < 0.03, "{ratio}");
        let nw = p.xy(11.517, 52.228);
        assert!(nw.x.abs() < 1e-9 && nw.y.abs() < 1e-9);
        let a = p.ausschnitt();
        assert!((a.min().x - 11.517).abs() < 1e-9 && (a.max().y - 52.228).abs() < 1e-9);
    }

    #[test]
    fn classes_of_project_counts() {
        let s = Stufen::aus(&[0, 1, 2, 3, 5, 8, 13, 0]);
        assert_eq!(s.stufe(0), 0);
        assert_eq!(s.stufe(1), 1);
        assert_eq!(s.stufe(13), 4);
        let legende: Vec<String> = s.legende().into_iter().map(|l| l.text).collect();
        assert_eq!(legende[0], "keine Projekte");
        assert_eq!(legende.len(), 5);
        assert!(legende.last().unwrap().ends_with("13 Projekte"));
        assert_eq!(Stufen::aus(&[0, 0]).legende().len(), 1);
    }

    #[test]
    fn outlines_are_simplified_and_compact() {
        let ring: Vec<(f64, f64)> = (0..=360)
            .map(|i| {
                let a = (i as f64).to_radians();
                (11.6 + 0.01 * a.cos(), 52.1 + 0.006 * a.sin())
            })
            .collect();
        let form = MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]);
        let p = Projektion::fuer(form.bounding_rect().unwrap(), 0.0);
        let d = pfad(&projiziert(&form, &p));
        assert!(d.starts_with('M') && d.ends_with('Z'));
        assert!(
            d.matches('l').count() < 120,
            "{} points",
            d.matches('l').count()
        );
    }
}
