use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Id, Stadtteil, Wochentag};
use crate::render::karte::{self, KarteView};
use crate::render::views::{
    DatumView, Jahrgang, Kurz, Summen, TerminView, VorlageKurz, ag_kurz, forum_termin, jahrgaenge,
    kommende_termine, mit_beispiel, summen, vorlage_kurz,
};
use crate::render::{Cx, format, routes};

#[derive(Serialize)]
struct Liste {
    karte: Option<KarteView>,
    gruppen: Vec<Gruppe>,
    anzahl: usize,
}

/// Stadtteile under one initial letter ("Ö" under "O").
#[derive(Serialize)]
struct Gruppe {
    buchstabe: String,
    anker: String,
    stadtteile: Vec<Eintrag>,
}

#[derive(Serialize)]
struct Eintrag {
    name: String,
    url: String,
    beispiel: bool,
    ags: Vec<Kurz>,
    projekte: String,
    hat_projekte: bool,
    stadtteilmanagement: bool,
}

fn initial(name: &str) -> String {
    let c = name.chars().next().unwrap_or('#');
    let base = match c.to_uppercase().next().unwrap_or(c) {
        'Ä' => 'A',
        'Ö' => 'O',
        'Ü' => 'U',
        other => other,
    };
    base.to_string()
}

pub fn liste(cx: &Cx) -> Built {
    let p = cx.portal;
    let mut gruppen: Vec<Gruppe> = Vec::new();
    for id in p.ids::<Stadtteil>() {
        let s = &p[id];
        let projekte = &p.index.projekte_by_stadtteil[id.index()];
        let eintrag = Eintrag {
            name: s.name.clone(),
            url: cx.href(&routes::stadtteil(p, id)),
            beispiel: s.meta.beispiel,
            ags: p.index.ags_by_stadtteil[id.index()]
                .iter()
                .map(|a| ag_kurz(cx, *a))
                .collect(),
            projekte: summen(p, projekte).anzahl_text,
            hat_projekte: !projekte.is_empty(),
            stadtteilmanagement: s.stadtteilmanagement.is_some(),
        };
        let buchstabe = initial(&s.name);
        match gruppen.last_mut() {
            Some(g) if g.buchstabe == buchstabe => g.stadtteile.push(eintrag),
            _ => gruppen.push(Gruppe {
                anker: format!(
                    "Buchstabe-{}",
                    crate::slug::slugify(&buchstabe).to_uppercase()
                ),
                buchstabe,
                stadtteile: vec![eintrag],
            }),
        }
    }
    let beispiel = gruppen
        .iter()
        .flat_map(|g| &g.stadtteile)
        .any(|e| e.beispiel || e.ags.iter().any(|a| a.beispiel));
    let data = Liste {
        karte: p.karte.as_ref().map(|k| karte::uebersicht(cx, k)),
        anzahl: p.stadtteile.len(),
        gruppen,
    };
    Built::new("stadtteile.html", "Stadtteile", "stadtteile", &data)
        .crumbs(vec![start_crumb(cx)])
        .beispiel(beispiel)
        .beschreibung(&format!(
            "Die {} Stadtteile und ihre Gemeinwesenarbeit.",
            p.stadtteile.len()
        ))
}

#[derive(Serialize)]
struct Seite {
    stadtteil: StadtteilView,
    karte: Option<KarteView>,
    ags: Vec<AgImStadtteil>,
    stadtteilmanagement: Option<Management>,
    jahrgaenge: Vec<Jahrgang>,
    summen: Summen,
    foren_kommend: Vec<TerminView>,
    foren_vergangen: Vec<TerminView>,
    vorlagen: Vec<VorlageKurz>,
    /// The Stadtteil's dates to subscribe to, and its news feed.
    kalender: String,
    feed: String,
}

#[derive(Serialize)]
struct StadtteilView {
    name: String,
    nummer: Option<String>,
    einwohner: Option<String>,
    flaeche: Option<String>,
    stand: Option<DatumView>,
    soziale_stadt: bool,
    text: Option<String>,
    beispiel: bool,
}

#[derive(Serialize)]
struct AgImStadtteil {
    ag: Kurz,
    sitzungsregel: Option<String>,
    naechste: Option<TerminView>,
    email: Option<String>,
}

#[derive(Serialize)]
pub struct Management {
    pub traeger: Option<String>,
    pub adresse: Option<String>,
    pub telefon: Option<String>,
    pub email: Option<String>,
    pub sprechstunden: Vec<SprechstundeView>,
}

#[derive(Serialize)]
pub struct SprechstundeView {
    pub wochentag: &'static str,
    pub zeit: Option<String>,
    pub ort: Option<String>,
}

/// `jeden Dienstag, 10:00–12:00 Uhr`
pub fn sprechstunde(s: &crate::model::Sprechstunde) -> SprechstundeView {
    let zeit = match (s.von, s.bis) {
        (Some(v), Some(b)) => Some(format!(
            "{}–{} Uhr",
            format::uhrzeit_kurz(v),
            format::uhrzeit_kurz(b)
        )),
        (Some(v), None) => Some(format!("ab {}", format::uhrzeit(v))),
        (None, Some(b)) => Some(format!("bis {}", format::uhrzeit(b))),
        (None, None) => None,
    };
    SprechstundeView {
        wochentag: wochentag_name(s.wochentag),
        zeit,
        ort: s.ort.clone(),
    }
}

fn wochentag_name(w: Wochentag) -> &'static str {
    format::wochentag(w.weekday())
}

pub fn management(s: &Stadtteil) -> Option<Management> {
    s.stadtteilmanagement.as_ref().map(|m| Management {
        traeger: m.traeger.clone(),
        adresse: m.adresse.clone(),
        telefon: m.telefon.clone(),
        email: m.email.clone(),
        sprechstunden: m.sprechstunden.iter().map(sprechstunde).collect(),
    })
}

pub fn seite(cx: &Cx, id: Id<Stadtteil>) -> Built {
    let p = cx.portal;
    let s = &p[id];
    let i = id.index();
    let ag_ids = &p.index.ags_by_stadtteil[i];
    let ags: Vec<AgImStadtteil> = ag_ids
        .iter()
        .map(|a| AgImStadtteil {
            ag: ag_kurz(cx, *a),
            sitzungsregel: p[*a].sitzungsregel.clone(),
            naechste: kommende_termine(cx, &[*a], &[]).into_iter().next(),
            email: p[*a].kontakt.email.clone(),
        })
        .collect();
    let projekte = &p.index.projekte_by_stadtteil[i];
    let foren = &p.index.foren_by_stadtteil[i];
    let (kommend, vergangen): (Vec<_>, Vec<_>) =
        foren.iter().partition(|f| p[**f].datum >= p.heute);
    let mut foren_kommend: Vec<TerminView> =
        kommend.into_iter().map(|f| forum_termin(cx, f)).collect();
    foren_kommend.reverse();
    let foren_vergangen: Vec<TerminView> =
        vergangen.into_iter().map(|f| forum_termin(cx, f)).collect();
    let vorlagen: Vec<VorlageKurz> = p.index.vorlagen_by_stadtteil[i]
        .iter()
        .map(|v| vorlage_kurz(cx, *v))
        .collect();
    let jahrgaenge = jahrgaenge(cx, projekte);
    let beispiel = ags.iter().any(|a| a.ag.beispiel)
        || mit_beispiel(p, projekte)
        || foren_kommend
            .iter()
            .chain(&foren_vergangen)
            .any(|f| f.beispiel)
        || vorlagen.iter().any(|v| v.beispiel);
    let text = &cx.texts.stadtteile[i];
    let data = Seite {
        kalender: cx.href(&routes::stadtteil_ics(p, id)),
        feed: cx.href(&routes::stadtteil_feed(p, id)),
        karte: p.karte.as_ref().and_then(|k| karte::stadtteil(cx, k, id)),
        stadtteil: StadtteilView {
            name: s.name.clone(),
            nummer: s.nummer.clone(),
            einwohner: s.einwohner.map(format::zahl),
            flaeche: s
                .flaeche_km2
                .map(|a| format!("{} km²", format::dezimal(a, 2))),
            stand: s.stand.map(DatumView::new),
            soziale_stadt: s.soziale_stadt,
            text: Some(text.html.clone()).filter(|h| !h.is_empty()),
            beispiel: s.meta.beispiel,
        },
        ags,
        stadtteilmanagement: management(s),
        summen: summen(p, projekte),
        jahrgaenge,
        foren_kommend,
        foren_vergangen,
        vorlagen,
    };
    Built::new("stadtteil.html", s.name.clone(), "stadtteile", &data)
        .crumbs(vec![
            start_crumb(cx),
            crumb(cx, "Stadtteile", routes::STADTTEILE),
        ])
        .entity(&s.meta)
        .beispiel(beispiel)
        .code(text.hat_code)
        .feed(
            format!("{} – {}", s.name, p.config.titel),
            cx.href(&routes::stadtteil_feed(p, id)),
        )
        .beschreibung(&format!(
            "Gemeinwesenarbeit in {}: Arbeitsgruppen, Projekte, Termine und Vorlagen.",
            s.name
        ))
}
