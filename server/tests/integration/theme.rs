//! The theme from the database: validated on save, contrast reported, shown at once.

use crate::common::*;
use serde_json::{json, Value};

fn theme(primary: &str, text: &str) -> Value {
    json!({
        "primary_color": primary,
        "secondary_color": "#111827",
        "accent_color": "#f59e0b",
        "background_color": "#ffffff",
        "text_color": text,
        "body_font": "rounded",
        "heading_font": "serif",
        "radius": "large",
        "mode": "light",
        "logo_text": "ACME Co",
        "logo_url": "/logo.svg",
        "favicon_url": "https://cdn.acme.test/favicon.png"
    })
}

on_both_engines!(
    a_saved_theme_shows_on_the_next_request,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let saved = app
            .call_json(
                &owner,
                "site/save_theme",
                &json!({ "theme": theme("#1d4ed8", "#111111") }),
            )
            .await;
        assert_eq!(saved.status(), 200);
        let report: Value = saved.json().await.unwrap();
        assert_eq!(report["contrast_warnings"], json!([]));

        let html = app.get_site("acme", "/").await.text().await.unwrap();
        assert!(html.contains("--color-primary:#1d4ed8"));
        assert!(html.contains("--color-text:#111111"));
        assert!(html.contains("--font-body:'Nunito'"));
        assert!(html.contains("--font-heading:'Merriweather'"));
        assert!(html.contains("--radius:1rem"));
        assert!(html.contains(r#"<img class="h-8 w-auto" src="/logo.svg" alt="ACME Co">"#));
        assert!(html.contains(r#"<link rel="icon" href="https://cdn.acme.test/favicon.png">"#));

        let loaded: Value = app
            .call_form(&owner, "site/theme", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(loaded["theme"]["primary_color"], "#1d4ed8");
        // Only acme changed.
        let globex = app.get_site("globex", "/").await.text().await.unwrap();
        assert!(globex.contains("--color-primary:#0f766e"));
    }
);

on_both_engines!(
    low_contrast_is_saved_with_warnings,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let saved = app
            .call_json(
                &owner,
                "site/save_theme",
                &json!({ "theme": theme("#fde047", "#dddddd") }),
            )
            .await;
        assert_eq!(saved.status(), 200);
        let report: Value = saved.json().await.unwrap();
        let warnings: Vec<&str> = report["contrast_warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("Text on the background has a contrast of 1.4:1"));
        assert!(app
            .get_site("acme", "/")
            .await
            .text()
            .await
            .unwrap()
            .contains("--color-primary:#fde047"));
    }
);

on_both_engines!(
    invalid_themes_are_refused_and_nothing_changes,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let before = app.get_site("acme", "/").await.text().await.unwrap();

        let bad_colour = app
            .call_json(
                &owner,
                "site/save_theme",
                &json!({ "theme": theme("red;}body{display:none", "#111111") }),
            )
            .await;
        assert_eq!(bad_colour.status(), 400);
        assert!(bad_colour
            .text()
            .await
            .unwrap()
            .contains("is not a colour; use the form #1a2b3c"));

        let mut unknown_font = theme("#1d4ed8", "#111111");
        unknown_font["body_font"] = json!("comic-sans");
        assert_eq!(
            app.call_json(&owner, "site/save_theme", &json!({ "theme": unknown_font }))
                .await
                .status(),
            400
        );

        let mut script_logo = theme("#1d4ed8", "#111111");
        script_logo["logo_url"] = json!("javascript:alert(1)");
        let refused = app
            .call_json(&owner, "site/save_theme", &json!({ "theme": script_logo }))
            .await;
        assert_eq!(refused.status(), 422);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("The logo must be a web address"));

        assert_eq!(
            app.get_site("acme", "/").await.text().await.unwrap(),
            before
        );
    }
);

on_both_engines!(
    only_owners_and_admins_change_the_theme,
    |app: TestApp| async move {
        for (email, role) in [
            ("editor@acme.test", app::tenancy::Role::Editor),
            ("viewer@acme.test", app::tenancy::Role::Viewer),
        ] {
            let client = app.sign_in_new_member("acme", email, role).await;
            let response = app
                .call_json(
                    &client,
                    "site/save_theme",
                    &json!({ "theme": theme("#000000", "#111111") }),
                )
                .await;
            assert_eq!(response.status(), 403, "{email}");
            assert_eq!(
                app.call_form(&client, "site/theme", &[]).await.status(),
                200,
                "{email} can read it"
            );
        }
        let anonymous = app
            .call_json(
                &app.client(),
                "site/save_theme",
                &json!({ "theme": theme("#000000", "#111111") }),
            )
            .await;
        assert_eq!(anonymous.status(), 401);
        assert!(app
            .get_site("acme", "/")
            .await
            .text()
            .await
            .unwrap()
            .contains("--color-primary:#e11d48"));
    }
);

on_both_engines!(
    the_theme_preview_draws_the_home_page_with_an_unsaved_theme,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let mut theme: serde_json::Value = app
            .call_form(&owner, "site/theme", &[])
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()["theme"]
            .clone();
        theme["primary_color"] = serde_json::json!("#123456");
        let response = app
            .call_json(
                &owner,
                "site/preview_theme",
                &serde_json::json!({ "theme": theme }),
            )
            .await;
        assert_eq!(response.status(), 200);
        let html: String = response.json().await.unwrap();
        assert!(html.contains("--color-primary:#123456"));
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
        assert!(
            html.contains("Welcome to Acme Corporation"),
            "acme's own home page"
        );
        let live = app.get_site("acme", "/").await.text().await.unwrap();
        assert!(!live.contains("#123456"), "a preview changes nothing");
        theme["primary_color"] = serde_json::json!("red; background: url(x)");
        let bad = app
            .call_json(
                &owner,
                "site/preview_theme",
                &serde_json::json!({ "theme": theme }),
            )
            .await;
        assert!(bad.status().is_client_error(), "{}", bad.status());
    }
);
