//! Fuzz target `frontmatter`: the body is `quartier::pruefstand::frontmatter`, which
//! tests/fuzz_replay.rs runs on the corpus and the regressions.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    quartier::pruefstand::frontmatter(data);
});
