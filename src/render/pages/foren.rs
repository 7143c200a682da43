use serde::Serialize;

use super::{Built, crumb, start_crumb};
use crate::model::{Forum, Id};
use crate::render::views::{
    DateiView, DatumView, Kurz, TerminView, datei_view, forum_termin, stadtteil_kurz,
};
use crate::render::{Cx, format, jsonld, kalender, routes};

#[derive(Serialize)]
struct Liste {
    kommende: Vec<TerminView>,
    vergangene: Vec<TerminView>,
}

pub fn liste(cx: &Cx) -> Built {
    let p = cx.portal;
    let (kommend, vergangen): (Vec<Id<Forum>>, Vec<Id<Forum>>) =
        p.ids().partition(|f: &Id<Forum>| p[*f].datum >= p.heute);
    // Forums are stored newest first; upcoming ones read best soonest first.
    let kommende: Vec<TerminView> = kommend
        .into_iter()
        .rev()
        .map(|f| forum_termin(cx, f))
        .collect();
    let vergangene: Vec<TerminView> = vergangen.into_iter().map(|f| forum_termin(cx, f)).collect();
    let beispiel = kommende.iter().chain(&vergangene).any(|f| f.beispiel);
    Built::new(
        "foren.html",
        "Stadtteilforen",
        "foren",
        &Liste {
            kommende,
            vergangene,
        },
    )
    .crumbs(vec![start_crumb(cx)])
    .beispiel(beispiel)
    .beschreibung(
        "Stadtteilforen: öffentliche Versammlungen in den Programmgebieten der Sozialen Stadt.",
    )
}

#[derive(Serialize)]
struct Seite {
    forum: ForumView,
}

#[derive(Serialize)]
struct ForumView {
    titel: String,
    datum: DatumView,
    zeit: Option<String>,
    ort: Option<String>,
    stadtteile: Vec<Kurz>,
    veranstalter: Option<String>,
    tagesordnung: Vec<String>,
    anhaenge: Vec<DateiView>,
    text: Option<String>,
    vergangen: bool,
    beispiel: bool,
    /// The forum as a calendar entry.
    ics: String,
}

pub fn seite(cx: &Cx, id: Id<Forum>) -> Built {
    let p = cx.portal;
    let f = &p[id];
    let text = &cx.texts.foren[id.index()];
    let data = Seite {
        forum: ForumView {
            titel: f.titel.clone(),
            datum: DatumView::new(f.datum),
            zeit: f.zeit.map(format::uhrzeit),
            ort: f.ort.clone(),
            stadtteile: f
                .stadtteile
                .iter()
                .map(|s| stadtteil_kurz(cx, *s))
                .collect(),
            veranstalter: f.veranstalter.clone(),
            tagesordnung: f.tagesordnung.clone(),
            anhaenge: f
                .anhaenge
                .iter()
                .map(|a| datei_view(cx, a.datei, &a.titel))
                .collect(),
            text: Some(text.html.clone()).filter(|h| !h.is_empty()),
            vergangen: f.datum < p.heute,
            beispiel: f.meta.beispiel,
            ics: cx.href(&routes::forum_ics(p, id)),
        },
    };
    Built::new("forum.html", f.titel.clone(), "foren", &data)
        .crumbs(vec![
            start_crumb(cx),
            crumb(cx, "Stadtteilforen", routes::FOREN),
        ])
        .entity(&f.meta)
        .code(text.hat_code)
        .jsonld(jsonld::skript(vec![jsonld::ereignis(
            cx,
            &kalender::forum(cx, id),
        )]))
        .beschreibung(&format!("Stadtteilforum am {}", format::datum(f.datum)))
}
