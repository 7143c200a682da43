//! `quartier schema`: JSON Schemas of the content files and of `portal.yaml`, so that an
//! editor with the YAML language server gets completion, German descriptions and errors
//! while typing.
//!
//! The schemas are derived (schemars) from the types below, one per entity type, which
//! mirror the fields the readers in `src/resolve` and `src/config.rs` accept. A test
//! validates every file of the example portal against them and compares the committed
//! `schema/` folder with freshly generated schemas, so neither can drift unnoticed.

#![allow(dead_code)] // The types exist only to describe the files.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// Datum im Format JJJJ-MM-TT.
pub struct Datum;

impl JsonSchema for Datum {
    fn schema_name() -> Cow<'static, str> {
        "Datum".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "Datum im Format JJJJ-MM-TT, z. B. 2026-06-20."
        })
    }
}

/// Uhrzeit im Format HH:MM.
pub struct Uhrzeit;

impl JsonSchema for Uhrzeit {
    fn schema_name() -> Cow<'static, str> {
        "Uhrzeit".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{1,2}:[0-9]{2}$",
            "description": "Uhrzeit im Format HH:MM (24 Stunden), in Anführungszeichen: \"18:00\"."
        })
    }
}

/// Text oder Zahl (z. B. eine Nummer, die auch ohne Anführungszeichen stehen darf).
pub struct TextOderZahl;

impl JsonSchema for TextOderZahl {
    fn schema_name() -> Cow<'static, str> {
        "TextOderZahl".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer"] })
    }
}

/// Slug: Kleinbuchstaben a–z, Ziffern und Bindestriche.
pub struct Slug;

impl JsonSchema for Slug {
    fn schema_name() -> Cow<'static, str> {
        "Slug".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
            "description": "Slug (Dateiname ohne Endung) eines anderen Eintrags: Kleinbuchstaben a–z, Ziffern, Bindestriche, z. B. sudenburg."
        })
    }
}

// ---------------------------------------------------------------------------------------
// Stadtteil
// ---------------------------------------------------------------------------------------

/// Ein Stadtteil (content/stadtteile/).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Stadtteil {
    /// Amtlicher Name des Stadtteils, z. B. „Sudenburg“. Pflichtfeld.
    pub name: String,
    /// Amtliche Stadtteilnummer, z. B. "30"; verbindet den Stadtteil mit seiner Fläche in der Karte.
    pub nummer: Option<TextOderZahl>,
    /// Einwohnerzahl.
    pub einwohner: Option<u64>,
    /// Fläche in km² (mit Dezimalpunkt).
    pub flaeche_km2: Option<f64>,
    /// Stand der Zahlen (JJJJ-MM-TT).
    pub stand: Option<Datum>,
    /// Teil eines Programmgebiets „Soziale Stadt“.
    pub soziale_stadt: Option<bool>,
    /// Stadtteilmanagement mit Kontakt und Sprechstunden, wo es eines gibt.
    pub stadtteilmanagement: Option<Stadtteilmanagement>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

/// Das Stadtteilmanagement eines Stadtteils.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Stadtteilmanagement {
    /// Träger des Stadtteilmanagements.
    pub traeger: Option<String>,
    /// Anschrift des Büros.
    pub adresse: Option<String>,
    /// Telefonnummer.
    pub telefon: Option<String>,
    /// E-Mail-Adresse.
    pub email: Option<String>,
    /// Wöchentliche Sprechstunden.
    pub sprechstunden: Option<Vec<Sprechstunde>>,
}

/// Eine wöchentliche Sprechstunde.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Sprechstunde {
    /// Wochentag, klein geschrieben.
    pub wochentag: Wochentag,
    /// Beginn (HH:MM).
    pub von: Uhrzeit,
    /// Ende (HH:MM).
    pub bis: Option<Uhrzeit>,
    /// Ort, falls nicht das Büro.
    pub ort: Option<String>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Wochentag {
    Montag,
    Dienstag,
    Mittwoch,
    Donnerstag,
    Freitag,
    Samstag,
    Sonntag,
}

// ---------------------------------------------------------------------------------------
// AG
// ---------------------------------------------------------------------------------------

/// Eine AG Gemeinwesenarbeit (content/ags/).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Ag {
    /// Name der AG, z. B. „AG Gemeinwesenarbeit Sudenburg“. Pflichtfeld.
    pub name: String,
    /// Slugs der Stadtteile, in denen die AG arbeitet (mindestens einer). Pflichtfeld.
    #[schemars(length(min = 1))]
    pub stadtteile: Vec<Slug>,
    /// Gründungsjahr.
    pub gegruendet: Option<i32>,
    /// Kontakt der AG.
    pub kontakt: Option<Kontakt>,
    /// Namen oder Rollen des Sprecherrats, wie veröffentlicht.
    pub sprecherrat: Option<Vec<String>>,
    /// Wann die AG sich trifft, z. B. „jeden 2. Dienstag im Monat, 17:00 Uhr“.
    pub sitzungsregel: Option<String>,
    /// Sitzungen, vergangene mit Protokoll und kommende.
    pub sitzungen: Option<Vec<Sitzung>>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

/// Kontakt einer AG.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Kontakt {
    /// E-Mail-Adresse.
    pub email: Option<String>,
    /// Telefonnummer.
    pub telefon: Option<String>,
    /// Anschrift.
    pub adresse: Option<String>,
    /// Webseite, mit https://.
    pub web: Option<String>,
}

/// Eine Sitzung der AG.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Sitzung {
    /// Datum der Sitzung. Pflichtfeld.
    pub datum: Datum,
    /// Beginn.
    pub zeit: Option<Uhrzeit>,
    /// Ort der Sitzung.
    pub ort: Option<String>,
    /// Thema.
    pub thema: Option<String>,
    /// Protokoll: Markdown-Text oder eine Datei unter content/dateien/ (z. B. protokolle/2026-03.pdf).
    pub protokoll: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Projekt
// ---------------------------------------------------------------------------------------

/// Ein Projekt, meist aus dem Initiativfonds Gemeinwesenarbeit (content/projekte/).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Projekt {
    /// Titel des Projekts. Pflichtfeld.
    pub titel: String,
    /// Förderjahr, z. B. 2026. Pflichtfeld.
    #[schemars(range(min = 1990, max = 2100))]
    pub jahr: i32,
    /// Slugs der Stadtteile (mindestens einer). Pflichtfeld.
    #[schemars(length(min = 1))]
    pub stadtteile: Vec<Slug>,
    /// Slug der AG, die das Projekt koordiniert hat.
    pub ag: Option<Slug>,
    /// Förderung: initiativfonds (Standard), soziale-stadt oder freier Text.
    #[schemars(extend("examples" = ["initiativfonds", "soziale-stadt"]))]
    pub foerderung: Option<String>,
    /// Bewilligte Summe in Euro (Dezimalpunkt, ohne Tausenderpunkt), z. B. 1500.50.
    #[schemars(range(min = 0))]
    pub foerdersumme: Option<f64>,
    /// Träger, der das Projekt durchführt.
    pub traeger: Option<String>,
    /// Zahl der Teilnehmenden.
    pub beteiligte: Option<u64>,
    /// Beginn (JJJJ-MM-TT).
    pub von: Option<Datum>,
    /// Ende (JJJJ-MM-TT).
    pub bis: Option<Datum>,
    /// Stand des Projekts.
    pub status: Option<Status>,
    /// Wo das Projekt stattfindet; mit lat und lon erscheint es auf den Karten.
    pub ort: Option<Ort>,
    /// Ziele der Förderrichtlinie.
    pub ziele: Option<Vec<Ziel>>,
    /// Fotos unter content/dateien/, jedes mit Alternativtext.
    pub bilder: Option<Vec<Bild>>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Geplant,
    Laufend,
    Abgeschlossen,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Ziel {
    Lebensqualitaet,
    Beleben,
    Generationen,
    Vernetzung,
    Ressourcen,
    Kompetenzen,
}

/// Ort eines Projekts.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Ort {
    /// Anschrift.
    pub adresse: Option<String>,
    /// Breitengrad (WGS84), für Magdeburg etwa 52.13.
    #[schemars(range(min = -90, max = 90))]
    pub lat: Option<f64>,
    /// Längengrad (WGS84), für Magdeburg etwa 11.62.
    #[schemars(range(min = -180, max = 180))]
    pub lon: Option<f64>,
}

/// Ein Foto mit Alternativtext.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Bild {
    /// Pfad unter content/dateien/, z. B. bilder/kiezfest.jpg. Pflichtfeld.
    pub datei: String,
    /// Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen. Pflichtfeld;
    /// leer ("") nur bei einem rein schmückenden Bild mit dekorativ: true.
    pub alt: String,
    /// Wer das Foto gemacht hat oder woher es stammt; steht unter dem Bild.
    pub bildnachweis: Option<String>,
    /// true: das Bild schmückt nur und braucht keinen Alternativtext (alt: "").
    pub dekorativ: Option<bool>,
    /// true: auch die hochgeladene Datei unverändert veröffentlichen – mit allen
    /// Metadaten, auch dem Aufnahmeort. Meist nicht gewollt.
    pub original: Option<bool>,
}

// ---------------------------------------------------------------------------------------
// Forum
// ---------------------------------------------------------------------------------------

/// Ein Stadtteilforum (content/foren/).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Forum {
    /// Titel des Forums. Pflichtfeld.
    pub titel: String,
    /// Datum. Pflichtfeld.
    pub datum: Datum,
    /// Beginn.
    pub zeit: Option<Uhrzeit>,
    /// Veranstaltungsort.
    pub ort: Option<String>,
    /// Slugs der Stadtteile. Pflichtfeld.
    #[schemars(length(min = 1))]
    pub stadtteile: Vec<Slug>,
    /// Veranstalter, z. B. „Dezernat VI, Stadtteilmanagement“.
    pub veranstalter: Option<String>,
    /// Punkte der Tagesordnung.
    pub tagesordnung: Option<Vec<String>>,
    /// Dateien unter content/dateien/ (Einladung, Protokoll …).
    pub anhaenge: Option<Vec<Anhang>>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

/// Eine Datei zum Herunterladen.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Anhang {
    /// Pfad unter content/dateien/. Pflichtfeld.
    pub datei: String,
    /// Titel des Links.
    pub titel: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Vorlage
// ---------------------------------------------------------------------------------------

/// Eine Vorlage des Stadtrats (content/vorlagen/). Dateiname = Nummer klein, / wird -.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Vorlage {
    /// Nummer, z. B. I0264/09. Pflichtfeld.
    pub nummer: String,
    /// Art der Vorlage. Pflichtfeld.
    pub art: Art,
    /// Thema. Pflichtfeld.
    pub thema: String,
    /// Datum. Pflichtfeld.
    pub datum: Datum,
    /// Dezernat, z. B. V.
    pub dezernat: Option<TextOderZahl>,
    /// Amt, z. B. V/02.
    pub amt: Option<TextOderZahl>,
    /// false: die Vorlage wird nie veröffentlicht (Standard: true).
    pub oeffentlich: Option<bool>,
    /// Beratungsfolge.
    pub beratungsfolge: Option<Vec<Beratung>>,
    /// Bearbeiter, wie gedruckt.
    pub bearbeiter: Option<String>,
    /// Unterzeichnet von, wie gedruckt.
    pub unterzeichnet: Option<String>,
    /// Betroffene Stadtteile (Slugs).
    pub stadtteile: Option<Vec<Slug>>,
    /// Betroffene AGs (Slugs).
    pub ags: Option<Vec<Slug>>,
    /// Originaldateien unter content/dateien/ (z. B. das unterschriebene PDF).
    pub anhaenge: Option<Vec<Anhang>>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Art {
    Information,
    Beschlussvorlage,
    Antrag,
    Anfrage,
    Stellungnahme,
}

/// Eine Beratung in einem Gremium.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Beratung {
    /// Gremium, z. B. „Stadtrat“. Pflichtfeld.
    pub gremium: String,
    /// Datum der Sitzung. Pflichtfeld.
    pub datum: Datum,
    /// öffentlich oder nicht öffentlich.
    pub behandlung: Option<Behandlung>,
}

#[derive(JsonSchema)]
pub enum Behandlung {
    #[serde(rename = "öffentlich")]
    Oeffentlich,
    #[serde(rename = "nicht öffentlich")]
    NichtOeffentlich,
}

// ---------------------------------------------------------------------------------------
// Seite
// ---------------------------------------------------------------------------------------

/// Eine einfache Seite (content/seiten/); der Dateiname ist die Adresse.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Seite {
    /// Titel der Seite. Pflichtfeld.
    pub titel: String,
    /// Position in der Hauptnavigation (ohne: nicht im Menü).
    pub menue: Option<i64>,
    /// Kürzerer Titel für das Menü.
    pub kurztitel: Option<String>,
    #[serde(flatten)]
    pub gemeinsam: Gemeinsam,
}

/// Felder, die jeder Eintrag haben kann.
#[derive(JsonSchema)]
pub struct Gemeinsam {
    /// Nur in Listen: eigener Slug (sonst aus titel bzw. name gebildet).
    pub slug: Option<Slug>,
    /// true: Entwurf, wird nur mit --drafts veröffentlicht.
    pub entwurf: Option<bool>,
    /// true: erfundener Beispiel-Eintrag; jede Seite, die ihn zeigt, sagt das.
    pub beispiel: Option<bool>,
    /// Nur in .yaml-Dateien: der Text (Markdown), z. B. nach „text: |“ eingerückt.
    pub text: Option<String>,
}

// ---------------------------------------------------------------------------------------
// portal.yaml
// ---------------------------------------------------------------------------------------

/// Die Einstellungen des Portals (portal.yaml).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Portal {
    /// Titel des Portals. Pflichtfeld.
    pub titel: String,
    /// Die Stadt, z. B. „Landeshauptstadt Magdeburg“. Pflichtfeld.
    pub stadt: String,
    /// Öffentliche Adresse, auch mit Unterpfad, z. B. https://www.example.org/gwa/. Pflichtfeld.
    #[schemars(regex(pattern = r"^https?://"))]
    pub base_url: String,
    /// Sprache (Standard: de).
    pub sprache: Option<String>,
    /// Name des Themes unter themes/ (Standard: default).
    pub theme: Option<String>,
    /// Kurzbeschreibung für Suchmaschinen und Feeds.
    pub beschreibung: Option<String>,
    /// Adresse im Ratsinformationssystem mit {nummer}, für Vorlagen, die das Portal nicht hat.
    pub ratsinfo_url: Option<String>,
    /// Adresse zum Bearbeiten einer Datei mit {pfad}, z. B. https://git.example.org/portal/-/edit/main/{pfad}.
    pub bearbeiten_url: Option<String>,
    /// Die Karten.
    pub karte: Option<KarteEinstellungen>,
    /// Slug der Seite mit dem Impressum.
    pub impressum: Option<Slug>,
    /// Slug der Seite mit der Datenschutzerklärung.
    pub datenschutz: Option<Slug>,
    /// Slug der Seite mit der Erklärung zur Barrierefreiheit.
    pub barrierefreiheit: Option<Slug>,
    /// Slug der Seite in Leichter Sprache.
    pub leichte_sprache: Option<Slug>,
    /// true: HTML im Markdown wird (bereinigt) übernommen statt als Text gezeigt.
    pub html_erlauben: Option<bool>,
    /// Lizenz der offenen Daten des Portals.
    pub daten_lizenz: Option<Lizenz>,
    /// Einleitung der Startseite (Markdown).
    pub einleitung: Option<String>,
}

/// Einstellungen der Karten.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct KarteEinstellungen {
    /// GeoJSON-Datei mit den Stadtteilgrenzen, relativ zu content/.
    pub grenzen: Option<String>,
    /// Herkunft und Lizenz der Grenzen.
    pub grenzen_hinweis: Option<String>,
    /// Adresse der Kartenkacheln mit {z}/{x}/{y}, beginnend mit https://; der Servername
    /// (nur Buchstaben, Ziffern, Punkte, Bindestriche und {s}) wird in der
    /// Content-Security-Policy für Bilder erlaubt. Leer: keine fremde Karte.
    pub kacheln: Option<String>,
    /// Quellenangabe der Kacheln.
    pub kacheln_hinweis: Option<String>,
}

/// Eine Lizenz.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Lizenz {
    /// Name der Lizenz.
    pub name: String,
    /// Adresse des Lizenztexts.
    pub url: Option<String>,
}

/// A file of a folder holds one entry or a list of them.
#[derive(JsonSchema)]
#[serde(untagged)]
enum EinerOderListe<T> {
    Einer(T),
    Liste(Vec<T>),
}

fn fuer<T: JsonSchema>(titel: &str) -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<EinerOderListe<T>>();
    schema.insert("title".into(), titel.into());
    schema.insert(
        "description".into(),
        format!("{titel}: ein Eintrag oder eine Liste von Einträgen (erzeugt von quartier schema)")
            .into(),
    );
    schema.to_value()
}

/// Every schema as `(file name, JSON text)`, in a fixed order.
pub fn alle() -> Vec<(String, String)> {
    let mut out: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
    out.insert("stadtteil", fuer::<Stadtteil>("Stadtteil"));
    out.insert("ag", fuer::<Ag>("AG Gemeinwesenarbeit"));
    out.insert("projekt", fuer::<Projekt>("Projekt"));
    out.insert("forum", fuer::<Forum>("Stadtteilforum"));
    out.insert("vorlage", fuer::<Vorlage>("Vorlage"));
    out.insert("seite", fuer::<Seite>("Seite"));
    let portal = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Portal>();
    out.insert("portal", portal.to_value());
    out.into_iter()
        .map(|(name, v)| {
            let mut text = serde_json::to_string_pretty(&v).unwrap_or_default();
            text.push('\n');
            (format!("{name}.schema.json"), text)
        })
        .collect()
}

/// Writes the schemas to `dir` (replacing older ones) and returns their paths.
pub fn schreiben(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    alle()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text)?;
            Ok(path)
        })
        .collect()
}
