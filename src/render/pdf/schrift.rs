//! The font of the PDFs: Source Sans 3 (SIL Open Font License), shipped with the default
//! theme in `themes/default/fonts/` and embedded into every PDF as a subset.

use std::sync::OnceLock;

use super::inhalt::Stil;

/// One style of the font: what krilla embeds and what the typesetter measures.
///
/// Text is measured the way krilla draws it: shaped by rustybuzz, with kerning. Summing
/// plain advance widths would leave small gaps where a kerned word is followed by a
/// piece in another style, and text extraction would read a word break there.
pub struct Schnitt {
    pub font: krilla::text::Font,
    face: rustybuzz::Face<'static>,
    einheiten: f32,
}

impl Schnitt {
    fn laden(daten: &'static [u8]) -> Option<Schnitt> {
        let face = rustybuzz::Face::from_slice(daten, 0)?;
        let font = krilla::text::Font::new(daten.into(), 0)?;
        let einheiten = f32::from(face.units_per_em() as u16);
        Some(Schnitt {
            font,
            face,
            einheiten,
        })
    }

    /// Width in font units of `text` as shaped.
    fn einheiten(&self, text: &str) -> i32 {
        if text.is_empty() {
            return 0;
        }
        let mut puffer = rustybuzz::UnicodeBuffer::new();
        puffer.push_str(text);
        let glyphen = rustybuzz::shape(&self.face, &[], puffer);
        glyphen.glyph_positions().iter().map(|p| p.x_advance).sum()
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
        s.einheiten(text) as f32 * groesse / s.einheiten
    }
}
