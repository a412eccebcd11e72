//! A document's address on the site, and a way to change it.

use leptos::prelude::*;

use crate::cms::api::ContentCalls;
use crate::dashboard::Workspace;
use crate::tenancy::Role;

/// The document's address on the site, and a way to change it. Once published, the old
/// address keeps working: it redirects to the new one.
pub fn address_field<C: ContentCalls>(id: String, slug: RwSignal<String>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let id = StoredValue::new(id);
    let typed = RwSignal::new(slug.get_untracked());
    let change = Action::new(move |new: &String| {
        let (id, new) = (id.get_value(), new.clone());
        async move { C::change_slug(id, new).await.map(|d| d.slug) }
    });
    Effect::new(move |_| {
        if let Some(Ok(new)) = change.value().get() {
            slug.set(new);
        }
    });
    // The part of the address before the slug: "/", "/blog/", "/products/".
    let prefix = C::path("");
    let message = move || match change.value().get() {
        Some(Ok(_)) => Some((
            false,
            "Address changed. If it was published, the old address now redirects here.".to_string(),
        )),
        Some(Err(err)) => Some((true, err.to_string())),
        None => None,
    };
    view! {
        <div class="text-sm">
            <label class="block">
                <span class="font-medium text-slate-700">"Address"</span>
                <span class="mt-1 flex flex-wrap items-center gap-2">
                    <span class="font-mono text-slate-600">{prefix}</span>
                    <input type="text" name="slug" class="block w-full min-w-0 rounded-md border border-slate-300 px-2 py-1 font-mono sm:w-64"
                        disabled=!can_edit prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <button type="button" data-testid="change-address"
                        disabled=move || !can_edit || change.pending().get() || typed.get() == slug.get()
                        on:click=move |_| { change.dispatch(typed.get_untracked()); }
                        class="rounded-md border border-slate-300 px-3 py-1 disabled:opacity-40">"Change address"</button>
                </span>
            </label>
            {move || message().map(|(is_error, text)| view! {
                <p role="status" class=if is_error { "mt-1 text-red-700" } else { "mt-1 text-green-700" }>{text}</p>
            })}
        </div>
    }
}
