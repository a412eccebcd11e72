//! The CMS screens: the list of pages and the page editor.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_page, list_pages, PublishPage, SavePageDraft};
use super::{Block, Page, PageContent, Status};
use crate::dashboard::pages::SignedInShell;
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Card, ErrorNotice, Loading};

#[component]
pub fn CmsHome() -> impl IntoView {
    view! {
        <Title text="Content · BizOSaaS"/>
        <SignedInShell>
            <PageList/>
        </SignedInShell>
    }
}

#[component]
fn PageList() -> impl IntoView {
    let pages = Resource::new(|| (), |_| list_pages());
    view! {
        <Card title="Pages">
            <Suspense fallback=|| view! { <Loading what="pages"/> }>
                {move || Suspend::new(async move {
                    match pages.await {
                        Ok(pages) if pages.is_empty() => view! {
                            <p class="text-sm text-slate-500">"This site has no pages yet."</p>
                        }.into_any(),
                        Ok(pages) => view! {
                            <table class="w-full text-sm" data-testid="page-list">
                                <thead class="text-left text-slate-500">
                                    <tr><th class="py-2">"Title"</th><th>"Path"</th><th>"Status"</th></tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {pages.into_iter().map(|page| view! { <PageListRow page/> }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </Card>
    }
}

#[component]
fn PageListRow(page: Page) -> impl IntoView {
    let status = page.status();
    view! {
        <tr>
            <td class="py-2">
                <a class="font-medium text-indigo-700 hover:underline" href=format!("/cms/pages/{}", page.id)>
                    {page.draft.title.clone()}
                </a>
            </td>
            <td class="font-mono text-slate-600">{page.path()}</td>
            <td><PageStatusBadge status/></td>
        </tr>
    }
}

#[component]
fn PageStatusBadge(#[prop(into)] status: Signal<Status>) -> impl IntoView {
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

#[component]
pub fn PageEditorPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_page,
    );
    view! {
        <Title text="Edit page · BizOSaaS"/>
        <SignedInShell>
            <a href="/cms" class="text-sm text-indigo-700 hover:underline">"← All pages"</a>
            <Suspense fallback=|| view! { <Loading what="the page"/> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <PageEditor page/> }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </SignedInShell>
    }
}

#[component]
fn PageEditor(page: Page) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let page_id = page.id.clone();
    let live_url = format!("{}{}", workspace.site_url, page.path());
    let saved = RwSignal::new(page.clone());
    let draft = RwSignal::new(page.draft.clone());
    let save = ServerAction::<SavePageDraft>::new();
    let publish = ServerAction::<PublishPage>::new();

    // What the last save or publish did, in words.
    let notice = RwSignal::new(None::<(bool, String)>);
    for (action_value, done) in [
        (save.value(), "Draft saved."),
        (
            publish.value(),
            "Published: the site shows this version now.",
        ),
    ] {
        Effect::new(move |_| match action_value.get() {
            Some(Ok(page)) => {
                saved.set(page);
                notice.set(Some((false, done.to_string())));
            }
            Some(Err(err)) => notice.set(Some((true, err.to_string()))),
            None => {}
        });
    }
    let dirty = move || draft.with(|d| saved.with(|s| *d != s.draft));
    let status = Signal::derive(move || saved.with(Page::status));
    let busy = move || save.pending().get() || publish.pending().get();
    let on_save = {
        let id = page_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            save.dispatch(SavePageDraft {
                id: id.clone(),
                base_revision: saved.with_untracked(|page| page.revision),
                content: draft.get(),
            });
        }
    };
    let on_publish = {
        let id = page_id.clone();
        move |_| {
            publish.dispatch(PublishPage { id: id.clone() });
        }
    };

    view! {
        <form class="space-y-6" on:submit=on_save>
            <div class="flex flex-wrap items-center gap-3">
                <h1 class="text-2xl font-bold text-slate-900 mr-auto">{move || draft.with(|d| d.title.clone())}</h1>
                <PageStatusBadge status/>
                <a class="text-sm text-indigo-700 underline" href=live_url rel="external" target="_blank">"View live page"</a>
            </div>
            <Show when=move || !can_edit>
                <p class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">"You can read this page; your role does not allow editing."</p>
            </Show>
            <Card title="Page">
                <div class="space-y-4">
                    <TextField label="Title" value=Signal::derive(move || draft.with(|d| d.title.clone()))
                        on_input=move |v| draft.update(|d| d.title = v) name="title"/>
                    <TextField label="Meta description"
                        value=Signal::derive(move || draft.with(|d| d.meta_description.clone()))
                        on_input=move |v| draft.update(|d| d.meta_description = v) name="meta_description"/>
                    <p class="text-xs text-slate-500" data-testid="meta-description-hint">{move || {
                        let n = draft.with(|d| d.meta_description.trim().chars().count());
                        let advice = if (50..=160).contains(&n) { "good for search engines" } else { "search engines show 50–160 best" };
                        format!("{n} characters: {advice}")
                    }}</p>
                </div>
            </Card>
            <BlockFields draft/>
            <div class="sticky bottom-0 flex items-center gap-3 bg-slate-50/95 py-3 border-t border-slate-200">
                <button type="submit" data-testid="save-draft" disabled=move || !can_edit || busy()
                    class="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white disabled:opacity-50">
                    {move || if save.pending().get() { "Saving…" } else { "Save draft" }}
                </button>
                <button type="button" data-testid="publish" on:click=on_publish
                    disabled=move || !can_edit || busy() || dirty() || status.get() == Status::Published
                    title=move || if dirty() { "Save the draft first" } else { "" }
                    class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50">
                    {move || if publish.pending().get() { "Publishing…" } else { "Publish" }}
                </button>
                <span class="text-sm text-slate-500">{move || dirty().then_some("Unsaved changes")}</span>
                {move || notice.get().map(|(is_error, text)| view! {
                    <span role="status" data-testid="editor-message"
                        class=if is_error { "text-sm text-red-700" } else { "text-sm text-green-700" }>{text}</span>
                })}
            </div>
        </form>
    }
}

#[component]
fn BlockFields(draft: RwSignal<PageContent>) -> impl IntoView {
    let count = move || draft.with(|d| d.blocks.len());
    view! {
        <For each=move || 0..count() key=|n| *n let:n>
            {move || {
                let block = draft.with(|d| d.blocks.get(n).cloned());
                block.map(|block| match block {
                    Block::Hero { .. } => view! {
                        <Card title=format!("Block {} · Hero", n + 1)>
                            <div class="space-y-4">
                                <TextField label="Heading" name="hero_heading"
                                    value=Signal::derive(move || hero_field(draft, n, true))
                                    on_input=move |v| set_hero_field(draft, n, true, v)/>
                                <TextField label="Subheading" name="hero_subheading"
                                    value=Signal::derive(move || hero_field(draft, n, false))
                                    on_input=move |v| set_hero_field(draft, n, false, v)/>
                            </div>
                        </Card>
                    }.into_any(),
                    Block::Text { .. } => view! {
                        <Card title=format!("Block {} · Text", n + 1)>
                            <label class="block">
                                <span class="text-sm font-medium text-slate-700">"Text (Markdown)"</span>
                                <textarea name="text" rows="8" data-testid="text-block"
                                    class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
                                    prop:value=move || text_field(draft, n)
                                    on:input=move |ev| set_text_field(draft, n, event_target_value(&ev))>
                                    {text_field(draft, n)}
                                </textarea>
                            </label>
                        </Card>
                    }.into_any(),
                    // Kept as they are on save; their forms come with the block editor.
                    other => view! {
                        <Card title=format!("Block {} · {}", n + 1, other.kind_label())>
                            <p class="text-sm text-slate-500">
                                "This block is shown on the site as it is. Editing its fields here is coming with the full block editor."
                            </p>
                        </Card>
                    }.into_any(),
                })
            }}
        </For>
    }
}

fn hero_field(draft: RwSignal<PageContent>, n: usize, heading_field: bool) -> String {
    draft.with(|d| match d.blocks.get(n) {
        Some(Block::Hero {
            heading,
            subheading,
            ..
        }) => {
            if heading_field {
                heading.clone()
            } else {
                subheading.clone()
            }
        }
        _ => String::new(),
    })
}

fn set_hero_field(draft: RwSignal<PageContent>, n: usize, heading_field: bool, value: String) {
    draft.update(|d| {
        if let Some(Block::Hero {
            heading,
            subheading,
            ..
        }) = d.blocks.get_mut(n)
        {
            *(if heading_field { heading } else { subheading }) = value;
        }
    });
}

fn text_field(draft: RwSignal<PageContent>, n: usize) -> String {
    draft.with(|d| match d.blocks.get(n) {
        Some(Block::Text { markdown }) => markdown.clone(),
        _ => String::new(),
    })
}

fn set_text_field(draft: RwSignal<PageContent>, n: usize, value: String) {
    draft.update(|d| {
        if let Some(Block::Text { markdown }) = d.blocks.get_mut(n) {
            *markdown = value;
        }
    });
}

#[component]
fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    value: Signal<String>,
    on_input: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="block">
            <span class="text-sm font-medium text-slate-700">{label}</span>
            <input type="text" name=name prop:value=move || value.get() value=value.get_untracked()
                on:input=move |ev| on_input(event_target_value(&ev))
                class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"/>
        </label>
    }
}
