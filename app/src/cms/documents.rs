//! The CMS home (pages, posts and products: search, filter by status, sort, pages of 20,
//! and "New") and the editor of posts and products.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde_json::Value;

use super::api::{
    change_page_slug, change_post_slug, change_product_slug, create_page, create_post,
    create_product, get_post, get_product, list_pages, list_posts, list_products, publish_post,
    publish_product, save_post_draft, save_product_draft,
};
use super::block_forms::DocumentForm;
use super::document::slugify;
use super::editor::{
    autosave, keep_edits_on_leave, ready_to_publish, ready_to_save, report_result, EditorBar,
    LeaveSave, ProblemsBox,
};
use super::pages::{Preview, Versions};
use super::presence::EditingNow;
use super::{
    Collection, Content, Document, Money, PageContent, PostContent, ProductContent, Status,
};
use crate::dashboard::Workspace;
use crate::error::AppError;
use crate::tenancy::Role;
use crate::ui::{Button, Card, EmptyState, ErrorNotice, Loading, Pager, Table, Tabs};

/// One document in a list, whatever its kind (serialized with the server-rendered page).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Row {
    id: String,
    title: String,
    path: String,
    status: Status,
    updated_at: i64,
}

fn rows<C: Content>(documents: Vec<Document<C>>) -> Vec<Row> {
    documents
        .into_iter()
        .map(|d| Row {
            title: d.draft.title().to_string(),
            path: d.path(),
            status: d.status(),
            updated_at: d.updated_at,
            id: d.id,
        })
        .collect()
}

fn editor_path(collection: Collection, id: &str) -> String {
    format!("/cms/{}s/{id}", collection.noun())
}

const PER_PAGE: usize = 20;

#[component]
pub fn CmsHome() -> impl IntoView {
    let collection = RwSignal::new(Collection::Page);
    let created = RwSignal::new(0_u32);
    let documents = Resource::new(
        move || (collection.get(), created.get()),
        |(collection, _)| async move {
            match collection {
                Collection::Page => list_pages().await.map(rows),
                Collection::Post => list_posts().await.map(rows),
                Collection::Product => list_products().await.map(rows),
            }
        },
    );
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::from("all"));
    let sort = RwSignal::new(String::from("title"));
    let page = RwSignal::new(0_usize);
    // A new search or filter starts at the first page.
    Effect::new(move |_| {
        search.track();
        status.track();
        sort.track();
        collection.track();
        page.set(0);
    });
    view! {
        <Title text="Content · BizOSaaS"/>
        <Card title="Content">
            <Tabs label="Collections" selected=collection
                tabs=vec![(Collection::Page, "Pages"), (Collection::Post, "Posts"), (Collection::Product, "Products")]/>
            <div class="mt-4 flex flex-wrap items-end gap-3 text-sm">
                <label class="block">
                    <span class="text-slate-600">"Search"</span>
                    <input type="search" data-testid="search" placeholder="Title or address"
                        class="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5"
                        prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </label>
                <label class="block">
                    <span class="text-slate-600">"Status"</span>
                    <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1.5" data-testid="status-filter"
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="all">"All"</option>
                        <option value="draft">"Draft"</option>
                        <option value="published">"Published"</option>
                        <option value="changed">"Unpublished changes"</option>
                    </select>
                </label>
                <label class="block">
                    <span class="text-slate-600">"Sort"</span>
                    <select class="mt-1 block rounded-md border border-slate-300 px-2 py-1.5"
                        on:change=move |ev| sort.set(event_target_value(&ev))>
                        <option value="title">"Title A–Z"</option>
                        <option value="updated">"Recently changed"</option>
                    </select>
                </label>
            </div>
            <Transition fallback=|| view! { <Loading what="content"/> }>
                {move || Suspend::new(async move {
                    // Turning the page redraws the list.
                    page.track();
                    match documents.await {
                        Ok(all) => {
                            let needle = search.get().to_lowercase();
                            let wanted = status.get();
                            let mut shown: Vec<Row> = all
                                .into_iter()
                                .filter(|r| needle.is_empty() || r.title.to_lowercase().contains(&needle) || r.path.contains(&needle))
                                .filter(|r| wanted == "all" || serde_json::to_value(r.status).ok().and_then(|v| v.as_str().map(|s| s == wanted)).unwrap_or(false))
                                .collect();
                            if sort.get() == "updated" {
                                shown.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
                            } else {
                                shown.sort_by_key(|r| r.title.to_lowercase());
                            }
                            view! { <DocumentTable rows=shown page collection=collection.get()/> }.into_any()
                        }
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
        <NewDocument collection created/>
    }
}

#[component]
fn DocumentTable(rows: Vec<Row>, page: RwSignal<usize>, collection: Collection) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <EmptyState testid="list-empty" message=format!("No {}s match. Create one below.", collection.noun())/>
        }
        .into_any();
    }
    let pages = rows.len().div_ceil(PER_PAGE);
    let current = page.get_untracked().min(pages - 1);
    let visible: Vec<Row> = rows
        .into_iter()
        .skip(current * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    view! {
        <Table testid="page-list">
            <thead class="text-left text-slate-500">
                <tr><th class="py-2">"Title"</th><th>"Address"</th><th>"Status"</th><th>"Changed"</th></tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {visible.into_iter().map(|row| view! {
                    <tr>
                        <td class="py-2">
                            <a class="font-medium text-indigo-700 hover:underline" href=editor_path(collection, &row.id)>
                                {if row.title.is_empty() { "(untitled)".to_string() } else { row.title.clone() }}
                            </a>
                        </td>
                        <td class="font-mono text-slate-600">{row.path.clone()}</td>
                        <td><StatusBadge status=row.status/></td>
                        <td class="text-slate-500">{crate::time::day_time_label(row.updated_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </Table>
        <Pager page=current + 1 pages label="Pages of the list"
            on_page=Callback::new(move |n: usize| page.set(n - 1))/>
    }
    .into_any()
}

#[component]
pub(super) fn StatusBadge(#[prop(into)] status: Signal<Status>) -> impl IntoView {
    let colours = move || match status.get() {
        Status::Draft => "bg-slate-100 text-slate-700",
        Status::Published => "bg-green-50 text-green-700",
        Status::Changed => "bg-amber-50 text-amber-800",
    };
    view! {
        <span class=move || format!("rounded-full px-2 py-0.5 text-xs font-medium {}", colours())
            data-testid="page-status">{move || status.get().label()}</span>
    }
}

/// "New page/post/product": a title, and an address made from it (editable).
#[component]
fn NewDocument(collection: RwSignal<Collection>, created: RwSignal<u32>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Editor) {
        return ().into_any();
    }
    let title = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let slug_edited = RwSignal::new(false);
    let create = Action::new(
        move |(collection, title, slug): &(Collection, String, String)| {
            let (collection, title, slug) = (*collection, title.clone(), slug.clone());
            async move {
                match collection {
                    Collection::Page => {
                        let content = PageContent {
                            title,
                            ..PageContent::default()
                        };
                        create_page(slug, content).await.map(|d| d.id)
                    }
                    Collection::Post => {
                        let content = PostContent {
                            title,
                            ..PostContent::default()
                        };
                        create_post(slug, content).await.map(|d| d.id)
                    }
                    Collection::Product => {
                        let content = ProductContent {
                            name: title,
                            price: Money {
                                minor_units: 0,
                                currency: "USD".into(),
                            },
                            ..ProductContent::default()
                        };
                        create_product(slug, content).await.map(|d| d.id)
                    }
                }
            }
        },
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            created.update(|n| *n += 1);
            navigate(
                &editor_path(collection.get_untracked(), &id),
                Default::default(),
            );
        }
    });
    let error = move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <Card title="New">
            <form class="flex flex-wrap items-end gap-3 text-sm" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch((collection.get_untracked(), title.get_untracked(), slug.get_untracked()));
            }>
                <label class="block">
                    <span class="text-slate-600">"Title"</span>
                    <input type="text" name="new_title" required class="mt-1 block w-72 rounded-md border border-slate-300 px-3 py-1.5"
                        prop:value=move || title.get()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            if !slug_edited.get_untracked() { slug.set(slugify(&value)); }
                            title.set(value);
                        }/>
                </label>
                <label class="block">
                    <span class="text-slate-600">"Address"</span>
                    <input type="text" name="new_slug" class="mt-1 block w-56 rounded-md border border-slate-300 px-3 py-1.5 font-mono"
                        prop:value=move || slug.get()
                        on:input=move |ev| { slug_edited.set(true); slug.set(event_target_value(&ev)); }/>
                </label>
                <Button submit=true attr:data-testid="create" attr:disabled=move || create.pending().get()>
                    {move || format!("Create {}", collection.get().noun())}
                </Button>
            </form>
            {move || error().map(|message| view! { <div class="mt-3"><ErrorNotice message/></div> })}
        </Card>
    }
    .into_any()
}

#[component]
pub fn PostEditorPage() -> impl IntoView {
    view! { <DocumentEditorPage collection=Collection::Post/> }
}

#[component]
pub fn ProductEditorPage() -> impl IntoView {
    view! { <DocumentEditorPage collection=Collection::Product/> }
}

/// What the editor of a post or product works on: its JSON and where it stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Loaded {
    id: String,
    slug: String,
    draft: Value,
    status: Status,
    revision: i64,
    published_at: Option<i64>,
}

fn loaded<C: Content>(d: Document<C>) -> Loaded {
    Loaded {
        status: d.status(),
        draft: serde_json::to_value(&d.draft).unwrap_or_default(),
        revision: d.revision,
        published_at: d.published_at,
        id: d.id,
        slug: d.slug,
    }
}

async fn load(collection: Collection, id: String) -> Result<Loaded, AppError> {
    match collection {
        Collection::Page => super::api::get_page(id).await.map(loaded),
        Collection::Post => get_post(id).await.map(loaded),
        Collection::Product => get_product(id).await.map(loaded),
    }
}

/// A refused save: what the other editor's version has that yours does not, and the two
/// ways on: keep yours (saved over theirs, knowingly) or take theirs.
#[component]
pub(super) fn ConflictNotice(
    collection: Collection,
    id: String,
    conflict: RwSignal<Option<String>>,
    mine: Signal<Value>,
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
                Some(load(collection, id.get_value()).await)
            } else {
                None
            }
        }
    });
    view! {
        {move || conflict.get().map(|message| view! {
            <div role="alert" data-testid="conflict" class="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                <p>{message}</p>
                <Suspense fallback=|| view! { <Loading what="their version"/> }>
                    {move || Suspend::new(async move {
                        match theirs.await {
                            Some(Ok(other)) => {
                                let changes = super::document::describe_changes(&other.draft, &mine.get_untracked());
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

#[component]
fn DocumentEditorPage(collection: Collection) -> impl IntoView {
    let params = use_params_map();
    let document = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        move |id| load(collection, id),
    );
    view! {
        <Title text=format!("Edit {} · BizOSaaS", collection.noun())/>
        <a href="/cms" class="text-sm text-indigo-700 hover:underline">"← All content"</a>
        <Suspense fallback=move || view! { <Loading what=format!("the {}", collection.noun())/> }>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => view! { <DocumentEditor collection document/> }.into_any(),
                    Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentEditor(collection: Collection, document: Loaded) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let id = StoredValue::new(document.id.clone());
    let slug = document.slug.clone();
    let address = RwSignal::new(slug.clone());
    let site_url = workspace.site_url.clone();
    let live_url = move || {
        let slug = address.get();
        let path = match collection {
            Collection::Post => PostContent::path(&slug),
            _ => ProductContent::path(&slug),
        };
        format!("{site_url}{path}")
    };
    let saved = RwSignal::new(document.clone());
    let doc = RwSignal::new(document.draft.clone());
    let notice = RwSignal::new(None::<(bool, String)>);
    let conflict = RwSignal::new(None::<String>);
    let save = Action::new(move |(draft, revision): &(Value, i64)| {
        let (draft, revision, id) = (draft.clone(), *revision, id.get_value());
        async move {
            match collection {
                Collection::Post => {
                    let content: PostContent = serde_json::from_value(draft)
                        .map_err(|e| AppError::Invalid(e.to_string()))?;
                    save_post_draft(id, revision, content).await.map(loaded)
                }
                _ => {
                    let content: ProductContent = serde_json::from_value(draft)
                        .map_err(|e| AppError::Invalid(e.to_string()))?;
                    save_product_draft(id, revision, content).await.map(loaded)
                }
            }
        }
    });
    let publish = Action::new(move |_: &()| {
        let id = id.get_value();
        async move {
            match collection {
                Collection::Post => publish_post(id).await.map(loaded),
                _ => publish_product(id).await.map(loaded),
            }
        }
    });
    let reload = Action::new(move |_: &()| load(collection, id.get_value()));
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
        if let Some(Ok(document)) = reload.value().get() {
            doc.set(document.draft.clone());
            saved.set(document);
        }
    });
    // Problems from the same validation the server runs.
    let problems = Memo::new(move |_| {
        doc.with(|d| match collection {
            Collection::Post => serde_json::from_value::<PostContent>(d.clone())
                .map(|c| c.problems())
                .unwrap_or_else(|e| vec![e.to_string()]),
            _ => serde_json::from_value::<ProductContent>(d.clone())
                .map(|c| c.problems())
                .unwrap_or_else(|e| vec![e.to_string()]),
        })
    });
    let dirty = Signal::derive(move || doc.with(|d| saved.with(|s| *d != s.draft)));
    let save_now = move || {
        save.dispatch((doc.get_untracked(), saved.with_untracked(|s| s.revision)));
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
            leave_save(
                collection,
                id.get_value(),
                saved.with_untracked(|s| s.revision),
                doc.get_untracked(),
            )
        },
    );
    let status = Signal::derive(move || saved.with(|s| s.status));
    view! {
        <form class="space-y-6" on:submit=move |ev| {
            ev.prevent_default();
            if ready_to_save(problems, notice) {
                save_now();
            }
        }>
            <div class="flex flex-wrap items-center gap-3">
                <h1 class="mr-auto text-2xl font-bold text-slate-900">
                    {move || doc.with(|d| d.get(if collection == Collection::Post { "title" } else { "name" }).and_then(Value::as_str).unwrap_or("").to_string())}
                </h1>
                <StatusBadge status/>
                <Show when=move || status.get() != Status::Draft>
                    <a class="text-sm text-indigo-700 underline" href=live_url.clone() rel="external" target="_blank">"View live"</a>
                </Show>
            </div>
            <EditingNow collection id=id.get_value()/>
            <ConflictNotice collection id=id.get_value() conflict mine=Signal::derive(move || doc.get())
                keep_mine=Callback::new(move |revision: i64| {
                    saved.update(|s| s.revision = revision);
                    conflict.set(None);
                    save_now();
                })
                take_theirs=Callback::new(move |()| {
                    conflict.set(None);
                    reload.dispatch(());
                })/>
            <div class="grid gap-6 xl:grid-cols-2">
                <div class="min-w-0 space-y-4">
                    <Card title=if collection == Collection::Post { "Post" } else { "Product" }>
                        <div class="space-y-3">
                            <AddressField collection id=id.get_value() slug=address/>
                            <DocumentForm doc collection/>
                        </div>
                    </Card>
                    <ProblemsBox problems/>
                </div>
                <div class="min-w-0">
                    <Preview collection slug=slug.clone() content=Signal::derive(move || doc.get())/>
                </div>
            </div>
            <Versions collection id=id.get_value()
                changed=Signal::derive(move || saved.with(|s| (s.revision, s.published_at))) can_edit notice
                on_restored=Callback::new(move |()| { reload.dispatch(()); })/>
            <EditorBar collection id=id.get_value() can_edit
                saving=save.pending() publishing=publish.pending() dirty status notice
                on_publish=Callback::new(move |()| {
                    let missing = doc.with_untracked(|d| match collection {
                        Collection::Post => serde_json::from_value::<PostContent>(d.clone()).map(|c| c.publish_problems()),
                        _ => serde_json::from_value::<ProductContent>(d.clone()).map(|c| c.publish_problems()),
                    }).unwrap_or_default();
                    if ready_to_publish(missing, notice) { publish.dispatch(()); }
                })
                on_changed=Callback::new(move |()| { reload.dispatch(()); })/>
        </form>
    }
}

/// The save request of a post or product draft, for sending as the editor is left.
fn leave_save(collection: Collection, id: String, base_revision: i64, draft: Value) -> LeaveSave {
    use super::api::{SavePostDraft, SaveProductDraft};
    use server_fn::ServerFn;
    let body = match collection {
        Collection::Post => serde_json::from_value(draft).and_then(|content| {
            serde_json::to_string(&SavePostDraft {
                id,
                base_revision,
                content,
            })
        }),
        _ => serde_json::from_value(draft).and_then(|content| {
            serde_json::to_string(&SaveProductDraft {
                id,
                base_revision,
                content,
            })
        }),
    };
    let path = match collection {
        Collection::Post => SavePostDraft::PATH,
        _ => SaveProductDraft::PATH,
    };
    (path, body.unwrap_or_default())
}

/// The document's address on the site, and a way to change it. Once published, the old
/// address keeps working: it redirects to the new one.
#[component]
pub(super) fn AddressField(
    collection: Collection,
    id: String,
    slug: RwSignal<String>,
) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let id = StoredValue::new(id);
    let typed = RwSignal::new(slug.get_untracked());
    let change = Action::new(move |new: &String| {
        let (id, new) = (id.get_value(), new.clone());
        async move {
            match collection {
                Collection::Page => change_page_slug(id, new).await.map(|d| d.slug),
                Collection::Post => change_post_slug(id, new).await.map(|d| d.slug),
                Collection::Product => change_product_slug(id, new).await.map(|d| d.slug),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(new)) = change.value().get() {
            slug.set(new);
        }
    });
    let prefix = match collection {
        Collection::Page => "/",
        Collection::Post => "/blog/",
        Collection::Product => "/products/",
    };
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
