//! What templates see: small serialisable views of the model, already formatted the
//! German way and with every URL resolved, so templates only place them.

use jiff::civil::{Date, Time};
use serde::Serialize;

use super::Cx;
use super::format;
use super::routes;
use crate::model::{Ag, Datei, Euro, Forum, Id, Portal, Projekt, Stadtteil, Vorlage, Ziel};

#[derive(Serialize, Clone)]
pub struct Link {
    pub titel: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct DatumView {
    /// `2009-11-24`, for `<time datetime>`.
    pub iso: String,
    /// `24.11.2009`
    pub kurz: String,
    /// `Dienstag, 24. November 2009`
    pub lang: String,
    /// `24.` and `Nov.` for calendar badges.
    pub tag: String,
    pub monat: String,
}

impl DatumView {
    pub fn new(d: Date) -> Self {
        const KURZ: [&str; 12] = [
            "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.",
            "Dez.",
        ];
        DatumView {
            iso: d.to_string(),
            kurz: format::datum(d),
            lang: format::datum_lang(d),
            tag: format!("{}.", d.day()),
            monat: KURZ[(d.month() - 1) as usize].to_string(),
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Kurz {
    pub name: String,
    pub url: String,
    pub slug: String,
    pub beispiel: bool,
}

pub fn stadtteil_kurz(cx: &Cx, id: Id<Stadtteil>) -> Kurz {
    let s = &cx.portal[id];
    Kurz {
        name: s.name.clone(),
        url: cx.href(&routes::stadtteil(cx.portal, id)),
        slug: s.meta.slug.clone(),
        beispiel: s.meta.beispiel,
    }
}

pub fn ag_kurz(cx: &Cx, id: Id<Ag>) -> Kurz {
    let a = &cx.portal[id];
    Kurz {
        name: a.name.clone(),
        url: cx.href(&routes::ag(cx.portal, id)),
        slug: a.meta.slug.clone(),
        beispiel: a.meta.beispiel,
    }
}

/// Totals shown with project lists.
#[derive(Serialize, Clone, Default)]
pub struct Summen {
    pub anzahl: usize,
    pub anzahl_text: String,
    pub foerdersumme: String,
    pub beteiligte: String,
    pub hat_foerdersumme: bool,
    pub hat_beteiligte: bool,
}

/// Whether a fictional example record is among the projects `ids` (the page then says
/// so).
pub fn mit_beispiel(p: &Portal, ids: &[Id<Projekt>]) -> bool {
    ids.iter().any(|id| p[*id].meta.beispiel)
}

pub fn summen(p: &Portal, ids: &[Id<Projekt>]) -> Summen {
    let summe: Euro = ids.iter().filter_map(|id| p[*id].foerdersumme).sum();
    // Saturating, like the amounts: any count is accepted, and totals must not wrap.
    let beteiligte = ids
        .iter()
        .filter_map(|id| p[*id].beteiligte)
        .fold(0u64, u64::saturating_add);
    Summen {
        anzahl: ids.len(),
        anzahl_text: match ids.len() {
            1 => "1 Projekt".into(),
            n => format!("{} Projekte", format::zahl(n as u64)),
        },
        foerdersumme: format::euro(summe),
        beteiligte: format::zahl(beteiligte),
        hat_foerdersumme: ids.iter().any(|id| p[*id].foerdersumme.is_some()),
        hat_beteiligte: ids.iter().any(|id| p[*id].beteiligte.is_some()),
    }
}

#[derive(Serialize, Clone)]
pub struct ZielView {
    pub code: &'static str,
    pub kurz: &'static str,
    pub bezeichnung: &'static str,
}

/// The template values that many project entries contain: each Stadtteil and AG as a
/// [`Kurz`] and each goal as a [`ZielView`], made once per site. A Tera map is
/// reference-counted, so every entry shares them instead of holding its own copies
/// (half of each entry's memory: 250 MB at 100,000 projects).
pub struct Geteilt {
    stadtteile: Vec<tera::Value>,
    ags: Vec<tera::Value>,
    /// In the order of [`Ziel::ALLE`].
    ziele: Vec<tera::Value>,
}

/// A view as a template value, to be shared by many pages. Views hold only strings,
/// numbers and lists, so this cannot fail.
pub fn template_wert(view: &impl Serialize) -> tera::Value {
    tera::Value::try_from_serializable(view).unwrap_or_else(|_| tera::Value::none())
}

impl Geteilt {
    pub fn new(cx: &Cx) -> Geteilt {
        let p = cx.portal;
        Geteilt {
            stadtteile: p
                .ids()
                .map(|id| template_wert(&stadtteil_kurz(cx, id)))
                .collect(),
            ags: p.ids().map(|id| template_wert(&ag_kurz(cx, id))).collect(),
            ziele: Ziel::ALLE
                .iter()
                .map(|(_, z)| {
                    template_wert(&ZielView {
                        code: z.code(),
                        kurz: z.kurz(),
                        bezeichnung: z.bezeichnung(),
                    })
                })
                .collect(),
        }
    }

    pub fn stadtteil(&self, id: Id<Stadtteil>) -> tera::Value {
        self.stadtteile[id.index()].clone()
    }

    pub fn ag(&self, id: Id<Ag>) -> tera::Value {
        self.ags[id.index()].clone()
    }

    pub fn ziel(&self, ziel: Ziel) -> tera::Value {
        Ziel::ALLE
            .iter()
            .position(|(_, z)| *z == ziel)
            .map(|i| self.ziele[i].clone())
            .unwrap_or_else(tera::Value::none)
    }
}

/// A project in a list.
#[derive(Serialize, Clone)]
pub struct ProjektKurz {
    pub titel: String,
    pub slug: String,
    pub url: String,
    pub jahr: i32,
    /// [`Kurz`] of each Stadtteil and of the AG, shared ([`Geteilt`]).
    pub stadtteile: Vec<tera::Value>,
    pub ag: Option<tera::Value>,
    pub foerderung: String,
    pub foerderung_code: String,
    pub foerdersumme: Option<String>,
    pub beteiligte: Option<String>,
    pub status: Option<&'static str>,
    pub status_code: Option<&'static str>,
    /// [`ZielView`]s, shared ([`Geteilt`]).
    pub ziele: Vec<tera::Value>,
    pub teaser: String,
    pub beispiel: bool,
    /// The names of its Stadtteile, `Sudenburg, Buckau`.
    pub stadtteile_text: String,
    /// Space-separated slugs for the client-side filter (`data-…` attributes).
    pub filter_stadtteile: String,
    pub filter_ziele: String,
    /// The first photo, as a thumbnail.
    pub bild: Option<BildView>,
}

pub fn projekt_kurz(cx: &Cx, id: Id<Projekt>) -> ProjektKurz {
    let p = &cx.portal[id];
    let geteilt = cx.geteilt();
    let stadtteile = || p.stadtteile.iter().map(|s| &cx.portal[*s]);
    ProjektKurz {
        titel: p.titel.clone(),
        slug: p.meta.slug.clone(),
        url: cx.href(&routes::projekt(cx.portal, id)),
        jahr: p.jahr,
        filter_stadtteile: stadtteile()
            .map(|s| s.meta.slug.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        filter_ziele: p
            .ziele
            .iter()
            .map(|z| z.code())
            .collect::<Vec<_>>()
            .join(" "),
        stadtteile_text: stadtteile()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        stadtteile: p.stadtteile.iter().map(|s| geteilt.stadtteil(*s)).collect(),
        ag: p.ag.map(|a| geteilt.ag(a)),
        foerderung: p.foerderung.bezeichnung().to_string(),
        foerderung_code: p.foerderung.code().to_string(),
        foerdersumme: p.foerdersumme.map(format::euro),
        beteiligte: p.beteiligte.map(format::zahl),
        status: p.status.map(|s| s.bezeichnung()),
        status_code: p.status.map(|s| s.code()),
        ziele: p.ziele.iter().map(|z| geteilt.ziel(*z)).collect(),
        teaser: cx.texts.projekt(id).teaser.clone(),
        beispiel: p.meta.beispiel,
        bild: p
            .bilder
            .first()
            .map(|b| bild_view(cx, b, SIZES_KARTE, true)),
    }
}

/// Projects of one year with their totals.
#[derive(Serialize, Clone)]
pub struct Jahrgang {
    pub jahr: i32,
    pub url: String,
    /// Entries of [`Cx::projekt_eintrag`].
    pub projekte: Vec<tera::Value>,
    pub summen: Summen,
}

/// Groups projects (already newest first) by funding year.
pub fn jahrgaenge(cx: &Cx, ids: &[Id<Projekt>]) -> Vec<Jahrgang> {
    let mut out: Vec<Jahrgang> = Vec::new();
    let mut start = 0;
    while start < ids.len() {
        let jahr = cx.portal[ids[start]].jahr;
        let end = ids[start..]
            .iter()
            .position(|id| cx.portal[*id].jahr != jahr)
            .map_or(ids.len(), |n| start + n);
        let slice = &ids[start..end];
        out.push(Jahrgang {
            jahr,
            url: cx.href(&routes::jahr(jahr)),
            projekte: slice.iter().map(|id| cx.projekt_eintrag(*id)).collect(),
            summen: summen(cx.portal, slice),
        });
        start = end;
    }
    out
}

#[derive(Serialize, Clone)]
pub struct DateiView {
    pub url: String,
    pub name: String,
    pub titel: String,
    pub typ: String,
    /// `182 KB`; empty where the size is not known (a PDF not generated, as in `check`).
    pub groesse: String,
}

pub fn datei_view(cx: &Cx, id: Id<Datei>, titel: &str) -> DateiView {
    let d = &cx.portal[id];
    // A photo attached as a file: its largest variant, without the upload's metadata.
    let bild = (!cx.bilder().unveraendert(cx.portal, id))
        .then(|| cx.bilder().bild(id))
        .flatten();
    if let Some(b) = bild {
        return DateiView {
            url: cx.href(&b.groesste().jpeg),
            name: d.name().to_string(),
            titel: if titel.is_empty() {
                d.name().to_string()
            } else {
                titel.to_string()
            },
            typ: "Bild (JPEG)".into(),
            groesse: format::dateigroesse(b.groesste().jpeg_groesse),
        };
    }
    DateiView {
        url: cx.href(&routes::datei(cx.portal, id)),
        name: d.name().to_string(),
        titel: if titel.is_empty() {
            d.name().to_string()
        } else {
            titel.to_string()
        },
        typ: d.typ(),
        groesse: format::dateigroesse(d.groesse),
    }
}

/// A photo as the `bild` component places it: a WebP `<source>` and a JPEG `<img>` with
/// `srcset`, `sizes`, `width` and `height`. An image that is not processed (an SVG, or
/// any in `check`) has no `srcset` and no size.
#[derive(Serialize, Clone)]
pub struct BildView {
    pub src: String,
    pub srcset_webp: String,
    pub srcset_jpeg: String,
    pub sizes: &'static str,
    /// Of `src`; 0 when not known.
    pub breite: u32,
    pub hoehe: u32,
    pub alt: String,
    pub bildnachweis: Option<String>,
    /// `loading="lazy"`: every image but the first of a page.
    pub lazy: bool,
}

/// `sizes` of a photo as wide as the text column (`--mass: 46rem`).
pub const SIZES_TEXT: &str = "(min-width: 48rem) 46rem, 100vw";
/// `sizes` of a thumbnail on a card (cards are at least 20rem wide, 3 in a row at most).
pub const SIZES_KARTE: &str = "(min-width: 48rem) 24rem, 100vw";

pub fn bild_view(cx: &Cx, b: &crate::model::Bild, sizes: &'static str, lazy: bool) -> BildView {
    let alt = if b.dekorativ && b.alt.is_empty() {
        String::new()
    } else {
        b.alt.clone()
    };
    let mut view = BildView {
        src: cx.href(&routes::datei(cx.portal, b.datei)),
        srcset_webp: String::new(),
        srcset_jpeg: String::new(),
        sizes,
        breite: 0,
        hoehe: 0,
        alt,
        bildnachweis: b.bildnachweis.clone(),
        lazy,
    };
    if let Some(bild) = cx.bilder().bild(b.datei) {
        let srcset = |f: fn(&super::bilder::Variante) -> &String| {
            bild.varianten
                .iter()
                .map(|v| format!("{} {}w", cx.href(f(v)), v.breite))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // The fallback for browsers without `srcset`: a middle width.
        let mitte = bild.mindestens(960);
        view.src = cx.href(&mitte.jpeg);
        view.srcset_webp = srcset(|v| &v.webp);
        view.srcset_jpeg = srcset(|v| &v.jpeg);
        view.breite = mitte.breite;
        view.hoehe = mitte.hoehe;
    }
    view
}

/// An entry in a list of dates (AG meetings, forums).
#[derive(Serialize, Clone)]
pub struct TerminView {
    pub art: &'static str,
    pub titel: String,
    pub url: String,
    pub datum: DatumView,
    pub zeit: Option<String>,
    pub ort: Option<String>,
    pub stadtteile: Vec<Kurz>,
    pub beispiel: bool,
    /// The date as a calendar file, while it is still to come.
    pub ics: Option<String>,
    #[serde(skip)]
    pub sortierung: (Date, Option<Time>),
}

/// The anchor of meeting `index` of an AG on its page: `Sitzung-2026-12-08`, and
/// `Sitzung-2026-12-08-2` for a second meeting on the same day.
pub fn sitzung_anker(ag: &Ag, index: usize) -> String {
    let datum = ag.sitzungen[index].datum;
    let same_day_before = ag.sitzungen[..index]
        .iter()
        .filter(|s| s.datum == datum)
        .count();
    match same_day_before {
        0 => format!("Sitzung-{datum}"),
        n => format!("Sitzung-{datum}-{}", n + 1),
    }
}

pub fn sitzung_termin(cx: &Cx, ag: Id<Ag>, index: usize) -> TerminView {
    let a = &cx.portal[ag];
    let s = &a.sitzungen[index];
    let titel = match &s.thema {
        Some(t) => format!("{}: {t}", a.name),
        None => format!("Sitzung der {}", a.name),
    };
    TerminView {
        art: "AG-Sitzung",
        titel,
        url: format!(
            "{}#{}",
            cx.href(&routes::ag(cx.portal, ag)),
            sitzung_anker(a, index)
        ),
        datum: DatumView::new(s.datum),
        zeit: s.zeit.map(format::uhrzeit),
        ort: s.ort.clone(),
        stadtteile: a
            .stadtteile
            .iter()
            .map(|id| stadtteil_kurz(cx, *id))
            .collect(),
        beispiel: a.meta.beispiel,
        ics: (s.datum >= cx.portal.heute)
            .then(|| cx.href(&routes::sitzung_ics(cx.portal, ag, index))),
        sortierung: (s.datum, s.zeit),
    }
}

pub fn forum_termin(cx: &Cx, id: Id<Forum>) -> TerminView {
    let f = &cx.portal[id];
    TerminView {
        art: "Stadtteilforum",
        titel: f.titel.clone(),
        url: cx.href(&routes::forum(cx.portal, id)),
        datum: DatumView::new(f.datum),
        zeit: f.zeit.map(format::uhrzeit),
        ort: f.ort.clone(),
        stadtteile: f
            .stadtteile
            .iter()
            .map(|s| stadtteil_kurz(cx, *s))
            .collect(),
        beispiel: f.meta.beispiel,
        ics: (f.datum >= cx.portal.heute).then(|| cx.href(&routes::forum_ics(cx.portal, id))),
        sortierung: (f.datum, f.zeit),
    }
}

/// Upcoming AG meetings and forums (today included), soonest first.
pub fn kommende_termine(cx: &Cx, ags: &[Id<Ag>], foren: &[Id<Forum>]) -> Vec<TerminView> {
    let heute = cx.portal.heute;
    let mut out: Vec<TerminView> = ags
        .iter()
        .flat_map(|a| {
            cx.portal[*a]
                .sitzungen
                .iter()
                .enumerate()
                .filter(|(_, s)| s.datum >= heute)
                .map(move |(i, _)| sitzung_termin(cx, *a, i))
        })
        .chain(
            foren
                .iter()
                .filter(|f| cx.portal[**f].datum >= heute)
                .map(|f| forum_termin(cx, *f)),
        )
        .collect();
    out.sort_by(|a, b| {
        a.sortierung
            .cmp(&b.sortierung)
            .then_with(|| a.titel.cmp(&b.titel))
    });
    out
}

#[derive(Serialize, Clone)]
pub struct VorlageKurz {
    pub nummer: String,
    pub art: &'static str,
    pub art_code: &'static str,
    pub thema: String,
    pub url: String,
    pub datum: DatumView,
    pub jahr: i16,
    pub stadtteile: Vec<Kurz>,
    pub beispiel: bool,
    /// Space-separated slugs of its Stadtteile for the client-side filter of `/vorlagen/`.
    pub filter_stadtteile: String,
}

pub fn vorlage_kurz(cx: &Cx, id: Id<Vorlage>) -> VorlageKurz {
    let v = &cx.portal[id];
    VorlageKurz {
        nummer: v.nummer.to_string(),
        art: v.art.bezeichnung(),
        art_code: v.art.code(),
        thema: v.thema.clone(),
        url: cx.href(&routes::vorlage(cx.portal, id)),
        datum: DatumView::new(v.datum),
        jahr: v.datum.year(),
        stadtteile: v
            .stadtteile
            .iter()
            .map(|s| stadtteil_kurz(cx, *s))
            .collect(),
        beispiel: v.meta.beispiel,
        filter_stadtteile: v
            .stadtteile
            .iter()
            .map(|s| cx.portal[*s].meta.slug.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// One select of a filter form that `js/filter.js` drives (component `filterformular`):
/// the query parameter and id suffix `name` (`?stadtteil=…`, `#filter-stadtteil`), the
/// `data-` attribute of the entries it tests (`stadtteile`), its label, the choice that
/// shows everything, and the choices that occur.
#[derive(Serialize)]
pub struct FilterFeld {
    pub name: &'static str,
    pub daten: &'static str,
    pub titel: &'static str,
    pub alle: &'static str,
    pub optionen: Vec<Auswahl>,
}

#[derive(Serialize)]
pub struct Auswahl {
    pub code: String,
    pub name: String,
}

impl Auswahl {
    pub fn new(code: impl ToString, name: impl ToString) -> Self {
        Auswahl {
            code: code.to_string(),
            name: name.to_string(),
        }
    }
}
