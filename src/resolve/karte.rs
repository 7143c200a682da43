//! The boundaries file (`karte.grenzen`): read, matched to the Stadtteile, checked.
//!
//! A shape belongs to the Stadtteil whose `nummer` equals the feature's property
//! `nummer`; where either has no number, to the one whose `name` equals its `name`.

use std::sync::Arc;

use geo::{BoundingRect, MultiPolygon, Rect};
use serde_json::Value;

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::load::{Kind, MAX_TEXT_FILE};
use crate::model::{Datei, Karte, Stadtteil};

use super::FileTable;

/// From this many areas without a Stadtteil on, they are reported in one warning.
const GRUPPE: usize = 5;

/// A feature of the boundaries file with an area.
struct Flaeche {
    nummer: Option<String>,
    name: Option<String>,
    form: MultiPolygon<f64>,
    /// Where the feature's name (or number) stands in the file, for diagnostics.
    stelle: usize,
}

pub fn read(
    config: &Config,
    stadtteile: &[Arc<Stadtteil>],
    defekt: &[(Kind, String)],
    dateien: &[Datei],
    table: &FileTable,
    diags: &mut Vec<Diagnostic>,
) -> Option<Karte> {
    let pfad = config.karte.grenzen.as_deref()?.trim_start_matches("./");
    let Some(id) = table.get(pfad) else {
        // Only files found under content/ are in the table, so nothing outside is read;
        // a path that tries to leave gets its own message.
        if pfad.starts_with('/') || pfad.split('/').any(|s| s == "..") {
            diags.push(
                Diagnostic::new(
                    Code::PortalYamlUngueltig,
                    format!("portal.yaml, Feld 'karte.grenzen': der Pfad '{pfad}' verlässt content/"),
                )
                .at(config.locate(&["karte", "grenzen"]))
                .hint("Legen Sie die Datei in den Ordner content/ (z. B. content/daten/stadtteile.geojson) und nennen Sie den Pfad relativ dazu."),
            );
            return None;
        }
        diags.push(
            Diagnostic::new(
                Code::PortalYamlUngueltig,
                format!("portal.yaml, Feld 'karte.grenzen': Datei 'content/{pfad}' nicht gefunden"),
            )
            .at(config.locate(&["karte", "grenzen"]))
            .hint("Der Pfad ist relativ zu content/, z. B. daten/stadtteile.geojson."),
        );
        return None;
    };
    let datei = &dateien[id.index()];
    let rel = format!("content/{}", datei.pfad);
    let problem = |message: String, hint: &str| {
        Diagnostic::new(Code::GeoJsonUngueltig, message)
            .at(Location::file(&rel))
            .hint(hint)
    };
    if datei.groesse > MAX_TEXT_FILE * 3 {
        diags.push(problem(
            "die Grenzen-Datei ist zu groß".into(),
            "Vereinfachen Sie die Umrisse; für eine Stadtkarte genügen wenige Meter Genauigkeit.",
        ));
        return None;
    }
    let text = match std::fs::read_to_string(&datei.quelle) {
        Ok(t) => t,
        Err(_) => {
            diags.push(problem(
                "die Grenzen-Datei kann nicht gelesen werden".into(),
                "Speichern Sie die Datei als GeoJSON in UTF-8.",
            ));
            return None;
        }
    };
    // A byte order mark, as some Windows tools write, is no reason to refuse the file.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let flaechen = parse(text, &rel, diags)?;
    let Some(umriss) = umriss(&flaechen) else {
        diags.push(problem(
            "die Grenzen-Datei enthält keine Flächen".into(),
            "Die Datei braucht Features mit Polygon- oder MultiPolygon-Geometrie.",
        ));
        return None;
    };

    let mut vergeben = vec![false; flaechen.len()];
    let mut je_stadtteil = Vec::with_capacity(stadtteile.len());
    for s in stadtteile {
        let treffer = flaechen.iter().position(|f| passt(s, f));
        if let Some(i) = treffer {
            vergeben[i] = true;
        } else {
            let namen = flaechen.iter().filter_map(|f| f.name.as_deref());
            let hint = did_you_mean(&s.name, namen)
                .map(|h| format!("{h} (Name in der Grenzen-Datei)"))
                .unwrap_or_else(|| format!("Die Grenzen werden über 'nummer' oder 'name' zugeordnet; {rel} hat keinen passenden Eintrag."));
            diags.push(
                Diagnostic::new(
                    Code::StadtteilOhneFlaeche,
                    format!(
                        "Stadtteil '{}' hat keine Fläche in der Grenzen-Datei",
                        s.name
                    ),
                )
                .at(Location::file(s.meta.quelle.rel.as_str()))
                .hint(hint),
            );
        }
        je_stadtteil.push(treffer.map(|i| flaechen[i].form.clone()));
    }
    let uebrig: Vec<(&Flaeche, String)> = flaechen
        .iter()
        .zip(&vergeben)
        .filter(|(_, v)| !**v)
        // The shape of a Stadtteil whose file is broken: that file has its error.
        .filter(|(f, _)| {
            !f.name.as_deref().is_some_and(|n| {
                let slug = crate::slug::slugify(n);
                defekt
                    .iter()
                    .any(|(k, s)| *k == Kind::Stadtteil && *s == slug)
            })
        })
        .map(|(f, _)| {
            let genannt = f
                .name
                .clone()
                .or_else(|| f.nummer.clone())
                .unwrap_or_else(|| "ohne Namen".into());
            (f, genannt)
        })
        .collect();
    // An area that fits a Stadtteil which already has one is a second copy (files
    // joined twice, a layer exported twice), not an area without a Stadtteil.
    let (doppelt, uebrig): (Vec<_>, Vec<_>) = uebrig
        .into_iter()
        .partition(|(f, _)| stadtteile.iter().any(|s| passt(s, f)));
    if let [(erste, genannt), ..] = doppelt.as_slice() {
        let namen: Vec<&str> = doppelt.iter().map(|(_, n)| n.as_str()).collect();
        let message = match namen.as_slice() {
            [eine] => format!("die Fläche '{eine}' steht mehrmals in der Grenzen-Datei"),
            _ => format!(
                "{} Flächen stehen mehrmals in der Grenzen-Datei: {}",
                namen.len(),
                namen.join(", ")
            ),
        };
        diags.push(
            Diagnostic::new(Code::FlaecheOhneStadtteil, message)
                .at(Location::in_text(&rel, text, erste.stelle, erste.stelle + genannt.len()))
                .hint("Die Karten zeigen jeweils die erste; entfernen Sie die weiteren aus der Datei."),
        );
    }
    match uebrig.as_slice() {
        // A portal of a few Stadtteile with the boundaries of the whole city: one
        // warning, not one for each of the dozens of other areas.
        [(erste, genannt), ..] if uebrig.len() >= GRUPPE => {
            let namen: Vec<&str> = uebrig.iter().map(|(_, n)| n.as_str()).collect();
            diags.push(
                Diagnostic::new(
                    Code::FlaecheOhneStadtteil,
                    format!(
                        "{} Flächen gehören zu keinem Stadtteil: {}",
                        uebrig.len(),
                        namen.join(", ")
                    ),
                )
                .at(Location::in_text(&rel, text, erste.stelle, erste.stelle + genannt.len()))
                .hint("Sie werden auf den Karten nicht gezeigt. Legen Sie die Stadtteile in content/stadtteile/ an oder entfernen Sie die Flächen aus der Datei."),
            );
        }
        _ => {
            for (f, genannt) in &uebrig {
                let namen = stadtteile.iter().map(|s| s.name.as_str());
                diags.push(
                    Diagnostic::new(Code::FlaecheOhneStadtteil, format!("Fläche '{genannt}' gehört zu keinem Stadtteil"))
                        .at(Location::in_text(&rel, text, f.stelle, f.stelle + genannt.len()))
                        .hint(did_you_mean(genannt, namen).unwrap_or_else(|| "Legen Sie den Stadtteil in content/stadtteile/ an oder entfernen Sie die Fläche.".into())),
                );
            }
        }
    }
    if config
        .karte
        .grenzen_hinweis
        .as_deref()
        .is_none_or(|h| h.trim().is_empty())
    {
        diags.push(
            Diagnostic::new(
                Code::GrenzenOhneQuelle,
                "portal.yaml, Feld 'karte.grenzen_hinweis' fehlt: die Karten nennen nicht, woher die Grenzen stammen",
            )
            .at(config.locate(&["karte", "grenzen"]))
            .hint("Die Lizenz von Grenzdaten verlangt meist eine Quellenangabe bei jeder Karte, für Daten aus OpenStreetMap etwa: grenzen_hinweis: \"Stadtteilgrenzen: © OpenStreetMap-Mitwirkende, ODbL\""),
        );
    }
    Some(Karte {
        rahmen: je_stadtteil
            .iter()
            .map(|f| f.as_ref().and_then(|f| f.bounding_rect()))
            .collect(),
        flaechen: je_stadtteil,
        umriss,
        hinweis: config.karte.grenzen_hinweis.clone(),
        datei: id,
    })
}

/// Whether a feature is the shape of a Stadtteil: by number where both have one, else by name.
fn passt(s: &Stadtteil, f: &Flaeche) -> bool {
    match (&s.nummer, &f.nummer) {
        (Some(a), Some(b)) => gleiche_nummer(a, b),
        _ => f.name.as_deref().is_some_and(|n| n.trim() == s.name.trim()),
    }
}

/// `"07"`, `"7"` and `7` are the same Stadtteil number.
fn gleiche_nummer(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn umriss(flaechen: &[Flaeche]) -> Option<Rect<f64>> {
    flaechen
        .iter()
        .filter_map(|f| f.form.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
}

/// What is wrong at the place serde_json names, in German; its own words for the rest.
fn json_grund(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let text = e.to_string();
    match e.classify() {
        Category::Eof => "die Datei endet mitten in einem Wert".into(),
        Category::Syntax if text.starts_with("expected `,` or `]`") => {
            "hier fehlt ein Komma oder eine schließende Klammer ']'".into()
        }
        Category::Syntax if text.starts_with("expected `,` or `}`") => {
            "hier fehlt ein Komma oder eine schließende Klammer '}'".into()
        }
        Category::Syntax if text.starts_with("trailing comma") => {
            "hier steht ein Komma zu viel".into()
        }
        Category::Syntax if text.starts_with("key must be a string") => {
            "ein Schlüssel muss in Anführungszeichen stehen".into()
        }
        Category::Syntax if text.starts_with("expected value") => {
            "hier steht kein gültiger Wert".into()
        }
        _ => format!("Meldung des JSON-Lesers: {text}"),
    }
}

fn parse(text: &str, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<Vec<Flaeche>> {
    let geojson = match text.parse::<geojson::GeoJson>() {
        Ok(g) => g,
        Err(e) => {
            let (at, grund) = match &e {
                geojson::Error::MalformedGeoJson(j) if j.line() > 0 => {
                    let line_start: usize = text
                        .split_inclusive('\n')
                        .take(j.line() - 1)
                        .map(str::len)
                        .sum();
                    let at = line_start + j.column().saturating_sub(1);
                    (Location::in_text(rel, text, at, at + 1), json_grund(j))
                }
                _ => (
                    Location::file(rel),
                    format!("Meldung des GeoJSON-Lesers: {e}"),
                ),
            };
            diags.push(
                Diagnostic::new(Code::GeoJsonUngueltig, format!("die Grenzen-Datei ist kein gültiges GeoJSON ({grund})"))
                    .at(at)
                    .hint("Prüfen Sie die Datei, z. B. mit einem GeoJSON-Viewer; erwartet wird eine FeatureCollection nach RFC 7946."),
            );
            return None;
        }
    };
    let features = match geojson {
        geojson::GeoJson::FeatureCollection(c) => c.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(_) => {
            diags.push(
                Diagnostic::new(Code::GeoJsonUngueltig, "die Grenzen-Datei enthält nur eine Geometrie, keine Features")
                    .at(Location::file(rel))
                    .hint("Erwartet wird eine FeatureCollection, jedes Feature mit 'name' (oder 'nummer') in 'properties'."),
            );
            return None;
        }
    };
    let mut flaechen = Vec::with_capacity(features.len());
    let mut ab = 0;
    for f in features {
        let text_of = |key: &str| match f.property(key) {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let name = text_of("name");
        let nummer = text_of("nummer");
        let genannt = name.clone().or_else(|| nummer.clone()).unwrap_or_default();
        // Features appear in file order, so each one is searched after the previous.
        let stelle = text[ab..]
            .find(&format!("\"{genannt}\""))
            .map_or(ab, |i| ab + i + 1);
        ab = stelle.min(text.len());
        // geojson's conversion indexes a position's second number without looking
        // (a panic); RFC 7946 requires two or more.
        let kurz = |p: &geojson::Position| p.as_slice().len() < 2;
        let unvollstaendig = f.geometry.as_ref().is_some_and(|g| match &g.value {
            geojson::GeometryValue::Polygon { coordinates } => {
                coordinates.iter().flatten().any(kurz)
            }
            geojson::GeometryValue::MultiPolygon { coordinates } => {
                coordinates.iter().flatten().flatten().any(kurz)
            }
            _ => false,
        });
        if unvollstaendig {
            diags.push(
                Diagnostic::new(
                    Code::GeoJsonUngueltig,
                    format!(
                        "die Fläche '{genannt}' hat eine Koordinate mit weniger als zwei Zahlen"
                    ),
                )
                .at(Location::in_text(rel, text, stelle, stelle + genannt.len()))
                .hint("Jeder Punkt einer Fläche ist [Länge, Breite], z. B. [11.62, 52.12]."),
            );
            return None;
        }
        let form: Option<MultiPolygon<f64>> =
            f.geometry
                .as_ref()
                .and_then(|g| match geo::Geometry::<f64>::try_from(&g.value) {
                    Ok(geo::Geometry::Polygon(p)) => Some(MultiPolygon::new(vec![p])),
                    Ok(geo::Geometry::MultiPolygon(m)) => Some(m),
                    _ => None,
                });
        let Some(form) = form else {
            diags.push(
                Diagnostic::new(Code::FlaecheOhneStadtteil, format!("Feature '{genannt}' hat keine Fläche und wird übergangen"))
                    .at(Location::in_text(rel, text, stelle, stelle + genannt.len()))
                    .hint("Nur Polygon- und MultiPolygon-Geometrien werden als Stadtteilgrenzen gezeichnet."),
            );
            continue;
        };
        let wgs84 = form.bounding_rect().is_some_and(|r| {
            (-180.0..=180.0).contains(&r.min().x)
                && (-180.0..=180.0).contains(&r.max().x)
                && (-90.0..=90.0).contains(&r.min().y)
                && (-90.0..=90.0).contains(&r.max().y)
        });
        if !wgs84 {
            diags.push(
                Diagnostic::new(Code::GeoJsonUngueltig, format!("die Fläche '{genannt}' hat keine Koordinaten in Längen- und Breitengraden"))
                    .at(Location::in_text(rel, text, stelle, stelle + genannt.len()))
                    .hint("GeoJSON nach RFC 7946 verwendet WGS84 (Länge, Breite); rechnen Sie die Datei z. B. mit QGIS oder ogr2ogr -t_srs EPSG:4326 um."),
            );
            return None;
        }
        flaechen.push(Flaeche {
            nummer,
            name,
            form,
            stelle,
        });
    }
    Some(flaechen)
}
