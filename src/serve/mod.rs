//! `quartier serve`: a live preview for editors.
//!
//! The portal is built in memory (nothing is written to `public/`), served from
//! 127.0.0.1, and built again after every change to `portal.yaml`, `content/` or
//! `themes/`. Open tabs reload themselves; while the content has errors they keep the
//! last good version and show the diagnostics over it.
//!
//! Three parts: [`vorschau`] runs the stages again, reusing what a change did not touch;
//! [`http`] answers requests, rendering pages when they are asked for; the watcher here
//! collects file events into one change.

pub mod http;
pub mod vorschau;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tokio::sync::watch;

use crate::render::format;
use http::{Meldung, Stand, Zustand};
use vorschau::Vorschau;

/// What `quartier serve` is asked to do.
#[derive(Debug, Clone)]
pub struct Optionen {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Print how long each stage of every run took (for measuring).
    pub zeiten: bool,
}

/// Events closer together than this are one change: editors that save through a
/// temporary file and a rename cause several, microseconds apart. Every millisecond here
/// is one the editor waits for the page; a change split in two is only a second run.
const RUHE: Duration = Duration::from_millis(5);
/// A change is handled at the latest this long after its first event, however busy the
/// folder is.
const HOECHSTENS: Duration = Duration::from_millis(500);

/// Runs the preview until the process is stopped. Returns the exit code.
pub fn serve(optionen: Optionen) -> i32 {
    let root = match optionen.root.canonicalize() {
        Ok(r) => r,
        Err(_) => {
            eprintln!(
                "Fehler: der Ordner '{}' existiert nicht. Geben Sie mit --root den Ordner des Portals an.",
                optionen.root.display()
            );
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Fehler: der Server kann nicht starten: {e}");
            return 2;
        }
    };
    let adresse = SocketAddr::new(optionen.bind, optionen.port);
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(adresse)) {
        Ok(l) => l,
        Err(e) => {
            let hinweis = if e.kind() == std::io::ErrorKind::AddrInUse {
                "Der Port ist belegt; wählen Sie mit --port einen anderen."
            } else {
                "Prüfen Sie --bind und --port."
            };
            eprintln!("Fehler: {adresse} kann nicht geöffnet werden: {e}. {hinweis}");
            return 2;
        }
    };
    let lokal = listener.local_addr().unwrap_or(adresse);
    let host = match lokal.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let origin = format!("http://{host}:{}", lokal.port());

    let mut vorschau = Vorschau::new(&root, origin.clone(), optionen.drafts);
    let lauf = vorschau.lauf(&[]);
    let basis = lauf
        .site
        .as_ref()
        .map(|s| s.portal().config.base_url.path().to_string())
        .or_else(|| basis_aus_portal_yaml(&root))
        .unwrap_or_else(|| "/".into());
    let (stand_tx, _) = watch::channel(None);
    let (meldung_tx, _) = watch::channel(Meldung::default());
    let zustand = Arc::new(Zustand {
        stand: stand_tx,
        meldung: meldung_tx,
        basis: basis.clone(),
        zuletzt: Default::default(),
    });
    let mut nummer = 0;
    melden(&zustand, lauf, &mut nummer, optionen.zeiten);

    let url = format!("{origin}{basis}");
    // The first line on stdout is the address, for people and for scripts.
    println!("Vorschau: {url}");
    eprintln!("Beobachtet portal.yaml, content/ und themes/. Beenden mit Strg+C.");
    if optionen.open && opener::open(&url).is_err() {
        eprintln!("Hinweis: der Browser konnte nicht geöffnet werden; öffnen Sie {url} selbst.");
    }

    let (tx, rx) = mpsc::channel();
    let watcher = match beobachten(&root, tx.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "Fehler: Änderungen in '{}' können nicht beobachtet werden: {e}",
                root.display()
            );
            return 2;
        }
    };
    let z = zustand.clone();
    let r = root.clone();
    let zeiten = optionen.zeiten;
    std::thread::spawn(move || {
        let mut watcher = watcher;
        while let Some((geaendert, seit)) = naechste_aenderung(&rx, &r) {
            // content/ or themes/ made (or made again) after the start is watched from
            // now on. Only then: watching again walks the whole tree.
            let oben = ["content", "themes"].map(|f| r.join(f));
            if geaendert.iter().any(|p| oben.contains(p)) {
                let _ = watch_folders(&mut watcher, &r);
            }
            let warten = seit.elapsed();
            let mut lauf = vorschau.lauf(&geaendert);
            lauf.zeiten.insert(0, ("warten", warten));
            melden(&z, lauf, &mut nummer, zeiten);
        }
    });

    let app = http::router(zustand);
    let ergebnis = runtime.block_on(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    });
    match ergebnis {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("Fehler: der Server ist ausgefallen: {e}");
            1
        }
    }
}

/// Publishes the outcome of a run: a new version, or the problems that keep it back.
fn melden(zustand: &Zustand, lauf: vorschau::Lauf, nummer: &mut u64, zeiten: bool) {
    lauf.diagnostics.print();
    if zeiten {
        let teile: Vec<String> = lauf
            .zeiten
            .iter()
            .map(|(stufe, d)| format!("{stufe} {} ms", d.as_millis()))
            .collect();
        eprintln!("Zeiten: {}", teile.join(" · "));
    }
    let ms = lauf.dauer.as_millis();
    let mut fehler: Vec<String> = lauf
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false))
        .collect();
    match lauf.site {
        Some(site) => {
            *nummer += 1;
            let stand = Arc::new(Stand::new(*nummer, site));
            // The pages open in tabs first, so that their reload is answered at once; a
            // template error shows in them as in a build.
            let begonnen = Instant::now();
            for seite in zustand.voraus() {
                if let Some(g) = stand.seite(&seite)
                    && let http::Gerendert::Fehler(f) = &*g
                    && !fehler.contains(f)
                {
                    fehler.push(f.clone());
                }
            }
            if fehler.is_empty() {
                zustand.stand.send_replace(Some(stand));
            }
            eprintln!(
                "Aktualisiert in {} ms ({}; {} Seite(n) vorab in {} ms).",
                format::zahl(ms as u64),
                lauf.diagnostics.summary(),
                zustand.voraus().len(),
                begonnen.elapsed().as_millis()
            );
        }
        None => eprintln!(
            "Nicht aktualisiert ({}). Die Vorschau zeigt weiter den letzten fehlerfreien Stand.",
            lauf.diagnostics.summary()
        ),
    }
    let stand = zustand.stand.borrow().as_ref().map_or(0, |s| s.nummer);
    zustand.meldung.send_replace(Meldung { stand, fehler });
}

/// The sub-path of `base_url`, read on its own when the portal has errors at the start.
fn basis_aus_portal_yaml(root: &Path) -> Option<String> {
    let (config, _) = crate::config::load(root, None);
    config.map(|c| c.base_url.path().to_string())
}

type Ereignis = notify::Result<notify::Event>;

fn beobachten(
    root: &Path,
    tx: mpsc::Sender<Ereignis>,
) -> notify::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    })?;
    // The root itself without its subfolders: `portal.yaml` (also when an editor saves it
    // by renaming a new file over it) and folders made later; not `public/`.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    watch_folders(&mut watcher, root)?;
    Ok(watcher)
}

fn watch_folders(watcher: &mut notify::RecommendedWatcher, root: &Path) -> notify::Result<()> {
    for folder in ["content", "themes"] {
        let dir = root.join(folder);
        if dir.is_dir() {
            // Watching a folder twice is harmless; a folder that went away is not.
            let _ = watcher.unwatch(&dir);
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Waits for the next change that matters and returns the files it touched; `None` when
/// the watcher is gone.
fn naechste_aenderung(
    rx: &mpsc::Receiver<Ereignis>,
    root: &Path,
) -> Option<(Vec<PathBuf>, Instant)> {
    loop {
        let erstes = rx.recv().ok()?;
        let begonnen = Instant::now();
        let mut pfade = Vec::new();
        sammeln(erstes, root, &mut pfade);
        while begonnen.elapsed() < HOECHSTENS {
            match rx.recv_timeout(RUHE) {
                Ok(e) => sammeln(e, root, &mut pfade),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        if !pfade.is_empty() {
            pfade.sort();
            pfade.dedup();
            return Some((pfade, begonnen));
        }
    }
}

fn sammeln(e: Ereignis, root: &Path, pfade: &mut Vec<PathBuf>) {
    let Ok(e) = e else {
        // The watcher lost track (too many events): read everything again.
        pfade.push(root.join("content"));
        return;
    };
    if e.kind.is_access() {
        return;
    }
    pfade.extend(e.paths.into_iter().filter(|p| zaehlt(p, root)));
}

/// Whether a changed path can change the portal: `portal.yaml`, and files under
/// `content/` and `themes/` but not editors' temporary and backup files.
fn zaehlt(path: &Path, root: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel == Path::new("portal.yaml") {
        return true;
    }
    if !(rel.starts_with("content") || rel.starts_with("themes")) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporaer = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    !temporaer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_theme_and_portal_yaml_count() {
        let root = Path::new("/p");
        assert!(zaehlt(Path::new("/p/portal.yaml"), root));
        assert!(zaehlt(Path::new("/p/content/projekte/a.md"), root));
        assert!(zaehlt(Path::new("/p/themes/x/templates/base.html"), root));
        assert!(!zaehlt(Path::new("/p/public/index.html"), root));
        assert!(!zaehlt(Path::new("/p/.quartier-cache/pdf/x.pdf"), root));
        assert!(!zaehlt(Path::new("/p/content/projekte/.a.md.swp"), root));
        assert!(!zaehlt(Path::new("/p/content/projekte/a.md~"), root));
        assert!(!zaehlt(Path::new("/p/content/projekte/4913"), root));
        assert!(!zaehlt(Path::new("/elsewhere/content/a.md"), root));
    }
}
