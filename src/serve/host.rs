//! Which `Host` (and WebSocket `Origin`) serve answers to.
//!
//! A web page the author visits can point a DNS name of its own at 127.0.0.1 ("DNS
//! rebinding") and then read the preview as same-origin. The browser still sends that name as
//! `Host`, so answering only to names that cannot be rebound closes the hole: `localhost`, the
//! loopback addresses, the bound address, and names the author allows with `--allow-host`. An IP
//! address is never a rebinding attack (the page's origin is then that address), so when serve
//! listens on every interface any address literal is accepted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone)]
pub struct HostCheck {
    /// `None` when bound to a wildcard address (0.0.0.0 or ::).
    bound: Option<IpAddr>,
    port: u16,
    /// Lowercase, without a trailing dot.
    names: Vec<String>,
}

impl HostCheck {
    pub fn new(bound: IpAddr, port: u16, allowed: &[String]) -> HostCheck {
        HostCheck {
            bound: (!bound.is_unspecified()).then_some(bound),
            port,
            names: allowed.iter().map(|n| normalise(n)).collect(),
        }
    }

    /// Whether `authority` (`name`, `name:port`, `[v6]:port`) names this server.
    pub fn allows(&self, authority: &str) -> bool {
        let (host, port) = split(authority);
        // Digits only: `u16::from_str` would take `+1111` too.
        if let Some(port) = port
            && (!port.bytes().all(|b| b.is_ascii_digit())
                || port.parse::<u16>().ok() != Some(self.port))
        {
            return false;
        }
        let host = normalise(host);
        if host.is_empty() {
            return false;
        }
        let ip = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .map_or_else(
                || host.parse::<Ipv4Addr>().map(IpAddr::V4).ok(),
                |h| h.parse::<Ipv6Addr>().map(IpAddr::V6).ok(),
            );
        match ip {
            Some(ip) => ip.is_loopback() || self.bound.is_none_or(|b| b == ip),
            None => host == "localhost" || self.names.contains(&host),
        }
    }

    /// Whether a WebSocket `Origin` (`http://name:port`) is a page of this server.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let Some(rest) = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
        else {
            return false;
        };
        !rest.contains(['/', '@']) && self.allows(rest)
    }
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// `host:port` → (host, Some(port)); an IPv6 literal keeps its brackets.
fn split(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                match rest.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None if rest.is_empty() => (host, None),
                    // `[::1]x`: not an authority at all.
                    None => ("", None),
                }
            }
            None => ("", None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> HostCheck {
        HostCheck::new("127.0.0.1".parse().unwrap(), 1111, &["Preview.Test".into()])
    }

    #[test]
    fn loopback_names_and_allowed_names_pass() {
        let c = check();
        for ok in [
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.:1111",
            "localhost",
            "127.0.0.1:1111",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
            "127.0.0.2:1111",
            "preview.test:1111",
        ] {
            assert!(c.allows(ok), "{ok}");
        }
    }

    #[test]
    fn other_names_ports_and_garbage_fail() {
        let c = check();
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost:1112",
            "localhost:",
            "localhost:x",
            "localhost:+1111",
            "localhost:-1111",
            "localhost: 1111",
            "[::1]:+1111",
            "127.0.0.1.evil.example:1111",
            "localhost.evil.example",
            "10.0.0.1:1111",
            "[::1]x",
            "[::1",
            "user@localhost:1111",
            "",
            ":1111",
        ] {
            assert!(!c.allows(bad), "{bad}");
        }
    }

    #[test]
    fn any_address_when_bound_to_all() {
        let c = HostCheck::new("0.0.0.0".parse().unwrap(), 80, &[]);
        assert!(c.allows("192.168.1.20"));
        assert!(c.allows("[fe80::1]:80"));
        assert!(!c.allows("evil.example"));
        let c = HostCheck::new("192.168.1.20".parse().unwrap(), 80, &[]);
        assert!(c.allows("192.168.1.20:80"));
        assert!(!c.allows("192.168.1.21:80"));
    }

    #[test]
    fn origins() {
        let c = check();
        assert!(c.allows_origin("http://localhost:1111"));
        assert!(c.allows_origin("http://127.0.0.1:1111"));
        assert!(!c.allows_origin("http://evil.example:1111"));
        assert!(!c.allows_origin("null"));
        assert!(!c.allows_origin("http://localhost:1111@evil.example"));
        assert!(!c.allows_origin("file://"));
        assert!(!c.allows_origin("http://localhost:+1111"));
    }
}
