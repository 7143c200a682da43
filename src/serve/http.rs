//! The preview's web server: pages rendered on request from the current [`Stand`],
//! other files from memory or their source, live reload by server-sent events.
//!
//! Paths are never joined onto a folder: a request is answered only if its path is one
//! the portal generates, so `..`, encoded `%2e%2e` and symbolic links lead nowhere but to
//! the 404 page.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::sync::watch;
use tokio_stream::{Stream, StreamExt, wrappers::WatchStream};

use crate::render::{Content, Output, Site, routes};
use crate::sicherheit;

/// Where the preview's own files live, outside any portal's paths.
pub const PRAEFIX: &str = "/__quartier/";
const SKRIPT: &str = include_str!("vorschau.js");
const STIL: &str = include_str!("vorschau.css");
/// Shown while the portal has never been free of errors: the script shows them.
const OHNE_STAND: &str = include_str!("ohne-stand.html");

/// One version of the portal without errors, and what was rendered of it.
pub struct Stand {
    pub nummer: u64,
    pub site: Arc<Site>,
    seiten: Mutex<HashMap<String, Arc<Gerendert>>>,
    weitere: OnceLock<HashMap<String, Output>>,
    suchindex: OnceLock<HashMap<String, Output>>,
}

/// A rendered page, or the template error that stopped it.
pub enum Gerendert {
    Html(Vec<u8>),
    Fehler(String),
}

impl Stand {
    pub fn new(nummer: u64, site: Arc<Site>) -> Stand {
        Stand {
            nummer,
            site,
            seiten: Mutex::default(),
            weitere: OnceLock::new(),
            suchindex: OnceLock::new(),
        }
    }

    /// The page at `path` (`stadtteile/x/`), rendered once per version.
    pub fn seite(&self, path: &str) -> Option<Arc<Gerendert>> {
        if let Some(g) = self.seiten.lock().ok()?.get(path) {
            return Some(g.clone());
        }
        let page = self.site.seite(path)?;
        let g = Arc::new(match self.site.render_seite(&page) {
            Ok((html, _)) => Gerendert::Html(html),
            Err(d) => Gerendert::Fehler(d.render(false)),
        });
        if let Ok(mut seiten) = self.seiten.lock() {
            seiten.insert(path.to_string(), g.clone());
        }
        Some(g)
    }

    /// Any other file at `path` (`css/quartier.css`, `termine.ics`).
    fn datei(&self, path: &str) -> Option<Output> {
        if let Some(o) = self.site.datei(path) {
            return Some(o);
        }
        // Calendars, feeds, data files, PDFs: made together, when the first is asked for;
        // so are the files of the search index.
        let alle = |outputs: Vec<Output>| -> HashMap<String, Output> {
            outputs.into_iter().map(|o| (o.path.clone(), o)).collect()
        };
        let o = if path.starts_with(crate::render::suche::ORDNER) {
            self.suchindex
                .get_or_init(|| alle(self.site.suchindex()))
                .get(path)?
        } else {
            self.weitere
                .get_or_init(|| alle(self.site.weitere().0))
                .get(path)?
        };
        Some(o.clone())
    }
}

/// What the browser tabs are told: the current version, and the problems that keep a
/// newer one from being shown.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meldung {
    /// Number of the version being served (0: none yet).
    pub stand: u64,
    /// The diagnostics of the last run, as `quartier build` prints them, if it failed.
    pub fehler: Vec<String>,
}

/// Shared by every request.
pub struct Zustand {
    pub stand: watch::Sender<Option<Arc<Stand>>>,
    pub meldung: watch::Sender<Meldung>,
    /// The portal's sub-path (`/gwa/`).
    pub basis: String,
    /// The pages asked for last, newest first: after a change they are rendered before
    /// the tabs are told to reload, so that the reload is answered at once.
    pub zuletzt: Mutex<VecDeque<String>>,
}

/// How many recently asked-for pages are rendered ahead after a change.
const VORAUS: usize = 8;

impl Zustand {
    fn gefragt(&self, seite: &str) {
        if let Ok(mut z) = self.zuletzt.lock() {
            z.retain(|s| s != seite);
            z.push_front(seite.to_string());
            z.truncate(VORAUS);
        }
    }

    /// The pages to render ahead.
    pub fn voraus(&self) -> Vec<String> {
        self.zuletzt
            .lock()
            .map(|z| z.iter().cloned().collect())
            .unwrap_or_default()
    }
}

pub fn router(zustand: Arc<Zustand>) -> Router {
    Router::new()
        .route("/__quartier/ereignisse", get(ereignisse))
        .route(
            "/__quartier/vorschau.js",
            get(|| eigene(SKRIPT, "text/javascript")),
        )
        .route("/__quartier/vorschau.css", get(|| eigene(STIL, "text/css")))
        .fallback(anfrage)
        .layer(axum::middleware::map_response_with_state(
            zustand.clone(),
            sicherheitskoepfe,
        ))
        .with_state(zustand)
}

/// The portal's security headers ([`crate::sicherheit`]) on every response, with the
/// tile host of the version being served.
async fn sicherheitskoepfe(State(z): State<Arc<Zustand>>, mut r: Response) -> Response {
    let kacheln = z
        .stand
        .borrow()
        .as_ref()
        .and_then(|s| s.site.portal().config.karte.kacheln.clone());
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&sicherheit::csp(kacheln.as_deref())) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    for (name, wert) in sicherheit::HEADER {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            h.insert(name, HeaderValue::from_static(wert));
        }
    }
    r
}

async fn eigene(text: &'static str, typ: &'static str) -> Response {
    antwort(StatusCode::OK, typ, Body::from(text))
}

/// `text/event-stream`: one `stand` event now and after every run.
async fn ereignisse(
    State(z): State<Arc<Zustand>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = WatchStream::new(z.meldung.subscribe()).map(|m| {
        Ok(Event::default()
            .event("stand")
            .data(serde_json::to_string(&m).unwrap_or_default()))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn anfrage(State(z): State<Arc<Zustand>>, uri: Uri) -> Response {
    let roh = uri.path();
    if roh == "/" && z.basis != "/" {
        return weiter(&z.basis);
    }
    let Some(stand) = z.stand.borrow().clone() else {
        return ohne_stand();
    };
    let Some(pfad) = pfad(roh, &z.basis) else {
        return nicht_gefunden(&stand).await;
    };
    if pfad.is_empty()
        || pfad.ends_with('/')
        || pfad.ends_with("/index.html")
        || pfad == "index.html"
    {
        let seite = pfad.strip_suffix("index.html").unwrap_or(&pfad).to_string();
        z.gefragt(&seite);
        return match seite_rendern(&stand, seite).await {
            Some(g) => html(StatusCode::OK, &g, stand.nummer),
            None => nicht_gefunden(&stand).await,
        };
    }
    // `stadtteile/x` is the page `stadtteile/x/`, as on a plain web server.
    if stand.site.seite(&format!("{pfad}/")).is_some() {
        let mut ziel = format!("{}{pfad}/", z.basis);
        if let Some(q) = uri.query() {
            ziel = format!("{ziel}?{q}");
        }
        return weiter(&ziel);
    }
    let st = stand.clone();
    let p = pfad.clone();
    let Ok(Some(output)) = tokio::task::spawn_blocking(move || st.datei(&p)).await else {
        return nicht_gefunden(&stand).await;
    };
    let typ = inhaltstyp(&pfad);
    match output.content {
        Content::Bytes(b) => antwort(StatusCode::OK, &typ, Body::from(b)),
        Content::Static(b) => antwort(StatusCode::OK, &typ, Body::from(b)),
        // Only files the portal publishes are read: loading refused links out of it.
        Content::Copy(quelle) | Content::Cached(quelle) => match tokio::fs::read(&quelle).await {
            Ok(b) => antwort(StatusCode::OK, &typ, Body::from(b)),
            Err(_) => nicht_gefunden(&stand).await,
        },
    }
}

/// The path of the portal a request asks for (`stadtteile/x/`), or `None` if it lies
/// outside the portal's sub-path or is not a clean path: a `..` or `.` segment, raw or
/// percent-encoded, a backslash, a NUL, an encoded slash.
pub fn pfad(roh: &str, basis: &str) -> Option<String> {
    let rest = roh.strip_prefix(basis).or_else(|| {
        // `/gwa` for `/gwa/`
        (format!("{roh}/") == basis).then_some("")
    })?;
    if rest.contains("%2f") || rest.contains("%2F") || rest.contains("%5c") || rest.contains("%5C")
    {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?
        .into_owned();
    let sauber = decoded
        .split('/')
        .all(|seg| seg != ".." && seg != "." && !seg.contains(['\\', '\0']));
    if !sauber || decoded.starts_with('/') || decoded.contains("//") {
        return None;
    }
    Some(decoded)
}

async fn seite_rendern(stand: &Arc<Stand>, seite: String) -> Option<Arc<Gerendert>> {
    let st = stand.clone();
    tokio::task::spawn_blocking(move || st.seite(&seite))
        .await
        .ok()
        .flatten()
}

async fn nicht_gefunden(stand: &Arc<Stand>) -> Response {
    match seite_rendern(stand, "404.html".into()).await {
        Some(g) => html(StatusCode::NOT_FOUND, &g, stand.nummer),
        None => antwort(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            Body::from("404"),
        ),
    }
}

fn ohne_stand() -> Response {
    antwort(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        Body::from(OHNE_STAND),
    )
}

/// A page with the preview's script, which reloads it after a change and shows problems.
fn html(status: StatusCode, g: &Gerendert, nummer: u64) -> Response {
    let html = match g {
        Gerendert::Html(b) => b,
        // A template error: the run that made this version did not render this page.
        Gerendert::Fehler(_) => {
            return ohne_stand();
        }
    };
    let tag =
        format!("<script src=\"{PRAEFIX}vorschau.js\" data-stand=\"{nummer}\" defer></script>");
    let mut out = Vec::with_capacity(html.len() + tag.len());
    match find_last(html, b"</body>") {
        Some(i) => {
            out.extend_from_slice(&html[..i]);
            out.extend_from_slice(tag.as_bytes());
            out.extend_from_slice(&html[i..]);
        }
        None => {
            out.extend_from_slice(html);
            out.extend_from_slice(tag.as_bytes());
        }
    }
    antwort(status, "text/html; charset=utf-8", Body::from(out))
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn weiter(ziel: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(ziel) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn antwort(status: StatusCode, typ: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(typ) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // A preview changes with every save.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The content type of an output file, with the character set of text files.
pub fn inhaltstyp(path: &str) -> String {
    let endung = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let typ = match endung.as_deref() {
        Some("html") => "text/html".to_string(),
        Some("xml") if path.ends_with(routes::FEED) => "application/atom+xml".to_string(),
        Some("geojson") => "application/geo+json".to_string(),
        Some("md") => "text/markdown".to_string(),
        Some("ics") => "text/calendar".to_string(),
        _ => mime_guess::from_path(path)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let text = typ.starts_with("text/")
        || typ.ends_with("json")
        || typ.ends_with("xml")
        || typ == "text/javascript";
    if text {
        format!("{typ}; charset=utf-8")
    } else {
        typ
    }
}
