//! One tenant's owner can never see or change another tenant's pages or tasks.

use std::time::Duration;

use crate::common::*;
use serde_json::json;

on_both_engines!(
    pages_of_another_tenant_are_unreachable_by_any_id,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let globex = app.login_as(GLOBEX).await;
        let globex_about = app.page_id(&globex, "about").await;
        let globex_pages_before = app.pages(&globex).await;

        let acme_pages = app.pages(&acme).await;
        assert!(
            acme_pages.iter().all(|p| p["id"] != globex_about.as_str()),
            "acme's list has only acme's pages"
        );
        assert_eq!(acme_pages.len(), 3);

        let read = app
            .call_form(&acme, "cms/page", &[("id", &globex_about)])
            .await;
        assert_eq!(read.status(), 404);
        let content = json!({ "title": "Owned by Acme", "meta_description": "", "blocks": [] });
        let write = app
            .call_json(
                &acme,
                "cms/save_draft",
                &json!({ "id": globex_about, "base_revision": 1, "content": content }),
            )
            .await;
        assert_eq!(write.status(), 404);
        let publish = app
            .call_form(&acme, "cms/publish", &[("id", &globex_about)])
            .await;
        assert_eq!(publish.status(), 404);

        assert_eq!(
            app.pages(&globex).await,
            globex_pages_before,
            "globex's pages are untouched"
        );
        assert!(!app
            .get_site("globex", "/about")
            .await
            .text()
            .await
            .unwrap()
            .contains("Owned by Acme"));
    }
);

on_both_engines!(
    tasks_and_events_stay_with_their_tenant,
    |app: TestApp| async move {
        let acme = app.login_as(ACME).await;
        let globex = app.login_as(GLOBEX).await;

        let acme_stream = acme
            .get(app.url("/api/agent-tasks/stream?after=0"))
            .send()
            .await
            .unwrap();
        let mut acme_events = SseReader::new(acme_stream);

        let globex_task = app.run_site_check(&globex).await;
        app.wait_for_task(&globex, globex_task["id"].as_str().unwrap())
            .await;
        let acme_task = app.run_site_check(&acme).await;
        app.wait_for_task(&acme, acme_task["id"].as_str().unwrap())
            .await;

        let acme_event_count = app.event_ids("acme").await.len();
        assert!(acme_event_count >= 3);
        for event in acme_events.take(acme_event_count).await {
            let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
            assert_eq!(
                data["task"]["id"], acme_task["id"],
                "acme's stream carries only acme's events"
            );
        }
        assert!(acme_events.next(Duration::from_millis(500)).await.is_none());

        let acme_feed = app.feed(&acme).await;
        let ids: Vec<_> = acme_feed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].clone())
            .collect();
        assert_eq!(ids, vec![acme_task["id"].clone()]);
        // Replay from any id never crosses tenants either.
        let replay = acme
            .get(app.url("/api/agent-tasks/stream"))
            .header("last-event-id", "0")
            .send()
            .await
            .unwrap();
        let mut replay = SseReader::new(replay);
        for event in replay.take(acme_event_count).await {
            let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
            assert_eq!(data["task"]["id"], acme_task["id"]);
        }
        assert!(replay.next(Duration::from_millis(500)).await.is_none());
    }
);
