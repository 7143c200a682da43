use serde::Serialize;

use super::stadtteile::{SprechstundeView, sprechstunde};
use super::{Built, start_crumb};
use crate::model::{Ag, Forum, Id, Stadtteil};
use crate::render::views::{Kurz, TerminView, kommende_termine, stadtteil_kurz};
use crate::render::{Cx, format, routes};

#[derive(Serialize)]
struct Termine {
    monate: Vec<Monat>,
    sprechstunden: Vec<Sprechstunden>,
    /// All of them as a calendar to subscribe to.
    kalender: String,
}

#[derive(Serialize)]
struct Monat {
    titel: String,
    anker: String,
    termine: Vec<TerminView>,
}

#[derive(Serialize)]
struct Sprechstunden {
    stadtteil: Kurz,
    traeger: Option<String>,
    zeiten: Vec<SprechstundeView>,
}

pub fn build(cx: &Cx) -> Built {
    let p = cx.portal;
    let ags: Vec<Id<Ag>> = p.ids().collect();
    let foren: Vec<Id<Forum>> = p.ids().collect();
    let mut monate: Vec<Monat> = Vec::new();
    for t in kommende_termine(cx, &ags, &foren) {
        let (datum, _) = t.sortierung;
        let titel = format::monat_jahr(datum);
        match monate.last_mut() {
            Some(m) if m.titel == titel => m.termine.push(t),
            _ => monate.push(Monat {
                anker: format!("Monat-{}-{:02}", datum.year(), datum.month()),
                titel,
                termine: vec![t],
            }),
        }
    }
    let sprechstunden: Vec<Sprechstunden> = p
        .ids::<Stadtteil>()
        .filter_map(|id| {
            let m = p[id].stadtteilmanagement.as_ref()?;
            (!m.sprechstunden.is_empty()).then(|| Sprechstunden {
                stadtteil: stadtteil_kurz(cx, id),
                traeger: m.traeger.clone(),
                zeiten: m.sprechstunden.iter().map(sprechstunde).collect(),
            })
        })
        .collect();
    let beispiel = monate.iter().flat_map(|m| &m.termine).any(|t| t.beispiel)
        || sprechstunden.iter().any(|s| s.stadtteil.beispiel);
    Built::new(
        "termine.html",
        "Termine",
        "termine",
        &Termine {
            monate,
            sprechstunden,
            kalender: cx.href(routes::TERMINE_ICS),
        },
    )
    .crumbs(vec![start_crumb(cx)])
    .beispiel(beispiel)
    .beschreibung("Die nächsten Sitzungen der Arbeitsgruppen, Stadtteilforen und Sprechstunden.")
}
