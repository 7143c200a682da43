//! "Stand": the day each source file last changed, from the git history.
//!
//! One `git log` process per build reads the whole history of the site root (started
//! while the content loads, read after it), so the cost does not grow with the number of
//! files. A portal outside git, a machine without git, or a file not yet committed simply
//! has no Stand: the pages then show none rather than a guess.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use jiff::civil::Date;

/// Source path relative to the site root (`content/projekte/x.md`) → day of its last
/// commit; and the newest of them all.
#[derive(Debug, Default, Clone)]
pub struct Staende {
    dateien: HashMap<String, Date>,
    neuester: Option<Date>,
}

impl Staende {
    /// The day `rel` last changed in a commit.
    pub fn datei(&self, rel: &str) -> Option<Date> {
        self.dateien.get(rel).copied()
    }

    /// The last change to the portal's sources (`content/`, `portal.yaml`): the Stand of
    /// pages that gather many entities.
    pub fn neuester(&self) -> Option<Date> {
        self.neuester
    }

    /// Reads `git log` output: records separated by NUL, a commit as `\x01YYYY-MM-DD`,
    /// followed by the paths it touched.
    pub fn parse(output: &str) -> Staende {
        let mut dateien = HashMap::new();
        let mut neuester: Option<Date> = None;
        let mut datum: Option<Date> = None;
        for token in output.split(['\0', '\n']) {
            if let Some(d) = token.strip_prefix('\u{1}') {
                datum = d.trim().parse().ok();
                continue;
            }
            let pfad = token.trim_end_matches('\r');
            if pfad.is_empty() {
                continue;
            }
            let Some(d) = datum else { continue };
            // Newest commit first: the first date seen for a path is its last change.
            dateien.entry(pfad.to_string()).or_insert(d);
            if pfad.starts_with("content/") || pfad == "portal.yaml" {
                neuester = Some(neuester.map_or(d, |n| n.max(d)));
            }
        }
        Staende { dateien, neuester }
    }
}

/// The `git log` run in the background.
pub struct Lauf(Option<Child>);

/// Starts `git log` in `root`; [`Lauf::ernten`] waits for it.
pub fn starten(root: &Path) -> Lauf {
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotepath=false",
            "log",
            "--relative",
            "--no-renames",
            "-z",
            "--format=%x01%cs",
            "--name-only",
            "--",
            ".",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok();
    Lauf(child)
}

impl Lauf {
    /// The Stand of every file; empty when git is missing or the root is not in a
    /// repository.
    pub fn ernten(self) -> Staende {
        let Some(child) = self.0 else {
            return Staende::default();
        };
        match child.wait_with_output() {
            Ok(out) if out.status.success() => {
                Staende::parse(&String::from_utf8_lossy(&out.stdout))
            }
            _ => Staende::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_path_wins() {
        let log = "\u{1}2026-03-02\n\ncontent/a.md\0portal.yaml\0\0\u{1}2025-01-05\n\ncontent/a.md\0content/b.md\0themes/x.html\0";
        let s = Staende::parse(log);
        assert_eq!(s.datei("content/a.md"), Some(jiff::civil::date(2026, 3, 2)));
        assert_eq!(s.datei("content/b.md"), Some(jiff::civil::date(2025, 1, 5)));
        assert_eq!(s.datei("content/c.md"), None);
        assert_eq!(s.neuester(), Some(jiff::civil::date(2026, 3, 2)));
    }
}
