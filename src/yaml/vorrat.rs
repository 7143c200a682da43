//! The YAML documents of the last build, parsed, by the hash of their text: a rebuild
//! takes the documents of unchanged files from here instead of parsing them again.
//!
//! libyaml reads a front matter of a dozen fields in about 20 µs, most of a content
//! file's loading and an eighth of a rebuild's CPU time; reading the same value back from
//! this store costs the allocations of the value alone. A document is found by the
//! XXH3-128 of its exact text, so an edited file is simply not found, and a store is only
//! used by the build of the same quartier with the same dependencies (its header names
//! a hash of `Cargo.lock`): what serde_yaml makes of a text cannot differ.
//!
//! The store lives in `.quartier-cache/yaml/dokumente`: a header line, then per document
//! the hash of its text (16 bytes), the length of its value's bytes (4 bytes), a
//! checksum of those bytes (8 bytes) and the bytes. It is written to a temporary name
//! and renamed, and anything that does not read back (a damaged store, a bad checksum)
//! counts as not found: the text is parsed as if there were no store.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_yaml::{Mapping, Number, Value};
use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use super::Doc;
use crate::diagnostics::Diagnostic;
use crate::model::SourceFile;

/// Deeper values are not stored (serde_yaml refuses more than 128 levels anyway); a
/// damaged store cannot make reading it recurse without end.
const MAX_TIEFE: usize = 130;

/// A store read at the start of a build, and what the build found and parsed.
#[derive(Default)]
pub struct Vorrat {
    bytes: Vec<u8>,
    /// Where each document's value is in `bytes`.
    index: HashMap<u128, Range<usize>, foldhash::fast::RandomState>,
    /// The documents this build used, for the next build's store.
    gebraucht: Mutex<Vec<Eintrag>>,
}

enum Eintrag {
    Alt(u128, Range<usize>),
    Neu(u128, Vec<u8>),
}

fn kopf() -> String {
    let lock = xxh3_64(include_bytes!("../../Cargo.lock"));
    format!(
        "quartier-yaml 1 {} {lock:016x}\n",
        env!("CARGO_PKG_VERSION")
    )
}

impl Vorrat {
    /// Where the portal at `root` keeps its store.
    pub fn ort(root: &Path) -> PathBuf {
        root.join(".quartier-cache").join("yaml").join("dokumente")
    }

    /// Reads the store at `datei`; a missing or damaged one is an empty store.
    pub fn laden(datei: &Path) -> Vorrat {
        let bytes = std::fs::read(datei).unwrap_or_default();
        let mut index = HashMap::default();
        if let Some(mut rest) = bytes.strip_prefix(kopf().as_bytes()) {
            let mut at = bytes.len() - rest.len();
            while let Some((eintrag, nach)) = rest.split_first_chunk::<20>() {
                let schluessel = u128::from_le_bytes(eintrag[..16].try_into().unwrap_or_default());
                let len = u32::from_le_bytes(eintrag[16..].try_into().unwrap_or_default()) as usize;
                // The checksum (8 bytes) comes before the value.
                if nach.len() < 8 + len {
                    break;
                }
                let von = at + 20;
                index.insert(schluessel, von..von + 8 + len);
                rest = &nach[8 + len..];
                at = von + 8 + len;
            }
        }
        Vorrat {
            bytes,
            index,
            gebraucht: Mutex::new(Vec::new()),
        }
    }

    /// [`Doc::parse`], with the value taken from the store when the text is there.
    pub fn parse(
        &self,
        file: Arc<SourceFile>,
        start: usize,
        end: usize,
    ) -> Result<Doc, Box<Diagnostic>> {
        let schluessel = xxh3_128(&file.text.as_bytes()[start..end]);
        if let Some(bereich) = self.index.get(&schluessel)
            && let Some(value) = self.lesen(bereich.clone())
        {
            self.merken(Eintrag::Alt(schluessel, bereich.clone()));
            return Ok(Doc::aus_teilen(file, start, end, value));
        }
        let doc = Doc::parse(file, start, end)?;
        let mut bytes = vec![0; 8];
        if schreiben(&doc.value, &mut bytes, 0).is_some() {
            let summe = xxh3_64(&bytes[8..]);
            bytes[..8].copy_from_slice(&summe.to_le_bytes());
            self.merken(Eintrag::Neu(schluessel, bytes));
        }
        Ok(doc)
    }

    fn merken(&self, eintrag: Eintrag) {
        if let Ok(mut g) = self.gebraucht.lock() {
            g.push(eintrag);
        }
    }

    /// The value stored in `bereich` (checksum, then bytes), if it reads back whole.
    fn lesen(&self, bereich: Range<usize>) -> Option<Value> {
        let roh = self.bytes.get(bereich)?;
        let (summe, daten) = roh.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*summe) != xxh3_64(daten) {
            return None;
        }
        let mut leser = Leser { rest: daten };
        let value = leser.wert(0)?;
        leser.rest.is_empty().then_some(value)
    }

    /// Writes the documents this build used as the next build's store, unless they are
    /// exactly the ones it read. Errors are ignored: without a store the next build
    /// parses every text.
    pub fn speichern(self, datei: &Path) {
        let Vorrat {
            bytes,
            index,
            gebraucht,
        } = self;
        let mut gebraucht = gebraucht.into_inner().unwrap_or_default();
        // A text in several files is stored once.
        gebraucht.sort_by_key(|e| match e {
            Eintrag::Alt(k, _) | Eintrag::Neu(k, _) => *k,
        });
        gebraucht.dedup_by_key(|e| match e {
            Eintrag::Alt(k, _) | Eintrag::Neu(k, _) => *k,
        });
        let unveraendert = gebraucht.len() == index.len()
            && gebraucht.iter().all(|e| matches!(e, Eintrag::Alt(..)));
        if unveraendert {
            return;
        }
        let Some(ordner) = datei.parent() else {
            return;
        };
        if std::fs::create_dir_all(ordner).is_err() {
            return;
        }
        let Ok(tmp) = tempfile::NamedTempFile::new_in(ordner) else {
            return;
        };
        // Written as it goes: at 100,000 projects the store is 80 MB.
        let mut out = std::io::BufWriter::new(tmp);
        let geschrieben = (|| -> std::io::Result<()> {
            use std::io::Write;
            out.write_all(kopf().as_bytes())?;
            for e in &gebraucht {
                let (k, daten) = match e {
                    Eintrag::Alt(k, r) => (k, &bytes[r.clone()]),
                    Eintrag::Neu(k, b) => (k, &b[..]),
                };
                out.write_all(&k.to_le_bytes())?;
                out.write_all(&((daten.len() - 8) as u32).to_le_bytes())?;
                out.write_all(daten)?;
            }
            out.flush()
        })();
        if geschrieben.is_ok()
            && let Ok(tmp) = out.into_inner()
        {
            let _ = tmp.persist(datei);
        }
    }
}

const NULL: u8 = 0;
const FALSCH: u8 = 1;
const WAHR: u8 = 2;
const POSITIV: u8 = 3;
const NEGATIV: u8 = 4;
const KOMMA: u8 = 5;
const TEXT: u8 = 6;
const LISTE: u8 = 7;
const FELDER: u8 = 8;

/// Appends `v` to `out`; `None` for what is not stored (tags, which no content file
/// uses, and depths serde_yaml refuses), whose document is then parsed every time.
fn schreiben(v: &Value, out: &mut Vec<u8>, tiefe: usize) -> Option<()> {
    if tiefe > MAX_TIEFE {
        return None;
    }
    let laenge = |n: usize, out: &mut Vec<u8>| -> Option<()> {
        out.extend(u32::try_from(n).ok()?.to_le_bytes());
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
            laenge(s.len(), out)?;
            out.extend(s.as_bytes());
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
        Value::Tagged(_) => return None,
    }
    Some(())
}

struct Leser<'a> {
    rest: &'a [u8],
}

impl Leser<'_> {
    fn nimm<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (kopf, rest) = self.rest.split_first_chunk::<N>()?;
        self.rest = rest;
        Some(*kopf)
    }

    fn laenge(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.nimm()?) as usize)
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
            TEXT => {
                let n = self.laenge()?;
                if self.rest.len() < n {
                    return None;
                }
                let (text, rest) = self.rest.split_at(n);
                self.rest = rest;
                Value::String(std::str::from_utf8(text).ok()?.to_owned())
            }
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
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quelle(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            rel: "content/projekte/x.md".into(),
            text: text.into(),
        })
    }

    const TEXTE: &[&str] = &[
        "titel: \"Fest im Park\"\njahr: 2025\nstadtteile: [a, b]\nfoerdersumme: 1160.50\nbeteiligte: 0\n",
        "ort:\n  lat: 52.16095\n  lon: -11.5\n  adresse: null\nziele: []\nleer: {}\nja: true\nnein: false\n",
        "text: |\n  Zeile eins\n  Zeile zwei mit Ümläuten\nzahl: -42\ngross: 18446744073709551615\nklein: -9223372036854775808\n",
        "- name: A\n  7: sieben\n  ? [x, y]\n  : liste als Schlüssel\n- 1e300\n- .nan\n- -.inf\n- ~\n",
        "",
    ];

    #[test]
    fn every_value_reads_back_as_serde_yaml_parsed_it() {
        for text in TEXTE {
            let doc = Doc::parse(quelle(text), 0, text.len()).unwrap();
            let mut bytes = Vec::new();
            schreiben(&doc.value, &mut bytes, 0).unwrap();
            let mut leser = Leser { rest: &bytes };
            let zurueck = leser.wert(0).unwrap();
            assert!(leser.rest.is_empty());
            // NaN is not equal to itself: compare what serde_yaml would write.
            assert_eq!(
                serde_yaml::to_string(&zurueck).unwrap(),
                serde_yaml::to_string(&doc.value).unwrap(),
                "{text}"
            );
            if !text.contains("nan") {
                assert_eq!(zurueck, doc.value, "{text}");
            }
        }
    }

    #[test]
    fn a_rebuild_takes_unchanged_texts_from_the_store_and_parses_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let pfad = dir.path().join("yaml/dokumente");
        let erster = Vorrat::laden(&pfad);
        for text in TEXTE {
            erster.parse(quelle(text), 0, text.len()).unwrap();
        }
        erster.speichern(&pfad);
        let zweiter = Vorrat::laden(&pfad);
        assert_eq!(zweiter.index.len(), TEXTE.len());
        let geaendert = "titel: \"Fest im Park\"\njahr: 2026\n";
        for text in TEXTE[..2].iter().chain([&geaendert]) {
            let doc = zweiter.parse(quelle(text), 0, text.len()).unwrap();
            let frisch = Doc::parse(quelle(text), 0, text.len()).unwrap();
            assert_eq!(doc.value, frisch.value);
        }
        let g = zweiter.gebraucht.lock().unwrap();
        assert!(matches!(g[0], Eintrag::Alt(..)) && matches!(g[1], Eintrag::Alt(..)));
        assert!(
            matches!(g[2], Eintrag::Neu(..)),
            "the changed text is parsed"
        );
        drop(g);
        // The next store holds what this build used, and nothing else.
        zweiter.speichern(&pfad);
        assert_eq!(Vorrat::laden(&pfad).index.len(), 3);
        // A store that does not change is not written again.
        let vorher = std::fs::metadata(&pfad).unwrap().modified().unwrap();
        let dritter = Vorrat::laden(&pfad);
        for text in TEXTE[..2].iter().chain([&geaendert]) {
            dritter.parse(quelle(text), 0, text.len()).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        dritter.speichern(&pfad);
        assert_eq!(
            std::fs::metadata(&pfad).unwrap().modified().unwrap(),
            vorher
        );
    }

    #[test]
    fn a_damaged_store_is_no_store_and_syntax_errors_are_still_reported() {
        let dir = tempfile::tempdir().unwrap();
        let pfad = dir.path().join("dokumente");
        let text = TEXTE[0];
        let v = Vorrat::laden(&pfad);
        v.parse(quelle(text), 0, text.len()).unwrap();
        v.speichern(&pfad);
        let ganz = std::fs::read(&pfad).unwrap();
        // A flipped byte in the value fails its checksum; a cut store loses its end.
        let mut kaputt = ganz.clone();
        let letztes = kaputt.len() - 3;
        kaputt[letztes] ^= 0x20;
        for bytes in [
            kaputt,
            ganz[..ganz.len() - 5].to_vec(),
            b"quartier-yaml 0\n".to_vec(),
        ] {
            std::fs::write(&pfad, &bytes).unwrap();
            let v = Vorrat::laden(&pfad);
            let doc = v.parse(quelle(text), 0, text.len()).unwrap();
            assert_eq!(
                doc.value,
                Doc::parse(quelle(text), 0, text.len()).unwrap().value
            );
            assert!(matches!(v.gebraucht.lock().unwrap()[0], Eintrag::Neu(..)));
        }
        let falsch = "titel: [offen\n";
        let v = Vorrat::laden(&pfad);
        assert!(v.parse(quelle(falsch), 0, falsch.len()).is_err());
    }
}
