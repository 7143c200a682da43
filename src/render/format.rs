//! German formatting of dates, times, amounts and numbers, as residents expect them.

use jiff::civil::{Date, Time, Weekday};

use crate::model::Euro;

const MONATE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `2026-05-12T17:30:00+02:00`: a date (at midnight without a time) in Magdeburg, as
/// RFC 3339 with that day's UTC offset, for feeds, JSON-LD and OParl. jiff bundles the
/// time-zone database, so the offset never depends on the building machine.
pub fn zeitpunkt(d: Date, t: Option<Time>) -> String {
    match d
        .to_datetime(t.unwrap_or(Time::midnight()))
        .in_tz("Europe/Berlin")
    {
        Ok(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        // Only for dates outside the zone database's range.
        Err(_) => format!("{d}T{}Z", t.unwrap_or(Time::midnight())),
    }
}

/// `24.11.2009`
pub fn datum(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// `Dienstag, 24. November 2009`
pub fn datum_lang(d: Date) -> String {
    format!(
        "{}, {}. {} {}",
        wochentag(d.weekday()),
        d.day(),
        MONATE[(d.month() - 1) as usize],
        d.year()
    )
}

/// `November 2009`
pub fn monat_jahr(d: Date) -> String {
    format!("{} {}", MONATE[(d.month() - 1) as usize], d.year())
}

pub fn wochentag(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Montag",
        Weekday::Tuesday => "Dienstag",
        Weekday::Wednesday => "Mittwoch",
        Weekday::Thursday => "Donnerstag",
        Weekday::Friday => "Freitag",
        Weekday::Saturday => "Samstag",
        Weekday::Sunday => "Sonntag",
    }
}

/// `18:00 Uhr`
pub fn uhrzeit(t: Time) -> String {
    format!("{} Uhr", uhrzeit_kurz(t))
}

/// `18:00`
pub fn uhrzeit_kurz(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `1.500,00 €`
pub fn euro(e: Euro) -> String {
    let cents = e.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02} €", zahl(abs / 100), abs % 100)
}

/// `10.000` (thousands grouped with dots).
pub fn zahl(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `0,8` for a decimal number such as an area.
pub fn dezimal(x: f64, stellen: usize) -> String {
    let s = format!("{x:.stellen$}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (sign, int) = int.strip_prefix('-').map_or(("", int), |i| ("-", i));
    let grouped = zahl(int.parse().unwrap_or(0));
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// File sizes the way German sites print them: `182 KB`, `1,4 MB`.
pub fn dateigroesse(bytes: u64) -> String {
    const KB: u64 = 1000;
    const MB: u64 = 1000 * KB;
    if bytes < KB {
        format!("{bytes} Byte")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        dezimal(bytes as f64 / MB as f64, 1) + " MB"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_central_european_time() {
        let at = zeitpunkt;
        assert_eq!(
            at(jiff::civil::date(2009, 11, 24), None),
            "2009-11-24T00:00:00+01:00"
        );
        assert_eq!(
            at(
                jiff::civil::date(2026, 7, 1),
                Some(jiff::civil::time(17, 30, 0, 0))
            ),
            "2026-07-01T17:30:00+02:00"
        );
        // Summer time begins on the last Sunday of March.
        assert_eq!(
            at(
                jiff::civil::date(2026, 3, 29),
                Some(jiff::civil::time(12, 0, 0, 0))
            ),
            "2026-03-29T12:00:00+02:00"
        );
    }

    use jiff::civil::{date, time};

    #[test]
    fn formats_the_german_way() {
        assert_eq!(datum(date(2009, 11, 24)), "24.11.2009");
        assert_eq!(
            datum_lang(date(2009, 11, 24)),
            "Dienstag, 24. November 2009"
        );
        assert_eq!(monat_jahr(date(2010, 3, 1)), "März 2010");
        assert_eq!(uhrzeit(time(18, 0, 0, 0)), "18:00 Uhr");
        assert_eq!(euro(Euro::from_cents(150_000)), "1.500,00 €");
        assert_eq!(euro(Euro::from_cents(99)), "0,99 €");
        assert_eq!(euro(Euro::from_cents(123_456_789)), "1.234.567,89 €");
        assert_eq!(zahl(10_000), "10.000");
        assert_eq!(zahl(999), "999");
        assert_eq!(zahl(1_000_000), "1.000.000");
        assert_eq!(dezimal(1.23456, 2), "1,23");
        assert_eq!(dezimal(1234.5, 1), "1.234,5");
        assert_eq!(dateigroesse(182_000), "182 KB");
        assert_eq!(dateigroesse(1_400_000), "1,4 MB");
        assert_eq!(dateigroesse(512), "512 Byte");
    }
}
