//! The preview's own run of the stages: load → resolve → prepare, again after every
//! change, reusing what the change did not touch.
//!
//! A change costs: reading the changed files (the others keep their parsed YAML, see
//! [`load::Gelesen`]), resolving the portal, and rendering the Markdown texts of the
//! changed files (the others are lent by the previous [`Site`]). Pages are rendered only
//! when a browser asks for them (see [`super::http`]), so nothing of that grows with the
//! number of pages that did not change.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::render::{self, PdfQuelle, Site, Theme};
use crate::{config, load, resolve, stand};

/// The preview of one portal, kept between changes.
pub struct Vorschau {
    root: PathBuf,
    /// `http://127.0.0.1:1111`: where the preview is served, in front of the portal's
    /// own sub-path.
    adresse: String,
    drafts: bool,
    gelesen: load::Gelesen,
    gemerkt: resolve::Gemerkt,
    /// "Stand" from the git history, read once: edits in the preview are not commits.
    staende: Option<Arc<stand::Staende>>,
    git: Option<stand::Lauf>,
    /// The theme, kept until a file of it or `portal.yaml` changes.
    theme: Option<(Arc<Theme>, ThemeSchluessel)>,
    /// The last portal without errors.
    site: Option<Arc<Site>>,
    /// The code blocks the last build highlighted, read once: syntect keeps what it
    /// compiles for the rest of the process anyway.
    code: Arc<render::highlight::Codevorrat>,
}

/// What the compiled theme depends on besides its files ([`render::theme_schluessel`]).
type ThemeSchluessel = String;

/// The outcome of one run.
pub struct Lauf {
    /// The new site, if the portal has no errors.
    pub site: Option<Arc<Site>>,
    pub diagnostics: Diagnostics,
    pub dauer: Duration,
    /// How long each stage took (`serve --zeiten` prints them).
    pub zeiten: Vec<(&'static str, Duration)>,
}

impl Vorschau {
    /// `adresse` is where the preview is served (`http://127.0.0.1:1111`); the portal
    /// keeps the sub-path of its `base_url`, so the preview shows what the city's server
    /// will.
    pub fn new(root: &Path, adresse: String, drafts: bool) -> Vorschau {
        Vorschau {
            root: root.to_path_buf(),
            adresse,
            drafts,
            gelesen: load::Gelesen::default(),
            gemerkt: resolve::Gemerkt::default(),
            staende: None,
            git: Some(stand::starten(root)),
            theme: None,
            site: None,
            code: Arc::new(render::highlight::Codevorrat::laden(
                &render::highlight::Codevorrat::ort(root),
            )),
        }
    }

    /// Runs the stages. `geaendert` are the files that changed since the last run (none
    /// the first time): they are read again whatever their time stamps say.
    pub fn lauf(&mut self, geaendert: &[PathBuf]) -> Lauf {
        let started = Instant::now();
        let mut stage = Instant::now();
        let mut zeiten = Vec::new();
        let mut lap = |name: &'static str| {
            zeiten.push((name, stage.elapsed()));
            stage = Instant::now();
        };
        let mut diagnostics = Diagnostics::new();
        let mut theme_geaendert = self.theme.is_none();
        for path in geaendert {
            self.gelesen.vergessen(path);
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            if rel.starts_with("themes") || rel == Path::new("portal.yaml") {
                theme_geaendert = true;
            }
            // Entities are read again when their own file changes; anything else (a
            // boundaries file, portal.yaml, a lost watch) may change how all are read.
            let entity_file = load::Kind::ALL
                .iter()
                .any(|k| rel.starts_with(Path::new("content").join(k.folder())));
            if !entity_file {
                self.gemerkt.vergessen();
            }
        }
        let (mut config, diags) = config::load(&self.root, None);
        diagnostics.extend(diags);
        if let Some(c) = &mut config {
            let hier = format!("{}{}", self.adresse, c.base_url.path());
            if let Ok(b) = config::BaseUrl::parse(&hier) {
                c.base_url = b;
            }
        }
        let grenzen = config
            .as_ref()
            .and_then(|c| c.karte.grenzen.as_deref())
            .map(|g| g.trim_start_matches("./"));
        let loaded = load::load_mit(&self.root, grenzen.as_slice(), &mut self.gelesen);
        lap("laden");
        let Some(config) = config else {
            diagnostics.extend(loaded.diagnostics);
            return self.ende(None, diagnostics, started, zeiten);
        };
        let options = resolve::Options {
            drafts: self.drafts,
            heute: crate::heute(),
        };
        let (mut portal, diags) = resolve::resolve_mit(config, loaded, &options, &mut self.gemerkt);
        if let Some(git) = self.git.take() {
            self.staende = Some(Arc::new(git.ernten()));
        }
        portal.staende = self.staende.clone().unwrap_or_default();
        diagnostics.extend(diags);
        lap("auflösen");
        let schluessel = render::theme_schluessel(&portal);
        let theme = match &self.theme {
            Some((theme, alt)) if !theme_geaendert && *alt == schluessel => Some(theme.clone()),
            _ => match render::load_theme(&self.root, &portal) {
                Ok(theme) => {
                    let theme = Arc::new(theme);
                    self.theme = Some((theme.clone(), schluessel));
                    Some(theme)
                }
                Err(diags) => {
                    self.theme = None;
                    diagnostics.extend(diags);
                    None
                }
            },
        };
        lap("theme");
        let (Some(theme), false) = (theme, diagnostics.has_errors()) else {
            return self.ende(None, diagnostics, started, zeiten);
        };
        let site = Site::new(
            Arc::new(portal),
            theme,
            PdfQuelle::Bei(render::pdf::cache_ordner(&self.root)),
            self.code.clone(),
            self.site.as_deref(),
        );
        diagnostics.extend(site.diagnostics().iter().cloned());
        lap("vorbereiten");
        if diagnostics.has_errors() {
            return self.ende(None, diagnostics, started, zeiten);
        }
        let site = Arc::new(site);
        self.site = Some(site.clone());
        self.ende(Some(site), diagnostics, started, zeiten)
    }

    fn ende(
        &self,
        site: Option<Arc<Site>>,
        mut diagnostics: Diagnostics,
        started: Instant,
        zeiten: Vec<(&'static str, Duration)>,
    ) -> Lauf {
        diagnostics.sort();
        Lauf {
            site,
            diagnostics,
            dauer: started.elapsed(),
            zeiten,
        }
    }
}
