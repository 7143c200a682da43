//! Stage 1: walk `content/`, read every file and split it into entity documents.
//!
//! Loading knows file formats (Markdown with front matter, YAML entities, YAML lists)
//! and slugs, but nothing about the fields of an entity type: reading fields and linking
//! references is the job of [`crate::resolve`].

mod frontmatter;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde_yaml::Value;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Location, did_you_mean};
use crate::model::{Datei, Markdown, SourceFile, TextOrigin};
use crate::slug;
use crate::yaml::{Art, Doc, Geparst, Kompakt, Part, Seg, Vorrat};

/// Content files larger than this are refused: no editor writes 20 MB of text by hand.
pub const MAX_TEXT_FILE: u64 = 20 * 1024 * 1024;

/// The six entity types, one folder each under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Stadtteil,
    Ag,
    Projekt,
    Forum,
    Vorlage,
    Seite,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Stadtteil,
        Kind::Ag,
        Kind::Projekt,
        Kind::Forum,
        Kind::Vorlage,
        Kind::Seite,
    ];

    pub fn folder(self) -> &'static str {
        match self {
            Kind::Stadtteil => "stadtteile",
            Kind::Ag => "ags",
            Kind::Projekt => "projekte",
            Kind::Forum => "foren",
            Kind::Vorlage => "vorlagen",
            Kind::Seite => "seiten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Stadtteil => "Stadtteil",
            Kind::Ag => "AG",
            Kind::Projekt => "Projekt",
            Kind::Forum => "Stadtteilforum",
            Kind::Vorlage => "Vorlage",
            Kind::Seite => "Seite",
        }
    }

    /// The field a list entry's slug is derived from when it has no `slug`.
    pub fn title_field(self) -> &'static str {
        match self {
            Kind::Stadtteil | Kind::Ag => "name",
            Kind::Vorlage => "nummer",
            Kind::Projekt | Kind::Forum | Kind::Seite => "titel",
        }
    }

    fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == name)
    }
}

/// One entity as written by an editor, not yet read field by field.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    pub slug: String,
    /// The YAML it came from (shared by all entries of a YAML list).
    pub doc: Arc<Doc>,
    /// Path of the entity's mapping in `doc`: empty, or `[Index(i)]` in a list.
    pub path: Vec<Seg>,
    /// The entity's mapping (or nothing, for an empty front matter).
    pub felder: Kompakt,
    /// `entwurf: true`: read once here, because every run of `serve` selects all
    /// documents by it, and finding a field in [`Kompakt`] means passing the others.
    pub entwurf: bool,
    /// The Markdown body of a `.md` file.
    pub body: Option<Markdown>,
    /// The slug comes from the file name (not from a list entry).
    pub slug_from_file: bool,
}

impl Document {
    /// The entity's fields, made from their bytes for the one who reads them all.
    pub fn fields(&self) -> Value {
        self.felder.wert()
    }

    /// The value of one field, without making the others.
    pub fn feld(&self, key: &str) -> Option<Value> {
        self.felder.feld(key)
    }

    /// Where the entity starts (its file, or its list entry).
    pub fn location(&self) -> Location {
        if self.path.is_empty() {
            Location::in_text(self.doc.file.rel.as_str(), &self.doc.file.text, 0, 0)
        } else {
            self.doc.locate(&self.path, Part::Value)
        }
    }

    pub fn file(&self) -> &str {
        &self.doc.file.rel
    }
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Documents in a stable order: by type, then path, then position in a list.
    pub documents: Vec<Document>,
    /// Entity files that gave no document for an error in them, by the slug their file
    /// name gives: a reference to one is not reported as unknown as well.
    pub defekt: Vec<(Kind, String)>,
    /// Files under `content/dateien/` and `content/daten/`, by path.
    pub dateien: Vec<Datei>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the content folder of the portal at `root`. `extra` names files outside
/// `dateien/` and `daten/` that `portal.yaml` refers to (the boundaries file), relative
/// to `content/`; they are loaded as files rather than reported as ignored. With a
/// `vorrat` (a build), a YAML document whose text is in it (unchanged since the last
/// build) is taken from there instead of being parsed again.
pub fn load(root: &Path, extra: &[&str], vorrat: Option<&Vorrat>) -> Loaded {
    let mut gelesen = Gelesen::default();
    if let Err(loaded) = lesen(root, extra, &mut gelesen, vorrat) {
        return loaded;
    }
    // Nothing is kept for a next run: the documents move out instead of being copied.
    let walk = gelesen.walk.take().unwrap_or_default();
    let mut loaded = Loaded {
        dateien: walk.dateien,
        diagnostics: walk.diagnostics,
        ..Loaded::default()
    };
    for (kind, path) in &walk.entity_files {
        if let Some((_, docs, diags)) = gelesen.dateien.remove(path.as_os_str()) {
            loaded.defekt.extend(defekt(*kind, path, &docs, &diags));
            loaded.documents.extend(docs);
            loaded.diagnostics.extend(diags);
        }
    }
    loaded.documents.sort_by_key(|d| d.kind);
    loaded
}

/// The slug of an entity file that gave no document because of an error in it (a list
/// file's entries cannot be known then; its name stands in for them).
fn defekt(
    kind: Kind,
    path: &Path,
    docs: &[Document],
    diags: &[Diagnostic],
) -> Option<(Kind, String)> {
    if !docs.is_empty() || !diags.iter().any(Diagnostic::is_error) {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    slug::is_valid(stem).then(|| (kind, stem.to_string()))
}

/// The entity files an earlier run read, for `serve`: a file whose size and time of
/// last change are the same is not read again, and keeps its `Arc`s, by which the later
/// stages tell that a text has not changed.
#[derive(Default)]
pub struct Gelesen {
    /// By the bytes of the path (see [`normal`]): every run looks up every entity file,
    /// and comparing paths component by component cost more than reading the file.
    dateien: HashMap<OsString, Eingelesen>,
    /// The last walk of `content/`, kept while only known entity files change.
    walk: Option<Walk>,
    /// Whether the files not named by [`Gelesen::vergessen`] since the last run may be
    /// taken as they were without a look at their stamps (false after a new walk).
    vertraut: bool,
}

/// What a walk of `content/` found.
#[derive(Default)]
struct Walk {
    /// The `extra` files loading was asked for.
    extra: Vec<String>,
    /// Paths in [`normal`] form.
    entity_files: Vec<(Kind, PathBuf)>,
    dateien: Vec<Datei>,
    diagnostics: Vec<Diagnostic>,
}

type Eingelesen = (Stempel, Vec<Document>, Vec<Diagnostic>);

/// Size and time of last change of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stempel(u64, Option<std::time::SystemTime>);

impl Stempel {
    fn von(path: &Path) -> Option<Stempel> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stempel(m.len(), m.modified().ok()))
    }
}

impl Gelesen {
    /// Makes sure `path` is read again next time, whatever its stamp says (an editor may
    /// save twice within the resolution of the file system's clock).
    ///
    /// A path that is not a known entity file (a new, renamed or deleted file, a folder, a
    /// file under `dateien/`) makes the next run walk `content/` again and compare the
    /// stamps of all files.
    ///
    /// A path that is unknown and gone again (an editor's temporary file, `sed -i`'s)
    /// changes nothing, unless it was a folder of known files.
    pub fn vergessen(&mut self, path: &Path) {
        let neu_oder_weg = if self.dateien.remove(normal(path).as_os_str()).is_some() {
            // A known entity file: read again, unless it is gone (or no file any more).
            !path.is_file()
        } else {
            path.exists() || self.walk.as_ref().is_none_or(|w| w.kennt(path))
        };
        if neu_oder_weg {
            self.walk = None;
            self.vertraut = false;
        }
    }
}

/// A path with its components as [`Path`] compares them (no `.`, no doubled or trailing
/// `/`), so that two paths to the same file have the same bytes.
fn normal(path: &Path) -> PathBuf {
    path.components().collect()
}

/// Walks `content/` (unless `gelesen` has a walk it may keep) and reads into `gelesen`
/// the entity files that changed. What was found is left there for the caller to take
/// out; without a folder `content/` the error is all there is.
fn lesen(
    root: &Path,
    extra: &[&str],
    gelesen: &mut Gelesen,
    vorrat: Option<&Vorrat>,
) -> Result<(), Loaded> {
    let content = root.join("content");
    if !content.is_dir() {
        let mut loaded = Loaded::default();
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::DateiUnlesbar,
                format!("kein Ordner content/ in '{}'", root.display()),
            )
            .hint("Ein Portal besteht aus portal.yaml und dem Ordner content/ mit den Inhalten."),
        );
        return Err(loaded);
    }
    let walk = match gelesen.walk.take() {
        Some(w) if w.extra.iter().map(String::as_str).eq(extra.iter().copied()) => w,
        _ => durchsuchen(root, &content, extra),
    };
    // Without a new walk, only the files the watcher named have changed: the others are
    // taken as they were, without even a look at their time stamps.
    let vertraut = gelesen.vertraut;
    if !vertraut {
        let da: HashSet<&Path> = walk.entity_files.iter().map(|(_, p)| p.as_path()).collect();
        gelesen.dateien.retain(|p, _| da.contains(Path::new(p)));
    }
    let neu: Vec<(OsString, Eingelesen)> = walk
        .entity_files
        .par_iter()
        .filter_map(|(kind, path)| {
            let alt = gelesen.dateien.get(path.as_os_str());
            if vertraut && alt.is_some() {
                return None;
            }
            if let Some((a, _, _)) = alt
                && Stempel::von(path) == Some(*a)
            {
                return None;
            }
            let (stempel, docs, diags) = read_entity_file(root, *kind, path, vorrat);
            // A file that could not even be looked at is read again next time.
            let s = stempel.unwrap_or(Stempel(u64::MAX, None));
            Some((path.clone().into_os_string(), (s, docs, diags)))
        })
        .collect();
    gelesen.dateien.extend(neu);
    gelesen.walk = Some(walk);
    gelesen.vertraut = true;
    Ok(())
}

/// [`load`], reading again only the entity files that changed since `gelesen`.
pub fn load_mit(root: &Path, extra: &[&str], gelesen: &mut Gelesen) -> Loaded {
    if let Err(loaded) = lesen(root, extra, gelesen, None) {
        return loaded;
    }
    let Some(walk) = &gelesen.walk else {
        return Loaded::default();
    };
    let mut loaded = Loaded {
        dateien: walk.dateien.clone(),
        diagnostics: walk.diagnostics.clone(),
        ..Loaded::default()
    };
    for (kind, path) in &walk.entity_files {
        if let Some((_, docs, diags)) = gelesen.dateien.get(path.as_os_str()) {
            loaded.defekt.extend(defekt(*kind, path, docs, diags));
            loaded.documents.extend(docs.iter().cloned());
            loaded.diagnostics.extend(diags.iter().cloned());
        }
    }
    loaded.documents.sort_by_key(|d| d.kind);
    loaded
}

impl Walk {
    /// Whether the walk found anything at or below `path`: an entity file, a file, or a
    /// file it refused (a link out of `content/`, …).
    fn kennt(&self, path: &Path) -> bool {
        self.entity_files.iter().any(|(_, k)| k.starts_with(path))
            || self.dateien.iter().any(|d| d.quelle.starts_with(path))
            || self
                .diagnostics
                .iter()
                .filter_map(|d| d.location.as_ref())
                .any(|l| {
                    // Diagnostics name files relative to the site root.
                    Path::new(&l.file)
                        .ancestors()
                        .any(|a| a.starts_with("content") && path.ends_with(a))
                })
    }

    /// Takes in a file of `content/` that is not an entity file.
    fn datei(&mut self, content: &Path, path: &Path) {
        match datei(content, path) {
            Ok(mut d) => {
                self.diagnostics
                    .extend(crate::sicherheit::pruefe_datei(&mut d));
                self.dateien.push(d);
            }
            Err(d) => self.diagnostics.push(*d),
        }
    }
}

/// Finds the entity files and the files of `content/` (the part of loading that looks at
/// every folder, but reads no entity file).
fn durchsuchen(root: &Path, content: &Path, extra: &[&str]) -> Walk {
    let mut walk = Walk {
        extra: extra.iter().map(|e| e.to_string()).collect(),
        ..Walk::default()
    };
    // Links may point anywhere inside content/, never out of it: not to portal.yaml, the
    // git folder, the cache or the output beside it, and not out of the portal.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canonical_content = content
        .canonicalize()
        .unwrap_or_else(|_| content.to_path_buf());
    if !canonical_content.starts_with(&canonical_root) {
        walk.diagnostics.push(
            Diagnostic::new(
                Code::DateiAusserhalb,
                "der Ordner content/ ist ein symbolischer Link aus dem Portal hinaus",
            )
            .at(Location::file("content"))
            .hint("Legen Sie die Inhalte selbst in den Ordner content/ des Portals, statt auf sie zu verlinken."),
        );
        return walk;
    }
    // Siblings share their parent's path, so comparing whole paths orders them by name,
    // as `sort_by_file_name` would; that one finds each name anew in every comparison,
    // which showed at the start of a build of 100,000 projects while one core waited.
    let mut walker = WalkDir::new(content)
        .min_depth(1)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let at = err
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| "content".into());
                walk.diagnostics.push(
                    Diagnostic::new(
                        Code::DateiUnlesbar,
                        "Ordner oder Datei kann nicht gelesen werden",
                    )
                    .at(Location::file(at)),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('_') || name.starts_with('.') {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let path = entry.path();
        if entry.path_is_symlink() {
            let problem = match path.canonicalize() {
                Ok(target) if !target.starts_with(&canonical_content) => Some(
                    Diagnostic::new(Code::DateiAusserhalb, "symbolischer Link zeigt aus dem Ordner content/ hinaus")
                        .hint("Legen Sie die Datei selbst in den Ordner content/, statt auf sie zu verlinken; Links dürfen nur auf Dateien in content/ zeigen."),
                ),
                // The walk does not follow links to folders (they could lead in circles).
                Ok(target) if target.is_dir() => Some(
                    Diagnostic::new(Code::UnbekannterOrdner, "symbolischer Link auf einen Ordner wird nicht gelesen")
                        .hint("Verschieben Sie den Ordner an diese Stelle, statt auf ihn zu verlinken."),
                ),
                Ok(_) => None,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(
                    Diagnostic::new(Code::DateiUnlesbar, "symbolischer Link zeigt auf eine Datei, die es nicht gibt")
                        .hint("Legen Sie die Datei selbst an diese Stelle oder löschen Sie den Link."),
                ),
                // ELOOP: links that lead back to themselves.
                Err(e) if e.raw_os_error() == Some(40) => Some(
                    Diagnostic::new(Code::DateiUnlesbar, "symbolischer Link führt im Kreis")
                        .hint("Der Link zeigt über andere Links wieder auf sich selbst: ersetzen Sie ihn durch die Datei."),
                ),
                Err(_) => Some(
                    Diagnostic::new(Code::DateiUnlesbar, "das Ziel des symbolischen Links kann nicht gelesen werden")
                        .hint("Prüfen Sie die Zugriffsrechte; oder legen Sie die Datei selbst an diese Stelle."),
                ),
            };
            if let Some(d) = problem {
                walk.diagnostics.push(d.at(Location::file(rel(root, path))));
                continue;
            }
        }
        let top = path
            .strip_prefix(content)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .unwrap_or_default();
        // The walk knows the type of what is not a link: no `stat` for 100,000 files.
        let is_file = if entry.path_is_symlink() {
            path.is_file()
        } else {
            entry.file_type().is_file()
        };
        let known = Kind::from_folder(&top).is_some() || top == "dateien" || top == "daten";
        let in_content = rel(content, path);
        let named = extra
            .iter()
            .any(|e| *e == in_content || (!is_file && e.starts_with(&format!("{in_content}/"))));
        if !known && named {
            if is_file {
                walk.datei(content, path);
            }
            continue;
        }
        if entry.depth() == 1 && (!known || is_file) {
            let folders = Kind::ALL.map(Kind::folder);
            let candidates = folders.iter().copied().chain(["dateien", "daten"]);
            let what = if is_file { "Datei" } else { "Ordner" };
            walk.diagnostics.push(
                    Diagnostic::new(Code::UnbekannterOrdner, format!("{what} 'content/{top}' wird ignoriert"))
                        .at(Location::file(rel(root, path)))
                        .hint(did_you_mean(&top, candidates).unwrap_or_else(|| {
                            "Inhalte gehören in content/stadtteile, ags, projekte, foren, vorlagen, seiten; \
                             Dateien in content/dateien oder content/daten."
                                .into()
                        })),
                );
            if !is_file {
                walker.skip_current_dir();
            }
            continue;
        }
        // Other files beside a named one in a folder of its own are not the portal's.
        if !is_file || !known {
            continue;
        }
        match Kind::from_folder(&top) {
            Some(kind) => walk.entity_files.push((kind, normal(path))),
            None => walk.datei(content, path),
        }
    }

    walk
}

/// `content/x/y.md` relative to the site root, with `/` separators.
pub fn rel(root: &Path, path: &Path) -> String {
    let p = path.strip_prefix(root).unwrap_or(path);
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A file path in composed Unicode form (NFC). macOS writes file names decomposed
/// (`Übersicht.pdf` as `U` and a combining diaeresis) while editors and every other
/// system type them composed: the two look the same and compare different. Paths of
/// files and of links to them are compared, and files published, in this one form.
pub fn nfc(pfad: &str) -> std::borrow::Cow<'_, str> {
    if pfad.is_ascii() {
        return std::borrow::Cow::Borrowed(pfad);
    }
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(pfad)
}

fn datei(content: &Path, path: &Path) -> Result<Datei, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|_| {
        Box::new(
            Diagnostic::new(Code::DateiUnlesbar, "Datei kann nicht gelesen werden").at(
                Location::file(rel(content.parent().unwrap_or(content), path)),
            ),
        )
    })?;
    Ok(Datei {
        pfad: nfc(&rel(content, path)).into_owned(),
        quelle: path.to_path_buf(),
        groesse: meta.len(),
        geaendert: meta.modified().ok(),
        gesperrt: false,
    })
}

fn file_error(code: Code, rel_path: &str, message: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(code, message)
        .at(Location::file(rel_path))
        .hint(hint)
}

/// Reads one file of an entity folder into its documents, with its stamp as it was read
/// (none if it could not be read).
fn read_entity_file(
    root: &Path,
    kind: Kind,
    path: &Path,
    vorrat: Option<&Vorrat>,
) -> (Option<Stempel>, Vec<Document>, Vec<Diagnostic>) {
    let rel_path = rel(root, path);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let is_md = ext == "md";
    if !is_md && ext != "yaml" && ext != "yml" {
        let d = Diagnostic::new(Code::UnbekannterOrdner, format!("Datei '{rel_path}' wird ignoriert"))
            .at(Location::file(&rel_path))
            .hint("In diesem Ordner zählen nur .md- und .yaml-Dateien; Bilder und PDFs gehören nach content/dateien/.");
        return (None, vec![], vec![d]);
    }
    let (text, stempel) = match lies(path, &rel_path) {
        Ok(t) => t,
        Err(d) => return (None, vec![], vec![*d]),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (docs, diags) = read_entity_text(kind, rel_path, &stem, is_md, text, vorrat);
    (Some(stempel), docs, diags)
}

/// Reads the text of an entity file (`rel_path`, relative to the site root, a `.md` file
/// when `is_md`, else YAML) into its documents: what [`load`] does with every file of an
/// entity folder once it has read it. Public for the fuzz targets ([`crate::pruefstand`]).
pub fn entity_text(kind: Kind, rel_path: &str, text: String) -> (Vec<Document>, Vec<Diagnostic>) {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    read_entity_text(
        kind,
        rel_path.to_string(),
        stem,
        ext.eq_ignore_ascii_case("md"),
        text,
        None,
    )
}

fn read_entity_text(
    kind: Kind,
    rel_path: String,
    stem: &str,
    is_md: bool,
    text: String,
    vorrat: Option<&Vorrat>,
) -> (Vec<Document>, Vec<Diagnostic>) {
    let file = Arc::new(SourceFile {
        rel: rel_path.clone(),
        text,
    });
    let parse = |file: Arc<SourceFile>, start, end| match vorrat {
        Some(v) => v.parse(file, start, end),
        None => Doc::parse_kompakt(file, start, end),
    };

    if is_md {
        let split = match frontmatter::split(&file) {
            Ok(s) => s,
            Err(d) => return (vec![], vec![*d]),
        };
        let Geparst { doc, felder, .. } =
            match parse(file.clone(), split.yaml.start, split.yaml.end) {
                Ok(g) => g,
                Err(d) => return (vec![], vec![*d]),
            };
        if !matches!(felder.art(), Art::Felder | Art::Null) {
            let d = Diagnostic::new(
                Code::FalscheStruktur,
                "der Front Matter muss aus Feldern bestehen ('feld: wert')",
            )
            .at(doc.locate(&[], Part::Value))
            .hint("Zwischen den beiden Zeilen '---' stehen Felder wie 'titel: …', keine Liste und kein bloßer Text.");
            return (vec![], vec![d]);
        }
        let body = Markdown {
            file: file.clone(),
            origin: TextOrigin::Exact {
                offset: split.body_start,
            },
        };
        let mut diags = Vec::new();
        let slug = file_slug(kind, stem, &rel_path, &mut diags);
        let document = Document {
            kind,
            slug,
            doc: Arc::new(doc),
            path: vec![],
            entwurf: ist_entwurf(&felder),
            felder,
            body: Some(body),
            slug_from_file: true,
        };
        return (vec![document], diags);
    }

    if file.text.trim().is_empty() {
        let d = file_error(
            Code::LeereDatei,
            &rel_path,
            "die Datei ist leer",
            "Löschen Sie die Datei oder tragen Sie Felder ein.",
        );
        return (vec![], vec![d]);
    }
    let (doc, felder, baum) = match parse(file.clone(), 0, file.text.len()) {
        Ok(g) => (Arc::new(g.doc), g.felder, g.baum),
        Err(d) => return (vec![], vec![*d]),
    };
    let mut diags = Vec::new();
    // A list is split into its entries' own bytes from its tree (made again from the
    // bytes if they came from the store).
    let wert = match felder.art() {
        Art::Felder => {
            if let Some(key) = felder.eingepackte_liste() {
                let d = Diagnostic::new(
                    Code::FalscheStruktur,
                    format!("die Einträge stehen unter dem Feld '{key}:'; eine Listendatei ist selbst die Liste"),
                )
                .at(doc.locate(&[Seg::Key(key.to_string())], Part::Key))
                .hint(format!("Löschen Sie die Zeile '{key}:' und rücken Sie die Einträge aus, sodass jeder am Zeilenanfang mit '- ' beginnt (z. B. '- {}: …').", kind.title_field()));
                return (vec![], vec![d]);
            }
            let slug = file_slug(kind, stem, &rel_path, &mut diags);
            let document = Document {
                kind,
                slug,
                doc,
                path: vec![],
                entwurf: ist_entwurf(&felder),
                felder,
                body: None,
                slug_from_file: true,
            };
            return (vec![document], diags);
        }
        Art::Null => Value::Null,
        Art::Liste | Art::Anderes => baum.unwrap_or_else(|| felder.wert()),
    };
    match &wert {
        Value::Sequence(items) => {
            let mut documents = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let path = vec![Seg::Index(i)];
                let Value::Mapping(m) = item else {
                    diags.push(
                        Diagnostic::new(
                            Code::FalscheStruktur,
                            format!(
                                "Eintrag {} der Liste muss aus Feldern bestehen ('feld: wert')",
                                i + 1
                            ),
                        )
                        .at(doc.locate(&path, Part::Value))
                        .hint("Jeder Eintrag beginnt mit '- feld: wert' (z. B. '- titel: …'), weitere Felder stehen darunter eingerückt."),
                    );
                    continue;
                };
                // An entry is less deeply nested than its list, which was kept: this
                // cannot fail.
                let Some(felder) = Kompakt::aus(item) else {
                    continue;
                };
                if let Some(slug) = entry_slug(kind, m, &doc, &path, &mut diags) {
                    documents.push(Document {
                        kind,
                        slug,
                        doc: doc.clone(),
                        path,
                        entwurf: ist_entwurf(&felder),
                        felder,
                        body: None,
                        slug_from_file: false,
                    });
                }
            }
            (documents, diags)
        }
        Value::Null => {
            let d = file_error(
                Code::LeereDatei,
                &rel_path,
                "die Datei enthält keine Felder",
                "Tragen Sie Felder ein ('feld: wert').",
            );
            (vec![], vec![d])
        }
        other => {
            let d = Diagnostic::new(
                Code::FalscheStruktur,
                format!(
                    "erwartet Felder ('feld: wert') oder eine Liste ('- feld: wert'), gefunden {}",
                    crate::yaml::describe(other)
                ),
            )
            .at(doc.locate(&[], Part::Value))
            .hint("Eine .yaml-Datei enthält Zeilen 'feld: wert' (ein Eintrag) oder eine Liste von Einträgen, die jeweils mit '- ' beginnen.");
            (vec![], vec![d])
        }
    }
}

fn ist_entwurf(felder: &Kompakt) -> bool {
    felder.feld("entwurf") == Some(Value::Bool(true))
}

/// Reads a text file, refusing what no editor could have meant: more than
/// [`MAX_TEXT_FILE`] bytes, bytes that are not UTF-8 (located at the first bad byte), NUL
/// and other control characters. A UTF-8 byte order mark is dropped.
pub fn read_text(path: &Path, rel_path: &str) -> Result<String, Box<Diagnostic>> {
    lies(path, rel_path).map(|(text, _)| text)
}

/// [`read_text`], with the file's stamp taken from the open file: one `stat` less per
/// file than asking the path, and the size checked is that of the file read.
fn lies(path: &Path, rel_path: &str) -> Result<(String, Stempel), Box<Diagnostic>> {
    use std::io::Read;
    let unreadable = || {
        Box::new(file_error(
            Code::DateiUnlesbar,
            rel_path,
            "die Datei kann nicht gelesen werden",
            "Prüfen Sie die Zugriffsrechte der Datei.",
        ))
    };
    let too_big = |size: u64| {
        Box::new(file_error(
            Code::DateiZuGross,
            rel_path,
            &format!("die Datei ist zu groß ({} MB)", size / (1024 * 1024)),
            "Inhaltsdateien dürfen höchstens 20 MB haben; große Dokumente gehören als Anhang nach content/dateien/.",
        ))
    };
    let file = std::fs::File::open(path).map_err(|_| unreadable())?;
    let meta = file.metadata().map_err(|_| unreadable())?;
    if meta.len() > MAX_TEXT_FILE {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read stops one byte past the limit.
    file.take(MAX_TEXT_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| unreadable())?;
    if bytes.len() as u64 > MAX_TEXT_FILE {
        return Err(too_big(bytes.len() as u64));
    }
    let text = text_of_bytes(bytes, rel_path)?;
    Ok((text, Stempel(meta.len(), meta.modified().ok())))
}

/// The checks of [`read_text`] on bytes already read: not a PDF, image or office file,
/// UTF-8 (located at the first bad byte), no control characters (see
/// [`steuerzeichen`]); a UTF-8 byte order mark is dropped.
pub fn text_of_bytes(bytes: Vec<u8>, rel_path: &str) -> Result<String, Box<Diagnostic>> {
    if let Some(art) = fremdes_format(&bytes) {
        return Err(Box::new(
            Diagnostic::new(
                Code::KeinUtf8,
                format!("die Datei ist {art}, keine Text-, Markdown- oder YAML-Datei"),
            )
            .at(Location::in_text(rel_path, "", 0, 0))
            .hint(
                "Dokumente und Bilder gehören nach content/dateien/ und werden von dort \
                 verlinkt (z. B. unter 'anhaenge'); den Text eines Dokuments übernehmen Sie \
                 als Markdown.",
            ),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let hint = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            "Die Datei ist in UTF-16 gespeichert; speichern Sie sie als UTF-8."
        } else {
            "Speichern Sie die Datei mit der Zeichenkodierung UTF-8 (nicht Windows-1252/ISO-8859-1)."
        };
        // The text up to the first bad byte is valid, so it locates the byte exactly; the
        // column is counted without a byte order mark, which editors do not see.
        let lossy = String::from_utf8_lossy(bytes);
        let (text, valid) = match lossy.strip_prefix('\u{feff}') {
            Some(rest) => (rest, valid - '\u{feff}'.len_utf8()),
            None => (&*lossy, valid),
        };
        Box::new(
            Diagnostic::new(Code::KeinUtf8, "die Datei ist nicht in UTF-8 gespeichert")
                .at(Location::in_text(rel_path, text, valid, valid + 1))
                .hint(hint),
        )
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let Some((at, c)) = steuerzeichen(&text) else {
        return Ok(text);
    };
    // NUL has words of its own: it means the file holds binary data.
    let (message, hint) = match c {
        '\0' => (
            "die Datei enthält Nullzeichen und ist wohl keine Textdatei".to_string(),
            "Speichern Sie die Datei als reinen Text (UTF-8).",
        ),
        c => (
            format!(
                "die Datei enthält das unsichtbare Steuerzeichen U+{:04X}",
                c as u32
            ),
            "Löschen Sie das Zeichen an dieser Stelle (es kommt oft beim Kopieren aus Word oder einem PDF mit); im Portal, in Feeds und Kalendern wäre es ein Fehler.",
        ),
    };
    Err(Box::new(
        Diagnostic::new(Code::KeinUtf8, message)
            .at(Location::in_text(rel_path, &text, at, at + c.len_utf8()))
            .hint(hint),
    ))
}

/// The first character no page, feed or calendar may contain, and where it is: C0 and
/// C1 control characters but tab and line breaks, DEL, and the non-characters U+FFFE
/// and U+FFFF. XML refuses them, HTML calls them parse errors, and they are invisible
/// to the editor who pasted them.
pub fn steuerzeichen(text: &str) -> Option<(usize, char)> {
    // Every content file passes here: bytes are looked at first, and only the lead
    // bytes of the few characters in question are decoded (C1 controls start with 0xC2,
    // U+FFFE and U+FFFF with 0xEF).
    let verboten = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    // Without branches, so that a block of bytes is tested at once (a plain `filter`
    // over the bytes was 1.8 % of a rebuild at 10,000 projects, twice UTF-8 validation).
    let verdaechtig = |b: u8| {
        (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xef)
    };
    const BLOCK: usize = 64;
    for (n, block) in text.as_bytes().chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |a, &b| a | verdaechtig(b)) {
            continue;
        }
        for (i, &b) in block.iter().enumerate() {
            let at = n * BLOCK + i;
            if verdaechtig(b)
                && let Some(c) = text[at..].chars().next()
                && verboten(c)
            {
                return Some((at, c));
            }
        }
    }
    None
}

/// What a file saved under a text file's name really is, told by its first bytes: a
/// document or a photo put where the text about it belongs gets a message that says so,
/// instead of one about its encoding.
fn fremdes_format(bytes: &[u8]) -> Option<&'static str> {
    const ARTEN: &[(&[u8], &str)] = &[
        (b"%PDF-", "eine PDF-Datei"),
        (
            b"PK\x03\x04",
            "ein ZIP-Archiv (so speichern Word, Excel und LibreOffice)",
        ),
        (b"\xD0\xCF\x11\xE0", "ein Word- oder Excel-Dokument"),
        (b"{\\rtf", "ein RTF-Dokument"),
        (b"\x89PNG", "ein PNG-Bild"),
        (b"\xFF\xD8\xFF", "ein JPEG-Bild"),
        (b"GIF8", "ein GIF-Bild"),
    ];
    let webp = bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP";
    ARTEN
        .iter()
        .find(|(anfang, _)| bytes.starts_with(anfang))
        .map(|(_, art)| *art)
        .or(webp.then_some("ein WebP-Bild"))
}

/// The slug of an entity that has a file of its own: its file name.
fn file_slug(kind: Kind, stem: &str, rel_path: &str, diags: &mut Vec<Diagnostic>) -> String {
    if !slug::is_valid(stem) {
        let suggestion = match kind {
            Kind::Vorlage => crate::model::Vorlagennummer::parse(&stem.replace('-', "/"))
                .map(|n| n.slug())
                .unwrap_or_else(|| slug::slugify(stem)),
            _ => slug::slugify(stem),
        };
        let ext = rel_path.rsplit('.').next().unwrap_or("md");
        diags.push(
            Diagnostic::new(Code::UngueltigerSlug, format!("der Dateiname '{stem}' ist kein gültiger Slug"))
                .at(Location::file(rel_path))
                .hint(format!(
                    "Dateinamen bestehen aus Kleinbuchstaben a–z, Ziffern und '-': benennen Sie die Datei in '{suggestion}.{ext}' um."
                )),
        );
    }
    stem.to_string()
}

/// The slug of a YAML list entry: its `slug`, or derived from its title field.
fn entry_slug(
    kind: Kind,
    m: &serde_yaml::Mapping,
    doc: &Doc,
    path: &[Seg],
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let at = |key: &str| {
        let mut p = path.to_vec();
        p.push(Seg::Key(key.into()));
        doc.locate(&p, Part::Value)
    };
    if let Some(v) = m.get("slug").filter(|v| !v.is_null()) {
        let s = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        if slug::is_valid(&s) {
            return Some(s);
        }
        let hint = match slug::slugify(&s) {
            vorschlag if vorschlag.is_empty() => {
                "Slugs bestehen aus Kleinbuchstaben a–z, Ziffern und '-', z. B. 'kiezfest-2026'."
                    .to_string()
            }
            vorschlag => format!(
                "Slugs bestehen aus Kleinbuchstaben a–z, Ziffern und '-', z. B. '{vorschlag}'."
            ),
        };
        diags.push(
            Diagnostic::new(Code::UngueltigerSlug, format!("ungültiger Slug '{s}'"))
                .at(at("slug"))
                .hint(hint),
        );
        return None;
    }
    let field = kind.title_field();
    let title = match m.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            let entry = match path.first() {
                Some(Seg::Index(i)) => i + 1,
                _ => 0,
            };
            diags.push(
                Diagnostic::new(Code::PflichtfeldFehlt, format!("Eintrag {entry} hat weder 'slug' noch '{field}'"))
                    .at(doc.locate(path, Part::Value))
                    .hint(format!("Jeder Listeneintrag braucht '{field}' (daraus wird der Slug gebildet) oder 'slug'.")),
            );
            return None;
        }
    };
    let derived = match kind {
        Kind::Vorlage => crate::model::Vorlagennummer::parse(&title).map(|n| n.slug()),
        _ => Some(slug::slugify(&title)).filter(|s| !s.is_empty()),
    };
    if derived.is_none() {
        // A Vorlage's slug comes from its number, which has a form of its own.
        let (message, hint) = match kind {
            Kind::Vorlage => (
                format!("'{title}' ist keine Vorlagennummer"),
                "Eine Vorlagennummer besteht aus Buchstaben für die Art, der laufenden Nummer, '/' und dem zweistelligen Jahr, z. B. nummer: \"I0264/09\".",
            ),
            _ => (
                format!("aus '{title}' lässt sich kein Slug bilden"),
                "Geben Sie dem Eintrag ein Feld 'slug' aus Kleinbuchstaben a–z, Ziffern und '-'.",
            ),
        };
        diags.push(
            Diagnostic::new(Code::UngueltigerSlug, message)
                .at(at(field))
                .hint(hint),
        );
    }
    derived
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_wherever_they_are() {
        // Blocks of 64 bytes: before, on and after their edges, after umlauts, and the
        // allowed look-alikes (tab, line breaks, "§" and "" start with the same bytes).
        for vorne in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            for (zeichen, verboten) in [
                ('\u{7}', true),
                ('\u{1b}', true),
                ('\u{c}', true),
                ('\u{7f}', true),
                ('\u{85}', true),
                ('\u{fffe}', true),
                ('\t', false),
                ('\r', false),
                ('§', false),
                ('\u{f8ff}', false),
            ] {
                let text = format!("{}ä{zeichen}ende\n", "x".repeat(vorne));
                let gefunden = steuerzeichen(&text);
                if verboten {
                    assert_eq!(gefunden, Some((vorne + 2, zeichen)), "{vorne} {zeichen:?}");
                } else {
                    assert_eq!(gefunden, None, "{vorne} {zeichen:?}");
                }
            }
        }
    }

    /// A file named as changed is read again even when its size and time stamp are the
    /// same, however the watcher spells its path.
    #[test]
    fn a_file_named_as_changed_is_read_again_in_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let pfad = root.join("content/projekte/a.md");
        std::fs::create_dir_all(pfad.parent().unwrap()).unwrap();
        let titel = |gelesen: &mut Gelesen| {
            let loaded = load_mit(root, &[], gelesen);
            loaded.documents[0].fields()["titel"]
                .as_str()
                .unwrap()
                .to_string()
        };
        std::fs::write(&pfad, "---\ntitel: Eins\n---\n").unwrap();
        let mut gelesen = Gelesen::default();
        assert_eq!(titel(&mut gelesen), "Eins");
        let stempel = std::fs::metadata(&pfad).unwrap().modified().unwrap();
        std::fs::write(&pfad, "---\ntitel: Zwei\n---\n").unwrap();
        let datei = std::fs::File::options().write(true).open(&pfad).unwrap();
        datei.set_modified(stempel).unwrap();
        gelesen.vergessen(&root.join("content/./projekte//a.md"));
        assert_eq!(titel(&mut gelesen), "Zwei");
    }

    #[test]
    fn a_bad_byte_after_a_bom_is_located_as_editors_see_it() {
        let d = text_of_bytes(b"\xef\xbb\xbfab\xff\n".to_vec(), "content/seiten/x.md").unwrap_err();
        let l = d.location.unwrap();
        assert_eq!(
            (l.line, l.column, l.source_line.as_str()),
            (1, 3, "ab\u{fffd}")
        );
        let d = text_of_bytes(b"ab\xff\n".to_vec(), "content/seiten/x.md").unwrap_err();
        assert_eq!(d.location.unwrap().column, 3);
    }
}
