use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Art, Id, Stadtteil, Vorlage};
use crate::render::erwaehnungen::Fundstelle;
use crate::render::views::{
    Auswahl, DateiView, DatumView, FilterFeld, Kurz, VorlageKurz, ag_kurz, datei_view,
    sitzung_anker, stadtteil_kurz, vorlage_kurz,
};
use crate::render::{Cx, format, jsonld, routes};

#[derive(Serialize)]
struct Liste {
    jahre: Vec<Jahr>,
    anzahl: usize,
    filter: Vec<FilterFeld>,
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
    // The selects of the client-side filter, each only with values that occur.
    let mut filter = vec![
        FilterFeld {
            name: "jahr",
            daten: "jahr",
            titel: "Jahr",
            alle: "alle Jahre",
            optionen: jahre.iter().map(|j| Auswahl::new(j.jahr, j.jahr)).collect(),
        },
        FilterFeld {
            name: "art",
            daten: "art",
            titel: "Art",
            alle: "alle Arten",
            optionen: Art::ALLE
                .iter()
                .filter(|(_, art)| p.vorlagen.iter().any(|v| v.art == *art))
                .map(|(code, art)| Auswahl::new(code, art.bezeichnung()))
                .collect(),
        },
    ];
    let stadtteile: Vec<Auswahl> = p
        .ids::<Stadtteil>()
        .filter(|s| !p.index.vorlagen_by_stadtteil[s.index()].is_empty())
        .map(|s| Auswahl::new(&p[s].meta.slug, &p[s].name))
        .collect();
    // Vorlagen need not name Stadtteile; without any, the select would offer nothing.
    if !stadtteile.is_empty() {
        filter.push(FilterFeld {
            name: "stadtteil",
            daten: "stadtteile",
            titel: "Stadtteil",
            alle: "alle Stadtteile",
            optionen: stadtteile,
        });
    }
    let data = Liste {
        jahre,
        anzahl: p.vorlagen.len(),
        filter,
    };
    Built::new("vorlagen.html", "Vorlagen", "vorlagen", &data)
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
    /// The generated PDF, every attachment and the Markdown source, in that order.
    downloads: Vec<DateiView>,
    /// Texts that mention the Vorlage ("Erwähnt in").
    erwaehnungen: Vec<ErwaehnungView>,
    text: Option<String>,
    beispiel: bool,
}

#[derive(Serialize)]
struct ErwaehnungView {
    /// `Projekt`, `Vorlage`, `Stadtteil`, …
    art: &'static str,
    titel: String,
    url: String,
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
    let anhaenge: Vec<DateiView> = v
        .anhaenge
        .iter()
        .map(|a| datei_view(cx, a.datei, &a.titel))
        .collect();
    // A fictional example record is no mention of a real document: listing it would put
    // the example notice on the page of a real council document. Example Vorlagen list
    // every mention.
    let erwaehnungen: Vec<ErwaehnungView> = cx
        .erwaehnungen
        .von(id)
        .iter()
        .map(|f| erwaehnung(cx, *f))
        .filter(|e| v.meta.beispiel || !e.beispiel)
        .collect();
    let beispiel = erwaehnungen.iter().any(|e| e.beispiel);
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
            downloads: downloads(cx, id, &anhaenge),
            anhaenge,
            erwaehnungen,
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
    .beispiel(beispiel)
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

/// The downloads of a Vorlage: its PDF, its attachments, its Markdown source.
fn downloads(cx: &Cx, id: Id<Vorlage>, anhaenge: &[DateiView]) -> Vec<DateiView> {
    let p = cx.portal;
    let v = &p[id];
    let datei = |path: String, titel: String, typ: &str, groesse: Option<u64>| DateiView {
        url: cx.href(&path),
        name: path.rsplit('/').next().unwrap_or(&path).to_string(),
        titel,
        typ: typ.to_string(),
        groesse: groesse.map(format::dateigroesse).unwrap_or_default(),
    };
    let mut out = Vec::with_capacity(anhaenge.len() + 2);
    // The PDF is linked even when its size is unknown (`check` generates none).
    out.push(datei(
        routes::vorlage_pdf(p, id),
        format!("Vorlage {} als PDF", v.nummer),
        "PDF",
        cx.pdfs().groesse(id),
    ));
    out.extend(anhaenge.iter().cloned());
    if let Some(groesse) = cx.quellen.groesse(id) {
        out.push(datei(
            routes::vorlage_quelle(p, id),
            format!("Vorlage {} als Markdown-Quelltext", v.nummer),
            "Markdown",
            Some(groesse),
        ));
    }
    out
}

/// A text that mentions a Vorlage, as its page lists it.
fn erwaehnung(cx: &Cx, f: Fundstelle) -> ErwaehnungView {
    let p = cx.portal;
    let (art, titel, path, beispiel) = match f {
        Fundstelle::Vorlage(id) => {
            let v = &p[id];
            (
                "Vorlage",
                format!("{} {}: {}", v.art.bezeichnung(), v.nummer, v.thema),
                routes::vorlage(p, id),
                v.meta.beispiel,
            )
        }
        Fundstelle::Projekt(id) => {
            let x = &p[id];
            (
                "Projekt",
                format!("{} ({})", x.titel, x.jahr),
                routes::projekt(p, id),
                x.meta.beispiel,
            )
        }
        Fundstelle::Stadtteil(id) => {
            let x = &p[id];
            (
                "Stadtteil",
                x.name.clone(),
                routes::stadtteil(p, id),
                x.meta.beispiel,
            )
        }
        Fundstelle::Ag(id) => {
            let x = &p[id];
            (
                "Arbeitsgruppe",
                x.name.clone(),
                routes::ag(p, id),
                x.meta.beispiel,
            )
        }
        Fundstelle::Protokoll(id, n) => {
            let x = &p[id];
            (
                "Protokoll",
                format!(
                    "{}, Sitzung vom {}",
                    x.name,
                    format::datum(x.sitzungen[n].datum)
                ),
                format!("{}#{}", routes::ag(p, id), sitzung_anker(x, n)),
                x.meta.beispiel,
            )
        }
        Fundstelle::Forum(id) => {
            let x = &p[id];
            (
                "Stadtteilforum",
                format!("{} ({})", x.titel, format::datum(x.datum)),
                routes::forum(p, id),
                x.meta.beispiel,
            )
        }
        Fundstelle::Seite(id) => {
            let x = &p[id];
            (
                "Seite",
                x.titel.clone(),
                routes::seite(p, id),
                x.meta.beispiel,
            )
        }
        Fundstelle::Start => (
            "Startseite",
            p.config.titel.clone(),
            routes::START.to_string(),
            false,
        ),
    };
    ErwaehnungView {
        art,
        titel,
        url: cx.href(&path),
        beispiel,
    }
}
