use serde::Serialize;

use super::{Built, start_crumb};
use crate::model::{Id, Seite};
use crate::render::{Cx, routes};

#[derive(Serialize)]
struct SeiteView {
    text: Option<String>,
}

pub fn seite(cx: &Cx, id: Id<Seite>) -> Built {
    let s = &cx.portal[id];
    let text = &cx.texts.seiten[id.index()];
    let data = SeiteView {
        text: Some(text.html.clone()).filter(|h| !h.is_empty()),
    };
    let bereich = if s.menue.is_some() {
        format!("seite-{}", s.meta.slug)
    } else {
        String::new()
    };
    Built::new("seite.html", s.titel.clone(), bereich, &data)
        .crumbs(vec![start_crumb(cx)])
        .entity(&s.meta)
        .code(text.hat_code)
        .beschreibung(&text.teaser)
}

#[derive(Serialize)]
struct NichtGefunden {
    start: String,
    stadtteile: String,
    projekte: String,
}

pub fn nicht_gefunden(cx: &Cx) -> Built {
    let data = NichtGefunden {
        start: cx.href(routes::START),
        stadtteile: cx.href(routes::STADTTEILE),
        projekte: cx.href(routes::PROJEKTE),
    };
    Built::new("404.html", "Seite nicht gefunden", "", &data)
}
