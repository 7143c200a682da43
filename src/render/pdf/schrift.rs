//! The font of the PDFs: Source Sans 3 (SIL Open Font License), shipped with the default
//! theme in `themes/default/fonts/` and embedded into every PDF as a subset.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use krilla::text::{GlyphId, KrillaGlyph};

use super::inhalt::Stil;

/// A glyph of a shaped word, in font units; `von..bis` is its cluster in the word.
#[derive(Clone, Copy)]
struct Glyphe {
    id: u16,
    x_advance: i32,
    x_offset: i32,
    y_offset: i32,
    von: u32,
    bis: u32,
}

/// Words shaped so far, one map per style. Vorlagen share most of their words, and
/// shaping (rustybuzz walking the font's layout tables) was the largest cost of a PDF;
/// one cache per thread needs no lock.
type Woerter = [HashMap<Box<str>, Rc<[Glyphe]>>; 4];

thread_local! {
    static WOERTER: RefCell<Woerter> = RefCell::new(Default::default());
}

/// More distinct words of a style than any city's Vorlagen have; past it that style's
/// cache starts over.
const WOERTER_HOECHSTENS: usize = 200_000;

/// `text` cut where spaces begin and end: words and runs of spaces, with their offsets.
fn stuecke(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    let mut zeichen = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (_, c) = *zeichen.peek()?;
        let leer = c.is_whitespace();
        let mut ende = text.len();
        while let Some(&(i, c)) = zeichen.peek() {
            if c.is_whitespace() != leer {
                ende = i;
                break;
            }
            zeichen.next();
        }
        let teil = (start, &text[start..ende]);
        start = ende;
        Some(teil)
    })
}

/// One style of the font: what krilla embeds and what the typesetter measures.
///
/// Text is measured the way krilla draws it: shaped by rustybuzz, with kerning. Summing
/// plain advance widths would leave small gaps where a kerned word is followed by a
/// piece in another style, and text extraction would read a word break there.
///
/// Text is shaped word by word (a word and the spaces after it are shaped apart), both
/// for measuring and for drawing, so that every word is shaped once per thread.
pub struct Schnitt {
    pub font: krilla::text::Font,
    face: rustybuzz::Face<'static>,
    einheiten: f32,
    /// Which of the four styles, for the word cache.
    nr: u8,
}

impl Schnitt {
    fn laden(daten: &'static [u8], nr: u8) -> Option<Schnitt> {
        let face = rustybuzz::Face::from_slice(daten, 0)?;
        let font = krilla::text::Font::new(daten.into(), 0)?;
        let einheiten = f32::from(face.units_per_em() as u16);
        Some(Schnitt {
            font,
            face,
            einheiten,
            nr,
        })
    }

    /// The glyphs of one word (or run of spaces), shaped once per thread.
    fn wort(&self, wort: &str) -> Rc<[Glyphe]> {
        WOERTER.with_borrow_mut(|woerter| {
            let woerter = &mut woerter[usize::from(self.nr)];
            if let Some(g) = woerter.get(wort) {
                return g.clone();
            }
            if woerter.len() >= WOERTER_HOECHSTENS {
                woerter.clear();
            }
            let g = self.formen(wort);
            woerter.insert(wort.into(), g.clone());
            g
        })
    }

    fn formen(&self, text: &str) -> Rc<[Glyphe]> {
        let mut puffer = rustybuzz::UnicodeBuffer::new();
        puffer.push_str(text);
        puffer.guess_segment_properties();
        // Always left to right: the clusters below and krilla's glyph runs assume it, and
        // a right-to-left run (Hebrew, Arabic) came back with its clusters reversed,
        // which krilla sliced backwards and aborted on. The shipped font has no glyphs
        // for those scripts; they are drawn as the font's placeholder either way.
        puffer.set_direction(rustybuzz::Direction::LeftToRight);
        let geformt = rustybuzz::shape(&self.face, &[], puffer);
        let infos = geformt.glyph_infos();
        geformt
            .glyph_positions()
            .iter()
            .zip(infos)
            .enumerate()
            .map(|(i, (pos, info))| {
                // A cluster runs to the start of the next glyph's cluster (left to right).
                let bis = infos[i + 1..]
                    .iter()
                    .map(|n| n.cluster)
                    .find(|&c| c != info.cluster)
                    .unwrap_or(text.len() as u32);
                Glyphe {
                    id: info.glyph_id as u16,
                    x_advance: pos.x_advance,
                    x_offset: pos.x_offset,
                    y_offset: pos.y_offset,
                    von: info.cluster,
                    bis,
                }
            })
            .collect()
    }

    /// Width in font units of `text` as shaped.
    fn einheiten(&self, text: &str) -> i32 {
        stuecke(text)
            .map(|(_, w)| self.wort(w).iter().map(|g| g.x_advance).sum::<i32>())
            .sum()
    }

    /// The glyphs of `text` for krilla, with clusters relative to `text`.
    pub fn glyphen(&self, text: &str) -> Vec<KrillaGlyph> {
        let e = self.einheiten;
        let mut glyphen = Vec::with_capacity(text.len());
        for (start, wort) in stuecke(text) {
            for g in self.wort(wort).iter() {
                glyphen.push(KrillaGlyph::new(
                    GlyphId::new(u32::from(g.id)),
                    g.x_advance as f32 / e,
                    g.x_offset as f32 / e,
                    g.y_offset as f32 / e,
                    0.0,
                    start + g.von as usize..start + g.bis as usize,
                    None,
                ));
            }
        }
        glyphen
    }
}

pub struct Schriften {
    normal: Schnitt,
    fett: Schnitt,
    kursiv: Schnitt,
    fett_kursiv: Schnitt,
}

impl Schriften {
    /// The fonts, loaded once per process.
    pub fn get() -> &'static Schriften {
        static SCHRIFTEN: OnceLock<Schriften> = OnceLock::new();
        SCHRIFTEN.get_or_init(|| {
            let laden = |name: &str, nr: u8| {
                crate::render::theme::eingebaute_datei(&format!("fonts/{name}"))
                    .and_then(|d| Schnitt::laden(d, nr))
                    .unwrap_or_else(|| panic!("the default theme lacks fonts/{name}"))
            };
            Schriften {
                normal: laden("SourceSans3-Regular.ttf", 0),
                fett: laden("SourceSans3-Bold.ttf", 1),
                kursiv: laden("SourceSans3-It.ttf", 2),
                fett_kursiv: laden("SourceSans3-BoldIt.ttf", 3),
            }
        })
    }

    pub fn schnitt(&self, stil: Stil) -> &Schnitt {
        match (stil.fett, stil.kursiv) {
            (false, false) => &self.normal,
            (true, false) => &self.fett,
            (false, true) => &self.kursiv,
            (true, true) => &self.fett_kursiv,
        }
    }

    /// Width of `text` in points at `groesse`.
    pub fn breite(&self, stil: Stil, text: &str, groesse: f32) -> f32 {
        let s = self.schnitt(stil);
        s.einheiten(text) as f32 * groesse / s.einheiten
    }
}
