use crate::load::Document;
use crate::model::{Anhang, Forum};
use crate::yaml::{Fields, Sink};

use super::{Context, fields, meta, stadtteil_refs};

pub fn read(d: &Document, cx: &Context, sink: &Sink) -> Forum {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let titel = f.req::<String>("titel");
    let datum = f.req("datum");
    let zeit = f.opt("zeit");
    let ort = f.opt("ort");
    let stadtteile = stadtteil_refs(&mut f, cx, "stadtteile", true);
    let veranstalter = f.opt("veranstalter");
    let tagesordnung = f.list("tagesordnung");
    let anhaenge = anhaenge(&mut f, cx);
    f.finish();
    Forum {
        meta,
        titel: titel.unwrap_or_else(|| d.slug.clone()),
        datum: datum.unwrap_or_default(),
        zeit,
        ort,
        stadtteile,
        veranstalter,
        tagesordnung,
        anhaenge,
    }
}

/// `anhaenge: [{datei, titel}]`; without `titel` the file name is shown.
pub fn anhaenge(f: &mut Fields<'_>, cx: &Context) -> Vec<Anhang> {
    f.items("anhaenge")
        .into_iter()
        .filter_map(|mut a| {
            let datei = a.req_with("datei", |v, _| cx.dateien.resolve(v));
            let titel = a.opt::<String>("titel");
            a.finish();
            let datei = datei?;
            let titel = titel.unwrap_or_default();
            Some(Anhang { datei, titel })
        })
        .collect()
}
