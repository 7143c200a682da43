//! Themes: Tera templates and static files.
//!
//! The default theme is embedded in the binary, so `portal.yaml` and `content/` alone
//! make a portal. A theme folder on disk (`themes/<name>/`) overrides it file by file:
//! a theme may change one template and inherit the rest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Serialize;
use walkdir::WalkDir;

use super::{Content, Output};
use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::Portal;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A file of the built-in default theme (`fonts/SourceSans3-Regular.ttf`).
pub fn eingebaute_datei(path: &str) -> Option<&'static [u8]> {
    DEFAULT_THEME.get_file(path).map(|f| f.contents())
}

pub struct Theme {
    tera: tera::Tera,
    /// Template name → (path shown to theme authors, source), for error locations.
    sources: BTreeMap<String, (String, String)>,
    /// Static files by output path.
    statics: BTreeMap<String, StaticSource>,
}

enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl Theme {
    /// Loads theme `name` of the portal at `root`. `global` and `navigation` become
    /// variables of every template.
    pub fn load(
        root: &Path,
        name: &str,
        named_at: Location,
        global: &impl Serialize,
        navigation: &impl Serialize,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(vec![
                Diagnostic::new(Code::ThemeFehlt, format!("Theme '{name}' nicht gefunden"))
                    .at(named_at)
                    .hint(format!("Legen Sie den Ordner themes/{name}/ an oder lassen Sie 'theme:' weg (Standard: default).")),
            ]);
        }

        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);
        let mut problems = Vec::new();
        if dir.is_dir() {
            collect_disk(root, &dir, &mut templates, &mut statics, &mut problems);
        }
        if !problems.is_empty() {
            return Err(problems);
        }

        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        let ctx = tera.global_context();
        ctx.insert("portal", global);
        ctx.insert("navigation", navigation);
        let sources: Vec<(&str, &str)> = templates
            .iter()
            .map(|(n, (_, text))| (n.as_str(), text.as_str()))
            .collect();
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(vec![template_error(&e, &templates)]);
        }
        Ok(Theme {
            tera,
            sources: templates,
            statics,
        })
    }

    /// Renders `template` to the bytes of the file. Not to a `String`: every output is
    /// written as bytes, and Tera's `render` would check the whole page for valid UTF-8
    /// (1 % of a build) only for that to be undone.
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Box<Diagnostic>> {
        // Most pages are 5–20 KB: room for them from the start instead of growing the
        // buffer from Tera's estimate (twice the template's own text) by copying.
        let mut out = Vec::with_capacity(32 * 1024);
        self.tera
            .render_to(template, context, &mut out)
            .map_err(|e| Box::new(template_error(&e, &self.sources)))?;
        Ok(out)
    }

    /// Output paths of the static files (`css/quartier.css`, …) the portal needs.
    pub fn static_files(&self, portal: &Portal) -> impl Iterator<Item = String> + '_ {
        let wanted = needed(portal);
        self.statics.keys().filter(move |p| wanted(p)).cloned()
    }

    /// The static file at output path `path`, if the portal has it.
    pub fn static_output(&self, portal: &Portal, path: &str) -> Option<Output> {
        self.static_outputs(portal).find(|o| o.path == path)
    }

    pub fn static_outputs(&self, portal: &Portal) -> impl Iterator<Item = Output> + '_ {
        let wanted = needed(portal);
        self.statics
            .iter()
            .filter(move |(p, _)| wanted(p))
            .map(|(path, source)| Output {
                path: path.clone(),
                content: match source {
                    StaticSource::Embedded(bytes) => Content::Static(bytes),
                    StaticSource::Disk(p) => Content::Copy(p.clone()),
                },
            })
    }
}

/// Leaflet is only published by portals with an interactive base map (`karte.kacheln`).
fn needed(portal: &Portal) -> impl Fn(&str) -> bool + use<> {
    let kacheln = portal.config.karte.kacheln.is_some();
    move |path: &str| kacheln || !path.starts_with("vendor/leaflet/")
}

fn collect_embedded(
    dir: &'static Dir<'static>,
    templates: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, StaticSource>,
) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => collect_embedded(d, templates, statics),
            include_dir::DirEntry::File(f) => {
                let path = f.path().to_string_lossy().replace('\\', "/");
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(f.contents()).into_owned();
                    templates.insert(
                        name.to_string(),
                        (format!("(eingebaut) themes/default/{path}"), text),
                    );
                } else if let Some(out) = path.strip_prefix("static/") {
                    statics.insert(out.to_string(), StaticSource::Embedded(f.contents()));
                }
            }
        }
    }
}

fn collect_disk(
    root: &Path,
    dir: &Path,
    templates: &mut BTreeMap<String, (String, String)>,
    statics: &mut BTreeMap<String, StaticSource>,
    problems: &mut Vec<Diagnostic>,
) {
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = crate::load::rel(dir, entry.path());
        let shown = crate::load::rel(root, entry.path());
        if let Some(name) = rel.strip_prefix("templates/") {
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    templates.insert(name.to_string(), (shown, text));
                }
                Err(_) => problems.push(
                    Diagnostic::new(
                        Code::TemplateFehler,
                        "Template kann nicht gelesen werden (UTF-8?)",
                    )
                    .at(Location::file(shown)),
                ),
            }
        } else if let Some(out) = rel.strip_prefix("static/") {
            statics.insert(
                out.to_string(),
                StaticSource::Disk(entry.path().to_path_buf()),
            );
        }
    }
}

/// A template problem for theme authors, pointing into the template when Tera says where.
fn template_error(e: &tera::Error, templates: &BTreeMap<String, (String, String)>) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut d = Diagnostic::new(
        Code::TemplateFehler,
        format!(
            "Fehler im Theme: {}",
            auf_deutsch(&report.map_or_else(|| e.to_string(), |r| r.message().to_string()))
        ),
    );
    if let Some(r) = report {
        let span = r.span();
        match templates.get(r.filename()) {
            Some((shown, text)) if span.range.end <= text.len() => {
                d = d.at(Location::in_text(
                    shown.as_str(),
                    text,
                    span.range.start,
                    span.range.end,
                ));
            }
            _ => {
                d = d.at(Location::file(format!("templates/{}", r.filename())));
                d.message = format!("{} (Zeile {})", d.message, span.start_line);
            }
        }
    }
    d.hint("Prüfen Sie das Template; die Tera-Dokumentation beschreibt die Syntax: https://keats.github.io/tera/")
}

/// Tera's most frequent messages in German, the names and types in them kept; any other
/// stays as Tera wrote it, marked as Tera's. Tera has no translations of its own, and the
/// diagnostics of a build are read by the people who look after the portal.
fn auf_deutsch(tera: &str) -> String {
    let m = tera.trim().trim_start_matches("error: ");
    let nach = |vorn: &str| m.strip_prefix(vorn);
    if let Some(rest) = nach("Found ") {
        if let Some((gefunden, erwartet)) = rest.split_once(" but expected one of: ") {
            return format!("{gefunden} steht hier falsch; erwartet ist eines von: {erwartet}");
        }
        if let Some((gefunden, erwartet)) = rest.split_once(" but expected ") {
            let erwartet = erwartet.trim_end_matches('.');
            return format!("{gefunden} steht hier falsch; erwartet ist {erwartet}");
        }
    }
    if let Some(rest) = nach("Variable ")
        && let Some((name, verfuegbar)) = rest.split_once(" is not defined.")
    {
        let verfuegbar = verfuegbar
            .trim()
            .trim_start_matches("Available variables:")
            .trim();
        return format!("die Variable {name} gibt es hier nicht (vorhanden: {verfuegbar})");
    }
    if m == "Unexpected end of input" {
        return "das Template endet mitten in einem Ausdruck oder Block (fehlt '}}' oder '%}'?)"
            .to_string();
    }
    for (englisch, deutsch) in [
        ("Unknown filter ", "unbekannter Filter "),
        ("Unknown function ", "unbekannte Funktion "),
        ("Unknown test ", "unbekannter Test "),
        ("Unknown template ", "unbekanntes Template "),
        (
            "Iteration not possible on type ",
            "kann nicht durchlaufen werden: ein Wert vom Typ ",
        ),
    ] {
        if let Some(rest) = nach(englisch) {
            return format!("{deutsch}{rest}");
        }
    }
    format!("{m} (Meldung von Tera)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages as Tera writes them: a new Tera that words them differently fails
    /// here instead of passing English text on unmarked.
    fn meldung(vorlage: &str) -> String {
        let mut tera = tera::Tera::new();
        let sources = BTreeMap::from([(
            "seite.html".to_string(),
            (
                "themes/t/templates/seite.html".to_string(),
                vorlage.to_string(),
            ),
        )]);
        let fehler = match tera.add_raw_template("seite.html", vorlage) {
            Err(e) => e,
            Ok(()) => {
                let mut context = tera::Context::new();
                context.insert("seite", &serde_json::json!({"zahl": 5}));
                tera.render("seite.html", &context).unwrap_err()
            }
        };
        template_error(&fehler, &sources).message
    }

    #[test]
    fn teras_frequent_messages_are_given_in_german() {
        for (vorlage, erwartet) in [
            (
                "{% if %}{% endif %}",
                "steht hier falsch; erwartet ist eines von:",
            ),
            (
                "{{ seite.zahl\n{% if x %}{% endif %}",
                "steht hier falsch; erwartet ist }}",
            ),
            (
                "{{ seite.zahl",
                "das Template endet mitten in einem Ausdruck",
            ),
            (
                "{{ gibtsnicht }}",
                "die Variable `gibtsnicht` gibt es hier nicht (vorhanden: seite)",
            ),
            ("{{ seite.zahl | schick }}", "unbekannter Filter `schick`"),
            (
                "{% include \"fehlt.html\" %}",
                "unbekanntes Template `fehlt.html`",
            ),
            (
                "{% for x in seite.zahl %}{% endfor %}",
                "kann nicht durchlaufen werden: ein Wert vom Typ",
            ),
        ] {
            let m = meldung(vorlage);
            assert!(m.starts_with("Fehler im Theme: "), "{vorlage}: {m}");
            assert!(m.contains(erwartet), "{vorlage}: {m}");
            assert!(!m.contains("Meldung von Tera"), "{vorlage}: {m}");
        }
        // What is not translated says whose words it is.
        let m = meldung("{{ 1 + \"a\" }}");
        assert!(m.ends_with("(Meldung von Tera)"), "{m}");
    }
}
