//! iCalendar files (RFC 5545): all upcoming dates (`/termine.ics`), per Stadtteil and per
//! AG, and one file per forum and upcoming AG meeting.
//!
//! Written here rather than with a calendar crate because the files need exactly three
//! things those crates leave out or pull chrono in for: the `Europe/Berlin` VTIMEZONE,
//! weekly RRULEs for office hours and byte-stable output. The format rules that matter
//! (CRLF, escaping of `\ ; ,` and newlines, folding at 75 octets without splitting a
//! UTF-8 character) are in `Zeilen` and tested below.

use jiff::civil::{Date, Time};

use super::{Content, Cx, Output, routes, views};
use crate::model::{Ag, Forum, Id, Portal, Stadtteil, Wochentag};

/// The time zone every date of the portal is in, as RFC 5545 wants it spelled out: the
/// EU rules in force since 1996 (last Sunday of March and of October).
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// One VEVENT.
pub struct Ereignis {
    /// Stable across builds: derived from slugs and dates, never from the build.
    pub uid: String,
    pub datum: Date,
    pub beginn: Option<Time>,
    pub ende: Option<Time>,
    /// Weekly on this day (office hours).
    pub woechentlich: Option<Wochentag>,
    pub titel: String,
    pub ort: Option<String>,
    pub beschreibung: Option<String>,
    pub url: String,
    /// Of a made-up example record: said in its summary and description, since a
    /// subscribed calendar shows the event without the page that marks it.
    pub beispiel: bool,
}

/// What a made-up event's description starts with.
const BEISPIEL: &str =
    "Erfundener Beispieltermin: Er zeigt, wie das Portal funktioniert, und findet nicht statt.";

/// Content lines of a calendar, folded and joined with CRLF.
struct Zeilen(String);

impl Zeilen {
    /// Appends one content line, folded after at most 75 octets per physical line.
    fn zeile(&mut self, zeile: &str) {
        let mut laenge = 0;
        for c in zeile.chars() {
            let n = c.len_utf8();
            if laenge + n > 75 {
                self.0.push_str("\r\n ");
                laenge = 1;
            }
            self.0.push(c);
            laenge += n;
        }
        self.0.push_str("\r\n");
    }

    /// `NAME:value` with the value escaped as TEXT.
    fn text(&mut self, name: &str, wert: &str) {
        self.zeile(&format!("{name}:{}", text(wert)));
    }
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
fn text(wert: &str) -> String {
    let mut out = String::with_capacity(wert.len());
    for c in wert.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn datum(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn zeit(t: Time) -> String {
    format!("{:02}{:02}{:02}", t.hour(), t.minute(), t.second())
}

fn byday(w: Wochentag) -> &'static str {
    match w {
        Wochentag::Montag => "MO",
        Wochentag::Dienstag => "TU",
        Wochentag::Mittwoch => "WE",
        Wochentag::Donnerstag => "TH",
        Wochentag::Freitag => "FR",
        Wochentag::Samstag => "SA",
        Wochentag::Sonntag => "SU",
    }
}

/// The calendar as a file. `stempel` is DTSTAMP (UTC), the day of the build, so that two
/// builds on the same day are identical.
pub fn kalender(name: &str, ereignisse: &[Ereignis], stempel: Date) -> String {
    let mut z = Zeilen(String::new());
    z.zeile("BEGIN:VCALENDAR");
    z.zeile("VERSION:2.0");
    z.zeile("PRODID:-//quartier//Gemeinwesenarbeit//DE");
    z.zeile("CALSCALE:GREGORIAN");
    z.zeile("METHOD:PUBLISH");
    z.text("X-WR-CALNAME", name);
    z.zeile("X-WR-TIMEZONE:Europe/Berlin");
    if ereignisse.iter().any(|e| e.beginn.is_some()) {
        for zeile in VTIMEZONE {
            z.zeile(zeile);
        }
    }
    for e in ereignisse {
        z.zeile("BEGIN:VEVENT");
        z.text("UID", &e.uid);
        z.zeile(&format!("DTSTAMP:{}T000000Z", datum(stempel)));
        match e.beginn {
            Some(t) => {
                z.zeile(&format!(
                    "DTSTART;TZID=Europe/Berlin:{}T{}",
                    datum(e.datum),
                    zeit(t)
                ));
                if let Some(ende) = e.ende.filter(|ende| *ende > t) {
                    z.zeile(&format!(
                        "DTEND;TZID=Europe/Berlin:{}T{}",
                        datum(e.datum),
                        zeit(ende)
                    ));
                }
            }
            None => {
                z.zeile(&format!("DTSTART;VALUE=DATE:{}", datum(e.datum)));
                let folgetag = e.datum.tomorrow().unwrap_or(e.datum);
                z.zeile(&format!("DTEND;VALUE=DATE:{}", datum(folgetag)));
            }
        }
        if let Some(w) = e.woechentlich {
            z.zeile(&format!("RRULE:FREQ=WEEKLY;BYDAY={}", byday(w)));
        }
        if e.beispiel {
            z.text("SUMMARY", &format!("{} (Beispiel)", e.titel));
        } else {
            z.text("SUMMARY", &e.titel);
        }
        if let Some(ort) = &e.ort {
            z.text("LOCATION", ort);
        }
        match (&e.beschreibung, e.beispiel) {
            (Some(b), true) => z.text("DESCRIPTION", &format!("{BEISPIEL}\n\n{b}")),
            (None, true) => z.text("DESCRIPTION", BEISPIEL),
            (Some(b), false) => z.text("DESCRIPTION", b),
            (None, false) => {}
        }
        z.zeile(&format!("URL:{}", e.url));
        z.zeile("STATUS:CONFIRMED");
        z.zeile("TRANSP:OPAQUE");
        z.zeile("END:VEVENT");
    }
    z.zeile("END:VCALENDAR");
    z.0
}

/// Meeting `index` of an AG.
pub fn sitzung(cx: &Cx, ag: Id<Ag>, index: usize) -> Ereignis {
    let a = &cx.portal[ag];
    let s = &a.sitzungen[index];
    let anker = views::sitzung_anker(a, index);
    Ereignis {
        uid: format!(
            "{}-{}@{}",
            a.meta.slug,
            anker.to_lowercase(),
            cx.portal.config.base_url.host()
        ),
        datum: s.datum,
        beginn: s.zeit,
        ende: None,
        woechentlich: None,
        titel: match &s.thema {
            Some(t) => format!("{}: {t}", a.name),
            None => format!("Sitzung der {}", a.name),
        },
        ort: s.ort.clone(),
        beschreibung: s.thema.clone(),
        url: format!("{}#{anker}", cx.absolute(&routes::ag(cx.portal, ag))),
        beispiel: a.meta.beispiel,
    }
}

pub fn forum(cx: &Cx, id: Id<Forum>) -> Ereignis {
    let f = &cx.portal[id];
    let tagesordnung = (!f.tagesordnung.is_empty()).then(|| {
        let punkte: Vec<String> = f
            .tagesordnung
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}. {t}", i + 1))
            .collect();
        format!("Tagesordnung:\n{}", punkte.join("\n"))
    });
    Ereignis {
        uid: format!("forum-{}@{}", f.meta.slug, cx.portal.config.base_url.host()),
        datum: f.datum,
        beginn: f.zeit,
        ende: None,
        woechentlich: None,
        titel: f.titel.clone(),
        ort: f.ort.clone(),
        beschreibung: tagesordnung,
        url: cx.absolute(&routes::forum(cx.portal, id)),
        beispiel: f.meta.beispiel,
    }
}

/// The office hours of a Stadtteil's Stadtteilmanagement, weekly from their next date.
pub fn sprechstunden(cx: &Cx, id: Id<Stadtteil>) -> Vec<Ereignis> {
    let s = &cx.portal[id];
    let Some(m) = &s.stadtteilmanagement else {
        return Vec::new();
    };
    m.sprechstunden
        .iter()
        .map(|sp| {
            // The first date on or after today that falls on the weekday.
            let heute = cx.portal.heute;
            let tage = (sp.wochentag.weekday().to_monday_zero_offset()
                - heute.weekday().to_monday_zero_offset())
            .rem_euclid(7);
            let tag = heute
                .checked_add(jiff::Span::new().days(i64::from(tage)))
                .unwrap_or(heute);
            Ereignis {
                uid: format!(
                    "sprechstunde-{}-{}-{}@{}",
                    s.meta.slug,
                    byday(sp.wochentag).to_lowercase(),
                    sp.von.map(zeit).unwrap_or_default(),
                    cx.portal.config.base_url.host()
                ),
                datum: tag,
                beginn: sp.von,
                ende: sp.bis,
                woechentlich: Some(sp.wochentag),
                titel: format!("Sprechstunde des Stadtteilmanagements {}", s.name),
                ort: sp.ort.clone().or_else(|| m.adresse.clone()),
                beschreibung: m.traeger.clone(),
                url: cx.absolute(&routes::stadtteil(cx.portal, id)),
                beispiel: s.meta.beispiel,
            }
        })
        .collect()
}

/// The indices of an AG's meetings from today on: those that get a calendar file.
fn kommende_sitzungen(p: &Portal, ag: Id<Ag>) -> impl Iterator<Item = usize> + '_ {
    let heute = p.heute;
    p[ag]
        .sitzungen
        .iter()
        .enumerate()
        .filter(move |(_, s)| s.datum >= heute)
        .map(|(i, _)| i)
}

fn sortiert(mut e: Vec<Ereignis>) -> Vec<Ereignis> {
    e.sort_by(|a, b| (a.datum, a.beginn, &a.uid).cmp(&(b.datum, b.beginn, &b.uid)));
    e
}

fn datei(path: String, inhalt: String) -> Output {
    Output {
        path,
        content: Content::Bytes(inhalt.into_bytes()),
    }
}

/// Every calendar file of the portal.
pub fn outputs(cx: &Cx) -> Vec<Output> {
    let p = cx.portal;
    let stempel = p.heute;
    let heute = p.heute;
    let stadt = &p.config.titel;
    let mut out = Vec::new();

    let mut alle: Vec<Ereignis> = Vec::new();
    for ag in p.ids::<Ag>() {
        alle.extend(kommende_sitzungen(p, ag).map(|i| sitzung(cx, ag, i)));
    }
    for f in p.ids::<Forum>().filter(|f| p[*f].datum >= heute) {
        alle.push(forum(cx, f));
    }
    for s in p.ids::<Stadtteil>() {
        alle.extend(sprechstunden(cx, s));
    }
    out.push(datei(
        routes::TERMINE_ICS.into(),
        kalender(&format!("Termine – {stadt}"), &sortiert(alle), stempel),
    ));

    for s in p.ids::<Stadtteil>() {
        let mut e: Vec<Ereignis> = Vec::new();
        for ag in &p.index.ags_by_stadtteil[s.index()] {
            e.extend(kommende_sitzungen(p, *ag).map(|i| sitzung(cx, *ag, i)));
        }
        for f in p.index.foren_by_stadtteil[s.index()]
            .iter()
            .filter(|f| p[**f].datum >= heute)
        {
            e.push(forum(cx, *f));
        }
        e.extend(sprechstunden(cx, s));
        out.push(datei(
            routes::stadtteil_ics(p, s),
            kalender(&format!("Termine in {}", p[s].name), &sortiert(e), stempel),
        ));
    }

    for ag in p.ids::<Ag>() {
        let e: Vec<Ereignis> = kommende_sitzungen(p, ag)
            .map(|i| sitzung(cx, ag, i))
            .collect();
        for (i, ereignis) in kommende_sitzungen(p, ag).zip(&e) {
            out.push(datei(
                routes::sitzung_ics(p, ag, i),
                kalender(&ereignis.titel, std::slice::from_ref(ereignis), stempel),
            ));
        }
        out.push(datei(
            routes::ag_ics(p, ag),
            kalender(&format!("Sitzungen der {}", p[ag].name), &e, stempel),
        ));
    }

    for f in p.ids::<Forum>() {
        let e = forum(cx, f);
        out.push(datei(
            routes::forum_ics(p, f),
            kalender(&e.titel, std::slice::from_ref(&e), stempel),
        ));
    }
    out
}

/// The paths `outputs` writes, for the link table (computed without rendering).
pub fn pfade(p: &Portal) -> Vec<String> {
    let mut out = vec![routes::TERMINE_ICS.to_string()];
    out.extend(p.ids::<Stadtteil>().map(|s| routes::stadtteil_ics(p, s)));
    for ag in p.ids::<Ag>() {
        out.push(routes::ag_ics(p, ag));
        out.extend(kommende_sitzungen(p, ag).map(|i| routes::sitzung_ics(p, ag, i)));
    }
    out.extend(p.ids::<Forum>().map(|f| routes::forum_ics(p, f)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_at_75_octets_without_splitting_characters() {
        let mut z = Zeilen(String::new());
        let lang = format!("SUMMARY:{}", "Bürgersprechstunde ".repeat(10));
        z.zeile(&lang);
        for zeile in z.0.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(zeile.len() <= 75, "{} octets: {zeile}", zeile.len());
        }
        // Unfolding gives the line back.
        let entfaltet = z.0.replace("\r\n ", "");
        assert_eq!(entfaltet, format!("{lang}\r\n"));
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn all_day_events_end_the_next_day_and_timed_ones_carry_the_zone() {
        let e = Ereignis {
            uid: "x@example.org".into(),
            datum: jiff::civil::date(2026, 12, 31),
            beginn: None,
            ende: None,
            woechentlich: None,
            titel: "Silvester".into(),
            ort: None,
            beschreibung: None,
            url: "https://example.org/".into(),
            beispiel: false,
        };
        let k = kalender(
            "Test",
            std::slice::from_ref(&e),
            jiff::civil::date(2026, 11, 25),
        );
        assert!(k.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
        assert!(!k.contains("VTIMEZONE"), "no zone needed without times");
        assert!(k.contains("DTSTAMP:20261125T000000Z"));
        let timed = Ereignis {
            beginn: Some(jiff::civil::time(17, 30, 0, 0)),
            ende: Some(jiff::civil::time(19, 0, 0, 0)),
            woechentlich: Some(Wochentag::Dienstag),
            ..e
        };
        let k = kalender("Test", &[timed], jiff::civil::date(2026, 11, 25));
        assert!(k.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"));
        assert!(k.contains("DTSTART;TZID=Europe/Berlin:20261231T173000\r\n"));
        assert!(k.contains("DTEND;TZID=Europe/Berlin:20261231T190000\r\n"));
        assert!(k.contains("RRULE:FREQ=WEEKLY;BYDAY=TU\r\n"));
        assert!(k.ends_with("END:VCALENDAR\r\n"));
    }
}
