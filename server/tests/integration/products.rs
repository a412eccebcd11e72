//! Products: the catalogue, a product page with its price, buy link and Product data,
//! and the product grid block on pages.

use crate::common::*;
use app::cms::{PageContent, ProductContent};
use serde_json::json;

fn product(name: &str, cents: i64, currency: &str) -> serde_json::Value {
    json!({
        "name": name,
        "summary": format!("The {name}."),
        "description": "Made **well**.",
        "price": { "minor_units": cents, "currency": currency },
        "images": [{ "src": "/img/a.png", "alt": format!("{name} photo") }],
        "buy_url": "https://shop.example/buy?item=1"
    })
}

on_both_engines!(
    a_product_page_has_price_buy_link_and_product_data,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        app.publish::<ProductContent>(&client, "tnt", product("Dynamite & fuse", 1_234_567, "EUR"))
            .await;
        let response = app.get_site("acme", "/products/tnt").await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("Dynamite &amp; fuse"));
        assert!(html.contains("€12,345.67"));
        assert!(html.contains(r#"href="https://shop.example/buy?item=1""#));
        assert!(html.contains(r#"alt="Dynamite &amp; fuse photo""#));
        assert!(html.contains(r#"<meta property="og:type" content="product">"#));
        let data = json_ld(&html);
        let item = &data[0];
        assert_eq!(item["@type"], "Product");
        assert_eq!(item["name"], "Dynamite & fuse");
        assert_eq!(item["offers"]["price"], "12345.67");
        assert_eq!(item["offers"]["priceCurrency"], "EUR");
        assert_eq!(
            item["image"][0],
            format!("http://acme.localhost:{}/img/a.png", app.addr.port())
        );
        assert_eq!(
            app.get_site("acme", "/products/nothing").await.status(),
            404
        );
        assert_eq!(
            app.get_site("globex", "/products/tnt").await.status(),
            404,
            "acme's alone"
        );
    }
);

on_both_engines!(
    the_catalogue_lists_products_and_says_when_there_are_none,
    |app: TestApp| async move {
        let html = app
            .get_site("acme", "/products")
            .await
            .text()
            .await
            .unwrap();
        for name in [
            "Classic anvil",
            "Rocket skates",
            "Giant magnet",
            "Bird seed",
        ] {
            assert!(html.contains(name), "{name}");
        }
        assert!(html.contains("$1,299.00"));
        // A shop with nothing on sale says so.
        let globex = app.login_as(GLOBEX).await;
        app.unpublish_products(&globex).await;
        let empty = app.get_site("globex", "/products").await;
        assert_eq!(empty.status(), 200);
        assert!(empty.text().await.unwrap().contains("No products yet"));
        assert_eq!(app.get_site("acme", "/products/page/2").await.status(), 404);
    }
);

on_both_engines!(
    the_product_grid_shows_the_newest_or_the_chosen_products,
    |app: TestApp| async move {
        let home = app.get_site("acme", "/").await.text().await.unwrap();
        assert!(home.contains("Popular products"));
        assert!(home.contains("Rocket skates"));
        // A new product appears on the cached home page once published.
        let client = app.login_as(ACME).await;
        app.publish::<ProductContent>(&client, "tnt", product("Dynamite", 999, "USD"))
            .await;
        let home = app.get_site("acme", "/").await.text().await.unwrap();
        assert!(home.contains(r#"href="/products/tnt""#));

        // A grid of chosen products shows those, in that order.
        let page = json!({ "title": "Picks", "meta_description": "", "blocks": [
            { "type": "product_grid", "heading": "Our picks", "products": ["giant-magnet", "classic-anvil", "gone"] }
        ]});
        app.publish::<PageContent>(&client, "picks", page).await;
        let picks = app.get_site("acme", "/picks").await.text().await.unwrap();
        let magnet = picks.find("Giant magnet").expect("the magnet");
        let anvil = picks.find("Classic anvil").expect("the anvil");
        assert!(magnet < anvil, "in the chosen order");
        assert!(!picks.contains("Rocket skates"));
        // A tenant with no products on sale: no empty shelf on its pages.
        let globex = app.login_as(GLOBEX).await;
        app.unpublish_products(&globex).await;
        let page = json!({ "title": "Shop", "meta_description": "", "blocks": [
            { "type": "product_grid", "heading": "Shop", "count": 4 }
        ]});
        app.publish::<PageContent>(&globex, "shop", page).await;
        let shop = app.get_site("globex", "/shop").await.text().await.unwrap();
        assert!(!shop.contains("product-grid"));
    }
);

on_both_engines!(
    a_page_is_read_with_the_newest_products_its_grid_can_show,
    |app: TestApp| async move {
        use app::cms::store::published_page_with_products;
        let tenant_id = |slug: &'static str| {
            let db = app.db.clone();
            async move {
                app::tenancy::store::tenant_by_slug(&db, slug)
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let (acme, globex) = (tenant_id("acme").await, tenant_id("globex").await);
        let client = app.login_as(ACME).await;
        app.publish::<ProductContent>(&client, "tnt", product("Dynamite", 999, "USD"))
            .await;
        let page = json!({ "title": "Two", "meta_description": "", "blocks": [
            { "type": "product_grid", "heading": "Newest two", "count": 2 }
        ]});
        app.publish::<PageContent>(&client, "two", page).await;

        // Read together: the page, then acme's published products newest first.
        let (page, newest) = published_page_with_products(&app.db, &acme, "two")
            .await
            .unwrap()
            .expect("the page");
        assert_eq!(page.content.title, "Two");
        let slugs: Vec<&str> = newest.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "tnt",
                "bird-seed",
                "giant-magnet",
                "rocket-skates",
                "classic-anvil"
            ]
        );
        // The grid shows as many as it asks for.
        let html = app.get_site("acme", "/two").await.text().await.unwrap();
        assert!(html.contains("Dynamite") && html.contains("Bird seed"));
        assert!(!html.contains("Giant magnet"), "a grid of two");

        // A page without a grid reads no products.
        let (about, none) = published_page_with_products(&app.db, &acme, "about")
            .await
            .unwrap()
            .expect("the about page");
        assert_eq!(about.slug, "about");
        assert!(none.is_empty());
        // Nothing of another tenant: not its page by slug, not its products.
        assert!(published_page_with_products(&app.db, &globex, "two")
            .await
            .unwrap()
            .is_none());
        assert!(published_page_with_products(&app.db, &acme, "nothing")
            .await
            .unwrap()
            .is_none());
        let globex_client = app.login_as(GLOBEX).await;
        app.publish::<PageContent>(
            &globex_client,
            "shop",
            json!({ "title": "Shop", "meta_description": "", "blocks": [
                { "type": "product_grid", "heading": "Shop", "count": 4 }
            ]}),
        )
        .await;
        let (_, theirs) = published_page_with_products(&app.db, &globex, "shop")
            .await
            .unwrap()
            .unwrap();
        assert!(theirs.iter().all(|p| p.slug != "tnt"), "acme's alone");
        // Unpublished products are not on sale.
        app.unpublish_products(&globex_client).await;
        let (_, unpublished) = published_page_with_products(&app.db, &globex, "shop")
            .await
            .unwrap()
            .unwrap();
        assert!(unpublished.is_empty());
    }
);

on_both_engines!(
    bad_products_are_refused_with_reasons,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let mut bad = product("Bad", -5, "DOGE");
        bad["buy_url"] = json!("javascript:alert(1)");
        let response = app
            .call_json(
                &client,
                "cms/create_product",
                &json!({ "slug": "bad", "content": bad }),
            )
            .await;
        assert_eq!(response.status(), 422);
        let message = response.json::<serde_json::Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("DOGE"), "{message}");
        assert!(message.contains("zero or more"), "{message}");
        assert!(message.contains("buy link"), "{message}");
        let malformed = app
            .client()
            .post(app.url("/api/cms/create_product"))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert!(
            malformed.status().is_client_error(),
            "{}",
            malformed.status()
        );
    }
);

on_both_engines!(
    a_product_without_pictures_gets_a_designed_placeholder,
    |app: TestApp| async move {
        let client = app.login_as(ACME).await;
        let mut plain = product("Anvil polish", 1200, "USD");
        plain["images"] = json!([]);
        app.publish::<ProductContent>(&client, "polish", plain)
            .await;
        for path in ["/products", "/products/polish"] {
            let html = app.get_site("acme", path).await.text().await.unwrap();
            let card = html
                .split("product-placeholder")
                .nth(1)
                .unwrap_or_else(|| panic!("{path} has a placeholder"));
            // The product's initial on the theme's colour, hidden from screen readers.
            assert!(card.contains(r#"aria-hidden="true">A</div>"#), "{path}");
        }
    }
);
