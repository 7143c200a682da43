//! `quartier import projekte`: a spreadsheet of projects (CSV or XLSX, as the
//! Initiativfonds administration keeps it) becomes one YAML list in `content/projekte/`.
//!
//! Columns are found by their header, case- and umlaut-insensitive, in the usual
//! spellings (`Projekt`, `Fördersumme`, `Teilnehmer` …; see [`SPALTEN`]). Every bad row is
//! reported with its row number as the spreadsheet shows it (the header is row 1) and
//! nothing is written unless every row is sound. An existing file is never overwritten.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::load::{self, Kind};
use crate::model::{Status, Ziel};
use crate::slug::slugify;

/// The fields a column can fill, with the header spellings that mean it (already
/// normalised: lower case, umlauts transliterated, only `a-z0-9`).
pub const SPALTEN: &[(&str, &[&str])] = &[
    (
        "titel",
        &[
            "titel",
            "projekt",
            "projekttitel",
            "projektname",
            "name",
            "bezeichnung",
            "massnahme",
            "vorhaben",
        ],
    ),
    ("stadtteile", &["stadtteil", "stadtteile", "quartier"]),
    ("jahr", &["jahr", "foerderjahr", "haushaltsjahr"]),
    (
        "foerdersumme",
        &[
            "betrag",
            "foerdersumme",
            "foerderbetrag",
            "summe",
            "bewilligt",
            "bewilligtesumme",
            "bewilligterbetrag",
            "zuwendung",
            "euro",
            "betrageur",
            "betrageuro",
        ],
    ),
    (
        "beteiligte",
        &[
            "teilnehmende",
            "teilnehmer",
            "teilnehmerinnen",
            "teilnehmerzahl",
            "anzahlteilnehmende",
            "beteiligte",
        ],
    ),
    (
        "traeger",
        &[
            "traeger",
            "projekttraeger",
            "antragsteller",
            "antragstellerin",
        ],
    ),
    (
        "ag",
        &["ag", "arbeitsgruppe", "aggwa", "aggemeinwesenarbeit"],
    ),
    ("foerderung", &["foerderung", "foerderprogramm", "programm"]),
    ("von", &["von", "beginn", "start", "projektbeginn"]),
    ("bis", &["bis", "ende", "projektende"]),
    ("status", &["status", "stand"]),
    (
        "adresse",
        &["adresse", "ort", "anschrift", "veranstaltungsort"],
    ),
    ("lat", &["lat", "breitengrad", "breite"]),
    ("lon", &["lon", "laengengrad", "laenge"]),
    ("ziele", &["ziele", "ziel", "foerderziele", "foerderziel"]),
    (
        "text",
        &["beschreibung", "text", "kurzbeschreibung", "inhalt"],
    ),
];

/// `Fördersumme (€)` → `foerdersummeeur`… without the unit: `foerdersumme`.
pub fn normalise_header(h: &str) -> String {
    let mut out = String::new();
    let h = h.trim().trim_start_matches('\u{feff}');
    // A unit in brackets is not part of the name: "Betrag (EUR)", "Summe [€]".
    let h = h.split(['(', '[']).next().unwrap_or(h);
    for c in h.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// One cell as read: text, or for XLSX a number or a date.
#[derive(Debug, Clone)]
enum Zelle {
    Leer,
    Text(String),
    Zahl(f64),
    Datum(Date),
}

impl Zelle {
    fn anzeige(&self) -> String {
        match self {
            Zelle::Leer => String::new(),
            Zelle::Text(s) => s.clone(),
            Zelle::Zahl(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{n:.0}")
                } else {
                    n.to_string()
                }
            }
            Zelle::Datum(d) => d.to_string(),
        }
    }

    fn leer(&self) -> bool {
        match self {
            Zelle::Leer => true,
            Zelle::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// What `import` needs to know.
#[derive(Debug, Clone)]
pub struct Auftrag {
    /// The spreadsheet (`.csv`, `.xlsx`, `.xls`, `.ods`).
    pub datei: PathBuf,
    /// The funding year of every row without a `Jahr` column (or with an empty cell).
    pub jahr: Option<i32>,
    /// The file name to write in `content/projekte/` (default: from the spreadsheet's).
    pub name: Option<String>,
}

/// What an import wrote.
#[derive(Debug)]
pub struct Ergebnis {
    pub datei: PathBuf,
    pub projekte: usize,
    /// Warnings (columns that are not taken over).
    pub warnungen: Vec<Diagnostic>,
}

/// Reads, checks and writes; on any error writes nothing and returns every problem.
pub fn projekte(root: &Path, auftrag: &Auftrag) -> Result<Ergebnis, Vec<Diagnostic>> {
    let shown = auftrag.datei.display().to_string();
    let fehler = |code: Code, msg: String, hint: &str| {
        vec![
            Diagnostic::new(code, msg)
                .at(Location::file(shown.clone()))
                .hint(hint),
        ]
    };
    if !root.join("content").is_dir() {
        return Err(vec![
            Diagnostic::new(
                Code::PortalYamlFehlt,
                format!("kein Ordner content/ in '{}'", root.display()),
            )
            .hint("Rufen Sie den Befehl im Ordner des Portals auf oder geben Sie --root an."),
        ]);
    }
    let endung = auftrag
        .datei
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let zeilen = match endung.as_str() {
        "csv" | "txt" | "tsv" => csv_lesen(&auftrag.datei),
        "xlsx" | "xlsm" | "xls" | "ods" => tabelle_lesen(&auftrag.datei),
        _ => {
            return Err(fehler(
                Code::DateiUnlesbar,
                format!("'{shown}' ist weder CSV noch XLSX"),
                "Speichern Sie die Tabelle als .csv (UTF-8) oder .xlsx.",
            ));
        }
    };
    let (versatz, zeilen) = zeilen.map_err(|(code, msg, hint)| fehler(code, msg, hint))?;
    let Some((kopf, daten)) = zeilen.split_first() else {
        return Err(fehler(
            Code::LeereDatei,
            format!("'{shown}' ist leer"),
            "Die erste Zeile braucht die Spaltenüberschriften, darunter ein Projekt je Zeile.",
        ));
    };

    // Columns by header.
    let mut diagnostics = Vec::new();
    let mut spalten: Vec<Option<&'static str>> = Vec::new();
    let kopfzeile: Vec<String> = kopf.iter().map(Zelle::anzeige).collect();
    for (i, h) in kopfzeile.iter().enumerate() {
        let n = normalise_header(h);
        let feld = SPALTEN
            .iter()
            .find(|(_, namen)| namen.contains(&n.as_str()))
            .map(|(f, _)| *f);
        if feld.is_some() && spalten.contains(&feld) {
            diagnostics.push(
                Diagnostic::new(
                    Code::UngueltigerWert,
                    format!("Spalte '{h}': die Angabe steht schon in einer anderen Spalte"),
                )
                .at(zeile_ort(&shown, versatz + 1, &kopfzeile, i))
                .hint("Jede Angabe darf nur eine Spalte haben; benennen oder löschen Sie eine."),
            );
        }
        if feld.is_none() && !n.is_empty() {
            let alle = SPALTEN.iter().flat_map(|(_, namen)| namen.iter().copied());
            diagnostics.push(
                Diagnostic::new(
                    Code::UnbekanntesFeld,
                    format!("Spalte '{h}' wird nicht übernommen"),
                )
                .at(zeile_ort(&shown, versatz + 1, &kopfzeile, i))
                .hint(did_you_mean(&n, alle).unwrap_or_else(|| {
                    "Die bekannten Spaltennamen stehen in der Anleitung für Redaktionen.".into()
                })),
            );
        }
        spalten.push(feld);
    }
    for (pflicht, wie) in [("titel", "Titel oder Projekt"), ("stadtteile", "Stadtteil")] {
        if !spalten.contains(&Some(pflicht)) {
            diagnostics.push(
                Diagnostic::new(
                    Code::PflichtfeldFehlt,
                    format!("die Tabelle hat keine Spalte '{wie}'"),
                )
                .at(zeile_ort(&shown, versatz + 1, &kopfzeile, 0))
                .hint("Die erste Zeile muss die Spaltenüberschriften enthalten."),
            );
        }
    }
    if !spalten.contains(&Some("jahr")) && auftrag.jahr.is_none() {
        diagnostics.push(
            Diagnostic::new(
                Code::PflichtfeldFehlt,
                "die Tabelle hat keine Spalte 'Jahr'",
            )
            .at(zeile_ort(&shown, versatz + 1, &kopfzeile, 0))
            .hint("Geben Sie das Förderjahr aller Zeilen mit --jahr an, z. B. --jahr 2026."),
        );
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }

    // What the portal already has.
    let loaded = load::load(root, &[], None);
    let mut stadtteile: HashMap<String, String> = HashMap::new();
    let mut ags: HashMap<String, String> = HashMap::new();
    let mut vergeben: HashSet<String> = HashSet::new();
    for d in &loaded.documents {
        let name = d.feld("name").and_then(|v| v.as_str().map(str::to_string));
        let ziel = match d.kind {
            Kind::Stadtteil => &mut stadtteile,
            Kind::Ag => &mut ags,
            Kind::Projekt => {
                vergeben.insert(d.slug.clone());
                continue;
            }
            _ => continue,
        };
        ziel.insert(d.slug.clone(), d.slug.clone());
        if let Some(name) = name {
            ziel.insert(slugify(&name), d.slug.clone());
        }
    }
    let stadtteil_slugs: Vec<String> = sorted_values(&stadtteile);
    let ag_slugs: Vec<String> = sorted_values(&ags);

    let mut eintraege: Vec<Value> = Vec::new();
    for (i, zeile) in daten.iter().enumerate() {
        let nr = versatz + i + 2;
        if zeile.iter().all(Zelle::leer) {
            continue;
        }
        let anzeige: Vec<String> = zeile.iter().map(Zelle::anzeige).collect();
        let mut zeile_fehler = Vec::new();
        let mut werte: HashMap<&'static str, (usize, &Zelle)> = HashMap::new();
        for (spalte, zelle) in zeile.iter().enumerate() {
            if let Some(Some(feld)) = spalten.get(spalte)
                && !zelle.leer()
            {
                werte.insert(feld, (spalte, zelle));
            }
        }
        let mut bad = |code: Code, spalte: usize, msg: String, hint: String| {
            zeile_fehler.push(
                Diagnostic::new(
                    code,
                    format!(
                        "Zeile {nr}, Spalte '{}': {msg}",
                        kopfzeile.get(spalte).map_or("", String::as_str)
                    ),
                )
                .at(zeile_ort(&shown, nr, &anzeige, spalte))
                .hint(hint),
            );
        };
        let spalte_von = |feld: &str| spalten.iter().position(|s| *s == Some(feld)).unwrap_or(0);
        let mut m = Mapping::new();

        let titel = werte
            .get("titel")
            .map(|(_, z)| z.anzeige().trim().to_string());
        match &titel {
            Some(t) if !slugify(t).is_empty() => {}
            _ => bad(
                Code::UngueltigerWert,
                spalte_von("titel"),
                "kein Titel".into(),
                "Jedes Projekt braucht einen Titel mit Buchstaben oder Ziffern.".into(),
            ),
        }
        let titel = titel.unwrap_or_default();

        let jahr = match werte.get("jahr") {
            Some((s, z)) => match ganzzahl(z) {
                Some(j) if (1990..=2100).contains(&j) => Some(j as i32),
                _ => {
                    bad(
                        Code::UngueltigerWert,
                        *s,
                        format!("'{}' ist kein Förderjahr", z.anzeige()),
                        "Schreiben Sie das Jahr vierstellig, z. B. 2026.".into(),
                    );
                    None
                }
            },
            None => {
                if auftrag.jahr.is_none() {
                    bad(
                        Code::UngueltigerWert,
                        spalte_von("jahr"),
                        "kein Förderjahr".into(),
                        "Tragen Sie das Jahr ein oder geben Sie --jahr an.".into(),
                    );
                }
                auftrag.jahr
            }
        };

        let mut st: Vec<String> = Vec::new();
        match werte.get("stadtteile") {
            Some((s, z)) => {
                for teil in z.anzeige().split([',', ';', '/', '+']) {
                    let teil = teil.trim();
                    if teil.is_empty() {
                        continue;
                    }
                    match stadtteile.get(&slugify(teil)) {
                        Some(slug) if !st.contains(slug) => st.push(slug.clone()),
                        Some(_) => {}
                        None => bad(
                            Code::UnbekannterVerweis, *s,
                            format!("unbekannter Stadtteil '{teil}'"),
                            did_you_mean(&slugify(teil), stadtteil_slugs.iter().map(String::as_str))
                                .unwrap_or_else(|| {
                                    "Schreiben Sie den Namen oder Slug eines Stadtteils aus content/stadtteile/.".into()
                                }),
                        ),
                    }
                }
            }
            None => bad(
                Code::UngueltigerWert,
                spalte_von("stadtteile"),
                "kein Stadtteil".into(),
                "Jedes Projekt braucht mindestens einen Stadtteil.".into(),
            ),
        }

        let ag = werte.get("ag").and_then(|(s, z)| {
            let wert = z.anzeige();
            let slug = ags.get(&slugify(wert.trim())).cloned();
            if slug.is_none() {
                bad(
                    Code::UnbekannterVerweis,
                    *s,
                    format!("unbekannte AG '{}'", wert.trim()),
                    did_you_mean(&slugify(&wert), ag_slugs.iter().map(String::as_str))
                        .unwrap_or_else(|| {
                            "Schreiben Sie den Namen oder Slug einer AG aus content/ags/.".into()
                        }),
                );
            }
            slug
        });

        let foerdersumme = werte.get("foerdersumme").and_then(|(s, z)| {
            let v = match z {
                Zelle::Zahl(n) if *n >= 0.0 => Ok(*n),
                _ => crate::create::betrag(&z.anzeige()),
            };
            v.map_err(|e| {
                bad(
                    Code::UngueltigerWert,
                    *s,
                    e,
                    "Schreiben Sie den Betrag als Zahl, z. B. 1500 oder 1.500,50.".into(),
                )
            })
            .ok()
        });
        let beteiligte = werte
            .get("beteiligte")
            .and_then(|(s, z)| match ganzzahl(z) {
                Some(n) if n >= 0 => Some(n),
                _ => {
                    bad(
                        Code::UngueltigerWert,
                        *s,
                        format!("'{}' ist keine Zahl von Teilnehmenden", z.anzeige()),
                        "Schreiben Sie eine ganze Zahl, z. B. 120.".into(),
                    );
                    None
                }
            });
        let mut datum = |feld: &str| {
            werte.get(feld).and_then(|(s, z)| {
                let d = datum_lesen(z);
                if d.is_none() {
                    bad(
                        Code::UngueltigerWert,
                        *s,
                        format!("'{}' ist kein Datum", z.anzeige()),
                        "Schreiben Sie das Datum als TT.MM.JJJJ oder JJJJ-MM-TT.".into(),
                    );
                }
                d
            })
        };
        let von = datum("von");
        let bis = datum("bis");
        if let (Some(v), Some(b)) = (von, bis)
            && b < v
        {
            bad(
                Code::UngueltigerWert,
                spalte_von("bis"),
                "das Projekt endet vor seinem Beginn".into(),
                "'Bis' darf nicht vor 'Von' liegen.".into(),
            );
        }
        let status = werte.get("status").and_then(|(s, z)| {
            let w = z.anzeige().trim().to_lowercase();
            let w = if w == "läuft" { "laufend".into() } else { w };
            let found = Status::ALLE.iter().find(|(c, _)| *c == w).map(|(c, _)| *c);
            if found.is_none() {
                bad(
                    Code::UngueltigerWert,
                    *s,
                    format!("unbekannter Status '{}'", z.anzeige()),
                    "Erlaubt sind geplant, laufend und abgeschlossen.".into(),
                );
            }
            found
        });
        let mut koordinate = |feld: &str, grenze: f64| {
            werte.get(feld).and_then(|(s, z)| {
                let v = match z {
                    Zelle::Zahl(n) => Some(*n),
                    _ => z.anzeige().trim().replace(',', ".").parse::<f64>().ok(),
                };
                match v {
                    Some(v) if v.abs() <= grenze => Some(v),
                    _ => {
                        bad(
                            Code::UngueltigerWert,
                            *s,
                            format!("'{}' ist keine Koordinate", z.anzeige()),
                            "WGS84 in Dezimalgrad, für Magdeburg etwa lat 52.13, lon 11.62.".into(),
                        );
                        None
                    }
                }
            })
        };
        let lat = koordinate("lat", 90.0);
        let lon = koordinate("lon", 180.0);
        if lat.is_some() != lon.is_some() {
            bad(
                Code::UngueltigerWert,
                spalte_von(if lat.is_some() { "lon" } else { "lat" }),
                "Koordinaten brauchen beide Werte".into(),
                "Füllen Sie Breitengrad und Längengrad aus oder keinen von beiden.".into(),
            );
        }
        let ziele: Vec<Value> = werte
            .get("ziele")
            .map(|(s, z)| {
                let mut out = Vec::new();
                for teil in z.anzeige().split([',', ';', '/']) {
                    let code = slugify(teil.trim()).replace('-', "");
                    if code.is_empty() {
                        continue;
                    }
                    match Ziel::ALLE.iter().find(|(c, _)| *c == code) {
                        Some((c, _)) => out.push(Value::from(*c)),
                        None => bad(
                            Code::UngueltigerWert, *s,
                            format!("unbekanntes Förderziel '{}'", teil.trim()),
                            "Erlaubt sind lebensqualitaet, beleben, generationen, vernetzung, ressourcen, kompetenzen.".into(),
                        ),
                    }
                }
                out
            })
            .unwrap_or_default();

        if !zeile_fehler.is_empty() {
            diagnostics.extend(zeile_fehler);
            continue;
        }

        // A slug of its own: the title, else title and Stadtteil, else numbered.
        let basis = slugify(&titel);
        let mut slug = basis.clone();
        if vergeben.contains(&slug)
            && let Some(s) = st.first()
        {
            slug = format!("{basis}-{s}");
        }
        let mut n = 2;
        while vergeben.contains(&slug) {
            slug = format!("{basis}-{n}");
            n += 1;
        }
        vergeben.insert(slug.clone());

        m.insert("slug".into(), slug.into());
        m.insert("titel".into(), titel.into());
        if let Some(j) = jahr {
            m.insert("jahr".into(), j.into());
        }
        m.insert(
            "stadtteile".into(),
            Value::Sequence(st.into_iter().map(Value::from).collect()),
        );
        if let Some(a) = ag {
            m.insert("ag".into(), a.into());
        }
        for feld in ["foerderung", "traeger"] {
            if let Some((_, z)) = werte.get(feld) {
                m.insert(feld.into(), z.anzeige().trim().into());
            }
        }
        if let Some(b) = foerdersumme {
            m.insert("foerdersumme".into(), b.into());
        }
        if let Some(b) = beteiligte {
            m.insert("beteiligte".into(), b.into());
        }
        if let Some(d) = von {
            m.insert("von".into(), d.to_string().into());
        }
        if let Some(d) = bis {
            m.insert("bis".into(), d.to_string().into());
        }
        if let Some(s) = status {
            m.insert("status".into(), s.into());
        }
        let adresse = werte
            .get("adresse")
            .map(|(_, z)| z.anzeige().trim().to_string());
        if adresse.is_some() || lat.is_some() {
            let mut ort = Mapping::new();
            if let Some(a) = adresse {
                ort.insert("adresse".into(), a.into());
            }
            if let (Some(la), Some(lo)) = (lat, lon) {
                ort.insert("lat".into(), la.into());
                ort.insert("lon".into(), lo.into());
            }
            m.insert("ort".into(), Value::Mapping(ort));
        }
        if !ziele.is_empty() {
            m.insert("ziele".into(), Value::Sequence(ziele));
        }
        if let Some((_, z)) = werte.get("text") {
            m.insert("text".into(), z.anzeige().trim().into());
        }
        eintraege.push(Value::Mapping(m));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    if eintraege.is_empty() {
        return Err(fehler(
            Code::LeereDatei,
            format!("'{shown}' enthält keine Projekte"),
            "Unter der Zeile mit den Überschriften steht ein Projekt je Zeile.",
        ));
    }

    let name = auftrag.name.clone().unwrap_or_else(|| {
        slugify(
            &auftrag
                .datei
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    });
    let name = if name.is_empty() {
        "import".into()
    } else {
        slugify(&name)
    };
    let dir = root.join("content/projekte");
    let path = dir.join(format!("{name}.yaml"));
    let yaml = serde_yaml::to_string(&Value::Sequence(eintraege.clone())).map_err(|e| {
        fehler(
            Code::DateiUnlesbar,
            format!("YAML kann nicht erzeugt werden: {e}"),
            "",
        )
    })?;
    let quelle = auftrag
        .datei
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = format!(
        "# yaml-language-server: $schema=../../schema/projekt.schema.json\n\
         # {} Projekte, übernommen aus {quelle} mit `quartier import projekte`.\n\
         # Korrekturen bitte hier oder in der Tabelle (dann neu importieren).\n{yaml}",
        eintraege.len()
    );
    let schreiben = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::io::Write::write_all(&mut file, text.as_bytes())
    };
    schreiben().map_err(|e| {
        let rel = load::rel(root, &path);
        let d = if e.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::new(
                Code::DoppelterSlug,
                format!("die Datei '{rel}' gibt es schon"),
            )
            .hint("import überschreibt nie eine Datei; wählen Sie mit --name einen anderen Namen.")
        } else {
            Diagnostic::new(
                Code::DateiUnlesbar,
                format!("'{rel}' kann nicht geschrieben werden: {e}"),
            )
        };
        vec![d.at(Location::file(rel))]
    })?;
    Ok(Ergebnis {
        datei: path,
        projekte: eintraege.len(),
        warnungen: diagnostics,
    })
}

fn sorted_values(m: &HashMap<String, String>) -> Vec<String> {
    let mut v: Vec<String> = m.values().cloned().collect();
    v.sort();
    v.dedup();
    v
}

/// The row as one line (`Kiezfest | Sudenburg | 2026`), the cell underlined.
fn zeile_ort(file: &str, nr: usize, zellen: &[String], spalte: usize) -> Location {
    let mut line = String::new();
    let mut start = 0;
    let mut len = 1;
    for (i, z) in zellen.iter().enumerate() {
        if i > 0 {
            line.push_str(" | ");
        }
        if i == spalte {
            start = line.chars().count();
            len = z.chars().count().max(1);
        }
        line.push_str(z);
    }
    Location {
        file: file.to_string(),
        line: nr,
        column: start + 1,
        source_line: line,
        len,
    }
}

fn ganzzahl(z: &Zelle) -> Option<i64> {
    match z {
        Zelle::Zahl(n) if n.fract() == 0.0 => Some(*n as i64),
        Zelle::Text(s) => {
            let s = s.trim();
            s.parse().ok().or_else(|| {
                // 1.234 (German thousands) but not 1.5
                let ohne = s.replace('.', "");
                (s.contains('.') && s.rsplit('.').next().is_some_and(|r| r.len() == 3))
                    .then(|| ohne.parse().ok())
                    .flatten()
            })
        }
        _ => None,
    }
}

fn datum_lesen(z: &Zelle) -> Option<Date> {
    match z {
        Zelle::Datum(d) => Some(*d),
        Zelle::Text(s) => {
            let s = s.trim();
            if let Ok(d) = s.parse::<Date>() {
                return Some(d);
            }
            let teile: Vec<&str> = s.split('.').map(str::trim).collect();
            if let [t, m, j] = teile[..] {
                let j: i16 = j.parse().ok()?;
                let j = if j < 100 { 2000 + j } else { j };
                return Date::new(j, m.parse().ok()?, t.parse().ok()?).ok();
            }
            None
        }
        _ => None,
    }
}

type Lesefehler = (Code, String, &'static str);

/// A CSV file in UTF-8 (with or without BOM); `;`, `,` or tab, whichever the header uses.
fn csv_lesen(path: &Path) -> Result<(usize, Vec<Vec<Zelle>>), Lesefehler> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        (
            Code::DateiUnlesbar,
            format!("'{shown}' kann nicht gelesen werden: {e}"),
            "Prüfen Sie den Pfad.",
        )
    })?;
    // Excel on a German Windows saves "CSV (Trennzeichen-getrennt)" in Windows-1252.
    let text = String::from_utf8(bytes).unwrap_or_else(|e| windows_1252(e.as_bytes()));
    let text = text.trim_start_matches('\u{feff}');
    let kopf = text.lines().next().unwrap_or("");
    let trenner = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|t| kopf.matches(*t as char).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(trenner)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut zeilen = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            (
                Code::FalscheStruktur,
                format!("'{shown}' ist keine gültige CSV-Datei: {e}"),
                "Prüfen Sie Anführungszeichen und Trennzeichen.",
            )
        })?;
        zeilen.push(
            record
                .iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Zelle::Leer
                    } else {
                        Zelle::Text(f.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok((0, zeilen))
}

/// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
fn windows_1252(bytes: &[u8]) -> String {
    const HOCH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HOCH[(b - 0x80) as usize],
            _ => char::from(b),
        })
        .collect()
}

/// The first sheet of an XLSX, XLS or ODS file; the header is its first row.
fn tabelle_lesen(path: &Path) -> Result<(usize, Vec<Vec<Zelle>>), Lesefehler> {
    use calamine::{Data, Reader};
    let shown = path.display();
    let mut mappe = calamine::open_workbook_auto(path).map_err(|e| {
        (
            Code::DateiUnlesbar,
            format!("'{shown}' kann nicht gelesen werden: {e}"),
            "Speichern Sie die Tabelle als .xlsx oder .csv (UTF-8).",
        )
    })?;
    let range = mappe
        .worksheet_range_at(0)
        .ok_or((
            Code::LeereDatei,
            format!("'{shown}' hat kein Tabellenblatt"),
            "Die Projekte stehen im ersten Tabellenblatt.",
        ))?
        .map_err(|e| {
            (
                Code::DateiUnlesbar,
                format!("'{shown}' kann nicht gelesen werden: {e}"),
                "Speichern Sie die Tabelle als .xlsx oder .csv (UTF-8).",
            )
        })?;
    // Rows above the used range still count, so row numbers match the spreadsheet.
    let (erste, spalte0) = range.start().unwrap_or((0, 0));
    let mut zeilen: Vec<Vec<Zelle>> = Vec::new();
    for row in range.rows() {
        let mut z: Vec<Zelle> = (0..spalte0).map(|_| Zelle::Leer).collect();
        z.extend(row.iter().map(|c| {
            match c {
                Data::Empty => Zelle::Leer,
                Data::String(s) => Zelle::Text(s.clone()),
                Data::Float(f) => Zelle::Zahl(*f),
                Data::Int(i) => Zelle::Zahl(*i as f64),
                Data::Bool(b) => Zelle::Text(b.to_string()),
                // Days since 1899-12-30, the spreadsheet epoch.
                Data::DateTime(d) => jiff::civil::date(1899, 12, 30)
                    .checked_add(jiff::Span::new().days(d.as_f64().floor() as i64))
                    .map_or_else(|_| Zelle::Text(c.to_string()), Zelle::Datum),
                Data::DateTimeIso(s) => s
                    .get(..10)
                    .and_then(|d| d.parse().ok())
                    .map_or_else(|| Zelle::Text(s.clone()), Zelle::Datum),
                other => Zelle::Text(other.to_string()),
            }
        }));
        zeilen.push(z);
    }
    Ok((erste as usize, zeilen))
}
