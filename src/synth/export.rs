//! The synthetic portal as a Hugo or a Zola site, for the side-by-side benchmark
//! (`scripts/bench`, issue 12).
//!
//! The generator in `synth.rs` produces every entity once; in an export it hands each one
//! to [`dateien`] as an [`Eintrag`] instead of writing quartier's YAML/Markdown, so both
//! sites hold the same Stadtteile, AGs, projects, Vorlagen, forums and pages with the same
//! Markdown bodies. The templates do what quartier's theme does on the same pages, no more:
//! a header with the site title and the main navigation, the page title, a metadata list,
//! links to the page's Stadtteile, the body; list pages of all projects, of each year, of
//! AGs, forums and Vorlagen; and a `stadtteile` taxonomy whose term pages show the
//! Stadtteil's own data and list its projects, AGs, forums and Vorlagen.
//!
//! Layout of the sites (see Hugo's "Content organization"/"Taxonomies"/"Template lookup
//! order" and Zola's "Content: section"/"Taxonomies"/"Templates" documentation):
//!
//! - **Hugo**: `config.toml`, `content/` (`_index.md` for home and every section, the
//!   years as nested sections, each Stadtteil as the `_index.md` of its taxonomy term at
//!   `content/stadtteile/{slug}/`), `layouts/_default/` with `baseof`, `single`, `list`,
//!   `taxonomy`, `term` and `layouts/index.html`; TOML front matter (`+++`).
//! - **Zola**: `config.toml` with `taxonomies = [{ name = "stadtteile" }]`, `content/`
//!   (`_index.md` per section; the years `transparent`, so `/projekte/` lists all
//!   projects), `templates/` with `base`, `index`, `section`, `page` and
//!   `stadtteile/list.html` + `stadtteile/single.html` (also as `taxonomy_list.html` /
//!   `taxonomy_single.html` for older releases). Zola cannot give a taxonomy term its own
//!   content, so the Stadtteile's data are pages of the section `stadtteil-daten/` that
//!   the term templates fetch with `get_page`.

use jiff::civil::Date;

use crate::load::Kind;
use crate::yaml;

/// Which site [`crate::synth::generate_as`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Ein quartier-Portal (Standard).
    #[default]
    Quartier,
    /// Dieselben Inhalte als Hugo-Website.
    Hugo,
    /// Dieselben Inhalte als Zola-Website.
    Zola,
}

/// The group heading of an entity's kind on a Stadtteil page.
fn gruppe(art: Kind) -> &'static str {
    match art {
        Kind::Stadtteil => "Stadtteile",
        Kind::Ag => "Arbeitsgruppen",
        Kind::Projekt => "Projekte",
        Kind::Forum => "Stadtteilforen",
        Kind::Vorlage => "Vorlagen",
        Kind::Seite => "Seiten",
    }
}

/// One entity of the synthetic portal, as the templates of both tools show it.
pub struct Eintrag {
    pub art: Kind,
    /// Funding year (projects are filed under `projekte/{jahr}/`).
    pub jahr: Option<i16>,
    pub slug: String,
    pub titel: String,
    pub datum: Option<Date>,
    /// Slugs and names of the Stadtteile (the taxonomy terms).
    pub stadtteile: Vec<(String, String)>,
    /// The metadata list: label and value.
    pub felder: Vec<(&'static str, String)>,
    /// One line for list pages.
    pub kurz: String,
    /// Markdown.
    pub text: String,
    /// Path below the site root of an image, and its alt text.
    pub bild: Option<(String, String)>,
}

/// The files of one entity: relative path and content.
pub fn dateien(format: Format, e: &Eintrag) -> Vec<(String, String)> {
    let pfad = match (format, e.art) {
        (Format::Hugo, Kind::Stadtteil) => format!("content/stadtteile/{}/_index.md", e.slug),
        (Format::Zola, Kind::Stadtteil) => format!("content/stadtteil-daten/{}.md", e.slug),
        (_, Kind::Seite) => format!("content/{}.md", e.slug),
        (_, Kind::Projekt) => format!(
            "content/projekte/{}/{}.md",
            e.jahr.unwrap_or_default(),
            e.slug
        ),
        (_, art) => format!("content/{}/{}.md", art.folder(), e.slug),
    };
    let mut fm = String::from("+++\n");
    zeile(&mut fm, "title", &toml_str(&e.titel));
    if let Some(d) = e.datum {
        zeile(&mut fm, "date", &d.to_string());
    }
    let terme: Vec<String> = e.stadtteile.iter().map(|(s, _)| toml_str(s)).collect();
    let liste = |werte: &[String]| format!("[{}]", werte.join(", "));
    let paare = |paare: Vec<(String, String)>| {
        let p: Vec<String> = paare
            .iter()
            .map(|(a, b)| format!("[{}, {}]", toml_str(a), toml_str(b)))
            .collect();
        liste(&p)
    };
    let meta = paare(
        e.felder
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    );
    let orte = paare(e.stadtteile.clone());
    // Hugo reads custom keys at the top level (`.Params`), Zola only below `[extra]`.
    if format == Format::Zola {
        if !terme.is_empty() {
            fm.push_str("[taxonomies]\n");
            zeile(&mut fm, "stadtteile", &liste(&terme));
        }
        fm.push_str("[extra]\n");
    } else if !terme.is_empty() {
        zeile(&mut fm, "stadtteile", &liste(&terme));
    }
    // Every entity is invented, as `beispiel: true` marks it in the quartier portal.
    zeile(&mut fm, "beispiel", "true");
    zeile(&mut fm, "art", &toml_str(gruppe(e.art)));
    zeile(&mut fm, "kurz", &toml_str(&e.kurz));
    zeile(&mut fm, "meta", &meta);
    if format == Format::Zola {
        zeile(&mut fm, "orte", &orte);
    }
    if let Some((datei, alt)) = &e.bild {
        zeile(&mut fm, "bild", &liste(&[toml_str(datei), toml_str(alt)]));
    }
    fm.push_str("+++\n");
    fm.push_str(&e.text);
    vec![(pfad, fm)]
}

/// A section's `_index.md`: `content/{ordner}/_index.md` (`""` for home).
pub fn abschnitt(format: Format, ordner: &str, titel: &str, text: &str) -> (String, String) {
    let pfad = if ordner.is_empty() {
        "content/_index.md".to_string()
    } else {
        format!("content/{ordner}/_index.md")
    };
    let mut fm = String::from("+++\n");
    zeile(&mut fm, "title", &toml_str(titel));
    if format == Format::Zola {
        let jahr = ordner.strip_prefix("projekte/").is_some();
        match ordner {
            // Pages ordered newest first, like quartier's lists.
            "projekte" | "foren" | "vorlagen" => zeile(&mut fm, "sort_by", "\"date\""),
            "ags" => zeile(&mut fm, "sort_by", "\"title\""),
            _ => {}
        }
        if jahr {
            zeile(&mut fm, "sort_by", "\"date\"");
            // The year's pages also belong to `/projekte/`.
            zeile(&mut fm, "transparent", "true");
        }
        if ordner == "stadtteil-daten" {
            // Data for the taxonomy term pages; no list page of its own.
            zeile(&mut fm, "render", "false");
        }
    }
    fm.push_str("+++\n");
    fm.push_str(text);
    (pfad, fm)
}

/// The configuration and templates of the site.
pub fn geruest(format: Format, titel: &str, base_url: &str) -> Vec<(String, String)> {
    let titel = toml_str(titel);
    let base = toml_str(base_url);
    let mut out = Vec::new();
    match format {
        Format::Quartier => {}
        Format::Hugo => {
            out.push((
                "config.toml".to_string(),
                format!(
                    "baseURL = {base}\ntitle = {titel}\nlanguageCode = \"de\"\n\
                     defaultContentLanguage = \"de\"\n\
                     # The synthetic portal has projects and forums up to a year ahead.\n\
                     buildFuture = true\n\
                     # RSS feeds of the 50 newest entries, like quartier's Atom feeds\n\
                     # (Hugo's default puts every page of a list in its feed).\n\
                     rssLimit = 50\n\
                     disableHugoGeneratorInject = true\n\n\
                     [taxonomies]\nstadtteil = \"stadtteile\"\n"
                ),
            ));
            for (pfad, text) in HUGO_LAYOUTS {
                out.push((pfad.to_string(), text.to_string()));
            }
        }
        Format::Zola => {
            let base = toml_str(base_url.trim_end_matches('/'));
            out.push((
                "config.toml".to_string(),
                format!(
                    "base_url = {base}\ntitle = {titel}\ndefault_language = \"de\"\n\
                     compile_sass = false\nbuild_search_index = false\n\
                     taxonomies = [{{ name = \"stadtteile\" }}]\n"
                ),
            ));
            for (pfad, text) in ZOLA_TEMPLATES {
                out.push((pfad.to_string(), text.to_string()));
            }
            for (pfad, text) in ZOLA_TEMPLATES {
                if let Some(alt) = match *pfad {
                    "templates/stadtteile/list.html" => Some("templates/taxonomy_list.html"),
                    "templates/stadtteile/single.html" => Some("templates/taxonomy_single.html"),
                    _ => None,
                } {
                    out.push((alt.to_string(), text.to_string()));
                }
            }
        }
    }
    out
}

fn zeile(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}

/// A TOML basic string (the YAML double-quoted escapes `\"`, `\\`, `\n` are TOML's too).
fn toml_str(text: &str) -> String {
    yaml::quote(text)
}

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "layouts/_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
</head>
<body>
<header>
<a href="{{ "" | relURL }}">{{ .Site.Title }}</a>
<nav aria-label="Hauptmenü"><ul>
<li><a href="{{ "stadtteile/" | relURL }}">Stadtteile</a></li>
<li><a href="{{ "ags/" | relURL }}">Arbeitsgruppen</a></li>
<li><a href="{{ "projekte/" | relURL }}">Projekte</a></li>
<li><a href="{{ "foren/" | relURL }}">Stadtteilforen</a></li>
<li><a href="{{ "vorlagen/" | relURL }}">Vorlagen</a></li>
<li><a href="{{ "ueber-dieses-portal/" | relURL }}">Über dieses Portal</a></li>
</ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><ul>
<li><a href="{{ "impressum/" | relURL }}">Impressum</a></li>
<li><a href="{{ "datenschutz/" | relURL }}">Datenschutz</a></li>
<li><a href="{{ "barrierefreiheit/" | relURL }}">Barrierefreiheit</a></li>
<li><a href="{{ "leichte-sprache/" | relURL }}">Leichte Sprache</a></li>
</ul></footer>
</body>
</html>
"#,
    ),
    (
        "layouts/_default/single.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.meta }}<dl>{{ range . }}<dt>{{ index . 0 }}</dt><dd>{{ index . 1 }}</dd>{{ end }}</dl>{{ end }}
{{ with .GetTerms "stadtteile" }}<p>Stadtteile: {{ range $i, $t := . }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</p>{{ end }}
{{ with .Params.bild }}<img src="{{ index . 0 | relURL }}" alt="{{ index . 1 }}">{{ end }}
{{ .Content }}
{{ end }}
"#,
    ),
    (
        "layouts/_default/list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .RegularPagesRecursive.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.kurz }}</li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "layouts/_default/taxonomy.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "layouts/_default/term.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.meta }}<dl>{{ range . }}<dt>{{ index . 0 }}</dt><dd>{{ index . 1 }}</dd>{{ end }}</dl>{{ end }}
{{ .Content }}
{{ range .Pages.GroupByParam "art" }}<h2>{{ .Key }}</h2>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.kurz }}</li>
{{ end }}</ul>
{{ end }}
{{ end }}
"#,
    ),
    (
        "layouts/index.html",
        r#"{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<h2>Neue Projekte</h2>
<ul>
{{ range first 10 (where .Site.RegularPages "Section" "projekte").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.kurz }}</li>
{{ end }}</ul>
{{ end }}
"#,
    ),
];

const ZOLA_TEMPLATES: &[(&str, &str)] = &[
    (
        "templates/base.html",
        r#"<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
</head>
<body>
<header>
<a href="{{ get_url(path="/") }}">{{ config.title }}</a>
<nav aria-label="Hauptmenü"><ul>
<li><a href="{{ get_url(path="stadtteile/") }}">Stadtteile</a></li>
<li><a href="{{ get_url(path="ags/") }}">Arbeitsgruppen</a></li>
<li><a href="{{ get_url(path="projekte/") }}">Projekte</a></li>
<li><a href="{{ get_url(path="foren/") }}">Stadtteilforen</a></li>
<li><a href="{{ get_url(path="vorlagen/") }}">Vorlagen</a></li>
<li><a href="{{ get_url(path="ueber-dieses-portal/") }}">Über dieses Portal</a></li>
</ul></nav>
</header>
<main>
{% block main %}{% endblock main %}
</main>
<footer><ul>
<li><a href="{{ get_url(path="impressum/") }}">Impressum</a></li>
<li><a href="{{ get_url(path="datenschutz/") }}">Datenschutz</a></li>
<li><a href="{{ get_url(path="barrierefreiheit/") }}">Barrierefreiheit</a></li>
<li><a href="{{ get_url(path="leichte-sprache/") }}">Leichte Sprache</a></li>
</ul></footer>
</body>
</html>
"#,
    ),
    (
        "templates/index.html",
        r#"{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
{{ section.content | safe }}
<h2>Neue Projekte</h2>
{% set projekte = get_section(path="projekte/_index.md") %}
<ul>
{% for p in projekte.pages | slice(end=10) %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.extra.kurz }}</li>
{% endfor %}</ul>
{% endblock main %}
"#,
    ),
    (
        "templates/section.html",
        r#"{% extends "base.html" %}
{% block title %}{{ section.title }} – {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.extra.kurz }}</li>
{% endfor %}</ul>
{% endblock main %}
"#,
    ),
    (
        "templates/page.html",
        r#"{% extends "base.html" %}
{% block title %}{{ page.title }} – {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ page.title }}</h1>
{% if page.extra.meta %}<dl>{% for m in page.extra.meta %}<dt>{{ m.0 }}</dt><dd>{{ m.1 }}</dd>{% endfor %}</dl>{% endif %}
{% if page.extra.orte %}<p>Stadtteile: {% for o in page.extra.orte %}{% if not loop.first %}, {% endif %}<a href="{{ get_taxonomy_url(kind="stadtteile", name=o.0) }}">{{ o.1 }}</a>{% endfor %}</p>{% endif %}
{% if page.extra.bild %}<img src="{{ get_url(path=page.extra.bild.0) }}" alt="{{ page.extra.bild.1 }}">{% endif %}
{{ page.content | safe }}
{% endblock main %}
"#,
    ),
    (
        "templates/stadtteile/list.html",
        r#"{% extends "base.html" %}
{% block title %}Stadtteile – {{ config.title }}{% endblock title %}
{% block main %}
<h1>Stadtteile</h1>
<ul>
{% for term in terms %}{% set st = get_page(path="stadtteil-daten/" ~ term.name ~ ".md") %}<li><a href="{{ term.permalink }}">{{ st.title }}</a> ({{ term.page_count }})</li>
{% endfor %}</ul>
{% endblock main %}
"#,
    ),
    (
        "templates/stadtteile/single.html",
        r#"{% extends "base.html" %}
{% block title %}{% set st = get_page(path="stadtteil-daten/" ~ term.name ~ ".md") %}{{ st.title }} – {{ config.title }}{% endblock title %}
{% block main %}
{% set st = get_page(path="stadtteil-daten/" ~ term.name ~ ".md") %}
<h1>{{ st.title }}</h1>
{% if st.extra.meta %}<dl>{% for m in st.extra.meta %}<dt>{{ m.0 }}</dt><dd>{{ m.1 }}</dd>{% endfor %}</dl>{% endif %}
{{ st.content | safe }}
{% for art, seiten in term.pages | group_by(attribute="extra.art") %}<h2>{{ art }}</h2>
<ul>
{% for p in seiten %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.extra.kurz }}</li>
{% endfor %}</ul>
{% endfor %}
{% endblock main %}
"#,
    ),
];
