//! Writes a typeset document with krilla: text, rules, running header and page numbers
//! as artifacts, the structure tree (PDF/UA-1), an outline of the headings and the
//! document metadata.

use std::num::NonZeroU16;

use krilla::color::luma;
use krilla::configure::{Configuration, Validator};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope, Tag,
    TagGroup, TagKind, TagTree,
};
use krilla::{Document, SerializeSettings};

use super::inhalt::Stil;
use super::satz::{BREITE, HOEHE, Kind, LINKS, RECHTS, Rolle, Satz};
use super::schrift::Schriften;

/// What the PDF says about itself.
pub struct Angaben {
    pub titel: String,
    pub thema: String,
    pub autor: String,
    pub datum: jiff::civil::Date,
    /// Running header of the following pages (`Landeshauptstadt Magdeburg · I0264/09`).
    pub kopfzeile: String,
}

/// Writes the PDF; as PDF/UA-1 when krilla can vouch for it, else as a tagged PDF
/// without the claim (a character the font lacks, for example).
pub fn schreiben(satz: &Satz, angaben: &Angaben) -> Result<Vec<u8>, String> {
    match dokument(satz, angaben, Validator::UA1) {
        Ok(pdf) => Ok(pdf),
        Err(_) => dokument(satz, angaben, Validator::None),
    }
}

fn fill(grau: bool) -> Fill {
    Fill {
        paint: if grau {
            luma::Color::new(70).into()
        } else {
            luma::Color::black().into()
        },
        ..Default::default()
    }
}

fn dokument(satz: &Satz, angaben: &Angaben, validator: Validator) -> Result<Vec<u8>, String> {
    let schriften = Schriften::get();
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(validator),
        enable_tagging: true,
        ..Default::default()
    };
    let mut doc = Document::new_with(settings);
    let mut ids: Vec<Option<Identifier>> = (0..satz.stuecke.len()).map(|_| None).collect();
    let seiten = satz.seiten;

    for seite in 0..seiten {
        let Some(einstellungen) = PageSettings::from_wh(BREITE, HOEHE) else {
            return Err("Seitengröße".into());
        };
        let mut page = doc.start_page_with(einstellungen);
        let mut surface = page.surface();

        for (i, s) in satz
            .stuecke
            .iter()
            .enumerate()
            .filter(|(_, s)| s.seite == seite)
        {
            surface.set_fill(Some(fill(s.grau)));
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            let schnitt = schriften.schnitt(s.stil);
            surface.draw_glyphs(
                Point::from_xy(s.x, s.y),
                &schnitt.glyphen(&s.text),
                schnitt.font.clone(),
                &s.text,
                s.groesse,
                false,
            );
            surface.end_tagged();
            ids[i] = Some(id);
        }

        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width: 0.5,
            ..Default::default()
        }));
        surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
        for l in satz.linien.iter().filter(|l| l.seite == seite) {
            surface.set_stroke(Some(Stroke {
                width: l.staerke,
                ..Default::default()
            }));
            let mut pb = PathBuilder::new();
            pb.move_to(l.von.0, l.von.1);
            pb.line_to(l.bis.0, l.bis.1);
            if let Some(path) = pb.finish() {
                surface.draw_path(&path);
            }
        }
        surface.end_tagged();
        surface.set_stroke(None);

        surface.set_fill(Some(fill(true)));
        let klein = 8.5;
        let normal = schriften.schnitt(Stil::NORMAL);
        if seite > 0 {
            surface.start_tagged(ContentTag::Artifact(ArtifactType::Header));
            surface.set_stroke(Some(Stroke {
                width: 0.4,
                ..Default::default()
            }));
            let mut pb = PathBuilder::new();
            pb.move_to(LINKS, 46.0);
            pb.line_to(RECHTS, 46.0);
            if let Some(path) = pb.finish() {
                surface.draw_path(&path);
            }
            surface.set_stroke(None);
            surface.draw_glyphs(
                Point::from_xy(LINKS, 40.0),
                &normal.glyphen(&angaben.kopfzeile),
                normal.font.clone(),
                &angaben.kopfzeile,
                klein,
                false,
            );
            surface.end_tagged();
        }
        surface.start_tagged(ContentTag::Artifact(ArtifactType::Footer));
        let nummer = format!("Seite {} von {}", seite + 1, seiten);
        let w = schriften.breite(Stil::NORMAL, &nummer, klein);
        surface.draw_glyphs(
            Point::from_xy(RECHTS - w, HOEHE - 36.0),
            &normal.glyphen(&nummer),
            normal.font.clone(),
            &nummer,
            klein,
            false,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }

    // The structure tree, in reading order; every piece of text appears exactly once.
    let mut tree = TagTree::new().with_lang(Some("de".into()));
    for k in &satz.wurzel {
        if let Some(node) = knoten(satz, *k, &mut ids) {
            tree.push(node);
        }
    }
    doc.set_tag_tree(tree);

    let mut outline = Outline::new();
    for (seite, y, titel) in &satz.ueberschriften {
        outline.push_child(OutlineNode::new(
            titel.clone(),
            XyzDestination::new(*seite, Point::from_xy(LINKS, (y - 10.0).max(0.0))),
        ));
    }
    doc.set_outline(outline);

    let d = angaben.datum;
    doc.set_metadata(
        Metadata::new()
            .title(angaben.titel.clone())
            .description(angaben.thema.clone())
            .authors(vec![angaben.autor.clone()])
            .language("de".into())
            .creator("quartier".into())
            .producer("quartier (krilla)".into())
            .creation_date(
                DateTime::new(d.year() as u16)
                    .month(d.month() as u8)
                    .day(d.day() as u8),
            ),
    );
    doc.finish().map_err(|e| format!("{e:?}"))
}

fn knoten(satz: &Satz, k: usize, ids: &mut [Option<Identifier>]) -> Option<Node> {
    let n = &satz.knoten[k];
    let tag: TagKind = match &n.rolle {
        Rolle::Absatz => Tag::P.into(),
        Rolle::Ueberschrift { ebene, titel } => Tag::Hn(
            NonZeroU16::new(u16::from((*ebene).max(1))).unwrap_or(NonZeroU16::MIN),
            Some(titel.clone()),
        )
        .into(),
        Rolle::Liste { nummeriert } => Tag::L(if *nummeriert {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Rolle::Punkt => Tag::LI.into(),
        Rolle::Marke => Tag::Lbl.into(),
        Rolle::Rumpf => Tag::LBody.into(),
        Rolle::Tabelle => Tag::Table.into(),
        Rolle::Zeile => Tag::TR.into(),
        Rolle::Kopfzelle => Tag::TH(TableHeaderScope::Column).into(),
        Rolle::Zelle => Tag::TD.into(),
        Rolle::Fussnote => Tag::Note.into(),
    };
    let mut group = TagGroup::new(tag);
    for kind in &n.kinder {
        match kind {
            Kind::Text(i) => {
                if let Some(id) = ids.get_mut(*i).and_then(Option::take) {
                    group.push(id);
                }
            }
            Kind::Knoten(j) => {
                if let Some(node) = knoten(satz, *j, ids) {
                    group.push(node);
                }
            }
        }
    }
    // krilla drops empty groups; an empty table cell still needs its place.
    Some(group.into())
}
