//! The document as the site will show it, drawn by the server's own renderer.

use leptos::prelude::*;

use crate::cms::api::Preview as PreviewDocument;
use crate::cms::Collection;
use crate::ui::{Card, ErrorNotice};

/// The page as the site will show it, redrawn by the server's renderer shortly after
/// each change, at desktop or phone width.
#[component]
pub fn Preview(
    collection: Collection,
    slug: String,
    content: Signal<serde_json::Value>,
) -> impl IntoView {
    let preview = ServerAction::<PreviewDocument>::new();
    let phone = RwSignal::new(false);
    let later = crate::ui::Debounce::new(std::time::Duration::from_millis(400));
    let slug = StoredValue::new(slug);
    Effect::new(move |_| {
        let content = content.get();
        later.run(move || {
            preview.dispatch(PreviewDocument {
                collection,
                slug: slug.get_value(),
                content,
            });
        });
    });
    let html = move || match preview.value().get() {
        Some(Ok(html)) => html,
        _ => String::new(),
    };
    view! {
        <Card title="Preview">
            <div class="mb-3 flex items-center gap-2 text-sm" role="group" aria-label="Preview width">
                <button type="button" class="rounded border px-2" class:bg-slate-900=move || !phone.get() class:text-white=move || !phone.get()
                    aria-pressed=move || (!phone.get()).to_string() on:click=move |_| phone.set(false)>"Desktop"</button>
                <button type="button" class="rounded border px-2" class:bg-slate-900=move || phone.get() class:text-white=move || phone.get()
                    aria-pressed=move || phone.get().to_string() on:click=move |_| phone.set(true)>"Phone"</button>
                <span class="ml-auto text-xs text-slate-500">{move || if preview.pending().get() { "Updating…" } else { "" }}</span>
            </div>
            {move || match preview.value().get() {
                Some(Err(err)) => Some(view! { <ErrorNotice message=err.to_string()/> }),
                _ => None,
            }}
            <div class="flex justify-center overflow-auto rounded border border-slate-200 bg-slate-100">
                <iframe title="Preview" data-testid="preview" sandbox="allow-same-origin"
                    class="h-[70vh] bg-white" style=move || if phone.get() { "width: 390px" } else { "width: 100%" }
                    srcdoc=html></iframe>
            </div>
        </Card>
    }
}
