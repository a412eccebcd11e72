//! What the editor shows of a page: its title and description, then its blocks (each
//! with its form, moved by drag, buttons or the arrow keys), and after publishing an offer
//! to link it from the site's navigation.

use leptos::prelude::*;

use super::forms::{new_blocks, BlockForm};
use super::Edit;
use crate::cms::PageContent;
use crate::dashboard::Workspace;
use crate::tenancy::Role;

impl Edit for PageContent {
    fn fields(draft: RwSignal<Self>) -> AnyView {
        view! {
                            <TextField label="Title" value=Signal::derive(move || draft.with(|d| d.title.clone()))
                                on_input=move |v| draft.update(|d| d.title = v) name="title"/>
                            <TextField label="Meta description"
                                value=Signal::derive(move || draft.with(|d| d.meta_description.clone()))
                                on_input=move |v| draft.update(|d| d.meta_description = v) name="meta_description"
                                hint=Signal::derive(move || {
                                    let n = draft.with(|d| d.meta_description.trim().chars().count());
                                    let advice = if (50..=160).contains(&n) { "good for search engines" } else { "search engines show 50–160 best" };
                                    format!("{n} characters: {advice}")
                                })/>
        }
        .into_any()
    }

    fn body(draft: RwSignal<Self>, can_edit: bool) -> AnyView {
        view! { <BlockList draft can_edit/> }.into_any()
    }

    fn after_publish(id: String, address: RwSignal<String>, published: Signal<bool>) -> AnyView {
        view! { <OfferNavigation page_id=id slug=address published/> }.into_any()
    }
}

/// The blocks, each with its form and buttons to move, copy and remove it; blocks can
/// also be dragged, or moved with the arrow keys on their handle.
#[component]
fn BlockList(draft: RwSignal<PageContent>, can_edit: bool) -> impl IntoView {
    let announce = RwSignal::new(String::new());
    let dragging = RwSignal::new(None::<usize>);
    let move_block = move |from: usize, to: usize| {
        draft.update(|d| {
            if from < d.blocks.len() && to < d.blocks.len() && from != to {
                let block = d.blocks.remove(from);
                d.blocks.insert(to, block);
            }
        });
        announce.set(format!("Block moved to position {}.", to + 1));
    };
    let rows = move || {
        draft.with(|d| {
            d.blocks
                .iter()
                .enumerate()
                .map(|(n, block)| (n, block.kind_label(), d.blocks.len()))
                .collect::<Vec<_>>()
        })
    };
    let choice = RwSignal::new(0_usize);
    view! {
        <p class="sr-only" aria-live="polite">{move || announce.get()}</p>
        <For each=rows key=|row| *row let:row>
            {
                let (n, label, count) = row;
                let kind = draft.with_untracked(|d| d.blocks.get(n).cloned());
                kind.map(|kind| view! {
                    <section class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="block"
                        on:dragover=move |ev| ev.prevent_default()
                        on:drop=move |ev| {
                            ev.prevent_default();
                            if let Some(from) = dragging.get_untracked() { move_block(from, n); }
                            dragging.set(None);
                        }>
                        <header class="mb-3 flex flex-wrap items-center gap-2">
                            <button type="button" draggable="true" data-testid="block-handle"
                                class="cursor-grab rounded border border-slate-300 px-2 text-slate-500"
                                aria-label=format!("Block {} of {count}, {label}. Press up or down to move it.", n + 1)
                                on:dragstart=move |_| dragging.set(Some(n))
                                on:keydown=move |ev| {
                                    let to = match ev.key().as_str() {
                                        "ArrowUp" if n > 0 => n - 1,
                                        "ArrowDown" if n + 1 < count => n + 1,
                                        _ => return,
                                    };
                                    ev.prevent_default();
                                    move_block(n, to);
                                    focus_handle(to);
                                }>"⠿"</button>
                            <h2 class="font-semibold text-slate-800 mr-auto" data-testid="block-title">{format!("{} · {label}", n + 1)}</h2>
                            <Show when=move || can_edit>
                                <button type="button" class="rounded border border-slate-300 px-2 text-sm disabled:opacity-40"
                                    disabled=n == 0 on:click=move |_| move_block(n, n - 1) aria-label="Move up">"↑"</button>
                                <button type="button" class="rounded border border-slate-300 px-2 text-sm disabled:opacity-40"
                                    disabled=n + 1 == count on:click=move |_| move_block(n, n + 1) aria-label="Move down">"↓"</button>
                                <button type="button" class="rounded border border-slate-300 px-2 text-sm"
                                    on:click=move |_| draft.update(|d| {
                                        if let Some(copy) = d.blocks.get(n).cloned() { d.blocks.insert(n + 1, copy); }
                                    })>"Duplicate"</button>
                                <button type="button" class="rounded border border-red-200 px-2 text-sm text-red-700"
                                    on:click=move |_| draft.update(|d| { if n < d.blocks.len() { d.blocks.remove(n); } })>"Remove"</button>
                            </Show>
                        </header>
                        <BlockForm draft n kind/>
                    </section>
                })
            }
        </For>
        <Show when=move || can_edit>
            <div class="flex items-center gap-2">
                <label class="text-sm">
                    <span class="sr-only">"Block type"</span>
                    <select data-testid="new-block-kind" class="rounded-md border border-slate-300 px-2 py-2 text-sm"
                        on:change=move |ev| choice.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {new_blocks().into_iter().enumerate().map(|(i, block)| view! {
                            <option value=i.to_string()>{block.kind_label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" data-testid="add-block"
                    class="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm hover:bg-slate-50"
                    on:click=move |_| {
                        if let Some(block) = new_blocks().into_iter().nth(choice.get_untracked()) {
                            draft.update(|d| d.blocks.push(block));
                            announce.set("Block added at the end.".into());
                        }
                    }>"Add block"</button>
            </div>
        </Show>
    }
}

/// Right after a page other than the home page is published, owners and admins are
/// offered a link to it in the site's navigation, unless it has one already.
#[component]
fn OfferNavigation(
    page_id: String,
    slug: RwSignal<String>,
    published: Signal<bool>,
) -> impl IntoView {
    use crate::tenancy::api::{add_page_to_navigation, load_site_settings};
    let may = expect_context::<Workspace>()
        .member
        .role
        .allows(Role::Admin);
    let page_id = StoredValue::new(page_id);
    let add = Action::new(move |_: &()| add_page_to_navigation(page_id.get_value()));
    let dismissed = RwSignal::new(false);
    // An action, not a resource: read inside the editor's Suspense, a resource would hold
    // the whole editor back on the server.
    let missing = Action::new(move |href: &String| {
        let href = href.clone();
        async move {
            load_site_settings()
                .await
                .is_ok_and(|settings| settings.navigation.iter().all(|link| link.href != href))
        }
    });
    Effect::new(move |_| {
        if may && published.get() && !slug.with(String::is_empty) {
            missing.dispatch(format!("/{}", slug.get_untracked()));
        }
    });
    let offered = move || !dismissed.get() && missing.value().get().unwrap_or(false);
    view! {
        <Show when=offered>
            <div role="status" data-testid="offer-navigation" class="flex flex-wrap items-center gap-3 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm text-indigo-900">
                {move || match add.value().get() {
                    Some(Ok(_)) => view! { <span>"Added to your site's navigation."</span> }.into_any(),
                    Some(Err(err)) => view! { <span class="text-red-700">{err.to_string()}</span> }.into_any(),
                    None => view! {
                        <span class="mr-auto">"This page is live but not in your site's navigation yet."</span>
                        <button type="button" data-testid="add-to-navigation" disabled=move || add.pending().get()
                            class="rounded-md bg-indigo-700 px-3 py-1 font-medium text-white disabled:opacity-50"
                            on:click=move |_| { add.dispatch(()); }>"Add to navigation"</button>
                        <button type="button" class="text-indigo-800 underline" on:click=move |_| dismissed.set(true)>"Not now"</button>
                    }.into_any(),
                }}
            </div>
        </Show>
    }
}

/// Keeps the keyboard on the block that was moved: its handle is drawn anew at its new
/// place, so focus follows it there once the list is redrawn.
fn focus_handle(position: usize) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let handle = document()
            .query_selector_all("[data-testid=block-handle]")
            .ok()
            .and_then(|handles| handles.item(position as u32))
            .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(handle) = handle {
            let _ = handle.focus();
        }
    });
}

/// A one-line field; `hint` is a line under it about what was typed (a counter).
#[component]
fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: Signal<String>,
    on_input: impl Fn(String) + 'static,
    #[prop(optional)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let hint_testid = hint_id.clone();
    view! {
        <div>
            <label class="block">
                <span class="text-sm font-medium text-slate-700">{label}</span>
                <input type="text" name=name prop:value=move || value.get() value=value.get_untracked()
                    aria-describedby=hint.map(|_| hint_id.clone())
                    on:input=move |ev| on_input(event_target_value(&ev))
                    class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"/>
            </label>
            {hint.map(|hint| view! {
                <p id=hint_id class="mt-1 text-xs text-slate-600" data-testid=hint_testid>{move || hint.get()}</p>
            })}
        </div>
    }
}
