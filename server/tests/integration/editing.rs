//! The editor's live preview (the site's own renderer, the tenant's theme, never indexed)
//! and scheduled publishing (a job in the feed that survives a restart).

use crate::common::*;
use serde_json::{json, Value};

on_both_engines!(
    the_preview_is_the_live_renderer_in_the_tenants_theme,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let draft = json!({ "title": "Unsaved idea", "meta_description": "", "blocks": [
            { "type": "hero", "heading": "Typed just now", "subheading": "Not saved yet" },
            { "type": "product_grid", "heading": "Shop", "count": 2 }
        ]});
        let response = app
            .call_json(
                &acme,
                "cms/preview",
                &json!({ "collection": "page", "slug": "idea", "content": draft }),
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-robots-tag"], "noindex");
        let html: String = response.json().await.unwrap();
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
        assert!(html.contains("Typed just now"));
        assert!(html.contains("--color-primary:#e11d48"), "acme's theme");
        assert!(
            html.contains("Rocket skates") || html.contains("Bird seed"),
            "real products"
        );
        assert!(html.contains("Preview: not published"));
        assert_eq!(
            app.get_site("acme", "/idea").await.status(),
            404,
            "nothing was published"
        );

        // Each tenant previews in its own theme; posts and products preview too.
        let globex = app.login_as(GLOBEX).await;
        let post = json!({ "title": "Draft post", "body": "Hello **there**" });
        let html: String = app
            .call_json(
                &globex,
                "cms/preview",
                &json!({ "collection": "post", "slug": "draft-post", "content": post }),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(html.contains("--color-primary:#0f766e"));
        assert!(html.contains("<strong>there</strong>"));
        let broken = app
            .call_json(
                &globex,
                "cms/preview",
                &json!({ "collection": "product", "slug": "x", "content": { "name": 5 } }),
            )
            .await;
        assert_eq!(broken.status(), 422);
        let signed_out = app
            .call_json(
                &app.client(),
                "cms/preview",
                &json!({ "collection": "post", "slug": "x", "content": post }),
            )
            .await;
        assert_eq!(signed_out.status(), 401);
    }
);

on_both_engines!(
    a_scheduled_publish_runs_after_a_restart,
    |mut app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "pricing").await;
        let at = app::server::now_ms() + 2_000;
        let response = app
            .call_form(
                &client,
                "cms/schedule",
                &[("collection", "page"), ("id", &id), ("at", &at.to_string())],
            )
            .await;
        assert_eq!(response.status(), 200);
        let task: Value = response.json().await.unwrap();
        assert_eq!(task["status"], "pending");
        assert!(
            task["summary"]
                .as_str()
                .unwrap()
                .contains("will be published at"),
            "{task}"
        );
        assert_eq!(app.get_site("acme", "/pricing").await.status(), 404);

        app.restart().await;
        let client = app.login_as(ACME).await;
        let done = app
            .wait_for_task(&client, task["id"].as_str().unwrap())
            .await;
        assert_eq!(done["status"], "completed", "{done}");
        assert_eq!(done["summary"], "Published “Pricing” as scheduled.");
        assert_eq!(app.get_site("acme", "/pricing").await.status(), 200);
        let log: Vec<Value> = app
            .call_form(&client, "cms/audit", &[("page", "1")])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(log[0]["action"], "published");
        assert_eq!(log[0]["user_name"], "Acme Corporation Owner (scheduled)");
    }
);

on_both_engines!(scheduling_is_checked, |app: TestApp| async move {
    let client = app.login_as(ACME).await;
    let id = app.page_id(&client, "pricing").await;
    let past = (app::server::now_ms() - 3_600_000).to_string();
    let response = app
        .call_form(
            &client,
            "cms/schedule",
            &[("collection", "page"), ("id", &id), ("at", &past)],
        )
        .await;
    assert_eq!(response.status(), 422);
    let soon = (app::server::now_ms() + 60_000).to_string();
    let viewer = app
        .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
        .await;
    let refused = app
        .call_form(
            &viewer,
            "cms/schedule",
            &[("collection", "page"), ("id", &id), ("at", &soon)],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let globex = app.login_as(GLOBEX).await;
    let elsewhere = app
        .call_form(
            &globex,
            "cms/schedule",
            &[("collection", "page"), ("id", &id), ("at", &soon)],
        )
        .await;
    assert_eq!(elsewhere.status(), 404);
});

on_both_engines!(
    editors_see_who_else_has_a_document_open,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        let id = app.page_id(&owner, "about").await;
        let others = |client| {
            let (app, id) = (&app, id.clone());
            async move {
                let response = app
                    .call_form(
                        client,
                        "cms/editing",
                        &[("collection", "page"), ("id", &id)],
                    )
                    .await;
                assert_eq!(response.status(), 200);
                response.json::<Vec<String>>().await.unwrap()
            }
        };
        assert!(others(&owner).await.is_empty(), "alone at first");
        assert_eq!(others(&editor).await, ["Acme Corporation Owner"]);
        assert_eq!(others(&owner).await, ["A Member"]);
        let left = app
            .call_form(
                &editor,
                "cms/stop_editing",
                &[("collection", "page"), ("id", &id)],
            )
            .await;
        assert_eq!(left.status(), 200);
        assert!(
            others(&owner).await.is_empty(),
            "gone once the editor closed"
        );

        let globex = app.login_as(GLOBEX).await;
        let elsewhere = app
            .call_form(
                &globex,
                "cms/editing",
                &[("collection", "page"), ("id", &id)],
            )
            .await;
        assert_eq!(
            elsewhere.status(),
            404,
            "another tenant's document cannot be watched"
        );
    }
);
