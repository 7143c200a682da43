//! `/daten/`: every dataset the portal publishes, with format, size, licence and a
//! description of its fields.

use serde::Serialize;

use super::{Built, start_crumb};
use crate::model::{Datei, Id, Projekt};
use crate::render::daten::{self, Feld};
use crate::render::{Cx, format, oparl, routes, tabelle};

#[derive(Serialize)]
struct DatenSeite {
    /// The licence of the portal's own data.
    lizenz: Lizenz,
    datensaetze: Vec<Datensatz>,
}

#[derive(Serialize, Clone)]
struct Lizenz {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct Datensatz {
    /// The id of its heading (`Projekte-CSV`).
    anker: String,
    titel: String,
    /// Link to the file and the file name shown.
    url: String,
    datei: String,
    format: String,
    groesse: String,
    umfang: Option<String>,
    lizenz: Lizenz,
    /// `Lizenz`, or `Quelle und Lizenz` where the licence text is an attribution that
    /// must be shown wherever the data goes.
    lizenz_titel: &'static str,
    beschreibung: Vec<String>,
    /// The field table: its heading, its column heads and its rows.
    felder_titel: String,
    felder_kopf: [&'static str; 3],
    felder: Vec<FeldView>,
}

#[derive(Serialize)]
struct FeldView {
    name: String,
    typ: String,
    bedeutung: String,
}

impl From<&Feld> for FeldView {
    fn from(f: &Feld) -> Self {
        FeldView {
            name: f.name.to_string(),
            typ: f.typ.to_string(),
            bedeutung: f.bedeutung.to_string(),
        }
    }
}

const SPALTEN_KOPF: [&str; 3] = ["Spalte", "Typ", "Bedeutung"];
const EIGENSCHAFTEN_KOPF: [&str; 3] = ["Eigenschaft", "Typ", "Bedeutung"];
/// Files larger than this are not read to find their fields.
const LESEN_BIS: u64 = 20_000_000;

pub fn build(cx: &Cx) -> Built {
    let p = cx.portal;
    let eigene = eigene_lizenz(cx);
    let groesse =
        |path: &str| format::dateigroesse(cx.erzeugt().groessen.get(path).copied().unwrap_or(0));
    let anzahl = |n: usize, eins: &str, viele: &str| match n {
        1 => format!("1 {eins}"),
        n => format!("{} {viele}", format::zahl(n as u64)),
    };
    let mut datensaetze = Vec::new();

    datensaetze.push(Datensatz {
        anker: "Projekte-CSV".into(),
        titel: "Projekte als Tabelle (CSV)".into(),
        url: cx.href(tabelle::PFAD),
        datei: "projekte.csv".into(),
        format: "CSV: UTF-8 mit Byte-Order-Mark, Semikolon als Trennzeichen, Dezimalkomma, Zeilenende CRLF".into(),
        groesse: groesse(tabelle::PFAD),
        umfang: Some(anzahl(p.projekte.len(), "Projekt", "Projekte") + ", eine Zeile je Projekt"),
        lizenz: eigene.clone(),
        lizenz_titel: "Lizenz",
        beschreibung: vec![
            "Alle veröffentlichten Projekte mit ihren Angaben. Die Datei ist für Tabellenprogramme mit deutschen Einstellungen gemacht: Excel und LibreOffice Calc öffnen sie mit Umlauten, Spalten und Zahlen richtig.".into(),
            "Spalten sind durch ein Semikolon (;) getrennt, nicht durch ein Komma, denn so erwarten es Excel und LibreOffice in Deutschland; Zahlen haben ein Dezimalkomma und keinen Tausenderpunkt, Daten die Form JJJJ-MM-TT. Wer die Datei mit einem Programm liest, gibt Semikolon als Trennzeichen und Komma als Dezimalzeichen an (in Python mit pandas: sep=\";\", decimal=\",\"). Anführungszeichen und Zeilenenden folgen RFC 4180.".into(),
            "Zum Schutz vor eingeschleusten Formeln steht vor jedem Text, der mit =, +, -, @ oder einem Tabulator beginnt, ein Apostroph ('): Tabellenprogramme zeigen ihn dann als Text und führen ihn nicht aus.".into(),
        ],
        felder_titel: "Spalten".into(),
        felder_kopf: SPALTEN_KOPF,
        felder: tabelle::SPALTEN.iter().map(FeldView::from).collect(),
    });

    let mit_ort = p
        .ids::<Projekt>()
        .filter(|id| p[*id].ort.as_ref().is_some_and(|o| o.koordinaten.is_some()))
        .count();
    datensaetze.push(Datensatz {
        anker: "Projekte-GeoJSON".into(),
        titel: "Projekte als Geodaten (GeoJSON)".into(),
        url: cx.href(daten::PROJEKTE),
        datei: "projekte.geojson".into(),
        format: "GeoJSON (RFC 7946), Koordinaten in WGS84".into(),
        groesse: groesse(daten::PROJEKTE),
        umfang: Some(format!(
            "{}, davon {} mit Ortsangabe",
            anzahl(p.projekte.len(), "Projekt", "Projekte"),
            format::zahl(mit_ort as u64)
        )),
        lizenz: eigene.clone(),
        lizenz_titel: "Lizenz",
        beschreibung: vec![
            "Jedes veröffentlichte Projekt mit allen Angaben als Eigenschaften; ein Projekt mit Ortsangabe als Punkt (Längengrad vor Breitengrad, wie RFC 7946 es vorschreibt), eines ohne Ortsangabe ohne Geometrie (\"geometry\": null). Kartenprogramme wie QGIS öffnen die Datei direkt und zeigen die Projekte ohne Ort nur in der Attributtabelle.".into(),
        ],
        felder_titel: "Eigenschaften jedes Projekts".into(),
        felder_kopf: EIGENSCHAFTEN_KOPF,
        felder: daten::PROJEKT_EIGENSCHAFTEN
            .iter()
            .map(FeldView::from)
            .collect(),
    });

    if let Some(d) = stadtteile(cx, &eigene) {
        datensaetze.push(d);
    }
    datensaetze.push(oparl_datensatz(cx, &eigene));

    let grenzen = p.karte.as_ref().map(|k| k.datei);
    for i in 0..p.dateien.len() {
        let id: Id<Datei> = Id::new(i);
        let d = &p[id];
        if d.pfad.starts_with("daten/") && !d.gesperrt && d.pfad != daten::STADTTEILE {
            datensaetze.push(redaktionsdatei(cx, id, grenzen == Some(id), &eigene));
        }
    }

    Built::new(
        "daten.html",
        "Offene Daten",
        "daten",
        &DatenSeite {
            lizenz: eigene,
            datensaetze,
        },
    )
    .crumbs(vec![start_crumb(cx)])
    .beschreibung("Die Daten des Portals zum Herunterladen: Projekte als Tabelle und Geodaten, Stadtteilgrenzen und eine OParl-Schnittstelle, mit Format, Lizenz und Beschreibung aller Felder.")
}

/// The licence of the portal's own data: `daten_lizenz`, else a pointer to the legal
/// notice.
fn eigene_lizenz(cx: &Cx) -> Lizenz {
    let p = cx.portal;
    if let Some(l) = &p.config.daten_lizenz {
        return Lizenz {
            text: l.name.clone(),
            url: l.url.clone(),
        };
    }
    let impressum = p
        .config
        .impressum
        .as_ref()
        .and_then(|slug| p.index.seite_by_slug.get(slug));
    match impressum {
        Some(id) => Lizenz {
            text: "siehe Impressum".into(),
            url: Some(cx.href(&routes::seite(p, *id))),
        },
        None => Lizenz {
            text: "nicht angegeben".into(),
            url: None,
        },
    }
}

/// The licence of the boundaries: their attribution, which names it.
fn grenzen_lizenz(cx: &Cx, eigene: &Lizenz) -> (Lizenz, Option<String>) {
    match cx.portal.karte.as_ref().and_then(|k| k.hinweis.clone()) {
        Some(h) => (
            Lizenz {
                text: h.clone(),
                url: None,
            },
            Some(h),
        ),
        None => (eigene.clone(), None),
    }
}

fn titel_der_lizenz(namensnennung: &Option<String>) -> &'static str {
    if namensnennung.is_some() {
        "Quelle und Lizenz"
    } else {
        "Lizenz"
    }
}

/// `/daten/stadtteile.geojson`: generated from the boundaries, or the editors' file.
fn stadtteile(cx: &Cx, eigene: &Lizenz) -> Option<Datensatz> {
    let p = cx.portal;
    let kopie = p.dateien.iter().position(|d| d.pfad == daten::STADTTEILE);
    let (groesse, felder, anzahl) = match kopie {
        Some(i) => {
            let d = &p.dateien[i];
            let (felder, anzahl) = geojson_felder(d, true);
            (d.groesse, felder, anzahl)
        }
        None => {
            let karte = p.karte.as_ref()?;
            let n = karte.flaechen.iter().filter(|f| f.is_some()).count();
            (
                *cx.erzeugt().groessen.get(daten::STADTTEILE)?,
                daten::STADTTEIL_EIGENSCHAFTEN
                    .iter()
                    .map(FeldView::from)
                    .collect(),
                Some(n),
            )
        }
    };
    let (lizenz, namensnennung) = grenzen_lizenz(cx, eigene);
    let mut beschreibung = vec![
        "Die Grenzen der Stadtteile, auf denen die Karten des Portals beruhen: eine Fläche je Stadtteil (Polygon oder MultiPolygon), Koordinaten in WGS84 (Längengrad, Breitengrad).".to_string(),
    ];
    if let Some(h) = &namensnennung {
        beschreibung.push(format!(
            "Wer die Grenzen weitergibt oder zeigt, muss diesen Hinweis mit angeben: „{h}“"
        ));
    }
    Some(Datensatz {
        anker: "Stadtteile-GeoJSON".into(),
        titel: "Stadtteilgrenzen (GeoJSON)".into(),
        url: cx.href(daten::STADTTEILE),
        datei: "stadtteile.geojson".into(),
        format: "GeoJSON (RFC 7946), Koordinaten in WGS84".into(),
        groesse: format::dateigroesse(groesse),
        umfang: anzahl.map(|n| match n {
            1 => "1 Fläche".to_string(),
            n => format!("{} Flächen", format::zahl(n as u64)),
        }),
        lizenz,
        lizenz_titel: titel_der_lizenz(&namensnennung),
        beschreibung,
        felder_titel: "Eigenschaften jeder Fläche".into(),
        felder_kopf: EIGENSCHAFTEN_KOPF,
        felder,
    })
}

fn oparl_datensatz(cx: &Cx, eigene: &Lizenz) -> Datensatz {
    let umfang = &cx.erzeugt().oparl;
    let mut beschreibung = vec![
        "Eine Schnittstelle im Standard OParl 1.1, den Ratsinformationssysteme in Deutschland anbieten: Programme, die OParl lesen, finden hier die Vorlagen mit ihrer Beratungsfolge, die Arbeitsgruppen, Sitzungen und Stadtteilforen. Einstiegspunkt ist system.json.".to_string(),
        "Die Schnittstelle besteht aus festen JSON-Dateien. Die id jedes Objekts ist die Adresse seiner Datei; Listen sind in Seiten zu 100 Objekten geteilt. Personen werden nicht veröffentlicht, die Liste der Personen ist leer. Sitzungen ohne Uhrzeit haben keine Startzeit, ihr Datum steht im Namen. Erstellt und geändert (created, modified) ergeben sich aus den Daten der Inhalte, etwa dem Datum einer Vorlage und ihrer Beratungen.".to_string(),
    ];
    if let Some(h) = cx.portal.karte.as_ref().and_then(|k| k.hinweis.as_ref())
        && umfang.mit_flaechen
    {
        beschreibung.push(format!(
            "Die Flächen der Stadtteile in den Ortsangaben (Location) stammen aus den Stadtteilgrenzen und tragen deren Hinweis: „{h}“"
        ));
    }
    Datensatz {
        anker: "OParl".into(),
        titel: "Vorlagen und Sitzungen (OParl)".into(),
        url: cx.href(oparl::SYSTEM),
        datei: "oparl/v1/system.json".into(),
        format: "JSON nach OParl 1.1".into(),
        groesse: format!(
            "{} in {} Dateien",
            format::dateigroesse(umfang.bytes),
            format::zahl(umfang.dateien as u64)
        ),
        umfang: None,
        lizenz: eigene.clone(),
        lizenz_titel: "Lizenz",
        beschreibung,
        felder_titel: "Objekte".into(),
        felder_kopf: ["Objekttyp", "Anzahl", "Inhalt"],
        felder: oparl::TYPEN
            .iter()
            .map(|(typ, inhalt)| FeldView {
                name: (*typ).to_string(),
                typ: format::zahl(umfang.anzahl.get(typ).copied().unwrap_or(0) as u64),
                bedeutung: (*inhalt).to_string(),
            })
            .collect(),
    }
}

/// A file the editors put into `content/daten/`, published unchanged.
fn redaktionsdatei(cx: &Cx, id: Id<Datei>, ist_grenzen: bool, eigene: &Lizenz) -> Datensatz {
    let d = &cx.portal[id];
    let endung = d.endung();
    let (felder, anzahl, titel) = match endung.as_str() {
        "geojson" | "json" => {
            let (felder, anzahl) = geojson_felder(d, ist_grenzen);
            (
                felder,
                anzahl.map(|n| format!("{} Geoobjekte (Features)", format::zahl(n as u64))),
                None,
            )
        }
        "csv" => (csv_spalten(d), None, None),
        "md" | "txt" => (Vec::new(), None, ueberschrift(d)),
        _ => (Vec::new(), None, None),
    };
    let (lizenz, namensnennung) = if ist_grenzen {
        grenzen_lizenz(cx, eigene)
    } else {
        (
            Lizenz {
                text: format!(
                    "soweit in der Datei nicht anders angegeben: {}",
                    eigene.text
                ),
                url: eigene.url.clone(),
            },
            None,
        )
    };
    let mut beschreibung = vec![if ist_grenzen {
        "Die Datei mit den Stadtteilgrenzen, aus der die Karten des Portals gezeichnet werden, so wie die Redaktion sie bereitstellt.".to_string()
    } else {
        "Eine Datei, die die Redaktion unverändert veröffentlicht.".to_string()
    }];
    if let Some(t) = titel {
        beschreibung.push(format!("Inhalt: {t}"));
    }
    let felder_titel = if endung == "csv" {
        "Spalten"
    } else {
        "Eigenschaften"
    };
    // Files may sit in sub-folders of content/daten/: their path there names them.
    let name = d.pfad.strip_prefix("daten/").unwrap_or(&d.pfad).to_string();
    Datensatz {
        anker: format!("Datei-{}", crate::slug::slugify(&name)),
        titel: name.clone(),
        url: cx.href(&routes::datei(cx.portal, id)),
        datei: name,
        format: d.typ(),
        groesse: format::dateigroesse(d.groesse),
        umfang: anzahl,
        lizenz,
        lizenz_titel: titel_der_lizenz(&namensnennung),
        beschreibung,
        felder_titel: felder_titel.into(),
        felder_kopf: if endung == "csv" {
            SPALTEN_KOPF
        } else {
            EIGENSCHAFTEN_KOPF
        },
        felder,
    }
}

/// The properties of a GeoJSON file's features, with the type of their first value,
/// and the number of features. The boundaries file's `name` and `nummer` mean what the
/// content model says.
fn geojson_felder(d: &Datei, ist_grenzen: bool) -> (Vec<FeldView>, Option<usize>) {
    let Some(value) = (d.groesse <= LESEN_BIS)
        .then(|| std::fs::read(&d.quelle).ok())
        .flatten()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return (Vec::new(), None);
    };
    let Some(features) = value.get("features").and_then(|f| f.as_array()) else {
        return (Vec::new(), None);
    };
    let mut felder: Vec<FeldView> = Vec::new();
    for f in features {
        let Some(props) = f.get("properties").and_then(|p| p.as_object()) else {
            continue;
        };
        for (key, v) in props {
            let typ = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::Bool(_) => "Wahrheitswert",
                serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "Ganzzahl",
                serde_json::Value::Number(_) => "Zahl",
                serde_json::Value::String(_) => "Text",
                serde_json::Value::Array(_) => "Liste",
                serde_json::Value::Object(_) => "Objekt",
            };
            if felder.iter().any(|x| x.name == *key) {
                continue;
            }
            let bedeutung = match (ist_grenzen, key.as_str()) {
                (true, "name") => "Name des Stadtteils",
                (true, "nummer") => "amtliche Nummer des Stadtteils",
                _ => "keine Beschreibung",
            };
            felder.push(FeldView {
                name: key.clone(),
                typ: typ.into(),
                bedeutung: bedeutung.into(),
            });
        }
    }
    (felder, Some(features.len()))
}

/// The column names of a CSV file's first line (`;` or `,` between them).
fn csv_spalten(d: &Datei) -> Vec<FeldView> {
    if d.groesse > LESEN_BIS {
        return Vec::new();
    }
    let Ok(text) = std::fs::read(&d.quelle) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&text);
    let kopf = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    let trenner = if kopf.matches(';').count() >= kopf.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(trenner)
        .has_headers(false)
        .from_reader(kopf.as_bytes());
    let Some(Ok(record)) = r.records().next() else {
        return Vec::new();
    };
    record
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| FeldView {
            name: s.trim().to_string(),
            typ: "Text".into(),
            bedeutung: "keine Beschreibung".into(),
        })
        .collect()
}

/// The first heading of a Markdown or text file (`# Daten: …` → `Daten: …`).
fn ueberschrift(d: &Datei) -> Option<String> {
    if d.groesse > LESEN_BIS {
        return None;
    }
    let text = std::fs::read_to_string(&d.quelle).ok()?;
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .filter(|l| !l.is_empty())
}
