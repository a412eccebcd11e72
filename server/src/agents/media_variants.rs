//! Makes the WebP variants of an uploaded image, reporting in the activity feed.

use app::activity::{store as tasks, TaskStatus};
use app::jobs::Job;
use app::media::{files, store};
use app::server::{AppState, StoreError};

pub async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    let tenant_id = job
        .tenant_id
        .as_deref()
        .ok_or("Image sizes need a tenant.")?;
    let task_id = super::task_id(job).ok_or("The image job has no task.")?;
    let id = job
        .payload
        .get("media_id")
        .and_then(|v| v.as_str())
        .ok_or("The image job names no file.")?;
    let report = |status, progress, summary: String| async move {
        let update = tasks::TaskUpdate {
            status: Some(status),
            progress: Some(progress),
            summary: Some(summary),
            ..Default::default()
        };
        let event = tasks::update_task(&state.db, tenant_id, task_id, update)
            .await
            .map_err(|e| format!("could not record progress: {e}"))?;
        state.feed_changed(&event.tenant_id).await;
        Ok::<_, String>(())
    };
    let file = match store::file(&state.db, tenant_id, id).await {
        Ok(file) => file,
        Err(StoreError::NotFound(_)) => {
            return report(
                TaskStatus::Completed,
                100,
                "The image was deleted before its sizes were made.".into(),
            )
            .await
        }
        Err(err) => return Err(format!("could not read the file: {err}")),
    };
    report(
        TaskStatus::Running,
        10,
        format!("Making sizes of {}…", file.filename),
    )
    .await?;
    let folder = files::folder(&state.media_dir, tenant_id, id);
    let original = tokio::fs::read(folder.join(format!("original.{}", file.extension())))
        .await
        .map_err(|e| format!("the original is missing: {e}"))?;
    // Decoding and encoding are CPU work: off the async threads.
    let made = tokio::task::spawn_blocking(move || files::make_variants(&original, &folder))
        .await
        .map_err(|e| format!("the resizer stopped: {e}"))??;
    store::set_variants(&state.db, tenant_id, id, &made)
        .await
        .map_err(|e| format!("could not record the sizes: {e}"))?;
    state.site_changed(tenant_id).await;
    let summary = if made.is_empty() {
        format!("{} is small already; it is served as it is.", file.filename)
    } else {
        let widths: Vec<String> = made.iter().map(|w| w.to_string()).collect();
        format!(
            "Made {} sizes of {} ({} px wide).",
            made.len(),
            file.filename,
            widths.join(", ")
        )
    };
    report(TaskStatus::Completed, 100, summary).await
}
