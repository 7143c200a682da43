//! The `quartier` command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jiff::civil::Date;

mod befehlszeile;

use quartier::create::{self, Typ};
use quartier::render::format;

/// A build allocates many small strings on all cores at once; with glibc's allocator a
/// quarter of the build time went into its bookkeeping.
#[cfg(not(feature = "heapzaehler"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `--features heapzaehler`: the same allocator, counting the bytes held, so that
/// `--zeiten` can tell the heap from what the allocator keeps (see `quartier::speicher`).
#[cfg(feature = "heapzaehler")]
#[global_allocator]
static ALLOCATOR: quartier::speicher::Zaehlend<mimalloc::MiMalloc> =
    quartier::speicher::Zaehlend(mimalloc::MiMalloc);

/// Baut ein Transparenzportal zur Gemeinwesenarbeit aus Markdown und YAML.
#[derive(Parser)]
#[command(name = "quartier", version, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inhalte prüfen und das ganze Portal nach public/ schreiben.
    Build {
        /// Ordner des Portals (mit portal.yaml und content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Ausgabeordner (Standard: <root>/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Öffentliche Adresse statt base_url aus portal.yaml (für Vorschauen).
        #[arg(long = "base-url")]
        base_url: Option<String>,
        /// Auch Entwürfe (entwurf: true) veröffentlichen.
        #[arg(long)]
        drafts: bool,
        /// Stichtag für „kommende Termine“ (JJJJ-MM-TT; Standard: heute).
        #[arg(long, hide = true)]
        heute: Option<Date>,
        /// Dauer jeder Stufe ausgeben (für Messungen).
        #[arg(long, hide = true)]
        zeiten: bool,
    },
    /// Inhalte und interne Links prüfen, ohne etwas zu schreiben.
    Check {
        /// Ordner des Portals (mit portal.yaml und content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Auch Entwürfe (entwurf: true) prüfen wie veröffentlichte Inhalte.
        #[arg(long)]
        drafts: bool,
        /// Form der Meldungen auf der Standardausgabe (für CI): text, github, gitlab,
        /// markdown oder json. Die Meldungen für Menschen stehen immer auf stderr.
        #[arg(long, value_enum, default_value = "text")]
        format: quartier::ci::Format,
        /// Dauer jeder Stufe ausgeben (für Messungen).
        #[arg(long, hide = true)]
        zeiten: bool,
    },
    /// Vorschau im Browser: baut das Portal, zeigt es unter 127.0.0.1 und baut nach jeder
    /// Änderung neu; offene Seiten laden sich selbst neu.
    Serve {
        /// Ordner des Portals (mit portal.yaml und content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port (0: ein freier).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Adresse, an der die Vorschau erreichbar ist; andere als 127.0.0.1 machen sie
        /// für andere Rechner sichtbar.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Die Vorschau im Browser öffnen.
        #[arg(long)]
        open: bool,
        /// Auch Entwürfe (entwurf: true) zeigen.
        #[arg(long)]
        drafts: bool,
        /// Dauer jeder Stufe ausgeben (für Messungen).
        #[arg(long, hide = true)]
        zeiten: bool,
    },
    /// Eine neue Inhaltsdatei aus einer Vorlage anlegen.
    New {
        /// stadtteil, ag, projekt, forum, vorlage oder seite.
        typ: Typ,
        /// Titel bzw. Name (bei Vorlagen: das Thema).
        titel: String,
        /// Ordner des Portals.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Stadtteil (Slug); mehrfach möglich.
        #[arg(long = "stadtteil")]
        stadtteile: Vec<String>,
        /// Förderjahr eines Projekts (Standard: dieses Jahr).
        #[arg(long)]
        jahr: Option<i16>,
        /// AG (Slug), die ein Projekt koordiniert oder die eine Vorlage betrifft.
        #[arg(long)]
        ag: Option<String>,
        /// Datum (JJJJ-MM-TT) eines Forums oder einer Vorlage (Standard: heute).
        #[arg(long)]
        datum: Option<Date>,
        /// Nummer einer Vorlage (z. B. I0264/09) oder eines Stadtteils (z. B. 30).
        #[arg(long)]
        nummer: Option<String>,
        #[command(flatten)]
        felder: Box<create::Felder>,
    },
    /// JSON-Schemas der Inhaltsdateien und von portal.yaml schreiben (für Editoren mit
    /// YAML-Unterstützung: Vervollständigen, Erklärungen und Fehler beim Tippen).
    Schema {
        /// Ordner des Portals.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Zielordner (Standard: <root>/schema).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Eine Tabelle (CSV oder XLSX) als YAML-Liste nach content/ übernehmen.
    Import {
        #[command(subcommand)]
        was: Import,
    },
    /// Ein synthetisches Beispielportal für Last- und Geschwindigkeitstests erzeugen.
    #[command(hide = true)]
    Synth {
        /// Anzahl der Projekte (dazu ein Zehntel Vorlagen und ein Zwanzigstel Foren).
        #[arg(long)]
        projekte: usize,
        /// Startwert des Zufallsgenerators; gleicher Wert, gleiche Dateien.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Leerer (oder noch nicht vorhandener) Ordner für das neue Portal.
        #[arg(long)]
        out: PathBuf,
        /// Dasselbe Portal als quartier-Portal, Hugo- oder Zola-Website (für den Vergleich).
        #[arg(long, value_enum, default_value_t = quartier::synth::Format::Quartier)]
        format: quartier::synth::Format,
    },
}

#[derive(Subcommand)]
enum Import {
    /// Projekte aus einer Tabelle des Initiativfonds nach content/projekte/<name>.yaml;
    /// Spalten nach Überschrift (Titel/Projekt, Stadtteil, Jahr, Betrag/Fördersumme,
    /// Teilnehmende, Träger, AG, Von, Bis, Status, Adresse, Ziele, Beschreibung).
    /// Schreibt nichts, wenn eine Zeile fehlerhaft ist.
    Projekte {
        /// Die Tabelle: .csv (UTF-8 oder Windows-1252, Trennzeichen ; oder ,) oder .xlsx.
        datei: PathBuf,
        /// Ordner des Portals.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Förderjahr für Zeilen ohne Jahr (oder Tabellen ohne Spalte „Jahr“).
        #[arg(long)]
        jahr: Option<i32>,
        /// Name der neuen Datei in content/projekte/ (Standard: Name der Tabelle).
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let text = befehlszeile::meldung(&e);
            // Help and version go to stdout with 0, usage errors to stderr with 2.
            if e.use_stderr() {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    if matches!(cli.command, Command::Build { .. } | Command::Check { .. }) {
        // A build frees and reuses memory at a high rate; with transparent huge pages
        // every region the allocator handed back was faulted in again and zeroed 2 MB at
        // a time (more kernel time, ~10 % more peak memory). `serve`, which allocates
        // little per change, is quicker with them. Where this fails, nothing changes.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
    let code = match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            heute,
            zeiten,
        } => {
            let mut options = quartier::Options::new(root);
            options.out = out;
            options.base_url = base_url;
            options.drafts = drafts;
            options.heute = heute;
            let report = quartier::build(&options);
            if zeiten {
                print_zeiten(&report);
            }
            report.diagnostics.print();
            let secs = format::dezimal(report.duration.as_secs_f64(), 2);
            match (&report.written, report.exit_code()) {
                (Some(out), 0) => {
                    print_bilder(&report);
                    eprintln!(
                        "Fertig: {} Seiten, {} Dateien nach {} geschrieben in {secs} s ({}).",
                        format::zahl(report.pages as u64),
                        format::zahl(report.files as u64),
                        out.display(),
                        report.diagnostics.summary()
                    )
                }
                _ => eprintln!(
                    "Abgebrochen: {}. Es wurde nichts geschrieben; die bisherige Ausgabe bleibt unverändert.",
                    report.diagnostics.summary()
                ),
            }
            report.exit_code()
        }
        Command::Check {
            root,
            drafts,
            format,
            zeiten,
        } => {
            let mut options = quartier::Options::new(root);
            options.drafts = drafts;
            let report = quartier::check(&options);
            if zeiten {
                print_zeiten(&report);
            }
            report.diagnostics.print();
            if let Some(bericht) = quartier::ci::bericht(format, &report.diagnostics) {
                print!("{bericht}");
            }
            let secs = format::dezimal(report.duration.as_secs_f64(), 2);
            if report.exit_code() == 0 {
                eprintln!(
                    "Geprüft: {} Seiten in {secs} s, {}.",
                    format::zahl(report.pages as u64),
                    report.diagnostics.summary()
                );
            } else {
                eprintln!("Geprüft: {}.", report.diagnostics.summary());
            }
            report.exit_code()
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            zeiten,
        } => quartier::serve::serve(quartier::serve::Optionen {
            root,
            bind,
            port,
            open,
            drafts,
            zeiten,
        }),
        Command::New {
            typ,
            titel,
            root,
            stadtteile,
            jahr,
            ag,
            datum,
            nummer,
            felder,
        } => {
            let request = create::Request {
                typ,
                titel,
                stadtteile,
                jahr,
                ag,
                datum,
                nummer,
                felder: *felder,
            };
            match create::create(&root, &request, quartier::heute()) {
                Ok(path) => {
                    eprintln!("Angelegt: {}", path.display());
                    if request.felder.yaml && !root.join("schema").is_dir() {
                        eprintln!(
                            "Tipp: `quartier schema` legt den Ordner schema/ an, auf den die Datei verweist; dann ergänzt und prüft der Editor beim Tippen."
                        );
                    }
                    0
                }
                Err(d) => {
                    eprintln!("{}", d.render(false));
                    if d.code.is_configuration() { 2 } else { 1 }
                }
            }
        }
        Command::Schema { root, out } => {
            let out = out.unwrap_or_else(|| root.join("schema"));
            match quartier::schema::schreiben(&out) {
                Ok(paths) => {
                    eprintln!(
                        "Geschrieben: {} Schemas nach {}",
                        paths.len(),
                        out.display()
                    );
                    0
                }
                Err(e) => {
                    eprintln!(
                        "Fehler: '{}' kann nicht geschrieben werden: {e}",
                        out.display()
                    );
                    1
                }
            }
        }
        Command::Import {
            was:
                Import::Projekte {
                    datei,
                    root,
                    jahr,
                    name,
                },
        } => {
            let auftrag = quartier::import::Auftrag { datei, jahr, name };
            match quartier::import::projekte(&root, &auftrag) {
                Ok(ergebnis) => {
                    for d in &ergebnis.warnungen {
                        eprintln!("{}", d.render(false));
                    }
                    eprintln!(
                        "Übernommen: {} Projekte nach {}",
                        format::zahl(ergebnis.projekte as u64),
                        ergebnis.datei.display()
                    );
                    0
                }
                Err(diagnostics) => {
                    let fehler = diagnostics.iter().filter(|d| d.is_error()).count();
                    let konfiguration = diagnostics.iter().any(|d| d.code.is_configuration());
                    for d in &diagnostics {
                        eprintln!("{}", d.render(false));
                    }
                    eprintln!("Abgebrochen: {fehler} Fehler. Es wurde nichts geschrieben.");
                    if konfiguration { 2 } else { 1 }
                }
            }
        }
        Command::Synth {
            projekte,
            seed,
            out,
            format,
        } => synth(projekte, seed, &out, format),
    };
    ExitCode::from(code as u8)
}

/// `quartier synth`: refuses a non-empty folder (exit 2), like `build` refuses to
/// overwrite foreign output.
fn synth(
    projekte: usize,
    seed: u64,
    out: &std::path::Path,
    format: quartier::synth::Format,
) -> i32 {
    let nicht_leer =
        out.is_file() || std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if nicht_leer {
        eprintln!(
            "Fehler: '{}' ist nicht leer. Geben Sie mit --out einen leeren oder neuen Ordner an.",
            out.display()
        );
        return 2;
    }
    match quartier::synth::generate_as(out, projekte, seed, format) {
        Ok(summary) => {
            eprintln!(
                "Erzeugt: {} Stadtteile, {} AGs, {} Projekte, {} Vorlagen, {} Stadtteilforen, {} Seiten ({} Dateien, {}) in {}.",
                format::zahl(summary.stadtteile as u64),
                format::zahl(summary.ags as u64),
                format::zahl(summary.projekte as u64),
                format::zahl(summary.vorlagen as u64),
                format::zahl(summary.foren as u64),
                format::zahl(summary.seiten as u64),
                format::zahl(summary.dateien as u64),
                format::dateigroesse(summary.bytes),
                out.display()
            );
            0
        }
        Err(e) if e.kind() == std::io::ErrorKind::DirectoryNotEmpty => {
            eprintln!("Fehler: {e}.");
            2
        }
        Err(e) => {
            eprintln!(
                "Fehler: '{}' kann nicht geschrieben werden: {e}",
                out.display()
            );
            1
        }
    }
}

/// One stage per line after `Zeiten:`, e.g. `  laden 0,41 s (CPU 0,64 s; Speicher 210 MB,
/// Spitze 215 MB)`; with `--features heapzaehler` also the heap held and its peak in the
/// stage. `benches/build.rs` reads the `pdf` line.
fn print_zeiten(report: &quartier::Report) {
    let mb = |b: u64| format::zahl(b / (1024 * 1024));
    let parts: Vec<String> = report
        .zeiten
        .iter()
        .map(|s| {
            let mut angaben = Vec::new();
            if let Some(cpu) = s.cpu {
                angaben.push(format!("CPU {} s", format::dezimal(cpu.as_secs_f64(), 2)));
            }
            if let Some((jetzt, spitze)) = s.resident {
                angaben.push(format!(
                    "Speicher {} MB, Spitze {} MB",
                    mb(jetzt),
                    mb(spitze)
                ));
            }
            if let Some((jetzt, spitze)) = s.heap {
                angaben.push(format!(
                    "Heap {} MB, in der Stufe bis {} MB",
                    mb(jetzt),
                    mb(spitze)
                ));
            }
            let dauer = format::dezimal(s.dauer.as_secs_f64(), 2);
            if angaben.is_empty() {
                format!("{} {dauer} s", s.name)
            } else {
                format!("{} {dauer} s ({})", s.name, angaben.join("; "))
            }
        })
        .collect();
    eprintln!("Zeiten:\n  {}", parts.join("\n  "));
    if report.pdf_erzeugt + report.pdf_aus_cache > 0 {
        eprintln!(
            "PDF: {} erzeugt, {} aus dem Zwischenspeicher",
            report.pdf_erzeugt, report.pdf_aus_cache
        );
    }
}

/// `Bilder: 3 verarbeitet, 12 aus dem Zwischenspeicher in 0,84 s`: photos are the one
/// stage whose cost an editor causes by uploading, so every build says what it took.
fn print_bilder(report: &quartier::Report) {
    if report.bilder_erzeugt + report.bilder_aus_cache == 0 {
        return;
    }
    let dauer = report
        .zeiten
        .iter()
        .find(|s| s.name == "bilder")
        .map_or(0.0, |s| s.dauer.as_secs_f64());
    eprintln!(
        "Bilder: {} verarbeitet, {} aus dem Zwischenspeicher in {} s",
        format::zahl(report.bilder_erzeugt as u64),
        format::zahl(report.bilder_aus_cache as u64),
        format::dezimal(dauer, 2)
    );
}
