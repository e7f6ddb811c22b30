//! A small SMTP server for tests: it accepts mail on 127.0.0.1 and keeps it.
//!
//! It speaks enough of RFC 5321 for a real client (lettre): EHLO/HELO, MAIL
//! FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT. No STARTTLS:
//! tests use `smtp.security = "none"`. It can be told to refuse mail with a
//! 4xx reply (an overloaded server) and be stopped and restarted on the same
//! port (a server that is down).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A message as the sink received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA section, dot-unstuffed, with CRLF line ends.
    pub data: String,
}

impl Received {
    /// The value of a header, unfolded, with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        header_in(&self.data, name)
    }

    /// The plain text a reader sees: the body, decoded from its
    /// Content-Transfer-Encoding, or the `text/plain` part of a multipart
    /// message.
    pub fn body(&self) -> String {
        if self.is_multipart() {
            return self.part("text/plain").unwrap_or_default();
        }
        decoded(&self.data)
    }

    /// The `text/html` part, decoded, if the message has one.
    pub fn html(&self) -> Option<String> {
        self.part("text/html")
    }

    fn is_multipart(&self) -> bool {
        self.header("Content-Type").is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/"))
    }

    /// The content types of a multipart message's parts, in order.
    pub fn part_types(&self) -> Vec<String> {
        self.parts()
            .iter()
            .filter_map(|p| header_in(p, "Content-Type"))
            .map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .collect()
    }

    /// The first part of type `mime`, decoded.
    pub fn part(&self, mime: &str) -> Option<String> {
        self.parts()
            .into_iter()
            .find(|p| header_in(p, "Content-Type").is_some_and(|t| t.to_ascii_lowercase().starts_with(mime)))
            .map(|p| decoded(&p))
    }

    /// The raw parts (headers and body) between the top-level boundaries.
    fn parts(&self) -> Vec<String> {
        let Some(boundary) = self.header("Content-Type").and_then(|t| {
            t.split(';').find_map(|p| p.trim().strip_prefix("boundary=").map(|b| b.trim_matches('"').to_string()))
        }) else {
            return Vec::new();
        };
        let body = self.data.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        let delimiter = format!("--{boundary}");
        body.split(delimiter.as_str())
            .skip(1)
            .take_while(|p| !p.starts_with("--"))
            .map(|p| p.trim_start_matches("\r\n").trim_end_matches("\r\n").to_string())
            .collect()
    }
}

/// The value of header `name` in the head of `entity` (a message or a part).
fn header_in(entity: &str, name: &str) -> Option<String> {
    let head = entity.split("\r\n\r\n").next()?;
    let mut value: Option<String> = None;
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = value.as_mut() {
                v.push_str(line);
            }
            continue;
        }
        if value.is_some() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case(name) {
                value = Some(v.trim().to_string());
            }
        }
    }
    value.map(|v| decode_words(&v))
}

/// The body of `entity`, decoded from its Content-Transfer-Encoding, with LF line ends.
fn decoded(entity: &str) -> String {
    let raw = entity.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    match header_in(entity, "Content-Transfer-Encoding").map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("quoted-printable") => String::from_utf8_lossy(&quoted_printable(raw)).into_owned(),
        Some("base64") => String::from_utf8_lossy(&base64(raw)).into_owned(),
        _ => raw.to_string(),
    }
    .replace("\r\n", "\n")
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// When set, MAIL FROM is answered with this reply.
    refuse: Option<String>,
}

/// A running sink; dropping it stops it.
pub struct SmtpSink {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SmtpSink {
    /// Starts a sink on a free port of 127.0.0.1.
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on(0).await
    }

    /// Starts a sink on `port` (0: any free port).
    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let task = tokio::spawn(accept(listener, shared.clone()));
        SmtpSink { addr, shared, task: Some(task) }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// From now on, answer MAIL FROM with `reply` (e.g. "451 4.3.0 try later"); `None` accepts again.
    pub fn refuse(&self, reply: Option<&str>) {
        self.shared.lock().unwrap().refuse = reply.map(str::to_string);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// Stops listening and drops every open connection: the port is closed.
    pub async fn stop(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Accepts connections; aborting this task drops the listener and, with the
/// `JoinSet`, every connection.
async fn accept(listener: TcpListener, shared: Arc<Mutex<Shared>>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(session(stream, shared.clone()));
                }
                Err(_) => return,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn session(stream: TcpStream, shared: Arc<Mutex<Shared>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let mut from: Option<String> = None;
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: String = match verb.as_str() {
            "EHLO" => "250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 10485760".into(),
            "HELO" => "250 sink.test".into(),
            "MAIL" => {
                let refuse = shared.lock().unwrap().refuse.clone();
                match refuse {
                    Some(reply) => reply,
                    None => {
                        from = Some(angle(&command));
                        to.clear();
                        "250 2.1.0 OK".into()
                    }
                }
            }
            "RCPT" if from.is_some() => {
                to.push(angle(&command));
                "250 2.1.5 OK".into()
            }
            "RCPT" => "503 5.5.1 MAIL first".into(),
            "DATA" if from.is_some() && !to.is_empty() => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    // Dot-unstuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    data.push_str(unstuffed);
                }
                let from = from.take().unwrap_or_default();
                shared.lock().unwrap().received.push(Received { from, to: std::mem::take(&mut to), data });
                "250 2.0.0 queued".into()
            }
            "DATA" => "503 5.5.1 MAIL and RCPT first".into(),
            "RSET" => {
                from = None;
                to.clear();
                "250 2.0.0 OK".into()
            }
            "NOOP" => "250 2.0.0 OK".into(),
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => "502 5.5.2 command not implemented".into(),
        };
        write.write_all(format!("{reply}\r\n").as_bytes()).await?;
    }
}

/// The address between `<` and `>` of a MAIL or RCPT command.
fn angle(command: &str) -> String {
    match (command.find('<'), command.rfind('>')) {
        (Some(a), Some(b)) if a < b => command[a + 1..b].to_string(),
        _ => String::new(),
    }
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`).
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !(last_was_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let Some(end) = parts.get(2).and_then(|p| p.find("?=")) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let text = &parts[2][..end];
        let bytes = match parts[1].to_ascii_lowercase().as_str() {
            "b" => base64(text),
            _ => quoted_printable(&text.replace('_', " ")),
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        let consumed = 2 + parts[0].len() + 1 + parts[1].len() + 1 + end + 2;
        rest = &rest[start + consumed..];
        last_was_word = true;
    }
    out.push_str(rest);
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if bytes[i + 1..].starts_with(b"\n") => i += 2,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.extend_from_slice(&bytes[i..i + 3]),
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let Some(v) = ALPHABET.iter().position(|a| *a == c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn decoders_read_what_mail_clients_write() {
    assert_eq!(base64("Q29uZmlybWV6"), b"Confirmez");
    assert_eq!(quoted_printable("caf=C3=A9 =\r\nsuite a=3Db"), "café suite a=b".as_bytes());
    assert_eq!(decode_words("=?utf-8?b?w6l0w6k=?= =?utf-8?q?_=C3=A0?= fin"), "été à fin");
    assert_eq!(angle("MAIL FROM:<a@b.fr> SIZE=10"), "a@b.fr");
}
