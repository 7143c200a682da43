//! The YAML documents of the last build, parsed, by the hash of their text: a rebuild
//! takes the documents of unchanged files from here instead of parsing them again.
//!
//! libyaml reads a front matter of a dozen fields in about 20 µs, most of a content
//! file's loading and an eighth of a rebuild's CPU time; a value from this store is its
//! bytes ([`Kompakt`]) copied once. A document is found by the
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

use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

use super::{Doc, Geparst, Kompakt};
use crate::diagnostics::Diagnostic;
use crate::model::SourceFile;

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
    Neu(u128, Kompakt),
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

    /// [`Doc::parse_kompakt`], with the value taken from the store when the text is there.
    pub fn parse(
        &self,
        file: Arc<SourceFile>,
        start: usize,
        end: usize,
    ) -> Result<Geparst, Box<Diagnostic>> {
        let schluessel = xxh3_128(&file.text.as_bytes()[start..end]);
        if let Some(bereich) = self.index.get(&schluessel)
            && let Some(wert) = self.lesen(bereich.clone())
        {
            self.merken(Eintrag::Alt(schluessel, bereich.clone()));
            return Ok(Geparst {
                doc: Doc::ohne_wert(file, start, end),
                felder: wert,
                baum: None,
            });
        }
        let geparst = Doc::parse_kompakt(file, start, end)?;
        self.merken(Eintrag::Neu(schluessel, geparst.felder.clone()));
        Ok(geparst)
    }

    fn merken(&self, eintrag: Eintrag) {
        if let Ok(mut g) = self.gebraucht.lock() {
            g.push(eintrag);
        }
    }

    /// The value stored in `bereich` (checksum, then bytes), if it reads back whole.
    fn lesen(&self, bereich: Range<usize>) -> Option<Kompakt> {
        let roh = self.bytes.get(bereich)?;
        let (summe, daten) = roh.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*summe) != xxh3_64(daten) {
            return None;
        }
        Kompakt::aus_bytes(daten)
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
                match e {
                    Eintrag::Alt(k, r) => {
                        let daten = &bytes[r.clone()];
                        out.write_all(&k.to_le_bytes())?;
                        out.write_all(&((daten.len() - 8) as u32).to_le_bytes())?;
                        out.write_all(daten)?;
                    }
                    Eintrag::Neu(k, wert) => {
                        let daten = wert.bytes();
                        // Longer values than a u32 counts are not stored.
                        let Ok(len) = u32::try_from(daten.len()) else {
                            continue;
                        };
                        out.write_all(&k.to_le_bytes())?;
                        out.write_all(&len.to_le_bytes())?;
                        out.write_all(&xxh3_64(daten).to_le_bytes())?;
                        out.write_all(daten)?;
                    }
                }
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
            let wert = zweiter.parse(quelle(text), 0, text.len()).unwrap().felder;
            let (_, frisch) = Doc::parse(quelle(text), 0, text.len()).unwrap();
            assert_eq!(wert.wert(), frisch);
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
            let wert = v.parse(quelle(text), 0, text.len()).unwrap().felder;
            assert_eq!(
                wert.wert(),
                Doc::parse(quelle(text), 0, text.len()).unwrap().1
            );
            assert!(matches!(v.gebraucht.lock().unwrap()[0], Eintrag::Neu(..)));
        }
        let falsch = "titel: [offen\n";
        let v = Vorrat::laden(&pfad);
        assert!(v.parse(quelle(falsch), 0, falsch.len()).is_err());
    }
}
