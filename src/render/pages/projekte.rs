use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Ag, Id, Projekt, Stadtteil, Status, Ziel};
use crate::render::views::{
    Auswahl, BildView, DatumView, FilterFeld, Kurz, SIZES_TEXT, Summen, bild_view, mit_beispiel,
    projekt_kurz, stadtteil_kurz, summen,
};
use crate::render::{Cx, format, routes};

#[derive(Serialize)]
struct Liste {
    jahre: Vec<JahrLink>,
    projekte: Vec<tera::Value>,
    summen: Summen,
    filter: Filter,
    /// The `/daten/` page, where the projects are also offered as CSV and GeoJSON.
    daten: String,
}

#[derive(Serialize)]
struct JahrLink {
    jahr: i32,
    url: String,
    summen: Summen,
}

/// The selects of the client-side filter, each only with values that occur.
pub type Filter = Vec<FilterFeld>;

pub fn liste(cx: &Cx) -> Built {
    let p = cx.portal;
    let all: Vec<Id<Projekt>> = p.ids().collect();
    let jahre: Vec<JahrLink> = p
        .index
        .projekte_by_jahr
        .iter()
        .rev()
        .map(|(j, ids)| JahrLink {
            jahr: *j,
            url: cx.href(&routes::jahr(*j)),
            summen: summen(p, ids),
        })
        .collect();
    let projekte: Vec<tera::Value> = all.iter().map(|id| cx.projekt_eintrag(*id)).collect();
    let beispiel = mit_beispiel(p, &all);
    let data = Liste {
        filter: filter(cx, &all),
        jahre,
        summen: summen(p, &all),
        projekte,
        daten: cx.href(routes::DATEN),
    };
    Built::new("projekte.html", "Projekte", "projekte", &data)
        .crumbs(vec![start_crumb(cx)])
        .beispiel(beispiel)
        .beschreibung("Alle Projekte der Gemeinwesenarbeit: was gefördert wurde, wo, mit wie viel Geld und wie vielen Beteiligten.")
}

/// The choices of the filters of `/projekte/` and `/karte/` for the projects `ids`.
pub fn filter(cx: &Cx, ids: &[Id<Projekt>]) -> Filter {
    let p = cx.portal;
    let mut jahre: Vec<i32> = ids.iter().map(|id| p[*id].jahr).collect();
    jahre.sort_unstable_by(|a, b| b.cmp(a));
    jahre.dedup();
    let mit = |pred: &dyn Fn(&Projekt) -> bool| ids.iter().any(|id| pred(&p[*id]));
    let stadtteile = p
        .ids::<Stadtteil>()
        .filter(|s| mit(&|x| x.stadtteile.contains(s)))
        .map(|s| Auswahl::new(&p[s].meta.slug, &p[s].name))
        .collect();
    let ags = p
        .ids::<Ag>()
        .filter(|a| mit(&|x| x.ag == Some(*a)))
        .map(|a| Auswahl::new(&p[a].meta.slug, &p[a].name))
        .collect();
    let mut ziele: Vec<Ziel> = ids
        .iter()
        .flat_map(|id| p[*id].ziele.iter().copied())
        .collect();
    ziele.sort();
    ziele.dedup();
    let mut foerderungen: Vec<Auswahl> = Vec::new();
    for id in ids {
        let f = &p[*id].foerderung;
        if !foerderungen.iter().any(|a| a.code == f.code()) {
            foerderungen.push(Auswahl::new(f.code(), f.bezeichnung()));
        }
    }
    let status: Vec<Auswahl> = Status::ALLE
        .iter()
        .filter(|(_, st)| mit(&|x| x.status == Some(*st)))
        .map(|(code, st)| Auswahl::new(code, st.bezeichnung()))
        .collect();
    let mut felder = vec![
        FilterFeld {
            name: "jahr",
            daten: "jahr",
            titel: "Jahr",
            alle: "alle Jahre",
            optionen: jahre.iter().map(|j| Auswahl::new(j, j)).collect(),
        },
        FilterFeld {
            name: "stadtteil",
            daten: "stadtteile",
            titel: "Stadtteil",
            alle: "alle Stadtteile",
            optionen: stadtteile,
        },
        FilterFeld {
            name: "ag",
            daten: "ag",
            titel: "Arbeitsgruppe",
            alle: "alle Arbeitsgruppen",
            optionen: ags,
        },
        FilterFeld {
            name: "ziel",
            daten: "ziele",
            titel: "Förderziel",
            alle: "alle Förderziele",
            optionen: ziele
                .into_iter()
                .map(|z| Auswahl::new(z.code(), z.kurz()))
                .collect(),
        },
        FilterFeld {
            name: "foerderung",
            daten: "foerderung",
            titel: "Förderung",
            alle: "alle Förderungen",
            optionen: foerderungen,
        },
    ];
    // Status is optional content; without any, the select would offer nothing.
    if !status.is_empty() {
        felder.push(FilterFeld {
            name: "status",
            daten: "status",
            titel: "Stand",
            alle: "jeder Stand",
            optionen: status,
        });
    }
    felder
}

#[derive(Serialize)]
struct Jahr {
    jahr: i32,
    projekte: Vec<tera::Value>,
    summen: Summen,
    nach_stadtteil: Vec<StadtteilSumme>,
    vorjahr: Option<JahrLink>,
    folgejahr: Option<JahrLink>,
}

#[derive(Serialize)]
struct StadtteilSumme {
    stadtteil: Kurz,
    summen: Summen,
}

pub fn jahr(cx: &Cx, jahr: i32) -> Built {
    let p = cx.portal;
    let ids = p
        .index
        .projekte_by_jahr
        .get(&jahr)
        .cloned()
        .unwrap_or_default();
    let link = |j: &i32, ids: &Vec<Id<Projekt>>| JahrLink {
        jahr: *j,
        url: cx.href(&routes::jahr(*j)),
        summen: summen(p, ids),
    };
    let vorjahr = p
        .index
        .projekte_by_jahr
        .range(..jahr)
        .next_back()
        .map(|(j, ids)| link(j, ids));
    let folgejahr = p
        .index
        .projekte_by_jahr
        .range(jahr + 1..)
        .next()
        .map(|(j, ids)| link(j, ids));
    let nach_stadtteil = p
        .ids::<Stadtteil>()
        .filter_map(|s| {
            let in_year: Vec<Id<Projekt>> = ids
                .iter()
                .copied()
                .filter(|x| p[*x].stadtteile.contains(&s))
                .collect();
            (!in_year.is_empty()).then(|| StadtteilSumme {
                stadtteil: stadtteil_kurz(cx, s),
                summen: summen(p, &in_year),
            })
        })
        .collect();
    let projekte: Vec<tera::Value> = ids.iter().map(|id| cx.projekt_eintrag(*id)).collect();
    let beispiel = mit_beispiel(p, &ids);
    let data = Jahr {
        jahr,
        summen: summen(p, &ids),
        projekte,
        nach_stadtteil,
        vorjahr,
        folgejahr,
    };
    Built::new(
        "projekte-jahr.html",
        format!("Projekte {jahr}"),
        "projekte",
        &data,
    )
    .crumbs(vec![
        start_crumb(cx),
        crumb(cx, "Projekte", routes::PROJEKTE),
    ])
    .beispiel(beispiel)
    .beschreibung(&format!(
        "Die geförderten Projekte des Jahres {jahr} mit Fördersummen und Beteiligten."
    ))
}

#[derive(Serialize)]
struct Seite {
    projekt: ProjektView,
}

#[derive(Serialize)]
struct ProjektView {
    titel: String,
    jahr: i32,
    jahr_url: String,
    /// Shared [`Kurz`] values (see [`crate::render::views::Geteilt`]).
    stadtteile: Vec<tera::Value>,
    ag: Option<tera::Value>,
    foerderung: String,
    foerdersumme: Option<String>,
    traeger: Option<String>,
    beteiligte: Option<String>,
    von: Option<DatumView>,
    bis: Option<DatumView>,
    /// The project ran on one day (`von` = `bis`).
    eintaegig: bool,
    status: Option<&'static str>,
    adresse: Option<String>,
    koordinaten: Option<String>,
    /// Shared [`crate::render::views::ZielView`] values.
    ziele: Vec<tera::Value>,
    bilder: Vec<BildView>,
    text: Option<String>,
    beispiel: bool,
}

pub fn seite(cx: &Cx, id: Id<Projekt>) -> Built {
    let p = cx.portal;
    let x = &p[id];
    let (html, text) = cx.projekt_text(id);
    let kurz = projekt_kurz(cx, id);
    let data = Seite {
        projekt: ProjektView {
            titel: x.titel.clone(),
            jahr: x.jahr,
            jahr_url: cx.href(&routes::jahr(x.jahr)),
            stadtteile: kurz.stadtteile,
            ag: kurz.ag,
            foerderung: kurz.foerderung,
            foerdersumme: kurz.foerdersumme,
            traeger: x.traeger.clone(),
            beteiligte: kurz.beteiligte,
            von: x.von.map(DatumView::new),
            bis: x.bis.map(DatumView::new),
            eintaegig: x.von.is_some() && x.von == x.bis,
            status: kurz.status,
            adresse: x.ort.as_ref().and_then(|o| o.adresse.clone()),
            koordinaten: x.ort.as_ref().and_then(|o| o.koordinaten).map(|k| {
                format!(
                    "{}° N, {}° O",
                    format::dezimal(k.lat, 5),
                    format::dezimal(k.lon, 5)
                )
            }),
            ziele: kurz.ziele,
            bilder: x
                .bilder
                .iter()
                .enumerate()
                .map(|(i, b)| bild_view(cx, b, SIZES_TEXT, i > 0))
                .collect(),
            text: Some(html).filter(|h| !h.is_empty()),
            beispiel: x.meta.beispiel,
        },
    };
    Built::new("projekt.html", x.titel.clone(), "projekte", &data)
        .crumbs(vec![
            start_crumb(cx),
            crumb(cx, "Projekte", routes::PROJEKTE),
            crumb(cx, &x.jahr.to_string(), &routes::jahr(x.jahr)),
        ])
        .entity(&x.meta)
        .code(text.hat_code)
        .beschreibung(&text.teaser)
}
