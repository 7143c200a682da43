//! The full-text search of `/suche/`: a compact index written as static files under
//! `/suche/index/`, read by `js/suche.js` in the browser. No server, no third party.
//!
//! The index is made from the resolved portal (titles, names, fields and the Markdown
//! bodies as plain text), not from rendered HTML:
//!
//! - `meta.json`: the kinds of entry with their ranges of document numbers (documents are
//!   numbered Stadtteile first, projects last), the Stadtteile and years for the filters,
//!   the stop words, and the first key of every shard of postings.
//! - `t/{n}.json`: shards of postings. All keys sorted, cut into files of about
//!   [`SHARD_BYTES`], so a query loads only the shards its words (and their prefixes)
//!   fall into. A posting list is a string of numbers `delta * 8 + weight` (the
//!   distance to the previous document and the weight class), written by [`zahl`].
//! - `d/{n}.json`: what a result shows (title, kind, URL, Stadtteile, year, the start of
//!   the text for the snippet), [`CHUNK`] documents per file, loaded only for the results
//!   shown.
//!
//! Words are folded the German way (lower case, `ä` → `ae` and also `a`, `ß` → `ss`,
//! other accents dropped); the script folds queries the same way and matches prefixes,
//! so `Gemeinwesen` finds `Gemeinwesenarbeit` and `Buckau` finds `Buckauer`. Special keys
//! that cannot collide with words: `=…` the whole title (and a Vorlage's number) without
//! spaces or punctuation, `~s{n}` the documents of Stadtteil `n`, `~j{year}` those of a
//! year.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use super::{Content, Output, routes};
use crate::model::{Id, Markdown, Portal, Stadtteil};

/// Where the index files live.
pub const ORDNER: &str = "suche/index/";
/// Target size of one shard of postings (uncompressed).
const SHARD_BYTES: usize = 16 * 1024;
/// Documents per file of display data.
const CHUNK: usize = 8;
/// Characters of plain text kept per document for the snippet.
const TEXT_ZEICHEN: usize = 600;
/// Longer words are not indexed (they are hardly typed, and keep the shards small).
const MAX_WORT: usize = 40;

/// Weights of a word in a document (3 bits).
const W_TEXT: u8 = 1;
const W_TEXT_OFT: u8 = 2;
const W_FELD: u8 = 3;
const W_TITEL: u8 = 5;
const W_EXAKT: u8 = 7;

/// Words too common to search for; left out of the index and out of queries (the
/// script reads this list from `meta.json`).
pub const STOPPWOERTER: &[&str] = &[
    "am", "an", "auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "fuer", "hat", "im", "in",
    "ist", "mit", "nach", "nicht", "noch", "oder", "sich", "sie", "sind", "so", "um", "und", "vom",
    "von", "war", "werden", "wie", "wir", "wird", "wurde", "zu", "zum", "zur",
];

/// The kinds of entry, in the order of their document numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Art {
    Stadtteil,
    Ag,
    Vorlage,
    Forum,
    Seite,
    Projekt,
}

impl Art {
    pub const ALLE: [Art; 6] = [
        Art::Stadtteil,
        Art::Ag,
        Art::Vorlage,
        Art::Forum,
        Art::Seite,
        Art::Projekt,
    ];

    /// The value in `?art=` and in the filter.
    pub fn code(self) -> &'static str {
        match self {
            Art::Stadtteil => "stadtteil",
            Art::Ag => "ag",
            Art::Vorlage => "vorlage",
            Art::Forum => "forum",
            Art::Seite => "seite",
            Art::Projekt => "projekt",
        }
    }

    /// What a result is called.
    pub fn name(self) -> &'static str {
        match self {
            Art::Stadtteil => "Stadtteil",
            Art::Ag => "AG",
            Art::Vorlage => "Vorlage",
            Art::Forum => "Forum",
            Art::Seite => "Seite",
            Art::Projekt => "Projekt",
        }
    }
}

/// One searchable entry.
struct Dok<'a> {
    art: Art,
    titel: String,
    /// Path of its page below the site root.
    pfad: String,
    stadtteile: Vec<Id<Stadtteil>>,
    jahr: Option<i32>,
    beispiel: bool,
    /// Short texts with their weight: title, number, names, fields.
    felder: Vec<(String, u8)>,
    /// The body, read as plain text only while its words are collected ([`postings`]).
    quelle: Option<&'a Markdown>,
    /// The start of the body as plain text ([`TEXT_ZEICHEN`], what a result shows), once
    /// its words are collected.
    text: String,
    /// Strings whose exact match (without spaces and punctuation) puts the entry first.
    exakt: Vec<String>,
}

/// Lower case, then `ä` → `ae`, `ß` → `ss`, accents dropped. `einfach` maps `ä` to `a`
/// instead (the second spelling a word with umlauts is indexed under).
fn falte_zeichen(c: char, einfach: bool, out: &mut String) {
    for c in c.to_lowercase() {
        let s = match c {
            'ä' | 'æ' => Some(if einfach { "a" } else { "ae" }),
            'ö' | 'œ' => Some(if einfach { "o" } else { "oe" }),
            'ü' => Some(if einfach { "u" } else { "ue" }),
            'ß' => Some("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => Some("a"),
            'ç' | 'ć' | 'č' => Some("c"),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ė' => Some("e"),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => Some("i"),
            'ñ' | 'ń' => Some("n"),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' => Some("o"),
            'ù' | 'ú' | 'û' | 'ū' | 'ů' => Some("u"),
            'ý' | 'ÿ' => Some("y"),
            'ś' | 'š' => Some("s"),
            'ź' | 'ż' | 'ž' => Some("z"),
            'ł' => Some("l"),
            // Text in decomposed form (`u` + U+0308, as some editors save it): the
            // diaeresis folds like the composed umlaut, other accents are dropped.
            '\u{308}' => Some(if einfach { "" } else { "e" }),
            '\u{300}'..='\u{36f}' => Some(""),
            _ => None,
        };
        match s {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
}

/// A word is a run of letters, digits and combining accents; characters outside the
/// Basic Multilingual Plane separate words (the script compares keys as UTF-16).
fn wortzeichen(c: char) -> bool {
    (c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)) && (c as u32) < 0x1_0000
}

/// The folded spellings of a word: with `ae` and, if different, with `a`.
pub fn falte(wort: &str) -> (String, Option<String>) {
    let (mut voll, mut einfach) = (String::new(), String::new());
    let zwei = falte_in(wort, &mut voll, &mut einfach);
    (voll, zwei.then_some(einfach))
}

/// Folds `wort` into `voll` and `einfach`; false if both spellings are the same (then
/// `einfach` is left empty).
fn falte_in(wort: &str, voll: &mut String, einfach: &mut String) -> bool {
    voll.clear();
    einfach.clear();
    if wort.is_ascii() {
        voll.push_str(wort);
        voll.make_ascii_lowercase();
        return false;
    }
    for c in wort.chars() {
        if c.is_ascii() {
            let c = c.to_ascii_lowercase();
            voll.push(c);
            einfach.push(c);
        } else {
            falte_zeichen(c, false, voll);
            falte_zeichen(c, true, einfach);
        }
    }
    if einfach == voll {
        einfach.clear();
        false
    } else {
        true
    }
}

/// The words of a text, folded (both spellings), without stop words and single letters.
///
/// Reads bytes and decodes only non-ASCII characters: this runs over every word of the
/// portal, so it is kept cheap.
pub fn woerter(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let (mut voll, mut einfach) = (String::new(), String::new());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                i += 1;
            } else if b < 0x80 {
                break;
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                if !wortzeichen(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        if start == i {
            // A separator.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let wort = &text[start..i];
        if wort.len() < 2 {
            continue;
        }
        let zwei = falte_in(wort, &mut voll, &mut einfach);
        if voll.chars().nth(1).is_none() || voll.len() > MAX_WORT * 2 || ist_stoppwort(&voll) {
            continue;
        }
        f(&voll);
        if zwei {
            f(&einfach);
        }
    }
}

/// Every word of the portal is looked up here, so the stop words are kept as numbers
/// in a hash set: each fits into eight bytes.
fn ist_stoppwort(wort: &str) -> bool {
    static GEPACKT: LazyLock<HashSet<u64, BuildHasherDefault<Fx>>> =
        LazyLock::new(|| STOPPWOERTER.iter().filter_map(|w| gepackt(w)).collect());
    gepackt(wort).is_some_and(|n| GEPACKT.contains(&n))
}

/// A word of up to eight bytes as one number; words never contain NUL, so two words
/// give the same number only if they are the same.
fn gepackt(wort: &str) -> Option<u64> {
    let b = wort.as_bytes();
    let mut n = [0u8; 8];
    n.get_mut(..b.len())?.copy_from_slice(b);
    Some(u64::from_le_bytes(n))
}

/// The key of an exact match: the folded text without anything but letters and digits.
fn exakt_schluessel(text: &str) -> Vec<String> {
    let ohne: String = text.chars().filter(|c| wortzeichen(*c)).collect();
    if ohne.is_empty() {
        return Vec::new();
    }
    let (voll, einfach) = falte(&ohne);
    std::iter::once(voll)
        .chain(einfach)
        .map(|k| format!("={k}"))
        .collect()
}

/// A Markdown text as plain text: the words a reader sees, without markup, separated by
/// single spaces.
pub fn klartext(md: &str) -> String {
    // Container lines (`::: spalten`) are markup, not text; most texts have none, and
    // for them the text is parsed as it is rather than copied line by line first.
    let gefiltert: String;
    let quelle = if md.contains(":::") {
        gefiltert = md
            .lines()
            .filter(|l| !l.trim_start().starts_with(":::"))
            .flat_map(|l| [l, "\n"])
            .collect();
        &gefiltert
    } else {
        md
    };
    let mut out = Klartext::mit_platz(quelle.len());
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(quelle, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.text(&t),
            Event::SoftBreak | Event::HardBreak => out.luecke(),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.luecke(),
            _ => {}
        }
    }
    out.text
}

/// Plain text collected with its white space collapsed as it comes: one space between
/// words, none at either end. Text events follow each other without a gap where markup
/// sat inside a word (`Bürger**haus**`), so a word may be written in several pieces.
struct Klartext {
    text: String,
    /// White space since the last piece of a word.
    luecke: bool,
}

impl Klartext {
    fn mit_platz(n: usize) -> Klartext {
        Klartext {
            text: String::with_capacity(n),
            luecke: false,
        }
    }

    /// A break between words (a line break, the end of a block).
    fn luecke(&mut self) {
        self.luecke = true;
    }

    /// Reads bytes and decodes only non-ASCII characters, like [`woerter`]: every text
    /// of the portal passes through here.
    fn text(&mut self, t: &str) {
        let b = t.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < b.len() {
            let (leer, len) = if b[i] < 0x80 {
                // `char::is_whitespace` of ASCII: also the vertical tab.
                (
                    matches!(b[i], b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '),
                    1,
                )
            } else {
                let c = t[i..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            };
            if leer {
                self.stueck(&t[start..i]);
                self.luecke = true;
                start = i + len;
            }
            i += len;
        }
        self.stueck(&t[start..]);
    }

    fn stueck(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.luecke && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.luecke = false;
        self.text.push_str(s);
    }
}

fn namen(p: &Portal, ids: &[Id<Stadtteil>]) -> String {
    ids.iter()
        .map(|id| p[*id].name.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every searchable entry, in document order.
fn dokumente(p: &Portal) -> Vec<Dok<'_>> {
    let mut docs: Vec<Dok<'_>> = Vec::new();
    docs.par_extend(p.stadtteile.par_iter().enumerate().map(|(i, s)| {
        let id = Id::new(i);
        let mut felder = vec![(s.name.clone(), W_TITEL)];
        if let Some(n) = &s.nummer {
            felder.push((n.clone(), W_FELD));
        }
        if let Some(m) = &s.stadtteilmanagement {
            felder.push(("Stadtteilmanagement".into(), W_FELD));
            for t in [&m.traeger, &m.adresse].into_iter().flatten() {
                felder.push((t.clone(), W_FELD));
            }
        }
        Dok {
            art: Art::Stadtteil,
            titel: s.name.clone(),
            pfad: routes::stadtteil(p, id),
            stadtteile: vec![id],
            jahr: None,
            beispiel: s.meta.beispiel,
            exakt: exakt_schluessel(&s.name),
            felder,
            quelle: s.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs.par_extend(p.ags.par_iter().enumerate().map(|(i, a)| {
        let mut felder = vec![(a.name.clone(), W_TITEL), (namen(p, &a.stadtteile), W_FELD)];
        for s in &a.sitzungen {
            if let Some(t) = &s.thema {
                felder.push((t.clone(), W_TEXT));
            }
        }
        Dok {
            art: Art::Ag,
            titel: a.name.clone(),
            pfad: routes::ag(p, Id::new(i)),
            stadtteile: a.stadtteile.clone(),
            jahr: None,
            beispiel: a.meta.beispiel,
            exakt: exakt_schluessel(&a.name),
            felder,
            quelle: a.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs.par_extend(p.vorlagen.par_iter().enumerate().map(|(i, v)| {
        let nummer = v.nummer.as_str();
        let mut exakt = exakt_schluessel(&v.thema);
        exakt.extend(exakt_schluessel(nummer));
        // `I0264` alone, without the year.
        if let Some((ohne_jahr, _)) = nummer.split_once('/') {
            exakt.extend(exakt_schluessel(ohne_jahr));
        }
        let mut felder = vec![
            (nummer.to_string(), W_TITEL),
            (v.thema.clone(), W_TITEL),
            (v.art.bezeichnung().to_string(), W_FELD),
            (namen(p, &v.stadtteile), W_FELD),
        ];
        for t in [&v.dezernat, &v.amt].into_iter().flatten() {
            felder.push((t.clone(), W_FELD));
        }
        for b in &v.beratungsfolge {
            felder.push((b.gremium.clone(), W_TEXT));
        }
        Dok {
            art: Art::Vorlage,
            titel: format!("{nummer}: {}", v.thema),
            pfad: routes::vorlage(p, Id::new(i)),
            stadtteile: v.stadtteile.clone(),
            jahr: Some(i32::from(v.datum.year())),
            beispiel: v.meta.beispiel,
            exakt,
            felder,
            quelle: v.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs.par_extend(p.foren.par_iter().enumerate().map(|(i, f)| {
        let mut felder = vec![
            (f.titel.clone(), W_TITEL),
            (namen(p, &f.stadtteile), W_FELD),
        ];
        for t in [&f.ort, &f.veranstalter].into_iter().flatten() {
            felder.push((t.clone(), W_FELD));
        }
        for t in &f.tagesordnung {
            felder.push((t.clone(), W_TEXT));
        }
        Dok {
            art: Art::Forum,
            titel: f.titel.clone(),
            pfad: routes::forum(p, Id::new(i)),
            stadtteile: f.stadtteile.clone(),
            jahr: Some(i32::from(f.datum.year())),
            beispiel: f.meta.beispiel,
            exakt: exakt_schluessel(&f.titel),
            felder,
            quelle: f.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs.par_extend(p.seiten.par_iter().enumerate().map(|(i, s)| {
        let mut felder = vec![(s.titel.clone(), W_TITEL)];
        if let Some(k) = &s.kurztitel {
            felder.push((k.clone(), W_TITEL));
        }
        Dok {
            art: Art::Seite,
            titel: s.titel.clone(),
            pfad: routes::seite(p, Id::new(i)),
            stadtteile: Vec::new(),
            jahr: None,
            beispiel: s.meta.beispiel,
            exakt: exakt_schluessel(&s.titel),
            felder,
            quelle: s.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs.par_extend(p.projekte.par_iter().enumerate().map(|(i, pr)| {
        let mut felder = vec![
            (pr.titel.clone(), W_TITEL),
            (namen(p, &pr.stadtteile), W_FELD),
            (pr.foerderung.bezeichnung().to_string(), W_FELD),
        ];
        if let Some(ag) = pr.ag {
            felder.push((p[ag].name.clone(), W_FELD));
        }
        if let Some(t) = &pr.traeger {
            felder.push((t.clone(), W_FELD));
        }
        if let Some(a) = pr.ort.as_ref().and_then(|o| o.adresse.as_ref()) {
            felder.push((a.clone(), W_FELD));
        }
        Dok {
            art: Art::Projekt,
            titel: pr.titel.clone(),
            pfad: routes::projekt(p, Id::new(i)),
            stadtteile: pr.stadtteile.clone(),
            jahr: Some(pr.jahr),
            beispiel: pr.meta.beispiel,
            exakt: exakt_schluessel(&pr.titel),
            felder,
            quelle: pr.meta.text.as_ref(),
            text: String::new(),
        }
    }));
    docs
}

/// A posting while the index is collected: document, weight, occurrences in the text.
#[derive(Clone, Copy)]
struct Posting {
    dok: u32,
    w: u8,
    oft: u8,
}

/// A fast hash for the many short keys (FxHash, as in rustc): the keys come from the
/// portal's own content, so resistance to flooding buys nothing here.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Postings = HashMap<String, Vec<Posting>, BuildHasherDefault<Fx>>;

/// Notes key `k` of document `dok` with weight `w` (`text`: an occurrence in the body).
fn merke(map: &mut Postings, k: &str, dok: u32, w: u8, text: bool) {
    let liste = match map.get_mut(k) {
        Some(l) => l,
        None => map.entry(k.to_string()).or_default(),
    };
    match liste.last_mut() {
        Some(p) if p.dok == dok => {
            if text {
                p.oft = p.oft.saturating_add(1);
                if p.oft >= 3 {
                    p.w = p.w.max(W_TEXT_OFT);
                }
            }
            p.w = p.w.max(w);
        }
        _ => liste.push(Posting {
            dok,
            w,
            oft: u8::from(text),
        }),
    }
}

/// The keys of document `n` into `map`; its body is `text`, as plain text.
fn sammle(map: &mut Postings, n: u32, d: &Dok, text: &str) {
    for (text, g) in &d.felder {
        woerter(text, |k| merke(map, k, n, *g, false));
    }
    woerter(text, |k| merke(map, k, n, W_TEXT, true));
    for k in &d.exakt {
        merke(map, k, n, W_EXAKT, false);
    }
    for s in &d.stadtteile {
        merke(map, &format!("~s{}", s.index()), n, 0, false);
    }
    if let Some(j) = d.jahr {
        merke(map, &format!("~j{j}"), n, 0, false);
    }
}

/// The postings of all documents, each list in document order. Each body is read as
/// plain text only here, one at a time per core, and each document keeps only the start
/// of it, which a result shows: at 100,000 projects the plain texts of all bodies are
/// some 200 MB, as much as the postings.
fn postings(docs: &mut [Dok]) -> Postings {
    docs.par_iter_mut()
        .enumerate()
        // Fewer, larger parts: each part's map holds most of the vocabulary.
        .with_min_len(512)
        .fold(Postings::default, |mut map, (n, d)| {
            let text = d.quelle.map(|m| klartext(m.text())).unwrap_or_default();
            sammle(&mut map, n as u32, d, &text);
            d.text = kurz(&text, TEXT_ZEICHEN).to_owned();
            map
        })
        // Rayon keeps the order of the parts: `b` holds later documents than `a`.
        .reduce(Postings::default, |mut a, b| {
            if a.len() < b.len() {
                let mut b = b;
                for (k, mut liste) in a {
                    let l = b.entry(k).or_default();
                    liste.append(l);
                    *l = liste;
                }
                return b;
            }
            for (k, mut liste) in b {
                a.entry(k).or_default().append(&mut liste);
            }
            a
        })
}

#[derive(Serialize)]
struct MetaJson<'a> {
    /// Changes with every change of the index; the script asks for files with it, so
    /// no browser mixes files of two builds.
    version: String,
    dokumente: usize,
    chunk: usize,
    arten: Vec<ArtJson>,
    stadtteile: Vec<StadtteilJson<'a>>,
    jahre: Vec<i32>,
    stoppwoerter: &'static [&'static str],
    /// The first key of each shard, sorted.
    grenzen: Vec<String>,
}

#[derive(Serialize)]
struct ArtJson {
    code: &'static str,
    name: &'static str,
    von: usize,
    bis: usize,
}

#[derive(Serialize)]
struct StadtteilJson<'a> {
    slug: &'a str,
    name: &'a str,
}

/// What a result shows.
#[derive(Serialize)]
struct Anzeige<'a> {
    t: &'a str,
    a: &'static str,
    u: &'a str,
    #[serde(skip_serializing_if = "String::is_empty")]
    s: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    j: Option<i32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    b: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    x: &'a str,
}

fn kurz(text: &str, zeichen: usize) -> &str {
    match text.char_indices().nth(zeichen) {
        Some((i, _)) => {
            // End at a word boundary where one is near.
            let t = &text[..i];
            match t.rfind(' ') {
                Some(j) if j > i * 3 / 4 => &text[..j],
                _ => t,
            }
        }
        None => text,
    }
}

/// Digits of the posting lists: a number is written in base 32, most significant digit
/// first, its last digit from `ENDE` and the others from `WEITER`. A posting of the next
/// document or one nearby takes one character.
const ENDE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
const WEITER: &[u8; 32] = b"ghijklmnopqrstuvwxyz0123456789-_";

fn zahl(s: &mut String, mut n: u64) {
    let mut ziffern = [0u8; 13];
    let mut i = ziffern.len();
    loop {
        i -= 1;
        ziffern[i] = (n & 31) as u8;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    let letzte = ziffern.len() - 1;
    for (j, z) in ziffern.iter().enumerate().skip(i) {
        let tabelle = if j == letzte { ENDE } else { WEITER };
        s.push(char::from(tabelle[usize::from(*z)]));
    }
}

/// Every file of the search index.
pub fn outputs(p: &Portal) -> Vec<Output> {
    let mut docs = dokumente(p);
    let postings = postings(&mut docs);
    let mut postings: Vec<(String, Vec<Posting>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // Each list is freed once encoded, and each encoded entry once it is in its shard:
    // at 100,000 projects the three forms together took hundreds of MB.
    let kodiert: Vec<(String, String)> = postings
        .into_par_iter()
        .map(|(k, mut liste)| {
            // Already in document order (see `postings`); sorting a sorted list is a
            // linear check, and the distances below must never be negative.
            liste.sort_unstable_by_key(|p| p.dok);
            let mut s = String::with_capacity(k.len() + 6 + liste.len() * 2);
            s.push_str(&serde_json::to_string(&k).unwrap_or_default());
            s.push_str(":\"");
            let mut vorher = 0u32;
            for p in &liste {
                zahl(&mut s, u64::from(p.dok - vorher) * 8 + u64::from(p.w));
                vorher = p.dok;
            }
            s.push('"');
            (k, s)
        })
        .collect();
    // Cut the sorted keys into shards.
    let mut grenzen = Vec::new();
    let mut shards: Vec<String> = Vec::new();
    let mut aktuell = String::new();
    for (k, eintrag) in kodiert {
        if aktuell.is_empty() {
            grenzen.push(k);
            aktuell.push('{');
        } else {
            aktuell.push(',');
        }
        aktuell.push_str(&eintrag);
        if aktuell.len() >= SHARD_BYTES {
            aktuell.push('}');
            shards.push(std::mem::take(&mut aktuell));
        }
    }
    if !aktuell.is_empty() {
        aktuell.push('}');
        shards.push(aktuell);
    }
    let anzeige: Vec<String> = docs
        .par_chunks(CHUNK)
        .map(|chunk| {
            let v: Vec<Anzeige> = chunk
                .iter()
                .map(|d| Anzeige {
                    t: &d.titel,
                    a: d.art.code(),
                    u: &d.pfad,
                    s: d.stadtteile
                        .iter()
                        .map(|s| p[*s].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    j: d.jahr,
                    b: d.beispiel,
                    x: &d.text,
                })
                .collect();
            serde_json::to_string(&v).unwrap_or_default()
        })
        .collect();
    let mut hasher = siphasher::sip::SipHasher13::new();
    for s in shards.iter().chain(&anzeige) {
        hasher.write(s.as_bytes());
    }
    let mut arten = Vec::new();
    for art in Art::ALLE {
        let von = docs.iter().position(|d| d.art == art);
        if let Some(von) = von {
            let bis = von + docs[von..].iter().take_while(|d| d.art == art).count();
            arten.push(ArtJson {
                code: art.code(),
                name: art.name(),
                von,
                bis,
            });
        }
    }
    let meta = MetaJson {
        version: format!("{:016x}", hasher.finish()),
        dokumente: docs.len(),
        chunk: CHUNK,
        arten,
        stadtteile: p
            .stadtteile
            .iter()
            .map(|s| StadtteilJson {
                slug: &s.meta.slug,
                name: &s.name,
            })
            .collect(),
        jahre: jahre(p),
        stoppwoerter: STOPPWOERTER,
        grenzen,
    };
    let mut out = vec![Output {
        path: format!("{ORDNER}meta.json"),
        content: Content::Bytes(serde_json::to_vec(&meta).unwrap_or_default()),
    }];
    out.extend(shards.into_iter().enumerate().map(|(i, s)| Output {
        path: format!("{ORDNER}t/{i}.json"),
        content: Content::Bytes(s.into_bytes()),
    }));
    out.extend(anzeige.into_iter().enumerate().map(|(i, s)| Output {
        path: format!("{ORDNER}d/{i}.json"),
        content: Content::Bytes(s.into_bytes()),
    }));
    out
}

/// The years entries have, newest first (for the filter).
pub fn jahre(p: &Portal) -> Vec<i32> {
    let mut jahre: Vec<i32> = p
        .projekte
        .iter()
        .map(|x| x.jahr)
        .chain(p.foren.iter().map(|f| i32::from(f.datum.year())))
        .chain(p.vorlagen.iter().map(|v| i32::from(v.datum.year())))
        .collect();
    jahre.sort_unstable_by(|a, b| b.cmp(a));
    jahre.dedup();
    jahre
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alle(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        woerter(text, |w| v.push(w.to_string()));
        v
    }

    #[test]
    fn stoppwoerter_sind_sortiert() {
        assert!(STOPPWOERTER.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn faltet_deutsch() {
        assert_eq!(alle("Straße"), ["strasse"]);
        assert_eq!(alle("Brückfeld"), ["brueckfeld", "bruckfeld"]);
        assert_eq!(
            alle("Die Buckauer Fähre und I0264/09"),
            ["buckauer", "faehre", "fahre", "i0264", "09"]
        );
        assert_eq!(alle("Café"), ["cafe"]);
        assert_eq!(alle("Bru\u{308}ckfeld"), ["brueckfeld", "bruckfeld"]);
    }

    #[test]
    fn zahlen_kurz_und_eindeutig() {
        let mut s = String::new();
        for n in [0, 9, 31, 32, 1023, 1024, 80_007] {
            zahl(&mut s, n);
        }
        assert_eq!(s, "AJfhA_fhgAiukH");
    }

    #[test]
    fn exakte_schluessel() {
        assert_eq!(exakt_schluessel("I0264/09"), ["=i026409"]);
        assert_eq!(exakt_schluessel("Alte Neustadt"), ["=alteneustadt"]);
        assert_eq!(exakt_schluessel("Brückfeld"), ["=brueckfeld", "=bruckfeld"]);
    }

    #[test]
    fn klartext_ohne_markup() {
        let t = klartext(
            "# Titel\n\nEin **fetter** [Link](/x/).\n\n::: hinweis\nKasten\n:::\n\n- a\n- b\n",
        );
        assert_eq!(t, "Titel Ein fetter Link. Kasten a b");
    }

    #[test]
    fn klartext_faengt_leerraum_zusammen() {
        // Markup inside a word keeps the word whole; breaks and blocks separate words;
        // Windows line ends and non-breaking spaces count as white space.
        let t = klartext(
            "  Bürger**haus** am\r\nSee\u{a0} und\u{b}\u{3000}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode  zeile\n```\n",
        );
        assert_eq!(t, "Bürgerhaus am See und a b 1 2 code zeile");
        assert_eq!(klartext(""), "");
        assert_eq!(klartext(" \n\n "), "");
    }

    #[test]
    fn stoppwoerter_werden_erkannt() {
        for w in STOPPWOERTER {
            assert!(ist_stoppwort(w), "{w}");
        }
        for w in ["de", "werdenx", "a", "", "sieben", "fuerbitte"] {
            assert!(!ist_stoppwort(w), "{w}");
        }
    }
}
