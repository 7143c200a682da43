//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz, libFuzzer), here so that the
//! fuzzers and `tests/fuzz_replay.rs` run exactly the same code on the same bytes.
//!
//! Each function takes arbitrary bytes and panics only when quartier misbehaves: a panic
//! inside quartier, or a broken invariant checked here (a diagnostic pointing at a line or
//! column its file does not have, a script or `javascript:` link in rendered Markdown, an
//! output path the write stage would refuse). Bad input itself is never a failure: it
//! must only produce diagnostics.
//!
//! | target | what the bytes are |
//! |---|---|
//! | [`frontmatter`] | a Markdown file with front matter (`content/seiten/fuzz.md`) |
//! | [`yaml_eintraege`] | a selector byte (entity type, `.yaml` or `.md`), then the file, read and resolved beside a minimal portal |
//! | [`markdown`] | a selector byte (bit 0: `html_erlauben`), then a Markdown text rendered by the page renderer |
//! | [`portal`] | files laid over a minimal valid portal, see [`portal_dateien`]; loaded, resolved and rendered in memory |

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use crate::load::{self, Document, Kind, Loaded};
use crate::model::{Markdown, Portal, SourceFile, TextOrigin};
use crate::render::Ziel as _;
use crate::render::bilder::Bilder;
use crate::render::highlight::Codevorrat;
use crate::render::markdown::MarkdownRenderer;
use crate::render::routes::Routes;
use crate::resolve;

/// "Today" for every fuzz run, so that a crash reproduces on any day.
fn heute() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 25)
}

/// The files of the minimal valid portal every target builds on: two Stadtteile, an AG,
/// a project, a page (all fictional, marked `beispiel`).
pub const BASIS: &[(&str, &str)] = &[
    (
        "portal.yaml",
        "titel: \"Testportal\"\nstadt: \"Teststadt\"\nbase_url: \"https://example.org/gwa/\"\n",
    ),
    ("content/stadtteile/sudenburg.yaml", "name: \"Sudenburg\"\n"),
    ("content/stadtteile/buckau.yaml", "name: \"Buckau\"\n"),
    (
        "content/ags/ag-gwa-sudenburg.md",
        "---\nname: \"AG GWA Sudenburg\"\nstadtteile: [sudenburg]\nbeispiel: true\n---\nDie AG trifft sich monatlich.\n",
    ),
    (
        "content/projekte/2025/kiezfest.md",
        "---\ntitel: \"Kiezfest\"\njahr: 2025\nstadtteile: [sudenburg]\nag: ag-gwa-sudenburg\nbeispiel: true\n---\nEin Fest für alle.\n",
    ),
    (
        "content/seiten/impressum.md",
        "---\ntitel: \"Impressum\"\n---\nEin Beispiel.\n",
    ),
];

/// Checks that a diagnostic about one of `texts` (by path relative to the site root)
/// points at a line and column that file has, and quotes that line.
fn pruefe_ort(location: &Location, texts: &HashMap<String, String>, d: &Diagnostic) {
    if location.line == 0 {
        return;
    }
    let Some(text) = texts.get(&location.file) else {
        return;
    };
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        location.line <= lines.len(),
        "Zeile {} gibt es in {} nicht ({} Zeilen): {d:?}",
        location.line,
        location.file,
        lines.len()
    );
    let line = lines[location.line - 1];
    assert_eq!(
        location.source_line,
        line.trim_end_matches('\r'),
        "zitierte Zeile stimmt nicht: {d:?}"
    );
    assert!(
        location.column >= 1 && location.column <= line.chars().count() + 1,
        "Spalte {} gibt es in Zeile {} von {} nicht: {d:?}",
        location.column,
        location.line,
        location.file
    );
}

fn pruefe_orte<'a>(
    diags: impl IntoIterator<Item = &'a Diagnostic>,
    texts: &HashMap<String, String>,
) {
    for d in diags {
        assert!(!d.message.is_empty(), "Diagnose ohne Meldung: {d:?}");
        if let Some(location) = &d.location {
            pruefe_ort(location, texts, d);
        }
    }
}

/// The text an editor sees in a file: invalid bytes replaced, without a byte order mark.
fn wie_gelesen(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

/// Reads one entity file from bytes as loading does (UTF-8 check, byte order mark).
fn lies(kind: Kind, rel: &str, bytes: &[u8]) -> (Vec<Document>, Vec<Diagnostic>, Option<String>) {
    match load::text_of_bytes(bytes.to_vec(), rel) {
        Ok(text) => {
            let (docs, diags) = load::entity_text(kind, rel, text.clone());
            (docs, diags, Some(text))
        }
        Err(d) => (Vec::new(), vec![*d], None),
    }
}

/// Target `frontmatter`: splitting a Markdown file into front matter and body, and
/// parsing the front matter's YAML.
pub fn frontmatter(data: &[u8]) {
    let rel = "content/seiten/fuzz.md";
    let (docs, diags, text) = lies(Kind::Seite, rel, data);
    let mut texts = HashMap::new();
    if let Some(text) = &text {
        texts.insert(rel.to_string(), text.clone());
        for d in &docs {
            if let Some(body) = &d.body {
                let TextOrigin::Exact { offset } = body.origin else {
                    panic!("Text einer .md-Datei ohne genaue Lage");
                };
                assert_eq!(
                    text.get(offset..),
                    Some(body.text()),
                    "der Text ist nicht das Ende der Datei"
                );
            }
        }
    } else {
        // Not UTF-8: the diagnostic locates the first bad byte in the lossy text.
        texts.insert(rel.to_string(), wie_gelesen(data));
    }
    pruefe_orte(&diags, &texts);
}

/// The documents of [`BASIS`], read once.
static BASIS_DOKUMENTE: LazyLock<Vec<Document>> = LazyLock::new(|| {
    BASIS
        .iter()
        .filter_map(|(rel, text)| {
            let folder = rel.strip_prefix("content/")?.split('/').next()?;
            let kind = Kind::ALL.into_iter().find(|k| k.folder() == folder)?;
            Some(load::entity_text(kind, rel, text.to_string()).0)
        })
        .flatten()
        .collect()
});

fn basis_texte() -> HashMap<String, String> {
    BASIS
        .iter()
        .map(|(rel, text)| (rel.to_string(), text.to_string()))
        .collect()
}

fn config(html_erlauben: bool) -> Config {
    let mut c = Config::ersatz();
    c.base_url = crate::config::BaseUrl::parse("https://example.org/gwa/").expect("valid base_url");
    c.titel = "Testportal".into();
    c.stadt = "Teststadt".into();
    c.html_erlauben = html_erlauben;
    c
}

/// Target `yaml_eintraege`: an entity file (YAML entity or list, or Markdown) read and
/// resolved field by field beside the minimal portal, so that type errors, unknown slugs
/// and references become diagnostics. The first byte chooses the entity type (bits 0–2)
/// and the format (bit 3: Markdown instead of YAML); bit 4 reads with `--drafts`.
pub fn yaml_eintraege(data: &[u8]) {
    let Some((&wahl, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(wahl & 7) % Kind::ALL.len()];
    let ext = if wahl & 8 != 0 { "md" } else { "yaml" };
    let rel = format!("content/{}/fuzz.{ext}", kind.folder());
    let (docs, diags, text) = lies(kind, &rel, bytes);
    let mut texts = basis_texte();
    texts.insert(rel.clone(), text.unwrap_or_else(|| wie_gelesen(bytes)));
    let mut documents = BASIS_DOKUMENTE.clone();
    documents.extend(docs);
    documents.sort_by_key(|d| d.kind);
    let loaded = Loaded {
        documents,
        defekt: Vec::new(),
        dateien: Vec::new(),
        diagnostics: diags,
    };
    let options = resolve::Options {
        drafts: wahl & 16 != 0,
        heute: heute(),
    };
    let (_portal, diags) = resolve::resolve(config(false), loaded, &options);
    pruefe_orte(&diags, &texts);
}

/// The resolved minimal portal, with and without `html_erlauben`.
static PORTALE: LazyLock<[Portal; 2]> = LazyLock::new(|| {
    [false, true].map(|html| {
        let loaded = Loaded {
            documents: BASIS_DOKUMENTE.clone(),
            ..Loaded::default()
        };
        let options = resolve::Options {
            drafts: false,
            heute: heute(),
        };
        resolve::resolve(config(html), loaded, &options).0
    })
});

/// Target `markdown`: the page renderer (footnotes, tables, auto-links, heading ids,
/// Vorlage numbers, link checking, link-scheme sanitising, raw HTML escaped or
/// sanitised). The first byte's bit 0 sets `html_erlauben`.
///
/// Checked beyond "no panic": the HTML has no element or attribute that runs a script
/// and no link with a script scheme, and every diagnostic points into the text.
pub fn markdown(data: &[u8]) {
    let Some((&wahl, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let portal = &PORTALE[usize::from(wahl & 1)];
    let mut routes = Routes::new(portal.config.base_url.path());
    for pfad in [
        "",
        "stadtteile/",
        "stadtteile/sudenburg/",
        "ags/ag-gwa-sudenburg/",
        "projekte/2025/kiezfest/",
        "impressum/",
        "fuzz/",
    ] {
        routes.add(pfad);
    }
    let bilder = Bilder::keine(portal);
    let code = Codevorrat::leer();
    let renderer = MarkdownRenderer {
        portal,
        routes: &routes,
        bilder: &bilder,
        code: &code,
    };
    let rel = "content/seiten/fuzz.md";
    let md = Markdown {
        file: Arc::new(SourceFile {
            rel: rel.into(),
            text: text.into(),
        }),
        origin: TextOrigin::Exact { offset: 0 },
    };
    let rendered = renderer.render(&md, "fuzz/", "");
    if let Some(problem) = skript_in_html(&rendered.html) {
        panic!("Skript im HTML ({problem}):\n{}", rendered.html);
    }
    let texts = HashMap::from([(rel.to_string(), text.to_string())]);
    pruefe_orte(&rendered.diagnostics, &texts);
}

/// Elements that run or embed active content; none may come out of Markdown.
const VERBOTENE_ELEMENTE: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "form", "style",
];

/// Attributes that take a URL (also used by `tests/xss.rs`).
pub const URL_ATTRIBUTE: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];

/// The first way the HTML could run a script, if any: a forbidden element, an event
/// handler attribute or a URL with a script scheme. A small tag scanner, enough for the
/// HTML quartier writes (attribute values in double quotes, text escaped).
pub fn skript_in_html(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with("!--") {
            let ende = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[ende..];
            continue;
        }
        let ende = tag_ende(rest);
        let tag = &rest[..ende];
        rest = &rest[ende..];
        let tag = tag.trim_start_matches('/');
        let name_ende = tag
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = tag[..name_ende].to_ascii_lowercase();
        if VERBOTENE_ELEMENTE.contains(&name.as_str()) {
            return Some(format!("Element <{name}>"));
        }
        for (attr, wert) in crate::sicherheit::attribute(&tag[name_ende..]) {
            if attr.starts_with("on") {
                return Some(format!("Attribut {attr} in <{name}>"));
            }
            if URL_ATTRIBUTE.contains(&attr.as_str()) && gefaehrliche_url(&entities(&wert)) {
                return Some(format!("{attr}=\"{wert}\" in <{name}>"));
            }
        }
    }
    None
}

/// Where a tag starting after `<` ends (after its `>`), skipping quoted values.
fn tag_ende(tag: &str) -> usize {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    tag.len()
}

/// Decodes the character references a browser decodes in an attribute value (numeric
/// ones and the few named ones that can spell a scheme).
fn entities(wert: &str) -> String {
    let mut out = String::with_capacity(wert.len());
    let mut rest = wert;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let ende = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .unwrap_or(rest.len());
        let name = &rest[..ende];
        let zeichen = if let Some(n) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
            u32::from_str_radix(n, 16).ok().and_then(char::from_u32)
        } else if let Some(n) = name.strip_prefix('#') {
            n.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match zeichen {
            Some(c) => {
                out.push(c);
                rest = rest[ende..].strip_prefix(';').unwrap_or(&rest[ende..]);
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Whether a URL could run a script or show an unvetted document (browsers drop
/// surrounding control characters and tabs and line breaks before reading the scheme).
/// Also used by `tests/xss.rs`.
pub fn gefaehrliche_url(wert: &str) -> bool {
    let bereinigt: String = wert
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:image/svg",
    ]
    .iter()
    .any(|s| bereinigt.starts_with(s))
}

/// The paths a [`portal`] input can write, over the files of [`BASIS`].
pub const PFADE: &[&str] = &[
    "portal.yaml",
    "content/stadtteile/sudenburg.yaml",
    "content/stadtteile/liste.yaml",
    "content/ags/ag-gwa-sudenburg.md",
    "content/ags/ag-neu.yaml",
    "content/projekte/2025/kiezfest.md",
    "content/projekte/2025/liste.yaml",
    "content/projekte/2024/fest.md",
    "content/foren/forum.md",
    "content/foren/liste.yaml",
    "content/vorlagen/i0264-09.md",
    "content/vorlagen/liste.yaml",
    "content/seiten/impressum.md",
    "content/seiten/ueber.md",
    "content/dateien/plan.pdf",
    "content/dateien/bild.svg",
    "content/daten/stadtteile.geojson",
    "content/dateien/protokolle/2025-01-15.md",
];

/// Decodes the input of [`portal`]: records of one byte choosing a path of [`PFADE`]
/// (modulo their number), two bytes of length (little endian) and that many bytes of
/// content (fewer at the end of the input). A later record for the same path replaces
/// an earlier one.
pub fn portal_dateien(mut data: &[u8]) -> Vec<(&'static str, &[u8])> {
    let mut dateien: Vec<(&'static str, &[u8])> = Vec::new();
    while let [wahl, a, b, rest @ ..] = data {
        let pfad = PFADE[usize::from(*wahl) % PFADE.len()];
        let len = usize::from(u16::from_le_bytes([*a, *b])).min(rest.len());
        let (inhalt, weiter) = rest.split_at(len);
        dateien.retain(|(p, _)| *p != pfad);
        dateien.push((pfad, inhalt));
        data = weiter;
    }
    dateien
}

/// Encodes files in the format of [`portal_dateien`] (for seed inputs).
pub fn portal_kodieren(dateien: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (pfad, inhalt) in dateien {
        let Some(i) = PFADE.iter().position(|p| p == pfad) else {
            continue;
        };
        let inhalt = &inhalt[..inhalt.len().min(usize::from(u16::MAX))];
        out.push(i as u8);
        out.extend_from_slice(&(inhalt.len() as u16).to_le_bytes());
        out.extend_from_slice(inhalt);
    }
    out
}

/// Target `portal`: a whole portal from a file tree. The files of the input
/// ([`portal_dateien`]) are written over the minimal portal in a temporary folder, which
/// is then loaded, resolved and rendered in memory like `quartier build` does (with the
/// PDFs of the Vorlagen and the search index when the content is sound; photos are not
/// decoded). Nothing is written to any output folder.
///
/// Checked beyond "no panic": every diagnostic points at a line its file has, and every
/// output path is one the write stage accepts.
pub fn portal(data: &[u8]) {
    let dateien = portal_dateien(data);
    let Ok(dir) = tempfile::Builder::new().prefix("quartier-fuzz-").tempdir() else {
        return;
    };
    let root = dir.path();
    let mut texts = basis_texte();
    for (rel, text) in BASIS {
        schreibe(root, rel, text.as_bytes());
    }
    for (rel, inhalt) in &dateien {
        schreibe(root, rel, inhalt);
        texts.insert(rel.to_string(), wie_gelesen(inhalt));
    }
    let diags = portal_bauen(root);
    pruefe_orte(&diags, &texts);
}

fn schreibe(root: &Path, rel: &str, inhalt: &[u8]) {
    let pfad = root.join(rel);
    if let Some(parent) = pfad.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(pfad, inhalt);
}

/// The theme of a portal, loaded once per [`crate::render::theme_schluessel`] as `serve`
/// does: the inputs never write a theme of their own, and compiling the templates would
/// take most of each run.
fn theme(root: &Path, portal: &Portal) -> Result<Arc<crate::render::Theme>, Vec<Diagnostic>> {
    static THEMES: LazyLock<Mutex<HashMap<String, Arc<crate::render::Theme>>>> =
        LazyLock::new(Default::default);
    let key = crate::render::theme_schluessel(portal);
    if let Some(t) = THEMES.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(t);
    }
    let theme = Arc::new(crate::render::load_theme(root, portal)?);
    if let Ok(mut m) = THEMES.lock() {
        // A bound, so that fuzzed titles and menus cannot fill the memory.
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, theme.clone());
    }
    Ok(theme)
}

/// Load → resolve → render of the portal at `root`, in memory.
fn portal_bauen(root: &Path) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let (config, diags) = crate::config::load(root, None);
    diagnostics.extend(diags);
    let grenzen = config
        .as_ref()
        .and_then(|c| c.karte.grenzen.as_deref())
        .map(|g| g.trim_start_matches("./"));
    let loaded = load::load(root, grenzen.as_slice(), None);
    let config = config.unwrap_or_else(Config::ersatz);
    let options = resolve::Options {
        drafts: false,
        heute: heute(),
    };
    let (portal, diags) = resolve::resolve(config, loaded, &options);
    diagnostics.extend(diags);
    let fehlerfrei = !diagnostics.iter().any(Diagnostic::is_error);
    let pdfs = if fehlerfrei {
        let (pdfs, diags) = crate::render::pdf::Pdfs::render(&portal, None);
        diagnostics.extend(diags);
        pdfs
    } else {
        crate::render::pdf::Pdfs::keine(&portal)
    };
    let ziel = NurPfade;
    if fehlerfrei {
        for o in crate::render::suche::outputs(&portal) {
            ziel.abgeben(o);
        }
    }
    let bilder = Bilder::keine(&portal);
    match theme(root, &portal) {
        Ok(theme) => {
            diagnostics.extend(crate::render::render(
                portal,
                theme,
                pdfs,
                bilder,
                Arc::new(Codevorrat::leer()),
                &ziel,
            ));
        }
        Err(diags) => diagnostics.extend(diags),
    }
    diagnostics
}

/// Takes every rendered file and checks only that the write stage would accept its path.
struct NurPfade;

impl crate::render::Ziel for NurPfade {
    fn abgeben(&self, o: crate::render::Output) {
        assert!(
            crate::write::sicherer_pfad(&o.path),
            "Ausgabepfad, den das Schreiben ablehnt: {:?}",
            o.path
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scripts_in_html() {
        assert!(skript_in_html("<p>a &lt;script&gt; b</p>").is_none());
        assert!(skript_in_html("<a href=\"/gwa/x/\">x</a>").is_none());
        assert!(skript_in_html("<SCRIPT>x</SCRIPT>").is_some());
        assert!(skript_in_html("<img src=x onerror=alert(1)>").is_some());
        assert!(skript_in_html("<a href=\"&#106;avascript&colon;alert(1)\">x</a>").is_some());
        assert!(skript_in_html("<a href=' java&#x09;script:x'>x</a>").is_some());
    }

    #[test]
    fn portal_files_round_trip() {
        let dateien: Vec<(&str, &[u8])> = vec![
            ("portal.yaml", b"titel: x\n"),
            ("content/seiten/ueber.md", b"---\ntitel: y\n---\n"),
        ];
        assert_eq!(portal_dateien(&portal_kodieren(&dateien)), dateien);
    }

    #[test]
    fn the_minimal_portal_is_sound() {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in BASIS {
            schreibe(dir.path(), rel, text.as_bytes());
        }
        let diags = portal_bauen(dir.path());
        assert!(!diags.iter().any(Diagnostic::is_error), "{diags:?}");
    }
}
