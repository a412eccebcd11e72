//! The writer agent and human approval: a brief becomes a drafted post (by a language
//! model over the OpenAI-compatible API, or by the template drafter without one), which
//! waits until someone approves it (a CMS draft) or rejects it with a reason.

use std::sync::{Arc, Mutex};

use crate::common::*;
use app::cms::PageContent;
use serde_json::{json, Value};

async fn ask_for_draft(app: &TestApp, client: &reqwest::Client, brief: &str) -> Value {
    let response = app
        .call_form(client, "approvals/draft_post", &[("brief", brief)])
        .await;
    assert_eq!(response.status(), 200);
    let task: Value = response.json().await.unwrap();
    app.wait_for_task(client, task["id"].as_str().unwrap())
        .await
}

async fn proposals(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    app.call_form(client, "approvals/list", &[])
        .await
        .json()
        .await
        .unwrap()
}

on_both_engines!(
    a_drafted_post_waits_for_approval_and_becomes_a_draft_only_when_approved,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let too_short = app
            .call_form(&owner, "approvals/draft_post", &[("brief", "anvils")])
            .await;
        assert_eq!(too_short.status(), 422);
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let refused = app
            .call_form(
                &viewer,
                "approvals/draft_post",
                &[("brief", "Winter care for anvils")],
            )
            .await;
        assert_eq!(refused.status(), 403);

        let done = ask_for_draft(&app, &owner, "Winter care for anvils, for hobby smiths").await;
        assert_eq!(done["status"], "completed");
        assert_eq!(
            done["summary"],
            "Drafted “Winter care for anvils”: waiting for your approval."
        );
        let waiting = proposals(&app, &owner).await;
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0]["status"], "pending");
        assert!(
            waiting[0]["note"].as_str().unwrap().contains("template"),
            "labelled as a template draft"
        );
        let id = waiting[0]["id"].as_str().unwrap().to_string();

        // Rejecting needs a reason; viewers and other tenants cannot decide.
        let no_reason = app
            .call_form(&owner, "approvals/reject", &[("id", &id), ("reason", " ")])
            .await;
        assert_eq!(no_reason.status(), 422);
        let viewer_refused = app
            .call_form(&viewer, "approvals/approve", &[("id", &id)])
            .await;
        assert_eq!(viewer_refused.status(), 403);
        let globex = app.login_as(GLOBEX).await;
        let elsewhere = app
            .call_form(&globex, "approvals/approve", &[("id", &id)])
            .await;
        assert_eq!(elsewhere.status(), 404);
        assert!(proposals(&app, &globex).await.is_empty());

        let approved = app
            .call_form(&owner, "approvals/approve", &[("id", &id)])
            .await;
        assert_eq!(approved.status(), 200);
        let approved: Value = approved.json().await.unwrap();
        assert_eq!(approved["status"], "approved");
        let post_id = approved["result_id"].as_str().unwrap();
        let post: Value = app
            .call_form(&owner, "cms/post", &[("id", post_id)])
            .await
            .json()
            .await
            .unwrap();
        // A headline and an address from the brief's subject, not the brief cut off.
        assert_eq!(post["draft"]["title"], "Winter care for anvils");
        assert_eq!(post["slug"], "winter-care-for-anvils");
        assert_eq!(post["published"], Value::Null, "a draft, not on the site");
        let twice = app
            .call_form(
                &owner,
                "approvals/reject",
                &[("id", &id), ("reason", "late")],
            )
            .await;
        assert_eq!(twice.status(), 409, "decided once");

        // A second draft, rejected with a reason; both decisions are in the feed.
        ask_for_draft(&app, &owner, "Our new opening hours this winter").await;
        let second = proposals(&app, &owner).await[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let rejected = app
            .call_form(
                &owner,
                "approvals/reject",
                &[("id", &second), ("reason", "We keep the old hours.")],
            )
            .await;
        assert_eq!(rejected.status(), 200);
        // Asked to publish when approved, it goes on the blog at once.
        let asked = app
            .call_form(
                &owner,
                "approvals/draft_post",
                &[
                    ("brief", "Fresh bread every morning at six"),
                    ("publish", "true"),
                ],
            )
            .await;
        assert_eq!(asked.status(), 200);
        let asked: Value = asked.json().await.unwrap();
        app.wait_for_task(&owner, asked["id"].as_str().unwrap())
            .await;
        let third = proposals(&app, &owner).await[0].clone();
        assert_eq!(third["change"]["publish"], true);
        let published = app
            .call_form(
                &owner,
                "approvals/approve",
                &[("id", third["id"].as_str().unwrap())],
            )
            .await;
        assert_eq!(published.status(), 200);
        assert_eq!(
            app.get_site("acme", "/blog/fresh-bread-every-morning-at-six")
                .await
                .status(),
            200
        );

        let feed = app.feed(&owner).await;
        let summaries: Vec<&str> = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["task_type"] == "approval")
            .map(|t| t["summary"].as_str().unwrap())
            .collect();
        assert_eq!(
            summaries,
            [
                "Approved “Fresh bread every morning at six”: published at /blog/fresh-bread-every-morning-at-six.",
                "Rejected “Our new opening hours this winter”: We keep the old hours.",
                "Approved “Winter care for anvils”: it is a draft post now."
            ]
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_language_model_configured_the_writer_uses_it_and_counts_tokens() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let post = json!({ "title": "Caring for your anvil in winter",
        "excerpt": "Keep it dry, oil it, and store it off the floor.",
        "body": "## Keep it dry\n\nDamp is the enemy.\n\n## Oil it\n\nA thin coat.",
        "tags": ["care", "winter"] });
    let url = language_model_server(asked.clone(), post).await;
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
    let owner = app.login_as(ACME).await;
    let done = ask_for_draft(&app, &owner, "How to keep an anvil from rusting in winter").await;
    assert_eq!(done["status"], "completed");
    let waiting = proposals(&app, &owner).await;
    assert_eq!(waiting[0]["title"], "Caring for your anvil in winter");
    assert_eq!(
        waiting[0]["change"]["post"]["tags"],
        json!(["care", "winter"])
    );
    assert_eq!(waiting[0]["change"]["publish"], false);
    assert_eq!(waiting[0]["note"], "Written by test-model from your brief.");
    let request = asked.lock().unwrap()[0].clone();
    assert_eq!(request["model"], "test-model");
    assert!(request["messages"][1]["content"]
        .as_str()
        .unwrap()
        .contains("How to keep an anvil from rusting in winter"));
    assert!(request["messages"][1]["content"]
        .as_str()
        .unwrap()
        .contains("Acme Corporation"));
    let usage: Value = app
        .call_form(&owner, "approvals/drafting", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        usage,
        json!({ "model": "test-model", "calls": 1, "prompt_tokens": 42, "completion_tokens": 420 })
    );
    let globex = app.login_as(GLOBEX).await;
    let theirs: Value = app
        .call_form(&globex, "approvals/drafting", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["calls"], 0, "usage is per tenant");
}

on_both_engines!(
    the_site_check_proposes_meta_descriptions_that_approval_publishes,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let text = format!(
            "# Services\n\nWe repair **anvils** and forge tools to order. {}",
            "Every job is quoted before we start and finished within two weeks. ".repeat(4)
        );
        app.publish::<PageContent>(
            &owner,
            "services",
            json!({ "title": "Services", "meta_description": "Repairs",
                    "blocks": [{ "type": "text", "markdown": text }] }),
        )
        .await;
        let check = app.run_site_check(&owner).await;
        let done = app
            .wait_for_task(&owner, check["id"].as_str().unwrap())
            .await;
        assert!(
            done["summary"]
                .as_str()
                .unwrap()
                .contains("new meta description"),
            "{}",
            done["summary"]
        );
        let waiting = proposals(&app, &owner).await;
        let proposal = waiting
            .iter()
            .find(|p| p["change"]["path"] == "/services")
            .expect("a description for /services")
            .clone();
        assert_eq!(proposal["change"]["kind"], "meta_description");
        assert_eq!(proposal["change"]["before"], "Repairs");
        let after = proposal["change"]["after"].as_str().unwrap().to_string();
        assert!(
            after.starts_with("We repair anvils and forge tools to order."),
            "{after}"
        );
        // A page with a few words only (the demo's About) is still offered one.
        let about = waiting
            .iter()
            .find(|p| p["change"]["path"] == "/about")
            .expect("a description for the short /about page");
        assert_eq!(
            about["change"]["after"],
            "Acme Corporation is a family business. Read more on the About page of Acme Corporation."
        );

        // Checking again while it waits proposes nothing new for that page.
        let again = app.run_site_check(&owner).await;
        app.wait_for_task(&owner, again["id"].as_str().unwrap())
            .await;
        let count = |list: &[Value]| {
            list.iter()
                .filter(|p| p["change"]["path"] == "/services")
                .count()
        };
        assert_eq!(count(&proposals(&app, &owner).await), 1);

        let id = proposal["id"].as_str().unwrap();
        let approved = app
            .call_form(&owner, "approvals/approve", &[("id", id)])
            .await;
        assert_eq!(approved.status(), 200);
        let html = app
            .get_site("acme", "/services")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!(
                r#"<meta name="description" content="{}">"#,
                after.replace('&', "&amp;")
            )),
            "the site shows the approved description"
        );
        let feed = app.feed(&owner).await;
        assert!(feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["summary"]
                == "Approved “Meta description for /services”: the new description is published."));
    }
);
