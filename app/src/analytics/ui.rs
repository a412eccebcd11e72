//! The dashboard's view of site visits: a 30-day chart, top pages and top referrers.

use leptos::prelude::*;

use super::api::load_site_analytics;
use super::{DayStats, SiteAnalytics};
use crate::ui::{Card, ErrorNotice, Loading};

#[component]
pub fn SiteVisits() -> impl IntoView {
    let analytics = Resource::new(|| (), |_| load_site_analytics());
    view! {
        <Card title="Visits, last 30 days">
            <Suspense fallback=|| view! { <Loading what="visits"/> }>
                {move || Suspend::new(async move {
                    match analytics.await {
                        Ok(stats) if stats.total_views() == 0 => view! {
                            <p class="text-sm text-slate-500" data-testid="visits-empty">
                                "No visits yet. Visits to your published pages are counted here, without cookies."
                            </p>
                        }.into_any(),
                        Ok(stats) => view! { <VisitsReport stats/> }.into_any(),
                        Err(err) => view! { <ErrorNotice message=err.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </Card>
    }
}

#[component]
fn VisitsReport(stats: SiteAnalytics) -> impl IntoView {
    let views = stats.total_views();
    let visitors: i64 = stats.days.iter().map(|d| d.visitors).sum();
    view! {
        <div class="space-y-6">
            <p class="text-sm text-slate-600">
                <span class="text-2xl font-bold text-slate-900" data-testid="total-views">{views}</span>
                {if views == 1 { " page view · " } else { " page views · " }}
                <span class="font-semibold text-slate-900" data-testid="total-visitors">{visitors}</span>
                {if visitors == 1 { " visitor" } else { " visitors" }}
                <span class="text-slate-500">" (each counted once a day)"</span>
            </p>
            <VisitsChart days=stats.days/>
            <div class="grid gap-6 md:grid-cols-2">
                <RankedList title="Top pages" rows=stats.top_pages empty="No pages visited yet."/>
                <RankedList title="Top referrers" rows=stats.top_referrers empty="No visits from other sites yet."/>
            </div>
        </div>
    }
}

/// Daily views as bars over dated days, with the scale on the side.
#[component]
fn VisitsChart(days: Vec<DayStats>) -> impl IntoView {
    let bars = days
        .into_iter()
        .map(|day| crate::ui::Bar {
            label: crate::time::day_label(day.day),
            value: day.views,
            detail: format!(
                "{}: {}, {}",
                crate::time::day_label(day.day),
                count(day.views, "view", "views"),
                count(day.visitors, "visitor", "visitors")
            ),
        })
        .collect();
    view! { <crate::ui::BarChart bars label="Page views per day" unit=("view", "views")/> }
}

/// "1 view", "3 views".
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
fn RankedList(title: &'static str, rows: Vec<(String, i64)>, empty: &'static str) -> impl IntoView {
    view! {
        <div>
            <h3 class="text-sm font-semibold text-slate-700 mb-2">{title}</h3>
            {if rows.is_empty() {
                view! { <p class="text-sm text-slate-500">{empty}</p> }.into_any()
            } else {
                view! {
                    <ol class="text-sm divide-y divide-slate-100">
                        {rows.into_iter().map(|(name, count)| view! {
                            <li class="flex justify-between py-1"><span class="font-mono truncate">{name}</span><span class="tabular-nums">{count}</span></li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}
