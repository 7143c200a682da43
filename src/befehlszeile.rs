//! The command line in German: clap's help and its usage errors are English and clap
//! has no translations, so the few fixed words of its help are replaced, and the usage
//! errors editors meet (an unknown option, a bad value, something missing) are said
//! anew from what clap found, in the form of the other diagnostics.

use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

/// What clap writes around our German texts in a help page, and its German words.
const HILFE: &[(&str, &str)] = &[
    ("Usage:", "Aufruf:"),
    ("Commands:", "Befehle:"),
    ("Arguments:", "Angaben:"),
    ("Options:", "Optionen:"),
    ("[OPTIONS]", "[OPTIONEN]"),
    ("<COMMAND>", "<BEFEHL>"),
    ("Print help", "Hilfe anzeigen"),
    ("(see more with '--help')", "(ausführlich mit '--help')"),
    ("(see a summary with '-h')", "(kurz mit '-h')"),
    ("Print version", "Version anzeigen"),
    ("[default: ", "[Standard: "),
    ("[possible values: ", "[mögliche Werte: "),
];

/// The commands an editor may call (`synth` is for measurements and hidden).
const BEFEHLE: &str = "Befehle: build, check, serve, new, schema, import.";

/// The text to show for a clap error (help and version included), German where clap's
/// is English.
pub fn meldung(e: &Error) -> String {
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::DisplayVersion => hilfe(&e.render().to_string()),
        _ => match fehler(e) {
            Some((text, hinweis)) => {
                let mut out = format!("Fehler: {text}\n");
                if let Some(h) = hinweis {
                    out.push_str(&format!("  = Hinweis: {h}\n"));
                }
                out.push_str(&format!("\nMehr dazu: {} --help\n", befehl()));
                out
            }
            // Anything rarer keeps clap's own words.
            None => e.render().to_string(),
        },
    }
}

fn hilfe(text: &str) -> String {
    HILFE
        .iter()
        .fold(text.to_string(), |t, (en, de)| t.replace(en, de))
}

fn text(e: &Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// The command that was called (`quartier build`, `quartier import projekte`), for
/// pointing at its help: clap does not name it with every kind of error.
fn befehl() -> String {
    let args: Vec<String> = std::env::args().skip(1).take(2).collect();
    let mut befehl = String::from("quartier");
    match args.first().map(String::as_str) {
        Some("import") if args.get(1).is_some_and(|a| a == "projekte") => {
            befehl.push_str(" import projekte");
        }
        Some(b @ ("build" | "check" | "serve" | "new" | "schema" | "import" | "synth")) => {
            befehl.push(' ');
            befehl.push_str(b);
        }
        _ => {}
    }
    befehl
}

/// What a value of the option `arg` (`--jahr <JAHR>`) has to look like, for the options
/// whose values the standard library reads (its reasons are English); quartier's own
/// (`--betrag`, `<TYP>`) give their reason in German.
fn erwartet(arg: &str) -> Option<&'static str> {
    let name = arg.split_whitespace().next()?;
    Some(match name {
        "--jahr" => "eine Jahreszahl wie 2026",
        "--heute" | "--datum" => "ein Datum als JJJJ-MM-TT, z. B. 2026-11-25",
        "--port" => "eine Zahl von 0 bis 65535",
        "--bind" => "eine IP-Adresse wie 127.0.0.1",
        "--projekte" | "--seed" | "--teilnehmende" | "--gegruendet" => "eine ganze Zahl",
        _ => return None,
    })
}

fn fehler(e: &Error) -> Option<(String, Option<String>)> {
    let arg = text(e, ContextKind::InvalidArg);
    let wert = text(e, ContextKind::InvalidValue);
    Some(match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = arg?;
            let hinweis = text(e, ContextKind::SuggestedArg)
                .map(|s| format!("meinten Sie '{s}'?"))
                .unwrap_or_else(|| format!("'{} --help' zeigt, welche Angaben es gibt.", befehl()));
            (format!("unbekannte Angabe '{arg}'"), Some(hinweis))
        }
        ErrorKind::InvalidSubcommand => {
            let name = text(e, ContextKind::InvalidSubcommand)?;
            let hinweis = text(e, ContextKind::SuggestedSubcommand)
                .map(|s| format!("meinten Sie '{s}'?"))
                .unwrap_or_else(|| BEFEHLE.to_string());
            (format!("unbekannter Befehl '{name}'"), Some(hinweis))
        }
        ErrorKind::InvalidValue => {
            let (arg, wert) = (arg?, wert.unwrap_or_default());
            let moeglich = text(e, ContextKind::ValidValue);
            let text = if wert.is_empty() {
                format!("bei '{arg}' fehlt der Wert")
            } else {
                format!("ungültiger Wert '{wert}' für '{arg}'")
            };
            (text, moeglich.map(|m| format!("möglich sind: {m}")))
        }
        ErrorKind::ValueValidation => {
            let (arg, wert) = (arg?, wert?);
            // quartier's own values say in German what they take; the standard
            // library's numbers and addresses do not.
            let hinweis = erwartet(&arg)
                .map(|x| format!("erwartet wird {x}"))
                .or_else(|| std::error::Error::source(e).map(ToString::to_string));
            (format!("ungültiger Wert '{wert}' für '{arg}'"), hinweis)
        }
        ErrorKind::MissingRequiredArgument => (format!("es fehlt: {}", arg?), None),
        ErrorKind::MissingSubcommand => ("es fehlt ein Befehl".into(), Some(BEFEHLE.into())),
        ErrorKind::ArgumentConflict => {
            let mit = text(e, ContextKind::PriorArg).unwrap_or_default();
            (format!("'{}' geht nicht zusammen mit '{mit}'", arg?), None)
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            (format!("falsche Zahl von Werten für '{}'", arg?), None)
        }
        _ => return None,
    })
}
