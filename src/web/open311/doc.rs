//! The documents the Open311 API answers with, written once and rendered
//! in either format: JSON, or XML with the specification's roots and
//! element names. A small escaping writer, as the API writes only
//! elements and text (no attributes, no namespaces).

use std::fmt::Write;

/// A value of an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Written `null` in JSON and as an empty element in XML, as the
    /// specification's examples show (`<expected_datetime/>`).
    Null,
    /// A list whose items are written in XML as `<item>` elements.
    List(&'static str, Vec<Val>),
    /// Fields in the order the specification lists them.
    Obj(Vec<(&'static str, Val)>),
}

impl Val {
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    pub fn opt(s: Option<String>) -> Val {
        s.map(Val::Text).unwrap_or(Val::Null)
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Val::Text(s) => Value::String(s.clone()),
            Val::Int(i) => Value::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
            Val::Bool(b) => Value::Bool(*b),
            Val::Null => Value::Null,
            Val::List(_, items) => Value::Array(items.iter().map(Val::to_json).collect()),
            Val::Obj(fields) => Value::Object(fields.iter().map(|(k, v)| ((*k).to_string(), v.to_json())).collect()),
        }
    }

    /// The document as XML under the element `root`: a list's items become
    /// its `<item>` children, an object's fields its children.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        element(&mut out, root, self);
        out
    }
}

fn element(out: &mut String, name: &str, v: &Val) {
    let _ = write!(out, "<{name}>");
    match v {
        Val::Text(s) => out.push_str(&escape(s)),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Float(f) => {
            let _ = write!(out, "{f}");
        }
        Val::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Val::Null => {
            // `<name/>`: rewrite the opening tag just written.
            out.truncate(out.len() - 1);
            out.push_str("/>");
            return;
        }
        Val::List(item, items) => {
            for i in items {
                element(out, item, i);
            }
        }
        Val::Obj(fields) => {
            for (k, v) in fields {
                element(out, k, v);
            }
        }
    }
    let _ = write!(out, "</{name}>");
}

/// Text as XML character data: the same escaping as the Atom feeds'.
pub use crate::web::atom::escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_hold_are_dropped() {
        assert_eq!(escape("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;");
        assert_eq!(escape("bip\u{7}\u{0}\tfin\n"), "bip\tfin\n");
        assert_eq!(escape("</description><x>"), "&lt;/description&gt;&lt;x&gt;");
    }

    #[test]
    fn a_list_is_written_as_its_items_under_the_root_and_null_as_an_empty_element() {
        let doc = Val::List(
            "request",
            vec![Val::Obj(vec![
                ("service_request_id", Val::Int(4)),
                ("description", Val::text("Trou <profond> & large")),
                ("expected_datetime", Val::Null),
                ("lat", Val::Float(45.5)),
            ])],
        );
        assert_eq!(
            doc.to_xml("service_requests"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request><service_request_id>4</service_request_id>\
             <description>Trou &lt;profond&gt; &amp; large</description><expected_datetime/><lat>45.5</lat></request></service_requests>"
        );
        assert_eq!(
            doc.to_json().to_string(),
            r#"[{"description":"Trou <profond> & large","expected_datetime":null,"lat":45.5,"service_request_id":4}]"#
        );
    }
}
