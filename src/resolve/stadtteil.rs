use crate::diagnostics::{Code, Diagnostic};
use crate::load::Document;
use crate::model::{Sprechstunde, Stadtteil, Stadtteilmanagement, Wochentag};
use crate::yaml::{Part, Sink};

use super::{Context, choice, email_address, fields, meta};

pub fn read(d: &Document, _cx: &Context, sink: &Sink) -> Stadtteil {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let name = f.req::<String>("name");
    let nummer = f.opt("nummer");
    let einwohner = f.opt("einwohner");
    let flaeche_km2 = f.opt::<f64>("flaeche_km2");
    // Larger than any city (Berlin has 891 km²): a value in m² or a slip of the
    // decimal point, which the page would show as a number no one can read.
    let problem = match flaeche_km2 {
        Some(a) if a <= 0.0 => Some("die Fläche muss größer als 0 sein"),
        Some(a) if a > 10_000.0 => Some("diese Fläche ist unplausibel groß"),
        _ => None,
    };
    if let Some(problem) = problem {
        f.push(
            Diagnostic::new(
                Code::UngueltigerWert,
                format!("Feld 'flaeche_km2': {problem}"),
            )
            .at(f.locate("flaeche_km2", Part::Value))
            .hint(
                "Die Fläche steht in Quadratkilometern mit Dezimalpunkt, z. B. flaeche_km2: 6.42",
            ),
        );
    }
    let stand = f.opt("stand");
    let soziale_stadt = f.opt("soziale_stadt").unwrap_or(false);
    let stadtteilmanagement = f.nested("stadtteilmanagement").map(|mut m| {
        let sprechstunden = m
            .items("sprechstunden")
            .into_iter()
            .filter_map(|mut s| {
                let wochentag = s.req_with("wochentag", |v, _| choice(v, &Wochentag::ALLE));
                let von = s.opt("von");
                let bis = s.opt("bis");
                if let (Some(v), Some(b)) = (von, bis)
                    && b <= v
                {
                    s.push(
                        Diagnostic::new(
                            Code::UngueltigeUhrzeit,
                            "Sprechstunde endet nicht nach ihrem Beginn",
                        )
                        .at(s.locate("bis", Part::Value))
                        .hint("'bis' muss nach 'von' liegen."),
                    );
                }
                let ort = s.opt("ort");
                s.finish();
                Some(Sprechstunde {
                    wochentag: wochentag?,
                    von,
                    bis,
                    ort,
                })
            })
            .collect();
        let sm = Stadtteilmanagement {
            traeger: m.opt("traeger"),
            adresse: m.opt("adresse"),
            telefon: m.opt("telefon"),
            email: m.value_with("email", |v, _| email_address(v)),
            sprechstunden,
        };
        m.finish();
        sm
    });
    f.finish();
    Stadtteil {
        meta,
        name: name.unwrap_or_else(|| d.slug.clone()),
        nummer,
        einwohner,
        flaeche_km2,
        stand,
        soziale_stadt,
        stadtteilmanagement,
    }
}
