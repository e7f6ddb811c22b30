//! The OpenAPI 3.1 document of the public API, written here by hand as
//! JSON Schema beside the types it describes (`domain::publication`): a
//! derive crate would have pulled a macro stack into the build for eleven
//! schemas. It cannot drift unseen: `tests/it/api.rs` calls every path
//! it lists against seeded data and checks each answer against these
//! schemas (every object is closed, `additionalProperties: false`, and
//! every field required), and checks each example too; CI runs an
//! independent validator on the document (`parvis openapi`).
//!
//! The human page (`page.rs`) is drawn from this document's paths and
//! examples, so the two say the same.

use serde_json::{json, Map, Value};

use super::endpoints;

/// The version of the API the paths are under (`/api/v1/`).
pub const VERSION: &str = "1.0.0";

fn string() -> Value {
    json!({"type": "string"})
}
fn date_time() -> Value {
    json!({"type": "string", "format": "date-time"})
}
fn integer() -> Value {
    json!({"type": "integer", "minimum": 0})
}
fn number() -> Value {
    json!({"type": "number"})
}
fn boolean() -> Value {
    json!({"type": "boolean"})
}
fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}
fn one_of(codes: &[&str]) -> Value {
    json!({"type": "string", "enum": codes})
}
/// `schema` or `null`.
fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut m) if m.contains_key("type") && !m.contains_key("enum") => {
            let t = m.remove("type").unwrap_or(Value::Null);
            m.insert("type".into(), json!([t, "null"]));
            Value::Object(m)
        }
        other => json!({"oneOf": [other, {"type": "null"}]}),
    }
}

/// A closed object: every property listed is required but those in `optional`.
fn object(description: &str, props: &[(&str, Value)], optional: &[&str]) -> Value {
    let mut properties = Map::new();
    for (name, schema) in props {
        properties.insert((*name).to_string(), schema.clone());
    }
    let required: Vec<&str> = props.iter().map(|(n, _)| *n).filter(|n| !optional.contains(n)).collect();
    json!({
        "type": "object",
        "description": description,
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

fn schemas() -> Value {
    let point = object("A latitude and longitude (WGS 84).", &[("lat", number()), ("lon", number())], &[]);
    let idea_box = object(
        "An idea box: residents post proposals in it while it is open.",
        &[
            ("id", integer()),
            ("title", string()),
            ("description", json!({"type": "string", "description": "Markdown."})),
            ("categories", array(string())),
            ("opens_at", date_time()),
            ("closes_at", date_time()),
            ("open", boolean()),
            ("supporters", one_of(&["residents", "verified-residents"])),
            ("threshold", integer()),
            ("created_at", date_time()),
        ],
        &[],
    );
    let proposal = object(
        "A proposal of a resident (or of a workshop), with the town hall's answer and follow-up.",
        &[
            ("id", integer()),
            ("box_id", integer()),
            ("title", string()),
            ("body", json!({"type": "string", "description": "Markdown."})),
            (
                "author",
                nullable(
                    json!({"type": "string", "description": "The name its author shows; null once erased, or for a workshop's idea."}),
                ),
            ),
            ("workshop", nullable(integer())),
            ("category", nullable(string())),
            ("neighbourhood", nullable(string())),
            ("location", nullable(reference("Point"))),
            ("status", one_of(&["submitted", "under-study", "accepted", "rejected", "in-progress", "done"])),
            ("answer", nullable(object("The town hall's answer.", &[("text", string()), ("at", date_time())], &[]))),
            ("supports", integer()),
            ("threshold_reached_at", nullable(date_time())),
            (
                "milestones",
                array(object(
                    "A step of the follow-up.",
                    &[
                        ("at", date_time()),
                        ("title", string()),
                        ("text", string()),
                        ("progress", json!({"type": "integer", "minimum": 0, "maximum": 100})),
                    ],
                    &[],
                )),
            ),
            ("progress", json!({"type": "integer", "minimum": 0, "maximum": 100})),
            ("created_at", date_time()),
            ("updated_at", date_time()),
        ],
        &[],
    );
    let update = object(
        "An entry of a report's public timeline.",
        &[
            ("at", date_time()),
            ("town_hall", boolean()),
            ("status", nullable(string())),
            ("category", nullable(string())),
            ("text", string()),
        ],
        &[],
    );
    let report = object(
        "A public problem report (also served in Open311 GeoReport v2 at /open311/v2/).",
        &[
            ("id", integer()),
            ("category", string()),
            ("status", string()),
            ("open", boolean()),
            ("location", reference("Point")),
            ("address", nullable(string())),
            ("neighbourhood", nullable(string())),
            ("description", string()),
            ("photos", array(string())),
            (
                "author",
                nullable(json!({"type": "string", "description": "Only when the author chose to show their name."})),
            ),
            ("supports", integer()),
            ("created_at", date_time()),
            ("updated_at", date_time()),
            ("updates", array(update)),
        ],
        &["updates"],
    );
    let results = object(
        "A consultation's results, published at its close.",
        &[
            ("answers", integer()),
            ("paper", nullable(json!({"type": "integer", "minimum": 5, "description": "Left out (null) under 5."}))),
            (
                "interview",
                nullable(json!({"type": "integer", "minimum": 5, "description": "Left out (null) under 5."})),
            ),
            (
                "questions",
                array(object(
                    "The counts of one question.",
                    &[
                        ("question", integer()),
                        ("answered", integer()),
                        (
                            "counts",
                            array(object(
                                "How many chose one option (or one value of a scale).",
                                &[("option", integer()), ("count", integer())],
                                &[],
                            )),
                        ),
                        ("average", nullable(number())),
                    ],
                    &[],
                )),
            ),
        ],
        &[],
    );
    let outcome = object(
        "What residents said and what the commune decided.",
        &[
            ("said", string()),
            ("decided", string()),
            ("published_at", date_time()),
            ("updates", array(object("A later update.", &[("text", string()), ("at", date_time())], &[]))),
        ],
        &[],
    );
    let consultation = object(
        "A published consultation; results and outcome only once published.",
        &[
            ("id", integer()),
            ("title", string()),
            ("summary", string()),
            ("body", json!({"type": "string", "description": "Markdown."})),
            ("neighbourhood", nullable(string())),
            ("audience", one_of(&["anyone", "signed-in", "verified"])),
            ("phase", one_of(&["forthcoming", "open", "closed"])),
            ("opens_at", nullable(date_time())),
            ("closes_at", nullable(date_time())),
            (
                "questions",
                array(object(
                    "A question asked.",
                    &[
                        ("id", integer()),
                        ("label", string()),
                        (
                            "kind",
                            one_of(&[
                                "info",
                                "short-text",
                                "long-text",
                                "single",
                                "multiple",
                                "scale",
                                "number",
                                "date",
                                "ranking",
                                "matrix",
                                "point",
                            ]),
                        ),
                        ("options", array(string())),
                    ],
                    &[],
                )),
            ),
            ("results", nullable(reference("ConsultationResults"))),
            ("outcome", nullable(reference("ConsultationOutcome"))),
            ("updated_at", date_time()),
        ],
        &[],
    );
    let project = object(
        "A project of a participatory budget.",
        &[
            ("number", integer()),
            ("title", string()),
            ("description", string()),
            ("proposed_cost_cents", integer()),
            ("cost_cents", nullable(integer())),
            ("pot", integer()),
            ("neighbourhood", nullable(string())),
            ("category", string()),
            ("location", nullable(reference("Point"))),
            ("study", one_of(&["pending", "feasible", "not-feasible"])),
            ("not_feasible_reason", nullable(string())),
            ("from_proposal", nullable(integer())),
            ("updated_at", date_time()),
        ],
        &[],
    );
    let budget_results = object(
        "The results, only once counts may be shown (after the vote, or during it when the process says so).",
        &[
            ("ballots", integer()),
            (
                "pots",
                array(object(
                    "The results of one pot.",
                    &[
                        ("pot", integer()),
                        (
                            "voters",
                            nullable(
                                json!({"type": "integer", "minimum": 5, "description": "Left out (null) under 5; the pot's votes are then 0."}),
                            ),
                        ),
                        (
                            "lines",
                            array(object(
                                "A project's line, best first.",
                                &[
                                    ("number", integer()),
                                    ("votes", integer()),
                                    ("cost_cents", integer()),
                                    ("won", boolean()),
                                ],
                                &[],
                            )),
                        ),
                        ("winners", array(integer())),
                        ("spent_cents", integer()),
                    ],
                    &[],
                )),
            ),
        ],
        &[],
    );
    let budget = object(
        "A participatory budget process; projects and results only in the answer about one process.",
        &[
            ("id", integer()),
            ("title", string()),
            ("description", string()),
            ("phase", one_of(&["forthcoming", "submission", "study", "vote", "results", "follow-up"])),
            ("submission_starts_at", date_time()),
            ("study_starts_at", date_time()),
            ("vote_starts_at", date_time()),
            ("results_start_at", date_time()),
            ("follow_up_starts_at", date_time()),
            ("vote_closed_early_at", nullable(date_time())),
            (
                "pots",
                array(object(
                    "A share of the money: the whole commune's (neighbourhood null) or a neighbourhood's.",
                    &[("neighbourhood", nullable(string())), ("amount_cents", integer())],
                    &[],
                )),
            ),
            ("audience", one_of(&["signed-in", "verified"])),
            ("min_age", nullable(integer())),
            ("rule", one_of(&["greedy", "neighbourhoods", "equal-shares"])),
            ("secret", boolean()),
            ("projects", array(reference("BudgetProject"))),
            ("results", reference("BudgetResults")),
            ("updated_at", date_time()),
        ],
        &["projects", "results"],
    );
    let meeting = object(
        "A public meeting, workshop, council session or neighbourhood walk.",
        &[
            ("id", integer()),
            ("title", string()),
            ("kind", one_of(&["public-meeting", "workshop", "council-session", "neighbourhood-walk"])),
            ("status", one_of(&["published", "cancelled"])),
            ("starts_at", date_time()),
            ("ends_at", date_time()),
            ("address", string()),
            ("location", nullable(reference("Point"))),
            ("online_url", nullable(string())),
            ("neighbourhood", nullable(string())),
            ("agenda", string()),
            (
                "accessibility",
                object(
                    "What is provided for people with disabilities.",
                    &[
                        ("step_free", boolean()),
                        ("hearing_loop", boolean()),
                        ("sign_language", boolean()),
                        ("note", string()),
                    ],
                    &[],
                ),
            ),
            ("organiser", string()),
            ("registration", boolean()),
            ("seats", nullable(integer())),
            ("minutes", nullable(string())),
            ("updated_at", date_time()),
        ],
        &[],
    );
    let news = object(
        "A published news post of the town hall.",
        &[
            ("id", integer()),
            ("title", string()),
            ("summary", string()),
            ("body", string()),
            ("published_at", date_time()),
            ("updated_at", date_time()),
            ("image", nullable(string())),
            ("image_alt", nullable(string())),
        ],
        &[],
    );
    let error = object(
        "Every error, whatever its status.",
        &[(
            "error",
            object(
                "What went wrong.",
                &[
                    ("status", integer()),
                    (
                        "code",
                        one_of(&["bad-parameter", "unknown-parameter", "not-found", "too-many-requests", "internal"]),
                    ),
                    (
                        "message",
                        json!({"type": "string", "description": "In the language of Accept-Language (French or English)."}),
                    ),
                ],
                &[],
            ),
        )],
        &[],
    );
    let mut all = Map::new();
    for (name, schema) in [
        ("Point", point),
        ("IdeaBox", idea_box),
        ("Proposal", proposal),
        ("Report", report),
        ("ConsultationResults", results),
        ("ConsultationOutcome", outcome),
        ("Consultation", consultation),
        ("BudgetProject", project),
        ("BudgetResults", budget_results),
        ("Budget", budget),
        ("Meeting", meeting),
        ("News", news),
        ("Error", error),
    ] {
        all.insert(name.to_string(), schema);
    }
    for (item, _, _) in ENDPOINTS {
        all.insert(format!("{item}Page"), page_schema(item));
    }
    Value::Object(all)
}

fn page_schema(item: &str) -> Value {
    object(
        "One page of a list, oldest first.",
        &[
            ("data", array(reference(item))),
            (
                "next_cursor",
                nullable(
                    json!({"type": "string", "description": "Pass it as `cursor` for the next page; null on the last."}),
                ),
            ),
        ],
        &[],
    )
}

/// Each concept the API serves: its schema, its path under `/api/v1/`
/// and the filters its list takes (besides `limit` and `cursor`).
pub const ENDPOINTS: [(&str, &str, &[&str]); 7] = [
    ("Proposal", "proposals", endpoints::PROPOSALS_FILTERS),
    ("IdeaBox", "boxes", endpoints::BOXES_FILTERS),
    ("Report", "reports", endpoints::REPORTS_FILTERS),
    ("Consultation", "consultations", endpoints::CONSULTATIONS_FILTERS),
    ("Budget", "budgets", endpoints::BUDGETS_FILTERS),
    ("Meeting", "meetings", endpoints::MEETINGS_FILTERS),
    ("News", "news", endpoints::NEWS_FILTERS),
];

fn filter_parameter(name: &str, path: &str) -> Value {
    let (schema, description) = match (name, path) {
        ("status", "proposals") => (
            one_of(&["submitted", "under-study", "accepted", "rejected", "in-progress", "done"]),
            "Only the proposals with this status.",
        ),
        ("status", "reports") => (string(), "Only the reports with this status code (see /open311/v2/services.json)."),
        ("status", "consultations") => {
            (one_of(&["forthcoming", "open", "closed"]), "Only the consultations in this phase.")
        }
        ("status", "budgets") => (
            one_of(&["forthcoming", "submission", "study", "vote", "results", "follow-up"]),
            "Only the processes in this phase.",
        ),
        ("status", _) => (one_of(&["published", "cancelled"]), "Only the meetings with this status."),
        ("box", _) => (integer(), "Only the proposals of this idea box."),
        ("category", _) => (string(), "Only this category (its code)."),
        ("neighbourhood", _) => (string(), "Only this neighbourhood."),
        _ => (
            json!({"type": "string"}),
            "Only what changed at or after this instant (RFC 3339), or this day (YYYY-MM-DD, from midnight UTC).",
        ),
    };
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn responses(ok: Value, ok_description: &str, with_not_found: bool, conditional_date: bool) -> Value {
    let error = |d: &str| json!({"description": d, "content": {"application/json": {"schema": reference("Error")}}});
    let mut headers = Map::new();
    headers
        .insert("ETag".into(), json!({"description": "A tag of this answer, for If-None-Match.", "schema": string()}));
    if conditional_date {
        headers.insert(
            "Last-Modified".into(),
            json!({"description": "When the record last changed, for If-Modified-Since.", "schema": string()}),
        );
    }
    let mut r = Map::new();
    r.insert(
        "200".into(),
        json!({"description": ok_description, "headers": headers, "content": {"application/json": {"schema": ok}}}),
    );
    r.insert(
        "304".into(),
        json!({"description": "Not modified: the copy named by If-None-Match (or If-Modified-Since) is current."}),
    );
    r.insert("400".into(), error("A parameter is not valid, or not one this endpoint takes."));
    if with_not_found {
        r.insert("404".into(), error("No such record, or not a public one."));
    }
    r.insert("429".into(), error("Too many requests from this address: retry after Retry-After seconds."));
    Value::Object(r)
}

fn paths() -> Value {
    let conditional = [
        json!({"name": "If-None-Match", "in": "header", "required": false, "schema": string()}),
        json!({"name": "If-Modified-Since", "in": "header", "required": false, "schema": string()}),
    ];
    let mut paths = Map::new();
    for (item, path, filters) in ENDPOINTS {
        let mut params = vec![
            json!({"name": "limit", "in": "query", "required": false, "description": format!("How many records, 1 to {}.", super::MAX_LIMIT), "schema": {"type": "integer", "minimum": 1, "maximum": super::MAX_LIMIT, "default": super::DEFAULT_LIMIT}}),
            json!({"name": "cursor", "in": "query", "required": false, "description": "The next_cursor of the previous page.", "schema": string()}),
        ];
        params.extend(filters.iter().map(|f| filter_parameter(f, path)));
        params.push(conditional[0].clone());
        paths.insert(
            format!("/api/v1/{path}"),
            json!({"get": {
                "operationId": format!("list_{path}"),
                "summary": format!("List the public {path}, oldest first."),
                "parameters": params,
                "responses": responses(reference(&format!("{item}Page")), "One page of the list.", false, false),
            }}),
        );
        // Last-Modified only on records whose counts move with their date.
        let dated = !matches!(path, "consultations" | "budgets" | "boxes");
        let mut one = vec![json!({"name": "id", "in": "path", "required": true, "schema": integer()})];
        one.extend(conditional.iter().cloned());
        paths.insert(
            format!("/api/v1/{path}/{{id}}"),
            json!({"get": {
                "operationId": format!("get_{path}"),
                "summary": format!("One of the public {path}."),
                "parameters": one,
                "responses": responses(reference(item), "The record.", true, dated),
            }}),
        );
    }
    Value::Object(paths)
}

/// The whole document; `server` is the commune's public address.
pub fn document(commune: &str, server: &str) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": format!("Parvis — {commune}: public API"),
            "version": VERSION,
            "description": "Read-only access to everything the commune's participation platform publishes: proposals and their answers, idea boxes, problem reports, consultations with their results and outcomes once published, participatory budgets with their results once they may be shown, meetings and news. Lists are oldest first and paged by an opaque cursor that keeps working as new records arrive. See /api for the human documentation.",
            "license": {"name": "AGPL-3.0-or-later (the software); the data under the commune's open-data licence", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": server}],
        "paths": paths(),
        "components": {"schemas": schemas()},
    })
}

/// `GET /api/openapi.json`.
#[poem::handler]
pub fn openapi_json(
    req: &poem::Request,
    state: poem::web::Data<&std::sync::Arc<crate::app::AppState>>,
) -> poem::Response {
    let ip = crate::web::auth::client_ip(req, &state);
    super::respond(req, &state, &ip, |_| {
        let doc = document(&state.config.commune.name, state.config.server.public_url.as_str());
        super::Built::json(&doc, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_names_a_schema() {
        let doc = document("Testville", "https://example.invalid");
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(schemas.contains_key(name), "{name}");
        }
    }

    #[test]
    fn nullable_keeps_the_type_and_adds_null() {
        assert_eq!(nullable(string()), json!({"type": ["string", "null"]}));
        assert_eq!(nullable(one_of(&["a"])), json!({"oneOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]}));
    }
}
