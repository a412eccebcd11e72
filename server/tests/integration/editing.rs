//! The editor's live preview (the site's own renderer, the tenant's theme, never indexed)
//! and scheduled publishing (a job in the feed that survives a restart).

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;

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
        // A page number past the end is an empty page, whatever its size.
        for far in ["9223372036854775807", "-9223372036854775808"] {
            let response = app.call_form(&client, "cms/audit", &[("page", far)]).await;
            assert_eq!(response.status(), 200, "{far}");
            let page: Vec<Value> = response.json().await.unwrap();
            assert!(far.starts_with('-') || page.is_empty(), "{far}");
        }
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

/// Opens the editor's presence stream for a document, as an open editor tab does.
async fn open_editor(
    app: &TestApp,
    client: &reqwest::Client,
    collection: &str,
    id: &str,
) -> SseReader {
    let response = client
        .get(app.url(&format!(
            "/api/cms/editors/stream?collection={collection}&id={id}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the editor's presence stream opens");
    SseReader::new(response)
}

/// The next list of other editors pushed to an open editor.
async fn others(editor: &mut SseReader) -> Vec<String> {
    let event = editor
        .next(Duration::from_secs(20))
        .await
        .expect("a list of editors is pushed");
    assert_eq!(event.event.as_deref(), Some("editors"));
    serde_json::from_str(&event.data).unwrap()
}

on_both_engines!(
    editors_see_who_else_has_a_document_open_as_it_changes,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        let id = app.page_id(&owner, "about").await;

        let mut owners_tab = open_editor(&app, &owner, "page", &id).await;
        assert!(others(&mut owners_tab).await.is_empty(), "alone at first");
        let mut editors_tab = open_editor(&app, &editor, "page", &id).await;
        assert_eq!(others(&mut editors_tab).await, ["Acme Corporation Owner"]);
        assert_eq!(
            others(&mut owners_tab).await,
            ["A Member"],
            "pushed to the one already there"
        );

        // A second tab of the same person is not "someone else", and closing it does not
        // hide the first.
        let second_tab = open_editor(&app, &editor, "page", &id).await;
        drop(second_tab);
        let mut yet_another = open_editor(&app, &owner, "page", &id).await;
        assert_eq!(others(&mut yet_another).await, ["A Member"]);
        drop(yet_another);

        // The editor closes the tab: the owner hears without asking.
        drop(editors_tab);
        assert!(
            others(&mut owners_tab).await.is_empty(),
            "gone once the editor's tab closed"
        );

        // Another tenant cannot watch (or learn of) this document, nor an unknown one.
        let globex = app.login_as(GLOBEX).await;
        for (client, collection, doc) in [
            (&globex, "page", id.as_str()),
            (&owner, "post", id.as_str()),
            (&owner, "page", "no-such-page"),
        ] {
            let refused = client
                .get(app.url(&format!(
                    "/api/cms/editors/stream?collection={collection}&id={doc}"
                )))
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), 404, "{collection} {doc}");
        }
        let signed_out = app
            .client()
            .get(app.url(&format!("/api/cms/editors/stream?collection=page&id={id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_out.status(), 401);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_reaches_editors_served_by_another_process() {
    let Some(first) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let second = first.spawn_web_only_beside(false).await;
    let owner = first.login_as(ACME).await;
    let editor = first
        .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
        .await;
    let id = first.page_id(&owner, "about").await;
    let mut owners_tab = open_editor(&second, &owner, "page", &id).await;
    assert!(others(&mut owners_tab).await.is_empty());
    let editors_tab = open_editor(&first, &editor, "page", &id).await;
    assert_eq!(others(&mut owners_tab).await, ["A Member"]);
    drop(editors_tab);
    assert!(others(&mut owners_tab).await.is_empty());
}
