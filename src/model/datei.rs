use super::Id;

/// A file attached to a forum or a Vorlage.
#[derive(Debug, Clone)]
pub struct Anhang {
    pub datei: Id<Datei>,
    pub titel: String,
}

/// A file under `content/dateien/` or `content/daten/`, copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datei {
    /// Path relative to `content/`, with `/` separators (`dateien/plan.pdf`).
    pub pfad: String,
    /// Absolute path on disk.
    pub quelle: std::path::PathBuf,
    pub groesse: u64,
    /// Time of the last change: a file replaced by one of the same size is not equal.
    pub geaendert: Option<std::time::SystemTime>,
    /// A file a browser would run as a page with scripts (W012): never published.
    pub gesperrt: bool,
}

impl Datei {
    /// Whether the file is copied to the output: everything in `dateien/` and `daten/`;
    /// not a boundaries file kept elsewhere under `content/`, which is only read, and not
    /// a file that could run scripts (see [`crate::sicherheit::pruefe_dateien`]).
    pub fn veroeffentlicht(&self) -> bool {
        !self.gesperrt && (self.pfad.starts_with("dateien/") || self.pfad.starts_with("daten/"))
    }

    /// The file name as residents see it.
    pub fn name(&self) -> &str {
        self.pfad.rsplit('/').next().unwrap_or(&self.pfad)
    }

    /// The file name's extension in lower case (`pdf`), empty if it has none.
    pub fn endung(&self) -> String {
        self.name()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// The media type for data formats (OParl's `mimeType`).
    pub fn mime_typ(&self) -> &'static str {
        match self.endung().as_str() {
            "pdf" => "application/pdf",
            "doc" => "application/msword",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "odt" => "application/vnd.oasis.opendocument.text",
            "xls" => "application/vnd.ms-excel",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            "csv" => "text/csv",
            "txt" => "text/plain",
            "md" => "text/markdown",
            "json" => "application/json",
            "geojson" => "application/geo+json",
            "zip" => "application/zip",
            "jpg" | "jpeg" => "image/jpeg",
            "png" => "image/png",
            "svg" => "image/svg+xml",
            "webp" => "image/webp",
            _ => "application/octet-stream",
        }
    }

    /// A short type label for download links: `PDF`, `Word`, `Bild (PNG)`.
    pub fn typ(&self) -> String {
        let ext = self.endung();
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
