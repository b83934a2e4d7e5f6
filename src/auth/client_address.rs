//! Who is on the other end of the connection: the socket's peer address, or, when
//! that peer is one of the configured trusted proxies, the address the proxies
//! recorded in `X-Forwarded-For`.
//!
//! Each proxy appends the address it received the request from, so the header
//! reads `client, proxy1, proxy2` and only its right-hand end can be believed: a
//! client may write anything at the left. Walking from the right, addresses of
//! trusted proxies are skipped and the first one that is not trusted is the
//! client (the left-most untrusted address would be whatever the client chose to
//! send). When every entry is trusted the left-most is taken; a malformed entry
//! ends the walk at the last address that could be read. The RFC 7239
//! `Forwarded` header is not read.

use std::future::{Ready, ready};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, web};

use crate::config::TrustedProxies;
use crate::state::AppState;

pub const X_FORWARDED_FOR: &str = "x-forwarded-for";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    /// The client of a request that arrived from `peer` with these headers.
    /// Without a peer (not a TCP connection) every such request shares the
    /// unspecified address, so throttling still counts them together.
    pub fn of(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &TrustedProxies) -> Self {
        let Some(peer) = peer.map(|ip| ip.to_canonical()) else {
            return Self(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        };
        if !trusted.contains(peer) {
            return Self(peer);
        }
        let entries: Vec<Option<IpAddr>> = headers
            .get_all(X_FORWARDED_FOR)
            .flat_map(|value| match value.to_str() {
                Ok(text) => text.split(',').map(parse_entry).collect(),
                Err(_) => vec![None],
            })
            .collect();
        let mut client = peer;
        for entry in entries.into_iter().rev() {
            let Some(address) = entry else { break };
            client = address;
            if !trusted.contains(address) {
                break;
            }
        }
        Self(client)
    }

    pub fn ip(&self) -> IpAddr {
        self.0
    }

    /// What throttling counts under: an IPv4 address as it is, an IPv6 address as
    /// its /64 network (one subscriber or host usually holds the whole /64, so
    /// its addresses are not separate clients).
    pub fn throttle_key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let network = Ipv6Addr::from(u128::from(v6) & !(u128::from(u64::MAX)));
                format!("{network}/64")
            }
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port as some proxies
/// write it (`203.0.113.7:51234`, `[2001:db8::7]:443`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

impl FromRequest for ClientAddress {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let peer = req.peer_addr().map(|s| s.ip());
        let address = match req.app_data::<web::Data<AppState>>() {
            Some(state) => Self::of(peer, req.headers(), &state.settings.trusted_proxies),
            None => Self::of(peer, req.headers(), &TrustedProxies::default()),
        };
        ready(Ok(address))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn forwarded(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(
                HeaderName::from_static(X_FORWARDED_FOR),
                HeaderValue::from_str(line).expect("header"),
            );
        }
        headers
    }

    fn client(peer: &str, lines: &[&str], trusted: &str) -> IpAddr {
        let trusted = TrustedProxies::parse(trusted.split(',')).expect("trusted");
        ClientAddress::of(Some(ip(peer)), &forwarded(lines), &trusted).ip()
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        assert_eq!(
            client("198.51.100.9", &["203.0.113.7"], ""),
            ip("198.51.100.9")
        );
        assert_eq!(
            client("198.51.100.9", &["203.0.113.7"], "10.0.0.0/8"),
            ip("198.51.100.9")
        );
        assert_eq!(
            client("10.0.0.2", &["203.0.113.7"], "10.0.0.0/8"),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        // The client wrote 1.2.3.4 itself; the first proxy appended the address it saw.
        assert_eq!(
            client(
                "10.0.0.2",
                &["1.2.3.4, 203.0.113.7, 10.0.0.1"],
                "10.0.0.0/8"
            ),
            ip("203.0.113.7")
        );
        // Several header lines read as one list, in order.
        assert_eq!(
            client("10.0.0.2", &["1.2.3.4", "203.0.113.7:5555"], "10.0.0.0/8"),
            ip("203.0.113.7")
        );
        assert_eq!(
            client("10.0.0.2", &["[2001:db8::7]:443"], "10.0.0.0/8"),
            ip("2001:db8::7")
        );
    }

    #[test]
    fn all_trusted_gives_the_left_most_and_garbage_stops_the_walk() {
        assert_eq!(
            client("10.0.0.2", &["10.0.0.5, 10.0.0.1"], "10.0.0.0/8"),
            ip("10.0.0.5")
        );
        assert_eq!(
            client(
                "10.0.0.2",
                &["203.0.113.7, not-an-ip, 10.0.0.1"],
                "10.0.0.0/8"
            ),
            ip("10.0.0.1")
        );
        assert_eq!(client("10.0.0.2", &[], "10.0.0.0/8"), ip("10.0.0.2"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        let one = ClientAddress(ip("2001:db8:1:2:aaaa::1"));
        let other = ClientAddress(ip("2001:db8:1:2:bbbb::9"));
        assert_eq!(one.throttle_key(), "2001:db8:1:2::/64");
        assert_eq!(one.throttle_key(), other.throttle_key());
        assert_eq!(ClientAddress(ip("192.0.2.1")).throttle_key(), "192.0.2.1");
        assert_eq!(client("::ffff:192.0.2.1", &[], ""), ip("192.0.2.1"));
    }
}
