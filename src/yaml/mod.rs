//! YAML as editors write it: parsing with serde_yaml, German syntax errors that point at
//! the right line of the file, and typed reading of fields ([`Fields`]).

mod fields;
mod kompakt;
mod positions;
mod vorrat;

use std::sync::{Arc, OnceLock};

use serde_yaml::Value;

pub use fields::{Fields, FromYaml, Problem, Sink, describe};
pub use kompakt::{Art, Kompakt};
use positions::Positions;
pub use positions::{Part, Seg};
pub use vorrat::Vorrat;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::SourceFile;

/// A YAML document (a whole `.yaml` file or a front matter block) that can point at any
/// of its keys and values. Its value is not kept here: see [`Kompakt`].
pub struct Doc {
    pub file: Arc<SourceFile>,
    /// Byte range of the YAML text within the file.
    start: usize,
    end: usize,
    positions: OnceLock<Positions>,
}

/// Without the positions, a cache that is filled only when a diagnostic needs a line.
impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc")
            .field("file", &self.file.rel)
            .field("start", &self.start)
            .field("end", &self.end)
            .finish_non_exhaustive()
    }
}

impl Doc {
    /// Parses `file.text[start..end]`. A syntax error is reported at its line in the file.
    pub fn parse(
        file: Arc<SourceFile>,
        start: usize,
        end: usize,
    ) -> Result<(Doc, Value), Box<Diagnostic>> {
        let text = &file.text[start..end];
        if let Some(at) = zu_tief_in_klammern(text) {
            return Err(Box::new(
                Diagnostic::new(Code::YamlSyntax, "YAML ist zu tief verschachtelt")
                    .at(Location::in_text(
                        file.rel.as_str(),
                        &file.text,
                        start + at,
                        start + at + 1,
                    ))
                    .hint("Inhalte dürfen höchstens 128 Ebenen tief verschachtelt sein; prüfen Sie, ob jede '[' und '{' wieder geschlossen wird."),
            ));
        }
        match serde_yaml::from_str::<Value>(text) {
            Ok(value) => Ok((Doc::ohne_wert(file, start, end), value)),
            Err(err) => Err(Box::new(syntax_error(&file, start, end, &err))),
        }
    }

    /// [`Doc::parse`], the value also as [`Kompakt`].
    pub fn parse_kompakt(
        file: Arc<SourceFile>,
        start: usize,
        end: usize,
    ) -> Result<Geparst, Box<Diagnostic>> {
        let (doc, value) = Doc::parse(file, start, end)?;
        match Kompakt::aus(&value) {
            Some(felder) => Ok(Geparst {
                doc,
                felder,
                baum: Some(value),
            }),
            // serde_yaml refuses such depths already; this is only for completeness.
            None => Err(Box::new(
                Diagnostic::new(Code::YamlSyntax, "YAML ist zu tief verschachtelt")
                    .at(doc.locate(&[], Part::Value))
                    .hint("Inhalte dürfen höchstens 128 Ebenen tief verschachtelt sein."),
            )),
        }
    }

    /// The document of `file.text[start..end]`, for a caller that has its value (parsed,
    /// or from the store of an earlier build, see [`Vorrat`]).
    fn ohne_wert(file: Arc<SourceFile>, start: usize, end: usize) -> Doc {
        Doc {
            file,
            start,
            end,
            positions: OnceLock::new(),
        }
    }

    fn text(&self) -> &str {
        &self.file.text[self.start..self.end]
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| Positions::build(self.text()))
    }

    /// The text of the value at `path` as the editor typed it (a scalar's, without its
    /// quotes); `None` where it has no position of its own.
    pub fn quelltext(&self, path: &[Seg]) -> Option<&str> {
        // A field written the usual way is found by looking at the lines: positions cost
        // a second parse of the document, of a whole list file for one of its entries.
        if let Some(wert) = zeilenwert(self.text(), path) {
            return Some(wert);
        }
        let e = self.positions().exakt(path)?;
        self.text().get(e.0..e.0 + e.1)
    }

    /// Where the key or value at `path` is, for a diagnostic. Falls back to the nearest
    /// enclosing node that has a position.
    pub fn locate(&self, path: &[Seg], part: Part) -> Location {
        let (offset, len) = self.positions().find(path, part).unwrap_or((0, 1));
        let at = self.start + offset;
        Location::in_text(self.file.rel.as_str(), &self.file.text, at, at + len)
    }
}

/// A document as loading gets it: its value as [`Kompakt`], and also as serde_yaml's
/// tree when its text was parsed just now rather than taken from the store, so that a
/// YAML list is split from that tree instead of being read back from its bytes.
pub struct Geparst {
    pub doc: Doc,
    pub felder: Kompakt,
    pub baum: Option<Value>,
}

/// `text` as a YAML double-quoted string, for files quartier writes (`quartier new`).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Turns serde_yaml's (libyaml's) English messages into German ones with hints.
/// serde_yaml's recursion limit: the 128th level is refused.
const MAX_TIEFE: usize = 128;

/// Where `text` opens its 128th nested flow collection (`[` or `{`), if it does: there
/// serde_yaml would stop with "recursion limit exceeded".
///
/// serde_yaml reads all events of a document before its recursion limit applies, and
/// libyaml's scanner takes time quadratic in the depth of open brackets (found by
/// fuzzing: 15,000 `[` took four seconds, a megabyte of them would take hours), so the
/// depth is checked first. An estimate from above of what libyaml opens: outside quotes
/// and comments, a bracket inside brackets, or one that starts a value.
fn zu_tief_in_klammern(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut tiefe = 0usize;
    let mut i = 0;
    // A token may start here: at the start of a line or after a space, and inside
    // brackets also right after an indicator.
    let beginnt = |i: usize, tiefe: usize| {
        i == 0
            || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r')
            || tiefe > 0 && matches!(bytes[i - 1], b'[' | b'{' | b',' | b':' | b'?')
    };
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' if tiefe > 0 || beginnt(i, tiefe) => {
                tiefe += 1;
                if tiefe >= MAX_TIEFE {
                    return Some(i);
                }
            }
            b']' | b'}' if tiefe > 0 => tiefe -= 1,
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i = memchr_newline(bytes, i);
                continue;
            }
            q @ (b'"' | b'\'') if beginnt(i, tiefe) => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if q == b'"' && bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The plain value of `feld: wert` at `path`, for a field at the top of a document
/// (`[feld]`, a line `feld: wert`) or of an entry of a list file (`[n, feld]`: entries
/// begin with `- ` in the first column, their fields are indented by two spaces), without
/// a comment after it; `None` where the text is written otherwise.
fn zeilenwert<'t>(text: &'t str, path: &[Seg]) -> Option<&'t str> {
    let (eintrag, key) = match path {
        [Seg::Key(k)] => (None, k.as_str()),
        [Seg::Index(i), Seg::Key(k)] => (Some(*i), k.as_str()),
        _ => return None,
    };
    let wert = |zeile: &'t str| -> Option<&'t str> {
        let w = zeile.strip_prefix(key)?.strip_prefix(':')?;
        let w = w.split(" #").next().unwrap_or(w).trim();
        (!w.is_empty()).then_some(w)
    };
    let Some(gesucht) = eintrag else {
        return text.lines().find_map(wert);
    };
    let mut nummer: Option<usize> = None;
    for zeile in text.lines() {
        if let Some(rest) = zeile.strip_prefix("- ") {
            let n = nummer.map_or(0, |n| n + 1);
            nummer = Some(n);
            if n == gesucht
                && let Some(w) = wert(rest)
            {
                return Some(w);
            }
        } else if nummer == Some(gesucht) {
            if let Some(w) = zeile.strip_prefix("  ").and_then(wert) {
                return Some(w);
            }
        } else if nummer.is_some_and(|n| n > gesucht) {
            break;
        }
    }
    None
}

/// A quoted value that goes wrong on its own line (see [`anfuehrung_vor`]).
#[derive(Debug, PartialEq)]
enum Anfuehrung {
    /// The quote at this offset is not closed on its line.
    Offen(usize),
    /// The quote at this offset closes the value, and more text follows (`'Ludwig's Verein'`).
    TextDahinter(usize),
}

/// The first value before offset `bis` that begins with a quote and goes wrong on its
/// line. Editors write one value per line: a quote still open at the end of it is
/// almost always a missing one (YAML itself would read on to the next quote).
fn anfuehrung_vor(text: &str, bis: usize) -> Option<Anfuehrung> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > bis {
            break;
        }
        let zeile = line.trim_end_matches(['\n', '\r']);
        let ohne_einzug = zeile.trim_start();
        let einzug = zeile.len() - ohne_einzug.len();
        // The value of `feld: wert` or of a list entry `- wert`.
        let wert_ab = if let Some(rest) = ohne_einzug.strip_prefix("- ") {
            Some(einzug + 2 + (rest.len() - rest.trim_start().len()))
        } else if !ohne_einzug.starts_with('#') {
            ohne_einzug.find(": ").map(|p| {
                let rest = &ohne_einzug[p + 2..];
                einzug + p + 2 + (rest.len() - rest.trim_start().len())
            })
        } else {
            None
        };
        if let Some(ab) = wert_ab
            && let Some(q @ (b'"' | b'\'')) = zeile.as_bytes().get(ab).copied()
        {
            let b = zeile.as_bytes();
            let mut i = ab + 1;
            let mut zu = None;
            while i < b.len() {
                match b[i] {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                    c if c == q => {
                        zu = Some(i);
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            match zu {
                None => return Some(Anfuehrung::Offen(offset + ab)),
                Some(z) => {
                    let danach = zeile[z + 1..].trim_start();
                    if !danach.is_empty() && !danach.starts_with('#') {
                        return Some(Anfuehrung::TextDahinter(offset + z));
                    }
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The index of the next line break from `i` (or the end).
fn memchr_newline(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

fn syntax_error(
    file: &SourceFile,
    start: usize,
    end: usize,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let raw = err.to_string();
    let text = &file.text[start..end];
    let mut at = err.location().map_or(0, |l| l.index()).min(text.len());
    let detail = raw.split(" at line ").next().unwrap_or(&raw).to_string();
    // "…, while scanning a quoted scalar at line 1 column 4": where the construct began.
    let context_at = raw.split("while ").nth(1).and_then(|ctx| {
        let pos = ctx.split(" at line ").nth(1)?;
        let (line, col) = pos.split_once(" column ")?;
        let line: usize = line.trim().parse().ok()?;
        let col: usize = col
            .trim()
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?;
        let line_start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        Some((line_start + col - 1).min(text.len()))
    });
    let char_at = text[at..].chars().next();
    let (message, hint): (String, Option<String>) = if detail.contains("tab character")
        || char_at == Some('\t')
    {
        (
            "Tabulator in der Einrückung".into(),
            Some("YAML erlaubt zum Einrücken nur Leerzeichen: ersetzen Sie den Tabulator durch Leerzeichen.".into()),
        )
    } else if detail.starts_with("mapping values are not allowed") {
        (
            "Doppelpunkt an unerwarteter Stelle".into(),
            Some("Enthält ein Wert einen Doppelpunkt, setzen Sie ihn in Anführungszeichen, z. B. titel: \"Fest: Sommer\"; oder die Zeile ist zu weit eingerückt.".into()),
        )
    } else if detail.starts_with("did not find expected ',' or ']'") {
        at = context_at.unwrap_or(at);
        (
            "Liste in eckigen Klammern ist nicht geschlossen".into(),
            Some("Schließen Sie die Liste mit ']', z. B. stadtteile: [sudenburg, buckau]".into()),
        )
    } else if detail.starts_with("did not find expected ',' or '}'") {
        at = context_at.unwrap_or(at);
        (
            "geschweifte Klammer ist nicht geschlossen".into(),
            Some("Schließen Sie den Eintrag mit '}'.".into()),
        )
    } else if detail.contains("end of stream") && raw.contains("quoted scalar") {
        at = context_at.unwrap_or(at);
        (
            "Anführungszeichen werden nicht geschlossen".into(),
            Some("Setzen Sie am Ende des Werts das passende Anführungszeichen.".into()),
        )
    } else if (detail.starts_with("did not find expected key")
        || detail.starts_with("could not find expected ':'"))
        && let Some(anfuehrung) = anfuehrung_vor(text, at)
    {
        // A quote left open makes YAML read on to the next quote, lines later, and stumble
        // there; the cause is where the quote opened.
        match anfuehrung {
            Anfuehrung::Offen(i) => {
                at = i;
                (
                    "Anführungszeichen werden nicht geschlossen".into(),
                    Some("Setzen Sie am Ende des Werts das passende Anführungszeichen.".into()),
                )
            }
            Anfuehrung::TextDahinter(i) => {
                at = i;
                (
                    "Text nach dem schließenden Anführungszeichen".into(),
                    Some("Ein Apostroph in einem Wert in einfachen Anführungszeichen wird verdoppelt ('Ludwig''s Verein'); oder setzen Sie den Wert in doppelte Anführungszeichen.".into()),
                )
            }
        }
    } else if detail.starts_with("did not find expected key")
        || detail.starts_with("could not find expected ':'")
    {
        (
            "Einrückung stimmt nicht oder ':' fehlt".into(),
            Some("Jede Zeile braucht die Form 'feld: wert'; Felder derselben Ebene beginnen in derselben Spalte.".into()),
        )
    } else if detail.starts_with("did not find expected '-' indicator") {
        (
            "Listeneintrag erwartet".into(),
            Some("In einer Liste beginnt jeder Eintrag mit '- ' in derselben Spalte.".into()),
        )
    } else if let Some((_, key)) = detail.split_once("duplicate entry with key ") {
        // "duplicate entry with key …" at the top, "ort: duplicate entry …" further in.
        let key = key.trim_matches('"');
        if let Some(dup) = positions::find_duplicate_key(text, key) {
            at = dup;
        }
        (
            format!("Feld '{key}' kommt doppelt vor"),
            Some("Jedes Feld darf nur einmal vorkommen: löschen Sie eines der beiden.".into()),
        )
    } else if detail.starts_with("found character that cannot start any token") {
        let c = char_at.map(String::from).unwrap_or_default();
        (
            format!("Zeichen '{c}' kann keinen Wert beginnen"),
            Some(format!(
                "Setzen Sie Werte, die mit '{c}' beginnen, in Anführungszeichen."
            )),
        )
    } else if detail.contains("more than one document") {
        // A second document starts at a line '---' (or ends with '...').
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_end();
            if offset > 0 && (t == "---" || t.starts_with("--- ") || t == "...") {
                at = offset;
                break;
            }
            offset += line.len();
        }
        (
            "die Datei enthält mehr als ein YAML-Dokument".into(),
            Some("Eine Zeile '---' trennt YAML-Dokumente: löschen Sie sie. Mehrere Einträge in einer Datei schreiben Sie als Liste, jeder Eintrag beginnt mit '- '.".into()),
        )
    } else if detail.contains("recursion limit exceeded") {
        (
            "YAML ist zu tief verschachtelt".into(),
            Some("Inhalte dürfen höchstens 128 Ebenen tief verschachtelt sein.".into()),
        )
    } else if detail.contains("repetition limit exceeded") {
        (
            "zu viele Wiederholungen durch Anker und Aliase (*)".into(),
            Some(
                "Verwenden Sie Aliase sparsam; diese Datei würde sich beim Lesen vervielfachen."
                    .into(),
            ),
        )
    } else if detail.contains("unknown anchor") || detail.contains("undefined alias") {
        (
            "Alias (*) verweist auf einen unbekannten Anker (&)".into(),
            Some("Beginnt ein Wert mit '*', setzen Sie ihn in Anführungszeichen.".into()),
        )
    } else if detail.contains("u128")
        || detail.contains("i128")
        || detail.contains("number too large")
    {
        (
            "Zahl ist zu groß".into(),
            Some(
                "Prüfen Sie die Zahl; Beträge und Anzahlen haben selten mehr als zehn Stellen."
                    .into(),
            ),
        )
    } else if detail.contains("control characters")
        || detail.contains("invalid") && detail.contains("character")
    {
        // libyaml points at the start of the document: show the character itself.
        if let Some(i) = text.find(|c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            at = i;
        }
        (
            "unzulässiges Steuerzeichen".into(),
            Some("Entfernen Sie unsichtbare Steuerzeichen (oft aus kopiertem Text).".into()),
        )
    } else {
        (
            format!("YAML-Syntaxfehler ({detail})"),
            Some("Prüfen Sie diese Zeile: Felder als 'feld: wert', eingerückt mit Leerzeichen; Texte mit Sonderzeichen (: # [ ] { } & * ! | > ' \" %) in Anführungszeichen.".into()),
        )
    };
    let at = start + at;
    Diagnostic::new(Code::YamlSyntax, message)
        .at(Location::in_text(file.rel.as_str(), &file.text, at, at + 1))
        .hint_opt(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            rel: "content/x.md".into(),
            text: text.into(),
        })
    }

    #[test]
    fn syntax_errors_point_at_the_file_line_not_the_front_matter_line() {
        let text = "---\ntitel: Fest\nstadtteile: [a, b\njahr: 2025\n---\nText\n";
        let start = 4;
        let end = text.find("---\nText").unwrap();
        let err = Doc::parse(file(text), start, end).unwrap_err();
        let loc = err.location.as_ref().unwrap();
        assert_eq!(err.code, Code::YamlSyntax);
        assert_eq!((loc.line, loc.column), (3, 13), "{err}");
        assert!(err.message.contains("nicht geschlossen"));
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let text = format!("name: {}\n", "[".repeat(100_000));
        let err = Doc::parse(file(&text), 0, text.len()).unwrap_err();
        let loc = err.location.as_ref().unwrap();
        assert_eq!(err.code, Code::YamlSyntax);
        assert!(err.message.contains("zu tief"), "{err}");
        assert_eq!((loc.line, loc.column), (1, 7 + 127));
        // Brackets in quotes, comments and plain text do not count.
        let text = format!(
            "a: \"{0}\"\nb: '{0}'\n# {0}\nc: x{0}\nd: [[1], {{e: [2]}}]\n",
            "[".repeat(200)
        );
        let (_, value) = Doc::parse(file(&text), 0, text.len()).unwrap();
        assert!(value.get("d").is_some());
        assert_eq!(zu_tief_in_klammern(&"[".repeat(127)), None);
    }

    #[test]
    fn a_quote_left_open_is_found_where_it_opens_not_where_yaml_stumbles() {
        for (text, zeile, spalte, teil) in [
            (
                "titel: \"Kiezfest 2026\njahr: 2026\ntraeger: \"Verein\"\nbeteiligte: 5\n",
                1,
                8,
                "nicht geschlossen",
            ),
            (
                "titel: Fest\ntraeger: 'Ludwig's Verein'\njahr: 2026\n",
                2,
                17,
                "Text nach dem schließenden",
            ),
        ] {
            let err = Doc::parse(file(text), 0, text.len()).unwrap_err();
            let loc = err.location.as_ref().unwrap();
            assert_eq!((loc.line, loc.column), (zeile, spalte), "{err}");
            assert!(err.message.contains(teil), "{err}");
        }
        // Quotes that close, escaped quotes and doubled apostrophes are no problem.
        let gut = "a: \"x \\\" y\"\nb: 'Ludwig''s'\nc: \"z\" # Kommentar\n- \"w\"\n";
        assert_eq!(anfuehrung_vor(gut, gut.len()), None);
    }

    #[test]
    fn a_value_is_found_on_its_line_in_a_file_and_in_a_list_entry() {
        let key = |k: &str| Seg::Key(k.into());
        let text = "titel: Fest # Kommentar\nbetrag: 2.400\n";
        assert_eq!(zeilenwert(text, &[key("betrag")]), Some("2.400"));
        assert_eq!(zeilenwert(text, &[key("titel")]), Some("Fest"));
        let liste = "# Liste\n- titel: A\n  betrag: 1.5\n  text: |\n    - betrag: 9\n- betrag: 2.400\n  titel: B\n";
        assert_eq!(
            zeilenwert(liste, &[Seg::Index(0), key("betrag")]),
            Some("1.5")
        );
        assert_eq!(
            zeilenwert(liste, &[Seg::Index(1), key("betrag")]),
            Some("2.400")
        );
        assert_eq!(zeilenwert(liste, &[Seg::Index(1), key("titel")]), Some("B"));
        assert_eq!(zeilenwert(liste, &[Seg::Index(2), key("titel")]), None);
        // Deeper fields are left to the positions.
        assert_eq!(
            zeilenwert(liste, &[Seg::Index(0), key("ort"), key("lat")]),
            None
        );
    }

    #[test]
    fn tabs_get_a_hint() {
        let text = "titel: Fest\n\tjahr: 2025\n";
        let err = Doc::parse(file(text), 0, text.len()).unwrap_err();
        assert_eq!(err.location.as_ref().unwrap().line, 2);
        assert!(err.hint.as_deref().unwrap().contains("Leerzeichen"));
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let text = "titel: A\njahr: 2025\ntitel: B\n";
        let err = Doc::parse(file(text), 0, text.len()).unwrap_err();
        assert_eq!(err.location.as_ref().unwrap().line, 3, "{err}");
        assert!(err.message.contains("'titel'"));
    }

    #[test]
    fn locates_nested_values() {
        let text = "---\ntitel: Fest\nstadtteile:\n  - buckau\n  - sudenbrug\nort: {lat: 52.1, lon: 11.6}\n---\n";
        let (doc, _) = Doc::parse(file(text), 4, text.len() - 4).unwrap();
        let loc = doc.locate(&[Seg::Key("stadtteile".into()), Seg::Index(1)], Part::Value);
        assert_eq!((loc.line, loc.column, loc.len), (5, 5, 9));
        let loc = doc.locate(
            &[Seg::Key("ort".into()), Seg::Key("lon".into())],
            Part::Value,
        );
        assert_eq!((loc.line, loc.column), (6, 23));
        let loc = doc.locate(&[Seg::Key("ort".into()), Seg::Key("lon".into())], Part::Key);
        assert_eq!((loc.line, loc.column), (6, 18));
    }
}
