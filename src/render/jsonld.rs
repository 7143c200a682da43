//! schema.org JSON-LD for search engines: an `Event` for every forum and upcoming AG
//! meeting, a `DigitalDocument` for every Vorlage. The page template puts it into a
//! `<script type="application/ld+json">`.

use serde_json::{Value, json};

use super::kalender::Ereignis;
use super::{Cx, format, routes};
use crate::model::{Id, Vorlage};

/// `2027-03-09T17:00:00+01:00`, or the date alone for a day without a time.
fn beginn(e: &Ereignis) -> String {
    match e.beginn {
        Some(t) => format::zeitpunkt(e.datum, Some(t)),
        None => e.datum.to_string(),
    }
}

fn veranstalter(cx: &Cx) -> Value {
    json!({
        "@type": "GovernmentOrganization",
        "name": cx.portal.config.stadt,
        "url": cx.absolute(routes::START),
    })
}

pub fn ereignis(cx: &Cx, e: &Ereignis) -> Value {
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.titel,
        "startDate": beginn(e),
        "url": e.url,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": true,
        "inLanguage": "de",
        "organizer": veranstalter(cx),
    });
    if let Some(ort) = &e.ort {
        v["location"] = json!({ "@type": "Place", "name": ort, "address": ort });
    }
    if let Some(b) = &e.beschreibung {
        v["description"] = json!(b);
    }
    v
}

pub fn dokument(cx: &Cx, id: Id<Vorlage>) -> Value {
    let v = &cx.portal[id];
    json!({
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": format!("{} {}: {}", v.art.bezeichnung(), v.nummer, v.thema),
        "identifier": v.nummer.to_string(),
        "about": v.thema,
        "genre": v.art.bezeichnung(),
        "dateCreated": v.datum.to_string(),
        "inLanguage": "de",
        "url": cx.absolute(&routes::vorlage(cx.portal, id)),
        "publisher": veranstalter(cx),
        "encoding": {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": cx.absolute(&routes::vorlage_pdf(cx.portal, id)),
        },
    })
}

/// The text of the script element, or `None` for nothing to say. Every `<` is written
/// `\u003c`, so no value can end the script element early (`</script>`) or switch the
/// HTML parser into its escaped script states (`<!--<script>`), which would swallow
/// the rest of the page.
pub fn skript(werte: Vec<Value>) -> Option<String> {
    let wert = match werte.len() {
        0 => return None,
        1 => werte.into_iter().next()?,
        _ => Value::Array(werte),
    };
    Some(wert.to_string().replace('<', "\\u003c"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_value_can_close_the_script_element() {
        let s = super::skript(vec![
            serde_json::json!({ "name": "</script><script>alert(1)" }),
        ])
        .unwrap();
        assert!(!s.contains("</script"), "{s}");
        let s = super::skript(vec![serde_json::json!({ "name": "<!--<script>" })]).unwrap();
        assert!(!s.contains('<'), "{s}");
        let zurueck: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(zurueck["name"], "<!--<script>");
    }
}
