//! Peak memory of making image sizes: eight 6300×6300 one-colour PNGs (about 115 KB
//! each, 40 megapixels once decoded) at once, as eight uploads' jobs would run them.
//! `make bench-images`; results in docs/performance.md.

use std::io::Cursor;

fn kilobytes(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let picture = image::RgbImage::from_pixel(6300, 6300, image::Rgb([40, 90, 200]));
    let mut png = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    drop(picture);
    println!("one file: {} KB", png.len() / 1024);
    // Forget the memory it took to make the test file: measure the jobs only.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    println!("before: {} MB resident", kilobytes("VmRSS:") / 1024);
    let dir = std::env::temp_dir().join(format!("bizosaas-image-memory-{}", std::process::id()));
    let started = std::time::Instant::now();
    let jobs: Vec<_> = (0..8)
        .map(|n| {
            let (png, folder) = (png.clone(), dir.join(n.to_string()));
            std::thread::spawn(move || {
                std::fs::create_dir_all(&folder).expect("a folder");
                app::media::files::make_variants(&png, &folder)
            })
        })
        .collect();
    for job in jobs {
        let made = job.join().expect("a job").expect("sizes made");
        assert_eq!(made, vec![320, 640, 1024, 1600]);
    }
    println!(
        "eight at once: {:.1} s, peak {} MB resident",
        started.elapsed().as_secs_f64(),
        kilobytes("VmHWM:") / 1024
    );
    let _ = std::fs::remove_dir_all(dir);
}
