//! `quartier new`: a correctly filled-in content file, every field explained in German.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::civil::Date;

use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::load::{self, Kind};
use crate::model::Vorlagennummer;
use crate::slug::slugify;
use crate::yaml;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typ {
    Stadtteil,
    Ag,
    Projekt,
    Forum,
    Vorlage,
    Seite,
}

impl FromStr for Typ {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_lowercase().as_str() {
            "stadtteil" => Typ::Stadtteil,
            "ag" => Typ::Ag,
            "projekt" => Typ::Projekt,
            "forum" | "stadtteilforum" => Typ::Forum,
            "vorlage" => Typ::Vorlage,
            "seite" => Typ::Seite,
            other => {
                return Err(format!(
                    "unbekannter Typ '{other}': erlaubt sind stadtteil, ag, projekt, forum, vorlage, seite"
                ));
            }
        })
    }
}

impl Typ {
    fn kind(self) -> Kind {
        match self {
            Typ::Stadtteil => Kind::Stadtteil,
            Typ::Ag => Kind::Ag,
            Typ::Projekt => Kind::Projekt,
            Typ::Forum => Kind::Forum,
            Typ::Vorlage => Kind::Vorlage,
            Typ::Seite => Kind::Seite,
        }
    }
}

/// What the editor asked for on the command line.
#[derive(Debug, Clone)]
pub struct Request {
    pub typ: Typ,
    pub titel: String,
    pub stadtteile: Vec<String>,
    pub jahr: Option<i16>,
    pub ag: Option<String>,
    pub datum: Option<Date>,
    pub nummer: Option<String>,
}

fn problem(code: Code, message: impl Into<String>, hint: impl Into<String>) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(code, message).hint(hint))
}

/// Writes the new file and returns its path. Never overwrites anything.
pub fn create(root: &Path, req: &Request, heute: Date) -> Result<PathBuf, Box<Diagnostic>> {
    if !root.join("content").is_dir() {
        return Err(problem(
            Code::PortalYamlFehlt,
            format!("kein Ordner content/ in '{}'", root.display()),
            "Rufen Sie den Befehl im Ordner des Portals auf oder geben Sie --root an.",
        ));
    }
    let loaded = load::load(root, &[]);
    let mut slugs: HashMap<Kind, Vec<String>> = HashMap::new();
    for d in &loaded.documents {
        slugs.entry(d.kind).or_default().push(d.slug.clone());
    }
    let known = |kind: Kind| slugs.get(&kind).cloned().unwrap_or_default();

    let check_refs = |kind: Kind, wanted: &[String], label: &str| -> Result<(), Box<Diagnostic>> {
        let all = known(kind);
        for w in wanted {
            if !all.contains(w) {
                let hint = did_you_mean(w, all.iter().map(String::as_str)).unwrap_or_else(|| {
                    format!(
                        "Vorhandene Slugs stehen als Dateinamen in content/{}/.",
                        kind.folder()
                    )
                });
                return Err(problem(
                    Code::UnbekannterVerweis,
                    format!("unbekannte{label} '{w}'"),
                    hint,
                ));
            }
        }
        Ok(())
    };
    check_refs(Kind::Stadtteil, &req.stadtteile, "r Stadtteil")?;
    if let Some(ag) = &req.ag {
        check_refs(Kind::Ag, std::slice::from_ref(ag), " AG")?;
    }
    let needs_stadtteil = matches!(req.typ, Typ::Ag | Typ::Projekt | Typ::Forum);
    if needs_stadtteil && req.stadtteile.is_empty() {
        return Err(problem(
            Code::PflichtfeldFehlt,
            "bitte mit --stadtteil angeben, wo es stattfindet",
            "Zum Beispiel: --stadtteil sudenburg (mehrfach möglich).",
        ));
    }

    let (slug, folder, text) = match req.typ {
        Typ::Vorlage => {
            let raw = req.nummer.as_deref().ok_or_else(|| {
                problem(
                    Code::PflichtfeldFehlt,
                    "bitte die Nummer der Vorlage mit --nummer angeben",
                    "Zum Beispiel: --nummer I0264/09",
                )
            })?;
            let nummer = Vorlagennummer::parse(raw).ok_or_else(|| {
                problem(
                    Code::UngueltigerWert,
                    format!("'{raw}' ist keine Vorlagennummer"),
                    "Zum Beispiel: I0264/09 oder DS0123/24",
                )
            })?;
            (
                nummer.slug(),
                "vorlagen".to_string(),
                vorlage(req, &nummer, req.datum.unwrap_or(heute)),
            )
        }
        typ => {
            let slug = slugify(&req.titel);
            if slug.is_empty() {
                return Err(problem(
                    Code::UngueltigerSlug,
                    format!("aus '{}' lässt sich kein Dateiname bilden", req.titel),
                    "Der Titel braucht Buchstaben oder Ziffern.",
                ));
            }
            let jahr = req.jahr.unwrap_or(heute.year());
            let folder = match typ {
                Typ::Projekt => format!("projekte/{jahr}"),
                _ => typ.kind().folder().to_string(),
            };
            let text = match typ {
                Typ::Stadtteil => stadtteil(req),
                Typ::Ag => ag(req),
                Typ::Projekt => projekt(req, jahr),
                Typ::Forum => forum(req, req.datum.unwrap_or(heute)),
                _ => seite(req),
            };
            (slug, folder, text)
        }
    };
    if known(req.typ.kind()).contains(&slug) {
        return Err(problem(
            Code::DoppelterSlug,
            format!(
                "'{slug}' gibt es schon in content/{}/",
                req.typ.kind().folder()
            ),
            "Wählen Sie einen anderen Titel oder bearbeiten Sie die vorhandene Datei.",
        ));
    }
    let dir = root.join("content").join(&folder);
    let path = dir.join(format!("{slug}.md"));
    std::fs::create_dir_all(&dir).map_err(|e| {
        problem(
            Code::DateiUnlesbar,
            format!("'{}' kann nicht angelegt werden: {e}", dir.display()),
            "Prüfen Sie die Schreibrechte.",
        )
    })?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = file.map_err(|e| {
        let shown = load::rel(root, &path);
        let d = if e.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::new(
                Code::DoppelterSlug,
                format!("die Datei '{shown}' gibt es schon"),
            )
            .hint("quartier new überschreibt nie eine vorhandene Datei.")
        } else {
            Diagnostic::new(
                Code::DateiUnlesbar,
                format!("'{shown}' kann nicht geschrieben werden: {e}"),
            )
        };
        Box::new(d.at(Location::file(shown)))
    })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| {
        problem(
            Code::DateiUnlesbar,
            format!("'{}' kann nicht geschrieben werden: {e}", path.display()),
            "Prüfen Sie den freien Speicherplatz.",
        )
    })?;
    Ok(path)
}

fn liste(slugs: &[String]) -> String {
    format!("[{}]", slugs.join(", "))
}

fn stadtteil(r: &Request) -> String {
    let zeilen = [
        (
            format!("name: {}", yaml::quote(&r.titel)),
            "amtlicher Name des Stadtteils",
        ),
        (
            "# nummer: \"30\"".into(),
            "amtliche Stadtteilnummer, falls vorhanden",
        ),
        ("# einwohner: 12345".into(), "Einwohnerzahl"),
        ("# flaeche_km2: 3.5".into(), "Fläche in km² (Dezimalpunkt)"),
        (
            "# stand: 2025-12-31".into(),
            "Stand der Zahlen (JJJJ-MM-TT)",
        ),
        (
            "# soziale_stadt: true".into(),
            "Teil eines Programmgebiets „Soziale Stadt“",
        ),
        ("# stadtteilmanagement:".into(), "nur wo es eines gibt"),
        ("#   traeger: \"…\"".into(), ""),
        ("#   adresse: \"…\"".into(), ""),
        ("#   telefon: \"…\"".into(), ""),
        ("#   email: \"…\"".into(), ""),
        (
            "#   sprechstunden:".into(),
            "Bürgersprechstunden, jede Woche",
        ),
        ("#     - wochentag: dienstag".into(), "montag … sonntag"),
        ("#       von: \"10:00\"".into(), "HH:MM"),
        ("#       bis: \"12:00\"".into(), ""),
        ("#       ort: \"…\"".into(), ""),
    ];
    format!(
        "---\n{}---\n\nBeschreibung des Stadtteils (Markdown).\n",
        kommentiert(&zeilen)
    )
}

fn ag(r: &Request) -> String {
    let zeilen = [
        (
            format!("name: {}", yaml::quote(&r.titel)),
            "z. B. „AG Gemeinwesenarbeit Sudenburg“",
        ),
        (
            format!("stadtteile: {}", liste(&r.stadtteile)),
            "Slugs der Stadtteile, in denen die AG arbeitet",
        ),
        ("# gegruendet: 1997".into(), "Gründungsjahr"),
        ("# kontakt:".into(), ""),
        ("#   email: \"…\"".into(), ""),
        ("#   telefon: \"…\"".into(), ""),
        ("#   adresse: \"…\"".into(), ""),
        ("#   web: \"https://…\"".into(), "mit https://"),
        (
            "# sprecherrat:".into(),
            "Namen oder Rollen, wie veröffentlicht",
        ),
        ("#   - \"Sprecherin\"".into(), ""),
        (
            "# sitzungsregel: \"jeden 2. Dienstag im Monat, 17:00 Uhr\"".into(),
            "",
        ),
        ("# sitzungen:".into(), "eine Zeile „- datum:“ je Sitzung"),
        ("#   - datum: 2026-12-08".into(), "JJJJ-MM-TT"),
        ("#     zeit: \"17:00\"".into(), "HH:MM"),
        ("#     ort: \"…\"".into(), ""),
        ("#     thema: \"…\"".into(), ""),
        (
            "#     protokoll: |".into(),
            "Markdown – oder eine Datei wie protokolle/2026-12.pdf",
        ),
        ("#       Kurzprotokoll …".into(), ""),
    ];
    format!(
        "---\n{}---\n\nWas die AG macht (Markdown).\n",
        kommentiert(&zeilen)
    )
}

fn projekt(r: &Request, jahr: i16) -> String {
    let ag = match &r.ag {
        Some(a) => format!("ag: {a}"),
        None => "# ag: ag-gwa-…".to_string(),
    };
    let zeilen = [
        (format!("titel: {}", yaml::quote(&r.titel)), ""),
        (format!("jahr: {jahr}"), "Förderjahr"),
        (
            format!("stadtteile: {}", liste(&r.stadtteile)),
            "Slugs der Stadtteile (mindestens einer)",
        ),
        (ag, "Slug der koordinierenden AG"),
        (
            "foerderung: initiativfonds".into(),
            "initiativfonds, soziale-stadt oder freier Text",
        ),
        (
            "# foerdersumme: 1500.00".into(),
            "bewilligte Summe in Euro (Dezimalpunkt)",
        ),
        ("# traeger: \"…\"".into(), "wer das Projekt durchführt"),
        ("# beteiligte: 120".into(), "Zahl der Beteiligten"),
        (format!("# von: {jahr}-05-01"), "Beginn (JJJJ-MM-TT)"),
        (format!("# bis: {jahr}-09-30"), "Ende (JJJJ-MM-TT)"),
        (
            "status: geplant".into(),
            "geplant, laufend oder abgeschlossen",
        ),
        ("# ort:".into(), "wo das Projekt stattfindet"),
        ("#   adresse: \"…\"".into(), ""),
        ("#   lat: 52.12".into(), "Breitengrad (WGS84)"),
        ("#   lon: 11.62".into(), "Längengrad (WGS84)"),
        (
            "# ziele: [lebensqualitaet, vernetzung]".into(),
            "lebensqualitaet, beleben, generationen, vernetzung, ressourcen, kompetenzen",
        ),
        ("# bilder:".into(), "Fotos unter content/dateien/"),
        ("#   - datei: bilder/foto.jpg".into(), ""),
        (
            "#     alt: \"Was auf dem Bild zu sehen ist\"".into(),
            "Pflicht: beschreibt das Bild",
        ),
        (
            "#     bildnachweis: \"Foto: …\"".into(),
            "steht unter dem Bild",
        ),
    ];
    format!(
        "---\n{}---\n\nWas das Projekt macht und was es erreicht hat (Markdown).\n",
        kommentiert(&zeilen)
    )
}

/// Lines of YAML with their German explanation aligned in one column.
fn kommentiert(zeilen: &[(String, &str)]) -> String {
    let breite = zeilen
        .iter()
        .map(|(z, _)| z.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    zeilen
        .iter()
        .map(|(zeile, kommentar)| {
            if kommentar.is_empty() {
                format!("{zeile}\n")
            } else {
                let luecke = breite - zeile.chars().count();
                format!("{zeile}{}# {kommentar}\n", " ".repeat(luecke))
            }
        })
        .collect()
}

fn forum(r: &Request, datum: Date) -> String {
    let zeilen = [
        (format!("titel: {}", yaml::quote(&r.titel)), ""),
        (format!("datum: {datum}"), "JJJJ-MM-TT"),
        ("# zeit: \"18:00\"".into(), "Beginn, HH:MM"),
        ("# ort: \"…\"".into(), ""),
        (
            format!("stadtteile: {}", liste(&r.stadtteile)),
            "Slugs der Stadtteile",
        ),
        (
            "veranstalter: \"Dezernat VI, Stadtteilmanagement\"".into(),
            "",
        ),
        ("# tagesordnung:".into(), ""),
        ("#   - \"Begrüßung\"".into(), ""),
        ("# anhaenge:".into(), "Dateien unter content/dateien/"),
        ("#   - datei: foren/einladung.pdf".into(), ""),
        ("#     titel: \"Einladung\"".into(), ""),
    ];
    format!(
        "---\n{}---\n\nEinladung oder Protokoll (Markdown).\n",
        kommentiert(&zeilen)
    )
}

fn vorlage(r: &Request, nummer: &Vorlagennummer, datum: Date) -> String {
    let stadtteile = if r.stadtteile.is_empty() {
        "# stadtteile: [sudenburg]".to_string()
    } else {
        format!("stadtteile: {}", liste(&r.stadtteile))
    };
    let zeilen = [
        (
            format!("nummer: {}", yaml::quote(nummer.as_str())),
            "Dateiname = Nummer, klein, / wird -",
        ),
        (
            "art: information".into(),
            "information, beschlussvorlage, antrag, anfrage oder stellungnahme",
        ),
        (format!("thema: {}", yaml::quote(&r.titel)), ""),
        (format!("datum: {datum}"), "JJJJ-MM-TT"),
        ("# dezernat: \"V\"".into(), ""),
        ("# amt: \"V/02\"".into(), ""),
        (
            "oeffentlich: true".into(),
            "nicht öffentliche Vorlagen werden nie veröffentlicht",
        ),
        (
            "# beratungsfolge:".into(),
            "eine Zeile „- gremium:“ je Beratung",
        ),
        ("#   - gremium: \"Stadtrat\"".into(), ""),
        (format!("#     datum: {datum}"), ""),
        (
            "#     behandlung: öffentlich".into(),
            "öffentlich oder nicht öffentlich",
        ),
        ("# bearbeiter: \"…\"".into(), "wie auf der Vorlage gedruckt"),
        ("# unterzeichnet: \"…\"".into(), ""),
        (stadtteile, "betroffene Stadtteile (Slugs)"),
        ("# ags: [ag-gwa-…]".into(), "betroffene AGs (Slugs)"),
        ("# anhaenge:".into(), "Dateien unter content/dateien/"),
        (
            format!("#   - datei: vorlagen/{}.pdf", nummer.dateiname()),
            "",
        ),
        ("#     titel: \"unterschriebenes Original\"".into(), ""),
    ];
    format!(
        "---\n{}---\n\nText der Vorlage (Markdown).\n",
        kommentiert(&zeilen)
    )
}

fn seite(r: &Request) -> String {
    let zeilen = [
        (format!("titel: {}", yaml::quote(&r.titel)), ""),
        (
            "# menue: 5".into(),
            "Position in der Hauptnavigation (ohne: nicht im Menü)",
        ),
        ("# kurztitel: \"…\"".into(), "kürzerer Titel für das Menü"),
    ];
    format!(
        "---\n{}---\n\nText der Seite (Markdown).\n",
        kommentiert(&zeilen)
    )
}
