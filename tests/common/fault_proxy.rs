//! A fault-injecting HTTP proxy between jalon and the emulator, on 127.0.0.1.
//!
//! jalon is pointed at it with `--endpoint-url`; it forwards every request to the
//! emulator, except those its [`Plan`] picks, which get a fault instead:
//!
//! * a throttling error in the shape of the request's protocol: awsQuery (RDS, SNS,
//!   STS) HTTP 400 XML `Throttling`; awsJson (Logs, Secrets Manager, Tagging) HTTP
//!   400 `{"__type": "ThrottlingException"}`; restJson (Lambda, X-Ray) HTTP 429 with
//!   `x-amzn-ErrorType: TooManyRequestsException` / `ThrottledException`; Smithy RPC
//!   v2 CBOR (CloudWatch) HTTP 400, a CBOR `{"__type": "ThrottlingException"}` map
//!   and `x-amzn-query-error: Throttling;Sender`; restXml (S3, S3 Control) HTTP 503
//!   `<Error><Code>SlowDown</Code>`, S3's way of throttling;
//! * an HTTP 500 / 503 server error, in the same shapes;
//! * a slow response (a bounded sleep, then the real answer);
//! * a dropped connection (the request is read, the socket closed, no answer).
//!
//! Which requests fail is deterministic: each rule counts the requests it matches
//! and fires on every k-th one. The proxy stops by itself: dropping it stops the
//! accept loop, connection threads end when jalon closes its connections or after
//! an idle timeout, and the whole proxy refuses work after a deadline.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What to do to a request instead of (or before) forwarding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A throttling error, in the request's protocol.
    Throttle,
    /// HTTP 500 or 503, in the request's protocol.
    ServerError(u16),
    /// Sleep this long, then forward (the answer is correct, only late).
    Slow(Duration),
    /// Read the request, close the connection without answering.
    Drop,
    /// Read the request, keep the connection open and never answer.
    Hang,
    /// An HTTP 404 HTML page that is no AWS error and echoes the request's
    /// `Authorization` header (key id, signature), as some proxies and web servers do.
    NotAws,
}

/// Faults on every `every`-th request matching `service` (a jalon service name:
/// `lambda`, `logs`, `cloudwatch`...; None for any), cycling through `faults`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub service: Option<&'static str>,
    pub every: u64,
    pub faults: Vec<Fault>,
}

impl Rule {
    /// Every request to `service` gets `fault`.
    pub fn always(service: &'static str, fault: Fault) -> Rule {
        Rule { service: Some(service), every: 1, faults: vec![fault] }
    }

    /// Every `every`-th request, whatever its service, cycling through `faults`.
    pub fn every(every: u64, faults: &[Fault]) -> Rule {
        Rule { service: None, every, faults: faults.to_vec() }
    }
}

/// The rules, tried in order; the first that fires decides.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub rules: Vec<Rule>,
}

/// What the proxy did, for assertions.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub forwarded: u64,
    pub throttles: u64,
    pub server_errors: u64,
    pub slow: u64,
    pub drops: u64,
    pub hangs: u64,
    pub not_aws: u64,
}

/// Longest a proxy serves; past it every connection is refused (bounded tests).
const LIFETIME: Duration = Duration::from_secs(600);
/// A connection idle this long is closed.
const IDLE: Duration = Duration::from_secs(60);
/// Longest slow response allowed.
const MAX_SLOW: Duration = Duration::from_secs(2);

struct Shared {
    upstream_port: u16,
    rules: Vec<(Rule, AtomicU64)>,
    stats: Mutex<Stats>,
    stop: AtomicBool,
    started: Instant,
}

pub struct FaultProxy {
    pub endpoint: String,
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts a proxy in front of the emulator on `upstream_port`.
    pub fn start(upstream_port: u16, plan: Plan) -> FaultProxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind the fault proxy");
        let port = listener.local_addr().expect("local address").port();
        let shared = Arc::new(Shared {
            upstream_port,
            rules: plan.rules.into_iter().map(|r| (r, AtomicU64::new(0))).collect(),
            stats: Mutex::new(Stats::default()),
            stop: AtomicBool::new(false),
            started: Instant::now(),
        });
        let accept_shared = shared.clone();
        let accept = std::thread::spawn(move || {
            for stream in listener.incoming() {
                let shared = accept_shared.clone();
                if shared.stop.load(Ordering::SeqCst) || shared.started.elapsed() > LIFETIME {
                    break;
                }
                let Ok(stream) = stream else { continue };
                std::thread::spawn(move || {
                    let _ = serve_connection(stream, &shared);
                });
            }
        });
        FaultProxy { endpoint: format!("http://127.0.0.1:{port}"), port, shared, accept: Some(accept) }
    }

    pub fn stats(&self) -> Stats {
        self.shared.stats.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

// ---------------------------------------------------------------- HTTP

struct Request {
    /// Request line and headers, without the final blank line.
    head: Vec<String>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.iter().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }

    /// The jalon service name, from the SigV4 credential scope.
    fn service(&self) -> String {
        let auth = self.header("authorization").unwrap_or_default();
        let scope = auth.split("Credential=").nth(1).unwrap_or_default();
        let signing = scope.split('/').nth(3).unwrap_or_default();
        match signing {
            "monitoring" => "cloudwatch".into(),
            "resourcegroupstaggingapi" => "tagging".into(),
            other => other.to_string(),
        }
    }

    fn protocol(&self) -> Protocol {
        if self.service() == "s3" {
            Protocol::RestXml
        } else if self.header("smithy-protocol").is_some_and(|p| p.eq_ignore_ascii_case("rpc-v2-cbor")) {
            Protocol::Cbor
        } else if self.header("x-amz-target").is_some() {
            Protocol::Json
        } else if self.header("content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")) {
            Protocol::Query
        } else {
            Protocol::RestJson
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Protocol {
    Query,
    Json,
    RestJson,
    RestXml,
    Cbor,
}

/// Reads a header block (up to the blank line). None at a clean end of stream.
fn read_head(reader: &mut impl BufRead) -> std::io::Result<Option<Vec<String>>> {
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return if lines.is_empty() { Ok(None) } else { Err(std::io::ErrorKind::UnexpectedEof.into()) };
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            if lines.is_empty() {
                continue;
            }
            return Ok(Some(lines));
        }
        if lines.len() > 200 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        lines.push(line);
    }
}

fn header_of<'a>(head: &'a [String], name: &str) -> Option<&'a str> {
    head.iter().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

/// Reads a body: by Content-Length, chunked, or (responses only) to the end.
fn read_body(reader: &mut impl BufRead, head: &[String], to_eof: bool) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    if header_of(head, "transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
            if size == 0 {
                // Trailers, then the blank line.
                let _ = read_head(reader);
                return Ok(body);
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..])?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf)?;
        }
    }
    if let Some(length) = header_of(head, "content-length") {
        let length: usize = length.parse().map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else if to_eof {
        reader.read_to_end(&mut body)?;
    }
    Ok(body)
}

/// Headers that describe one hop, not the message: the proxy sets its own.
fn hop_by_hop(line: &str) -> bool {
    let name = line.split(':').next().unwrap_or_default().trim().to_ascii_lowercase();
    matches!(name.as_str(), "connection" | "keep-alive" | "transfer-encoding" | "content-length" | "proxy-connection")
}

fn serve_connection(client: TcpStream, shared: &Shared) -> std::io::Result<()> {
    client.set_read_timeout(Some(IDLE))?;
    let mut writer = client.try_clone()?;
    let mut reader = BufReader::new(client);
    loop {
        if shared.stop.load(Ordering::SeqCst) || shared.started.elapsed() > LIFETIME {
            return Ok(());
        }
        let Some(head) = read_head(&mut reader)? else {
            return Ok(());
        };
        let body = read_body(&mut reader, &head, false)?;
        let request = Request { head, body };
        let close_after = request.header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let fault = pick_fault(shared, &request.service());
        let stat = |f: &dyn Fn(&mut Stats)| f(&mut shared.stats.lock().unwrap_or_else(|p| p.into_inner()));
        stat(&|s| s.requests += 1);
        let response = match fault {
            Some(Fault::Drop) => {
                stat(&|s| s.drops += 1);
                let _ = writer.shutdown(Shutdown::Both);
                return Ok(());
            }
            Some(Fault::Hang) => {
                stat(&|s| s.hangs += 1);
                while !shared.stop.load(Ordering::SeqCst) && shared.started.elapsed() < LIFETIME {
                    std::thread::sleep(Duration::from_millis(100));
                }
                return Ok(());
            }
            Some(Fault::NotAws) => {
                stat(&|s| s.not_aws += 1);
                let body = format!(
                    "<html><body><h1>Not Found</h1><pre>{}</pre></body></html>",
                    request.header("authorization").unwrap_or_default()
                );
                format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nX-Echo-Authorization: {}\r\nContent-Length: {}\r\n\r\n{body}",
                    request.header("authorization").unwrap_or_default(),
                    body.len()
                )
                .into_bytes()
            }
            Some(Fault::Throttle) => {
                stat(&|s| s.throttles += 1);
                error_response(&request, true, 0)
            }
            Some(Fault::ServerError(code)) => {
                stat(&|s| s.server_errors += 1);
                error_response(&request, false, code)
            }
            Some(Fault::Slow(d)) => {
                stat(&|s| {
                    s.slow += 1;
                    s.forwarded += 1;
                });
                std::thread::sleep(d.min(MAX_SLOW));
                forward(&request, shared.upstream_port)?
            }
            None => {
                stat(&|s| s.forwarded += 1);
                forward(&request, shared.upstream_port)?
            }
        };
        writer.write_all(&response)?;
        writer.flush()?;
        if close_after {
            let _ = writer.shutdown(Shutdown::Both);
            return Ok(());
        }
    }
}

fn pick_fault(shared: &Shared, service: &str) -> Option<Fault> {
    for (rule, counter) in &shared.rules {
        if rule.service.is_some_and(|s| s != service) || rule.faults.is_empty() {
            continue;
        }
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let every = rule.every.max(1);
        if n % every == 0 {
            let index = ((n / every - 1) % rule.faults.len() as u64) as usize;
            return Some(rule.faults[index]);
        }
    }
    None
}

/// Sends the request to the emulator on a fresh connection and returns its answer,
/// re-framed with a Content-Length so the client connection can be kept alive.
fn forward(request: &Request, upstream_port: u16) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port))?;
    upstream.set_read_timeout(Some(IDLE))?;
    let mut out = Vec::new();
    for line in request.head.iter().filter(|l| !hop_by_hop(l)) {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\nConnection: close\r\n\r\n", request.body.len()).as_bytes());
    out.extend_from_slice(&request.body);
    upstream.write_all(&out)?;
    let mut reader = BufReader::new(upstream);
    let head = read_head(&mut reader)?.ok_or(std::io::ErrorKind::UnexpectedEof)?;
    let body = read_body(&mut reader, &head, true)?;
    let mut response = Vec::new();
    for line in head.iter().filter(|l| !hop_by_hop(l)) {
        response.extend_from_slice(line.as_bytes());
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    response.extend_from_slice(&body);
    Ok(response)
}

/// A CBOR text string.
fn cbor_text(out: &mut Vec<u8>, text: &str) {
    let len = text.len();
    if len < 24 {
        out.push(0x60 | len as u8);
    } else if len < 256 {
        out.extend_from_slice(&[0x78, len as u8]);
    } else {
        out.push(0x79);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    }
    out.extend_from_slice(text.as_bytes());
}

/// A throttling (or server) error in the request's protocol, as AWS would send it.
fn error_response(request: &Request, throttle: bool, status: u16) -> Vec<u8> {
    let service = request.service();
    let protocol = request.protocol();
    let reason = |s: u16| match s {
        400 => "Bad Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let message = if throttle { "Rate exceeded" } else { "We encountered an internal error. Please try again." };
    let (status, code, query_code) = match (throttle, protocol) {
        (true, Protocol::RestJson) => {
            (429, if service == "xray" { "ThrottledException" } else { "TooManyRequestsException" }, "")
        }
        (true, Protocol::Query) => (400, "Throttling", ""),
        (true, Protocol::RestXml) => (503, "SlowDown", ""),
        (false, Protocol::RestXml) => (status, if status == 503 { "ServiceUnavailable" } else { "InternalError" }, ""),
        (true, _) => (400, "ThrottlingException", "Throttling;Sender"),
        (false, Protocol::Query) => (status, if status == 503 { "ServiceUnavailable" } else { "InternalFailure" }, ""),
        (false, Protocol::Cbor) => (status, "InternalServiceFault", "InternalServiceError;Receiver"),
        (false, _) => (status, if status == 503 { "ServiceUnavailableException" } else { "ServiceException" }, ""),
    };
    let mut headers = vec![format!("x-amzn-RequestId: 00000000-fault-proxy-{status}")];
    let body: Vec<u8> = match protocol {
        Protocol::Query => {
            headers.push("Content-Type: text/xml".into());
            let kind = if throttle { "Sender" } else { "Receiver" };
            format!(
                "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>"
            )
            .into_bytes()
        }
        Protocol::Json => {
            headers.push("Content-Type: application/x-amz-json-1.1".into());
            if service == "cloudwatch" && !query_code.is_empty() {
                headers.push(format!("x-amzn-query-error: {query_code}"));
            }
            serde_json::json!({"__type": code, "message": message}).to_string().into_bytes()
        }
        Protocol::RestXml => {
            headers.push("Content-Type: application/xml".into());
            format!("<Error><Code>{code}</Code><Message>{message}</Message><RequestId>fault-proxy</RequestId></Error>")
                .into_bytes()
        }
        Protocol::RestJson => {
            headers.push("Content-Type: application/json".into());
            headers.push(format!("x-amzn-ErrorType: {code}"));
            serde_json::json!({"message": message}).to_string().into_bytes()
        }
        Protocol::Cbor => {
            headers.push("Content-Type: application/cbor".into());
            headers.push("smithy-protocol: rpc-v2-cbor".into());
            headers.push(format!("x-amzn-query-error: {query_code}"));
            let mut out = vec![0xa2];
            for text in ["__type", code, "message", message] {
                cbor_text(&mut out, text);
            }
            out
        }
    };
    let mut response = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for h in headers {
        response.extend_from_slice(h.as_bytes());
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    response.extend_from_slice(&body);
    response
}
