//! No lost edits and a full history: saves based on an older revision are refused,
//! every save and publish keeps a version that can be restored, retention never drops a
//! published version, and the audit log says who did what.

use crate::common::*;
use serde_json::{json, Value};

fn content(title: &str, blocks: Value) -> Value {
    json!({ "title": title, "meta_description": "", "blocks": blocks })
}

async fn page(app: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let response = app.call_form(client, "cms/page", &[("id", id)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    revision: i64,
    content: Value,
) -> reqwest::Response {
    app.call_json(
        client,
        "cms/save_draft",
        &json!({ "id": id, "base_revision": revision, "content": content }),
    )
    .await
}

async fn versions(app: &TestApp, client: &reqwest::Client, id: &str) -> Vec<Value> {
    let response = app
        .call_form(
            client,
            "cms/versions",
            &[("collection", "page"), ("id", id)],
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

on_both_engines!(
    a_save_based_on_an_older_revision_is_refused,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        let id = app.page_id(&owner, "about").await;
        let opened = page(&app, &owner, &id).await["revision"].as_i64().unwrap();
        assert_eq!(page(&app, &editor, &id).await["revision"], opened);

        let first = save(
            &app,
            &editor,
            &id,
            opened,
            content("Editor's about", json!([])),
        )
        .await;
        assert_eq!(first.status(), 200);
        let first: Value = first.json().await.unwrap();
        assert_eq!(first["revision"], opened + 1);

        let second = save(
            &app,
            &owner,
            &id,
            opened,
            content("Owner's about", json!([])),
        )
        .await;
        assert_eq!(second.status(), 409);
        let refusal: Value = second.json().await.unwrap();
        let message = refusal["message"].as_str().unwrap();
        assert!(message.contains("A Member"), "names who saved: {message}");
        assert!(message.contains("reload"), "{message}");
        assert_eq!(
            page(&app, &owner, &id).await["draft"]["title"],
            "Editor's about",
            "nothing overwritten"
        );

        // Based on the revision it now sees, the owner's save goes through.
        let third = save(
            &app,
            &owner,
            &id,
            opened + 1,
            content("Owner's about", json!([])),
        )
        .await;
        assert_eq!(third.status(), 200);
    }
);

on_both_engines!(
    every_save_and_publish_keeps_a_version_that_can_be_restored,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let id = app.page_id(&owner, "about").await;
        let before = page(&app, &owner, &id).await;
        let mut blocks = before["draft"]["blocks"].as_array().unwrap().clone();
        blocks.push(json!({ "type": "text", "markdown": "Now with **rockets**." }));
        let mut edited = content("About Acme", Value::Array(blocks));
        edited["meta_description"] = before["draft"]["meta_description"].clone();
        let saved = save(&app, &owner, &id, 1, edited).await;
        assert_eq!(saved.status(), 200);
        assert_eq!(
            app.call_form(&owner, "cms/publish", &[("id", &id)])
                .await
                .status(),
            200
        );

        let history = versions(&app, &owner, &id).await;
        let actions: Vec<&str> = history
            .iter()
            .map(|v| v["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["published", "saved", "published", "created"]);
        assert_eq!(history[1]["author"], "Acme Corporation Owner");
        assert_eq!(history[3]["author"], "BizOSaaS");
        let changes: Vec<&str> = history[1]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(changes, ["Blocks: 1 added", "Title changed"]);
        assert!(
            history[0]["changes"].as_array().unwrap().is_empty(),
            "publishing changed nothing in the draft"
        );

        // Restoring the first version makes it the draft again; the site changes only on publish.
        let restored = app
            .call_form(
                &owner,
                "cms/restore",
                &[("collection", "page"), ("id", &id), ("number", "1")],
            )
            .await;
        assert_eq!(restored.status(), 200);
        let now = page(&app, &owner, &id).await;
        assert_eq!(now["draft"], before["draft"]);
        assert_eq!(now["revision"], 3);
        assert_eq!(now["published"]["title"], "About Acme");
        assert!(app
            .get_site("acme", "/about")
            .await
            .text()
            .await
            .unwrap()
            .contains("rockets"));
        assert_eq!(versions(&app, &owner, &id).await[0]["action"], "restored");
        let missing = app
            .call_form(
                &owner,
                "cms/restore",
                &[("collection", "page"), ("id", &id), ("number", "99")],
            )
            .await;
        assert_eq!(missing.status(), 404);
    }
);

on_both_engines!(
    retention_never_drops_a_published_version,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let settings: Value = app
            .call_form(&owner, "site/settings", &[])
            .await
            .json()
            .await
            .unwrap();
        let mut settings = settings;
        settings["versions_kept"] = json!(5);
        let saved = app
            .call_json(
                &owner,
                "site/save_settings",
                &json!({ "settings": settings }),
            )
            .await;
        assert_eq!(saved.status(), 200);
        settings["versions_kept"] = json!(1);
        let too_few = app
            .call_json(
                &owner,
                "site/save_settings",
                &json!({ "settings": settings }),
            )
            .await;
        assert_eq!(too_few.status(), 422);

        let id = app.page_id(&owner, "pricing").await;
        for n in 1..=8 {
            let revision = n;
            let response = save(
                &app,
                &owner,
                &id,
                revision,
                content(
                    &format!("Pricing {n}"),
                    json!([{ "type": "text", "markdown": "Prices soon." }]),
                ),
            )
            .await;
            assert_eq!(response.status(), 200);
            if n == 2 {
                assert_eq!(
                    app.call_form(&owner, "cms/publish", &[("id", &id)])
                        .await
                        .status(),
                    200
                );
            }
        }
        let history = versions(&app, &owner, &id).await;
        let published: Vec<_> = history
            .iter()
            .filter(|v| v["action"] == "published")
            .collect();
        assert_eq!(published.len(), 1, "the published version is kept");
        assert_eq!(
            history.len(),
            6,
            "5 unpublished versions and the published one"
        );
        assert_eq!(history[0]["action"], "saved");
    }
);

on_both_engines!(
    unpublish_delete_and_the_audit_log,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let id = app.page_id(&owner, "about").await;
        let unpublished = app
            .call_form(
                &owner,
                "cms/unpublish",
                &[("collection", "page"), ("id", &id)],
            )
            .await;
        assert_eq!(unpublished.status(), 200);
        assert_eq!(app.get_site("acme", "/about").await.status(), 404);
        let sitemap = app
            .get_site("acme", "/sitemap.xml")
            .await
            .text()
            .await
            .unwrap();
        assert!(!sitemap.contains("/about<"));
        assert!(
            page(&app, &owner, &id).await["draft"]["title"] == "About",
            "the draft stays"
        );

        let posts: Vec<Value> = app
            .call_form(&owner, "cms/posts", &[])
            .await
            .json()
            .await
            .unwrap();
        let welcome = posts.iter().find(|p| p["slug"] == "welcome").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let deleted = app
            .call_form(
                &owner,
                "cms/delete",
                &[("collection", "post"), ("id", &welcome)],
            )
            .await;
        assert_eq!(deleted.status(), 200);
        assert_eq!(app.get_site("acme", "/blog/welcome").await.status(), 404);
        let feed = app
            .get_site("acme", "/blog/feed.xml")
            .await
            .text()
            .await
            .unwrap();
        assert!(!feed.contains("/blog/welcome"));

        let log: Vec<Value> = app
            .call_form(&owner, "cms/audit", &[("page", "1")])
            .await
            .json()
            .await
            .unwrap();
        let recent: Vec<(&str, &str, &str)> = log
            .iter()
            .take(2)
            .map(|e| {
                (
                    e["action"].as_str().unwrap(),
                    e["subject"]["document"].as_str().unwrap(),
                    e["title"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            recent,
            [
                ("deleted", "post", "Welcome to the Acme Corporation blog"),
                ("unpublished", "page", "About")
            ]
        );
        assert_eq!(log[0]["user_name"], "Acme Corporation Owner");
        assert!(log
            .iter()
            .any(|e| e["action"] == "created" && e["user_name"] == "BizOSaaS"));
        let globex = app.login_as(GLOBEX).await;
        let theirs: Vec<Value> = app
            .call_form(&globex, "cms/audit", &[("page", "1")])
            .await
            .json()
            .await
            .unwrap();
        assert!(
            theirs
                .iter()
                .all(|e| e["title"] != "About" || e["action"] != "unpublished"),
            "acme's log is acme's"
        );
    }
);

on_both_engines!(
    history_calls_check_role_and_tenant,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let id = app.page_id(&owner, "about").await;
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        assert_eq!(
            versions(&app, &viewer, &id).await.len(),
            2,
            "viewers read history"
        );
        for (endpoint, args) in [
            (
                "cms/restore",
                vec![("collection", "page"), ("id", id.as_str()), ("number", "1")],
            ),
            (
                "cms/unpublish",
                vec![("collection", "page"), ("id", id.as_str())],
            ),
            (
                "cms/delete",
                vec![("collection", "page"), ("id", id.as_str())],
            ),
        ] {
            assert_eq!(
                app.call_form(&viewer, endpoint, &args).await.status(),
                403,
                "{endpoint}"
            );
        }
        assert_eq!(
            save(&app, &viewer, &id, 1, content("Mine", json!([])))
                .await
                .status(),
            403
        );
        assert_eq!(
            app.call_form(&editor, "cms/audit", &[("page", "1")])
                .await
                .status(),
            403
        );

        let globex = app.login_as(GLOBEX).await;
        for (endpoint, args) in [
            (
                "cms/versions",
                vec![("collection", "page"), ("id", id.as_str())],
            ),
            (
                "cms/restore",
                vec![("collection", "page"), ("id", id.as_str()), ("number", "1")],
            ),
            (
                "cms/unpublish",
                vec![("collection", "page"), ("id", id.as_str())],
            ),
            (
                "cms/delete",
                vec![("collection", "page"), ("id", id.as_str())],
            ),
        ] {
            assert_eq!(
                app.call_form(&globex, endpoint, &args).await.status(),
                404,
                "{endpoint}"
            );
        }
        assert_eq!(
            app.get_site("acme", "/about").await.status(),
            200,
            "untouched"
        );
        let unknown = app
            .call_form(
                &owner,
                "cms/versions",
                &[("collection", "video"), ("id", &id)],
            )
            .await;
        assert!(unknown.status().is_client_error());
    }
);
