//! Reports from outside: filed without an account (published once the
//! mailed link is followed, then routed to the service), and through the
//! Open311 GeoReport v2 API.

use std::collections::BTreeMap;

use parvis::config::Value;
use parvis::domain::ids::ReportId;
use parvis::domain::reports;

use crate::accounts::{link_in, post, Mailbox};
use crate::reports::{place, png, verify_clean, CENTRE};
use crate::support::{hidden_field, Client, Resp, TestServer};

const VISITOR: &str = "camille.visiteuse@ailleurs.test";
const SERVICE: &str = "services-techniques@mairie.example";

/// Step 2 of the form as a visitor sends it: the details, a name and an address.
fn visitor_details(c: &mut Client, server: &TestServer, step2: &Resp, email: &str, photo: Option<&[u8]>) -> Resp {
    let field = |name| hidden_field(&step2.body, name).unwrap_or_default();
    let (token, category, address, lat, lon) =
        (field("_csrf"), field("category"), field("address"), field("lat"), field("lon"));
    let fields = [
        ("_csrf", token.as_str()),
        ("category", category.as_str()),
        ("address", address.as_str()),
        ("lat", lat.as_str()),
        ("lon", lon.as_str()),
        ("description", "Le trottoir est défoncé devant la boulangerie."),
        ("name", "Camille Visiteuse"),
        ("email", email),
        ("show_name", "on"),
    ];
    let photos: Vec<(&str, &str, &[u8])> = photo.into_iter().map(|p| ("photo", "a.png", p)).collect();
    c.post_multipart_files(&server.at("/signalements/nouveau"), &fields, &photos)
}

#[test]
fn a_visitors_report_is_published_and_routed_only_once_the_mailed_link_is_followed() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&mail.settings());
    let mut c = Client::new();
    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    assert_eq!(step2.status, 200, "{}", step2.body);
    assert!(step2.body.contains("name=\"email\"") && step2.body.contains("name=\"name\""), "{}", step2.body);

    // A name and an address are required of a visitor; the text is kept.
    let r = visitor_details(&mut c, &server, &step2, "pas-une-adresse", None);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("défoncé devant la boulangerie"), "{}", r.body);

    let photo = png(7);
    let r = visitor_details(&mut c, &server, &step2, VISITOR, Some(&photo));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/signalements/nouveau/envoye"));
    let sent = c.get(&server.at("/signalements/nouveau/envoye"));
    assert!(sent.body.contains("Vérifiez votre messagerie"), "{}", sent.body);

    // Nothing is public yet: no page, not in the list, photo not served.
    let message = mail.nth_to(VISITOR, 1);
    assert!(message.header("Subject").unwrap().contains("Confirmez votre signalement n° 1"));
    assert_eq!(c.get(&server.at("/signalements/1")).status, 404);
    let list = c.get(&server.at("/signalements"));
    assert!(!list.body.contains("/signalements/1\""), "{}", list.body);
    let store = &server.state().store;
    let stored = parvis::domain::reports::tables::PROBLEM_REPORT_BY_ID;
    let photo_name = {
        let tx = store.read().unwrap();
        let bytes = tx.open_table(stored).unwrap().get(1).unwrap().unwrap().value().to_vec();
        assert!(!String::from_utf8_lossy(&bytes).contains("ailleurs.test"), "the address is sealed at rest");
        let photos: Vec<String> = {
            let text = String::from_utf8_lossy(&bytes).to_string();
            text.match_indices(".jpg").map(|(i, _)| text[i - 32..i + 4].to_string()).collect()
        };
        photos[0].clone()
    };
    assert_eq!(c.get(&server.at(&format!("/signalements/photos/{photo_name}"))).status, 404);
    assert_eq!(mail.count_to(SERVICE), 0, "no service has heard of it");

    // The link shows a button (a mail scanner opening it publishes nothing) …
    let path = link_in(&message, "/signalements/confirmer?jeton=");
    let token = path.split("jeton=").nth(1).unwrap().to_string();
    let shown = c.get(&server.at(&path));
    assert_eq!(shown.status, 200);
    assert_eq!(c.get(&server.at("/signalements/1")).status, 404, "still not public after the GET");
    // … which publishes it, routes it and offers an account with that address.
    let r = post(&mut c, &server, &path, "/signalements/confirmer", &[("jeton", &token)]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Le signalement n° 1 est publié"), "{}", r.body);
    assert_eq!(hidden_field(&r.body, "email").as_deref(), Some(VISITOR));
    assert_eq!(hidden_field(&r.body, "display_name").as_deref(), Some("Camille Visiteuse"));
    let routed = mail.nth_to(SERVICE, 1);
    assert!(routed.header("Subject").unwrap().contains("Signalement n° 1 : Voirie"), "{:?}", routed.header("Subject"));
    let page = c.get(&server.at("/signalements/1"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Camille Visiteuse"), "the name they chose to show");
    assert!(!page.body.contains(VISITOR), "never the address");
    assert_eq!(c.get(&server.at(&format!("/signalements/photos/{photo_name}"))).status, 200);
    assert!(c.get(&server.at("/signalements")).body.contains("/signalements/1\""));

    // Single use.
    let again = post(&mut c, &server, &path, "/signalements/confirmer", &[("jeton", &token)]);
    assert_eq!(again.status, 410);

    // The offered account: one password away, with the proved address.
    let csrf = hidden_field(&r.body, "_csrf").unwrap();
    let signed_up = c.post_form(
        &server.at("/inscription"),
        &[
            ("_csrf", &csrf),
            ("display_name", "Camille Visiteuse"),
            ("email", VISITOR),
            ("password", crate::accounts::PASSWORD),
        ],
    );
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.header("location"), Some("/inscription/envoye"));
    verify_clean(&server);
}

#[test]
fn a_visitor_filing_many_reports_is_slowed_down_and_keeps_the_text() {
    let server = TestServer::start();
    let mut c = Client::new();
    let step2 = place(&mut c, &server, "voirie", "3 rue des Lilas", CENTRE);
    for _ in 0..10 {
        assert_eq!(visitor_details(&mut c, &server, &step2, VISITOR, None).status, 303);
    }
    let r = visitor_details(&mut c, &server, &step2, VISITOR, None);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert!(r.body.contains("défoncé devant la boulangerie"), "the text is kept");
}

const API_KEY: &str = "0123456789abcdef0123456789abcdef-testville";
const CLIENT: &str = "Outil de la communauté de communes";

fn with_client(mut settings: Vec<(&'static str, Value)>) -> Vec<(&'static str, Value)> {
    let client = BTreeMap::from([
        ("name".to_string(), Value::Text(CLIENT.into())),
        ("api_key".to_string(), Value::Text(API_KEY.into())),
    ]);
    settings.push(("open311.clients", Value::Tables(vec![client])));
    settings
}

fn json(r: &Resp) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

/// The text of each `<field>` of each `<item>` under `root`, checking the root.
fn xml_items(body: &str, root: &str, item: &str, field: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(doc.root_element().tag_name().name(), root, "{body}");
    doc.root_element()
        .children()
        .filter(|n| n.is_element())
        .map(|n| {
            assert_eq!(n.tag_name().name(), item, "{body}");
            let f = n.children().find(|c| c.tag_name().name() == field).unwrap_or_else(|| panic!("no {field}: {body}"));
            f.text().unwrap_or("").to_string()
        })
        .collect()
}

/// POSTs a new request as a client would (a plain form, no session).
fn file_request(c: &mut Client, server: &TestServer, ext: &str, fields: &[(&str, &str)]) -> Resp {
    c.post_form(&server.at(&format!("/open311/v2/requests.{ext}")), fields)
}

fn ids(v: &serde_json::Value) -> Vec<u64> {
    v.as_array().unwrap().iter().map(|r| r["service_request_id"].as_u64().unwrap()).collect()
}

#[test]
fn open311_files_with_a_declared_key_only_and_the_report_is_public_and_routed() {
    let mail = Mailbox::start();
    let server = TestServer::start_with(&with_client(mail.settings()));
    let mut c = Client::new();
    let good = [
        ("service_code", "voirie"),
        ("lat", CENTRE.0),
        ("long", CENTRE.1),
        ("description", "Nid-de-poule signalé par l'outil intercommunal."),
        ("email", "someone@elsewhere.test"),
        ("first_name", "Dominique"),
    ];
    // No key, a wrong key: 403 with the specification's error body, in both formats.
    let r = file_request(&mut c, &server, "json", &good);
    assert_eq!(r.status, 403, "{}", r.body);
    let e = json(&r);
    assert_eq!(e[0]["code"], 403);
    assert!(e[0]["description"].as_str().unwrap().contains("api_key"), "{e}");
    let mut wrong = good.to_vec();
    wrong.push(("api_key", "0123456789abcdef0123456789abcdef-wrong"));
    let r = file_request(&mut c, &server, "xml", &wrong);
    assert_eq!(r.status, 403);
    assert_eq!(xml_items(&r.body, "errors", "error", "code"), vec!["403"]);

    // With the key: each missing or refused parameter says why (400).
    let keyed = |extra: &[(&'static str, &'static str)]| {
        let mut f: Vec<(&str, &str)> = vec![("api_key", API_KEY)];
        f.extend_from_slice(extra);
        f
    };
    for (fields, says) in [
        (keyed(&[("lat", CENTRE.0), ("long", CENTRE.1), ("description", "x")]), "service_code"),
        (keyed(&[("service_code", "voirie"), ("description", "Un trou.")]), "address_string"),
        (
            keyed(&[("service_code", "voirie"), ("lat", "48.85"), ("long", "2.35"), ("description", "Un trou.")]),
            "Testville",
        ),
        (
            keyed(&[
                ("service_code", "voirie"),
                ("lat", CENTRE.0),
                ("long", CENTRE.1),
                ("description", "Un trou."),
                ("media_url", "https://x.test/a.jpg"),
            ]),
            "media_url",
        ),
    ] {
        let r = file_request(&mut c, &server, "json", &fields);
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(json(&r)[0]["description"].as_str().unwrap().contains(says), "{}", r.body);
    }
    assert!(parvis::domain::reports::get(&server.state().store.read().unwrap(), ReportId(1)).unwrap().is_none());
    // Not a plain form as the specification posts: refused with its error body.
    let r = c.post_multipart(&server.at("/open311/v2/requests.json"), &[("api_key", API_KEY)], None);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(json(&r)[0]["code"], 400);

    let mut fields = good.to_vec();
    fields.push(("api_key", API_KEY));
    let r = file_request(&mut c, &server, "json", &fields);
    assert_eq!(r.status, 200, "{}", r.body);
    let id = json(&r)[0]["service_request_id"].as_u64().unwrap();
    let r = file_request(&mut c, &server, "xml", &fields);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(xml_items(&r.body, "service_requests", "request", "service_request_id"), vec![(id + 1).to_string()]);

    // Visible on the site under the client's name, and routed to the service.
    let page = c.get(&server.at(&format!("/signalements/{id}")));
    assert_eq!(page.status, 200);
    assert!(page.body.contains(CLIENT) && page.body.contains("outil intercommunal"), "{}", page.body);
    assert!(!page.body.contains("someone@elsewhere.test"));
    let routed = mail.nth_to(SERVICE, 1);
    assert!(routed.header("Subject").unwrap().contains(&format!("Signalement n° {id}")));
    verify_clean(&server);
}

#[test]
fn open311_reads_services_and_public_requests_in_json_and_xml_with_the_standard_filters() {
    let server = TestServer::start_with(&with_client(Vec::new()));
    let mut c = Client::new();
    let mut file = |code: &'static str, description: &'static str| {
        let fields = [
            ("api_key", API_KEY),
            ("service_code", code),
            ("lat", CENTRE.0),
            ("long", CENTRE.1),
            ("address_string", "3 rue des Lilas"),
            ("description", description),
        ];
        let r = file_request(&mut c, &server, "json", &fields);
        assert_eq!(r.status, 200, "{}", r.body);
        ids(&json(&r))[0]
    };
    let pothole = file("voirie", "Un nid-de-poule devant la mairie.");
    let light = file("eclairage", "Le lampadaire de la place est éteint.");
    // The light is fixed, with a public text.
    let state = server.state().clone();
    server.write(move |tx| {
        let n = parvis::domain::notifications::Notifier { base_url: state.config.server.public_url.to_string() };
        let staff = parvis::domain::audit::Actor::anonymous("127.0.0.1");
        reports::change_status(tx, &state.config, &n, &staff, ReportId(light), "fixed", "Ampoule changée.", None, now())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });
    // A visitor's report waiting for its link is never listed.
    let state = server.state().clone();
    let waiting = server.write(move |tx| {
        let n = parvis::domain::notifications::Notifier { base_url: state.config.server.public_url.to_string() };
        let new = reports::NewReport {
            author: reports::Filer::Visitor { email: VISITOR.into(), name: "C".into(), lang: parvis::i18n::Lang::Fr },
            category: "voirie".into(),
            lat: 45.7772,
            lon: 4.6121,
            address: None,
            neighbourhood: None,
            description: "Pas encore confirmé.".into(),
            photos: Vec::new(),
            show_name: false,
            answers: Vec::new(),
        };
        let actor = parvis::domain::audit::Actor::anonymous("127.0.0.1");
        reports::file(tx, &state.config, &n, &actor, &new, now())
            .map(|f| f.id.get())
            .map_err(|e| parvis::store::StoreError::Internal(e.to_string()))
    });

    // Discovery.
    let r = c.get(&server.at("/open311/v2/discovery.json"));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let d = json(&r);
    assert_eq!(d["endpoints"][0]["url"], server.at("/open311/v2"));
    assert_eq!(d["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
    let r = c.get(&server.at("/open311/v2/discovery.xml"));
    let doc = roxmltree::Document::parse(&r.body).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "discovery");
    let formats: Vec<&str> =
        doc.descendants().filter(|n| n.tag_name().name() == "format").filter_map(|n| n.text()).collect();
    assert_eq!(formats, vec!["text/xml", "application/json"]);

    // Services: one per category.
    let s = json(&c.get(&server.at("/open311/v2/services.json")));
    let voirie = s.as_array().unwrap().iter().find(|s| s["service_code"] == "voirie").unwrap();
    assert_eq!(voirie["service_name"], "Voirie / nid-de-poule");
    assert_eq!(voirie["description"], "Nid-de-poule, trottoir abîmé, plaque d'égout descellée.");
    assert_eq!((voirie["metadata"].as_bool(), voirie["type"].as_str()), (Some(false), Some("realtime")));
    assert_eq!(voirie["group"], "Services techniques");
    let codes = xml_items(&c.get(&server.at("/open311/v2/services.xml")).body, "services", "service", "service_code");
    assert_eq!(codes.len(), 5);
    assert!(codes.contains(&"eclairage".to_string()));
    // No extra questions: no definition (404, as the specification says), in both formats.
    let r = c.get(&server.at("/open311/v2/services/voirie.json"));
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)[0]["code"], 404);
    let r = c.get(&server.at("/open311/v2/services/nope.xml"));
    assert_eq!(r.status, 404);
    assert_eq!(xml_items(&r.body, "errors", "error", "code"), vec!["404"]);

    // Requests.
    let r = c.get(&server.at("/open311/v2/requests.json"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let all = json(&r);
    assert_eq!(ids(&all), vec![light, pothole], "newest first; never the unconfirmed {waiting}");
    let fixed = &all[0];
    assert_eq!(fixed["status"], "closed");
    assert_eq!(fixed["status_notes"], "Ampoule changée.");
    assert_eq!(fixed["agency_responsible"], "Services techniques");
    assert_eq!(fixed["service_code"], "eclairage");
    assert_eq!(fixed["address"], "3 rue des Lilas");
    assert_eq!((fixed["lat"].as_f64(), fixed["long"].as_f64()), (Some(45.7772), Some(4.6121)));
    let requested = fixed["requested_datetime"].as_str().unwrap();
    assert!(
        requested.len() == 25
            && &requested[10..11] == "T"
            && (requested.ends_with("+01:00") || requested.ends_with("+02:00")),
        "{requested}"
    );
    assert_eq!(all[1]["status"], "open");
    assert!(all[1]["status_notes"].is_null());
    let xml = c.get(&server.at("/open311/v2/requests.xml")).body;
    assert_eq!(
        xml_items(&xml, "service_requests", "request", "service_request_id"),
        vec![light.to_string(), pothole.to_string()]
    );
    assert_eq!(xml_items(&xml, "service_requests", "request", "status"), vec!["closed", "open"]);
    assert_eq!(xml_items(&xml, "service_requests", "request", "long").len(), 2);

    // The standard filters.
    let get =
        |c: &mut Client, query: &str| ids(&json(&c.get(&server.at(&format!("/open311/v2/requests.json?{query}")))));
    assert_eq!(get(&mut c, "service_code=voirie"), vec![pothole]);
    assert_eq!(get(&mut c, "status=open"), vec![pothole]);
    assert_eq!(get(&mut c, "status=closed"), vec![light]);
    assert_eq!(get(&mut c, &format!("service_request_id={pothole},{light},{waiting}")), vec![pothole, light]);
    assert_eq!(get(&mut c, "start_date=2000-01-01T00:00:00Z"), vec![light, pothole]);
    assert!(get(&mut c, "end_date=2000-01-01T00:00:00%2B01:00").is_empty());
    assert!(get(&mut c, "start_date=2999-01-01T00:00:00Z").is_empty());
    let r = c.get(&server.at("/open311/v2/requests.json?status=maybe"));
    assert_eq!(r.status, 400);
    assert!(json(&r)[0]["description"].as_str().unwrap().contains("maybe"));
    let r = c.get(&server.at("/open311/v2/requests.xml?start_date=hier"));
    assert_eq!((r.status, xml_items(&r.body, "errors", "error", "code")), (400, vec!["400".to_string()]));

    // One request, and a token.
    let one = c.get(&server.at(&format!("/open311/v2/requests/{pothole}.xml")));
    assert_eq!(
        xml_items(&one.body, "service_requests", "request", "description"),
        vec!["Un nid-de-poule devant la mairie."]
    );
    assert_eq!(c.get(&server.at(&format!("/open311/v2/requests/{waiting}.json"))).status, 404);
    let t = json(&c.get(&server.at(&format!("/open311/v2/tokens/{pothole}.json"))));
    assert_eq!(
        (t[0]["service_request_id"].as_u64(), t[0]["token"].as_str()),
        (Some(pothole), Some(pothole.to_string().as_str()))
    );
    assert_eq!(c.get(&server.at("/open311/v2/tokens/abc.xml")).status, 404);
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn a_service_with_questions_has_a_definition_and_its_attributes_are_checked_when_filed() {
    let mut settings = with_client(Vec::new());
    settings.push(crate::reports::lamp_questions());
    let server = TestServer::start_with(&settings);
    let mut c = Client::new();
    let s = json(&c.get(&server.at("/open311/v2/services.json")));
    let metadata =
        |code: &str| s.as_array().unwrap().iter().find(|s| s["service_code"] == code).unwrap()["metadata"].clone();
    assert_eq!((metadata("eclairage"), metadata("voirie")), (serde_json::json!(true), serde_json::json!(false)));

    // The definition, as the specification writes it.
    let r = c.get(&server.at("/open311/v2/services/eclairage.json"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        json(&r),
        serde_json::json!({
            "service_code": "eclairage",
            "attributes": [
                { "variable": true, "code": "numero", "datatype": "string", "required": false,
                  "datatype_description": "Inscrit sur le mât.", "order": 1, "description": "Numéro du lampadaire" },
                { "variable": true, "code": "hauteur", "datatype": "number", "required": false,
                  "datatype_description": null, "order": 2, "description": "Hauteur en mètres" },
                { "variable": true, "code": "etat", "datatype": "singlevaluelist", "required": true,
                  "datatype_description": null, "order": 3, "description": "Le lampadaire est",
                  "values": [ { "key": "éteint", "name": "éteint" }, { "key": "clignotant", "name": "clignotant" } ] },
            ]
        })
    );
    let xml = c.get(&server.at("/open311/v2/services/eclairage.xml")).body;
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "service_definition");
    let attributes = doc.root_element().children().find(|n| n.has_tag_name("attributes")).unwrap();
    let codes: Vec<&str> = attributes
        .children()
        .filter(|n| n.has_tag_name("attribute"))
        .map(|a| a.children().find(|f| f.has_tag_name("code")).unwrap().text().unwrap())
        .collect();
    assert_eq!(codes, ["numero", "hauteur", "etat"]);
    let keys: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("value"))
        .map(|v| v.children().find(|f| f.has_tag_name("key")).unwrap().text().unwrap())
        .collect();
    assert_eq!(keys, ["éteint", "clignotant"]);
    assert_eq!(c.get(&server.at("/open311/v2/services/voirie.json")).status, 404, "no questions, no definition");

    // `attribute[code]` checked as the form checks answers.
    let base = [
        ("api_key", API_KEY),
        ("service_code", "eclairage"),
        ("lat", CENTRE.0),
        ("long", CENTRE.1),
        ("description", "Lampadaire signalé par l'outil intercommunal."),
    ];
    for (extra, says) in [
        (vec![], "attribute[etat]"),
        (vec![("attribute[etat]", "cassé")], "« etat »"),
        (vec![("attribute[etat]", "éteint"), ("attribute[hauteur]", "haut")], "« hauteur » doit être un nombre"),
    ] {
        let mut fields = base.to_vec();
        fields.extend(extra);
        let r = file_request(&mut c, &server, "json", &fields);
        assert_eq!(r.status, 400, "{}", r.body);
        assert!(json(&r)[0]["description"].as_str().unwrap().contains(says), "{}", r.body);
    }
    assert!(reports::get(&server.state().store.read().unwrap(), ReportId(1)).unwrap().is_none());
    let mut fields = base.to_vec();
    fields.extend([("attribute[etat]", "éteint"), ("attribute[numero]", "L-7"), ("attribute[autre]", "ignoré")]);
    let r = file_request(&mut c, &server, "xml", &fields);
    assert_eq!(r.status, 200, "{}", r.body);
    let id: u64 = xml_items(&r.body, "service_requests", "request", "service_request_id")[0].parse().unwrap();
    let stored = reports::answers(&server.state().store.read().unwrap(), ReportId(id)).unwrap();
    let pairs: Vec<(&str, &str)> = stored.iter().map(|a| (a.code.as_str(), a.value.as_str())).collect();
    assert_eq!(pairs, [("numero", "L-7"), ("etat", "éteint")]);
    verify_clean(&server);
}
