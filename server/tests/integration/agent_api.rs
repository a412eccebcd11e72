//! The API outside agents report through: keys (created, shown once, revoked, per
//! tenant), strict validation, and the tasks showing up live in the tenant's feed only.

use std::time::Duration;

use crate::common::*;
use app::tenancy::Role;
use serde_json::{json, Value};

/// A new key of the client's tenant (the secret, and its id).
async fn new_key(app: &TestApp, client: &reqwest::Client, name: &str) -> (String, String) {
    let response = app
        .call_form(client, "api_keys/create", &[("name", name)])
        .await;
    assert_eq!(response.status(), 200);
    let created: Value = response.json().await.unwrap();
    (
        created["secret"].as_str().unwrap().to_string(),
        created["key"]["id"].as_str().unwrap().to_string(),
    )
}

async fn post_task(app: &TestApp, key: &str, body: &Value) -> reqwest::Response {
    app.client()
        .post(app.url("/api/v1/agent-tasks"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn patch_task(app: &TestApp, key: &str, id: &str, body: &Value) -> reqwest::Response {
    app.client()
        .patch(app.url(&format!("/api/v1/agent-tasks/{id}")))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The tenant's keys as its owner's key list shows them.
async fn list_keys(app: &TestApp, owner: &reqwest::Client) -> Value {
    app.call_form(owner, "api_keys/list", &[])
        .await
        .json()
        .await
        .unwrap()
}

on_both_engines!(
    owners_and_admins_manage_keys_shown_once,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let (secret, id) = new_key(&app, &owner, "Rank tracker").await;
        assert!(secret.starts_with("bzk_") && secret.len() > 60, "{secret}");
        let listed = list_keys(&app, &owner).await;
        assert_eq!(listed[0]["name"], "Rank tracker");
        assert_eq!(listed[0]["last_used_at"], Value::Null);
        assert!(
            !listed.to_string().contains(&secret[10..]),
            "the key itself is never shown again"
        );
        let empty_name = app
            .call_form(&owner, "api_keys/create", &[("name", " ")])
            .await;
        assert_eq!(empty_name.status(), 422);

        // Using it is noted (written within a second or so, off the request's path).
        assert_eq!(
            post_task(&app, &secret, &json!({ "task_type": "rank_check" }))
                .await
                .status(),
            201
        );
        let mut noted = false;
        for _ in 0..50 {
            if list_keys(&app, &owner).await[0]["last_used_at"].is_i64() {
                noted = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(noted, "the key's use was never written");

        // Editors and viewers cannot see or make keys; another tenant cannot revoke this one.
        for role in [Role::Editor, Role::Viewer] {
            let member = app
                .sign_in_new_member("acme", &format!("{}@acme.test", role.as_str()), role)
                .await;
            for (endpoint, args) in [
                ("api_keys/list", vec![]),
                ("api_keys/create", vec![("name", "mine")]),
                ("api_keys/revoke", vec![("id", id.as_str())]),
            ] {
                let refused = app.call_form(&member, endpoint, &args).await;
                assert_eq!(refused.status(), 403, "{endpoint} as {role:?}");
            }
        }
        let globex = app.login_as(GLOBEX).await;
        let elsewhere = app
            .call_form(&globex, "api_keys/revoke", &[("id", &id)])
            .await;
        assert_eq!(elsewhere.status(), 404);

        // Revoked, it stops working at once.
        let revoked = app
            .call_form(&owner, "api_keys/revoke", &[("id", &id)])
            .await;
        assert_eq!(revoked.status(), 200);
        let refused = post_task(&app, &secret, &json!({ "task_type": "rank_check" })).await;
        assert_eq!(refused.status(), 401);
        assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    }
);

on_both_engines!(
    an_outside_agent_reports_a_task_that_shows_live_in_its_tenants_feed_only,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let (key, _) = new_key(&app, &owner, "Writer bot").await;
        let globex = app.login_as(GLOBEX).await;
        let mut acme_feed = SseReader::new(
            owner
                .get(app.url("/api/agent-tasks/stream"))
                .send()
                .await
                .unwrap(),
        );
        let mut globex_feed = SseReader::new(
            globex
                .get(app.url("/api/agent-tasks/stream"))
                .send()
                .await
                .unwrap(),
        );

        let created = post_task(
            &app,
            &key,
            &json!({ "task_type": "draft_post", "worker_name": "Writer bot", "campaign_id": "spring",
                     "summary": "Drafting <b>spring</b> post", "metadata": { "brief": "tulips" } }),
        )
        .await;
        assert_eq!(created.status(), 201);
        let task: Value = created.json().await.unwrap();
        let id = task["id"].as_str().unwrap();
        assert_eq!(task["status"], "pending");
        assert_eq!(task["worker_name"], "Writer bot");
        assert_eq!(task["campaign_id"], "spring");

        let running = patch_task(
            &app,
            &key,
            id,
            &json!({ "status": "running", "progress": 40 }),
        )
        .await;
        assert_eq!(running.status(), 200);
        let done = patch_task(
            &app,
            &key,
            id,
            &json!({ "status": "completed", "progress": 100, "summary": "Drafted 1 post" }),
        )
        .await;
        assert_eq!(done.status(), 200);

        let seen: Vec<Value> = acme_feed
            .take(3)
            .await
            .iter()
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect();
        let states: Vec<(&str, i64)> = seen
            .iter()
            .map(|e| {
                (
                    e["task"]["status"].as_str().unwrap(),
                    e["task"]["progress"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            states,
            [("pending", 0), ("running", 40), ("completed", 100)]
        );
        assert_eq!(seen[2]["task"]["summary"], "Drafted 1 post");
        assert!(
            globex_feed.next(Duration::from_millis(700)).await.is_none(),
            "another tenant sees nothing"
        );

        // Finished is finished.
        let again = patch_task(&app, &key, id, &json!({ "progress": 50 })).await;
        assert_eq!(again.status(), 409);
        let body: Value = again.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("finished"));

        // A key of another tenant cannot touch it, nor can any key touch a built-in task.
        let globex_key = new_key(&app, &globex, "Globex bot").await.0;
        let foreign = patch_task(&app, &globex_key, id, &json!({ "progress": 1 })).await;
        assert_eq!(foreign.status(), 404);
        let built_in = app.run_site_check(&owner).await;
        let not_theirs = patch_task(
            &app,
            &key,
            built_in["id"].as_str().unwrap(),
            &json!({ "progress": 1 }),
        )
        .await;
        assert_eq!(not_theirs.status(), 404);
    }
);

on_both_engines!(
    bad_reports_get_a_clear_4xx_and_change_nothing,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let (key, _) = new_key(&app, &owner, "Checker").await;
        let task: Value = post_task(
            &app,
            &key,
            &json!({ "task_type": "audit", "status": "running" }),
        )
        .await
        .json()
        .await
        .unwrap();
        let id = task["id"].as_str().unwrap();
        let before = app.event_ids("acme").await.len();

        let cases: Vec<(reqwest::Response, u16, &str)> = vec![
            (
                patch_task(&app, &key, id, &json!({ "progress": 101 })).await,
                422,
                "between 0 and 100",
            ),
            (
                patch_task(&app, &key, id, &json!({ "status": "pending" })).await,
                422,
                "back to pending",
            ),
            (
                patch_task(&app, &key, id, &json!({ "status": "sleeping" })).await,
                400,
                "JSON expected",
            ),
            (
                patch_task(&app, &key, id, &json!({ "colour": "red" })).await,
                400,
                "unknown field",
            ),
            (
                patch_task(&app, &key, id, &json!({ "metadata": [1, 2] })).await,
                422,
                "JSON object",
            ),
            (
                patch_task(&app, &key, id, &json!({ "summary": "x".repeat(501) })).await,
                422,
                "500 characters",
            ),
            (
                patch_task(&app, &key, "no-such-task", &json!({ "progress": 5 })).await,
                404,
                "not found",
            ),
            (
                post_task(&app, &key, &json!({ "task_type": "Not A Type" })).await,
                422,
                "task_type",
            ),
            (post_task(&app, &key, &json!({})).await, 400, "task_type"),
            (
                app.client()
                    .post(app.url("/api/v1/agent-tasks"))
                    .bearer_auth(&key)
                    .header("content-type", "application/json")
                    .body("{not json")
                    .send()
                    .await
                    .unwrap(),
                400,
                "JSON expected",
            ),
            (
                app.client()
                    .post(app.url("/api/v1/agent-tasks"))
                    .bearer_auth(&key)
                    .header("content-type", "application/json")
                    .body(format!(
                        r#"{{"task_type":"a","summary":"{}"}}"#,
                        "x".repeat(70_000)
                    ))
                    .send()
                    .await
                    .unwrap(),
                413,
                "64 KiB",
            ),
            (
                app.client()
                    .post(app.url("/api/v1/agent-tasks"))
                    .json(&json!({ "task_type": "a" }))
                    .send()
                    .await
                    .unwrap(),
                401,
                "API key",
            ),
            (
                post_task(&app, "bzk_not-a-real-key", &json!({ "task_type": "a" })).await,
                401,
                "API key",
            ),
        ];
        for (response, status, words) in cases {
            assert_eq!(response.status().as_u16(), status, "{words}");
            let body: Value = response.json().await.unwrap();
            let message = body["message"].as_str().unwrap_or_default().to_string()
                + body["detail"].as_str().unwrap_or_default();
            assert!(message.contains(words), "{status}: {body}");
        }
        assert_eq!(
            app.event_ids("acme").await.len(),
            before,
            "nothing was written"
        );
    }
);

on_both_engines!(each_key_has_a_rate_limit, |app: TestApp| async move {
    let owner = app.login_as(ACME).await;
    let (key, _) = new_key(&app, &owner, "Chatty").await;
    let (other, _) = new_key(&app, &owner, "Quiet").await;
    // All at once: sent one after another, a slow machine may stay under 50 a second.
    let client = app.client();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..500 {
        requests.spawn(
            client
                .patch(app.url("/api/v1/agent-tasks/none"))
                .bearer_auth(&key)
                .json(&json!({ "progress": 1 }))
                .send(),
        );
    }
    let mut limited = None;
    while let Some(response) = requests.join_next().await {
        let response = response.unwrap().unwrap();
        if response.status() == 429 {
            limited = Some(response);
        }
    }
    let limited = limited.expect("a key sending hundreds of requests at once is slowed down");
    assert!(
        limited.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_eq!(
        post_task(&app, &other, &json!({ "task_type": "a" }))
            .await
            .status(),
        201,
        "other keys are not affected"
    );
});
