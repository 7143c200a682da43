use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Id, Vorlage};
use crate::render::views::{
    DateiView, DatumView, Kurz, VorlageKurz, ag_kurz, datei_view, stadtteil_kurz, vorlage_kurz,
};
use crate::render::{Cx, jsonld, routes};

#[derive(Serialize)]
struct Liste {
    jahre: Vec<Jahr>,
    anzahl: usize,
}

#[derive(Serialize)]
struct Jahr {
    jahr: i16,
    vorlagen: Vec<VorlageKurz>,
}

pub fn liste(cx: &Cx) -> Built {
    let p = cx.portal;
    let mut jahre: Vec<Jahr> = Vec::new();
    for id in p.ids::<Vorlage>() {
        let v = vorlage_kurz(cx, id);
        match jahre.last_mut() {
            Some(j) if j.jahr == v.jahr => j.vorlagen.push(v),
            _ => jahre.push(Jahr {
                jahr: v.jahr,
                vorlagen: vec![v],
            }),
        }
    }
    let beispiel = jahre.iter().flat_map(|j| &j.vorlagen).any(|v| v.beispiel);
    Built::new("vorlagen.html", "Vorlagen", "vorlagen", &Liste { jahre, anzahl: p.vorlagen.len() })
        .crumbs(vec![start_crumb(cx)])
        .beispiel(beispiel)
        .beschreibung("Informationsvorlagen und andere Dokumente des Stadtrats zur Gemeinwesenarbeit, zum Lesen und Herunterladen.")
}

#[derive(Serialize)]
struct Seite {
    vorlage: VorlageView,
}

#[derive(Serialize)]
struct VorlageView {
    nummer: String,
    art: &'static str,
    /// As printed on the document: `INFORMATION`.
    art_gross: String,
    thema: String,
    datum: DatumView,
    dezernat: Option<String>,
    amt: Option<String>,
    oeffentlichkeitsstatus: &'static str,
    beratungsfolge: Vec<BeratungView>,
    bearbeiter: Option<String>,
    unterzeichnet: Option<String>,
    stadtteile: Vec<Kurz>,
    ags: Vec<Kurz>,
    anhaenge: Vec<DateiView>,
    text: Option<String>,
    beispiel: bool,
}

#[derive(Serialize)]
struct BeratungView {
    gremium: String,
    datum: DatumView,
    behandlung: Option<&'static str>,
}

pub fn seite(cx: &Cx, id: Id<Vorlage>) -> Built {
    let p = cx.portal;
    let v = &p[id];
    let text = &cx.texts.vorlagen[id.index()];
    let data = Seite {
        vorlage: VorlageView {
            nummer: v.nummer.to_string(),
            art: v.art.bezeichnung(),
            art_gross: v.art.bezeichnung().to_uppercase(),
            thema: v.thema.clone(),
            datum: DatumView::new(v.datum),
            dezernat: v.dezernat.clone(),
            amt: v.amt.clone(),
            oeffentlichkeitsstatus: "öffentlich",
            beratungsfolge: v
                .beratungsfolge
                .iter()
                .map(|b| BeratungView {
                    gremium: b.gremium.clone(),
                    datum: DatumView::new(b.datum),
                    behandlung: b.behandlung.map(|x| x.bezeichnung()),
                })
                .collect(),
            bearbeiter: v.bearbeiter.clone(),
            unterzeichnet: v.unterzeichnet.clone(),
            stadtteile: v
                .stadtteile
                .iter()
                .map(|s| stadtteil_kurz(cx, *s))
                .collect(),
            ags: v.ags.iter().map(|a| ag_kurz(cx, *a)).collect(),
            anhaenge: v
                .anhaenge
                .iter()
                .map(|a| datei_view(cx, a.datei, &a.titel))
                .collect(),
            text: Some(text.html.clone()).filter(|h| !h.is_empty()),
            beispiel: v.meta.beispiel,
        },
    };
    Built::new(
        "vorlage.html",
        format!("{} {}: {}", v.art.bezeichnung(), v.nummer, v.thema),
        "vorlagen",
        &data,
    )
    .crumbs(vec![
        start_crumb(cx),
        crumb(cx, "Vorlagen", routes::VORLAGEN),
    ])
    .entity(&v.meta)
    .code(text.hat_code)
    .jsonld(jsonld::skript(vec![jsonld::dokument(cx, id)]))
    .beschreibung(&format!(
        "{} {} vom {}: {}",
        v.art.bezeichnung(),
        v.nummer,
        data.vorlage.datum.kurz,
        v.thema
    ))
}
