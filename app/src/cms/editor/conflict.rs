//! A save refused because someone else saved first: what differs, and the two ways on.

use leptos::prelude::*;

use crate::cms::api::ContentCalls;
use crate::cms::content::describe_changes;
use crate::ui::{ErrorNotice, Loading};

/// What the other editor's version has that yours does not, and the two ways on: keep
/// yours (saved over theirs, knowingly) or take theirs.
#[component]
pub fn ConflictNotice<C: ContentCalls>(
    id: String,
    conflict: RwSignal<Option<String>>,
    mine: RwSignal<C>,
    /// Saves the editor's draft on top of the other version (its revision).
    keep_mine: Callback<i64>,
    /// Replaces the editor's draft with the other version.
    take_theirs: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let theirs = LocalResource::new(move || {
        let open = conflict.with(Option::is_some);
        async move {
            if open {
                Some(C::get(id.get_value()).await)
            } else {
                None
            }
        }
    });
    let shape = |content: &C| serde_json::to_value(content).unwrap_or_default();
    view! {
        {move || conflict.get().map(|message| view! {
            <div role="alert" data-testid="conflict" class="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                <p>{message}</p>
                <Suspense fallback=|| view! { <Loading what="their version"/> }>
                    {move || Suspend::new(async move {
                        match theirs.await {
                            Some(Ok(other)) => {
                                let changes = describe_changes(&shape(&other.draft), &mine.with_untracked(shape));
                                let summary = if changes.is_empty() {
                                    "Their version and yours are the same.".to_string()
                                } else {
                                    format!("Yours differs from theirs: {}.", changes.join("; "))
                                };
                                let revision = other.revision;
                                view! {
                                    <p data-testid="conflict-changes">{summary}</p>
                                    <div class="flex gap-2">
                                        <button type="button" class="rounded-md bg-red-700 px-3 py-1 text-white"
                                            on:click=move |_| take_theirs.run(())>"Use their version"</button>
                                        <button type="button" class="rounded-md border border-red-300 bg-white px-3 py-1"
                                            on:click=move |_| keep_mine.run(revision)>"Keep mine (replace theirs)"</button>
                                    </div>
                                }.into_any()
                            }
                            Some(Err(err)) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                            None => ().into_any(),
                        }
                    })}
                </Suspense>
            </div>
        })}
    }
}
