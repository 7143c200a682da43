//! The Markdown source of every Vorlage, published beside its page and its PDF
//! (`vorlagen/i0264-09/I0264-09.md`), for anyone who wants the text as it was written.
//!
//! A Vorlage written as a Markdown file is published as that file, unchanged. A Vorlage
//! written in YAML (a file of its own or an entry of a YAML list) is published as the
//! Markdown file an editor would have written for it: its fields as front matter (without
//! `slug` and `text`), then `text` as the body. So every download is the document with its
//! metadata, never the neighbouring entries of a list, and is itself a valid content file.

use std::collections::HashMap;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::{Content, Output, routes};
use crate::model::{Id, Portal, SourceFile, Vorlage, Vorlagennummer};

/// The sources by Vorlage index (`None` where none could be made, which a portal that
/// loaded cannot produce).
pub struct Quellen {
    texte: Vec<Option<Arc<str>>>,
}

impl Quellen {
    /// `vorher` lends the sources of Vorlagen whose file was not read again (`serve`).
    pub fn new(portal: &Portal, vorher: Option<(&Portal, &Quellen)>) -> Quellen {
        // Each YAML file is read once, however many Vorlagen its list holds.
        let mut yaml: HashMap<*const SourceFile, Option<Value>> = HashMap::new();
        let texte = portal
            .vorlagen
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let quelle = &v.meta.quelle;
                if let Some((vp, vq)) = vorher
                    && let Some(alt) = vp.vorlagen.get(i)
                    && Arc::ptr_eq(&alt.meta.quelle, quelle)
                    && alt.meta.slug == v.meta.slug
                    && let Some(text) = vq.texte.get(i)
                {
                    return text.clone();
                }
                if quelle.rel.ends_with(".md") {
                    return Some(quelle.text.as_str().into());
                }
                let value = yaml
                    .entry(Arc::as_ptr(quelle))
                    .or_insert_with(|| serde_yaml::from_str(&quelle.text).ok())
                    .as_ref()?;
                let fields = match value {
                    Value::Mapping(m) => m,
                    Value::Sequence(entries) => entries
                        .iter()
                        .filter_map(Value::as_mapping)
                        .find(|m| ist_eintrag(m, v))?,
                    _ => return None,
                };
                als_markdown(fields).map(Arc::from)
            })
            .collect();
        Quellen { texte }
    }

    /// The size in bytes of the source of a Vorlage, if it is published.
    pub fn groesse(&self, id: Id<Vorlage>) -> Option<u64> {
        self.texte.get(id.index())?.as_ref().map(|t| t.len() as u64)
    }

    /// The files to write.
    pub fn outputs<'a>(&'a self, portal: &'a Portal) -> impl Iterator<Item = Output> + 'a {
        self.texte.iter().enumerate().filter_map(move |(i, text)| {
            Some(Output {
                path: routes::vorlage_quelle(portal, Id::new(i)),
                content: Content::Bytes(text.as_ref()?.as_bytes().to_vec()),
            })
        })
    }
}

/// Whether a list entry is the one the Vorlage `v` was read from: its `slug`, or else
/// its `nummer`, names `v`.
fn ist_eintrag(m: &Mapping, v: &Vorlage) -> bool {
    match m.get("slug").and_then(Value::as_str) {
        Some(slug) => slug == v.meta.slug,
        None => m
            .get("nummer")
            .and_then(Value::as_str)
            .and_then(Vorlagennummer::parse)
            .is_some_and(|n| n == v.nummer),
    }
}

/// The fields of a YAML entity as a Markdown file: front matter, then the body.
fn als_markdown(fields: &Mapping) -> Option<String> {
    let mut front = fields.clone();
    front.remove("slug");
    let body = front.remove("text");
    let yaml = serde_yaml::to_string(&Value::Mapping(front)).ok()?;
    let mut out = format!("---\n{yaml}---\n");
    if let Some(text) = body.as_ref().and_then(Value::as_str) {
        out.push('\n');
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_fields_become_front_matter_and_text_the_body() {
        let fields: Mapping = serde_yaml::from_str(
            "slug: i0001-24\nnummer: \"I0001/24\"\nart: information\ntext: |\n  # Titel\n\n  Satz.\n",
        )
        .unwrap();
        let md = als_markdown(&fields).unwrap();
        assert!(md.starts_with("---\n"), "{md}");
        assert!(md.contains("nummer: I0001/24\n"), "{md}");
        assert!(md.contains("art: information\n"), "{md}");
        assert!(!md.contains("slug"), "{md}");
        assert!(md.ends_with("---\n\n# Titel\n\nSatz.\n"), "{md}");
    }
}
