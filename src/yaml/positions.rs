//! Where keys and values are in a YAML text.
//!
//! serde_yaml yields values without positions, so when a diagnostic needs one, the text
//! is read a second time with saphyr-parser's event stream, which carries a marker for
//! every node. This happens only for documents that have a problem.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, Span};

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Which part of a mapping entry to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Key,
    Value,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Option<(usize, usize)>,
    value: (usize, usize),
}

/// Byte offsets (and lengths) of every node, by path.
#[derive(Debug, Default)]
pub struct Positions {
    nodes: HashMap<Vec<Seg>, Entry>,
}

impl Positions {
    pub fn build(text: &str) -> Positions {
        let mut b = Builder::new(text, None);
        b.run();
        Positions { nodes: b.nodes }
    }

    /// The byte offset and length of the value at `path` itself.
    pub fn exakt(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.nodes.get(path).map(|e| e.value)
    }

    /// The byte offset and length of the node at `path`, or of its nearest ancestor.
    pub fn find(&self, path: &[Seg], part: Part) -> Option<(usize, usize)> {
        (0..=path.len()).rev().find_map(|n| {
            let e = self.nodes.get(&path[..n])?;
            let span = match part {
                Part::Key if n == path.len() => e.key.unwrap_or(e.value),
                _ => e.value,
            };
            Some(span)
        })
    }
}

/// The byte offset of the second occurrence of `key` in one mapping.
pub fn find_duplicate_key(text: &str, key: &str) -> Option<usize> {
    let mut b = Builder::new(text, Some(key));
    b.run();
    b.duplicate
}

struct Builder<'t> {
    text: &'t str,
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    line_starts: Vec<usize>,
    /// Whether every character is one byte, so that columns are byte offsets.
    ascii: bool,
    /// The last marker converted to a byte offset, to walk on from.
    cursor: Option<Cursor>,
    nodes: HashMap<Vec<Seg>, Entry>,
    duplicate_of: Option<&'t str>,
    duplicate: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Cursor {
    line: usize,
    col: usize,
    byte: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, duplicate_of: Option<&'t str>) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Builder {
            text,
            parser: Parser::new_from_str(text),
            line_starts,
            ascii: text.is_ascii(),
            cursor: None,
            nodes: HashMap::new(),
            duplicate_of,
            duplicate: None,
        }
    }

    fn next(&mut self) -> Option<(Event<'t>, Span)> {
        self.parser.next_event()?.ok()
    }

    /// Byte offset of a marker (saphyr counts characters; lines are 1-based).
    fn byte(&mut self, span: &Span) -> (usize, usize) {
        let start = self.offset(span.start.line(), span.start.col());
        let end = self.offset(span.end.line(), span.end.col()).max(start + 1);
        (start, end - start)
    }

    /// The byte offset of character `col` of `line`, as walking the characters from
    /// the line start gives it. Walking from the line start for every node made a document written as
    /// one long line (a JSON export) quadratic, so ASCII text is indexed directly and
    /// other text walks on from the previous marker, which is nearly always on the same
    /// line a little further on. Saphyr's `Marker::index` would be a character index
    /// into the whole text, no help in finding a byte.
    fn offset(&mut self, line: usize, col: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        if self.ascii {
            return (start + col).min(self.text.len());
        }
        let (from, skip) = match self.cursor {
            Some(c) if c.line == line && c.col <= col => (c.byte, col - c.col),
            _ => (start, col),
        };
        match self.text[from..].char_indices().nth(skip) {
            Some((i, _)) => {
                self.cursor = Some(Cursor {
                    line,
                    col,
                    byte: from + i,
                });
                from + i
            }
            None => self.text.len(),
        }
    }

    fn run(&mut self) {
        let mut path = Vec::new();
        while let Some((event, span)) = self.next() {
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart(_) | Event::DocumentEnd | Event::StreamStart => {}
                other => {
                    self.node(&mut path, other, span, None);
                    break;
                }
            }
        }
    }

    fn node(
        &mut self,
        path: &mut Vec<Seg>,
        event: Event<'t>,
        span: Span,
        key: Option<(usize, usize)>,
    ) {
        let mut value = self.byte(&span);
        if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
            value.1 = 1;
        }
        self.nodes.insert(path.clone(), Entry { key, value });
        match event {
            Event::SequenceStart(..) => {
                let mut i = 0;
                while let Some((e, s)) = self.next() {
                    if matches!(e, Event::SequenceEnd) {
                        break;
                    }
                    path.push(Seg::Index(i));
                    self.node(path, e, s, None);
                    path.pop();
                    i += 1;
                }
            }
            Event::MappingStart(..) => {
                let mut seen = HashSet::new();
                while let Some((k, ks)) = self.next() {
                    if matches!(k, Event::MappingEnd) {
                        break;
                    }
                    let key_span = self.byte(&ks);
                    let name = match &k {
                        Event::Scalar(name, ..) => Some(name.to_string()),
                        _ => {
                            // A complex key: walk over it without recording.
                            self.node(&mut vec![Seg::Key("\u{0}".into())], k, ks, None);
                            None
                        }
                    };
                    if let (Some(name), Some(dup)) = (&name, self.duplicate_of)
                        && name == dup
                        && !seen.insert(name.clone())
                        && self.duplicate.is_none()
                    {
                        self.duplicate = Some(key_span.0);
                    }
                    let Some((v, vs)) = self.next() else { break };
                    path.push(Seg::Key(name.unwrap_or_default()));
                    self.node(path, v, vs, Some(key_span));
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain conversion the fast paths must agree with.
    fn walk(text: &str, line: usize, col: usize) -> usize {
        let start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let rest = &text[start.min(text.len())..];
        start + rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i)
    }

    fn compare(text: &str) {
        let lines = text.split('\n').count();
        let longest = text.split('\n').map(|l| l.chars().count()).max().unwrap();
        // Every column of short lines; a few hundred of long ones, as the walk is slow.
        let step = (longest / 500) | 1;
        // Forwards (as saphyr reports), then backwards and across lines, and past the end.
        let mut points: Vec<(usize, usize)> = (1..=lines + 1)
            .flat_map(|l| (0..=longest + 2).step_by(step).map(move |c| (l, c)))
            .collect();
        let forwards = points.clone();
        points.extend(forwards.iter().rev());
        points.extend([(1, 3), (1, 1), (2, 0), (1, 5), (lines, 1), (1, 0)]);
        let mut b = Builder::new(text, None);
        for (line, col) in points {
            assert_eq!(b.offset(line, col), walk(text, line, col), "{line}:{col}");
        }
    }

    #[test]
    fn byte_offsets_agree_with_walking_the_line() {
        compare("titel: Fest\nstadtteile: [sudenburg]\n");
        compare("name: Neustädter Sée\nort: Straße 5\r\n  - ö\n");
        let long: String = (0..2000)
            .map(|i| format!("{{\"t\": \"Prüfung {i} – Größe\"}}, "))
            .collect();
        compare(&format!("[{long}]\nnach: ä\n"));
        let long: String = (0..2000)
            .map(|i| format!("{{\"t\": \"P{i}\"}}, "))
            .collect();
        compare(&format!("[{long}]\nnach: a\n"));
    }

    #[test]
    fn nodes_on_one_long_line_with_umlauts_are_found() {
        let items: Vec<String> = (0..3000)
            .map(|i| format!("{{\"titel\": \"Grünfläche {i}\", \"jahr\": {i}}}"))
            .collect();
        let text = format!("[{}]", items.join(", "));
        let positions = Positions::build(&text);
        for i in [0, 1, 1234, 2999] {
            let (at, len) = positions
                .exakt(&[Seg::Index(i), Seg::Key("jahr".into())])
                .unwrap();
            let item = text.find(&format!("\"Grünfläche {i}\"")).unwrap();
            let jahr = item + text[item..].find("\"jahr\": ").unwrap() + 8;
            assert_eq!((at, len), (jahr, i.to_string().len()), "{i}");
        }
    }
}
