use std::fmt;

use jiff::civil::Date;

use super::{Ag, Anhang, Id, Meta, Stadtteil};

/// A council document (Informationsvorlage, Beschlussvorlage, Antrag, …).
#[derive(Debug, Clone)]
pub struct Vorlage {
    pub meta: Meta,
    pub nummer: Vorlagennummer,
    pub art: Art,
    pub thema: String,
    pub datum: Date,
    pub dezernat: Option<String>,
    pub amt: Option<String>,
    pub beratungsfolge: Vec<Beratung>,
    pub bearbeiter: Option<String>,
    pub unterzeichnet: Option<String>,
    pub stadtteile: Vec<Id<Stadtteil>>,
    pub ags: Vec<Id<Ag>>,
    pub anhaenge: Vec<Anhang>,
}

/// A Vorlage number in its canonical spelling: kind letters, four digits, `/`, year
/// (`I0264/09`). `I 0126/09` and `i0126/09` are the same number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vorlagennummer(String);

impl Vorlagennummer {
    /// Parses the usual spellings; `None` if `s` is not a Vorlage number.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let letters: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let rest = s[letters.len()..].trim_start_matches(' ');
        let (number, year) = rest.split_once('/')?;
        let ok = (1..=4).contains(&letters.len())
            && (1..=5).contains(&number.len())
            && number.bytes().all(|b| b.is_ascii_digit())
            && year.len() == 2
            && year.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| Vorlagennummer(format!("{}{number}/{year}", letters.to_ascii_uppercase())))
    }

    /// Stands in for the number of a Vorlage whose number could not be read, so the rest
    /// of a failing run can still be checked. Never written to the output.
    pub(crate) fn platzhalter(slug: &str) -> Self {
        Vorlagennummer(slug.to_uppercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The slug the content model derives from the number (`I0264/09` → `i0264-09`).
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase().replace(['/', ' '], "-")
    }

    /// The number as a file name (`I0264-09`).
    pub fn dateiname(&self) -> String {
        self.0.replace('/', "-")
    }
}

impl fmt::Display for Vorlagennummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Art {
    Information,
    Beschlussvorlage,
    Antrag,
    Anfrage,
    Stellungnahme,
}

impl Art {
    pub const ALLE: [(&'static str, Art); 5] = [
        ("information", Art::Information),
        ("beschlussvorlage", Art::Beschlussvorlage),
        ("antrag", Art::Antrag),
        ("anfrage", Art::Anfrage),
        ("stellungnahme", Art::Stellungnahme),
    ];

    pub fn code(self) -> &'static str {
        Self::ALLE
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("", |(c, _)| c)
    }

    pub fn bezeichnung(self) -> &'static str {
        match self {
            Art::Information => "Information",
            Art::Beschlussvorlage => "Beschlussvorlage",
            Art::Antrag => "Antrag",
            Art::Anfrage => "Anfrage",
            Art::Stellungnahme => "Stellungnahme",
        }
    }
}

/// One step of the Beratungsfolge: which body discusses the Vorlage when, and how.
#[derive(Debug, Clone)]
pub struct Beratung {
    pub gremium: String,
    pub datum: Date,
    pub behandlung: Option<Behandlung>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behandlung {
    Oeffentlich,
    NichtOeffentlich,
}

impl Behandlung {
    pub fn bezeichnung(self) -> &'static str {
        match self {
            Behandlung::Oeffentlich => "öffentlich",
            Behandlung::NichtOeffentlich => "nicht öffentlich",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_spellings() {
        for (input, canonical) in [
            ("I0264/09", "I0264/09"),
            ("I 0126/09", "I0126/09"),
            ("DS0123/24", "DS0123/24"),
            ("a0171/22", "A0171/22"),
        ] {
            assert_eq!(Vorlagennummer::parse(input).unwrap().as_str(), canonical);
        }
        for bad in [
            "I0264",
            "0264/09",
            "I0264/2009",
            "IXXXXX0264/09",
            "I02a4/09",
            "",
        ] {
            assert!(Vorlagennummer::parse(bad).is_none(), "{bad}");
        }
        let n = Vorlagennummer::parse("I0264/09").unwrap();
        assert_eq!(n.slug(), "i0264-09");
        assert_eq!(n.dateiname(), "I0264-09");
    }
}
