//! Editing a page: drafts stay off the site until published; roles and bad input.

use crate::common::*;
use serde_json::json;

fn content(title: &str, text: &str) -> serde_json::Value {
    json!({
        "title": title,
        "meta_description": "A page about the things Acme makes, for people who need them today.",
        "blocks": [
            { "type": "hero", "heading": "Hello", "subheading": "World" },
            { "type": "text", "markdown": text }
        ]
    })
}

on_both_engines!(
    drafts_are_invisible_until_published,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "about").await;

        let saved = app
            .call_json(
                &client,
                "cms/save_draft",
                &json!({ "id": id, "base_revision": 1, "content": content("About Acme", "Rockets **since** 1949.") }),
            )
            .await;
        assert_eq!(saved.status(), 200);
        let saved: serde_json::Value = saved.json().await.unwrap();
        assert_eq!(saved["draft"]["title"], "About Acme");

        let site = app.get_site("acme", "/about").await.text().await.unwrap();
        assert!(
            !site.contains("since</strong> 1949"),
            "a draft must not reach the site"
        );
        assert!(site.contains("family business"));

        let published = app.call_form(&client, "cms/publish", &[("id", &id)]).await;
        assert_eq!(published.status(), 200);
        let site = app.get_site("acme", "/about").await.text().await.unwrap();
        assert!(site.contains("Rockets <strong>since</strong> 1949."));
        assert!(site.contains("<title>About Acme · Acme Corporation</title>"));

        let pages = app.pages(&client).await;
        let about = pages.iter().find(|p| p["id"] == id.as_str()).unwrap();
        assert_eq!(about["published"]["title"], "About Acme");
    }
);

on_both_engines!(
    script_in_text_fields_never_reaches_visitors,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "about").await;
        let evil = content(
            "<script>alert('t')</script>",
            "<script>alert(1)</script><img src=x onerror=alert(2)>",
        );
        let saved = app
            .call_json(
                &client,
                "cms/save_draft",
                &json!({ "id": id, "base_revision": 1, "content": evil }),
            )
            .await;
        assert_eq!(saved.status(), 200);
        assert_eq!(
            app.call_form(&client, "cms/publish", &[("id", &id)])
                .await
                .status(),
            200
        );
        let site = app.get_site("acme", "/about").await.text().await.unwrap();
        assert!(!site.contains("<script"), "{site}");
        assert!(!site.contains("onerror"));
        assert!(
            site.contains("&lt;script&gt;alert"),
            "the title is shown as text"
        );
    }
);

on_both_engines!(
    invalid_drafts_are_refused_whole,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let id = app.page_id(&client, "about").await;
        let before = app.pages(&client).await;

        let empty_title = app
            .call_json(
                &client,
                "cms/save_draft",
                &json!({ "id": id, "base_revision": 1, "content": content("  ", "x") }),
            )
            .await;
        assert_eq!(empty_title.status(), 422);
        assert!(empty_title
            .text()
            .await
            .unwrap()
            .contains("The title is empty."));

        let unknown_block = app
        .call_json(&client, "cms/save_draft", &json!({ "id": id, "base_revision": 1, "content": { "title": "T", "meta_description": "", "blocks": [{ "type": "video" }] } }))
        .await;
        assert_eq!(unknown_block.status(), 400);

        let not_json = client
            .post(app.url("/api/cms/save_draft"))
            .header("content-type", "application/json")
            .body("{\"id\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(not_json.status(), 400);

        let unknown_page = app
            .call_json(
                &client,
                "cms/save_draft",
                &json!({ "id": "no-such-page", "base_revision": 1, "content": content("T", "x") }),
            )
            .await;
        assert_eq!(unknown_page.status(), 404);
        assert!(unknown_page
            .text()
            .await
            .unwrap()
            .contains("The page was not found."));
        let unknown_publish = app
            .call_form(&client, "cms/publish", &[("id", "no-such-page")])
            .await;
        assert_eq!(unknown_publish.status(), 404);

        assert_eq!(app.pages(&client).await, before, "nothing was written");
    }
);

on_both_engines!(viewers_read_but_cannot_edit, |app: TestApp| async move {
    let viewer = app
        .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
        .await;
    let id = app.page_id(&viewer, "about").await;
    let save = app
        .call_json(
            &viewer,
            "cms/save_draft",
            &json!({ "id": id, "base_revision": 1, "content": content("Mine now", "x") }),
        )
        .await;
    assert_eq!(save.status(), 403);
    assert!(save
        .text()
        .await
        .unwrap()
        .contains("Your role does not allow this."));
    assert_eq!(
        app.call_form(&viewer, "cms/publish", &[("id", &id)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_form(&viewer, "activity/run_site_check", &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        viewer
            .get(app.url("/api/agent-tasks"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(!app
        .get_site("acme", "/about")
        .await
        .text()
        .await
        .unwrap()
        .contains("Mine now"));
});

/// Two processes on one PostgreSQL: a publish through one reaches visitors of the other,
/// whose page cache was warm.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_clears_the_page_cache_of_every_process() {
    let Some(first) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let second = first.spawn_web_only_beside(false).await;
    assert!(second
        .get_site("acme", "/about")
        .await
        .text()
        .await
        .unwrap()
        .contains("family business"));

    let client = first.login_as(ACME).await;
    let id = first.page_id(&client, "about").await;
    let saved = first
        .call_json(
            &client,
            "cms/save_draft",
            &json!({ "id": id, "base_revision": 1, "content": content("About", "Now in **six** states.") }),
        )
        .await;
    assert_eq!(saved.status(), 200);
    assert_eq!(
        first
            .call_form(&client, "cms/publish", &[("id", &id)])
            .await
            .status(),
        200
    );

    // The notification travels asynchronously; give it a moment.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let html = second
            .get_site("acme", "/about")
            .await
            .text()
            .await
            .unwrap();
        if html.contains("Now in <strong>six</strong> states.") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the second process still serves the old page"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    second.stop().await;
}
