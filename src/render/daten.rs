//! Open data files generated from the content, as GeoJSON (RFC 7946):
//! `/daten/projekte.geojson` has one feature per published project with all its fields
//! as properties, a Point where it has coordinates and no geometry where it has none
//! (RFC 7946, 3.2: an unlocated feature), so it holds every project, like the CSV;
//! `/daten/stadtteile.geojson` the boundaries the maps are drawn from, matched to the
//! portal's Stadtteile.
//!
//! A file the editors keep at `content/daten/stadtteile.geojson` (the example's
//! boundaries) is published unchanged instead, as the contract promises for every file
//! in `content/daten/`, so its source and licence stay intact.

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue};
use serde::Serialize;

use super::{Content, Output, format, routes, tabelle};
use crate::model::{Id, Portal, Projekt, Stadtteil};

pub const PROJEKTE: &str = crate::resolve::GENERATED_FILES[0];

pub const STADTTEILE: &str = "daten/stadtteile.geojson";

/// One field of a dataset as the `/daten/` page documents it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Feld {
    pub name: &'static str,
    pub typ: &'static str,
    pub bedeutung: &'static str,
}

impl Feld {
    pub const fn new(name: &'static str, typ: &'static str, bedeutung: &'static str) -> Self {
        Feld {
            name,
            typ,
            bedeutung,
        }
    }
}

/// The properties of each feature of `/daten/projekte.geojson`.
pub const PROJEKT_EIGENSCHAFTEN: &[Feld] = &[
    Feld::new("titel", "Text", "Titel des Projekts"),
    Feld::new(
        "slug",
        "Text",
        "Kennung des Projekts im Portal (Teil seiner Adresse)",
    ),
    Feld::new("url", "Adresse (URL)", "Seite des Projekts im Portal"),
    Feld::new("jahr", "Ganzzahl", "Förderjahr"),
    Feld::new("stadtteile", "Liste von Texten", "Kennungen der Stadtteile"),
    Feld::new(
        "ag",
        "Text oder null",
        "Kennung der Arbeitsgruppe, die das Projekt koordiniert hat",
    ),
    Feld::new(
        "foerderung",
        "Text",
        "Förderung: initiativfonds, soziale-stadt oder eine andere Förderung im Wortlaut",
    ),
    Feld::new(
        "foerdersumme",
        "Zahl oder null",
        "bewilligte Förderung in Euro (Dezimalpunkt)",
    ),
    Feld::new(
        "foerdersumme_text",
        "Text oder null",
        "die Förderung, wie das Portal sie zeigt (1.500,00 €)",
    ),
    Feld::new(
        "traeger",
        "Text oder null",
        "Träger, der das Projekt durchführt",
    ),
    Feld::new("beteiligte", "Ganzzahl oder null", "Zahl der Beteiligten"),
    Feld::new("von", "Datum oder null", "Beginn (JJJJ-MM-TT)"),
    Feld::new("bis", "Datum oder null", "Ende (JJJJ-MM-TT)"),
    Feld::new(
        "status",
        "Text oder null",
        "geplant, laufend oder abgeschlossen",
    ),
    Feld::new("adresse", "Text oder null", "Ort des Projekts in Worten"),
    Feld::new(
        "ziele",
        "Liste von Texten",
        "Ziele der Förderrichtlinie: lebensqualitaet, beleben, generationen, vernetzung, ressourcen, kompetenzen",
    ),
    Feld::new(
        "beispiel",
        "Wahrheitswert",
        "true: ein erfundener Beispieleintrag, kein wirkliches Projekt",
    ),
];

/// The properties of each feature of a generated `/daten/stadtteile.geojson`.
pub const STADTTEIL_EIGENSCHAFTEN: &[Feld] = &[
    Feld::new("name", "Text", "Name des Stadtteils"),
    Feld::new("nummer", "Text oder null", "amtliche Nummer des Stadtteils"),
    Feld::new(
        "slug",
        "Text",
        "Kennung des Stadtteils im Portal (Teil seiner Adresse)",
    ),
    Feld::new("url", "Adresse (URL)", "Seite des Stadtteils im Portal"),
    Feld::new("projekte", "Ganzzahl", "Zahl der Projekte im Stadtteil"),
];

/// The open data files: the projects as GeoJSON and CSV, the boundaries as GeoJSON
/// (unless the editors publish their own file at that path).
pub fn outputs(p: &Portal) -> Vec<Output> {
    let mut out = vec![projekte(p), tabelle::output(p)];
    if !stadtteile_kopiert(p)
        && let Some(s) = stadtteile(p)
    {
        out.push(geojson(STADTTEILE, s));
    }
    out
}

/// The paths [`outputs`] writes, without making the files.
pub fn pfade(p: &Portal) -> Vec<String> {
    let mut pfade = vec![PROJEKTE.to_string(), tabelle::PFAD.to_string()];
    if !stadtteile_kopiert(p) && p.karte.is_some() {
        pfade.push(STADTTEILE.to_string());
    }
    pfade
}

/// Whether `/daten/stadtteile.geojson` is the editors' own file, published unchanged.
pub fn stadtteile_kopiert(p: &Portal) -> bool {
    p.dateien.iter().any(|d| d.pfad == STADTTEILE)
}

fn geojson(path: &str, collection: FeatureCollection) -> Output {
    let mut bytes = collection.to_string().into_bytes();
    bytes.push(b'\n');
    Output {
        path: path.to_string(),
        content: Content::Bytes(bytes),
    }
}

fn absolute(p: &Portal, path: &str) -> String {
    format!("{}{path}", p.config.base_url.url())
}

fn text(s: &str) -> JsonValue {
    JsonValue::String(s.to_string())
}

fn opt(s: &Option<String>) -> JsonValue {
    s.as_deref().map_or(JsonValue::Null, text)
}

/// `/daten/projekte.geojson`, written feature by feature: at 100,000 projects the whole
/// collection as JSON values took several times its 63 MB. The bytes are those of the
/// collection serialised at once.
fn projekte(p: &Portal) -> Output {
    let mut bytes = br#"{"type":"FeatureCollection","features":["#.to_vec();
    for (i, feature) in p
        .ids::<Projekt>()
        .map(|id| projekt_feature(p, id))
        .enumerate()
    {
        if i > 0 {
            bytes.push(b',');
        }
        // Serialising plain data into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut bytes, &feature);
    }
    bytes.extend_from_slice(b"]}\n");
    Output {
        path: PROJEKTE.to_string(),
        content: Content::Bytes(bytes),
    }
}

fn projekt_feature(p: &Portal, id: Id<Projekt>) -> Feature {
    let x = &p[id];
    let punkt = x.ort.as_ref().and_then(|o| o.koordinaten);
    let mut props = JsonObject::new();
    props.insert("titel".into(), text(&x.titel));
    props.insert("slug".into(), text(&x.meta.slug));
    props.insert("url".into(), text(&absolute(p, &routes::projekt(p, id))));
    props.insert("jahr".into(), x.jahr.into());
    props.insert(
        "stadtteile".into(),
        x.stadtteile
            .iter()
            .map(|s| text(&p[*s].meta.slug))
            .collect::<Vec<_>>()
            .into(),
    );
    props.insert(
        "ag".into(),
        x.ag.map_or(JsonValue::Null, |a| text(&p[a].meta.slug)),
    );
    props.insert("foerderung".into(), text(x.foerderung.code()));
    props.insert(
        "foerdersumme".into(),
        x.foerdersumme
            .map_or(JsonValue::Null, |e| (e.cents() as f64 / 100.0).into()),
    );
    props.insert(
        "foerdersumme_text".into(),
        x.foerdersumme
            .map_or(JsonValue::Null, |e| text(&format::euro(e))),
    );
    props.insert("traeger".into(), opt(&x.traeger));
    props.insert(
        "beteiligte".into(),
        x.beteiligte.map_or(JsonValue::Null, Into::into),
    );
    props.insert(
        "von".into(),
        x.von.map_or(JsonValue::Null, |d| text(&d.to_string())),
    );
    props.insert(
        "bis".into(),
        x.bis.map_or(JsonValue::Null, |d| text(&d.to_string())),
    );
    props.insert(
        "status".into(),
        x.status.map_or(JsonValue::Null, |s| text(s.code())),
    );
    props.insert(
        "adresse".into(),
        x.ort.as_ref().map_or(JsonValue::Null, |o| opt(&o.adresse)),
    );
    props.insert(
        "ziele".into(),
        x.ziele
            .iter()
            .map(|z| text(z.code()))
            .collect::<Vec<_>>()
            .into(),
    );
    props.insert("beispiel".into(), x.meta.beispiel.into());
    Feature {
        geometry: punkt.map(|k| Geometry::new(GeometryValue::new_point([k.lon, k.lat]))),
        properties: Some(props),
        ..Default::default()
    }
}

fn stadtteile(p: &Portal) -> Option<FeatureCollection> {
    let karte = p.karte.as_ref()?;
    let features = p
        .ids::<Stadtteil>()
        .filter_map(|id: Id<Stadtteil>| {
            let form = karte.flaechen[id.index()].as_ref()?;
            let s = &p[id];
            let mut props = JsonObject::new();
            props.insert("name".into(), text(&s.name));
            props.insert("nummer".into(), opt(&s.nummer));
            props.insert("slug".into(), text(&s.meta.slug));
            props.insert("url".into(), text(&absolute(p, &routes::stadtteil(p, id))));
            props.insert(
                "projekte".into(),
                p.index.projekte_by_stadtteil[id.index()].len().into(),
            );
            Some(Feature {
                geometry: Some(Geometry::new(GeometryValue::from(form))),
                properties: Some(props),
                ..Default::default()
            })
        })
        .collect();
    let mut members = JsonObject::new();
    if let Some(h) = &karte.hinweis {
        // RFC 7946 allows foreign members; the licence requires the attribution.
        members.insert("attribution".into(), text(h));
    }
    Some(FeatureCollection {
        features,
        foreign_members: (!members.is_empty()).then_some(members),
        ..Default::default()
    })
}
