//! Problems found in a run, reported to editors in German.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem, so
//! one run tells an editor everything that is wrong. A diagnostic carries its location
//! already resolved to file, line and column (with the offending line), so it can be
//! printed without keeping the sources around.

use std::fmt;
use std::io::IsTerminal;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

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
        Self::locate(file, text, None, start, end)
    }

    /// [`Location::in_text`] for one of many problems in the same text: counting the
    /// lines before each of them again made a text with thousands of broken links
    /// quadratic.
    pub fn in_text_mit(
        file: impl Into<String>,
        text: &str,
        zeilen: &Zeilen,
        start: usize,
        end: usize,
    ) -> Self {
        Self::locate(file, text, Some(zeilen), start, end)
    }

    fn locate(
        file: impl Into<String>,
        text: &str,
        zeilen: Option<&Zeilen>,
        start: usize,
        end: usize,
    ) -> Self {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let (line, line_start) = match zeilen {
            Some(z) => z.line_of(start),
            None => {
                // Bytes, not chars: a plain byte loop is vectorised, `matches('\n')`
                // was not.
                let before = &text.as_bytes()[..start];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                (line, text[..start].rfind('\n').map_or(0, |i| i + 1))
            }
        };
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let source_line = text[line_start..line_end].trim_end_matches('\r');
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

/// Where the lines of one text start, computed once for all problems in it.
#[derive(Debug)]
pub struct Zeilen(Vec<usize>);

impl Zeilen {
    pub fn of(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Zeilen(starts)
    }

    /// The 1-based line of byte `at`, and the byte its line starts at.
    fn line_of(&self, at: usize) -> (usize, usize) {
        let line = self.0.partition_point(|&s| s <= at);
        (line, self.0[line - 1])
    }
}

/// A rendered line without its ANSI colour sequences (`ESC [ … m`).
fn ohne_farben(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        rest = rest[i..].find('m').map_or("", |m| &rest[i + m + 1..]);
    }
    out.push_str(rest);
    out
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The part of a source line a diagnostic shows, and where its underline goes.
///
/// annotate-snippets lays out the whole line it is given, so a diagnostic on a long
/// line (a Markdown paragraph or JSON export on one line, with hundreds of problems
/// on it) cost time in the line's length, and all of them together the square. A long
/// line is therefore cut to a window around the underline, marked with '…'.
struct Ausschnitt<'l> {
    text: std::borrow::Cow<'l, str>,
    /// Byte range of the underline in `text`.
    span: std::ops::Range<usize>,
    cut: bool,
}

/// Lines up to this many bytes are shown whole.
const LANGE_ZEILE: usize = 200;
/// Characters shown on either side of the underline in a long line, and at most of the
/// underline itself.
const UMFELD: usize = 80;

impl<'l> Ausschnitt<'l> {
    /// `column` counts characters from 0, `len` characters.
    fn of(line: &'l str, column: usize, len: usize) -> Self {
        let nach = |from: usize, n: usize| {
            line[from..]
                .char_indices()
                .nth(n)
                .map_or(line.len(), |(i, _)| from + i)
        };
        let col_byte = nach(0, column);
        if line.len() <= LANGE_ZEILE {
            return Ausschnitt {
                text: line.into(),
                span: col_byte..nach(col_byte, len),
                cut: false,
            };
        }
        let end_byte = nach(col_byte, len.min(UMFELD));
        let from = line[..col_byte]
            .char_indices()
            .rev()
            .nth(UMFELD - 1)
            .map_or(0, |(i, _)| i);
        let to = nach(end_byte, UMFELD);
        let davor = if from > 0 { "…" } else { "" };
        let danach = if to < line.len() { "…" } else { "" };
        let shift = davor.len() + col_byte - from;
        Ausschnitt {
            text: format!("{davor}{}{danach}", &line[from..to]).into(),
            span: shift..shift + end_byte - col_byte,
            cut: true,
        }
    }
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
        let mut cut = false;
        let mut group = match &self.location {
            Some(loc) if loc.has_position() => {
                let shown = Ausschnitt::of(&loc.source_line, loc.column - 1, loc.len);
                let snippet = Snippet::source(shown.text)
                    .line_start(loc.line)
                    .annotation(AnnotationKind::Primary.span(shown.span));
                if shown.cut {
                    // annotate-snippets would take the column for `-->` from the cut
                    // line, so the real one is given separately; the snippet without a
                    // path then counts as a second file, introduced by a bare ":::" line
                    // that `render` removes.
                    cut = true;
                    title
                        .element(
                            Origin::path(loc.file.as_str())
                                .line(loc.line)
                                .char_column(loc.column),
                        )
                        .element(snippet)
                } else {
                    title.element(snippet.path(loc.file.as_str()))
                }
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
        let out = renderer.decor_style(DecorStyle::Ascii).render(&[group]);
        if !cut {
            return out;
        }
        out.split('\n')
            .filter(|line| ohne_farben(line).trim() != ":::")
            .collect::<Vec<_>>()
            .join("\n")
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
    fn a_problem_in_a_long_line_shows_a_window_of_it() {
        let before = "ä".repeat(50_000);
        let text = format!("titel: x\n{before}[kaputt]{}\n", "b".repeat(50_000));
        let start = text.find("[kaputt]").unwrap();
        let loc = Location::in_text("content/seiten/x.md", &text, start, start + 8);
        let d = Diagnostic::new(Code::DefekterLink, "kaputt").at(loc);
        let out = d.render(false);
        assert!(out.contains("--> content/seiten/x.md:2:50001"), "{out}");
        let snippet = out.lines().find(|l| l.contains("[kaputt]")).expect(&out);
        assert!(snippet.chars().count() < 300, "{out}");
        // The renderer itself may shorten the right end further to fit a terminal.
        assert!(
            snippet.starts_with("2 | …ä") && snippet.contains("[kaputt]bbb"),
            "{out}"
        );
        let underline = out.lines().find(|l| l.contains('^')).expect(&out);
        let at = |l: &str, s: &str| l[..l.find(s).unwrap()].chars().count();
        assert_eq!(at(underline, "^^^^^^^^"), at(snippet, "[kaputt]"), "{out}");
        assert!(!underline.contains("^^^^^^^^^"), "{out}");
        // Laid out as for a short line, also in colour.
        for out in [out, d.render(true)] {
            let lines: Vec<String> = out.lines().map(ohne_farben).collect();
            assert_eq!(lines[1], " --> content/seiten/x.md:2:50001", "{out}");
            assert_eq!(lines[2], "  |", "{out}");
            assert!(lines[3].starts_with("2 | …"), "{out}");
            assert!(!out.contains(":::"), "{out}");
        }
    }

    #[test]
    fn the_window_is_cut_only_where_the_line_goes_on() {
        let line = format!("[kaputt]{}", "b".repeat(300));
        let a = Ausschnitt::of(&line, 0, 8);
        assert!(a.cut && a.text.starts_with("[kaputt]") && a.text.ends_with('…'));
        assert_eq!(&a.text[a.span.clone()], "[kaputt]");
        let line = format!("{}[kaputt]", "ö".repeat(300));
        let a = Ausschnitt::of(&line, 300, 8);
        assert!(a.text.starts_with('…') && a.text.ends_with("ö[kaputt]"));
        assert_eq!(&a.text[a.span.clone()], "[kaputt]");
        assert_eq!(a.text.chars().count(), 1 + UMFELD + 8);
        // An underline to the end of a long line is shortened too.
        let a = Ausschnitt::of(&line, 10, 10_000);
        assert_eq!(a.text[a.span.clone()].chars().count(), UMFELD);
        let short = "titel: [kaputt]";
        let a = Ausschnitt::of(short, 7, 8);
        assert!(!a.cut);
        assert_eq!(&a.text[a.span], "[kaputt]");
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
    fn locations_with_a_line_index_are_the_same() {
        let text = "titel: Fest\r\n\nname: Neustädter Sée\n\nende";
        let zeilen = Zeilen::of(text);
        for start in 0..=text.len() + 2 {
            for len in [0, 1, 5] {
                assert_eq!(
                    Location::in_text_mit("x.md", text, &zeilen, start, start + len),
                    Location::in_text("x.md", text, start, start + len),
                    "{start}"
                );
            }
        }
    }

    #[test]
    fn location_counts_characters_not_bytes() {
        let text = "name: Neustädter Sée\n";
        let start = text.find("Sée").unwrap();
        let loc = Location::in_text("x.yaml", text, start, start + "Sée".len());
        assert_eq!((loc.line, loc.column, loc.len), (1, 18, 3));
    }
}
