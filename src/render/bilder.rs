//! Photos: every raster image under `content/dateien/` is published as processed
//! variants. The upload itself is published unchanged, as the contract has it for every
//! file, only when it carries no EXIF, XMP or IPTC block (a phone photo's hold the GPS
//! position of where it was taken, often someone's home), or when a `bilder` entry asks
//! for `original: true`.
//!
//! Each image is decoded, turned upright by its EXIF orientation, scaled down to a few
//! widths (never up) and encoded again from its pixels as lossy WebP and as JPEG, which
//! drops every metadata block by construction. Images are processed in parallel and
//! cached between builds under `<portal>/.quartier-cache/bilder/`, keyed by a hash of the
//! processing version and the file's bytes.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use rayon::prelude::*;

use super::{Content, Output};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Datei, Id, Portal};

/// Changes whenever processing changes, so cached variants of an older kind are not reused.
const VERFAHREN: &str = "quartier-bilder-3";

/// The widths of the variants in pixels; an image narrower than the largest also keeps
/// its own width. Images are never scaled up.
pub const BREITEN: [u32; 3] = [480, 960, 1600];

/// Most bytes a variant may have: a resident on mobile data gets a sharp picture of a
/// few dozen kilobytes. The quality steps down until the variant fits.
const BUDGET: [(u32, usize); 3] = [(480, 60_000), (960, 140_000), (1600, 240_000)];
const QUALITAET_JPEG: [u8; 6] = [80, 72, 64, 55, 45, 35];
const QUALITAET_WEBP: [f32; 6] = [75.0, 68.0, 60.0, 50.0, 40.0, 30.0];

/// File name extensions of raster images. Such files in `content/dateien/` are processed,
/// and copied as they are only without metadata (or with `original: true`).
const RASTER: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "heic", "heif", "avif", "tif", "tiff",
    "bmp",
];

/// Whether a file of the portal is a raster image that is published only processed.
pub fn ist_rasterbild(d: &Datei) -> bool {
    d.pfad.starts_with("dateien/") && RASTER.contains(&d.endung().as_str())
}

/// One width of an image, as WebP and as JPEG.
#[derive(Debug, Clone)]
pub struct Variante {
    pub breite: u32,
    pub hoehe: u32,
    /// Output paths (`bilder/kiezfest-1a2b3c4d5e-960.webp`).
    pub webp: String,
    pub jpeg: String,
    /// Size of the JPEG in bytes (for download links).
    pub jpeg_groesse: u64,
}

/// A processed image: its upright size and its variants, narrowest first.
#[derive(Debug, Clone)]
pub struct Bild {
    pub breite: u32,
    pub hoehe: u32,
    /// The upload has no EXIF, XMP or IPTC block, so it is published as it is too.
    pub ohne_metadaten: bool,
    pub varianten: Vec<Variante>,
    /// Where the variants' bytes are: the cache folder, or memory.
    dateien: Vec<(String, Inhalt)>,
}

#[derive(Debug, Clone)]
enum Inhalt {
    ImCache(PathBuf),
    ImSpeicher(std::sync::Arc<Vec<u8>>),
}

impl Bild {
    /// The largest variant (the JPEG fallback's `src`).
    pub fn groesste(&self) -> &Variante {
        self.varianten
            .last()
            .expect("an image has at least one variant")
    }

    /// The narrowest variant at least `breite` wide, else the largest.
    pub fn mindestens(&self, breite: u32) -> &Variante {
        self.varianten
            .iter()
            .find(|v| v.breite >= breite)
            .unwrap_or_else(|| self.groesste())
    }
}

/// The processed images of a portal, by file index.
#[derive(Default, Clone)]
pub struct Bilder {
    bilder: HashMap<usize, Bild>,
    /// Files published unchanged because a `bilder` entry says `original: true`.
    originale: HashSet<usize>,
    /// How many images were processed in this run, and how many came from the cache.
    pub erzeugt: usize,
    pub aus_cache: usize,
}

impl Bilder {
    /// No processed images (for `check`, which writes nothing).
    pub fn keine(portal: &Portal) -> Bilder {
        Bilder {
            originale: originale(portal),
            ..Bilder::default()
        }
    }

    /// The images of `vorher` for `portal`, whose files are the same (`serve`, after a
    /// change that touched no file under `content/dateien/`).
    pub fn wie_vorher(vorher: &Bilder, portal: &Portal) -> Bilder {
        Bilder {
            bilder: vorher.bilder.clone(),
            originale: originale(portal),
            erzeugt: 0,
            aus_cache: 0,
        }
    }

    /// Processes every raster image under `content/dateien/`, in parallel, reusing the
    /// variants in `cache` (a folder; `None` for none) of images whose bytes are unchanged.
    pub fn render(portal: &Portal, cache: Option<&Path>) -> (Bilder, Vec<Diagnostic>) {
        if let Some(c) = cache {
            // A cache that cannot be made is no cache; the build goes on without it.
            let _ = std::fs::create_dir_all(c);
        }
        let ergebnisse: Vec<(usize, Verarbeitet, Option<String>)> = portal
            .dateien
            .par_iter()
            .enumerate()
            .filter(|(_, d)| ist_rasterbild(d))
            .map(|(i, d)| {
                let (ergebnis, schluessel) = verarbeiten(d, cache);
                (i, ergebnis, schluessel)
            })
            .collect();
        if let Some(c) = cache {
            let benutzt: HashSet<&str> = ergebnisse
                .iter()
                .filter_map(|(_, _, s)| s.as_deref())
                .collect();
            aufraeumen(c, &benutzt);
        }
        let mut bilder = Bilder::keine(portal);
        let mut diags = Vec::new();
        for (i, mut ergebnis, _) in ergebnisse {
            // A broken image named in `bilder` is reported where it is named.
            if let Err(d) = &mut ergebnis
                && let Some(b) = portal
                    .projekte
                    .iter()
                    .flat_map(|p| &p.bilder)
                    .find(|b| b.datei.index() == i)
            {
                let (doc, pfad) = &b.stelle;
                d.location = Some(doc.locate(pfad, crate::yaml::Part::Value));
            }
            match ergebnis {
                Ok((bild, aus_cache)) => {
                    if aus_cache {
                        bilder.aus_cache += 1;
                    } else {
                        bilder.erzeugt += 1;
                    }
                    bilder.bilder.insert(i, bild);
                }
                Err(d) => diags.push(d),
            }
        }
        (bilder, diags)
    }

    /// The processed image of a file, if it is one.
    pub fn bild(&self, id: Id<Datei>) -> Option<&Bild> {
        self.bilder.get(&id.index())
    }

    /// Whether the file is published as it is: every file under `dateien/` and `daten/`
    /// but raster images with metadata, which only with `original: true`. (`check`
    /// reads no images, so there only those with `original: true`.)
    pub fn unveraendert(&self, portal: &Portal, id: Id<Datei>) -> bool {
        let d = &portal[id];
        d.veroeffentlicht()
            && (!ist_rasterbild(d)
                || self.originale.contains(&id.index())
                || self
                    .bilder
                    .get(&id.index())
                    .is_some_and(|b| b.ohne_metadaten))
    }

    /// The variants to write, by output path (images of identical bytes share them).
    pub fn outputs(&self) -> Vec<Output> {
        let mut gesehen = HashSet::new();
        let mut indizes: Vec<&usize> = self.bilder.keys().collect();
        indizes.sort();
        let mut out = Vec::new();
        for i in indizes {
            for (pfad, inhalt) in &self.bilder[i].dateien {
                if gesehen.insert(pfad.clone()) {
                    out.push(Output {
                        path: pfad.clone(),
                        content: match inhalt {
                            Inhalt::ImCache(p) => Content::Cached(p.clone()),
                            Inhalt::ImSpeicher(b) => Content::Bytes(b.to_vec()),
                        },
                    });
                }
            }
        }
        out
    }

    /// The output file at `path`, for `serve`.
    pub fn output(&self, path: &str) -> Option<Output> {
        self.bilder
            .values()
            .flat_map(|b| &b.dateien)
            .find(|(p, _)| p == path)
            .map(|(p, inhalt)| Output {
                path: p.clone(),
                content: match inhalt {
                    Inhalt::ImCache(c) => Content::Cached(c.clone()),
                    Inhalt::ImSpeicher(b) => Content::Bytes(b.to_vec()),
                },
            })
    }

    /// Every output path of the variants (so Markdown and routes know them).
    pub fn pfade(&self) -> impl Iterator<Item = &str> {
        self.bilder
            .values()
            .flat_map(|b| b.dateien.iter().map(|(p, _)| p.as_str()))
    }
}

/// The files some `bilder` entry publishes as they are.
fn originale(portal: &Portal) -> HashSet<usize> {
    portal
        .projekte
        .iter()
        .flat_map(|p| &p.bilder)
        .filter(|b| b.original)
        .map(|b| b.datei.index())
        .collect()
}

/// The cache folder of a portal: beside its content, ignored by git.
pub fn cache_ordner(root: &Path) -> PathBuf {
    root.join(".quartier-cache").join("bilder")
}

/// Hashes of files already read in this process, by path, size and modification time:
/// `serve` prepares the site after every change and need not read every photo again.
static HASHES: Mutex<Option<HashMap<DateiStand, String>>> = Mutex::new(None);

/// A file's path, size and modification time.
type DateiStand = (PathBuf, u64, SystemTime);

/// An image and whether it came from the cache, or why there is none.
type Verarbeitet = Result<(Bild, bool), Diagnostic>;

fn schluessel(bytes: &[u8]) -> String {
    use siphasher::sip128::Hasher128;
    let mut h = siphasher::sip128::SipHasher13::new_with_keys(0, 0);
    h.write(VERFAHREN.as_bytes());
    h.write_u8(0xff);
    h.write(bytes);
    format!("{:032x}", h.finish128().as_u128())
}

/// The file's stem as a safe output name (`Kiezfest 2025.JPG` → `kiezfest-2025`).
fn stamm(d: &Datei) -> String {
    let name = d.name();
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let s = crate::slug::slugify(stem);
    if s.is_empty() { "bild".into() } else { s }
}

fn fehler(d: &Datei, text: String, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::BildFehler, text)
        .at(Location::file(format!("content/{}", d.pfad)))
        .hint(hint)
}

/// Processes one image, or takes it from the cache. Returns the cache key when known.
fn verarbeiten(d: &Datei, cache: Option<&Path>) -> (Verarbeitet, Option<String>) {
    let endung = d.endung();
    if matches!(
        endung.as_str(),
        "heic" | "heif" | "avif" | "tif" | "tiff" | "bmp"
    ) {
        return (
            Err(fehler(
                d,
                format!(
                    "das Bildformat von content/{} ({}) wird nicht unterstützt",
                    d.pfad,
                    endung.to_uppercase()
                ),
                "Speichern Sie das Foto als JPEG (.jpg), PNG oder WebP; am Telefon heißt die Einstellung oft „Maximale Kompatibilität“.",
            )),
            None,
        );
    }
    let meta = std::fs::metadata(&d.quelle).ok();
    let memo_key = meta
        .as_ref()
        .and_then(|m| Some((d.quelle.clone(), m.len(), m.modified().ok()?)));
    let bekannt = memo_key.as_ref().and_then(|k| {
        HASHES
            .lock()
            .ok()
            .and_then(|g| g.as_ref().and_then(|m| m.get(k).cloned()))
    });
    let stamm = stamm(d);
    // Fast path: the hash is known and the cache has every variant.
    if let (Some(s), Some(c)) = (&bekannt, cache)
        && let Some(bild) = aus_cache(c, s, &stamm)
    {
        return (Ok((bild, true)), Some(s.clone()));
    }
    let bytes = match std::fs::read(&d.quelle) {
        Ok(b) => b,
        Err(e) => {
            return (
                Err(fehler(
                    d,
                    format!("content/{} kann nicht gelesen werden: {e}", d.pfad),
                    "Prüfen Sie, ob die Datei vollständig hochgeladen ist.",
                )),
                None,
            );
        }
    };
    let s = schluessel(&bytes);
    if let Some(k) = memo_key
        && let Ok(mut g) = HASHES.lock()
    {
        g.get_or_insert_with(HashMap::new).insert(k, s.clone());
    }
    if let Some(c) = cache
        && let Some(bild) = aus_cache(c, &s, &stamm)
    {
        return (Ok((bild, true)), Some(s));
    }
    let ergebnis = match kodieren(&bytes) {
        Ok(v) => v,
        Err(grund) => {
            let (message, hint) = grund.meldung(&d.pfad);
            return (Err(fehler(d, message, hint)), Some(s));
        }
    };
    let (breite, hoehe) = ergebnis.groesse;
    let mut varianten = Vec::new();
    let mut dateien = Vec::new();
    let mut manifest = format!(
        "{breite} {hoehe} {}\n",
        if ergebnis.ohne_metadaten {
            "ohne"
        } else {
            "mit"
        }
    );
    for k in ergebnis.varianten {
        let mut v = variante(&stamm, &s, k.breite, k.hoehe);
        v.jpeg_groesse = k.jpeg.len() as u64;
        manifest.push_str(&format!("{} {}\n", k.breite, k.hoehe));
        for (pfad, bytes, ext) in [(&v.webp, k.webp, "webp"), (&v.jpeg, k.jpeg, "jpg")] {
            let inhalt = match cache {
                Some(c) => {
                    let ziel = c.join(format!("{s}-{}.{ext}", k.breite));
                    if schreiben_atomar(&ziel, &bytes) {
                        Inhalt::ImCache(ziel)
                    } else {
                        Inhalt::ImSpeicher(bytes.into())
                    }
                }
                None => Inhalt::ImSpeicher(bytes.into()),
            };
            dateien.push((pfad.clone(), inhalt));
        }
        varianten.push(v);
    }
    // The manifest last: a cache entry counts only when it is there.
    if let Some(c) = cache {
        schreiben_atomar(&c.join(format!("{s}.txt")), manifest.as_bytes());
    }
    let bild = Bild {
        breite,
        hoehe,
        ohne_metadaten: ergebnis.ohne_metadaten,
        varianten,
        dateien,
    };
    (Ok((bild, false)), Some(s))
}

fn variante(stamm: &str, schluessel: &str, breite: u32, hoehe: u32) -> Variante {
    let basis = format!("bilder/{stamm}-{}-{breite}", &schluessel[..10]);
    Variante {
        breite,
        hoehe,
        jpeg_groesse: 0,
        webp: format!("{basis}.webp"),
        jpeg: format!("{basis}.jpg"),
    }
}

/// An image from the cache, if its manifest and every variant are there.
fn aus_cache(cache: &Path, schluessel: &str, stamm: &str) -> Option<Bild> {
    let manifest = std::fs::read_to_string(cache.join(format!("{schluessel}.txt"))).ok()?;
    let (kopf, rest) = manifest.split_once('\n')?;
    let (masse, metadaten) = kopf.rsplit_once(' ')?;
    let ohne_metadaten = match metadaten {
        "ohne" => true,
        "mit" => false,
        _ => return None,
    };
    let zahlen = |z: &str| {
        let (b, h) = z.split_once(' ')?;
        Some((b.parse::<u32>().ok()?, h.parse::<u32>().ok()?))
    };
    let (breite, hoehe) = zahlen(masse)?;
    let zeilen = rest.lines().map(zahlen);
    let mut varianten = Vec::new();
    let mut dateien = Vec::new();
    for z in zeilen {
        let (b, h) = z?;
        let mut v = variante(stamm, schluessel, b, h);
        for (pfad, ext) in [(v.webp.clone(), "webp"), (v.jpeg.clone(), "jpg")] {
            let datei = cache.join(format!("{schluessel}-{b}.{ext}"));
            let groesse = std::fs::metadata(&datei).ok()?.len();
            if groesse == 0 {
                return None;
            }
            if ext == "jpg" {
                v.jpeg_groesse = groesse;
            }
            dateien.push((pfad, Inhalt::ImCache(datei)));
        }
        varianten.push(v);
    }
    (!varianten.is_empty()).then_some(Bild {
        breite,
        hoehe,
        ohne_metadaten,
        varianten,
        dateien,
    })
}

fn schreiben_atomar(ziel: &Path, bytes: &[u8]) -> bool {
    let tmp = ziel.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, ziel).is_ok() {
        return true;
    }
    let _ = std::fs::remove_file(&tmp);
    false
}

/// Removes cached variants no image of this build uses.
fn aufraeumen(cache: &Path, benutzt: &HashSet<&str>) {
    let Ok(eintraege) = std::fs::read_dir(cache) else {
        return;
    };
    for e in eintraege.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        // Only finished files: a `.tmp` may be another build writing right now.
        if name.ends_with(".tmp") {
            continue;
        }
        let key = name.split(['-', '.']).next().unwrap_or("");
        if !benutzt.contains(key) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

struct Kodiert {
    breite: u32,
    hoehe: u32,
    webp: Vec<u8>,
    jpeg: Vec<u8>,
}

struct Ergebnis {
    groesse: (u32, u32),
    ohne_metadaten: bool,
    varianten: Vec<Kodiert>,
}

/// More than any phone takes (108 MP sensors included); a small file can claim far more
/// (a 1 MB PNG of 32,000 × 32,000 black pixels took 40 s and 1.9 GB to decode).
const MAX_PIXEL: u64 = 150_000_000;

/// The largest width or height a WebP image can have.
const WEBP_MAX: u32 = 16_383;

/// Why an image gives no variants.
#[derive(Debug)]
enum Unbrauchbar {
    /// Not an image, or a damaged one: what the decoder said.
    Unlesbar(String),
    ZuVielePixel {
        breite: u32,
        hoehe: u32,
    },
    /// Its largest variant would be taller than WebP allows.
    ZuHoch {
        breite: u32,
        hoehe: u32,
    },
}

impl Unbrauchbar {
    /// The message and hint for the image at `content/{pfad}`.
    fn meldung(self, pfad: &str) -> (String, &'static str) {
        match self {
            Unbrauchbar::Unlesbar(e) => (
                format!("das Bild content/{pfad} ist beschädigt oder kein lesbares Bild ({e})"),
                "Öffnen Sie das Foto in einem Bildprogramm und speichern Sie es erneut als JPEG, oder laden Sie es noch einmal hoch.",
            ),
            Unbrauchbar::ZuVielePixel { breite, hoehe } => (
                format!(
                    "das Bild content/{pfad} hat mit {breite} × {hoehe} Pixeln mehr als {} Millionen Pixel",
                    MAX_PIXEL / 1_000_000
                ),
                "Verkleinern Sie das Bild in einem Bildprogramm (das Portal zeigt es höchstens 1.600 Pixel breit) und laden Sie es erneut hoch.",
            ),
            Unbrauchbar::ZuHoch { breite, hoehe } => (
                format!(
                    "das Bild content/{pfad} ist mit {breite} × {hoehe} Pixeln zu hoch für seine Breite"
                ),
                "Schneiden Sie das Bild zu oder teilen Sie es: in der Breite, in der das Portal es zeigt (höchstens 1.600 Pixel), darf es höchstens 16.383 Pixel hoch sein.",
            ),
        }
    }
}

impl From<String> for Unbrauchbar {
    fn from(e: String) -> Self {
        Unbrauchbar::Unlesbar(e)
    }
}

/// The image crate's words, marked as its own: it has no German.
fn decoder_meldung(e: image::ImageError) -> String {
    format!("Meldung des Bildlesers: {e}")
}

/// Decodes, turns upright, scales and encodes one image.
fn kodieren(bytes: &[u8]) -> Result<Ergebnis, Unbrauchbar> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    if reader.format().is_none() {
        return Err(
            String::from("kein Bild in einem lesbaren Format: JPEG, PNG, WebP oder GIF").into(),
        );
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) && !jpeg_vollstaendig(bytes) {
        // The decoder fills a cut-off JPEG with grey rather than failing.
        return Err(String::from("die Datei endet mitten im Bild, sie ist unvollständig").into());
    }
    let mut decoder = reader.into_decoder().map_err(decoder_meldung)?;
    let (breite, hoehe) = decoder.dimensions();
    if u64::from(breite) * u64::from(hoehe) > MAX_PIXEL {
        return Err(Unbrauchbar::ZuVielePixel { breite, hoehe });
    }
    // Read before the pixels, which take the decoder. A block that cannot be read counts
    // as one: the upload is then published only processed, which is always safe.
    let ohne_metadaten = matches!(decoder.exif_metadata(), Ok(None))
        && matches!(decoder.xmp_metadata(), Ok(None))
        && matches!(decoder.iptc_metadata(), Ok(None));
    // A broken EXIF block is no reason to refuse the picture: it is dropped anyway.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut bild = DynamicImage::from_decoder(decoder).map_err(decoder_meldung)?;
    bild.apply_orientation(orientation);
    let (breite, hoehe) = (bild.width(), bild.height());
    if breite == 0 || hoehe == 0 {
        return Err(String::from("das Bild hat keine Pixel").into());
    }
    let mut breiten: Vec<u32> = BREITEN.iter().copied().filter(|b| *b < breite).collect();
    let groesste = breite.min(BREITEN[BREITEN.len() - 1]);
    breiten.push(groesste);
    breiten.dedup();
    // The height of the variant `b` pixels wide, rounded.
    let hoehe_bei = |b: u32| {
        ((u64::from(hoehe) * u64::from(b) + u64::from(breite) / 2) / u64::from(breite)).max(1)
    };
    if hoehe_bei(groesste) > u64::from(WEBP_MAX) {
        return Err(Unbrauchbar::ZuHoch { breite, hoehe });
    }
    let alpha = bild.color().has_alpha();
    // Largest first, each from the one before: scaling 12 MP only once. Then the
    // variants are encoded in parallel.
    let mut skaliert: Vec<DynamicImage> = Vec::new();
    for &b in breiten.iter().rev() {
        let h = hoehe_bei(b) as u32;
        let quelle = skaliert.last().unwrap_or(&bild);
        let neu = if b == quelle.width() {
            quelle.clone()
        } else {
            quelle.resize_exact(b, h, image::imageops::FilterType::CatmullRom)
        };
        skaliert.push(neu);
    }
    drop(bild);
    skaliert.reverse();
    let varianten = skaliert
        .par_iter()
        .map(|s| kodieren_variante(s, alpha))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Ergebnis {
        groesse: (breite, hoehe),
        ohne_metadaten,
        varianten,
    })
}

/// Whether a JPEG's last scan is followed by its end marker. In entropy-coded data 0xFF
/// is always followed by 0x00, so `FF DA` (start of scan) and `FF D9` (end of image)
/// are markers; data some phones append after the end marker does not matter.
fn jpeg_vollstaendig(bytes: &[u8]) -> bool {
    let letzter_scan = bytes.windows(2).rposition(|w| w == [0xff, 0xda]);
    let ende = bytes.windows(2).rposition(|w| w == [0xff, 0xd9]);
    matches!((letzter_scan, ende), (Some(s), Some(e)) if e > s)
}

fn budget(breite: u32) -> usize {
    BUDGET
        .iter()
        .find(|(b, _)| breite <= *b)
        .map_or(BUDGET[BUDGET.len() - 1].1, |(_, n)| *n)
}

fn kodieren_variante(bild: &DynamicImage, alpha: bool) -> Result<Kodiert, String> {
    let (w, h) = (bild.width(), bild.height());
    let (Ok(w16), Ok(h16)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(format!("{w} × {h} Pixel sind zu groß"));
    };
    let grenze = budget(w);
    let rgb = if alpha {
        auf_weiss(bild)
    } else {
        bild.to_rgb8()
    };
    let rgba = alpha.then(|| bild.to_rgba8());
    let (jpeg, webp) = rayon::join(
        || {
            passend(&QUALITAET_JPEG, grenze, |q| {
                let mut jpeg = Vec::new();
                let mut enc = jpeg_encoder::Encoder::new(&mut jpeg, q);
                enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
                enc.set_optimized_huffman_tables(true);
                enc.set_progressive(true);
                enc.encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
                    .map_err(|e| format!("JPEG: {e}"))?;
                Ok(jpeg)
            })
        },
        || {
            passend(&QUALITAET_WEBP, grenze, |q| {
                let enc = match &rgba {
                    Some(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), w, h),
                    None => webp::Encoder::from_rgb(rgb.as_raw(), w, h),
                };
                Ok(enc
                    .encode_simple(false, q)
                    .map_err(|e| format!("WebP: {e:?}"))?
                    .to_vec())
            })
        },
    );
    Ok(Kodiert {
        breite: w,
        hoehe: h,
        webp: webp?,
        jpeg: jpeg?,
    })
}

/// Encodes with the first quality of `stufen` whose result fits `grenze` bytes (or the
/// last). Far over the budget, it skips qualities rather than trying each.
fn passend<Q: Copy>(
    stufen: &[Q],
    grenze: usize,
    kodieren: impl Fn(Q) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let mut i = 0;
    loop {
        let bytes = kodieren(stufen[i])?;
        if bytes.len() <= grenze || i + 1 == stufen.len() {
            return Ok(bytes);
        }
        let verhaeltnis = bytes.len() as f64 / grenze as f64;
        let schritt = if verhaeltnis > 1.8 {
            3
        } else if verhaeltnis > 1.35 {
            2
        } else {
            1
        };
        i = (i + schritt).min(stufen.len() - 1);
    }
}

/// A transparent image on white, for JPEG, which has no transparency.
fn auf_weiss(bild: &DynamicImage) -> RgbImage {
    let rgba = bild.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode_image(&RgbImage::from_fn(w, h, |x, _| {
                image::Rgb([x as u8, 90, 200])
            }))
            .unwrap();
        out
    }

    #[test]
    fn cut_off_jpegs_are_told_from_whole_ones() {
        let ganz = jpeg(64, 48);
        assert!(jpeg_vollstaendig(&ganz));
        assert!(!jpeg_vollstaendig(&ganz[..ganz.len() - 40]));
        // Data some phones append after the end marker does not matter.
        let mut mit_anhang = ganz.clone();
        mit_anhang.extend_from_slice(b"SEFHtrailer");
        assert!(jpeg_vollstaendig(&mit_anhang));
        assert!(kodieren(&ganz[..ganz.len() / 2]).is_err());
    }

    #[test]
    fn small_images_keep_their_width_and_transparency_becomes_white() {
        let bild = image::RgbaImage::from_fn(300, 200, |x, _| {
            image::Rgba([0, 0, 0, if x < 150 { 0 } else { 255 }])
        });
        let mut png = Vec::new();
        bild.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let e = kodieren(&png).unwrap();
        assert_eq!(e.groesse, (300, 200));
        assert_eq!(e.varianten.len(), 1);
        let v = &e.varianten[0];
        assert_eq!((v.breite, v.hoehe), (300, 200));
        let jpeg = image::load_from_memory(&v.jpeg).unwrap().to_rgb8();
        assert!(jpeg.get_pixel(10, 100)[0] > 240, "transparent is white");
        assert!(jpeg.get_pixel(290, 100)[0] < 20, "opaque black stays black");
        let webp = image::load_from_memory(&v.webp).unwrap();
        assert!(webp.color().has_alpha(), "WebP keeps transparency");
    }

    /// A PNG that claims `w` × `h` pixels: its header and an empty data chunk, which
    /// is all a decoder reads before it knows the size.
    fn png_kopf(w: u32, h: u32) -> Vec<u8> {
        fn crc(daten: &[u8]) -> u32 {
            let mut c = !0u32;
            for &b in daten {
                c ^= u32::from(b);
                for _ in 0..8 {
                    c = if c & 1 == 1 {
                        0xedb8_8320 ^ (c >> 1)
                    } else {
                        c >> 1
                    };
                }
            }
            !c
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (art, inhalt) in [
            (
                *b"IHDR",
                [&w.to_be_bytes()[..], &h.to_be_bytes(), &[8, 0, 0, 0, 0]].concat(),
            ),
            (*b"IDAT", Vec::new()),
            (*b"IEND", Vec::new()),
        ] {
            png.extend((inhalt.len() as u32).to_be_bytes());
            let chunk = [&art[..], &inhalt].concat();
            png.extend(&chunk);
            png.extend(crc(&chunk).to_be_bytes());
        }
        png
    }

    #[test]
    fn images_with_too_many_pixels_are_refused_before_decoding() {
        // 1,024 megapixels claimed in a few bytes: refused at once, not decoded.
        let Err(Unbrauchbar::ZuVielePixel { breite, hoehe }) = kodieren(&png_kopf(32_000, 32_000))
        else {
            panic!("a 32,000 × 32,000 image was not refused for its size");
        };
        assert_eq!((breite, hoehe), (32_000, 32_000));
        // Taller than WebP allows at the width it is shown: told as such, not as damage.
        assert!(matches!(
            kodieren(&jpeg(100, 20_000)),
            Err(Unbrauchbar::ZuHoch {
                breite: 100,
                hoehe: 20_000
            })
        ));
    }

    #[test]
    fn widths_are_never_enlarged() {
        let e = kodieren(&jpeg(1000, 500)).unwrap();
        let breiten: Vec<u32> = e.varianten.iter().map(|v| v.breite).collect();
        assert_eq!(breiten, [480, 960, 1000]);
        assert_eq!(e.varianten[1].hoehe, 480);
    }
}
