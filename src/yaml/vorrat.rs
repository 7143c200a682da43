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
//! The store lives in `.quartier-cache/yaml/dokumente` (its format: [`crate::ablage`]);
//! anything that does not read back counts as not found, and the text is parsed as if
//! there were no store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_128;

use super::{Doc, Geparst, Kompakt};
use crate::ablage::{self, Ablage};
use crate::diagnostics::Diagnostic;
use crate::model::SourceFile;

/// A store read at the start of a build, and what the build found and parsed.
pub struct Vorrat(Ablage<Kompakt>);

impl Vorrat {
    /// Where the portal at `root` keeps its store.
    pub fn ort(root: &Path) -> PathBuf {
        root.join(".quartier-cache").join("yaml").join("dokumente")
    }

    /// Reads the store at `datei`; a missing or damaged one is an empty store.
    pub fn laden(datei: &Path) -> Vorrat {
        Vorrat(Ablage::laden(datei, ablage::kopf("yaml 1")))
    }

    /// [`Doc::parse_kompakt`], with the value taken from the store when the text is there.
    pub fn parse(
        &self,
        file: Arc<SourceFile>,
        start: usize,
        end: usize,
    ) -> Result<Geparst, Box<Diagnostic>> {
        let schluessel = xxh3_128(&file.text.as_bytes()[start..end]);
        if let Some(wert) = self.0.nehmen(schluessel, Kompakt::aus_bytes) {
            return Ok(Geparst {
                doc: Doc::ohne_wert(file, start, end),
                felder: wert,
                baum: None,
            });
        }
        let geparst = Doc::parse_kompakt(file, start, end)?;
        self.0.ablegen(schluessel, geparst.felder.clone());
        Ok(geparst)
    }

    /// Writes the documents this build used as the next build's store (see
    /// [`Ablage::speichern`]).
    pub fn speichern(self, datei: &Path) {
        self.0.speichern(datei);
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
        assert_eq!(zweiter.0.gelesen(), TEXTE.len());
        let geaendert = "titel: \"Fest im Park\"\njahr: 2026\n";
        for text in TEXTE[..2].iter().chain([&geaendert]) {
            let wert = zweiter.parse(quelle(text), 0, text.len()).unwrap().felder;
            let (_, frisch) = Doc::parse(quelle(text), 0, text.len()).unwrap();
            assert_eq!(wert.wert(), frisch);
        }
        assert_eq!(zweiter.0.aus_der_ablage(0), Some(true));
        assert_eq!(zweiter.0.aus_der_ablage(1), Some(true));
        assert_eq!(
            zweiter.0.aus_der_ablage(2),
            Some(false),
            "the changed text is parsed"
        );
        // The next store holds what this build used, and nothing else.
        zweiter.speichern(&pfad);
        assert_eq!(Vorrat::laden(&pfad).0.gelesen(), 3);
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
            assert_eq!(v.0.aus_der_ablage(0), Some(false));
        }
        let falsch = "titel: [offen\n";
        let v = Vorrat::laden(&pfad);
        assert!(v.parse(quelle(falsch), 0, falsch.len()).is_err());
    }
}
