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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::render::{Content, Output};

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
                write!(f, "'{}' kann nicht geschrieben werden: {e}", p.display())
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

/// Writes `outputs` to `out`, replacing its previous content in one step.
pub fn write(out: &Path, outputs: &[Output]) -> Result<(), WriteError> {
    // Checked before anything is touched: no output path may leave `out`.
    if let Some(bad) = outputs.iter().find(|o| !sicherer_pfad(&o.path)) {
        return Err(WriteError::Pfad(bad.path.clone()));
    }
    if !ours(out)? {
        return Err(WriteError::Fremd(out.to_path_buf()));
    }
    let staging = staging_dir(out);
    if !ours(&staging)? {
        return Err(WriteError::Fremd(staging));
    }
    std::fs::create_dir_all(&staging).map_err(io_err(&staging))?;
    // Held until the swap: a second build on the same output stops instead of
    // writing into the same staging folder.
    let lock = File::open(&staging).map_err(io_err(&staging))?;
    rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive)
        .map_err(|_| WriteError::Belegt(out.to_path_buf()))?;
    std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io_err(&staging))?;

    update(&staging, outputs)?;
    if let Some(ms) = std::env::var(PAUSE_VOR_TAUSCH)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    swap_in(&staging, out)
}

/// Brings the staging folder to exactly `outputs`, touching only what differs.
fn update(root: &Path, outputs: &[Output]) -> Result<(), WriteError> {
    let existing: HashMap<PathBuf, u64> = WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
        .map(|e| {
            let len = e.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            (e.path().to_path_buf(), len)
        })
        .collect();
    let wanted: HashSet<PathBuf> = outputs.iter().map(|o| root.join(&o.path)).collect();

    // Stale files first, then folders left empty: nothing stands in the way afterwards.
    let marker = root.join(MARKER);
    for path in existing
        .keys()
        .filter(|p| !wanted.contains(*p) && **p != marker)
    {
        std::fs::remove_file(path).map_err(io_err(path))?;
    }
    let needed: BTreeSet<&Path> = wanted.iter().flat_map(|p| p.ancestors().skip(1)).collect();
    let mut dirs: Vec<PathBuf> = WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .filter(|d| !needed.contains(d.as_path()))
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        // Whatever is still inside is wanted elsewhere; only empty folders go.
        let _ = std::fs::remove_dir(&dir);
    }

    outputs.par_iter().try_for_each(|o| {
        let target = root.join(&o.path);
        let old_len = existing.get(&target).copied();
        match &o.content {
            Content::Bytes(b) => write_if_changed(&target, b, old_len),
            Content::Static(b) => write_if_changed(&target, b, old_len),
            Content::Copy(src) => {
                let bytes = std::fs::read(src).map_err(io_err(src))?;
                write_if_changed(&target, &bytes, old_len)
            }
        }
    })
}

fn write_if_changed(target: &Path, bytes: &[u8], old_len: Option<u64>) -> Result<(), WriteError> {
    if old_len == Some(bytes.len() as u64) && std::fs::read(target).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(target).map_err(io_err(target))?,
        // Never write through a link someone left in the staging folder.
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::remove_file(target).map_err(io_err(target))?
        }
        _ => {}
    }
    std::fs::write(target, bytes).map_err(io_err(target))
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

    #[test]
    fn a_file_may_replace_a_folder_and_the_other_way_round() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[page("a/index.html", "1")]).unwrap();
        write(&out, &[page("b", "2")]).unwrap();
        write(&out, &[page("a", "3"), page("b/index.html", "4")]).unwrap();
        assert_eq!(read(&out.join("a")), "3");
        assert_eq!(read(&out.join("b/index.html")), "4");
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
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("wichtig.txt"), "x").unwrap();
        let err = write(dir.path(), &[page("index.html", "x")]).unwrap_err();
        assert!(matches!(err, WriteError::Fremd(_)));
        assert!(dir.path().join("wichtig.txt").exists());
    }
}
