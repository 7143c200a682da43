//! Problems found in a run, reported to editors in German.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem, so
//! one run tells an editor everything that is wrong. A diagnostic carries its location
//! already resolved to file, line and column (with the offending line), so it can be
//! printed without keeping the sources around.

use std::fmt;
use std::io::IsTerminal;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Fehler,
    Warnung,
}

/// Stable codes, so editors and the README can refer to a problem by name.
///
/// `K…` codes concern the portal's configuration (`portal.yaml`, theme, command line)
/// and make the process exit with 2; `E…` codes are content errors (exit 1); `W…` codes
/// are warnings and never fail a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    // Configuration
    PortalYamlFehlt,
    PortalYamlUngueltig,
    ThemeFehlt,
    TemplateFehler,
    AusgabeUngueltig,
    // Reading files
    YamlSyntax,
    FrontMatter,
    KeinUtf8,
    LeereDatei,
    DateiZuGross,
    FalscheStruktur,
    DateiUnlesbar,
    // Fields
    PflichtfeldFehlt,
    FalscherTyp,
    UngueltigesDatum,
    UngueltigeUhrzeit,
    UngueltigerWert,
    UngueltigerSlug,
    UngueltigeKoordinaten,
    AusserhalbDerStadt,
    GeoJsonUngueltig,
    PdfFehler,
    BildFehler,
    // References
    UnbekannterVerweis,
    /// A reference to an entity whose own file has an error: that error is reported,
    /// the reference is not (see [`crate::resolve::Excluded::Defekt`]).
    Folgefehler,
    DoppelterSlug,
    DateiFehlt,
    DateiAusserhalb,
    VorlageDateiname,
    ReservierterPfad,
    AltTextFehlt,
    DefekterLink,
    // Warnings
    UnbekanntesFeld,
    VerweisAufEntwurf,
    UnbekannterOrdner,
    HtmlEscaped,
    BildOhneAlt,
    FremderInhalt,
    LinkEntfernt,
    StadtteilOhneFlaeche,
    FlaecheOhneStadtteil,
    AusserhalbDesStadtteils,
    SkriptInDatei,
    GrenzenOhneQuelle,
    JahrInDerZukunft,
    HtmlEntfernt,
}

impl Code {
    pub fn id(self) -> &'static str {
        use Code::*;
        match self {
            PortalYamlFehlt => "K001",
            PortalYamlUngueltig => "K002",
            ThemeFehlt => "K003",
            TemplateFehler => "K004",
            AusgabeUngueltig => "K005",
            YamlSyntax => "E001",
            FrontMatter => "E002",
            KeinUtf8 => "E003",
            LeereDatei => "E004",
            DateiZuGross => "E005",
            FalscheStruktur => "E006",
            DateiUnlesbar => "E007",
            PflichtfeldFehlt => "E010",
            FalscherTyp => "E011",
            UngueltigesDatum => "E012",
            UngueltigeUhrzeit => "E013",
            UngueltigerWert => "E014",
            UngueltigerSlug => "E015",
            UngueltigeKoordinaten => "E016",
            AusserhalbDerStadt => "E017",
            GeoJsonUngueltig => "E028",
            PdfFehler => "E029",
            BildFehler => "E030",
            UnbekannterVerweis => "E020",
            Folgefehler => "E019",
            DoppelterSlug => "E021",
            DateiFehlt => "E022",
            DateiAusserhalb => "E023",
            VorlageDateiname => "E024",
            ReservierterPfad => "E025",
            AltTextFehlt => "E026",
            DefekterLink => "E027",
            UnbekanntesFeld => "W001",
            VerweisAufEntwurf => "W002",
            UnbekannterOrdner => "W003",
            HtmlEscaped => "W004",
            BildOhneAlt => "W005",
            FremderInhalt => "W007",
            LinkEntfernt => "W008",
            StadtteilOhneFlaeche => "W009",
            FlaecheOhneStadtteil => "W010",
            AusserhalbDesStadtteils => "W011",
            SkriptInDatei => "W012",
            GrenzenOhneQuelle => "W013",
            JahrInDerZukunft => "W014",
            HtmlEntfernt => "W015",
        }
    }

    /// Problems of the configuration rather than of the content (exit code 2).
    pub fn is_configuration(self) -> bool {
        self.id().starts_with('K')
    }

    /// The severity a code is reported with.
    pub fn severity(self) -> Severity {
        if self.id().starts_with('W') {
            Severity::Warnung
        } else {
            Severity::Fehler
        }
    }
}

/// Where a problem is: resolved to what an editor sees in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The whole offending line, without its line break.
    pub source_line: String,
    /// How many characters to underline (at least one).
    pub len: usize,
}

impl Location {
    /// A location that names only a file (for problems about a file as a whole).
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: 0,
            column: 0,
            source_line: String::new(),
            len: 0,
        }
    }

    /// Location of the character range `start..end` (byte offsets) in `text`.
    pub fn in_text(file: impl Into<String>, text: &str, start: usize, end: usize) -> Self {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let len = text[start..end.min(line_end)].chars().count().max(1);
        Location {
            file: file.into(),
            line,
            column,
            source_line: source_line.to_string(),
            len,
        }
    }

    fn has_position(&self) -> bool {
        self.line > 0
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Fehler
    }

    /// Renders the diagnostic as editors see it on the terminal.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Fehler => Level::ERROR.with_name("Fehler"),
            Severity::Warnung => Level::WARNING.with_name("Warnung"),
        };
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.id());
        let mut group = match &self.location {
            Some(loc) if loc.has_position() => {
                let col_byte: usize = loc
                    .source_line
                    .char_indices()
                    .nth(loc.column - 1)
                    .map_or(loc.source_line.len(), |(i, _)| i);
                let end_byte = loc.source_line[col_byte..]
                    .char_indices()
                    .nth(loc.len)
                    .map_or(loc.source_line.len(), |(i, _)| col_byte + i);
                title.element(
                    Snippet::source(loc.source_line.as_str())
                        .line_start(loc.line)
                        .path(loc.file.as_str())
                        .annotation(AnnotationKind::Primary.span(col_byte..end_byte)),
                )
            }
            Some(loc) => title.element(Level::NOTE.with_name("Datei").message(loc.file.as_str())),
            None => annotate_snippets::Group::with_title(title),
        };
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.with_name("Hinweis").message(hint.as_str()));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.decor_style(DecorStyle::Ascii).render(&[group])
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The problems of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_configuration_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.is_error() && d.code.is_configuration())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file and position so that parallel stages report deterministically.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            key(a)
                .cmp(&key(b))
                .then(a.severity.cmp(&b.severity))
                .then(a.code.cmp(&b.code))
                .then(a.message.cmp(&b.message))
        });
        self.items.dedup();
    }

    /// Prints every diagnostic to standard error, coloured when that is a terminal.
    pub fn print(&self) {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        for d in &self.items {
            eprintln!("{}\n", d.render(color));
        }
    }

    /// "2 Fehler, 1 Warnung" in German grammar.
    pub fn summary(&self) -> String {
        let e = self.error_count();
        let w = self.warning_count();
        let errors = format!("{e} Fehler");
        let warnings = if w == 1 {
            "1 Warnung".to_string()
        } else {
            format!("{w} Warnungen")
        };
        match (e, w) {
            (0, 0) => "keine Probleme".to_string(),
            (_, 0) => errors,
            (0, _) => warnings,
            _ => format!("{errors}, {warnings}"),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidate by edit distance, for "meinten Sie …?" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wanted_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// The candidates that have `wanted` as whole hyphen-separated parts, sorted: a slug
/// written without its distinguishing part (`stadtfeld` for `stadtfeld-ost` and
/// `stadtfeld-west`) is too far from each for [`closest`].
pub fn mit_teil<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.trim_matches('-').to_lowercase();
    if wanted.len() < 3 {
        return Vec::new();
    }
    let gesucht = format!("-{wanted}-");
    let mut gefunden: Vec<&str> = candidates
        .into_iter()
        .filter(|c| format!("-{c}-").contains(&gesucht))
        .collect();
    gefunden.sort_unstable();
    gefunden
}

/// "'a'", "'a' oder 'b'", "'a', 'b' oder 'c'": alternatives for a hint.
pub fn oder_liste(namen: &[&str]) -> String {
    let zitiert: Vec<String> = namen.iter().map(|n| format!("'{n}'")).collect();
    match zitiert.split_last() {
        None => String::new(),
        Some((letzter, [])) => letzter.clone(),
        Some((letzter, davor)) => format!("{} oder {letzter}", davor.join(", ")),
    }
}

/// "meinten Sie 'x'?" when a close candidate exists.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|c| format!("meinten Sie '{c}'?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rustc_style_in_german() {
        let text = "titel: Fest\nstadtteile: [sudenbrug]\n";
        let start = text.find("sudenbrug").unwrap();
        let d = Diagnostic::new(
            Code::UnbekannterVerweis,
            "unbekannter Stadtteil 'sudenbrug'",
        )
        .at(Location::in_text(
            "content/projekte/fest.md",
            text,
            start,
            start + 9,
        ))
        .hint("meinten Sie 'sudenburg'?");
        let out = d.render(false);
        assert!(
            out.contains("Fehler[E020]: unbekannter Stadtteil 'sudenbrug'"),
            "{out}"
        );
        assert!(out.contains("--> content/projekte/fest.md:2:14"), "{out}");
        assert!(out.contains("stadtteile: [sudenbrug]"), "{out}");
        assert!(out.contains("^^^^^^^^^"), "{out}");
        assert!(out.contains("Hinweis: meinten Sie 'sudenburg'?"), "{out}");
    }

    #[test]
    fn closest_finds_typos_but_not_strangers() {
        let c = ["sudenburg", "buckau", "cracau"];
        assert_eq!(closest("sudenbrug", c), Some("sudenburg"));
        assert_eq!(closest("Buckau", c), Some("buckau"));
        assert_eq!(closest("olvenstedt", c), None);
    }

    #[test]
    fn a_slug_without_its_distinguishing_part_finds_the_slugs_that_have_it() {
        let c = [
            "stadtfeld-west",
            "stadtfeld-ost",
            "alt-olvenstedt",
            "neu-olvenstedt",
            "ag-gwa-stadtfeld",
            "feld",
        ];
        assert_eq!(
            mit_teil("stadtfeld", c),
            ["ag-gwa-stadtfeld", "stadtfeld-ost", "stadtfeld-west"]
        );
        assert_eq!(
            mit_teil("Olvenstedt", c),
            ["alt-olvenstedt", "neu-olvenstedt"]
        );
        // Parts, not substrings; and nothing for a fragment too short to mean anything.
        assert!(mit_teil("stadt", c).is_empty());
        assert!(mit_teil("ag", c).is_empty());
        assert_eq!(oder_liste(&["a", "b", "c"]), "'a', 'b' oder 'c'");
        assert_eq!(oder_liste(&["a"]), "'a'");
    }

    #[test]
    fn location_counts_characters_not_bytes() {
        let text = "name: Neustädter Sée\n";
        let start = text.find("Sée").unwrap();
        let loc = Location::in_text("x.yaml", text, start, start + "Sée".len());
        assert_eq!((loc.line, loc.column, loc.len), (1, 18, 3));
    }
}
