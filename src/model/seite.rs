use super::Meta;

/// A plain page, published at `/{slug}/`.
#[derive(Debug, Clone)]
pub struct Seite {
    pub meta: Meta,
    pub titel: String,
    /// Position in the main navigation.
    pub menue: Option<i64>,
    /// Shorter title for the navigation (extension of the content model).
    pub kurztitel: Option<String>,
}
