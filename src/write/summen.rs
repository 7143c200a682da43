//! Checksums of the files quartier wrote, so that a rebuild knows an unchanged file
//! without reading it back.
//!
//! A rebuild compares every file it renders with the one the staging folder holds.
//! Reading each of them back (30,000 files at 10,000 projects) was a tenth of a rebuild.
//! Instead, every file a build writes or finds unchanged is noted with its inode,
//! modification time and length and an XXH3 checksum of its bytes; the next builds meet
//! the same inode, time and length in their walk of the staging folder and compare the
//! checksum of what they rendered instead of the file.
//!
//! A note is trusted only while inode, modification time and length are still the
//! noted ones, so a file that anyone else changed (which gives it a new time), or a note
//! of a build that died, costs a read as before and never a wrong output. What is noted is a fact about an inode,
//! not about a folder, so when the notes are saved does not matter for correctness.
//!
//! The notes live in `.quartier-cache/ausgabe/`, one file per output folder (named after
//! its staging folder's path), and hold the last two builds: the staging folder holds
//! the output before the published one.

use std::fs::Metadata;
use std::hash::Hasher;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The start of a notes file; a file without it (or of another version) is ignored.
const KOPF: &[u8] = b"quartier-pruefsummen 1\n";
/// Bytes of one note: inode, modification time, length, checksum.
const EINTRAG: usize = 8 + 8 + 8 + 16;

/// What identifies the bytes of a file as long as nobody writes into it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Stand {
    ino: u64,
    /// Modification time in nanoseconds since 1970.
    zeit: i64,
    pub len: u64,
}

impl Stand {
    pub fn von(m: &Metadata) -> Stand {
        Stand {
            ino: m.ino(),
            zeit: m
                .mtime()
                .saturating_mul(1_000_000_000)
                .saturating_add(m.mtime_nsec()),
            len: m.len(),
        }
    }
}

/// The XXH3-128 checksum of a file's bytes, in two halves: a `u128` would double the
/// alignment, and so the size, of what holds one for every file of the output.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Summe([u64; 2]);

impl Summe {
    pub fn von(bytes: &[u8]) -> Summe {
        let h = xxhash_rust::xxh3::xxh3_128(bytes);
        Summe([h as u64, (h >> 64) as u64])
    }
}

/// The notes of the last two builds, for the walk of the staging folder.
#[derive(Default)]
pub struct Bekannt(foldhash::HashMap<Stand, Summe>);

impl Bekannt {
    /// The checksum of a file in the state `stand`, if a build noted it.
    pub fn von(&self, stand: &Stand) -> Option<Summe> {
        self.0.get(stand).copied()
    }
}

/// This build's notes, written as they will be saved: at 100,000 projects they are
/// 290,000 notes, held until the end of the build.
#[derive(Default)]
pub struct Pruefsummen {
    datei: Option<PathBuf>,
    neu: Mutex<Vec<u8>>,
}

impl Pruefsummen {
    /// The notes for the staging folder `staging`, kept in the folder `cache`. A missing
    /// or damaged file means no notes: every file is then read back as before.
    pub fn laden(cache: &Path, staging: &Path) -> (Pruefsummen, Bekannt) {
        let datei = cache.join(name(staging));
        let bekannt = std::fs::read(&datei)
            .ok()
            .and_then(|b| {
                let (letzte, vorletzte) = listen(&b)?;
                // Room for all at once: grown step by step, the table was rebuilt a
                // dozen times at 100,000 projects, all on one core.
                let mut map = foldhash::HashMap::with_capacity_and_hasher(
                    (letzte.len() + vorletzte.len()) / EINTRAG,
                    Default::default(),
                );
                map.extend(notizen(letzte).chain(notizen(vorletzte)));
                Some(map)
            })
            .unwrap_or_default();
        let summen = Pruefsummen {
            datei: Some(datei),
            neu: Mutex::new(Vec::new()),
        };
        (summen, Bekannt(bekannt))
    }

    /// Notes that the file in the state `stand` holds bytes with the checksum `summe`.
    pub fn merken(&self, stand: Stand, summe: Summe) {
        if let Ok(mut neu) = self.neu.lock() {
            neu.extend_from_slice(&stand.ino.to_le_bytes());
            neu.extend_from_slice(&stand.zeit.to_le_bytes());
            neu.extend_from_slice(&stand.len.to_le_bytes());
            neu.extend_from_slice(&summe.0[0].to_le_bytes());
            neu.extend_from_slice(&summe.0[1].to_le_bytes());
        }
    }

    /// Room for the notes of `n` files, so that the list is not copied as it grows.
    pub fn platz_fuer(&self, n: usize) {
        if let Ok(mut neu) = self.neu.lock() {
            neu.reserve(n.saturating_mul(EINTRAG));
        }
    }

    /// Saves this build's notes, followed by the last build's (the first list of the
    /// file as it was). Failing to save costs the next build time, not correctness, so
    /// errors are ignored.
    pub fn speichern(self) {
        use std::io::Write;
        let Some(datei) = self.datei else {
            return;
        };
        let neu = self.neu.into_inner().unwrap_or_default();
        let alt = std::fs::read(&datei).unwrap_or_default();
        let letzte = listen(&alt).map_or(&[][..], |(letzte, _)| letzte);
        let vorlaeufig = datei.with_extension("neu");
        let schreiben = || -> std::io::Result<()> {
            if let Some(ordner) = datei.parent() {
                std::fs::create_dir_all(ordner)?;
            }
            let mut f = std::io::BufWriter::new(std::fs::File::create(&vorlaeufig)?);
            f.write_all(KOPF)?;
            for liste in [&neu[..], letzte] {
                f.write_all(&((liste.len() / EINTRAG) as u64).to_le_bytes())?;
                f.write_all(liste)?;
            }
            f.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&vorlaeufig, &datei)
        };
        let _ = schreiben();
    }
}

/// The notes file of a staging folder: named after its path, so that two outputs of the
/// same portal (`--out`) keep their own.
fn name(staging: &Path) -> String {
    let pfad = staging
        .canonicalize()
        .unwrap_or_else(|_| staging.to_path_buf());
    let mut h = siphasher::sip::SipHasher13::new();
    h.write(pfad.as_os_str().as_encoded_bytes());
    format!("{:016x}", h.finish())
}

/// The bytes of the two lists of notes of a file; `None` if it is not one quartier
/// wrote whole.
fn listen(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut rest = b.strip_prefix(KOPF)?;
    let mut liste = || -> Option<&[u8]> {
        let (n, r) = rest.split_first_chunk::<8>()?;
        let n = usize::try_from(u64::from_le_bytes(*n)).ok()?;
        let (bytes, r) = r.split_at_checked(n.checked_mul(EINTRAG)?)?;
        rest = r;
        Some(bytes)
    };
    let letzte = liste()?;
    let vorletzte = liste()?;
    Some((letzte, vorletzte))
}

fn notizen(liste: &[u8]) -> impl Iterator<Item = (Stand, Summe)> + '_ {
    liste.chunks_exact(EINTRAG).filter_map(notiz)
}

/// One note of [`EINTRAG`] bytes.
fn notiz(e: &[u8]) -> Option<(Stand, Summe)> {
    let (ino, e) = e.split_first_chunk::<8>()?;
    let (zeit, e) = e.split_first_chunk::<8>()?;
    let (len, e) = e.split_first_chunk::<8>()?;
    let (a, e) = e.split_first_chunk::<8>()?;
    let b = e.first_chunk::<8>()?;
    let stand = Stand {
        ino: u64::from_le_bytes(*ino),
        zeit: i64::from_le_bytes(*zeit),
        len: u64::from_le_bytes(*len),
    };
    Some((
        stand,
        Summe([u64::from_le_bytes(*a), u64::from_le_bytes(*b)]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stand(ino: u64) -> Stand {
        Stand {
            ino,
            zeit: 1_700_000_000_000_000_123 + ino as i64,
            len: ino * 10,
        }
    }

    fn summe(n: u64) -> Summe {
        Summe([n, !n])
    }

    /// A staging folder and a cache folder beside it.
    fn ordner() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".public.quartier");
        std::fs::create_dir(&staging).unwrap();
        let cache = dir.path().join("cache");
        (dir, staging, cache)
    }

    #[test]
    fn keeps_the_notes_of_two_builds() {
        let (_dir, staging, cache) = ordner();
        for build in 1..=3u64 {
            let (s, bekannt) = Pruefsummen::laden(&cache, &staging);
            if build > 1 {
                assert_eq!(bekannt.von(&stand(build - 1)), Some(summe(build - 1)));
            }
            if build > 2 {
                assert_eq!(bekannt.von(&stand(build - 2)), Some(summe(build - 2)));
            }
            s.merken(stand(build), summe(build));
            s.speichern();
        }
        let (_, bekannt) = Pruefsummen::laden(&cache, &staging);
        assert_eq!(bekannt.von(&stand(3)), Some(summe(3)));
        assert_eq!(bekannt.von(&stand(2)), Some(summe(2)));
        assert_eq!(bekannt.von(&stand(1)), None, "older notes are dropped");
        let anders = Stand {
            zeit: stand(3).zeit + 1,
            ..stand(3)
        };
        assert_eq!(bekannt.von(&anders), None, "another time is another state");
    }

    #[test]
    fn a_damaged_file_means_no_notes() {
        let (_dir, staging, cache) = ordner();
        let (s, _) = Pruefsummen::laden(&cache, &staging);
        s.merken(stand(1), summe(1));
        s.merken(stand(2), summe(2));
        s.speichern();
        let datei = std::fs::read_dir(&cache)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let voll = std::fs::read(&datei).unwrap();
        let bekannt = || Pruefsummen::laden(&cache, &staging).1;
        for laenge in [0, 5, KOPF.len() + 3, voll.len() - 1] {
            std::fs::write(&datei, &voll[..laenge]).unwrap();
            assert_eq!(bekannt().von(&stand(1)), None, "cut at {laenge}");
        }
        let mut fremd = voll.clone();
        fremd[KOPF.len() - 2] = b'9';
        std::fs::write(&datei, &fremd).unwrap();
        assert_eq!(bekannt().von(&stand(1)), None);
        std::fs::write(&datei, &voll).unwrap();
        assert_eq!(bekannt().von(&stand(1)), Some(summe(1)));
        assert_eq!(bekannt().von(&stand(2)), Some(summe(2)));
    }
}
