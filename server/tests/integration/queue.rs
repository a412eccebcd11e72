//! The job queue's semantics on both engines: claims, leases, retries, release.

use crate::common::*;
use app::jobs::store::{
    add_schedule, claim, enqueue, enqueue_due, fail, release, schedule_of, NewJob,
};
use app::server::{now_ms, Db};

async fn queue_db(engine: Engine) -> Option<(Db, TempDir)> {
    let mut dir = temp_dir();
    let url = fresh_database(engine, &mut dir).await?;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, dir))
}

async fn add_job(db: &Db, id: &str, run_at: i64) {
    add_job_with_priority(db, id, run_at, 0).await;
}

async fn add_job_with_priority(db: &Db, id: &str, run_at: i64, priority: i64) {
    let mut conn = db.pool.acquire().await.unwrap();
    enqueue(
        &mut conn,
        NewJob {
            id,
            tenant_id: None,
            kind: "test",
            payload: serde_json::json!({"n": 1}),
            run_at,
            max_attempts: 3,
            priority,
        },
    )
    .await
    .unwrap();
}

async fn leases_retries_and_release(engine: Engine) {
    let Some((db, _dir)) = queue_db(engine).await else {
        return;
    };
    add_job(&db, "later", now_ms() + 60_000).await;
    add_job(&db, "now", now_ms()).await;

    let job = claim(&db, "test", 60_000)
        .await
        .unwrap()
        .expect("the due job");
    assert_eq!((job.id.as_str(), job.attempts), ("now", 1));
    assert_eq!(job.payload["n"], 1);
    assert!(
        claim(&db, "test", 60_000).await.unwrap().is_none(),
        "leased, and the other is not due"
    );

    // A failed run comes back after its backoff, not before.
    fail(&db, "now", "boom", Some(now_ms() + 60_000))
        .await
        .unwrap();
    assert!(claim(&db, "test", 60_000).await.unwrap().is_none());
    fail(&db, "now", "boom", Some(now_ms() - 1)).await.unwrap();
    let again = claim(&db, "test", 60_000).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), ("now", 2));

    // Released at shutdown: claimable at once, the attempt not counted.
    release(&db, "now").await.unwrap();
    let released = claim(&db, "test", 60_000).await.unwrap().unwrap();
    assert_eq!(released.attempts, 2);

    // A worker that dies: its lease runs out and another claims the job.
    fail(&db, "now", "boom", Some(now_ms() - 1)).await.unwrap();
    let doomed = claim(&db, "test", -1).await.unwrap().unwrap();
    let rescued = claim(&db, "test", 60_000)
        .await
        .unwrap()
        .expect("expired lease is claimable");
    assert_eq!(rescued.id, doomed.id);
    assert_eq!(rescued.attempts, doomed.attempts + 1);

    // Failed for good: never claimed again.
    fail(&db, "now", "gave up", None).await.unwrap();
    assert!(claim(&db, "test", 60_000).await.unwrap().is_none());
    let status: String = sqlx::query_scalar("select status from jobs where id = 'now'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[tokio::test]
async fn queue_semantics_sqlite() {
    leases_retries_and_release(Engine::Sqlite).await;
}

#[tokio::test]
async fn queue_semantics_postgres() {
    leases_retries_and_release(Engine::Postgres).await;
}

async fn priorities_and_schedules(engine: Engine) {
    let Some((db, _dir)) = queue_db(engine).await else {
        return;
    };
    let earlier = now_ms() - 10_000;
    add_job_with_priority(&db, "routine", earlier, 0).await;
    add_job_with_priority(&db, "urgent", now_ms(), 10).await;
    let first = claim(&db, "test", 60_000).await.unwrap().unwrap();
    assert_eq!(
        first.id, "urgent",
        "higher priority first, even if due later"
    );
    assert_eq!(
        claim(&db, "test", 60_000).await.unwrap().unwrap().id,
        "routine"
    );

    let refused = add_schedule(&db, None, "digest", "every monday", serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("not a cron expression"),
        "{refused}"
    );
    let schedule = add_schedule(
        &db,
        None,
        "digest",
        "*/5 * * * *",
        serde_json::json!({ "kind": "weekly" }),
    )
    .await
    .unwrap();
    let now = now_ms();
    assert!(schedule.next_run_at > now && schedule.next_run_at <= now + 5 * 60_000);
    assert!(enqueue_due(&db).await.unwrap().is_empty(), "not due yet");

    // Due now: two processes look at once; the run is enqueued once, and the schedule
    // moves to its next time.
    sqlx::query("update schedules set next_run_at = $1 where id = $2")
        .bind(now - 1_000)
        .bind(&schedule.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let (a, b) = tokio::join!(enqueue_due(&db), enqueue_due(&db));
    let enqueued: Vec<_> = a.unwrap().into_iter().chain(b.unwrap()).collect();
    assert_eq!(enqueued.len(), 1, "one run, enqueued once");
    assert_eq!(enqueued[0].payload["kind"], "weekly");
    assert_eq!(enqueued[0].payload["schedule_id"], schedule.id.as_str());
    let moved = schedule_of(&db, None, "digest").await.unwrap().unwrap();
    assert!(moved.next_run_at > now_ms() && moved.last_run_at.is_some());
    assert!(enqueue_due(&db).await.unwrap().is_empty());
    let job = claim(&db, "test", 60_000)
        .await
        .unwrap()
        .expect("the scheduled run");
    assert_eq!(job.kind, "digest");
}

#[tokio::test]
async fn priorities_and_schedules_sqlite() {
    priorities_and_schedules(Engine::Sqlite).await;
}

#[tokio::test]
async fn priorities_and_schedules_postgres() {
    priorities_and_schedules(Engine::Postgres).await;
}

/// Two processes with workers of their own share one PostgreSQL queue: every job runs,
/// each exactly once, and both processes do some of the work.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_run_every_job_exactly_once_on_postgres() {
    let Some(first) = TestApp::spawn(Engine::Postgres).await else {
        return;
    };
    let second = first.spawn_worker_beside(2).await;
    let acme = app::tenancy::store::tenant_by_slug(&first.db, "acme")
        .await
        .unwrap()
        .unwrap();
    const JOBS: usize = 40;
    for _ in 0..JOBS {
        app::activity::store::create_task_with_job(
            &first.db,
            &acme.id,
            &app::jobs::JobKind::SiteCheck(Default::default()),
            now_ms(),
        )
        .await
        .unwrap();
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let done: i64 = sqlx::query_scalar("select count(*) from jobs where status = 'done'")
            .fetch_one(&first.db.pool)
            .await
            .unwrap();
        if done as usize == JOBS {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {done} of {JOBS} jobs ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let runs: Vec<(i64, Option<String>)> =
        sqlx::query_as("select attempts, locked_by from jobs order by id")
            .fetch_all(&first.db.pool)
            .await
            .unwrap();
    assert!(
        runs.iter().all(|(attempts, _)| *attempts == 1),
        "each job was claimed once: {runs:?}"
    );
    let mut processes: Vec<&str> = runs.iter().filter_map(|(_, by)| by.as_deref()).collect();
    processes.sort_unstable();
    processes.dedup();
    assert_eq!(processes.len(), 2, "both processes ran jobs: {runs:?}");
    let completed: i64 = sqlx::query_scalar(
        "select count(*) from agent_tasks where task_type = 'site_check' and status = 'completed'",
    )
    .fetch_one(&first.db.pool)
    .await
    .unwrap();
    assert_eq!(completed as usize, JOBS);
    second.stop().await;
}
