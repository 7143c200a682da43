//! The file system's share of a build: how long it takes just to create the folders and
//! files of a built site, with nothing rendered.
//!
//! Walks a built output folder and creates the same tree again beside it (every folder,
//! every file with as many bytes as the original, zeros), on all cores, the way a build
//! writes: folders level by level, then the files. What it prints is the floor below
//! which no tool can build that output on this machine and disk: on a 2-core VM with
//! ext4, creating a file or a folder costs tens of microseconds of kernel time, and far
//! more in the minutes after many files were deleted (see `scripts/bench`).
//!
//! ```text
//! cargo bench --bench dateisystem -- public/            # every file of the output
//! cargo bench --bench dateisystem -- --nur-html public/ # only the HTML pages
//! ```
//!
//! The copy is left in place (`<folder>.boden-<n>`), because deleting it right away
//! would slow down whatever creates files next; `scripts/bench` removes its whole work
//! folder at the end.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use quartier::prozess_cpu;
use rayon::prelude::*;
use walkdir::WalkDir;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; the rest are this program's own arguments.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let nur_html = args.iter().any(|a| a == "--nur-html");
    let Some(quelle) = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: cargo bench --bench dateisystem -- [--nur-html] FOLDER");
        return ExitCode::from(2);
    };
    match boden(&quelle, nur_html) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dateisystem: {}: {e}", quelle.display());
            ExitCode::FAILURE
        }
    }
}

fn boden(quelle: &Path, nur_html: bool) -> std::io::Result<()> {
    let mut ordner: Vec<(usize, PathBuf)> = Vec::new();
    let mut dateien: Vec<(PathBuf, u64)> = Vec::new();
    for e in WalkDir::new(quelle).min_depth(1) {
        let e = e?;
        let rel = e
            .path()
            .strip_prefix(quelle)
            .unwrap_or(e.path())
            .to_path_buf();
        if e.file_type().is_dir() {
            ordner.push((e.depth(), rel));
        } else if e.file_type().is_file()
            && (!nur_html || rel.extension().is_some_and(|x| x == "html"))
        {
            dateien.push((rel, e.metadata()?.len()));
        }
    }
    if nur_html {
        // Only the folders that hold a page, and the folders above them.
        let gebraucht: std::collections::HashSet<&Path> = dateien
            .iter()
            .flat_map(|(p, _)| p.ancestors().skip(1))
            .collect();
        ordner.retain(|(_, p)| gebraucht.contains(p.as_path()));
    }
    let ziel = frei(quelle);
    let bytes: u64 = dateien.iter().map(|(_, n)| n).sum();
    let groesste = dateien.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let nullen = vec![0u8; groesste as usize];

    let start = Instant::now();
    let cpu_vorher = prozess_cpu();
    std::fs::create_dir(&ziel)?;
    ordner.sort_by_key(|(tiefe, _)| *tiefe);
    for ebene in ordner.chunk_by(|a, b| a.0 == b.0) {
        ebene
            .par_iter()
            .try_for_each(|(_, p)| std::fs::create_dir(ziel.join(p)))?;
    }
    dateien
        .par_iter()
        .try_for_each(|(p, n)| std::fs::write(ziel.join(p), &nullen[..*n as usize]))?;
    let wand = start.elapsed();
    let cpu = prozess_cpu()
        .zip(cpu_vorher)
        .map(|(a, b)| a.saturating_sub(b));

    println!(
        "file-system floor of {}{}: {} files, {} folders, {:.1} MB: wall {:.2} s, cpu {} ({} threads)",
        quelle.display(),
        if nur_html { " (HTML pages only)" } else { "" },
        dateien.len(),
        ordner.len(),
        bytes as f64 / 1_048_576.0,
        wand.as_secs_f64(),
        cpu.map_or("?".into(), |c| format!("{:.2} s", c.as_secs_f64())),
        rayon::current_num_threads(),
    );
    Ok(())
}

/// A new folder name beside `quelle`.
fn frei(quelle: &Path) -> PathBuf {
    let name = quelle
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    (1..)
        .map(|i| quelle.with_file_name(format!("{name}.boden-{i}")))
        .find(|p| !p.exists())
        .expect("some free name")
}
