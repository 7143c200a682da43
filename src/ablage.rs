//! A store of bytes kept between builds under `.quartier-cache/`, keyed by the XXH3-128
//! of whatever they were made from: the parsed YAML of the content files
//! ([`crate::yaml::Vorrat`]) and the highlighted code blocks
//! ([`crate::render::highlight::Codevorrat`]). A build reads its store once, takes what
//! it finds, notes what it makes, and writes the store again with just the entries it
//! used.
//!
//! A store is one file: a header line, then per entry the key (16 bytes), the length of
//! its bytes (4 bytes), a checksum of those bytes (8 bytes) and the bytes. The header
//! names the kind of store, the quartier version and a hash of `Cargo.lock`, so a store
//! is only read by the build that wrote it, with the same dependencies: what they make of
//! the same input cannot differ. It is written to a temporary name and renamed, and
//! anything that does not read back (a damaged store, a bad checksum) counts as not
//! found: the entry is simply made again.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;

use xxhash_rust::xxh3::xxh3_64;

/// A store read at the start of a build, and what the build took from it and added.
pub struct Ablage<T> {
    kopf: String,
    bytes: Vec<u8>,
    /// Where each entry's checksum and bytes are in `bytes`.
    index: HashMap<u128, Range<usize>, foldhash::fast::RandomState>,
    /// The entries this build used, for the next build's store.
    gebraucht: Mutex<Vec<Eintrag<T>>>,
}

enum Eintrag<T> {
    Alt(u128, Range<usize>),
    Neu(u128, T),
}

impl<T> Eintrag<T> {
    fn schluessel(&self) -> u128 {
        match self {
            Eintrag::Alt(k, _) | Eintrag::Neu(k, _) => *k,
        }
    }
}

/// The header of a store of kind `art` (`yaml 1`, `code 1`; the number changes when
/// what is stored changes).
pub fn kopf(art: &str) -> String {
    let lock = xxh3_64(include_bytes!("../Cargo.lock"));
    format!("quartier-{art} {} {lock:016x}\n", env!("CARGO_PKG_VERSION"))
}

impl<T: AsRef<[u8]>> Ablage<T> {
    /// Reads the store at `datei` with header `kopf`; a missing, foreign or damaged one
    /// is an empty store.
    pub fn laden(datei: &Path, kopf: String) -> Ablage<T> {
        Ablage::aus(std::fs::read(datei).unwrap_or_default(), kopf)
    }

    /// A store that holds nothing (for a run that reads none).
    pub fn leer(kopf: String) -> Ablage<T> {
        Ablage::aus(Vec::new(), kopf)
    }

    fn aus(bytes: Vec<u8>, kopf: String) -> Ablage<T> {
        let mut index = HashMap::default();
        if let Some(mut rest) = bytes.strip_prefix(kopf.as_bytes()) {
            let mut at = bytes.len() - rest.len();
            while let Some((eintrag, nach)) = rest.split_first_chunk::<20>() {
                let schluessel = u128::from_le_bytes(eintrag[..16].try_into().unwrap_or_default());
                let len = u32::from_le_bytes(eintrag[16..].try_into().unwrap_or_default()) as usize;
                // The checksum (8 bytes) comes before the bytes.
                if nach.len() < 8 + len {
                    break;
                }
                let von = at + 20;
                index.insert(schluessel, von..von + 8 + len);
                rest = &nach[8 + len..];
                at = von + 8 + len;
            }
        }
        Ablage {
            kopf,
            bytes,
            index,
            gebraucht: Mutex::new(Vec::new()),
        }
    }

    /// What `lesen` makes of the bytes stored under `schluessel`, if they read back whole
    /// and `lesen` accepts them; the entry is then kept for the next build.
    pub fn nehmen<R>(&self, schluessel: u128, lesen: impl FnOnce(&[u8]) -> Option<R>) -> Option<R> {
        let bereich = self.index.get(&schluessel)?;
        let (summe, daten) = self.bytes.get(bereich.clone())?.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*summe) != xxh3_64(daten) {
            return None;
        }
        let wert = lesen(daten)?;
        self.merken(Eintrag::Alt(schluessel, bereich.clone()));
        Some(wert)
    }

    /// Notes `wert`, made by this build, for the next build's store.
    pub fn ablegen(&self, schluessel: u128, wert: T) {
        self.merken(Eintrag::Neu(schluessel, wert));
    }

    fn merken(&self, eintrag: Eintrag<T>) {
        if let Ok(mut g) = self.gebraucht.lock() {
            g.push(eintrag);
        }
    }

    /// Writes the entries this build used as the next build's store, unless they are
    /// exactly the ones it read. Errors are ignored: without a store the next build
    /// makes every entry again.
    pub fn speichern(self, datei: &Path) {
        let Ablage {
            kopf,
            bytes,
            index,
            gebraucht,
        } = self;
        let mut gebraucht = gebraucht.into_inner().unwrap_or_default();
        // An entry used several times (the same text in several files) is stored once.
        gebraucht.sort_by_key(Eintrag::schluessel);
        gebraucht.dedup_by_key(|e| e.schluessel());
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
        // Written as it goes: at 100,000 projects the YAML store is 80 MB.
        let mut out = std::io::BufWriter::new(tmp);
        let geschrieben = (|| -> std::io::Result<()> {
            use std::io::Write;
            out.write_all(kopf.as_bytes())?;
            for e in &gebraucht {
                match e {
                    Eintrag::Alt(k, r) => {
                        let daten = &bytes[r.clone()];
                        out.write_all(&k.to_le_bytes())?;
                        out.write_all(&((daten.len() - 8) as u32).to_le_bytes())?;
                        out.write_all(daten)?;
                    }
                    Eintrag::Neu(k, wert) => {
                        let daten = wert.as_ref();
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

    /// How many entries the store held when it was read.
    #[cfg(test)]
    pub fn gelesen(&self) -> usize {
        self.index.len()
    }

    /// Whether this build took entry `i` (in the order of use) from the store.
    #[cfg(test)]
    pub fn aus_der_ablage(&self, i: usize) -> Option<bool> {
        let g = self.gebraucht.lock().ok()?;
        g.get(i).map(|e| matches!(e, Eintrag::Alt(..)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesen(b: &[u8]) -> Option<String> {
        String::from_utf8(b.to_vec()).ok()
    }

    #[test]
    fn keeps_what_a_build_used_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let pfad = dir.path().join("test/ablage");
        let erste: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        erste.ablegen(1, "eins".into());
        erste.ablegen(2, "zwei".into());
        erste.ablegen(2, "zwei".into());
        erste.speichern(&pfad);

        let zweite: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        assert_eq!(zweite.gelesen(), 2);
        assert_eq!(zweite.nehmen(1, lesen).as_deref(), Some("eins"));
        assert_eq!(zweite.nehmen(3, lesen), None);
        // What `lesen` refuses is not kept.
        assert_eq!(zweite.nehmen(2, |_| None::<String>), None);
        zweite.ablegen(3, "drei".into());
        assert_eq!(zweite.aus_der_ablage(0), Some(true));
        assert_eq!(zweite.aus_der_ablage(1), Some(false));
        zweite.speichern(&pfad);

        let dritte: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        assert_eq!(dritte.gelesen(), 2, "1 and 3, not 2");
        assert_eq!(dritte.nehmen(3, lesen).as_deref(), Some("drei"));
        assert_eq!(dritte.nehmen(2, lesen), None);
        // Another kind or version of store is no store.
        let andere: Ablage<String> = Ablage::laden(&pfad, kopf("test 2"));
        assert_eq!(andere.gelesen(), 0);
    }

    #[test]
    fn an_unchanged_store_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let pfad = dir.path().join("ablage");
        let erste: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        erste.ablegen(7, "sieben".into());
        erste.speichern(&pfad);
        let vorher = std::fs::metadata(&pfad).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let zweite: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        assert!(zweite.nehmen(7, lesen).is_some());
        zweite.speichern(&pfad);
        assert_eq!(
            std::fs::metadata(&pfad).unwrap().modified().unwrap(),
            vorher
        );
    }

    #[test]
    fn damaged_entries_are_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let pfad = dir.path().join("ablage");
        let a: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
        a.ablegen(1, "erster Eintrag".into());
        a.ablegen(2, "zweiter Eintrag".into());
        a.speichern(&pfad);
        let ganz = std::fs::read(&pfad).unwrap();
        // A flipped byte fails the last entry's checksum; a cut store loses its end.
        let mut kaputt = ganz.clone();
        let letztes = kaputt.len() - 3;
        kaputt[letztes] ^= 0x20;
        for bytes in [kaputt, ganz[..ganz.len() - 5].to_vec()] {
            std::fs::write(&pfad, &bytes).unwrap();
            let b: Ablage<String> = Ablage::laden(&pfad, kopf("test 1"));
            assert_eq!(b.nehmen(1, lesen).as_deref(), Some("erster Eintrag"));
            assert_eq!(b.nehmen(2, lesen), None);
        }
    }
}
