//! How fast does quartier build large portals?
//!
//! Generates synthetic portals (`quartier::synth`) of 1,000 and 10,000 projects (and
//! 100,000 with `QUARTIER_BENCH_GROSS=1`) into temporary folders and runs the `quartier`
//! binary that cargo built for this profile, `build --root … --out …`, three times each,
//! every time into a new output folder (the first run is the cold one: the binary and
//! the theme are not in the page cache yet). A fourth build then replaces the output of
//! the third, as an editor's rebuild does; it is reported on its own line because on
//! ext4 without a journal (this project's machines) its time depends mostly on how many
//! files were deleted in the minutes before (see "replace" below).
//!
//! It prints wall time, CPU time (user + sys of the child, from `getrusage`
//! `RUSAGE_CHILDREN` deltas), peak memory of the child (`ru_maxrss` from `wait4`), pages
//! per second and the size of the output, and whether the budget for 10,000 projects
//! (under 3 s wall time and 500 MB peak memory on the project's 2-core machine) is met.
//! Times are reported, never asserted; the run fails only if a build fails.
//!
//! ```text
//! cargo bench --bench build
//! QUARTIER_BENCH_GROSS=1 cargo bench --bench build
//! TMPDIR=/dev/shm cargo bench --bench build      # without the disk
//! ```
//!
//! "replace": ext4 file systems without a journal check every free inode they are about
//! to hand out for a recent deletion (`recently_deleted()` in `fs/ext4/ialloc.c`, a
//! window of up to 5 minutes), so creating 12,000 files shortly after 12,000 were
//! deleted costs seconds of kernel time. All temporary folders are therefore kept until
//! the end of the run.

use std::fs::File;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const QUARTIER: &str = env!("CARGO_BIN_EXE_quartier");
const SEED: u64 = 1;
const RUNS: usize = 3;
/// The day the synthetic portal is written for (see `quartier::synth::STICHTAG`).
const HEUTE: &str = "2026-11-25";

/// The budget for 10,000 projects.
const BUDGET_PROJEKTE: usize = 10_000;
const BUDGET_WALL_S: f64 = 3.0;
const BUDGET_RSS_MB: f64 = 500.0;

/// One build of one portal.
struct Run {
    wall: Duration,
    /// User + system time of the child, from `getrusage(RUSAGE_CHILDREN)` deltas.
    cpu: Duration,
    /// The system part of `cpu`.
    sys: Duration,
    /// Peak resident set of the child in bytes (`ru_maxrss` from `wait4`).
    peak_rss: u64,
    stderr: String,
}

/// All builds of one portal size.
struct Row {
    projekte: usize,
    seiten: usize,
    dateien: usize,
    ausgabe_bytes: u64,
    /// Builds into new output folders.
    runs: Vec<Run>,
    /// The build that replaced a previous output.
    replace: Run,
    /// Kept until the end of the benchmark (see the module documentation).
    _tmp: tempfile::TempDir,
}

impl Row {
    fn walls(&self) -> Vec<Duration> {
        let mut w: Vec<Duration> = self.runs.iter().map(|r| r.wall).collect();
        w.sort();
        w
    }

    fn best(&self) -> Duration {
        self.walls()[0]
    }

    fn median(&self) -> Duration {
        self.walls()[self.runs.len() / 2]
    }

    fn cpu_median(&self) -> Duration {
        let mut c: Vec<Duration> = self.runs.iter().map(|r| r.cpu).collect();
        c.sort();
        c[c.len() / 2]
    }

    fn peak_rss(&self) -> u64 {
        self.runs.iter().map(|r| r.peak_rss).max().unwrap_or(0)
    }
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench` (and any filter); there is nothing to filter here.
    let mut sizes = vec![1_000, 10_000];
    if std::env::var("QUARTIER_BENCH_GROSS").is_ok_and(|v| v == "1") {
        sizes.push(100_000);
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let tmp = std::env::temp_dir();
    println!("quartier build benchmark");
    println!("  binary: {QUARTIER}");
    println!(
        "  temporary folders in {} ({})",
        tmp.display(),
        file_system(&tmp)
    );
    println!(
        "  CPU cores: {cores}; {RUNS} builds per size into new output folders, then 1 replacing an output"
    );
    println!("  synthetic portals: seed {SEED}, --heute {HEUTE}");
    if sizes.len() == 2 {
        println!("  (100,000 projects only with QUARTIER_BENCH_GROSS=1)");
    }
    println!();

    let mut rows = Vec::new();
    for n in sizes {
        match bench(n) {
            Ok(row) => rows.push(row),
            Err(e) => {
                eprintln!("\nFEHLER bei {n} Projekten: {e}");
                return ExitCode::FAILURE;
            }
        }
    }

    println!();
    println!(
        "{:>8} {:>8} {:>8} {:>9} {:>9} {:>9} {:>10} {:>9} {:>10}",
        "projects",
        "pages",
        "files",
        "wall best",
        "wall med",
        "CPU med",
        "peak RSS",
        "pages/s",
        "output"
    );
    for r in &rows {
        println!(
            "{:>8} {:>8} {:>8} {:>8.2}s {:>8.2}s {:>8.2}s {:>7.0} MB {:>9.0} {:>7.1} MB",
            r.projekte,
            r.seiten,
            r.dateien,
            r.best().as_secs_f64(),
            r.median().as_secs_f64(),
            r.cpu_median().as_secs_f64(),
            mb(r.peak_rss()),
            r.seiten as f64 / r.best().as_secs_f64(),
            mb(r.ausgabe_bytes),
        );
    }
    println!("(MB = 10^6 bytes; CPU = user + sys of the child; pages/s from the best wall time)");
    println!();
    println!("rebuild replacing the previous output (see the note on ext4 in benches/build.rs):");
    for r in &rows {
        println!(
            "{:>8} projects: wall {:.2} s, CPU {:.2} s (sys {:.2} s), peak RSS {:.0} MB",
            r.projekte,
            r.replace.wall.as_secs_f64(),
            r.replace.cpu.as_secs_f64(),
            r.replace.sys.as_secs_f64(),
            mb(r.replace.peak_rss)
        );
    }

    if let Some(r) = rows.iter().find(|r| r.projekte == BUDGET_PROJEKTE) {
        let wall = r.median().as_secs_f64();
        let rss = mb(r.peak_rss());
        let ok_wall = wall < BUDGET_WALL_S;
        let ok_rss = rss < BUDGET_RSS_MB;
        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        println!();
        println!(
            "Budget for {BUDGET_PROJEKTE} projects on this {cores}-core machine: \
             wall < {BUDGET_WALL_S} s: {} (median {wall:.2} s); \
             peak memory < {BUDGET_RSS_MB} MB: {} ({rss:.0} MB) => {}",
            verdict(ok_wall),
            verdict(ok_rss),
            if ok_wall && ok_rss {
                "BUDGET MET"
            } else {
                "BUDGET NOT MET"
            }
        );
    }
    ExitCode::SUCCESS
}

fn bench(n: usize) -> Result<Row, String> {
    let tmp = tempfile::Builder::new()
        .prefix("quartier-bench-")
        .tempdir()
        .map_err(|e| format!("temporary folder: {e}"))?;
    let root = tmp.path().join("portal");

    let started = Instant::now();
    let summary = quartier::synth::generate(&root, n, SEED)
        .map_err(|e| format!("generating the portal: {e}"))?;
    let erzeugt_in = started.elapsed();
    println!(
        "{n} projects: generated {} files ({:.1} MB) in {:.2} s",
        summary.dateien,
        mb(summary.bytes),
        erzeugt_in.as_secs_f64()
    );

    let mut runs = Vec::with_capacity(RUNS + 1);
    for i in 0..=RUNS {
        // Runs 1–3 write new folders; run 4 replaces the output of run 3.
        let out = tmp.path().join(format!("public-{}", (i + 1).min(RUNS)));
        let run = build(&root, &out, &tmp.path().join(format!("stderr-{i}.txt")))?;
        let warnings = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("Warnung"))
            .count();
        println!(
            "  run {}{}: wall {:.2} s, CPU {:.2} s (sys {:.2} s), peak RSS {:.0} MB{}",
            i + 1,
            if i == RUNS { " (replacing run 3)" } else { "" },
            run.wall.as_secs_f64(),
            run.cpu.as_secs_f64(),
            run.sys.as_secs_f64(),
            mb(run.peak_rss),
            if warnings > 0 {
                format!(" — {warnings} WARNINGS (the synthetic portal should have none)")
            } else {
                String::new()
            }
        );
        runs.push(run);
    }
    let replace = runs.pop().expect("RUNS + 1 runs");
    let (seiten, dateien, ausgabe_bytes) = count_output(&tmp.path().join("public-1"));
    Ok(Row {
        projekte: n,
        seiten,
        dateien,
        ausgabe_bytes,
        runs,
        replace,
        _tmp: tmp,
    })
}

/// Runs `quartier build` once and measures it.
fn build(root: &Path, out: &Path, stderr_path: &Path) -> Result<Run, String> {
    let stderr = File::create(stderr_path).map_err(|e| format!("{e}"))?;
    let before = children_cpu();
    let started = Instant::now();
    let child = Command::new(QUARTIER)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .arg("--heute")
        .arg(HEUTE)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("starting {QUARTIER}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; the pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    // The child is reaped; `Child` must not wait for it again.
    drop(child);
    if waited != pid {
        return Err(format!("wait4: {}", std::io::Error::last_os_error()));
    }
    let after = children_cpu();
    let cpu = (after.0 + after.1).saturating_sub(before.0 + before.1);
    let sys = after.1.saturating_sub(before.1);
    let stderr = std::fs::read_to_string(stderr_path).unwrap_or_default();
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    if !ok {
        return Err(format!(
            "`quartier build` failed (wait status {status}):\n{stderr}"
        ));
    }
    Ok(Run {
        wall,
        cpu,
        sys,
        peak_rss: usage.ru_maxrss as u64 * 1024,
        stderr,
    })
}

/// User and system time of all waited-for children so far.
fn children_cpu() -> (Duration, Duration) {
    // SAFETY: as above.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(usage.ru_utime), tv(usage.ru_stime))
}

/// The type of the file system `path` is on (from /proc/self/mountinfo), or "?".
fn file_system(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|line| {
            // "id parent major:minor root mount-point options … - fstype source …"
            let fields: Vec<&str> = line.split(' ').collect();
            let mount_point = Path::new(fields.get(4)?);
            let dash = fields.iter().position(|f| *f == "-")?;
            let fstype = fields.get(dash + 1)?;
            path.starts_with(mount_point)
                .then(|| (mount_point.as_os_str().len(), fstype.to_string()))
        })
        .max_by_key(|(len, _)| *len)
        .map_or_else(|| "?".to_string(), |(_, t)| t)
}

/// HTML pages, files and bytes in the output folder.
fn count_output(out: &Path) -> (usize, usize, u64) {
    let mut pages = 0;
    let mut files = 0;
    let mut bytes = 0;
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        bytes += entry.metadata().map_or(0, |m| m.len());
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
        }
    }
    (pages, files, bytes)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
