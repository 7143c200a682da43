//! Typed reading of a YAML mapping, reporting every problem in German.
//!
//! Entities are read field by field rather than with `#[derive(Deserialize)]`: that way
//! one file can report all of its problems at once (not just the first), each message
//! names the field in the editors' words, and unknown keys become warnings with a
//! "meinten Sie …?" hint.

use std::cell::RefCell;
use std::sync::Arc;

use jiff::civil::{Date, Time};
use serde_yaml::{Mapping, Value};

use super::{Doc, Part, Seg};
use crate::diagnostics::{Code, Diagnostic, Location, closest, did_you_mean};
use crate::model::Euro;

/// Where the readers of one document put their diagnostics.
pub type Sink = RefCell<Vec<Diagnostic>>;

/// Why a value could not be read.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A value of the wrong type, with a hint that a more specific one may replace.
    /// `expected` is in the accusative ("einen Text"), as both sentences take it.
    fn typ(expected: &str, found: &Value) -> Self {
        let hint = match found {
            Value::String(_) => format!(
                "Tragen Sie hier {expected} ein; in Anführungszeichen oder mit Buchstaben wird ein Wert als Text gelesen."
            ),
            Value::Sequence(_) => format!(
                "Tragen Sie hier {expected} ein, keine Liste; eckige Klammern oder Zeilen mit '- ' machen eine Liste. Ein Text mit '[' gehört in Anführungszeichen."
            ),
            Value::Mapping(_) => format!(
                "Tragen Sie hier {expected} ein, keine Unterfelder; enthält ein Wert einen Doppelpunkt, setzen Sie ihn in Anführungszeichen."
            ),
            _ => format!("Tragen Sie hier {expected} ein."),
        };
        Problem::new(
            Code::FalscherTyp,
            format!("erwartet {expected}, gefunden {}", describe(found)),
        )
        .hint(hint)
    }
}

/// How a value looks to an editor, for "erwartet …, gefunden …" messages.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nichts".into(),
        Value::Bool(b) => format!("den Wahrheitswert {b}"),
        Value::Number(n) => format!("die Zahl {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            format!("den Text '{short}{more}'")
        }
        Value::Sequence(_) => "eine Liste".into(),
        Value::Mapping(_) => "eine Zuordnung (feld: wert)".into(),
        Value::Tagged(t) => describe(&t.value),
    }
}

/// A type that can be read from one YAML value.
pub trait FromYaml: Sized {
    fn from_yaml(v: &Value) -> Result<Self, Problem>;

    /// Whether a number like `2.400` is a thousands separator typed the German way
    /// rather than decimals (for counts, and amounts in euro, whose decimals are cents),
    /// and what to add to the hint then.
    const OHNE_TAUSENDERPUNKT: Option<&'static str> = None;
}

impl FromYaml for String {
    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        match v {
            Value::String(s) => match crate::load::steuerzeichen(s) {
                // A YAML escape (`"\u0007"`) gets past the parser, which refuses the
                // character itself; feeds and calendars must not carry it.
                Some((_, c)) => Err(Problem::new(
                    Code::UngueltigerWert,
                    format!(
                        "der Text enthält das unsichtbare Steuerzeichen U+{:04X}",
                        c as u32
                    ),
                )
                .hint("Löschen Sie die Angabe \\u… oder \\x… aus dem Text.")),
                None => Ok(s.trim().to_string()),
            },
            // `nummer: 30` and `titel: 2026` mean the text the editor typed.
            Value::Number(n) => Ok(n.to_string()),
            Value::Tagged(t) => String::from_yaml(&t.value),
            other => Err(Problem::typ("einen Text", other)),
        }
    }
}

fn integer(v: &Value) -> Result<i64, Problem> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| {
            if n.is_u64() {
                Problem::new(Code::UngueltigerWert, format!("die Zahl {n} ist zu groß"))
                    .hint("Prüfen Sie die Zahl: sind Ziffern doppelt eingetragen?")
            } else {
                Problem::typ("eine ganze Zahl", v)
                    .hint("Schreiben Sie die Zahl ohne Nachkommastellen.")
            }
        }),
        // Spreadsheet exports often quote numbers.
        Value::String(s) if s.trim().parse::<i64>().is_ok() => {
            Ok(s.trim().parse().unwrap_or_default())
        }
        Value::String(s) if s.contains('.') && s.replace('.', "").trim().parse::<i64>().is_ok() => {
            Err(Problem::typ("eine ganze Zahl", v).hint(format!(
                "Schreiben Sie Zahlen ohne Tausenderpunkt: {}",
                s.replace('.', "")
            )))
        }
        other => Err(Problem::typ("eine ganze Zahl", other)),
    }
}

impl FromYaml for i64 {
    const OHNE_TAUSENDERPUNKT: Option<&'static str> = Some("");

    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        integer(v)
    }
}

impl FromYaml for i32 {
    const OHNE_TAUSENDERPUNKT: Option<&'static str> = Some("");

    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        let n = integer(v)?;
        i32::try_from(n).map_err(|_| {
            Problem::new(Code::UngueltigerWert, format!("die Zahl {n} ist zu groß"))
                .hint("Prüfen Sie die Zahl: sind Ziffern doppelt eingetragen?")
        })
    }
}

impl FromYaml for u64 {
    const OHNE_TAUSENDERPUNKT: Option<&'static str> = Some("");

    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        let n = integer(v)?;
        u64::try_from(n).map_err(|_| {
            Problem::new(
                Code::UngueltigerWert,
                format!("erwartet eine Zahl ab 0, gefunden {n}"),
            )
            .hint("Anzahlen sind nie negativ: schreiben Sie die Zahl ohne Minuszeichen.")
        })
    }
}

impl FromYaml for f64 {
    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        match v {
            Value::Number(n) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or_else(|| Problem::typ("eine Zahl", v)),
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                Ok(s.trim().parse().unwrap_or_default())
            }
            Value::String(s) if s.contains(',') => Err(Problem::typ("eine Zahl", v).hint(format!(
                "Verwenden Sie einen Dezimalpunkt: {}",
                s.trim().replace('.', "").replace(',', ".")
            ))),
            other => Err(Problem::typ("eine Zahl", other)),
        }
    }
}

impl FromYaml for bool {
    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) => {
                let hint = match s.trim().to_lowercase().as_str() {
                    "ja" | "yes" | "wahr" | "on" => {
                        Some("Schreiben Sie true (ohne Anführungszeichen).")
                    }
                    "nein" | "no" | "falsch" | "off" => {
                        Some("Schreiben Sie false (ohne Anführungszeichen).")
                    }
                    _ => None,
                };
                let p = Problem::typ("true oder false", v);
                Err(match hint {
                    Some(h) => p.hint(h),
                    None => p,
                })
            }
            other => Err(Problem::typ("true oder false", other)),
        }
    }
}

impl FromYaml for Date {
    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        let Value::String(s) = v else {
            return Err(
                Problem::typ("ein Datum (JJJJ-MM-TT)", v).hint("Beispiel: datum: 2009-11-24")
            );
        };
        let s = s.trim();
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            // Only a date that exists is offered: `31.02.2020` is more than a matter of form.
            let hint = match als_iso(s) {
                Some(iso) if iso.parse::<Date>().is_ok() => {
                    format!("Schreiben Sie das Datum als JJJJ-MM-TT: {iso}")
                }
                Some(_) => "Diesen Tag gibt es nicht: prüfen Sie Monat und Tag, und schreiben \
                            Sie Daten als JJJJ-MM-TT, z. B. 2009-11-24."
                    .to_string(),
                None => "Schreiben Sie Daten als JJJJ-MM-TT, z. B. 2009-11-24.".to_string(),
            };
            return Err(
                Problem::new(Code::UngueltigesDatum, format!("ungültiges Datum '{s}'")).hint(hint),
            );
        }
        s.parse::<Date>().map_err(|_| {
            Problem::new(
                Code::UngueltigesDatum,
                format!("ungültiges Datum '{s}': diesen Tag gibt es nicht"),
            )
            .hint("Prüfen Sie Monat und Tag (Monate 01–12, Tage passend zum Monat).")
        })
    }
}

/// A date written another common way, in ISO form, for a hint: `24.11.2009` (German),
/// `2009-11-3` (ISO without leading zeros), `2009/11/24` and `2009.11.24`. Two-digit
/// years and day-first dates with slashes are left alone: which century, and whether
/// the month or the day comes first, cannot be known.
fn als_iso(s: &str) -> Option<String> {
    let teile: Vec<&str> = s.split(['.', '-', '/']).collect();
    let [a, b, c] = teile[..] else {
        return None;
    };
    let zahl =
        |p: &str, n: usize| !p.is_empty() && p.len() <= n && p.bytes().all(|b| b.is_ascii_digit());
    let jahr_zuerst = a.len() == 4 && zahl(a, 4) && zahl(b, 2) && zahl(c, 2);
    let deutsch = s.contains('.') && !s.contains(['-', '/']) && zahl(a, 2) && zahl(b, 2);
    if jahr_zuerst {
        Some(format!("{a}-{b:0>2}-{c:0>2}"))
    } else if deutsch && c.len() == 4 && zahl(c, 4) {
        Some(format!("{c}-{b:0>2}-{a:0>2}"))
    } else {
        None
    }
}

impl FromYaml for Time {
    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        let Value::String(s) = v else {
            return Err(Problem::typ("eine Uhrzeit (HH:MM)", v).hint("Beispiel: zeit: \"18:00\""));
        };
        let s = s.trim();
        let parsed = s.split_once(':').and_then(|(h, m)| {
            let h: i8 = (h.len() <= 2).then(|| h.parse().ok())??;
            let m: i8 = (m.len() == 2).then(|| m.parse().ok())??;
            Time::new(h, m, 0, 0).ok()
        });
        parsed.ok_or_else(|| {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            let hint = if !digits.is_empty() && digits.len() <= 2 && !s.contains(':') {
                format!("Schreiben Sie Uhrzeiten als HH:MM, z. B. \"{digits:0>2}:00\".")
            } else {
                "Schreiben Sie Uhrzeiten als HH:MM (24 Stunden), z. B. \"18:00\".".to_string()
            };
            Problem::new(Code::UngueltigeUhrzeit, format!("ungültige Uhrzeit '{s}'")).hint(hint)
        })
    }
}

impl FromYaml for Euro {
    const OHNE_TAUSENDERPUNKT: Option<&'static str> =
        Some(" Cent stehen nach einem Dezimalpunkt: 1500.50.");

    fn from_yaml(v: &Value) -> Result<Self, Problem> {
        let amount = match v {
            Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        };
        let Some(amount) = amount else {
            let mut p = Problem::typ("einen Betrag in Euro als Zahl", v);
            if let Value::String(s) = v {
                let plain = s.replace(['€', ' '], "").replace('.', "").replace(',', ".");
                if plain.parse::<f64>().is_ok() {
                    p = p.hint(format!(
                        "Schreiben Sie nur die Zahl mit Dezimalpunkt: {plain}"
                    ));
                }
            }
            return Err(p);
        };
        if amount < 0.0 {
            return Err(
                Problem::new(Code::UngueltigerWert, "ein Betrag darf nicht negativ sein")
                    .hint("Tragen Sie den Betrag ohne Minuszeichen ein."),
            );
        }
        if amount > 1e12 {
            return Err(
                Problem::new(Code::UngueltigerWert, "dieser Betrag ist unplausibel groß")
                    .hint("Beträge stehen in Euro, z. B. foerdersumme: 2400 oder 1500.50."),
            );
        }
        Ok(Euro::from_cents((amount * 100.0).round() as i64))
    }
}

/// Reads the fields of one YAML mapping.
pub struct Fields<'a> {
    doc: &'a Arc<Doc>,
    path: Vec<Seg>,
    map: &'a Mapping,
    sink: &'a Sink,
    asked: Vec<&'static str>,
}

static EMPTY: std::sync::LazyLock<Mapping> = std::sync::LazyLock::new(Mapping::new);

impl<'a> Fields<'a> {
    /// A reader for `value`, which sits at `path` in `doc`; `None` if it is not a mapping
    /// (nothing counts as an empty one).
    pub fn new(
        doc: &'a Arc<Doc>,
        path: Vec<Seg>,
        value: &'a Value,
        sink: &'a Sink,
    ) -> Option<Self> {
        matches!(value, Value::Mapping(_) | Value::Null)
            .then(|| Fields::oder_leer(doc, path, value, sink))
    }

    /// [`Fields::new`], reading anything but a mapping as an empty one.
    pub fn oder_leer(doc: &'a Arc<Doc>, path: Vec<Seg>, value: &'a Value, sink: &'a Sink) -> Self {
        let map = match value {
            Value::Mapping(m) => m,
            _ => &EMPTY,
        };
        Fields {
            doc,
            path,
            map,
            sink,
            asked: Vec::new(),
        }
    }

    pub fn doc(&self) -> &'a Doc {
        self.doc
    }

    pub fn doc_arc(&self) -> Arc<Doc> {
        self.doc.clone()
    }

    /// The path of `key` in this mapping.
    pub fn path_of(&self, key: &str) -> Vec<Seg> {
        self.sub(key)
    }

    pub fn path(&self) -> &[Seg] {
        &self.path
    }

    fn sub(&self, key: &str) -> Vec<Seg> {
        let mut p = self.path.clone();
        p.push(Seg::Key(key.to_string()));
        p
    }

    /// Where the value (or key) of `key` is; the mapping itself if `key` is absent.
    pub fn locate(&self, key: &str, part: Part) -> Location {
        self.doc.locate(&self.sub(key), part)
    }

    /// Where this mapping starts.
    pub fn locate_self(&self) -> Location {
        self.doc.locate(&self.path, Part::Value)
    }

    /// Errors reported for this document so far.
    pub fn error_count(&self) -> usize {
        self.sink.borrow().iter().filter(|d| d.is_error()).count()
    }

    /// Whether the document refers to an entity whose own file is broken (such
    /// references are not reported, see [`Code::Folgefehler`]).
    pub fn hat_folgefehler(&self) -> bool {
        self.sink
            .borrow()
            .iter()
            .any(|d| d.code == Code::Folgefehler)
    }

    pub fn push(&self, d: Diagnostic) {
        self.sink.borrow_mut().push(d);
    }

    pub fn report(&self, key: &str, p: Problem) {
        let message = format!("Feld '{key}': {}", p.message);
        self.push(
            Diagnostic::new(p.code, message)
                .at(self.locate(key, Part::Value))
                .hint_opt(p.hint),
        );
    }

    /// The raw value of `key`; `None` when absent or empty.
    pub fn raw(&mut self, key: &'static str) -> Option<&'a Value> {
        if !self.asked.contains(&key) {
            self.asked.push(key);
        }
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    /// Whether `key` is present at all (even if empty).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn missing(&self, key: &str) {
        let present = self.has(key);
        // `stadteile:` for `stadtteile:`: the field is there, misspelt (the unknown key
        // gets its own warning too); the error then points at it.
        let vertippt = (!present)
            .then(|| {
                let keys = self.map.keys().filter_map(|k| k.as_str());
                closest(key, keys.filter(|k| *k != key))
            })
            .flatten();
        let (message, loc, hint) = match (present, vertippt) {
            (true, _) => (
                format!("Pflichtfeld '{key}' ist leer"),
                self.locate(key, Part::Key),
                format!("Ergänzen Sie eine Zeile '{key}: …'."),
            ),
            (false, Some(k)) => (
                format!("Pflichtfeld '{key}' fehlt"),
                self.locate(k, Part::Key),
                format!("Das Feld heißt '{key}', nicht '{k}'."),
            ),
            (false, None) => (
                format!("Pflichtfeld '{key}' fehlt"),
                self.locate_self(),
                format!("Ergänzen Sie eine Zeile '{key}: …'."),
            ),
        };
        self.push(
            Diagnostic::new(Code::PflichtfeldFehlt, message)
                .at(loc)
                .hint(hint),
        );
    }

    pub fn opt<T: FromYaml>(&mut self, key: &'static str) -> Option<T> {
        let v = self.raw(key)?;
        if let Some(zusatz) = T::OHNE_TAUSENDERPUNKT
            && let Some(p) = self.tausenderpunkt(key, v, zusatz)
        {
            self.report(key, p);
            return None;
        }
        T::from_yaml(v).map_err(|p| self.report(key, p)).ok()
    }

    /// `foerdersumme: 2.400` is read by YAML as 2.4, and would be shown as 2,40 €: a
    /// number whose text has groups of three digits after points is a problem for a
    /// count or an amount in euro (see [`FromYaml::OHNE_TAUSENDERPUNKT`]).
    fn tausenderpunkt(&self, key: &str, v: &Value, zusatz: &str) -> Option<Problem> {
        let Value::Number(n) = v else {
            return None;
        };
        // `2.400` is read as 2.4: under 1,000, in whole thousandths. Only such a number
        // needs its text, whose position costs a second parse of the document.
        let tausendstel = n.as_f64().map(|f| f * 1000.0);
        if n.is_i64()
            || n.is_u64()
            || !tausendstel.is_some_and(|t| t < 1e6 && (t - t.round()).abs() < 1e-6)
        {
            return None;
        }
        let text = self.doc.quelltext(&self.sub(key))?.trim();
        let mut gruppen = text.split('.');
        let vorne = gruppen.next()?;
        let passt = (1..=3).contains(&vorne.len())
            && vorne.bytes().all(|b| b.is_ascii_digit())
            && gruppen.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        passt.then(|| {
            Problem::new(
                Code::UngueltigerWert,
                format!("'{text}' ist mit Tausenderpunkt geschrieben"),
            )
            .hint(format!(
                "Schreiben Sie Zahlen ohne Tausenderpunkt: {}.{zusatz}",
                text.replace('.', "")
            ))
        })
    }

    pub fn req<T: FromYaml>(&mut self, key: &'static str) -> Option<T> {
        if self.raw(key).is_none() {
            self.missing(key);
            return None;
        }
        self.opt(key)
    }

    /// A list; a single value counts as a list of one. Bad items are reported and skipped.
    pub fn list<T: FromYaml>(&mut self, key: &'static str) -> Vec<T> {
        self.list_with(key, |v, _| T::from_yaml(v))
    }

    /// Like [`Fields::list`], with a custom reader that also gets the item's location.
    pub fn list_with<T>(
        &mut self,
        key: &'static str,
        mut read: impl FnMut(&Value, &dyn Fn() -> Location) -> Result<T, Problem>,
    ) -> Vec<T> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let items: Vec<(Vec<Seg>, &Value)> = match v {
            Value::Sequence(s) => s
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut p = self.sub(key);
                    p.push(Seg::Index(i));
                    (p, item)
                })
                .collect(),
            single => vec![(self.sub(key), single)],
        };
        let mut out = Vec::with_capacity(items.len());
        for (path, item) in items {
            let doc = self.doc;
            let locate = || doc.locate(&path, Part::Value);
            match read(item, &locate) {
                Ok(x) => out.push(x),
                Err(p) => self.push(
                    Diagnostic::new(p.code, format!("Feld '{key}': {}", p.message))
                        .at(locate())
                        .hint_opt(p.hint),
                ),
            }
        }
        out
    }

    /// A single value read with a custom reader that gets the value's location.
    pub fn value_with<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&Value, &dyn Fn() -> Location) -> Result<T, Problem>,
    ) -> Option<T> {
        let v = self.raw(key)?;
        let path = self.sub(key);
        let doc = self.doc;
        let locate = || doc.locate(&path, Part::Value);
        read(v, &locate).map_err(|p| self.report(key, p)).ok()
    }

    /// A required value read with a custom reader.
    pub fn req_with<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(&Value, &dyn Fn() -> Location) -> Result<T, Problem>,
    ) -> Option<T> {
        if self.raw(key).is_none() {
            self.missing(key);
            return None;
        }
        self.value_with(key, read)
    }

    /// A nested mapping (`ort: {lat: …, lon: …}`).
    pub fn nested(&mut self, key: &'static str) -> Option<Fields<'a>> {
        let v = self.raw(key)?;
        let f = Fields::new(self.doc, self.sub(key), v, self.sink);
        if f.is_none() {
            self.report(
                key,
                Problem::typ("eine Zuordnung mit Unterfeldern (feld: wert)", v),
            );
        }
        f
    }

    /// A list of mappings (`sitzungen`, `beratungsfolge`, …).
    pub fn items(&mut self, key: &'static str) -> Vec<Fields<'a>> {
        let Some(v) = self.raw(key) else {
            return Vec::new();
        };
        let Value::Sequence(seq) = v else {
            self.report(
                key,
                Problem::typ("eine Liste von Einträgen ('- feld: wert')", v),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in seq.iter().enumerate() {
            let mut path = self.sub(key);
            path.push(Seg::Index(i));
            match Fields::new(self.doc, path.clone(), item, self.sink) {
                Some(f) if !item.is_null() => out.push(f),
                _ => self.push(
                    Diagnostic::new(
                        Code::FalscherTyp,
                        format!(
                            "Feld '{key}': Eintrag {} muss Unterfelder haben, gefunden {}",
                            i + 1,
                            describe(item)
                        ),
                    )
                    .at(self.doc.locate(&path, Part::Value))
                    .hint("Jeder Eintrag dieser Liste beginnt mit '- feld: wert', weitere Felder stehen darunter eingerückt."),
                ),
            }
        }
        out
    }

    /// Warns about every key that no reader asked for: usually a typo.
    pub fn finish(self) {
        for key in self.map.keys() {
            let name = match key {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            if self.asked.iter().any(|a| *a == name) {
                continue;
            }
            let hint = did_you_mean(&name, self.asked.iter().copied())
                .unwrap_or_else(|| format!("Bekannte Felder hier: {}.", self.asked.join(", ")));
            self.push(
                Diagnostic::new(
                    Code::UnbekanntesFeld,
                    format!("unbekanntes Feld '{name}' wird ignoriert"),
                )
                .at(self.doc.locate(&self.sub(&name), Part::Key))
                .hint(hint),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFile;
    use std::sync::Arc;

    fn doc(text: &str) -> (Arc<Doc>, Value) {
        let file = Arc::new(SourceFile {
            rel: "content/t.yaml".into(),
            text: text.into(),
        });
        let (doc, value) = Doc::parse(file, 0, text.len()).unwrap();
        (Arc::new(doc), value)
    }

    #[test]
    fn reports_every_problem_with_its_line() {
        let (d, value) = doc(
            "titel: Fest\njahr: zweitausend\ndatum: 24.11.2009\nstadteile: [a]\nbetrag: \"1.500,00 €\"\n",
        );
        let sink = Sink::default();
        let mut f = Fields::new(&d, vec![], &value, &sink).unwrap();
        assert_eq!(f.req::<String>("titel").as_deref(), Some("Fest"));
        assert_eq!(f.req::<i32>("jahr"), None);
        assert_eq!(f.opt::<Date>("datum"), None);
        assert_eq!(f.opt::<Euro>("betrag"), None);
        let _: Vec<String> = f.list("stadtteile");
        let _: Option<String> = f.req("ag");
        f.finish();
        let diags = sink.into_inner();
        let find = |code| diags.iter().find(|d| d.code == code).unwrap();
        assert_eq!(find(Code::FalscherTyp).location.as_ref().unwrap().line, 2);
        let date = find(Code::UngueltigesDatum);
        assert_eq!(date.location.as_ref().unwrap().line, 3);
        assert!(date.hint.as_deref().unwrap().contains("2009-11-24"));
        let unknown = find(Code::UnbekanntesFeld);
        assert_eq!(unknown.location.as_ref().unwrap().line, 4);
        assert_eq!(unknown.hint.as_deref(), Some("meinten Sie 'stadtteile'?"));
        assert!(
            diags
                .iter()
                .any(|d| d.code == Code::PflichtfeldFehlt && d.message.contains("'ag'"))
        );
        let euro = diags.iter().find(|d| d.message.contains("betrag")).unwrap();
        assert!(euro.hint.as_deref().unwrap().contains("1500.00"), "{euro}");
    }

    #[test]
    fn a_thousands_point_in_a_count_or_an_amount_is_a_problem() {
        let (d, value) = doc(
            "foerdersumme: 2.400\nbeteiligte: 1.500\nzwei: 2.40\ngross: 1.000.000\nlat: 52.123\nsumme: 12.5\n",
        );
        let sink = Sink::default();
        let mut f = Fields::new(&d, vec![], &value, &sink).unwrap();
        assert_eq!(f.opt::<Euro>("foerdersumme"), None);
        assert_eq!(f.opt::<u64>("beteiligte"), None);
        assert_eq!(f.opt::<Euro>("zwei"), Some(Euro::from_cents(240)));
        assert_eq!(f.opt::<Euro>("gross"), None);
        // Not for coordinates, and not for amounts with cents.
        assert_eq!(f.opt::<f64>("lat"), Some(52.123));
        assert_eq!(f.opt::<Euro>("summe"), Some(Euro::from_cents(1250)));
        let diags = sink.into_inner();
        assert_eq!(diags.len(), 3, "{diags:?}");
        let erste = &diags[0];
        assert_eq!(erste.location.as_ref().unwrap().line, 1);
        assert!(erste.message.contains("'2.400'"), "{erste}");
        assert!(erste.hint.as_deref().unwrap().contains("2400"), "{erste}");
        assert_eq!(
            diags[1].hint.as_deref(),
            Some("Schreiben Sie Zahlen ohne Tausenderpunkt: 1500.")
        );
        assert!(diags[2].hint.as_deref().unwrap().contains("1000000"));
    }

    #[test]
    fn reads_times_and_amounts() {
        assert_eq!(
            Time::from_yaml(&Value::String("18:00".into())).unwrap(),
            Time::new(18, 0, 0, 0).unwrap()
        );
        assert_eq!(
            Time::from_yaml(&Value::String("9:30".into())).unwrap(),
            Time::new(9, 30, 0, 0).unwrap()
        );
        assert!(Time::from_yaml(&Value::String("25:00".into())).is_err());
        let p = Time::from_yaml(&Value::String("18 Uhr".into())).unwrap_err();
        assert!(p.hint.unwrap().contains("18:00"));
        assert_eq!(
            Euro::from_yaml(&serde_yaml::from_str("1500.5").unwrap()).unwrap(),
            Euro::from_cents(150_050)
        );
        assert!(Euro::from_yaml(&serde_yaml::from_str("-5").unwrap()).is_err());
        // A count too large for any field is said to be too large, not to be no number.
        let p = u64::from_yaml(&serde_yaml::from_str("18446744073709551615").unwrap()).unwrap_err();
        assert_eq!(p.code, Code::UngueltigerWert);
        assert!(p.message.contains("zu groß"), "{}", p.message);
        let p = Date::from_yaml(&Value::String("2025-02-30".into())).unwrap_err();
        assert_eq!(p.code, Code::UngueltigesDatum);
        // A German date is offered in ISO form only when the day exists.
        let p = Date::from_yaml(&Value::String("24.11.2009".into())).unwrap_err();
        assert!(p.hint.unwrap().contains("2009-11-24"));
        let p = Date::from_yaml(&Value::String("31.02.2020".into())).unwrap_err();
        let hint = p.hint.unwrap();
        assert!(!hint.contains("2020-02-31"), "{hint}");
        assert!(hint.contains("Diesen Tag gibt es nicht"), "{hint}");
        // ISO without leading zeros, and other separators.
        for (geschrieben, iso) in [
            ("2026-12-3", "2026-12-03"),
            ("2026-5-20", "2026-05-20"),
            ("2026/05/20", "2026-05-20"),
            ("2026.5.2", "2026-05-02"),
            ("1.2.2026", "2026-02-01"),
        ] {
            let p = Date::from_yaml(&Value::String(geschrieben.into())).unwrap_err();
            let hint = p.hint.unwrap();
            assert!(hint.ends_with(&format!(": {iso}")), "{geschrieben}: {hint}");
        }
        // Nothing is guessed where the order or the century is unclear.
        for unklar in ["05/20/2026", "20.05.26", "2026-13-01", "2026-5"] {
            let p = Date::from_yaml(&Value::String(unklar.into())).unwrap_err();
            let hint = p.hint.unwrap();
            assert!(!hint.contains(": 2"), "{unklar}: {hint}");
        }
    }
}
