//! Who else has a document open in the editor, pushed live. An open editor holds a
//! stream (`GET /api/cms/editors/stream`); for as long as it is open, its user is present.

use leptos::prelude::*;

use super::Collection;

/// "Someone opened or closed this document": the streams watching it read who is there
/// again. Small, so it can travel through PostgreSQL NOTIFY between processes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditorsSignal {
    pub tenant_id: String,
    pub collection: Collection,
    pub document_id: String,
}

/// How often an open editor's row is refreshed; rows not refreshed for three times this
/// long belong to a process that died and are ignored.
pub const REFRESH_SECONDS: u64 = 10;

#[cfg(feature = "ssr")]
pub mod store {
    //! The `editors` table: one row per open editor.

    use super::{EditorsSignal, REFRESH_SECONDS};
    use crate::server::{now_ms, Db, StoreError};

    const STALE_MS: i64 = 3 * REFRESH_SECONDS as i64 * 1000;

    /// Records that `connection` has the document open. The document must be this
    /// tenant's: another tenant's id is "not found", like any unknown id.
    pub async fn open(
        db: &Db,
        document: &EditorsSignal,
        connection: &str,
        user_id: &str,
        user_name: &str,
    ) -> Result<(), StoreError> {
        let table = document.collection.table();
        let exists: Option<i64> = sqlx::query_scalar(&format!(
            "select 1 from {table} where tenant_id = $1 and id = $2"
        ))
        .bind(&document.tenant_id)
        .bind(&document.document_id)
        .fetch_optional(&db.pool)
        .await?;
        if exists.is_none() {
            let noun = document.collection.noun();
            return Err(StoreError::NotFound(format!("The {noun}")));
        }
        let now = now_ms();
        sqlx::query("delete from editors where tenant_id = $1 and seen_at < $2")
            .bind(&document.tenant_id)
            .bind(now - STALE_MS)
            .execute(&db.pool)
            .await?;
        sqlx::query(
            "insert into editors (connection_id, tenant_id, collection, document_id, user_id, user_name, seen_at) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(connection)
        .bind(&document.tenant_id)
        .bind(table)
        .bind(&document.document_id)
        .bind(user_id)
        .bind(user_name)
        .bind(now)
        .execute(&db.pool)
        .await?;
        Ok(())
    }

    /// The editor is still open.
    pub async fn still_open(db: &Db, connection: &str) -> Result<(), StoreError> {
        sqlx::query("update editors set seen_at = $1 where connection_id = $2")
            .bind(now_ms())
            .bind(connection)
            .execute(&db.pool)
            .await?;
        Ok(())
    }

    pub async fn close(db: &Db, connection: &str) -> Result<(), StoreError> {
        sqlx::query("delete from editors where connection_id = $1")
            .bind(connection)
            .execute(&db.pool)
            .await?;
        Ok(())
    }

    /// The names of the others who have the document open, each once.
    pub async fn others(
        db: &Db,
        document: &EditorsSignal,
        user_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "select distinct user_name from editors where tenant_id = $1 and collection = $2 \
             and document_id = $3 and user_id <> $4 and seen_at >= $5 order by user_name",
        )
        .bind(&document.tenant_id)
        .bind(document.collection.table())
        .bind(&document.document_id)
        .bind(user_id)
        .bind(now_ms() - STALE_MS)
        .fetch_all(&db.pool)
        .await?)
    }
}

/// Who else has this document open, as they come and go.
#[component]
pub fn EditingNow(collection: Collection, id: String) -> impl IntoView {
    let others = RwSignal::new(Vec::<String>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::follow(collection, &id, others));
    #[cfg(not(feature = "hydrate"))]
    let _ = (collection, id);
    view! {
        <Show when=move || others.with(|o| !o.is_empty())>
            <p role="status" data-testid="also-editing" class="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
                {move || {
                    let names = others.get().join(", ");
                    format!("{names} also has this open. Save often: a save based on an older version is refused, so nobody overwrites anybody.")
                }}
            </p>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    //! The browser side: an EventSource that the server answers with the list of others
    //! whenever it changes. EventSource reconnects by itself after a network drop.

    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    use super::Collection;

    pub fn follow(collection: Collection, id: &str, others: RwSignal<Vec<String>>) {
        let address = crate::tenancy::address::api_url(&format!(
            "/api/cms/editors/stream?collection={collection}&id={}",
            js_sys::encode_uri_component(id)
        ));
        let Ok(source) = EventSource::new(&address) else {
            return;
        };
        let on_editors = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let Some(data) = message.data().as_string() else {
                return;
            };
            match serde_json::from_str::<Vec<String>>(&data) {
                Ok(names) => others.set(names),
                Err(err) => leptos::logging::warn!("unreadable list of editors: {err}"),
            }
        });
        let _ =
            source.add_event_listener_with_callback("editors", on_editors.as_ref().unchecked_ref());
        let held = SendWrapper::new((source, on_editors));
        on_cleanup(move || {
            let (source, _) = held.take();
            source.close();
        });
    }
}
