use crate::diagnostics::{Code, Diagnostic};
use crate::load::Document;
use crate::model::{Art, Behandlung, Beratung, Vorlage, Vorlagennummer};
use crate::yaml::{FromYaml, Problem, Sink};

use super::{Context, choice, fields, forum::anhaenge, meta, stadtteil_refs};

pub fn read(d: &Document, cx: &Context, sink: &Sink) -> Vorlage {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let nummer = f.req_with("nummer", |v, _| {
        let raw = String::from_yaml(v)?;
        let n = Vorlagennummer::parse(&raw).ok_or_else(|| {
            Problem::new(Code::UngueltigerWert, format!("'{raw}' ist keine Vorlagennummer"))
                .hint("Eine Vorlagennummer besteht aus Buchstaben für die Art, der Nummer, '/' und dem zweistelligen Jahr, z. B. I0264/09 oder DS0123/24.")
        })?;
        Ok((raw, n))
    });
    if let Some((raw, n)) = &nummer
        && d.slug_from_file
    {
        let literal = raw.trim().to_lowercase().replace(['/', ' '], "-");
        if d.slug != n.slug() && d.slug != literal {
            let ext = d.file().rsplit('.').next().unwrap_or("md");
            f.push(
                Diagnostic::new(
                    Code::VorlageDateiname,
                    format!("der Dateiname '{}' passt nicht zur Nummer '{n}'", d.slug),
                )
                // At the number, which the file name has to follow.
                .at(f.locate("nummer", crate::yaml::Part::Value))
                .hint(format!(
                    "Benennen Sie die Datei in '{}.{ext}' um.",
                    n.slug()
                )),
            );
        }
    }
    let art = f.req_with("art", |v, _| choice(v, &Art::ALLE));
    let thema = f.req::<String>("thema");
    let datum = f.req("datum");
    let dezernat = f.opt("dezernat");
    let amt = f.opt("amt");
    // Non-public Vorlagen were left out before reading; this only checks the type.
    let _ = f.opt::<bool>("oeffentlich");
    let beratungsfolge = f
        .items("beratungsfolge")
        .into_iter()
        .filter_map(|mut b| {
            let gremium = b.req::<String>("gremium");
            let datum = b.req("datum");
            let behandlung = b.value_with("behandlung", |v, _| {
                let s = String::from_yaml(v)?;
                let norm = s
                    .trim()
                    .to_lowercase()
                    .replace('ö', "oe")
                    .replace(['-', '_'], " ");
                match norm.as_str() {
                    "oeffentlich" => Ok(Behandlung::Oeffentlich),
                    "nicht oeffentlich" | "nichtoeffentlich" => Ok(Behandlung::NichtOeffentlich),
                    _ => Err(
                        Problem::new(Code::UngueltigerWert, format!("ungültiger Wert '{s}'"))
                            .hint("Erlaubt: öffentlich, nicht öffentlich."),
                    ),
                }
            });
            b.finish();
            Some(Beratung {
                gremium: gremium?,
                datum: datum?,
                behandlung,
            })
        })
        .collect();
    let bearbeiter = f.opt("bearbeiter");
    let unterzeichnet = f.opt("unterzeichnet");
    let stadtteile = stadtteil_refs(&mut f, cx, "stadtteile", false);
    let ags = f.list_with("ags", |v, _| cx.ags.resolve(v));
    let anhaenge = anhaenge(&mut f, cx);
    f.finish();
    Vorlage {
        meta,
        nummer: nummer.map_or_else(|| Vorlagennummer::platzhalter(&d.slug), |(_, n)| n),
        art: art.unwrap_or(Art::Information),
        thema: thema.unwrap_or_else(|| d.slug.clone()),
        datum: datum.unwrap_or_default(),
        dezernat,
        amt,
        beratungsfolge,
        bearbeiter,
        unterzeichnet,
        stadtteile,
        ags,
        anhaenge,
    }
}
