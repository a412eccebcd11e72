//! Every block type renders on the tenant site; bad block data never breaks a page.

use crate::common::*;
use serde_json::json;

on_both_engines!(
    the_demo_home_page_shows_every_kind_of_block,
    |app: TestApp| async move {
        let home = app.get_site("acme", "/").await.text().await.unwrap();
        for marker in [
        "class=\"hero ",
        "href=\"/about\">Learn about us</a>",
        "<section class=\"features ",
        "<h3 class=\"text-lg font-semibold\" style=\"color: var(--color-primary)\">Built to last</h3>",
        "<section class=\"testimonials ",
        "“Exactly what we needed, on time.”",
        "<section class=\"faq ",
        "<section class=\"cta ",
        "href=\"mailto:hello@acme.test\">Email us</a>",
    ] {
        assert!(home.contains(marker), "missing {marker}");
    }
    }
);

on_both_engines!(
    an_unreadable_block_is_skipped_not_fatal,
    |app: TestApp| async move {
        let acme = app::tenancy::store::tenant_by_slug(&app.db, "acme")
            .await
            .unwrap()
            .unwrap();
        // As if written by a newer version, or damaged by hand.
        let stored = json!({
            "title": "Mixed",
            "meta_description": "",
            "blocks": [
                { "type": "hologram", "depth": 3 },
                { "type": "text", "markdown": "Still **here**." },
                { "type": "faq", "items": "not a list" }
            ]
        })
        .to_string();
        sqlx::query(
        "insert into pages (tenant_id, id, slug, draft, published, created_at, updated_at, published_at) \
         values ($1, 'mixed', 'mixed', $2, $2, 0, 0, 0)",
    )
    .bind(&acme.id)
    .bind(&stored)
    .execute(&app.db.pool)
    .await
    .unwrap();

        let page = app.get_site("acme", "/mixed").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("Still <strong>here</strong>."));
        assert!(!html.contains("hologram"));

        let client = app.login_as(ACME).await;
        let pages = app.pages(&client).await;
        let mixed = pages
            .iter()
            .find(|p| p["slug"] == "mixed")
            .expect("listed in the CMS");
        assert_eq!(mixed["draft"]["blocks"].as_array().unwrap().len(), 1);
    }
);

on_both_engines!(
    unsafe_links_and_images_are_refused_on_save,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "about").await;
        let content = json!({
            "title": "About",
            "meta_description": "",
            "blocks": [
                { "type": "call_to_action", "heading": "Click", "link": { "label": "Go", "href": "javascript:alert(1)" } },
                { "type": "gallery", "images": [{ "src": "data:image/png;base64,xx", "alt": "" }] }
            ]
        });
        let response = app
            .call_json(
                &client,
                "cms/save_draft",
                &json!({ "id": id, "base_revision": 1, "content": content }),
            )
            .await;
        assert_eq!(response.status(), 422);
        let body: serde_json::Value = response.json().await.unwrap();
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("Block 1 (Call to action): The button link must be a web address"),
            "{message}"
        );
        assert!(
            message.contains("Block 2 (Gallery): Image 1 must be a web address"),
            "{message}"
        );
        assert!(
            message.contains("Block 2 (Gallery): Image 1 alt text is empty."),
            "{message}"
        );

        // Browsers read `//host` and `/\host` as another site, not a path of this one.
        for off_site in ["//evil.example", "/\\evil.example"] {
            let content = json!({
                "title": "About",
                "meta_description": "",
                "blocks": [{ "type": "call_to_action", "heading": "Click",
                             "link": { "label": "Go", "href": off_site } }]
            });
            let response = app
                .call_json(
                    &client,
                    "cms/save_draft",
                    &json!({ "id": id, "base_revision": 1, "content": content }),
                )
                .await;
            assert_eq!(response.status(), 422, "{off_site}");
        }
    }
);
