//! The editor of pages, posts and products: one component, `Editor<C>`, that edits the
//! typed draft, autosaves, publishes, previews and keeps every edit, whatever the kind;
//! each kind says only which fields it has (`Edit`).

mod address;
mod conflict;
pub mod forms;
mod page;
mod preview;
mod saving;
mod versions;

use leptos::prelude::*;

use self::address::address_field;
use self::conflict::ConflictNotice;
use self::forms::{post_form, product_form, FormFields, Target};
use self::preview::Preview;
use self::saving::{
    autosave, keep_edits_on_leave, ready_to_publish, ready_to_save, report_result, EditorBar,
    ProblemsBox,
};
use self::versions::Versions;
use super::api::ContentCalls;
use super::presence::EditingNow;
use super::{Content, Document, PostContent, ProductContent, Status};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::Card;

/// What one kind of document adds to the editor.
pub trait Edit: ContentCalls {
    /// Its own fields, in the card under its address.
    fn fields(draft: RwSignal<Self>) -> AnyView;
    /// Under the list of problems: a page's blocks.
    fn body(_draft: RwSignal<Self>, _can_edit: bool) -> AnyView {
        ().into_any()
    }
    /// Shown once `published` turns true: a page offers a link in the navigation.
    fn after_publish(_id: String, _address: RwSignal<String>, _published: Signal<bool>) -> AnyView {
        ().into_any()
    }
}

impl Edit for PostContent {
    fn fields(draft: RwSignal<Self>) -> AnyView {
        view! { <FormFields target=Target::of(draft) form=post_form()/> }.into_any()
    }
}

impl Edit for ProductContent {
    fn fields(draft: RwSignal<Self>) -> AnyView {
        view! { <FormFields target=Target::of(draft) form=product_form()/> }.into_any()
    }
}

#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<Status>) -> impl IntoView {
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
pub fn Editor<C: Edit>(document: Document<C>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let can_edit = workspace.member.role.allows(Role::Editor);
    let (collection, noun) = (C::COLLECTION, C::NOUN);
    let id = StoredValue::new(document.id.clone());
    let slug = document.slug.clone();
    let address = RwSignal::new(slug.clone());
    let site_url = workspace.site_url.clone();
    let live_url = move || format!("{site_url}{}", C::path(&address.get()));
    let saved = RwSignal::new(document.clone());
    let draft = RwSignal::new(document.draft);
    let save = Action::new(move |(content, revision): &(C, i64)| {
        C::save(id.get_value(), *revision, content.clone())
    });
    let publish = Action::new(move |_: &()| C::publish(id.get_value()));
    // After an unpublish, a restore or taking the other editor's version, it is read again.
    let reload = Action::new(move |_: &()| C::get(id.get_value()));
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
        if let Some(Ok(document)) = reload.value().get() {
            draft.set(document.draft.clone());
            saved.set(document);
        }
    });

    let dirty = Signal::derive(move || draft.with(|d| saved.with(|s| *d != s.draft)));
    let status = Signal::derive(move || saved.with(Document::status));
    // The same validation the server runs.
    let problems = Memo::new(move |_| draft.with(Content::problems));
    let save_now = move || {
        save.dispatch((draft.get_untracked(), saved.with_untracked(|s| s.revision)));
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
            C::save_request(
                id.get_value(),
                saved.with_untracked(|s| s.revision),
                draft.get_untracked(),
            )
        },
    );
    let published = Signal::derive(move || publish.value().with(|v| matches!(v, Some(Ok(_)))));
    let card_title = {
        let mut letters = noun.chars();
        letters
            .next()
            .map(|first| first.to_uppercase().chain(letters).collect::<String>())
            .unwrap_or_default()
    };

    view! {
        <form class="space-y-6" on:submit=move |ev| {
            ev.prevent_default();
            if ready_to_save(problems, notice) {
                save_now();
            }
        }>
            <div class="flex flex-wrap items-center gap-3">
                <h1 class="mr-auto text-2xl font-bold text-slate-900">{move || draft.with(|d| d.title().to_string())}</h1>
                <StatusBadge status/>
                <Show when=move || status.get() != Status::Draft>
                    <a class="text-sm text-indigo-700 underline" href=live_url.clone() rel="external" target="_blank">{format!("View live {noun}")}</a>
                </Show>
            </div>
            <Show when=move || !can_edit>
                <p class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">{format!("You can read this {noun}; your role does not allow editing.")}</p>
            </Show>
            <EditingNow collection id=id.get_value()/>
            <ConflictNotice<C> id=id.get_value() conflict mine=draft
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
                <div class="min-w-0 space-y-6">
                    <Card title=card_title>
                        <div class="space-y-4">
                            {address_field::<C>(id.get_value(), address)}
                            {C::fields(draft)}
                        </div>
                    </Card>
                    <ProblemsBox problems/>
                    {C::body(draft, can_edit)}
                </div>
                <div class="min-w-0">
                    <Preview collection slug=slug.clone()
                        content=Signal::derive(move || draft.with(|d| serde_json::to_value(d).unwrap_or_default()))/>
                </div>
            </div>
            {C::after_publish(id.get_value(), address, published)}
            <Versions collection id=id.get_value()
                changed=Signal::derive(move || saved.with(|s| (s.revision, s.published_at))) can_edit notice
                on_restored=Callback::new(move |()| { reload.dispatch(()); })/>
            <EditorBar collection id=id.get_value() can_edit
                saving=save.pending() publishing=publish.pending() dirty status notice
                on_publish=Callback::new(move |()| {
                    if ready_to_publish(draft.with_untracked(Content::publish_problems), notice) {
                        publish.dispatch(());
                    }
                })
                on_changed=Callback::new(move |()| { reload.dispatch(()); })/>
        </form>
    }
}
