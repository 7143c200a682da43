//! quartier: a static site generator for transparency portals about neighbourhood work
//! (Gemeinwesenarbeit).
//!
//! A build runs four stages, each in its own module:
//!
//! 1. [`load`]: walk `content/`, split Markdown front matter, parse YAML;
//! 2. [`resolve`]: read every entity field by field, link slugs into one [`model::Portal`],
//!    validate;
//! 3. [`render`]: pages (and later feeds, maps, PDFs, data files), in parallel;
//! 4. [`write`]: swap the complete output into place atomically.
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s in German, for editors.

pub mod ablage;
pub mod ci;
pub mod collate;
pub mod config;
pub mod create;
pub mod diagnostics;
pub mod import;
pub mod load;
pub mod model;
#[doc(hidden)]
pub mod pruefstand;
pub mod render;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod sicherheit;
pub mod slug;
pub mod speicher;
pub mod stand;
pub mod synth;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use render::Ziel as _;

use diagnostics::{Code, Diagnostic, Diagnostics, Location};

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root: the folder with `portal.yaml` and `content/`.
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of `portal.yaml` (for previews).
    pub base_url: Option<String>,
    /// Include entities marked `entwurf: true`.
    pub drafts: bool,
    /// "Today", for upcoming dates; default: `SOURCE_DATE_EPOCH` or the current date in
    /// Magdeburg.
    pub heute: Option<Date>,
}

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            out: None,
            base_url: None,
            drafts: false,
            heute: None,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Diagnostics,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output (pages, copied files, theme files).
    pub files: usize,
    /// Where the output was written, if it was.
    pub written: Option<PathBuf>,
    pub duration: Duration,
    /// How long each stage took, in order (`quartier build --zeiten` prints them).
    pub zeiten: Vec<Stufe>,
    /// PDFs of Vorlagen generated in this run, and reused from the cache.
    pub pdf_erzeugt: usize,
    pub pdf_aus_cache: usize,
    /// Photos processed in this run, and reused from the cache.
    pub bilder_erzeugt: usize,
    pub bilder_aus_cache: usize,
}

impl Report {
    /// 0: fine; 1: content errors; 2: configuration or usage errors.
    pub fn exit_code(&self) -> i32 {
        if self.diagnostics.has_configuration_errors() {
            2
        } else if self.diagnostics.has_errors() {
            1
        } else {
            0
        }
    }
}

/// One stage of a run and what it cost.
#[derive(Debug, Clone, Copy)]
pub struct Stufe {
    pub name: &'static str,
    /// Wall-clock time.
    pub dauer: Duration,
    /// CPU time of the whole process (all threads, user and kernel) during the stage;
    /// `None` where the system does not tell. More than `dauer` means the stage kept
    /// several cores busy.
    pub cpu: Option<Duration>,
    /// Resident memory at the end of the stage and the peak of the run so far, in bytes
    /// (see [`speicher`]).
    pub resident: Option<(u64, u64)>,
    /// Heap held at the end of the stage and its peak during the stage, in bytes; only in
    /// a binary built with `--features heapzaehler`.
    pub heap: Option<(u64, u64)>,
}

/// CPU time this process has used so far, all threads, user and kernel (from
/// `/proc/self/stat`, in clock ticks: 10 ms on most systems).
pub fn prozess_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let mut felder = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    // After the name: state is field 3, utime field 14 and stime field 15.
    let utime: u64 = felder.nth(11)?.parse().ok()?;
    let stime: u64 = felder.next()?.parse().ok()?;
    let ticks = rustix::param::clock_ticks_per_second();
    Some(Duration::from_secs_f64(
        (utime + stime) as f64 / ticks as f64,
    ))
}

/// Validates content and internal links without writing anything.
pub fn check(options: &Options) -> Report {
    run(options, false)
}

/// Validates, then renders the whole portal and swaps it into the output folder. On any
/// error nothing is written.
pub fn build(options: &Options) -> Report {
    run(options, true)
}

fn run(options: &Options, write_output: bool) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    let root = &options.root;
    let mut stage = (Instant::now(), prozess_cpu());
    let mut lap = |report: &mut Report, name: &'static str| {
        let cpu = prozess_cpu();
        report.zeiten.push(Stufe {
            name,
            dauer: stage.0.elapsed(),
            cpu: cpu
                .zip(stage.1)
                .map(|(jetzt, vorher)| jetzt.saturating_sub(vorher)),
            resident: speicher::resident(),
            heap: speicher::heap(),
        });
        stage = (Instant::now(), cpu);
    };
    let out = options.out_dir();
    let out_ok = write_output
        && match ausgabe_pruefen(root, &out) {
            Ok(()) => true,
            Err(d) => {
                report.diagnostics.push(*d);
                false
            }
        };
    // The staging folder of a rebuild is opened beside loading and resolving, which leave
    // a core idle at times: that takes its lock and reads the state of every file in it
    // (30,000 at 10,000 projects), and changes nothing. A staging folder still to be made
    // waits until the content is known to be sound.
    let cache = write::cache_ordner(root);
    let vorab = out_ok.then(|| {
        let (out, cache) = (out.clone(), cache.clone());
        std::thread::spawn(move || write::Ausgabe::oeffnen_wenn_da(&out, Some(&cache)))
    });
    let (config, config_diags) = config::load(root, options.base_url.as_deref());
    report.diagnostics.extend(config_diags);
    let grenzen = config
        .as_ref()
        .and_then(|c| c.karte.grenzen.as_deref())
        .map(|g| g.trim_start_matches("./"));
    // The git history is read by one process while the content loads.
    let staende = write_output.then(|| stand::starten(root));
    // A build keeps the parsed YAML of its content for the next one: a rebuild parses
    // only the files that changed. `check`, and a build refused for its output folder,
    // write nothing and parse everything.
    let loaded = if out_ok {
        let ort = yaml::Vorrat::ort(root);
        let vorrat = yaml::Vorrat::laden(&ort);
        let loaded = load::load(root, grenzen.as_slice(), Some(&vorrat));
        vorrat.speichern(&ort);
        loaded
    } else {
        load::load(root, grenzen.as_slice(), None)
    };
    lap(&mut report, "laden");
    // Without a usable portal.yaml the content is still checked, with a stand-in
    // configuration, so that one run reports every problem. Nothing is written then.
    let config = config.unwrap_or_else(config::Config::ersatz);
    let resolve_options = resolve::Options {
        drafts: options.drafts,
        heute: options.heute.unwrap_or_else(heute),
    };
    let (mut portal, diags) = resolve::resolve(config, loaded, &resolve_options);
    if let Some(lauf) = staende {
        portal.staende = Arc::new(lauf.ernten());
    }
    report.diagnostics.extend(diags);
    lap(&mut report, "auflösen");
    // PDFs only for a build that may write (`check` writes nothing), and only when the
    // content is sound: a failing build wastes no time on them.
    let pdfs = if write_output && !report.diagnostics.has_errors() {
        let (pdfs, diags) =
            render::pdf::Pdfs::render(&portal, Some(&render::pdf::cache_ordner(root)));
        report.diagnostics.extend(diags);
        report.pdf_aus_cache = pdfs.aus_cache;
        report.pdf_erzeugt = pdfs.erzeugt;
        pdfs
    } else {
        render::pdf::Pdfs::keine(&portal)
    };
    lap(&mut report, "pdf");
    // Photos likewise: only for a build, and only for sound content. A broken image is
    // an error, so nothing is written then.
    let bilder = if write_output && !report.diagnostics.has_errors() {
        let (bilder, diags) =
            render::bilder::Bilder::render(&portal, Some(&render::bilder::cache_ordner(root)));
        report.diagnostics.extend(diags);
        report.bilder_aus_cache = bilder.aus_cache;
        report.bilder_erzeugt = bilder.erzeugt;
        bilder
    } else {
        render::bilder::Bilder::keine(&portal)
    };
    lap(&mut report, "bilder");
    // Files go straight into the staging folder as they are rendered: only a build
    // that writes, and only for sound content. Nothing reaches `out` before the swap.
    let vorab = vorab.and_then(|h| h.join().ok()).flatten();
    let ausgabe = if write_output && !report.diagnostics.has_errors() {
        match vorab.unwrap_or_else(|| write::Ausgabe::oeffnen(&out, Some(&cache))) {
            Ok(a) => Some(a),
            Err(e) => {
                report.diagnostics.push(schreibfehler(root, e));
                None
            }
        }
    } else {
        // Nothing is written: a staging folder opened beside loading is let go at once.
        drop(vorab);
        None
    };
    // Opening links the published files into a new staging folder (the second build):
    // its own share. A rebuild has opened its staging folder beside loading.
    lap(&mut report, "ausgabe");
    let ziel = Zaehler {
        ausgabe: ausgabe.as_ref(),
        seiten: AtomicUsize::new(0),
        dateien: AtomicUsize::new(0),
    };
    // The search index, only for a build that writes and only when the content is sound.
    if ausgabe.is_some() {
        render::suche::outputs(&portal)
            .into_par_iter()
            .for_each(|o| ziel.abgeben(o));
    }
    lap(&mut report, "suche");
    // Rendering runs even after errors: it checks the links in every text and the theme.
    // Code blocks highlighted by the last build are taken from its store (`check` reads
    // it too, and writes nothing).
    let code_ort = render::highlight::Codevorrat::ort(root);
    let code = Arc::new(render::highlight::Codevorrat::laden(&code_ort));
    match render::load_theme(root, &portal) {
        Ok(theme) => {
            let diags = render::render(portal, theme, pdfs, bilder, code.clone(), &ziel);
            report.diagnostics.extend(diags);
        }
        Err(diags) => report.diagnostics.extend(diags),
    }
    if out_ok && let Some(code) = Arc::into_inner(code) {
        code.speichern(&code_ort);
    }
    report.pages = ziel.seiten.into_inner();
    report.files = ziel.dateien.into_inner();
    lap(&mut report, "darstellen");
    let Some(ausgabe) = ausgabe else {
        return finish(report, started);
    };
    if report.diagnostics.has_errors() {
        ausgabe.verwerfen();
        return finish(report, started);
    }
    let written = ausgabe.tauschen();
    lap(&mut report, "schreiben");
    match written {
        Ok(()) => report.written = Some(out),
        Err(e) => report.diagnostics.push(schreibfehler(root, e)),
    }
    finish(report, started)
}

/// Counts what rendering hands over and passes it on to the output folder, if any.
struct Zaehler<'a> {
    ausgabe: Option<&'a write::Ausgabe>,
    seiten: AtomicUsize,
    dateien: AtomicUsize,
}

impl render::Ziel for Zaehler<'_> {
    fn abgeben(&self, output: render::Output) {
        if output.path.ends_with(".html") {
            self.seiten.fetch_add(1, Ordering::Relaxed);
        }
        self.dateien.fetch_add(1, Ordering::Relaxed);
        if let Some(a) = self.ausgabe {
            a.schreiben(&output);
        }
    }
}

fn schreibfehler(root: &Path, e: write::WriteError) -> Diagnostic {
    if let write::WriteError::Lesen(quelle, grund) = &e {
        let rel = quelle.strip_prefix(root).unwrap_or(quelle);
        let text = format!(
            "die Datei kann nicht gelesen werden: {}",
            write::io_text(grund)
        );
        return Diagnostic::new(Code::DateiUnlesbar, text)
            .at(Location::file(rel.to_string_lossy().into_owned()))
            .hint("Prüfen Sie die Zugriffsrechte der Datei.");
    }
    let hint = match e {
        write::WriteError::Fremd(_) => {
            "Wählen Sie mit --out einen leeren oder von quartier erzeugten Ordner."
        }
        write::WriteError::Belegt(_) => "Warten Sie, bis der andere Build fertig ist.",
        write::WriteError::Io(..) | write::WriteError::Lesen(..) => {
            "Prüfen Sie Schreibrechte und freien Speicherplatz."
        }
        write::WriteError::Pfad(_) => {
            "Benennen Sie die Datei um, aus der dieser Pfad entsteht (nur Buchstaben, Ziffern, '-', '_' und '.'); bleibt der Fehler, melden Sie ihn bitte."
        }
    };
    Diagnostic::new(Code::AusgabeUngueltig, e.to_string()).hint(hint)
}

fn finish(mut report: Report, started: Instant) -> Report {
    report.diagnostics.sort();
    report.duration = started.elapsed();
    report
}

/// Whether a build may write to `out`: a folder outside the portal's sources
/// ([`check_out_dir`]) that is empty or quartier's own ([`write::pruefen`]).
fn ausgabe_pruefen(root: &Path, out: &Path) -> Result<(), Box<Diagnostic>> {
    check_out_dir(root, out)?;
    write::pruefen(out).map_err(|e| Box::new(schreibfehler(root, e)))
}

/// The output folder must not contain the portal or lie inside its sources: the swap
/// would replace them.
fn check_out_dir(root: &Path, out: &Path) -> Result<(), Box<Diagnostic>> {
    let canonical = |p: &Path| -> PathBuf {
        if let Ok(c) = p.canonicalize() {
            return c;
        }
        match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => parent
                .canonicalize()
                .unwrap_or_else(|_| parent.to_path_buf())
                .join(name),
            _ => std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf()),
        }
    };
    let root = canonical(root);
    let out = canonical(out);
    let inside_sources = ["content", "themes"]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources || out == root.join("portal.yaml") {
        return Err(Box::new(
            Diagnostic::new(
                Code::AusgabeUngueltig,
                format!(
                    "der Ausgabeordner '{}' würde das Portal überschreiben",
                    out.display()
                ),
            )
            .at(Location::file("portal.yaml"))
            .hint("Wählen Sie mit --out einen eigenen Ordner, z. B. public/."),
        ));
    }
    Ok(())
}

/// Today in Magdeburg, or the day of `SOURCE_DATE_EPOCH` for reproducible builds.
pub fn heute() -> Date {
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap_or(jiff::tz::TimeZone::UTC);
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned_datetime(tz).date()
}
