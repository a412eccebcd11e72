//! `/dashboard/activity`'s history: filters by date, type, status and campaign, pages of
//! 25, one tenant's tasks only.

use crate::common::*;
use serde_json::{json, Value};

async fn report(app: &TestApp, key: &str, body: Value) {
    let response = app
        .client()
        .post(app.url("/api/v1/agent-tasks"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

async fn history(app: &TestApp, client: &reqwest::Client, filter: Value) -> reqwest::Response {
    app.call_json(client, "activity/history", &json!({ "filter": filter }))
        .await
}

async fn total(app: &TestApp, client: &reqwest::Client, filter: Value) -> i64 {
    let response = history(app, client, filter).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["total"]
        .as_i64()
        .unwrap()
}

on_both_engines!(
    the_history_filters_and_pages_one_tenants_tasks,
    |app: TestApp| async move {
        let owner = app.login_as(ACME).await;
        let created: Value = app
            .call_form(&owner, "api_keys/create", &[("name", "bot")])
            .await
            .json()
            .await
            .unwrap();
        let key = created["secret"].as_str().unwrap();
        for n in 0..30 {
            report(&app, key, json!({ "task_type": "rank_check", "campaign_id": "spring", "status": "completed" })).await;
            if n % 10 == 0 {
                report(
                    &app,
                    key,
                    json!({ "task_type": "backlink_check", "status": "failed" }),
                )
                .await;
            }
        }
        let all = json!({ "page": 1 });
        assert_eq!(total(&app, &owner, all.clone()).await, 33);
        let first: Value = history(&app, &owner, all).await.json().await.unwrap();
        assert_eq!(first["tasks"].as_array().unwrap().len(), 25);
        assert_eq!(first["pages"], 2);
        assert_eq!(first["task_types"], json!(["backlink_check", "rank_check"]));
        assert_eq!(first["campaigns"], json!(["spring"]));
        let second: Value = history(&app, &owner, json!({ "page": 2 }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(second["tasks"].as_array().unwrap().len(), 8);
        let newest = first["tasks"][0]["created_at"].as_i64().unwrap();
        let oldest = second["tasks"][7]["created_at"].as_i64().unwrap();
        assert!(newest >= oldest, "newest first");

        assert_eq!(
            total(&app, &owner, json!({ "page": 1, "status": "failed" })).await,
            3
        );
        assert_eq!(
            total(
                &app,
                &owner,
                json!({ "page": 1, "task_type": "rank_check" })
            )
            .await,
            30
        );
        assert_eq!(
            total(
                &app,
                &owner,
                json!({ "page": 1, "campaign_id": "spring", "status": "failed" })
            )
            .await,
            0
        );
        let today = app::time::iso_date(app::server::now_ms());
        assert_eq!(
            total(
                &app,
                &owner,
                json!({ "page": 1, "from": today, "until": today })
            )
            .await,
            33
        );
        assert_eq!(
            total(&app, &owner, json!({ "page": 1, "until": "2020-01-01" })).await,
            0
        );
        let bad_date = history(&app, &owner, json!({ "page": 1, "from": "yesterday" })).await;
        assert_eq!(bad_date.status(), 422);

        // Viewers read it; another tenant sees none of it.
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        assert_eq!(total(&app, &viewer, json!({ "page": 1 })).await, 33);
        let globex = app.login_as(GLOBEX).await;
        let theirs: Value = history(&app, &globex, json!({ "page": 1 }))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(theirs["total"], 0);
        assert_eq!(theirs["task_types"], json!([]));
        let signed_out = history(&app, &app.client(), json!({ "page": 1 })).await;
        assert_eq!(signed_out.status(), 401);
    }
);
