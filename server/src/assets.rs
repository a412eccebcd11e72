//! The dashboard's built files (`/pkg`): names that carry a hash of their content are kept
//! by browsers for a year, and their brotli and gzip bodies are made once, beside each
//! file, rather than compressed again at every request.

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;

/// `/pkg` and `/fonts` from the built site, compressed bodies preferred when present.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str) -> Router<S> {
    Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(format!("{site_root}/pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .nest_service("/fonts", ServeDir::new(format!("{site_root}/fonts")))
        .layer(axum::middleware::map_response(
            |uri: axum::http::Uri, mut response: Response| async move {
                if response.status() == StatusCode::OK {
                    if let Some(policy) = cache_control(uri.path(), uri.query()) {
                        response
                            .headers_mut()
                            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
                    }
                }
                response
            },
        ))
}

/// How long browsers may keep a static file: a year for a name or URL versioned by its
/// content, a week for fonts (their names carry their variant and never change), and
/// otherwise ask again each time (answered with 304 when unchanged).
pub fn cache_control(path: &str, query: Option<&str>) -> Option<&'static str> {
    let versioned = query.is_some_and(|q| q.split('&').any(|pair| pair.starts_with("v=")))
        || path.rsplit('/').next().is_some_and(has_content_hash);
    if path.starts_with("/pkg/") && versioned {
        Some("public, max-age=31536000, immutable")
    } else if path.starts_with("/fonts/") {
        Some("public, max-age=604800")
    } else if path.starts_with("/pkg/") {
        Some("no-cache")
    } else {
        None
    }
}

/// `bizosaas.Zm9vYmFyYmF6cXV1eA.wasm`: cargo-leptos's `hash-files` puts a URL-safe
/// base64 digest of the content between the name and the extension.
fn has_content_hash(file_name: &str) -> bool {
    let Some((_, rest)) = file_name.split_once('.') else {
        return false;
    };
    let Some((middle, _extension)) = rest.rsplit_once('.') else {
        return false;
    };
    middle.split('.').any(|part| {
        part.len() >= 16
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// What the build's hash file (beside the binary, written by cargo-leptos when
/// `hash-files` is on) says, e.g. `css: Zm9v...`; None when hashing is off or the
/// file is missing (a binary run from elsewhere, or tests).
pub fn build_hashes(options: &LeptosOptions) -> Option<String> {
    if !options.hash_files {
        return None;
    }
    let beside_binary = std::env::current_exe().ok()?.parent()?.to_path_buf();
    std::fs::read_to_string(beside_binary.join(options.hash_file.as_ref())).ok()
}

/// The built files worth compressing.
fn compressible(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("wasm" | "js" | "css" | "json" | "svg")
    )
}

/// Writes `name.br` (brotli 11) and `name.gz` (gzip 9) beside each built file that lacks
/// them or whose copy is older, and returns how many files it compressed. Slow by
/// design (a few seconds for the WASM), so start-up runs it off the async threads; until
/// it finishes, those files are compressed per request as before.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            done += precompress(&path)?;
            continue;
        }
        if !compressible(&path) {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let stale = |sibling: &Path| {
            std::fs::metadata(sibling)
                .and_then(|m| m.modified())
                .map_or(true, |at| at < modified)
        };
        let (br, gz) = (with_suffix(&path, "br"), with_suffix(&path, "gz"));
        if !stale(&br) && !stale(&gz) {
            continue;
        }
        let body = std::fs::read(&path)?;
        let mut brotli = Vec::with_capacity(body.len() / 3);
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
            writer.write_all(&body)?;
        }
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(body.len() / 3),
            flate2::Compression::best(),
        );
        gzip.write_all(&body)?;
        write_whole(&br, &brotli)?;
        write_whole(&gz, &gzip.finish()?)?;
        done += 1;
    }
    Ok(done)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Written under another name, then renamed: a request never sees half a file, and two
/// processes starting on one site folder never write into each other's.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = with_suffix(path, &format!("{}.partial", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// Whether `pkg` holds the WASM of the build described by `hashes` (the hash file beside
/// the binary; None when hashing is off, taken as yes). After `make test` the site folder
/// holds a debug build's files, which a release server cannot use anyway.
fn holds_build(pkg: &Path, hashes: Option<&str>) -> bool {
    let Some(wasm) = hashes.and_then(|h| h.lines().find_map(|l| l.strip_prefix("wasm:"))) else {
        return true;
    };
    let name_end = format!(".{}.wasm", wasm.trim());
    std::fs::read_dir(pkg).is_ok_and(|mut files| {
        files.any(|file| {
            file.is_ok_and(|file| file.file_name().to_string_lossy().ends_with(&name_end))
        })
    })
}

/// Compresses the built site's files in the background, once per build, when they are
/// the files of the build the binary came from (`hashes`, from `build_hashes`).
pub fn precompress_in_background(site_root: &str, hashes: Option<String>) {
    let pkg = PathBuf::from(site_root).join("pkg");
    if !holds_build(&pkg, hashes.as_deref()) {
        tracing::warn!(
            dir = %pkg.display(),
            "the site's files are not this binary's build (rebuild with `cargo leptos build --release --split`); not compressing them"
        );
        return;
    }
    tokio::task::spawn_blocking(move || match precompress(&pkg) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "compressed the dashboard's files once"),
        Err(err) => tracing::warn!(
            error = &err as &dyn std::error::Error,
            dir = %pkg.display(),
            "could not precompress the dashboard's files; they are compressed per request"
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_versioned_assets_are_kept_for_a_year() {
        let year = Some("public, max-age=31536000, immutable");
        assert_eq!(cache_control("/pkg/bizosaas.css", Some("v=1a2b")), year);
        assert_eq!(
            cache_control("/pkg/bizosaas.Q2xhdWRlIHdhcyBoZXJl.wasm", None),
            year
        );
        assert_eq!(
            cache_control("/pkg/bizosaas.Q2xhdWRlIHdhcyBoZXJl.wasm.br", None),
            year
        );
        // The lazy screens' chunks and their loader (`cargo leptos build --split`).
        assert_eq!(
            cache_control("/pkg/chunk_104.VnEFfgy2QAUbJqf50r4Xzg.wasm", None),
            year
        );
        assert_eq!(
            cache_control("/pkg/__wasm_split.4hVppDlj6lcIG1YL24nd2g.js", None),
            year
        );
        assert_eq!(cache_control("/pkg/chunk_104.wasm", None), Some("no-cache"));
        assert_eq!(cache_control("/pkg/bizosaas.css", None), Some("no-cache"));
        assert_eq!(
            cache_control("/pkg/bizosaas_bg.wasm", None),
            Some("no-cache")
        );
        assert_eq!(cache_control("/pkg/a.b.css", None), Some("no-cache"));
        assert_eq!(
            cache_control("/pkg/bizosaas.css", Some("x=1")),
            Some("no-cache")
        );
        assert_eq!(
            cache_control("/fonts/inter-latin-400-normal.woff2", None),
            Some("public, max-age=604800")
        );
        assert_eq!(cache_control("/favicon.ico", None), None);
    }

    #[test]
    fn only_the_binarys_own_build_is_compressed() {
        let dir = std::env::temp_dir().join(format!("bizosaas-build-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bizosaas.AAAAAAAAAAAAAAAAAAAAAA.wasm"), "debug").unwrap();
        let release = "js: x\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: y\n";
        assert!(!holds_build(&dir, Some(release)));
        std::fs::write(dir.join("bizosaas.BBBBBBBBBBBBBBBBBBBBBB.wasm"), "release").unwrap();
        assert!(holds_build(&dir, Some(release)));
        assert!(
            holds_build(&dir, None),
            "without hashed names there is nothing to tell"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn built_files_are_compressed_once_and_again_only_when_rebuilt() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("bizosaas-assets-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("nested")).unwrap();
        let wasm = "(module) ".repeat(5000);
        std::fs::write(dir.join("app.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("nested/app.js"), "export {}").unwrap();
        std::fs::write(dir.join("font.woff2"), "binary").unwrap();

        assert_eq!(precompress(&dir).unwrap(), 2);
        let mut unpacked = String::new();
        brotli::Decompressor::new(&std::fs::read(dir.join("app.wasm.br")).unwrap()[..], 4096)
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, wasm);
        let mut unpacked = String::new();
        flate2::read::GzDecoder::new(&std::fs::read(dir.join("app.wasm.gz")).unwrap()[..])
            .read_to_string(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, wasm);
        assert!(dir.join("nested/app.js.br").exists());
        assert!(
            !dir.join("font.woff2.br").exists(),
            "fonts are compressed already"
        );
        assert!(!dir.join("app.wasm.br.br").exists());

        assert_eq!(precompress(&dir).unwrap(), 0, "nothing changed");
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("nested/app.js"), "export const a = 1").unwrap();
        assert_eq!(precompress(&dir).unwrap(), 1, "only the rebuilt file");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
