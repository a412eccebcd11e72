//! The kept versions of a document, any of which can become the draft again.

use leptos::prelude::*;

use super::saving::Notice;
use crate::cms::api::{list_versions, RestoreVersion};
use crate::cms::Collection;
use crate::ui::{Card, ErrorNotice, Loading};

/// Every kept version with what it changed; any can become the draft again.
#[component]
pub fn Versions(
    collection: Collection,
    id: String,
    /// Changes when the document does (revision, last publish): the list is read again.
    changed: Signal<(i64, Option<i64>)>,
    can_edit: bool,
    notice: Notice,
    /// A version became the draft: the editor reads the document again.
    on_restored: Callback<()>,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let restore = ServerAction::<RestoreVersion>::new();
    Effect::new(move |_| match restore.value().get() {
        Some(Ok(_)) => {
            notice.set(Some((false, "Version restored as the draft.".into())));
            on_restored.run(());
        }
        Some(Err(err)) => notice.set(Some((true, err.to_string()))),
        None => {}
    });
    // Read by the browser after hydration (a resource nested in the editor's own does not
    // hydrate when the editor is loaded directly), and again whenever the document changes.
    let load = Action::new(move |_: &()| list_versions(collection, id.get_value()));
    Effect::new(move |_| {
        changed.track();
        load.dispatch(());
    });
    let versions = load.value();
    view! {
        <Card title="Versions">
                {move || match versions.get() {
                        None => view! { <Loading what="versions"/> }.into_any(),
                        Some(Ok(list)) => view! {
                            <ol class="divide-y divide-slate-100 text-sm" data-testid="versions">
                                {list.into_iter().map(|version| {
                                    let number = version.number;
                                    let changes = if version.changes.is_empty() { "No changes to the content".to_string() } else { version.changes.join("; ") };
                                    view! {
                                        <li class="flex flex-wrap items-baseline gap-x-3 py-2" data-testid="version">
                                            <span class="font-medium">{format!("#{number} {}", version.action)}</span>
                                            <span class="text-slate-500">{format!("{} · {}", version.author, crate::time::day_time_label(version.created_at))}</span>
                                            <span class="text-slate-700">{changes}</span>
                                            <Show when=move || can_edit>
                                                <button type="button" class="ml-auto text-indigo-700 hover:underline"
                                                    on:click=move |_| { restore.dispatch(RestoreVersion { collection, id: id.get_value(), number }); }>
                                                    "Restore as draft"
                                                </button>
                                            </Show>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Some(Err(err)) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }}
        </Card>
    }
}
