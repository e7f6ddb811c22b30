//! Boots the real server on 127.0.0.1:0 with a temporary data directory, and
//! a small HTTP client with a cookie jar.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use parvis::config::{Config, Layers, Value};

pub struct TestServer {
    pub url: String,
    /// The running server's state: tests reach its store through it.
    state: Option<std::sync::Arc<parvis::app::AppState>>,
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl TestServer {
    /// A server for the commune "Testville" with default settings.
    pub fn start() -> TestServer {
        TestServer::start_with(&[])
    }

    /// A server with some settings changed (`("accessibility.status", Value::Text(..))`).
    pub fn start_with(settings: &[(&str, Value)]) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let config = config_for(dir.path(), &url, settings);
        let state = parvis::server::prepare(config).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(parvis::server::serve_state(listener, serving, async move {
                let _ = stopped.await;
            }))
            .map_err(|e| e.to_string())
        });
        let server = TestServer { url, state: Some(state), dir, stop: Some(stop), thread: Some(thread) };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = Client::new();
        loop {
            if let Ok(r) = client.try_get(&format!("{}/healthz", self.url)) {
                if r.status == 200 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the server did not become healthy");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub fn state(&self) -> &std::sync::Arc<parvis::app::AppState> {
        self.state.as_ref().unwrap()
    }

    /// Runs a write through the server's own writer (tests set up data this way).
    pub fn write<T: Send + 'static>(
        &self,
        op: impl FnMut(&parvis::store::WriteTx) -> Result<T, parvis::store::StoreError> + Send + 'static,
    ) -> T {
        let store = self.state().store.clone();
        store.writer().write_blocking(op).unwrap()
    }

    /// Stops the server gracefully; returns what `serve` returned and the data directory.
    pub fn stop(mut self) -> (Result<(), String>, tempfile::TempDir) {
        let result = self.shutdown();
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        (result, dir)
    }

    fn shutdown(&mut self) -> Result<(), String> {
        // The database closes when the last handle on it goes.
        self.state = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(t) => t.join().unwrap_or_else(|_| Err("server thread panicked".into())),
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

pub fn config_for(dir: &Path, url: &str, settings: &[(&str, Value)]) -> Config {
    let mut layers = Layers::defaults();
    layers.set("commune.name", Value::Text("Testville".into())).unwrap();
    layers.set("server.public_url", Value::Text(url.into())).unwrap();
    layers.set("data.dir", Value::Text(dir.display().to_string())).unwrap();
    layers.set("backup.interval_hours", Value::Integer(0)).unwrap();
    layers.set("data.cache_mib", Value::Integer(8)).unwrap();
    for (k, v) in settings {
        layers.set(k, v.clone()).unwrap();
    }
    Config::from_layers(layers).unwrap()
}

/// A response, read whole.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub struct Client {
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
    pub extra_headers: Vec<(String, String)>,
}

impl Client {
    pub fn new() -> Client {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into();
        Client { agent, cookies: BTreeMap::new(), extra_headers: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, resp: &Resp) {
        for set in resp.headers_named("set-cookie") {
            let pair = set.split(';').next().unwrap_or("");
            if let Some((k, v)) = pair.split_once('=') {
                if set.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
    }

    fn read(mut r: ureq::http::Response<ureq::Body>) -> Resp {
        let status = r.status().as_u16();
        let headers =
            r.headers().iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string())).collect();
        let body = r.body_mut().read_to_string().unwrap_or_default();
        Resp { status, headers, body }
    }

    pub fn try_get(&self, url: &str) -> Result<Resp, ureq::Error> {
        let mut req = self.agent.get(url).header("cookie", &self.cookie_header());
        for (k, v) in &self.extra_headers {
            req = req.header(k, v);
        }
        req.call().map(Client::read)
    }

    pub fn get(&mut self, url: &str) -> Resp {
        let resp = self.try_get(url).unwrap();
        self.keep(&resp);
        resp
    }

    pub fn head(&mut self, url: &str) -> Resp {
        let r = self.agent.head(url).header("cookie", &self.cookie_header()).call().unwrap();
        Client::read(r)
    }

    pub fn post_form(&mut self, url: &str, fields: &[(&str, &str)]) -> Resp {
        let mut req = self.agent.post(url).header("cookie", &self.cookie_header());
        for (k, v) in &self.extra_headers {
            req = req.header(k, v);
        }
        let r = req.send_form(fields.iter().copied()).unwrap();
        let resp = Client::read(r);
        self.keep(&resp);
        resp
    }
}

impl Client {
    /// Posts a multipart form (photo uploads); the CSRF token is one of the fields (the first, as the page's form sends it).
    pub fn post_multipart(&mut self, url: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Resp {
        self.post_multipart_files(url, fields, file.as_slice())
    }

    /// Posts a multipart form with any number of files (field name, file name, bytes).
    pub fn post_multipart_files(&mut self, url: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Resp {
        let boundary = "----parvis-test-boundary-7d41";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let r = self
            .agent
            .post(url)
            .header("cookie", &self.cookie_header())
            .header("content-type", &format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..])
            .unwrap();
        let resp = Client::read(r);
        self.keep(&resp);
        resp
    }
}

/// The value of the first `name="<field>" value="..."` hidden field in a page.
pub fn hidden_field(html: &str, field: &str) -> Option<String> {
    let marker = format!("name=\"{field}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

/// The text of a page's `<title>`.
pub fn title_of(html: &str) -> &str {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").expect("</title>");
    &html[start..start + end]
}
