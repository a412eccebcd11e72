//! Navigation and footer come from the tenant's site settings.

use crate::common::*;
use serde_json::json;

on_both_engines!(
    navigation_and_footer_are_drawn_from_settings,
    |app: TestApp| async move {
        let about = app.get_site("acme", "/about").await.text().await.unwrap();
        assert!(about.contains(r#"<nav class="site-nav"#));
        assert!(about.contains(r#"href="/">Home</a>"#));
        assert!(
            about.contains(r#"href="/about" aria-current="page">About</a>"#),
            "the current page is marked"
        );
        assert!(about.contains("© Acme Corporation. All rights reserved."));
        assert!(about.contains(r#"href="mailto:hello@acme.test">Contact</a>"#));
    }
);

on_both_engines!(owners_change_the_navigation, |app: TestApp| async move {
    let owner = app.login_as(ACME).await;
    let settings = json!({
        "navigation": [
            { "label": "Shop", "href": "/shop" },
            { "label": "Blog", "href": "https://blog.acme.test" }
        ],
        "footer_text": "Acme, Route 66",
        "footer_links": [],
        "versions_kept": 20
    });
    let saved = app
        .call_json(
            &owner,
            "site/save_settings",
            &json!({ "settings": settings }),
        )
        .await;
    assert_eq!(saved.status(), 200);
    let home = app.get_site("acme", "/").await.text().await.unwrap();
    assert!(home.contains(r#"href="/shop">Shop</a>"#));
    assert!(home.contains(r#"href="https://blog.acme.test">Blog</a>"#));
    assert!(home.contains("Acme, Route 66"));
    assert!(!home.contains(">About</a>"));
    let loaded: serde_json::Value = app
        .call_form(&owner, "site/settings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(loaded, settings);
    // Globex keeps its own.
    assert!(app
        .get_site("globex", "/")
        .await
        .text()
        .await
        .unwrap()
        .contains(r#"href="/about">About</a>"#));
});

on_both_engines!(
    bad_settings_are_refused_and_roles_are_checked,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let before = app.get_site("acme", "/").await.text().await.unwrap();
        let script = json!({ "navigation": [{ "label": "x", "href": "javascript:alert(1)" }], "footer_text": "", "footer_links": [], "versions_kept": 50 });
        let refused = app
            .call_json(&owner, "site/save_settings", &json!({ "settings": script }))
            .await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Link 1 in the navigation must go to a web address"));
        let many: Vec<_> = (0..9)
            .map(|n| json!({ "label": format!("L{n}"), "href": "/" }))
            .collect();
        let too_many = json!({ "navigation": many, "footer_text": "", "footer_links": [], "versions_kept": 50 });
        assert_eq!(
            app.call_json(
                &owner,
                "site/save_settings",
                &json!({ "settings": too_many })
            )
            .await
            .status(),
            422
        );
        // Arguments come as JSON or a form, said so: a cross-site `text/plain` post of
        // the same JSON is refused before anything runs.
        let full = json!({ "settings": { "navigation": [], "footer_text": "Plain",
                                         "footer_links": [], "versions_kept": 50 } });
        for endpoint in ["site/save_settings", "site/settings"] {
            let plain = owner
                .post(app.url(&format!("/api/{endpoint}")))
                .header("content-type", "text/plain")
                .body(full.to_string())
                .send()
                .await
                .unwrap();
            assert_eq!(plain.status(), 415, "{endpoint}");
            let said: serde_json::Value = plain.json().await.unwrap();
            assert!(said["message"]
                .as_str()
                .unwrap()
                .contains("application/json"));
        }
        // Leaving a field out is a malformed request, not "clear it".
        for partial in [json!({}), json!({ "footer_text": "Only this" })] {
            let refused = app
                .call_json(
                    &owner,
                    "site/save_settings",
                    &json!({ "settings": partial }),
                )
                .await;
            assert_eq!(refused.status(), 400, "{partial}");
            let said: serde_json::Value = refused.json().await.unwrap();
            assert!(
                said["message"].as_str().unwrap().contains("missing field"),
                "{said}"
            );
        }
        assert_eq!(
            app.get_site("acme", "/").await.text().await.unwrap(),
            before
        );

        let editor = app
            .sign_in_new_member("acme", "ed@acme.test", app::tenancy::Role::Editor)
            .await;
        let plain =
            json!({ "navigation": [], "footer_text": "", "footer_links": [], "versions_kept": 50 });
        assert_eq!(
            app.call_json(&editor, "site/save_settings", &json!({ "settings": plain }))
                .await
                .status(),
            403
        );
    }
);
