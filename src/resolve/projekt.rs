use jiff::civil::Date;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Document;
use crate::model::{
    Bild, Foerderung, Id, Karte, Koordinaten, Ort, Projekt, Stadtteil, Status, Ziel,
};
use crate::yaml::{Fields, Part, Seg, Sink};

use super::{Context, choice, fields, meta, stadtteil_refs};

/// The years a project can be funded in: from before the Initiativfonds began to far
/// ahead, and always a year a date can have.
const FOERDERJAHRE: std::ops::RangeInclusive<i32> = 1990..=2100;

pub fn read(d: &Document, cx: &Context, sink: &Sink) -> Projekt {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let titel = f.req::<String>("titel");
    let mut jahr = f.req::<i32>("jahr");
    if jahr.is_some_and(|j| !FOERDERJAHRE.contains(&j)) {
        f.push(
            Diagnostic::new(
                Code::UngueltigerWert,
                "Feld 'jahr': erwartet ein Förderjahr wie 2026",
            )
            .at(f.locate("jahr", Part::Value))
            .hint(format!(
                "Das Förderjahr hat vier Ziffern, z. B. jahr: {}.",
                cx.heute.year()
            )),
        );
        // Not kept: the rest of the run (`check` renders every page for its links)
        // takes a project's year for a date.
        jahr = None;
    } else if let Some(j) = jahr
        && j > i32::from(cx.heute.year()) + 1
    {
        // Next year's projects may be planned already; later ones are a typo.
        f.push(
            Diagnostic::new(
                Code::JahrInDerZukunft,
                format!("Feld 'jahr': das Förderjahr {j} liegt in der Zukunft"),
            )
            .at(f.locate("jahr", Part::Value))
            .hint(format!(
                "Projekte stehen im Jahr ihrer Förderung; eingetragen werden können sie bis {}.",
                i32::from(cx.heute.year()) + 1
            )),
        );
    }
    let stadtteile = stadtteil_refs(&mut f, cx, "stadtteile", true);
    let ag = f.value_with("ag", |v, _| cx.ags.resolve(v));
    let foerderung = f
        .opt::<String>("foerderung")
        .map(|s| match s.to_lowercase().as_str() {
            "initiativfonds" => Foerderung::Initiativfonds,
            "soziale-stadt" | "soziale stadt" => Foerderung::SozialeStadt,
            _ => Foerderung::Sonstige(s),
        })
        .unwrap_or(Foerderung::Initiativfonds);
    let foerdersumme = f.opt("foerdersumme");
    let traeger = f.opt("traeger");
    let beteiligte = f.opt("beteiligte");
    let von: Option<Date> = f.opt("von");
    let bis: Option<Date> = f.opt("bis");
    if let (Some(v), Some(b)) = (von, bis)
        && b < v
    {
        f.push(
            Diagnostic::new(
                Code::UngueltigesDatum,
                "Feld 'bis': das Projekt endet vor seinem Beginn",
            )
            .at(f.locate("bis", Part::Value))
            .hint("'bis' darf nicht vor 'von' liegen."),
        );
    }
    let status = f.value_with("status", |v, _| choice(v, &Status::ALLE));
    let ort = f.nested("ort").map(|mut o| {
        let adresse = o.opt("adresse");
        let lat = o.opt::<f64>("lat");
        let lon = o.opt::<f64>("lon");
        let koordinaten = match (lat, lon, o.has("lat"), o.has("lon")) {
            (Some(lat), Some(lon), _, _) => {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    o.push(Diagnostic::new(Code::UngueltigeKoordinaten, format!("ungültige Koordinaten lat {}, lon {}", kurz(lat), kurz(lon))).at(o.locate("lat", Part::Value)).hint("lat liegt zwischen -90 und 90, lon zwischen -180 und 180; für Magdeburg etwa lat: 52.13, lon: 11.62."));
                    None
                } else {
                    Some(Koordinaten { lat, lon })
                }
            }
            (_, _, true, false) | (_, _, false, true) => {
                let (have, want) = if o.has("lat") { ("lat", "lon") } else { ("lon", "lat") };
                o.push(Diagnostic::new(Code::UngueltigeKoordinaten, format!("'{have}' ohne '{want}'")).at(o.locate(have, Part::Key)).hint("Koordinaten brauchen beide Werte, lat und lon (WGS84)."));
                None
            }
            _ => None,
        };
        o.finish();
        Ort { adresse, koordinaten }
    });
    // Where a Stadtteil's file is broken, its shape has no Stadtteil, and the place
    // would seem to lie outside the city.
    if let (Some(karte), Some(k)) = (&cx.karte, ort.as_ref().and_then(|o| o.koordinaten))
        && !f.hat_folgefehler()
    {
        check_ort(&f, cx, karte, k, &stadtteile);
    }
    let mut ziele = f.list_with("ziele", |v, _| choice(v, &Ziel::ALLE));
    ziele.sort();
    ziele.dedup();
    let bilder = f
        .items("bilder")
        .into_iter()
        .filter_map(|mut b| {
            let datei = b.req_with("datei", |v, _| cx.dateien.resolve(v));
            let dekorativ = b.opt::<bool>("dekorativ").unwrap_or(false);
            let alt = b.raw("alt").map(|_| b.opt::<String>("alt").unwrap_or_default());
            let alt = match alt {
                Some(a) if !a.trim().is_empty() => Some(a.trim().to_string()),
                Some(_) if dekorativ => Some(String::new()),
                _ => {
                    let loc = if b.has("alt") { b.locate("alt", Part::Key) } else { b.locate_self() };
                    let text = if b.has("alt") {
                        "leerer Alternativtext ('alt') bei einem Bild, das nicht als 'dekorativ: true' gekennzeichnet ist"
                    } else {
                        "Bild ohne Alternativtext ('alt')"
                    };
                    b.push(
                        Diagnostic::new(Code::AltTextFehlt, text)
                            .at(loc)
                            .hint("Beschreiben Sie in 'alt', was auf dem Bild zu sehen ist, z. B. alt: \"Kinder bemalen den Bauzaun\". Nur reine Schmuckbilder dürfen alt: \"\" mit dekorativ: true haben."),
                    );
                    None
                }
            };
            let bildnachweis = b
                .opt::<String>("bildnachweis")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
            let original = b.opt::<bool>("original").unwrap_or(false);
            let stelle = (b.doc_arc(), b.path_of("datei"));
            b.finish();
            Some(Bild {
                datei: datei?,
                alt: alt?,
                dekorativ,
                bildnachweis,
                original,
                stelle,
            })
        })
        .collect();
    f.finish();
    Projekt {
        meta,
        titel: titel.unwrap_or_else(|| d.slug.clone()),
        jahr: jahr.unwrap_or_default(),
        stadtteile,
        ag,
        foerderung,
        foerdersumme,
        traeger,
        beteiligte,
        von,
        bis,
        status,
        ort,
        ziele,
        bilder,
    }
}

/// Coordinates must lie in the city (else an error) and in one of the project's
/// Stadtteile (else a warning): a swapped `lat`/`lon` or a typo shows on no map.
fn check_ort(
    f: &Fields<'_>,
    cx: &Context,
    karte: &Karte,
    k: Koordinaten,
    stadtteile: &[Id<Stadtteil>],
) {
    // Only a problem needs the position (which costs a second read of the YAML).
    let loc = || {
        let mut at = f.path_of("ort");
        at.push(Seg::Key("lat".into()));
        f.doc().locate(&at, Part::Key)
    };
    let drin: Vec<usize> = karte.stadtteile_bei(k).collect();
    let eigene_mit_flaeche = stadtteile
        .iter()
        .filter(|s| karte.flaechen[s.index()].is_some())
        .count();
    if drin.is_empty() {
        let vertauscht = Koordinaten {
            lat: k.lon,
            lon: k.lat,
        };
        let mitte = karte.umriss.center();
        let hint = if karte.stadtteile_bei(vertauscht).next().is_some() {
            format!(
                "lat und lon sind vertauscht: lat ist der Breitengrad (hier etwa {:.0}), lon der Längengrad (etwa {:.0}).",
                mitte.y, mitte.x
            )
        } else {
            format!(
                "Die Stadt liegt etwa bei lat: {:.2}, lon: {:.2}; prüfen Sie die Koordinaten (WGS84).",
                mitte.y, mitte.x
            )
        };
        f.push(
            Diagnostic::new(
                Code::AusserhalbDerStadt,
                format!(
                    "Koordinaten lat {}, lon {} liegen außerhalb der Stadt",
                    k.lat, k.lon
                ),
            )
            .at(loc())
            .hint(hint),
        );
    } else if eigene_mit_flaeche > 0 && !stadtteile.iter().any(|s| drin.contains(&s.index())) {
        let wo: Vec<&str> = drin.iter().map(|i| cx.stadtteile.slug(*i)).collect();
        f.push(
            Diagnostic::new(
                Code::AusserhalbDesStadtteils,
                "die Koordinaten liegen in keinem der Stadtteile des Projekts",
            )
            .at(loc())
            .hint(format!(
                "Der Punkt liegt im Stadtteil '{}'; prüfen Sie die Koordinaten oder 'stadtteile'.",
                wo.join("', '")
            )),
        );
    }
}

/// A coordinate for a message: `1e308` as written, not as 309 digits.
fn kurz(x: f64) -> String {
    if x.abs() < 1e6 {
        x.to_string()
    } else {
        format!("{x:e}")
    }
}
