//! The site check: looks at every published page of a tenant for the basics search
//! engines need (a title, a meta description of 50-160 characters) and reports findings.

use serde::Serialize;

use app::activity::{store as tasks, TaskStatus};
use app::cms::PageContent;
use app::jobs::Job;
use app::server::AppState;

pub const META_DESCRIPTION_MIN: usize = 50;
pub const META_DESCRIPTION_MAX: usize = 160;

#[derive(Debug, Serialize, PartialEq)]
pub struct PageFindings {
    pub path: String,
    pub title: String,
    pub problems: Vec<String>,
}

pub fn check_page(slug: &str, page: &PageContent) -> PageFindings {
    let mut problems = Vec::new();
    if page.title.trim().is_empty() {
        problems.push("The page has no title.".to_string());
    }
    let description = page.meta_description.trim();
    let length = description.chars().count();
    if description.is_empty() {
        problems.push("The page has no meta description.".to_string());
    } else if length < META_DESCRIPTION_MIN {
        problems.push(format!(
            "The meta description has {length} characters; search engines show {META_DESCRIPTION_MIN}-{META_DESCRIPTION_MAX} best."
        ));
    } else if length > META_DESCRIPTION_MAX {
        problems.push(format!(
            "The meta description has {length} characters and will be cut off after {META_DESCRIPTION_MAX}."
        ));
    }
    PageFindings {
        path: format!("/{slug}"),
        title: page.title.clone(),
        problems,
    }
}

pub async fn run(state: &AppState, job: &Job) -> Result<(), String> {
    let tenant_id = job
        .tenant_id
        .as_deref()
        .ok_or("The site check needs a tenant.")?;
    let task_id = super::task_id(job).ok_or("The site check job has no task.")?;
    let update = |status, progress, summary: Option<String>, metadata| {
        let update = tasks::TaskUpdate {
            status: Some(status),
            progress: Some(progress),
            summary,
            metadata,
            error: None,
        };
        async move {
            let event = tasks::update_task(&state.db, tenant_id, task_id, update)
                .await
                .map_err(|e| format!("could not record progress: {e}"))?;
            state.feed_changed(&event.tenant_id).await;
            Ok::<_, String>(())
        }
    };

    update(
        TaskStatus::Running,
        0,
        Some("Reading published pages…".into()),
        None,
    )
    .await?;
    let pages = app::cms::store::published::<app::cms::PageContent>(&state.db, tenant_id)
        .await
        .map_err(|e| format!("could not read pages: {e}"))?;
    let total = pages.len().max(1) as i64;
    let mut findings = Vec::with_capacity(pages.len());
    for (done, page) in pages.iter().enumerate() {
        findings.push(check_page(&page.slug, &page.content));
        let done = done as i64 + 1;
        if done < total {
            update(
                TaskStatus::Running,
                done * 100 / total,
                Some(format!("Checked {done} of {total} pages…")),
                None,
            )
            .await?;
        }
    }
    let problems: usize = findings.iter().map(|f| f.problems.len()).sum();
    let summary = match (findings.len(), problems) {
        (0, _) => "No published pages to check yet.".to_string(),
        (n, 0) => format!("Checked {n} pages: all good."),
        (n, 1) => format!("Checked {n} pages: 1 problem found."),
        (n, p) => format!("Checked {n} pages: {p} problems found."),
    };
    let report = serde_json::json!({ "pages": findings });
    update(TaskStatus::Completed, 100, Some(summary), Some(report)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, description: &str) -> PageContent {
        PageContent {
            title: title.into(),
            meta_description: description.into(),
            blocks: vec![],
        }
    }

    #[test]
    fn finds_missing_and_badly_sized_descriptions() {
        assert_eq!(
            check_page("", &page("Home", &"a".repeat(80)))
                .problems
                .len(),
            0
        );
        assert_eq!(check_page("", &page("", "")).problems.len(), 2);
        assert!(check_page("x", &page("X", "short")).problems[0].contains("5 characters"));
        assert!(check_page("x", &page("X", &"a".repeat(161))).problems[0].contains("cut off"));
        assert_eq!(check_page("about/team", &page("X", "")).path, "/about/team");
    }
}
