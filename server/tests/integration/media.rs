//! The media library: uploads are checked by their bytes and size, originals kept,
//! WebP variants made by a job in the feed and used in `srcset`; files are served only
//! to their own tenant; a file in use is deleted only after the places are named.

use std::time::Duration;

use crate::common::*;
use app::cms::{PageContent, PostContent, ProductContent};
use serde_json::{json, Value};

/// Waits for the variants task of the newest upload to finish.
async fn variants_done(app: &TestApp, client: &reqwest::Client) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let feed = app.feed(client).await;
        let task = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["task_type"] == "media_variants")
            .cloned();
        if let Some(task) = task.filter(|t| t["status"] == "completed" || t["status"] == "failed") {
            return task;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the variants job never finished"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_engines!(
    an_upload_keeps_the_original_and_gets_webp_sizes,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let original = png(1200, 600);
        let response = app
            .upload_media(&acme, "..%2F..%2Fholiday.png", original.clone())
            .await;
        assert_eq!(response.status(), 201);
        let file: Value = response.json().await.unwrap();
        assert_eq!(
            file["filename"], "holiday.png",
            "no path from the client survives"
        );
        assert_eq!(file["content_type"], "image/png");
        assert_eq!(
            (file["width"].as_i64(), file["height"].as_i64()),
            (Some(1200), Some(600))
        );
        let id = file["id"].as_str().unwrap().to_string();

        let task = variants_done(&app, &acme).await;
        assert_eq!(task["status"], "completed", "{task}");
        assert!(
            task["summary"].as_str().unwrap().contains("Made 3 sizes"),
            "{task}"
        );
        let list: Vec<Value> = app
            .call_form(&acme, "media/list", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list[0]["variants"], json!([320, 640, 1024]));

        // The original is served untouched, on acme's site and to acme's members.
        let served = app
            .get_site("acme", &format!("/media/{id}/original.png"))
            .await;
        assert_eq!(served.status(), 200);
        assert_eq!(served.headers()["content-type"], "image/png");
        assert_eq!(
            served.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(served.bytes().await.unwrap().to_vec(), original);
        let webp = app
            .get_site("acme", &format!("/media/{id}/w640.webp"))
            .await;
        assert_eq!(webp.headers()["content-type"], "image/webp");
        let bytes = webp.bytes().await.unwrap();
        assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 640);
        assert_eq!(
            app.get_site("acme", &format!("/media/{id}/w1600.webp"))
                .await
                .status(),
            404
        );
        let in_editor = acme
            .get(app.url(&format!("/media/{id}/original.png")))
            .send()
            .await
            .unwrap();
        assert_eq!(in_editor.status(), 200);

        // Never to another tenant, by any host.
        assert_eq!(
            app.get_site("globex", &format!("/media/{id}/original.png"))
                .await
                .status(),
            404
        );
        let globex = app.login_as(GLOBEX).await;
        let theirs = globex
            .get(app.url(&format!("/media/{id}/original.png")))
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404);
        let signed_out = app
            .client()
            .get(app.url(&format!("/media/{id}/original.png")))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_out.status(), 404);
        let globex_list: Vec<Value> = app
            .call_form(&globex, "media/list", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(globex_list.is_empty());

        // A gallery of it gets srcset and sizes.
        let page = json!({ "title": "Holiday", "meta_description": "", "blocks": [
            { "type": "gallery", "heading": "Photos", "images": [{ "src": format!("/media/{id}/original.png"), "alt": "The beach" }] }
        ]});
        app.publish::<PageContent>(&acme, "holiday", page).await;
        let html = app.get_site("acme", "/holiday").await.text().await.unwrap();
        assert!(html.contains(&format!(
            r#"srcset="/media/{id}/w320.webp 320w, /media/{id}/w640.webp 640w, /media/{id}/w1024.webp 1024w, /media/{id}/original.png 1200w""#
        )), "{html}");
        assert!(html.contains(r#"sizes="(min-width: 768px) 33vw, 50vw""#));

        // A hero's library background is a full-width picture with every size, behind the
        // text; an outside image stays a CSS background.
        let page = json!({ "title": "Welcome", "meta_description": "", "blocks": [
            { "type": "hero", "heading": "Sunny", "subheading": "", "background_image": format!("/media/{id}/original.png") },
            { "type": "hero", "heading": "Elsewhere", "subheading": "", "background_image": "https://images.example/sea.jpg" }
        ]});
        app.publish::<PageContent>(&acme, "welcome", page).await;
        let html = app.get_site("acme", "/welcome").await.text().await.unwrap();
        let hero = html.split(r#"<section class="hero"#).nth(1).unwrap();
        assert!(
            hero.contains(&format!(
                r#"<img src="/media/{id}/original.png" srcset="/media/{id}/w320.webp 320w"#
            )) && hero.contains(r#"sizes="100vw""#),
            "{hero}"
        );
        let outside = html.split(r#"<section class="hero"#).nth(2).unwrap();
        assert!(
            outside.contains("url('https://images.example/sea.jpg')") && !outside.contains("<img")
        );

        // So do product pictures and post covers.
        let src = format!("/media/{id}/original.png");
        let product = json!({ "name": "Beach towel", "summary": "Big and soft.", "price": { "minor_units": 1500, "currency": "EUR" },
            "images": [{ "src": src, "alt": "A towel" }] });
        app.publish::<ProductContent>(&acme, "towel", product).await;
        let srcset = format!(r#"srcset="/media/{id}/w320.webp 320w"#);
        let html = app
            .get_site("acme", "/products/towel")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(&srcset), "{html}");
        let list = app
            .get_site("acme", "/products")
            .await
            .text()
            .await
            .unwrap();
        assert!(list.contains(&srcset));
        let post = json!({ "title": "Holiday notes", "body": "Sun.", "cover_image": { "src": src, "alt": "The beach" } });
        app.publish::<PostContent>(&acme, "holiday-notes", post)
            .await;
        let html = app
            .get_site("acme", "/blog/holiday-notes")
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains(&srcset));
    }
);

on_both_engines!(
    uploads_are_checked_by_content_size_and_role,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let svg =
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
        let refused = app.upload_media(&acme, "logo.png", svg).await;
        assert_eq!(refused.status(), 415);
        let message: Value = refused.json().await.unwrap();
        assert!(message["message"].as_str().unwrap().contains("SVG"));
        let exe = app
            .upload_media(
                &acme,
                "photo.jpg",
                b"MZ\x90\x00this is not a photo".to_vec(),
            )
            .await;
        assert_eq!(exe.status(), 415);
        let huge = app
            .upload_media(&acme, "big.png", vec![0u8; 11 * 1024 * 1024])
            .await;
        assert_eq!(huge.status(), 413);
        let message: Value = huge.json().await.unwrap();
        assert!(message["message"].as_str().unwrap().contains("10 MB"));

        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        assert_eq!(
            app.upload_media(&viewer, "a.png", png(10, 10))
                .await
                .status(),
            403
        );
        assert_eq!(
            app.upload_media(&app.client(), "a.png", png(10, 10))
                .await
                .status(),
            401
        );
        let list: Vec<Value> = app
            .call_form(&acme, "media/list", &[])
            .await
            .json()
            .await
            .unwrap();
        assert!(list.is_empty(), "nothing refused was kept");
    }
);

on_both_engines!(
    a_file_in_use_is_deleted_only_once_its_places_are_named,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let file: Value = app
            .upload_media(&acme, "team.png", png(200, 100))
            .await
            .json()
            .await
            .unwrap();
        let id = file["id"].as_str().unwrap().to_string();
        let alt = app
            .call_form(&acme, "media/alt", &[("id", &id), ("alt", "Our team")])
            .await;
        assert_eq!(alt.status(), 200);
        let page = json!({ "title": "Team", "meta_description": "", "blocks": [
            { "type": "gallery", "images": [{ "src": format!("/media/{id}/original.png"), "alt": "Our team" }] }
        ]});
        app.publish::<PageContent>(&acme, "team", page).await;

        let usage: Vec<Value> = app
            .call_form(&acme, "media/usage", &[("id", &id)])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            usage,
            vec![json!({ "collection": "page", "title": "Team", "path": "/team" })]
        );
        let globex = app.login_as(GLOBEX).await;
        assert_eq!(
            app.call_form(&globex, "media/delete", &[("id", &id), ("confirm", "true")])
                .await
                .status(),
            404
        );

        let refused = app
            .call_form(&acme, "media/delete", &[("id", &id), ("confirm", "false")])
            .await;
        assert_eq!(refused.status(), 409);
        let message: Value = refused.json().await.unwrap();
        assert!(
            message["message"]
                .as_str()
                .unwrap()
                .contains("page “Team” (/team)"),
            "{message}"
        );
        assert_eq!(
            app.get_site("acme", &format!("/media/{id}/original.png"))
                .await
                .status(),
            200
        );

        let deleted = app
            .call_form(&acme, "media/delete", &[("id", &id), ("confirm", "true")])
            .await;
        assert_eq!(deleted.status(), 200);
        assert_eq!(
            app.get_site("acme", &format!("/media/{id}/original.png"))
                .await
                .status(),
            404
        );
    }
);
