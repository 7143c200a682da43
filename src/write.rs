//! Stage 4: write the output atomically.
//!
//! Everything is written into a fresh folder next to the output folder; only when that
//! is complete is it swapped with the old output in one `renameat2(RENAME_EXCHANGE)`
//! (where the file system cannot exchange, two renames). A build that fails or dies
//! before the swap leaves the previous output as it was.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{Content, Output};

/// Marks a folder as written by quartier, so a build never replaces anything else.
pub const MARKER: &str = ".quartier";
const MARKER_TEXT: &str = "Dieser Ordner wird von quartier erzeugt und bei jedem Build ersetzt.\n";

#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty and was not written by quartier.
    Fremd(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Fremd(p) => write!(
                f,
                "'{}' ist nicht leer und wurde nicht von quartier erzeugt; es wird nicht überschrieben",
                p.display()
            ),
            WriteError::Io(p, e) => {
                write!(f, "'{}' kann nicht geschrieben werden: {e}", p.display())
            }
        }
    }
}

/// Writes `outputs` to `out`, replacing its previous content in one step.
pub fn write(out: &Path, outputs: &[Output]) -> Result<(), WriteError> {
    let io_err = |p: &Path| {
        let p = p.to_path_buf();
        move |e| WriteError::Io(p, e)
    };
    if out.exists() {
        if !out.is_dir() {
            return Err(WriteError::Fremd(out.to_path_buf()));
        }
        let empty = std::fs::read_dir(out)
            .map_err(io_err(out))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(WriteError::Fremd(out.to_path_buf()));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.neu-"))
        .tempdir_in(&parent)
        .map_err(io_err(&parent))?;
    let root = staging.path();

    let dirs: BTreeSet<&str> = outputs
        .iter()
        .filter_map(|o| o.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for dir in &dirs {
        std::fs::create_dir_all(root.join(dir)).map_err(io_err(&root.join(dir)))?;
    }
    outputs.par_iter().try_for_each(|o| {
        let target = root.join(&o.path);
        let result = match &o.content {
            Content::Bytes(b) => std::fs::write(&target, b),
            Content::Static(b) => std::fs::write(&target, b),
            Content::Copy(src) => std::fs::copy(src, &target).map(|_| ()),
        };
        result.map_err(io_err(&target))
    })?;
    std::fs::write(root.join(MARKER), MARKER_TEXT).map_err(io_err(root))?;

    swap_in(staging, out)
}

/// Moves the staged folder to `out`; the old output (if any) ends up in the staging
/// folder's place and is deleted with it.
fn swap_in(staging: tempfile::TempDir, out: &Path) -> Result<(), WriteError> {
    let staged = staging.path().to_path_buf();
    let io_err = |e| WriteError::Io(out.to_path_buf(), e);
    if !out.exists() {
        std::fs::rename(&staged, out).map_err(io_err)?;
        // Nothing left to clean up: the staging folder is now the output.
        std::mem::forget(staging);
        return Ok(());
    }
    let exchanged = rustix::fs::renameat_with(
        rustix::fs::CWD,
        &staged,
        rustix::fs::CWD,
        out,
        rustix::fs::RenameFlags::EXCHANGE,
    );
    if exchanged.is_ok() {
        // `staging` now holds the previous output; dropping it deletes it.
        return Ok(());
    }
    // No atomic exchange on this file system: move the old output aside first.
    let aside = staged.with_extension("alt");
    std::fs::rename(out, &aside).map_err(io_err)?;
    if let Err(e) = std::fs::rename(&staged, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(io_err(e));
    }
    let _ = std::fs::remove_dir_all(&aside);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            content: Content::Bytes(text.as_bytes().to_vec()),
        }
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
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "zwei"
        );
        write(&out, &[page("index.html", "drei")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "drei"
        );
        assert!(!out.join("a").exists(), "old files are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders are left behind");
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
