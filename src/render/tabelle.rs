//! `/daten/projekte.csv`: every published project as one row of a table that German
//! spreadsheet programs open as it is.
//!
//! - UTF-8 with a byte order mark, so Excel does not read the umlauts as Windows-1252;
//! - `;` between the columns and a decimal comma (`1500,00`, `52,11243`), which is what
//!   Excel and LibreOffice expect in a German locale: with `,` Excel puts every row into
//!   the first column, and with a decimal point it reads `52.11243` as a date or as
//!   5,211,243;
//! - quoting and CRLF line ends as RFC 4180 describes (the `csv` crate writes them);
//! - text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return) start with an apostrophe, which the program shows
//!   as text: a project title like `=HYPERLINK(…)` cannot become a link or a command
//!   ("CSV injection"). Numbers and dates are written by quartier and never affected.

use super::daten::Feld;
use super::{Content, Output, routes};
use crate::model::{Euro, Portal, Projekt};

pub const PFAD: &str = crate::resolve::GENERATED_FILES[1];

/// The columns, in order, with type and meaning as the `/daten/` page documents them.
pub const SPALTEN: &[Feld] = &[
    Feld::new("titel", "Text", "Titel des Projekts"),
    Feld::new(
        "slug",
        "Text",
        "Kennung des Projekts im Portal (Teil seiner Adresse)",
    ),
    Feld::new("url", "Adresse (URL)", "Seite des Projekts im Portal"),
    Feld::new("jahr", "Ganzzahl", "Förderjahr"),
    Feld::new(
        "stadtteile",
        "Liste",
        "Kennungen der Stadtteile, durch Komma und Leerzeichen getrennt",
    ),
    Feld::new(
        "ag",
        "Text",
        "Kennung der Arbeitsgruppe, die das Projekt koordiniert hat (leer: keine)",
    ),
    Feld::new(
        "foerderung",
        "Text",
        "Förderung: initiativfonds, soziale-stadt oder eine andere Förderung im Wortlaut",
    ),
    Feld::new(
        "foerdersumme",
        "Dezimalzahl",
        "bewilligte Förderung in Euro, mit Dezimalkomma und ohne Tausenderpunkt (1500,00)",
    ),
    Feld::new("traeger", "Text", "Träger, der das Projekt durchführt"),
    Feld::new("beteiligte", "Ganzzahl", "Zahl der Beteiligten"),
    Feld::new("von", "Datum", "Beginn (JJJJ-MM-TT)"),
    Feld::new("bis", "Datum", "Ende (JJJJ-MM-TT)"),
    Feld::new("status", "Text", "geplant, laufend oder abgeschlossen"),
    Feld::new("adresse", "Text", "Ort des Projekts in Worten"),
    Feld::new(
        "lat",
        "Dezimalzahl",
        "geografische Breite (WGS84), mit Dezimalkomma; leer: kein Ort angegeben",
    ),
    Feld::new(
        "lon",
        "Dezimalzahl",
        "geografische Länge (WGS84), mit Dezimalkomma; leer: kein Ort angegeben",
    ),
    Feld::new(
        "ziele",
        "Liste",
        "Ziele der Förderrichtlinie, durch Komma und Leerzeichen getrennt: lebensqualitaet, beleben, generationen, vernetzung, ressourcen, kompetenzen",
    ),
    Feld::new(
        "beispiel",
        "ja/nein",
        "„ja“: ein erfundener Beispieleintrag, kein wirkliches Projekt",
    ),
];

/// The file's bytes.
pub fn output(p: &Portal) -> Output {
    Output {
        path: PFAD.to_string(),
        content: Content::Bytes(csv(p)),
    }
}

fn csv(p: &Portal) -> Vec<u8> {
    // The byte order mark first: without it Excel reads UTF-8 as Windows-1252.
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut bytes);
        // Writing into memory cannot fail.
        let _ = w.write_record(SPALTEN.iter().map(|s| s.name));
        for id in p.ids::<Projekt>() {
            let _ = w.write_record(zeile(p, id));
        }
        let _ = w.flush();
    }
    bytes
}

fn zeile(p: &Portal, id: crate::model::Id<Projekt>) -> Vec<String> {
    let x = &p[id];
    let koordinaten = x.ort.as_ref().and_then(|o| o.koordinaten);
    let liste = |items: Vec<&str>| items.join(", ");
    vec![
        text(&x.titel),
        x.meta.slug.clone(),
        format!("{}{}", p.config.base_url.url(), routes::projekt(p, id)),
        x.jahr.to_string(),
        liste(
            x.stadtteile
                .iter()
                .map(|s| p[*s].meta.slug.as_str())
                .collect(),
        ),
        x.ag.map(|a| p[a].meta.slug.clone()).unwrap_or_default(),
        text(x.foerderung.code()),
        x.foerdersumme.map(euro).unwrap_or_default(),
        x.traeger.as_deref().map(text).unwrap_or_default(),
        x.beteiligte.map(|b| b.to_string()).unwrap_or_default(),
        x.von.map(|d| d.to_string()).unwrap_or_default(),
        x.bis.map(|d| d.to_string()).unwrap_or_default(),
        x.status.map(|s| s.code().to_string()).unwrap_or_default(),
        x.ort
            .as_ref()
            .and_then(|o| o.adresse.as_deref())
            .map(text)
            .unwrap_or_default(),
        koordinaten.map(|k| dezimal(k.lat)).unwrap_or_default(),
        koordinaten.map(|k| dezimal(k.lon)).unwrap_or_default(),
        liste(x.ziele.iter().map(|z| z.code()).collect()),
        if x.meta.beispiel { "ja" } else { "nein" }.to_string(),
    ]
}

/// A text cell, neutralised where a spreadsheet would take it for a formula.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `1500,00`: euro with a decimal comma and no thousands separator.
fn euro(e: Euro) -> String {
    let c = e.cents();
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", c.abs() / 100, c.abs() % 100)
}

/// `52,11243`: the shortest exact form of the number, with a decimal comma.
fn dezimal(x: f64) -> String {
    x.to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formulas() {
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("+49 391"), "'+49 391");
        assert_eq!(text("-x"), "'-x");
        assert_eq!(text("@SUMME(A1)"), "'@SUMME(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("Kiezfest = Spaß"), "Kiezfest = Spaß");
    }

    #[test]
    fn german_numbers() {
        assert_eq!(euro(Euro::from_cents(150_050)), "1500,50");
        assert_eq!(euro(Euro::from_cents(7)), "0,07");
        assert_eq!(dezimal(52.11243), "52,11243");
        assert_eq!(dezimal(11.0), "11");
    }
}
