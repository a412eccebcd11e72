//! `/cms/media`: upload images by picker or drag and drop (with progress), give them
//! alt text, see their sizes, copy their address, delete them.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{delete_media, list_media, media_usage, SetMediaAlt};
use super::{MediaFile, MAX_UPLOAD_BYTES};
use crate::dashboard::Workspace;
use crate::error::AppError;
use crate::tenancy::Role;
use crate::ui::{Card, EmptyState, ErrorNotice, Loading, Pager, ProgressBar};

/// Images shown per page of the library.
const PER_PAGE: usize = 24;

#[component]
pub fn MediaPage() -> impl IntoView {
    view! {
        <Title text="Media · BizOSaaS"/>
        <MediaLibrary/>
    }
}

/// One upload on its way: its name and how far it is (0-100), or why it failed.
#[derive(Clone)]
struct Upload {
    name: String,
    progress: RwSignal<i64>,
    error: RwSignal<Option<String>>,
}

#[component]
fn MediaLibrary() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let uploaded = RwSignal::new(0_u32);
    let deleted = RwSignal::new(0_u32);
    let alt = ServerAction::<SetMediaAlt>::new();
    // Sizes are made in the background: while some are, the list is read again shortly.
    let tick = RwSignal::new(0_u32);
    let files = Resource::new(
        move || {
            (
                uploaded.get(),
                deleted.get(),
                alt.version().get(),
                tick.get(),
            )
        },
        |_| list_media(),
    );
    Effect::new(move |_| {
        let waiting = files
            .get()
            .and_then(Result::ok)
            .is_some_and(|list| list.iter().any(MediaFile::sizes_pending));
        if waiting {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_secs(2),
            );
        }
    });
    let uploads = RwSignal::new(Vec::<Upload>::new());
    let search = RwSignal::new(String::new());
    let missing_alt = RwSignal::new(false);
    let sort = RwSignal::new(String::from("newest"));
    let page = RwSignal::new(0_usize);
    let dragging = RwSignal::new(false);

    let start = move |list: Option<web_sys::FileList>| {
        let Some(list) = list else { return };
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                let upload = Upload {
                    name: file.name(),
                    progress: RwSignal::new(0),
                    error: RwSignal::new(None),
                };
                uploads.update(|u| u.insert(0, upload.clone()));
                send(file, upload, move || uploaded.update(|n| *n += 1));
            }
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        start(input.as_ref().and_then(|i| i.files()));
        if let Some(input) = input {
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        start(ev.data_transfer().and_then(|d| d.files()));
    };
    view! {
        <Card title="Media">
            <Show when=move || can_edit>
                <div data-testid="drop-zone"
                    class="rounded-lg border-2 border-dashed p-6 text-center text-sm"
                    class:border-indigo-500=move || dragging.get() class:bg-indigo-50=move || dragging.get()
                    class:border-slate-300=move || !dragging.get()
                    on:dragover=move |ev| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop>
                    <p class="text-slate-600">"Drop images here, or "
                        <label class="cursor-pointer font-medium text-indigo-700 underline">
                            "choose files"
                            <input type="file" accept="image/jpeg,image/png,image/webp,image/gif" multiple
                                class="sr-only" data-testid="file-input" on:change=on_pick/>
                        </label>
                    </p>
                    <p class="mt-1 text-xs text-slate-500">{format!("JPEG, PNG, WebP or GIF, up to {} MB. Smaller sizes for phones are made for you.", MAX_UPLOAD_BYTES / 1024 / 1024)}</p>
                </div>
                <ul class="mt-4 space-y-2" data-testid="uploads">
                    <For each=move || uploads.get() key=|u| u.progress let:upload>
                        <li class="text-sm">
                            <span class="font-medium">{upload.name.clone()}</span>
                            {move || match upload.error.get() {
                                Some(message) => view! { <ErrorNotice message/> }.into_any(),
                                None => view! { <ProgressBar value=upload.progress label=format!("Uploading {}", upload.name)/> }.into_any(),
                            }}
                        </li>
                    </For>
                </ul>
            </Show>
            <div class="mt-6 flex flex-wrap items-end gap-3 text-sm">
                <label class="block">
                    <span class="text-slate-600">"Search"</span>
                    <input type="search" placeholder="File name or alt text" data-testid="media-search"
                        class="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5"
                        prop:value=move || search.get() on:input=move |ev| { search.set(event_target_value(&ev)); page.set(0); }/>
                </label>
                <label class="flex items-center gap-2">
                    <input type="checkbox" prop:checked=move || missing_alt.get()
                        on:change=move |ev| { missing_alt.set(event_target_checked(&ev)); page.set(0); }/>
                    <span>"Only images without alt text"</span>
                </label>
                <label class="block">
                    <span class="text-slate-600">"Sort"</span>
                    <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1.5"
                        on:change=move |ev| sort.set(event_target_value(&ev))>
                        <option value="newest">"Newest first"</option>
                        <option value="name">"File name"</option>
                    </select>
                </label>
            </div>
            <Transition fallback=|| view! { <Loading what="your images"/> }>
                {move || Suspend::new(async move {
                    match files.await {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState testid="media-empty" message="No images yet. Upload one to use it on your pages."/>
                        }.into_any(),
                        Ok(list) => {
                            let needle = search.get().to_lowercase();
                            let mut shown: Vec<MediaFile> = list
                                .into_iter()
                                .filter(|f| f.matches(&needle))
                                .filter(|f| !missing_alt.get() || f.alt.is_empty())
                                .collect();
                            if sort.get() == "name" {
                                shown.sort_by_key(|f| f.filename.to_lowercase());
                            }
                            let pages = shown.len().div_ceil(PER_PAGE).max(1);
                            let current = page.get().min(pages - 1);
                            let count = shown.len();
                            view! {
                                <p class="mt-4 text-sm text-slate-500">{format!("{count} image{}", if count == 1 { "" } else { "s" })}</p>
                                <ul class="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="media-list">
                                    {shown.into_iter().skip(current * PER_PAGE).take(PER_PAGE)
                                        .map(|file| view! { <MediaCard file deleted alt can_edit/> }).collect_view()}
                                </ul>
                                <Pager page=current + 1 pages label="Pages of images"
                                    on_page=Callback::new(move |n: usize| page.set(n - 1))/>
                            }.into_any()
                        }
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
}

#[component]
fn MediaCard(
    file: MediaFile,
    /// Counts deletions, so the list is read again.
    deleted: RwSignal<u32>,
    alt: ServerAction<SetMediaAlt>,
    can_edit: bool,
) -> impl IntoView {
    let id = StoredValue::new(file.id.clone());
    let text = RwSignal::new(file.alt.clone());
    let sizes = file.sizes_label();
    // Delete first looks where the image is used: unused, it asks and deletes; in use, it
    // lists the places and only then offers "Delete anyway".
    let delete = Action::new(move |confirm: &bool| delete_media(id.get_value(), *confirm));
    let usage = Action::new(move |_: &()| media_usage(id.get_value()));
    let in_use = RwSignal::new(None::<String>);
    let name = StoredValue::new(file.filename.clone());
    Effect::new(move |_| match usage.value().get() {
        Some(Ok(places)) if places.is_empty() => {
            let question = format!("Delete {}?", name.get_value());
            if window().confirm_with_message(&question).unwrap_or(false) {
                delete.dispatch(false);
            }
        }
        Some(Ok(places)) => {
            let places: Vec<String> = places
                .iter()
                .map(|u| format!("{} “{}” ({})", u.collection, u.title, u.path))
                .collect();
            in_use.set(Some(format!(
                "Used by {}. Deleted, those places show a missing image.",
                places.join(", ")
            )));
        }
        Some(Err(err)) => in_use.set(Some(err.to_string())),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => deleted.update(|n| *n += 1),
        Some(Err(AppError::Conflict(places))) => in_use.set(Some(places)),
        Some(Err(err)) => in_use.set(Some(err.to_string())),
        None => {}
    });
    let url = file.url();
    view! {
        <li class="rounded-lg border border-slate-200 p-3 space-y-2" data-testid="media-file">
            <img src=url.clone() alt=file.alt.clone() class="aspect-video w-full rounded object-cover bg-slate-100" loading="lazy"/>
            <p class="truncate text-sm font-medium" title=file.filename.clone()>{file.filename.clone()}</p>
            <p class="text-xs text-slate-500">{format!("{}×{} · {} KB", file.width, file.height, file.bytes / 1024)}</p>
            <p class="text-xs text-slate-500" data-testid="media-sizes">{sizes}</p>
            <p class="text-xs"><span class="text-slate-500">"Address: "</span><code class="select-all">{url}</code></p>
            <label class="block text-sm">
                <span class="font-medium">"Alt text"</span>
                {file.alt.is_empty().then(|| view! { <span class="ml-1 text-xs text-amber-700">"needed before use on a page"</span> })}
                <input type="text" class="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1" disabled=!can_edit
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))
                    on:change=move |_| { alt.dispatch(SetMediaAlt { id: id.get_value(), alt: text.get_untracked() }); }/>
            </label>
            <Show when=move || can_edit && in_use.with(Option::is_none)>
                <button type="button" class="text-sm font-medium text-red-700 hover:underline" data-testid="delete-media"
                    disabled=move || delete.pending().get() || usage.pending().get()
                    on:click=move |_| { usage.dispatch(()); }>"Delete"</button>
            </Show>
            {move || in_use.get().map(|places| view! {
                <div role="alert" data-testid="delete-refused" class="space-y-2 rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
                    <p>{places}</p>
                    <div class="flex gap-3">
                        <button type="button" class="font-medium text-red-800 underline" data-testid="delete-anyway"
                            on:click=move |_| { delete.dispatch(true); }>"Delete anyway"</button>
                        <button type="button" class="text-slate-700 underline" on:click=move |_| in_use.set(None)>"Keep it"</button>
                    </div>
                </div>
            })}
        </li>
    }
}

/// Sends one file as the body of a POST, reporting progress (fetch cannot report upload
/// progress; XMLHttpRequest can).
fn send(file: web_sys::File, upload: Upload, done: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Ok(request) = web_sys::XmlHttpRequest::new() else {
            upload
                .error
                .set(Some("This browser cannot upload files.".into()));
            return;
        };
        let name: String = js_sys::encode_uri_component(&file.name()).into();
        if request
            .open(
                "POST",
                &crate::tenancy::address::api_url(&format!("/api/media/upload?filename={name}")),
            )
            .is_err()
        {
            upload.error.set(Some("The upload could not start.".into()));
            return;
        }
        let progress = upload.progress;
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
                if ev.length_computable() && ev.total() > 0.0 {
                    progress.set((ev.loaded() * 100.0 / ev.total()) as i64);
                }
            });
        if let Ok(target) = request.upload() {
            target.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let finished = request.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            let status = finished.status().unwrap_or(0);
            if status == 201 {
                upload.progress.set(100);
                done();
            } else {
                let text = finished.response_text().ok().flatten().unwrap_or_default();
                let message = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v["message"].as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("The upload failed ({status})."));
                upload.error.set(Some(message));
            }
        });
        request.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        if request.send_with_opt_blob(Some(&file)).is_err() {
            upload
                .error
                .set(Some("The upload could not be sent.".into()));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (file, upload, done);
}
