//! Typesetting: breaks the blocks of a Vorlage into lines and pages and records, beside
//! the positioned text, the logical structure a screen reader follows (PDF/UA tags).
//!
//! Coordinates are PDF points with the origin at the top left of the page, y growing
//! downwards; a text position is the start of its baseline.

use super::inhalt::{Block, Lauf, Stil, Text};
use super::schrift::Schriften;

pub const BREITE: f32 = 595.28;
pub const HOEHE: f32 = 841.89;
/// 25 mm on the left leave room for punching and filing.
pub const LINKS: f32 = 70.87;
pub const RECHTS: f32 = BREITE - 56.69;
pub const OBEN: f32 = 62.0;
/// Below this the footer (page number) sits.
pub const UNTEN: f32 = HOEHE - 64.0;

pub const GROESSE: f32 = 11.0;
pub const ZEILE: f32 = 15.4;
const FN_GROESSE: f32 = 8.5;
const FN_ZEILE: f32 = 11.5;
const ABSATZ: f32 = 6.0;
const EINZUG: f32 = 14.0;
/// The narrowest a line is set, in points.
const MIN_BREITE: f32 = 12.0;

/// The logical role of a node of the structure tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Rolle {
    Absatz,
    Ueberschrift { ebene: u8, titel: String },
    Liste { nummeriert: bool },
    Punkt,
    Marke,
    Rumpf,
    Tabelle,
    Zeile,
    Kopfzelle,
    Zelle,
    Fussnote,
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Knoten(usize),
    /// A piece of text, by index into `Satz::stuecke`.
    Text(usize),
}

#[derive(Debug)]
pub struct Knoten {
    pub rolle: Rolle,
    pub kinder: Vec<Kind>,
}

/// A piece of text in one style on one line.
#[derive(Debug)]
pub struct Stueck {
    pub seite: usize,
    pub x: f32,
    pub y: f32,
    pub stil: Stil,
    pub groesse: f32,
    pub text: String,
    /// Grey instead of black (labels).
    pub grau: bool,
}

/// A rule, drawn as an artifact.
#[derive(Debug)]
pub struct Linie {
    pub seite: usize,
    pub von: (f32, f32),
    pub bis: (f32, f32),
    pub staerke: f32,
}

/// The typeset document.
#[derive(Debug, Default)]
pub struct Satz {
    pub stuecke: Vec<Stueck>,
    pub linien: Vec<Linie>,
    /// Top-level nodes in reading order, by index into `knoten`.
    pub wurzel: Vec<usize>,
    pub knoten: Vec<Knoten>,
    pub seiten: usize,
    /// Headings for the outline: page, top, title.
    pub ueberschriften: Vec<(usize, f32, String)>,
}

/// One line of a paragraph: pieces with their x offset, and the footnotes it refers to.
struct Zeile {
    teile: Vec<(f32, Stil, String)>,
    fussnoten: Vec<usize>,
}

pub struct Setzer<'a> {
    schriften: &'a Schriften,
    fussnoten: &'a [Text],
    pub satz: Satz,
    /// Top of the next line.
    y: f32,
    /// Footnotes placed on the current page, with their height.
    fn_seite: Vec<usize>,
    fn_hoehe: f32,
    /// Footnotes already placed (each is printed once, where first referenced).
    fn_gesetzt: Vec<bool>,
    /// Footnote nodes waiting to be put into the structure after the current block.
    fn_knoten: Vec<usize>,
    /// Open lists: (depth, list node, last item node).
    listen: Vec<(u8, usize, Option<usize>)>,
}

impl<'a> Setzer<'a> {
    pub fn new(schriften: &'a Schriften, fussnoten: &'a [Text]) -> Self {
        Setzer {
            schriften,
            fussnoten,
            satz: Satz {
                seiten: 1,
                ..Default::default()
            },
            y: OBEN,
            fn_seite: Vec::new(),
            fn_hoehe: 0.0,
            fn_gesetzt: vec![false; fussnoten.len()],
            fn_knoten: Vec::new(),
            listen: Vec::new(),
        }
    }

    fn seite(&self) -> usize {
        self.satz.seiten - 1
    }

    fn knoten(&mut self, rolle: Rolle) -> usize {
        self.satz.knoten.push(Knoten {
            rolle,
            kinder: Vec::new(),
        });
        self.satz.knoten.len() - 1
    }

    fn kind(&mut self, eltern: usize, kind: Kind) {
        self.satz.knoten[eltern].kinder.push(kind);
    }

    /// A top-level node; closes open lists unless it is one.
    fn oben(&mut self, k: usize) {
        self.satz.wurzel.push(k);
        let wartend = std::mem::take(&mut self.fn_knoten);
        self.satz.wurzel.extend(wartend);
    }

    pub fn neue_seite(&mut self) {
        self.fussnoten_setzen();
        self.satz.seiten += 1;
        self.y = OBEN;
    }

    /// Space left on the page for body text.
    fn rest(&self) -> f32 {
        UNTEN - self.fn_hoehe - self.y
    }

    pub fn abstand(&mut self, pt: f32) {
        if self.y > OBEN {
            self.y += pt;
        }
    }

    /// Starts a new page unless `hoehe` fits.
    pub fn platz(&mut self, hoehe: f32) {
        if self.rest() < hoehe && self.y > OBEN {
            self.neue_seite();
        }
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn linie(&mut self, x1: f32, x2: f32, y: f32, staerke: f32) {
        let seite = self.seite();
        self.satz.linien.push(Linie {
            seite,
            von: (x1, y),
            bis: (x2, y),
            staerke,
        });
    }

    /// Places one piece of text and hangs it under `eltern`.
    #[allow(clippy::too_many_arguments)]
    pub fn stueck(
        &mut self,
        eltern: usize,
        x: f32,
        grundlinie: f32,
        stil: Stil,
        groesse: f32,
        text: &str,
        grau: bool,
    ) {
        let seite = self.seite();
        self.satz.stuecke.push(Stueck {
            seite,
            x,
            y: grundlinie,
            stil,
            groesse,
            text: text.to_string(),
            grau,
        });
        let i = self.satz.stuecke.len() - 1;
        self.kind(eltern, Kind::Text(i));
    }

    /// Width of a word (or any text) at `groesse`, a trailing space included.
    fn breite(&self, stil: Stil, text: &str, groesse: f32) -> f32 {
        let (kern, leer) = match text.strip_suffix(' ') {
            Some(k) => (k, true),
            None => (text, false),
        };
        // Words are shaped once per thread (`Schriften`); measured at size 1, as the
        // line breaker has always added them.
        let messen = |t: &str| self.schriften.breite(stil, t, 1.0);
        let w = messen(kern) + if leer { messen(" ") } else { 0.0 };
        w * groesse
    }

    /// Breaks `text` into lines of at most `breite` at `groesse`.
    fn umbrechen(&self, text: &[Lauf], breite: f32, groesse: f32) -> Vec<Zeile> {
        // A deeply nested list item or a cell of a table with very many columns could
        // have no room at all (found by fuzzing: a negative width cut an empty word).
        let breite = breite.max(MIN_BREITE);
        let mut zeilen = vec![Zeile {
            teile: Vec::new(),
            fussnoten: Vec::new(),
        }];
        let mut x = 0.0f32;
        // Words with their style; a word keeps its trailing space, so copied text has
        // its spaces (PDF/UA asks for real spaces between words).
        for lauf in text {
            let g = if lauf.stil.hoch {
                groesse * 0.65
            } else {
                groesse
            };
            for wort in lauf.text.split_inclusive(' ') {
                let w = self.breite(lauf.stil, wort.trim_end(), g);
                let mit_leer = self.breite(lauf.stil, wort, g);
                if x + w > breite && x > 0.0 {
                    if let Some(z) = zeilen.last_mut()
                        && let Some(t) = z.teile.last_mut()
                    {
                        let ende = t.2.trim_end().len();
                        t.2.truncate(ende);
                    }
                    zeilen.push(Zeile {
                        teile: Vec::new(),
                        fussnoten: Vec::new(),
                    });
                    x = 0.0;
                }
                let mut rest = wort;
                // A word longer than the line is cut where it must be. Only the piece on
                // the line is measured, never the whole rest again: a word of 100,000
                // characters in a narrow cell would take minutes (found by fuzzing).
                while x == 0.0 && !rest.trim_end().is_empty() && w > breite {
                    let mut ende = 0;
                    let mut passt = true;
                    for (i, c) in rest.char_indices() {
                        if self
                            .schriften
                            .breite(lauf.stil, rest[..i + c.len_utf8()].trim_end(), g)
                            > breite
                        {
                            passt = false;
                            break;
                        }
                        ende = i + c.len_utf8();
                    }
                    if passt {
                        break;
                    }
                    let ende = ende.max(rest.chars().next().map_or(1, char::len_utf8));
                    let z = zeilen.last_mut().expect("a line");
                    z.teile.push((0.0, lauf.stil, rest[..ende].to_string()));
                    zeilen.push(Zeile {
                        teile: Vec::new(),
                        fussnoten: Vec::new(),
                    });
                    rest = &rest[ende..];
                }
                if rest.is_empty() {
                    continue;
                }
                let z = zeilen.last_mut().expect("a line");
                if lauf.stil.hoch
                    && let Ok(n) = rest.trim().parse::<usize>()
                {
                    z.fussnoten.push(n);
                }
                match z.teile.last_mut() {
                    Some(t) if t.1 == lauf.stil => t.2.push_str(rest),
                    _ => z.teile.push((x, lauf.stil, rest.to_string())),
                }
                x += if rest.len() == wort.len() {
                    mit_leer
                } else {
                    self.breite(lauf.stil, rest, g)
                };
            }
        }
        if let Some(t) = zeilen.last_mut().and_then(|z| z.teile.last_mut()) {
            let ende = t.2.trim_end().len();
            t.2.truncate(ende);
        }
        zeilen.retain(|z| !z.teile.is_empty());
        zeilen
    }

    /// Height of footnote `n` (from 1) at the bottom of a page.
    fn fussnote_hoehe(&self, n: usize) -> f32 {
        let text = &self.fussnoten[n - 1];
        self.umbrechen(text, RECHTS - LINKS - 12.0, FN_GROESSE)
            .len() as f32
            * FN_ZEILE
            + 2.0
    }

    /// Sets lines of text at `x` in `breite`, each hung under `eltern`; keeps footnotes
    /// on the page of their reference.
    pub fn zeilen(
        &mut self,
        eltern: usize,
        text: &[Lauf],
        x: f32,
        breite: f32,
        groesse: f32,
        zeile: f32,
    ) {
        for z in self.umbrechen(text, breite, groesse) {
            let neu: Vec<usize> = z
                .fussnoten
                .iter()
                .copied()
                .filter(|n| *n >= 1 && *n <= self.fussnoten.len() && !self.fn_gesetzt[n - 1])
                .collect();
            let mut fn_extra: f32 = neu.iter().map(|n| self.fussnote_hoehe(*n)).sum();
            if !neu.is_empty() && self.fn_seite.is_empty() {
                fn_extra += 12.0;
            }
            self.platz(zeile + fn_extra);
            let grundlinie = self.y + groesse;
            for (dx, stil, t) in &z.teile {
                let (g, y) = if stil.hoch {
                    (groesse * 0.65, grundlinie - groesse * 0.33)
                } else {
                    (groesse, grundlinie)
                };
                self.stueck(eltern, x + dx, y, *stil, g, t, false);
            }
            self.y += zeile;
            for n in neu {
                if self.fn_seite.is_empty() {
                    self.fn_hoehe += 12.0;
                }
                self.fn_gesetzt[n - 1] = true;
                self.fn_hoehe += self.fussnote_hoehe(n);
                self.fn_seite.push(n);
            }
        }
    }

    /// Puts the footnotes of the current page at its bottom.
    fn fussnoten_setzen(&mut self) {
        if self.fn_seite.is_empty() {
            return;
        }
        let mut y = UNTEN - self.fn_hoehe + 12.0;
        self.linie(LINKS, LINKS + 120.0, y - 7.0, 0.5);
        for n in std::mem::take(&mut self.fn_seite) {
            let k = self.knoten(Rolle::Fussnote);
            let marke = self.knoten(Rolle::Marke);
            self.kind(k, Kind::Knoten(marke));
            self.stueck(
                marke,
                LINKS,
                y + FN_GROESSE,
                Stil::NORMAL,
                FN_GROESSE,
                &n.to_string(),
                false,
            );
            let text = self.fussnoten[n - 1].clone();
            for z in self.umbrechen(&text, RECHTS - LINKS - 12.0, FN_GROESSE) {
                for (dx, stil, t) in &z.teile {
                    self.stueck(
                        k,
                        LINKS + 12.0 + dx,
                        y + FN_GROESSE,
                        *stil,
                        FN_GROESSE,
                        t,
                        false,
                    );
                }
                y += FN_ZEILE;
            }
            y += 2.0;
            self.fn_knoten.push(k);
        }
        self.fn_hoehe = 0.0;
    }

    /// Ends the document: footnotes of the last page.
    pub fn fertig(mut self) -> Satz {
        self.fussnoten_setzen();
        let wartend = std::mem::take(&mut self.fn_knoten);
        self.satz.wurzel.extend(wartend);
        self.satz
    }

    /// Ends open lists, with the space a paragraph leaves after it.
    fn liste_beenden(&mut self) {
        if !self.listen.is_empty() {
            self.listen.clear();
            self.y += ABSATZ - 2.0;
        }
    }

    /// A paragraph of body text.
    pub fn absatz(&mut self, text: &[Lauf]) {
        self.liste_beenden();
        let k = self.knoten(Rolle::Absatz);
        self.zeilen(k, text, LINKS, RECHTS - LINKS, GROESSE, ZEILE);
        self.y += ABSATZ;
        self.oben(k);
    }

    /// A paragraph in a given style and size (letterhead, signature).
    pub fn zeile_frei(&mut self, text: &str, stil: Stil, groesse: f32, zeile: f32) {
        self.liste_beenden();
        let k = self.knoten(Rolle::Absatz);
        let lauf = [Lauf {
            stil,
            text: text.to_string(),
        }];
        self.zeilen(k, &lauf, LINKS, RECHTS - LINKS, groesse, zeile);
        self.oben(k);
    }

    /// One piece of text at a fixed place, as a paragraph of its own (the number beside
    /// the kind of the Vorlage).
    pub fn einzelstueck(&mut self, x: f32, grundlinie: f32, stil: Stil, groesse: f32, text: &str) {
        let k = self.knoten(Rolle::Absatz);
        self.stueck(k, x, grundlinie, stil, groesse, text, false);
        self.oben(k);
    }

    pub fn ueberschrift(&mut self, ebene: u8, text: &[Lauf]) {
        self.liste_beenden();
        let groesse = match ebene {
            1 => 15.0,
            2 => 13.0,
            3 => 12.0,
            _ => GROESSE,
        };
        let titel: String = text.iter().map(|l| l.text.as_str()).collect();
        let fett: Vec<Lauf> = text
            .iter()
            .map(|l| Lauf {
                stil: Stil {
                    fett: true,
                    ..l.stil
                },
                text: l.text.clone(),
            })
            .collect();
        self.abstand(8.0);
        // Keep a heading with at least three lines of what follows.
        self.platz(groesse * 1.35 + 3.0 * ZEILE);
        let seite = self.seite();
        self.satz
            .ueberschriften
            .push((seite, self.y, titel.clone()));
        let k = self.knoten(Rolle::Ueberschrift { ebene, titel });
        self.zeilen(k, &fett, LINKS, RECHTS - LINKS, groesse, groesse * 1.35);
        self.y += 3.0;
        self.oben(k);
    }

    pub fn punkt(&mut self, tiefe: u8, marke: &str, nummeriert: bool, text: &[Lauf]) {
        // Close deeper lists, open one at this depth if needed.
        while self.listen.last().is_some_and(|(t, _, _)| *t > tiefe) {
            self.listen.pop();
        }
        if self.listen.last().is_none_or(|(t, _, _)| *t < tiefe) {
            let liste = self.knoten(Rolle::Liste { nummeriert });
            match self.listen.last().and_then(|(_, _, p)| *p) {
                Some(punkt) => self.kind(punkt, Kind::Knoten(liste)),
                None => {
                    self.satz.wurzel.push(liste);
                }
            }
            self.listen.push((tiefe, liste, None));
        }
        let (_, liste, _) = *self.listen.last().expect("an open list");
        let punkt = self.knoten(Rolle::Punkt);
        self.kind(liste, Kind::Knoten(punkt));
        if let Some(l) = self.listen.last_mut() {
            l.2 = Some(punkt);
        }
        let lbl = self.knoten(Rolle::Marke);
        let rumpf = self.knoten(Rolle::Rumpf);
        self.kind(punkt, Kind::Knoten(lbl));
        self.kind(punkt, Kind::Knoten(rumpf));

        // Deep lists stop moving right at half the text width, so text keeps its room.
        let x = LINKS + (EINZUG * tiefe as f32).min((RECHTS - LINKS) / 2.0);
        let text_x = x + if nummeriert { 18.0 } else { 12.0 };
        self.platz(ZEILE);
        let grundlinie = self.y + GROESSE;
        self.stueck(lbl, x, grundlinie, Stil::NORMAL, GROESSE, marke, false);
        self.zeilen(rumpf, text, text_x, RECHTS - text_x, GROESSE, ZEILE);
        self.y += 2.0;
        let wartend = std::mem::take(&mut self.fn_knoten);
        self.satz.wurzel.extend(wartend);
    }

    /// A table: a header row (may be empty) and rows, columns as fractions of the width.
    pub fn tabelle(&mut self, kopf: &[Text], zeilen: &[Vec<Text>], anteile: &[f32]) {
        self.liste_beenden();
        let t = self.knoten(Rolle::Tabelle);
        let breite = RECHTS - LINKS;
        let spalten = anteile.len().max(1);
        let xs: Vec<f32> = anteile
            .iter()
            .scan(LINKS, |x, a| {
                let start = *x;
                *x += a * breite;
                Some(start)
            })
            .collect();
        let pad = 4.0;
        let mut reihen: Vec<(bool, &[Text])> = Vec::new();
        if !kopf.is_empty() {
            reihen.push((true, kopf));
        }
        reihen.extend(zeilen.iter().map(|z| (false, z.as_slice())));
        self.platz(ZEILE * 2.0 + 2.0 * pad);
        self.linie(LINKS, RECHTS, self.y, 0.8);
        for (kopfzeile, zellen) in reihen {
            let umbrochen: Vec<Vec<Zeile>> = (0..spalten)
                .map(|i| {
                    let text: Vec<Lauf> = zellen
                        .get(i)
                        .map(|t| {
                            t.iter()
                                .map(|l| Lauf {
                                    stil: Stil {
                                        fett: l.stil.fett || kopfzeile,
                                        ..l.stil
                                    },
                                    text: l.text.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    self.umbrechen(&text, anteile[i] * breite - 2.0 * pad, GROESSE)
                })
                .collect();
            let n = umbrochen.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let hoehe = n as f32 * ZEILE + 2.0 * pad;
            if self.rest() < hoehe {
                self.neue_seite();
                self.linie(LINKS, RECHTS, self.y, 0.8);
            }
            let reihe = self.knoten(Rolle::Zeile);
            self.kind(t, Kind::Knoten(reihe));
            for (i, zeilen) in umbrochen.iter().enumerate() {
                let zelle = self.knoten(if kopfzeile {
                    Rolle::Kopfzelle
                } else {
                    Rolle::Zelle
                });
                self.kind(reihe, Kind::Knoten(zelle));
                for (j, z) in zeilen.iter().enumerate() {
                    let grundlinie = self.y + pad + j as f32 * ZEILE + GROESSE;
                    for (dx, stil, text) in &z.teile {
                        self.stueck(
                            zelle,
                            xs[i] + pad + dx,
                            grundlinie,
                            *stil,
                            GROESSE,
                            text,
                            false,
                        );
                    }
                }
            }
            self.y += hoehe;
            self.linie(LINKS, RECHTS, self.y, if kopfzeile { 0.8 } else { 0.4 });
        }
        self.y += ABSATZ + 4.0;
        self.oben(t);
    }

    /// The blocks of the body.
    pub fn bloecke(&mut self, bloecke: &[Block]) {
        for b in bloecke {
            match b {
                Block::Ueberschrift { ebene, text } => self.ueberschrift(*ebene, text),
                Block::Absatz(text) => self.absatz(text),
                Block::Punkt {
                    tiefe,
                    marke,
                    nummeriert,
                    text,
                } => self.punkt(*tiefe, marke, *nummeriert, text),
                Block::Tabelle { kopf, zeilen } => {
                    let n = kopf.len().max(zeilen.first().map_or(1, Vec::len)).max(1);
                    let anteile = vec![1.0 / n as f32; n];
                    self.tabelle(kopf, zeilen, &anteile);
                }
                Block::Linie => {
                    self.liste_beenden();
                    self.platz(ZEILE);
                    self.linie(LINKS, RECHTS, self.y + ZEILE / 2.0, 0.5);
                    self.y += ZEILE;
                }
            }
        }
        self.liste_beenden();
    }
}
