//! Checks that span entities, and the cross-reference index every renderer reads.

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::load::Kind;
use crate::model::{Id, Index, Portal};

/// First path segments the generator writes itself; a page may not take them.
pub const RESERVED: &[&str] = &[
    "stadtteile",
    "ags",
    "projekte",
    "karte",
    "foren",
    "vorlagen",
    "termine",
    "daten",
    "dateien",
    "suche",
    "oparl",
    "feed",
    "sitemap",
    "robots",
    "static",
    "assets",
    "css",
    "js",
    "fonts",
    "bilder",
];

/// Files the generator writes into `daten/`; a file in `content/daten/` may not take them.
/// (`daten/index.html` is the `/daten/` page.)
pub const GENERATED_FILES: &[&str] = &[
    "daten/projekte.geojson",
    "daten/projekte.csv",
    "daten/index.html",
];

pub fn check(portal: &Portal, defekt: &[(Kind, String)], diags: &mut Vec<Diagnostic>) {
    for datei in &portal.dateien {
        if GENERATED_FILES.contains(&datei.pfad.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::ReservierterPfad,
                    format!(
                        "die Datei content/{} hat den Namen einer Datei, die das Portal selbst erzeugt",
                        datei.pfad
                    ),
                )
                .at(Location::file(format!("content/{}", datei.pfad)))
                .hint("Das Portal erzeugt diese Datei selbst; benennen Sie Ihre Datei um."),
            );
        }
    }
    for seite in &portal.seiten {
        if RESERVED.contains(&seite.meta.slug.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::ReservierterPfad,
                    format!(
                        "die Seite '{}' belegt den Pfad /{}/, den das Portal selbst verwendet",
                        seite.meta.slug, seite.meta.slug
                    ),
                )
                .at(Location::file(seite.meta.quelle.rel.as_str()))
                .hint(format!(
                    "Wählen Sie einen anderen Namen, z. B. 'ueber-{slug}': als Dateinamen ('ueber-{slug}.md') oder, in einer Listendatei, als Feld 'slug'.",
                    slug = seite.meta.slug
                )),
            );
        }
    }

    let config = &portal.config;
    let seiten: Vec<&str> = portal.seiten.iter().map(|s| s.meta.slug.as_str()).collect();
    let page_refs = [
        ("impressum", &config.impressum),
        ("datenschutz", &config.datenschutz),
        ("barrierefreiheit", &config.barrierefreiheit),
        ("leichte_sprache", &config.leichte_sprache),
    ];
    for (key, slug) in page_refs {
        // A page whose file is broken has its own error.
        if let Some(slug) = slug
            && !seiten.contains(&slug.as_str())
            && !defekt.iter().any(|(k, s)| *k == Kind::Seite && s == slug)
        {
            diags.push(
                Diagnostic::new(
                    Code::PortalYamlUngueltig,
                    format!("portal.yaml, Feld '{key}': unbekannte Seite '{slug}'"),
                )
                .at(config.locate(&[key]))
                .hint(
                    did_you_mean(slug, seiten.iter().copied())
                        .unwrap_or_else(|| format!("Legen Sie content/seiten/{slug}.md an.")),
                ),
            );
        }
    }
}

pub fn build(portal: &Portal) -> Index {
    let n = portal.stadtteile.len();
    let mut index = Index {
        ags_by_stadtteil: vec![Vec::new(); n],
        projekte_by_stadtteil: vec![Vec::new(); n],
        projekte_by_ag: vec![Vec::new(); portal.ags.len()],
        foren_by_stadtteil: vec![Vec::new(); n],
        vorlagen_by_stadtteil: vec![Vec::new(); n],
        vorlagen_by_ag: vec![Vec::new(); portal.ags.len()],
        ..Default::default()
    };
    for (i, ag) in portal.ags.iter().enumerate() {
        for s in &ag.stadtteile {
            index.ags_by_stadtteil[s.index()].push(Id::new(i));
        }
    }
    for (i, p) in portal.projekte.iter().enumerate() {
        let id = Id::new(i);
        for s in &p.stadtteile {
            index.projekte_by_stadtteil[s.index()].push(id);
        }
        if let Some(ag) = p.ag {
            index.projekte_by_ag[ag.index()].push(id);
        }
        index.projekte_by_jahr.entry(p.jahr).or_default().push(id);
    }
    for (i, f) in portal.foren.iter().enumerate() {
        for s in &f.stadtteile {
            index.foren_by_stadtteil[s.index()].push(Id::new(i));
        }
    }
    for (i, v) in portal.vorlagen.iter().enumerate() {
        let id = Id::new(i);
        for s in &v.stadtteile {
            index.vorlagen_by_stadtteil[s.index()].push(id);
        }
        for a in &v.ags {
            index.vorlagen_by_ag[a.index()].push(id);
        }
        index
            .vorlage_by_nummer
            .insert(v.nummer.as_str().to_string(), id);
    }
    index.seite_by_slug = portal
        .seiten
        .iter()
        .enumerate()
        .map(|(i, s)| (s.meta.slug.clone(), Id::new(i)))
        .collect::<HashMap<_, _>>();
    index
}
