use crate::load::Document;
use crate::model::Seite;
use crate::yaml::Sink;

use super::{Context, fields, meta};

pub fn read(d: &Document, _cx: &Context, sink: &Sink) -> Seite {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let titel = f.req::<String>("titel");
    let menue = f.opt("menue");
    let kurztitel = f.opt("kurztitel");
    f.finish();
    Seite {
        meta,
        titel: titel.unwrap_or_else(|| d.slug.clone()),
        menue,
        kurztitel,
    }
}
