//! The job queue's semantics on both engines: claims, leases, retries, release.

use crate::common::*;
use app::jobs::store::{claim, enqueue, fail, release, NewJob};
use app::server::{now_ms, Db};

async fn queue_db(engine: Engine) -> Option<(Db, TempDir)> {
    let dir = temp_dir();
    let url = fresh_database(engine, &dir.0).await?;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, dir))
}

async fn add_job(db: &Db, id: &str, run_at: i64) {
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

    let job = claim(&db, 60_000).await.unwrap().expect("the due job");
    assert_eq!((job.id.as_str(), job.attempts), ("now", 1));
    assert_eq!(job.payload["n"], 1);
    assert!(
        claim(&db, 60_000).await.unwrap().is_none(),
        "leased, and the other is not due"
    );

    // A failed run comes back after its backoff, not before.
    fail(&db, "now", "boom", Some(now_ms() + 60_000))
        .await
        .unwrap();
    assert!(claim(&db, 60_000).await.unwrap().is_none());
    fail(&db, "now", "boom", Some(now_ms() - 1)).await.unwrap();
    let again = claim(&db, 60_000).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), ("now", 2));

    // Released at shutdown: claimable at once, the attempt not counted.
    release(&db, "now").await.unwrap();
    let released = claim(&db, 60_000).await.unwrap().unwrap();
    assert_eq!(released.attempts, 2);

    // A worker that dies: its lease runs out and another claims the job.
    fail(&db, "now", "boom", Some(now_ms() - 1)).await.unwrap();
    let doomed = claim(&db, -1).await.unwrap().unwrap();
    let rescued = claim(&db, 60_000)
        .await
        .unwrap()
        .expect("expired lease is claimable");
    assert_eq!(rescued.id, doomed.id);
    assert_eq!(rescued.attempts, doomed.attempts + 1);

    // Failed for good: never claimed again.
    fail(&db, "now", "gave up", None).await.unwrap();
    assert!(claim(&db, 60_000).await.unwrap().is_none());
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
