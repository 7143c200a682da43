//! Splitting a Markdown file into its YAML front matter and its body.

use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic, Location};
use crate::model::SourceFile;

pub struct Split {
    /// Byte range of the YAML between the two `---` lines.
    pub yaml: Range<usize>,
    /// Where the Markdown body starts.
    pub body_start: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the front matter: a `---` line at the very top, fields, and a closing `---`.
pub fn split(file: &SourceFile) -> Result<Split, Box<Diagnostic>> {
    let text = &file.text;
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.starts_with("---\r") && !text.contains('\n') {
        return Err(Box::new(
            Diagnostic::new(
                Code::FrontMatter,
                "die Zeilen der Datei enden nur mit CR (Wagenrücklauf)",
            )
            .at(Location::in_text(file.rel.as_str(), "---", 0, 3))
            .hint(
                "So speicherten alte Mac-Programme; speichern Sie die Datei mit den \
                 Zeilenenden LF (Linux, macOS) oder CRLF (Windows).",
            ),
        ));
    }
    if !is_fence(first) {
        let hint = if text.trim().is_empty() {
            "Die Datei ist leer: beginnen Sie mit einer Zeile '---', dann die Felder, dann wieder '---'."
        } else {
            "Eine Markdown-Datei beginnt mit einer Zeile '---', dann folgen die Felder (z. B. titel: …), \
             dann wieder eine Zeile '---' und danach der Text."
        };
        let code = if text.trim().is_empty() {
            Code::LeereDatei
        } else {
            Code::FrontMatter
        };
        let message = if text.trim().is_empty() {
            "die Datei ist leer"
        } else {
            "der Front Matter fehlt"
        };
        return Err(Box::new(
            Diagnostic::new(code, message)
                .at(Location::in_text(
                    file.rel.as_str(),
                    text,
                    0,
                    first.trim_end().len(),
                ))
                .hint(hint),
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if is_fence(line) || line.trim_end() == "..." {
            return Ok(Split {
                yaml: yaml_start..offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Box::new(
        Diagnostic::new(
            Code::FrontMatter,
            "der Front Matter wird nicht mit '---' geschlossen",
        )
        .at(Location::in_text(file.rel.as_str(), text, 0, 3))
        .hint("Schließen Sie die Felder mit einer Zeile '---' ab, bevor der Text beginnt."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            rel: "content/seiten/x.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_with_lf_and_crlf() {
        for text in [
            "---\ntitel: A\n---\nText\n",
            "---\r\ntitel: A\r\n---\r\nText\r\n",
        ] {
            let f = file(text);
            let s = split(&f).unwrap();
            assert!(text[s.yaml.clone()].starts_with("titel: A"));
            assert!(text[s.body_start..].starts_with("Text"));
        }
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        assert_eq!(
            split(&file("titel: A\n")).err().unwrap().code,
            Code::FrontMatter
        );
        assert_eq!(
            split(&file("---\ntitel: A\nText")).err().unwrap().code,
            Code::FrontMatter
        );
        assert_eq!(split(&file("")).err().unwrap().code, Code::LeereDatei);
        let nur_cr = split(&file("---\rtitel: A\r---\rText\r")).err().unwrap();
        assert_eq!(nur_cr.code, Code::FrontMatter);
        assert!(nur_cr.message.contains("CR"), "{nur_cr}");
    }
}
