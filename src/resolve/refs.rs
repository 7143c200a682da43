//! Slug tables: turning the slugs editors write into typed ids, with hints.

use std::collections::HashMap;

use serde_yaml::Value;

use crate::diagnostics::{Code, closest, mit_teil, oder_liste};
use crate::model::{Datei, Id};
use crate::slug;
use crate::yaml::{FromYaml, Problem};

/// Why a slug that exists in `content/` is not part of this build.
#[derive(Debug, Clone, Copy)]
pub enum Excluded {
    Entwurf,
    NichtOeffentlich,
    /// Its file has an error (reported there) and gave no entity.
    Defekt,
}

/// The slugs of one entity type.
#[derive(Debug, Default)]
pub struct SlugTable {
    /// "Stadtteil", "AG": used in messages ("unbekannter Stadtteil …").
    label: &'static str,
    /// Grammatical gender for "unbekannter"/"unbekannte".
    feminine: bool,
    ids: HashMap<String, usize>,
    /// The slug of each id, for messages.
    slugs: Vec<String>,
    excluded: HashMap<String, Excluded>,
}

impl SlugTable {
    pub fn new(label: &'static str, feminine: bool) -> Self {
        SlugTable {
            label,
            feminine,
            ..Default::default()
        }
    }

    /// Adds the slug of the entity with the next id.
    pub fn push(&mut self, slug: &str) {
        self.ids.insert(slug.to_string(), self.slugs.len());
        self.slugs.push(slug.to_string());
    }

    pub fn slug(&self, index: usize) -> &str {
        &self.slugs[index]
    }

    /// A slug to show in an example, if there is any.
    pub fn beispiel(&self) -> Option<&str> {
        self.slugs.first().map(String::as_str)
    }

    pub fn exclude(&mut self, slug: &str, why: Excluded) {
        self.excluded.insert(slug.to_string(), why);
    }

    pub fn contains(&self, slug: &str) -> bool {
        self.ids.contains_key(slug)
    }

    pub fn get<T>(&self, slug: &str) -> Option<Id<T>> {
        self.ids.get(slug).map(|&i| Id::new(i))
    }

    /// Resolves a reference written by an editor.
    pub fn resolve<T>(&self, v: &Value) -> Result<Id<T>, Problem> {
        let wanted = String::from_yaml(v)?;
        self.resolve_str(&wanted)
    }

    pub fn resolve_str<T>(&self, wanted: &str) -> Result<Id<T>, Problem> {
        if let Some(id) = self.get(wanted) {
            return Ok(id);
        }
        if let Some(why) = self.excluded.get(wanted) {
            let (message, hint) = match why {
                Excluded::Defekt => {
                    return Err(Problem::new(
                        Code::Folgefehler,
                        format!(
                            "{} '{wanted}' kann wegen eines Fehlers in {} Datei nicht gelesen werden",
                            self.label,
                            if self.feminine { "ihrer" } else { "seiner" }
                        ),
                    ));
                }
                Excluded::Entwurf => (
                    format!(
                        "{} '{wanted}' ist ein Entwurf und wird nicht verlinkt",
                        self.label
                    ),
                    "Der Verweis erscheint, sobald der Entwurf veröffentlicht ist (entwurf: false) oder mit --drafts.",
                ),
                Excluded::NichtOeffentlich => (
                    format!(
                        "{} '{wanted}' ist nicht öffentlich und wird nicht verlinkt",
                        self.label
                    ),
                    "Nicht öffentliche Vorlagen werden nie veröffentlicht.",
                ),
            };
            return Err(Problem::new(Code::VerweisAufEntwurf, message).hint(hint));
        }
        let article = if self.feminine {
            "unbekannte"
        } else {
            "unbekannter"
        };
        let problem = Problem::new(
            Code::UnbekannterVerweis,
            format!("{article} {} '{wanted}'", self.label),
        );
        let as_slug = slug::slugify(wanted);
        let hint = if as_slug != wanted && self.contains(&as_slug) {
            Some(format!(
                "meinten Sie '{as_slug}'? Verweise nennen den Slug (Dateiname ohne Endung), nicht den Namen."
            ))
        } else {
            closest(wanted, self.ids.keys().map(String::as_str))
                .map(|c| format!("meinten Sie '{c}'?"))
                .or_else(|| {
                    let teil = mit_teil(&as_slug, self.ids.keys().map(String::as_str));
                    (1..=4)
                        .contains(&teil.len())
                        .then(|| format!("meinten Sie {}?", oder_liste(&teil)))
                })
        };
        let hint = hint.unwrap_or_else(|| {
            let mut known: Vec<&str> = self.ids.keys().map(String::as_str).collect();
            known.sort_unstable();
            let shown = known.iter().take(8).copied().collect::<Vec<_>>().join(", ");
            match known.len() {
                0 => format!("Es gibt noch keinen Eintrag dieser Art ({}).", self.label),
                n if n > 8 => {
                    format!("Verweise nennen den Slug (Dateiname ohne Endung), z. B. {shown} …")
                }
                _ => format!("Verweise nennen den Slug (Dateiname ohne Endung): {shown}."),
            }
        });
        Err(problem.hint(hint))
    }
}

/// The files under `content/dateien/` and `content/daten/`.
#[derive(Debug, Default)]
pub struct FileTable {
    ids: HashMap<String, usize>,
}

impl FileTable {
    pub fn new(dateien: &[Datei]) -> Self {
        FileTable {
            ids: dateien
                .iter()
                .enumerate()
                .map(|(i, d)| (d.pfad.clone(), i))
                .collect(),
        }
    }

    pub fn get(&self, pfad: &str) -> Option<Id<Datei>> {
        self.ids.get(pfad).map(|&i| Id::new(i))
    }

    /// Resolves `datei: plan.pdf` (relative to `content/dateien/`).
    pub fn resolve(&self, v: &Value) -> Result<Id<Datei>, Problem> {
        let wanted = String::from_yaml(v)?;
        self.resolve_in("dateien", &wanted)
    }

    /// Resolves a path relative to `content/{folder}/`, refusing ways out of it.
    pub fn resolve_in(&self, folder: &str, wanted: &str) -> Result<Id<Datei>, Problem> {
        let normalized = crate::load::nfc(wanted.trim()).replace('\\', "/");
        let escapes = normalized.starts_with('/')
            || normalized.contains(':')
            || normalized.split('/').any(|part| part == "..");
        if escapes {
            return Err(Problem::new(Code::DateiAusserhalb, format!("der Pfad '{wanted}' verlässt content/{folder}/"))
                .hint(format!("Dateiangaben sind relativ zu content/{folder}/, z. B. 'plan.pdf' für content/{folder}/plan.pdf.")));
        }
        let normalized = normalized.trim_start_matches("./");
        let key = format!("{folder}/{normalized}");
        if let Some(id) = self.get(&key) {
            return Ok(id);
        }
        let mut p = Problem::new(
            Code::DateiFehlt,
            format!("Datei 'content/{key}' nicht gefunden"),
        );
        let prefix = format!("{folder}/");
        let names = self.ids.keys().filter_map(|k| k.strip_prefix(&prefix));
        if let Some(c) = closest(normalized, names) {
            p = p.hint(format!("meinten Sie '{c}'?"));
        } else if let Some(stripped) = normalized
            .strip_prefix(&prefix)
            .or_else(|| normalized.strip_prefix("content/dateien/"))
        {
            p = p.hint(format!(
                "Pfade sind relativ zu content/{folder}/: schreiben Sie '{stripped}'."
            ));
        } else {
            p = p.hint(format!("Legen Sie die Datei unter content/{key} ab."));
        }
        Err(p)
    }
}
