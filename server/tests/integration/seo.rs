//! Search engines find every published page, and only those, with the right metadata.

use crate::common::*;

fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .filter_map(|rest| rest.split(end).next())
        .collect()
}

on_both_engines!(
    pages_carry_canonical_and_social_metadata,
    |app: TestApp| async move {
        let port = app.addr.port();
        let about = app.get_site("acme", "/about/").await.text().await.unwrap();
        let canonical =
            format!("<link rel=\"canonical\" href=\"http://acme.localhost:{port}/about\">");
        assert!(about.contains(&canonical), "{about}");
        assert!(about.contains("<meta property=\"og:title\" content=\"About · Acme Corporation\">"));
        assert!(about.contains(&format!(
            "<meta property=\"og:url\" content=\"http://acme.localhost:{port}/about\">"
        )));
        assert!(about.contains("<meta property=\"og:site_name\" content=\"Acme Corporation\">"));
        assert!(about.contains("<meta name=\"twitter:card\" content=\"summary\">"));
        assert!(about.contains("<meta name=\"description\" content=\"About us\">"));
        assert!(
            !about.contains("application/ld+json"),
            "organisation data only on the home page"
        );

        // A Host header with another port (a client making up ports to churn the page
        // cache) is answered with the same page: its links name the platform's port.
        for other in [1, 8080, 65535] {
            let response = app
                .client()
                .get(app.url("/about"))
                .header("host", format!("acme.localhost:{other}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let html = response.text().await.unwrap();
            assert!(html.contains(&canonical), "{html}");
            assert!(!html.contains(&format!(":{other}/")), "{html}");
        }
    }
);

on_both_engines!(
    the_home_page_describes_the_organization_in_json_ld,
    |app: TestApp| async move {
        let home = app.get_site("globex", "/").await.text().await.unwrap();
        let blocks = between(&home, "<script type=\"application/ld+json\">", "</script>");
        let parsed: Vec<serde_json::Value> = blocks
            .iter()
            .map(|b| serde_json::from_str(b).expect("JSON-LD parses as JSON"))
            .collect();
        let data = parsed
            .iter()
            .find(|d| d.get("@graph").is_some())
            .expect("the organisation graph")
            .clone();
        assert_eq!(data["@context"], "https://schema.org");
        let types: Vec<_> = data["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["@type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["Organization", "WebSite"]);
        assert_eq!(data["@graph"][0]["name"], "Globex");
        assert_eq!(
            data["@graph"][0]["url"],
            format!("http://globex.localhost:{}/", app.addr.port())
        );
    }
);

on_both_engines!(
    the_sitemap_lists_exactly_the_published_pages,
    |app: TestApp| async move {
        let response = app.get_site("acme", "/sitemap.xml").await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/xml; charset=utf-8"
        );
        let xml = response.text().await.unwrap();
        let origin = format!("http://acme.localhost:{}", app.addr.port());
        let locs = between(&xml, "<loc>", "</loc>");
        let expected: Vec<String> = [
            "/",
            "/about",
            "/blog",
            "/blog/choosing-the-right-anvil",
            "/blog/spring-sale",
            "/blog/welcome",
            "/products",
            "/products/bird-seed",
            "/products/classic-anvil",
            "/products/giant-magnet",
            "/products/rocket-skates",
        ]
        .iter()
        .map(|path| format!("{origin}{path}"))
        .collect();
        assert_eq!(locs, expected, "pricing is a draft");
        let today = app::time::iso_date(app::server::now_ms());
        assert!(between(&xml, "<lastmod>", "</lastmod>")
            .iter()
            .all(|day| *day == today));

        // Publishing a page adds it.
        let client = app.login_as(ACME).await;
        let pricing = app.page_id(&client, "pricing").await;
        assert_eq!(
            app.call_form(&client, "cms/publish", &[("id", &pricing)])
                .await
                .status(),
            200
        );
        let xml = app
            .get_site("acme", "/sitemap.xml")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(between(&xml, "<loc>", "</loc>").len(), expected.len() + 1);
        // And it is acme's alone; a shop with nothing on sale lists no products.
        let globex_client = app.login_as(GLOBEX).await;
        app.unpublish_products(&globex_client).await;
        let globex = app
            .get_site("globex", "/sitemap.xml")
            .await
            .text()
            .await
            .unwrap();
        assert!(!globex.contains("acme"));
        assert!(!globex.contains("/products"), "globex sells nothing now");
    }
);

on_both_engines!(
    robots_txt_points_to_the_sitemap,
    |app: TestApp| async move {
        let robots = app
            .get_site("acme", "/robots.txt")
            .await
            .text()
            .await
            .unwrap();
        let sitemap = format!(
            "Sitemap: http://acme.localhost:{}/sitemap.xml",
            app.addr.port()
        );
        assert!(robots.contains(&sitemap));
        assert!(!robots.contains("Disallow"));
        // The platform keeps its app areas out of search results.
        let platform = app
            .client()
            .get(app.url("/robots.txt"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(platform.contains("Disallow: /dashboard"));
        assert!(platform.contains("Disallow: /cms"));
    }
);

on_both_engines!(not_found_pages_are_not_indexed, |app: TestApp| async move {
    let missing = app.get_site("acme", "/nope").await.text().await.unwrap();
    assert!(missing.contains("<meta name=\"robots\" content=\"noindex\">"));
    let unknown = app.get_site("initech", "/").await.text().await.unwrap();
    assert!(unknown.contains("<meta name=\"robots\" content=\"noindex\">"));
});

on_both_engines!(
    faq_blocks_come_with_faqpage_json_ld,
    |app: TestApp| async move {
        let home = app.get_site("acme", "/").await.text().await.unwrap();
        let faq = between(&home, "<script type=\"application/ld+json\">", "</script>")
            .into_iter()
            .map(|b| serde_json::from_str::<serde_json::Value>(b).unwrap())
            .find(|d| d["@type"] == "FAQPage")
            .expect("FAQPage JSON-LD");
        let questions = faq["mainEntity"].as_array().unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0]["@type"], "Question");
        assert_eq!(questions[0]["name"], "Do you ship abroad?");
        assert_eq!(
            questions[0]["acceptedAnswer"]["text"],
            "Yes, to most countries within a week."
        );
        // The same questions are on the page, readable without JavaScript.
        assert!(home.contains(
            "<summary class=\"cursor-pointer font-semibold\">Do you ship abroad?</summary>"
        ));
    }
);
