//! Stage 3: turn the resolved portal into output files, in parallel.
//!
//! First every page is planned (so links in Markdown can be checked against the complete
//! list of pages before anything is rendered), then every Markdown body is rendered once,
//! then the pages are rendered with the theme's templates. A build renders the projects'
//! bodies with their pages, which it renders first ([`Site::render_alles`]).

pub mod bilder;
mod daten;
mod erwaehnungen;
mod feeds;
pub mod format;
pub mod highlight;
mod jsonld;
pub mod kalender;
pub mod karte;
pub mod markdown;
pub mod oparl;
mod pages;
pub mod pdf;
mod quellen;
mod rohes_html;
pub mod routes;
pub mod suche;
mod tabelle;
mod theme;
mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Entity, Id, Meta, Portal, Projekt, Protokoll};
use bilder::Bilder;
use erwaehnungen::Erwaehnungen;
use markdown::{MarkdownRenderer, Rendered};
pub use pages::Page;
use pdf::Pdfs;
use quellen::Quellen;
use routes::Routes;
pub use theme::Theme;

/// One file of the output.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Vec<u8>),
    /// Copied unchanged from this file.
    Copy(PathBuf),
    /// A file of quartier's own cache (a PDF, a processed photo). The cache only ever
    /// replaces its files (write, then rename), never changes one in place, so the
    /// output may share the file instead of copying it: a hard link, no second inode.
    Cached(PathBuf),
    /// A file of the theme embedded in the binary.
    Static(&'static [u8]),
}

/// Where rendered files go as soon as they are ready: `build` writes them into the
/// staging folder at once, `check` only counts them. Called from many threads.
pub trait Ziel: Sync {
    fn abgeben(&self, output: Output);
}

/// Hands files on to another `Ziel`, noting the size of each one made as bytes.
struct Vermessen<'a> {
    ziel: &'a dyn Ziel,
    groessen: Mutex<Vec<(String, u64)>>,
}

impl Ziel for Vermessen<'_> {
    fn abgeben(&self, output: Output) {
        if let Content::Bytes(b) = &output.content
            && let Ok(mut groessen) = self.groessen.lock()
        {
            groessen.push((output.path.clone(), b.len() as u64));
        }
        self.ziel.abgeben(output);
    }
}

/// Keeps the files: what `serve` answers requests from.
impl Ziel for Mutex<Vec<Output>> {
    fn abgeben(&self, output: Output) {
        if let Ok(mut dateien) = self.lock() {
            dateien.push(output);
        }
    }
}

/// Every Markdown body of the portal, rendered once, by entity index. In a build,
/// `projekte` is empty until the project pages have rendered them ([`Texts::projekt`]).
#[derive(Default)]
pub struct Texts {
    // Shared, so that `serve` lends the texts of unchanged files to the next version.
    pub stadtteile: Vec<Arc<Rendered>>,
    pub ags: Vec<Arc<Rendered>>,
    pub projekte: Vec<Arc<Rendered>>,
    pub foren: Vec<Arc<Rendered>>,
    pub vorlagen: Vec<Arc<Rendered>>,
    pub seiten: Vec<Arc<Rendered>>,
    pub einleitung: Rendered,
    /// Minutes written in Markdown, by AG and meeting index (`None`: no such minutes).
    pub protokolle: Vec<Vec<Option<Rendered>>>,
}

impl Texts {
    /// A project's text; empty while a build's project pages are still rendering them
    /// ([`Site::render_alles`]).
    pub fn projekt(&self, id: Id<Projekt>) -> &Rendered {
        static LEER: Rendered = Rendered::LEER;
        self.projekte.get(id.index()).map_or(&LEER, |r| &**r)
    }

    fn all(&self) -> impl Iterator<Item = &Rendered> {
        self.stadtteile
            .iter()
            .chain(&self.ags)
            .chain(&self.projekte)
            .chain(&self.foren)
            .chain(&self.vorlagen)
            .chain(&self.seiten)
            .map(|r| &**r)
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
    /// The Markdown sources of the Vorlagen, published beside them.
    pub quellen: &'a Quellen,
    /// Where each Vorlage is mentioned ("Erwähnt in" on its page).
    pub erwaehnungen: &'a Erwaehnungen,
    site: &'a Site,
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

    /// The generated PDFs of the Vorlagen (their pages show the size).
    pub fn pdfs(&self) -> &Pdfs {
        self.site.pdfs()
    }

    /// The processed photos (pages show their variants).
    pub fn bilder(&self) -> &Bilder {
        &self.site.bilder
    }

    /// A project's entry in lists of projects ([`views::ProjektKurz`] as a template
    /// value), made once per site.
    pub fn projekt_eintrag(&self, id: Id<Projekt>) -> tera::Value {
        self.site.projekt_eintraege[id.index()]
            .get_or_init(|| views::template_wert(&views::projekt_kurz(self, id)))
            .clone()
    }

    /// A project's text for its page: its HTML, and the rest of it. In a build the page
    /// renders it now, once, and leaves the rest for the pages after it
    /// ([`Site::render_alles`]); otherwise it was rendered with every other text.
    pub fn projekt_text(&self, id: Id<Projekt>) -> (String, Arc<Rendered>) {
        let Some(fach) = self.site.projekt_texte.get(id.index()) else {
            let r = self
                .texts
                .projekte
                .get(id.index())
                .cloned()
                .unwrap_or_default();
            return (r.html.clone(), r);
        };
        let p = self.portal;
        let mut r = match &p[id].meta.text {
            Some(text) => self.markdown.render(text, &routes::projekt(p, id), ""),
            None => Rendered::default(),
        };
        let html = std::mem::take(&mut r.html);
        (html, fach.get_or_init(|| Arc::new(r)).clone())
    }

    /// The template values project entries share.
    pub fn geteilt(&self) -> &views::Geteilt {
        self.site.geteilt.get_or_init(|| views::Geteilt::new(self))
    }

    /// The generated data files (the `/daten/` page shows their sizes).
    pub fn erzeugt(&self) -> &Erzeugt {
        &self.site.daten().1
    }
}

/// When the projects' Markdown texts are rendered.
#[derive(Debug, Clone, Copy)]
enum Projekttexte {
    /// With every other text, when the site is made: `serve` renders pages as they are
    /// asked for, in any order.
    Vorab,
    /// By each project's page: a build renders every page once, the project pages
    /// first, so no more than a few projects' HTML is held at a time.
    MitDerSeite,
}

/// Where the PDFs of the Vorlagen come from.
pub enum PdfQuelle {
    /// Already generated (by the build's own stage), or none at all (`check`).
    Fertig(Pdfs),
    /// Generated on first use, reusing this cache folder (`serve`).
    Bei(PathBuf),
}

/// The open data files and the OParl export, with their sizes.
type Daten = (Vec<Output>, Erzeugt);

/// Everything the renderers of one portal share, prepared once per build (and once per
/// change in `serve`): the list of pages, the routes for checking links, every Markdown
/// text rendered once, and the outputs that pages report sizes of.
///
/// `build` renders every page from it; `serve` renders only the pages that are asked
/// for, so what a change costs does not grow with the size of the portal.
pub struct Site {
    portal: Arc<Portal>,
    theme: Arc<Theme>,
    plan: Vec<Page>,
    /// The path of each page of `plan`, in the same order.
    pfade: Vec<String>,
    routes: Routes,
    texts: Texts,
    quellen: Quellen,
    erwaehnungen: Erwaehnungen,
    pdfs: OnceLock<Pdfs>,
    pdf_cache: Option<PathBuf>,
    bilder: Bilder,
    code: Arc<highlight::Codevorrat>,
    daten: OnceLock<Daten>,
    /// Each project's entry in the lists of projects, made when a page first lists it:
    /// a project is on five or more lists, and a template value is shared, not copied.
    projekt_eintraege: Vec<OnceLock<tera::Value>>,
    /// What those entries share, made when the first entry is.
    geteilt: OnceLock<views::Geteilt>,
    /// In a build ([`Site::render_alles`]), each project's text without its HTML, left
    /// here by the project's page, which renders it (the HTML of every project's text
    /// at once was a third of a GB at 100,000 projects); moved to `texts.projekte` when
    /// the project pages are done. Empty in `serve`, which renders every text ahead.
    projekt_texte: Vec<OnceLock<Arc<Rendered>>>,
    /// Problems found in the Markdown texts (broken links, …).
    diagnostics: Vec<Diagnostic>,
}

impl Site {
    /// Prepares the portal for rendering. `vorher`, the site of the same portal before a
    /// change, lends its rendered texts: a text whose source file was not read again is
    /// not rendered again, as long as the pages and files are the same (links in the
    /// text are checked against them).
    ///
    /// With `PdfQuelle::Bei` (`serve`) the photos are processed now, with their cache
    /// beside the PDFs' (`.quartier-cache/bilder/`), or taken from `vorher` when the files
    /// under `content/` are the same: pages need their sizes. Problems with them are among
    /// [`Site::diagnostics`]. `code` are the code blocks highlighted before (`serve`
    /// reads them once).
    pub fn new(
        portal: Arc<Portal>,
        theme: Arc<Theme>,
        pdfs: PdfQuelle,
        code: Arc<highlight::Codevorrat>,
        vorher: Option<&Site>,
    ) -> Site {
        let (bilder, diags) = match &pdfs {
            PdfQuelle::Bei(_)
                if let Some(v) = vorher
                    && v.portal.dateien == portal.dateien =>
            {
                (Bilder::wie_vorher(&v.bilder, &portal), Vec::new())
            }
            PdfQuelle::Bei(cache) => {
                let cache = cache.parent().map(|c| c.join("bilder"));
                Bilder::render(&portal, cache.as_deref())
            }
            PdfQuelle::Fertig(_) => (Bilder::keine(&portal), Vec::new()),
        };
        let mut site = Site::mit_bildern(
            portal,
            theme,
            pdfs,
            bilder,
            code,
            vorher,
            Projekttexte::Vorab,
        );
        site.diagnostics.extend(diags);
        site
    }

    /// Like [`Site::new`], with the photos already processed (by the build's own stage).
    fn mit_bildern(
        portal: Arc<Portal>,
        theme: Arc<Theme>,
        pdfs: PdfQuelle,
        bilder: Bilder,
        code: Arc<highlight::Codevorrat>,
        vorher: Option<&Site>,
        projekttexte: Projekttexte,
    ) -> Site {
        let p = &*portal;
        let plan = pages::plan(p);
        let pfade: Vec<String> = plan.iter().map(|page| page.path(p)).collect();
        let mut routes = Routes::new(p.config.base_url.path());
        for path in &pfade {
            routes.add(path);
        }
        let (pdfs, pdf_cache) = match pdfs {
            PdfQuelle::Fertig(pdfs) => (OnceLock::from(pdfs), None),
            PdfQuelle::Bei(cache) => (OnceLock::new(), Some(cache)),
        };
        // The data files and the OParl export are made after the texts: a build makes
        // them once it has let go of the texts' sources (see [`Site::render_alles`]),
        // `serve` when they are asked for. Links into the export are checked then
        // (`Rendered::offen`).
        for path in daten::pfade(p) {
            routes.add(&path);
        }
        routes.add_bereich(oparl::WURZEL);
        for (i, d) in p.dateien.iter().enumerate() {
            if bilder.unveraendert(p, Id::new(i)) {
                routes.add(&d.pfad);
            }
        }
        for pfad in bilder.pfade() {
            routes.add(pfad);
        }
        for file in theme.static_files(p) {
            routes.add(&file);
        }
        // The PDF of every Vorlage and its Markdown source, so that Markdown may link to
        // them.
        let quellen = Quellen::new(p, vorher.map(|v| (&*v.portal, &v.quellen)));
        for id in p.ids() {
            routes.add(&routes::vorlage_pdf(p, id));
            if quellen.groesse(id).is_some() {
                routes.add(&routes::vorlage_quelle(p, id));
            }
        }
        for path in kalender::pfade(p).iter().chain(&feeds::pfade(p)) {
            routes.add(path);
        }

        let markdown = MarkdownRenderer {
            portal: p,
            routes: &routes,
            bilder: &bilder,
            code: &code,
        };
        let frueher = vorher.filter(|v| v.pfade == pfade && v.routes == routes);
        let texts = render_texts(p, &markdown, frueher, projekttexte);
        let diagnostics = texts
            .all()
            .flat_map(|r| r.diagnostics.iter().cloned())
            .collect();
        let erwaehnungen = Erwaehnungen::new(p, &texts);
        let projekt_eintraege = p.projekte.iter().map(|_| OnceLock::new()).collect();
        let projekt_texte = match projekttexte {
            Projekttexte::Vorab => Vec::new(),
            Projekttexte::MitDerSeite => p.projekte.iter().map(|_| OnceLock::new()).collect(),
        };
        Site {
            plan,
            pfade,
            routes,
            texts,
            quellen,
            erwaehnungen,
            pdfs,
            pdf_cache,
            bilder,
            code,
            daten: OnceLock::new(),
            projekt_eintraege,
            geteilt: OnceLock::new(),
            projekt_texte,
            diagnostics,
            theme,
            portal,
        }
    }

    pub fn portal(&self) -> &Portal {
        &self.portal
    }

    fn cx(&self) -> Cx<'_> {
        Cx {
            portal: &self.portal,
            routes: &self.routes,
            texts: &self.texts,
            quellen: &self.quellen,
            erwaehnungen: &self.erwaehnungen,
            site: self,
            markdown: MarkdownRenderer {
                portal: &self.portal,
                routes: &self.routes,
                bilder: &self.bilder,
                code: &self.code,
            },
        }
    }

    fn pdfs(&self) -> &Pdfs {
        self.pdfs.get_or_init(|| match &self.pdf_cache {
            // Problems with PDFs are reported by `build`; a preview shows what it has.
            Some(cache) => pdf::Pdfs::render(&self.portal, Some(cache)).0,
            None => pdf::Pdfs::keine(&self.portal),
        })
    }

    fn daten(&self) -> &Daten {
        self.daten.get_or_init(|| {
            let dateien = Mutex::new(Vec::new());
            let erzeugt = self.daten_machen(&dateien);
            (dateien.into_inner().unwrap_or_default(), erzeugt)
        })
    }

    /// The page at `path` (`stadtteile/x/`, `404.html`), if the portal has one.
    pub fn seite(&self, path: &str) -> Option<Page> {
        self.pfade
            .iter()
            .position(|p| p == path)
            .map(|i| self.plan[i])
    }

    /// Renders one page to the bytes of its HTML file.
    pub fn render_seite(&self, page: &Page) -> Result<(Vec<u8>, Vec<Diagnostic>), Box<Diagnostic>> {
        pages::render(&self.cx(), &self.theme, page)
    }

    /// A file that is there without rendering: a static file of the theme or a published
    /// content file.
    pub fn datei(&self, path: &str) -> Option<Output> {
        if let Some(o) = self.theme.static_output(&self.portal, path) {
            return Some(o);
        }
        if let Some(o) = self.bilder.output(path) {
            return Some(o);
        }
        let i = self.portal.dateien.iter().position(|d| d.pfad == path)?;
        if !self.bilder.unveraendert(&self.portal, Id::new(i)) {
            return None;
        }
        let d = &self.portal.dateien[i];
        Some(Output {
            path: d.pfad.clone(),
            content: Content::Copy(d.quelle.clone()),
        })
    }

    /// Every file of the output but the HTML pages and the search index: content files,
    /// data files, calendars, feeds, PDFs, sources, the theme's static files.
    pub fn weitere(&self) -> (Vec<Output>, Vec<Diagnostic>) {
        // The search index is not among them: see [`Site::suchindex`].
        self.weitere_mit(self.daten().0.clone())
    }

    /// The files of the search index (`suche/index/…`), for `serve`, which makes them
    /// apart from [`Site::weitere`] (a search should not wait for feeds and PDFs); `build`
    /// makes them as a stage of its own (`lib.rs`).
    pub fn suchindex(&self) -> Vec<Output> {
        suche::outputs(&self.portal)
    }

    fn weitere_mit(&self, daten: Vec<Output>) -> (Vec<Output>, Vec<Diagnostic>) {
        let p = &*self.portal;
        // Calendars, feeds and the sitemap are made side by side: each is a pass of its own
        // over the portal, and one after the other they kept one core busy at the end of
        // a build while the other waited.
        let ((kalender, (feeds, feed_diags)), (crawler, crawler_diags)) = rayon::join(
            || {
                rayon::join(
                    || kalender::outputs(&self.cx()),
                    || feeds::outputs(&self.cx(), &self.theme),
                )
            },
            || feeds::crawler(&self.cx(), &self.theme, &self.plan),
        );
        // Resolving has made sure no content file has the path of a generated one.
        // Raster images only processed (metadata removed), unless `original: true`.
        let mut outputs: Vec<Output> = p
            .dateien
            .iter()
            .enumerate()
            .filter(|(i, _)| self.bilder.unveraendert(p, Id::new(*i)))
            .map(|(_, d)| Output {
                path: d.pfad.clone(),
                content: Content::Copy(d.quelle.clone()),
            })
            .collect();
        outputs.extend(self.bilder.outputs());
        outputs.extend(daten);
        outputs.extend(kalender);
        outputs.extend(feeds);
        outputs.extend(crawler);
        outputs.extend(self.pdfs().outputs(p));
        outputs.extend(self.quellen.outputs(p));
        outputs.extend(self.theme.static_outputs(p));
        (outputs, [feed_diags, crawler_diags].concat())
    }

    /// Renders every page and file into `ziel`, each file as soon as it is ready: the
    /// project pages (each with its text), then the data files and the OParl export,
    /// then the other pages and files. Lets go of the portal's texts after the project
    /// pages. Diagnostics are broken links in Markdown and template errors.
    fn render_alles(mut self, ziel: &dyn Ziel) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.clone();
        // Two lists rather than two filters over the plan, cut into small pieces: rayon
        // splits a range into about two pieces per core by length, and a piece holding the
        // costly pages (a Stadtteil's map and lists take 3 ms, a project page 20 µs) left
        // one core rendering them alone while the other waited.
        let (projekte, andere): (Vec<usize>, Vec<usize>) =
            (0..self.plan.len()).partition(|i| matches!(self.plan[*i], Page::Projekt(_)));
        // Project pages first, each rendering its own text (see `projekt_texte`).
        diagnostics.par_extend(
            projekte
                .into_par_iter()
                .with_max_len(64)
                .flat_map_iter(|i| self.seite_abgeben(i, ziel)),
        );
        let texte = std::mem::take(&mut self.projekt_texte);
        if !texte.is_empty() {
            // Every project page has left its text: a page's data is made before anything
            // about it can fail (`pages::render`).
            self.texts.projekte = texte
                .into_iter()
                .map(|t| t.into_inner().unwrap_or_default())
                .collect();
            diagnostics.extend(
                self.texts
                    .projekte
                    .iter()
                    .flat_map(|r| r.diagnostics.iter().cloned()),
            );
            self.erwaehnungen = Erwaehnungen::new(&self.portal, &self.texts);
        }
        // Every text is rendered: the sources are needed no more (some 300 MB at 100,000
        // projects; the Vorlagen's sources for download are copies of their own).
        if let Some(p) = Arc::get_mut(&mut self.portal) {
            p.texte_freigeben();
        }
        // Only now the data files and the OParl export, when the texts' sources are not
        // held beside them, and before `/daten/`, which shows their sizes.
        diagnostics.extend(self.daten_abgeben(ziel));
        diagnostics.par_extend(
            andere
                .into_par_iter()
                .with_max_len(4)
                .flat_map_iter(|i| self.seite_abgeben(i, ziel)),
        );
        let (weitere, diags) = self.weitere_mit(Vec::new());
        weitere.into_par_iter().for_each(|o| ziel.abgeben(o));
        diagnostics.extend(diags);
        diagnostics
    }

    /// Renders page `i` of the plan into `ziel`.
    fn seite_abgeben(&self, i: usize, ziel: &dyn Ziel) -> Vec<Diagnostic> {
        match self.render_seite(&self.plan[i]) {
            Ok((html, diags)) => {
                ziel.abgeben(Output {
                    path: routes::file_of(&self.pfade[i]),
                    content: Content::Bytes(html),
                });
                diags
            }
            Err(d) => vec![*d],
        }
    }

    /// Makes the data files and the OParl export and hands each file to `ziel`. Returns
    /// their sizes, for `/daten/`.
    fn daten_machen(&self, ziel: &dyn Ziel) -> Erzeugt {
        let p = &*self.portal;
        let vermessen = Vermessen {
            ziel,
            groessen: Mutex::new(Vec::new()),
        };
        // The data files go out while the export is still being made: at 100,000
        // projects they are 100 MB that would otherwise wait beside it.
        let ((), umfang) = rayon::join(
            || {
                daten::outputs(p)
                    .into_par_iter()
                    .for_each(|o| vermessen.abgeben(o))
            },
            || oparl::abgeben(p, self.pdfs(), &self.bilder, &vermessen),
        );
        Erzeugt {
            groessen: vermessen
                .groessen
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .into_iter()
                .collect(),
            oparl: umfang,
        }
    }

    /// [`Site::daten_machen`] for a build, keeping only the sizes. Returns the links of
    /// the texts into the export that name none of its files.
    fn daten_abgeben(&self, ziel: &dyn Ziel) -> Vec<Diagnostic> {
        let erzeugt = self.daten_machen(ziel);
        // Every file of the export is made here as bytes, so each has its size noted.
        let fehlend = self
            .texts
            .all()
            .flat_map(|r| &r.offen)
            .filter(|(datei, _)| !erzeugt.groessen.contains_key(datei))
            .map(|(_, d)| d.clone())
            .collect();
        let _ = self.daten.set((Vec::new(), erzeugt));
        fehlend
    }

    /// Problems found while preparing (in the Markdown texts).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

/// Renders the whole portal into `ziel`; `pdfs` are the generated PDFs of the Vorlagen
/// and `bilder` the processed photos (none of either for `check`), `code` the code blocks
/// highlighted before. Diagnostics are broken links in Markdown and template errors.
pub fn render(
    portal: impl Into<Arc<Portal>>,
    theme: impl Into<Arc<Theme>>,
    pdfs: Pdfs,
    bilder: Bilder,
    code: Arc<highlight::Codevorrat>,
    ziel: &dyn Ziel,
) -> Vec<Diagnostic> {
    Site::mit_bildern(
        portal.into(),
        theme.into(),
        PdfQuelle::Fertig(pdfs),
        bilder,
        code,
        None,
        Projekttexte::MitDerSeite,
    )
    .render_alles(ziel)
}

/// Renders every Markdown text of the portal. A text whose source file was not read
/// again since `frueher` (the same `Arc`) is taken from there; the caller makes sure the
/// pages and files, which links are checked against, are the same.
fn render_texts(
    p: &Portal,
    md: &MarkdownRenderer,
    frueher: Option<&Site>,
    projekttexte: Projekttexte,
) -> Texts {
    fn each<T: Entity + Sync>(
        p: &Portal,
        md: &MarkdownRenderer,
        route: fn(&Portal, Id<T>) -> String,
        meta: fn(&T) -> &Meta,
        frueher: Option<(&Portal, &[Arc<Rendered>])>,
    ) -> Vec<Arc<Rendered>> {
        (0..T::count(p))
            .into_par_iter()
            .map(|i| {
                let id = Id::new(i);
                let Some(text) = &meta(&p[id]).text else {
                    return Arc::default();
                };
                if let Some((vp, vr)) = frueher
                    && let Some(alt) = &meta(&vp[id]).text
                    && Arc::ptr_eq(&alt.file, &text.file)
                    && let Some(r) = vr.get(i)
                {
                    return r.clone();
                }
                Arc::new(md.render(text, &route(p, id), ""))
            })
            .collect()
    }
    let f = |texts: fn(&Texts) -> &[Arc<Rendered>]| frueher.map(|s| (&*s.portal, texts(&s.texts)));
    Texts {
        stadtteile: each(p, md, routes::stadtteil, |x| &x.meta, f(|t| &t.stadtteile)),
        ags: each(p, md, routes::ag, |x| &x.meta, f(|t| &t.ags)),
        projekte: match projekttexte {
            Projekttexte::Vorab => each(p, md, routes::projekt, |x| &x.meta, f(|t| &t.projekte)),
            Projekttexte::MitDerSeite => Vec::new(),
        },
        foren: each(p, md, routes::forum, |x| &x.meta, f(|t| &t.foren)),
        vorlagen: each(p, md, routes::vorlage, |x| &x.meta, f(|t| &t.vorlagen)),
        seiten: each(p, md, routes::seite, |x| &x.meta, f(|t| &t.seiten)),
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

fn global(portal: &Portal) -> Global {
    let config = &portal.config;
    Global {
        titel: config.titel.clone(),
        stadt: config.stadt.clone(),
        beschreibung: config.beschreibung.clone(),
        base: config.base_url.path().to_string(),
        base_url: config.base_url.url().to_string(),
        sprache: config.sprache.clone(),
        generator: concat!("quartier ", env!("CARGO_PKG_VERSION")),
    }
}

/// Loads the theme the portal names (falling back to the built-in default theme).
pub fn load_theme(root: &Path, portal: &Portal) -> Result<Theme, Vec<Diagnostic>> {
    let config = &portal.config;
    Theme::load(
        root,
        &config.theme,
        config.locate(&["theme"]),
        &global(portal),
        &pages::navigation(portal),
    )
}

/// What a loaded theme depends on besides its files: a theme loaded for a portal with the
/// same key can be used again (by `serve`).
pub fn theme_schluessel(portal: &Portal) -> String {
    serde_json::json!([
        portal.config.theme,
        global(portal),
        pages::navigation(portal)
    ])
    .to_string()
}
