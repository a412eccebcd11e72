//! The weekly digest: scheduled for Mondays at start-up, one per tenant, emailed through
//! SMTP when configured (tested against a local server speaking SMTP), otherwise kept in
//! the outbox owners and admins read.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use serde_json::Value;

/// Queues the digest now, as its schedule does on Mondays.
async fn run_digest(app: &TestApp) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    app::jobs::store::enqueue(
        &mut conn,
        app::jobs::store::NewJob {
            id: &app::server::new_id(),
            tenant_id: None,
            kind: app::jobs::JobKind::WeeklyDigest(Default::default()).name(),
            payload: serde_json::json!({}),
            run_at: app::server::now_ms(),
            max_attempts: 3,
            priority: 0,
        },
    )
    .await
    .unwrap();
}

async fn outbox_of(app: &TestApp, client: &reqwest::Client) -> (bool, Vec<Value>) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let response = app.call_form(client, "digest/outbox", &[]).await;
        assert_eq!(response.status(), 200);
        let (sends, messages): (bool, Vec<Value>) = response.json().await.unwrap();
        if !messages.is_empty() || tokio::time::Instant::now() > deadline {
            return (sends, messages);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

on_both_engines!(
    the_weekly_digest_is_scheduled_and_kept_in_the_outbox_without_a_mail_server,
    |app: TestApp| async move {
        // Scheduled for Monday 07:00 UTC by the running server.
        let mut schedule = None;
        for _ in 0..50 {
            schedule = app::jobs::store::schedule_of(&app.db, None, "weekly_digest")
                .await
                .unwrap();
            if schedule.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let schedule = schedule.expect("the digest is scheduled at start-up");
        assert_eq!(schedule.cron, "0 7 * * MON");
        let next = schedule.next_run_at / 1000;
        assert_eq!(next % 86_400, 7 * 3600, "at 07:00 UTC");
        assert_eq!(
            (next / 86_400 + 4) % 7,
            1,
            "on a Monday (1970-01-01 was a Thursday)"
        );

        let owner = app.login_as(ACME).await;
        let check = app.run_site_check(&owner).await;
        app.wait_for_task(&owner, check["id"].as_str().unwrap())
            .await;
        run_digest(&app).await;

        let (sends, messages) = outbox_of(&app, &owner).await;
        assert!(!sends, "no mail server is configured");
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["recipient"], "owner@acme.test");
        assert_eq!(
            messages[0]["subject"],
            "Acme Corporation: 1 task done, 0 leads this week"
        );
        assert!(messages[0]["body"]
            .as_str()
            .unwrap()
            .contains("- site check: 1"));
        assert!(
            messages[0]["body"].as_str().unwrap().contains(&format!(
                "Everything as it happens: http://localhost:{}/dashboard",
                app.addr.port()
            )),
            "links carry the port the dashboard answers on"
        );
        assert_eq!(messages[0]["sent_at"], Value::Null);
        let feed = app.feed(&owner).await;
        let digest = feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["task_type"] == "weekly_digest")
            .expect("the digest is in the feed")
            .clone();
        let digest = app
            .wait_for_task(&owner, digest["id"].as_str().unwrap())
            .await;
        assert_eq!(
            digest["summary"],
            "Weekly digest written to the outbox for owner@acme.test (no mail server is configured)."
        );

        let globex = app.login_as(GLOBEX).await;
        let (_, theirs) = outbox_of(&app, &globex).await;
        assert_eq!(theirs.len(), 1);
        assert_eq!(theirs[0]["recipient"], "owner@globex.test");
        let editor = app
            .sign_in_new_member("acme", "editor@acme.test", app::tenancy::Role::Editor)
            .await;
        assert_eq!(
            app.call_form(&editor, "digest/outbox", &[]).await.status(),
            403
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_mail_server_the_digest_is_emailed_to_the_owners() {
    let received = Arc::new(Mutex::new(Vec::new()));
    let port = smtp_server(received.clone()).await;
    let Some(app) = TestApp::spawn_configured(Engine::Sqlite, |config| {
        config.mail = Some(app::server::MailServer {
            url: format!("smtp://127.0.0.1:{port}"),
            from: "BizOSaaS <digest@localhost>".into(),
        })
    })
    .await
    else {
        return;
    };
    let owner = app.login_as(ACME).await;
    run_digest(&app).await;
    let (sends, messages) = outbox_of(&app, &owner).await;
    assert!(sends);
    assert!(messages[0]["sent_at"].is_i64(), "{messages:?}");
    // Tenants are done one after the other: wait for both messages.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while received.lock().unwrap().len() < 2 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mail = received.lock().unwrap().join("\n---\n");
    assert!(mail.contains("RCPT TO:<owner@acme.test>"), "{mail}");
    assert!(mail.contains("RCPT TO:<owner@globex.test>"), "{mail}");
    assert!(
        mail.contains("Subject: Acme Corporation: 0 tasks done, 0 leads this week"),
        "{mail}"
    );
    assert!(mail.contains("Leads captured: 0"), "{mail}");
}
