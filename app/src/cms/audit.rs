//! `/cms/audit`: who created, edited, published, unpublished, restored, moved or deleted
//! what, and who changed the team, and when. Owners and admins only.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::audit_log;
use super::AuditSubject;
use crate::dashboard::Workspace;
use crate::tenancy::Role;
use crate::ui::{Card, ErrorNotice, Loading, Pager, Table};

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit log · BizOSaaS"/>
        <AuditLog/>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    if !workspace.member.role.allows(Role::Admin) {
        return view! {
            <Card title="Audit log">
                <p class="text-sm text-slate-600">"Only owners and admins can read the audit log."</p>
            </Card>
        }
        .into_any();
    }
    let page = RwSignal::new(1_i64);
    let entries = Resource::new(move || page.get(), audit_log);
    view! {
        <Card title="Audit log">
            <Transition fallback=|| view! { <Loading what="the audit log"/> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() && page.get_untracked() == 1 => view! {
                            <p class="text-sm text-slate-500">"Nothing has been changed yet."</p>
                        }.into_any(),
                        Ok(list) => {
                            let full = list.len() == 50;
                            view! {
                                <Table testid="audit-log">
                                    <thead class="text-left text-slate-500">
                                        <tr><th class="py-2">"When"</th><th>"Who"</th><th>"Did"</th><th>"What"</th></tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100">
                                        {list.into_iter().map(|entry| {
                                            let (what, link) = match entry.subject {
                                                AuditSubject::Document(collection) => (
                                                    format!("{collection} “{}”", entry.title),
                                                    (entry.action != "deleted").then(|| crate::dashboard::href(&format!("/cms/{}s/{}", collection.noun(), entry.document_id))),
                                                ),
                                                AuditSubject::Team => (
                                                    format!("team: {}", entry.title),
                                                    Some(crate::dashboard::href("/dashboard/team")),
                                                ),
                                            };
                                            view! {
                                                <tr>
                                                    <td class="py-2 text-slate-500">{crate::time::day_time_label(entry.at)}</td>
                                                    <td>{entry.user_name}</td>
                                                    <td class="font-medium">{entry.action}</td>
                                                    <td>{match link {
                                                        Some(href) => view! { <a class="text-indigo-700 hover:underline" href=href>{what}</a> }.into_any(),
                                                        None => view! { <span>{what}</span> }.into_any(),
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </Table>
                                <Pager page=usize::try_from(page.get_untracked()).unwrap_or(1) more=full label="Pages of the log" previous="← Newer" next="Older →"
                                    on_page=Callback::new(move |n: usize| page.set(n as i64))/>
                            }.into_any()
                        }
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </Card>
    }
    .into_any()
}
