//! The font of the PDFs: Source Sans 3 (SIL Open Font License), shipped with the default
//! theme in `themes/default/fonts/` and embedded into every PDF as a subset.

use std::sync::OnceLock;

use super::inhalt::Stil;

/// One style of the font: what krilla embeds and what the typesetter measures.
pub struct Schnitt {
    pub font: krilla::text::Font,
    face: ttf_parser::Face<'static>,
    /// Advance widths in font units of the first 0x250 code points (Latin), the
    /// characters of nearly every German text; others are looked up.
    latein: Vec<u16>,
    einheiten: f32,
}

impl Schnitt {
    fn laden(daten: &'static [u8]) -> Option<Schnitt> {
        let face = ttf_parser::Face::parse(daten, 0).ok()?;
        let font = krilla::text::Font::new(daten.into(), 0)?;
        let einheiten = f32::from(face.units_per_em());
        let latein = (0u32..0x250)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|c| face.glyph_index(c))
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0)
            })
            .collect();
        Some(Schnitt {
            font,
            face,
            latein,
            einheiten,
        })
    }

    fn vorschub(&self, c: char) -> u16 {
        match self.latein.get(c as usize) {
            Some(w) => *w,
            None => self
                .face
                .glyph_index(c)
                .and_then(|g| self.face.glyph_hor_advance(g))
                .unwrap_or(self.latein[b'x' as usize]),
        }
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
            let laden = |name: &str| {
                crate::render::theme::eingebaute_datei(&format!("fonts/{name}"))
                    .and_then(Schnitt::laden)
                    .unwrap_or_else(|| panic!("the default theme lacks fonts/{name}"))
            };
            Schriften {
                normal: laden("SourceSans3-Regular.ttf"),
                fett: laden("SourceSans3-Bold.ttf"),
                kursiv: laden("SourceSans3-It.ttf"),
                fett_kursiv: laden("SourceSans3-BoldIt.ttf"),
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
        let einheiten: u32 = text.chars().map(|c| u32::from(s.vorschub(c))).sum();
        einheiten as f32 * groesse / s.einheiten
    }
}
