//! Connection limits of `rapport serve`: how many connections may be open at once, which one
//! gives way when that many are, how long a socket may sit without moving a byte, and how many
//! bytes made for responses (inflated from the build) may wait to be sent.
//!
//! A local client that opens connections and sends nothing must not be able to stop the server:
//! the cap stays below the descriptor limit, and at the cap (or when `accept` runs out of
//! descriptors anyway) the connection that has been quiet the longest is closed to make room.
//! Live-reload sockets give way last. Every socket is closed after [`IDLE`] without a byte read
//! or written, so a client that never reads a large file only ever holds its own connection.
//!
//! Bytes a response makes (the book, inflated a chunk at a time) are reserved from one budget of
//! [`IN_FLIGHT`] bytes until the socket has taken them; when it is spent, the quietest
//! connection holding some gives way, so clients that never read cannot hold it all.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

/// A socket that moves no byte in either direction for this long is closed. Live-reload
/// sockets are pinged more often than this.
pub const IDLE: Duration = Duration::from_secs(30);

/// At most this many bytes made for responses wait to be sent, over all connections.
pub const IN_FLIGHT: usize = 32 << 20;

/// How long a response waits for room in [`IN_FLIGHT`] before its connection is closed.
const ROOM_WAIT: Duration = Duration::from_secs(10);

/// Never more connections than this, whatever the descriptor limit.
const MAX_CONNECTIONS: usize = 2048;

/// Descriptors kept for everything else: the watcher, the build reading sources, stdio.
const RESERVED_FDS: usize = 64;

/// How many connections to allow: the descriptor limit (raised to its hard maximum first, as
/// Go's runtime does) minus what the rest of the program needs.
pub fn connection_cap() -> usize {
    let soft = raise_fd_limit();
    soft.saturating_sub(RESERVED_FDS).clamp(16, MAX_CONNECTIONS)
}

#[cfg(unix)]
fn raise_fd_limit() -> usize {
    // SAFETY: getrlimit and setrlimit only read and write the struct passed by pointer.
    unsafe {
        let mut lim = std::mem::zeroed::<libc::rlimit>();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max.min(65536),
                rlim_max: lim.rlim_max,
            };
            if raised.rlim_cur > lim.rlim_cur && libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0
            {
                lim = raised;
            }
        }
        usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX)
    }
}

#[cfg(not(unix))]
fn raise_fd_limit() -> usize {
    1024
}

/// Whether an `accept` error means the process (or system) ran out of descriptors or memory:
/// back off and make room, rather than spin or give up.
pub fn out_of_resources(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The open connections.
pub struct Tracker {
    permits: Arc<Semaphore>,
    open: Mutex<HashMap<u64, Arc<State>>>,
    next: AtomicU64,
    epoch: Instant,
    /// Bytes made for responses and not sent yet, at most [`IN_FLIGHT`].
    in_flight: Arc<Semaphore>,
}

/// What the tracker knows of one connection.
pub struct State {
    /// Milliseconds since the tracker's epoch of the last byte moved.
    last: AtomicU64,
    /// A live-reload socket (gives way last).
    stream: AtomicBool,
    /// Bytes of [`IN_FLIGHT`] this connection holds.
    held: AtomicUsize,
    closed: AtomicBool,
    close: Notify,
}

/// One admitted connection; it leaves the tracker, and frees its place, when dropped.
pub struct Slot {
    id: u64,
    pub state: Arc<State>,
    tracker: Arc<Tracker>,
    _permit: OwnedSemaphorePermit,
}

impl Tracker {
    pub fn new(cap: usize) -> Arc<Tracker> {
        Arc::new(Tracker {
            permits: Arc::new(Semaphore::new(cap)),
            open: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            epoch: Instant::now(),
            in_flight: Arc::new(Semaphore::new(IN_FLIGHT)),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<State>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a new connection: a free one, or the place of the quietest connection,
    /// which is told to close. `None` if no place came free within a second.
    pub async fn admit(self: &Arc<Self>) -> Option<Slot> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                self.evict_quietest();
                let wait = self.permits.clone().acquire_owned();
                tokio::time::timeout(Duration::from_secs(1), wait)
                    .await
                    .ok()?
                    .ok()?
            }
        };
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let state = Arc::new(State {
            last: AtomicU64::new(self.now()),
            stream: AtomicBool::new(false),
            held: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            close: Notify::new(),
        });
        self.lock().insert(id, state.clone());
        Some(Slot {
            id,
            state,
            tracker: self.clone(),
            _permit: permit,
        })
    }

    /// Tells the connection that moved no byte for the longest to close; live-reload sockets
    /// only when there is nothing else.
    pub fn evict_quietest(&self) {
        let open = self.lock();
        let victim = open
            .values()
            .filter(|s| !s.closed.load(Ordering::Relaxed))
            .min_by_key(|s| {
                (
                    s.stream.load(Ordering::Relaxed),
                    s.last.load(Ordering::Relaxed),
                )
            });
        if let Some(s) = victim {
            s.shut();
        }
    }

    /// Tells the quietest connection other than `except` that holds bytes of [`IN_FLIGHT`] to
    /// close, which frees them.
    fn evict_quietest_holder(&self, except: u64) {
        let open = self.lock();
        let victim = open
            .iter()
            .filter(|(id, s)| {
                **id != except
                    && s.held.load(Ordering::Relaxed) > 0
                    && !s.closed.load(Ordering::Relaxed)
            })
            .min_by_key(|(_, s)| s.last.load(Ordering::Relaxed));
        if let Some((_, s)) = victim {
            s.shut();
        }
    }

    pub fn open_count(&self) -> usize {
        self.lock().len()
    }
}

impl State {
    fn shut(&self) {
        self.closed.store(true, Ordering::Relaxed);
        self.close.notify_waiters();
    }

    /// Resolves once the connection was told to close.
    pub async fn closed(&self) {
        loop {
            let notified = self.close.notified();
            if self.closed.load(Ordering::Relaxed) {
                return;
            }
            notified.await;
        }
    }

    /// Marks a live-reload socket.
    pub fn set_stream(&self) {
        self.stream.store(true, Ordering::Relaxed);
    }
}

impl Slot {
    fn touch(&self) {
        self.state.last.store(self.tracker.now(), Ordering::Relaxed);
    }

    /// Room for `n` bytes (at most a chunk) of a response, held until the [`Reserved`] is
    /// dropped. When [`IN_FLIGHT`] is spent, the quietest other connection holding some is
    /// closed; `None` if no room came free within [`ROOM_WAIT`].
    pub fn reserve(
        self: &Arc<Self>,
        n: usize,
    ) -> impl std::future::Future<Output = Option<Reserved>> + Send + 'static {
        let slot = self.clone();
        async move {
            let count = u32::try_from(n).ok()?;
            let permits = slot.tracker.in_flight.clone();
            let permit = match permits.clone().try_acquire_many_owned(count) {
                Ok(p) => p,
                Err(_) => {
                    slot.tracker.evict_quietest_holder(slot.id);
                    let wait = permits.acquire_many_owned(count);
                    tokio::time::timeout(ROOM_WAIT, wait).await.ok()?.ok()?
                }
            };
            slot.state.held.fetch_add(n, Ordering::Relaxed);
            Some(Reserved {
                n,
                state: slot.state.clone(),
                _permit: permit,
            })
        }
    }
}

/// Bytes of [`IN_FLIGHT`] held by one connection until dropped.
pub struct Reserved {
    n: usize,
    state: Arc<State>,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Reserved {
    fn drop(&mut self) {
        self.state.held.fetch_sub(self.n, Ordering::Relaxed);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.tracker.lock().remove(&self.id);
    }
}

/// A socket that fails with `TimedOut` once no byte moved for [`IDLE`], and tells its slot of
/// every byte that did.
pub struct Timed<T> {
    inner: T,
    slot: Arc<Slot>,
    deadline: Pin<Box<Sleep>>,
}

impl<T> Timed<T> {
    pub fn new(inner: T, slot: Arc<Slot>) -> Timed<T> {
        Timed {
            inner,
            slot,
            deadline: Box::pin(tokio::time::sleep(IDLE)),
        }
    }

    fn progressed(&mut self) {
        self.deadline
            .as_mut()
            .reset(tokio::time::Instant::now() + IDLE);
        self.slot.touch();
    }

    /// On a pending read or write: an error once the deadline has passed.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.deadline.as_mut().poll(cx).is_ready() || self.slot.state.closed.load(Ordering::Relaxed)
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "no byte moved for too long")
}

impl<T: AsyncRead + Unpin> AsyncRead for Timed<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.progressed();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Timed<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(n)) => {
                if n > 0 {
                    self.progressed();
                }
                Poll::Ready(Ok(n))
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quietest_plain_connection_gives_way_first() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let tracker = Tracker::new(3);
            let a = tracker.admit().await.unwrap();
            let b = tracker.admit().await.unwrap();
            let c = tracker.admit().await.unwrap();
            a.state.set_stream();
            b.state.last.store(5, Ordering::Relaxed);
            c.state.last.store(1, Ordering::Relaxed);
            // c is the quietest plain connection: it is told to close, and its place is
            // given to the newcomer once it has.
            let closer = {
                let c_state = c.state.clone();
                tokio::spawn(async move {
                    c_state.closed().await;
                    drop(c);
                })
            };
            let d = tracker.admit().await.expect("a place");
            closer.await.unwrap();
            assert!(!a.state.closed.load(Ordering::Relaxed));
            assert!(!b.state.closed.load(Ordering::Relaxed));
            assert_eq!(tracker.open_count(), 3);
            drop((a, b, d));
            assert_eq!(tracker.open_count(), 0);
        });
    }
}
