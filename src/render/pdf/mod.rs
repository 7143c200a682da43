//! The PDF of every published Vorlage (`/vorlagen/{slug}/{Nummer}.pdf`), laid out like
//! the city's own documents: letterhead, Dezernat/Amt/Datum, the kind in capitals, the
//! number, the Beratungsfolge as a table, "Thema:", the text, "Bearb." and the signature;
//! A4 with a margin for punching, "Seite 1 von 3", a running header on following pages,
//! real (copyable) text, tagged for PDF/UA-1.
//!
//! `inhalt` reads the Markdown body, `satz` breaks it into lines and pages, `ausgabe`
//! writes the file with krilla. PDFs are generated in parallel before the pages (a
//! Vorlage page shows the size of its PDF) and cached by content between builds.

mod ausgabe;
mod inhalt;
mod satz;
mod schrift;

use std::collections::HashSet;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::format;
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Id, Portal, Vorlage};
use inhalt::{Lauf, Stil, Text};
use satz::{GROESSE, RECHTS, Setzer, ZEILE};

/// Changes whenever the layout changes, so cached PDFs of an older layout are not reused.
const LAYOUT: &str = "quartier-pdf-2";

/// A generated PDF: in the cache (copied from there when written, so a build of many
/// Vorlagen does not hold them all in memory), or in memory when there is no cache.
enum PdfDatei {
    ImCache { pfad: PathBuf, groesse: u64 },
    ImSpeicher(Vec<u8>),
}

impl PdfDatei {
    fn groesse(&self) -> u64 {
        match self {
            PdfDatei::ImCache { groesse, .. } => *groesse,
            PdfDatei::ImSpeicher(b) => b.len() as u64,
        }
    }
}

/// The generated PDFs, by Vorlage index.
#[derive(Default)]
pub struct Pdfs {
    dateien: Vec<Option<PdfDatei>>,
    /// How many were generated, and how many came from the cache (for `--zeiten`).
    pub erzeugt: usize,
    pub aus_cache: usize,
}

impl Pdfs {
    /// No PDFs (for `check`, which writes nothing).
    pub fn keine(portal: &Portal) -> Pdfs {
        Pdfs {
            dateien: portal.vorlagen.iter().map(|_| None).collect(),
            erzeugt: 0,
            aus_cache: 0,
        }
    }

    /// Generates the PDF of every Vorlage, in parallel, reusing the ones in `cache`
    /// (a folder; `None` for no cache) whose Vorlage has not changed.
    pub fn render(portal: &Portal, cache: Option<&Path>) -> (Pdfs, Vec<Diagnostic>) {
        if let Some(c) = cache {
            // A cache that cannot be made is no cache; the build goes on without it.
            let _ = std::fs::create_dir_all(c);
        }
        let ergebnisse: Vec<Ergebnis> = portal
            .vorlagen
            .par_iter()
            .enumerate()
            .map(|(i, v)| {
                let schluessel = schluessel(portal, v);
                let datei = cache.map(|c| c.join(format!("{schluessel}.pdf")));
                if let Some(pfad) = &datei
                    && let Some(groesse) = ganz(pfad)
                {
                    return Ergebnis {
                        pdf: Ok(PdfDatei::ImCache {
                            pfad: pfad.clone(),
                            groesse,
                        }),
                        aus_cache: true,
                        schluessel,
                    };
                }
                let pdf = dokument(portal, Id::new(i))
                    .map(|bytes| match &datei {
                        Some(pfad) if schreiben_atomar(pfad, &bytes) => PdfDatei::ImCache {
                            pfad: pfad.clone(),
                            groesse: bytes.len() as u64,
                        },
                        _ => PdfDatei::ImSpeicher(bytes),
                    })
                    .map_err(|e| {
                        Diagnostic::new(
                            Code::PdfFehler,
                            format!("PDF der Vorlage {} konnte nicht erzeugt werden: {e}", v.nummer),
                        )
                        .at(Location::file(v.meta.quelle.rel.as_str()))
                        .hint("Bitte melden Sie den Fehler mit dieser Datei den Entwicklern von quartier.")
                    });
                Ergebnis {
                    pdf,
                    aus_cache: false,
                    schluessel,
                }
            })
            .collect();
        if let Some(c) = cache {
            aufraeumen(
                c,
                ergebnisse.iter().map(|e| e.schluessel.as_str()).collect(),
            );
        }
        let aus_cache = ergebnisse.iter().filter(|e| e.aus_cache).count();
        let erzeugt = ergebnisse
            .iter()
            .filter(|e| !e.aus_cache && e.pdf.is_ok())
            .count();
        let mut diags = Vec::new();
        let dateien = ergebnisse
            .into_iter()
            .map(|e| match e.pdf {
                Ok(datei) => Some(datei),
                Err(d) => {
                    diags.push(d);
                    None
                }
            })
            .collect();
        (
            Pdfs {
                dateien,
                erzeugt,
                aus_cache,
            },
            diags,
        )
    }

    /// The size in bytes of the PDF of a Vorlage, if it has one.
    pub fn groesse(&self, id: Id<Vorlage>) -> Option<u64> {
        self.dateien
            .get(id.index())
            .and_then(|d| d.as_ref())
            .map(PdfDatei::groesse)
    }

    /// The files to write, by output path.
    pub fn outputs<'a>(&'a self, portal: &'a Portal) -> impl Iterator<Item = super::Output> + 'a {
        self.dateien
            .iter()
            .enumerate()
            .filter_map(move |(i, datei)| {
                Some(super::Output {
                    path: super::routes::vorlage_pdf(portal, Id::new(i)),
                    content: match datei.as_ref()? {
                        PdfDatei::ImCache { pfad, .. } => super::Content::Cached(pfad.clone()),
                        PdfDatei::ImSpeicher(bytes) => super::Content::Bytes(bytes.clone()),
                    },
                })
            })
    }
}

/// What the PDF of a made-up Vorlage says about itself (the pages say the same).
const BEISPIEL: &str = "Diese Vorlage ist erfunden. Sie zeigt, wie das Portal funktioniert, \
                        und ist kein Dokument der Verwaltung.";

/// The PDF of one Vorlage, or why there is none.
struct Ergebnis {
    pdf: Result<PdfDatei, Diagnostic>,
    aus_cache: bool,
    /// Its name in the cache.
    schluessel: String,
}

/// What a PDF depends on: the layout, the city and the Vorlage's source.
fn schluessel(portal: &Portal, v: &Vorlage) -> String {
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(0, 0);
    use siphasher::sip128::Hasher128;
    for teil in [
        LAYOUT,
        env!("CARGO_PKG_VERSION"),
        &portal.config.stadt,
        &v.meta.slug,
        &v.meta.quelle.rel,
        &v.meta.quelle.text,
    ] {
        h.write(teil.as_bytes());
        h.write_u8(0xff);
    }
    format!("{:032x}", h.finish128().as_u128())
}

/// Writes a PDF into the cache; false if that failed (the build goes on without).
fn schreiben_atomar(ziel: &Path, bytes: &[u8]) -> bool {
    let tmp = ziel.with_extension(format!("pdf.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, ziel).is_ok() {
        return true;
    }
    let _ = std::fs::remove_file(&tmp);
    false
}

/// The size of a cached PDF if it is whole. Files are written atomically, so a damaged
/// one means a disk problem: it is generated again rather than published.
fn ganz(pfad: &Path) -> Option<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(pfad).ok()?;
    let groesse = f.metadata().ok()?.len();
    let mut anfang = [0u8; 5];
    f.read_exact(&mut anfang).ok()?;
    let mut ende = [0u8; 16];
    let n = groesse.min(ende.len() as u64);
    f.seek(SeekFrom::End(-(n as i64))).ok()?;
    f.read_exact(&mut ende[..n as usize]).ok()?;
    let ende = &ende[..n as usize];
    (anfang == *b"%PDF-" && ende.trim_ascii_end().ends_with(b"%%EOF")).then_some(groesse)
}

/// Removes cached PDFs no Vorlage of this build uses.
fn aufraeumen(cache: &Path, benutzt: HashSet<&str>) {
    let Ok(eintraege) = std::fs::read_dir(cache) else {
        return;
    };
    for e in eintraege.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // Only finished PDFs: a `.tmp` may be another build writing right now.
        let Some(key) = name.strip_suffix(".pdf") else {
            continue;
        };
        if !benutzt.contains(key) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The cache folder of a portal: beside its content, ignored by git.
pub fn cache_ordner(root: &Path) -> PathBuf {
    root.join(".quartier-cache").join("pdf")
}

fn lauf(text: &str, stil: Stil) -> Text {
    vec![Lauf {
        stil,
        text: text.to_string(),
    }]
}

/// Lays out and writes the PDF of one Vorlage.
fn dokument(portal: &Portal, id: Id<Vorlage>) -> Result<Vec<u8>, String> {
    let v = &portal[id];
    let stadt = &portal.config.stadt;
    let inhalt = v
        .meta
        .text
        .as_ref()
        .map(|md| inhalt::lesen(md.text()))
        .unwrap_or_default();
    let schriften = schrift::Schriften::get();
    let mut s = Setzer::new(schriften, &inhalt.fussnoten);

    // Letterhead.
    s.zeile_frei(stadt, Stil::FETT, 17.0, 22.0);
    s.zeile_frei("– Der Oberbürgermeister –", Stil::NORMAL, GROESSE, ZEILE);
    s.abstand(14.0);
    // A PDF travels without the page around it: a made-up Vorlage under the city's
    // letterhead says so itself, below the letterhead and in the header of every later
    // page.
    if v.meta.beispiel {
        s.absatz(&[
            Lauf {
                stil: Stil::FETT,
                text: "Beispieldaten: ".into(),
            },
            Lauf {
                stil: Stil::NORMAL,
                text: BEISPIEL.into(),
            },
        ]);
        s.abstand(4.0);
    }

    // Dezernat, Amt, Datum, Öffentlichkeitsstatus.
    let kopf: Vec<Text> = ["Dezernat", "Amt", "Datum", "Öffentlichkeitsstatus"]
        .iter()
        .map(|t| lauf(t, Stil::NORMAL))
        .collect();
    let werte: Vec<Text> = [
        v.dezernat.as_deref().unwrap_or("–"),
        v.amt.as_deref().unwrap_or("–"),
        &format::datum(v.datum),
        "öffentlich",
    ]
    .iter()
    .map(|t| lauf(t, Stil::NORMAL))
    .collect();
    s.tabelle(&kopf, &[werte], &[0.2, 0.2, 0.25, 0.35]);

    // The kind in capitals and the number, on one line.
    let art = v.art.bezeichnung().to_uppercase();
    let nummer = v.nummer.to_string();
    s.abstand(4.0);
    s.zeile_frei(&art, Stil::FETT, 15.0, 20.0);
    let y = s.y() - 20.0;
    let breite = schriften.breite(Stil::FETT, &nummer, 15.0);
    s.einzelstueck(RECHTS - breite, y + 15.0, Stil::FETT, 15.0, &nummer);
    s.abstand(10.0);

    // Beratungsfolge.
    if !v.beratungsfolge.is_empty() {
        let kopf: Vec<Text> = ["Beratung", "Tag", "Behandlung"]
            .iter()
            .map(|t| lauf(t, Stil::NORMAL))
            .collect();
        let zeilen: Vec<Vec<Text>> = v
            .beratungsfolge
            .iter()
            .map(|b| {
                vec![
                    lauf(&b.gremium, Stil::NORMAL),
                    lauf(&format::datum(b.datum), Stil::NORMAL),
                    lauf(b.behandlung.map_or("", |x| x.bezeichnung()), Stil::NORMAL),
                ]
            })
            .collect();
        s.tabelle(&kopf, &zeilen, &[0.55, 0.2, 0.25]);
    }

    // "Thema:" is the document's title, the one first-level heading.
    s.ueberschrift(
        1,
        &[Lauf {
            stil: Stil::NORMAL,
            text: format!("Thema: {}", v.thema),
        }],
    );
    s.abstand(4.0);

    s.bloecke(&inhalt.bloecke);

    if let Some(b) = &v.bearbeiter {
        s.abstand(10.0);
        s.zeile_frei(&format!("Bearb. {b}"), Stil::NORMAL, GROESSE, ZEILE);
    }
    if let Some(u) = &v.unterzeichnet {
        // Room for the signature above the printed name.
        s.abstand(30.0);
        s.platz(ZEILE);
        s.zeile_frei(u, Stil::FETT, GROESSE, ZEILE);
    }
    let satz = s.fertig();

    let angaben = ausgabe::Angaben {
        titel: format!("{} {}: {}", v.art.bezeichnung(), v.nummer, v.thema),
        thema: v.thema.clone(),
        autor: stadt.clone(),
        datum: v.datum,
        kopfzeile: format!(
            "{}{stadt} · {} {}",
            if v.meta.beispiel { "Beispiel · " } else { "" },
            v.art.bezeichnung(),
            v.nummer
        ),
    };
    ausgabe::schreiben(&satz, &angaben)
}
