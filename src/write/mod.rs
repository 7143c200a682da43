//! Stage 4: write the output atomically.
//!
//! The output is prepared in a staging folder next to it (`.public.quartier` for
//! `public/`) and swapped in with one `renameat2(RENAME_EXCHANGE)`; a build that fails
//! or dies before the swap leaves the previous output as it was.
//!
//! After the swap the staging folder holds the previous output, and the next build
//! brings that up to date instead of starting from nothing: unchanged files are left
//! alone (no new inode, the old modification time, so `rsync` skips them), changed files
//! are rewritten and stale ones removed. Creating files is what costs most on a busy
//! ext4 disk, so rebuilds become much cheaper.
//!
//! Files are written as they are rendered ([`Ausgabe::schreiben`], from many threads), so
//! a build holds one page at a time rather than the whole site: the stale files of the
//! previous build are removed only at the end, before the swap. A new staging folder
//! starts as hard links to the published files ([`verlinken`]); PDFs and photos from
//! quartier's cache are hard links to the cache's files ([`link_if_changed`]).
//!
//! Creating files and folders is most of the kernel time of a first build, so a new
//! file is created with as few system calls as possible ([`neu_anlegen`]): no look
//! before, folders made only when the create fails for want of one.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::render::{Content, Output};

mod summen;

use summen::{Bekannt, Pruefsummen, Stand, Summe};

/// Marks a folder as written by quartier, so a build never replaces anything else.
pub const MARKER: &str = ".quartier";
const MARKER_TEXT: &str = "Dieser Ordner wird von quartier erzeugt und bei jedem Build ersetzt.\n";

#[derive(Debug)]
pub enum WriteError {
    /// The folder exists, is not empty and was not written by quartier.
    Fremd(PathBuf),
    /// Another build is writing to the same output right now.
    Belegt(PathBuf),
    Io(PathBuf, io::Error),
    /// A file to be copied into the output (an editor's attachment) cannot be read.
    Lesen(PathBuf, io::Error),
    /// An output path that is absolute or would leave the output folder (a bug, or a
    /// file name crafted to escape): nothing is written.
    Pfad(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Fremd(p) => write!(
                f,
                "'{}' ist nicht leer und wurde nicht von quartier erzeugt; es wird nicht überschrieben",
                p.display()
            ),
            WriteError::Belegt(p) => write!(
                f,
                "ein anderer Build schreibt gerade nach '{}'",
                p.display()
            ),
            WriteError::Io(p, e) => {
                write!(
                    f,
                    "'{}' kann nicht geschrieben werden: {}",
                    p.display(),
                    io_text(e)
                )
            }
            WriteError::Lesen(p, e) => {
                write!(
                    f,
                    "'{}' kann nicht gelesen werden: {}",
                    p.display(),
                    io_text(e)
                )
            }
            WriteError::Pfad(p) => write!(
                f,
                "der Ausgabepfad '{p}' würde aus dem Ausgabeordner hinausführen; es wurde nichts geschrieben"
            ),
        }
    }
}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

fn lese_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Lesen(p.to_path_buf(), e)
}

/// The system's reason in German where editors and IT meet it most; the rest as the
/// system says it.
pub fn io_text(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "keine Berechtigung".into(),
        io::ErrorKind::NotFound => "nicht vorhanden".into(),
        io::ErrorKind::StorageFull => "kein Speicherplatz mehr frei".into(),
        io::ErrorKind::ReadOnlyFilesystem => "das Dateisystem ist schreibgeschützt".into(),
        _ => e.to_string(),
    }
}

/// Whether quartier may write to `out`: the output folder and its staging folder are
/// each missing, empty or quartier's (they carry the marker). [`Ausgabe::oeffnen`] asks
/// again when it opens them; a build asks first, so that a refused one writes nothing,
/// not even to its caches.
pub fn pruefen(out: &Path) -> Result<(), WriteError> {
    if !ours(out)? {
        return Err(WriteError::Fremd(out.to_path_buf()));
    }
    let staging = staging_dir(out);
    if !ours(&staging)? {
        return Err(WriteError::Fremd(staging));
    }
    Ok(())
}

/// Whether quartier may replace `dir`: it is missing, empty, or carries the marker.
fn ours(dir: &Path) -> Result<bool, WriteError> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    let empty = std::fs::read_dir(dir)
        .map_err(io_err(dir))?
        .next()
        .is_none();
    Ok(empty || dir.join(MARKER).is_file())
}

/// Where a build keeps the checksums of its output files (see [`summen`]).
pub fn cache_ordner(root: &Path) -> PathBuf {
    root.join(".quartier-cache").join("ausgabe")
}

/// The staging folder of an output folder: a hidden sibling.
pub fn staging_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.quartier"))
}

/// Whether an output path stays inside the output folder: relative, not empty, and
/// made of plain names only (no `..`, no `.`, no root, no NUL).
pub fn sicherer_pfad(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        && !path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
}

/// Environment variable for the crash tests (`tests/absturz.rs`): milliseconds to sleep
/// right before the swap, so that a test can kill a build in that moment. Not for users.
pub const PAUSE_VOR_TAUSCH: &str = "QUARTIER_TEST_PAUSE_VOR_TAUSCH";

/// A file the staging folder held before this build.
struct Alt {
    /// The file's inode, time and length, and the checksum an earlier build noted for
    /// them (see [`summen`]). No state for what is not a plain file: a link is never
    /// taken as unchanged.
    stand: Option<Stand>,
    summe: Option<Summe>,
    /// This build has a file at the same path.
    gebraucht: AtomicBool,
}

impl Alt {
    /// A file as the walk of the staging folder found it.
    fn von(e: &std::fs::DirEntry, bekannt: &Bekannt) -> Alt {
        let stand = e
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| Stand::von(&m));
        Alt {
            summe: stand.and_then(|s| bekannt.von(&s)),
            stand,
            gebraucht: AtomicBool::new(false),
        }
    }

    /// The file's length; `u64::MAX` (no output's length) for what is not a file.
    fn len(&self) -> u64 {
        self.stand.map_or(u64::MAX, |s| s.len)
    }
}

/// The files the staging folder held before this build, by path.
type Vorhanden = foldhash::HashMap<PathBuf, Alt>;

/// An output folder being written: files go into its staging folder as they are
/// rendered (so a build never holds the whole site in memory), and [`Ausgabe::tauschen`]
/// swaps the staging folder in once everything is there. Dropped without that, it
/// leaves the output as it was.
pub struct Ausgabe {
    out: PathBuf,
    staging: PathBuf,
    /// Held until the swap: a second build on the same output stops instead of writing
    /// into the same staging folder.
    _lock: File,
    /// The files the staging folder held before (a previous build), with their sizes.
    vorhanden: Vorhanden,
    /// The checksums of files written or found unchanged, for the next builds.
    summen: Pruefsummen,
    /// The first error; later files are skipped and the swap is refused.
    fehler: Mutex<Option<WriteError>>,
    /// This build made the staging folder (there was none before).
    neu: bool,
}

/// Takes the lock of the staging folder of `out`; [`WriteError::Belegt`] if another
/// build holds it.
///
/// A lock belongs to the open file, and a child process holds a copy of every open
/// file from its fork until its `exec` closes them. So while this process starts a
/// program (the `git log` of a build; in tests, builds on other threads), a lock it has
/// just released may still be held for a moment. Trying again for a second covers that,
/// also on a busy machine; another build holds its lock for the whole build.
fn sperren(out: &Path, staging: &Path) -> Result<File, WriteError> {
    use rustix::fs::{FlockOperation, flock};
    for _ in 0..100 {
        let lock = File::open(staging).map_err(io_err(staging))?;
        if flock(&lock, FlockOperation::NonBlockingLockExclusive).is_ok() {
            return Ok(lock);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Err(WriteError::Belegt(out.to_path_buf()))
}

impl Ausgabe {
    /// Prepares the staging folder of `out`: checks that both folders are quartier's,
    /// takes the lock and notes what the staging folder holds. `cache` keeps the
    /// checksums of the files between builds (see [`summen`]); without it every file
    /// is compared by reading it back.
    pub fn oeffnen(out: &Path, cache: Option<&Path>) -> Result<Ausgabe, WriteError> {
        pruefen(out)?;
        let staging = staging_dir(out);
        let neu = !staging.exists();
        std::fs::create_dir_all(&staging).map_err(io_err(&staging))?;
        let lock = sperren(out, &staging)?;
        std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io_err(&staging))?;
        let (summen, bekannt) =
            cache.map_or_else(Default::default, |c| Pruefsummen::laden(c, &staging));
        let vorhanden: Vorhanden = if neu && out.is_dir() {
            // What was linked is what the new staging folder holds: no second walk.
            verlinken(out, &staging, &bekannt)
        } else {
            baum(&staging, &|_| {}, &|e| {
                Some((e.path(), Alt::von(e, &bekannt)))
            })
            .into_iter()
            .collect()
        };
        summen.platz_fuer(vorhanden.len());
        Ok(Ausgabe {
            out: out.to_path_buf(),
            staging,
            _lock: lock,
            vorhanden,
            summen,
            fehler: Mutex::new(None),
            neu,
        })
    }

    /// [`Ausgabe::oeffnen`] for an output whose staging folder is there already (every
    /// build from the third on), `None` where one would have to be made. Opening a
    /// staging folder that is there takes its lock and reads it, and writes nothing but
    /// its marker again, so a build may do it before it knows that it will write.
    pub fn oeffnen_wenn_da(
        out: &Path,
        cache: Option<&Path>,
    ) -> Option<Result<Ausgabe, WriteError>> {
        staging_dir(out)
            .is_dir()
            .then(|| Ausgabe::oeffnen(out, cache))
    }

    /// Writes one file into the staging folder, unless its bytes are there already.
    /// Safe to call from many threads; an error is kept for [`Ausgabe::tauschen`].
    pub fn schreiben(&self, o: &Output) {
        if self.fehler.lock().is_ok_and(|f| f.is_some()) {
            return;
        }
        let ergebnis = if sicherer_pfad(&o.path) {
            let target = self.staging.join(&o.path);
            let alt = self.vorhanden.get(&target);
            if let Some(alt) = alt {
                alt.gebraucht.store(true, Ordering::Relaxed);
            }
            let old_len = alt.map(Alt::len);
            match &o.content {
                Content::Bytes(b) => self.write_if_changed(&target, b, alt),
                Content::Static(b) => self.write_if_changed(&target, b, alt),
                Content::Copy(src) => copy_if_changed(&self.staging, &target, src, old_len),
                // quartier's own cache, not an editor's file: a problem of the output.
                Content::Cached(src) => link_if_changed(&self.staging, &target, src, old_len)
                    .map_err(|e| match e {
                        WriteError::Lesen(p, e) => WriteError::Io(p, e),
                        e => e,
                    }),
            }
        } else {
            Err(WriteError::Pfad(o.path.clone()))
        };
        if let Err(e) = ergebnis
            && let Ok(mut f) = self.fehler.lock()
        {
            f.get_or_insert(e);
        }
    }

    /// Gives up after an error: the output stays as it was, and a staging folder this
    /// build made is removed again (one that was there holds an older build, which the
    /// next build brings up to date).
    pub fn verwerfen(self) {
        if self.neu {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }

    /// Removes what the previous build had and this one has not, then swaps the staging
    /// folder in. On an earlier error of [`Ausgabe::schreiben`] nothing is swapped.
    pub fn tauschen(self) -> Result<(), WriteError> {
        let Ausgabe {
            out,
            staging,
            _lock,
            vorhanden,
            summen,
            fehler,
            neu,
        } = self;
        if let Some(e) = fehler.into_inner().ok().flatten() {
            if neu {
                let _ = std::fs::remove_dir_all(&staging);
            }
            return Err(e);
        }
        let marker = staging.join(MARKER);
        let mut ordner = HashSet::new();
        for (path, _) in vorhanden
            .iter()
            .filter(|(p, alt)| !alt.gebraucht.load(Ordering::Relaxed) && **p != marker)
        {
            match std::fs::symlink_metadata(path) {
                // A stale file where this build put a folder is gone already.
                Ok(m) if m.is_dir() => {}
                Ok(_) => std::fs::remove_file(path).map_err(io_err(path))?,
                Err(_) => {}
            }
            ordner.extend(path.ancestors().skip(1).take_while(|a| *a != staging));
        }
        // Folders that held stale files, deepest first; one still holding something is
        // wanted and stays (removing a folder that is not empty fails).
        let mut ordner: Vec<&Path> = ordner.into_iter().collect();
        ordner.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in ordner {
            let _ = std::fs::remove_dir(dir);
        }
        if let Some(ms) = std::env::var(PAUSE_VOR_TAUSCH)
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        swap_in(&staging, &out)?;
        summen.speichern();
        Ok(())
    }

    /// Writes `bytes` to `target` unless the file there holds them already. The file's
    /// checksum from an earlier build answers that without reading the file; without
    /// one it is read and compared.
    fn write_if_changed(
        &self,
        target: &Path,
        bytes: &[u8],
        alt: Option<&Alt>,
    ) -> Result<(), WriteError> {
        let summe = Summe::von(bytes);
        if let Some(alt) = alt
            && alt.len() == bytes.len() as u64
            && alt
                .summe
                .map_or_else(|| gleich(target, bytes), |s| s == summe)
        {
            if let Some(stand) = alt.stand {
                self.summen.merken(stand, summe);
            }
            return Ok(());
        }
        let root = &self.staging;
        // The new file's state is noted from the open file: one more system call, and
        // the next build need not read it.
        let anlegen = |t: &Path, neu: bool| {
            use std::io::Write;
            let mut f = File::options()
                .write(true)
                .create_new(neu)
                .create(true)
                .truncate(true)
                .open(t)?;
            f.write_all(bytes)?;
            if let Ok(m) = f.metadata() {
                self.summen.merken(Stand::von(&m), summe);
            }
            Ok(())
        };
        if alt.is_none()
            && neu_anlegen(root, target, |t| anlegen(t, true)).map_err(io_err(target))?
        {
            return Ok(());
        }
        platz_machen(root, target)?;
        anlegen(target, false).map_err(io_err(target))
    }
}

/// Like [`copy_if_changed`] for a file of quartier's cache ([`Content::Cached`]): the
/// output gets a hard link to it, which costs no new inode and no bytes copied, and a
/// later build sees at once that the file is the very same. Where no link can be made
/// (the cache on another file system), the file is copied.
fn link_if_changed(
    root: &Path,
    target: &Path,
    src: &Path,
    old_len: Option<u64>,
) -> Result<(), WriteError> {
    if old_len.is_some() {
        // Unchanged: the very same file, or a copy with the same bytes (made where no
        // link could be made, which must not be copied again on every build).
        if dieselbe_datei(src, target) || kopie_gleich(target, src, old_len)? {
            return Ok(());
        }
        platz_machen(root, target)?;
    }
    if neu_anlegen(root, target, |t| std::fs::hard_link(src, t)).unwrap_or(false) {
        return Ok(());
    }
    copy_if_changed(root, target, src, None)
}

/// Whether both paths name the same file (one inode, e.g. linked by an earlier build).
fn dieselbe_datei(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => b.is_file() && (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// Creates the file at `target` with `anlegen`, which must refuse to replace anything
/// (`create_new`, `hard_link`), making missing folders on the way. This is the path of
/// nearly every file of a first build, so it takes as few system calls as possible: no
/// look before, no `mkdir` of a folder that is there. `Ok(false)`: something stands at
/// `target` already (a stale file, a folder, a link), for [`platz_machen`] to clear.
fn neu_anlegen(
    root: &Path,
    target: &Path,
    anlegen: impl Fn(&Path) -> io::Result<()>,
) -> io::Result<bool> {
    let besetzt = |e: io::Error| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            Ok(false)
        } else {
            Err(e)
        }
    };
    match anlegen(target) {
        Ok(()) => Ok(true),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            // A folder on the way is missing, or a file of the previous build stands
            // where this one needs a folder.
            if platz_machen(root, target).is_err() {
                return Ok(false);
            }
            anlegen(target).map(|()| true).or_else(besetzt)
        }
        Err(e) => besetzt(e),
    }
}

/// Like [`Ausgabe::write_if_changed`] for a file copied from `src` (an editor's attachment, a
/// theme file, a cached file where no link can be made), compared and copied without
/// reading it into memory whole.
fn copy_if_changed(
    root: &Path,
    target: &Path,
    src: &Path,
    old_len: Option<u64>,
) -> Result<(), WriteError> {
    if kopie_gleich(target, src, old_len)? {
        return Ok(());
    }
    platz_machen(root, target)?;
    std::fs::copy(src, target)
        .map(|_| ())
        .map_err(io_err(target))
}

/// Whether the old file at `target` (of `old_len` bytes, if there is one) holds exactly
/// the bytes of `src`.
fn kopie_gleich(target: &Path, src: &Path, old_len: Option<u64>) -> Result<bool, WriteError> {
    // Opened first: a file that cannot be read is the editor's problem, not the output's.
    let quelle = File::open(src).map_err(lese_err(src))?;
    let len = quelle.metadata().map_err(lese_err(src))?.len();
    Ok(old_len == Some(len) && gleich(target, quelle))
}

/// Bytes compared at a time: old files are read in pieces, never whole.
const PUFFER: usize = 64 * 1024;

/// Whether the file at `path` holds exactly the bytes `neu` reads.
fn gleich(path: &Path, mut neu: impl Read) -> bool {
    thread_local! {
        static PUFFER_ALT_NEU: std::cell::RefCell<(Vec<u8>, Vec<u8>)> =
            std::cell::RefCell::new((vec![0; PUFFER], vec![0; PUFFER]));
    }
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    PUFFER_ALT_NEU.with_borrow_mut(|(alt, stueck)| {
        loop {
            let Ok(n) = neu.read(stueck) else {
                return false;
            };
            if n == 0 {
                // Nothing may follow in the old file either.
                return matches!(f.read(&mut alt[..1]), Ok(0));
            }
            if f.read_exact(&mut alt[..n]).is_err() || alt[..n] != stueck[..n] {
                return false;
            }
        }
    })
}

/// Clears the way for a file at `target`: folders it needs, no old folder or link in
/// its place.
fn platz_machen(root: &Path, target: &Path) -> Result<(), WriteError> {
    if let Some(parent) = target.parent()
        && std::fs::create_dir_all(parent).is_err()
    {
        // A file of the previous build stands where this one needs a folder.
        for a in parent.ancestors().take_while(|a| *a != root) {
            if std::fs::symlink_metadata(a).is_ok_and(|m| !m.is_dir()) {
                let _ = std::fs::remove_file(a);
            }
        }
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(target).map_err(io_err(target))?,
        // A changed file is replaced, never written into: its inode may be shared with
        // the published output (see [`verlinken`]), and a symbolic link someone left in
        // the staging folder must not be written through.
        Ok(_) => std::fs::remove_file(target).map_err(io_err(target))?,
        Err(_) => {}
    }
    Ok(())
}

/// Fills a new staging folder with hard links to the files of `out`: the build after a
/// first one then compares instead of creating every file again (creating files is the
/// largest cost of writing on ext4). Files are only ever replaced in the staging folder,
/// never written into (see [`platz_machen`]), so `out` stays untouched. Where a link
/// cannot be made (a file system without them), the file is simply written later.
/// Returns the files now in the staging folder with their sizes.
fn verlinken(out: &Path, staging: &Path, bekannt: &Bekannt) -> Vorhanden {
    // Each folder's twin is made before its contents are read, so it is there for them.
    let ordner = |pfad: &Path| {
        if let Ok(rel) = pfad.strip_prefix(out) {
            let _ = std::fs::create_dir(staging.join(rel));
        }
    };
    let datei = |e: &std::fs::DirEntry| {
        if e.file_name() == MARKER || !e.file_type().ok()?.is_file() {
            return None;
        }
        let pfad = e.path();
        let ziel = staging.join(pfad.strip_prefix(out).ok()?);
        std::fs::hard_link(&pfad, &ziel).ok()?;
        // The link shares the published file's inode, time and length.
        Some((ziel, Alt::von(e, bekannt)))
    };
    baum(out, &ordner, &datei).into_iter().collect()
}

/// What `datei` makes of every file (and link) below `dir`, its folders read by all
/// cores: an output has thousands of folders, and reading them one after the other was
/// the longest stretch of a rebuild with one core working. `ordner` runs for each folder
/// before its contents are read.
fn baum<T: Send>(
    dir: &Path,
    ordner: &(impl Fn(&Path) + Sync),
    datei: &(impl Fn(&std::fs::DirEntry) -> Option<T> + Sync),
) -> Vec<T> {
    let Ok(lesen) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let eintraege: Vec<std::fs::DirEntry> = lesen.filter_map(Result::ok).collect();
    eintraege
        .par_iter()
        .with_max_len(8)
        .flat_map_iter(|e| {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let pfad = e.path();
                ordner(&pfad);
                baum(&pfad, ordner, datei)
            } else {
                datei(e).into_iter().collect()
            }
        })
        .collect()
}

/// Exchanges the staging folder with `out`; afterwards the staging folder holds the
/// previous output.
fn swap_in(staging: &Path, out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(io_err(out));
    }
    let exchanged = rustix::fs::renameat_with(
        rustix::fs::CWD,
        staging,
        rustix::fs::CWD,
        out,
        rustix::fs::RenameFlags::EXCHANGE,
    );
    if exchanged.is_ok() {
        return Ok(());
    }
    // No atomic exchange on this file system: three renames, the old output aside first.
    let aside = staging.with_extension("alt");
    std::fs::rename(out, &aside).map_err(io_err(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    std::fs::rename(&aside, staging).map_err(io_err(staging))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;
    use walkdir::WalkDir;

    /// Writes `outputs` to `out` the way a build does, one after another.
    fn write(out: &Path, outputs: &[Output]) -> Result<(), WriteError> {
        write_mit(out, None, outputs)
    }

    /// Like [`write`], with the checksums of the files kept in `cache`.
    fn write_mit(out: &Path, cache: Option<&Path>, outputs: &[Output]) -> Result<(), WriteError> {
        let ausgabe = Ausgabe::oeffnen(out, cache)?;
        for o in outputs {
            ausgabe.schreiben(o);
        }
        ausgabe.tauschen()
    }

    /// Writes `text` into `path` in place, with the same length, and gives the file its
    /// old modification time back (or a later one with `spaeter`).
    fn aendern_in_place(path: &Path, text: &str, spaeter: bool) {
        use std::io::{Seek, Write};
        let vorher = std::fs::metadata(path).unwrap().modified().unwrap();
        let mut f = File::options().write(true).open(path).unwrap();
        f.seek(io::SeekFrom::Start(0)).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let zeit = if spaeter {
            vorher + std::time::Duration::from_secs(5)
        } else {
            vorher
        };
        f.set_modified(zeit).unwrap();
    }

    fn page(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().to_vec()),
        }
    }

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn replaces_the_previous_output_completely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[page("index.html", "eins"), page("a/b/index.html", "zwei")],
        )
        .unwrap();
        assert_eq!(read(&out.join("a/b/index.html")), "zwei");
        write(&out, &[page("index.html", "drei")]).unwrap();
        assert_eq!(read(&out.join("index.html")), "drei");
        assert!(!out.join("a").exists(), "old files are gone");
        write(
            &out,
            &[page("index.html", "vier"), page("a/b/index.html", "fünf")],
        )
        .unwrap();
        assert_eq!(read(&out.join("index.html")), "vier");
        assert_eq!(read(&out.join("a/b/index.html")), "fünf");
        let files: Vec<String> = WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(files.len(), 3, "{files:?}");
    }

    #[test]
    fn unchanged_files_keep_their_inode_across_builds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let pages = [page("index.html", "gleich"), page("x/index.html", "alt")];
        write(&out, &pages).unwrap();
        write(&out, &pages).unwrap();
        let before = std::fs::metadata(out.join("index.html")).unwrap().ino();
        write(
            &out,
            &[page("index.html", "gleich"), page("x/index.html", "neu")],
        )
        .unwrap();
        // The build two generations back is brought up to date: its unchanged file stays.
        write(
            &out,
            &[page("index.html", "gleich"), page("x/index.html", "neu")],
        )
        .unwrap();
        assert_eq!(
            std::fs::metadata(out.join("index.html")).unwrap().ino(),
            before
        );
        assert_eq!(read(&out.join("x/index.html")), "neu");
    }

    /// An output built three times with checksums kept: both folders' files are noted.
    fn dreimal(outputs: &[Output]) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let cache = dir.path().join("cache");
        for _ in 0..3 {
            write_mit(&out, Some(&cache), outputs).unwrap();
        }
        (dir, out, cache)
    }

    #[test]
    fn noted_files_are_compared_by_checksum_and_changes_of_the_same_length_are_written() {
        let pages = |a: &str, b: &str| [page("index.html", a), page("x/index.html", b)];
        let (_dir, out, cache) = dreimal(&pages("eins", "zwei"));
        // A change of the same length is found by its checksum, in either folder's turn.
        write_mit(&out, Some(&cache), &pages("eins", "drei")).unwrap();
        assert_eq!(read(&out.join("x/index.html")), "drei");
        write_mit(&out, Some(&cache), &pages("eins", "vier")).unwrap();
        assert_eq!(read(&out.join("x/index.html")), "vier");
        assert_eq!(read(&out.join("index.html")), "eins");
        // Proof that a noted file is not read back: bytes changed behind quartier's back
        // with inode, length and time kept are taken for the noted ones. (Nobody edits
        // files like that; a changed time is enough to have the file read again.)
        let staging = staging_dir(&out);
        aendern_in_place(&staging.join("index.html"), "EINS", false);
        write_mit(&out, Some(&cache), &pages("eins", "vier")).unwrap();
        assert_eq!(read(&out.join("index.html")), "EINS");
        // Without the notes the same file is read and written again.
        write(&out, &pages("eins", "vier")).unwrap();
        write(&out, &pages("eins", "vier")).unwrap();
        assert_eq!(read(&out.join("index.html")), "eins");
    }

    #[test]
    fn a_second_build_of_the_same_output_waits_only_for_a_moment() {
        use rustix::fs::{FlockOperation, flock};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let erste = Ausgabe::oeffnen(&out, None).unwrap();
        assert!(matches!(
            Ausgabe::oeffnen(&out, None),
            Err(WriteError::Belegt(_))
        ));
        erste.verwerfen();
        // A lock held only for a moment (by a child process between fork and exec) is
        // waited for. (Discarding the first build removed the staging folder it made.)
        std::fs::create_dir_all(staging_dir(&out)).unwrap();
        let kurz = File::open(staging_dir(&out)).unwrap();
        flock(&kurz, FlockOperation::NonBlockingLockExclusive).unwrap();
        let freigeben = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            drop(kurz);
        });
        let zweite = Ausgabe::oeffnen(&out, None).unwrap();
        freigeben.join().unwrap();
        zweite.verwerfen();
    }

    #[test]
    fn a_file_changed_by_someone_else_is_read_and_written_again() {
        let pages = [page("index.html", "eins"), page("x/index.html", "zwei")];
        let (_dir, out, cache) = dreimal(&pages);
        // In the published folder, which is the staging folder of the build after next.
        aendern_in_place(&out.join("index.html"), "EINS", true);
        write_mit(&out, Some(&cache), &pages).unwrap();
        write_mit(&out, Some(&cache), &pages).unwrap();
        assert_eq!(read(&out.join("index.html")), "eins");
        assert_eq!(read(&staging_dir(&out).join("index.html")), "eins");
        // A damaged notes file costs reading, not correctness.
        for f in std::fs::read_dir(&cache).unwrap() {
            std::fs::write(f.unwrap().path(), b"kaputt").unwrap();
        }
        aendern_in_place(&staging_dir(&out).join("index.html"), "EINS", false);
        write_mit(&out, Some(&cache), &pages).unwrap();
        assert_eq!(read(&out.join("index.html")), "eins");
    }

    #[test]
    fn the_second_build_links_unchanged_files_and_never_writes_into_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[
                page("a.html", "eins"),
                page("b/index.html", "gleich"),
                page("c/d/alt.html", "entfällt"),
            ],
        )
        .unwrap();
        let b_vorher = std::fs::metadata(out.join("b/index.html")).unwrap().ino();
        // No staging folder yet: it is seeded with links to the published files.
        assert!(!staging_dir(&out).exists());
        let ausgabe = Ausgabe::oeffnen(&out, None).unwrap();
        let staging = staging_dir(&out);
        assert_eq!(
            std::fs::metadata(staging.join("a.html")).unwrap().ino(),
            std::fs::metadata(out.join("a.html")).unwrap().ino()
        );
        ausgabe.schreiben(&page("a.html", "zwei"));
        ausgabe.schreiben(&page("b/index.html", "gleich"));
        // Before the swap the published file is what it was: the link was replaced.
        assert_eq!(read(&out.join("a.html")), "eins");
        ausgabe.tauschen().unwrap();
        assert_eq!(read(&out.join("a.html")), "zwei");
        assert_eq!(read(&staging.join("a.html")), "eins");
        assert_eq!(
            std::fs::metadata(out.join("b/index.html")).unwrap().ino(),
            b_vorher
        );
        // A file of the first build this one did not write is gone, with its folders.
        assert!(!out.join("c").exists());
    }

    #[test]
    fn a_file_may_replace_a_folder_and_the_other_way_round() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[page("a/index.html", "1")]).unwrap();
        write(&out, &[page("b", "2")]).unwrap();
        write(&out, &[page("a", "3"), page("b/index.html", "4")]).unwrap();
        assert_eq!(read(&out.join("a")), "3");
        assert_eq!(read(&out.join("b/index.html")), "4");
        // Into the staging folder of the second build, where the file `b` stands in the
        // way of the folder `b/` (a new file's create fails with "not a directory").
        write(&out, &[page("a", "5"), page("b/index.html", "6")]).unwrap();
        assert_eq!(read(&out.join("a")), "5");
        assert_eq!(read(&out.join("b/index.html")), "6");
    }

    #[test]
    fn no_output_path_may_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub/public");
        write(&out, &[page("index.html", "alt")]).unwrap();
        for bad in [
            "../index.html",
            "a/../../x.html",
            "/tmp/x.html",
            "./index.html",
            "a//b.html",
            "",
            "a/..",
            "a/./b",
            "x\0y",
        ] {
            let err = write(&out, &[page("index.html", "neu"), page(bad, "böse")]).unwrap_err();
            assert!(matches!(err, WriteError::Pfad(_)), "{bad}: {err}");
            assert!(err.to_string().contains("Ausgabeordner"), "{err}");
        }
        assert_eq!(read(&out.join("index.html")), "alt", "nothing was written");
        assert!(!dir.path().join("sub/x.html").exists());
        assert!(!dir.path().join("index.html").exists());
        assert!(sicherer_pfad("vorlagen/i0264-09/I0264-09.pdf"));
        assert!(sicherer_pfad("dateien/..hidden..txt"));
    }

    #[test]
    fn never_writes_through_a_link_in_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("draussen.txt");
        std::fs::write(&outside, "unberührt").unwrap();
        write(&out, &[page("index.html", "eins")]).unwrap();
        write(&out, &[page("index.html", "zwei")]).unwrap();
        // The staging folder now holds the first build; plant a link where a page goes.
        let staging = staging_dir(&out);
        std::os::unix::fs::symlink(&outside, staging.join("seite.html")).unwrap();
        write(
            &out,
            &[page("index.html", "drei"), page("seite.html", "xyz")],
        )
        .unwrap();
        assert_eq!(read(&outside), "unberührt");
        assert_eq!(read(&out.join("seite.html")), "xyz");
        assert!(
            !std::fs::symlink_metadata(out.join("seite.html"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_cached_file_is_shared_with_the_cache_and_replaced_when_the_cache_is() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let cache = dir.path().join("cache.pdf");
        let ersetzen = |text: &str| {
            // The way the caches write: a new file renamed over the old one.
            let tmp = dir.path().join("cache.tmp");
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &cache).unwrap();
        };
        let pdf = Output {
            path: "vorlagen/x/X.pdf".into(),
            content: Content::Cached(cache.clone()),
        };
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        ersetzen("eins");
        write(&out, &[page("index.html", "a"), pdf.clone()]).unwrap();
        assert_eq!(read(&out.join("vorlagen/x/X.pdf")), "eins");
        assert_eq!(inode(&out.join("vorlagen/x/X.pdf")), inode(&cache));
        // Two more builds: the staging folder's copy and the new one are both linked.
        write(&out, &[page("index.html", "b"), pdf.clone()]).unwrap();
        write(&out, &[page("index.html", "c"), pdf.clone()]).unwrap();
        assert_eq!(inode(&out.join("vorlagen/x/X.pdf")), inode(&cache));
        // The cache gets a new PDF: the next build publishes it, and the file published
        // before (the same inode as the old cache file) was never written into.
        let alt = out.join("vorlagen/x/X.pdf");
        let alt_inode = inode(&alt);
        let vorher = std::fs::File::open(&alt).unwrap();
        ersetzen("zwei");
        write(&out, &[page("index.html", "d"), pdf]).unwrap();
        assert_eq!(read(&out.join("vorlagen/x/X.pdf")), "zwei");
        assert_eq!(inode(&out.join("vorlagen/x/X.pdf")), inode(&cache));
        assert_eq!(vorher.metadata().unwrap().ino(), alt_inode);
        let mut alter_inhalt = String::new();
        std::io::Read::read_to_string(&mut &vorher, &mut alter_inhalt).unwrap();
        assert_eq!(alter_inhalt, "eins");
    }

    #[test]
    fn a_cached_file_on_another_file_system_is_copied_once_and_then_kept() {
        // /dev/shm is a tmpfs on Linux, the temporary folder usually not: no hard link
        // can cross from one to the other.
        let Ok(cache_dir) = tempfile::tempdir_in("/dev/shm") else {
            eprintln!("no /dev/shm here: nothing to test");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let dev = |p: &Path| std::fs::metadata(p).unwrap().dev();
        if dev(cache_dir.path()) == dev(dir.path()) {
            eprintln!("/dev/shm and the temporary folder are one file system: nothing to test");
            return;
        }
        let out = dir.path().join("public");
        let cache = cache_dir.path().join("x.pdf");
        std::fs::write(&cache, "eins").unwrap();
        let pdf = Output {
            path: "x.pdf".into(),
            content: Content::Cached(cache.clone()),
        };
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        for i in 0..3 {
            write(&out, &[page("index.html", &i.to_string()), pdf.clone()]).unwrap();
        }
        assert_eq!(read(&out.join("x.pdf")), "eins");
        // The fourth build writes into the staging folder of the second: its unchanged
        // copy stays the same file instead of being copied again. (Held open, so that a
        // new copy could not get its inode number.)
        let staging_kopie = File::open(staging_dir(&out).join("x.pdf")).unwrap();
        write(&out, &[page("index.html", "3"), pdf]).unwrap();
        assert_eq!(
            inode(&out.join("x.pdf")),
            staging_kopie.metadata().unwrap().ino()
        );
    }

    #[test]
    fn a_cached_file_that_is_gone_is_an_error_not_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let err = write(
            &out,
            &[Output {
                path: "x.pdf".into(),
                content: Content::Cached(dir.path().join("fehlt.pdf")),
            }],
        )
        .unwrap_err();
        assert!(matches!(err, WriteError::Io(..)), "{err:?}");
        assert!(!out.exists(), "nothing was published");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("wichtig.txt"), "x").unwrap();
        let err = write(dir.path(), &[page("index.html", "x")]).unwrap_err();
        assert!(matches!(err, WriteError::Fremd(_)));
        assert!(dir.path().join("wichtig.txt").exists());
    }

    /// An attachment that cannot be read is the editor's problem: reported as reading its
    /// file, not as writing the output.
    #[test]
    fn a_source_that_cannot_be_read_is_a_reading_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let quelle = dir.path().join("content/dateien/fehlt.pdf");
        let err = write(
            &out,
            &[Output {
                path: "dateien/fehlt.pdf".into(),
                content: Content::Copy(quelle.clone()),
            }],
        )
        .unwrap_err();
        assert!(
            matches!(&err, WriteError::Lesen(p, _) if *p == quelle),
            "{err}"
        );
        assert!(
            err.to_string()
                .ends_with("kann nicht gelesen werden: nicht vorhanden"),
            "{err}"
        );
        assert!(!out.exists(), "nothing published");
    }
}
