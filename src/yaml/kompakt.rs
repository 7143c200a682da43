//! A YAML value kept as a few bytes: how an entity's fields wait between loading and
//! resolving, and how the store of parsed YAML ([`super::Vorrat`]) keeps them between
//! builds.
//!
//! serde_yaml's tree of a project's front matter is some 3 KB in dozens of small
//! allocations. Kept for every document from loading to the end of resolving, the trees
//! were the largest part of a build's memory at that point (about 300 MB at 100,000
//! projects), and the pages they left behind when freed kept the process's resident
//! memory high for the rest of the build. The same value here is one allocation of a
//! few hundred bytes; its tree is made again only while its entity is read, and freed
//! right after.
//!
//! The bytes: a type byte, then for numbers 8 bytes, for texts and tags a length
//! (4 bytes) and UTF-8, for lists and mappings the number of items (4 bytes) and the
//! items (a mapping's as key, value, key, value, …), for a tagged value its tag and then
//! the value.

use std::sync::Arc;

use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Number, Value};

/// Deeper values are not kept (serde_yaml refuses more than 128 levels anyway); damaged
/// bytes cannot make reading them recurse without end.
const MAX_TIEFE: usize = 130;

const NULL: u8 = 0;
const FALSCH: u8 = 1;
const WAHR: u8 = 2;
const POSITIV: u8 = 3;
const NEGATIV: u8 = 4;
const KOMMA: u8 = 5;
const TEXT: u8 = 6;
const LISTE: u8 = 7;
const FELDER: u8 = 8;
const MARKE: u8 = 9;

/// One YAML value in its bytes. Always whole: it is made from a value, or from bytes
/// that were checked to read back as one.
#[derive(Clone)]
pub struct Kompakt(Arc<[u8]>);

/// What kind of value a [`Kompakt`] holds at its top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Art {
    Null,
    Felder,
    Liste,
    Anderes,
}

impl Kompakt {
    /// `None` for a value nested deeper than serde_yaml would have parsed.
    pub fn aus(v: &Value) -> Option<Kompakt> {
        let mut bytes = Vec::new();
        schreiben(v, &mut bytes, 0)?;
        Some(Kompakt(bytes.into()))
    }

    /// Bytes written by [`schreiben`], if they read back as exactly one value.
    pub(super) fn aus_bytes(bytes: &[u8]) -> Option<Kompakt> {
        let mut leser = Leser { rest: bytes };
        leser.ueberspringen(0, true)?;
        leser.rest.is_empty().then(|| Kompakt(bytes.into()))
    }

    pub fn art(&self) -> Art {
        match self.0.first() {
            Some(&NULL) => Art::Null,
            Some(&FELDER) => Art::Felder,
            Some(&LISTE) => Art::Liste,
            _ => Art::Anderes,
        }
    }

    /// The value as serde_yaml parsed it.
    pub fn wert(&self) -> Value {
        // The bytes were checked when this was made: reading them cannot fail.
        Leser { rest: &self.0 }.wert(0).unwrap_or(Value::Null)
    }

    /// The value of `key` in a mapping, without making the rest of it: what sorting and
    /// selecting documents look at.
    pub fn feld(&self, key: &str) -> Option<Value> {
        let mut leser = Leser { rest: &self.0 };
        if leser.nimm::<1>()? != [FELDER] {
            return None;
        }
        for _ in 0..leser.laenge()? {
            if leser.ist_text(key)? {
                return leser.wert(1);
            }
            leser.ueberspringen(1, false)?;
        }
        None
    }

    /// The key of a mapping whose only field is a list of mappings (`projekte:` above
    /// the entries): a list file written as one field, which no entity type has as its
    /// only field.
    pub fn eingepackte_liste(&self) -> Option<&str> {
        let mut leser = Leser { rest: &self.0 };
        if leser.nimm::<1>()? != [FELDER] || leser.laenge()? != 1 {
            return None;
        }
        if leser.nimm::<1>()? != [TEXT] {
            return None;
        }
        let key = leser.text()?;
        let eintraege = leser.nimm::<1>()? == [LISTE] && leser.laenge()? > 0;
        (eintraege && leser.rest.first() == Some(&FELDER)).then_some(key)
    }
}

/// Shows the value, as the tree did.
/// The bytes the store of parsed YAML keeps ([`super::Vorrat`]).
impl AsRef<[u8]> for Kompakt {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Kompakt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.wert().fmt(f)
    }
}

/// Appends `v` to `out`; `None` if it is nested deeper than [`MAX_TIEFE`].
pub(super) fn schreiben(v: &Value, out: &mut Vec<u8>, tiefe: usize) -> Option<()> {
    if tiefe > MAX_TIEFE {
        return None;
    }
    let laenge = |n: usize, out: &mut Vec<u8>| -> Option<()> {
        out.extend(u32::try_from(n).ok()?.to_le_bytes());
        Some(())
    };
    let text = |s: &str, out: &mut Vec<u8>| -> Option<()> {
        laenge(s.len(), out)?;
        out.extend(s.as_bytes());
        Some(())
    };
    match v {
        Value::Null => out.push(NULL),
        Value::Bool(false) => out.push(FALSCH),
        Value::Bool(true) => out.push(WAHR),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                out.push(POSITIV);
                out.extend(u.to_le_bytes());
            } else if let Some(i) = n.as_i64() {
                out.push(NEGATIV);
                out.extend(i.to_le_bytes());
            } else {
                out.push(KOMMA);
                out.extend(n.as_f64()?.to_bits().to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(TEXT);
            text(s, out)?;
        }
        Value::Sequence(items) => {
            out.push(LISTE);
            laenge(items.len(), out)?;
            for item in items {
                schreiben(item, out, tiefe + 1)?;
            }
        }
        Value::Mapping(m) => {
            out.push(FELDER);
            laenge(m.len(), out)?;
            for (k, v) in m {
                schreiben(k, out, tiefe + 1)?;
                schreiben(v, out, tiefe + 1)?;
            }
        }
        Value::Tagged(t) => {
            out.push(MARKE);
            text(&t.tag.to_string(), out)?;
            schreiben(&t.value, out, tiefe + 1)?;
        }
    }
    Some(())
}

struct Leser<'a> {
    rest: &'a [u8],
}

impl<'a> Leser<'a> {
    fn nimm<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (kopf, rest) = self.rest.split_first_chunk::<N>()?;
        self.rest = rest;
        Some(*kopf)
    }

    fn laenge(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.nimm()?) as usize)
    }

    /// The bytes of a text (its length, then its bytes).
    fn roh(&mut self) -> Option<&'a [u8]> {
        let n = self.laenge()?;
        if self.rest.len() < n {
            return None;
        }
        let (text, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(text)
    }

    fn text(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.roh()?).ok()
    }

    /// Reads the next value, a key, and tells whether it is the text `key`. Passed over
    /// unchecked: the bytes were checked when they were taken in.
    fn ist_text(&mut self, key: &str) -> Option<bool> {
        if self.rest.first() != Some(&TEXT) {
            self.ueberspringen(1, false)?;
            return Some(false);
        }
        self.nimm::<1>()?;
        Some(self.roh()? == key.as_bytes())
    }

    fn wert(&mut self, tiefe: usize) -> Option<Value> {
        if tiefe > MAX_TIEFE {
            return None;
        }
        let [art] = self.nimm()?;
        Some(match art {
            NULL => Value::Null,
            FALSCH => Value::Bool(false),
            WAHR => Value::Bool(true),
            POSITIV => Value::Number(Number::from(u64::from_le_bytes(self.nimm()?))),
            NEGATIV => Value::Number(Number::from(i64::from_le_bytes(self.nimm()?))),
            KOMMA => Value::Number(Number::from(f64::from_bits(u64::from_le_bytes(
                self.nimm()?,
            )))),
            TEXT => Value::String(self.text()?.to_owned()),
            LISTE => {
                let n = self.laenge()?;
                // Every value takes at least a byte: a damaged length cannot reserve more.
                let mut items = Vec::with_capacity(n.min(self.rest.len()));
                for _ in 0..n {
                    items.push(self.wert(tiefe + 1)?);
                }
                Value::Sequence(items)
            }
            FELDER => {
                let n = self.laenge()?;
                let mut m = Mapping::with_capacity(n.min(self.rest.len() / 2));
                for _ in 0..n {
                    let k = self.wert(tiefe + 1)?;
                    let v = self.wert(tiefe + 1)?;
                    m.insert(k, v);
                }
                Value::Mapping(m)
            }
            MARKE => {
                let tag = self.text()?;
                if tag.is_empty() {
                    return None;
                }
                let value = self.wert(tiefe + 1)?;
                Value::Tagged(Box::new(TaggedValue {
                    tag: Tag::new(tag),
                    value,
                }))
            }
            _ => return None,
        })
    }

    /// Passes over the next value without making it; with `pruefen`, checks it as
    /// [`Leser::wert`] would read it (its texts UTF-8, its tags not empty), which bytes
    /// from outside need and bytes already taken in do not.
    fn ueberspringen(&mut self, tiefe: usize, pruefen: bool) -> Option<()> {
        if tiefe > MAX_TIEFE {
            return None;
        }
        let [art] = self.nimm()?;
        match art {
            NULL | FALSCH | WAHR => {}
            POSITIV | NEGATIV | KOMMA => {
                self.nimm::<8>()?;
            }
            TEXT => {
                let text = self.roh()?;
                if pruefen {
                    std::str::from_utf8(text).ok()?;
                }
            }
            LISTE => {
                for _ in 0..self.laenge()? {
                    self.ueberspringen(tiefe + 1, pruefen)?;
                }
            }
            FELDER => {
                for _ in 0..self.laenge()? {
                    self.ueberspringen(tiefe + 1, pruefen)?;
                    self.ueberspringen(tiefe + 1, pruefen)?;
                }
            }
            MARKE => {
                let tag = self.roh()?;
                if pruefen && (tag.is_empty() || std::str::from_utf8(tag).is_err()) {
                    return None;
                }
                self.ueberspringen(tiefe + 1, pruefen)?;
            }
            _ => return None,
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTE: &[&str] = &[
        "titel: \"Fest im Park\"\njahr: 2025\nstadtteile: [a, b]\nfoerdersumme: 1160.50\nbeteiligte: 0\n",
        "ort:\n  lat: 52.16095\n  lon: -11.5\n  adresse: null\nziele: []\nleer: {}\nja: true\nnein: false\n",
        "text: |\n  Zeile eins\n  Zeile zwei mit Ümläuten\nzahl: -42\ngross: 18446744073709551615\nklein: -9223372036854775808\n",
        "- name: A\n  7: sieben\n  ? [x, y]\n  : liste als Schlüssel\n- 1e300\n- .nan\n- -.inf\n- ~\n",
        "titel: !wichtig Fest\nort: !<tag:example.org,2026:ort> {lat: 1}\nliste: !!str 5\nnichts: ! x\n",
        "",
    ];

    fn geparst(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn every_value_reads_back_as_serde_yaml_parsed_it() {
        for text in TEXTE {
            let wert = geparst(text);
            let k = Kompakt::aus(&wert).unwrap();
            let zurueck = k.wert();
            // NaN is not equal to itself: compare what serde_yaml would write.
            assert_eq!(
                serde_yaml::to_string(&zurueck).unwrap(),
                serde_yaml::to_string(&wert).unwrap(),
                "{text}"
            );
            if !text.contains("nan") {
                assert_eq!(zurueck, wert, "{text}");
            }
            assert!(Kompakt::aus_bytes(k.as_ref()).is_some(), "{text}");
        }
    }

    #[test]
    fn one_field_is_read_without_the_others() {
        let k = Kompakt::aus(&geparst(TEXTE[0])).unwrap();
        assert_eq!(k.art(), Art::Felder);
        assert_eq!(k.feld("jahr"), Some(Value::Number(2025.into())));
        assert_eq!(k.feld("titel"), Some(Value::String("Fest im Park".into())));
        assert_eq!(k.feld("fehlt"), None);
        // Keys that are not texts are passed over; a list has no fields.
        let liste = Kompakt::aus(&geparst(TEXTE[3])).unwrap();
        assert_eq!(liste.art(), Art::Liste);
        assert_eq!(liste.feld("name"), None);
        let eintrag = match liste.wert() {
            Value::Sequence(s) => Kompakt::aus(&s[0]).unwrap(),
            _ => unreachable!(),
        };
        assert_eq!(eintrag.feld("name"), Some(Value::String("A".into())));
        assert_eq!(Kompakt::aus(&Value::Null).unwrap().art(), Art::Null);
    }

    #[test]
    fn a_list_written_as_one_field_is_told_apart() {
        let eingepackt = |text: &str| {
            Kompakt::aus(&geparst(text))
                .unwrap()
                .eingepackte_liste()
                .map(str::to_string)
        };
        assert_eq!(
            eingepackt("projekte:\n  - titel: A\n  - titel: B\n").as_deref(),
            Some("projekte")
        );
        // A list of slugs is a field of its own, not a list of entities.
        assert_eq!(eingepackt("stadtteile: [a, b]\n"), None);
        assert_eq!(eingepackt("projekte: []\n"), None);
        assert_eq!(eingepackt("stadtteile: [a]\ntitel: A\n"), None);
        assert_eq!(eingepackt("titel: A\n"), None);
        assert_eq!(eingepackt("- titel: A\n"), None);
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let k = Kompakt::aus(&geparst(TEXTE[2])).unwrap();
        let bytes = k.as_ref();
        // Cut anywhere, or with a byte too many, they are not one value any more.
        for n in 0..bytes.len() {
            assert!(Kompakt::aus_bytes(&bytes[..n]).is_none(), "cut at {n}");
        }
        let mut laenger = bytes.to_vec();
        laenger.push(NULL);
        assert!(Kompakt::aus_bytes(&laenger).is_none());
        // An unknown type, a text that is not UTF-8, nesting without end.
        assert!(Kompakt::aus_bytes(&[42]).is_none());
        assert!(Kompakt::aus_bytes(&[TEXT, 1, 0, 0, 0, 0xff]).is_none());
        let tief: Vec<u8> = std::iter::repeat_n([LISTE, 1, 0, 0, 0], 200)
            .flatten()
            .chain([NULL])
            .collect();
        assert!(Kompakt::aus_bytes(&tief).is_none());
    }
}
