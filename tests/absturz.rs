//! Crash safety: a build killed at any moment leaves the previous output complete.
//!
//! Two versions of a portal (A and B) are built once normally, which gives the exact
//! output of each. Then a build of the other version is started again and again and
//! killed with SIGKILL after a random delay (a seeded PRNG, so a failure can be
//! replayed): while it loads, renders, writes the staging folder, waits right before the
//! swap (`QUARTIER_TEST_PAUSE_VOR_TAUSCH`) or after it. After every kill, `public/` must
//! be exactly A's or B's output, never a mix, and a normal build must then succeed and
//! give exactly the expected output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// `SOURCE_DATE_EPOCH` of every build: both versions' outputs do not depend on the day.
const EPOCH: &str = "1764028800";

/// xorshift64*: enough randomness for kill delays, reproducible from its seed.
struct Zufall(u64);

impl Zufall {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A duration in `[0, max)`.
    fn dauer(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.next() % micros)
    }
}

/// Writes version `fassung` ("A" or "B") of the portal: the same pages with other
/// texts, and one page only each version has.
fn fassung(p: &TestPortal, fassung: &str) {
    for i in 0..60 {
        p.write(
            &format!("content/seiten/seite-{i}.md"),
            &md(
                &format!("titel: \"Seite {i}\"\n"),
                &format!("Fassung {fassung} der Seite {i}.\n\n- eins\n- zwei\n"),
            ),
        );
    }
    for i in 0..40 {
        p.write(
            &format!("content/projekte/2025/projekt-{i}.md"),
            &md(
                &format!(
                    "titel: \"Projekt {i}\"\njahr: 2025\nstadtteile: [sudenburg]\nbeispiel: true\n"
                ),
                &format!("Fassung {fassung} von Projekt {i}.\n"),
            ),
        );
    }
    let (da, weg) = if fassung == "A" {
        ("nur-a", "nur-b")
    } else {
        ("nur-b", "nur-a")
    };
    p.write(
        &format!("content/seiten/{da}.md"),
        &md(&format!("titel: \"Nur {fassung}\"\n"), "Text.\n"),
    );
    let _ = std::fs::remove_file(p.path(&format!("content/seiten/{weg}.md")));
}

fn command(p: &TestPortal) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quartier"));
    c.args(["build", "--root"])
        .arg(p.root())
        .arg("--out")
        .arg(p.public())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// A normal build, which must succeed; returns its output and how long it took.
fn build(p: &TestPortal) -> (BTreeMap<String, Vec<u8>>, Duration) {
    let started = Instant::now();
    let out = command(p).output().expect("run quartier");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "build failed:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (snapshot(&p.public()), took)
}

fn describe(public: &Path, got: &BTreeMap<String, Vec<u8>>, a: &BTreeMap<String, Vec<u8>>) {
    let differ: Vec<&String> = got
        .keys()
        .chain(a.keys())
        .filter(|k| got.get(*k) != a.get(*k))
        .take(10)
        .collect();
    eprintln!("{}: differs from A in {differ:?}", public.display());
}

#[test]
fn a_killed_build_leaves_the_previous_output_complete() {
    let p = TestPortal::new();
    fassung(&p, "A");
    let (a, zeit_a) = build(&p);
    fassung(&p, "B");
    let (b, zeit_b) = build(&p);
    assert_ne!(a, b);
    assert!(a.contains_key("nur-a/index.html") && b.contains_key("nur-b/index.html"));
    let normal = zeit_a.max(zeit_b);
    let pause = Duration::from_millis(300);

    let mut zufall = Zufall(0x5175_6172_7469_6572);
    let mut aktuell = "B";
    let (mut alt_geblieben, mut neu_geworden) = (0, 0);
    for lauf in 0..25 {
        let ziel = if aktuell == "A" { "B" } else { "A" };
        fassung(&p, ziel);
        let mut c = command(&p);
        // Every third run waits right before the swap and is killed around then.
        let im_tausch = lauf % 3 == 2;
        let warte = if im_tausch {
            c.env(
                "QUARTIER_TEST_PAUSE_VOR_TAUSCH",
                pause.as_millis().to_string(),
            );
            normal.mul_f64(0.8) + zufall.dauer(pause + normal.mul_f64(0.4))
        } else {
            zufall.dauer(normal)
        };
        let mut child = c.spawn().expect("start quartier");
        std::thread::sleep(warte);
        let _ = child.kill(); // SIGKILL; the build may already have finished
        let status = child.wait().unwrap();
        let stand = snapshot(&p.public());
        let (vorher, nachher) = if ziel == "A" { (&b, &a) } else { (&a, &b) };
        if stand == *vorher {
            alt_geblieben += 1;
        } else if stand == *nachher {
            neu_geworden += 1;
        } else {
            describe(&p.public(), &stand, &a);
            panic!("run {lauf} (killed after {warte:?}, {status}): public/ is neither A nor B");
        }
        // The next normal build repairs whatever the killed one left in staging.
        let (nach, _) = build(&p);
        assert!(
            nach == *nachher,
            "run {lauf}: the build after a kill differs"
        );
        aktuell = ziel;
    }
    eprintln!(
        "25 kills ({normal:?} per build): {alt_geblieben} left the old output, {neu_geworden} had swapped in the new"
    );
    assert!(alt_geblieben > 0, "no kill landed before the swap");
}

/// The first build into a new folder: killed at any moment, `public/` is either missing
/// or complete, and the next build succeeds.
#[test]
fn a_killed_first_build_leaves_no_half_output() {
    let p = TestPortal::new();
    fassung(&p, "A");
    let (a, normal) = build(&p);
    let mut zufall = Zufall(0x6572_7374_6572_2042);
    let (mut leer, mut fertig) = (0, 0);
    for lauf in 0..10 {
        let _ = std::fs::remove_dir_all(p.public());
        let _ = std::fs::remove_dir_all(quartier::write::staging_dir(&p.public()));
        let warte = zufall.dauer(normal.mul_f64(1.2));
        let mut child = command(&p).spawn().expect("start quartier");
        std::thread::sleep(warte);
        let _ = child.kill();
        child.wait().unwrap();
        if !p.public().exists() {
            leer += 1;
        } else {
            let stand = snapshot(&p.public());
            assert!(
                stand == a,
                "run {lauf} (killed after {warte:?}): public/ exists but is incomplete"
            );
            fertig += 1;
        }
        let (nach, _) = build(&p);
        assert!(nach == a, "run {lauf}: the build after a kill differs");
    }
    eprintln!("10 kills of a first build: {leer} left no public/, {fertig} a complete one");
}
