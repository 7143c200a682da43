use geo::{BoundingRect, Contains, Intersects, MultiPolygon, Point, Rect};

use super::{Datei, Id, Koordinaten};

/// The Stadtteil boundaries of the portal (`karte.grenzen`), matched to its Stadtteile.
#[derive(Debug)]
pub struct Karte {
    /// The boundary of each Stadtteil, by Stadtteil index; WGS84 with x = lon, y = lat.
    pub flaechen: Vec<Option<MultiPolygon<f64>>>,
    /// The bounding box of each boundary (computing one walks every point).
    pub rahmen: Vec<Option<Rect<f64>>>,
    /// The bounding box of every shape in the file.
    pub umriss: Rect<f64>,
    /// The attribution that must be shown wherever the shapes are shown.
    pub hinweis: Option<String>,
    /// The boundaries file.
    pub datei: Id<Datei>,
}

impl Karte {
    /// The Stadtteile whose area holds `k`, its boundary included: a place geocoded
    /// onto a vertex of the boundary was "outside the city" (E017).
    pub fn stadtteile_bei(&self, k: Koordinaten) -> impl Iterator<Item = usize> + '_ {
        let p = Point::new(k.lon, k.lat);
        self.flaechen
            .iter()
            .zip(&self.rahmen)
            .enumerate()
            .filter(move |(_, (f, r))| {
                // Polygon by polygon: geo's test for a whole MultiPolygon walks all its
                // points for a bounding box first, which `rahmen` already has.
                r.is_some_and(|r| r.intersects(&p))
                    && f.as_ref()
                        .is_some_and(|f| f.iter().any(|poly| poly.intersects(&p.0)))
            })
            .map(|(i, _)| i)
    }
}

/// Whether `p` lies in `flaeche`, with a quick test of the bounding box first.
pub fn enthalten(flaeche: &MultiPolygon<f64>, p: Point<f64>) -> bool {
    flaeche.bounding_rect().is_some_and(|r| r.contains(&p)) && flaeche.contains(&p)
}
