//! The dashboard's built files: a browser that accepts brotli or gzip gets the body
//! compressed once at start-up, never one compressed for its request; names carrying a
//! content hash are kept for a year.

use crate::common::*;

#[tokio::test]
async fn built_files_are_served_precompressed_and_hashed_names_kept_for_a_year() {
    let site = temp_dir();
    let pkg = site.path.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let script = "export function start() { return 'dashboard'; }\n".repeat(200);
    std::fs::write(pkg.join("bizosaas.Q2xhdWRlIHdhcyBoZXJl.js"), &script).unwrap();
    assert_eq!(server::assets::precompress(&pkg).unwrap(), 1);
    let site_root = site.path.display().to_string();
    let app = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.leptos.site_root = site_root.into();
    })
    .await
    .expect("SQLite always runs");
    // This client never decodes bodies, so what arrives is what was sent.
    let client = reqwest::Client::new();
    let url = app.url("/pkg/bizosaas.Q2xhdWRlIHdhcyBoZXJl.js");

    for (accepts, encoding, file) in [
        (
            "br, gzip",
            Some("br"),
            "bizosaas.Q2xhdWRlIHdhcyBoZXJl.js.br",
        ),
        ("gzip", Some("gzip"), "bizosaas.Q2xhdWRlIHdhcyBoZXJl.js.gz"),
        ("identity", None, "bizosaas.Q2xhdWRlIHdhcyBoZXJl.js"),
    ] {
        let response = client
            .get(&url)
            .header("accept-encoding", accepts)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{accepts}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accepts}"
        );
        assert_eq!(
            response.bytes().await.unwrap(),
            std::fs::read(pkg.join(file)).unwrap(),
            "the body made at start-up, byte for byte ({accepts})"
        );
    }
    app.stop().await;
}
