//! A deterministic synthetic portal for load tests and benchmarks.
//!
//! [`generate`] writes a complete, valid portal (it builds with no errors and no
//! warnings) of any size into an empty folder: the 40 real Magdeburg Stadtteile, 20 AGs
//! with meetings and minutes, `N` projects over the years 1997–2026 (as Markdown files
//! and, every tenth year, as one YAML list), `N/10` Vorlagen, `N/20` Stadtteilforen and
//! five plain pages. Every entity is marked `beispiel: true`.
//!
//! The same `(N, seed)` always gives byte-identical files: the portal depends on nothing
//! but the seed (no clock, no hash order), and "today" is the fixed [`STICHTAG`].

use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, Weekday};

mod export;

use crate::load::Kind;
use export::Eintrag;
pub use export::Format;

use crate::model::Euro;
use crate::render::format;
use crate::slug::slugify;
use crate::yaml;

/// The day the portal is written for: projects after it are `geplant`, meetings before it
/// have minutes. Build with `--heute 2026-11-25` to see it as intended.
pub const STICHTAG: Date = jiff::civil::date(2026, 11, 25);

/// First and last funding year of the generated projects.
pub const ERSTES_JAHR: i16 = 1997;
pub const LETZTES_JAHR: i16 = 2026;

/// Magdeburg's bounding box (WGS84), from the Stadtteil boundaries.
pub const LAT: (f64, f64) = (52.024, 52.228);
pub const LON: (f64, f64) = (11.517, 11.764);

/// The 40 Stadtteile of Magdeburg (names as in `content/stadtteile/`) with the centroid
/// of their largest area, computed from `content/daten/stadtteile.geojson`.
pub const STADTTEILE: [(&str, f64, f64); 40] = [
    ("Alt Olvenstedt", 52.15437, 11.56691),
    ("Alte Neustadt", 52.14485, 11.64971),
    ("Altstadt", 52.12821, 11.63303),
    ("Barleber See", 52.21778, 11.65556),
    ("Berliner Chaussee", 52.12899, 11.70134),
    ("Beyendorf-Sohlen", 52.04978, 11.63209),
    ("Beyendorfer Grund", 52.07397, 11.60579),
    ("Brückfeld", 52.12914, 11.66833),
    ("Buckau", 52.10605, 11.64143),
    ("Cracau", 52.11936, 11.66643),
    ("Diesdorf", 52.12115, 11.55679),
    ("Fermersleben", 52.09471, 11.66068),
    ("Gewerbegebiet Nord", 52.19677, 11.67206),
    ("Großer Silberberg", 52.16678, 11.58854),
    ("Herrenkrug", 52.15328, 11.69016),
    ("Hopfengarten", 52.08643, 11.63271),
    ("Industriehafen", 52.16461, 11.67045),
    ("Kannenstieg", 52.17202, 11.62194),
    ("Kreuzhorst", 52.08081, 11.69757),
    ("Leipziger Straße", 52.10502, 11.62157),
    ("Lemsdorf", 52.09781, 11.59638),
    ("Neu Olvenstedt", 52.15109, 11.58681),
    ("Neue Neustadt", 52.15762, 11.64177),
    ("Neustädter Feld", 52.15898, 11.61778),
    ("Neustädter See", 52.18029, 11.63930),
    ("Nordwest", 52.14711, 11.61150),
    ("Ottersleben", 52.08437, 11.55538),
    ("Pechau", 52.08699, 11.73060),
    ("Prester", 52.10153, 11.68249),
    ("Randau-Calenberge", 52.06034, 11.71650),
    ("Reform", 52.08916, 11.61011),
    ("Rothensee", 52.17871, 11.65884),
    ("Salbke", 52.07234, 11.65498),
    ("Stadtfeld Ost", 52.13279, 11.61355),
    ("Stadtfeld West", 52.13072, 11.58934),
    ("Sudenburg", 52.11154, 11.59229),
    ("Sülzegrund", 52.17721, 11.60803),
    ("Werder", 52.12193, 11.64989),
    ("Westerhüsen", 52.05257, 11.66922),
    ("Zipkeleben", 52.10993, 11.70242),
];

/// Number of AGs Gemeinwesenarbeit in every generated portal.
pub const AGS: usize = 20;

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub stadtteile: usize,
    pub ags: usize,
    /// AG meetings, and how many of them have Markdown minutes.
    pub sitzungen: usize,
    pub protokolle: usize,
    pub projekte: usize,
    /// YAML list files among the project files, and the projects in them.
    pub projektlisten: usize,
    pub projekte_in_listen: usize,
    pub foren: usize,
    pub vorlagen: usize,
    pub seiten: usize,
    /// Images under `content/dateien/`.
    pub bilder: usize,
    /// Files written in all, and their size in bytes.
    pub dateien: usize,
    pub bytes: u64,
}

/// Writes a synthetic portal with `projekte` projects into `dir`, which must be empty or
/// not exist yet. Fails with [`io::ErrorKind::DirectoryNotEmpty`] on a non-empty folder.
pub fn generate(dir: &Path, projekte: usize, seed: u64) -> io::Result<Summary> {
    generate_as(dir, projekte, seed, Format::Quartier)
}

/// Like [`generate`], but writes the portal in `format`: the same entities (drawn by the
/// same generator from the same seed) as a quartier portal, a Hugo site or a Zola site
/// (see [`export`]). The counts in the [`Summary`] are the portal's; `dateien` and
/// `bytes` count what was written.
pub fn generate_as(dir: &Path, projekte: usize, seed: u64, format: Format) -> io::Result<Summary> {
    if dir.exists() {
        if std::fs::read_dir(dir)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::DirectoryNotEmpty,
                format!("der Ordner '{}' ist nicht leer", dir.display()),
            ));
        }
    } else {
        std::fs::create_dir_all(dir)?;
    }
    let mut g = Generator {
        rng: Rng::new(seed),
        format,
        dir: dir.to_path_buf(),
        summary: Summary::default(),
        made_dirs: HashSet::new(),
        stadtteile: Vec::new(),
        ags: Vec::new(),
        vorlagen: Vec::new(),
        slugs: HashSet::new(),
        pending: None,
    };
    g.stadtteile();
    g.ags();
    g.vorlagen(projekte / 10);
    g.projekte(projekte);
    g.foren(projekte / 20);
    g.seiten();
    g.portal_yaml();
    match g.pending {
        Some(e) => Err(e),
        None => Ok(g.summary),
    }
}

/// splitmix64 (Steele, Lea, Flood 2014): ten lines instead of a dependency, and, unlike a
/// crate's generator, guaranteed never to change its output in an update, so that a
/// seed gives the same portal with every version of quartier.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `1/n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Between `lo` and `hi` distinct indices below `n`, in ascending order.
    fn some(&mut self, n: usize, lo: usize, hi: usize) -> Vec<usize> {
        let k = lo + self.below(hi - lo + 1);
        self.distinct(n, k)
    }

    /// `k` distinct indices below `n`, in ascending order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out.sort_unstable();
        out
    }
}

struct StadtteilInfo {
    name: &'static str,
    slug: String,
    lat: f64,
    lon: f64,
    /// The real boundary, so project coordinates can be placed inside it.
    form: Option<geo::MultiPolygon<f64>>,
    soziale_stadt: bool,
    /// AGs working in the Stadtteil (indices into `Generator::ags`).
    ags: Vec<usize>,
}

struct AgInfo {
    name: String,
    slug: String,
    gegruendet: i16,
}

struct VorlageInfo {
    nummer: String,
}

struct Generator {
    rng: Rng,
    /// What to write: quartier's files, or the same entities for Hugo or Zola.
    format: Format,
    dir: PathBuf,
    summary: Summary,
    made_dirs: HashSet<PathBuf>,
    stadtteile: Vec<StadtteilInfo>,
    ags: Vec<AgInfo>,
    vorlagen: Vec<VorlageInfo>,
    /// Slugs of projects and forums given out so far (for uniqueness only).
    slugs: HashSet<String>,
    /// The first error writing a file.
    pending: Option<io::Error>,
}

// ---------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------

const AKTIVITAETEN: &[&str] = &[
    "Kiezfest",
    "Nachbarschaftsfrühstück",
    "Repair-Café",
    "Lesepatenschaften",
    "Sprachcafé",
    "Stadtteilrundgang",
    "Frühjahrsputz",
    "Laternenumzug",
    "Adventsmarkt",
    "Generationengarten",
    "Fahrradwerkstatt für Kinder",
    "Theaterwerkstatt",
    "Geschichtswerkstatt",
    "Seniorentanz",
    "Computer-Sprechstunde",
    "Straßenfußball-Turnier",
    "Hoffest",
    "Spielplatzfest",
    "Kinderzirkus",
    "Malaktion am Bauzaun",
    "Offenes Singen",
    "Nachbarschaftsbörse",
    "Sommerkino im Hof",
    "Kochkurs für Familien",
    "Hausaufgabenhilfe",
    "Wintertreff",
    "Baumscheiben-Pflanzaktion",
    "Erzählcafé",
    "Offener Bücherschrank",
    "Fotowettbewerb",
    "Schach im Park",
    "Tanzfest der Kulturen",
    "Jugendjury",
    "Bewegungsparcours für Ältere",
    "Müllsammelaktion",
    "Zeitzeugengespräche",
    "Handarbeitstreff",
    "Radtour durch den Stadtteil",
    "Familiensportfest",
    "Lichterspaziergang",
];

const TRAEGER: &[&str] = &[
    "Beispielverein {st} e. V.",
    "Bürgerverein {st} (Beispiel)",
    "Kinder- und Jugendhaus {st} (Beispiel)",
    "Seniorenbegegnungsstätte {st} (Beispiel)",
    "Förderverein der Grundschule {st} (Beispiel)",
    "Heimatverein {st} e. V. (Beispiel)",
    "Kulturwerkstatt Beispiel gGmbH",
    "Sportverein Blau-Weiß Beispiel e. V.",
    "Nachbarschaftsinitiative {st} (Beispiel)",
    "Evangelische Kirchengemeinde {st} (Beispiel)",
];

const ORTE: &[&str] = &[
    "Stadtteiltreff (Beispiel)",
    "Schulhof der Grundschule (Beispiel)",
    "Spielplatz am Park (Beispiel)",
    "Gemeindehaus (Beispiel)",
    "Innenhof Beispielstraße {n}",
    "Bürgerhaus (Beispiel), großer Saal",
    "Stadtteilbibliothek (Beispiel)",
    "Sportplatz (Beispiel)",
    "Grünfläche an der Beispielstraße",
    "Jugendclub (Beispiel)",
];

const ZIELE: &[&str] = &[
    "lebensqualitaet",
    "beleben",
    "generationen",
    "vernetzung",
    "ressourcen",
    "kompetenzen",
];

const SAETZE: &[&str] = &[
    "Beim {akt} kamen Nachbarinnen und Nachbarn aus {st} zusammen, die sich vorher kaum kannten.",
    "Die Idee entstand in der AG Gemeinwesenarbeit, als mehrere Bewohnerinnen und Bewohner nach einem Treffpunkt im Stadtteil fragten.",
    "Rund {n} Menschen haben mitgemacht, darunter viele Familien mit Kindern.",
    "{traeger} hat die Organisation übernommen und die Abrechnung fristgerecht eingereicht.",
    "Aus dem Initiativfonds wurden Material, Getränke und eine kleine Aufwandsentschädigung für die Helferinnen und Helfer bezahlt.",
    "Besonders gefreut hat die Beteiligten, dass auch ältere Menschen aus der Nachbarschaft dabei waren.",
    "Schülerinnen und Schüler der benachbarten Schule haben beim Aufbau geholfen.",
    "Ein Wohnungsunternehmen hat einen Raum kostenlos zur Verfügung gestellt.",
    "Das Wetter spielte mit, sodass fast alles im Freien stattfinden konnte.",
    "Die Ergebnisse wurden in der nächsten Sitzung der AG vorgestellt und besprochen.",
    "Für {jahr} war es das erste Projekt dieser Art in {st}.",
    "Mehrere Vereine aus dem Stadtteil haben sich mit eigenen Ständen beteiligt.",
    "Die Verwaltung war mit zwei Mitarbeiterinnen vor Ort und hat Fragen beantwortet.",
    "Viele Gäste wünschten sich, dass das Angebot im nächsten Jahr wiederholt wird.",
    "Ehrenamtliche haben die Vorbereitung in ihrer Freizeit gestemmt.",
    "Die Kosten blieben unter dem beantragten Betrag; der Rest floss an den Fonds zurück.",
    "Auf Plakaten im Stadtteil und im Schaukasten der AG wurde zum Mitmachen eingeladen.",
    "Kinder konnten basteln, malen und an einer Rallye durch den Stadtteil teilnehmen.",
    "Im Anschluss gab es Kaffee und Kuchen, den Nachbarinnen gebacken hatten.",
    "Die Fotos vom {akt} hängen inzwischen im Stadtteiltreff.",
    "Ein Teil der Gruppe trifft sich seitdem regelmäßig weiter.",
    "Das Projekt hat gezeigt, wie viel im Stadtteil möglich ist, wenn viele mit anpacken.",
    "Barrierefreiheit war den Organisatorinnen wichtig: Alle Stationen waren stufenlos erreichbar.",
    "Eine Dolmetscherin hat Gespräche auf Arabisch und Russisch übersetzt.",
];

const SAETZE_VORLAGE: &[&str] = &[
    "Die Verwaltung informiert über den Stand der Gemeinwesenarbeit in {st}.",
    "Im Jahr {jahr} wurden im Stadtteil mehrere Projekte aus dem Initiativfonds Gemeinwesenarbeit gefördert.",
    "Die AG Gemeinwesenarbeit hat das Anliegen in ihrer Sitzung beraten und unterstützt es.",
    "Die Mittel stehen im Haushalt des Dezernats zur Verfügung.",
    "Eine Beteiligung der Bewohnerinnen und Bewohner ist über das Stadtteilforum vorgesehen.",
    "Der Träger {traeger} hat seine Mitwirkung zugesagt.",
    "Die Umsetzung soll im zweiten Halbjahr beginnen.",
    "Finanzielle Auswirkungen ergeben sich aus dieser Vorlage nicht.",
    "Die Maßnahme trägt zu den Zielen der Förderrichtlinie bei, insbesondere zur Vernetzung der Akteure im Stadtteil.",
    "Die Verwaltung empfiehlt, dem Beschlussvorschlag zu folgen.",
    "Über das Ergebnis wird der Stadtrat im folgenden Jahr informiert.",
];

const SAETZE_FORUM: &[&str] = &[
    "Rund {n} Bewohnerinnen und Bewohner aus {st} sind gekommen.",
    "Das Stadtteilmanagement hat über die Vorhaben im Förderprogramm Soziale Stadt berichtet.",
    "Die AG Gemeinwesenarbeit hat ihre Projekte aus dem Initiativfonds vorgestellt.",
    "In Tischrunden wurden Hinweise und Ideen gesammelt.",
    "Viele Fragen betrafen Schulwege, Sauberkeit und Treffpunkte für Jugendliche.",
    "Die Verwaltung hat zugesagt, die Hinweise zu prüfen und im nächsten Forum zu berichten.",
    "Das nächste Stadtteilforum findet im Herbst statt.",
];

const ERGEBNISSE: &[&str] = &[
    "mehr Sitzbänke und Schatten auf den Spielplätzen",
    "ein sicherer Überweg auf dem Schulweg",
    "ein Treffpunkt für Jugendliche am Abend",
    "regelmäßige Müllsammelaktionen mit den Schulen",
    "bessere Beleuchtung an der Haltestelle",
    "ein Nachbarschaftsfest im Sommer",
    "Sprechstunden des Stadtteilmanagements auch am Samstag",
];

const PUNKTE: &[&str] = &[
    "Vorbereitungstreffen mit den beteiligten Vereinen",
    "Einladungen in Briefkästen und Schaukästen verteilt",
    "Aufbau mit Helferinnen und Helfern aus der Nachbarschaft",
    "Spiel- und Bastelangebote für Kinder",
    "Informationsstand der AG Gemeinwesenarbeit",
    "Gespräche mit Vertreterinnen der Verwaltung",
    "gemeinsames Essen zum Abschluss",
    "Auswertung in der nächsten AG-Sitzung",
    "Fotodokumentation für den Schaukasten",
    "Abrechnung beim Initiativfonds eingereicht",
    "Musik einer Schülerband",
    "Führung durch den Stadtteil mit einem Ortschronisten",
    "Sammlung von Hinweisen für die Verwaltung",
    "Aufräumen und Müll trennen",
    "Dankeschön-Treffen für die Ehrenamtlichen",
];

const POSTEN: &[&str] = &[
    "Material",
    "Öffentlichkeitsarbeit",
    "Honorare",
    "Verpflegung",
    "Miete und Technik",
    "Versicherung",
    "Fahrtkosten",
];

const UEBERSCHRIFTEN: &[&str] = &[
    "Ablauf",
    "Was passiert ist",
    "So lief das Projekt",
    "Ergebnisse",
    "Was wir gelernt haben",
];

const THEMEN_SITZUNG: &[&str] = &[
    "Projektanträge für den Initiativfonds beraten",
    "Rückblick auf das Projektjahr",
    "Gast: Verwaltung stellt Planungen für den Stadtteil vor",
    "Vorbereitung des Stadtteilfests",
    "Sauberkeit und Sicherheit im Stadtteil",
    "Treffpunkte für Jugendliche",
    "Bericht des Stadtteilmanagements",
    "Wahl des Sprecherrats",
    "Verkehr und Schulwege",
    "Angebote für Seniorinnen und Senioren",
];

const GREMIEN: &[&str] = &[
    "Der Oberbürgermeister",
    "Ausschuss für Familie und Gleichstellung",
    "Jugendhilfeausschuss",
    "Ausschuss f. Stadtentw., Bauen und Verkehr",
    "Finanz- und Grundstücksausschuss",
    "Gesundheits- und Sozialausschuss",
    "Kulturausschuss",
];

/// Kind letters of Vorlage numbers and the `art` each stands for.
const ARTEN: &[(&str, &str)] = &[
    ("I", "information"),
    ("DS", "beschlussvorlage"),
    ("A", "antrag"),
    ("F", "anfrage"),
    ("S", "stellungnahme"),
];

const WOCHENTAGE: &[(&str, Weekday)] = &[
    ("Montag", Weekday::Monday),
    ("Dienstag", Weekday::Tuesday),
    ("Mittwoch", Weekday::Wednesday),
    ("Donnerstag", Weekday::Thursday),
];

// ---------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------

impl Generator {
    /// `[sudenburg, buckau]`
    fn slug_liste(&self, ids: &[usize]) -> String {
        let slugs: Vec<&str> = ids
            .iter()
            .map(|i| self.stadtteile[*i].slug.as_str())
            .collect();
        format!("[{}]", slugs.join(", "))
    }

    fn stadtteile(&mut self) {
        let formen = grenzen();
        self.write("content/daten/stadtteile.geojson", GRENZEN);
        for (i, (name, lat, lon)) in STADTTEILE.iter().enumerate() {
            let slug = slugify(name);
            let soziale_stadt = self.rng.one_in(5);
            let mut y = Yaml::default();
            y.str("name", name);
            y.raw("beispiel", "true");
            let einwohner = self.rng.range(300, 32_000);
            y.raw("einwohner", einwohner);
            let flaeche = format!("{:.1}", 0.5 + self.rng.unit() * 24.0);
            y.raw("flaeche_km2", &flaeche);
            y.raw("stand", "2025-12-31");
            y.raw("soziale_stadt", soziale_stadt);
            let mut felder = vec![
                (
                    "Einwohnerinnen und Einwohner",
                    format::zahl(einwohner as u64),
                ),
                ("Fläche", format!("{} km²", flaeche.replace('.', ","))),
                ("Stand", "31.12.2025".to_string()),
                (
                    "Soziale Stadt",
                    if soziale_stadt { "ja" } else { "nein" }.to_string(),
                ),
            ];
            if soziale_stadt {
                felder.push((
                    "Stadtteilmanagement",
                    format!(
                        "Beispiel-Stadtteilbüro gGmbH (fiktiv), Stadtteilbüro {name} (Beispiel)"
                    ),
                ));
                y.key("stadtteilmanagement");
                y.indent(|y| {
                    y.str("traeger", "Beispiel-Stadtteilbüro gGmbH (fiktiv)");
                    y.str("adresse", &format!("Stadtteilbüro {name} (Beispiel)"));
                    y.str("telefon", &format!("0391 000 {:02} {:02}", i, i + 40));
                    y.str("email", &format!("stadtteilmanagement-{slug}@example.org"));
                    y.key("sprechstunden");
                    let tage = self.rng.some(5, 1, 2);
                    for t in tage {
                        let wochentag =
                            ["montag", "dienstag", "mittwoch", "donnerstag", "freitag"][t];
                        let von = self.rng.range(9, 15);
                        felder.push((
                            "Sprechstunde",
                            format!("{wochentag} {von:02}:00–{:02}:00 Uhr", von + 2),
                        ));
                        y.item(|y| {
                            y.raw("wochentag", wochentag);
                            y.str("von", &format!("{von:02}:00"));
                            y.str("bis", &format!("{:02}:00", von + 2));
                            y.str("ort", "Stadtteilbüro (Beispiel)");
                        });
                    }
                });
            }
            let text = format!(
                "Name und Lage des Stadtteils {name} sind echt; **alle anderen Angaben zu \
                 {name} in diesem Portal sind erfundene Beispiele**, erzeugt für Lasttests.\n"
            );
            let rel = if soziale_stadt || i % 4 == 0 {
                let out = y.markdown_file(&text);
                (format!("content/stadtteile/{slug}.md"), out)
            } else {
                y.block("text", &text);
                (format!("content/stadtteile/{slug}.yaml"), y.finish())
            };
            self.write(&rel.0, &rel.1);
            self.emit(Eintrag {
                art: Kind::Stadtteil,
                jahr: None,
                slug: slug.clone(),
                titel: name.to_string(),
                datum: None,
                stadtteile: Vec::new(),
                felder,
                kurz: String::new(),
                text,
                bild: None,
            });
            self.stadtteile.push(StadtteilInfo {
                name,
                slug,
                lat: *lat,
                lon: *lon,
                form: formen.get(*name).cloned(),
                soziale_stadt,
                ags: Vec::new(),
            });
            self.summary.stadtteile += 1;
        }
    }

    fn ags(&mut self) {
        // Each AG starts from a Stadtteil no AG covers yet (in random order), usually adds
        // the nearest uncovered neighbour and sometimes the nearest other one (which
        // another AG may cover too). Some Stadtteile stay without an AG, as in a real city.
        let mut order: Vec<usize> = (0..STADTTEILE.len()).collect();
        for i in (1..order.len()).rev() {
            let j = self.rng.below(i + 1);
            order.swap(i, j);
        }
        let mut covered = [false; STADTTEILE.len()];
        for a in 0..AGS {
            let first = *order.iter().find(|t| !covered[**t]).expect("40 > 20");
            covered[first] = true;
            let mut ts = vec![first];
            if !self.rng.one_in(3)
                && let Some(n) = nearest(first, |t| !covered[t])
            {
                covered[n] = true;
                ts.push(n);
            }
            if self.rng.one_in(4)
                && let Some(n) = nearest(first, |t| !ts.contains(&t))
            {
                covered[n] = true;
                ts.push(n);
            }
            let names: Vec<&str> = ts.iter().map(|t| self.stadtteile[*t].name).collect();
            let name = format!("AG Gemeinwesenarbeit {}", names.join(" / "));
            let slug = format!("ag-gwa-{}", slugify(&names.join(" ")));
            let gegruendet = self.rng.range(1997, 2008) as i16;
            for t in &ts {
                self.stadtteile[*t].ags.push(a);
            }
            let (tag, weekday) = *self.rng.pick(WOCHENTAGE);
            let nth = 1 + self.rng.below(4) as i8;
            let stunde = self.rng.range(16, 18);
            let zeit = format!(
                "{stunde:02}:{}",
                if self.rng.one_in(3) { "30" } else { "00" }
            );
            let erster_monat = 1 + (a % 2) as i8;

            let mut y = Yaml::default();
            y.str("name", &name);
            y.raw("beispiel", "true");
            y.raw("stadtteile", self.slug_liste(&ts));
            y.raw("gegruendet", gegruendet);
            y.key("kontakt");
            y.indent(|y| {
                y.str("email", &format!("{slug}@example.org"));
                y.str("telefon", &format!("0391 000 {:02} {:02}", 80 + a, a));
                y.str(
                    "adresse",
                    &format!("c/o Stadtteiltreff (Beispiel), {}", names[0]),
                );
                y.str("web", &format!("https://example.org/{slug}"));
            });
            y.key("sprecherrat");
            y.indent(|y| {
                for s in [
                    "Sprecherin (Beispiel)",
                    "Stellvertretender Sprecher (Beispiel)",
                    "Vertretung der Vereine und Initiativen",
                ] {
                    y.list_str(s);
                }
            });
            y.str(
                "sitzungsregel",
                &format!("jeden {nth}. {tag} in jedem zweiten Monat, {zeit} Uhr"),
            );
            y.key("sitzungen");
            // The meetings and minutes as Markdown, for the exports' AG pages.
            let mut sitzungen = String::from("\n## Sitzungen\n");
            for jahr in 2025..=2027i16 {
                for k in 0..6i8 {
                    let monat = erster_monat + 2 * k;
                    let datum = Date::new(jahr, monat, 1)
                        .and_then(|d| d.nth_weekday_of_month(nth, weekday))
                        .expect("valid meeting date");
                    let thema = *self.rng.pick(THEMEN_SITZUNG);
                    let protokoll = datum < STICHTAG && !self.rng.one_in(3);
                    let anwesend = self.rng.range(6, 30);
                    let punkte = self.rng.some(PUNKTE.len(), 2, 4);
                    let ort = format!("Stadtteiltreff {} (Beispiel)", names[0]);
                    let _ = writeln!(
                        sitzungen,
                        "\n### {}: {thema}\n\n{zeit} Uhr, {ort}",
                        format::datum(datum)
                    );
                    let p = protokoll.then(|| {
                        let mut p = format!("**Anwesend:** {anwesend} Personen.\n\n");
                        for i in &punkte {
                            let _ = writeln!(p, "- {}", PUNKTE[*i]);
                        }
                        p
                    });
                    if let Some(p) = &p {
                        sitzungen.push('\n');
                        sitzungen.push_str(p);
                    }
                    y.item(|y| {
                        y.raw("datum", datum);
                        y.str("zeit", &zeit);
                        y.str("ort", &ort);
                        y.str("thema", thema);
                        if let Some(p) = &p {
                            y.block("protokoll", p);
                        }
                    });
                    self.summary.sitzungen += 1;
                    self.summary.protokolle += usize::from(protokoll);
                }
            }
            let body = format!(
                "*Diese Arbeitsgruppe, ihre Kontaktdaten, Sitzungen und Protokolle sind ein \
                 erfundenes Beispiel.*\n\n\
                 In der {name} treffen sich seit {gegruendet} Bewohnerinnen und Bewohner, \
                 Vereine, Schulen und Vertreterinnen und Vertreter der Verwaltung. Die AG\n\n\
                 - koordiniert die Projekte aus dem Initiativfonds Gemeinwesenarbeit,\n\
                 - bildet Projektgruppen, zum Beispiel für Feste im Stadtteil,\n\
                 - gibt Hinweise an die Verwaltung.\n\n\
                 Wer mitmachen möchte, kommt einfach zu einer Sitzung.\n"
            );
            let (rel, text) = if a % 5 == 4 {
                y.block("text", &body);
                (format!("content/ags/{slug}.yaml"), y.finish())
            } else {
                (format!("content/ags/{slug}.md"), y.markdown_file(&body))
            };
            self.write(&rel, &text);
            self.emit(Eintrag {
                art: Kind::Ag,
                jahr: None,
                slug: slug.clone(),
                titel: name.clone(),
                datum: Date::new(gegruendet, 1, 1).ok(),
                stadtteile: self.slugs_und_namen(&ts),
                felder: vec![
                    ("Stadtteile", names.join(", ")),
                    ("Gegründet", gegruendet.to_string()),
                    ("E-Mail", format!("{slug}@example.org")),
                    ("Telefon", format!("0391 000 {:02} {:02}", 80 + a, a)),
                    (
                        "Adresse",
                        format!("c/o Stadtteiltreff (Beispiel), {}", names[0]),
                    ),
                    ("Web", format!("https://example.org/{slug}")),
                    (
                        "Sprecherrat",
                        "Sprecherin (Beispiel), Stellvertretender Sprecher (Beispiel), \
                         Vertretung der Vereine und Initiativen"
                            .to_string(),
                    ),
                    (
                        "Sitzungen",
                        format!("jeden {nth}. {tag} in jedem zweiten Monat, {zeit} Uhr"),
                    ),
                ],
                kurz: names.join(", "),
                text: body + &sitzungen,
                bild: None,
            });
            self.ags.push(AgInfo {
                name,
                slug,
                gegruendet,
            });
            self.summary.ags += 1;
        }
    }

    fn vorlagen(&mut self, n: usize) {
        let jahre = projekt_jahre();
        for i in 0..n {
            // Numbers stay four digits and unique: the year cycles, the number counts up.
            let jahr = ERSTES_JAHR + (i % jahre) as i16;
            let laufend = i / jahre + 1;
            let (kuerzel, art) = *self.rng.pick(ARTEN);
            let nummer = format!("{kuerzel}{laufend:04}/{:02}", jahr % 100);
            let slug = nummer.to_lowercase().replace('/', "-");
            let datum = self.date_in(jahr, 0, 330);
            let t = self.rng.below(STADTTEILE.len());
            let st = self.stadtteile[t].name;
            let thema = match art {
                "information" => format!(
                    "{} {jahr}",
                    self.rng.pick(&[
                        "Initiativfonds Gemeinwesenarbeit: Bericht über die geförderten Projekte",
                        "Arbeitsgruppen Gemeinwesenarbeit: Sachstand",
                        "Stadtteilmanagement: Jahresbericht",
                    ])
                ),
                "beschlussvorlage" => format!(
                    "{} {st}",
                    self.rng.pick(&[
                        "Sanierung des Spielplatzes in",
                        "Fortschreibung des Integrierten Handlungskonzepts",
                        "Förderung eines Stadtteiltreffs in",
                    ])
                ),
                "antrag" => format!(
                    "{} {st}",
                    self.rng.pick(&[
                        "Mehr Sitzbänke in",
                        "Beleuchtung der Wege in",
                        "Trinkbrunnen in"
                    ])
                ),
                "anfrage" => format!(
                    "{} {st}",
                    self.rng.pick(&[
                        "Stand der Gemeinwesenarbeit in",
                        "Treffpunkte für Jugendliche in",
                        "Barrierefreie Haltestellen in",
                    ])
                ),
                _ => format!("Stellungnahme der Verwaltung zu Vorhaben in {st}"),
            };
            let mut y = Yaml::default();
            y.str("nummer", &nummer);
            y.raw("beispiel", "true");
            y.raw("art", art);
            y.str("thema", &thema);
            y.raw("datum", datum);
            let dezernat = *self.rng.pick(&["I", "II", "III", "IV", "V", "VI"]);
            y.str("dezernat", dezernat);
            let amt = format!("{dezernat}/{:02}", 1 + self.rng.below(6));
            y.str("amt", &amt);
            y.raw("oeffentlich", "true");
            y.key("beratungsfolge");
            let mut folge = String::from(
                "\n## Beratungsfolge\n\n| Gremium | Datum | Behandlung |\n|---|---|---|\n",
            );
            let mut tag = datum;
            let schritte = 1 + self.rng.below(4);
            for s in 0..schritte {
                tag = tag
                    .checked_add(jiff::Span::new().days(self.rng.range(5, 30)))
                    .expect("date in range");
                let gremium = if s + 1 == schritte && art != "anfrage" {
                    "Stadtrat"
                } else {
                    self.rng.pick(GREMIEN)
                };
                let behandlung = if gremium == "Der Oberbürgermeister" {
                    "nicht öffentlich"
                } else {
                    "öffentlich"
                };
                let _ = writeln!(
                    folge,
                    "| {gremium} | {} | {behandlung} |",
                    format::datum(tag)
                );
                y.item(|y| {
                    y.str("gremium", gremium);
                    y.raw("datum", tag);
                    y.str("behandlung", behandlung);
                });
            }
            let bearbeiter = format!(
                "{} Beispiel, Tel.: 540 {:04}",
                self.rng.pick(&["Frau", "Herr"]),
                self.rng.below(10_000)
            );
            y.str("bearbeiter", &bearbeiter);
            y.str("unterzeichnet", "Beispiel");
            let mit_stadtteil = !self.rng.one_in(3);
            if mit_stadtteil {
                y.raw("stadtteile", format!("[{}]", self.stadtteile[t].slug));
            }
            if let Some(a) = self.stadtteile[t].ags.first() {
                y.raw("ags", format!("[{}]", self.ags[*a].slug));
            }
            let mut body = String::new();
            let _ = writeln!(body, "## Sachverhalt\n");
            let traeger = self.traeger_fuer(st);
            body.push_str(&self.absatz_aus(SAETZE_VORLAGE, st, "", 0, &traeger, jahr));
            let _ = writeln!(body, "\n## Begründung\n");
            for p in self.rng.distinct(PUNKTE.len(), 3) {
                let _ = writeln!(body, "- {}", PUNKTE[p]);
            }
            if !self.vorlagen.is_empty() && self.rng.one_in(3) {
                let frueher = self.rng.below(self.vorlagen.len());
                let _ = writeln!(
                    body,
                    "\nDie Vorlage knüpft an {} an.",
                    self.vorlagen[frueher].nummer
                );
            }
            self.write(
                &format!("content/vorlagen/{slug}.md"),
                &y.markdown_file(&body),
            );
            let stadtteile = if mit_stadtteil {
                let s = &self.stadtteile[t];
                vec![(s.slug.clone(), s.name.to_string())]
            } else {
                Vec::new()
            };
            self.emit(Eintrag {
                art: Kind::Vorlage,
                jahr: None,
                slug,
                titel: format!("{nummer}: {thema}"),
                datum: Some(datum),
                stadtteile,
                felder: vec![
                    ("Nummer", nummer.clone()),
                    ("Art", art.to_string()),
                    ("Datum", format::datum(datum)),
                    ("Dezernat", dezernat.to_string()),
                    ("Amt", amt),
                    ("Bearbeitung", bearbeiter),
                    ("Öffentlich", "ja".to_string()),
                ],
                kurz: format::datum(datum),
                text: body + &folge,
                bild: None,
            });
            self.vorlagen.push(VorlageInfo { nummer });
            self.summary.vorlagen += 1;
        }
    }

    fn projekte(&mut self, n: usize) {
        for k in 0..projekt_jahre() {
            let jahr = ERSTES_JAHR + k as i16;
            let anzahl = projekte_im_jahr(n, k);
            let liste = liste_im_jahr(jahr);
            let mut list_text = String::new();
            if liste {
                let _ = writeln!(
                    list_text,
                    "# Initiativfonds Gemeinwesenarbeit {jahr}: alle Projekte des Jahres in einer Liste.\n\
                     # Synthetische Beispieldaten, erzeugt von `quartier synth`."
                );
            }
            for _ in 0..anzahl {
                let (slug, y, body) = self.projekt(jahr);
                if liste {
                    let mut y = y;
                    y.block("text", &body);
                    list_text.push('\n');
                    list_text.push_str(&y.as_list_entry());
                    self.summary.projekte_in_listen += 1;
                } else {
                    self.write(
                        &format!("content/projekte/{jahr}/{slug}.md"),
                        &y.markdown_file(&body),
                    );
                }
                self.summary.projekte += 1;
            }
            if liste && anzahl > 0 {
                self.write(&format!("content/projekte/{jahr}/liste.yaml"), &list_text);
                self.summary.projektlisten += 1;
            }
            if anzahl > 0 {
                self.emit_abschnitt(&format!("projekte/{jahr}"), &format!("Projekte {jahr}"), "");
            }
        }
    }

    /// One project: its slug, its fields (with `slug` in lists) and its Markdown body.
    fn projekt(&mut self, jahr: i16) -> (String, Yaml, String) {
        let t = self.rng.below(STADTTEILE.len());
        let st = self.stadtteile[t].name;
        let akt = *self.rng.pick(AKTIVITAETEN);
        let titel = match self.rng.below(3) {
            0 => format!("{akt} {st}"),
            1 => format!("{akt} in {st}"),
            _ => format!("{akt} {st} {jahr}"),
        };
        let slug = if titel.ends_with(&jahr.to_string()) {
            self.unique_slug(&titel)
        } else {
            self.unique_slug(&format!("{titel} {jahr}"))
        };
        let mut stadtteile = vec![t];
        if self.rng.one_in(6) {
            let other = self.rng.below(STADTTEILE.len());
            if other != t {
                stadtteile.push(other);
            }
        }
        let ag = self.stadtteile[t]
            .ags
            .iter()
            .copied()
            .find(|a| self.ags[*a].gegruendet <= jahr);
        let soziale_stadt = self.stadtteile[t].soziale_stadt;
        let foerderung = if soziale_stadt && self.rng.one_in(4) {
            Some("soziale-stadt")
        } else if self.rng.one_in(30) {
            Some(*self.rng.pick(&[
                "Spende einer Wohnungsgenossenschaft (Beispiel)",
                "Landesprogramm Demokratie leben (Beispiel)",
            ]))
        } else if self.rng.one_in(5) {
            None // the default, initiativfonds
        } else {
            Some("initiativfonds")
        };
        let cents: i64 = if foerderung == Some("soziale-stadt") {
            self.rng.range(20, 250) * 10_000
        } else {
            self.rng.range(10, 300) * 1_000 + if self.rng.one_in(8) { 50 } else { 0 }
        };
        let traeger = self.traeger_fuer(st);
        let beteiligte = if self.rng.one_in(5) {
            self.rng.range(150, 1200)
        } else {
            self.rng.range(8, 150)
        };
        let von = self.date_in(jahr, 0, 330);
        let bis = if self.rng.below(5) < 3 {
            von
        } else {
            let ende = Date::new(jahr, 12, 31).expect("valid date");
            von.checked_add(jiff::Span::new().days(self.rng.range(1, 150)))
                .expect("date in range")
                .min(ende)
        };
        let status = if bis < STICHTAG {
            "abgeschlossen"
        } else if von > STICHTAG {
            "geplant"
        } else {
            "laufend"
        };
        let ziele: Vec<&str> = self
            .rng
            .some(ZIELE.len(), 1, 3)
            .into_iter()
            .map(|z| ZIELE[z])
            .collect();

        let mut y = Yaml::default();
        y.str("titel", &titel);
        y.raw("slug", &slug); // dropped for Markdown files, see `markdown_file`
        y.raw("beispiel", "true");
        y.raw("jahr", jahr);
        y.raw("stadtteile", self.slug_liste(&stadtteile));
        if let Some(a) = ag {
            y.raw("ag", &self.ags[a].slug);
        }
        if let Some(f) = foerderung {
            if f.contains(' ') {
                y.str("foerderung", f);
            } else {
                y.raw("foerderung", f);
            }
        }
        y.raw("foerdersumme", yaml_euro(cents));
        y.str("traeger", &traeger);
        y.raw("beteiligte", beteiligte);
        y.raw("von", von);
        y.raw("bis", bis);
        y.raw("status", status);
        let adresse = self
            .rng
            .pick(ORTE)
            .replace("{n}", &(1 + self.rng.below(120)).to_string());
        let koordinaten = !self.rng.one_in(20);
        let (lat, lon) = self.near(t);
        let mut felder = vec![
            ("Jahr", jahr.to_string()),
            (
                "Stadtteile",
                stadtteile
                    .iter()
                    .map(|t| self.stadtteile[*t].name)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ];
        if let Some(a) = ag {
            felder.push(("AG", self.ags[a].name.clone()));
        }
        felder.extend([
            (
                "Förderung",
                foerderung.unwrap_or("initiativfonds").to_string(),
            ),
            ("Fördersumme", format::euro(Euro::from_cents(cents))),
            ("Träger", traeger.clone()),
            ("Beteiligte", format::zahl(beteiligte as u64)),
            (
                "Zeitraum",
                format!("{} bis {}", format::datum(von), format::datum(bis)),
            ),
            ("Status", status.to_string()),
            ("Ort", adresse.clone()),
            ("Förderziele", ziele.join(", ")),
        ]);
        if koordinaten {
            felder.push(("Koordinaten", format!("{lat:.5}, {lon:.5}")));
        }
        y.key("ort");
        y.indent(|y| {
            y.str("adresse", &adresse);
            if koordinaten {
                y.raw("lat", format!("{lat:.5}"));
                y.raw("lon", format!("{lon:.5}"));
            }
        });
        y.raw("ziele", format!("[{}]", ziele.join(", ")));
        let mut bild = None;
        if self.rng.one_in(25) {
            let datei = format!("bilder/{slug}.svg");
            let svg = self.svg(&titel);
            self.write(&format!("content/dateien/{datei}"), &svg);
            if self.format != Format::Quartier {
                self.put(&format!("static/dateien/{datei}"), &svg);
                bild = Some((
                    format!("dateien/{datei}"),
                    format!("Plakat: {titel} (Beispielbild)"),
                ));
            }
            self.summary.bilder += 1;
            y.key("bilder");
            y.item(|y| {
                y.str("datei", &datei);
                y.str("alt", &format!("Plakat: {titel} (Beispielbild)"));
            });
        }
        let body = self.projekt_text(&titel, akt, t, &traeger, beteiligte, cents, jahr);
        if self.format != Format::Quartier {
            let kurz = format!(
                "{} · {} · {} Beteiligte",
                self.stadtteile[t].name,
                format::euro(Euro::from_cents(cents)),
                format::zahl(beteiligte as u64)
            );
            let stadtteile = stadtteile
                .iter()
                .map(|t| {
                    let s = &self.stadtteile[*t];
                    (s.slug.clone(), s.name.to_string())
                })
                .collect();
            self.emit(Eintrag {
                art: Kind::Projekt,
                jahr: Some(jahr),
                slug: slug.clone(),
                titel,
                datum: Some(von),
                stadtteile,
                felder,
                kurz,
                text: body.clone(),
                bild,
            });
        }
        (slug, y, body)
    }

    #[allow(clippy::too_many_arguments)]
    fn projekt_text(
        &mut self,
        titel: &str,
        akt: &str,
        t: usize,
        traeger: &str,
        beteiligte: i64,
        cents: i64,
        jahr: i16,
    ) -> String {
        let st = self.stadtteile[t].name;
        let mut out = self.absatz(st, akt, beteiligte, traeger, jahr);
        // Lengths vary from a few lines to a long report.
        let extra = match self.rng.below(100) {
            0 => self.rng.range(15, 30),
            1..=9 => self.rng.range(4, 10),
            _ => self.rng.range(0, 3),
        };
        let _ = writeln!(out, "\n## {}\n", self.rng.pick(UEBERSCHRIFTEN));
        for p in self.rng.some(PUNKTE.len(), 3, 6) {
            let _ = writeln!(out, "- {}", PUNKTE[p]);
        }
        for _ in 0..extra {
            out.push('\n');
            out.push_str(&self.absatz(st, akt, beteiligte, traeger, jahr));
        }
        if !self.rng.one_in(3) {
            let _ = writeln!(out, "\n### Kosten\n");
            let _ = writeln!(out, "| Posten | Betrag |\n|---|---:|");
            let teile = 1 + self.rng.below(3);
            let posten = self.rng.distinct(POSTEN.len(), teile + 1);
            let mut rest = cents;
            for (i, p) in posten.iter().enumerate() {
                let betrag = if i == teile {
                    rest
                } else {
                    // Multiples of 10 € that leave something for the last item.
                    let max = (rest / 1000 - (teile - i) as i64).max(1);
                    self.rng.range(1, max) * 500
                };
                rest -= betrag;
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    POSTEN[*p],
                    format::euro(Euro::from_cents(betrag))
                );
            }
            let _ = writeln!(
                out,
                "| **Summe** | **{}** |",
                format::euro(Euro::from_cents(cents))
            );
        }
        let fussnote = !self.rng.one_in(3);
        if fussnote {
            let _ = writeln!(
                out,
                "\nAm Projekt „{titel}“ haben etwa {} Menschen teilgenommen.[^zahl]",
                format::zahl(beteiligte as u64)
            );
        }
        if !self.vorlagen.is_empty() && self.rng.one_in(6) {
            let v = self.rng.below(self.vorlagen.len());
            let _ = writeln!(
                out,
                "\nDer Stadtrat hat sich mit dem Thema in der Vorlage {} befasst.",
                self.vorlagen[v].nummer
            );
        }
        if self.rng.one_in(8) {
            let s = &self.stadtteile[t];
            let _ = writeln!(
                out,
                "\nMehr über den Stadtteil steht auf der Seite [{}](/stadtteile/{}/).",
                s.name, s.slug
            );
        }
        if self.rng.one_in(50) {
            let _ = writeln!(
                out,
                "\nSo steht das Projekt in der Liste des Initiativfonds:\n\n\
                 ```yaml\n\
                 titel: \"{titel}\"\n\
                 jahr: {jahr}\n\
                 foerdersumme: {}\n\
                 beteiligte: {beteiligte}\n\
                 # Beispieldaten\n\
                 ```",
                yaml_euro(cents)
            );
        }
        if fussnote {
            let _ = writeln!(
                out,
                "\n[^zahl]: Gezählt vom Träger ({traeger}) am Veranstaltungstag; die Zahl ist gerundet."
            );
        }
        out
    }

    fn foren(&mut self, n: usize) {
        for _ in 0..n {
            let t = self.rng.below(STADTTEILE.len());
            let st = self.stadtteile[t].name;
            let jahr = self.rng.range(2008, 2027) as i16;
            let fruehjahr = self.rng.one_in(2);
            let titel = format!(
                "Stadtteilforum {st} – {} {jahr}",
                if fruehjahr { "Frühjahr" } else { "Herbst" }
            );
            let slug = self.unique_slug(&titel);
            let start = if fruehjahr { 59 } else { 243 };
            let datum = self.date_in(jahr, start, start + 80);
            let mut stadtteile = vec![t];
            if self.rng.one_in(4) {
                let other = self.rng.below(STADTTEILE.len());
                if other != t {
                    stadtteile.push(other);
                }
            }
            let mut y = Yaml::default();
            y.str("titel", &titel);
            y.raw("beispiel", "true");
            y.raw("datum", datum);
            let zeit = if self.rng.one_in(2) { "17:30" } else { "18:00" };
            y.str("zeit", zeit);
            y.str("ort", "Aula der Grundschule (Beispiel)");
            y.raw("stadtteile", self.slug_liste(&stadtteile));
            y.str(
                "veranstalter",
                "Dezernat VI, Stadtteilmanagement (Beispiel)",
            );
            y.key("tagesordnung");
            let mut tagesordnung = String::from("\n## Tagesordnung\n\n1. Begrüßung\n");
            y.indent(|y| {
                y.list_str("Begrüßung");
                for i in self.rng.some(THEMEN_SITZUNG.len(), 2, 4) {
                    y.list_str(THEMEN_SITZUNG[i]);
                    let _ = writeln!(tagesordnung, "1. {}", THEMEN_SITZUNG[i]);
                }
                y.list_str("Zusammenfassung und nächste Schritte");
            });
            tagesordnung.push_str("1. Zusammenfassung und nächste Schritte\n");
            let mut body = String::from("*Dieses Stadtteilforum ist ein erfundenes Beispiel.*\n\n");
            if datum >= STICHTAG {
                let _ = writeln!(
                    body,
                    "Liebe Nachbarinnen und Nachbarn,\n\n\
                     wir laden Sie herzlich zum Stadtteilforum {st} ein. Bringen Sie Ihre \
                     Ideen und Fragen mit – eine Anmeldung ist nicht nötig."
                );
            } else {
                let _ = writeln!(body, "## Kurzprotokoll\n");
                let n = self.rng.range(25, 120);
                body.push_str(&self.absatz_aus(SAETZE_FORUM, st, "", n, "", jahr));
                body.push_str("\nErgebnisse der Tischrunden:\n\n");
                for p in self.rng.some(ERGEBNISSE.len(), 2, 4) {
                    let _ = writeln!(body, "- {}", ERGEBNISSE[p]);
                }
            }
            self.write(&format!("content/foren/{slug}.md"), &y.markdown_file(&body));
            self.emit(Eintrag {
                art: Kind::Forum,
                jahr: None,
                slug,
                titel,
                datum: Some(datum),
                stadtteile: self.slugs_und_namen(&stadtteile),
                felder: vec![
                    ("Datum", format::datum(datum)),
                    ("Zeit", format!("{zeit} Uhr")),
                    ("Ort", "Aula der Grundschule (Beispiel)".to_string()),
                    (
                        "Veranstalter",
                        "Dezernat VI, Stadtteilmanagement (Beispiel)".to_string(),
                    ),
                ],
                kurz: format::datum(datum),
                text: tagesordnung + &body,
                bild: None,
            });
            self.summary.foren += 1;
        }
    }

    fn seiten(&mut self) {
        let seiten: [(&str, &str, Option<u8>, &str); 5] = [
            (
                "ueber-dieses-portal",
                "Über dieses Portal",
                Some(1),
                "Dieses Portal ist **synthetisch**: Es wurde von `quartier synth` erzeugt, um \
                 zu messen, wie schnell quartier große Portale baut.\n\n\
                 ## Was echt ist\n\n\
                 - die Namen der 40 Magdeburger Stadtteile\n\
                 - sonst nichts\n",
            ),
            (
                "impressum",
                "Impressum",
                None,
                "**Dies ist ein Platzhalter.** Dieses Portal ist ein erzeugtes Beispiel; es hat \
                 keinen Betreiber.\n",
            ),
            (
                "datenschutz",
                "Datenschutzerklärung",
                None,
                "## Was dieses Portal nicht tut\n\n\
                 - **Keine Cookies.**\n\
                 - **Kein Tracking.**\n",
            ),
            (
                "barrierefreiheit",
                "Erklärung zur Barrierefreiheit",
                None,
                "Das Portal soll ohne JavaScript nutzbar und mit der Tastatur bedienbar sein.\n",
            ),
            (
                "leichte-sprache",
                "Leichte Sprache",
                None,
                "## Was ist diese Internet·seite?\n\n\
                 Auf dieser Internet·seite geht es um Magdeburg.\n\n\
                 Alle Angaben sind nur ein Beispiel.\n",
            ),
        ];
        for (slug, titel, menue, text) in seiten {
            let mut y = Yaml::default();
            y.str("titel", titel);
            y.raw("beispiel", "true");
            if let Some(m) = menue {
                y.raw("menue", m);
            }
            self.write(&format!("content/seiten/{slug}.md"), &y.markdown_file(text));
            self.emit(Eintrag {
                art: Kind::Seite,
                jahr: None,
                slug: slug.to_string(),
                titel: titel.to_string(),
                datum: None,
                stadtteile: Vec::new(),
                felder: Vec::new(),
                kurz: String::new(),
                text: text.to_string(),
                bild: None,
            });
            self.summary.seiten += 1;
        }
    }

    fn portal_yaml(&mut self) {
        let mut y = Yaml::default();
        y.str(
            "titel",
            "Gemeinwesenarbeit in Magdeburg (synthetisches Beispiel)",
        );
        y.str("stadt", "Landeshauptstadt Magdeburg");
        y.str("base_url", "https://example.org/portal/");
        y.raw("sprache", "de");
        y.raw("theme", "default");
        y.str(
            "beschreibung",
            "Synthetisches Beispielportal für Lasttests: erfundene AGs, Projekte, Foren und Vorlagen in den 40 Magdeburger Stadtteilen.",
        );
        y.str(
            "ratsinfo_url",
            "https://ratsinfo.example.org/vorlage?nr={nummer}",
        );
        y.key("karte");
        y.indent(|y| {
            y.raw("grenzen", "daten/stadtteile.geojson");
            y.str(
                "grenzen_hinweis",
                "Stadtteilgrenzen: © OpenStreetMap-Mitwirkende, ODbL",
            );
            y.raw("kacheln", "null");
        });
        y.raw("impressum", "impressum");
        y.raw("datenschutz", "datenschutz");
        y.raw("barrierefreiheit", "barrierefreiheit");
        y.raw("leichte_sprache", "leichte-sprache");
        let mut einleitung = String::from(
            "Dieses Portal ist ein **synthetisches Beispiel**: Alle Arbeitsgruppen, Projekte, \
             Foren und Vorlagen sind erfunden, nur die Namen der Stadtteile sind echt.\n",
        );
        if let Some(v) = self.vorlagen.first() {
            let _ = writeln!(
                einleitung,
                "\nWie die Gemeinwesenarbeit organisiert ist, beschreibt die Vorlage {}.",
                v.nummer
            );
        }
        y.block("einleitung", &einleitung);
        let text = y.finish();
        self.write("portal.yaml", &text);
        if self.format != Format::Quartier {
            let titel = "Gemeinwesenarbeit in Magdeburg (synthetisches Beispiel)";
            for (rel, text) in export::geruest(self.format, titel, "https://example.org/portal/") {
                self.put(&rel, &text);
            }
            self.emit_abschnitt("", titel, &einleitung);
            self.emit_abschnitt("projekte", "Projekte", "");
            self.emit_abschnitt("ags", "Arbeitsgruppen Gemeinwesenarbeit", "");
            self.emit_abschnitt("foren", "Stadtteilforen", "");
            self.emit_abschnitt("vorlagen", "Vorlagen", "");
            if self.format == Format::Hugo {
                // The taxonomy's list page.
                self.emit_abschnitt("stadtteile", "Stadtteile", "");
            } else {
                self.emit_abschnitt("stadtteil-daten", "Stadtteile", "");
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------

    /// A paragraph of 2–5 sentences about an activity in a Stadtteil.
    fn absatz(&mut self, st: &str, akt: &str, n: i64, traeger: &str, jahr: i16) -> String {
        self.absatz_aus(SAETZE, st, akt, n, traeger, jahr)
    }

    /// A paragraph of 2–5 sentences from `saetze`.
    fn absatz_aus(
        &mut self,
        saetze: &[&str],
        st: &str,
        akt: &str,
        n: i64,
        traeger: &str,
        jahr: i16,
    ) -> String {
        let k = 2 + self.rng.below(4);
        let mut out = String::new();
        for (i, s) in self.rng.distinct(saetze.len(), k).into_iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(
                &saetze[s]
                    .replace("{st}", st)
                    .replace("{akt}", akt)
                    .replace("{n}", &format::zahl(n as u64))
                    .replace("{traeger}", traeger)
                    .replace("{jahr}", &jahr.to_string()),
            );
        }
        out.push('\n');
        out
    }

    fn traeger_fuer(&mut self, st: &str) -> String {
        self.rng.pick(TRAEGER).replace("{st}", st)
    }

    /// A day of `jahr`, `from..=to` days after 1 January.
    fn date_in(&mut self, jahr: i16, from: i64, to: i64) -> Date {
        let tag = self.rng.range(from, to);
        Date::new(jahr, 1, 1)
            .and_then(|d| d.checked_add(jiff::Span::new().days(tag)))
            .expect("date in range")
    }

    /// A point inside Stadtteil `t` (drawn until it falls within the boundary).
    fn near(&mut self, t: usize) -> (f64, f64) {
        if let Some(form) = self.stadtteile[t].form.clone()
            && let Some(r) = geo::BoundingRect::bounding_rect(&form)
        {
            for _ in 0..500 {
                // Rounded as written (5 decimals), so the file's point is the one tested.
                let lon = ((r.min().x + self.rng.unit() * r.width()) * 1e5).round() / 1e5;
                let lat = ((r.min().y + self.rng.unit() * r.height()) * 1e5).round() / 1e5;
                if crate::model::enthalten(&form, geo::Point::new(lon, lat)) {
                    return (lat, lon);
                }
            }
            if let Some(p) = geo::InteriorPoint::interior_point(&form) {
                return (p.y(), p.x());
            }
        }
        let s = &self.stadtteile[t];
        let (lat, lon) = (s.lat, s.lon);
        let lat = lat + (self.rng.unit() - 0.5) * 0.012;
        let lon = lon + (self.rng.unit() - 0.5) * 0.018;
        (
            lat.clamp(LAT.0 + 0.001, LAT.1 - 0.001),
            lon.clamp(LON.0 + 0.001, LON.1 - 0.001),
        )
    }

    fn unique_slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut slug = base.clone();
        let mut i = 2;
        while !self.slugs.insert(slug.clone()) {
            slug = format!("{base}-{i}");
            i += 1;
        }
        slug
    }

    /// A small poster as SVG.
    fn svg(&mut self, titel: &str) -> String {
        let farben = ["#2a6f97", "#6a994e", "#bc4749", "#f2a541", "#5e548e"];
        let farbe = self.rng.pick(&farben);
        let titel = titel
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 250\" width=\"400\" height=\"250\">\n\
             <rect width=\"400\" height=\"250\" fill=\"{farbe}\"/>\n\
             <text x=\"200\" y=\"130\" font-family=\"sans-serif\" font-size=\"18\" fill=\"#fff\" text-anchor=\"middle\">{titel}</text>\n\
             </svg>\n"
        )
    }

    /// Writes a file of the quartier portal (nothing in an export).
    fn write(&mut self, rel: &str, text: &str) {
        if self.format == Format::Quartier {
            self.put(rel, text);
        }
    }

    /// Slugs and names of Stadtteile (by index), for an exported entity.
    fn slugs_und_namen(&self, ts: &[usize]) -> Vec<(String, String)> {
        ts.iter()
            .map(|t| {
                let s = &self.stadtteile[*t];
                (s.slug.clone(), s.name.to_string())
            })
            .collect()
    }

    /// Writes an entity's files for Hugo or Zola (nothing for quartier).
    fn emit(&mut self, eintrag: Eintrag) {
        if self.format != Format::Quartier {
            for (rel, text) in export::dateien(self.format, &eintrag) {
                self.put(&rel, &text);
            }
        }
    }

    /// Writes a section's `_index.md` for Hugo or Zola (nothing for quartier).
    fn emit_abschnitt(&mut self, ordner: &str, titel: &str, text: &str) {
        if self.format != Format::Quartier {
            let (rel, text) = export::abschnitt(self.format, ordner, titel, text);
            self.put(&rel, &text);
        }
    }

    /// Writes a file below the output folder, remembering the first error.
    fn put(&mut self, rel: &str, text: &str) {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent()
            && !self.made_dirs.contains(parent)
        {
            let parent = parent.to_path_buf();
            if let Err(e) = std::fs::create_dir_all(&parent) {
                self.pending.get_or_insert(e);
                return;
            }
            self.made_dirs.insert(parent);
        }
        if let Err(e) = std::fs::write(&path, text) {
            self.pending.get_or_insert(e);
            return;
        }
        self.summary.dateien += 1;
        self.summary.bytes += text.len() as u64;
    }
}

/// The Stadtteil nearest to `t` (by centroid) among those `ok` accepts.
fn nearest(t: usize, ok: impl Fn(usize) -> bool) -> Option<usize> {
    let (_, lat, lon) = STADTTEILE[t];
    let dist = |u: usize| {
        let (_, la, lo) = STADTTEILE[u];
        // Degrees of longitude are shorter at 52° N.
        (la - lat).powi(2) + ((lo - lon) * 0.61).powi(2)
    };
    // Neighbours only: centres at most about 5 km apart.
    (0..STADTTEILE.len())
        .filter(|u| *u != t && ok(*u) && dist(*u) < 0.045f64.powi(2))
        .min_by(|a, b| dist(*a).total_cmp(&dist(*b)))
}

/// Number of funding years.
fn projekt_jahre() -> usize {
    (LETZTES_JAHR - ERSTES_JAHR + 1) as usize
}

/// Projects in the `k`-th year: `n` spread evenly, the remainder to the first years.
fn projekte_im_jahr(n: usize, k: usize) -> usize {
    let jahre = projekt_jahre();
    n / jahre + usize::from(k < n % jahre)
}

/// Every tenth year's projects are one YAML list.
fn liste_im_jahr(jahr: i16) -> bool {
    jahr % 10 == 0
}

/// `1500` or `1500.5` for YAML.
fn yaml_euro(cents: i64) -> String {
    match cents % 100 {
        0 => (cents / 100).to_string(),
        c if c % 10 == 0 => format!("{}.{}", cents / 100, c / 10),
        c => format!("{}.{c:02}", cents / 100),
    }
}

/// A tiny YAML writer: keys in the order given, strings double-quoted, Markdown as
/// literal blocks. Enough for front matter and list entries.
#[derive(Default)]
struct Yaml {
    lines: Vec<String>,
    depth: usize,
}

impl Yaml {
    fn pad(&self) -> String {
        "  ".repeat(self.depth)
    }

    /// `key: value` with `value` written as is (numbers, dates, slugs, flow lists).
    fn raw(&mut self, key: &str, value: impl fmt::Display) {
        let line = format!("{}{key}: {value}", self.pad());
        self.lines.push(line);
    }

    /// `key: "value"`
    fn str(&mut self, key: &str, value: &str) {
        self.raw(key, yaml::quote(value));
    }

    /// `key:` opening a nested mapping or list.
    fn key(&mut self, key: &str) {
        let line = format!("{}{key}:", self.pad());
        self.lines.push(line);
    }

    /// `- "value"` one level in.
    fn list_str(&mut self, value: &str) {
        let line = format!("{}- {}", self.pad(), yaml::quote(value));
        self.lines.push(line);
    }

    /// Nested mapping one level in.
    fn indent(&mut self, f: impl FnOnce(&mut Yaml)) {
        self.depth += 1;
        f(self);
        self.depth -= 1;
    }

    /// A list item (mapping) one level in.
    fn item(&mut self, f: impl FnOnce(&mut Yaml)) {
        self.depth += 1;
        let start = self.lines.len();
        self.depth += 1;
        f(self);
        self.depth -= 1;
        if let Some(first) = self.lines.get_mut(start) {
            let pad = "  ".repeat(self.depth);
            let rest = first[pad.len() + 2..].to_string();
            *first = format!("{pad}- {rest}");
        }
        self.depth -= 1;
    }

    /// `key: |` with Markdown indented below.
    fn block(&mut self, key: &str, text: &str) {
        let line = format!("{}{key}: |", self.pad());
        self.lines.push(line);
        let pad = "  ".repeat(self.depth + 1);
        for line in text.trim_end().lines() {
            if line.is_empty() {
                self.lines.push(String::new());
            } else {
                self.lines.push(format!("{pad}{line}"));
            }
        }
    }

    /// The mapping as a YAML document.
    fn finish(self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    /// The mapping as front matter of a Markdown file with `body` (without `slug`: the
    /// file name is the slug).
    fn markdown_file(self, body: &str) -> String {
        let mut out = String::from("---\n");
        for line in self.lines.iter().filter(|l| !l.starts_with("slug: ")) {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("---\n");
        out.push_str(body);
        out
    }

    /// The mapping as one entry of a YAML list.
    fn as_list_entry(&self) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if line.is_empty() {
                out.push('\n');
                continue;
            }
            out.push_str(if i == 0 { "- " } else { "  " });
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

/// The real Stadtteil boundaries of the example portal (OpenStreetMap, ODbL), so the
/// synthetic portal has maps like a real one.
const GRENZEN: &str = include_str!("../content/daten/stadtteile.geojson");

fn grenzen() -> std::collections::HashMap<String, geo::MultiPolygon<f64>> {
    let Ok(geojson::GeoJson::FeatureCollection(c)) = GRENZEN.parse::<geojson::GeoJson>() else {
        return Default::default();
    };
    c.features
        .into_iter()
        .filter_map(|f| {
            let name = f.property("name")?.as_str()?.to_string();
            let form = geo::MultiPolygon::<f64>::try_from(&f.geometry?.value).ok()?;
            Some((name, form))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Every file below `root` with its content, by relative path.
    fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("readable"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(root)
                    .expect("below root")
                    .to_path_buf();
                (rel, std::fs::read(e.path()).expect("readable"))
            })
            .collect()
    }

    #[test]
    fn splitmix64_matches_the_reference() {
        // First outputs of splitmix64.c (Vigna) for seed 1234567.
        let mut rng = Rng::new(1_234_567);
        let got: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423
            ]
        );
    }

    #[test]
    fn exports_draw_the_same_portal_deterministically() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let quartier = generate(&tmp.path().join("q"), 60, 9).expect("generated");
        for format in [Format::Hugo, Format::Zola] {
            let a = tmp.path().join(format!("{format:?}-a"));
            let b = tmp.path().join(format!("{format:?}-b"));
            let summary = generate_as(&a, 60, 9, format).expect("generated");
            // Same entities as the quartier portal, other files.
            let counts = |s: &Summary| {
                (
                    s.stadtteile,
                    s.ags,
                    s.sitzungen,
                    s.projekte,
                    s.vorlagen,
                    s.foren,
                    s.seiten,
                    s.bilder,
                )
            };
            assert_eq!(counts(&summary), counts(&quartier), "{format:?}");
            assert!(!a.join("portal.yaml").exists());
            assert!(a.join("config.toml").is_file());
            generate_as(&b, 60, 9, format).expect("generated");
            assert_eq!(files(&a), files(&b), "{format:?}");
            assert_eq!(files(&a).len(), summary.dateien);
        }
    }

    #[test]
    fn amounts_are_written_the_yaml_way() {
        assert_eq!(yaml_euro(150_000), "1500");
        assert_eq!(yaml_euro(69_050), "690.5");
        assert_eq!(yaml_euro(69_005), "690.05");
    }

    #[test]
    fn generates_a_valid_portal_deterministically() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let a = tmp.path().join("a");
        let b = tmp.path().join("b");
        let summary = generate(&a, 200, 42).expect("generated");
        assert_eq!(
            (summary.stadtteile, summary.ags, summary.projekte),
            (40, 20, 200)
        );
        assert_eq!(
            (summary.vorlagen, summary.foren, summary.seiten),
            (20, 10, 5)
        );
        assert_eq!(summary.projektlisten, 3, "2000, 2010 and 2020");
        // 200 = 30 × 6 + 20: the years to 2016 have 7 projects, the later ones 6.
        assert_eq!(summary.projekte_in_listen, 7 + 7 + 6);
        assert_eq!(summary.sitzungen, 20 * 18);

        // Same (N, seed): byte-identical files.
        assert_eq!(generate(&b, 200, 42).expect("generated"), summary);
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), summary.dateien);
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (path, content) in &fa {
            assert!(content == &fb[path], "{} differs", path.display());
        }
        // Another seed: another portal.
        let c = tmp.path().join("c");
        generate(&c, 200, 43).expect("generated");
        assert_ne!(files(&c), fa);
        // A folder that is not empty is refused.
        let err = generate(&a, 10, 1).expect_err("not empty");
        assert_eq!(err.kind(), io::ErrorKind::DirectoryNotEmpty);

        let mut options = crate::Options::new(&a);
        options.out = Some(tmp.path().join("public"));
        options.heute = Some(jiff::civil::date(2026, 11, 25));
        let report = crate::build(&options);
        let problems: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(report.exit_code(), 0);
        assert!(report.written.is_some());
        // Pages for every project, Vorlage, forum, Stadtteil, AG and year at least.
        assert!(
            report.pages > 200 + 20 + 10 + 40 + 20 + 30,
            "{}",
            report.pages
        );
    }
}
