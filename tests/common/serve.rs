//! A running `quartier serve` and raw HTTP/1.1 requests to it, for the tests of the live
//! preview and of its security headers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a change may take to show before a test fails: generous, because CI
/// machines are busy; the real figures are in `cargo bench --bench serve`.
pub const GEDULD: Duration = Duration::from_secs(30);

/// A running `quartier serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub host: String,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    pub fn start_with(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quartier"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .env("NO_COLOR", "1")
            .spawn()
            .expect("start quartier serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .trim()
            .strip_prefix("Vorschau: ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        let host = url
            .strip_prefix("http://")
            .and_then(|r| r.split('/').next())
            .expect("host")
            .to_string();
        Server { child, host }
    }

    /// A raw HTTP/1.1 GET of `target`, sent as is (no normalisation of `..`).
    pub fn get(&self, target: &str) -> Response {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read");
        Response::parse(&raw)
    }

    /// The first `stand` event of the event stream: the version served and the errors.
    pub fn meldung(&self) -> serde_json::Value {
        let mut stream = TcpStream::connect(&self.host).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET /__quartier/ereignisse HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.host
        )
        .expect("send");
        let reader = BufReader::new(stream);
        for line in reader.lines() {
            let line = line.expect("line");
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data).expect("json");
            }
        }
        panic!("no event");
    }

    /// Waits until `f` holds for the page at `target`.
    pub fn wait_for(&self, target: &str, what: &str, f: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let r = self.get(target);
            if f(&r) {
                return r;
            }
            assert!(
                started.elapsed() < GEDULD,
                "{target}: {what} did not happen; last response {} {}",
                r.status,
                &r.body[..r.body.len().min(2000)]
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for_meldung(
        &self,
        what: &str,
        f: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let m = self.meldung();
            if f(&m) {
                return m;
            }
            assert!(
                started.elapsed() < GEDULD,
                "{what} did not happen; last event {m}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn parse(raw: &[u8]) -> Response {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("end of head");
        let head = String::from_utf8_lossy(&raw[..end]);
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v == "chunked")
        {
            body = unchunk(&body);
        }
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(i) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + n]);
        b = &b[i + 2 + n + 2..];
    }
}
