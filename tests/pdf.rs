//! The PDF of each Vorlage, read back with poppler's tools as residents' PDF readers and
//! the checks do: `pdftotext` must give the document's sentences in order,
//! `pdfinfo` its metadata, `pdffonts` only embedded subset fonts.
//!
//! Needs `poppler-utils` (scripts/test installs it).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const PDF: &str = "vorlagen/i0264-09/I0264-09.pdf";

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} not found ({e}): install poppler-utils (scripts/test does it)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 from poppler")
}

fn text_of(pdf: &Path) -> String {
    poppler("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

/// Without any white space: line breaks, table cells and superscripts do not matter.
fn dicht(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The sentences of the seed document's body, its Markdown and HTML removed.
fn saetze_der_vorlage() -> (Vec<String>, String) {
    let seed = std::fs::read_to_string(repo_root().join("tests/fixtures/I0264-09.txt")).unwrap();
    let body = &seed[seed.find("Seit 1997").expect("body start")..];
    let mut fussnote = String::new();
    let mut text = String::new();
    for line in body.lines() {
        let line = line.trim();
        if line.starts_with("<sup>&</sup>") {
            // The footnote: in the PDF at the foot of the page that refers to it.
            fussnote = line
                .rsplit("</sup>")
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            continue;
        }
        let line = line
            .trim_start_matches('#')
            .trim_start_matches("- ")
            .replace("**", "")
            .replace("<sup>1</sup>", "1");
        text.push_str(line.trim());
        text.push('\n');
    }
    let mut saetze = Vec::new();
    let mut satz = String::new();
    for c in text.chars() {
        satz.push(c);
        if c == '\n' || (matches!(c, '.' | '!' | '?') && satz.trim().len() > 20) {
            let s = satz.trim().to_string();
            if s.len() > 3 {
                saetze.push(s);
            }
            satz.clear();
        }
    }
    (saetze, fussnote)
}

#[test]
fn every_sentence_of_i0264_09_is_in_the_pdf_in_order() {
    let site = example();
    let text = text_of(&site.out.join(PDF));
    let volltext = dicht(&text);
    let (saetze, fussnote) = saetze_der_vorlage();
    assert!(saetze.len() > 40, "{} sentences", saetze.len());
    let mut ab = 0;
    let mut fehlen = Vec::new();
    for s in &saetze {
        match volltext[ab..].find(&dicht(s)) {
            Some(i) => ab += i + dicht(s).len(),
            None => fehlen.push(s.as_str()),
        }
    }
    assert!(
        fehlen.is_empty(),
        "{} of {} sentences missing or out of order, first: {:?}\n--- pdftotext:\n{text}",
        fehlen.len(),
        saetze.len(),
        &fehlen[..fehlen.len().min(5)]
    );
    assert!(
        volltext.contains(&dicht(&fussnote)),
        "footnote missing: {fussnote}"
    );
    // Words stay whole where the style changes: the footnote mark belongs to its word.
    assert!(
        text.contains("Entwicklungschancen zu kennzeichnen1:"),
        "a word break before the footnote mark:\n{text}"
    );
}

#[test]
fn the_first_page_carries_the_letterhead_and_the_facts_of_the_vorlage() {
    let site = example();
    let pdf = site.out.join(PDF);
    let seite1 = poppler(
        "pdftotext",
        &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    let d = dicht(&seite1);
    for teil in [
        "LandeshauptstadtMagdeburg",
        "–DerOberbürgermeister–",
        "Dezernat",
        "V/02",
        "24.11.2009",
        "Öffentlichkeitsstatus",
        "öffentlich",
        "INFORMATION",
        "I0264/09",
        "BeratungTagBehandlung",
        "Ausschussf.Stadtentw.,BauenundVerkehr10.12.2009öffentlich",
        "Stadtrat28.01.2010öffentlich",
        "Thema:ArbeitsgruppenGemeinwesenarbeitundStadtteilmanagement",
        "Seite1von",
    ] {
        assert!(d.contains(teil), "page 1 lacks {teil:?}:\n{seite1}");
    }
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let seiten: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("Pages:");
    assert!(seiten >= 2, "{info}");
    let letzte = poppler(
        "pdftotext",
        &[
            "-f",
            &seiten.to_string(),
            "-l",
            &seiten.to_string(),
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    let l = dicht(&letzte);
    assert!(l.contains(&format!("Seite{seiten}von{seiten}")), "{letzte}");
    assert!(
        l.contains("LandeshauptstadtMagdeburg·InformationI0264/09"),
        "running header: {letzte}"
    );
    assert!(
        l.contains("Bearb.HerrDr.GottschalkTel.:5403104"),
        "{letzte}"
    );
    assert!(
        l.ends_with(&format!("Seite{seiten}von{seiten}")) || l.contains("Brüning"),
        "{letzte}"
    );
}

#[test]
fn metadata_says_title_author_language_and_tagging() {
    let site = example();
    let pdf = site.out.join(PDF);
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains(
            "Title:           Information I0264/09: Arbeitsgruppen Gemeinwesenarbeit und Stadtteilmanagement"
        ),
        "{info}"
    );
    assert!(
        info.contains("Author:          Landeshauptstadt Magdeburg"),
        "{info}"
    );
    assert!(
        info.contains("Subject:         Arbeitsgruppen Gemeinwesenarbeit"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Page size:       595.28 x 841.89 pts (A4)"),
        "{info}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let roh = String::from_utf8_lossy(&bytes);
    assert!(roh.contains("/Lang (de)"), "no document language");
    assert!(roh.contains("pdfuaid:part"), "not declared PDF/UA");
    assert!(roh.contains("<dc:language>"), "no XMP language");
}

#[test]
fn only_embedded_subset_fonts() {
    let site = example();
    let fonts = poppler("pdffonts", &[site.out.join(PDF).to_str().unwrap()]);
    let zeilen: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!zeilen.is_empty(), "{fonts}");
    for z in zeilen {
        let spalten: Vec<&str> = z.split_whitespace().collect();
        // name type… encoding emb sub uni object ID
        let n = spalten.len();
        assert_eq!(&spalten[n - 5..n - 2], ["yes", "yes", "yes"], "{z}");
        assert!(spalten[0].contains("+SourceSans3"), "{z}");
    }
}

const VORLAGE: &str = "---\n\
nummer: \"DS0123/24\"\n\
art: beschlussvorlage\n\
thema: \"Ein Spielplatz für Buckau\"\n\
datum: 2024-03-01\n\
oeffentlich: true\n\
beratungsfolge:\n  - gremium: \"Stadtrat\"\n    datum: 2024-04-01\n    behandlung: öffentlich\n\
unterzeichnet: \"Muster (fiktiv)\"\n\
---\n\
## Begründung\n\n\
Der Platz braucht *neue* Geräte und **mehr** Schatten[^q].\n\n\
1. Schaukel\n2. Rutsche\n   - mit Geländer\n\n\
| Posten | Betrag |\n|---|---|\n| Geräte | 12.000 € |\n\n\
Ein Umlaut-Test: Größe, Übergänge, Straße.\n\n\
[^q]: Ortsbegehung im Februar.\n";

fn portal_mit_vorlage() -> TestPortal {
    TestPortal::new().file("content/vorlagen/ds0123-24.md", VORLAGE)
}

#[test]
fn markdown_features_reach_the_pdf_as_text() {
    let p = portal_mit_vorlage();
    let site = p.build().ok();
    let pdf = site.out.join("vorlagen/ds0123-24/DS0123-24.pdf");
    let text = text_of(&pdf);
    let d = dicht(&text);
    for teil in [
        "BESCHLUSSVORLAGE",
        "DS0123/24",
        "Thema:EinSpielplatzfürBuckau",
        "Begründung",
        "DerPlatzbrauchtneueGeräteundmehrSchatten",
        "1.Schaukel",
        "2.Rutsche",
        "•mitGeländer",
        "PostenBetrag",
        "Geräte12.000€",
        "Größe,Übergänge,Straße.",
        "1Ortsbegehung im Februar.",
        "Muster(fiktiv)",
    ] {
        assert!(d.contains(&dicht(teil)), "{teil:?} missing:\n{text}");
    }
    // The Markdown syntax itself is not printed.
    assert!(
        !text.contains("**") && !text.contains("[^q]") && !text.contains("|---"),
        "{text}"
    );
}

/// A PDF is passed on without the page that marks a made-up Vorlage as an example.
#[test]
fn the_pdf_of_an_example_vorlage_says_it_is_made_up() {
    let p = portal_mit_vorlage();
    let site = p.build().ok();
    let pdf = site.out.join("vorlagen/ds0123-24/DS0123-24.pdf");
    assert!(!text_of(&pdf).contains("Beispiel"));
    p.write(
        "content/vorlagen/ds0123-24.md",
        &(VORLAGE.replacen("---\n", "---\nbeispiel: true\n", 1)
            + &"Ein Absatz, damit die Vorlage mehr als eine Seite hat.\n\n".repeat(60)),
    );
    p.build().ok();
    let text = text_of(&pdf);
    assert!(
        dicht(&text).contains(&dicht(
            "Beispieldaten: Diese Vorlage ist erfunden. Sie zeigt, wie das Portal funktioniert, und ist kein Dokument der Verwaltung."
        )),
        "{text}"
    );
    // In the header of every page after the first, which has the letterhead.
    let seiten = text.split('\u{c}').filter(|s| !s.trim().is_empty()).count();
    assert!(seiten > 1, "{text}");
    assert_eq!(text.matches("Beispiel · ").count(), seiten - 1, "{text}");
}

#[test]
fn pdfs_are_cached_by_content_and_rebuilt_when_the_vorlage_changes() {
    let p = portal_mit_vorlage();
    let cache = p.path(".quartier-cache/pdf");
    let first = p.build().ok();
    let pdf = first.out.join("vorlagen/ds0123-24/DS0123-24.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(cached.len(), 1, "one cached PDF");
    let cached_path = cached[0].path();
    assert_eq!(std::fs::read(&cached_path).unwrap(), bytes);
    let modified = std::fs::metadata(&cached_path).unwrap().modified().unwrap();

    // Unchanged: the same file is reused, untouched.
    p.build().ok();
    assert_eq!(std::fs::read(&pdf).unwrap(), bytes, "the same bytes");
    assert_eq!(
        std::fs::metadata(&cached_path).unwrap().modified().unwrap(),
        modified,
        "the cached PDF was written again"
    );

    // Changed: a new PDF, the stale one leaves the cache.
    p.write(
        "content/vorlagen/ds0123-24.md",
        &VORLAGE.replace("Schaukel", "Wippe"),
    );
    p.build().ok();
    assert!(dicht(&text_of(&pdf)).contains("1.Wippe"));
    let now: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(now.len(), 1);
    assert_ne!(now[0].path(), cached_path);

    // A broken cache entry is not trusted blindly: deleting the cache just regenerates.
    std::fs::remove_dir_all(&cache).unwrap();
    p.build().ok();
    assert!(pdf.is_file());
}

#[test]
fn check_writes_no_pdf_and_no_cache() {
    let p = portal_mit_vorlage();
    let report = p.check();
    assert_eq!(report.exit_code(), 0);
    assert!(!p.path(".quartier-cache").exists());
}

#[test]
fn two_builds_give_byte_identical_pdfs() {
    let a = portal_mit_vorlage();
    let b = portal_mit_vorlage();
    let pa = a.build().ok().out.join("vorlagen/ds0123-24/DS0123-24.pdf");
    let pb = b.build().ok().out.join("vorlagen/ds0123-24/DS0123-24.pdf");
    assert_eq!(std::fs::read(pa).unwrap(), std::fs::read(pb).unwrap());
}

/// Found by a sweep: two Hebrew or Arabic letters in a row made krilla abort the whole
/// build (its glyph runs assumed left-to-right clusters). The font has no glyphs for
/// them; the PDF is written with the rest of the text intact.
#[test]
fn hebrew_and_arabic_text_does_not_abort_the_build() {
    let p = TestPortal::new().file(
        "content/vorlagen/ds0123-24.md",
        &VORLAGE.replacen(
            "Ein Umlaut-Test",
            "Mehrsprachig: שלום (ש) und مرحبا عربي. Ein Umlaut-Test",
            1,
        ),
    );
    let site = p.build().ok();
    let text = text_of(&site.out.join("vorlagen/ds0123-24/DS0123-24.pdf"));
    assert!(
        dicht(&text).contains(&dicht("Größe, Übergänge, Straße.")),
        "{text}"
    );
    assert!(dicht(&text).contains("Mehrsprachig"), "{text}");
}
