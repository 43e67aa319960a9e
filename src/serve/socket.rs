//! The live-reload WebSocket: one per open tab, on its own connection but not holding one of
//! the browser's six HTTP/1.1 connections per host the way an event stream did, so any number
//! of tabs reload.
//!
//! Browsers do not apply the same-origin rule to WebSockets, so besides the Host check every
//! request gets, a socket must come from a page of this server: exactly one `Origin` header,
//! naming it. The key must be the 16 bytes in base64 RFC 6455 asks for.

use super::conn::{IDLE, Slot};
use super::routes::{Body, text};
use super::server::App;
use futures_util::{SinkExt, StreamExt};
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::{Message, Role, WebSocketConfig};

/// How often a quiet socket is pinged: well inside [`IDLE`], so a tab's socket always moves
/// bytes in time, and a tab that went away is noticed.
const PING: Duration = Duration::from_secs(IDLE.as_secs() / 2);

/// Tabs send nothing but pongs and a close; anything bigger is refused.
const MAX_MESSAGE: usize = 4096;

/// Answers the upgrade request and hands the connection to a session once it is upgraded.
pub fn upgrade(mut req: Request<Incoming>, app: &App, slot: &Arc<Slot>) -> Response<Body> {
    let headers = req.headers();
    let has_token = |name: header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|v| {
            v.to_str()
                .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
        })
    };
    let mut keys = headers.get_all(header::SEC_WEBSOCKET_KEY).iter();
    let key = match (keys.next(), keys.next()) {
        (Some(k), None) => Some(k.clone()),
        (None, _) => None,
        (Some(_), Some(_)) => {
            return text(StatusCode::BAD_REQUEST, "more than one WebSocket key\n");
        }
    };
    let version_ok = headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .is_some_and(|v| v.as_bytes() == b"13");
    let (Some(key), true, true, true) = (
        key,
        version_ok,
        has_token(header::CONNECTION, "upgrade"),
        has_token(header::UPGRADE, "websocket"),
    ) else {
        let mut r = text(
            StatusCode::UPGRADE_REQUIRED,
            "this address is the live-reload WebSocket of rapport serve\n",
        );
        r.headers_mut()
            .insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        r.headers_mut().insert(
            header::SEC_WEBSOCKET_VERSION,
            HeaderValue::from_static("13"),
        );
        return r;
    };
    if !valid_key(key.as_bytes()) {
        return text(
            StatusCode::BAD_REQUEST,
            "Sec-WebSocket-Key must be 16 bytes in base64\n",
        );
    }
    // Exactly one: browsers always send it, and with two, which one would be checked?
    let mut origins = headers.get_all(header::ORIGIN).iter();
    let (Some(origin), None) = (origins.next(), origins.next()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "a live-reload socket needs exactly one Origin header\n",
        );
    };
    let origin = origin.to_str().unwrap_or("");
    if !app.hosts.allows_origin(origin) {
        return text(
            StatusCode::FORBIDDEN,
            format!(
                "rapport serve does not accept live-reload sockets from pages of `{}`\n",
                origin
                    .chars()
                    .filter(|c| c.is_ascii_graphic())
                    .take(100)
                    .collect::<String>()
            ),
        );
    }
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let upgrading = hyper::upgrade::on(&mut req);
    let live = app.live.clone();
    let slot = slot.clone();
    tokio::spawn(async move {
        if let Ok(upgraded) = upgrading.await {
            session(TokioIo::new(upgraded), &live, &slot).await;
        }
    });
    let mut r = Response::new(Body::whole(Default::default()));
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert(header::SEC_WEBSOCKET_ACCEPT, v);
    }
    r
}

/// Whether a `Sec-WebSocket-Key` is what RFC 6455 asks for: 16 bytes in base64 (24 characters,
/// the last two `=`).
fn valid_key(key: &[u8]) -> bool {
    let base64 = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    key.len() == 24 && key.ends_with(b"==") && key[..22].iter().all(base64)
}

/// Sends the tab every message until it goes away, the server closes the socket to make room,
/// or the socket stops moving bytes.
async fn session(io: TokioIo<hyper::upgrade::Upgraded>, live: &super::reload::Live, slot: &Slot) {
    slot.state.set_stream();
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    let mut ws = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
    let (first, mut messages) = live.subscribe();
    for m in first {
        if ws.send(Message::text(&*m)).await.is_err() {
            return;
        }
    }
    let mut ping = tokio::time::interval(PING);
    ping.tick().await;
    loop {
        tokio::select! {
            m = messages.recv() => match m {
                Some(m) => {
                    if ws.send(Message::text(&*m)).await.is_err() {
                        return;
                    }
                }
                None => return,
            },
            _ = ping.tick() => {
                if ws.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
            _ = slot.state.closed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_16_bytes_in_base64() {
        assert!(super::valid_key(b"dGhlIHNhbXBsZSBub25jZQ=="));
        for bad in [
            &b""[..],
            b" ",
            b"dGhlIHNhbXBsZSBub25jZQ",
            b"dGhlIHNhbXBsZSBub25jZQ=",
            b"dGhlIHNhbXBsZSBub25j*Q==",
            b"dGhlIHNhbXBsZSBub25jZQ==dGhl",
        ] {
            assert!(!super::valid_key(bad), "{bad:?}");
        }
    }
}
