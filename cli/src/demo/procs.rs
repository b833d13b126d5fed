//! Child processes and loopback HTTP for the demo: every server listens on 127.0.0.1, every
//! wait is bounded, and children are killed when the demo ends (or fails).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Fallible;

/// A child process killed on drop.
pub struct Proc {
    child: Child,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    /// Starts `command`, waits (at most `wait`) for its first stdout line, and returns it.
    pub fn start(
        name: &'static str,
        mut command: Command,
        wait: Duration,
    ) -> Fallible<(Self, String, Option<ChildStderr>)> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{name}: cannot start: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stderr = child.stderr.take();
        let mut proc = Self { child };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep draining so the child never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        match rx.recv_timeout(wait) {
            Ok(line) if !line.trim().is_empty() => Ok((proc, line.trim().to_owned(), stderr)),
            _ => {
                let _ = proc.child.kill();
                let mut err = String::new();
                if let Some(s) = stderr {
                    let _ = BufReader::new(s).take_lines(20, &mut err);
                }
                Err(format!(
                    "{name} did not start within {} s{}",
                    wait.as_secs(),
                    if err.is_empty() {
                        String::new()
                    } else {
                        format!(":\n{err}")
                    }
                ))
            }
        }
    }

    /// Starts a server that prints nothing: waits until `port` accepts connections.
    pub fn start_listening(
        name: &'static str,
        mut command: Command,
        port: u16,
        wait: Duration,
    ) -> Fallible<(Self, Option<ChildStderr>)> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{name}: cannot start: {e}"))?;
        let stderr = child.stderr.take();
        let mut proc = Self { child };
        let deadline = Instant::now().checked_add(wait).ok_or("time")?;
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok((proc, stderr));
            }
            if let Ok(Some(status)) = proc.child.try_wait() {
                let mut err = String::new();
                if let Some(s) = stderr {
                    let _ = BufReader::new(s).take_lines(20, &mut err);
                }
                return Err(format!("{name} exited ({status}):\n{err}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!(
            "{name} did not listen on 127.0.0.1:{port} within {} s",
            wait.as_secs()
        ))
    }
}

trait TakeLines {
    fn take_lines(self, n: usize, out: &mut String) -> std::io::Result<()>;
}

impl<R: std::io::Read> TakeLines for BufReader<R> {
    fn take_lines(self, n: usize, out: &mut String) -> std::io::Result<()> {
        for line in self.lines().take(n) {
            out.push_str(&line?);
            out.push('\n');
        }
        Ok(())
    }
}

/// A free port on 127.0.0.1 (bound and released; the caller binds it next).
pub fn free_port() -> Fallible<u16> {
    let l = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("127.0.0.1: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// An HTTP answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// Every value of header `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

fn answer(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>, url: &str) -> Fallible<Answer> {
    let mut r = r.map_err(|e| format!("{url}: {e}"))?;
    let headers = r
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// POSTs `body` to `url` with `headers`.
pub fn post(url: &str, headers: &[(String, String)], body: &str) -> Fallible<Answer> {
    let mut req = agent().post(url);
    for (n, v) in headers {
        req = req.header(n.as_str(), v.as_str());
    }
    answer(req.send(body), url)
}

/// GETs `url`.
pub fn get(url: &str) -> Fallible<Answer> {
    answer(
        agent().get(url).header("accept", "application/json").call(),
        url,
    )
}
