//! Site structure: nested page paths, reserved paths, and addresses that keep working
//! (301) after a slug changes.

use crate::common::*;
use app::cms::PageContent;
use serde_json::json;

fn page(title: &str) -> serde_json::Value {
    json!({ "title": title, "meta_description": "", "blocks": [{ "type": "text", "markdown": title }] })
}

on_both_engines!(pages_can_live_at_nested_paths, |app: TestApp| async move {
    let client = app.login_as(ACME).await;
    app.publish::<PageContent>(&client, "services/web/design", page("Web design"))
        .await;
    let response = app.get_site("acme", "/services/web/design").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("<title>Web design · Acme Corporation</title>"));
    assert_eq!(app.get_site("acme", "/services/web").await.status(), 404);
    for (slug, why) in [
        ("blog/x", "the blog's"),
        ("products", "the catalogue's"),
        ("a//b", "empty part"),
        ("Services", "upper case"),
        ("a/b/c/d/e/f", "too deep"),
    ] {
        let response = app
            .call_json(
                &client,
                "cms/create_page",
                &json!({ "slug": slug, "content": page("x") }),
            )
            .await;
        assert_eq!(response.status(), 422, "{slug}: {why}");
    }
});

on_both_engines!(
    a_changed_slug_leaves_a_permanent_redirect,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let about = app.page_id(&client, "about").await;
        let moved = app
            .call_form(
                &client,
                "cms/page_slug",
                &[("id", &about), ("slug", "about-us")],
            )
            .await;
        assert_eq!(moved.status(), 200);
        let old = app.get_site("acme", "/about").await;
        assert_eq!(old.status(), 301);
        assert_eq!(old.headers()["location"], "/about-us");
        assert_eq!(app.get_site("acme", "/about-us").await.status(), 200);

        // Moving again sends the oldest address straight to the newest.
        app.call_form(
            &client,
            "cms/page_slug",
            &[("id", &about), ("slug", "company/about")],
        )
        .await;
        assert_eq!(
            app.get_site("acme", "/about").await.headers()["location"],
            "/company/about"
        );
        assert_eq!(
            app.get_site("acme", "/about-us").await.headers()["location"],
            "/company/about"
        );
        // Moving back makes the first address live again, with no loop.
        app.call_form(
            &client,
            "cms/page_slug",
            &[("id", &about), ("slug", "about")],
        )
        .await;
        assert_eq!(app.get_site("acme", "/about").await.status(), 200);
        assert_eq!(
            app.get_site("acme", "/company/about").await.headers()["location"],
            "/about"
        );

        // Posts and products keep their old addresses too.
        let posts = app
            .call_form(&client, "cms/posts", &[])
            .await
            .json::<Vec<serde_json::Value>>()
            .await
            .unwrap();
        let welcome = posts.iter().find(|p| p["slug"] == "welcome").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        app.call_form(
            &client,
            "cms/post_slug",
            &[("id", &welcome), ("slug", "hello")],
        )
        .await;
        assert_eq!(
            app.get_site("acme", "/blog/welcome").await.headers()["location"],
            "/blog/hello"
        );

        // A draft was never live: no redirect is left behind.
        let pricing = app.page_id(&client, "pricing").await;
        app.call_form(
            &client,
            "cms/page_slug",
            &[("id", &pricing), ("slug", "prices")],
        )
        .await;
        assert_eq!(app.get_site("acme", "/pricing").await.status(), 404);

        // Redirects belong to their tenant.
        assert_eq!(app.get_site("globex", "/about-us").await.status(), 404);
        // Taking a slug another page has is refused.
        let taken = app
            .call_form(
                &client,
                "cms/page_slug",
                &[("id", &pricing), ("slug", "about")],
            )
            .await;
        assert_eq!(taken.status(), 409);
    }
);
