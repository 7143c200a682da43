//! The URLs of the output (section 4 of the content model), in one place.
//!
//! Paths here are relative to the site root and end in `/` for pages; [`Routes::href`]
//! puts the base path in front, so every link works under a sub-path like `/gwa/`.

use std::collections::HashSet;

use crate::model::{Ag, Datei, Forum, Id, Portal, Projekt, Seite, Stadtteil, Vorlage};

pub fn stadtteil(p: &Portal, id: Id<Stadtteil>) -> String {
    format!("stadtteile/{}/", p[id].meta.slug)
}

pub fn ag(p: &Portal, id: Id<Ag>) -> String {
    format!("ags/{}/", p[id].meta.slug)
}

pub fn projekt(p: &Portal, id: Id<Projekt>) -> String {
    let projekt = &p[id];
    format!("projekte/{}/{}/", projekt.jahr, projekt.meta.slug)
}

pub fn jahr(jahr: i32) -> String {
    format!("projekte/{jahr}/")
}

pub fn forum(p: &Portal, id: Id<Forum>) -> String {
    format!("foren/{}/", p[id].meta.slug)
}

pub fn vorlage(p: &Portal, id: Id<Vorlage>) -> String {
    format!("vorlagen/{}/", p[id].meta.slug)
}

/// The generated PDF of a Vorlage: `vorlagen/i0264-09/I0264-09.pdf`.
pub fn vorlage_pdf(p: &Portal, id: Id<Vorlage>) -> String {
    format!("{}{}.pdf", vorlage(p, id), p[id].nummer.dateiname())
}

/// The Markdown source of a Vorlage, published beside it: `vorlagen/i0264-09/I0264-09.md`.
pub fn vorlage_quelle(p: &Portal, id: Id<Vorlage>) -> String {
    format!("{}{}.md", vorlage(p, id), p[id].nummer.dateiname())
}

/// `termine.ics` of a Stadtteil.
pub fn stadtteil_ics(p: &Portal, id: Id<Stadtteil>) -> String {
    format!("{}termine.ics", stadtteil(p, id))
}

pub fn ag_ics(p: &Portal, id: Id<Ag>) -> String {
    format!("{}termine.ics", ag(p, id))
}

/// One upcoming meeting of an AG: `ags/ag-gwa-sudenburg/sitzung-2027-03-09.ics`.
pub fn sitzung_ics(p: &Portal, id: Id<Ag>, index: usize) -> String {
    format!(
        "{}{}.ics",
        ag(p, id),
        crate::render::views::sitzung_anker(&p[id], index).to_lowercase()
    )
}

pub fn forum_ics(p: &Portal, id: Id<Forum>) -> String {
    format!("{}termin.ics", forum(p, id))
}

/// The Atom feed of a Stadtteil.
pub fn stadtteil_feed(p: &Portal, id: Id<Stadtteil>) -> String {
    format!("{}feed.xml", stadtteil(p, id))
}

pub fn seite(p: &Portal, id: Id<Seite>) -> String {
    format!("{}/", p[id].meta.slug)
}

pub fn datei(p: &Portal, id: Id<Datei>) -> String {
    p[id].pfad.clone()
}

pub const START: &str = "";
pub const STADTTEILE: &str = "stadtteile/";
pub const AGS: &str = "ags/";
pub const PROJEKTE: &str = "projekte/";
pub const KARTE: &str = "karte/";
pub const FOREN: &str = "foren/";
pub const VORLAGEN: &str = "vorlagen/";
pub const TERMINE: &str = "termine/";
pub const TERMINE_ICS: &str = "termine.ics";
pub const FEED: &str = "feed.xml";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const DATEN: &str = "daten/";
pub const SUCHE: &str = "suche/";

/// The file a page path is written to: `stadtteile/x/` → `stadtteile/x/index.html`.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Every file the build writes, for checking links in Markdown before anything is written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Routes {
    base: String,
    files: HashSet<String>,
    /// Folders whose every path counts as existing: what `serve` generates only when it
    /// is asked for.
    bereiche: Vec<String>,
}

impl Routes {
    pub fn new(base_path: &str) -> Self {
        Routes {
            base: base_path.to_string(),
            files: HashSet::new(),
            bereiche: Vec::new(),
        }
    }

    pub fn add(&mut self, path: &str) {
        self.files.insert(file_of(path));
    }

    pub fn contains_file(&self, file: &str) -> bool {
        self.files.contains(file) || self.bereiche.iter().any(|b| file.starts_with(b.as_str()))
    }

    /// Every path under `folder` (`oparl/`) counts as existing.
    pub fn add_bereich(&mut self, folder: &str) {
        self.bereiche.push(folder.to_string());
    }

    /// Whether `file` counts as existing only because it lies in a folder of
    /// [`Routes::add_bereich`]: a link to it is checked once that folder's files are made.
    pub fn nur_im_bereich(&self, file: &str) -> bool {
        !self.files.contains(file) && self.bereiche.iter().any(|b| file.starts_with(b.as_str()))
    }

    /// `/gwa/` + path, as a URL: a file name with a space or an umlaut (editors' files
    /// keep their names) is percent-encoded, as an `href` must be; an anchor (`#…`) or
    /// query after the path is kept as it is.
    pub fn href(&self, path: &str) -> String {
        let (pfad, rest) = path.split_at(path.find(['#', '?']).unwrap_or(path.len()));
        // Written straight into the link: a page has hundreds of them.
        let mut href = String::with_capacity(self.base.len() + path.len());
        href.push_str(&self.base);
        href.extend(percent_encoding::utf8_percent_encode(pfad, URL_PFAD));
        href.push_str(rest);
        href
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Page paths (`stadtteile/x/`) for "meinten Sie …?" hints.
    pub fn pages(&self) -> impl Iterator<Item = String> + '_ {
        self.files
            .iter()
            .map(|f| f.strip_suffix("index.html").unwrap_or(f).to_string())
    }
}

/// What a URL path keeps as it is: letters, digits, `-._~` and `/`.
const URL_PFAD: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A path of the site as a URL path: spaces, umlauts and the like percent-encoded.
pub fn kodiert(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, URL_PFAD).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_encode_the_path_and_keep_anchors_and_queries() {
        let r = Routes::new("/gwa/");
        assert_eq!(
            r.href("dateien/Plan neu ä.pdf"),
            "/gwa/dateien/Plan%20neu%20%C3%A4.pdf"
        );
        assert_eq!(
            r.href("ags/ag-x/#Sitzung-2026-10-13"),
            "/gwa/ags/ag-x/#Sitzung-2026-10-13"
        );
        assert_eq!(r.href("suche/?q=fest"), "/gwa/suche/?q=fest");
        assert_eq!(
            r.href("stadtteile/sudenburg/"),
            "/gwa/stadtteile/sudenburg/"
        );
    }
}
