//! Stage 3: turn the resolved portal into output files, in parallel.
//!
//! First every page is planned (so links in Markdown can be checked against the complete
//! list of pages before anything is rendered), then every Markdown body is rendered once,
//! then the pages are rendered with the theme's templates.

mod daten;
mod erwaehnungen;
mod feeds;
pub mod format;
mod highlight;
mod jsonld;
pub mod kalender;
pub mod karte;
pub mod markdown;
pub mod oparl;
mod pages;
pub mod pdf;
mod quellen;
pub mod routes;
mod tabelle;
mod theme;
mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Entity, Id, Meta, Portal, Protokoll};
use erwaehnungen::Erwaehnungen;
use markdown::{MarkdownRenderer, Rendered};
pub use pages::Page;
use quellen::Quellen;
use routes::Routes;
pub use theme::Theme;

/// One file of the output.
#[derive(Debug)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
}

#[derive(Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied unchanged from this file.
    Copy(PathBuf),
    /// A file of the theme embedded in the binary.
    Static(&'static [u8]),
}

/// Every Markdown body of the portal, rendered once, by entity index.
#[derive(Default)]
pub struct Texts {
    pub stadtteile: Vec<Rendered>,
    pub ags: Vec<Rendered>,
    pub projekte: Vec<Rendered>,
    pub foren: Vec<Rendered>,
    pub vorlagen: Vec<Rendered>,
    pub seiten: Vec<Rendered>,
    pub einleitung: Rendered,
    /// Minutes written in Markdown, by AG and meeting index (`None`: no such minutes).
    pub protokolle: Vec<Vec<Option<Rendered>>>,
}

impl Texts {
    fn all(&self) -> impl Iterator<Item = &Rendered> {
        self.stadtteile
            .iter()
            .chain(&self.ags)
            .chain(&self.projekte)
            .chain(&self.foren)
            .chain(&self.vorlagen)
            .chain(&self.seiten)
            .chain(std::iter::once(&self.einleitung))
            .chain(self.protokolle.iter().flatten().flatten())
    }
}

/// What page renderers share.
pub struct Cx<'a> {
    pub portal: &'a Portal,
    pub routes: &'a Routes,
    pub texts: &'a Texts,
    pub markdown: MarkdownRenderer<'a>,
    /// The generated PDFs of the Vorlagen (their pages show the size).
    pub pdfs: &'a pdf::Pdfs,
    /// The Markdown sources of the Vorlagen, published beside them.
    pub quellen: &'a Quellen,
    /// Where each Vorlage is mentioned ("Erwähnt in" on its page).
    pub erwaehnungen: &'a Erwaehnungen,
    /// The generated data files (the `/daten/` page shows their sizes).
    pub erzeugt: &'a Erzeugt,
}

/// What the `/daten/` page needs to know about the generated data files.
#[derive(Debug, Default)]
pub struct Erzeugt {
    /// Size in bytes of each generated data file, by output path.
    pub groessen: HashMap<String, u64>,
    pub oparl: oparl::Umfang,
}

impl Cx<'_> {
    /// The URL to write for a path of the site (`stadtteile/` → `/gwa/stadtteile/`).
    pub fn href(&self, path: &str) -> String {
        self.routes.href(path)
    }

    /// The absolute URL of a path (for canonical links).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.portal.config.base_url.url())
    }
}

/// Renders the whole portal; `pdfs` are the generated PDFs of the Vorlagen (none for
/// `check`). Diagnostics are broken links in Markdown and template errors.
pub fn render(portal: &Portal, theme: &Theme, pdfs: pdf::Pdfs) -> (Vec<Output>, Vec<Diagnostic>) {
    let plan = pages::plan(portal);
    let mut routes = Routes::new(portal.config.base_url.path());
    for page in &plan {
        routes.add(&page.path(portal));
    }
    let (mut daten, (oparl, oparl_umfang)) =
        rayon::join(|| daten::outputs(portal), || oparl::outputs(portal, &pdfs));
    daten.extend(oparl);
    for o in &daten {
        routes.add(&o.path);
    }
    let erzeugt = Erzeugt {
        groessen: daten
            .iter()
            .filter_map(|o| match &o.content {
                Content::Bytes(b) => Some((o.path.clone(), b.len() as u64)),
                _ => None,
            })
            .collect(),
        oparl: oparl_umfang,
    };
    for d in portal.dateien.iter().filter(|d| d.veroeffentlicht()) {
        routes.add(&d.pfad);
    }
    for file in theme.static_files(portal) {
        routes.add(&file);
    }
    // The PDF of every Vorlage (written by pdf::Pdfs) and its Markdown source, so that
    // Markdown may link to them.
    let quellen = Quellen::new(portal);
    for id in portal.ids() {
        routes.add(&routes::vorlage_pdf(portal, id));
        if quellen.groesse(id).is_some() {
            routes.add(&routes::vorlage_quelle(portal, id));
        }
    }
    for path in kalender::pfade(portal).iter().chain(&feeds::pfade(portal)) {
        routes.add(path);
    }

    let markdown = MarkdownRenderer {
        portal,
        routes: &routes,
    };
    let texts = render_texts(portal, &markdown);
    let mut diagnostics: Vec<Diagnostic> = texts
        .all()
        .flat_map(|r| r.diagnostics.iter().cloned())
        .collect();
    let erwaehnungen = Erwaehnungen::new(portal, &texts);

    let cx = Cx {
        portal,
        routes: &routes,
        texts: &texts,
        pdfs: &pdfs,
        quellen: &quellen,
        erwaehnungen: &erwaehnungen,
        erzeugt: &erzeugt,
        markdown: MarkdownRenderer {
            portal,
            routes: &routes,
        },
    };
    let rendered: Vec<(Option<Output>, Vec<Diagnostic>)> = plan
        .par_iter()
        .map(|page| match pages::render(&cx, theme, page) {
            Ok((html, diags)) => (
                Some(Output {
                    path: routes::file_of(&page.path(portal)),
                    content: Content::Bytes(shrink(html.into_bytes())),
                }),
                diags,
            ),
            Err(d) => (None, vec![*d]),
        })
        .collect();
    let mut outputs = Vec::with_capacity(rendered.len() + portal.dateien.len());
    for (output, diags) in rendered {
        outputs.extend(output);
        diagnostics.extend(diags);
    }
    // Resolving has made sure no content file has the path of a generated one.
    outputs.extend(
        portal
            .dateien
            .iter()
            .filter(|d| d.veroeffentlicht())
            .map(|d| Output {
                path: d.pfad.clone(),
                content: Content::Copy(d.quelle.clone()),
            }),
    );
    outputs.extend(daten);
    outputs.extend(kalender::outputs(&cx));
    let (feeds, d) = feeds::outputs(&cx, theme);
    outputs.extend(feeds);
    diagnostics.extend(d);
    let (crawler, d) = feeds::crawler(&cx, theme, &plan);
    outputs.extend(crawler);
    diagnostics.extend(d);
    outputs.extend(pdfs.outputs(portal));
    outputs.extend(quellen.outputs(portal));
    outputs.extend(theme.static_outputs(portal));
    (outputs, diagnostics)
}

fn render_texts(p: &Portal, md: &MarkdownRenderer) -> Texts {
    fn each<T: Entity + Sync>(
        p: &Portal,
        md: &MarkdownRenderer,
        route: fn(&Portal, Id<T>) -> String,
        meta: fn(&T) -> &Meta,
    ) -> Vec<Rendered> {
        (0..T::all(p).len())
            .into_par_iter()
            .map(|i| {
                let id = Id::new(i);
                match &meta(&p[id]).text {
                    Some(text) => md.render(text, &route(p, id), ""),
                    None => Rendered::default(),
                }
            })
            .collect()
    }
    Texts {
        stadtteile: each(p, md, routes::stadtteil, |x| &x.meta),
        ags: each(p, md, routes::ag, |x| &x.meta),
        projekte: each(p, md, routes::projekt, |x| &x.meta),
        foren: each(p, md, routes::forum, |x| &x.meta),
        vorlagen: each(p, md, routes::vorlage, |x| &x.meta),
        seiten: each(p, md, routes::seite, |x| &x.meta),
        einleitung: p
            .config
            .einleitung
            .as_ref()
            .map(|m| md.render(m, routes::START, "Einleitung-"))
            .unwrap_or_default(),
        protokolle: p
            .ags
            .par_iter()
            .enumerate()
            .map(|(i, ag)| {
                let page = routes::ag(p, Id::new(i));
                ag.sitzungen
                    .iter()
                    .enumerate()
                    .map(|(n, s)| match &s.protokoll {
                        Some(Protokoll::Text(m)) => {
                            Some(md.render(m, &page, &format!("Protokoll-{n}-")))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect(),
    }
}

/// Global template variables: the same for every page.
#[derive(Serialize)]
struct Global {
    titel: String,
    stadt: String,
    beschreibung: Option<String>,
    base: String,
    base_url: String,
    sprache: String,
    generator: &'static str,
}

/// Loads the theme the portal names (falling back to the built-in default theme).
pub fn load_theme(root: &Path, portal: &Portal) -> Result<Theme, Vec<Diagnostic>> {
    let config = &portal.config;
    let global = Global {
        titel: config.titel.clone(),
        stadt: config.stadt.clone(),
        beschreibung: config.beschreibung.clone(),
        base: config.base_url.path().to_string(),
        base_url: config.base_url.url().to_string(),
        sprache: config.sprache.clone(),
        generator: concat!("quartier ", env!("CARGO_PKG_VERSION")),
    };
    Theme::load(
        root,
        &config.theme,
        config.locate(&["theme"]),
        &global,
        &pages::navigation(portal),
    )
}

/// Pages wait in memory until the write stage; without their growth slack they take
/// half the room.
fn shrink(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.shrink_to_fit();
    bytes
}
