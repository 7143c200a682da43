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
    pub const ALLE: [Typ; 6] = [
        Typ::Stadtteil,
        Typ::Ag,
        Typ::Projekt,
        Typ::Forum,
        Typ::Vorlage,
        Typ::Seite,
    ];

    /// The name of the type's schema file: `schema/{name}.schema.json`.
    pub fn schema_name(self) -> &'static str {
        match self {
            Typ::Stadtteil => "stadtteil",
            Typ::Ag => "ag",
            Typ::Projekt => "projekt",
            Typ::Forum => "forum",
            Typ::Vorlage => "vorlage",
            Typ::Seite => "seite",
        }
    }

    pub fn kind(self) -> Kind {
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
    pub felder: Felder,
}

/// The usual fields of each type, filled in from the command line instead of left as
/// commented examples.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Felder {
    /// Projekt: bewilligte Fördersumme in Euro (z. B. 1500 oder 1500,50).
    #[arg(long, value_parser = betrag)]
    pub betrag: Option<f64>,
    /// Projekt: Zahl der Teilnehmenden (Feld beteiligte).
    #[arg(long)]
    pub teilnehmende: Option<u64>,
    /// Projekt: Träger, der das Projekt durchführt.
    #[arg(long)]
    pub traeger: Option<String>,
    /// Projekt: Förderung (initiativfonds, soziale-stadt oder freier Text).
    #[arg(long)]
    pub foerderung: Option<String>,
    /// Projekt: Status.
    #[arg(long, value_parser = ["geplant", "laufend", "abgeschlossen"])]
    pub status: Option<String>,
    /// Projekt: Beginn (JJJJ-MM-TT).
    #[arg(long)]
    pub von: Option<Date>,
    /// Projekt: Ende (JJJJ-MM-TT).
    #[arg(long)]
    pub bis: Option<Date>,
    /// Projekt: Adresse; Forum: Veranstaltungsort.
    #[arg(long)]
    pub ort: Option<String>,
    /// Forum: Beginn (HH:MM).
    #[arg(long)]
    pub zeit: Option<jiff::civil::Time>,
    /// Forum: Veranstalter.
    #[arg(long)]
    pub veranstalter: Option<String>,
    /// AG: Kontakt-E-Mail.
    #[arg(long)]
    pub email: Option<String>,
    /// AG: Kontakt-Telefon.
    #[arg(long)]
    pub telefon: Option<String>,
    /// AG: Webseite (mit https://).
    #[arg(long)]
    pub web: Option<String>,
    /// AG: Sitzungsregel, z. B. „jeden 2. Dienstag im Monat, 17:00 Uhr“.
    #[arg(long)]
    pub sitzungsregel: Option<String>,
    /// AG: Gründungsjahr.
    #[arg(long)]
    pub gegruendet: Option<i32>,
    /// Vorlage: Art.
    #[arg(long, value_parser = ["information", "beschlussvorlage", "antrag", "anfrage", "stellungnahme"])]
    pub art: Option<String>,
    /// Vorlage: Dezernat, z. B. V.
    #[arg(long)]
    pub dezernat: Option<String>,
    /// Vorlage: Amt, z. B. V/02.
    #[arg(long)]
    pub amt: Option<String>,
    /// Stadtteil: Einwohnerzahl.
    #[arg(long)]
    pub einwohner: Option<u64>,
    /// Seite: Position in der Hauptnavigation.
    #[arg(long)]
    pub menue: Option<u32>,
    /// Als YAML-Datei (.yaml) mit Schema-Verweis schreiben statt als Markdown (.md):
    /// der Editor ergänzt und prüft dann schon beim Tippen.
    #[arg(long)]
    pub yaml: bool,
}

impl Felder {
    /// The options given, each with the types it applies to.
    fn gegeben(&self) -> Vec<(&'static str, &'static [Typ])> {
        use Typ::*;
        let mut v: Vec<(&'static str, &'static [Typ])> = Vec::new();
        let mut add = |given: bool, name: &'static str, typen: &'static [Typ]| {
            if given {
                v.push((name, typen));
            }
        };
        add(self.betrag.is_some(), "--betrag", &[Projekt]);
        add(self.teilnehmende.is_some(), "--teilnehmende", &[Projekt]);
        add(self.traeger.is_some(), "--traeger", &[Projekt]);
        add(self.foerderung.is_some(), "--foerderung", &[Projekt]);
        add(self.status.is_some(), "--status", &[Projekt]);
        add(self.von.is_some(), "--von", &[Projekt]);
        add(self.bis.is_some(), "--bis", &[Projekt]);
        add(self.ort.is_some(), "--ort", &[Projekt, Forum]);
        add(self.zeit.is_some(), "--zeit", &[Forum]);
        add(self.veranstalter.is_some(), "--veranstalter", &[Forum]);
        add(self.email.is_some(), "--email", &[Ag]);
        add(self.telefon.is_some(), "--telefon", &[Ag]);
        add(self.web.is_some(), "--web", &[Ag]);
        add(self.sitzungsregel.is_some(), "--sitzungsregel", &[Ag]);
        add(self.gegruendet.is_some(), "--gegruendet", &[Ag]);
        add(self.art.is_some(), "--art", &[Vorlage]);
        add(self.dezernat.is_some(), "--dezernat", &[Vorlage]);
        add(self.amt.is_some(), "--amt", &[Vorlage]);
        add(self.einwohner.is_some(), "--einwohner", &[Stadtteil]);
        add(self.menue.is_some(), "--menue", &[Seite]);
        v
    }
}

/// An option the type has no field for would be lost silently: refuse it.
fn passende_optionen(req: &Request) -> Result<(), Box<Diagnostic>> {
    let mut gegeben = req.felder.gegeben();
    gegeben.push(("--jahr", &[Typ::Projekt]));
    gegeben.push(("--ag", &[Typ::Projekt, Typ::Vorlage]));
    gegeben.push(("--datum", &[Typ::Forum, Typ::Vorlage]));
    gegeben.push(("--nummer", &[Typ::Vorlage, Typ::Stadtteil]));
    let tatsaechlich = |name: &str| match name {
        "--jahr" => req.jahr.is_some(),
        "--ag" => req.ag.is_some(),
        "--datum" => req.datum.is_some(),
        "--nummer" => req.nummer.is_some(),
        _ => true,
    };
    if req.typ == Typ::Seite || req.typ == Typ::Stadtteil {
        if let Some(s) = req.stadtteile.first() {
            return Err(problem(
                Code::UngueltigerWert,
                format!("--stadtteil {s} passt nicht zu {}", req.typ.schema_name()),
                "Lassen Sie --stadtteil weg.",
            ));
        }
    }
    for (name, typen) in gegeben {
        if tatsaechlich(name) && !typen.contains(&req.typ) {
            let namen: Vec<&str> = typen.iter().map(|t| t.schema_name()).collect();
            return Err(problem(
                Code::UngueltigerWert,
                format!(
                    "die Option {name} gibt es nicht für {}",
                    req.typ.schema_name()
                ),
                format!(
                    "{name} gilt für: {}. `quartier new --help` nennt alle Optionen.",
                    namen.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// `1500`, `1500.50`, `1.500,50`, `1500 €` → 1500.5 (German spreadsheets and habits).
pub fn betrag(s: &str) -> Result<f64, String> {
    let t = s
        .trim()
        .trim_end_matches('€')
        .trim_end_matches("EUR")
        .trim();
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() > 1 || t.rsplit_once('.').is_some_and(|(_, r)| r.len() == 3) {
        // 1.500 is fifteen hundred in German
        t.replace('.', "")
    } else {
        t
    };
    match normal.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "'{s}' ist kein Betrag in Euro (z. B. 1500 oder 1.500,50)"
        )),
    }
}

/// A YAML value for an amount: `1500` or `1500.5`.
fn euro(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// `feld: "wert"` when given, else the commented example.
fn feld(name: &str, wert: Option<String>, beispiel: &str) -> String {
    match wert {
        Some(w) => format!("{name}: {w}"),
        None => format!("# {name}: {beispiel}"),
    }
}

fn q(s: &Option<String>) -> Option<String> {
    s.as_deref().map(yaml::quote)
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
    passende_optionen(req)?;
    let loaded = load::load(root, &[], None);
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
    let (felder, body) = text;
    let dir = root.join("content").join(&folder);
    let (path, text) = if req.felder.yaml {
        // content/projekte/2026/x.yaml -> ../../../schema/projekt.schema.json
        let hoch = "../".repeat(folder.split('/').count() + 1);
        let text = format!(
            "# yaml-language-server: $schema={hoch}schema/{}.schema.json\n{felder}\n# Text (Markdown) nach „text: |“, jede Zeile eingerückt:\ntext: |\n  {body}\n",
            req.typ.schema_name()
        );
        (dir.join(format!("{slug}.yaml")), text)
    } else {
        (
            dir.join(format!("{slug}.md")),
            format!("---\n{felder}---\n\n{body}\n"),
        )
    };
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

/// A key inside a mapping: active when the mapping is, else commented.
fn unter(aktiv: bool, name: &str, wert: Option<String>) -> String {
    match (aktiv, wert) {
        (true, Some(w)) => format!("  {name}: {w}"),
        _ => format!("#   {name}: \"…\""),
    }
}

fn liste(slugs: &[String]) -> String {
    format!("[{}]", slugs.join(", "))
}

fn stadtteil(r: &Request) -> (String, &'static str) {
    let zeilen = [
        (
            format!("name: {}", yaml::quote(&r.titel)),
            "amtlicher Name des Stadtteils",
        ),
        (
            feld("nummer", q(&r.nummer), "\"30\""),
            "amtliche Stadtteilnummer, falls vorhanden",
        ),
        (
            feld(
                "einwohner",
                r.felder.einwohner.map(|n| n.to_string()),
                "12345",
            ),
            "Einwohnerzahl",
        ),
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
    (
        kommentiert(&zeilen),
        "Beschreibung des Stadtteils (Markdown).",
    )
}

fn ag(r: &Request) -> (String, &'static str) {
    let f = &r.felder;
    let kontakt = f.email.is_some() || f.telefon.is_some() || f.web.is_some();
    let zeilen = [
        (
            format!("name: {}", yaml::quote(&r.titel)),
            "z. B. „AG Gemeinwesenarbeit Sudenburg“",
        ),
        (
            format!("stadtteile: {}", liste(&r.stadtteile)),
            "Slugs der Stadtteile, in denen die AG arbeitet",
        ),
        (
            feld("gegruendet", f.gegruendet.map(|j| j.to_string()), "1997"),
            "Gründungsjahr",
        ),
        (if kontakt { "kontakt:" } else { "# kontakt:" }.into(), ""),
        (unter(kontakt, "email", q(&f.email)), ""),
        (unter(kontakt, "telefon", q(&f.telefon)), ""),
        (unter(kontakt, "adresse", None), ""),
        (unter(kontakt, "web", q(&f.web)), "mit https://"),
        (
            "# sprecherrat:".into(),
            "Namen oder Rollen, wie veröffentlicht",
        ),
        ("#   - \"Sprecherin\"".into(), ""),
        (
            feld(
                "sitzungsregel",
                q(&f.sitzungsregel),
                "\"jeden 2. Dienstag im Monat, 17:00 Uhr\"",
            ),
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
    (kommentiert(&zeilen), "Was die AG macht (Markdown).")
}

fn projekt(r: &Request, jahr: i16) -> (String, &'static str) {
    let f = &r.felder;
    let ort = f.ort.is_some();
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
            format!(
                "foerderung: {}",
                f.foerderung
                    .as_deref()
                    .map_or("initiativfonds".to_string(), yaml::quote)
            ),
            "initiativfonds, soziale-stadt oder freier Text",
        ),
        (
            feld("foerdersumme", f.betrag.map(euro), "1500.00"),
            "bewilligte Summe in Euro (Dezimalpunkt)",
        ),
        (
            feld("traeger", q(&f.traeger), "\"…\""),
            "wer das Projekt durchführt",
        ),
        (
            feld("beteiligte", f.teilnehmende.map(|n| n.to_string()), "120"),
            "Zahl der Teilnehmenden",
        ),
        (
            feld(
                "von",
                f.von.map(|d| d.to_string()),
                &format!("{jahr}-05-01"),
            ),
            "Beginn (JJJJ-MM-TT)",
        ),
        (
            feld(
                "bis",
                f.bis.map(|d| d.to_string()),
                &format!("{jahr}-09-30"),
            ),
            "Ende (JJJJ-MM-TT)",
        ),
        (
            format!("status: {}", f.status.as_deref().unwrap_or("geplant")),
            "geplant, laufend oder abgeschlossen",
        ),
        (
            if ort { "ort:" } else { "# ort:" }.into(),
            "wo das Projekt stattfindet",
        ),
        (unter(ort, "adresse", q(&f.ort)), ""),
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
    (
        kommentiert(&zeilen),
        "Was das Projekt macht und was es erreicht hat (Markdown).",
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

fn forum(r: &Request, datum: Date) -> (String, &'static str) {
    let zeilen = [
        (format!("titel: {}", yaml::quote(&r.titel)), ""),
        (format!("datum: {datum}"), "JJJJ-MM-TT"),
        (
            feld(
                "zeit",
                r.felder
                    .zeit
                    .map(|t| format!("\"{}\"", t.strftime("%H:%M"))),
                "\"18:00\"",
            ),
            "Beginn, HH:MM",
        ),
        (feld("ort", q(&r.felder.ort), "\"…\""), "Veranstaltungsort"),
        (
            format!("stadtteile: {}", liste(&r.stadtteile)),
            "Slugs der Stadtteile",
        ),
        (
            feld(
                "veranstalter",
                q(&r.felder.veranstalter),
                "\"Dezernat VI, Stadtteilmanagement\"",
            ),
            "",
        ),
        ("# tagesordnung:".into(), ""),
        ("#   - \"Begrüßung\"".into(), ""),
        ("# anhaenge:".into(), "Dateien unter content/dateien/"),
        ("#   - datei: foren/einladung.pdf".into(), ""),
        ("#     titel: \"Einladung\"".into(), ""),
    ];
    (kommentiert(&zeilen), "Einladung oder Protokoll (Markdown).")
}

fn vorlage(r: &Request, nummer: &Vorlagennummer, datum: Date) -> (String, &'static str) {
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
            format!("art: {}", r.felder.art.as_deref().unwrap_or("information")),
            "information, beschlussvorlage, antrag, anfrage oder stellungnahme",
        ),
        (format!("thema: {}", yaml::quote(&r.titel)), ""),
        (format!("datum: {datum}"), "JJJJ-MM-TT"),
        (feld("dezernat", q(&r.felder.dezernat), "\"V\""), ""),
        (feld("amt", q(&r.felder.amt), "\"V/02\""), ""),
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
        (
            match &r.ag {
                Some(a) => format!("ags: [{a}]"),
                None => "# ags: [ag-gwa-…]".into(),
            },
            "betroffene AGs (Slugs)",
        ),
        ("# anhaenge:".into(), "Dateien unter content/dateien/"),
        (
            format!("#   - datei: vorlagen/{}.pdf", nummer.dateiname()),
            "",
        ),
        ("#     titel: \"unterschriebenes Original\"".into(), ""),
    ];
    (kommentiert(&zeilen), "Text der Vorlage (Markdown).")
}

fn seite(r: &Request) -> (String, &'static str) {
    let zeilen = [
        (format!("titel: {}", yaml::quote(&r.titel)), ""),
        (
            feld("menue", r.felder.menue.map(|n| n.to_string()), "5"),
            "Position in der Hauptnavigation (ohne: nicht im Menü)",
        ),
        ("# kurztitel: \"…\"".into(), "kürzerer Titel für das Menü"),
    ];
    (kommentiert(&zeilen), "Text der Seite (Markdown).")
}
