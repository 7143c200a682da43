//! `quartier new`: a correctly filled-in content file, every field explained in German.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jiff::civil::Date;

use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::load::{self, Kind};
use crate::model::Vorlagennummer;
use crate::slug::slugify;

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
    let loaded = load::load(root);
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

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn liste(slugs: &[String]) -> String {
    format!("[{}]", slugs.join(", "))
}

fn stadtteil(r: &Request) -> String {
    format!(
        r#"---
name: {name}              # amtlicher Name des Stadtteils
# nummer: "30"            # amtliche Stadtteilnummer, falls vorhanden (in Anführungszeichen)
# einwohner: 12345        # Einwohnerzahl (ganze Zahl)
# flaeche_km2: 3.5        # Fläche in km² (Dezimalpunkt)
# stand: 2025-12-31       # Stand der Zahlen oben (JJJJ-MM-TT)
# soziale_stadt: true     # Teil eines Programmgebiets „Soziale Stadt“?
# stadtteilmanagement:    # nur wo es ein Stadtteilmanagement gibt
#   traeger: "…"
#   adresse: "…"
#   telefon: "…"
#   email: "…"
#   sprechstunden:
#     - wochentag: dienstag   # montag … sonntag
#       von: "10:00"
#       bis: "12:00"
#       ort: "…"
# beispiel: true          # nur für erfundene Beispieldaten
---

Beschreibung des Stadtteils (Markdown).
"#,
        name = q(&r.titel)
    )
}

fn ag(r: &Request) -> String {
    format!(
        r#"---
name: {name}                  # z. B. „AG Gemeinwesenarbeit Sudenburg“
stadtteile: {stadtteile}      # Slugs der Stadtteile, in denen die AG arbeitet
# gegruendet: 1997            # Gründungsjahr
# kontakt:
#   email: "…"
#   telefon: "…"
#   adresse: "…"
#   web: "https://…"
# sprecherrat:                # Namen oder Rollen, wie veröffentlicht
#   - "Sprecherin"
# sitzungsregel: "jeden 2. Dienstag im Monat, 17:00 Uhr"
# sitzungen:
#   - datum: 2026-12-08       # JJJJ-MM-TT
#     zeit: "17:00"           # HH:MM
#     ort: "…"
#     thema: "…"
#     protokoll: |            # Markdown – oder eine Datei unter content/dateien/, z. B. protokolle/2026-12.pdf
#       Kurzprotokoll …
---

Was die AG macht (Markdown).
"#,
        name = q(&r.titel),
        stadtteile = liste(&r.stadtteile)
    )
}

fn projekt(r: &Request, jahr: i16) -> String {
    let ag = r.ag.as_ref().map_or(
        "# ag: ag-gwa-…                  # Slug der koordinierenden AG".to_string(),
        |a| format!("ag: {a}                          # Slug der koordinierenden AG"),
    );
    format!(
        r#"---
titel: {titel}
jahr: {jahr}                               # Förderjahr
stadtteile: {stadtteile}                   # Slugs der Stadtteile (mindestens einer)
{ag}
foerderung: initiativfonds               # initiativfonds, soziale-stadt oder freier Text
# foerdersumme: 1500.00                  # bewilligte Summe in Euro (Zahl mit Dezimalpunkt)
# traeger: "…"                           # wer das Projekt durchführt
# beteiligte: 120                        # Zahl der Beteiligten
# von: {jahr}-05-01                        # Beginn (JJJJ-MM-TT)
# bis: {jahr}-09-30                        # Ende (JJJJ-MM-TT)
status: geplant                          # geplant, laufend oder abgeschlossen
# ort:
#   adresse: "…"
#   lat: 52.12                           # Breitengrad (WGS84)
#   lon: 11.62                           # Längengrad (WGS84)
# ziele: [lebensqualitaet, vernetzung]   # lebensqualitaet, beleben, generationen, vernetzung, ressourcen, kompetenzen
# bilder:
#   - datei: bilder/foto.jpg             # unter content/dateien/
#     alt: "Was auf dem Bild zu sehen ist"
---

Was das Projekt macht und was es erreicht hat (Markdown).
"#,
        titel = q(&r.titel),
        stadtteile = liste(&r.stadtteile),
    )
}

fn forum(r: &Request, datum: Date) -> String {
    format!(
        r#"---
titel: {titel}
datum: {datum}                        # JJJJ-MM-TT
# zeit: "18:00"                       # Beginn, HH:MM
# ort: "…"
stadtteile: {stadtteile}
veranstalter: "Dezernat VI, Stadtteilmanagement"
# tagesordnung:
#   - "Begrüßung"
#   - "…"
# anhaenge:
#   - datei: foren/einladung.pdf      # unter content/dateien/
#     titel: "Einladung"
---

Einladung oder Protokoll (Markdown).
"#,
        titel = q(&r.titel),
        stadtteile = liste(&r.stadtteile)
    )
}

fn vorlage(r: &Request, nummer: &Vorlagennummer, datum: Date) -> String {
    let stadtteile = if r.stadtteile.is_empty() {
        "# stadtteile: [sudenburg]            # betroffene Stadtteile (Slugs)".to_string()
    } else {
        format!("stadtteile: {}", liste(&r.stadtteile))
    };
    format!(
        r#"---
nummer: {nummer}
art: information                      # information, beschlussvorlage, antrag, anfrage oder stellungnahme
thema: {thema}
datum: {datum}                        # JJJJ-MM-TT
# dezernat: "V"
# amt: "V/02"
oeffentlich: true                     # nicht öffentliche Vorlagen werden nie veröffentlicht
# beratungsfolge:
#   - gremium: "Stadtrat"
#     datum: {datum}
#     behandlung: öffentlich          # öffentlich oder nicht öffentlich
# bearbeiter: "…"
# unterzeichnet: "…"
{stadtteile}
# ags: [ag-gwa-…]                     # betroffene AGs (Slugs)
# anhaenge:
#   - datei: vorlagen/{file}.pdf      # unter content/dateien/
#     titel: "unterschriebenes Original"
---

Text der Vorlage (Markdown).
"#,
        nummer = q(nummer.as_str()),
        thema = q(&r.titel),
        file = nummer.dateiname(),
    )
}

fn seite(r: &Request) -> String {
    format!(
        r#"---
titel: {titel}
# menue: 5                 # Position in der Hauptnavigation (ohne: nicht im Menü)
---

Text der Seite (Markdown).
"#,
        titel = q(&r.titel)
    )
}
