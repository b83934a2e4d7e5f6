//! A real SMTP server in the test process (mailin's protocol state machine over
//! TCP) that keeps what it receives, and can be stopped and started again on the
//! same port to play an outage, fall silent (accept connections and never
//! answer) or refuse chosen recipients with a 550.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mailin::{Action, Handler, Response, SessionBuilder};

#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
}

impl ReceivedEmail {
    /// Every http(s) link in the text part.
    pub fn links(&self) -> Vec<String> {
        let pattern = regex::Regex::new(r"https?://[^\s<>]+").expect("valid regex");
        pattern
            .find_iter(&self.text)
            .map(|m| m.as_str().to_owned())
            .collect()
    }
}

type Inbox = Arc<Mutex<Vec<ReceivedEmail>>>;

#[derive(Clone)]
struct Collector {
    inbox: Inbox,
    refused: Refused,
    to: Vec<String>,
    data: Vec<u8>,
}

/// Recipients answered 550, lowercase.
type Refused = Arc<Mutex<HashSet<String>>>;

impl Handler for Collector {
    fn rcpt(&mut self, to: &str) -> Response {
        if self
            .refused
            .lock()
            .expect("refused lock")
            .contains(&to.to_lowercase())
        {
            mailin::response::NO_MAILBOX
        } else {
            mailin::response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let parsed = mailparse::parse_mail(&self.data).expect("a parsable email");
        let mut text = String::new();
        let mut html = String::new();
        for part in parsed.parts() {
            match part.ctype.mimetype.as_str() {
                "text/plain" => text = part.get_body().unwrap_or_default(),
                "text/html" => html = part.get_body().unwrap_or_default(),
                _ => {}
            }
        }
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.get_key().eq_ignore_ascii_case(name))
                .map(|h| h.get_value())
                .unwrap_or_default()
        };
        let email = ReceivedEmail {
            to: self.to.clone(),
            subject: header("subject"),
            text,
            html,
            message_id: header("message-id"),
        };
        self.inbox.lock().expect("inbox lock").push(email);
        mailin::response::OK
    }
}

pub struct MailServer {
    pub port: u16,
    inbox: Inbox,
    refused: Refused,
    /// Set: connections are accepted and held without a word.
    silent: Arc<AtomicBool>,
    running: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl MailServer {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP port");
        let port = listener.local_addr().expect("local addr").port();
        let mut server = Self {
            port,
            inbox: Arc::default(),
            refused: Arc::default(),
            silent: Arc::default(),
            running: None,
        };
        server.serve(listener);
        server
    }

    fn serve(&mut self, listener: TcpListener) {
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let inbox = self.inbox.clone();
        let refused = self.refused.clone();
        let silent = self.silent.clone();
        let thread = std::thread::spawn(move || {
            while !stop_flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) if silent.load(Ordering::SeqCst) => {
                        let silent = silent.clone();
                        std::thread::spawn(move || hold_silently(stream, &silent));
                    }
                    Ok((stream, peer)) => {
                        let handler = Collector {
                            inbox: inbox.clone(),
                            refused: refused.clone(),
                            to: Vec::new(),
                            data: Vec::new(),
                        };
                        std::thread::spawn(move || {
                            let _ = converse(stream, peer.ip(), handler);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        self.running = Some((stop, thread));
    }

    /// Closes the port: connections are refused until `resume`.
    pub fn stop(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            stop.store(true, Ordering::SeqCst);
            let _ = thread.join();
        }
    }

    /// From now on, accepts connections and never answers (not even the
    /// greeting), as a hung mail server does, until `answer_again`.
    pub fn fall_silent(&self) {
        self.silent.store(true, Ordering::SeqCst);
    }

    pub fn answer_again(&self) {
        self.silent.store(false, Ordering::SeqCst);
    }

    /// Answers 550 to `address` as a recipient from now on.
    pub fn refuse(&self, address: &str) {
        self.refused
            .lock()
            .expect("refused lock")
            .insert(address.to_lowercase());
    }

    pub fn resume(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind SMTP port");
        self.serve(listener);
    }

    pub fn received(&self) -> Vec<ReceivedEmail> {
        self.inbox.lock().expect("inbox lock").clone()
    }

    /// Waits until at least `count` emails have arrived.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedEmail> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            if received.len() >= count || Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The emails sent to `address`, waiting until there are `count`.
    pub async fn wait_for_to(&self, address: &str, count: usize) -> Vec<ReceivedEmail> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let for_address: Vec<_> = self
                .received()
                .into_iter()
                .filter(|e| e.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
                .collect();
            if for_address.len() >= count || Instant::now() > deadline {
                return for_address;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Keeps a connection open without a word until the client gives up or the
/// server answers again.
fn hold_silently(stream: TcpStream, silent: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buffer = [0u8; 256];
    while silent.load(Ordering::SeqCst) {
        match std::io::Read::read(&mut &stream, &mut buffer) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

fn converse(stream: TcpStream, peer: IpAddr, handler: Collector) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut session = SessionBuilder::new("partnerdesk-test").build(peer, handler);
    session.greeting().write_to(&mut writer)?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        match response.action {
            Action::Reply => response.write_to(&mut writer)?,
            Action::Close => {
                response.write_to(&mut writer)?;
                return Ok(());
            }
            Action::NoReply => {}
            Action::UpgradeTls => return Ok(()),
        }
        writer.flush()?;
    }
}
