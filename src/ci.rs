//! `quartier check --format …`: the diagnostics in the forms CI systems read, so that a
//! merge request shows the problems where the editor changed the file.
//!
//! - `github`: workflow commands (`::error file=…,line=…::…`), shown as annotations on
//!   the pull request's files;
//! - `gitlab`: a Code Quality report (JSON), shown in the merge request widget;
//! - `markdown`: a German summary table for a merge request comment;
//! - `json`: every diagnostic with all its parts, for other tools.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Wie im Terminal (Standard).
    Text,
    /// GitHub-Actions-Anmerkungen an den Dateien.
    Github,
    /// GitLab-Code-Quality-Bericht (JSON).
    Gitlab,
    /// Markdown-Tabelle für einen Kommentar im Merge Request.
    Markdown,
    /// Alle Angaben als JSON.
    Json,
}

fn stufe(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Fehler => "Fehler",
        Severity::Warnung => "Warnung",
    }
}

fn ort(d: &Diagnostic) -> (String, usize, usize) {
    match &d.location {
        Some(l) => (l.file.clone(), l.line, l.column),
        None => ("portal.yaml".to_string(), 0, 0),
    }
}

/// Workflow commands: one line per diagnostic; `%`, CR and LF escaped as GitHub wants.
pub fn github(ds: &Diagnostics) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    ds.iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Fehler => "error",
                Severity::Warnung => "warning",
            };
            let (file, line, col) = ort(d);
            let mut msg = d.message.clone();
            if let Some(h) = &d.hint {
                msg.push_str(&format!("\nHinweis: {h}"));
            }
            let pos = if line > 0 {
                format!(",line={line},col={col}")
            } else {
                String::new()
            };
            format!(
                "::{level} file={}{pos},title={}::{}\n",
                prop(&file),
                prop(&format!("{} {}", d.code.id(), stufe(d))),
                esc(&msg)
            )
        })
        .collect()
}

#[derive(Serialize)]
struct Qualitaet {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: QOrt,
}

#[derive(Serialize)]
struct QOrt {
    path: String,
    lines: QZeilen,
}

#[derive(Serialize)]
struct QZeilen {
    begin: usize,
}

/// GitLab Code Quality (a subset of the Code Climate format).
pub fn gitlab(ds: &Diagnostics) -> String {
    let items: Vec<Qualitaet> = ds
        .iter()
        .map(|d| {
            let (path, line, col) = ort(d);
            let mut description = format!("{}: {}", d.code.id(), d.message);
            if let Some(h) = &d.hint {
                description.push_str(&format!(" – {h}"));
            }
            let mut hasher = siphasher::sip::SipHasher13::new();
            std::hash::Hasher::write(
                &mut hasher,
                format!("{}|{path}|{line}|{col}|{}", d.code.id(), d.message).as_bytes(),
            );
            Qualitaet {
                description,
                check_name: d.code.id(),
                fingerprint: format!("{:016x}", std::hash::Hasher::finish(&hasher)),
                severity: match d.severity {
                    Severity::Fehler => "major",
                    Severity::Warnung => "minor",
                },
                location: QOrt {
                    path,
                    lines: QZeilen { begin: line.max(1) },
                },
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Eintrag<'a> {
    stufe: &'static str,
    code: &'static str,
    meldung: &'a str,
    datei: Option<&'a str>,
    zeile: Option<usize>,
    spalte: Option<usize>,
    hinweis: Option<&'a str>,
}

/// Every diagnostic as JSON.
pub fn json(ds: &Diagnostics) -> String {
    let items: Vec<Eintrag> = ds
        .iter()
        .map(|d| Eintrag {
            stufe: stufe(d),
            code: d.code.id(),
            meldung: &d.message,
            datei: d.location.as_ref().map(|l| l.file.as_str()),
            zeile: d.location.as_ref().map(|l| l.line).filter(|l| *l > 0),
            spalte: d.location.as_ref().map(|l| l.column).filter(|c| *c > 0),
            hinweis: d.hint.as_deref(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// A German comment for a merge request: the summary, then a table.
pub fn markdown(ds: &Diagnostics) -> String {
    if ds.is_empty() {
        return "**quartier check:** keine Probleme gefunden. ✔\n".into();
    }
    let zelle = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = format!(
        "**quartier check:** {}\n\n| | Code | Datei | Meldung | Hinweis |\n|---|---|---|---|---|\n",
        ds.summary()
    );
    for d in ds.iter() {
        let (file, line, _) = ort(d);
        let wo = if line > 0 {
            format!("{file}:{line}")
        } else {
            file
        };
        out.push_str(&format!(
            "| {} | {} | `{}` | {} | {} |\n",
            stufe(d),
            d.code.id(),
            zelle(&wo),
            zelle(&d.message),
            zelle(d.hint.as_deref().unwrap_or(""))
        ));
    }
    out.push_str("\nDie Codes erklärt die Anleitung für Redaktionen (Seite „Redaktion“).\n");
    out
}

/// The report in `format`, or `None` for the terminal form.
pub fn bericht(format: Format, ds: &Diagnostics) -> Option<String> {
    match format {
        Format::Text => None,
        Format::Github => Some(github(ds)),
        Format::Gitlab => Some(gitlab(ds)),
        Format::Markdown => Some(markdown(ds)),
        Format::Json => Some(json(ds)),
    }
}
