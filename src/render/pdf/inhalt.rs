//! What goes into the PDF of a Vorlage: its Markdown body as blocks of styled text.
//!
//! Links become their text (a printed document cannot follow them), footnote references
//! become superscript numbers in order of first use, and the `::: spalten` containers of
//! the web page are read as plain sequence, so the text keeps the order of the document.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::render::markdown;

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stil {
    pub fett: bool,
    pub kursiv: bool,
    /// Superscript (footnote references).
    pub hoch: bool,
}

impl Stil {
    pub const NORMAL: Stil = Stil {
        fett: false,
        kursiv: false,
        hoch: false,
    };
    pub const FETT: Stil = Stil {
        fett: true,
        kursiv: false,
        hoch: false,
    };
}

/// A stretch of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Lauf {
    pub stil: Stil,
    pub text: String,
}

pub type Text = Vec<Lauf>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Ueberschrift {
        ebene: u8,
        text: Text,
    },
    Absatz(Text),
    /// One list item; `tiefe` counts from 0, `marke` is "•" or "3.".
    Punkt {
        tiefe: u8,
        marke: String,
        nummeriert: bool,
        text: Text,
    },
    Tabelle {
        kopf: Vec<Text>,
        zeilen: Vec<Vec<Text>>,
    },
    Linie,
}

/// The body of a Vorlage, with its footnotes in order of first reference.
#[derive(Debug, Default)]
pub struct Inhalt {
    pub bloecke: Vec<Block>,
    /// Footnote number (from 1) → text.
    pub fussnoten: Vec<Text>,
}

/// Appends `text` in `stil`, merging with the previous run of the same style.
fn anhaengen(ziel: &mut Text, stil: Stil, text: &str) {
    if text.is_empty() {
        return;
    }
    match ziel.last_mut() {
        Some(l) if l.stil == stil => l.text.push_str(text),
        _ => ziel.push(Lauf {
            stil,
            text: text.to_string(),
        }),
    }
}

/// Where text currently goes while reading the events.
enum Ziel {
    Block,
    Fussnote(String),
}

struct Liste {
    naechste: Option<u64>,
}

pub fn lesen(markdown_text: &str) -> Inhalt {
    let vorbereitet = markdown::ohne_container(markdown_text);
    let mut bloecke = Vec::new();
    let mut definitionen: HashMap<String, Text> = HashMap::new();
    let mut nummern: Vec<String> = Vec::new();

    let mut text: Text = Vec::new();
    let mut fett = 0u32;
    let mut kursiv = 0u32;
    let mut listen: Vec<Liste> = Vec::new();
    let mut marke: Option<(String, bool)> = None;
    let mut ziel = Ziel::Block;
    let mut fussnoten_text: Text = Vec::new();
    let mut tabelle: Option<(Vec<Text>, Vec<Vec<Text>>, bool)> = None;
    let mut zeile: Vec<Text> = Vec::new();

    let stil = |fett: u32, kursiv: u32| Stil {
        fett: fett > 0,
        kursiv: kursiv > 0,
        hoch: false,
    };

    // Ends the text collected so far as a paragraph or list item.
    fn abschliessen(
        bloecke: &mut Vec<Block>,
        text: &mut Text,
        listen: &[Liste],
        marke: &mut Option<(String, bool)>,
    ) {
        trimmen(text);
        if text.is_empty() {
            return;
        }
        let t = std::mem::take(text);
        match marke.take() {
            Some((m, nummeriert)) => bloecke.push(Block::Punkt {
                tiefe: listen.len().saturating_sub(1) as u8,
                marke: m,
                nummeriert,
                text: t,
            }),
            None => bloecke.push(Block::Absatz(t)),
        }
    }

    for event in Parser::new_ext(&vorbereitet, markdown::optionen()) {
        let aktuell: &mut Text = match (&ziel, &mut tabelle) {
            (Ziel::Fussnote(_), _) => &mut fussnoten_text,
            _ => &mut text,
        };
        match event {
            Event::Start(Tag::Strong) => fett += 1,
            Event::End(TagEnd::Strong) => fett = fett.saturating_sub(1),
            Event::Start(Tag::Emphasis) => kursiv += 1,
            Event::End(TagEnd::Emphasis) => kursiv = kursiv.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => anhaengen(aktuell, stil(fett, kursiv), &t),
            Event::SoftBreak | Event::HardBreak => anhaengen(aktuell, stil(fett, kursiv), " "),
            Event::TaskListMarker(erledigt) => anhaengen(
                aktuell,
                stil(fett, kursiv),
                if erledigt { "☒ " } else { "☐ " },
            ),
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let nummer = match nummern.iter().position(|l| *l == label) {
                    Some(i) => i + 1,
                    None => {
                        nummern.push(label);
                        nummern.len()
                    }
                };
                anhaengen(
                    aktuell,
                    Stil {
                        hoch: true,
                        ..stil(fett, kursiv)
                    },
                    &nummer.to_string(),
                );
            }
            Event::Start(Tag::Heading { .. }) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
            }
            Event::End(TagEnd::Heading(level)) => {
                trimmen(&mut text);
                let ebene = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                if !text.is_empty() {
                    bloecke.push(Block::Ueberschrift {
                        ebene,
                        text: std::mem::take(&mut text),
                    });
                }
            }
            Event::Start(Tag::Paragraph)
                if matches!(ziel, Ziel::Block) && tabelle.is_none() && marke.is_none() =>
            {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
            }
            Event::End(TagEnd::Paragraph) => {
                if matches!(ziel, Ziel::Fussnote(_)) {
                    anhaengen(&mut fussnoten_text, Stil::NORMAL, " ");
                } else {
                    abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                }
            }
            Event::Start(Tag::List(start)) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                listen.push(Liste { naechste: start });
            }
            Event::End(TagEnd::List(_)) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                listen.pop();
            }
            Event::Start(Tag::Item) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                marke = listen.last_mut().map(|l| match &mut l.naechste {
                    Some(n) => {
                        let m = format!("{n}.");
                        *n += 1;
                        (m, true)
                    }
                    None => ("•".to_string(), false),
                });
            }
            Event::End(TagEnd::Item) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                ziel = Ziel::Fussnote(label.to_string());
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Ziel::Fussnote(label) = std::mem::replace(&mut ziel, Ziel::Block) {
                    trimmen(&mut fussnoten_text);
                    definitionen.insert(label, std::mem::take(&mut fussnoten_text));
                }
            }
            Event::Start(Tag::Table(_)) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                tabelle = Some((Vec::new(), Vec::new(), false));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = &mut tabelle {
                    t.2 = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut tabelle {
                    t.0 = std::mem::take(&mut zeile);
                    t.2 = false;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut tabelle {
                    t.1.push(std::mem::take(&mut zeile));
                }
            }
            Event::End(TagEnd::TableCell) => {
                trimmen(&mut text);
                zeile.push(std::mem::take(&mut text));
            }
            Event::End(TagEnd::Table) => {
                if let Some((kopf, zeilen, _)) = tabelle.take() {
                    bloecke.push(Block::Tabelle { kopf, zeilen });
                }
            }
            Event::Rule => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
                bloecke.push(Block::Linie);
            }
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::BlockQuote(_)) => {
                abschliessen(&mut bloecke, &mut text, &listen, &mut marke);
            }
            // Raw HTML (and the container markers) has no place in print; links and
            // images are represented by their text.
            _ => {}
        }
    }
    abschliessen(&mut bloecke, &mut text, &listen, &mut marke);

    let fussnoten = nummern
        .iter()
        .map(|l| definitionen.remove(l).unwrap_or_default())
        .collect();
    Inhalt { bloecke, fussnoten }
}

/// Removes leading and trailing white space of a text and collapses runs of spaces.
fn trimmen(text: &mut Text) {
    for lauf in text.iter_mut() {
        let mut s = String::with_capacity(lauf.text.len());
        let mut leer = false;
        for c in lauf.text.chars() {
            let c = if c.is_whitespace() && c != '\u{a0}' {
                ' '
            } else {
                c
            };
            if c == ' ' && leer {
                continue;
            }
            leer = c == ' ';
            s.push(c);
        }
        lauf.text = s;
    }
    while let Some(first) = text.first_mut() {
        let t = first.text.trim_start().to_string();
        if t.is_empty() {
            text.remove(0);
        } else {
            first.text = t;
            break;
        }
    }
    while let Some(last) = text.last_mut() {
        let t = last.text.trim_end().to_string();
        if t.is_empty() {
            text.pop();
        } else {
            last.text = t;
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &Text) -> String {
        t.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn reads_headings_paragraphs_lists_and_footnotes() {
        let inhalt = lesen(
            "## Titel\n\nEin **fetter** Satz[^a].\n\n- eins\n- zwei\n\n1. erstens\n\n::: spalten\n#### Links\n- x\n:::\n\n[^a]: Die Quelle.\n",
        );
        let b = &inhalt.bloecke;
        assert_eq!(
            b[0],
            Block::Ueberschrift {
                ebene: 2,
                text: vec![Lauf {
                    stil: Stil::NORMAL,
                    text: "Titel".into()
                }]
            }
        );
        let Block::Absatz(t) = &b[1] else {
            panic!("{b:?}")
        };
        assert_eq!(plain(t), "Ein fetter Satz1.");
        assert!(t.iter().any(|l| l.stil.fett && l.text == "fetter"));
        assert!(t.iter().any(|l| l.stil.hoch && l.text == "1"));
        assert!(
            matches!(&b[2], Block::Punkt { marke, text, .. } if marke == "•" && plain(text) == "eins")
        );
        assert!(matches!(&b[4], Block::Punkt { marke, nummeriert: true, .. } if marke == "1."));
        assert!(matches!(&b[5], Block::Ueberschrift { ebene: 4, .. }));
        assert_eq!(b.len(), 7, "{b:?}");
        assert_eq!(plain(&inhalt.fussnoten[0]), "Die Quelle.");
    }

    #[test]
    fn reads_tables() {
        let inhalt = lesen("| A | B |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(inhalt.bloecke.len(), 1);
        let Block::Tabelle { kopf, zeilen } = &inhalt.bloecke[0] else {
            panic!()
        };
        assert_eq!(kopf.len(), 2);
        assert_eq!(plain(&zeilen[0][1]), "2");
    }
}
