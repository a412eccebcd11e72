//! The welcome wizard: answers kept as they are given, then "Build my site" writes the
//! first pages, offers and a post draft, from templates or with a language model, each
//! step a task of the feed, and the site answers with them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Client;
use serde_json::{json, Value};

use crate::common::*;

const STRONG: &str = "violet anvil harbour lantern";

/// Signs up Joe's Bakery; returns the signed-in client.
async fn joes_bakery(app: &TestApp) -> Client {
    let client = app.client();
    let response = app
        .call_form(
            &client,
            "accounts/sign_up",
            &[
                ("name", "Joe Baker"),
                ("email", "joe@bakery.test"),
                ("password", STRONG),
                ("business", "Joe's Bakery"),
                ("address", "joes-bakery"),
            ],
        )
        .await;
    assert_eq!(
        response.headers()["location"],
        "/t/joes-bakery/dashboard/welcome",
        "sign-up leads to the wizard"
    );
    client
}

fn answers() -> Value {
    json!({ "offer": "Sourdough bread and pastries", "audience": "people in Leith",
            "kind": "local", "tone": "friendly" })
}

async fn state(app: &TestApp, client: &Client) -> Value {
    let response = app.call_form(client, "onboarding/state", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Asks until the build has finished (generous: CI machines are busy).
async fn built(app: &TestApp, client: &Client) -> Value {
    for _ in 0..300 {
        let now = state(app, client).await;
        if now["stage"] != "building" {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the build did not finish");
}

on_both_engines!(
    the_wizard_keeps_answers_and_builds_a_site_from_templates,
    |app: TestApp| async move {
        let client = joes_bakery(&app).await;
        let first = state(&app, &client).await;
        assert_eq!(first["offered"], true);
        assert_eq!(first["stage"], "answering");

        // Resumable: what was given is there the next time.
        let partial = json!({ "answers": { "offer": "Sourdough bread", "audience": "",
                                            "kind": "local", "tone": "calm" } });
        let saved = app.call_json(&client, "onboarding/save", &partial).await;
        assert_eq!(saved.status(), 200);
        assert_eq!(
            state(&app, &client).await["answers"]["offer"],
            "Sourdough bread"
        );
        let refused = app.call_json(&client, "onboarding/build", &partial).await;
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("who it is for"));

        let started = app
            .call_json(
                &client,
                "onboarding/build",
                &json!({ "answers": answers() }),
            )
            .await;
        assert_eq!(started.status(), 200, "{}", started.text().await.unwrap());
        let done = built(&app, &client).await;
        assert_eq!(done["stage"], "built", "{done}");
        let steps: Vec<(&str, &str)> = done["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["task_type"].as_str().unwrap(),
                    s["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            steps,
            [
                ("build_home", "completed"),
                ("build_about", "completed"),
                ("build_contact", "completed"),
                ("build_offers", "completed"),
                ("build_post", "completed"),
                ("publish_site", "completed")
            ]
        );
        assert!(done["steps"][0]["summary"]
            .as_str()
            .unwrap()
            .contains("From templates"));
        assert_eq!(done["steps"][0]["campaign_id"], "Building your site");
        assert_eq!(
            done["site_url"],
            format!("http://joes-bakery.localhost:{}", app.addr.port())
        );

        // The site answers with what was written.
        let home = app.get_site("joes-bakery", "/").await.text().await.unwrap();
        assert!(
            home.contains("Sourdough bread and pastries, made with care"),
            "{home}"
        );
        assert!(
            home.contains("PLACEHOLDER"),
            "the testimonial is marked as one"
        );
        assert!(home.contains("<form"), "a contact form");
        for path in ["/about", "/contact"] {
            assert_eq!(
                app.get_site("joes-bakery", path).await.status(),
                200,
                "{path}"
            );
        }
        // Offers and the post are drafts for the owner to finish.
        let products: Vec<Value> = app
            .call_form(&client, "cms/products", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(products.len(), 3);
        assert!(products.iter().all(|p| p["published"].is_null()));
        let posts: Vec<Value> = app
            .call_form(&client, "cms/posts", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0]["draft"]["title"], "Welcome to Joe's Bakery");
        assert!(posts[0]["published"].is_null());
        // The steps are in the feed, as one campaign.
        let feed = app.feed(&client).await;
        let builder_tasks = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["worker_name"] == "site-builder")
            .count();
        assert_eq!(builder_tasks, 6);

        // Built again (new answers): it rewrites the same pages, adds no second set.
        let again = app
            .call_json(
                &client,
                "onboarding/build",
                &json!({ "answers": { "offer": "Rye bread", "audience": "everyone",
                                      "kind": "shop", "tone": "calm" } }),
            )
            .await;
        assert_eq!(again.status(), 200);
        assert_eq!(built(&app, &client).await["stage"], "built");
        let pages: Vec<Value> = app
            .call_form(&client, "cms/pages", &[])
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(pages.len(), 3, "home, about, contact");
        let home = app.get_site("joes-bakery", "/").await.text().await.unwrap();
        assert!(home.contains("Rye bread, simply done"), "{home}");
    }
);

on_both_engines!(
    skipping_the_wizard_stops_the_reminder_and_others_cannot_build,
    |app: TestApp| async move {
        let client = joes_bakery(&app).await;
        let skipped = app.call_form(&client, "onboarding/skip", &[]).await;
        assert_eq!(skipped.status(), 200);
        assert_eq!(state(&app, &client).await["stage"], "skipped");
        // A demo business was never offered the wizard.
        let acme = app.login_as(ACME).await;
        assert_eq!(state(&app, &acme).await["offered"], false);
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let refused = app
            .call_json(
                &viewer,
                "onboarding/build",
                &json!({ "answers": answers() }),
            )
            .await;
        assert_eq!(refused.status(), 403);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_language_model_the_wizard_writes_the_site_with_it() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let words = json!({
        "tagline": "Bread worth getting up for",
        "intro": "Slow-fermented sourdough, baked in Leith every morning.",
        "about": "We started baking in a tiny kitchen.\n\nNow the whole street comes by.",
        "offers": [
            { "name": "Country loaf", "summary": "Our everyday sourdough." },
            { "name": "Cardamom buns", "summary": "Saturdays only." },
            { "name": "Bread club", "summary": "A loaf a week, ready for you." }
        ],
        "post_title": "Why we ferment for 36 hours",
        "post_excerpt": "Time is the secret ingredient.",
        "post_body": "## Patience\n\nGood bread takes time."
    });
    let url = language_model_server(asked.clone(), words).await;
    let llm = app::server::LanguageModel {
        url,
        model: "test-model".into(),
        api_key: Some("test-key".into()),
    };
    let Some(app) =
        TestApp::spawn_configured(Engine::Sqlite, |config| config.llm = Some(llm)).await
    else {
        return;
    };
    let client = joes_bakery(&app).await;
    let started = app
        .call_json(
            &client,
            "onboarding/build",
            &json!({ "answers": answers() }),
        )
        .await;
    assert_eq!(started.status(), 200);
    let done = built(&app, &client).await;
    assert_eq!(done["stage"], "built");
    assert!(done["steps"][0]["summary"]
        .as_str()
        .unwrap()
        .contains("Written by test-model"));
    let prompt = asked.lock().unwrap()[0]["messages"][1]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(prompt.contains("Sourdough bread and pastries") && prompt.contains("people in Leith"));
    let home = app.get_site("joes-bakery", "/").await.text().await.unwrap();
    assert!(home.contains("Bread worth getting up for"));
    assert!(home.contains("Cardamom buns"));
    let about = app
        .get_site("joes-bakery", "/about")
        .await
        .text()
        .await
        .unwrap();
    assert!(about.contains("tiny kitchen"));
}
