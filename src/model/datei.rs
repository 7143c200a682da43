use super::Id;

/// A file attached to a forum or a Vorlage.
#[derive(Debug)]
pub struct Anhang {
    pub datei: Id<Datei>,
    pub titel: String,
}

/// A file under `content/dateien/` or `content/daten/`, copied to the output unchanged.
#[derive(Debug)]
pub struct Datei {
    /// Path relative to `content/`, with `/` separators (`dateien/plan.pdf`).
    pub pfad: String,
    /// Absolute path on disk.
    pub quelle: std::path::PathBuf,
    pub groesse: u64,
}

impl Datei {
    /// Whether the file is copied to the output: everything in `dateien/` and `daten/`;
    /// not a boundaries file kept elsewhere under `content/`, which is only read.
    pub fn veroeffentlicht(&self) -> bool {
        self.pfad.starts_with("dateien/") || self.pfad.starts_with("daten/")
    }

    /// The file name as residents see it.
    pub fn name(&self) -> &str {
        self.pfad.rsplit('/').next().unwrap_or(&self.pfad)
    }

    /// A short type label for download links: `PDF`, `Word`, `Bild (PNG)`.
    pub fn typ(&self) -> String {
        let ext = self
            .name()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "pdf" => "PDF".into(),
            "doc" | "docx" => "Word".into(),
            "odt" => "OpenDocument-Text".into(),
            "xls" | "xlsx" => "Excel".into(),
            "ods" => "OpenDocument-Tabelle".into(),
            "csv" => "CSV".into(),
            "txt" => "Text".into(),
            "md" => "Markdown".into(),
            "json" => "JSON".into(),
            "geojson" => "GeoJSON".into(),
            "zip" => "ZIP-Archiv".into(),
            "jpg" | "jpeg" => "Bild (JPEG)".into(),
            "png" => "Bild (PNG)".into(),
            "svg" => "Bild (SVG)".into(),
            "webp" => "Bild (WebP)".into(),
            "" => "Datei".into(),
            other => other.to_ascii_uppercase(),
        }
    }
}
