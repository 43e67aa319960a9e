//! Response bodies that share the build's bytes instead of copying them per request.
//!
//! A file kept as built (a stylesheet, a 200 MB video in `static/`) is sent from the build's own
//! bytes. The book (63 MB at 10,000 pages, kept as a frame and deflated chapters) is sent a
//! piece at a time: its frame from the build's bytes, each chapter inflated [`CHUNK`] bytes at a
//! time as the socket takes them, each chunk reserved from the budget of bytes in flight (see
//! `conn`). hyper asks for the next piece only once it holds less than its buffer size, so a
//! client that never reads holds a chunk or two, and one that reads in a loop costs CPU in small
//! steps that other requests interleave with.

use super::conn::{Reserved, Slot};
use crate::render::book::Parts;
use crate::render::packed::Reader;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Frame, SizeHint};
use std::collections::VecDeque;
use std::future::Future;
use std::io::{self, Read};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Bytes of a chapter inflated at a time.
pub const CHUNK: usize = 16 << 10;

pub enum Body {
    /// Bytes made whole for this response (a page, a message), or a file's shared bytes.
    Whole(Full<Bytes>),
    /// The book, streamed.
    Book(Box<BookBody>),
}

impl Body {
    pub fn whole(bytes: Bytes) -> Body {
        Body::Whole(Full::new(bytes))
    }

    /// The book `parts` with the reload `script` before the last `</body>` of its last piece
    /// (where the built-in template's is), or at the end; chunks reserved by `slot`.
    pub fn book(parts: Arc<Parts>, script: Bytes, slot: Arc<Slot>) -> Body {
        let left = (parts.len() + script.len()) as u64;
        Body::Book(Box::new(BookBody {
            parts,
            next: 0,
            ready: VecDeque::new(),
            chapter: None,
            script,
            left,
            slot,
            room: None,
            turn: None,
        }))
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Body::Whole(full) => Pin::new(full)
                .poll_frame(cx)
                .map_err(|never| match never {}),
            Body::Book(book) => book.poll_next(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Whole(full) => full.is_end_stream(),
            Body::Book(book) => book.left == 0,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Whole(full) => full.size_hint(),
            Body::Book(book) => SizeHint::with_exact(book.left),
        }
    }
}

type Room = Pin<Box<dyn Future<Output = Option<Reserved>> + Send>>;
type Turn = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The book in writing order: frame piece 0, chapter 0, frame piece 1, …, the last frame piece.
pub struct BookBody {
    parts: Arc<Parts>,
    /// The next frame piece.
    next: usize,
    /// Shared bytes to send before anything else.
    ready: VecDeque<Bytes>,
    /// The chapter being inflated, and how many of its bytes are still to come.
    chapter: Option<(Reader, usize)>,
    script: Bytes,
    /// Bytes still to send.
    left: u64,
    slot: Arc<Slot>,
    /// Room being waited for, for the next chunk.
    room: Option<Room>,
    /// Set after each chunk: the task gives way before inflating the next.
    turn: Option<Turn>,
}

/// A frame piece, shared.
struct Piece(Arc<str>);

impl AsRef<[u8]> for Piece {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Inflated bytes, and the room they hold until sent.
struct Chunk {
    bytes: Vec<u8>,
    _room: Reserved,
}

impl AsRef<[u8]> for Chunk {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl BookBody {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        loop {
            if let Some(bytes) = self.ready.pop_front() {
                return Poll::Ready(Some(Ok(self.sent(bytes))));
            }
            if let Some((_, want)) = &self.chapter {
                // One chunk per turn: tokio runs the other tasks that are ready (a page,
                // another book, a new connection) before this one goes on, so a book never
                // holds a worker thread for long.
                if let Some(turn) = &mut self.turn {
                    if turn.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    self.turn = None;
                }
                let n = (*want).min(CHUNK);
                let room = self
                    .room
                    .get_or_insert_with(|| Box::pin(self.slot.reserve(n)));
                let Poll::Ready(reserved) = room.as_mut().poll(cx) else {
                    return Poll::Pending;
                };
                self.room = None;
                let Some(reserved) = reserved else {
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "no room for the book's bytes in time",
                    ))));
                };
                self.turn = Some(Box::pin(tokio::task::yield_now()));
                return Poll::Ready(Some(self.inflate(n, reserved)));
            }
            if !self.pull() {
                return Poll::Ready(None);
            }
        }
    }

    /// The next `n` bytes of the open chapter.
    fn inflate(&mut self, n: usize, room: Reserved) -> Result<Frame<Bytes>, io::Error> {
        let Some((reader, want)) = &mut self.chapter else {
            return Err(io::Error::other("no chapter open"));
        };
        let mut bytes = Vec::with_capacity(n);
        reader.by_ref().take(n as u64).read_to_end(&mut bytes)?;
        if bytes.len() != n {
            return Err(io::Error::other("a chapter of the book ended early"));
        }
        *want -= n;
        if *want == 0 {
            self.chapter = None;
        }
        let chunk = Chunk { bytes, _room: room };
        Ok(self.sent(Bytes::from_owner(chunk)))
    }

    fn sent(&mut self, bytes: Bytes) -> Frame<Bytes> {
        self.left = self.left.saturating_sub(bytes.len() as u64);
        Frame::data(bytes)
    }

    /// Queues the next frame piece and opens the chapter after it; `false` at the end.
    fn pull(&mut self) -> bool {
        let frame = self.parts.frame();
        let Some(piece) = frame.get(self.next) else {
            return false;
        };
        let bytes = Bytes::from_owner(Piece(piece.clone()));
        if self.next + 1 == frame.len() {
            let at = bytes
                .windows(7)
                .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
                .unwrap_or(bytes.len());
            self.ready
                .extend([bytes.slice(..at), self.script.clone(), bytes.slice(at..)]);
        } else {
            self.ready.push_back(bytes);
        }
        self.ready.retain(|b| !b.is_empty());
        if let Some(chapter) = self.parts.chapter(self.next)
            && !chapter.is_empty()
        {
            self.chapter = Some((chapter.reader(), chapter.len()));
        }
        self.next += 1;
        true
    }
}
