use crate::diagnostics::{Code, Diagnostic};
use crate::load::Document;
use crate::model::{Ag, Kontakt, Protokoll, Sitzung};
use crate::yaml::{FromYaml, Part, Problem, Sink};

use super::{Context, email_address, fields, markdown_field, meta, stadtteil_refs};

pub fn read(d: &Document, cx: &Context, sink: &Sink) -> Ag {
    let wert = d.fields();
    let mut f = fields(d, &wert, sink);
    let meta = meta(d, &mut f);
    let name = f.req::<String>("name");
    let stadtteile = stadtteil_refs(&mut f, cx, "stadtteile", true);
    let gegruendet = f.opt::<i32>("gegruendet");
    if gegruendet.is_some_and(|j| !(1900..=2100).contains(&j)) {
        f.push(
            Diagnostic::new(
                Code::UngueltigerWert,
                "Feld 'gegruendet': erwartet eine Jahreszahl wie 1997",
            )
            .at(f.locate("gegruendet", Part::Value)),
        );
    }
    let kontakt = f
        .nested("kontakt")
        .map(|mut k| {
            let kontakt = Kontakt {
                email: k.value_with("email", |v, _| email_address(v)),
                telefon: k.opt("telefon"),
                adresse: k.opt("adresse"),
                web: k.value_with("web", |v, _| web_address(v)),
            };
            k.finish();
            kontakt
        })
        .unwrap_or_default();
    let sprecherrat = f.list("sprecherrat");
    let sitzungsregel = f.opt("sitzungsregel");
    let mut sitzungen: Vec<Sitzung> = f
        .items("sitzungen")
        .into_iter()
        .filter_map(|mut s| {
            let datum = s.req("datum");
            let zeit = s.opt("zeit");
            let ort = s.opt("ort");
            let thema = s.opt("thema");
            let protokoll = match s.raw("protokoll") {
                Some(v) if looks_like_file(v) => s
                    .value_with("protokoll", |v, _| cx.dateien.resolve(v))
                    .map(Protokoll::Datei),
                Some(_) => markdown_field(&mut s, "protokoll").map(Protokoll::Text),
                None => None,
            };
            s.finish();
            Some(Sitzung {
                datum: datum?,
                zeit,
                ort,
                thema,
                protokoll,
            })
        })
        .collect();
    sitzungen.sort_by_key(|s| (s.datum, s.zeit));
    f.finish();
    Ag {
        meta,
        name: name.unwrap_or_else(|| d.slug.clone()),
        stadtteile,
        gegruendet,
        kontakt,
        sprecherrat,
        sitzungsregel,
        sitzungen,
    }
}

/// A web address residents can follow: only http(s), so no `javascript:` reaches a link.
fn web_address(v: &serde_yaml::Value) -> Result<String, Problem> {
    let s = String::from_yaml(v)?;
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(s)
    } else if !s.contains(':') && s.contains('.') {
        Err(Problem::new(
            Code::UngueltigerWert,
            format!("'{s}' ist keine vollständige Internetadresse"),
        )
        .hint(format!(
            "Schreiben Sie die Adresse mit https://, z. B. https://{}",
            s.trim_start_matches('/')
        )))
    } else {
        Err(Problem::new(
            Code::UngueltigerWert,
            format!("'{s}' ist keine Internetadresse"),
        )
        .hint("Internetadressen beginnen mit https:// oder http://."))
    }
}

/// A `protokoll` is a file when it is one word ending in a file extension
/// (`protokolle/2026-09.pdf`); anything else is Markdown.
fn looks_like_file(v: &serde_yaml::Value) -> bool {
    let Ok(s) = String::from_yaml(v) else {
        return false;
    };
    let s = s.trim();
    !s.contains(char::is_whitespace)
        && s.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (2..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_files_from_minutes() {
        let s = |t: &str| serde_yaml::Value::String(t.into());
        assert!(looks_like_file(&s("protokolle/2026-09.pdf")));
        assert!(looks_like_file(&s("protokoll.docx")));
        assert!(!looks_like_file(&s("Protokoll folgt.")));
        assert!(!looks_like_file(&s(
            "Die AG beriet über das Fest. Nächste Sitzung im Mai."
        )));
    }
}
