//! `portal.yaml`: the site configuration.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::{Markdown, SourceFile, TextOrigin};
use crate::yaml::{Doc, Fields, FromYaml, Part, Problem, Seg, Sink};

#[derive(Debug, Clone)]
pub struct Config {
    pub titel: String,
    pub stadt: String,
    pub base_url: BaseUrl,
    pub sprache: String,
    pub theme: String,
    pub beschreibung: Option<String>,
    /// URL template with `{nummer}` for Vorlagen the portal does not have.
    pub ratsinfo_url: Option<String>,
    /// URL template with `{pfad}` for "Diese Seite bearbeiten" links.
    pub bearbeiten_url: Option<String>,
    pub karte: Karte,
    /// Slugs of the pages linked in every page's header and footer.
    pub impressum: Option<String>,
    pub datenschutz: Option<String>,
    pub barrierefreiheit: Option<String>,
    pub leichte_sprache: Option<String>,
    /// Raw HTML in Markdown passes (sanitised) instead of being shown as text.
    pub html_erlauben: bool,
    /// The licence of the portal's own open data (`/daten/`, OParl), if the portal names
    /// one (an extension of the contract).
    pub daten_lizenz: Option<Lizenz>,
    /// Markdown shown on the start page.
    pub einleitung: Option<Markdown>,
    /// The parsed `portal.yaml`, to point diagnostics at its lines.
    pub quelle: Option<Arc<Doc>>,
}

impl Config {
    /// Stands in for a `portal.yaml` that could not be read, so the content can still be
    /// checked in the same run. A build with it never writes anything.
    pub fn ersatz() -> Config {
        Config {
            titel: String::new(),
            stadt: String::new(),
            base_url: BaseUrl {
                url: "http://localhost/".into(),
                path: "/".into(),
                host: "localhost".into(),
            },
            sprache: "de".into(),
            theme: "default".into(),
            beschreibung: None,
            ratsinfo_url: None,
            bearbeiten_url: None,
            karte: Karte::default(),
            impressum: None,
            datenschutz: None,
            barrierefreiheit: None,
            leichte_sprache: None,
            html_erlauben: false,
            daten_lizenz: None,
            einleitung: None,
            quelle: None,
        }
    }

    /// Where a key of `portal.yaml` is (`["karte", "grenzen"]`), for diagnostics.
    pub fn locate(&self, path: &[&str]) -> Location {
        match &self.quelle {
            Some(doc) => {
                let path: Vec<Seg> = path.iter().map(|k| Seg::Key((*k).to_string())).collect();
                doc.locate(&path, Part::Value)
            }
            None => Location::file("portal.yaml"),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Karte {
    /// Boundaries file, relative to `content/`.
    pub grenzen: Option<String>,
    pub grenzen_hinweis: Option<String>,
    pub kacheln: Option<String>,
    pub kacheln_hinweis: Option<String>,
}

/// A licence: its name as residents read it and, where it has one, its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lizenz {
    pub name: String,
    pub url: Option<String>,
}

/// The public address of the portal. Links are written root-relative under its path,
/// so the output works under a sub-path such as `/gwa/` on any host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Absolute, always ending in `/`.
    url: String,
    /// The path part, starting and ending with `/`.
    path: String,
    /// `www.example.org`: the authority of calendar UIDs and feed tag URIs.
    host: String,
}

impl BaseUrl {
    pub fn parse(s: &str) -> Result<BaseUrl, Problem> {
        let parsed = url::Url::parse(s.trim()).map_err(|_| {
            Problem::new(
                Code::PortalYamlUngueltig,
                format!("'{s}' ist keine vollständige Adresse"),
            )
            .hint("Geben Sie die Adresse mit https:// an, z. B. https://www.example.org/gwa/")
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(Problem::new(
                Code::PortalYamlUngueltig,
                format!("'{s}' ist keine http(s)-Adresse"),
            )
            .hint("Die Adresse muss mit https:// oder http:// beginnen."));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Problem::new(
                Code::PortalYamlUngueltig,
                "die Adresse darf kein '?' oder '#' enthalten",
            ));
        }
        let mut path = parsed.path().to_string();
        if path.contains("//") {
            // Every link would start with `//`, which browsers read as another host.
            let gemeint = format!(
                "{}{}",
                parsed.origin().ascii_serialization(),
                path.split('/')
                    .filter(|t| !t.is_empty())
                    .fold(String::from("/"), |a, t| a + t + "/")
            );
            return Err(Problem::new(
                Code::PortalYamlUngueltig,
                format!("die Adresse '{s}' enthält '//' im Pfad"),
            )
            .hint(format!(
                "Schreiben Sie jeden Schrägstrich einzeln, z. B. {gemeint}"
            )));
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        let origin = parsed.origin().ascii_serialization();
        Ok(BaseUrl {
            url: format!("{origin}{path}"),
            path,
            host: parsed.host_str().unwrap_or_default().to_string(),
        })
    }

    /// `https://www.example.org/gwa/`
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `/gwa/`
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `www.example.org`
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Reads `portal.yaml`. Every problem found is a configuration error (exit code 2).
pub fn load(root: &Path, base_url_override: Option<&str>) -> (Option<Config>, Vec<Diagnostic>) {
    let path = root.join("portal.yaml");
    let text = match std::fs::metadata(&path) {
        // The same limits as for content files: size, UTF-8 (with line and column of
        // the first bad byte), no NUL characters.
        Ok(_) => match crate::load::read_text(&path, "portal.yaml") {
            Ok(t) => t,
            Err(d) => return (None, vec![as_config_error(*d)]),
        },
        Err(_) => {
            return (
                None,
                vec![Diagnostic::new(Code::PortalYamlFehlt, format!("keine portal.yaml in '{}'", root.display()))
                    .hint("Ist --root richtig? Ein Portal ist ein Ordner mit portal.yaml und content/.")],
            );
        }
    };
    let file = Arc::new(SourceFile {
        rel: "portal.yaml".into(),
        text,
    });
    let (doc, value) = match Doc::parse(file.clone(), 0, file.text.len()) {
        Ok(d) => d,
        Err(d) => return (None, vec![as_config_error(*d)]),
    };
    let doc = Arc::new(doc);
    let sink = Sink::default();
    let config = Fields::new(&doc, vec![], &value, &sink).and_then(|f| read(f, base_url_override));
    if config.is_none() && sink.borrow().is_empty() {
        sink.borrow_mut().push(
            Diagnostic::new(
                Code::PortalYamlUngueltig,
                "portal.yaml muss Felder enthalten (titel, stadt, base_url)",
            )
            .at(doc.locate(&[], Part::Value))
            .hint("portal.yaml besteht aus Zeilen 'feld: wert', mindestens titel, stadt und base_url."),
        );
    }
    let diags = sink.into_inner().into_iter().map(as_config_error).collect();
    let config = config.map(|c| Config {
        quelle: Some(doc.clone()),
        ..c
    });
    (config, diags)
}

fn as_config_error(mut d: Diagnostic) -> Diagnostic {
    if d.is_error() {
        d.code = Code::PortalYamlUngueltig;
    }
    d
}

fn read(mut f: Fields<'_>, base_url_override: Option<&str>) -> Option<Config> {
    let titel = f.req::<String>("titel");
    let stadt = f.req::<String>("stadt");
    let base_url = match base_url_override {
        Some(u) => {
            f.raw("base_url");
            match BaseUrl::parse(u) {
                Ok(b) => Some(b),
                Err(p) => {
                    f.push(
                        Diagnostic::new(
                            Code::AusgabeUngueltig,
                            format!("--base-url: {}", p.message),
                        )
                        .hint_opt(p.hint),
                    );
                    None
                }
            }
        }
        None => {
            if f.raw("base_url").is_none() {
                f.missing("base_url");
                None
            } else {
                f.value_with("base_url", |v, _| {
                    let s = String::from_yaml(v)?;
                    BaseUrl::parse(&s)
                })
            }
        }
    };
    let sprache = f.opt::<String>("sprache").unwrap_or_else(|| "de".into());
    let theme = f
        .value_with("theme", |v, _| {
            let name = String::from_yaml(v)?;
            // A folder under themes/, never a path: `theme: /etc` would have been read
            // from anywhere, and its static files published.
            let ordnername = !name.is_empty()
                && !name.starts_with('.')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if ordnername {
                Ok(name)
            } else {
                Err(Problem::new(
                    Code::PortalYamlUngueltig,
                    format!("'{name}' ist kein Name eines Theme-Ordners"),
                )
                .hint("Nennen Sie nur den Namen des Ordners unter themes/ (Buchstaben, Ziffern, '-', '_'), z. B. theme: stadt; oder lassen Sie 'theme:' weg."))
            }
        })
        .unwrap_or_else(|| "default".into());
    let beschreibung = f.opt("beschreibung");
    let ratsinfo_url = f.value_with("ratsinfo_url", |v, _| template(v, "{nummer}"));
    let bearbeiten_url = f.value_with("bearbeiten_url", |v, _| template(v, "{pfad}"));
    let karte = f
        .nested("karte")
        .map(|mut k| {
            let karte = Karte {
                grenzen: k.opt("grenzen"),
                grenzen_hinweis: k.opt("grenzen_hinweis"),
                kacheln: k.value_with("kacheln", |v, _| kachel_vorlage(v)),
                kacheln_hinweis: k.opt("kacheln_hinweis"),
            };
            k.finish();
            karte
        })
        .unwrap_or_default();
    let impressum = f.opt("impressum");
    let datenschutz = f.opt("datenschutz");
    let barrierefreiheit = f.opt("barrierefreiheit");
    let leichte_sprache = f.opt("leichte_sprache");
    let html_erlauben = f.opt("html_erlauben").unwrap_or(false);
    let daten_lizenz = lizenz(&mut f);
    let einleitung = f.opt::<String>("einleitung").map(|text| Markdown {
        file: f.doc().file.clone(),
        origin: TextOrigin::Field {
            doc: f.doc_arc(),
            path: vec![Seg::Key("einleitung".into())],
            text: text.into(),
        },
    });
    f.finish();
    Some(Config {
        titel: titel?,
        stadt: stadt?,
        base_url: base_url?,
        sprache,
        theme,
        beschreibung,
        ratsinfo_url,
        bearbeiten_url,
        karte,
        impressum,
        datenschutz,
        barrierefreiheit,
        leichte_sprache,
        html_erlauben,
        daten_lizenz,
        einleitung,
        quelle: None,
    })
}

/// `daten_lizenz`: either just the name (`daten_lizenz: "CC BY 4.0"`) or a mapping with
/// `name` and `url`.
fn lizenz(f: &mut Fields<'_>) -> Option<Lizenz> {
    if let Some(serde_yaml::Value::String(_)) = f.raw("daten_lizenz") {
        return f.opt::<String>("daten_lizenz").map(|name| Lizenz {
            name: name.trim().to_string(),
            url: None,
        });
    }
    let mut l = f.nested("daten_lizenz")?;
    let name = l.req::<String>("name");
    let url = l.value_with("url", |v, _| {
        let s = String::from_yaml(v)?;
        let ok = url::Url::parse(s.trim())
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if ok {
            Ok(s.trim().to_string())
        } else {
            Err(Problem::new(
                Code::PortalYamlUngueltig,
                format!("'{s}' ist keine vollständige Adresse"),
            )
            .hint("Geben Sie die Adresse der Lizenz mit https:// an, z. B. https://www.govdata.de/dl-de/by-2-0"))
        }
    });
    l.finish();
    Some(Lizenz {
        name: name?.trim().to_string(),
        url,
    })
}

fn template(v: &serde_yaml::Value, placeholder: &str) -> Result<String, Problem> {
    let s = String::from_yaml(v)?;
    if !s.contains(placeholder) {
        return Err(Problem::new(
            Code::PortalYamlUngueltig,
            format!("die Adresse enthält keinen Platzhalter {placeholder}"),
        )
        .hint(format!(
            "Beispiel: https://ratsinfo.example.org/vorlage?nr={placeholder}"
        )));
    }
    if !(s.starts_with("https://") || s.starts_with("http://")) {
        return Err(Problem::new(
            Code::PortalYamlUngueltig,
            "die Adresse muss mit https:// beginnen",
        ));
    }
    Ok(s)
}

/// The tile URL template of the interactive map: its host goes into the
/// Content-Security-Policy, so it must be a plain `https://` address.
fn kachel_vorlage(v: &serde_yaml::Value) -> Result<String, Problem> {
    let s = String::from_yaml(v)?;
    if crate::sicherheit::kachel_quelle(&s).is_none() {
        return Err(Problem::new(
            Code::PortalYamlUngueltig,
            "die Adresse der Kartenkacheln ist keine gültige https://-Adresse",
        )
        .hint("Beispiel: https://tile.example.org/{z}/{x}/{y}.png – der Servername darf nur Buchstaben, Ziffern, Punkte, Bindestriche und {s} enthalten."));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_the_sub_path() {
        let b = BaseUrl::parse("https://www.example.org/gwa").unwrap();
        assert_eq!(b.url(), "https://www.example.org/gwa/");
        assert_eq!(b.path(), "/gwa/");
        let b = BaseUrl::parse("http://localhost:8000").unwrap();
        assert_eq!(b.path(), "/");
        assert!(BaseUrl::parse("/gwa/").is_err());
        assert!(BaseUrl::parse("ftp://x.org/").is_err());
    }
}
