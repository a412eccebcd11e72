//! `/dashboard/contacts`: the people who reached out through the site's forms.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::list_contacts;
use super::Contact;
use crate::ui::{Card, ErrorNotice, Loading};

#[component]
pub fn ContactsPage() -> impl IntoView {
    let contacts = Resource::new(|| (), |_| list_contacts());
    view! {
        <Title text="Contacts · BizOSaaS"/>
        <Card title="Contacts">
            <Suspense fallback=|| view! { <Loading what="contacts"/> }>
                {move || Suspend::new(async move {
                    match contacts.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="text-sm text-slate-500" data-testid="contacts-empty">
                                "No contacts yet. When a visitor sends a contact form on your site, they appear here."
                            </p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="divide-y divide-slate-100" data-testid="contact-list">
                                {list.into_iter().map(|contact| view! { <ContactRow contact/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </Card>
    }
}

#[component]
fn ContactRow(contact: Contact) -> impl IntoView {
    let count = contact.submissions.len();
    let heading = if contact.name.is_empty() {
        contact.email.clone()
    } else {
        contact.name.clone()
    };
    let details = [("Email", contact.email.clone()), ("Phone", contact.phone.clone()), ("Company", contact.company.clone())]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(label, value)| view! { <span class="mr-4"><span class="text-slate-400">{label}": "</span>{value}</span> })
        .collect_view();
    view! {
        <li class="py-3" data-testid="contact">
            <details>
                <summary class="cursor-pointer flex flex-wrap items-baseline gap-x-4">
                    <span class="font-medium text-slate-900">{heading}</span>
                    <span class="text-sm text-slate-500">{details}</span>
                    <span class="ml-auto text-xs text-slate-500">
                        {if count == 1 { "1 submission".to_string() } else { format!("{count} submissions") }}
                    </span>
                </summary>
                <ul class="mt-3 space-y-3 pl-4">
                    {contact.submissions.into_iter().map(|submission| view! {
                        <li class="rounded-md bg-slate-50 p-3 text-sm" data-testid="submission">
                            <p class="text-xs text-slate-500">{format!("From /{}", submission.page_slug)}</p>
                            <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-3">
                                {submission.fields.into_iter().map(|(label, value)| view! {
                                    <dt class="text-slate-500">{label}</dt>
                                    <dd class="whitespace-pre-wrap text-slate-800">{value}</dd>
                                }).collect_view()}
                            </dl>
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        </li>
    }
}
