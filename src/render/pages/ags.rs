use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Ag, Id, Protokoll};
use crate::render::views::{
    DateiView, DatumView, Jahrgang, Kurz, Summen, TerminView, VorlageKurz, datei_view, jahrgaenge,
    kommende_termine, mit_beispiel, sitzung_anker, stadtteil_kurz, summen, vorlage_kurz,
};
use crate::render::{Cx, format, jsonld, kalender, routes};

#[derive(Serialize)]
struct Liste {
    ags: Vec<Eintrag>,
}

#[derive(Serialize)]
struct Eintrag {
    name: String,
    url: String,
    beispiel: bool,
    stadtteile: Vec<Kurz>,
    sitzungsregel: Option<String>,
    naechste: Option<TerminView>,
    projekte: String,
}

pub fn liste(cx: &Cx) -> Built {
    let p = cx.portal;
    let ags: Vec<Eintrag> = p
        .ids::<Ag>()
        .map(|id| {
            let a = &p[id];
            Eintrag {
                name: a.name.clone(),
                url: cx.href(&routes::ag(p, id)),
                beispiel: a.meta.beispiel,
                stadtteile: a
                    .stadtteile
                    .iter()
                    .map(|s| stadtteil_kurz(cx, *s))
                    .collect(),
                sitzungsregel: a.sitzungsregel.clone(),
                naechste: kommende_termine(cx, &[id], &[]).into_iter().next(),
                projekte: summen(p, &p.index.projekte_by_ag[id.index()]).anzahl_text,
            }
        })
        .collect();
    let beispiel = ags.iter().any(|a| a.beispiel);
    Built::new(
        "ags.html",
        "Arbeitsgruppen Gemeinwesenarbeit",
        "ags",
        &Liste { ags },
    )
    .crumbs(vec![start_crumb(cx)])
    .beispiel(beispiel)
    .beschreibung("Die Arbeitsgruppen Gemeinwesenarbeit: wer sich wo trifft und was sie bewegen.")
}

#[derive(Serialize)]
struct Seite {
    ag: AgView,
    naechste: Option<SitzungView>,
    kommende: Vec<SitzungView>,
    vergangene: Vec<SitzungView>,
    jahrgaenge: Vec<Jahrgang>,
    summen: Summen,
    vorlagen: Vec<VorlageKurz>,
    /// The AG's upcoming meetings as a calendar to subscribe to.
    kalender: String,
}

#[derive(Serialize)]
struct AgView {
    name: String,
    beispiel: bool,
    gegruendet: Option<i32>,
    stadtteile: Vec<Kurz>,
    kontakt: KontaktView,
    sprecherrat: Vec<String>,
    sitzungsregel: Option<String>,
    text: Option<String>,
}

#[derive(Serialize)]
struct KontaktView {
    email: Option<String>,
    telefon: Option<String>,
    /// `tel:` URL of the phone number.
    telefon_url: Option<String>,
    adresse: Option<String>,
    web: Option<String>,
    leer: bool,
}

#[derive(Serialize)]
struct SitzungView {
    anker: String,
    datum: DatumView,
    zeit: Option<String>,
    ort: Option<String>,
    thema: Option<String>,
    protokoll_html: Option<String>,
    protokoll_datei: Option<DateiView>,
    /// Its own calendar file, for upcoming meetings.
    ics: Option<String>,
}

pub fn seite(cx: &Cx, id: Id<Ag>) -> Built {
    let p = cx.portal;
    let a = &p[id];
    let protokolle = &cx.texts.protokolle[id.index()];
    let hat_code = protokolle.iter().flatten().any(|r| r.hat_code);
    let sitzung = |n: usize, s: &crate::model::Sitzung| {
        let (protokoll_html, protokoll_datei) = match &s.protokoll {
            // Rendered once with the other texts (render_texts), which collect its
            // diagnostics and the Vorlagen it mentions.
            Some(Protokoll::Text(_)) => (
                protokolle
                    .get(n)
                    .and_then(Option::as_ref)
                    .map(|r| r.html.clone()),
                None,
            ),
            Some(Protokoll::Datei(d)) => (
                None,
                Some(datei_view(
                    cx,
                    *d,
                    &format!("Protokoll vom {}", format::datum(s.datum)),
                )),
            ),
            None => (None, None),
        };
        SitzungView {
            anker: sitzung_anker(a, n),
            datum: DatumView::new(s.datum),
            zeit: s.zeit.map(format::uhrzeit),
            ort: s.ort.clone(),
            thema: s.thema.clone(),
            protokoll_html,
            protokoll_datei,
            ics: (s.datum >= p.heute).then(|| cx.href(&routes::sitzung_ics(p, id, n))),
        }
    };
    let mut kommende = Vec::new();
    let mut vergangene = Vec::new();
    for (n, s) in a.sitzungen.iter().enumerate() {
        let view = sitzung(n, s);
        if s.datum >= p.heute {
            kommende.push(view);
        } else {
            vergangene.push(view);
        }
    }
    vergangene.reverse();
    let naechste = if kommende.is_empty() {
        None
    } else {
        Some(kommende.remove(0))
    };
    let projekte = &p.index.projekte_by_ag[id.index()];
    let text = &cx.texts.ags[id.index()];
    let vorlagen: Vec<VorlageKurz> = p.index.vorlagen_by_ag[id.index()]
        .iter()
        .map(|v| vorlage_kurz(cx, *v))
        .collect();
    let jahrgaenge = jahrgaenge(cx, projekte);
    let beispiel = mit_beispiel(p, projekte) || vorlagen.iter().any(|v| v.beispiel);
    let k = &a.kontakt;
    let data = Seite {
        ag: AgView {
            name: a.name.clone(),
            beispiel: a.meta.beispiel,
            gegruendet: a.gegruendet,
            stadtteile: a
                .stadtteile
                .iter()
                .map(|s| stadtteil_kurz(cx, *s))
                .collect(),
            kontakt: KontaktView {
                email: k.email.clone(),
                telefon: k.telefon.clone(),
                telefon_url: k.telefon.as_ref().map(|t| tel_url(t)),
                adresse: k.adresse.clone(),
                web: k.web.clone(),
                leer: k.is_empty(),
            },
            sprecherrat: a.sprecherrat.clone(),
            sitzungsregel: a.sitzungsregel.clone(),
            text: Some(text.html.clone()).filter(|h| !h.is_empty()),
        },
        naechste,
        kommende,
        vergangene,
        summen: summen(p, projekte),
        jahrgaenge,
        vorlagen,
        kalender: cx.href(&routes::ag_ics(p, id)),
    };
    let ereignisse: Vec<_> = a
        .sitzungen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.datum >= p.heute)
        .map(|(n, _)| jsonld::ereignis(cx, &kalender::sitzung(cx, id, n)))
        .collect();
    let mut built = Built::new("ag.html", a.name.clone(), "ags", &data)
        .crumbs(vec![
            start_crumb(cx),
            crumb(cx, "Arbeitsgruppen", routes::AGS),
        ])
        .entity(&a.meta)
        .beispiel(beispiel)
        .code(hat_code || text.hat_code)
        .jsonld(jsonld::skript(ereignisse));
    if !text.teaser.is_empty() {
        built = built.beschreibung(&text.teaser);
    }
    built
}

/// `0391 540 3104` → `tel:+493915403104` (German numbers without country code);
/// `+49 (0) 391 540-0` and `0049 391 5400` → `tel:+493915400`.
pub fn tel_url(number: &str) -> String {
    // The "(0)" of international notation is the trunk prefix, dialled only from
    // within the country: kept, it makes the number wrong.
    let ohne_leerraum: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = ohne_leerraum
        .replace("(0)", "")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if let Some(rest) = digits.strip_prefix("00") {
        return format!("tel:+{rest}");
    }
    match digits.strip_prefix('0') {
        Some(rest) => format!("tel:+49{rest}"),
        None => format!("tel:{digits}"),
    }
}

#[cfg(test)]
mod tests {
    use super::tel_url;

    #[test]
    fn phone_numbers_become_international_tel_links() {
        for (geschrieben, link) in [
            ("0391 540 3104", "tel:+493915403104"),
            ("(0391) 540-3104", "tel:+493915403104"),
            ("+49 (0) 391 / 54-0", "tel:+49391540"),
            ("+49 ( 0 ) 391 540", "tel:+49391540"),
            ("0049 391 540", "tel:+49391540"),
            ("+49 391 540", "tel:+49391540"),
        ] {
            assert_eq!(tel_url(geschrieben), link, "{geschrieben}");
        }
    }
}
