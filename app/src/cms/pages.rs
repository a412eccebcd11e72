//! The CMS's screens: the content list (pages, posts and products: search, filter by
//! status, sort, pages of 20, and "New") and the editor of each kind.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::ContentCalls;
use super::content::slugify;
use super::editor::{Edit, Editor, StatusBadge};
use super::{
    with_content, Collection, Content, Document, PageContent, PostContent, ProductContent, Status,
};
use crate::dashboard::Workspace;
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

/// Where the document is edited, in the business of the page shown.
fn editor_path(collection: Collection, id: &str) -> String {
    crate::dashboard::href(&format!("/cms/{}s/{id}", collection.noun()))
}

const PER_PAGE: usize = 20;

#[component]
pub fn CmsHome() -> impl IntoView {
    let collection = RwSignal::new(Collection::Page);
    let created = RwSignal::new(0_u32);
    let documents = Resource::new(
        move || (collection.get(), created.get()),
        |(collection, _)| async move { with_content!(collection, |C| C::list().await.map(rows)) },
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
                with_content!(collection, |C| {
                    C::create(slug, C::titled(title)).await.map(|d| d.id)
                })
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
pub fn PageEditorPage() -> impl IntoView {
    editor_page::<PageContent>()
}

#[component]
pub fn PostEditorPage() -> impl IntoView {
    editor_page::<PostContent>()
}

#[component]
pub fn ProductEditorPage() -> impl IntoView {
    editor_page::<ProductContent>()
}

/// The editor of the document of kind `C` named in the address.
fn editor_page<C: Edit>() -> impl IntoView {
    let params = use_params_map();
    let document = Resource::new(move || params.read().get("id").unwrap_or_default(), C::get);
    view! {
        <Title text=format!("Edit {} · BizOSaaS", C::NOUN)/>
        <a href=crate::dashboard::href("/cms") class="text-sm text-indigo-700 hover:underline">"← All content"</a>
        <Suspense fallback=|| view! { <Loading what=format!("the {}", C::NOUN)/> }>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => view! { <Editor<C> document/> }.into_any(),
                    Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
