use jiff::civil::Date;

use super::{Ag, Datei, Euro, Id, Meta, Stadtteil};

/// A project, typically funded by the Initiativfonds Gemeinwesenarbeit.
#[derive(Debug, Clone)]
pub struct Projekt {
    pub meta: Meta,
    pub titel: String,
    /// Funding year.
    pub jahr: i32,
    /// At least one.
    pub stadtteile: Vec<Id<Stadtteil>>,
    pub ag: Option<Id<Ag>>,
    pub foerderung: Foerderung,
    pub foerdersumme: Option<Euro>,
    pub traeger: Option<String>,
    pub beteiligte: Option<u64>,
    pub von: Option<Date>,
    pub bis: Option<Date>,
    pub status: Option<Status>,
    pub ort: Option<Ort>,
    pub ziele: Vec<Ziel>,
    pub bilder: Vec<Bild>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foerderung {
    Initiativfonds,
    SozialeStadt,
    Sonstige(String),
}

impl Foerderung {
    pub fn bezeichnung(&self) -> &str {
        match self {
            Foerderung::Initiativfonds => "Initiativfonds Gemeinwesenarbeit",
            Foerderung::SozialeStadt => "Soziale Stadt",
            Foerderung::Sonstige(s) => s,
        }
    }

    /// The value editors write, used as filter key.
    pub fn code(&self) -> &str {
        match self {
            Foerderung::Initiativfonds => "initiativfonds",
            Foerderung::SozialeStadt => "soziale-stadt",
            Foerderung::Sonstige(s) => s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Geplant,
    Laufend,
    Abgeschlossen,
}

impl Status {
    pub const ALLE: [(&'static str, Status); 3] = [
        ("geplant", Status::Geplant),
        ("laufend", Status::Laufend),
        ("abgeschlossen", Status::Abgeschlossen),
    ];

    pub fn code(self) -> &'static str {
        Self::ALLE
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(c, _)| c)
    }

    pub fn bezeichnung(self) -> &'static str {
        match self {
            Status::Geplant => "geplant",
            Status::Laufend => "läuft",
            Status::Abgeschlossen => "abgeschlossen",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ort {
    pub adresse: Option<String>,
    pub koordinaten: Option<Koordinaten>,
}

/// WGS84 coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Koordinaten {
    pub lat: f64,
    pub lon: f64,
}

/// The goals of the Förderrichtlinie zum Initiativfonds Gemeinwesenarbeit (I0264/09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ziel {
    Lebensqualitaet,
    Beleben,
    Generationen,
    Vernetzung,
    Ressourcen,
    Kompetenzen,
}

impl Ziel {
    pub const ALLE: [(&'static str, Ziel); 6] = [
        ("lebensqualitaet", Ziel::Lebensqualitaet),
        ("beleben", Ziel::Beleben),
        ("generationen", Ziel::Generationen),
        ("vernetzung", Ziel::Vernetzung),
        ("ressourcen", Ziel::Ressourcen),
        ("kompetenzen", Ziel::Kompetenzen),
    ];

    pub fn code(self) -> &'static str {
        Self::ALLE
            .iter()
            .find(|(_, z)| *z == self)
            .map_or("", |(c, _)| c)
    }

    /// The wording of the Förderrichtlinie as quoted in I0264/09.
    pub fn bezeichnung(self) -> &'static str {
        match self {
            Ziel::Lebensqualitaet => "Lebensqualität für die Bürger in den Stadtteilen verbessern",
            Ziel::Beleben => "Stadtteile durch soziale und soziokulturelle Projekte beleben",
            Ziel::Generationen => "generationsübergreifende Angebote umsetzen",
            Ziel::Vernetzung => {
                "Vernetzung unterschiedlicher Akteure im Stadtteil aufbauen und festigen"
            }
            Ziel::Ressourcen => "lokale Ressourcen aufspüren und bündeln",
            Ziel::Kompetenzen => "soziale Kompetenzen der Bürger/innen fördern und stärken",
        }
    }

    /// A short label for filters and badges.
    pub fn kurz(self) -> &'static str {
        match self {
            Ziel::Lebensqualitaet => "Lebensqualität",
            Ziel::Beleben => "Stadtteil beleben",
            Ziel::Generationen => "Generationen",
            Ziel::Vernetzung => "Vernetzung",
            Ziel::Ressourcen => "Ressourcen",
            Ziel::Kompetenzen => "Soziale Kompetenzen",
        }
    }
}

/// A picture of a project with its mandatory alternative text.
#[derive(Debug, Clone)]
pub struct Bild {
    pub datei: Id<Datei>,
    /// Empty only for a decorative image (`dekorativ: true`).
    pub alt: String,
    pub dekorativ: bool,
    /// The credit shown under the image (`bildnachweis`).
    pub bildnachweis: Option<String>,
    /// Publish the uploaded file unchanged, with its metadata (`original: true`).
    pub original: bool,
    /// Where `datei` is written, looked up only when the image turns out to be broken.
    pub stelle: (std::sync::Arc<crate::yaml::Doc>, Vec<crate::yaml::Seg>),
}
