//! The HTTP side of `rapport serve`: hyper's HTTP/1 server on a tokio runtime of its own,
//! answering from the in-memory build (see `routes`) and upgrading live-reload sockets (see
//! `socket`).
//!
//! Each connection is a task, not a thread, so a client that is slow or never reads holds
//! only its own socket. Request heads are limited in size (431 beyond) and in time;
//! every socket is closed once idle (see `conn`); the number of connections stays below the
//! descriptor limit, and `accept` running out of descriptors anyway backs off and makes room
//! instead of failing for good.

use super::conn::{self, Slot, Timed, Tracker};
use super::host::HostCheck;
use super::reload::Live;
use crate::error::{Error, Result};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

/// A request's head (request line and headers) must arrive within this time...
const HEADER_READ: Duration = Duration::from_secs(10);

/// ...and fit in this many bytes, request line included. hyper answers a longer head with 431
/// and closes the connection. (It answers 414 only to a target over 64 KiB that fits in its
/// buffer, which at this size none does; a buffer that large would let every connection hold
/// 64 KiB, so a long request line gets 431 too.)
const MAX_HEAD: usize = 16 * 1024;

/// The kernel's send buffer of a connection: what a client that never reads makes the server
/// produce beyond hyper's own buffer (Linux doubles it; by default it grows to 4 MB).
const SEND_BUFFER: libc::c_int = 128 * 1024;

/// At most this many header fields.
const MAX_HEADERS: usize = 64;

/// How long `accept` waits after running out of descriptors, doubling up to the maximum.
const MIN_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_millis(500);

/// What every request handler needs.
pub struct App {
    pub live: Arc<Live>,
    pub hosts: HostCheck,
    /// The path the site is served under: `/`, or `/handbook/` with `--base-url`.
    pub prefix: String,
}

/// Binds `interface:port`. When the port was not chosen explicitly and is taken, the next free
/// one of the following few is used (the caller says so); an explicit port must be free.
pub fn bind(interface: IpAddr, port: u16, explicit: bool) -> Result<TcpListener> {
    let tries = if explicit { 1 } else { 20 };
    let mut last = None;
    for p in (port..=u16::MAX).take(tries) {
        match TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(bind_error(interface, p, &e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse));
    Err(bind_error(interface, port, &e))
}

fn bind_error(interface: IpAddr, port: u16, e: &std::io::Error) -> Error {
    let addr = SocketAddr::new(interface, port);
    if e.kind() == std::io::ErrorKind::AddrInUse {
        let what = if port == 0 {
            "no port".into()
        } else {
            format!("port {port}")
        };
        Error::refused(
            format!("cannot serve on {addr}: {what} is already in use"),
            "stop the other server, or pass another port with --port (0 picks a free one)",
        )
    } else {
        Error::refused(
            format!("cannot serve on {addr}: {e}"),
            "pass another address with --interface, e.g. 127.0.0.1",
        )
    }
}

/// Starts serving on a runtime of its own; it runs until the process ends.
pub fn start(listener: TcpListener, app: App) -> Result<()> {
    let addr = listener.local_addr().ok();
    let failed = |e: std::io::Error| {
        Error::refused(
            format!("cannot start the HTTP server: {e}"),
            format!("check the address {addr:?}"),
        )
    };
    listener.set_nonblocking(true).map_err(failed)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("rapport-http")
        .enable_all()
        .build()
        .map_err(failed)?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(failed)?
    };
    let app = Arc::new(app);
    std::thread::Builder::new()
        .name("rapport-accept".into())
        .spawn(move || runtime.block_on(accept_loop(listener, app)))
        .map_err(failed)?;
    Ok(())
}

async fn accept_loop(listener: tokio::net::TcpListener, app: Arc<App>) {
    let tracker = Tracker::new(conn::connection_cap());
    let mut backoff = MIN_BACKOFF;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = MIN_BACKOFF;
                // No place came free: dropping the stream closes it.
                let Some(slot) = tracker.admit().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                limit_send_buffer(&stream);
                tokio::spawn(serve_connection(stream, Arc::new(slot), app.clone()));
            }
            Err(e) if conn::out_of_resources(&e) => {
                // The connection stays queued; close the quietest one and try again.
                tracker.evict_quietest();
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            // The client went away before it was accepted, and the like.
            Err(_) => tokio::time::sleep(MIN_BACKOFF).await,
        }
    }
}

#[cfg(unix)]
fn limit_send_buffer(stream: &tokio::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let size = SEND_BUFFER;
    // SAFETY: the descriptor is open (the stream owns it), and setsockopt only reads the
    // `c_int` passed by pointer with its size. A failure leaves the system's default.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&raw const size).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
}

#[cfg(not(unix))]
fn limit_send_buffer(_: &tokio::net::TcpStream) {}

async fn serve_connection(stream: tokio::net::TcpStream, slot: Arc<Slot>, app: Arc<App>) {
    let io = TokioIo::new(Timed::new(stream, slot.clone()));
    let for_requests = slot.clone();
    let service = service_fn(move |req| {
        let response = super::routes::handle(req, &app, &for_requests);
        async move { Ok::<_, Infallible>(response) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ)
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS)
        .serve_connection(io, service)
        .with_upgrades();
    let state = slot.state.clone();
    tokio::select! {
        _ = connection => {}
        _ = state.closed() => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_skipped_only_when_not_asked_for() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let taken = TcpListener::bind((ip, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        match bind(ip, port, true) {
            Err(Error::Refused { message, .. }) => {
                assert!(message.contains(&format!("port {port} is already in use")))
            }
            other => panic!("{other:?}"),
        }
        if let Ok(next) = bind(ip, port, false) {
            assert_ne!(next.local_addr().unwrap().port(), port);
        }
    }
}
