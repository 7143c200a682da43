//! Code highlighting with syntect, emitting CSS classes (no inline styles, so a strict
//! Content-Security-Policy holds). The syntax definitions are loaded on first use only:
//! a portal without code blocks never pays for them.
//!
//! A build keeps the highlighted blocks for the next one ([`Codevorrat`]): syntect
//! compiles a syntax's regular expressions when it first meets it, and for the example
//! portal's one page of Markdown, YAML and shell examples highlighting took three
//! quarters of a whole rebuild's instructions, on one core.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use xxhash_rust::xxh3::Xxh3;

use crate::ablage::{self, Ablage};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The prefix of every class syntect writes; `code.css` in the theme styles them.
pub const CLASS_PREFIX: &str = "c-";

/// The header of the store: it changes with what `highlight` writes, not only with
/// syntect.
fn kopf() -> String {
    ablage::kopf(&format!("code 1 {CLASS_PREFIX}"))
}

/// The highlighted code blocks of the last build, by the XXH3-128 of their language and
/// code (see [`crate::ablage`] for how the store is kept and checked).
pub struct Codevorrat(Ablage<String>);

impl Codevorrat {
    /// Where the portal at `root` keeps its highlighted code blocks.
    pub fn ort(root: &Path) -> PathBuf {
        root.join(".quartier-cache").join("code").join("bloecke")
    }

    /// Reads the store at `datei`; a missing or damaged one is an empty store.
    pub fn laden(datei: &Path) -> Codevorrat {
        Codevorrat(Ablage::laden(datei, kopf()))
    }

    /// A store that holds nothing (for a run that has none).
    pub fn leer() -> Codevorrat {
        Codevorrat(Ablage::leer(kopf()))
    }

    /// [`highlight`], taken from the store when the same block was highlighted before.
    pub fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        let mut h = Xxh3::new();
        h.update(lang.as_bytes());
        // A language name never holds a NUL, so no two blocks share their bytes here.
        h.update(&[0]);
        h.update(code.as_bytes());
        let schluessel = h.digest128();
        if let Some(html) = self.0.nehmen(schluessel, |b| {
            std::str::from_utf8(b).ok().map(str::to_owned)
        }) {
            return Some(html);
        }
        let html = highlight(code, lang)?;
        self.0.ablegen(schluessel, html.clone());
        Some(html)
    }

    /// Writes the blocks this build used as the next build's store.
    pub fn speichern(self, datei: &Path) {
        self.0.speichern(datei);
    }
}

/// Highlighted HTML for `code` in language `lang`, or `None` if the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_extension(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed {
            prefix: CLASS_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlights_yaml_with_classes() {
        let html = super::highlight("titel: Fest\njahr: 2026\n", "yaml").unwrap();
        assert!(html.contains("class=\"c-"), "{html}");
        assert!(!html.contains("style="));
        assert!(super::highlight("x", "keine-sprache").is_none());
    }

    #[test]
    fn a_rebuild_takes_highlighted_blocks_from_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let ort = super::Codevorrat::ort(dir.path());
        let erster = super::Codevorrat::laden(&ort);
        let html = erster.highlight("titel: Fest\n", "yaml").unwrap();
        assert!(erster.highlight("x", "keine-sprache").is_none());
        erster.speichern(&ort);
        let zweiter = super::Codevorrat::laden(&ort);
        assert_eq!(zweiter.0.gelesen(), 1, "unknown languages are not stored");
        assert_eq!(zweiter.highlight("titel: Fest\n", "yaml"), Some(html));
        assert_eq!(zweiter.0.aus_der_ablage(0), Some(true));
        // The same code in another language is another block.
        let json = zweiter.highlight("titel: Fest\n", "json");
        assert_eq!(json, super::highlight("titel: Fest\n", "json"));
        assert_eq!(zweiter.0.aus_der_ablage(1), Some(false));
    }
}
