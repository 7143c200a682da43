use jiff::civil::{Date, Time, Weekday};

use super::Meta;

/// A Stadtteil (district) of the city.
#[derive(Debug, Clone)]
pub struct Stadtteil {
    pub meta: Meta,
    /// Official name, e.g. `Sudenburg`.
    pub name: String,
    /// Official Stadtteil number, where the city has one.
    pub nummer: Option<String>,
    pub einwohner: Option<u64>,
    pub flaeche_km2: Option<f64>,
    /// Date of the figures above.
    pub stand: Option<Date>,
    pub soziale_stadt: bool,
    pub stadtteilmanagement: Option<Stadtteilmanagement>,
}

/// The Stadtteilmanagement of the programme "Soziale Stadt" in a Stadtteil.
#[derive(Debug, Clone, Default)]
pub struct Stadtteilmanagement {
    pub traeger: Option<String>,
    pub adresse: Option<String>,
    pub telefon: Option<String>,
    pub email: Option<String>,
    pub sprechstunden: Vec<Sprechstunde>,
}

/// Weekly office hours (Bürgersprechstunde).
#[derive(Debug, Clone)]
pub struct Sprechstunde {
    pub wochentag: Wochentag,
    pub von: Option<Time>,
    pub bis: Option<Time>,
    pub ort: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wochentag {
    Montag,
    Dienstag,
    Mittwoch,
    Donnerstag,
    Freitag,
    Samstag,
    Sonntag,
}

impl Wochentag {
    pub const ALLE: [(&'static str, Wochentag); 7] = [
        ("montag", Wochentag::Montag),
        ("dienstag", Wochentag::Dienstag),
        ("mittwoch", Wochentag::Mittwoch),
        ("donnerstag", Wochentag::Donnerstag),
        ("freitag", Wochentag::Freitag),
        ("samstag", Wochentag::Samstag),
        ("sonntag", Wochentag::Sonntag),
    ];

    pub fn weekday(self) -> Weekday {
        match self {
            Wochentag::Montag => Weekday::Monday,
            Wochentag::Dienstag => Weekday::Tuesday,
            Wochentag::Mittwoch => Weekday::Wednesday,
            Wochentag::Donnerstag => Weekday::Thursday,
            Wochentag::Freitag => Weekday::Friday,
            Wochentag::Samstag => Weekday::Saturday,
            Wochentag::Sonntag => Weekday::Sunday,
        }
    }
}
