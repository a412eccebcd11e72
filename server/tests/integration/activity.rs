//! The site check job and the live feed: REST first page, SSE with replay.

use std::time::Duration;

use crate::common::*;
use app::cms::PageContent;
use app::server::Db;
use serde_json::json;

on_both_engines!(
    site_check_reports_progress_and_findings,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let feed = app.feed(&client).await;
        assert_eq!(
            feed["tasks"].as_array().unwrap().len(),
            0,
            "a new tenant has an empty feed"
        );

        // A page with a broken link and an image without alt text (stored before alt text
        // was required), reached only through a link from another page's text.
        let long = "Our workshop has made anvils for four generations. ".repeat(30);
        app.publish::<PageContent>(
            &client,
            "workshop",
            json!({ "title": "The workshop", "meta_description": "Where Acme anvils are made by hand, one at a time, since 1921, in the same old town.",
                    "blocks": [{ "type": "text", "markdown": format!("# The workshop\n\n{long}\n\nSee [the old forge](/old-forge), [about us](/about) and [the forge again](/old-forge).") }] }),
        )
        .await;

        let task = app.run_site_check(&client).await;
        assert_eq!(task["task_type"], "site_check");
        assert_eq!(task["status"], "pending");
        let done = app
            .wait_for_task(&client, task["id"].as_str().unwrap())
            .await;
        assert_eq!(done["status"], "completed");
        assert_eq!(done["progress"], 100);
        let pages = done["metadata"]["pages"].as_array().unwrap();
        let findings = |path: &str| -> Vec<String> {
            pages
                .iter()
                .find(|p| p["path"] == path)
                .unwrap_or_else(|| panic!("{path} was checked: {pages:?}"))["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_string())
                .collect()
        };
        let workshop = findings("/workshop");
        assert_eq!(
            workshop,
            ["Links to /old-forge, which does not exist."],
            "{workshop:?}"
        );
        // About's meta description is 8 characters, and it is a short page.
        let about = findings("/about").join(" ");
        assert!(
            about.contains("8 characters") && about.contains("words of content"),
            "{about}"
        );
        assert!(
            pages.iter().all(|p| p["path"] != "/old-forge"),
            "a missing address is a finding, not a page"
        );
        let problems: usize = pages
            .iter()
            .map(|p| p["problems"].as_array().unwrap().len())
            .sum();
        // The demo's short About page gets a description proposed from its own words.
        assert_eq!(
            done["summary"],
            format!(
                "Checked {} pages: {problems} problems found. 1 new meta description waits for your approval.",
                pages.len()
            )
        );
        assert!(done["started_at"].as_i64().unwrap() <= done["completed_at"].as_i64().unwrap());
    }
);

on_both_engines!(
    the_stream_carries_every_change_live_in_order,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let stream = client
            .get(app.url("/api/agent-tasks/stream"))
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);
        assert_eq!(stream.headers()["content-type"], "text/event-stream");
        let mut events = SseReader::new(stream);

        let task = app.run_site_check(&client).await;
        let mut statuses = Vec::new();
        let mut last_id = 0;
        while let Some(event) = events.next(Duration::from_secs(10)).await {
            assert_eq!(event.event.as_deref(), Some("task"));
            let id = event.id.expect("every event has an id");
            assert!(id > last_id, "ids increase");
            last_id = id;
            let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
            assert_eq!(data["task"]["id"], task["id"]);
            statuses.push((
                data["task"]["status"].as_str().unwrap().to_string(),
                data["task"]["progress"].as_i64().unwrap(),
            ));
            if data["task"]["status"] == "completed" {
                break;
            }
        }
        assert_eq!(statuses.first().unwrap().0, "pending");
        assert!(statuses.iter().any(|(s, _)| s == "running"));
        assert_eq!(statuses.last().unwrap(), &("completed".to_string(), 100));
        let progress: Vec<i64> = statuses.iter().map(|(_, p)| *p).collect();
        assert!(
            progress.windows(2).all(|w| w[0] <= w[1]),
            "progress only moves forward: {progress:?}"
        );
    }
);

on_both_engines!(
    a_reconnect_replays_exactly_what_was_missed,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let task = app.run_site_check(&client).await;
        app.wait_for_task(&client, task["id"].as_str().unwrap())
            .await;

        // Everything from the start.
        let all = client
            .get(app.url("/api/agent-tasks/stream?after=0"))
            .send()
            .await
            .unwrap();
        let mut all = SseReader::new(all);
        let ids = app.event_ids("acme").await;
        assert!(ids.len() >= 4, "pending, running..., completed: {ids:?}");
        let streamed: Vec<i64> = all
            .take(ids.len())
            .await
            .iter()
            .map(|e| e.id.unwrap())
            .collect();
        assert_eq!(streamed, ids);

        // A browser that saw the first two events reconnects with Last-Event-ID.
        let resumed = client
            .get(app.url("/api/agent-tasks/stream"))
            .header("last-event-id", ids[1].to_string())
            .send()
            .await
            .unwrap();
        let mut resumed = SseReader::new(resumed);
        let replayed: Vec<i64> = resumed
            .take(ids.len() - 2)
            .await
            .iter()
            .map(|e| e.id.unwrap())
            .collect();
        assert_eq!(replayed, ids[2..].to_vec(), "none lost");
        assert!(
            resumed.next(Duration::from_millis(500)).await.is_none(),
            "none repeated"
        );

        // Without either, a stream starts from now.
        let fresh = client
            .get(app.url("/api/agent-tasks/stream"))
            .send()
            .await
            .unwrap();
        assert!(SseReader::new(fresh)
            .next(Duration::from_millis(700))
            .await
            .is_none());
    }
);

on_both_engines!(
    the_first_page_tells_where_the_stream_continues,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let task = app.run_site_check(&client).await;
        app.wait_for_task(&client, task["id"].as_str().unwrap())
            .await;
        let feed = app.feed(&client).await;
        let after = feed["last_event_id"].as_i64().unwrap();
        assert!(after > 0);
        assert_eq!(feed["tasks"][0]["status"], "completed");

        let stream = client
            .get(app.url(&format!("/api/agent-tasks/stream?after={after}")))
            .send()
            .await
            .unwrap();
        let mut events = SseReader::new(stream);
        let second = app.run_site_check(&client).await;
        let first_event = events.next(Duration::from_secs(10)).await.unwrap();
        assert_eq!(
            first_event.id,
            Some(after + 1),
            "continues right after the first page"
        );
        let data: serde_json::Value = serde_json::from_str(&first_event.data).unwrap();
        assert_eq!(data["task"]["id"], second["id"]);
    }
);

on_both_engines!(the_stream_needs_a_session, |app: TestApp| async move {
    let response = app
        .client()
        .get(app.url("/api/agent-tasks/stream"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_signed_in");
    assert_eq!(body["message"], "Please sign in to continue.");
    let response = app
        .call_form(&app.client(), "activity/run_site_check", &[])
        .await;
    assert_eq!(response.status(), 401);
});

on_both_engines!(
    shutdown_ends_open_streams_and_finishes,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let stream = client
            .get(app.url("/api/agent-tasks/stream"))
            .send()
            .await
            .unwrap();
        let mut events = SseReader::new(stream);
        // A stream open forever must not hold the process up at shutdown.
        let stopped = tokio::time::timeout(Duration::from_secs(20), app.stop()).await;
        assert!(stopped.is_ok(), "the server stopped");
        assert!(
            events.next(Duration::from_secs(5)).await.is_none(),
            "the stream ended"
        );
    }
);

on_both_engines!(
    a_job_that_keeps_failing_ends_as_a_failed_task,
    |app: TestApp| async move {
        use app::activity::store::{create_task, NewTask};
        use app::jobs::store::{enqueue, NewJob};

        let client = app.login_as(ACME).await;
        let acme = app::tenancy::store::tenant_by_slug(&app.db, "acme")
            .await
            .unwrap()
            .unwrap();
        let mut tx = app.db.pool.begin().await.unwrap();
        enqueue(
            &mut tx,
            NewJob {
                id: "job-1",
                tenant_id: Some(&acme.id),
                kind: "mystery",
                payload: serde_json::json!({ "task_id": "task-1" }),
                run_at: app::server::now_ms(),
                max_attempts: 1,
                priority: 0,
            },
        )
        .await
        .unwrap();
        let new = NewTask {
            job_id: Some("job-1"),
            ..NewTask::pending("task-1", "mystery", "nobody")
        };
        create_task(&mut tx, &acme.id, new).await.unwrap();
        tx.commit().await.unwrap();

        let task = app.wait_for_task(&client, "task-1").await;
        assert_eq!(task["status"], "failed");
        assert_eq!(task["error"], "No agent handles jobs of kind \"mystery\".");
        let job: String = sqlx::query_scalar("select status from jobs where id = 'job-1'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(job, "failed");

        // Retry runs the job again from its first attempt (here it fails again).
        let viewer = app
            .sign_in_new_member("acme", "viewer@acme.test", app::tenancy::Role::Viewer)
            .await;
        let refused = app
            .call_form(&viewer, "activity/retry", &[("id", "task-1")])
            .await;
        assert_eq!(refused.status(), 403);
        let globex = app.login_as(GLOBEX).await;
        let elsewhere = app
            .call_form(&globex, "activity/retry", &[("id", "task-1")])
            .await;
        assert_eq!(elsewhere.status(), 404);
        let retried = app
            .call_form(&client, "activity/retry", &[("id", "task-1")])
            .await;
        assert_eq!(retried.status(), 200);
        let retried: serde_json::Value = retried.json().await.unwrap();
        assert_eq!(retried["status"], "pending");
        assert_eq!(retried["error"], serde_json::Value::Null);
        let again = app.wait_for_task(&client, "task-1").await;
        assert_eq!(again["status"], "failed");
        let attempts: i64 = sqlx::query_scalar("select attempts from jobs where id = 'job-1'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(attempts, 1, "counted from the start again");

        // A finished task that did not fail is not retried.
        let check = app.run_site_check(&client).await;
        let id = check["id"].as_str().unwrap();
        app.wait_for_task(&client, id).await;
        let not_failed = app
            .call_form(&client, "activity/retry", &[("id", id)])
            .await;
        assert_eq!(not_failed.status(), 409);
    }
);

/// Several processes on one PostgreSQL: a session made on one works on the other, and a
/// stream served by one carries events written by the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_cross_processes_on_postgres() {
    let Some(first) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    // Runs no jobs: every event it streams was written by the first process.
    let second = first.spawn_web_only_beside(false).await;
    let client = first.login_as(ACME).await;

    // The session cookie was issued by the first process (cookies ignore the port).
    let stream = client
        .get(second.url("/api/agent-tasks/stream"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        stream.status(),
        200,
        "the session is shared through the database"
    );
    let mut events = SseReader::new(stream);

    let task = first.run_site_check(&client).await;
    let mut last_status = String::new();
    while let Some(event) = events.next(Duration::from_secs(10)).await {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
        assert_eq!(data["task"]["id"], task["id"]);
        last_status = data["task"]["status"].as_str().unwrap().to_string();
        if last_status == "completed" {
            break;
        }
    }
    assert_eq!(
        last_status, "completed",
        "the second process streamed the first one's events"
    );
    second.stop().await;
}

/// Other processes learn of new events from the feed bell's NOTIFY; their hubs' own
/// reads every few seconds are only a safety net, which would hide a bell that never rang
/// from the cross-process test above. So this listens on the channel itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_events_are_announced_to_other_processes_on_postgres() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let mut listener = sqlx::postgres::PgListener::connect(&app.database_url)
        .await
        .unwrap();
    listener.listen(app::signals::CHANNEL).await.unwrap();
    let client = app.login_as(ACME).await;
    app.run_site_check(&client).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let note = tokio::time::timeout_at(deadline, listener.recv())
            .await
            .expect("the new events were announced")
            .unwrap();
        let signal: app::signals::Signal = serde_json::from_str(note.payload()).unwrap();
        if signal == app::signals::Signal::Feed {
            break;
        }
    }
}

/// A task event written straight to the log (as another process would), with the
/// PostgreSQL notification other processes send. SQLite streams find it by themselves.
async fn write_event(db: &Db, tenant_id: &str, task_id: &str) -> i64 {
    use app::activity::store::create_task;
    let mut tx = db.pool.begin().await.unwrap();
    let event = create_task(&mut tx, tenant_id, new_task(task_id))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ring(db).await;
    event.id
}

fn new_task(id: &str) -> app::activity::store::NewTask<'_> {
    app::activity::store::NewTask::pending(id, "test_step", "test")
}

async fn ring(db: &Db) {
    if db.backend == app::server::Backend::Postgres {
        let signal = app::signals::Signal::Feed;
        sqlx::query("select pg_notify($1, $2)")
            .bind(app::signals::CHANNEL)
            .bind(serde_json::to_string(&signal).unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
    }
}

async fn acme_id(app: &TestApp) -> String {
    app::tenancy::store::tenant_by_slug(&app.db, "acme")
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Two writers on PostgreSQL: the one that took the lower event id commits last. The
/// stream must still get both, in id order (ids are handed out before commit, so events
/// must not become visible out of order, or a stream reading "after N" skips one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_late_is_not_skipped_on_postgres() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let client = app.login_as(ACME).await;
    let tenant = acme_id(&app).await;
    let stream = client
        .get(app.url("/api/agent-tasks/stream"))
        .send()
        .await
        .unwrap();
    let mut events = SseReader::new(stream);

    let mut slow = app.db.pool.begin().await.unwrap();
    let first = app::activity::store::create_task(&mut slow, &tenant, new_task("slow"))
        .await
        .unwrap();
    let fast = {
        let (db, tenant) = (app.db.clone(), tenant.clone());
        tokio::spawn(async move { write_event(&db, &tenant, "fast").await })
    };
    // The fast writer has had time to commit, and streams have been told to look.
    tokio::time::sleep(Duration::from_millis(700)).await;
    ring(&app.db).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    slow.commit().await.unwrap();
    ring(&app.db).await;
    let second = fast.await.unwrap();
    assert!(second > first.id);
    let streamed: Vec<i64> = events.take(2).await.iter().map(|e| e.id.unwrap()).collect();
    assert_eq!(streamed, [first.id, second]);
}

/// The lock that lines up a tenant's event writers on PostgreSQL is taken by the event's
/// own insert and held until commit: a second writer of that tenant waits for the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenants_event_writers_wait_for_each_other_on_postgres() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let tenant = acme_id(&app).await;
    let held = || async {
        sqlx::query_scalar::<_, i64>(
            // pg_locks shows every database of the server: other tests run beside this one.
            "select count(*) from pg_locks where locktype = 'advisory' and granted \
             and classid::bigint = $1 \
             and database = (select oid from pg_database where datname = current_database())",
        )
        .bind(i64::from(app::activity::store::EVENT_LOG_LOCK))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    let mut first = app.db.pool.begin().await.unwrap();
    app::activity::store::create_task(&mut first, &tenant, new_task("first"))
        .await
        .unwrap();
    assert_eq!(held().await, 1, "the first writer holds its tenant's lock");
    let second = {
        let (db, tenant) = (app.db.clone(), tenant.clone());
        tokio::spawn(async move { write_event(&db, &tenant, "second").await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "the second writer waits for the lock"
    );
    first.commit().await.unwrap();
    second.await.unwrap();
    assert_eq!(held().await, 0, "both released at commit");
}

/// Writers of two tenants on PostgreSQL do not wait for each other (the lock that orders
/// events is per tenant), so the one that took the lower id may commit last, after the
/// hub has read past it: the hub must still hand it to its tenant's streams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_tenants_event_committed_late_still_arrives_on_postgres() {
    let Some(app) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let open = |who| {
        let app = &app;
        async move {
            let client = app.login_as(who).await;
            let stream = client
                .get(app.url("/api/agent-tasks/stream"))
                .send()
                .await
                .unwrap();
            SseReader::new(stream)
        }
    };
    let (mut acme_events, mut globex_events) = (open(ACME).await, open(GLOBEX).await);
    let acme = acme_id(&app).await;
    let globex = app::tenancy::store::tenant_by_slug(&app.db, "globex")
        .await
        .unwrap()
        .unwrap()
        .id;

    let mut slow = app.db.pool.begin().await.unwrap();
    let late = app::activity::store::create_task(&mut slow, &globex, new_task("slow"))
        .await
        .unwrap();
    // Acme's write does not wait for Globex's open transaction...
    let fast = tokio::time::timeout(Duration::from_secs(30), write_event(&app.db, &acme, "fast"))
        .await
        .expect("one tenant's writer never waits for another's");
    assert!(fast > late.id);
    let streamed = acme_events.next(Duration::from_secs(15)).await.unwrap();
    assert_eq!(streamed.id, Some(fast), "the hub has read past Globex's id");

    // ...and Globex's event, committed after, still reaches Globex's streams, once.
    slow.commit().await.unwrap();
    ring(&app.db).await;
    let streamed = globex_events.next(Duration::from_secs(15)).await;
    assert_eq!(streamed.and_then(|e| e.id), Some(late.id));
    assert!(globex_events
        .next(Duration::from_millis(500))
        .await
        .is_none());
    assert!(acme_events.next(Duration::from_millis(200)).await.is_none());
}

on_both_engines!(
    a_stream_opened_as_the_process_starts_misses_nothing,
    |app: TestApp| async move {
        use app::activity::hub::FeedHub;
        // A start at its slowest: the hub is made (as the server's build does, before it
        // takes connections), a stream subscribes, an event is written, and only then does
        // the hub's reader get to run. (A reader that found its place in the log itself,
        // when it first ran, started after that event: the stream never got it.)
        let tenant = acme_id(&app).await;
        let newest = app::activity::store::newest_event_id(&app.db)
            .await
            .unwrap();
        let hub = FeedHub::after(newest);
        let mut stream = hub.subscribe(&tenant);
        let written = write_event(&app.db, &tenant, "early").await;
        let stop = tokio_util::sync::CancellationToken::new();
        let reader = hub.follow(&app.db, stop.cancelled());
        tokio::pin!(reader);
        let event = tokio::select! {
            _ = &mut reader => unreachable!("the reader runs until stopped"),
            event = tokio::time::timeout(Duration::from_secs(10), stream.recv()) => event,
        };
        assert_eq!(
            event.expect("the event reaches the stream").unwrap().id,
            written
        );
    }
);

on_both_engines!(
    a_stream_that_falls_behind_still_gets_every_event_once_in_order,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let tenant = acme_id(&app).await;
        let stream = client
            .get(app.url("/api/agent-tasks/stream"))
            .send()
            .await
            .unwrap();
        let mut events = SseReader::new(stream);
        // Far more than a tenant's live channel holds, while nobody reads the stream.
        let mut written = Vec::new();
        for n in 0..600 {
            written.push(write_event(&app.db, &tenant, &format!("task-{n}")).await);
        }
        // On a busy machine writing takes long enough that the server may drop the unread
        // stream (its buffer full too long) so it resyncs: then it reconnects with
        // Last-Event-ID, as a browser's EventSource does, and must miss nothing.
        let mut streamed: Vec<i64> = Vec::new();
        while streamed.len() < written.len() {
            let waited = std::time::Instant::now();
            match events.next(std::time::Duration::from_secs(15)).await {
                Some(event) => streamed.push(event.id.unwrap()),
                None => {
                    eprintln!(
                        "the stream ended or stalled after {} of {} events ({:?} after the last)",
                        streamed.len(),
                        written.len(),
                        waited.elapsed()
                    );
                    let last = streamed.last().copied().unwrap_or(0);
                    let again = client
                        .get(app.url("/api/agent-tasks/stream"))
                        .header("last-event-id", last.to_string())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(again.status(), 200, "the stream reopens");
                    events = SseReader::new(again);
                    assert!(
                        events
                            .next(std::time::Duration::from_secs(15))
                            .await
                            .map(|e| {
                                streamed.push(e.id.unwrap());
                            })
                            .is_some(),
                        "the reconnected stream carries on after {} of {}",
                        streamed.len(),
                        written.len()
                    );
                }
            }
        }
        assert_eq!(streamed, written);
        assert!(
            events.next(Duration::from_millis(500)).await.is_none(),
            "none repeated"
        );
    }
);
