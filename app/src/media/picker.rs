//! Choosing a library image from an editor's form: a dialog with the tenant's images,
//! searchable, that hands back the chosen file (its address and alt text).

use leptos::prelude::*;

use super::api::list_media;
use super::MediaFile;
use crate::ui::{ErrorNotice, Loading, Modal};

/// Images shown at once; a search narrows the rest.
const SHOWN: usize = 48;

/// A "Choose from library" button and the dialog it opens.
#[component]
pub fn MediaPicker(
    /// What the button says (screen readers hear which field it fills).
    #[prop(into)]
    label: String,
    on_pick: Callback<MediaFile>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    // Read each time the dialog opens, so new uploads show up.
    let load = Action::new(move |_: &()| list_media());
    let search_box = NodeRef::<leptos::html::Input>::new();
    let opener = NodeRef::<leptos::html::Button>::new();
    let close = move || {
        open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    };
    let show = move |_| {
        search.set(String::new());
        load.dispatch(());
        open.set(true);
    };
    Effect::new(move |_| {
        if open.get() {
            if let Some(input) = search_box.get() {
                let _ = input.focus();
            }
        }
    });
    let choose = move |file: MediaFile| {
        on_pick.run(file);
        close();
    };
    let results = move || {
        let found = load.value().get()?;
        Some(found.map(|files| {
            let needle = search.get().trim().to_lowercase();
            files
                .into_iter()
                .filter(|f| f.matches(&needle))
                .take(SHOWN)
                .collect::<Vec<_>>()
        }))
    };
    view! {
        // The spoken name starts with the words on the button, then says which field.
        <button type="button" node_ref=opener on:click=show data-testid="choose-image"
            class="mt-1 rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-50">
            "Choose from library…"
            <span class="sr-only">{format!(" ({label})")}</span>
        </button>
        <Show when=move || open.get()>
            <Modal title=label.clone() testid="media-picker" on_close=Callback::new(move |()| close())>
                    <div class="border-b border-slate-100 px-5 py-3">
                        <input type="search" node_ref=search_box placeholder="Search by name or alt text"
                            aria-label="Search images" class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                            prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                    </div>
                    <div class="overflow-y-auto p-5">
                        {move || match results() {
                            None => view! { <Loading what="your images"/> }.into_any(),
                            Some(Err(err)) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                            Some(Ok(files)) if files.is_empty() => view! {
                                <p class="text-sm text-slate-600" data-testid="media-picker-empty">
                                    {if search.with(String::is_empty) {
                                        "No images yet. "
                                    } else {
                                        "No image matches that search. "
                                    }}
                                    <a href=crate::dashboard::href("/cms/media") target="_blank" class="text-indigo-700 underline">"Upload in the media library"</a>
                                </p>
                            }.into_any(),
                            Some(Ok(files)) => view! {
                                <ul class="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4">
                                    {files.into_iter().map(|file| {
                                        let name = file.filename.clone();
                                        let alt = file.alt.clone();
                                        let thumbnail = file.thumbnail_url();
                                        view! {
                                            <li>
                                                <button type="button" data-testid="media-choice"
                                                    class="w-full rounded-lg border border-slate-200 p-2 text-left hover:border-indigo-400 focus:outline-none focus:ring-2 focus:ring-indigo-500"
                                                    on:click=move |_| choose(file.clone())>
                                                    <img src=thumbnail alt="" loading="lazy" class="aspect-video w-full rounded bg-slate-100 object-cover"/>
                                                    <span class="mt-1 block truncate text-xs font-medium">{name}</span>
                                                    {if alt.is_empty() {
                                                        view! { <span class="block text-xs text-amber-700">"No alt text yet"</span> }.into_any()
                                                    } else {
                                                        view! { <span class="block truncate text-xs text-slate-500">{alt}</span> }.into_any()
                                                    }}
                                                </button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                    </div>
            </Modal>
        </Show>
    }
}
