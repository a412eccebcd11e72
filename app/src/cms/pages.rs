//! The page editor: blocks, live preview, versions, publishing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{
    get_page, list_versions, Preview as PreviewDocument, PublishPage, RestoreVersion, SavePageDraft,
};
use super::block_forms::{new_blocks, BlockForm};
use super::documents::StatusBadge;
use super::editor::{
    autosave, keep_edits_on_leave, ready_to_publish, ready_to_save, report_result, EditorBar,
    ProblemsBox,
};
use super::presence::EditingNow;
use super::{Collection, Page, PageContent, Status};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Card, ErrorNotice, Loading};

#[component]
pub fn PageEditorPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_page,
    );
    view! {
        <Title text="Edit page · BizOSaaS"/>
        <a href="/cms" class="text-sm text-indigo-700 hover:underline">"← All content"</a>
        <Suspense fallback=|| view! { <Loading what="the page"/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <PageEditor page/> }.into_any(),
                    Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PageEditor(page: Page) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let page_id = StoredValue::new(page.id.clone());
    let slug = page.slug.clone();
    let address = RwSignal::new(slug.clone());
    let site_url = workspace.site_url.clone();
    let live_url = move || format!("{site_url}/{}", address.get());
    let saved = RwSignal::new(page.clone());
    let draft = RwSignal::new(page.draft.clone());
    let save = ServerAction::<SavePageDraft>::new();
    let publish = ServerAction::<PublishPage>::new();
    // After an unpublish or a restore, the page is read again.
    let reload = Action::new(move |id: &String| get_page(id.clone()));
    let conflict = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<(bool, String)>);
    let failed = RwSignal::new(false);
    report_result(
        save.value(),
        "Draft saved.",
        saved,
        notice,
        conflict,
        failed,
    );
    report_result(
        publish.value(),
        "Published: the site shows this version now.",
        saved,
        notice,
        conflict,
        failed,
    );
    Effect::new(move |_| {
        if let Some(Ok(page)) = reload.value().get() {
            draft.set(page.draft.clone());
            saved.set(page);
        }
    });

    let dirty = Signal::derive(move || draft.with(|d| saved.with(|s| *d != s.draft)));
    let status = Signal::derive(move || saved.with(Page::status));
    let problems = Memo::new(move |_| draft.with(crate::cms::Content::problems));
    let save_now = move || {
        save.dispatch(SavePageDraft {
            id: page_id.get_value(),
            base_revision: saved.with_untracked(|page| page.revision),
            content: draft.get_untracked(),
        });
    };
    autosave(
        move || can_edit && dirty.get() && conflict.with(Option::is_none),
        save.pending(),
        problems,
        save_now,
    );
    keep_edits_on_leave(
        Signal::derive(move || can_edit && dirty.get()),
        problems,
        failed,
        move || {
            let save = SavePageDraft {
                id: page_id.get_value(),
                base_revision: saved.with_untracked(|page| page.revision),
                content: draft.get_untracked(),
            };
            (
                <SavePageDraft as server_fn::ServerFn>::PATH,
                serde_json::to_string(&save).unwrap_or_default(),
            )
        },
    );
    let on_save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ready_to_save(problems, notice) {
            save_now();
        }
    };

    view! {
        <form class="space-y-6" on:submit=on_save>
            <div class="flex flex-wrap items-center gap-3">
                <h1 class="text-2xl font-bold text-slate-900 mr-auto">{move || draft.with(|d| d.title.clone())}</h1>
                <StatusBadge status/>
                <Show when=move || status.get() != Status::Draft>
                    <a class="text-sm text-indigo-700 underline" href=live_url.clone() rel="external" target="_blank">"View live page"</a>
                </Show>
            </div>
            <Show when=move || !can_edit>
                <p class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">"You can read this page; your role does not allow editing."</p>
            </Show>
            <EditingNow collection=Collection::Page id=page_id.get_value()/>
            <super::documents::ConflictNotice collection=Collection::Page id=page_id.get_value() conflict
                mine=Signal::derive(move || serde_json::to_value(draft.get()).unwrap_or_default())
                keep_mine=Callback::new(move |revision: i64| {
                    saved.update(|page| page.revision = revision);
                    conflict.set(None);
                    save_now();
                })
                take_theirs=Callback::new(move |()| {
                    conflict.set(None);
                    reload.dispatch(page_id.get_value());
                })/>
            <div class="grid gap-6 xl:grid-cols-2">
                <div class="space-y-6 min-w-0">
                    <Card title="Page">
                        <div class="space-y-4">
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
                            <super::documents::AddressField collection=Collection::Page id=page_id.get_value()
                                slug=address/>
                        </div>
                    </Card>
                    <ProblemsBox problems/>
                    <BlockList draft can_edit/>
                </div>
                <div class="min-w-0">
                    <Preview collection=Collection::Page slug=slug.clone()
                        content=Signal::derive(move || serde_json::to_value(draft.get()).unwrap_or_default())/>
                </div>
            </div>
            <OfferNavigation page_id=page_id.get_value() slug=address
                published=Signal::derive(move || publish.value().with(|v| matches!(v, Some(Ok(_)))))/>
            <Versions collection=Collection::Page id=page_id.get_value()
                changed=Signal::derive(move || saved.with(|p| (p.revision, p.published_at))) can_edit notice
                on_restored=Callback::new(move |()| { reload.dispatch(page_id.get_value()); })/>
            <EditorBar collection=Collection::Page id=page_id.get_value() can_edit
                saving=save.pending() publishing=publish.pending() dirty status notice
                on_publish=Callback::new(move |()| {
                    if ready_to_publish(draft.with_untracked(crate::cms::Content::publish_problems), notice) {
                        publish.dispatch(PublishPage { id: page_id.get_value() });
                    }
                })
                on_changed=Callback::new(move |()| { reload.dispatch(page_id.get_value()); })/>
        </form>
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

/// The page as the site will show it, redrawn by the server's renderer shortly after
/// each change, at desktop or phone width.
#[component]
pub(super) fn Preview(
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

/// Every kept version with what it changed; any can become the draft again.
#[component]
pub(super) fn Versions(
    collection: Collection,
    id: String,
    /// Changes when the document does (revision, last publish): the list is read again.
    changed: Signal<(i64, Option<i64>)>,
    can_edit: bool,
    notice: super::editor::Notice,
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
