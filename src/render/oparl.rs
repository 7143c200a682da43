//! A static OParl 1.1 export under `/oparl/v1/`: the interface of council information
//! systems, written as plain JSON files so any web server can offer it.
//!
//! | object | from |
//! |---|---|
//! | System | the portal (`system.json`, the entry point) |
//! | Body | the city (`stadt` in `portal.yaml`) |
//! | Organization | each AG, and each body named in a Beratungsfolge (`gremium`) |
//! | Paper | each published Vorlage, with its PDF as `mainFile`, its `anhaenge` as `auxiliaryFile`, its Stadtteile as `location` and its Beratungsfolge as `consultation` |
//! | Consultation | each step of a Beratungsfolge |
//! | Meeting | each AG meeting, each Stadtteilforum, and each day a Beratungsfolge names for a body |
//! | AgendaItem | the agenda of a forum; the Vorlagen a body discusses on a day (`public` from `behandlung`) |
//! | File | the generated PDFs, attachments and minutes that are files |
//! | Location | meeting places, and the Stadtteile a Vorlage concerns (with their boundary) |
//!
//! Every `id` is the absolute URL of the file that holds the object, ending in `.json`,
//! so every id resolves. Lists are paginated, 100 objects a page (`paper.json`,
//! `paper-2.json`, …). Objects embedded in others leave out their reference back to the
//! object they are embedded in, as OParl asks.
//!
//! `created` and `modified` come from the content, never from the clock, so two builds
//! are byte-identical: `created` is the earliest and `modified` the latest date the
//! object names (a Vorlage: its date and the dates of its Beratungsfolge), at midnight in
//! Europe/Berlin; objects without dates of their own take those of the objects that
//! refer to them or that they contain. Meetings have a `start` only where the content
//! gives a time; the date is always in their `name`.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, Time};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::bilder::Bilder;
use super::pdf::Pdfs;
use super::{Content, Output, Ziel, format, routes, views};
use crate::model::{Ag, Datei, Forum, Id, Portal, Protokoll, Stadtteil, Vorlage};
use crate::slug::slugify;

/// The folder of the export; `system.json` in it is the entry point.
pub const WURZEL: &str = "oparl/v1/";
pub const SYSTEM: &str = "oparl/v1/system.json";

const SCHEMA: &str = "https://schema.oparl.org/1.1/";
/// Objects per list page (OParl recommends pages for lists of more than 100).
const PRO_SEITE: usize = 100;

/// What the export holds, for the `/daten/` page.
#[derive(Debug, Default)]
pub struct Umfang {
    /// Objects of each type (`Paper`, …) with their own file, in the order of [`TYPEN`].
    pub anzahl: BTreeMap<&'static str, usize>,
    /// Files written and their total size in bytes.
    pub dateien: usize,
    pub bytes: u64,
    /// Whether Locations carry the boundaries of Stadtteile (and so their attribution).
    pub mit_flaechen: bool,
}

/// The object types of the export, in the order the `/daten/` page lists them, with
/// what they stand for.
pub const TYPEN: &[(&str, &str)] = &[
    ("System", "der Einstiegspunkt: dieses Portal"),
    ("Body", "die Stadt (Körperschaft)"),
    (
        "Organization",
        "die Arbeitsgruppen Gemeinwesenarbeit und die Gremien, die in Beratungsfolgen von Vorlagen genannt sind",
    ),
    (
        "Paper",
        "die Vorlagen, mit ihrem PDF, ihren Anhängen, den Stadtteilen, die sie betreffen, und ihrer Beratungsfolge",
    ),
    (
        "Consultation",
        "die Beratungen einer Vorlage, Schritt für Schritt wie in der Beratungsfolge",
    ),
    (
        "Meeting",
        "die Sitzungen der Arbeitsgruppen, die Stadtteilforen und die Beratungstermine der Gremien",
    ),
    (
        "AgendaItem",
        "die Tagesordnungen der Stadtteilforen und die Vorlagen, die ein Gremium an einem Tag berät (öffentlich oder nicht öffentlich)",
    ),
    (
        "File",
        "die PDF-Dateien der Vorlagen, ihre Anhänge, Anhänge der Foren und Protokolle als Datei",
    ),
    (
        "Location",
        "die Sitzungsorte und die Stadtteile, die eine Vorlage betrifft (mit ihrer Fläche)",
    ),
];

/// Makes the export and hands each of its files to `ziel`.
pub fn abgeben(p: &Portal, pdfs: &Pdfs, bilder: &Bilder, ziel: &dyn Ziel) -> Umfang {
    let mut e = Export::new(p, bilder);
    e.build(pdfs);
    let anzahl = e.anzahl.clone();
    let mit_flaechen = e.mit_flaechen;
    let (dateien, bytes) = e.schreiben(ziel);
    Umfang {
        anzahl,
        dateien,
        bytes,
        mit_flaechen,
    }
}

/// The earliest and latest date of an object (for `created` and `modified`).
#[derive(Debug, Clone, Copy, Default)]
struct Zeiten {
    von: Option<Date>,
    bis: Option<Date>,
}

impl Zeiten {
    fn von(d: Date) -> Self {
        Zeiten {
            von: Some(d),
            bis: Some(d),
        }
    }

    fn mit(mut self, d: Date) -> Self {
        self.von = Some(self.von.map_or(d, |v| v.min(d)));
        self.bis = Some(self.bis.map_or(d, |b| b.max(d)));
        self
    }

    fn und(self, other: Zeiten) -> Self {
        [other.von, other.bis]
            .into_iter()
            .flatten()
            .fold(self, Zeiten::mit)
    }
}

/// One step of a Beratungsfolge: the body, and which of several steps with the same body
/// on the same day it is (1 for the first).
#[derive(Debug, Clone)]
struct Beratungsschritt {
    gremium: usize,
    datum: Date,
    nr: usize,
}

/// A step of a Vorlage's Beratungsfolge: the Vorlage and the step's index.
type Schritt = (Id<Vorlage>, usize);

/// A body named in Beratungsfolgen.
#[derive(Debug)]
struct Gremium {
    slug: String,
    name: String,
    /// Per day, the steps that name it.
    termine: BTreeMap<Date, Vec<Schritt>>,
}

/// Who refers to a content file.
#[derive(Debug, Default)]
struct Nutzung {
    titel: Option<String>,
    papers: Vec<String>,
    meetings: Vec<String>,
    zeiten: Zeiten,
}

struct Export<'a> {
    p: &'a Portal,
    /// Photos attached as files are published as their largest JPEG variant.
    bilder: &'a Bilder,
    /// `https://www.example.org/gwa/`
    base: String,
    body: String,
    gremien: Vec<Gremium>,
    /// By Vorlage index, the step of each Beratung.
    schritte: Vec<Vec<Beratungsschritt>>,
    /// Content files in attachments and minutes, by Datei index, with their object path.
    dateien_nutzung: BTreeMap<usize, (String, Nutzung)>,
    /// Stadtteile a Vorlage concerns: their Location paths and who refers to them.
    orte: BTreeMap<usize, (Vec<String>, Zeiten)>,
    /// Every file of the export: path and content.
    dateien: Vec<(String, Objekt)>,
    /// Files and places by path, in the form other objects embed.
    einbettbar: HashMap<String, Value>,
    anzahl: BTreeMap<&'static str, usize>,
    mit_flaechen: bool,
    /// The dates of everything, for Body and System.
    alle: Zeiten,
    /// List pages to write: the path without `.json` and the objects (by index into
    /// `dateien`).
    listen: Vec<(String, Vec<usize>)>,
    // The list entries of the Body, by index into `dateien`.
    organizations: Vec<usize>,
    meetings: Vec<(Date, Option<Time>, String, usize)>,
    papers: Vec<usize>,
    consultations: Vec<usize>,
    agenda_items: Vec<usize>,
    files: Vec<usize>,
    locations: Vec<usize>,
}

/// An object of the export. Most are serialised as soon as they are stored: as JSON values
/// the objects of a large portal took several times the memory of their bytes (1 GB at
/// 100,000 projects), and nothing changes them afterwards.
enum Objekt {
    /// Organizations ([`Export::ablegen_organisation`]).
    Offen(Value),
    Fertig(Vec<u8>),
}

/// Appends `-2`, `-3`, … for the second and later of equal keys.
fn nummeriert(key: String, nr: usize) -> String {
    if nr <= 1 { key } else { format!("{key}-{nr}") }
}

/// The keyword of objects made from made-up example records.
const BEISPIEL: &str = "Beispiel";

/// Marks an object made from a made-up example record: a keyword, and its name says
/// so, since OParl clients show names without the portal's pages that mark it.
fn als_beispiel(m: &mut Map<String, Value>, beispiel: bool) {
    if !beispiel {
        return;
    }
    m.insert("keyword".into(), json!([BEISPIEL]));
    if let Some(Value::String(name)) = m.get_mut("name") {
        name.push_str(" (Beispiel)");
    }
}

/// Back references left out of embedded objects.
const RUECKVERWEISE: &[&str] = &[
    "paper",
    "meeting",
    "agendaItem",
    "bodies",
    "organizations",
    "persons",
    "meetings",
    "papers",
];

impl<'a> Export<'a> {
    fn new(p: &'a Portal, bilder: &'a Bilder) -> Self {
        let body = match slugify(&p.config.stadt) {
            s if s.is_empty() => "stadt".to_string(),
            s => s,
        };
        Export {
            p,
            bilder,
            base: p.config.base_url.url().to_string(),
            body,
            gremien: Vec::new(),
            schritte: Vec::new(),
            dateien_nutzung: BTreeMap::new(),
            orte: BTreeMap::new(),
            dateien: Vec::new(),
            einbettbar: HashMap::new(),
            anzahl: BTreeMap::new(),
            mit_flaechen: false,
            alle: Zeiten::default(),
            listen: Vec::new(),
            organizations: Vec::new(),
            meetings: Vec::new(),
            papers: Vec::new(),
            consultations: Vec::new(),
            agenda_items: Vec::new(),
            files: Vec::new(),
            locations: Vec::new(),
        }
    }

    /// The absolute URL of a path of the site.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The absolute URL of a path of the export (`paper/x.json`).
    fn oparl(&self, path: &str) -> String {
        format!("{}{WURZEL}{path}", self.base)
    }

    fn body_url(&self) -> String {
        self.oparl(&format!("body/{}.json", self.body))
    }

    fn body_liste(&self, name: &str) -> String {
        self.oparl(&format!("body/{}/{name}.json", self.body))
    }

    /// A new object of `typ` with its id and type.
    fn objekt(&self, typ: &str, path: &str) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(self.oparl(path)));
        m.insert("type".into(), Value::String(format!("{SCHEMA}{typ}")));
        m
    }

    /// Adds `created` and `modified`, and counts the dates for Body and System.
    fn stempel(&mut self, m: &mut Map<String, Value>, z: Zeiten) {
        self.alle = self.alle.und(z);
        if let (Some(von), Some(bis)) = (z.von, z.bis) {
            m.insert("created".into(), json!(format::zeitpunkt(von, None)));
            m.insert("modified".into(), json!(format::zeitpunkt(bis, None)));
        }
    }

    /// Stores an object as its own file, serialised now, and returns its index.
    fn ablegen(&mut self, typ: &'static str, path: &str, m: &Map<String, Value>) -> usize {
        let bytes = serde_json::to_vec(m).unwrap_or_default();
        self.ablegen_als(typ, path, Objekt::Fertig(bytes))
    }

    /// Stores an Organization, kept as a value: `body_and_system` may still give it the
    /// Body's dates.
    fn ablegen_organisation(&mut self, path: &str, m: Map<String, Value>) -> usize {
        self.ablegen_als("Organization", path, Objekt::Offen(Value::Object(m)))
    }

    fn ablegen_als(&mut self, typ: &'static str, path: &str, objekt: Objekt) -> usize {
        *self.anzahl.entry(typ).or_default() += 1;
        self.dateien.push((format!("{WURZEL}{path}"), objekt));
        self.dateien.len() - 1
    }

    /// Stores an object like [`Export::ablegen`] and returns its index and its embedded
    /// form: the object without the keys `ohne`, which refer back to where it is
    /// embedded.
    fn ablegen_eingebettet(
        &mut self,
        typ: &'static str,
        path: &str,
        mut m: Map<String, Value>,
        ohne: &[&str],
    ) -> (usize, Value) {
        let i = self.ablegen(typ, path, &m);
        for k in ohne {
            m.remove(*k);
        }
        (i, Value::Object(m))
    }

    fn build(&mut self, pdfs: &Pdfs) {
        let p = self.p;
        self.sammeln();
        let ags: Vec<Id<Ag>> = p.ids().collect();
        let foren: Vec<Id<Forum>> = p.ids().collect();
        let vorlagen: Vec<Id<Vorlage>> = p.ids().collect();

        // Files and places first: the objects that embed them need them whole.
        self.content_files();
        self.stadtteil_orte();

        for id in &vorlagen {
            self.paper(*id, pdfs);
        }
        for g in 0..self.gremien.len() {
            self.gremium(g);
        }
        for id in &ags {
            self.ag(*id);
        }
        for id in &foren {
            self.forum(*id);
        }
        self.body_and_system();
    }

    /// Finds the bodies of the Beratungsfolgen and who uses which file and Stadtteil.
    fn sammeln(&mut self) {
        let p = self.p;
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        for id in p.ids::<Vorlage>() {
            let v = &p[id];
            let mut schritte = Vec::with_capacity(v.beratungsfolge.len());
            for (i, b) in v.beratungsfolge.iter().enumerate() {
                let slug = match slugify(&b.gremium) {
                    s if s.is_empty() => "gremium".to_string(),
                    s => s,
                };
                let g = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    self.gremien.push(Gremium {
                        slug,
                        name: b.gremium.trim().to_string(),
                        termine: BTreeMap::new(),
                    });
                    self.gremien.len() - 1
                });
                let nr = schritte
                    .iter()
                    .filter(|s: &&Beratungsschritt| s.gremium == g && s.datum == b.datum)
                    .count()
                    + 1;
                self.gremien[g]
                    .termine
                    .entry(b.datum)
                    .or_default()
                    .push((id, i));
                schritte.push(Beratungsschritt {
                    gremium: g,
                    datum: b.datum,
                    nr,
                });
            }
            self.schritte.push(schritte);
        }

        let mut nutzung: BTreeMap<usize, Nutzung> = BTreeMap::new();
        let mut nutzen = |datei: Id<Datei>,
                          titel: &str,
                          paper: Option<String>,
                          meeting: Option<String>,
                          d: Date| {
            let n = nutzung.entry(datei.index()).or_default();
            if n.titel.is_none() && !titel.trim().is_empty() {
                n.titel = Some(titel.trim().to_string());
            }
            n.papers.extend(paper);
            n.meetings.extend(meeting);
            n.zeiten = n.zeiten.mit(d);
        };
        for id in p.ids::<Vorlage>() {
            let v = &p[id];
            let paper = self.oparl(&paper_pfad(p, id));
            for a in &v.anhaenge {
                nutzen(a.datei, &a.titel, Some(paper.clone()), None, v.datum);
            }
        }
        for id in p.ids::<Forum>() {
            let f = &p[id];
            let meeting = self.oparl(&forum_pfad(p, id));
            for a in &f.anhaenge {
                nutzen(a.datei, &a.titel, None, Some(meeting.clone()), f.datum);
            }
        }
        for id in p.ids::<Ag>() {
            let a = &p[id];
            for (i, s) in a.sitzungen.iter().enumerate() {
                if let Some(Protokoll::Datei(d)) = &s.protokoll {
                    let meeting = self.oparl(&sitzung_pfad(p, id, i));
                    let titel = format!("Protokoll der Sitzung am {}", format::datum(s.datum));
                    nutzen(*d, &titel, None, Some(meeting), s.datum);
                }
            }
        }
        // File paths from the file's path under content/, unique in file order.
        let mut vergeben: HashMap<String, usize> = HashMap::new();
        for (index, n) in nutzung {
            let d = &p.dateien[index];
            let stamm = match slugify(d.pfad.strip_prefix("dateien/").unwrap_or(&d.pfad)) {
                s if s.is_empty() => "datei".to_string(),
                s => s,
            };
            let nr = vergeben.entry(stamm.clone()).or_default();
            *nr += 1;
            let path = format!("file/dateien/{}.json", nummeriert(stamm, *nr));
            self.dateien_nutzung.insert(index, (path, n));
        }

        for id in p.ids::<Vorlage>() {
            let v = &p[id];
            let paper = self.oparl(&paper_pfad(p, id));
            let z = vorlage_zeiten(p, id);
            for s in &v.stadtteile {
                let e = self
                    .orte
                    .entry(s.index())
                    .or_insert_with(|| (Vec::new(), Zeiten::default()));
                e.0.push(paper.clone());
                e.1 = e.1.und(z);
            }
        }
    }

    /// File objects of the content files used as attachments and minutes.
    fn content_files(&mut self) {
        let p = self.p;
        let eintraege: Vec<(usize, String)> = self
            .dateien_nutzung
            .iter()
            .map(|(i, (path, _))| (*i, path.clone()))
            .collect();
        for (index, path) in eintraege {
            let d = &p.dateien[index];
            let (_, n) = &self.dateien_nutzung[&index];
            let (titel, papers, meetings, zeiten) = (
                n.titel.clone(),
                n.papers.clone(),
                n.meetings.clone(),
                n.zeiten,
            );
            let mut m = self.objekt("File", &path);
            let name = titel.unwrap_or_else(|| {
                d.name()
                    .rsplit_once('.')
                    .map_or(d.name(), |(stamm, _)| stamm)
                    .to_string()
            });
            m.insert("name".into(), json!(name));
            m.insert("fileName".into(), json!(d.name()));
            let id = Id::new(index);
            match self.bilder.bild(id) {
                Some(b) if !self.bilder.unveraendert(p, id) => {
                    let v = b.groesste();
                    m.insert("mimeType".into(), json!("image/jpeg"));
                    m.insert("size".into(), json!(v.jpeg_groesse));
                    m.insert(
                        "accessUrl".into(),
                        json!(self.url(&routes::kodiert(&v.jpeg))),
                    );
                }
                _ => {
                    m.insert("mimeType".into(), json!(d.mime_typ()));
                    m.insert("size".into(), json!(d.groesse));
                    m.insert(
                        "accessUrl".into(),
                        json!(self.url(&routes::kodiert(&d.pfad))),
                    );
                }
            }
            if !papers.is_empty() {
                m.insert("paper".into(), json!(papers));
            }
            if !meetings.is_empty() {
                m.insert("meeting".into(), json!(meetings));
            }
            self.stempel(&mut m, zeiten);
            let (i, e) = self.ablegen_eingebettet("File", &path, m, RUECKVERWEISE);
            self.einbettbar.insert(path, e);
            self.files.push(i);
        }
    }

    /// The embedded form of a content file's File object.
    fn datei_objekt(&self, datei: Id<Datei>) -> Option<Value> {
        let (path, _) = self.dateien_nutzung.get(&datei.index())?;
        self.einbettbar.get(path).cloned()
    }

    /// Location objects of the Stadtteile that Vorlagen concern.
    fn stadtteil_orte(&mut self) {
        let p = self.p;
        let orte: Vec<(usize, Vec<String>, Zeiten)> = self
            .orte
            .iter()
            .map(|(i, (papers, z))| (*i, papers.clone(), *z))
            .collect();
        for (index, papers, zeiten) in orte {
            let id: Id<Stadtteil> = Id::new(index);
            let s = &p[id];
            let path = stadtteil_ort_pfad(p, id);
            let mut m = self.objekt("Location", &path);
            m.insert("description".into(), json!(format!("Stadtteil {}", s.name)));
            m.insert("subLocality".into(), json!(s.name));
            if let Some(karte) = &p.karte
                && let Some(form) = &karte.flaechen[index]
            {
                let mut props = Map::new();
                props.insert("name".into(), json!(s.name));
                if let Some(h) = &karte.hinweis {
                    // The boundaries' licence requires the attribution wherever they go.
                    props.insert("attribution".into(), json!(h));
                }
                self.mit_flaechen = true;
                let geometry = geojson::Geometry::new(geojson::GeometryValue::from(form));
                m.insert(
                    "geojson".into(),
                    json!({
                        "type": "Feature",
                        "geometry": serde_json::to_value(&geometry).unwrap_or(Value::Null),
                        "properties": props,
                    }),
                );
            }
            m.insert("papers".into(), json!(papers));
            m.insert("web".into(), json!(self.url(&routes::stadtteil(p, id))));
            self.stempel(&mut m, zeiten);
            let (i, e) = self.ablegen_eingebettet("Location", &path, m, RUECKVERWEISE);
            self.einbettbar.insert(path, e);
            self.locations.push(i);
        }
    }

    /// A meeting place as written in the content.
    fn ort(&mut self, path: &str, text: &str, meeting: &str, z: Zeiten, beispiel: bool) -> Value {
        let mut m = self.objekt("Location", path);
        m.insert("description".into(), json!(text));
        m.insert("meetings".into(), json!([meeting]));
        als_beispiel(&mut m, beispiel);
        self.stempel(&mut m, z);
        let (i, e) = self.ablegen_eingebettet("Location", path, m, RUECKVERWEISE);
        self.locations.push(i);
        e
    }

    fn paper(&mut self, id: Id<Vorlage>, pdfs: &Pdfs) {
        let p = self.p;
        let v = &p[id];
        let path = paper_pfad(p, id);
        let paper_url = self.oparl(&path);
        let zeiten = vorlage_zeiten(p, id);

        // The generated PDF.
        let pdf_path = format!("file/vorlage/{}.json", v.meta.slug);
        let mut f = self.objekt("File", &pdf_path);
        f.insert(
            "name".into(),
            json!(format!("{} {}", v.art.bezeichnung(), v.nummer)),
        );
        f.insert(
            "fileName".into(),
            json!(format!("{}.pdf", v.nummer.dateiname())),
        );
        f.insert("mimeType".into(), json!("application/pdf"));
        f.insert("date".into(), json!(v.datum.to_string()));
        if let Some(size) = pdfs.groesse(id) {
            f.insert("size".into(), json!(size));
        }
        f.insert(
            "accessUrl".into(),
            json!(self.url(&routes::vorlage_pdf(p, id))),
        );
        f.insert("paper".into(), json!([paper_url]));
        als_beispiel(&mut f, v.meta.beispiel);
        self.stempel(&mut f, Zeiten::von(v.datum));
        let (pdf, main_file) = self.ablegen_eingebettet("File", &pdf_path, f, RUECKVERWEISE);
        self.files.push(pdf);

        // The Beratungsfolge.
        let mut consultations = Vec::new();
        for (i, b) in v.beratungsfolge.iter().enumerate() {
            let schritt = self.schritte[id.index()][i].clone();
            let g = &self.gremien[schritt.gremium];
            let c_path = consultation_pfad(&v.meta.slug, g, &schritt);
            let mut c = self.objekt("Consultation", &c_path);
            c.insert("paper".into(), json!(paper_url));
            c.insert(
                "meeting".into(),
                json!(self.oparl(&gremium_meeting_pfad(g, b.datum))),
            );
            c.insert(
                "agendaItem".into(),
                json!(self.oparl(&gremium_top_pfad(g, &v.meta.slug, &schritt))),
            );
            c.insert("organization".into(), json!([self.oparl(&gremium_pfad(g))]));
            als_beispiel(&mut c, v.meta.beispiel);
            self.stempel(&mut c, Zeiten::von(v.datum).mit(b.datum));
            let (c, e) = self.ablegen_eingebettet("Consultation", &c_path, c, &["paper"]);
            self.consultations.push(c);
            consultations.push(e);
        }

        let mut m = self.objekt("Paper", &path);
        m.insert("body".into(), json!(self.body_url()));
        m.insert("name".into(), json!(v.thema));
        m.insert("reference".into(), json!(v.nummer.as_str()));
        m.insert("date".into(), json!(v.datum.to_string()));
        m.insert("paperType".into(), json!(v.art.bezeichnung()));
        m.insert("mainFile".into(), main_file);
        let anhaenge: Vec<Value> = v
            .anhaenge
            .iter()
            .filter_map(|a| self.datei_objekt(a.datei))
            .collect();
        if !anhaenge.is_empty() {
            m.insert("auxiliaryFile".into(), Value::Array(anhaenge));
        }
        let orte: Vec<Value> = v
            .stadtteile
            .iter()
            .filter_map(|s| self.einbettbar.get(&stadtteil_ort_pfad(p, *s)).cloned())
            .collect();
        if !orte.is_empty() {
            m.insert("location".into(), Value::Array(orte));
        }
        if !consultations.is_empty() {
            m.insert("consultation".into(), Value::Array(consultations));
        }
        m.insert("web".into(), json!(self.url(&routes::vorlage(p, id))));
        als_beispiel(&mut m, v.meta.beispiel);
        self.stempel(&mut m, zeiten);
        let i = self.ablegen("Paper", &path, &m);
        self.papers.push(i);
    }

    /// A body of the Beratungsfolgen, its days as meetings and the Vorlagen of each day
    /// as agenda items.
    fn gremium(&mut self, g: usize) {
        let p = self.p;
        let org_path = gremium_pfad(&self.gremien[g]);
        let org_url = self.oparl(&org_path);
        let termine: Vec<(Date, Vec<Schritt>)> = self.gremien[g]
            .termine
            .iter()
            .map(|(d, v)| (*d, v.clone()))
            .collect();
        let name = self.gremien[g].name.clone();
        let mut org_zeiten = Zeiten::default();
        let mut org_meetings = Vec::new();
        // A body known only from made-up Vorlagen, and a day known only from them, are
        // made up too.
        let mut org_beispiel = true;
        for (datum, schritte) in termine {
            let beispiel = schritte
                .iter()
                .all(|(vorlage, _)| p[*vorlage].meta.beispiel);
            org_beispiel &= beispiel;
            let gremium = &self.gremien[g];
            let meeting_path = gremium_meeting_pfad(gremium, datum);
            let meeting_url = self.oparl(&meeting_path);
            let mut items = Vec::new();
            let mut meeting_zeiten = Zeiten::von(datum);
            for (order, (vorlage, i)) in schritte.iter().enumerate() {
                let v = &p[*vorlage];
                let schritt = self.schritte[vorlage.index()][*i].clone();
                let gremium = &self.gremien[g];
                let top_path = gremium_top_pfad(gremium, &v.meta.slug, &schritt);
                let c_path = consultation_pfad(&v.meta.slug, gremium, &schritt);
                let mut t = self.objekt("AgendaItem", &top_path);
                t.insert("meeting".into(), json!(meeting_url));
                t.insert("order".into(), json!(order + 1));
                t.insert("name".into(), json!(format!("{}: {}", v.nummer, v.thema)));
                if let Some(b) = v.beratungsfolge[*i].behandlung {
                    t.insert(
                        "public".into(),
                        json!(b == crate::model::Behandlung::Oeffentlich),
                    );
                }
                t.insert("consultation".into(), json!(self.oparl(&c_path)));
                t.insert("web".into(), json!(self.url(&routes::vorlage(p, *vorlage))));
                als_beispiel(&mut t, v.meta.beispiel);
                let z = Zeiten::von(datum).mit(v.datum);
                meeting_zeiten = meeting_zeiten.und(z);
                self.stempel(&mut t, z);
                let (t, e) = self.ablegen_eingebettet("AgendaItem", &top_path, t, &["meeting"]);
                self.agenda_items.push(t);
                items.push(e);
            }
            let mut m = self.objekt("Meeting", &meeting_path);
            m.insert(
                "name".into(),
                json!(format!("{name} am {}", format::datum(datum))),
            );
            m.insert("organization".into(), json!([org_url]));
            m.insert("agendaItem".into(), Value::Array(items));
            als_beispiel(&mut m, beispiel);
            self.stempel(&mut m, meeting_zeiten);
            org_zeiten = org_zeiten.und(meeting_zeiten);
            let m = self.ablegen("Meeting", &meeting_path, &m);
            org_meetings.push(m);
            self.meetings.push((datum, None, meeting_path, m));
        }
        let mut o = self.objekt("Organization", &org_path);
        o.insert("body".into(), json!(self.body_url()));
        o.insert("name".into(), json!(name));
        let list = format!("{}/meeting", org_path.trim_end_matches(".json"));
        o.insert("meeting".into(), json!(self.oparl(&format!("{list}.json"))));
        als_beispiel(&mut o, org_beispiel && !org_meetings.is_empty());
        self.stempel(&mut o, org_zeiten);
        let o = self.ablegen_organisation(&org_path, o);
        self.organizations.push(o);
        self.liste(&list, org_meetings);
    }

    fn ag(&mut self, id: Id<Ag>) {
        let p = self.p;
        let a = &p[id];
        let org_path = format!("organization/ag/{}.json", a.meta.slug);
        let org_url = self.oparl(&org_path);
        let mut org_zeiten = Zeiten::default();
        let mut org_meetings = Vec::new();
        for (i, s) in a.sitzungen.iter().enumerate() {
            let path = sitzung_pfad(p, id, i);
            let url = self.oparl(&path);
            let z = Zeiten::von(s.datum);
            org_zeiten = org_zeiten.und(z);
            let mut m = self.objekt("Meeting", &path);
            let mut name = format!("Sitzung der {} am {}", a.name, format::datum(s.datum));
            if let Some(t) = &s.thema {
                name = format!("{name}: {t}");
            }
            m.insert("name".into(), json!(name));
            if s.protokoll.is_some() {
                // Minutes exist only for a meeting that took place.
                m.insert("meetingState".into(), json!("durchgeführt"));
            }
            if let Some(t) = s.zeit {
                m.insert("start".into(), json!(format::zeitpunkt(s.datum, Some(t))));
            }
            if let Some(ort) = &s.ort {
                let ort_path = path.replacen("meeting/", "location/", 1);
                let l = self.ort(&ort_path, ort, &url, z, a.meta.beispiel);
                m.insert("location".into(), l);
            }
            m.insert("organization".into(), json!([org_url]));
            if let Some(Protokoll::Datei(d)) = &s.protokoll
                && let Some(f) = self.datei_objekt(*d)
            {
                m.insert("resultsProtocol".into(), f);
            }
            m.insert(
                "web".into(),
                json!(format!(
                    "{}#{}",
                    self.url(&routes::ag(p, id)),
                    views::sitzung_anker(a, i)
                )),
            );
            als_beispiel(&mut m, a.meta.beispiel);
            self.stempel(&mut m, z);
            let m = self.ablegen("Meeting", &path, &m);
            org_meetings.push(m);
            self.meetings.push((s.datum, s.zeit, path, m));
        }
        let mut o = self.objekt("Organization", &org_path);
        o.insert("body".into(), json!(self.body_url()));
        o.insert("name".into(), json!(a.name));
        o.insert("classification".into(), json!("Arbeitsgruppe"));
        let list = format!("organization/ag/{}/meeting", a.meta.slug);
        o.insert("meeting".into(), json!(self.oparl(&format!("{list}.json"))));
        if let Some(web) = &a.kontakt.web
            && url::Url::parse(web).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
        {
            o.insert("website".into(), json!(web));
        }
        o.insert("web".into(), json!(self.url(&routes::ag(p, id))));
        als_beispiel(&mut o, a.meta.beispiel);
        // An AG without meetings has no dates of its own; the Body's are filled in later.
        self.stempel(&mut o, org_zeiten);
        let o = self.ablegen_organisation(&org_path, o);
        self.organizations.push(o);
        self.liste(&list, org_meetings);
    }

    fn forum(&mut self, id: Id<Forum>) {
        let p = self.p;
        let f = &p[id];
        let path = forum_pfad(p, id);
        let url = self.oparl(&path);
        let z = Zeiten::von(f.datum);
        let mut m = self.objekt("Meeting", &path);
        m.insert("name".into(), json!(f.titel));
        if let Some(t) = f.zeit {
            m.insert("start".into(), json!(format::zeitpunkt(f.datum, Some(t))));
        }
        if let Some(ort) = &f.ort {
            let ort_path = format!("location/forum/{}.json", f.meta.slug);
            let l = self.ort(&ort_path, ort, &url, z, f.meta.beispiel);
            m.insert("location".into(), l);
        }
        let mut items = Vec::new();
        for (i, punkt) in f.tagesordnung.iter().enumerate() {
            // One file per item, no folder per forum (folders cost like files to make);
            // unique, as the number after the last `-` is the item's.
            let top_path = format!("agendaitem/forum/{}-{}.json", f.meta.slug, i + 1);
            let mut t = self.objekt("AgendaItem", &top_path);
            t.insert("meeting".into(), json!(url));
            t.insert("number".into(), json!(format!("{}.", i + 1)));
            t.insert("order".into(), json!(i + 1));
            t.insert("name".into(), json!(punkt));
            als_beispiel(&mut t, f.meta.beispiel);
            self.stempel(&mut t, z);
            let (t, e) = self.ablegen_eingebettet("AgendaItem", &top_path, t, &["meeting"]);
            self.agenda_items.push(t);
            items.push(e);
        }
        if !items.is_empty() {
            m.insert("agendaItem".into(), Value::Array(items));
        }
        let anhaenge: Vec<Value> = f
            .anhaenge
            .iter()
            .filter_map(|a| self.datei_objekt(a.datei))
            .collect();
        if !anhaenge.is_empty() {
            m.insert("auxiliaryFile".into(), Value::Array(anhaenge));
        }
        m.insert("web".into(), json!(self.url(&routes::forum(p, id))));
        als_beispiel(&mut m, f.meta.beispiel);
        self.stempel(&mut m, z);
        let m = self.ablegen("Meeting", &path, &m);
        self.meetings.push((f.datum, f.zeit, path, m));
    }

    fn body_and_system(&mut self) {
        let p = self.p;
        let alle = self.alle;
        // Organizations without dates of their own (an AG without meetings) take the
        // Body's, so every object has created and modified where the portal has dates.
        if let (Some(von), Some(bis)) = (alle.von, alle.bis) {
            let created = format::zeitpunkt(von, None);
            let modified = format::zeitpunkt(bis, None);
            for &i in &self.organizations {
                if let Objekt::Offen(o) = &mut self.dateien[i].1
                    && let Some(m) = o.as_object_mut()
                    && !m.contains_key("created")
                {
                    m.insert("created".into(), json!(created));
                    m.insert("modified".into(), json!(modified));
                }
            }
        }

        let lizenz = p.config.daten_lizenz.as_ref().and_then(|l| l.url.clone());

        let body_path = format!("body/{}.json", self.body);
        let mut b = self.objekt("Body", &body_path);
        b.insert("system".into(), json!(self.oparl("system.json")));
        b.insert("name".into(), json!(p.config.stadt));
        if let Some(l) = &lizenz {
            b.insert("license".into(), json!(l));
        }
        for (key, list) in [
            ("organization", "organization"),
            ("person", "person"),
            ("meeting", "meeting"),
            ("paper", "paper"),
            ("agendaItem", "agendaitem"),
            ("consultation", "consultation"),
            ("file", "file"),
            ("locationList", "location"),
        ] {
            b.insert(key.into(), json!(self.body_liste(list)));
        }
        b.insert("legislativeTerm".into(), json!([]));
        b.insert("web".into(), json!(self.base));
        self.stempel(&mut b, alle);
        let body = self.ablegen("Body", &body_path, &b);

        let mut s = self.objekt("System", "system.json");
        s.insert("oparlVersion".into(), json!(SCHEMA));
        s.insert("body".into(), json!(self.oparl("body.json")));
        s.insert("name".into(), json!(p.config.titel));
        s.insert("website".into(), json!(self.base));
        if let Some(l) = &lizenz {
            s.insert("license".into(), json!(l));
        }
        s.insert("web".into(), json!(self.base));
        self.stempel(&mut s, alle);
        self.ablegen("System", "system.json", &s);

        self.liste("body", vec![body]);
        let b = format!("body/{}", self.body);
        // Lists of the Body: organizations as the portal orders them (AGs, then the
        // bodies of the Beratungsfolgen), meetings by date, the rest in content order.
        let organizations = std::mem::take(&mut self.organizations);
        let ag_first: Vec<usize> = {
            let (ags, gremien): (Vec<usize>, Vec<usize>) = organizations
                .into_iter()
                .partition(|i| self.dateien[*i].0.contains("/organization/ag/"));
            ags.into_iter().chain(gremien).collect()
        };
        self.liste(&format!("{b}/organization"), ag_first);
        self.liste(&format!("{b}/person"), Vec::new());
        let mut meetings = std::mem::take(&mut self.meetings);
        meetings.sort_by(|x, y| (x.0, x.1, &x.2).cmp(&(y.0, y.1, &y.2)));
        self.liste(
            &format!("{b}/meeting"),
            meetings.into_iter().map(|m| m.3).collect(),
        );
        let papers = std::mem::take(&mut self.papers);
        self.liste(&format!("{b}/paper"), papers);
        let items = std::mem::take(&mut self.agenda_items);
        self.liste(&format!("{b}/agendaitem"), items);
        let consultations = std::mem::take(&mut self.consultations);
        self.liste(&format!("{b}/consultation"), consultations);
        let files = std::mem::take(&mut self.files);
        self.liste(&format!("{b}/file"), files);
        let locations = std::mem::take(&mut self.locations);
        self.liste(&format!("{b}/location"), locations);
    }

    /// Notes a list to write in pages of [`PRO_SEITE`]: `{stamm}.json`,
    /// `{stamm}-2.json`, …
    fn liste(&mut self, stamm: &str, eintraege: Vec<usize>) {
        self.listen.push((stamm.to_string(), eintraege));
    }

    /// Hands every file of the export to `ziel`: the list pages as they are made, put
    /// together from the objects' bytes (so nothing is serialised twice), then each
    /// object's own file (the Organizations serialised now). The pages repeat every
    /// object, so they are not all held at once beside the objects. Returns how many
    /// files and bytes were handed on.
    fn schreiben(mut self, ziel: &dyn Ziel) -> (usize, u64) {
        self.einbettbar = HashMap::new();
        let objekte: Vec<(String, Vec<u8>)> = std::mem::take(&mut self.dateien)
            .into_par_iter()
            .map(|(path, o)| match o {
                Objekt::Offen(v) => (path, serde_json::to_vec(&v).unwrap_or_default()),
                Objekt::Fertig(bytes) => (path, bytes),
            })
            .collect();
        let abgeben = |(path, mut bytes): (String, Vec<u8>)| {
            bytes.push(b'\n');
            let n = bytes.len() as u64;
            ziel.abgeben(Output {
                path,
                content: Content::Bytes(bytes),
            });
            (1, n)
        };
        let summe = |a: (usize, u64), b: (usize, u64)| (a.0 + b.0, a.1 + b.1);
        let seiten = self
            .listen
            .par_iter()
            .flat_map_iter(|(stamm, eintraege)| self.seiten(stamm, eintraege, &objekte))
            .map(abgeben)
            .reduce(|| (0, 0), summe);
        let objekte = objekte
            .into_par_iter()
            .map(abgeben)
            .reduce(|| (0, 0), summe);
        summe(seiten, objekte)
    }

    /// The pages of one list, each made when it is asked for.
    fn seiten<'s>(
        &'s self,
        stamm: &'s str,
        eintraege: &'s [usize],
        objekte: &'s [(String, Vec<u8>)],
    ) -> impl Iterator<Item = (String, Vec<u8>)> + 's {
        let anzahl = eintraege.len().div_ceil(PRO_SEITE).max(1);
        let datei = move |n: usize| {
            if n == 1 {
                format!("{stamm}.json")
            } else {
                format!("{stamm}-{n}.json")
            }
        };
        let url = move |n: usize| self.oparl(&datei(n));
        (1..=anzahl).map(move |n| {
            let mut links = Map::new();
            links.insert("first".into(), json!(url(1)));
            if n > 1 {
                links.insert("prev".into(), json!(url(n - 1)));
            }
            links.insert("self".into(), json!(url(n)));
            if n < anzahl {
                links.insert("next".into(), json!(url(n + 1)));
            }
            links.insert("last".into(), json!(url(anzahl)));
            let pagination = json!({
                "totalElements": eintraege.len(),
                "elementsPerPage": PRO_SEITE,
                "currentPage": n,
                "totalPages": anzahl,
            });
            let mut bytes = b"{\"data\":[".to_vec();
            let start = (n - 1) * PRO_SEITE;
            let ende = (start + PRO_SEITE).min(eintraege.len());
            for (k, i) in eintraege[start..ende].iter().enumerate() {
                if k > 0 {
                    bytes.push(b',');
                }
                bytes.extend_from_slice(&objekte[*i].1);
            }
            bytes.extend_from_slice(b"],\"links\":");
            bytes.extend(serde_json::to_vec(&links).unwrap_or_default());
            bytes.extend_from_slice(b",\"pagination\":");
            bytes.extend(serde_json::to_vec(&pagination).unwrap_or_default());
            bytes.push(b'}');
            (format!("{WURZEL}{}", datei(n)), bytes)
        })
    }
}

fn vorlage_zeiten(p: &Portal, id: Id<Vorlage>) -> Zeiten {
    let v = &p[id];
    v.beratungsfolge
        .iter()
        .fold(Zeiten::von(v.datum), |z, b| z.mit(b.datum))
}

fn paper_pfad(p: &Portal, id: Id<Vorlage>) -> String {
    format!("paper/{}.json", p[id].meta.slug)
}

fn forum_pfad(p: &Portal, id: Id<Forum>) -> String {
    format!("meeting/forum/{}.json", p[id].meta.slug)
}

/// `meeting/ag/ag-gwa-sudenburg/2026-12-08.json` (`…-2.json` for a second meeting on
/// the same day, as the anchors on the AG's page).
fn sitzung_pfad(p: &Portal, id: Id<Ag>, index: usize) -> String {
    let a = &p[id];
    let anker = views::sitzung_anker(a, index);
    format!(
        "meeting/ag/{}/{}.json",
        a.meta.slug,
        anker.trim_start_matches("Sitzung-")
    )
}

fn stadtteil_ort_pfad(p: &Portal, id: Id<Stadtteil>) -> String {
    format!("location/stadtteil/{}.json", p[id].meta.slug)
}

fn gremium_pfad(g: &Gremium) -> String {
    format!("organization/gremium/{}.json", g.slug)
}

fn gremium_meeting_pfad(g: &Gremium, datum: Date) -> String {
    format!("meeting/gremium/{}/{datum}.json", g.slug)
}

/// The AgendaItem of a step of a Beratungsfolge: `{body}/{date}-{vorlage}[-n].json`, one
/// folder per body, not per meeting (folders cost like files to make). Unique, as the
/// date has a fixed width.
fn gremium_top_pfad(g: &Gremium, vorlage: &str, s: &Beratungsschritt) -> String {
    format!(
        "agendaitem/gremium/{}/{}-{}.json",
        g.slug,
        s.datum,
        nummeriert(vorlage.to_string(), s.nr)
    )
}

/// The Consultation of the same step, named like its AgendaItem.
fn consultation_pfad(vorlage: &str, g: &Gremium, s: &Beratungsschritt) -> String {
    format!(
        "consultation/{}/{}-{}.json",
        g.slug,
        s.datum,
        nummeriert(vorlage.to_string(), s.nr)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            routes::kodiert("dateien/Plan neu ä.pdf"),
            "dateien/Plan%20neu%20%C3%A4.pdf"
        );
    }
}
