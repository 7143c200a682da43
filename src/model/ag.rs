use jiff::civil::{Date, Time};

use super::{Datei, Id, Markdown, Meta, Stadtteil};

/// An Arbeitsgruppe Gemeinwesenarbeit (AG GWA).
#[derive(Debug, Clone)]
pub struct Ag {
    pub meta: Meta,
    pub name: String,
    /// The Stadtteile the AG works in (at least one).
    pub stadtteile: Vec<Id<Stadtteil>>,
    pub gegruendet: Option<i32>,
    pub kontakt: Kontakt,
    pub sprecherrat: Vec<String>,
    pub sitzungsregel: Option<String>,
    /// Meetings in date order, oldest first.
    pub sitzungen: Vec<Sitzung>,
}

#[derive(Debug, Clone, Default)]
pub struct Kontakt {
    pub email: Option<String>,
    pub telefon: Option<String>,
    pub adresse: Option<String>,
    pub web: Option<String>,
}

impl Kontakt {
    pub fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.telefon.is_none()
            && self.adresse.is_none()
            && self.web.is_none()
    }
}

/// One meeting of an AG.
#[derive(Debug, Clone)]
pub struct Sitzung {
    pub datum: Date,
    pub zeit: Option<Time>,
    pub ort: Option<String>,
    pub thema: Option<String>,
    pub protokoll: Option<Protokoll>,
}

/// Minutes of a meeting: written in Markdown or a file under `content/dateien/`.
#[derive(Debug, Clone)]
pub enum Protokoll {
    Text(Markdown),
    Datei(Id<Datei>),
}
