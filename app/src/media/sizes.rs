//! Makes the WebP variants of an uploaded image, reporting in the activity feed.

use crate::jobs::{Job, JobError};
use crate::media::{files, store, MakeSizes};
use crate::server::{AppState, StoreError};

pub async fn run(state: &AppState, job: &Job, sizes: &MakeSizes) -> Result<(), JobError> {
    let report = crate::activity::reporter::Reporter::for_job(state, job, "The image job")?;
    let tenant_id = report.tenant_id;
    let id = sizes.media_id.as_str();
    let file = match store::file(&state.db, tenant_id, id).await {
        Ok(file) => file,
        Err(StoreError::NotFound(_)) => {
            return report
                .done("The image was deleted before its sizes were made.", None)
                .await
        }
        Err(err) => return Err(JobError::store("read the file")(err)),
    };
    report
        .progress(10, format!("Making sizes of {}…", file.filename))
        .await?;
    let folder = files::folder(&state.media_dir, tenant_id, id);
    let original = tokio::fs::read(folder.join(format!("original.{}", file.extension())))
        .await
        .map_err(|e| JobError::Failed(format!("the original is missing: {e}")))?;
    // Decoding and encoding are CPU work: off the async threads.
    let made = tokio::task::spawn_blocking(move || files::make_variants(&original, &folder))
        .await
        .map_err(|e| JobError::Failed(format!("the resizer stopped: {e}")))?
        .map_err(JobError::Failed)?;
    store::set_variants(&state.db, tenant_id, id, &made)
        .await
        .map_err(JobError::store("record the sizes"))?;
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
    report.done(summary, None).await
}
