//! `/dashboard/approvals`: ask the writer agent for a post, and approve or reject what
//! agents propose.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    list_proposals, load_drafting_status, ApproveProposal, DraftPost, RejectProposal,
};
use super::{Change, Proposal, ProposalStatus};
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Button, Card, ErrorNotice, Loading};

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    view! {
        <Title text="Approvals · BizOSaaS"/>
        <Approvals/>
    }
}

/// Inside the shell, which knows who is signed in.
#[component]
fn Approvals() -> impl IntoView {
    let can_decide = expect_context::<Workspace>()
        .member
        .role
        .allows(Role::Editor);
    let draft = ServerAction::<DraftPost>::new();
    let approve = ServerAction::<ApproveProposal>::new();
    let reject = ServerAction::<RejectProposal>::new();
    // Drafts take a few seconds: the list is read again every few seconds.
    let tick = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let ticker = set_interval_with_handle(
            move || tick.update(|t| *t += 1),
            std::time::Duration::from_secs(3),
        )
        .ok();
        on_cleanup(move || {
            if let Some(ticker) = ticker {
                ticker.clear();
            }
        });
    });
    let proposals = Resource::new(
        move || {
            (
                tick.get(),
                draft.version().get(),
                approve.version().get(),
                reject.version().get(),
            )
        },
        |_| list_proposals(),
    );
    let status = Resource::new(move || draft.version().get(), |_| load_drafting_status());
    let brief = RwSignal::new(String::new());
    let publish = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = draft.value().get() {
            brief.set(String::new());
        }
    });
    let failure = move || {
        draft
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| approve.value().get().and_then(Result::err))
            .or_else(|| reject.value().get().and_then(Result::err))
            .map(|e| e.to_string())
    };
    view! {
            <Card title="Ask the writer for a post">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        status.await.ok().map(|s| view! {
                            <p class="mb-3 text-sm text-slate-600" data-testid="drafting-status">
                                {match s.model {
                                    Some(model) => format!("Drafts are written by the language model {model} ({} calls, {} tokens so far).", s.calls, s.prompt_tokens + s.completion_tokens),
                                    None => "No writing model is connected to this platform yet, so the template drafter gives you a structure to fill in rather than finished writing. Your platform operator can connect one.".to_string(),
                                }}
                            </p>
                        })
                    })}
                </Transition>
                <form class="space-y-2" on:submit=move |ev| {
                    ev.prevent_default();
                    draft.dispatch(DraftPost { brief: brief.get_untracked(), publish: publish.get_untracked() });
                }>
                    <label class="block text-sm">
                        <span class="font-medium text-slate-700">"Brief: the subject, who it is for, what it should say"</span>
                        <textarea name="brief" rows="3" maxlength=super::MAX_BRIEF_CHARS disabled=!can_decide
                            class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
                            prop:value=move || brief.get() on:input=move |ev| brief.set(event_target_value(&ev))></textarea>
                    </label>
                    <label class="flex items-center gap-2 text-sm text-slate-700">
                        <input type="checkbox" name="publish" disabled=!can_decide
                            prop:checked=move || publish.get() on:change=move |ev| publish.set(event_target_checked(&ev))/>
                        "Publish it on the blog when approved (otherwise it becomes a draft to edit)"
                    </label>
                    <Button submit=true attr:disabled=move || !can_decide || draft.pending().get()>
                        {move || if draft.pending().get() { "Asking…" } else { "Draft a post" }}
                    </Button>
                    {move || draft.value().get().and_then(Result::ok).map(|_| view! {
                        <span role="status" class="ml-3 text-sm text-green-700">"The writer is at work; the draft appears below for your approval."</span>
                    })}
                </form>
            </Card>
            {move || failure().map(|message| view! { <ErrorNotice message/> })}
            <Card title="Waiting for your approval">
                <Transition fallback=|| view! { <Loading what="proposals"/> }>
                    {move || Suspend::new(async move {
                        match proposals.await {
                            Ok(list) => {
                                let (pending, decided): (Vec<Proposal>, Vec<Proposal>) =
                                    list.into_iter().partition(|p| p.status == ProposalStatus::Pending);
                                view! {
                                    {pending.is_empty().then(|| view! {
                                        <p class="text-sm text-slate-500" data-testid="no-proposals">"Nothing waits for you."</p>
                                    })}
                                    <ul class="space-y-4" data-testid="proposals">
                                        {pending.into_iter().map(|p| view! { <ProposalCard proposal=p can_decide approve reject/> }).collect_view()}
                                    </ul>
                                    {(!decided.is_empty()).then(|| view! {
                                        <h3 class="mt-6 text-sm font-semibold text-slate-700">"Decided"</h3>
                                        <ul class="mt-2 divide-y divide-slate-100 text-sm" data-testid="decided">
                                            {decided.into_iter().map(|p| {
                                                let outcome = match p.status {
                                                    ProposalStatus::Approved => "approved".to_string(),
                                                    _ => format!("rejected: {}", p.reason.clone().unwrap_or_default()),
                                                };
                                                // Where the approved change now lives, to go on with it.
                                                let result = match (&p.change, &p.result_id) {
                                                    (Change::PostDraft { publish, .. }, Some(id)) if p.status == ProposalStatus::Approved => Some((
                                                        crate::dashboard::href(&format!("/cms/posts/{id}")),
                                                        if *publish { "Open the post" } else { "Open the draft" },
                                                    )),
                                                    (Change::MetaDescription { page_id, .. }, Some(_)) if p.status == ProposalStatus::Approved => {
                                                        Some((crate::dashboard::href(&format!("/cms/pages/{page_id}")), "Open the page"))
                                                    }
                                                    _ => None,
                                                };
                                                view! {
                                                    <li class="flex flex-wrap items-baseline gap-x-2 py-2" data-testid="decided-proposal">
                                                        <span class="font-medium">{p.title.clone()}</span>
                                                        <span class="text-slate-600">{format!("{outcome} (by {})", p.decided_by.clone().unwrap_or_default())}</span>
                                                        {result.map(|(href, label)| view! {
                                                            <a class="ml-auto font-medium text-indigo-700 hover:underline" href=href data-testid="open-result">{label}" →"</a>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    })}
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
fn ProposalCard(
    proposal: Proposal,
    can_decide: bool,
    approve: ServerAction<ApproveProposal>,
    reject: ServerAction<RejectProposal>,
) -> impl IntoView {
    let id = StoredValue::new(proposal.id.clone());
    let reason = RwSignal::new(String::new());
    let what = match proposal.change.clone() {
        Change::PostDraft { post, publish } => {
            let tags = post.tags.join(", ");
            let outcome = if publish { "Approving publishes it on the blog." } else { "Approving makes it a draft post." };
            view! {
                <p class="mt-2 text-sm text-slate-700">{post.excerpt.clone()}</p>
                <details class="mt-2 text-sm">
                    <summary class="cursor-pointer text-indigo-700">"Read the draft"</summary>
                    <pre class="mt-2 whitespace-pre-wrap font-sans text-slate-800">{post.body.clone()}</pre>
                    {(!tags.is_empty()).then(|| view! { <p class="mt-1 text-xs text-slate-500">{format!("Tags: {tags}")}</p> })}
                </details>
                <p class="mt-1 text-xs text-slate-500">{outcome}</p>
            }
            .into_any()
        }
        Change::MetaDescription { path, before, after, .. } => view! {
            <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt class="text-slate-500">"Page"</dt><dd><code>{path}</code></dd>
                <dt class="text-slate-500">"Now"</dt><dd class="text-slate-600">{if before.is_empty() { "(none)".to_string() } else { before }}</dd>
                <dt class="text-slate-500">"Proposed"</dt><dd class="text-slate-900" data-testid="proposed-description">{after}</dd>
            </dl>
            <p class="mt-1 text-xs text-slate-500">"Approving publishes the page with the new description."</p>
        }
        .into_any(),
    };
    view! {
        <li class="rounded-lg border border-slate-200 p-4" data-testid="proposal">
            <h3 class="font-semibold text-slate-900">{proposal.title.clone()}</h3>
            <p class="text-xs text-slate-500">{proposal.note.clone()}</p>
            {what}
            <Show when=move || can_decide>
                <div class="mt-3 flex flex-wrap items-center gap-2">
                    <button type="button" data-testid="approve"
                        class="rounded-md bg-green-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
                        disabled=move || approve.pending().get()
                        on:click=move |_| { approve.dispatch(ApproveProposal { id: id.get_value() }); }>"Approve"</button>
                    <input type="text" aria-label="Why not" placeholder="Why not? (needed to reject)" maxlength=super::MAX_REASON_CHARS
                        class="w-64 rounded-md border border-slate-300 px-2 py-1 text-sm"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="button" data-testid="reject"
                        class="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 disabled:opacity-50"
                        disabled=move || reject.pending().get() || reason.with(|r| r.trim().is_empty())
                        on:click=move |_| { reject.dispatch(RejectProposal { id: id.get_value(), reason: reason.get_untracked() }); }>"Reject"</button>
                </div>
            </Show>
        </li>
    }
}
