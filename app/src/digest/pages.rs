//! The outbox card of `/dashboard/settings`: the weekly digests, sent or waiting.

use leptos::prelude::*;

use super::api::load_outbox;
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::time::day_time_label;
use crate::ui::{Card, ErrorNotice, Loading};

#[component]
pub fn Outbox() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return ().into_any();
    }
    let outbox = Resource::new(|| (), |_| load_outbox());
    view! {
        <Card title="Email: the weekly digest">
            <Transition fallback=|| view! { <Loading what="the outbox"/> }>
                {move || Suspend::new(async move {
                    match outbox.await {
                        Ok((sends, messages)) => view! {
                            <p class="text-sm text-slate-600" data-testid="mail-status">
                                {if sends {
                                    "Every Monday at 07:00 UTC your owners get what your agents did that week."
                                } else {
                                    "Every Monday at 07:00 UTC a digest of your agents' week is written here. Email is not set up on this platform yet, so digests are kept here rather than sent; your platform operator can turn it on."
                                }}
                            </p>
                            {messages.is_empty().then(|| view! {
                                <p class="mt-3 text-sm text-slate-500" data-testid="outbox-empty">"No digest yet: the first comes next Monday."</p>
                            })}
                            <ul class="mt-3 divide-y divide-slate-100 text-sm" data-testid="outbox">
                                {messages.into_iter().map(|m| {
                                    let state = match (&m.sent_at, &m.error) {
                                        (Some(_), _) => "sent".to_string(),
                                        (None, Some(error)) => format!("not sent: {error}"),
                                        (None, None) => "kept here".to_string(),
                                    };
                                    view! {
                                        <li class="py-2">
                                            <details>
                                                <summary class="cursor-pointer">
                                                    <span class="font-medium">{m.subject.clone()}</span>
                                                    <span class="ml-2 text-slate-500">{format!("to {}, {}, {state}", m.recipient, day_time_label(m.created_at))}</span>
                                                </summary>
                                                <pre class="mt-2 whitespace-pre-wrap font-sans text-slate-700">{m.body.clone()}</pre>
                                            </details>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
    .into_any()
}
