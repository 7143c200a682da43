//! Photos (issue 10): a phone JPEG with GPS in its EXIF block and a rotation flag is
//! published only as upright WebP and JPEG variants without any metadata, small enough
//! for mobile data, with `srcset`, `sizes`, `width` and `height`; the upload itself only
//! with `original: true`; processed images are cached; a broken one is an error.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use image::{GenericImageView, ImageEncoder, Rgb, RgbImage};

/// Strings hidden in the metadata of the test photo; none may reach the output.
const GEHEIM_EXIF: &str = "Wohnung Beispielweg 7 (fiktiv)";
const GEHEIM_XMP: &str = "xmp-geheimnis-fiktiv";
const GEHEIM_IPTC: &str = "iptc-geheimnis-fiktiv";

/// A TIFF block (little endian) with Orientation 6 (turn 90° clockwise to show),
/// an ImageDescription and a GPS IFD with latitude 52° 7' 30" N.
fn exif_app1() -> Vec<u8> {
    let mut t: Vec<u8> = Vec::new();
    let u16le = |t: &mut Vec<u8>, v: u16| t.extend_from_slice(&v.to_le_bytes());
    let u32le = |t: &mut Vec<u8>, v: u32| t.extend_from_slice(&v.to_le_bytes());
    let beschreibung = format!("{GEHEIM_EXIF}\0");
    // Layout: header 8, IFD0 at 8 with 3 entries (2 + 36 + 4 = 42) → 50,
    // GPS IFD at 50 with 2 entries (2 + 24 + 4 = 30) → 80, latitude rationals at 80
    // (24 bytes) → 104, description at 104.
    t.extend_from_slice(b"II*\0");
    u32le(&mut t, 8);
    u16le(&mut t, 3);
    // ImageDescription (0x010e), ASCII
    u16le(&mut t, 0x010e);
    u16le(&mut t, 2);
    u32le(&mut t, beschreibung.len() as u32);
    u32le(&mut t, 104);
    // Orientation (0x0112), SHORT, 6
    u16le(&mut t, 0x0112);
    u16le(&mut t, 3);
    u32le(&mut t, 1);
    u16le(&mut t, 6);
    u16le(&mut t, 0);
    // GPSInfo (0x8825), LONG, offset of the GPS IFD
    u16le(&mut t, 0x8825);
    u16le(&mut t, 4);
    u32le(&mut t, 1);
    u32le(&mut t, 50);
    u32le(&mut t, 0);
    assert_eq!(t.len(), 50);
    u16le(&mut t, 2);
    // GPSLatitudeRef "N"
    u16le(&mut t, 0x0001);
    u16le(&mut t, 2);
    u32le(&mut t, 2);
    t.extend_from_slice(b"N\0\0\0");
    // GPSLatitude, 3 RATIONAL at 80
    u16le(&mut t, 0x0002);
    u16le(&mut t, 5);
    u32le(&mut t, 3);
    u32le(&mut t, 80);
    u32le(&mut t, 0);
    assert_eq!(t.len(), 80);
    for (n, d) in [(52u32, 1u32), (7, 1), (3000, 100)] {
        u32le(&mut t, n);
        u32le(&mut t, d);
    }
    t.extend_from_slice(beschreibung.as_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(t);
    segment(0xe1, &payload)
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xff, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A phone-like photo: `breite` × `hoehe` pixels as stored, a red square in the stored
/// top-left corner, EXIF (orientation 6, GPS), XMP and IPTC blocks.
fn handyfoto(breite: u32, hoehe: u32) -> Vec<u8> {
    let bild = RgbImage::from_fn(breite, hoehe, |x, y| {
        if x < breite / 8 && y < hoehe / 8 {
            return Rgb([230, 20, 20]);
        }
        let fx = x as f32 / breite as f32;
        let fy = y as f32 / hoehe as f32;
        let welle = ((x as f32 / 37.0).sin() * (y as f32 / 23.0).cos() * 30.0) as i32;
        Rgb([
            (40.0 + 120.0 * fx) as u8,
            (90 + welle).clamp(0, 255) as u8,
            (200.0 - 120.0 * fy) as u8,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
        .encode_image(&bild)
        .unwrap();
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(
        format!("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">{GEHEIM_XMP}</x:xmpmeta>").as_bytes(),
    );
    let mut iptc = b"Photoshop 3.0\0".to_vec();
    iptc.extend_from_slice(GEHEIM_IPTC.as_bytes());
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_app1());
    out.extend(segment(0xe1, &xmp));
    out.extend(segment(0xed, &iptc));
    out.extend_from_slice(&jpeg[2..]);
    // The test photo itself is what a phone would upload: orientation as stored.
    let (w, h) = image::load_from_memory(&out).unwrap().dimensions();
    assert_eq!((w, h), (breite, hoehe));
    out
}

fn projekt(bilder: &str, text: &str) -> String {
    md(
        &format!(
            "titel: \"Hoffest\"\njahr: 2026\nstadtteile: [sudenburg]\nbeispiel: true\n{bilder}"
        ),
        text,
    )
}

const BILD: &str = "bilder:\n  - datei: fotos/hoffest.jpg\n    alt: \"Menschen an Biertischen im Hof\"\n    bildnachweis: \"Erika Beispiel (fiktiv)\"\n";

fn portal(bilder: &str, foto: &[u8]) -> TestPortal {
    TestPortal::new()
        .file(
            "content/projekte/2026/hoffest.md",
            &projekt(bilder, "Ein Fest.\n"),
        )
        .bytes("content/dateien/fotos/hoffest.jpg", foto)
}

/// Every file under `public/bilder/`.
fn varianten(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(out.join("bilder"))
        .expect("public/bilder/")
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn enthaelt(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn cache_dateien(p: &TestPortal) -> Vec<(String, std::time::SystemTime)> {
    let mut v: Vec<_> = std::fs::read_dir(p.path(".quartier-cache/bilder"))
        .expect("cache folder")
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn phone_photo_is_published_upright_small_and_without_metadata() {
    let p = portal(BILD, &handyfoto(3000, 2000));
    let site = p.build().ok();
    let dateien = varianten(&site.out);
    let namen: Vec<String> = dateien
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // 3 widths, each as WebP and JPEG.
    assert_eq!(dateien.len(), 6, "{namen:?}");
    let mut groesste = (0, 0u64);
    for d in &dateien {
        let bytes = std::fs::read(d).unwrap();
        let name = d.file_name().unwrap().to_string_lossy();
        for geheim in [GEHEIM_EXIF, GEHEIM_XMP, GEHEIM_IPTC] {
            assert!(
                !enthaelt(&bytes, geheim.as_bytes()),
                "{name} keeps {geheim}"
            );
        }
        for block in [
            &b"Exif"[..],
            b"EXIF",
            b"XMP ",
            b"http://ns.adobe.com",
            b"Photoshop",
        ] {
            assert!(
                !enthaelt(&bytes, block),
                "{name} has a metadata block {block:?}"
            );
        }
        if name.ends_with(".jpg") {
            // APP1 (EXIF, XMP) and APP13 (IPTC) markers; in entropy-coded data 0xFF is
            // always followed by 0x00, so these can only be markers.
            assert!(
                !enthaelt(&bytes, &[0xff, 0xe1]),
                "{name} has an APP1 segment"
            );
            assert!(
                !enthaelt(&bytes, &[0xff, 0xed]),
                "{name} has an APP13 segment"
            );
        } else {
            assert!(name.ends_with(".webp"), "{name}");
            assert_eq!(&bytes[8..12], b"WEBP");
        }
        let bild = image::load_from_memory(&bytes).unwrap();
        let (w, h) = bild.dimensions();
        // Upright: the stored 3000 × 2000 is shown 2000 wide and 3000 high.
        assert!([480, 960, 1600].contains(&w), "{name}: {w}×{h}");
        assert_eq!(h, w * 3 / 2, "{name}: {w}×{h} is not upright");
        assert!(w <= 2000);
        // The red corner, stored top left, is shown top right (orientation 6).
        let rgb = bild.to_rgb8();
        let oben_rechts = rgb.get_pixel(w - 5, 5);
        let oben_links = rgb.get_pixel(5, 5);
        assert!(
            oben_rechts[0] > 180 && oben_rechts[1] < 80,
            "{name}: {oben_rechts:?}"
        );
        assert!(oben_links[0] < 180, "{name}: {oben_links:?}");
        let len = bytes.len() as u64;
        if len > groesste.1 {
            groesste = (w, len);
        }
    }
    assert!(
        groesste.1 < 250_000,
        "largest variant has {} bytes",
        groesste.1
    );
    // The upload with its metadata is not published.
    assert!(!site.out.join("dateien/fotos/hoffest.jpg").exists());

    let page = site.page("projekte/2026/hoffest/");
    let source = page.one("figure picture source");
    assert_eq!(source.attr("type"), Some("image/webp"));
    let webp_srcset = source.attr("srcset").unwrap();
    assert_eq!(webp_srcset.matches("w,").count(), 2, "{webp_srcset}");
    assert!(source.attr("sizes").is_some());
    let img = page.one("figure picture img");
    assert_eq!(img.attr("alt"), Some("Menschen an Biertischen im Hof"));
    assert_eq!(img.attr("width"), Some("960"));
    assert_eq!(img.attr("height"), Some("1440"));
    assert!(img.attr("sizes").is_some());
    assert_eq!(
        img.attr("loading"),
        Some("eager"),
        "the first image of a page"
    );
    let srcset = img.attr("srcset").unwrap();
    // Every URL of the picture is a file of the output, under the base path.
    for url in webp_srcset
        .split(", ")
        .chain(srcset.split(", "))
        .map(|s| s.split(' ').next().unwrap())
        .chain([img.attr("src").unwrap()])
    {
        let rel = url.strip_prefix("/gwa/").unwrap_or_else(|| panic!("{url}"));
        assert!(site.out.join(rel).is_file(), "{url} is not in the output");
    }
    assert!(
        srcset.contains(" 480w") && srcset.contains(" 1600w"),
        "{srcset}"
    );
    assert_eq!(
        normalize(&text(page.one("figure figcaption"))),
        "Bild: Erika Beispiel (fiktiv)"
    );

    // Thumbnails with their size on the project lists and the Stadtteil page.
    for liste in ["projekte/", "projekte/2026/", "stadtteile/sudenburg/"] {
        let page = site.page(liste);
        let img = page.one(".karte-bild picture img");
        assert_eq!(img.attr("width"), Some("960"), "{liste}");
        assert_eq!(img.attr("height"), Some("1440"), "{liste}");
        assert_eq!(img.attr("loading"), Some("lazy"), "{liste}");
        assert!(img.attr("srcset").unwrap().contains("480w"), "{liste}");
    }
}

#[test]
fn original_true_publishes_the_upload_unchanged() {
    let foto = handyfoto(600, 400);
    let bild = format!("{BILD}    original: true\n");
    let p = portal(&bild, &foto);
    let site = p.build().ok();
    assert_eq!(
        std::fs::read(site.out.join("dateien/fotos/hoffest.jpg")).unwrap(),
        foto
    );
    // Never scaled up: a photo 400 wide (upright) gets only its own width.
    let breiten: Vec<String> = varianten(&site.out)
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(breiten.len(), 2, "{breiten:?}");
    assert!(breiten.iter().all(|n| n.contains("-400.")), "{breiten:?}");
}

/// The contract copies every file under `content/dateien/` unchanged. A raster image
/// is, when nothing in it can say where or by whom it was taken: no EXIF, XMP or IPTC
/// block. One with any of them is published only processed. Both get variants, and a
/// rebuild from the cache decides the same.
#[test]
fn an_image_without_metadata_is_also_published_unchanged() {
    let mut sauber = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut sauber, 90)
        .encode_image(&RgbImage::from_pixel(300, 200, Rgb([20, 120, 60])))
        .unwrap();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            RgbImage::from_pixel(40, 30, Rgb([200, 10, 10])).as_raw(),
            40,
            30,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    // The clean JPEG with one block each, put in after its start marker.
    let mit = |block: Vec<u8>| {
        let mut out = sauber[..2].to_vec();
        out.extend(block);
        out.extend_from_slice(&sauber[2..]);
        out
    };
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(GEHEIM_XMP.as_bytes());
    let mut iptc = b"Photoshop 3.0\0".to_vec();
    iptc.extend_from_slice(GEHEIM_IPTC.as_bytes());
    let p = portal(BILD, &sauber)
        // Named nowhere: the contract still copies it.
        .bytes("content/dateien/plakat.png", &png)
        .bytes("content/dateien/exif.jpg", &mit(exif_app1()))
        .bytes("content/dateien/xmp.jpg", &mit(segment(0xe1, &xmp)))
        .bytes("content/dateien/iptc.jpg", &mit(segment(0xed, &iptc)));
    for lauf in ["erster Build", "aus dem Cache"] {
        let site = p.build().ok();
        let gelesen = |pfad: &str| std::fs::read(site.out.join(pfad)).ok();
        assert_eq!(
            gelesen("dateien/fotos/hoffest.jpg").as_ref(),
            Some(&sauber),
            "{lauf}"
        );
        assert_eq!(gelesen("dateien/plakat.png").as_ref(), Some(&png), "{lauf}");
        for mit_block in ["exif", "xmp", "iptc"] {
            assert!(
                gelesen(&format!("dateien/{mit_block}.jpg")).is_none(),
                "{lauf}: the image with {mit_block} is published as uploaded"
            );
        }
        // Each of the five has its variants, one width as WebP and JPEG.
        assert_eq!(varianten(&site.out).len(), 2 * 5, "{lauf}");
    }
}

#[test]
fn second_build_takes_the_images_from_the_cache() {
    let p = portal(BILD, &handyfoto(3000, 2000));
    let erste = p.build().ok();
    assert_eq!(
        (erste.report.bilder_erzeugt, erste.report.bilder_aus_cache),
        (1, 0)
    );
    let vorher = cache_dateien(&p);
    // 3 widths × 2 formats and the list of sizes.
    assert_eq!(vorher.len(), 7, "{vorher:?}");
    let ausgabe = snapshot(&erste.out);

    let run = p.cli_build(&["--zeiten"]);
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("Bilder: 0 verarbeitet, 1 aus dem Zwischenspeicher"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(" bilder "), "{}", run.stderr);
    // Every stage with its CPU time next to the wall-clock time.
    assert!(run.stderr.contains(" s (CPU "), "{}", run.stderr);
    // And the resident memory at its end, with the peak of the run so far.
    assert!(run.stderr.contains(" MB, Spitze "), "{}", run.stderr);
    assert_eq!(cache_dateien(&p), vorher, "cache files were written again");
    assert_eq!(snapshot(&p.public()), ausgabe);

    // A changed photo is processed again and its old variants leave the cache.
    p.write_bytes("content/dateien/fotos/hoffest.jpg", &handyfoto(1200, 800));
    let dritte = p.build().ok();
    assert_eq!(dritte.report.bilder_erzeugt, 1);
    let nachher = cache_dateien(&p);
    assert!(
        nachher
            .iter()
            .all(|(n, _)| !vorher.iter().any(|(m, _)| m == n))
    );
}

#[test]
fn a_broken_image_is_an_error_naming_it_and_keeps_the_output() {
    let p = portal(BILD, &handyfoto(800, 600));
    p.build().ok();
    let vorher = snapshot(&p.public());
    let mut kaputt = handyfoto(800, 600);
    kaputt.truncate(kaputt.len() / 3);
    p.write_bytes("content/dateien/fotos/hoffest.jpg", &kaputt);
    let run = p.cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E030");
    // Where the project names it, and the image itself in the message.
    let projekt_text = p.read("content/projekte/2026/hoffest.md");
    let (zeile, spalte) = pos(&projekt_text, "fotos/hoffest.jpg");
    assert_eq!(d.at(), ("content/projekte/2026/hoffest.md", zeile, spalte));
    assert!(
        d.message.contains("content/dateien/fotos/hoffest.jpg") && d.message.contains("beschädigt"),
        "{}",
        d.raw
    );
    assert!(!d.hint().is_empty());
    assert_eq!(snapshot(&p.public()), vorher);

    // Not an image at all, in a file no project names.
    p.write_bytes("content/dateien/fotos/hoffest.jpg", &handyfoto(800, 600));
    p.write("content/dateien/plakat.png", "das ist kein Bild");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    assert_eq!(
        run.one("E030").file.as_deref(),
        Some("content/dateien/plakat.png")
    );

    // A format the build cannot read.
    p.remove("content/dateien/plakat.png");
    p.write_bytes("content/dateien/fotos/iphone.heic", b"\0\0\0\x18ftypheic");
    let run = p.cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E030");
    assert!(d.message.contains("nicht unterstützt"), "{}", d.raw);
    assert!(d.hint().contains("JPEG"));
}

#[test]
fn empty_alt_only_for_decorative_images() {
    let foto = handyfoto(600, 400);
    let leer = "bilder:\n  - datei: fotos/hoffest.jpg\n    alt: \"\"\n";
    let run = portal(leer, &foto).cli_build(&[]);
    run.assert_code(1);
    let d = run.one("E026");
    assert!(d.message.contains("dekorativ"), "{}", d.raw);
    assert_eq!(d.at().0, "content/projekte/2026/hoffest.md");

    let fehlt = "bilder:\n  - datei: fotos/hoffest.jpg\n    dekorativ: true\n";
    portal(fehlt, &foto)
        .cli_build(&[])
        .assert_code(1)
        .one("E026");

    let dekorativ = "bilder:\n  - datei: fotos/hoffest.jpg\n    alt: \"\"\n    dekorativ: true\n";
    let p = portal(dekorativ, &foto);
    let site = p.build().ok();
    assert!(site.codes().is_empty(), "{}", site.diagnostics());
    let page = site.page("projekte/2026/hoffest/");
    assert_eq!(page.one("figure img").attr("alt"), Some(""));
}

#[test]
fn photos_in_markdown_become_pictures() {
    let p = TestPortal::new()
        .file(
            "content/projekte/2026/hoffest.md",
            &projekt(
                "",
                "Vorher:\n\n![Der leere Hof](/dateien/fotos/hoffest.jpg)\n\n\
                 [Das Foto in voller Größe](/dateien/fotos/hoffest.jpg)\n",
            ),
        )
        .bytes("content/dateien/fotos/hoffest.jpg", &handyfoto(1200, 800));
    let site = p.build().ok();
    assert!(site.codes().is_empty(), "{}", site.diagnostics());
    let page = site.page("projekte/2026/hoffest/");
    let img = page.one(".text picture img");
    assert_eq!(img.attr("alt"), Some("Der leere Hof"));
    assert_eq!(img.attr("width"), Some("800"));
    assert_eq!(img.attr("height"), Some("1200"));
    assert_eq!(img.attr("loading"), Some("lazy"));
    assert!(
        page.one(".text picture source")
            .attr("srcset")
            .unwrap()
            .contains("/gwa/bilder/")
    );
    assert!(!site.out.join("dateien/fotos/hoffest.jpg").exists());
    // A link to the photo leads to its largest clean JPEG.
    let link = page.one(".text a").attr("href").unwrap();
    assert!(
        link.starts_with("/gwa/bilder/hoffest-") && link.ends_with("-800.jpg"),
        "{link}"
    );
    assert!(site.out.join(&link["/gwa/".len()..]).is_file());
    // `check` knows the photo without processing it.
    assert_eq!(p.check().exit_code(), 0);
}

#[test]
fn a_photo_attached_to_a_vorlage_links_to_its_clean_jpeg_also_in_oparl() {
    let vorlage = md(
        "nummer: \"I0264/09\"\nart: information\nthema: \"Thema\"\ndatum: 2009-11-24\n\
         beispiel: true\nanhaenge:\n  - datei: fotos/hoffest.jpg\n    titel: \"Foto vom Ortstermin\"\n",
        "Text der Vorlage.\n",
    );
    let p = TestPortal::new()
        .file("content/vorlagen/i0264-09.md", &vorlage)
        .bytes("content/dateien/fotos/hoffest.jpg", &handyfoto(1200, 800));
    let site = p.build().ok();
    let page = site.page("vorlagen/i0264-09/");
    let link = page
        .select("main .dateien a")
        .into_iter()
        .find(|a| text(*a) == "Foto vom Ortstermin")
        .expect("the attachment's link");
    let href = link.attr("href").unwrap();
    assert!(
        href.starts_with("/gwa/bilder/hoffest-") && href.ends_with("-800.jpg"),
        "{href}"
    );
    assert!(site.out.join(&href["/gwa/".len()..]).is_file());
    // The OParl File of the attachment points to the same JPEG, which exists.
    let mut gefunden = false;
    for (pfad, bytes) in snapshot(&site.out.join("oparl")) {
        let json = String::from_utf8(bytes).unwrap();
        assert!(!json.contains("dateien/fotos/hoffest.jpg"), "{pfad}");
        for teil in json.split("\"accessUrl\":").skip(1) {
            let url = teil.trim_start().trim_start_matches('"');
            let url = &url[..url.find('"').unwrap()];
            let rel = url.strip_prefix("https://example.org/gwa/").unwrap();
            assert!(site.out.join(rel).is_file(), "{pfad}: {url}");
            gefunden |= rel.starts_with("bilder/hoffest-");
        }
    }
    assert!(gefunden, "no OParl File points to the photo");
}
