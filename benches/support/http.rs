//! A minimal HTTP/1.1 client for the benchmarks: one GET on a keep-alive connection, and waiting
//! for a freshly started server.

use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One GET on a keep-alive connection: the status.
pub fn get(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    write!(
        reader.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n"
    )?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
    }
    Ok(status)
}

/// Waits until the server on `port` answers `path` with 200 (at most `seconds`); panics if it
/// stops or never answers.
pub fn wait_for(port: u16, path: &str, child: &mut Child, seconds: u64) {
    for _ in 0..seconds * 5 {
        if let Ok(s) = TcpStream::connect(("127.0.0.1", port)) {
            let mut r = BufReader::new(s);
            if matches!(get(&mut r, path), Ok(200)) {
                return;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server on port {port} stopped: {status}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("the server on port {port} did not answer {path}");
}

/// `diming serve` on the store `url`, once it answers `/healthz` (waiting at most `seconds`).
pub fn diming_server(url: &str, port: u16, seconds: u64) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_diming"))
        .args(["--db", url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port, "/healthz", &mut child, seconds);
    child
}
