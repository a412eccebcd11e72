"""Replaces acme's home page with a realistic one: hero, ~600 words, features,
3 testimonials, a grid of 8 products, FAQ, call to action, contact form."""
import json, sqlite3, sys, time

WORDS = ("Our workshop has made dependable tools for builders, farmers and engineers for "
         "three generations. Every piece is forged, tempered and tested by hand before it "
         "leaves the floor, and we stand behind it for as long as you own it. ").split()
text = " ".join(WORDS[i % len(WORDS)] for i in range(600))
paragraphs = "\n\n".join(text[i:i + 600] for i in range(0, len(text), 600))
page = {
    "title": "Acme Corporation",
    "meta_description": "Acme Corporation: dependable tools made by hand, tested before they ship, guaranteed for life.",
    "blocks": [
        {"type": "hero", "heading": "Tools that outlast the job", "subheading": "Forged, tempered and tested by hand since 1949.",
         "cta": {"label": "See our range", "href": "/about"}},
        {"type": "text", "markdown": "## Made to last\n\n" + paragraphs},
        {"type": "features", "heading": "Why builders choose us", "items": [
            {"title": f"Reason {n}", "text": "A short explanation of why this matters to the people who use our tools."} for n in range(1, 7)]},
        {"type": "testimonials", "heading": "What customers say", "items": [
            {"quote": "Ten years on site and it still works like the first day.", "author": f"Customer {n}", "role": "Site manager"} for n in range(1, 4)]},
        {"type": "product_grid", "heading": "Popular tools", "count": 8},
        {"type": "faq", "heading": "Questions", "items": [
            {"question": f"Question {n}?", "answer": "A clear answer in a sentence or two."} for n in range(1, 5)]},
        {"type": "call_to_action", "heading": "Ready to talk?", "text": "We reply the same day.", "link": {"label": "Email us", "href": "mailto:hello@acme.test"}},
        {"type": "contact_form", "heading": "Get in touch", "fields": [
            {"kind": "name", "label": "Your name", "required": True}, {"kind": "email", "label": "Email", "required": True},
            {"kind": "message", "label": "Message"}], "submit_label": "Send", "thank_you": "Thanks!"},
    ],
}
db = sqlite3.connect(sys.argv[1])
content = json.dumps(page)
now = int(time.time() * 1000)
db.execute("update pages set draft = ?, published = ?, published_at = ? where slug = '' and tenant_id = "
           "(select id from tenants where slug = 'acme')", (content, content, now))
# The demo has 4 products; make it 8.
tenant = db.execute("select id from tenants where slug = 'acme'").fetchone()[0]
for n in range(1, 5):
    product = json.dumps({"name": f"Forged tool {n}", "summary": "Hand-forged, tested, guaranteed.",
                          "description": "Made in our workshop.", "price": {"minor_units": 4900 + n * 1000, "currency": "USD"},
                          "images": [], "buy_url": "mailto:orders@acme.test"})
    db.execute("insert into products (tenant_id, id, slug, draft, published, created_at, updated_at, published_at, "
               "first_published_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (tenant, f"bench-{n}", f"forged-tool-{n}", product, product, now, now, now, now))
db.commit()
