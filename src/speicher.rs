//! Memory figures for `--zeiten`: what the process holds at the end of each stage.
//!
//! Two views, because they differ by hundreds of MB at 100,000 projects:
//! - resident memory (`VmRSS`, and its high-water mark `VmHWM`, the figure GNU time and
//!   the budget of issue 12 speak of), read from `/proc/self/status`;
//! - the heap the program actually holds (bytes allocated and not yet freed), counted by
//!   [`Zaehlend`] when the binary is built with `--features heapzaehler`. What resident
//!   memory holds beyond it is memory the allocator keeps: pages in which a few small
//!   objects survived a stage that freed most of the others.
//!
//! The high-water mark is only read, never reset (`/proc/self/clear_refs`): resetting
//! it would also lower the peak that GNU time reports for the whole run.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Resident memory now and its peak so far, in bytes (Linux only).
pub fn resident() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let feld = |name: &str| -> Option<u64> {
        let zeile = status.lines().find(|l| l.starts_with(name))?;
        let kb: u64 = zeile[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb * 1024)
    };
    Some((feld("VmRSS:")?, feld("VmHWM:")?))
}

static BELEGT: AtomicUsize = AtomicUsize::new(0);
static SPITZE: AtomicUsize = AtomicUsize::new(0);

/// The heap held now and its peak since the last call, in bytes; `None` unless the
/// binary is built with `--features heapzaehler` (its global allocator is a
/// [`Zaehlend`]). Starts the next stage's peak at what is held now.
pub fn heap() -> Option<(u64, u64)> {
    cfg!(feature = "heapzaehler").then(zaehlerstand)
}

/// What [`Zaehlend`] has counted: held now, and the peak since the last call.
fn zaehlerstand() -> (u64, u64) {
    let belegt = BELEGT.load(Ordering::Relaxed);
    let spitze = SPITZE.swap(belegt, Ordering::Relaxed).max(belegt);
    (belegt as u64, spitze as u64)
}

/// A global allocator that counts the bytes held, around another one. Every allocation
/// then costs two atomic operations on a shared counter: for measuring only.
pub struct Zaehlend<A>(pub A);

impl<A> Zaehlend<A> {
    fn mehr(&self, n: usize) {
        let jetzt = BELEGT.fetch_add(n, Ordering::Relaxed) + n;
        SPITZE.fetch_max(jetzt, Ordering::Relaxed);
    }

    fn weniger(&self, n: usize) {
        BELEGT.fetch_sub(n, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on unchanged to the wrapped allocator; only counters are
// updated besides.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Zaehlend<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees are passed on.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            self.mehr(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            self.mehr(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.weniger(layout.size());
        // SAFETY: as above.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            self.weniger(layout.size());
            self.mehr(new_size);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_memory_is_read_with_its_peak() {
        let (jetzt, spitze) = resident().expect("/proc/self/status on Linux");
        assert!(jetzt > 0);
        assert!(spitze >= jetzt);
    }

    #[test]
    fn the_counting_allocator_counts_what_is_held() {
        let a = Zaehlend(std::alloc::System);
        let layout = Layout::from_size_align(1 << 20, 8).unwrap();
        // SAFETY: a valid layout, freed with the same layout below.
        let p = unsafe { a.alloc(layout) };
        assert!(!p.is_null());
        let (belegt, spitze) = zaehlerstand();
        assert!(belegt >= 1 << 20 && spitze >= belegt);
        // SAFETY: grown from the block allocated above with its layout.
        let q = unsafe { a.realloc(p, layout, 2 << 20) };
        assert!(!q.is_null());
        let (nach_realloc, _) = zaehlerstand();
        assert!(nach_realloc >= belegt + (1 << 20));
        // SAFETY: the block now has 2 MB with the same alignment.
        unsafe { a.dealloc(q, Layout::from_size_align(2 << 20, 8).unwrap()) };
        let (danach, spitze) = zaehlerstand();
        assert!(danach + (2 << 20) <= nach_realloc);
        // The peak since the last call covers the 2 MB block.
        assert!(spitze >= nach_realloc);
    }
}
