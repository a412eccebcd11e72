//! The blog: lists newest first with pages and tags, one post with Article data, the
//! Atom feed, and nothing of a draft or of another tenant.

use crate::common::*;
use app::cms::PostContent;
use serde_json::json;

fn post(title: &str, tags: &[&str]) -> serde_json::Value {
    json!({ "title": title, "excerpt": format!("About {title}"), "body": "Some **words**.", "tags": tags, "author": "Ada" })
}

fn links(html: &str) -> Vec<&str> {
    html.split("<h2 class=\"text-2xl font-semibold\"><a class=\"hover:underline\" href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

on_both_engines!(
    the_blog_lists_published_posts_newest_first_with_pages,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        // A draft never shows.
        let draft = app
            .call_json(
                &client,
                "cms/create_post",
                &json!({ "slug": "secret", "content": post("Secret plans", &[]) }),
            )
            .await;
        assert_eq!(draft.status(), 200);
        for n in 1..=9 {
            app.publish::<PostContent>(
                &client,
                &format!("update-{n}"),
                post(&format!("Update {n}"), &["Updates"]),
            )
            .await;
        }
        // 3 seeded + 9 = 12 posts: 10 on the first page, 2 on the second.
        let first = app.get_site("acme", "/blog").await;
        assert_eq!(first.status(), 200);
        let first = first.text().await.unwrap();
        let listed = links(&first);
        assert_eq!(listed.len(), 10);
        assert_eq!(listed[0], "/blog/update-9", "newest first");
        assert!(!first.contains("Secret plans"));
        assert!(first.contains(r#"rel="next" href="/blog/page/2""#));
        assert!(first.contains("Page 1 of 2"));
        let second = app
            .get_site("acme", "/blog/page/2")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(links(&second).len(), 2);
        assert!(second.contains(r#"rel="prev" href="/blog""#));
        assert!(second.contains(&format!(
            r#"<link rel="canonical" href="http://acme.localhost:{}/blog/page/2">"#,
            app.addr.port()
        )));
        assert_eq!(app.get_site("acme", "/blog/page/3").await.status(), 404);
        // Numbers past any list are no page, never wrapped round to the first.
        for far in ["9223372036854775807", "9223372036854775808", "100001"] {
            let path = format!("/blog/page/{far}");
            assert_eq!(app.get_site("acme", &path).await.status(), 404, "{path}");
            let path = format!("/products/page/{far}");
            assert_eq!(app.get_site("acme", &path).await.status(), 404, "{path}");
        }
        assert_eq!(app.get_site("acme", "/blog/secret").await.status(), 404);

        // Tags list their own posts only.
        let news = app
            .get_site("acme", "/blog/tag/news")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(links(&news), ["/blog/spring-sale", "/blog/welcome"]);
        assert!(news.contains("Posts tagged “News”"));
        assert_eq!(
            app.get_site("acme", "/blog/tag/nothing-here")
                .await
                .status(),
            404
        );

        // Another tenant's blog has only its own posts.
        let globex = app.get_site("globex", "/blog").await.text().await.unwrap();
        assert!(!globex.contains("Update 9"));
    }
);

on_both_engines!(
    a_post_has_its_byline_and_article_data,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let mut content = post("Hello <script>alert(1)</script>", &["Guides"]);
        content["cover_image"] = json!({ "src": "/cover.png", "alt": "A cover" });
        content["body"] = json!("Hi <script>alert(2)</script> **there**");
        app.publish::<PostContent>(&client, "hello", content).await;
        let html = app
            .get_site("acme", "/blog/hello")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("<script>alert"),
            "text is escaped and sanitized"
        );
        assert!(html.contains("<strong>there</strong>"));
        assert!(html.contains("· Ada"));
        assert!(html.contains(r#"<meta property="og:type" content="article">"#));
        let origin = format!("http://acme.localhost:{}", app.addr.port());
        assert!(html.contains(&format!(
            r#"<meta property="og:image" content="{origin}/cover.png">"#
        )));
        assert!(html.contains(r#"href="/blog/tag/guides""#));
        let data = json_ld(&html);
        assert_eq!(data.len(), 1);
        let article = &data[0];
        assert_eq!(article["@type"], "BlogPosting");
        assert_eq!(article["headline"], "Hello <script>alert(1)</script>");
        assert_eq!(article["author"]["name"], "Ada");
        assert_eq!(article["image"], format!("{origin}/cover.png"));
        assert_eq!(article["mainEntityOfPage"], format!("{origin}/blog/hello"));
        assert!(article["datePublished"].as_str().unwrap().ends_with('Z'));
    }
);

on_both_engines!(
    the_atom_feed_lists_the_newest_posts,
    |app: TestApp| async move {
        let response = app.get_site("acme", "/blog/feed.xml").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let xml = response.text().await.unwrap();
        let feed = roxmltree::Document::parse(&xml).expect("the feed is well-formed XML");
        let root = feed.root_element();
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2005/Atom")
        );
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .collect();
        assert_eq!(entries.len(), 3);
        let titles: Vec<_> = entries
            .iter()
            .map(|e| {
                e.children()
                    .find(|n| n.has_tag_name("title"))
                    .unwrap()
                    .text()
                    .unwrap()
            })
            .collect();
        assert!(titles.contains(&"Choosing the right anvil"));
        let content = entries[0]
            .children()
            .find(|n| n.has_tag_name("content"))
            .unwrap();
        assert_eq!(content.attribute("type"), Some("html"));
        assert!(
            content.text().unwrap().contains('<'),
            "HTML, escaped inside XML"
        );
        // The blog pages point feed readers at it.
        let blog = app.get_site("acme", "/blog").await.text().await.unwrap();
        assert!(blog.contains(r#"type="application/atom+xml""#));
    }
);

on_both_engines!(
    posts_are_validated_and_checked_for_role_and_tenant,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let bad_slug = app
            .call_json(
                &acme,
                "cms/create_post",
                &json!({ "slug": "Not A Slug", "content": post("x", &[]) }),
            )
            .await;
        assert_eq!(bad_slug.status(), 422);
        let body: serde_json::Value = bad_slug.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains("lower-case"),
            "{body}"
        );
        let empty_title = app
            .call_json(
                &acme,
                "cms/create_post",
                &json!({ "slug": "x", "content": post("", &[]) }),
            )
            .await;
        assert_eq!(empty_title.status(), 422);
        let taken = app
            .call_json(
                &acme,
                "cms/create_post",
                &json!({ "slug": "welcome", "content": post("Again", &[]) }),
            )
            .await;
        assert_eq!(taken.status(), 409);

        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let refused = app
            .call_json(
                &viewer,
                "cms/create_post",
                &json!({ "slug": "mine", "content": post("Mine", &[]) }),
            )
            .await;
        assert_eq!(refused.status(), 403);

        let globex = app.login_as(GLOBEX).await;
        let acme_post = app
            .call_form(&acme, "cms/posts", &[])
            .await
            .json::<Vec<serde_json::Value>>()
            .await
            .unwrap();
        let id = acme_post[0]["id"].as_str().unwrap();
        for endpoint in ["cms/post", "cms/publish_post"] {
            assert_eq!(
                app.call_form(&globex, endpoint, &[("id", id)])
                    .await
                    .status(),
                404,
                "{endpoint}"
            );
        }
        let moved = app
            .call_form(&globex, "cms/post_slug", &[("id", id), ("slug", "stolen")])
            .await;
        assert_eq!(moved.status(), 404);
        let overwritten = app
            .call_json(
                &globex,
                "cms/save_post",
                &json!({ "id": id, "base_revision": 1, "content": post("Globex was here", &[]) }),
            )
            .await;
        assert_eq!(overwritten.status(), 404);
        let globex_posts = app
            .call_form(&globex, "cms/posts", &[])
            .await
            .json::<Vec<serde_json::Value>>()
            .await
            .unwrap();
        assert!(globex_posts.iter().all(|p| p["id"] != id));
    }
);

on_both_engines!(
    empty_content_is_refused_at_publish_with_what_is_missing,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let cases = [
            (
                "post",
                json!({ "title": "Nothing yet", "excerpt": "", "body": " ", "tags": [], "author": "" }),
                "The post has no text yet",
            ),
            (
                "page",
                json!({ "title": "Blank", "meta_description": "", "blocks": [] }),
                "The page has no blocks yet",
            ),
            (
                "product",
                json!({ "name": "Mystery box", "price": { "minor_units": 0, "currency": "USD" } }),
                "The product has no price yet",
            ),
        ];
        for (kind, content, missing) in cases {
            // Saved as a draft: fine.
            let created = app
                .call_json(
                    &client,
                    &format!("cms/create_{kind}"),
                    &json!({ "slug": format!("empty-{kind}"), "content": content }),
                )
                .await;
            assert_eq!(created.status(), 200, "{kind}");
            let id = created.json::<serde_json::Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            // Published: refused, saying what to add.
            let refused = app
                .call_form(&client, &publish_endpoint(kind), &[("id", &id)])
                .await;
            assert_eq!(refused.status(), 422, "{kind}");
            let body: serde_json::Value = refused.json().await.unwrap();
            assert!(
                body["message"].as_str().unwrap().contains(missing),
                "{kind}: {body}"
            );
        }
        let path = |kind: &str| match kind {
            "page" => "/empty-page".to_string(),
            other => format!("/{other}s/empty-{other}"),
        };
        for kind in ["page", "product"] {
            assert_eq!(app.get_site("acme", &path(kind)).await.status(), 404);
        }
        assert_eq!(app.get_site("acme", "/blog/empty-post").await.status(), 404);
    }
);
